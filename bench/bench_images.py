"""Time image processing: per image (one process), a cold batch (process pool), a warm batch.

Run from the repository root: `PYTHONPATH=$PWD python bench/bench_images.py [--count N]`.
Images are generated with Pillow (noise over gradients, so JPEG sizes look like photos').
"""

from __future__ import annotations

import argparse
import io
import statistics
import tempfile
import time
from pathlib import Path

from PIL import Image, ImageDraw

from sitegen.build.images.batch import ImageSource, process_images
from sitegen.build.images.cache import ImageCache
from sitegen.build.images.process import process_image
from sitegen.core.image_settings import ImageSettings


def photo(width: int, height: int, seed: int) -> Image.Image:
    base = Image.linear_gradient("L").resize((width, height))
    noise = Image.effect_noise((width, height), 40 + seed % 20)
    image = Image.merge("RGB", (base, noise, base.rotate(180)))
    draw = ImageDraw.Draw(image)
    for i in range(12):
        x, y = (seed * 97 + i * 331) % width, (seed * 61 + i * 173) % height
        draw.ellipse((x, y, x + width // 6, y + height // 6), fill=(i * 20, 90, 200 - i * 10))
    return image


def encoded(image: Image.Image, fmt: str, **params: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **params)
    return buffer.getvalue()


def corpus(count: int) -> list[ImageSource]:
    kinds = [
        ("phone-12mp.jpg", lambda s: encoded(photo(4000, 3000, s), "JPEG", quality=88)),
        ("web-2mp.jpg", lambda s: encoded(photo(1920, 1080, s), "JPEG", quality=85)),
        ("alpha.png", lambda s: encoded(photo(1200, 1200, s).convert("RGBA"), "PNG")),
    ]
    return [
        ImageSource(f"static/{i:03}-{name}", make(i))
        for i, (name, make) in zip(range(count), kinds * count, strict=False)
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=12)
    args = parser.parse_args()
    settings = ImageSettings()
    sources = corpus(args.count)
    big = ImageSource("static/camera-40mp.jpg", encoded(photo(8000, 5000, 1), "JPEG", quality=88))

    print("one process, per image:")
    for source in [*sources[:3], big]:
        times = []
        for _ in range(3):
            started = time.perf_counter()
            result = process_image(source.data, settings)
            times.append(time.perf_counter() - started)
        size = f"{result.width}×{result.height}"
        print(
            f"  {source.path:28} {len(source.data) / 1e6:5.1f} MB {size:>10}"
            f"  median {statistics.median(times):.3f} s"
        )

    with tempfile.TemporaryDirectory() as folder:
        cache = ImageCache(Path(folder))
        for label, workers in (("cold, 1 worker", 1), ("cold, pool", None)):
            cache.prune(())
            started = time.perf_counter()
            batch = process_images(sources, settings, cache=cache, workers=workers)
            elapsed = time.perf_counter() - started
            print(
                f"batch of {len(sources)} ({label}): {elapsed:.2f} s,"
                f" {elapsed / len(sources):.3f} s/image, {len(batch.files)} files"
            )
        started = time.perf_counter()
        warm = process_images(sources, settings, cache=cache)
        elapsed = time.perf_counter() - started
        print(
            f"batch of {len(sources)} (warm cache): {elapsed * 1000:.0f} ms,"
            f" processed {warm.stats.processed}, cached {warm.stats.cached},"
            f" {sum(map(len, warm.files.values())) / 1e6:.1f} MB read"
        )


if __name__ == "__main__":
    main()

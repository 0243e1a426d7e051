"""A build's images: descriptions, files, cache hits, diagnostics, the process pool."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image

from sitegen.build.images.batch import ImageSource, process_images, read_source
from sitegen.build.images.cache import ImageCache
from sitegen.core.diagnostics import Severity
from sitegen.core.image_settings import ImageSettings
from tests.image_factory import animated_gif, jpeg_with_metadata, photo, png_with_alpha, save

SETTINGS = ImageSettings(widths=(360, 720, 1080, 1600))


def sources() -> list[ImageSource]:
    return [
        ImageSource("static/img/lead.jpg", jpeg_with_metadata(1200, 800, orientation=6)),
        ImageSource("content/2024/01/02/logo.png", png_with_alpha(500, 500)),
        ImageSource("static/anim.gif", animated_gif(200, 100)),
        ImageSource("static/صورة الخبر.jpg", save(photo(800, 400), "JPEG")),
    ]


def test_every_described_file_exists_with_its_stated_size() -> None:
    batch = process_images(sources(), SETTINGS, workers=1)
    assert not batch.diagnostics
    assert set(batch.images) == {s.path for s in sources()}
    described = {f.path: f for image in batch.images.values() for f in image.files}
    assert set(described) == set(batch.files)
    for path, data in batch.files.items():
        image = Image.open(io.BytesIO(data))
        assert image.size == (described[path].width, described[path].height)
        assert path.startswith("images/")


def test_description_for_templates() -> None:
    batch = process_images(sources(), SETTINGS, workers=1, directory="media", url_base="/news/")
    lead = batch.images["static/img/lead.jpg"]
    assert (lead.width, lead.height, lead.media_type) == (800, 1200, "image/jpeg")
    assert lead.src.startswith("/news/media/lead-800.") and lead.src.endswith(".jpg")
    assert [entry.split()[1] for entry in lead.srcset.split(", ")] == ["360w", "720w", "800w"]
    assert lead.webp_srcset.count(".webp ") == 3
    assert lead.sizes == SETTINGS.sizes
    assert lead.fitting(700).width == 720
    assert lead.fitting(1200).width == 800

    gif = batch.images["static/anim.gif"]
    assert gif.animated and gif.webp_srcset == "" and gif.media_type == "image/gif"

    arabic = batch.images["static/صورة الخبر.jpg"]
    assert arabic.files[0].path.startswith("media/صورة-الخبر-360.")
    assert arabic.src.startswith("/news/media/صورة-الخبر-800.")


def test_second_build_processes_no_image(tmp_path: Path) -> None:
    cache = ImageCache(tmp_path / ".sitegen" / "cache" / "images")
    first = process_images(sources(), SETTINGS, cache=cache, workers=1)
    second = process_images(sources(), SETTINGS, cache=cache, workers=1)
    assert (first.stats.processed, first.stats.cached) == (4, 0)
    assert (second.stats.processed, second.stats.cached) == (0, 4)
    assert (second.files, second.images) == (first.files, first.images)


def test_damaged_cache_entry_is_a_warning_and_is_repaired(tmp_path: Path) -> None:
    cache = ImageCache(tmp_path / "cache")
    first = process_images(sources(), SETTINGS, cache=cache, workers=1)
    entry = next(p for p in cache.directory.glob("*/*") if (p / "0.jpg").exists())
    (entry / "0.jpg").write_bytes(b"damaged")
    second = process_images(sources(), SETTINGS, cache=cache, workers=1)
    [diagnostic] = second.diagnostics
    assert diagnostic.severity is Severity.WARNING
    assert "damaged image cache entry" in diagnostic.message
    assert second.stats.processed == 1
    assert second.files == first.files
    assert not process_images(sources(), SETTINGS, cache=cache, workers=1).diagnostics


def test_identical_sources_are_processed_once() -> None:
    data = save(photo(400, 300), "JPEG")
    batch = process_images(
        [ImageSource("a/one.jpg", data), ImageSource("b/two.jpg", data)], SETTINGS, workers=1
    )
    assert batch.stats.processed == 1
    assert batch.images["a/one.jpg"].src.split("/")[-1].startswith("one-400.")
    assert batch.images["b/two.jpg"].src.split("/")[-1].startswith("two-400.")


def test_bad_images_are_errors_at_their_path_and_do_not_stop_the_others() -> None:
    bad = [
        ImageSource("static/broken.jpg", save(photo(300, 200), "JPEG")[:2000]),
        ImageSource("static/huge.png", save(Image.new("L", (3000, 2000)), "PNG")),
        ImageSource("static/notes.bmp", save(photo(10, 10), "BMP")),
    ]
    batch = process_images(bad + sources(), ImageSettings(max_pixels=5_000_000), workers=1)
    assert [(d.path, d.severity) for d in batch.diagnostics] == [
        ("static/broken.jpg", Severity.ERROR),
        ("static/huge.png", Severity.ERROR),
        ("static/notes.bmp", Severity.ERROR),
    ]
    assert "truncated" in batch.diagnostics[0].format()
    assert "too many pixels" in batch.diagnostics[1].message
    assert "unsupported image format BMP" in batch.diagnostics[2].message
    assert set(batch.images) == {s.path for s in sources()}


def test_process_pool_gives_the_same_result_as_one_process() -> None:
    alone = process_images(sources(), SETTINGS, workers=1)
    pooled = process_images(sources(), SETTINGS, workers=2)
    assert pooled.stats.processed == 4
    assert (pooled.files, pooled.images) == (alone.files, alone.images)


def test_read_source(tmp_path: Path) -> None:
    (tmp_path / "static").mkdir()
    (tmp_path / "static" / "a.jpg").write_bytes(b"bytes")
    assert read_source(tmp_path, "static/a.jpg") == (ImageSource("static/a.jpg", b"bytes"), None)
    source, problem = read_source(tmp_path, "static/missing.jpg")
    assert source is None
    assert problem is not None and problem.format() == "static/missing.jpg: image file not found"

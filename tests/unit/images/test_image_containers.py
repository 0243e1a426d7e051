"""Metadata removal for animated images published without re-encoding."""

from __future__ import annotations

import io

import pytest
from PIL import Image, PngImagePlugin

from sitegen.build.images.containers import strip_gif, strip_png, strip_webp
from sitegen.build.images.errors import ImageError
from sitegen.build.images.process import process_image
from sitegen.core.image_settings import ImageSettings
from tests.image_factory import SECRET, animated_gif, exif_with_gps, save


def frames(width: int = 40, height: int = 30) -> list[Image.Image]:
    return [Image.new("RGBA", (width, height), (i * 90, 40, 200, 255)) for i in range(3)]


def animated_png() -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", SECRET)
    info.add_itxt("XML:com.adobe.xmp", SECRET)
    first, *rest = frames()
    return save(first, "PNG", save_all=True, append_images=rest, pnginfo=info, exif=exif_with_gps())


def animated_webp() -> bytes:
    first, *rest = frames()
    return save(
        first, "WEBP", save_all=True, append_images=rest, exif=exif_with_gps(), xmp=SECRET.encode()
    )


def decoded_frames(data: bytes) -> list[bytes]:
    image = Image.open(io.BytesIO(data))
    pixels = []
    for index in range(image.n_frames):
        image.seek(index)
        pixels.append(image.convert("RGBA").tobytes())
    return pixels


@pytest.mark.parametrize(
    ("make", "strip"),
    [(animated_gif, strip_gif), (animated_png, strip_png), (animated_webp, strip_webp)],
    ids=["gif", "apng", "webp"],
)
def test_metadata_goes_and_every_frame_stays(make, strip) -> None:
    source = make(40, 30) if make is animated_gif else make()
    assert SECRET.encode() in source
    cleaned, count = strip(source)
    assert count == 3
    assert SECRET.encode() not in cleaned
    assert b"Exif" not in cleaned
    assert decoded_frames(cleaned) == decoded_frames(source)


@pytest.mark.parametrize("make", [animated_png, animated_webp], ids=["apng", "webp"])
def test_animated_png_and_webp_are_published_intact(make) -> None:
    result = process_image(make(), ImageSettings(widths=(20,)))
    assert result.animated
    [variant] = result.variants
    assert (variant.width, variant.height) == (40, 30)
    assert SECRET.encode() not in variant.data


def test_webp_flags_for_removed_chunks_are_cleared() -> None:
    cleaned, _ = strip_webp(animated_webp())
    assert cleaned[12:16] == b"VP8X"
    assert cleaned[20] & 0x0C == 0
    assert int.from_bytes(cleaned[4:8], "little") == len(cleaned) - 8


@pytest.mark.parametrize(
    ("strip", "data"),
    [
        (strip_gif, animated_gif(40, 30)[:-20]),
        (strip_png, animated_png()[:-30]),
        (strip_webp, animated_webp()[:-30]),
    ],
    ids=["gif", "apng", "webp"],
)
def test_truncated_containers_are_errors(strip, data: bytes) -> None:
    with pytest.raises(ImageError, match="truncated"):
        strip(data)


def test_png_with_a_damaged_chunk_is_an_error() -> None:
    data = bytearray(animated_png())
    data[40] ^= 0xFF  # inside IHDR/acTL: the chunk's CRC no longer matches
    with pytest.raises(ImageError, match="truncated or damaged"):
        strip_png(bytes(data))

"""Processing one image: sizes, formats, orientation, colour, metadata, bad input."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from sitegen.build.images.errors import ImageError
from sitegen.build.images.process import ProcessedImage, process_image, target_widths
from sitegen.core.image_settings import ImageSettings
from tests.image_factory import (
    SECRET,
    animated_gif,
    jpeg_with_metadata,
    photo,
    png_with_alpha,
    save,
    swapped_primaries_profile,
)

SETTINGS = ImageSettings(widths=(360, 720, 1080, 1600))


def decoded(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def assert_variants_match_their_bytes(result: ProcessedImage) -> None:
    formats = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP", "image/gif": "GIF"}
    for variant in result.variants:
        image = decoded(variant.data)
        assert image.size == (variant.width, variant.height)
        assert image.format == formats[variant.media_type]


def assert_no_metadata(result: ProcessedImage) -> None:
    for variant in result.variants:
        assert SECRET.encode() not in variant.data
        image = decoded(variant.data)
        assert not image.getexif()
        assert not {"exif", "xmp", "comment", "icc_profile"} & set(image.info)


@pytest.mark.parametrize(
    ("width", "expected"),
    [
        (2000, (360, 720, 1080, 1600)),
        (1600, (360, 720, 1080, 1600)),
        (1000, (360, 720, 1000)),
        (720, (360, 720)),
        (200, (200,)),
    ],
)
def test_target_widths_never_upscale(width: int, expected: tuple[int, ...]) -> None:
    assert target_widths(width, SETTINGS.widths) == expected


def test_jpeg_gets_jpeg_and_webp_variants_at_each_width() -> None:
    result = process_image(save(photo(2000, 1000), "JPEG"), SETTINGS)
    assert (result.width, result.height, result.animated) == (2000, 1000, False)
    sizes = [(v.media_type, v.width, v.height) for v in result.variants]
    expected = [(360, 180), (720, 360), (1080, 540), (1600, 800)]
    assert sizes == [("image/jpeg", *s) for s in expected] + [("image/webp", *s) for s in expected]
    assert_variants_match_their_bytes(result)


def test_small_image_is_published_at_its_own_size() -> None:
    result = process_image(save(photo(200, 100), "JPEG"), SETTINGS)
    assert [(v.width, v.height) for v in result.variants] == [(200, 100), (200, 100)]


def test_exif_orientation_is_applied_to_the_pixels() -> None:
    # Stored landscape with a white marker top-left; orientation 6 means "rotate 90° clockwise".
    result = process_image(jpeg_with_metadata(400, 200, orientation=6), SETTINGS)
    assert (result.width, result.height) == (200, 400)
    image = decoded(result.variants[0].data).convert("L")
    assert image.size == (200, 400)
    assert image.getpixel((195, 5)) > 240  # the marker is now top-right
    assert image.getpixel((5, 5)) < 200


def test_gps_and_all_other_metadata_are_stripped() -> None:
    source = jpeg_with_metadata(800, 600, orientation=6)
    assert SECRET.encode() in source
    assert decoded(source).getexif().get_ifd(0x8825)  # the source does carry GPS
    assert_no_metadata(process_image(source, SETTINGS))
    assert_no_metadata(process_image(png_with_alpha(400, 400), SETTINGS))


def test_png_with_transparency_stays_png_with_alpha() -> None:
    result = process_image(png_with_alpha(800, 800), SETTINGS)
    assert {v.media_type for v in result.variants} == {"image/png", "image/webp"}
    for variant in result.variants:
        image = decoded(variant.data).convert("RGBA")
        assert image.getpixel((0, 0))[3] == 0
        red, green, _, alpha = image.getpixel((image.width // 2, image.height // 2))
        assert alpha == 255 and red > 180 and green < 60
    assert_variants_match_their_bytes(result)


def test_png_whose_alpha_is_fully_opaque_is_encoded_without_alpha() -> None:
    result = process_image(save(photo(400, 300).convert("RGBA"), "PNG"), SETTINGS)
    assert [decoded(v.data).mode for v in result.variants] == ["RGB"] * 4


def test_webp_source_falls_back_to_jpeg_or_to_png_with_transparency() -> None:
    opaque = process_image(save(photo(400, 300), "WEBP"), SETTINGS)
    transparent = process_image(save(Image.new("RGBA", (400, 300), (9, 9, 9, 0)), "WEBP"), SETTINGS)
    assert opaque.variants[0].media_type == "image/jpeg"
    assert transparent.variants[0].media_type == "image/png"


def test_still_gif_becomes_png_and_webp() -> None:
    result = process_image(save(photo(900, 300).convert("P"), "GIF"), SETTINGS)
    assert [(v.media_type, v.width) for v in result.variants] == [
        ("image/png", 360),
        ("image/png", 720),
        ("image/png", 900),
        ("image/webp", 360),
        ("image/webp", 720),
        ("image/webp", 900),
    ]


def test_animated_gif_is_left_intact_but_loses_its_metadata() -> None:
    source = animated_gif(2000, 60, frames=3)
    result = process_image(source, SETTINGS)
    assert result.animated
    assert [(v.media_type, v.width, v.height) for v in result.variants] == [("image/gif", 2000, 60)]
    assert_no_metadata(result)
    before, after = Image.open(io.BytesIO(source)), Image.open(io.BytesIO(result.variants[0].data))
    assert after.n_frames == before.n_frames == 3
    assert after.info["loop"] == 0
    for frame in range(3):
        before.seek(frame)
        after.seek(frame)
        assert before.convert("RGB").tobytes() == after.convert("RGB").tobytes()


def test_colours_are_converted_to_srgb_using_the_embedded_profile() -> None:
    red = Image.new("RGB", (64, 64), (255, 0, 0))
    result = process_image(save(red, "PNG", icc_profile=swapped_primaries_profile()), SETTINGS)
    r, g, _ = decoded(result.variants[0].data).getpixel((32, 32))
    assert g > 200 and r < 60  # the profile said this channel is green


def test_an_unusable_colour_profile_is_ignored() -> None:
    result = process_image(save(photo(100, 100), "JPEG", icc_profile=b"not a profile"), SETTINGS)
    assert decoded(result.variants[0].data).getpixel((2, 2)) > (240, 240, 240)


def test_40_megapixel_jpeg_is_scaled_down_to_the_largest_width() -> None:
    result = process_image(save(photo(8000, 5000), "JPEG", quality=70), SETTINGS)
    assert (result.width, result.height) == (8000, 5000)
    assert [(v.width, v.height) for v in result.variants][-1] == (1600, 1000)
    assert_variants_match_their_bytes(result)


def test_output_is_deterministic() -> None:
    source = jpeg_with_metadata(900, 600, orientation=3)
    assert process_image(source, SETTINGS) == process_image(source, SETTINGS)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (save(photo(300, 200), "JPEG")[:3000], "the image file is truncated"),
        (save(photo(300, 200), "PNG")[:500], "the image file is truncated"),
        (animated_gif(300, 200)[:-40], "the file is truncated or damaged"),
        (b"plain text, not an image", "not an image file sitegen can read"),
        (save(photo(30, 20), "BMP"), "unsupported image format BMP"),
        (save(photo(30, 20), "TIFF"), "unsupported image format TIFF"),
    ],
)
def test_bad_input_raises_image_error(data: bytes, message: str) -> None:
    with pytest.raises(ImageError, match=message):
        process_image(data, SETTINGS)


def test_image_over_the_pixel_limit_is_refused_before_decoding() -> None:
    settings = ImageSettings(max_pixels=1_000_000)
    with pytest.raises(
        ImageError, match=r"too many pixels: 2000×1000 \(2.0 megapixels\)"
    ) as caught:
        process_image(save(Image.new("L", (2000, 1000)), "PNG"), settings)
    assert caught.value.hint == "downscale the file or raise images.max_pixels"


def test_settings_report_values_out_of_range() -> None:
    assert ImageSettings().problems() == []
    assert [key for key, _ in ImageSettings(widths=()).problems()] == ["widths"]
    assert [key for key, _ in ImageSettings(widths=(0, 360)).problems()] == ["widths"]
    bad = ImageSettings(webp_quality=0, jpeg_quality=101, max_pixels=0)
    assert [key for key, _ in bad.problems()] == ["webp_quality", "jpeg_quality", "max_pixels"]
    assert ImageSettings(widths=(720, 360, 720)).targets == (360, 720)

"""Turn one source image into resized, re-encoded, metadata-free variants. Pure: no disk access.

Still images get one variant per target width in their fallback format (JPEG stays JPEG, PNG
and still GIFs become PNG, WebP becomes JPEG or, with transparency, PNG) and one in WebP. EXIF
orientation is applied to the pixels and nothing of the source's metadata is written: no EXIF,
XMP, comments or ICC profile (colours are converted to sRGB first). Animated images are
published once, at their own size, with their metadata blocks removed (see `containers`);
SVG files once, sanitized (see `svg`).
"""

from __future__ import annotations

import io
import struct
import warnings
from dataclasses import dataclass

from PIL import Image, ImageCms, UnidentifiedImageError

from sitegen.build.images.containers import strip_gif, strip_png, strip_webp
from sitegen.build.images.errors import ImageError
from sitegen.build.images.svg import MEDIA_TYPE as SVG_MEDIA_TYPE
from sitegen.build.images.svg import looks_like_svg, sanitize_svg
from sitegen.core.image_settings import ImageSettings

PROCESSOR_VERSION = 1  # bump whenever the bytes this module writes change

SOURCE_FORMATS = {"JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG", "GIF": "GIF", "WEBP": "WEBP"}
MEDIA_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif", "WEBP": "image/webp"}
ANIMATION_STRIPPERS = {"GIF": strip_gif, "PNG": strip_png, "WEBP": strip_webp}

ORIENTATION_TAG = 0x0112
ORIENTATION_TRANSPOSES = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
SWAPS_AXES = frozenset((5, 6, 7, 8))
SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))

# What Pillow raises for damaged input, besides its own UnidentifiedImageError.
DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, struct.error, IndexError)


@dataclass(frozen=True)
class Variant:
    """One published file: its pixel size, media type and bytes."""

    width: int
    height: int
    media_type: str
    data: bytes


@dataclass(frozen=True)
class ProcessedImage:
    """All variants of one source; `width`/`height` is the source as displayed (oriented)."""

    width: int
    height: int
    animated: bool
    variants: tuple[Variant, ...]


def target_widths(width: int, widths: tuple[int, ...]) -> tuple[int, ...]:
    """The configured widths below `width`, plus `width` itself if no larger one is configured."""
    chosen = [w for w in widths if w < width]
    if width <= widths[-1]:
        chosen.append(width)
    return tuple(chosen)


def process_image(data: bytes, settings: ImageSettings) -> ProcessedImage:
    """Produce the variants of one image; raise `ImageError` for input that cannot be published."""
    if looks_like_svg(data):
        cleaned, width, height = sanitize_svg(data)
        return ProcessedImage(
            width, height, False, (Variant(width, height, SVG_MEDIA_TYPE, cleaned),)
        )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        image = _open(data, settings.max_pixels)
        kind = SOURCE_FORMATS[image.format or ""]
        if kind in ANIMATION_STRIPPERS:
            frames = strip_gif(data)[1] if kind == "GIF" else getattr(image, "n_frames", 1)
            if frames > 1:
                return _animated(image, kind, data)
        return _still(image, kind, settings)


def _open(data: bytes, max_pixels: int) -> Image.Image:
    try:
        image = Image.open(io.BytesIO(data))
    except Image.DecompressionBombError as exc:
        raise ImageError(f"too many pixels: {exc}", "downscale the file") from None
    except UnidentifiedImageError:
        raise ImageError(
            "not an image file sitegen can read", "use JPEG, PNG, GIF, WebP or SVG"
        ) from None
    except DECODE_ERRORS as exc:
        raise ImageError(f"cannot read the image: {exc}") from None
    if image.format not in SOURCE_FORMATS:
        raise ImageError(
            f"unsupported image format {image.format}", "use JPEG, PNG, GIF, WebP or SVG"
        )
    width, height = image.size
    if width * height > max_pixels:
        raise ImageError(
            f"too many pixels: {width}×{height} ({width * height / 1e6:.1f} megapixels) is more"
            f" than images.max_pixels ({max_pixels})",
            "downscale the file or raise images.max_pixels",
        )
    return image


def _load(image: Image.Image) -> None:
    try:
        image.load()
    except DECODE_ERRORS as exc:
        raise _undecodable(exc) from None


def _orientation(image: Image.Image) -> int:
    """The EXIF orientation (1 to 8); reading it decodes PNG and WebP files."""
    try:
        orientation = image.getexif().get(ORIENTATION_TAG, 1)
    except DECODE_ERRORS as exc:
        raise _undecodable(exc) from None
    return orientation if orientation in range(1, 9) else 1


def _undecodable(exc: Exception) -> ImageError:
    if "truncated" in str(exc):
        return ImageError("the image file is truncated", "copy or export it again")
    return ImageError(f"cannot decode the image: {exc}", "the file may be damaged")


def _animated(image: Image.Image, kind: str, data: bytes) -> ProcessedImage:
    _load(image)  # decodes the first frame: proves the file is readable
    cleaned, _ = ANIMATION_STRIPPERS[kind](data)
    width, height = image.size
    variant = Variant(width, height, MEDIA_TYPES[kind], cleaned)
    return ProcessedImage(width, height, True, (variant,))


def _still(image: Image.Image, kind: str, settings: ImageSettings) -> ProcessedImage:
    orientation = _orientation(image)
    width, height = image.size
    if orientation in SWAPS_AXES:
        width, height = height, width
    sizes = [(w, max(1, round(w * height / width))) for w in target_widths(width, settings.targets)]
    if kind == "JPEG":  # decode at a reduced scale when the largest variant allows it
        largest = sizes[-1]
        image.draft(None, largest[::-1] if orientation in SWAPS_AXES else largest)
    _load(image)
    if orientation in ORIENTATION_TRANSPOSES:
        image = image.transpose(ORIENTATION_TRANSPOSES[orientation])
    image = _normalise_mode(_to_srgb(_expand_palette(image)))
    fallback = "JPEG" if image.mode == "RGB" and kind in ("JPEG", "WEBP") else "PNG"
    resized = [_resize(image, size) for size in sizes]
    variants = tuple(
        Variant(*img.size, MEDIA_TYPES[fmt], _encode(img, fmt, settings))
        for fmt in (fallback, "WEBP")
        for img in resized
    )
    return ProcessedImage(width, height, False, variants)


def _expand_palette(image: Image.Image) -> Image.Image:
    if image.mode in ("P", "PA"):
        transparent = image.mode == "PA" or "transparency" in image.info
        return image.convert("RGBA" if transparent else "RGB")
    return image


def _to_srgb(image: Image.Image) -> Image.Image:
    """Convert pixels described by an embedded ICC profile to sRGB; keep them if it is unusable."""
    icc = image.info.get("icc_profile")
    if not icc:
        return image
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        if ImageCms.getProfileDescription(profile).strip().startswith("sRGB"):
            return image
        output_mode = "RGBA" if "A" in image.mode else "RGB"
        converted = ImageCms.profileToProfile(image, profile, SRGB, outputMode=output_mode)
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return image
    return converted if converted is not None else image


def _normalise_mode(image: Image.Image) -> Image.Image:
    """RGBA when some pixel is not fully opaque, RGB otherwise."""
    if image.mode in ("RGBA", "LA", "La", "RGBa") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        if rgba.getchannel("A").getextrema() != (255, 255):
            return rgba
    return image if image.mode == "RGB" else image.convert("RGB")


def _resize(image: Image.Image, size: tuple[int, int]) -> Image.Image:
    if image.size == size:
        return image
    if image.mode == "RGBA":  # resample premultiplied, so transparent pixels leave no fringe
        return (
            image.convert("RGBa")
            .resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
            .convert("RGBA")
        )
    return image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)


def _encode(image: Image.Image, fmt: str, settings: ImageSettings) -> bytes:
    """Encode without any metadata: Pillow copies comments and ICC profiles from `info`."""
    image.info = {}
    buffer = io.BytesIO()
    if fmt == "JPEG":
        image.save(buffer, "JPEG", quality=settings.jpeg_quality, optimize=True, progressive=True)
    elif fmt == "PNG":  # browsers that take the PNG fallback are rare: zlib level 9 is not worth
        image.save(buffer, "PNG")  # its cost (16× slower on noisy pictures for 7% fewer bytes)
    else:
        image.save(buffer, "WEBP", quality=settings.webp_quality)
    return buffer.getvalue()

"""Test images generated with Pillow at test time (no binaries are committed)."""

from __future__ import annotations

import io
import struct

from PIL import Image, ImageCms, ImageDraw

SECRET = "SECRET-42"  # written into every metadata field; must never reach an output file


def photo(width: int, height: int) -> Image.Image:
    """A cheap photo-like RGB image: two gradients and a marker in the top-left corner."""
    ramp = Image.linear_gradient("L")
    red = ramp.resize((width, height))
    green = ramp.rotate(90).resize((width, height))
    blue = Image.new("L", (width, height), 96)
    image = Image.merge("RGB", (red, green, blue))
    ImageDraw.Draw(image).rectangle((0, 0, width // 8, height // 8), fill=(255, 255, 255))
    return image


def save(image: Image.Image, fmt: str, **params: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **params)
    return buffer.getvalue()


def exif_with_gps(orientation: int = 1) -> Image.Exif:
    """EXIF with an orientation, camera text fields and a GPS position."""
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010E] = f"description {SECRET}"  # ImageDescription
    exif[0x013B] = f"artist {SECRET}"  # Artist
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (24.0, 42.0, 51.5)
    gps[3], gps[4] = "E", (46.0, 40.0, 7.25)
    gps[0x1B] = b"ASCII\0\0\0" + f"gps {SECRET}".encode()  # GPSProcessingMethod
    return exif


def jpeg_with_metadata(width: int, height: int, orientation: int = 1) -> bytes:
    """A JPEG carrying EXIF (orientation + GPS), XMP, a comment and an ICC profile."""
    return save(
        photo(width, height),
        "JPEG",
        quality=90,
        exif=exif_with_gps(orientation),
        xmp=f'<x:xmpmeta xmlns:x="adobe:ns:meta/">{SECRET}</x:xmpmeta>'.encode(),
        comment=f"comment {SECRET}".encode(),
        icc_profile=srgb_profile(),
    )


def png_with_alpha(width: int, height: int) -> bytes:
    """An RGBA PNG: an opaque red disc on a transparent background, plus a text chunk."""
    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    ImageDraw.Draw(image).ellipse((0, 0, width - 1, height - 1), fill=(220, 20, 20, 255))
    return save(image, "PNG", exif=exif_with_gps())


def animated_gif(width: int, height: int, frames: int = 3) -> bytes:
    """An animated GIF with a comment and an XMP application extension."""
    images = [Image.new("RGB", (width, height), (index * 60, 0, 200)) for index in range(frames)]
    data = save(
        images[0],
        "GIF",
        save_all=True,
        append_images=images[1:],
        duration=100,
        loop=0,
        comment=f"comment {SECRET}".encode(),
    )
    xmp = b"!\xff\x0bXMP DataXMP" + bytes([len(SECRET)]) + SECRET.encode() + b"\x00"
    return data[:-1] + xmp + data[-1:]


def srgb_profile() -> bytes:
    """Pillow's sRGB profile with its creation time zeroed, so test images are reproducible."""
    data = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    return data[:24] + bytes(12) + data[36:]


def swapped_primaries_profile() -> bytes:
    """sRGB with its red and green primaries exchanged, renamed so it is not taken for sRGB."""
    data = bytearray(srgb_profile().replace("sRGB".encode("utf-16-be"), "SWAP".encode("utf-16-be")))
    (count,) = struct.unpack(">I", data[128:132])
    for index in range(count):
        at = 132 + 12 * index
        tag = bytes(data[at : at + 4])
        swapped = {b"rXYZ": b"gXYZ", b"gXYZ": b"rXYZ"}.get(tag)
        if swapped:
            data[at : at + 4] = swapped
    return bytes(data)

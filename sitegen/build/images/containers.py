"""Byte-level metadata removal for animated images, which are published without re-encoding.

Each function walks one container format, keeps the blocks needed to display the animation
and drops the rest (comments, EXIF, XMP, text chunks), so no GPS or camera data leaks while
the frames stay byte for byte as they were. A truncated or malformed container raises
`ImageError`. Each returns the cleaned bytes and the number of frames.
"""

from __future__ import annotations

import struct
import zlib

from sitegen.build.images.errors import ImageError

GIF_KEPT_APPLICATIONS = (b"NETSCAPE2.0", b"ANIMEXTS1.0")  # loop count
GIF_GRAPHIC_CONTROL, GIF_PLAIN_TEXT, GIF_APPLICATION = 0xF9, 0x01, 0xFF

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PNG_KEPT_CHUNKS = frozenset(
    b"IHDR PLTE IDAT IEND tRNS cHRM gAMA iCCP sBIT sRGB cICP mDCV cLLI bKGD pHYs".split()
    + b"acTL fcTL fdAT".split()  # animation
)

WEBP_KEPT_CHUNKS = frozenset((b"VP8X", b"ANIM", b"ANMF", b"ALPH", b"VP8 ", b"VP8L", b"ICCP"))
WEBP_EXIF_FLAG, WEBP_XMP_FLAG = 0x08, 0x04

TRUNCATED = "the file is truncated or damaged"


def _need(data: bytes, end: int) -> None:
    if end > len(data):
        raise ImageError(TRUNCATED)


def _skip_sub_blocks(data: bytes, pos: int) -> int:
    """Return the position after a GIF sub-block chain (ending with a zero-length block)."""
    while True:
        _need(data, pos + 1)
        size = data[pos]
        pos += 1 + size
        if size == 0:
            return pos


def strip_gif(data: bytes) -> tuple[bytes, int]:
    """Drop GIF comments and application extensions other than the loop count."""
    if data[:6] not in (b"GIF87a", b"GIF89a"):
        raise ImageError("not a GIF file")
    _need(data, 13)
    flags = data[10]
    pos = 13 + (3 << ((flags & 7) + 1) if flags & 0x80 else 0)
    _need(data, pos)
    kept = [data[:pos]]
    frames = 0
    while True:
        _need(data, pos + 1)
        introducer = data[pos]
        if introducer == 0x3B:
            kept.append(b";")
            return b"".join(kept), frames
        if introducer == 0x2C:
            _need(data, pos + 10)
            local = data[pos + 9]
            start = pos
            pos += 10 + (3 << ((local & 7) + 1) if local & 0x80 else 0) + 1  # + LZW code size
            pos = _skip_sub_blocks(data, pos)
            kept.append(data[start:pos])
            frames += 1
        elif introducer == 0x21:
            _need(data, pos + 2)
            label, start = data[pos + 1], pos
            pos = _skip_sub_blocks(data, pos + 2)
            is_loop = label == GIF_APPLICATION and data[start + 3 : start + 14] in (
                GIF_KEPT_APPLICATIONS
            )
            if label in (GIF_GRAPHIC_CONTROL, GIF_PLAIN_TEXT) or is_loop:
                kept.append(data[start:pos])
        else:
            raise ImageError(TRUNCATED)


def strip_png(data: bytes) -> tuple[bytes, int]:
    """Keep only the PNG/APNG chunks that affect display; check every chunk's CRC."""
    if not data.startswith(PNG_SIGNATURE):
        raise ImageError("not a PNG file")
    pos, kept, frames = len(PNG_SIGNATURE), [PNG_SIGNATURE], 1
    while True:
        _need(data, pos + 8)
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        end = pos + 12 + length
        _need(data, end)
        (crc,) = struct.unpack(">I", data[end - 4 : end])
        if zlib.crc32(data[pos + 4 : end - 4]) != crc:
            raise ImageError(TRUNCATED)
        if kind in PNG_KEPT_CHUNKS:
            kept.append(data[pos:end])
        if kind == b"acTL":
            (frames,) = struct.unpack(">I", data[pos + 8 : pos + 12])
        if kind == b"IEND":
            return b"".join(kept), frames
        pos = end


def strip_webp(data: bytes) -> tuple[bytes, int]:
    """Drop EXIF and XMP chunks from a WebP file and clear their flags in VP8X."""
    if data[:4] != b"RIFF" or data[8:12] != b"WEBP":
        raise ImageError("not a WebP file")
    (riff_size,) = struct.unpack("<I", data[4:8])
    end_of_file = 8 + riff_size
    _need(data, end_of_file)
    pos, chunks, frames = 12, [], 0
    while pos < end_of_file:
        _need(data, pos + 8)
        kind, size = data[pos : pos + 4], struct.unpack("<I", data[pos + 4 : pos + 8])[0]
        end = pos + 8 + size + (size & 1)
        _need(data, end)
        chunk = data[pos:end]
        if kind == b"VP8X":
            chunk = chunk[:8] + bytes([chunk[8] & ~(WEBP_EXIF_FLAG | WEBP_XMP_FLAG)]) + chunk[9:]
        if kind in WEBP_KEPT_CHUNKS:
            chunks.append(chunk)
        frames += kind == b"ANMF"
        pos = end
    body = b"WEBP" + b"".join(chunks)
    return b"RIFF" + struct.pack("<I", len(body)) + body, max(frames, 1)

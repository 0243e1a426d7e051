"""What bytes that are not UTF-8 text look like, to say so in a diagnostic.

sitegen reads UTF-8 only and never decodes with a guessed encoding (a wrong guess would put
mojibake on the site). These guesses only name the likely encoding or file type, so the error
can say how to convert the file:

- binary files by their signature (PNG, JPEG, PDF, ZIP/DOCX …);
- UTF-16/UTF-32 by a byte order mark, or UTF-16 by NUL bytes at every other position;
- other binary data by NUL bytes;
- legacy Arabic code pages by decoding trials: Windows-1256 defines every byte, ISO-8859-6
  leaves many undefined (among them the bytes of ك ف ق in Windows-1256), and of the trials that
  succeed the one giving the most Arabic characters wins; Windows-1252 (Western European) when
  neither gives Arabic but it gives letters;
- mojibake inside valid UTF-8: runs of Latin-1 characters that turn into Arabic once encoded
  back as Windows-1252 and decoded as UTF-8 or Windows-1256 (`Ø§Ù„Ø¹Ø±Ø¨ÙŠØ©`, `ÇáÚÑÈíÉ`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SNIFF_BYTES = 8192

_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or a .docx, .xlsx or .odt document)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document (.doc, .xls)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\x7fELF", "a program (ELF)"),
    (b"SQLite format 3\x00", "an SQLite database"),
)
_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32LE"),
    (b"\x00\x00\xfe\xff", "UTF-32BE"),
    (b"\xff\xfe", "UTF-16LE"),
    (b"\xfe\xff", "UTF-16BE"),
)
# (label for people, iconv name, Python codec, what counts as a good character)
_LEGACY = (
    ("Windows-1256 (Arabic)", "WINDOWS-1256", "cp1256", "arabic"),
    ("ISO-8859-6 (Arabic)", "ISO-8859-6", "iso8859_6", "arabic"),
    ("Windows-1252 (Western European)", "WINDOWS-1252", "cp1252", "letter"),
)
_MIN_SCORE = 0.7
_ARABIC = re.compile("[\u0600-\u06ff]")
_ARABIC_WORD = re.compile("[\u0600-\u06ff]{2,}")
# Characters that Windows-1252 maps bytes 0x80-0xFF to, as runs of at least two.
_CP1252_RUN = re.compile(
    "[\u0080-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]{2,}"
)
_MOJIBAKE_MIN_LETTERS = 8


def _signature(data: bytes) -> str | None:
    return next((kind for magic, kind in _SIGNATURES if data.startswith(magic)), None)


def wide_encoding(data: bytes) -> str | None:
    """`UTF-16LE`, `UTF-16BE`, `UTF-32LE` or `UTF-32BE` when the bytes look like it."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    head = data[:SNIFF_BYTES]
    if len(head) < 16:
        return None
    even, odd = head[0::2], head[1::2]
    for zeros, other, name in ((odd, even, "UTF-16LE"), (even, odd, "UTF-16BE")):
        if zeros.count(0) > 0.3 * len(zeros) and other.count(0) < 0.05 * len(other):
            try:
                head[: len(head) // 2 * 2].decode(name.lower().replace("utf-", "utf_"))
            except UnicodeDecodeError:
                continue
            return name
    return None


def _score(text: str, good: str) -> float:
    """Share of non-ASCII characters that are good: for Arabic, letters in runs of two or more
    (Arabic words; a Western accent read as Arabic stands alone between Latin letters)."""
    wide = sum(1 for ch in text if ord(ch) > 0x7F and not ch.isspace())
    if not wide:
        return 0.0
    if good == "arabic":
        return sum(len(word) for word in _ARABIC_WORD.findall(text)) / wide
    return sum(1 for ch in text if ord(ch) > 0x7F and ch.isalpha()) / wide


def legacy_encodings(data: bytes) -> list[tuple[str, str]]:
    """(label, iconv name) of the legacy encodings the bytes read best in; ties all listed."""
    scored: list[tuple[float, int, str, str]] = []
    for rank, (label, iconv, codec, good) in enumerate(_LEGACY):
        if scored and good == "letter":
            break  # an Arabic reading beats a Western one
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        score = _score(text, good)
        if score >= _MIN_SCORE:
            scored.append((score, -rank, label, iconv))
    if not scored:
        return []
    best = max(score for score, *_ in scored)
    return [
        (label, iconv) for score, _, label, iconv in sorted(scored, reverse=True) if score == best
    ]


def describe_binary(data: bytes, utf8: bool = False) -> str | None:
    """Why `data` is not text at all (a file signature, UTF-16/32, NUL bytes), or None.

    In bytes that are valid UTF-8 (`utf8`) a few NUL characters are stray control characters
    in text; binary data has more than four, and more than one in a hundred bytes.
    """
    kind = _signature(data)
    if kind:
        return f"not a text file: it looks like {kind}"
    wide = wide_encoding(data)
    if wide:
        return f"the file is {wide} text, not UTF-8; convert it, e.g. `iconv -f {wide} -t UTF-8`"
    head = data[:SNIFF_BYTES]
    if head.count(0) > (max(4, len(head) // 100) if utf8 else 0):
        return "not a text file: it is binary data (it has NUL bytes)"
    return None


def describe_undecodable(data: bytes, position: int | None = None) -> str:
    """Why `data` is not UTF-8 text, naming what it looks like and how to convert it.

    `position` is the offset of the first byte that is not UTF-8, when known.
    """
    binary = describe_binary(data)
    if binary:
        return binary
    found = legacy_encodings(data)
    if not found:
        where = f"byte 0x{data[position]:02X} is not UTF-8 and " if position is not None else ""
        return f"the file is not UTF-8 text: {where}the encoding is unknown; save it as UTF-8"
    names = " or ".join(label for label, _ in found)
    return (
        f"the file is not UTF-8 text: it looks like {names}; "
        f"convert it, e.g. `iconv -f {found[0][1]} -t UTF-8`"
    )


@dataclass(frozen=True)
class Mojibake:
    """Garbled text in a UTF-8 file: where, what it shows and what it should have said."""

    offset: int
    shown: str
    meant: str
    encoding: str


def _repair(run: str) -> tuple[str, str] | None:
    """(text, encoding) of a Windows-1252 run read back as UTF-8 or Windows-1256."""
    raw = bytearray()
    for ch in run:
        try:
            raw += ch.encode("cp1252")
        except UnicodeEncodeError:
            if ord(ch) > 0xFF:
                return None
            raw.append(ord(ch))  # bytes 0x81, 0x8D … that Windows-1252 leaves undefined
    for codec, label in (("utf-8", "UTF-8"), ("cp1256", "Windows-1256")):
        try:
            return bytes(raw).decode(codec), label
        except UnicodeDecodeError:
            continue
    return None  # pragma: no cover - cp1256 decodes every byte


def find_mojibake(text: str) -> Mojibake | None:
    """The first garbled run when most non-ASCII text of `text` is Arabic read through the
    wrong encoding; None for genuine Latin-1 letters (`Größe`, `déjà`) and for clean text."""
    runs = list(_CP1252_RUN.finditer(text))
    if not runs:
        return None
    wide = len(text) - len(text.encode("ascii", "ignore"))
    first: Mojibake | None = None
    garbled = recovered = 0
    for match in runs:
        repaired = _repair(match.group())
        if repaired is None:
            continue
        meant, encoding = repaired
        letters = sum(1 for ch in meant if _ARABIC.match(ch))
        if letters * 2 < len(meant):
            continue
        garbled += len(match.group())
        recovered += letters
        if first is None:
            first = Mojibake(match.start(), match.group(), meant, encoding)
    if recovered >= _MOJIBAKE_MIN_LETTERS and garbled >= _MIN_SCORE * wide:
        return first
    return None

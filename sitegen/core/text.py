"""Text helpers shared by every stage: Arabic-aware slugs and normalisation."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from itertools import filterfalse

# Arabic tashkeel (harakat, tanwin, shadda, sukun, dagger alef …) and Quranic marks.
_TASHKEEL = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")
_TATWEEL = "\u0640"
# The zero-width non-joiner (the Persian half-space) and joiner: they change how the letters
# around them are drawn, so text and slugs keep them (slugs only inside a word).
ZERO_WIDTH_JOINERS = "\u200c\u200d"
# Bidi controls and the other zero-width characters: never in a slug.
_IGNORABLE_CHARACTERS = "\u200b\u200e\u200f\u202a-\u202e\u2060-\u2069\ufeff\u00ad\u061c"
_IGNORABLE = re.compile(f"[{_IGNORABLE_CHARACTERS}]")
# Those and the joiners: nothing a key for matching words needs.
_INVISIBLE_CHARACTERS = _IGNORABLE_CHARACTERS + ZERO_WIDTH_JOINERS
_INVISIBLE = re.compile(f"[{_INVISIBLE_CHARACTERS}]")
_INVISIBLE_EDGES = re.compile(f"^[\\s{_INVISIBLE_CHARACTERS}]+|[\\s{_INVISIBLE_CHARACTERS}]+$")
# Explicit bidi embeddings, overrides and isolates (LRE RLE PDF LRO RLO, LRI RLI FSI PDI): the
# characters of "Trojan Source" that reorder the text around them. Marks (LRM, RLM, ALM) stay.
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_BIDI_CONTROL = re.compile(f"[{BIDI_CONTROLS}]")
_SEPARATORS = re.compile(r"[\s_\-\u2010-\u2015/\\]+")
# Slugs become folder names: most file systems allow 255 bytes per name.
SLUG_MAX_BYTES = 200
# Characters that a URL path segment or a folder name must not contain.
_UNSAFE_SEGMENT = re.compile(r"[/\\?#%\s\x00-\x1f\x7f]")


def plural(count: int, noun: str, nouns: str = "") -> str:
    """A count and its English noun for sitegen's own messages: `1 file`, `0 files`,
    `12,389 pages`, `2 entries` with `nouns="entries"`. (Text for readers is translated by the
    theme's gettext catalogs, with each language's plural forms.)"""
    return f"{count:,} {noun if count == 1 else nouns or noun + 's'}"


def strip_tashkeel(text: str) -> str:
    """Remove Arabic diacritics and tatweel."""
    return _TASHKEEL.sub("", text).replace(_TATWEEL, "")


def strip_invisible(text: str) -> str:
    """Remove bidi controls and zero-width characters, joiners too: for matching, not display."""
    return _INVISIBLE.sub("", text)


def trim(text: str) -> str:
    """`text` without white space and invisible characters at either end (inside, they stay)."""
    return _INVISIBLE_EDGES.sub("", text)


def strip_bidi_controls(text: str) -> str:
    """Remove explicit bidi embeddings, overrides and isolates, which can reorder the text
    around them (Trojan Source); keep the LRM/RLM/ALM marks and zero-width joiners."""
    return _BIDI_CONTROL.sub("", text)


@lru_cache(maxsize=1 << 17)
def slugify(text: str, max_bytes: int = SLUG_MAX_BYTES) -> str:
    """A URL slug: Unicode words kept, diacritics, tatweel and punctuation dropped, `-` joined.

    `slugify("واشنطن: لدينا تساؤلاتٌ")` → `واشنطن-لدينا-تساؤلات`. Latin letters are lowercased.
    A ZWNJ or ZWJ between two letters stays (`می‌خواهم`); other invisible characters go.
    The result never contains `/`, `\\` or `.`, has at most `max_bytes` bytes in UTF-8 (cut
    after a whole word when it can), and slugify is idempotent.
    """
    text = _IGNORABLE.sub("", strip_tashkeel(unicodedata.normalize("NFKC", text)))
    words = (_slug_word(chunk).lower() for chunk in _SEPARATORS.split(text))
    return fit_slug(unicodedata.normalize("NFKC", "-".join(w for w in words if w)), max_bytes)


def _is_letter(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "LM"


@lru_cache(maxsize=1 << 16)
def _slug_word(chunk: str) -> str:
    """The letters, marks and digits of `chunk`, and each joiner that sits between two letters.
    Kept by word: 10,000 titles of news hold 100,000 words but 1,300 different ones, and a
    check per character made most of the model stage's `slugify` time (0.15 s → 0.06 s)."""
    return "".join(
        ch
        for i, ch in enumerate(chunk)
        if unicodedata.category(ch)[0] in "LNM"
        or (
            ch in ZERO_WIDTH_JOINERS
            and 0 < i < len(chunk) - 1
            and _is_letter(chunk[i - 1])
            and _is_letter(chunk[i + 1])
        )
    )


def fit_slug(slug: str, max_bytes: int) -> str:
    """Shorten a `-` joined slug to `max_bytes` UTF-8 bytes: whole words first, else cut."""
    while len(slug.encode()) > max_bytes:
        head, dash, _ = slug.rpartition("-")
        if dash and head:
            slug = head
            continue
        # Cut the last word; normalising the cut can lengthen it, so cut shorter until it fits.
        limit = max_bytes
        while True:
            cut = slug.encode()[:limit].decode(errors="ignore").rstrip(ZERO_WIDTH_JOINERS)
            cut = unicodedata.normalize("NFKC", cut)
            if len(cut.encode()) <= max_bytes:
                return cut
            limit -= 1
    return slug


def is_safe_segment(text: str) -> bool:
    """True for a single URL path segment / folder name: not empty, `.` or `..`, and without
    `/`, `\\`, `?`, `#`, `%`, white space or control characters."""
    return text not in ("", ".", "..") and not _UNSAFE_SEGMENT.search(text)


def fold(text: str) -> str:
    """A matching key: no tashkeel, hamza-alef forms as ا, ى as ي, ة as ه, Latin case folded.

    Only for comparing words (month names, spelling variants), never for display.
    """
    return strip_tashkeel(text).translate(_LETTER_FOLD).casefold()


def to_western_digits(text: str) -> str:
    """Replace Eastern Arabic (٠-٩) and Persian (۰-۹) digits by 0-9."""
    return text.translate(_DIGITS)


def sort_key(text: str) -> str:
    """A key that orders Arabic names sensibly: alef forms, tashkeel and case folded."""
    text = strip_tashkeel(text).translate(_ALEF_FOLD)
    return text.casefold()


_ALEF_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا"})
_LETTER_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه"})
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "0123456789" * 2)


# Combining marks of the scripts sitegen serves (generic, Hebrew, Arabic, Syriac, Thaana, Arabic
# extended): `\w` does not match them, yet they sit inside words (كَتَبَ is one word).
_MARKS = (
    "\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670"
    "\u06d6-\u06ed\u0711\u0730-\u074a\u07a6-\u07b0\u0898-\u089f\u08ca-\u08ff"
    "\ufe00-\ufe0f\ufe20-\ufe2f"
)
# Characters that join two word parts: the Persian half-space (ZWNJ), ZWJ, hyphens, apostrophes,
# and digit group/decimal signs (COVID-19, می‌خواهم, 3,500 and ٥٫٢ are one word each).
_JOINERS = "\u200c\u200d'’\u2010\u2011.,٫٬-"
_WORD_PART = f"[^\\W_][\\w{_MARKS}]*"
_WORD = re.compile(f"{_WORD_PART}(?:[{_JOINERS}]+{_WORD_PART})*")


def count_words(text: str) -> int:
    r"""Words of running text, with Arabic word boundaries: tashkeel, tatweel and the Persian
    half-space stay inside a word; punctuation, spaces and Arabic commas separate words.

    No word holds white space, and a run of letters and digits between two spaces (`str.isalnum`,
    which is `[^\W_]` character by character) is one word: only the other runs are matched.
    """
    runs = text.split()
    others = list(filterfalse(str.isalnum, runs))
    return len(runs) - len(others) + len(_WORD.findall(" ".join(others)))


def squash_space(text: str) -> str:
    """Collapse runs of white space into one space and trim."""
    return " ".join(text.split())

"""Text helpers shared by every stage: Arabic-aware slugs and normalisation."""

from __future__ import annotations

import re
import unicodedata

# Arabic tashkeel (harakat, tanwin, shadda, sukun, dagger alef …) and Quranic marks.
_TASHKEEL = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")
_TATWEEL = "\u0640"
# Bidi controls and zero-width characters never belong in a slug or a key.
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\u00ad\u061c]")
_SEPARATORS = re.compile(r"[\s_\-\u2010-\u2015/\\]+")


def strip_tashkeel(text: str) -> str:
    """Remove Arabic diacritics and tatweel."""
    return _TASHKEEL.sub("", text).replace(_TATWEEL, "")


def strip_invisible(text: str) -> str:
    """Remove bidi controls and zero-width characters."""
    return _INVISIBLE.sub("", text)


def slugify(text: str) -> str:
    """A URL slug: Unicode words kept, diacritics, tatweel and punctuation dropped, `-` joined.

    `slugify("واشنطن: لدينا تساؤلاتٌ")` → `واشنطن-لدينا-تساؤلات`. Latin letters are lowercased.
    The result never contains `/`, `\\` or `.`, and slugify is idempotent.
    """
    text = strip_invisible(strip_tashkeel(unicodedata.normalize("NFKC", text)))
    words = []
    for chunk in _SEPARATORS.split(text):
        word = "".join(ch for ch in chunk if unicodedata.category(ch)[0] in "LNM")
        if word:
            words.append(word.lower())
    return unicodedata.normalize("NFKC", "-".join(words))


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


def squash_space(text: str) -> str:
    """Collapse runs of white space into one space and trim."""
    return " ".join(text.split())

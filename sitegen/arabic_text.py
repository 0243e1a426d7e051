"""Small Arabic text normalisations shared by the date parser, the news text reader and slugs."""

from __future__ import annotations

import re

# Harakat, tanween, shadda, sukun, superscript alef and Quranic annotation marks.
_TASHKEEL = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed]")
_TATWEEL = "\u0640"
# Zero-width and bidi control characters that scraped text often carries.
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\u061c\ufeff]")
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "0123456789" * 2)
_LETTER_FOLDS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه"})


def strip_tashkeel(text: str) -> str:
    """Remove diacritics (tashkeel) and tatweel."""
    return _TASHKEEL.sub("", text).replace(_TATWEEL, "")


def strip_invisible(text: str) -> str:
    """Remove zero-width and bidi control characters."""
    return _INVISIBLE.sub("", text)


def to_western_digits(text: str) -> str:
    """Replace Eastern Arabic (٠-٩) and Persian (۰-۹) digits by 0-9."""
    return text.translate(_DIGITS)


def fold(text: str) -> str:
    """A matching key: no tashkeel, hamza-alef forms as ا, ى as ي, ة as ه, Latin lower case.

    Only for comparing words (month names, spelling variants), never for display.
    """
    return strip_tashkeel(text).translate(_LETTER_FOLDS).casefold()

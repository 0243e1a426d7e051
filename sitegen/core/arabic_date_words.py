"""The words of Arabic date lines and how a line is cut into tokens: month names of the three
regional calendars, Hijri months, weekdays, periods of the day, labels and zone names, keyed by
their folded spelling; used by `arabic_dates` to read a line and to tell a date-like line."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TypeVar

from sitegen.core.text import fold, strip_invisible, strip_tashkeel, to_western_digits

V = TypeVar("V")


class Phrases(dict[tuple[str, ...], V]):
    """Phrases keyed by their folded words (so spelling variants of hamza, ى and ة match),
    with the set of first words for a quick miss."""

    def __init__(self, entries: Mapping[str, V]) -> None:
        super().__init__({tuple(fold(phrase).split()): value for phrase, value in entries.items()})
        self.first_words = {key[0] for key in self}


MONTHS = Phrases(
    {
        # Egyptian / Gulf, Levantine / Iraqi, Maghrebi (Algeria, Tunisia; Morocco) names.
        "يناير": 1, "كانون الثاني": 1, "كانون ثاني": 1, "جانفي": 1,
        "فبراير": 2, "شباط": 2, "فيفري": 2,
        "مارس": 3, "آذار": 3,
        "أبريل": 4, "نيسان": 4, "أفريل": 4,
        "مايو": 5, "أيار": 5, "مايس": 5, "ماي": 5,
        "يونيو": 6, "يونيه": 6, "حزيران": 6, "جوان": 6,
        "يوليو": 7, "يوليه": 7, "تموز": 7, "جويلية": 7, "يوليوز": 7,
        "أغسطس": 8, "آب": 8, "أوت": 8, "غشت": 8, "أغشت": 8,
        "سبتمبر": 9, "أيلول": 9, "شتنبر": 9,
        "أكتوبر": 10, "تشرين الأول": 10, "تشرين أول": 10,
        "نوفمبر": 11, "تشرين الثاني": 11, "تشرين ثاني": 11, "نونبر": 11,
        "ديسمبر": 12, "كانون الأول": 12, "كانون أول": 12, "دجنبر": 12,
    }
)  # fmt: skip
HIJRI_MONTHS = Phrases(
    {
        "محرم": 1, "المحرم": 1, "صفر": 2,
        "ربيع الأول": 3, "ربيع أول": 3,
        "ربيع الآخر": 4, "ربيع الثاني": 4, "ربيع ثاني": 4,
        "جمادى الأولى": 5, "جمادى الأول": 5, "جمادى أولى": 5,
        "جمادى الآخرة": 6, "جمادى الآخر": 6, "جمادى الثانية": 6, "جمادى الثاني": 6,
        "رجب": 7, "شعبان": 8, "رمضان": 9, "شوال": 10,
        "ذو القعدة": 11, "ذي القعدة": 11, "ذو الحجة": 12, "ذي الحجة": 12,
    }
)  # fmt: skip
# Python's weekday numbers: Monday is 0.
WEEKDAY_NAMES = ("الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد")
WEEKDAYS = Phrases(
    {name: number for number, name in enumerate(WEEKDAY_NAMES)}
    | {name.removeprefix("ال"): number for number, name in enumerate(WEEKDAY_NAMES)}
    | {"الثلاثا": 1, "الاربعا": 2}
)
_AM, _PM = range(0, 12), range(12, 24)
PERIODS = Phrases(
    {
        "ص": _AM, "صباحا": _AM, "صباح": _AM, "صباحاً": _AM, "am": _AM, "قبل الظهر": _AM,
        "م": _PM, "مساء": _PM, "مساءً": _PM, "مساءا": _PM, "pm": _PM, "بعد الظهر": _PM,
        "ظهرا": range(11, 16), "ظهراً": range(11, 16), "الظهر": range(11, 16),
        "عصرا": range(14, 19), "عصراً": range(14, 19), "العصر": range(14, 19),
        "فجرا": range(0, 7), "فجراً": range(0, 7), "الفجر": range(0, 7),
        "ليلا": (*range(19, 24), *range(0, 5)), "ليلاً": (*range(19, 24), *range(0, 5)),
    }
)  # fmt: skip
ERA = Phrases({"م": "ce", "ميلادي": "ce", "ميلادية": "ce", "هـ": "ah", "هجري": "ah", "هجرية": "ah"})
LABELS = Phrases(
    dict.fromkeys(
        ("نشر", "نشر في", "نشر بتاريخ", "تم النشر", "تم النشر في", "تاريخ النشر", "بتاريخ",
         "التاريخ", "تاريخ"),
        True,
    )
)  # fmt: skip
HOUR_WORDS = Phrases({"الساعة": True, "في الساعة": True})
WEEKDAY_PREFIX = Phrases({"يوم": True})
CONNECTORS = Phrases({"الموافق": True, "الموافق لـ": True})
ZONE_LABELS = Phrases({"بتوقيت": True, "توقيت": True})
UTC_NAMES = Phrases(dict.fromkeys(("GMT", "UTC", "غرينتش", "جرينتش", "غرينيتش", "ت . غ"), True))
SEPARATORS = set(",،-–—|/:؛;.()•·")

VOCABULARY = [
    MONTHS, HIJRI_MONTHS, WEEKDAYS, PERIODS, ERA, LABELS, HOUR_WORDS, WEEKDAY_PREFIX,
    CONNECTORS, ZONE_LABELS, UTC_NAMES,
]  # fmt: skip
DATE_WORDS = [MONTHS, HIJRI_MONTHS, WEEKDAYS]

TOKEN_PATTERN = re.compile(
    r"(?P<time>[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?)(?![0-9])"
    r"|(?P<numdate>[0-9]{1,4}(?P<sep>[/.\-])[0-9]{1,2}(?P=sep)[0-9]{1,4})(?![0-9])"
    r"|(?P<num>[0-9]+)"
    r"|(?P<word>[^\W\d_]+)"
    r"|(?P<punct>\S)"
)


@dataclass(frozen=True)
class Token:
    kind: str  # time, numdate, num, word or punct
    text: str  # as written, without tashkeel, with Western digits
    key: str  # folded text, for table look-ups
    start: int  # offsets in the cleaned line, to tell `GMT+3` from `GMT - 3`
    end: int


def tokenize(text: str) -> list[Token]:
    clean = to_western_digits(strip_tashkeel(strip_invisible(text)))
    tokens = []
    for match in TOKEN_PATTERN.finditer(clean):
        kind = next(name for name in ("time", "numdate", "num", "word", "punct") if match[name])
        tokens.append(Token(kind, match[0], fold(match[0]), match.start(), match.end()))
    return tokens


def match_phrase(tokens: list[Token], pos: int, table: Phrases[V]) -> tuple[V, int] | None:
    """The longest phrase of `table` starting at `pos`: (its value, the position after it)."""
    if pos >= len(tokens) or tokens[pos].key not in table.first_words:
        return None
    for length in (3, 2, 1):
        key = tuple(t.key for t in tokens[pos : pos + length])
        if len(key) == length and key in table:
            return table[key], pos + length
    return None


def phrase_length(tokens: list[Token], pos: int, tables: list[Phrases]) -> int:
    found = (match_phrase(tokens, pos, table) for table in tables)
    return next((end - pos for match in found if match for _, end in [match]), 0)


def is_date_like(text: str) -> bool:
    """True when a line looks like an attempt at a date line, readable or not.

    It holds a number, a date word (month or weekday name) or a time or numeric date, and at
    most two words outside the date vocabulary. Used to report an unreadable date line at its
    line instead of saying that none was found.
    """
    tokens = tokenize(text)
    if not tokens or len(tokens) > 30:
        return False
    numbers = any(t.kind in ("num", "time", "numdate") for t in tokens)
    strong = any(t.kind in ("time", "numdate") for t in tokens)
    unknown, pos = 0, 0
    while pos < len(tokens):
        if tokens[pos].kind != "word":
            pos += 1
            continue
        strong = strong or phrase_length(tokens, pos, DATE_WORDS) > 0
        length = phrase_length(tokens, pos, VOCABULARY)
        unknown += length == 0
        pos += max(length, 1)
    return numbers and strong and unknown <= 2

"""Read Arabic news date lines such as `الجمعة ٧ يناير ٢٠٢٢ الساعة ١٢:٥٧ صباحاً`.

A date line is a sequence of parts, each at most once, in any order, separated by spaces or
`، , - – — | / : ؛ . ( )`:

- an optional publication label at the start: `نشر في:`, `تاريخ النشر`, `بتاريخ` …
- an optional weekday (`الجمعة`, `يوم الجمعة`); it must agree with the date.
- the Gregorian date (required): `٧ يناير ٢٠٢٢`, `يناير 7، 2022`, `7 كانون الثاني/يناير 2022`,
  `7 تشرين الأول (أكتوبر) 2022`, or numeric `7/1/2022`, `07-01-2022`, `2022/01/07` (day first
  unless the year comes first), with an optional `م`/`ميلادي` era. Month names of the Egyptian/Gulf,
  Levantine/Iraqi and Maghrebi calendars, with common spelling variants; two names for one
  month must agree. Years have four digits and lie in 1900–2100.
- an optional Hijri date (`٤ جمادى الآخرة ١٤٤٣ هـ`, `1443/6/4 هـ`), checked against the Gregorian
  date with hijridate (Umm al-Qura) within two days, since local moon sighting differs; outside
  hijridate's table (1343–1500 AH) it is not checked. A Hijri date alone is an error.
- an optional time: `[الساعة] hh:mm[:ss]` (or `الساعة hh`) with an optional period: `ص`/`صباحاً`
  (00–11), `م`/`مساءً` (12–23), `ظهراً` (11–15), `عصراً` (14–18), `فجراً` (00–06), `ليلاً` (19–04),
  `AM`/`PM`. A 12-hour hour maps into the period (`12:57 صباحاً` is 00:57, `12:10 مساءً` is
  12:10); an hour that fits no reading is an error. No period means a 24-hour clock; no time
  means midnight.
- an optional zone: `GMT`, `UTC`, `بتوقيت غرينتش`, `ت.غ`, with an optional offset (`GMT+3`); the
  result is then converted to the site zone. Other named zones are errors.

Digits may be Eastern Arabic (٠-٩), Persian (۰-۹) or Western, mixed. Without a zone the
site timezone applies to the local time; a local time that a clock change skipped is an error.
Anything else on the line is an error: a date is never guessed.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from typing import TypeVar

from hijridate import Hijri

from sitegen.core.text import fold, strip_invisible, strip_tashkeel, to_western_digits

V = TypeVar("V")

MIN_YEAR, MAX_YEAR = 1900, 2100
HIJRI_TOLERANCE_DAYS = 2


class ArabicDateError(ValueError):
    """A date line that cannot be read; `message` says why (the caller adds path:line)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class _Phrases(dict[tuple[str, ...], V]):
    """Phrases keyed by their folded words (so spelling variants of hamza, ى and ة match),
    with the set of first words for a quick miss."""

    def __init__(self, entries: Mapping[str, V]) -> None:
        super().__init__({tuple(fold(phrase).split()): value for phrase, value in entries.items()})
        self.first_words = {key[0] for key in self}


_MONTHS = _Phrases(
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
_HIJRI_MONTHS = _Phrases(
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
_WEEKDAYS = _Phrases(
    {name: number for number, name in enumerate(WEEKDAY_NAMES)}
    | {name.removeprefix("ال"): number for number, name in enumerate(WEEKDAY_NAMES)}
    | {"الثلاثا": 1, "الاربعا": 2}
)
_AM, _PM = range(0, 12), range(12, 24)
_PERIODS = _Phrases(
    {
        "ص": _AM, "صباحا": _AM, "صباح": _AM, "صباحاً": _AM, "am": _AM, "قبل الظهر": _AM,
        "م": _PM, "مساء": _PM, "مساءً": _PM, "مساءا": _PM, "pm": _PM, "بعد الظهر": _PM,
        "ظهرا": range(11, 16), "ظهراً": range(11, 16), "الظهر": range(11, 16),
        "عصرا": range(14, 19), "عصراً": range(14, 19), "العصر": range(14, 19),
        "فجرا": range(0, 7), "فجراً": range(0, 7), "الفجر": range(0, 7),
        "ليلا": (*range(19, 24), *range(0, 5)), "ليلاً": (*range(19, 24), *range(0, 5)),
    }
)  # fmt: skip
_ERA = _Phrases(
    {"م": "ce", "ميلادي": "ce", "ميلادية": "ce", "هـ": "ah", "هجري": "ah", "هجرية": "ah"}
)
_LABELS = _Phrases(
    dict.fromkeys(
        ("نشر", "نشر في", "نشر بتاريخ", "تم النشر", "تم النشر في", "تاريخ النشر", "بتاريخ",
         "التاريخ", "تاريخ"),
        True,
    )
)  # fmt: skip
_HOUR_WORDS = _Phrases({"الساعة": True, "في الساعة": True})
_WEEKDAY_PREFIX = _Phrases({"يوم": True})
_CONNECTORS = _Phrases({"الموافق": True, "الموافق لـ": True})
_ZONE_LABELS = _Phrases({"بتوقيت": True, "توقيت": True})
_UTC_NAMES = _Phrases(dict.fromkeys(("GMT", "UTC", "غرينتش", "جرينتش", "غرينيتش", "ت . غ"), True))
_SEPARATORS = set(",،-–—|/:؛;.()•·")

_VOCABULARY = [
    _MONTHS, _HIJRI_MONTHS, _WEEKDAYS, _PERIODS, _ERA, _LABELS, _HOUR_WORDS, _WEEKDAY_PREFIX,
    _CONNECTORS, _ZONE_LABELS, _UTC_NAMES,
]  # fmt: skip
_DATE_WORDS = [_MONTHS, _HIJRI_MONTHS, _WEEKDAYS]

_TOKEN = re.compile(
    r"(?P<time>[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?)(?![0-9])"
    r"|(?P<numdate>[0-9]{1,4}(?P<sep>[/.\-])[0-9]{1,2}(?P=sep)[0-9]{1,4})(?![0-9])"
    r"|(?P<num>[0-9]+)"
    r"|(?P<word>[^\W\d_]+)"
    r"|(?P<punct>\S)"
)


@dataclass(frozen=True)
class _Token:
    kind: str  # time, numdate, num, word or punct
    text: str  # as written, without tashkeel, with Western digits
    key: str  # folded text, for table look-ups
    start: int  # offsets in the cleaned line, to tell `GMT+3` from `GMT - 3`
    end: int


def _tokenize(text: str) -> list[_Token]:
    clean = to_western_digits(strip_tashkeel(strip_invisible(text)))
    tokens = []
    for match in _TOKEN.finditer(clean):
        kind = next(name for name in ("time", "numdate", "num", "word", "punct") if match[name])
        tokens.append(_Token(kind, match[0], fold(match[0]), match.start(), match.end()))
    return tokens


def _match(tokens: list[_Token], pos: int, table: _Phrases[V]) -> tuple[V, int] | None:
    """The longest phrase of `table` starting at `pos`: (its value, the position after it)."""
    if pos >= len(tokens) or tokens[pos].key not in table.first_words:
        return None
    for length in (3, 2, 1):
        key = tuple(t.key for t in tokens[pos : pos + length])
        if len(key) == length and key in table:
            return table[key], pos + length
    return None


def _phrase_length(tokens: list[_Token], pos: int, tables: list[_Phrases]) -> int:
    found = (_match(tokens, pos, table) for table in tables)
    return next((end - pos for match in found if match for _, end in [match]), 0)


def is_date_like(text: str) -> bool:
    """True when a line looks like an attempt at a date line, readable or not.

    It holds a number, a date word (month or weekday name) or a time or numeric date, and at
    most two words outside the date vocabulary. Used to report an unreadable date line at its
    line instead of saying that none was found.
    """
    tokens = _tokenize(text)
    if not tokens or len(tokens) > 30:
        return False
    numbers = any(t.kind in ("num", "time", "numdate") for t in tokens)
    strong = any(t.kind in ("time", "numdate") for t in tokens)
    unknown, pos = 0, 0
    while pos < len(tokens):
        if tokens[pos].kind != "word":
            pos += 1
            continue
        strong = strong or _phrase_length(tokens, pos, _DATE_WORDS) > 0
        length = _phrase_length(tokens, pos, _VOCABULARY)
        unknown += length == 0
        pos += max(length, 1)
    return numbers and strong and unknown <= 2


@dataclass
class _Parts:
    """What a date line said, each part at most once."""

    weekday: tuple[int, str] | None = None
    gregorian: tuple[int, int, int] | None = None
    hijri: tuple[int, int, int] | None = None
    time: tuple[int, int, int] | None = None
    offset: timedelta | None = None


class _LineParser:
    def __init__(self, text: str) -> None:
        self.tokens = _tokenize(text)
        self.pos = 0
        self.parts = _Parts()
        self.taken = ""  # the words of the phrase `take` matched last, as written

    # -- helpers -------------------------------------------------------------------------------
    def peek(self, ahead: int = 0) -> _Token | None:
        index = self.pos + ahead
        return self.tokens[index] if index < len(self.tokens) else None

    def take(self, table: _Phrases[V]) -> V | None:
        found = _match(self.tokens, self.pos, table)
        if found is None:
            return None
        value, end = found
        self.taken = " ".join(t.text for t in self.tokens[self.pos : end])
        self.pos = end
        return value

    def take_punct(self, chars: str) -> bool:
        token = self.peek()
        if token is not None and token.kind == "punct" and token.text in chars:
            self.pos += 1
            return True
        return False

    def set_part(self, name: str, value: object, what: str) -> None:
        if getattr(self.parts, name) is not None:
            raise ArabicDateError(f"the line has two {what}s")
        setattr(self.parts, name, value)

    # -- the line ------------------------------------------------------------------------------
    def parse(self) -> _Parts:
        if not self.tokens:
            raise ArabicDateError("the date line is empty")
        if self.take(_LABELS):
            self.take_punct(":")
        while (token := self.peek()) is not None:
            if token.kind == "punct" and token.text in _SEPARATORS:
                self.pos += 1
            elif not (
                self.take(_CONNECTORS)
                or self.weekday()
                or self.time()
                or self.zone()
                or self.numeric_date()
                or self.named_date()
            ):
                raise ArabicDateError(f"unexpected {token.text!r}")
        return self.parts

    def weekday(self) -> bool:
        start = self.pos
        self.take(_WEEKDAY_PREFIX)
        number = self.take(_WEEKDAYS)
        if number is None:
            self.pos = start
            return False
        self.set_part("weekday", (number, self.taken), "weekday")
        return True

    def time(self) -> bool:
        labelled = self.take(_HOUR_WORDS) is not None
        if labelled:
            self.take_punct(":")
        token = self.peek()
        if token is not None and token.kind == "time":
            hour, minute, second = ([int(n) for n in token.text.split(":")] + [0])[:3]
        elif labelled and token is not None and token.kind == "num" and len(token.text) <= 2:
            hour, minute, second = int(token.text), 0, 0
        elif labelled:
            raise ArabicDateError("no time after الساعة")
        else:
            return False
        self.pos += 1
        if hour > 23 or minute > 59 or second > 59:
            raise ArabicDateError(f"{token.text} is not a time of day")
        period = self.take(_PERIODS)
        if period is not None:
            hour = _hour_in_period(hour, period, f"{token.text} {self.taken}")
        self.set_part("time", (hour, minute, second), "time")
        return True

    def zone(self) -> bool:
        start = self.pos
        labelled = self.take(_ZONE_LABELS) is not None
        if self.take(_UTC_NAMES) is None:
            if labelled:
                rest = " ".join(t.text for t in self.tokens[start:])
                raise ArabicDateError(
                    f"time zone {rest!r} is not supported: name none (the site timezone "
                    "applies) or GMT/UTC with an offset"
                )
            return False
        self.set_part("offset", self.utc_offset(), "time zone")
        return True

    def utc_offset(self) -> timedelta:
        """An offset written right after GMT/UTC, with no space: `GMT+3`, `UTC-03:30`."""
        name, sign, number = self.tokens[self.pos - 1], self.peek(), self.peek(1)
        if sign is None or sign.text not in ("+", "-") or sign.start != name.end:
            return timedelta(0)
        if number is None or number.kind not in ("num", "time") or number.start != sign.end:
            raise ArabicDateError(f"{name.text}{sign.text} needs hours or hh:mm, e.g. GMT+3")
        self.pos += 2
        hours, minutes = ([int(n) for n in number.text.split(":")] + [0])[:2]
        if len(number.text) > 5 or hours > 14 or minutes not in (0, 30, 45):
            raise ArabicDateError(f"{number.text} is not a UTC offset")
        return timedelta(hours=hours, minutes=minutes) * (-1 if sign.text == "-" else 1)

    def numeric_date(self) -> bool:
        """`7/1/2022`, `07-01-2022`, `2022/01/07`; with `هـ` after it, a Hijri date."""
        token = self.peek()
        if token is None or token.kind != "numdate":
            return False
        self.pos += 1
        fields = re.split(r"[/.\-]", token.text)
        if len(fields[0]) == 4:
            year, month, day = fields
        elif len(fields[2]) == 4:
            day, month, year = fields
        else:
            raise ArabicDateError(f"{token.text}: the year must have four digits")
        era = _match(self.tokens, self.pos, _ERA)
        if era is not None and era[0] == "ah":
            self.finish_hijri(int(day), int(month), int(year))
        else:
            self.finish_date(int(day), int(month), int(year), token.text)
        return True

    def named_date(self) -> bool:
        token = self.peek()
        if token is not None and token.kind == "num":
            return self.day_first_date(token)
        if token is not None and token.kind == "word":
            return self.month_first_date(token)
        return False

    def day_first_date(self, day: _Token) -> bool:
        """`٧ يناير ٢٠٢٢`, `٧ كانون الثاني/يناير، ٢٠٢٢`, `7 - يناير - 2022`, or Hijri
        `٤ جمادى الآخرة ١٤٤٣ هـ`."""
        start = self.pos
        self.pos += 1
        self.take_punct("-")
        month_word = self.peek()
        hijri_month = self.take(_HIJRI_MONTHS)
        if hijri_month is not None and month_word is not None:
            self.finish_hijri(_day(day), hijri_month, self.year(month_word.text))
            return True
        month = self.month_names()
        if month is None or month_word is None:
            self.pos = start
            return False
        self.take_punct(",،-")
        self.finish_date(_day(day), month, self.year(month_word.text), month_word.text)
        return True

    def month_first_date(self, month_word: _Token) -> bool:
        """`يناير ٧، ٢٠٢٢`."""
        month = self.month_names()
        if month is None:
            return False
        day = self.peek()
        if day is None or day.kind != "num":
            raise ArabicDateError(f"no day after {month_word.text!r}")
        self.pos += 1
        self.take_punct(",،")
        self.finish_date(_day(day), month, self.year(day.text), month_word.text)
        return True

    def month_names(self) -> int | None:
        """One month name, or two that must agree: `أكتوبر/تشرين الأول`, `تشرين الأول (أكتوبر)`."""
        month = self.take(_MONTHS)
        if month is None:
            return None
        first = self.taken
        after_first = self.pos
        closing = ")" if self.take_punct("(") else None
        if closing is None:
            self.take_punct("/-–—")
        other = self.take(_MONTHS)
        if other is None:
            self.pos = after_first
            return month
        if closing and not self.take_punct(closing):
            raise ArabicDateError(f"missing ')' after {self.taken!r}")
        if other != month:
            raise ArabicDateError(
                f"month names disagree: {first!r} is month {month}, {self.taken!r} is month {other}"
            )
        return month

    def year(self, after: str) -> int:
        token = self.peek()
        if token is None or token.kind != "num":
            raise ArabicDateError(f"no year after {after!r}")
        if len(token.text) != 4:
            raise ArabicDateError(f"year {token.text} must have four digits")
        self.pos += 1
        return int(token.text)

    def finish_date(self, day: int, month: int, year: int, written: str) -> None:
        if self.take(_ERA) == "ah":
            raise ArabicDateError(f"{self.taken!r} (Hijri era) after a Gregorian date")
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise ArabicDateError(f"year {year} is outside {MIN_YEAR}–{MAX_YEAR}")
        if not 1 <= month <= 12:
            raise ArabicDateError(f"{written}: there is no month {month}")
        last = calendar.monthrange(year, month)[1]
        if not 1 <= day <= last:
            month_name = calendar.month_name[month]
            raise ArabicDateError(f"day {day} does not exist in {month_name} {year} ({last} days)")
        self.set_part("gregorian", (year, month, day), "Gregorian date")

    def finish_hijri(self, day: int, month: int, year: int) -> None:
        if self.take(_ERA) == "ce":
            raise ArabicDateError(f"{self.taken!r} (Gregorian era) after a Hijri date")
        if not 1 <= month <= 12 or not 1 <= day <= 30:
            raise ArabicDateError(f"{day}/{month}/{year} is not a Hijri date")
        self.set_part("hijri", (year, month, day), "Hijri date")


def _day(token: _Token) -> int:
    if len(token.text) > 2:
        raise ArabicDateError(f"{token.text} is not a day of the month")
    return int(token.text)


def _hour_in_period(hour: int, period: range | tuple[int, ...], written: str) -> int:
    """The 24-hour hour that `hour` on a 12- or 24-hour clock names within `period`."""
    if hour == 12:
        readings: tuple[int, ...] = (12, 0)
    elif 1 <= hour <= 11:
        readings = (hour, hour + 12)
    else:
        readings = (hour,)
    fitting = [h for h in readings if h in period]
    if len(fitting) != 1:
        raise ArabicDateError(f"{written!r} is not a possible time")
    return fitting[0]


def _check_hijri(hijri: tuple[int, int, int], day: date) -> None:
    year, month, hijri_day = hijri
    try:
        first = Hijri(year, month, 1).to_gregorian()
    except (OverflowError, ValueError):
        return  # outside hijridate's Umm al-Qura table: nothing to check against
    stated = date(first.year, first.month, first.day) + timedelta(days=hijri_day - 1)
    if abs((stated - day).days) > HIJRI_TOLERANCE_DAYS:
        raise ArabicDateError(
            f"Hijri date {hijri_day}/{month}/{year} is {stated.isoformat()}, not {day.isoformat()}"
        )


def _localize(naive: datetime, tz: tzinfo) -> datetime:
    aware = naive.replace(tzinfo=tz)
    if aware.astimezone(UTC).astimezone(tz).replace(tzinfo=None) != naive:
        raise ArabicDateError(f"{naive.isoformat(sep=' ')} does not exist in {tz} (clock change)")
    return aware


def parse_arabic_datetime(text: str, tz: tzinfo) -> datetime:
    """Read an Arabic date line into an aware datetime in `tz` (see the module docstring).

    Raises ArabicDateError, with a message and no location, for anything it cannot read.
    """
    parts = _LineParser(text).parse()
    if parts.gregorian is None:
        if parts.hijri is not None:
            raise ArabicDateError("a Hijri date needs the Gregorian date beside it")
        raise ArabicDateError("no date (day, month, year) on the line")
    day = date(*parts.gregorian)
    if parts.weekday is not None and parts.weekday[0] != day.weekday():
        raise ArabicDateError(
            f"{parts.weekday[1]} does not match {day.isoformat()}, "
            f"which is a {WEEKDAY_NAMES[day.weekday()]}"
        )
    if parts.hijri is not None:
        _check_hijri(parts.hijri, day)
    naive = datetime(*parts.gregorian, *(parts.time or (0, 0, 0)))
    if parts.offset is not None:
        return naive.replace(tzinfo=timezone(parts.offset)).astimezone(tz)
    return _localize(naive, tz)

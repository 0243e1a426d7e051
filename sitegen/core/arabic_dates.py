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
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from typing import TypeVar

from hijridate import Hijri

from sitegen.core.arabic_date_words import (
    CONNECTORS,
    ERA,
    HIJRI_MONTHS,
    HOUR_WORDS,
    LABELS,
    MONTHS,
    PERIODS,
    SEPARATORS,
    UTC_NAMES,
    WEEKDAY_NAMES,
    WEEKDAY_PREFIX,
    WEEKDAYS,
    ZONE_LABELS,
    Phrases,
    Token,
    match_phrase,
    tokenize,
)

V = TypeVar("V")

MIN_YEAR, MAX_YEAR = 1900, 2100
HIJRI_TOLERANCE_DAYS = 2


class ArabicDateError(ValueError):
    """A date line that cannot be read; `message` says why (the caller adds path:line)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


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
        self.tokens = tokenize(text)
        self.pos = 0
        self.parts = _Parts()
        self.taken = ""  # the words of the phrase `take` matched last, as written

    # -- helpers -------------------------------------------------------------------------------
    def peek(self, ahead: int = 0) -> Token | None:
        index = self.pos + ahead
        return self.tokens[index] if index < len(self.tokens) else None

    def take(self, table: Phrases[V]) -> V | None:
        found = match_phrase(self.tokens, self.pos, table)
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
        if self.take(LABELS):
            self.take_punct(":")
        while (token := self.peek()) is not None:
            if token.kind == "punct" and token.text in SEPARATORS:
                self.pos += 1
            elif not (
                self.take(CONNECTORS)
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
        self.take(WEEKDAY_PREFIX)
        number = self.take(WEEKDAYS)
        if number is None:
            self.pos = start
            return False
        self.set_part("weekday", (number, self.taken), "weekday")
        return True

    def time(self) -> bool:
        labelled = self.take(HOUR_WORDS) is not None
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
        period = self.take(PERIODS)
        if period is not None:
            hour = _hour_in_period(hour, period, f"{token.text} {self.taken}")
        self.set_part("time", (hour, minute, second), "time")
        return True

    def zone(self) -> bool:
        start = self.pos
        labelled = self.take(ZONE_LABELS) is not None
        if self.take(UTC_NAMES) is None:
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
        era = match_phrase(self.tokens, self.pos, ERA)
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

    def day_first_date(self, day: Token) -> bool:
        """`٧ يناير ٢٠٢٢`, `٧ كانون الثاني/يناير، ٢٠٢٢`, `7 - يناير - 2022`, or Hijri
        `٤ جمادى الآخرة ١٤٤٣ هـ`."""
        start = self.pos
        self.pos += 1
        self.take_punct("-")
        month_word = self.peek()
        hijri_month = self.take(HIJRI_MONTHS)
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

    def month_first_date(self, month_word: Token) -> bool:
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
        month = self.take(MONTHS)
        if month is None:
            return None
        first = self.taken
        after_first = self.pos
        closing = ")" if self.take_punct("(") else None
        if closing is None:
            self.take_punct("/-–—")
        other = self.take(MONTHS)
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
        if self.take(ERA) == "ah":
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
        if self.take(ERA) == "ce":
            raise ArabicDateError(f"{self.taken!r} (Gregorian era) after a Hijri date")
        if not 1 <= month <= 12 or not 1 <= day <= 30:
            raise ArabicDateError(f"{day}/{month}/{year} is not a Hijri date")
        self.set_part("hijri", (year, month, day), "Hijri date")


def _day(token: Token) -> int:
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

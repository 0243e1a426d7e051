"""Reading dates written by people: ISO 8601 (date-only allowed), else an Arabic date line,
in the site timezone."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from sitegen.core.arabic_date_words import is_date_like
from sitegen.core.arabic_dates import ArabicDateError, parse_arabic_datetime

_FILENAME_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})-")


class DateError(ValueError):
    """A date that cannot be read; the message says why."""


def parse_datetime(value: str, tz: ZoneInfo) -> dt.datetime:
    """An aware datetime from ISO 8601 text, else from an Arabic date line
    (`الجمعة ٧ يناير ٢٠٢٢ الساعة ١٢:٥٧ صباحاً`). Naive values are in `tz`; a date means midnight.
    """
    text = value.strip()
    try:
        if len(text) == 10:
            day = dt.date.fromisoformat(text)
            return dt.datetime(day.year, day.month, day.day, tzinfo=tz)
        parsed = dt.datetime.fromisoformat(text.replace(" ", "T", 1) if "T" not in text else text)
    except ValueError:
        try:
            return parse_arabic_datetime(text, tz)
        except ArabicDateError as exc:
            if is_date_like(text):
                raise DateError(f"cannot read date {value!r}: {exc.message}") from None
            raise DateError(
                f"cannot read date {value!r}; write ISO 8601 such as 2022-01-07T09:30:00+03:00 "
                "or an Arabic date such as ٧ يناير ٢٠٢٢ الساعة ٩:٣٠ ص"
            ) from None
    parsed = parsed if parsed.tzinfo else parsed.replace(tzinfo=tz)
    try:
        parsed.astimezone(dt.UTC).astimezone(tz)
    except OverflowError:
        raise DateError(f"date {value!r} is out of range") from None
    return parsed


def date_from_filename(name: str, tz: ZoneInfo) -> dt.datetime | None:
    """A Jekyll-style `YYYY-MM-DD-title.md` name gives a date (midnight in `tz`)."""
    match = _FILENAME_DATE.match(name)
    if not match:
        return None
    try:
        day = dt.date(*(int(g) for g in match.groups()))
    except ValueError:
        return None
    return dt.datetime(day.year, day.month, day.day, tzinfo=tz)

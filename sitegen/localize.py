"""Dates and numbers for readers: Babel for names, hijridate for the Hijri calendar.

Exposed to templates as Jinja filters (see docs/theming.md). Machine-readable values
(`datetime` attributes, URLs) never go through these filters.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

from babel import Locale
from babel.dates import format_date, format_time
from babel.numbers import format_decimal
from hijridate import Gregorian

from sitegen.config import LocaleConfig, primary_language

EASTERN_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")

# Babel locales whose CLDR data carries each Arabic month-name tradition.
MONTH_NAME_LOCALES = {"egyptian": "ar_EG", "levantine": "ar_SY", "maghrebi": "ar_DZ"}


@dataclass(frozen=True)
class Localizer:
    """Formats dates, times and numbers for one site language and locale settings."""

    language: str
    options: LocaleConfig
    digits: str  # "arabic" | "latin"
    tz: dt.tzinfo = dt.UTC

    @cached_property
    def locale(self) -> Locale:
        """The Babel locale for dates: the month-name style decides the region for Arabic."""
        if self.is_arabic:
            style = self.options.month_names
            return Locale.parse(MONTH_NAME_LOCALES.get(style, "ar_EG"))
        try:
            return Locale.parse(self.language.replace("-", "_"))
        except (ValueError, LookupError):
            return Locale.parse("en")

    @property
    def is_arabic(self) -> bool:
        return primary_language(self.language) == "ar"

    def shown_digits(self, text: str) -> str:
        """Replace Latin digits with the site's reading digits."""
        if self.digits != "arabic":
            return text
        table = PERSIAN_DIGITS if primary_language(self.language) == "fa" else EASTERN_DIGITS
        return text.translate(table)

    def month_name(self, month: int) -> str:
        """The month's name, e.g. يناير, كانون الثاني, or both for the dual style."""
        names = self.locale.months["format"]["wide"]
        if self.is_arabic and self.options.month_names == "dual":
            levant = Locale.parse("ar_SY").months["format"]["wide"]
            return f"{names[month]}/{levant[month]}"
        return names[month]

    def date(self, value: dt.date, style: str = "long") -> str:
        """`long` → ٧ يناير ٢٠٢٢; `full` adds the weekday; `month` → يناير ٢٠٢٢; `year`."""
        if style == "month":
            text = f"{self.month_name(value.month)} {value.year}"
        elif style == "year":
            text = str(value.year)
        elif style == "day":
            text = f"{value.day} {self.month_name(value.month)}"
        else:
            if self.is_arabic and self.options.month_names == "dual":
                text = f"{value.day} {self.month_name(value.month)} {value.year}"
                if style == "full":
                    weekday = format_date(value, "EEEE", locale=self.locale)
                    text = f"{weekday}، {text}"
            else:
                text = format_date(value, style, locale=self.locale)
        return self.shown_digits(text)

    def time(self, value: dt.datetime) -> str:
        """Hours and minutes in the site's style, e.g. ١٢:٥٧ ص."""
        return self.shown_digits(format_time(value, "short", locale=self.locale))

    def hijri(self, value: dt.date) -> str:
        """The Hijri date of a local calendar day, e.g. ٤ جمادى الآخرة ١٤٤٣ هـ ('' out of range)."""
        try:
            h = Gregorian(value.year, value.month, value.day).to_hijri()
        except OverflowError:
            return ""
        lang = "ar" if self.is_arabic else "en"
        return self.shown_digits(f"{h.day} {h.month_name(lang)} {h.year} {h.notation(lang)}")

    def number(self, value: int | float) -> str:
        """A number with the locale's grouping and the site's digits."""
        return self.shown_digits(format_decimal(value, locale=self.locale))

    def iso(self, value: dt.datetime | dt.date) -> str:
        """ISO 8601 for `datetime=` attributes: seconds, UTC offset, Latin digits.

        A calendar day is given as its local midnight, so every value carries the offset.
        """
        if not isinstance(value, dt.datetime):
            value = dt.datetime(value.year, value.month, value.day, tzinfo=self.tz)
        return value.isoformat(timespec="seconds")

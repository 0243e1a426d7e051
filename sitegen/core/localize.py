"""Dates and numbers for readers: Babel for names and patterns, hijridate for the Hijri calendar,
jdatetime for the Solar Hijri (Jalali) one.

Exposed to templates as Jinja filters (see docs/theming.md). Every value is shown in the site
timezone; machine-readable values (`datetime` attributes, URLs) never get reading digits.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from functools import cached_property

from babel import Locale
from babel.dates import (
    format_date,
    format_time,
    format_timedelta,
    match_skeleton,
    tokenize_pattern,
    untokenize_pattern,
)
from babel.numbers import UnsupportedNumberingSystemError, format_decimal
from hijridate import Gregorian
from jdatetime import date as JalaliDate

from sitegen.core.config_sections import LocaleConfig
from sitegen.core.languages import (
    arabic_numbering_system,
    babel_locale,
    default_calendar,
    is_arabic,
    primary_language,
    script_of,
)

EASTERN_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")

# Babel locales whose CLDR data carries each Arabic month-name tradition.
MONTH_NAME_LOCALES = {"egyptian": "ar_EG", "levantine": "ar_SY", "maghrebi": "ar_DZ"}

# Date styles: CLDR's own date formats, or skeletons matched against the locale's patterns.
DATE_FORMATS = ("full", "long", "medium", "short")
DATE_SKELETONS = {"month": "yMMMM", "day": "MMMMd", "year": "y"}
DATE_STYLES = DATE_FORMATS + tuple(DATE_SKELETONS)
HIJRI_STYLES = ("long", "full")
# Styles that name a Gregorian archive period (/YYYY/MM/, /YYYY/): never converted to Jalali.
PERIOD_STYLES = ("month", "year")
# Jalali month names: Persian for Persian, jdatetime's Latin transliteration for the others.
JALALI_MONTHS = {"fa": JalaliDate.j_months_fa}
JALALI_MONTHS_LATIN = JalaliDate.j_months_en
# Given, so jdatetime never asks the process locale (its names are not used).
JALALI_LOCALE = "fa_IR"
_tokens = functools.lru_cache(maxsize=64)(tokenize_pattern)  # the styles' few patterns


@dataclass(frozen=True)
class Localizer:
    """Formats dates, times and numbers for one site language and locale settings.

    `now` is the build time, the reference point of `relative`; `tz` the site timezone.
    """

    language: str
    options: LocaleConfig
    digits: str  # "arabic" | "latin"
    tz: dt.tzinfo = dt.UTC
    now: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))

    @cached_property
    def locale(self) -> Locale:
        """The Babel locale of the site language: patterns, weekdays, times, numbers."""
        return babel_locale(self.language)

    @property
    def is_arabic(self) -> bool:
        return is_arabic(self.language)

    @property
    def calendar(self) -> str:
        """`gregorian` or `jalali`: configured, else the language's (`default_calendar`)."""
        return self.options.calendar or default_calendar(self.language)

    @cached_property
    def month_names(self) -> dict[int, str] | None:
        """Month names replacing the locale's own, for an Arabic month-name style; else None."""
        style = self.options.month_names
        if not self.is_arabic or style is None:
            return None
        if style == "dual":
            egypt = Locale.parse(MONTH_NAME_LOCALES["egyptian"]).months["format"]["wide"]
            levant = Locale.parse(MONTH_NAME_LOCALES["levantine"]).months["format"]["wide"]
            return {m: f"{egypt[m]}/{levant[m]}" for m in range(1, 13)}
        names = Locale.parse(MONTH_NAME_LOCALES[style]).months["format"]["wide"]
        return {m: names[m] for m in range(1, 13)}

    # -- digits ---------------------------------------------------------------------------
    @property
    def numbering_system(self) -> str:
        """CLDR numbering system of the reading digits: `arab`, `arabext` or `latn`."""
        return arabic_numbering_system(self.language) if self.digits == "arabic" else "latn"

    def shown_digits(self, text: str) -> str:
        """Replace Latin digits with the site's reading digits (nothing else changes)."""
        if self.digits != "arabic":
            return text
        table = PERSIAN_DIGITS if self.numbering_system == "arabext" else EASTERN_DIGITS
        return text.translate(table)

    def number(self, value: int | float) -> str:
        """A number with the locale's grouping and decimal signs and the site's digits.

        `1234.5` → `١٬٢٣٤٫٥` (Arabic digits) or `1,234.5` (Latin digits).
        """
        try:
            text = format_decimal(value, locale=self.locale, numbering_system=self.numbering_system)
        except UnsupportedNumberingSystemError:
            text = format_decimal(value, locale=self.locale, numbering_system="latn")
        return self.shown_digits(text)

    # -- dates ----------------------------------------------------------------------------
    def local_time(self, value: dt.datetime | dt.date) -> dt.datetime:
        """A moment in the site timezone: naive datetimes are local, a day is its local midnight."""
        if not isinstance(value, dt.datetime):
            return dt.datetime(value.year, value.month, value.day, tzinfo=self.tz)
        return value.astimezone(self.tz) if value.tzinfo else value.replace(tzinfo=self.tz)

    def local_date(self, value: dt.datetime | dt.date) -> dt.date:
        """The calendar day of a value in the site timezone."""
        return self.local_time(value).date() if isinstance(value, dt.datetime) else value

    def month_name(self, month: int) -> str:
        """The month's name: يناير, كانون الثاني, جانفي, or يناير/كانون الثاني (dual)."""
        if self.month_names is not None:
            return self.month_names[month]
        return self.locale.months["stand-alone"]["wide"][month]

    @cached_property
    def _patterns(self) -> dict[tuple[str, int], str]:
        """`date_pattern` results by (style, month): matching a skeleton costs ~0.1 ms."""
        return {}

    def date_pattern(self, style: str, month: int) -> str:
        """The CLDR pattern of a date style, with the configured month name written in."""
        key = (style, month if self.month_names is not None else 0)
        found = self._patterns.get(key)
        if found is None:
            found = self._patterns[key] = self._date_pattern(style, month)
        return found

    def _date_pattern(self, style: str, month: int) -> str:
        if style in DATE_SKELETONS:
            skeletons = self.locale.datetime_skeletons
            pattern = skeletons[match_skeleton(DATE_SKELETONS[style], skeletons)].pattern
        elif style in DATE_FORMATS:
            pattern = self.locale.date_formats[style].pattern
        else:
            raise ValueError(f"unknown date style {style!r}; use one of {', '.join(DATE_STYLES)}")
        if self.month_names is None:
            return pattern
        tokens = [
            ("chars", self.month_names[month])
            if kind == "field" and value[0] in "ML" and value[1] >= 3
            else (kind, value)
            for kind, value in tokenize_pattern(pattern)
        ]
        return untokenize_pattern(tokens)

    def date(self, value: dt.datetime | dt.date, style: str = "long") -> str:
        """The local calendar day: `long` → ٧ يناير ٢٠٢٢; `full` adds the weekday;
        `medium`, `short` are numeric; `month` → يناير ٢٠٢٢; `day` → ٧ يناير; `year` → ٢٠٢٢.

        In the Jalali calendar the day is its Solar Hijri date in the locale's pattern
        (`long` → ۱۷ دی ۱۴۰۰); `month` and `year` name the Gregorian archive periods.
        """
        day = self.local_date(value)
        pattern = self.date_pattern(style, day.month)
        if self.calendar == "jalali" and style not in PERIOD_STYLES:
            pattern = self._jalali_pattern(pattern, day)
        return self.shown_digits(format_date(day, pattern, locale=self.locale))

    def _jalali_pattern(self, pattern: str, day: dt.date) -> str:
        """A CLDR pattern with its year, month and day fields written in as the Jalali date's
        (weekdays stay Babel's: the day is the same); the pattern itself outside jdatetime's
        range (years 1–9377 of the Solar Hijri era)."""
        try:
            jalali = JalaliDate.fromgregorian(date=day, locale=JALALI_LOCALE)
        except ValueError:
            return pattern
        months = JALALI_MONTHS.get(primary_language(self.language), JALALI_MONTHS_LATIN)
        tokens = []
        for kind, value in _tokens(pattern):
            if kind == "field" and value[0] in "yYuMLd":
                letter, width = value
                number = {"M": jalali.month, "L": jalali.month, "d": jalali.day}.get(letter)
                if letter in "ML" and width >= 3:
                    value = months[jalali.month - 1]
                elif number is not None:
                    value = f"{number:0{width}d}"
                else:
                    value = f"{jalali.year % 100:02d}" if width == 2 else f"{jalali.year:0{width}d}"
                kind = "chars"
            tokens.append((kind, value))
        return untokenize_pattern(tokens)

    def time(self, value: dt.datetime | dt.date) -> str:
        """Hours and minutes in the site timezone, e.g. ١٢:٥٧ ص."""
        return self.shown_digits(format_time(self.local_time(value), "short", locale=self.locale))

    def hijri(self, value: dt.datetime | dt.date, style: str = "long") -> str:
        """The Hijri (Umm al-Qura) date of the local calendar day.

        `long` → ٤ جمادى الآخرة ١٤٤٣ هـ; `full` adds the weekday. Month names are hijridate's
        Arabic ones for languages written in Arabic script (Persian, Urdu too), else its English
        ones. '' outside hijridate's range (1924-08-01 to 2077-11-16).
        """
        if style not in HIJRI_STYLES:
            raise ValueError(f"unknown Hijri style {style!r}; use one of {', '.join(HIJRI_STYLES)}")
        day = self.local_date(value)
        try:
            h = Gregorian.fromdate(day).to_hijri()
        except OverflowError:
            return ""
        lang = "ar" if script_of(self.language) in ("Arab", "Aran") else "en"
        text = f"{h.day} {h.month_name(lang)} {h.year} {h.notation(lang)}"
        if style == "full":
            weekday = format_date(day, "EEEE", locale=self.locale)
            text = f"{weekday} {text}"
        return self.shown_digits(text)

    def relative(self, value: dt.datetime | dt.date) -> str:
        """How long before (or after) the build time, in CLDR words: قبل ٣ ساعات, خلال يومين."""
        delta = self.local_time(value) - self.now
        text = format_timedelta(delta, add_direction=True, locale=self.locale)
        return self.shown_digits(text)

    def iso(self, value: dt.datetime | dt.date) -> str:
        """ISO 8601 for `datetime=` attributes: seconds, the site's UTC offset, Latin digits.

        A calendar day is given as its local midnight, so every value carries the offset.
        """
        return self.local_time(value).isoformat(timespec="seconds")

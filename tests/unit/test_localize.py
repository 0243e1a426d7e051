"""Rendered dates, times, numbers and Hijri dates agree with Babel and hijridate."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import jdatetime
import pytest
from babel import Locale
from babel.dates import format_date, format_skeleton, format_time, format_timedelta
from hijridate import Gregorian

from sitegen.core import localize
from sitegen.core.config_sections import LocaleConfig
from sitegen.core.localize import EASTERN_DIGITS, Localizer

RIYADH = ZoneInfo("Asia/Riyadh")
NOW = dt.datetime(2022, 1, 8, 12, 0, tzinfo=dt.UTC)
STYLE_LOCALES = {"egyptian": "ar_EG", "levantine": "ar_SY", "maghrebi": "ar_DZ"}
MOMENTS = [
    dt.datetime(2022, 1, 7, 0, 57, tzinfo=RIYADH),
    dt.datetime(2023, 9, 30, 23, 5, tzinfo=RIYADH),
    dt.datetime(2024, 2, 29, 12, 0, tzinfo=RIYADH),
    dt.datetime(2024, 12, 1, 8, 30, tzinfo=RIYADH),
]
SKELETONS = {"month": "yMMMM", "day": "MMMMd", "year": "y"}


def localizer(
    language: str = "ar",
    month_names: str | None = None,
    digits: str = "arabic",
    tz: dt.tzinfo = RIYADH,
) -> Localizer:
    return Localizer(language, LocaleConfig(month_names=month_names), digits, tz, NOW)  # type: ignore[arg-type]


def babel_date(value: dt.date, style: str, locale: str) -> str:
    if style in SKELETONS:
        return format_skeleton(SKELETONS[style], value, locale=locale)
    return format_date(value, style, locale=locale)


def eastern(text: str) -> str:
    return text.translate(EASTERN_DIGITS)


@pytest.mark.parametrize("style", ["full", "long", "medium", "short", "month", "day", "year"])
@pytest.mark.parametrize("month_names", ["egyptian", "levantine", "maghrebi"])
@pytest.mark.parametrize("digits", ["arabic", "latin"])
def test_dates_match_babel_in_every_month_name_style(
    style: str, month_names: str, digits: str
) -> None:
    loc = localizer(month_names=month_names, digits=digits)
    for moment in MOMENTS:
        want = babel_date(moment.date(), style, STYLE_LOCALES[month_names])
        assert loc.date(moment, style) == (eastern(want) if digits == "arabic" else want)


@pytest.mark.parametrize("style", ["full", "long", "medium", "short", "month", "day", "year"])
def test_dual_month_names_put_both_traditions_where_babel_puts_the_month(style: str) -> None:
    egypt = Locale.parse("ar_EG").months["format"]["wide"]
    levant = Locale.parse("ar_SY").months["format"]["wide"]
    loc = localizer(month_names="dual", digits="latin")
    for moment in MOMENTS:
        month = moment.month
        want = babel_date(moment.date(), style, "ar_EG").replace(
            egypt[month], f"{egypt[month]}/{levant[month]}"
        )
        assert loc.date(moment, style) == want


def test_readable_examples() -> None:
    friday = dt.datetime(2022, 1, 7, 0, 57, tzinfo=RIYADH)
    assert localizer().date(friday, "full") == "الجمعة، ٧ يناير ٢٠٢٢"
    assert localizer(month_names="levantine").date(friday) == "٧ كانون الثاني ٢٠٢٢"
    assert localizer(month_names="maghrebi").date(friday, "month") == "جانفي ٢٠٢٢"
    assert localizer(month_names="dual").date(friday, "full") == "الجمعة، ٧ يناير/كانون الثاني ٢٠٢٢"
    assert localizer(month_names="dual").month_name(1) == "يناير/كانون الثاني"
    assert localizer(digits="latin").date(friday, "medium") == "07\u200f/01\u200f/2022"
    assert localizer().time(friday) == "١٢:٥٧ ص"
    assert localizer("en", digits="latin").date(friday, "full") == "Friday, January 7, 2022"


def test_default_month_names_follow_the_site_language() -> None:
    day = dt.date(2022, 1, 7)
    assert localizer("ar").date(day) == "٧ يناير ٢٠٢٢"
    assert localizer("ar-SY").date(day) == "٧ كانون الثاني ٢٠٢٢"
    assert localizer("ar-TN").month_name(1) == "جانفي"
    # A chosen style wins over the region of the language tag.
    assert localizer("ar-SY", month_names="egyptian").month_name(1) == "يناير"


def test_times_are_shown_in_the_site_timezone() -> None:
    utc = dt.datetime(2022, 1, 6, 21, 57, tzinfo=dt.UTC)  # 00:57 on the 7th in Riyadh
    assert localizer().time(utc) == eastern(format_time(utc, "short", RIYADH, locale="ar"))
    assert localizer().date(utc, "full") == "الجمعة، ٧ يناير ٢٠٢٢"
    assert localizer().iso(utc) == "2022-01-07T00:57:00+03:00"
    naive = dt.datetime(2022, 1, 7, 9, 30)
    assert localizer().iso(naive) == "2022-01-07T09:30:00+03:00"


def test_iso_keeps_latin_digits_and_gives_a_day_its_local_midnight() -> None:
    assert localizer(digits="arabic").iso(dt.date(2022, 1, 7)) == "2022-01-07T00:00:00+03:00"
    new_york = localizer(tz=ZoneInfo("America/New_York"))
    assert new_york.iso(dt.date(2022, 7, 4)) == "2022-07-04T00:00:00-04:00"


def hijri_of(day: dt.date) -> str:
    h = Gregorian.fromdate(day).to_hijri()
    return eastern(f"{h.day} {h.month_name('ar')} {h.year} {h.notation('ar')}")


@pytest.mark.parametrize(
    ("utc", "tz", "local_day"),
    [
        # One second before and at local midnight in Riyadh (UTC+3).
        (dt.datetime(2022, 1, 6, 20, 59, 59, tzinfo=dt.UTC), "Asia/Riyadh", dt.date(2022, 1, 6)),
        (dt.datetime(2022, 1, 6, 21, 0, 0, tzinfo=dt.UTC), "Asia/Riyadh", dt.date(2022, 1, 7)),
        # West of UTC the local day is behind: 02:00 UTC is the evening before in New York.
        (dt.datetime(2022, 1, 7, 2, 0, tzinfo=dt.UTC), "America/New_York", dt.date(2022, 1, 6)),
        # The last day of Ramadan 1443 and the first of Shawwal, around Riyadh midnight.
        (dt.datetime(2022, 5, 1, 20, 59, tzinfo=dt.UTC), "Asia/Riyadh", dt.date(2022, 5, 1)),
        (dt.datetime(2022, 5, 1, 21, 1, tzinfo=dt.UTC), "Asia/Riyadh", dt.date(2022, 5, 2)),
    ],
)
def test_hijri_date_is_computed_from_the_local_day(
    utc: dt.datetime, tz: str, local_day: dt.date
) -> None:
    loc = localizer(tz=ZoneInfo(tz))
    assert loc.hijri(utc) == hijri_of(local_day)
    assert loc.hijri(utc) != hijri_of(utc.date()) or local_day == utc.date()


def test_hijri_examples_and_range() -> None:
    friday = dt.date(2022, 1, 7)
    assert localizer().hijri(friday) == "٤ جمادى الآخرة ١٤٤٣ هـ"
    assert localizer().hijri(friday, "full") == "الجمعة ٤ جمادى الآخرة ١٤٤٣ هـ"
    assert localizer(digits="latin").hijri(dt.date(2022, 5, 2)) == "1 شوال 1443 هـ"
    assert localizer("en", digits="latin").hijri(friday) == "4 Jumada al-Akhirah 1443 AH"
    assert localizer("fa").hijri(friday) == "۴ جمادى الآخرة ۱۴۴۳ هـ"  # Arabic-script names
    assert localizer("he", digits="latin").hijri(friday) == "4 Jumada al-Akhirah 1443 AH"
    assert localizer().hijri(dt.date(1900, 1, 1)) == ""
    with pytest.raises(ValueError, match="unknown Hijri style"):
        localizer().hijri(friday, "short")


def test_numbers_use_the_locale_signs_and_the_site_digits() -> None:
    assert localizer().number(1234567.5) == "١٬٢٣٤٬٥٦٧٫٥"
    assert localizer(digits="latin").number(1234567.5) == "1,234,567.5"
    assert localizer("fa", digits="arabic").number(2022) == "۲٬۰۲۲"
    assert localizer("en", digits="latin").number(3) == "3"
    assert localizer().shown_digits("2022-01-07") == "٢٠٢٢-٠١-٠٧"
    assert localizer(digits="latin").shown_digits("2022") == "2022"


@pytest.mark.parametrize(
    ("moment", "language"),
    [
        (NOW - dt.timedelta(hours=3), "ar"),
        (NOW - dt.timedelta(minutes=1), "ar"),
        (NOW - dt.timedelta(days=2, hours=1), "ar"),
        (NOW + dt.timedelta(hours=2), "ar"),
        (NOW - dt.timedelta(hours=3), "en"),
    ],
)
def test_relative_dates_match_babel_against_the_build_time(
    moment: dt.datetime, language: str
) -> None:
    digits = "arabic" if language == "ar" else "latin"
    want = format_timedelta(moment - NOW, add_direction=True, locale=language)
    assert localizer(language, digits=digits).relative(moment) == (
        eastern(want) if digits == "arabic" else want
    )


def test_relative_date_examples() -> None:
    assert localizer().relative(NOW - dt.timedelta(hours=3)) == "قبل ٣ ساعات"
    assert localizer().relative(NOW - dt.timedelta(hours=2)) == "قبل ساعتين"
    assert localizer("en", digits="latin").relative(NOW - dt.timedelta(hours=3)) == "3 hours ago"


def test_unknown_date_style_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="unknown date style 'huge'"):
        localizer().date(dt.date(2022, 1, 7), "huge")


@pytest.mark.parametrize("month_names", [None, "levantine"])
def test_each_date_pattern_is_worked_out_once(
    month_names: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Matching a skeleton and writing month names in cost ~0.1 ms: once per style and month.
    calls: list[str] = []

    def counted(name: str, real):  # type: ignore[no-untyped-def]
        def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
            calls.append(name)
            return real(*args, **kwargs)

        return wrapper

    for name in ("match_skeleton", "tokenize_pattern"):
        monkeypatch.setattr(localize, name, counted(name, getattr(localize, name)))
    loc = localizer(month_names=month_names)
    days = [dt.date(2022, 1, 7), dt.date(2022, 1, 8), dt.date(2022, 2, 1)]
    shown = [loc.date(day, style) for style in ("month", "day", "long") for day in days * 3]
    months = 2 if month_names else 1  # the pattern only depends on the month with names in it
    assert calls.count("match_skeleton") == 2 * months
    assert calls.count("tokenize_pattern") == (3 * months if month_names else 0)
    assert shown == [  # each as a fresh localizer shows it
        localizer(month_names=month_names).date(day, style)
        for style in ("month", "day", "long")
        for day in days * 3
    ]


def test_month_name_style_does_not_change_number_signs() -> None:
    # ar_DZ writes 1.234,5; a maghrebi month-name choice must not bring that along.
    assert localizer(month_names="maghrebi").number(1234.5) == "١٬٢٣٤٫٥"


def test_relative_dates_in_a_build_follow_source_date_epoch(
    make_site, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    from sitegen.build.pipeline import build

    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(NOW.timestamp())))
    site = make_site(
        {
            "content/a.md": "---\ntitle: خبر\ndate: 2022-01-08T12:00:00+03:00\n---\nنص\n",
            "themes/rel/theme.yaml": "extends: digest\n",
            "themes/rel/templates/article.html": "{{ article.date|relative }}",
        },
        "title: x\ntimezone: Asia/Riyadh\ntheme: rel\n",
    )
    first, second = build(site), build(site)
    assert first.ok and first.files == second.files
    assert first.files["2022/01/08/خبر/index.html"].decode() == "قبل ٣ ساعات"


TEHRAN = ZoneInfo("Asia/Tehran")
PERSIAN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
ARABIC_INDIC_DIGIT = re.compile("[٠-٩]")
PERSIAN_MONTHS = [
    "فروردین",
    "اردیبهشت",
    "خرداد",
    "تیر",
    "مرداد",
    "شهریور",
    "مهر",
    "آبان",
    "آذر",
    "دی",
    "بهمن",
    "اسفند",
]


def persian(calendar: str | None = None, digits: str = "arabic", language: str = "fa") -> Localizer:
    options = LocaleConfig(calendar=calendar)  # type: ignore[arg-type]
    return Localizer(language, options, digits, TEHRAN, NOW)  # type: ignore[arg-type]


def test_persian_dates_are_jalali_with_persian_digits_and_month_names() -> None:
    friday = dt.datetime(2022, 1, 7, 0, 57, tzinfo=TEHRAN)
    loc = persian()
    assert loc.calendar == "jalali"
    assert loc.date(friday) == "۱۷ دی ۱۴۰۰"
    assert loc.date(friday, "full") == "جمعه ۱۷ دی ۱۴۰۰"
    assert loc.date(friday, "short") == "۱۴۰۰/۱۰/۱۷"
    assert loc.date(friday, "day") == "۱۷ دی"
    assert loc.date(dt.date(2022, 3, 21)) == "۱ فروردین ۱۴۰۱"  # Nowruz
    assert loc.date(dt.date(2025, 3, 20)) == "۳۰ اسفند ۱۴۰۳"  # the leap year's last day
    assert persian(digits="latin").date(friday) == "17 دی 1400"
    assert not ARABIC_INDIC_DIGIT.search(loc.date(friday, "full"))


@pytest.mark.parametrize("style", ["full", "long", "medium", "short", "day"])
def test_every_day_of_a_jalali_year_matches_jdatetime(style: str) -> None:
    loc = persian(digits="latin")
    first = dt.date(2024, 3, 20)  # 1 Farvardin 1403
    for offset in range(366):
        day = first + dt.timedelta(days=offset)
        j = jdatetime.date.fromgregorian(date=day)
        want = {
            "full": f"{format_date(day, 'EEEE', locale='fa')} {j.day} {PERSIAN_MONTHS[j.month - 1]} {j.year}",
            "long": f"{j.day} {PERSIAN_MONTHS[j.month - 1]} {j.year}",
            "medium": f"{j.day} {PERSIAN_MONTHS[j.month - 1]} {j.year}",
            "short": f"{j.year}/{j.month}/{j.day}",
            "day": f"{j.day} {PERSIAN_MONTHS[j.month - 1]}",
        }[style]
        assert loc.date(day, style) == want


def test_jalali_day_is_the_local_day_in_the_site_timezone() -> None:
    # 21:00 UTC on 19 March 2024 (29 Esfand 1402) is already Nowruz, 1 Farvardin 1403, in Tehran.
    moment = dt.datetime(2024, 3, 19, 21, 0, tzinfo=dt.UTC)
    assert persian().date(moment) == "۱ فروردین ۱۴۰۳"
    assert persian().date(moment.date()) == "۲۹ اسفند ۱۴۰۲"


def test_archive_periods_stay_gregorian_in_the_jalali_calendar() -> None:
    friday = dt.date(2022, 1, 7)
    assert persian().date(friday, "month") == format_skeleton(
        "yMMMM", friday, locale="fa"
    ).translate(PERSIAN)
    assert persian().date(friday, "year") == "۲۰۲۲"


def test_calendar_can_be_chosen_for_any_language() -> None:
    friday = dt.date(2022, 1, 7)
    assert persian("gregorian").date(friday) == format_date(friday, "long", locale="fa").translate(
        PERSIAN
    )
    assert persian("jalali", "latin", "en").date(friday) == "Dey 17, 1400"
    assert localizer("he", digits="latin").date(friday) == "7 בינואר 2022"  # Babel's Hebrew
    assert localizer("ar").calendar == "gregorian"


def test_jalali_outside_its_range_falls_back_to_the_gregorian_date() -> None:
    early = dt.date(500, 5, 1)
    assert persian(digits="latin").date(early) == format_date(early, "long", locale="fa")

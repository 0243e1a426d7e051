"""The Arabic date line parser: accepted variants, rejected lines, properties."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sitegen.core.arabic_date_words import is_date_like
from sitegen.core.arabic_dates import ArabicDateError, parse_arabic_datetime

RIYADH = ZoneInfo("Asia/Riyadh")


def local(*fields: int) -> datetime:
    return datetime(*fields, tzinfo=RIYADH)


ACCEPTED = [
    # the seed's line, and the same in every digit system
    ("الجمعة ٧ يناير ٢٠٢٢ الساعة ١٢:٥٧ صباحاً", local(2022, 1, 7, 0, 57)),
    ("الجمعة 7 يناير 2022 الساعة 12:57 صباحا", local(2022, 1, 7, 0, 57)),
    ("الجمعة ۷ يناير ۲۰۲۲ الساعة ۱۲:۵۷ ص", local(2022, 1, 7, 0, 57)),
    ("٧ يناير 2022 الساعة ١٢:57 ص", local(2022, 1, 7, 0, 57)),
    ("الجُمُعَة ٧ يَنايِر ٢٠٢٢", local(2022, 1, 7)),
    ("\u200fالجمعة\u200f 7 يناير 2022\u200e 12:57 ص", local(2022, 1, 7, 0, 57)),
    # no weekday, no time, commas
    ("7 يناير 2022", local(2022, 1, 7)),
    ("الجمعة، 7 يناير، 2022", local(2022, 1, 7)),
    ("يوم الجمعة 7 يناير 2022", local(2022, 1, 7)),
    ("الاثنين 10 يناير 2022", local(2022, 1, 10)),
    ("الإثنين، 10 يناير 2022م", local(2022, 1, 10)),
    ("يناير 7، 2022", local(2022, 1, 7)),
    ("نشر في: الجمعة 7 يناير 2022 - 12:57 ص", local(2022, 1, 7, 0, 57)),
    ("12:57 ص الجمعة 07 يناير 2022", local(2022, 1, 7, 0, 57)),
    # regions
    ("7 كانون الثاني 2022 الساعة 3:15 م", local(2022, 1, 7, 15, 15)),
    ("١ تشرين الأول ٢٠٢٢ ٠٩:٠٠", local(2022, 10, 1, 9, 0)),
    ("1 أكتوبر/تشرين الأول 2022", local(2022, 10, 1)),
    ("1 تشرين الأول (أكتوبر) 2022", local(2022, 10, 1)),
    ("7 كانون الثاني/ يناير 2022", local(2022, 1, 7)),
    ("15 فيفري 2022", local(2022, 2, 15)),
    ("3 أفريل 2022", local(2022, 4, 3)),
    ("3 ابريل 2022", local(2022, 4, 3)),
    ("3 إبريل 2022", local(2022, 4, 3)),
    ("1 ماي 2022", local(2022, 5, 1)),
    ("1 أيار 2022", local(2022, 5, 1)),
    ("20 جوان 2022", local(2022, 6, 20)),
    ("20 يونيه 2022", local(2022, 6, 20)),
    ("5 جويلية 2022", local(2022, 7, 5)),
    ("5 يوليوز 2022", local(2022, 7, 5)),
    ("5 تموز 2022", local(2022, 7, 5)),
    ("15 أوت 2022", local(2022, 8, 15)),
    ("15 غشت 2022", local(2022, 8, 15)),
    ("15 اغسطس 2022", local(2022, 8, 15)),
    ("15 آب 2022", local(2022, 8, 15)),
    ("9 شتنبر 2022", local(2022, 9, 9)),
    ("11 نونبر 2022", local(2022, 11, 11)),
    ("25 دجنبر 2022", local(2022, 12, 25)),
    ("25 كانون الأول 2022", local(2022, 12, 25)),
    ("29 فبراير 2024", local(2024, 2, 29)),
    # numeric dates
    ("07/01/2022 12:57 ص", local(2022, 1, 7, 0, 57)),
    ("2022-01-07 00:57", local(2022, 1, 7, 0, 57)),
    ("٧-١-٢٠٢٢", local(2022, 1, 7)),
    ("7.1.2022", local(2022, 1, 7)),
    ("7 - يناير - 2022", local(2022, 1, 7)),
    ("نشر في: 07 يناير ,2022: 12:57 ص GMT", local(2022, 1, 7, 3, 57)),
    # periods and clocks
    ("الجمعة 7 يناير 2022 - 12:10 مساءً", local(2022, 1, 7, 12, 10)),
    ("الجمعة 7 يناير 2022 الساعة 1:30 ظهراً", local(2022, 1, 7, 13, 30)),
    ("الجمعة 7 يناير 2022 الساعة 12:15 ظهرا", local(2022, 1, 7, 12, 15)),
    ("الجمعة 7 يناير 2022 الساعة 4:45 فجراً", local(2022, 1, 7, 4, 45)),
    ("الجمعة 7 يناير 2022 الساعة 5 عصراً", local(2022, 1, 7, 17, 0)),
    ("الجمعة 7 يناير 2022 الساعة 10:00 ليلاً", local(2022, 1, 7, 22, 0)),
    ("الجمعة 7 يناير 2022 الساعة 9 مساء", local(2022, 1, 7, 21, 0)),
    ("الجمعة 7 يناير 2022 19:30 مساءً", local(2022, 1, 7, 19, 30)),
    ("الجمعة 7 يناير 2022 12:57:30", local(2022, 1, 7, 12, 57, 30)),
    ("الجمعة 7 يناير 2022 9:05 PM", local(2022, 1, 7, 21, 5)),
    # Hijri beside the Gregorian date is checked
    ("الجمعة 7 يناير 2022م الموافق 4 جمادى الآخرة 1443هـ", local(2022, 1, 7)),
    ("الجمعة ٤ جمادى الآخرة ١٤٤٣ هـ - ٧ يناير ٢٠٢٢ م", local(2022, 1, 7)),
    ("١٤٤٣/٠٦/٠٤ هـ - ٢٠٢٢/٠١/٠٧", local(2022, 1, 7)),
    # an explicit zone is converted to the site zone
    ("7 يناير 2022 - 09:57 GMT", local(2022, 1, 7, 12, 57)),
    ("7 يناير 2022 الساعة 10:00 بتوقيت غرينتش", local(2022, 1, 7, 13, 0)),
    ("7 يناير 2022 10:00 ت.غ", local(2022, 1, 7, 13, 0)),
    ("7 يناير 2022 10:00 GMT+2", local(2022, 1, 7, 11, 0)),
]

REJECTED = [
    ("", "empty"),
    ("الجمعة 31 أبريل 2022", "day 31 does not exist in April 2022"),
    ("29 فبراير 2023", "day 29 does not exist in February 2023"),
    ("7 يناير 2022 13:00 صباحاً", "is not a possible time"),
    ("7 يناير 2022 00:30 مساءً", "is not a possible time"),
    ("7 يناير 2022 9:00 ظهراً", "is not a possible time"),
    ("الخميس 7 يناير 2022", "الخميس does not match 2022-01-07"),
    ("7 أكتوبر/تشرين الثاني 2022", "month names disagree"),
    ("7 يناير 22", "four digits"),
    ("7/1/22", "four digits"),
    ("7 يناير", "no year"),
    ("يناير 2022", "not a day of the month"),
    ("منذ ساعتين", "unexpected"),
    ("7 يناير 2022 بتوقيت مكة المكرمة", "not supported"),
    ("7 يناير 2022 25:00", "not a time of day"),
    ("7 يناير 2022 12:61", "not a time of day"),
    ("4 جمادى الآخرة 1443 هـ", "needs the Gregorian date"),
    ("الجمعة 7 يناير 2022 الموافق 9 رجب 1443 هـ", "Hijri date 9/7/1443"),
    ("7 يناير 3022", "outside 1900–2100"),
    ("7 يناير 2022 - 8 يناير 2022", "two Gregorian dates"),
    ("الجمعة ٧ يناير ٢٠٢٢ الساعة", "no time after"),
    ("13/13/2022", "no month 13"),
    ("٧ يناير ٢٠٢٢ abc", "unexpected 'abc'"),
    ("७ يناير २०२२", "unexpected"),
    ("7 يناير 2022 هـ", "Hijri era"),
    ("7 يناير 2022 GMT+5:17", "not a UTC offset"),
]


@pytest.mark.parametrize(("line", "expected"), ACCEPTED)
def test_accepted_lines(line: str, expected: datetime) -> None:
    parsed = parse_arabic_datetime(line, RIYADH)
    assert parsed == expected
    assert parsed.utcoffset() == timedelta(hours=3)


@pytest.mark.parametrize(("line", "reason"), REJECTED)
def test_rejected_lines(line: str, reason: str) -> None:
    with pytest.raises(ArabicDateError) as caught:
        parse_arabic_datetime(line, RIYADH)
    assert reason in caught.value.message


def test_enough_variants() -> None:
    assert len(ACCEPTED) >= 30
    assert len(REJECTED) >= 10


def test_seed_line_is_iso_with_offset() -> None:
    parsed = parse_arabic_datetime("الجمعة ٧ يناير ٢٠٢٢ الساعة ١٢:٥٧ صباحاً", RIYADH)
    assert parsed.isoformat() == "2022-01-07T00:57:00+03:00"


def test_site_timezone_with_daylight_saving() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    assert parse_arabic_datetime("1 يوليو 2022 10:00", berlin).isoformat() == (
        "2022-07-01T10:00:00+02:00"
    )
    with pytest.raises(ArabicDateError, match="does not exist in Europe/Berlin"):
        parse_arabic_datetime("27 مارس 2022 02:30", berlin)


def test_is_date_like() -> None:
    assert is_date_like("الجمعة 31 أبريل 2022")
    assert is_date_like("7 يناير 2022 بتوقيت مكة المكرمة")
    assert not is_date_like("واشنطن: لدينا تساؤلات حول شرعية نشر قوات حفظ السلام")
    assert not is_date_like("أعلنت الوزارة يوم 7 يناير 2022 أن الحكومة ستجتمع غدا في العاصمة")
    assert not is_date_like("")


@given(st.text())
def test_arbitrary_text_only_raises_its_own_error(text: str) -> None:
    try:
        parse_arabic_datetime(text, RIYADH)
    except ArabicDateError as problem:
        assert problem.message
    is_date_like(text)


DATE_WORDS = st.sampled_from(
    ["يناير", "كانون الثاني", "الجمعة", "الساعة", "ص", "م", "مساءً", "هـ", "GMT", "بتوقيت",
     "جمادى الآخرة", "/", "-", "،", ":", "+", "(", ")", "٧", "12:57", "2022", "1443", "07/01/2022",
     "31", "0", "99999999999999999999", "\u200f", "ت.غ"]
)  # fmt: skip


@given(st.lists(DATE_WORDS, max_size=12).map(" ".join))
def test_date_word_soup_only_raises_its_own_error(text: str) -> None:
    try:
        parsed = parse_arabic_datetime(text, RIYADH)
    except ArabicDateError:
        return
    assert parsed.tzinfo is not None


EASTERN = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
PERSIAN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
MONTH_NAMES = {
    1: ["يناير", "كانون الثاني", "جانفي"],
    2: ["فبراير", "شباط", "فيفري"],
    3: ["مارس", "آذار"],
    4: ["أبريل", "نيسان", "أفريل", "ابريل"],
    5: ["مايو", "أيار", "ماي"],
    6: ["يونيو", "حزيران", "جوان", "يونيه"],
    7: ["يوليو", "تموز", "جويلية", "يوليوز"],
    8: ["أغسطس", "آب", "أوت", "غشت"],
    9: ["سبتمبر", "أيلول", "شتنبر"],
    10: ["أكتوبر", "تشرين الأول"],
    11: ["نوفمبر", "تشرين الثاني", "نونبر"],
    12: ["ديسمبر", "كانون الأول", "دجنبر"],
}
WEEKDAYS = ["الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"]


@given(
    moment=st.datetimes(min_value=datetime(1950, 1, 1), max_value=datetime(2090, 12, 31)),
    digits=st.sampled_from([None, EASTERN, PERSIAN]),
    name_choice=st.integers(0, 3),
    with_weekday=st.booleans(),
    clock=st.sampled_from(["24h", "am/pm", "none"]),
)
def test_written_dates_read_back(
    moment: datetime, digits: dict | None, name_choice: int, with_weekday: bool, clock: str
) -> None:
    moment = moment.replace(microsecond=0)
    names = MONTH_NAMES[moment.month]
    parts = [WEEKDAYS[moment.weekday()]] if with_weekday else []
    parts += [str(moment.day), names[name_choice % len(names)], str(moment.year)]
    if clock == "24h":
        parts += ["الساعة", f"{moment:%H:%M:%S}"]
    elif clock == "am/pm":
        hour12 = moment.hour % 12 or 12
        parts += [f"{hour12}:{moment:%M}", "صباحاً" if moment.hour < 12 else "مساءً"]
    line = " ".join(parts)
    if digits:
        line = line.translate(digits)
    if clock == "am/pm":
        moment = moment.replace(second=0)
    elif clock == "none":
        moment = moment.replace(hour=0, minute=0, second=0)
    assert parse_arabic_datetime(line, RIYADH) == moment.replace(tzinfo=RIYADH)

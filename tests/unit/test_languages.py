"""Language tags and the facts derived from them (sitegen.core.languages)."""

from __future__ import annotations

import pytest

from sitegen.core.languages import (
    arabic_numbering_system,
    babel_locale,
    default_calendar,
    default_digits,
    direction_of,
    is_arabic,
    is_language_tag,
    language_tag,
    locale_fallbacks,
    news_language,
    og_locale,
    primary_language,
    script_of,
)


def test_language_tags_use_hyphens() -> None:
    assert language_tag("ar_EG") == "ar-EG" and language_tag("ar") == "ar"
    assert primary_language("AR_eg") == primary_language("ar-EG") == "ar"


@pytest.mark.parametrize("tag", ["ar", "en-GB", "fa_IR", "uz-Arab-AF", "zh-Hant-TW"])
def test_language_tags_are_recognised(tag: str) -> None:
    assert is_language_tag(tag)


@pytest.mark.parametrize("tag", ["", "a", "ar-", "-ar", "ar--EG", "ar EG", "عربي", "ar\n", "123"])
def test_malformed_language_tags_are_not(tag: str) -> None:
    assert not is_language_tag(tag)


def test_arabic_and_its_digits() -> None:
    assert is_arabic("ar") and is_arabic("ar-EG") and not is_arabic("fa")
    assert arabic_numbering_system("fa-IR") == arabic_numbering_system("ur") == "arabext"
    assert arabic_numbering_system("ar-EG") == arabic_numbering_system("ckb") == "arab"


@pytest.mark.parametrize("tag", ["arz", "apc", "aeb", "ary", "arz-EG", "aeb-Arab-TN", "ar-arz"])
def test_varieties_of_arabic_are_arabic_with_arabic_locale_data(tag: str) -> None:
    assert is_arabic(tag)
    assert babel_locale(tag).language in ("ar", "apc", "ary")  # CLDR has `apc` and `ary`
    assert locale_fallbacks(tag)[-1] == "ar"
    assert default_digits(tag) == "arabic" and arabic_numbering_system(tag) == "arab"


@pytest.mark.parametrize(
    ("tag", "digits"),
    [
        ("ar", "arabic"),
        ("ar-MA", "arabic"),
        ("fa", "arabic"),
        ("fa-AF", "arabic"),
        ("ps", "arabic"),
        ("ckb", "arabic"),
        ("sd", "arabic"),
        ("ur", "latin"),  # CLDR: Urdu's default numbering system is Latin
        ("ug", "latin"),
        ("he", "latin"),
        ("yi", "latin"),
        ("en", "latin"),
        ("ar-Latn", "latin"),
        ("fa-Latn", "latin"),
    ],
)
def test_default_digits_follow_cldr(tag: str, digits: str) -> None:
    assert default_digits(tag) == digits


def test_persian_is_the_language_of_the_jalali_calendar() -> None:
    assert default_calendar("fa") == default_calendar("fa-IR") == "jalali"
    assert default_calendar("ar") == default_calendar("he") == default_calendar("ps") == "gregorian"


def test_direction_from_language() -> None:
    tags = ("ar-EG", "fa_IR", "he", "en", "fr-CA")
    assert [direction_of(x) for x in tags] == ["rtl", "rtl", "rtl", "ltr", "ltr"]


def test_direction_comes_from_cldr_for_scripts_and_rarer_languages() -> None:
    assert direction_of("pa-Arab") == "rtl"  # Punjabi in Shahmukhi; Punjabi itself is LTR
    assert direction_of("pa") == "ltr"
    assert direction_of("ckb-IQ") == direction_of("ks") == direction_of("mzn") == "rtl"
    assert direction_of("az-Arab-IR") == "rtl"
    assert direction_of("xx-YY") == direction_of("") == "ltr"


RTL_TAGS = ["ar", "arz", "aeb", "apc", "fa", "ur", "ps", "sd", "ckb", "ug", "he", "yi", "syr"]
RTL_TAGS += ["dv", "nqo", "uz-Arab", "pa-Arab", "ms-Arab", "ar-arz", "iw", "pa-PK"]
RTL_TAGS += ["arz-EG", "apc-SY", "aeb-TN", "ur-PK", "ckb-IR", "ps-AF", "sd-PK", "ug-CN"]
RTL_TAGS += ["dv-MV", "yi-001", "he-IL", "fa-AF", "ku-Arab", "az-Arab", "tr-Arab", "sd-Arab"]


@pytest.mark.parametrize("tag", RTL_TAGS)
def test_languages_in_right_to_left_scripts_are_rtl(tag: str) -> None:
    assert direction_of(tag) == "rtl"


LTR_TAGS = ["en", "fr", "ar-Latn", "ar-Latn-EG", "tr", "uz-Latn", "sd-Deva", "fa-Latn"]
LTR_TAGS += ["ur-Latn", "arz-Latn", "apc-Latn", "aeb-Latn", "ku", "ks-Deva", "yi-Latn", "he-Latn"]


@pytest.mark.parametrize("tag", LTR_TAGS)
def test_languages_in_left_to_right_scripts_are_ltr(tag: str) -> None:
    assert direction_of(tag) == "ltr"


@pytest.mark.parametrize(
    ("tag", "script"),
    [
        *[("arz", "Arab"), ("apc", "Arab"), ("aeb", "Arab"), ("ur", "Arab"), ("ckb", "Arab")],
        *[("ps", "Arab"), ("sd", "Arab"), ("ug", "Arab"), ("dv", "Thaa"), ("yi", "Hebr")],
        *[("he", "Hebr"), ("fa-Latn", "Latn"), ("tr-Arab", "Arab"), ("sd-IN", "Deva")],
    ],
)
def test_scripts_come_from_cldr_likely_subtags(tag: str, script: str) -> None:
    assert script_of(tag) == script


@pytest.mark.parametrize(
    "tag", ["xx", "qaa-Qaaa", "x-private", "x-ar", "i-klingon", "en-US-x-Arab", ""]
)
def test_unknown_or_private_tags_are_ltr(tag: str) -> None:
    assert direction_of(tag) == "ltr"


def test_locale_fallbacks_go_from_the_full_tag_to_its_language() -> None:
    assert locale_fallbacks("ar-EG") == ("ar_EG", "ar")
    assert locale_fallbacks("fa_IR") == ("fa_IR", "fa")
    assert locale_fallbacks("ar") == ("ar",)
    assert locale_fallbacks("arz-EG") == ("arz_EG", "arz", "ar")


def test_babel_locale_falls_back_to_the_language_then_english() -> None:
    assert str(babel_locale("ar-EG")) == "ar_EG"
    assert str(babel_locale("ar-XX")) == "ar"
    assert str(babel_locale("xx-YY")) == "en"


@pytest.mark.parametrize(
    ("language", "locale"),
    [
        ("ar", "ar_AR"),
        ("ar-EG", "ar_EG"),
        ("ar_SA", "ar_SA"),
        ("fa", "fa_IR"),
        ("he", "he_IL"),
        ("en", "en_US"),
        ("ar-Arab-MA", "ar_MA"),
    ],
)
def test_og_locale(language: str, locale: str) -> None:
    assert og_locale(language) == locale


@pytest.mark.parametrize(
    ("language", "code"),
    [
        ("ar", "ar"),
        ("ar-EG", "ar"),
        ("ar_SA", "ar"),
        ("fa", "fa"),
        ("zh-TW", "zh-tw"),
        ("zh", "zh-cn"),
    ],
)
def test_news_language_codes(language: str, code: str) -> None:
    assert news_language(language) == code

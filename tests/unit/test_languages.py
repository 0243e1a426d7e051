"""Language tags and the facts derived from them (sitegen.core.languages)."""

from __future__ import annotations

import pytest

from sitegen.core.languages import (
    babel_locale,
    direction_of,
    is_arabic,
    is_language_tag,
    language_tag,
    locale_fallbacks,
    news_language,
    og_locale,
    primary_language,
    uses_extended_arabic_digits,
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
    assert uses_extended_arabic_digits("fa-IR") and uses_extended_arabic_digits("ur")
    assert not uses_extended_arabic_digits("ar-EG")


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


@pytest.mark.parametrize("tag", RTL_TAGS)
def test_languages_in_right_to_left_scripts_are_rtl(tag: str) -> None:
    assert direction_of(tag) == "rtl"


@pytest.mark.parametrize("tag", ["en", "fr", "ar-Latn", "ar-Latn-EG", "tr", "uz-Latn", "sd-Deva"])
def test_languages_in_left_to_right_scripts_are_ltr(tag: str) -> None:
    assert direction_of(tag) == "ltr"


@pytest.mark.parametrize(
    "tag", ["xx", "qaa-Qaaa", "x-private", "x-ar", "i-klingon", "en-US-x-Arab", ""]
)
def test_unknown_or_private_tags_are_ltr(tag: str) -> None:
    assert direction_of(tag) == "ltr"


def test_locale_fallbacks_go_from_the_full_tag_to_its_language() -> None:
    assert locale_fallbacks("ar-EG") == ("ar_EG", "ar")
    assert locale_fallbacks("fa_IR") == ("fa_IR", "fa")
    assert locale_fallbacks("ar") == ("ar",)


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

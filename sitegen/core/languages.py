"""Language tags and what sitegen derives from them, one function per fact: the tag's spelling
(`language_tag`, `primary_language`, `is_language_tag`), its script and writing direction
(CLDR through Babel), its Babel locale and catalog fallbacks, its digits and calendar, and the
codes other formats want (Open Graph's `og:locale`, the Google News sitemap's language).
"""

from __future__ import annotations

import functools
import re
from typing import Literal

from babel import Locale, UnknownLocaleError
from babel.core import get_global

# A BCP 47-like tag as a site or an article may give it: `ar`, `ar-EG`, `fa_IR`, `uz-Arab-AF`.
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,8}(?:[-_][A-Za-z0-9]{1,8})*")

# ISO 15924 scripts written right to left (Unicode's Bidi_Class R/AL scripts, as in CLDR's
# script metadata), with the variant codes Aran (Nastaliq) and Syre/Syrj/Syrn (Syriac).
RTL_SCRIPTS = frozenset(
    {
        "Adlm", "Arab", "Aran", "Armi", "Avst", "Chrs", "Cprt", "Elym", "Gara", "Hatr", "Hebr",
        "Hung", "Khar", "Lydi", "Mand", "Mani", "Mend", "Merc", "Mero", "Narb", "Nbat", "Nkoo",
        "Orkh", "Ougr", "Palm", "Phli", "Phlp", "Phnx", "Prti", "Rohg", "Samr", "Sarb", "Sogd",
        "Sogo", "Syrc", "Syre", "Syrj", "Syrn", "Thaa", "Yezi",
    }
)  # fmt: skip

# The varieties of Arabic: the ISO 639-3 members of the macrolanguage `ar` (IANA language
# subtag registry, "Macrolanguage: ar"). CLDR has locale data for few of them (`apc`), so they
# fall back to `ar` for Babel data and theme catalogs, and are Arabic for dates and digits.
ARABIC_VARIETIES = frozenset(
    {
        "aao", "abh", "abv", "acm", "acq", "acw", "acx", "acy", "adf", "aeb", "aec", "afb", "ajp",
        "apc", "apd", "arb", "arq", "ars", "ary", "arz", "auz", "avl", "ayh", "ayl", "ayn", "ayp",
        "bbz", "pga", "shu", "ssh",
    }
)  # fmt: skip

# CLDR numbering systems written with Arabic-script digits: ٠١٢٣ and the extended ۰۱۲۳.
ARABIC_NUMBERING_SYSTEMS = ("arab", "arabext")

FALLBACK_LOCALE = "en"


def is_language_tag(text: str) -> bool:
    """Whether `text` is spelled as a language tag: `ar`, `en-GB`, `fa_IR` (not `x`, `ar-`)."""
    return _LANGUAGE_TAG.fullmatch(text) is not None


def language_tag(language: str) -> str:
    """A BCP 47 tag for `lang`, `xml:lang` and metadata: `ar_EG` → `ar-EG`."""
    return language.replace("_", "-")


def primary_language(language: str) -> str:
    """`ar-EG`, `ar_EG` → `ar`."""
    return language_tag(language).split("-")[0].lower()


def macrolanguage(language: str) -> str:
    """The language a tag falls back to: `arz`, `aeb-TN` → `ar`; any other tag → its language."""
    primary = primary_language(language)
    return "ar" if primary in ARABIC_VARIETIES else primary


def is_arabic(language: str) -> bool:
    """Whether a tag names Arabic or one of its varieties (`ar`, `ar-EG`, `arz`, `apc`): Eastern
    Arabic digits by default, Arabic month-name styles, Hijri month names in Arabic."""
    return macrolanguage(language) == "ar"


def arabic_numbering_system(language: str) -> Literal["arab", "arabext"]:
    """The CLDR numbering system of a language's Arabic-script digits: its native one when that
    is Arabic (`fa`, `ur`, `ps`, `uz-Arab` → `arabext`: ۰۱۲۳), else `arab` (٠١٢٣)."""
    native = babel_locale(language).other_numbering_systems.get("native")
    return "arabext" if native == "arabext" else "arab"


def default_digits(language: str) -> Literal["arabic", "latin"]:
    """The digits readers see unless `locale.digits` says otherwise: Arabic-script digits for
    Arabic in Arabic script and for languages whose CLDR default numbering system is one (`fa`,
    `ps`, `ckb`, `sd`); Latin digits for the others (`en`, `he`, `ur`, `ar-Latn`)."""
    if script_of(language) not in ("Arab", "Aran"):
        return "latin"
    default = babel_locale(language).default_numbering_system
    return "arabic" if is_arabic(language) or default in ARABIC_NUMBERING_SYSTEMS else "latin"


def default_calendar(language: str) -> Literal["gregorian", "jalali"]:
    """The calendar dates are shown in unless `locale.calendar` says otherwise: the Solar Hijri
    (Jalali) calendar for Persian (`fa`, `fa-IR`), the Gregorian one for every other language."""
    return "jalali" if primary_language(language) == "fa" else "gregorian"


def script_of(language: str) -> str | None:
    """The ISO 15924 script of a language tag: its script subtag, else CLDR's likely script
    for its language and region (`arz` → Arab, `pa-PK` → Arab, `ar-Latn` → Latn); None for a
    language CLDR does not know."""
    language, *rest = language_tag(language).lower().split("-")
    if len(language) < 2:  # `x-…` private use, `i-…` grandfathered
        return None
    if rest and len(rest[0]) == 3 and rest[0].isalpha():  # extlang: `ar-arz` is `arz`
        language, *rest = rest
    script = rest.pop(0).title() if rest and len(rest[0]) == 4 and rest[0].isalpha() else None
    region = rest[0].upper() if rest and len(rest[0]) in (2, 3) else None
    alias = get_global("language_aliases").get(language, language).split("_")
    language = alias[0]
    script = script or next((s for s in alias[1:] if len(s) == 4), None)
    if script:
        return get_global("script_aliases").get(script, script)
    likely = get_global("likely_subtags")
    for key in (f"{language}_{region}", language):
        if key in likely:
            return likely[key].split("_")[1]
    return None


@functools.lru_cache(maxsize=64)
def direction_of(language: str) -> Literal["rtl", "ltr"]:
    """The writing direction of a language tag, from its script (`script_of`): `ar-EG`, `arz`,
    `fa_IR`, `he`, `uz-Arab` → rtl; `en`, `ar-Latn` and languages CLDR does not know → ltr."""
    return "rtl" if script_of(language) in RTL_SCRIPTS else "ltr"


def locale_fallbacks(language: str) -> tuple[str, ...]:
    """Locale identifiers to try for a tag, most specific first: `ar-EG` → (`ar_EG`, `ar`),
    `arz-EG` → (`arz_EG`, `arz`, `ar`). Babel locales and theme catalogs
    (`locale/<id>/LC_MESSAGES/`) are looked up this way."""
    candidates = (language.replace("-", "_"), primary_language(language), macrolanguage(language))
    return tuple(dict.fromkeys(candidates))


@functools.lru_cache(maxsize=64)
def babel_locale(language: str) -> Locale:
    """The Babel locale of a language tag (`ar-EG`, `fa_IR`), else its language, else English."""
    for candidate in locale_fallbacks(language):
        try:
            return Locale.parse(candidate)
        except (ValueError, UnknownLocaleError):
            continue
    return Locale.parse(FALLBACK_LOCALE)


def language_name(language: str) -> str:
    """A language's name in itself, for a language switcher: `en` → English, `ar` →
    العربية, `fa` → فارسی (CLDR, through Babel)."""
    locale = babel_locale(language)
    name = locale.get_display_name(locale) or language
    return name[:1].upper() + name[1:]


def og_locale(language: str) -> str:
    """The Open Graph locale of a language tag: `ar` → `ar_AR` (the Arabic locale of Open
    Graph consumers), `ar-EG` → `ar_EG`, `fa` → `fa_IR`, `en` → `en_US`."""
    parts = language.replace("-", "_").split("_")
    lang = parts[0].lower()
    region = next((p.upper() for p in parts[1:] if len(p) == 2 and p.isalpha()), None)
    if region:
        return f"{lang}_{region}"
    if lang == "ar":
        return "ar_AR"
    likely = get_global("likely_subtags").get(lang)
    return f"{lang}_{likely.split('_')[-1]}" if likely else lang


def news_language(language: str) -> str:
    """The Google News sitemap's language code: ISO 639 (`ar`), except `zh-cn` and `zh-tw`."""
    parts = language_tag(language).lower().split("-")
    if parts[0] == "zh" and ("tw" in parts or "hant" in parts):
        return "zh-tw"
    return "zh-cn" if parts[0] == "zh" else parts[0]

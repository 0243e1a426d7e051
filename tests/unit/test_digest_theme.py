"""The built-in digest theme: bidi-safe markup, digits, catalogs and a stylesheet that is
logical, local and kind to Arabic script. Browser checks are in tests/e2e/test_browser.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po

from sitegen.build.theme import builtin_themes_dir
from sitegen.core.config import Site
from tests.conftest import MINIMAL_CONFIG, article, build_site

DIGEST = builtin_themes_dir() / "digest"
REPO = Path(__file__).resolve().parents[2]
ISO_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}")
EASTERN_DIGIT = re.compile("[٠-٩۰-۹]")
ARABIC_LETTER = re.compile("[\u0600-\u06ff]")


class Page(HTMLParser):
    """Every start tag with its attributes, and the text outside tags."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def find(self, tag: str, **wanted: str) -> list[dict[str, str]]:
        return [
            attrs
            for name, attrs in self.tags
            if name == tag and all(wanted[k] in attrs.get(k, "").split() for k in wanted)
        ]


def pages(files: dict[str, bytes]) -> dict[str, Page]:
    return {n: Page(d.decode()) for n, d in files.items() if n.endswith(".html")}


SITE_FILES = {
    "content/politics/2022-01-06-vote.md": article(
        "البرلمان يقر قانون الانتخابات", "2022-01-06T10:00:00", "نص الخبر.", tags="[انتخابات]"
    ),
    "content/politics/2022-01-07-summit.md": article(
        "قمة NATO في 2024", "2022-01-07T09:30:00", "نص. " * 400, source="وكالة الأنباء"
    ),
    "content/economy/2022-01-07-oil.md": article(
        "Oil prices rise", "2022-01-07T23:30:00", "Prices rose.", lang="en", pinned="true"
    ),
    "content/economy/2022-01-07-gas.md": article(
        "الغاز", "2022-01-07T08:00:00", "نص.", lang="fa-IR"
    ),
}


@pytest.fixture
def built(make_site: Callable[..., Site]) -> Callable[[str], dict[str, bytes]]:
    def build(extra_config: str = "") -> dict[str, bytes]:
        site = make_site(SITE_FILES, MINIMAL_CONFIG + "locale:\n  hijri: true\n" + extra_config)
        result = build_site(site)
        assert result.ok, [d.format() for d in result.diagnostics]
        return result.files

    return build


def machine_attributes(tags: list[tuple[str, dict[str, str]]]) -> list[tuple[str, dict]]:
    """Tags with the readable text of social-card titles left out (they follow the digits)."""
    readable = {"og:title", "twitter:title", "og:description", "twitter:description"}
    return [
        (
            tag,
            {
                k: v
                for k, v in attrs.items()
                if not (k == "content" and readable & set(attrs.values()))
            },
        )
        for tag, attrs in tags
    ]


def test_digits_never_reach_urls_ids_or_datetime_attributes(
    built: Callable[[str], dict[str, bytes]],
) -> None:
    arabic = pages(built("  digits: arabic\n"))
    latin = pages(built("  digits: latin\n"))
    assert arabic.keys() == latin.keys()
    for name in arabic:  # every attribute is identical but the titles shared to social sites
        assert machine_attributes(arabic[name].tags) == machine_attributes(latin[name].tags), name
    home_ar, home_latin = "".join(arabic["index.html"].text), "".join(latin["index.html"].text)
    assert "٧ يناير ٢٠٢٢" in home_ar and "7 يناير 2022" in home_latin
    assert "١٠:٠٠ ص" not in home_latin
    assert not EASTERN_DIGIT.search(home_latin.replace("قمة NATO في 2024", ""))


def test_every_date_is_a_time_element_with_an_iso_datetime_in_the_site_offset(
    built: Callable[[str], dict[str, bytes]],
) -> None:
    for name, page in pages(built()).items():
        for attrs in page.find("time"):
            assert ISO_DATETIME.fullmatch(attrs["datetime"]), (name, attrs)
            assert attrs["datetime"].endswith("+03:00"), (name, attrs)


def test_hijri_date_sits_beside_the_gregorian_one_in_the_masthead(
    built: Callable[[str], dict[str, bytes]],
) -> None:
    home = built()["index.html"].decode()
    masthead = re.search(r'<p class="masthead-date">(.*?)</p>', home)
    assert masthead is not None
    assert "الجمعة، ٧ يناير ٢٠٢٢" in masthead.group(1)
    assert "٤ جمادى الآخرة ١٤٤٣ هـ" in masthead.group(1)


def test_article_language_sets_lang_and_direction_of_its_own_text(
    built: Callable[[str], dict[str, bytes]],
) -> None:
    files = pages(built())
    oil = next(p for n, p in files.items() if n.endswith("oil-prices-rise/index.html"))
    assert oil.find("h1") == [{"class": "story-title", "lang": "en", "dir": "ltr"}]
    assert oil.find("div", **{"class": "story-body"})[0]["dir"] == "ltr"
    gas = next(p for n, p in files.items() if "الغاز" in n and n.count("/") == 4)
    assert gas.find("h1")[0]["dir"] == "rtl" and gas.find("h1")[0]["lang"] == "fa-IR"
    # Titles in the site's own language carry its direction, never dir="auto".
    home = files["index.html"]
    titles = home.find("a") + home.find("h1")
    assert all(t.get("dir") != "auto" for t in titles)


def test_lead_story_is_the_pinned_one_and_is_not_repeated_in_its_section(
    built: Callable[[str], dict[str, bytes]],
) -> None:
    home = built()["index.html"].decode()
    lead = re.search(r'<div class="lead-story" id="lead-story">(.*?)</div>', home, re.S)
    assert lead is not None and "Oil prices rise" in lead.group(1)
    assert home.count(">Oil prices rise</a>") == 1


def test_reading_time_counts_arabic_words(built: Callable[[str], dict[str, bytes]]) -> None:
    summit = next(
        d.decode() for n, d in built().items() if n.endswith("قمة-nato-في-2024/index.html")
    )
    assert "مدة القراءة: <bdi>٣ دقائق</bdi>" in summit  # 400 words at 180 a minute


def test_no_page_loads_anything_from_another_host(built: Callable[[str], dict[str, bytes]]) -> None:
    files = built()
    for name, page in pages(files).items():
        for tag, attrs in page.tags:
            loads = {
                "link": attrs.get("href")
                if tag == "link" and attrs.get("rel") not in ("canonical", "alternate")
                else None,
                "script": attrs.get("src"),
                "img": attrs.get("src"),
                "source": attrs.get("srcset"),
                "iframe": attrs.get("src"),
                "video": attrs.get("src"),
                "audio": attrs.get("src"),
            }.get(tag)
            assert not (loads and urlsplit(loads).netloc), (name, tag, attrs)
    [css] = [d.decode() for n, d in files.items() if re.fullmatch(r"css/digest\.\w+\.css", n)]
    assert "@import" not in css and "@font-face" not in css and "url(" not in css


def test_english_site_has_no_arabic_in_its_pages(make_site: Callable[..., Site]) -> None:
    site = make_site(
        {"content/news/2022-01-07-a.md": article("Leaders meet", "2022-01-07T09:30:00", "Text.")},
        "title: Digest\nlanguage: en\ntimezone: Europe/London\n",
    )
    result = build_site(site)
    assert result.ok
    for name, data in result.files.items():
        if name.endswith(".html"):
            html = data.decode()
            assert '<html lang="en" dir="ltr">' in html
            assert not ARABIC_LETTER.search(html), name


def css_rules(css: str) -> list[tuple[str, str]]:
    """(selector, declarations) of every rule; @media preludes dropped, comments removed."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    css = re.sub(r"@media[^{]*\{", "", css)
    css = re.sub(r"@page[^{]*", "@page", css)
    return [(s.strip(), d) for s, d in re.findall(r"([^{}]+)\{([^{}]*)\}", css)]


STYLESHEET = (DIGEST / "static" / "css" / "digest.css").read_text(encoding="utf-8")
PHYSICAL = re.compile(
    r"(?<![-\w])(?:(?:margin|padding|border|inset)-(?:left|right|top|bottom)"
    r"|border-(?:top|bottom)-(?:left|right)-radius|left|right|top|bottom"
    r"|(?:min-|max-)?(?:width|height))\s*:"
    r"|(?:text-align|float|clear)\s*:\s*(?:left|right)"
)


def test_stylesheet_uses_logical_properties_only() -> None:
    found = [(s, d.strip()) for s, d in css_rules(STYLESHEET) if PHYSICAL.search(d)]
    assert found == []
    assert PHYSICAL.search("a { margin-left: 1px }") and PHYSICAL.search("b { width: 2px }")


def test_stylesheet_never_spaces_italicises_or_uppercases_arabic() -> None:
    for selector, declarations in css_rules(STYLESHEET):
        for prop, value in re.findall(r"([\w-]+)\s*:\s*([^;]+)", declarations):
            if prop == "letter-spacing" or prop == "text-transform":
                assert value.strip() in ("normal", "none"), (selector, prop, value)
            if prop == "font-style" and value.strip() == "italic":
                assert all(s.strip().startswith(":lang(en)") for s in selector.split(",")), selector


def test_stylesheet_names_arabic_fonts_with_fallbacks() -> None:
    stack = re.search(r"--font-text:([^;]+);", STYLESHEET)
    assert stack is not None
    families = [f.strip().strip('"') for f in stack.group(1).split(",")]
    assert families[:2] == ["Noto Naskh Arabic", "Amiri"]
    assert families[-1] == "serif"


def catalog_ids(language: str) -> dict[str, object]:
    with (DIGEST / "locale" / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return {m.id if isinstance(m.id, str) else m.id[0]: m for m in read_po(handle) if m.id}


def template_messages() -> set[str]:
    found = extract_from_dir(
        str(DIGEST),
        method_map=[("templates/**.html", "jinja2")],
        options_map={"templates/**.html": {"extensions": "jinja2.ext.i18n"}},
    )
    return {m[2] if isinstance(m[2], str) else m[2][0] for m in found}


@pytest.mark.parametrize("language", ["ar", "en", "fa", "he"])
def test_catalogs_translate_exactly_the_template_messages(language: str) -> None:
    catalog = catalog_ids(language)
    assert set(catalog) == template_messages()
    for msgid, message in catalog.items():
        assert not message.fuzzy, msgid  # type: ignore[attr-defined]
        strings = message.string  # type: ignore[attr-defined]
        forms = strings if isinstance(strings, tuple) else (strings,)
        assert all(forms), msgid
        if isinstance(strings, tuple):
            assert len(strings) == get_plural(language).num_plurals, msgid


def test_an_underscore_locale_gives_a_valid_html_lang(make_site: Callable[..., Site]) -> None:
    site = make_site(
        {"content/a.md": article("خبر", "2022-01-07T10:00:00", "نص.")},
        MINIMAL_CONFIG.replace("language: ar", "language: ar_EG"),
    )
    result = build_site(site)
    assert result.ok, [d.format() for d in result.diagnostics]
    assert result.files["index.html"].startswith(b'<!DOCTYPE html>\n<html lang="ar-EG" dir="rtl"')

"""Sites made by `sitegen new site --language L`, one per shipped language: every UI string on
their pages comes from L's catalog (none from another language's), with L's digits and dates."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from sitegen.build.theme import builtin_themes_dir
from sitegen.core.config import load_site
from sitegen.core.text import slugify
from sitegen.scaffold import LANGUAGES, STARTER, new_site
from tests.conftest import FIXED_NOW, build_site

CATALOGS = builtin_themes_dir() / "digest" / "locale"
UI_ATTRIBUTES = ("aria-label", "placeholder", "title", "alt")
READABLE_META = ("description", "og:title", "og:description", "og:site_name", "twitter:title")
PLACEHOLDER = re.compile(r"%\(\w+\)s")


def words(text: str) -> str:
    """A text as its words, each between spaces, for whole-word containment."""
    return " " + " ".join(re.findall(r"\w+", text)) + " "


def catalog_phrases(language: str) -> set[str]:
    """Every translation of a catalog (each plural form), cut at its placeholders."""
    with (CATALOGS / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle)
    phrases = set()
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in strings:
            phrases.update(p for p in map(words, PLACEHOLDER.split(text)) if p.strip())
    return phrases


VOID = frozenset({"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"})


class ReaderText(HTMLParser):
    """What a reader or a screen reader gets: text nodes (script data included, for the search
    page's messages; code left out), UI attributes and readable `<meta>` contents; content
    marked with a language of its own (`lang` below `<html>`) left out."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.in_code = 0
        self.marked = 0  # depth inside an element with its own `lang`
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag not in VOID and (self.marked or (tag != "html" and "lang" in values)):
            self.marked += 1
        if self.marked:
            return
        self.in_code += tag == "code"
        self.parts += [v for k, v in attrs if k in UI_ATTRIBUTES and v]
        if tag == "meta" and {values.get("name"), values.get("property")} & set(READABLE_META):
            self.parts.append(values.get("content") or "")

    def handle_endtag(self, tag: str) -> None:
        if self.marked:
            self.marked -= 1
            return
        self.in_code -= tag == "code"

    def handle_data(self, data: str) -> None:
        if not self.in_code and not self.marked:
            self.parts.append(data)


@pytest.fixture(scope="module")
def starter_pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, str]]:
    """Every HTML page of each language's starter site, built."""
    pages = {}
    for language in LANGUAGES:
        folder = tmp_path_factory.mktemp(language) / "news"
        new_site(folder, language, None, FIXED_NOW)
        site, problems = load_site(folder)
        assert site is not None, [p.format() for p in problems]
        result = build_site(site)
        assert result.diagnostics == (), [d.format() for d in result.diagnostics]
        pages[language] = {n: d.decode() for n, d in result.files.items() if n.endswith(".html")}
    return pages


@pytest.mark.parametrize("language", LANGUAGES)
def test_pages_have_no_ui_text_of_another_language(
    starter_pages: dict[str, dict[str, str]], language: str
) -> None:
    assert {"index.html", "404.html", "search/index.html", "tags/index.html"} <= set(
        starter_pages[language]
    )
    assert foreign_ui_text(starter_pages[language], language) == []


def foreign_ui_text(pages: dict[str, str], language: str) -> list[tuple[str, str]]:
    """(page, phrase) for each UI phrase of another catalog found on the pages."""
    own = catalog_phrases(language)
    foreign = set().union(*(catalog_phrases(o) for o in LANGUAGES if o != language)) - own
    found = []
    for name, html in pages.items():
        for part in map(words, ReaderText(html).parts):
            found += [(name, p.strip()) for p in foreign if p in part]
    return found


def test_bilingual_pages_speak_their_own_language(tmp_path: Path) -> None:
    """`new site --languages ar,en`: every English page (under en/) is `<html lang="en"
    dir="ltr">` with English UI text only (Arabic only where marked `lang="ar"`), every
    Arabic page Arabic UI text only; the switcher links each article to its translation."""
    folder = tmp_path / "news"
    new_site(folder, "ar", None, FIXED_NOW, ("en",))
    site, problems = load_site(folder)
    assert site is not None, [p.format() for p in problems]
    result = build_site(site)
    assert result.diagnostics == (), [d.format() for d in result.diagnostics]
    pages = {n: d.decode() for n, d in result.files.items() if n.endswith(".html")}
    english = {n: h for n, h in pages.items() if n.startswith("en/")}
    arabic = {n: h for n, h in pages.items() if not n.startswith("en/") and "email" not in n}
    kinds = {"index.html", "404.html", "search/index.html", "tags/index.html", "topics/index.html"}
    assert {f"en/{k}" for k in kinds} <= set(english) and kinds <= set(arabic)
    assert all('<html lang="en" dir="ltr">' in h for h in english.values())
    assert all('<html lang="ar" dir="rtl">' in h for h in arabic.values())
    assert foreign_ui_text(english, "en") == [] and foreign_ui_text(arabic, "ar") == []
    article = next(h for n, h in english.items() if n.count("/") == 5)
    assert re.search(r'<a href="/\d{4}/\d\d/\d\d/[^"]+/" hreflang="ar" lang="ar"', article)


def test_the_check_finds_ui_text_of_another_language() -> None:
    arabic, english = catalog_phrases("ar"), catalog_phrases("en")
    page = words(
        "".join(ReaderText('<p>مدة القراءة: <bdi>دقيقة</bdi></p><a title="Topics">').parts)
    )
    assert words("مدة القراءة") in arabic and words("مدة القراءة") in page
    assert any(p in words(" ".join(ReaderText('<a title="Topics">x</a>').parts)) for p in english)


def test_persian_pages_use_persian_digits_and_jalali_dates(
    starter_pages: dict[str, dict[str, str]],
) -> None:
    pages = starter_pages["fa"]
    for name, html in pages.items():
        text = "".join(ReaderText(html).parts)
        assert not re.search("[٠-٩]", text), name  # Arabic-Indic digits: Arabic's, not Persian's
    home = "".join(ReaderText(pages["index.html"]).parts)
    assert "شنبه ۱۸ دی ۱۴۰۰" in home  # Saturday 8 January 2022 in Tehran


def test_hebrew_pages_use_babel_hebrew_month_names(
    starter_pages: dict[str, dict[str, str]],
) -> None:
    home = "".join(ReaderText(starter_pages["he"]["index.html"]).parts)
    assert "8 בינואר 2022" in home
    assert starter_pages["he"]["index.html"].startswith(
        '<!DOCTYPE html>\n<html lang="he" dir="rtl"'
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_starter_article_files_are_named_by_their_title_slug(language: str) -> None:
    for topic in (STARTER / "articles" / language).iterdir():
        for article in topic.iterdir():
            title = re.search(r'^title: "(.*)"$', article.read_text(encoding="utf-8"), re.M)
            assert title is not None, article.name
            assert article.name == slugify(title.group(1)) + ".md"  # ZWNJ kept in Persian


GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "sites"


@pytest.mark.parametrize(
    ("case", "article", "shown"),
    [
        ("persian", "شورای-شهر-طرح-گسترش-پارک‌های-عمومی-را-تصویب-کرد", "جمعه ۱۷ دی ۱۴۰۰، ساعت ۹:۳۰"),
        (
            "hebrew",
            "מועצת-העיר-אישרה-תוכנית-להרחבת-הגנים-הציבוריים",
            "יום שישי, 7 בינואר 2022, בשעה 9:30",
        ),
    ],
)
def test_the_2022_01_07_article_shows_its_date_in_the_site_calendar(
    case: str, article: str, shown: str
) -> None:
    site, problems = load_site(GOLDEN / case)
    assert site is not None, [p.format() for p in problems]
    page = build_site(site).files[f"2022/01/07/{article}/index.html"].decode()
    assert f">{shown}</time>" in page
    assert 'datetime="2022-01-07T09:30:00+0' in page  # machine-readable: ISO, Latin digits


def test_persian_zero_width_non_joiners_stay_in_titles_slugs_and_tags() -> None:
    site, problems = load_site(GOLDEN / "persian")
    assert site is not None, [p.format() for p in problems]
    files = build_site(site).files
    title = "شورای شهر طرح گسترش پارک\u200cهای عمومی را تصویب کرد"
    page = files[f"2022/01/07/{title.replace(' ', '-')}/index.html"].decode()
    assert f">{title}</h1>" in page
    assert "tags/پارک\u200cها/index.html" in files
    assert "زمان\u200cبندی</h2>" in page and "پنج\u200cساله" in page

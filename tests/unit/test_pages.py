"""Standalone pages: undated content is a page at /<slug>/, section indexes describe topics."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

import pytest

from sitegen.build.editions import group_editions
from sitegen.build.load import SourceFile
from sitegen.build.markdown_html import MarkdownRenderer
from sitegen.build.model import model_articles
from sitegen.build.page_plan import plan_pages
from sitegen.build.pages import Page, model_pages, to_page
from sitegen.build.parse import Document, parse
from sitegen.build.plan import SitePlan, plan_site
from sitegen.build.readers.base import ReaderSettings
from sitegen.build.search.stage import search_records
from sitegen.core.config import Site, SiteConfig, parse_config
from tests.conftest import FIXED_NOW, MINIMAL_CONFIG, article, build_site

CONFIG, _ = parse_config(MINIMAL_CONFIG + "topics: [{name: سياسة, slug: politics}]\n")
assert CONFIG is not None
TZ = ZoneInfo("Asia/Riyadh")


def document(text: str, path: str = "content/about.md") -> Document:
    source = SourceFile(path, text.encode(), "0")
    doc, problems = parse(source, ReaderSettings(TZ), MarkdownRenderer(CONFIG.markdown))
    assert doc is not None, problems
    return doc


def page(text: str, path: str = "content/about.md") -> tuple[Page | None, list[str]]:
    found, problems = to_page(document(text, path), CONFIG)
    return found, [d.format() for d in problems]


def plan_of(files: dict[str, str], config: SiteConfig = CONFIG) -> SitePlan:
    """The plan of some sources, as the build makes it (no images stage)."""
    docs = [document(text, path) for path, text in files.items()]
    rest, pages, problems = model_pages(docs, config, drafts=False)
    visible, modeled = model_articles(rest, config, drafts=False, future=False, now=FIXED_NOW)
    editions = group_editions(visible.articles, config, pages.sections)
    plan, planned = plan_site(editions, {}, FIXED_NOW)
    plan, planned = plan_pages(plan, planned, pages.pages, pages.hidden)
    assert not [*problems, *modeled, *planned]
    return plan


ABOUT = "---\ntitle: من نحن\nslug: about\n---\nنحن فريق صغير.\n"


def test_a_page_has_the_keys_of_a_page_and_the_rest_in_extra() -> None:
    found, problems = page(
        "---\ntitle: دليل\ndescription: كيف تكتب\nlang: en\nupdated: 2022-01-06\n"
        "aliases: [/old/]\nmenu: {title: الدليل, weight: 3}\nlayout: wide\n---\nنص.\n"
    )
    assert problems == []
    assert found is not None
    assert (found.title, found.slug, found.summary) == ("دليل", "دليل", "كيف تكتب")
    assert (found.lang, found.dir, found.aliases) == ("en", None, ("/old/",))
    assert found.updated == dt.datetime(2022, 1, 6, tzinfo=TZ)
    assert found.menu is not None and (found.menu.title, found.menu.weight) == ("الدليل", 3)
    assert found.extra == {"layout": "wide"}


@pytest.mark.parametrize(
    ("menu", "title", "weight"), [("true", None, 0), ("عنّا", "عنّا", 0), ("{weight: -2}", None, -2)]
)
def test_a_page_places_itself_in_the_menu(menu: str, title: str | None, weight: int) -> None:
    found, _ = page(f"---\ntitle: t\nmenu: {menu}\n---\n")
    assert found is not None and found.menu is not None
    assert (found.menu.title, found.menu.weight) == (title, weight)


def test_a_bad_menu_value_and_a_missing_title_are_errors_at_their_lines() -> None:
    found, problems = page("---\nslug: x\nmenu: {weight: high}\n---\n")
    assert found is None
    assert problems == [
        "content/about.md:1: missing 'title'",
        "content/about.md:3: 'menu' must be true, a title, or {title: …, weight: <integer>}",
    ]


def test_article_keys_on_a_page_are_a_warning_at_the_first() -> None:
    found, problems = page("---\ntitle: t\nsource: وكالة\ntags: [أ]\ntopic: سياسة\n---\n")
    assert found is not None
    assert problems == [
        "content/about.md:3: warning: no 'date': published as a page, not an article"
        " (add 'date' to publish it as an article)"
    ]


def test_undated_documents_are_pages_dated_ones_articles() -> None:
    docs = [
        document(ABOUT),
        document(article("خبر"), "content/a.md"),
        document("---\ntitle: خبر قديم\n---\nنص.\n", "content/2021-05-01-old.md"),
        document("---\ntitle: مسودة\ndraft: true\n---\n", "content/draft.md"),
    ]
    rest, pages, problems = model_pages(docs, CONFIG, drafts=False)
    assert problems == []
    assert [d.path for d in rest] == ["content/a.md", "content/2021-05-01-old.md"]
    assert [p.path for p in pages.pages] == ["content/about.md"]
    assert [p.path for p in pages.hidden] == ["content/draft.md"]
    _, with_drafts, _ = model_pages(docs, CONFIG, drafts=True)
    assert [p.path for p in with_drafts.pages] == ["content/about.md", "content/draft.md"]


def test_news_text_without_a_date_stays_an_article(make_site: Callable[..., Site]) -> None:
    site = make_site({"content/a.txt": "عنوان الخبر\n\nنص الخبر الأول هنا.\n"})
    result = build_site(site)
    assert not result.ok
    assert any(d.path == "content/a.txt" and "date" in d.message for d in result.diagnostics)
    assert not any(name.startswith("عنوان") for name in result.files)


def test_section_indexes_describe_their_topics() -> None:
    docs = [
        document(
            "---\ntitle: x\ndescription: أخبار السياسة\n---\nتغطية **يومية**.\n",
            "content/politics/_index.md",
        ),
        document("---\ntitle: اقتصاد\n---\nأسواق ومال.\n", "content/اقتصاد/index.md"),
        document(article("خبر", topic="اقتصاد"), "content/اقتصاد/a.md"),
        document("---\ntitle: حزمة\n---\n", "content/bundle/index.md"),
    ]
    rest, pages, problems = model_pages(docs, CONFIG, drafts=False)
    assert problems == []
    assert [d.path for d in rest] == ["content/اقتصاد/a.md"]
    assert [p.path for p in pages.pages] == ["content/bundle/index.md"]  # a page bundle
    politics, economy = pages.sections["سياسة"], pages.sections["اقتصاد"]
    assert (politics.description, politics.body) == (
        "أخبار السياسة",
        "<p>تغطية <strong>يومية</strong>.</p>",
    )
    assert economy.description == "أسواق ومال."


def test_a_section_index_gives_a_topic_even_without_articles() -> None:
    plan = plan_of({"content/رياضة/_index.md": "---\ntitle: رياضة\n---\nكرة القدم.\n", **{}})
    (job,) = [j for j in plan.jobs if j.kind == "topic" and j.context["topic"]["name"] == "رياضة"]
    assert job.origin == "content/رياضة/_index.md"
    assert str(job.context["topic"]["body"]) == "<p>كرة القدم.</p>"
    assert job.context["topic"]["description"] == "كرة القدم."


def test_two_section_indexes_of_one_topic_are_an_error() -> None:
    docs = [
        document("---\ntitle: a\n---\n", "content/politics/_index.md"),
        document("---\ntitle: b\n---\n", "content/سياسة/_index.md"),
    ]
    _, _, problems = model_pages(docs, CONFIG, drafts=False)
    assert [d.format() for d in problems] == [
        "content/سياسة/_index.md:1: topic 'سياسة' already has a section index"
        " (content/politics/_index.md)"
    ]


def test_pages_are_in_the_sitemap_and_search_never_in_feeds_or_digests(
    make_site: Callable[..., Site],
) -> None:
    site = make_site({"content/about.md": ABOUT, "content/a.md": article("خبر")})
    result = build_site(site)
    assert result.ok, [d.format() for d in result.diagnostics]
    assert "about/index.html" in result.files
    assert b"https://example.org/about/" in result.files["sitemap.xml"]
    listings = ["feed.xml", "rss.xml", "index.html", "2022/01/07/index.html", "2022/index.html"]
    for name in listings:
        assert "نحن فريق صغير".encode() not in result.files[name], name
    assert b"/about/" not in result.files["feed.xml"]
    plan = plan_of({"content/about.md": ABOUT, "content/a.md": article("خبر")})
    records = {r.url: r for r in search_records(plan)}
    assert records["/about/"].title == "من نحن"
    assert records["/about/"].body == "<p>نحن فريق صغير.</p>"
    assert records["/about/"].date is None and records["/about/"].topic is None


def test_a_page_colliding_with_another_output_is_reported_at_its_slug(
    make_site: Callable[..., Site],
) -> None:
    site = make_site(
        {
            "content/t.md": "---\ntitle: الأقسام\nslug: topics\n---\nنص.\n",
            "content/a.md": article("خبر"),
        }
    )
    problems = [d.format() for d in build_site(site).diagnostics]
    assert problems == ["content/t.md:3: topics/index.html is also written by topics index"]


def test_a_page_alias_is_a_redirect_page(make_site: Callable[..., Site]) -> None:
    site = make_site(
        {
            "content/about.md": "---\ntitle: من نحن\nslug: about\naliases: [/about-us.html]\n---\n",
            "content/a.md": article("خبر"),
        }
    )
    result = build_site(site)
    assert result.ok
    redirect = result.files["about-us.html"].decode()
    assert 'content="0; url=/about/"' in redirect
    assert "نُقلت هذه الصفحة إلى:" in redirect  # a page, not "this article"
    assert ("/about-us.html", "/about/") in result.aliases


def test_a_page_body_image_goes_through_the_images_stage(make_site: Callable[..., Site]) -> None:
    site = make_site(
        {
            "content/about.md": "---\ntitle: من نحن\n---\nنص.\n\n![شعار](logo.png)\n",
            "content/a.md": article("خبر"),
        }
    )
    problems = [d.format() for d in build_site(site).diagnostics]
    assert problems == [
        "content/about.md:6: warning: image 'logo.png' not found"
        " (looked for content/logo.png, static/logo.png)"
    ]


@pytest.mark.parametrize(
    "front", ["title:\n", "title: ''\n", "title: '!!!'\n", "title: t\nslug: '..'\n"]
)
def test_a_page_never_gets_an_empty_url(front: str) -> None:
    """A page's URL is its slug alone: an empty title or slug would write the home page."""
    found, problems = page(f"---\n{front}---\nنص.\n")
    assert found is None and len(problems) == 1

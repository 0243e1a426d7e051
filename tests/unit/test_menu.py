"""The menu: `menu:` in sitegen.yaml and pages' own `menu:`, resolved for every page."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from sitegen.core.config import Site, parse_config
from tests.conftest import MINIMAL_CONFIG, article, build_site

TOPICS = "topics: [{name: سياسة, slug: politics}]\n"
FILES = {
    "content/about.md": "---\ntitle: من نحن\nslug: about\n---\nفريق.\n",
    "content/guide.md": "---\ntitle: دليل\nmenu: {title: الدليل, weight: 2}\n---\nخطوات.\n",
    "content/contact.md": "---\ntitle: اتصل بنا\nmenu: {weight: 1}\n---\nبريد.\n",
    "content/politics/a.md": article("خبر"),
}


@pytest.mark.parametrize(
    ("menu", "problem"),
    [
        (
            "  - title: x\n",
            "sitegen.yaml:4: a menu item needs exactly one of 'page', 'topic' or 'url'",
        ),
        (
            "  - page: about\n    topic: سياسة\n",
            "sitegen.yaml:4: a menu item needs exactly one of 'page', 'topic' or 'url',"
            " not page and topic",
        ),
        ("  - url: /2022/\n", "sitegen.yaml:4: menu item '/2022/' needs a 'title'"),
        (
            "  - url: javascript:alert(1)\n    title: x\n",
            "sitegen.yaml:4: menu url 'javascript:alert(1)' must start with '/' (a path of the"
            " site) or be an http(s) URL",
        ),
        (
            "  - paeg: about\n",
            "sitegen.yaml:4: unknown key 'menu[1].paeg' (did you mean 'page'?)\n"
            "sitegen.yaml:4: a menu item needs exactly one of 'page', 'topic' or 'url'",
        ),
    ],
)
def test_menu_items_are_checked_at_their_line(menu: str, problem: str) -> None:
    config, problems = parse_config("title: x\nmenu:\n  - page: ok\n" + menu)
    assert config is None
    assert "\n".join(d.format() for d in problems) == problem


def test_menu_items_keep_their_line() -> None:
    config, _ = parse_config(
        "title: x\nmenu:\n  - page: about\n\n  - title: أرشيف\n    url: /2022/\n"
    )
    assert config is not None
    assert [(item.page, item.url, item.line) for item in config.menu] == [
        ("about", None, 3),
        (None, "/2022/", 5),
    ]


def test_unknown_pages_and_topics_are_errors_at_their_line(make_site: Callable[..., Site]) -> None:
    menu = "menu:\n  - page: about\n  - page: missing\n  - topic: رياضة\n"
    site = make_site(FILES, config=MINIMAL_CONFIG + TOPICS + menu)
    assert [d.format() for d in build_site(site).diagnostics] == [
        "sitegen.yaml:8: menu: no page 'missing' (name a page by its slug or its file under content/)",
        "sitegen.yaml:9: menu: no topic 'رياضة' (name a topic by its name or its slug)",
    ]


def test_the_menu_on_every_page_with_the_current_link(make_site: Callable[..., Site]) -> None:
    menu = (
        "menu:\n  - page: content/about.md\n    title: عنّا\n  - topic: politics\n"
        "  - title: الأرشيف\n    url: /2022/\n  - title: المصدر\n    url: https://example.com/\n"
    )
    site = make_site(
        {**FILES, "content/draft.md": "---\ntitle: مسودة\ndraft: true\n---\nنص.\n"},
        config=MINIMAL_CONFIG + TOPICS + menu + "  - page: draft.md\n",  # a draft: left out
    )
    result = build_site(site)
    assert result.ok, [d.format() for d in result.diagnostics]
    links = [
        '<li><a href="/about/" aria-current="page"><bdi>عنّا</bdi></a></li>',
        '<li><a href="/topics/politics/"><bdi>سياسة</bdi></a></li>',
        '<li><a href="/2022/"><bdi>الأرشيف</bdi></a></li>',
        '<li><a href="https://example.com/"><bdi>المصدر</bdi></a></li>',
        '<li><a href="/اتصل-بنا/"><bdi>اتصل بنا</bdi></a></li>',  # placed by its weight, 1
        '<li><a href="/دليل/"><bdi>الدليل</bdi></a></li>',  # then 2
    ]
    about = result.files["about/index.html"].decode()
    masthead = about.split('aria-label="القائمة الرئيسية"')[1].split("</nav>")[0]
    assert [line.strip() for line in masthead.strip().splitlines()[2:-1]] == links
    assert '<nav class="footer-menu" aria-label="صفحات الموقع">' in about
    day = result.files["2022/01/07/index.html"].decode()
    assert '<a href="/2022/" aria-current="page">' in day  # the day is inside the archive
    assert '<a href="/about/" aria-current="page">' not in day
    topic = result.files["topics/politics/index.html"].decode()
    assert '<a href="/topics/politics/" aria-current="page">' in topic


def test_without_a_menu_the_masthead_lists_the_topics(make_site: Callable[..., Site]) -> None:
    site = make_site(
        {"content/about.md": FILES["content/about.md"], "content/politics/a.md": article("خبر")},
        config=MINIMAL_CONFIG + TOPICS,
    )
    page = build_site(site).files["about/index.html"].decode()
    assert 'class="topic-nav" aria-label="الأقسام"' in page
    assert "footer-menu" not in page

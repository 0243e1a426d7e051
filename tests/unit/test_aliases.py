"""Old URLs (`aliases:`) become redirect pages (sitegen.build.aliases, Routes.alias)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from sitegen.build.aliases import alias_problem
from sitegen.build.collisions import check_collisions
from sitegen.build.plan import PageJob
from sitegen.build.routes import Routes
from sitegen.core.config import Site, parse_config
from tests.conftest import article, build_site

SUB_PATH = "title: موقع\nbase_url: https://example.org/news/\ntimezone: Asia/Riyadh\n"
CONFIG, _ = parse_config(SUB_PATH)
assert CONFIG is not None
ROUTES = Routes(CONFIG)


@pytest.mark.parametrize(
    ("alias", "path"),
    [
        ("/old/summit/", "old/summit/"),
        ("old/summit", "old/summit/"),
        ("/old/summit.html", "old/summit.html"),
        ("/archive/123.aspx", "archive/123.aspx/"),
        ("/%D9%82%D8%AF%D9%8A%D9%85/", "قديم/"),
        ("https://example.org/news/old/", "old/"),
    ],
)
def test_alias_paths_are_relative_to_the_base_path(alias: str, path: str) -> None:
    assert ROUTES.alias(alias) == path
    assert alias_problem(alias, ROUTES) is None


@pytest.mark.parametrize(
    ("alias", "problem"),
    [
        ("https://other.org/old/", "is not on this site (https://example.org/news/)"),
        ("https://example.org/elsewhere/", "is not on this site"),
        ("ftp://example.org/news/x/", "must be a path such as /old/url/ or an http(s) URL"),
        ("/old/?id=5", "has a query or fragment"),
        ("/old/#part", "has a query or fragment"),
        ("/", "is the home page"),
        ("/a/../b/", "has an empty, '.' or '..' segment"),
        ("/a//b/", "has an empty, '.' or '..' segment"),
        ("/topics//", "has an empty, '.' or '..' segment"),  # it would overwrite /topics/
        ("/ok/\\..\\w/", "has a backslash or a control character"),
        ("\\old\\x", "has a backslash or a control character"),
        ("/a%5C..%5Cb/", "has a backslash or a control character"),
        ("/a%5cb/", "has a backslash or a control character"),
        ("/a\x00b/", "has a backslash or a control character"),
        ("/a%00b/", "has a backslash or a control character"),
        ("/a\tb/", "has a backslash or a control character"),  # urlsplit drops tabs
        ("/a%0Ab/", "has a backslash or a control character"),
        ("/a%7Fb/", "has a backslash or a control character"),
        ("/a/%2E%2E/b/", "has an empty, '.' or '..' segment"),
        ("/a/..%2Fb/", "has an empty, '.' or '..' segment"),
        ("/.%2e/x/", "has an empty, '.' or '..' segment"),
        ("https://example.org/news/%2e%2e/x/", "has an empty, '.' or '..' segment"),
    ],
)
def test_aliases_a_static_page_cannot_serve(alias: str, problem: str) -> None:
    found = alias_problem(alias, ROUTES)
    assert found is not None and problem in found


def test_redirect_pages_point_at_the_article(make_site: Callable[..., Site]) -> None:
    site = make_site(
        {"content/a.md": article("القمة", aliases="[/old/summit/, /old/summit, /قديم.html]")},
        config=SUB_PATH,
    )
    result = build_site(site)
    assert result.ok, [d.format() for d in result.diagnostics]
    target = "/news/2022/01/07/القمة/"
    absolute = "https://example.org/news/2022/01/07/%D8%A7%D9%84%D9%82%D9%85%D8%A9/"
    for name in ("old/summit/index.html", "قديم.html"):
        page = result.files[name].decode()
        assert f'<meta http-equiv="refresh" content="0; url={target}">' in page
        assert f'<link rel="canonical" href="{absolute}">' in page
        assert '<meta name="robots" content="noindex">' in page
        assert f'<a href="{target}" dir="auto">القمة</a>' in page
        assert "نُقل هذا الخبر إلى:" in page
        assert '<html lang="ar" dir="rtl">' in page
    assert b"old/summit" not in result.files["sitemap.xml"]
    # for deploy's _redirects: one rule per distinct old URL
    assert result.aliases == (
        ("/news/old/summit/", target),
        ("/news/قديم.html", target),
    )


def test_an_alias_on_a_page_of_the_site_is_a_collision(make_site: Callable[..., Site]) -> None:
    site = make_site(
        {
            "content/a.md": article("أ", aliases="[/2022/01/06/ب/]"),
            "content/b.md": article("ب", date="2022-01-06T10:00:00+03:00"),
            "content/c.md": article("ج", aliases="[/old/]"),
            "content/d.md": article("د", aliases="[/old, /topics/]"),
        },
        config=SUB_PATH,
    )
    assert [d.format() for d in build_site(site).diagnostics] == [
        "content/a.md:4: 2022/01/06/ب/index.html is also written by content/b.md:2",
        "content/d.md:4: old/index.html is also written by content/c.md:4",
        "content/d.md:4: topics/index.html is also written by topics index",
    ]


def test_unusable_aliases_are_errors_at_their_line(make_site: Callable[..., Site]) -> None:
    site = make_site(
        {"content/a.md": article("أ", aliases="[/old/?p=1, 'https://other.org/x/']")},
        config=SUB_PATH,
    )
    assert [d.format() for d in build_site(site).diagnostics] == [
        "content/a.md:4: alias '/old/?p=1' has a query or fragment, which a static redirect"
        " page cannot match",
        "content/a.md:4: alias 'https://other.org/x/' is not on this site"
        " (https://example.org/news/)",
    ]


def test_a_file_where_a_folder_is_needed_is_reported() -> None:
    jobs = [PageJob("topics/", "topics.html", {}, "topics index")]
    problems = check_collisions(jobs, {"topics": "static/topics"})
    assert [p.format() for p in problems] == [
        "topics index: topics/index.html needs a folder topics/ where static/topics writes a file"
    ]


@pytest.mark.parametrize(
    "alias",
    [
        "https://example.org/%D8%A3%D8%AE%D8%A8%D8%A7%D8%B1/old/",
        "https://example.org/أخبار/old/",
        "https://EXAMPLE.org:443/أخبار/old/",
        "http://example.org/أخبار/old/",
    ],
)
def test_full_url_aliases_on_a_non_ascii_base_path(alias: str) -> None:
    config, _ = parse_config(SUB_PATH.replace("/news/", "/أخبار/"))
    assert config is not None
    routes = Routes(config)
    assert alias_problem(alias, routes) is None
    assert routes.alias(alias) == "old/"


def test_an_alias_on_another_port_is_not_on_the_site() -> None:
    assert "is not on this site" in (
        alias_problem("https://example.org:8443/news/x/", ROUTES) or ""
    )

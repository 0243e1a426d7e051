"""Newsroom fields on pages: via, corrections, breaking strip, pinned articles."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from sitegen.core.config import Site
from tests.conftest import MINIMAL_CONFIG, article, build_site


@pytest.fixture
def files(make_site: Callable[..., Site]) -> dict[str, bytes]:
    site = make_site(
        {
            "content/a.md": article(
                "عاجل: زلزال",
                "2022-01-07T09:00:00+03:00",
                topic="العالم",
                breaking="true",
                via="وكالة الأنباء العربية",
                corrections=(
                    "[{date: '2022-01-07T11:00:00+03:00', note: صُحح عدد المصابين.},"
                    " {date: '2022-01-07T10:00:00+03:00', note: صُحح اسم المدينة.}]"
                ),
            ),
            "content/b.md": article("خبر عادي", "2022-01-07T10:00:00+03:00", topic="العالم"),
            "content/c.md": article(
                "خبر مثبت", "2022-01-07T08:00:00+03:00", topic="العالم", pinned="true"
            ),
            "content/d.md": article("خبر رياضي", "2022-01-07T12:00:00+03:00", topic="رياضة"),
            "content/e.md": article(
                "عاجل قديم", "2022-01-05T09:00:00+03:00", topic="رياضة", breaking="true"
            ),
            "content/f.md": article("أقدم", "2022-01-04T09:00:00+03:00"),
        },
        config=MINIMAL_CONFIG + "paginate:\n  days: 1\n",
    )
    result = build_site(site)
    assert result.ok, [d.format() for d in result.diagnostics]
    return result.files


def breaking_strip(page: bytes) -> list[str]:
    match = re.search(r'<section class="breaking".*?</section>', page.decode(), re.S)
    return re.findall(r'<a href="[^"]+"[^>]*>([^<]+)</a>', match.group(0)) if match else []


def test_via_is_shown_on_the_article(files: dict[str, bytes]) -> None:
    page = files["2022/01/07/عاجل-زلزال/index.html"].decode()
    assert "عبر: <bdi>وكالة الأنباء العربية</bdi>" in page


def test_corrections_are_listed_in_date_order_and_date_the_article(
    files: dict[str, bytes],
) -> None:
    page = files["2022/01/07/عاجل-زلزال/index.html"].decode()
    section = re.search(r'<section class="corrections".*?</section>', page, re.S)
    assert section is not None
    notes = re.findall(r'<time datetime="([^"]+)">.*?<span[^>]*>([^<]+)</span>', section[0])
    assert notes == [
        ("2022-01-07T10:00:00+03:00", "صُحح اسم المدينة."),
        ("2022-01-07T11:00:00+03:00", "صُحح عدد المصابين."),
    ]
    assert '"dateModified": "2022-01-07T11:00:00+03:00"' in page
    assert '<meta property="article:modified_time" content="2022-01-07T11:00:00+03:00">' in page
    sitemap = files["sitemap.xml"].decode()
    assert "<lastmod>2022-01-07T11:00:00+03:00</lastmod>" in sitemap


def test_breaking_strip_on_the_home_page_and_its_day_only(files: dict[str, bytes]) -> None:
    assert breaking_strip(files["index.html"]) == ["عاجل: زلزال"]
    assert breaking_strip(files["2022/01/07/index.html"]) == ["عاجل: زلزال"]
    assert breaking_strip(files["2022/01/05/index.html"]) == ["عاجل قديم"]
    assert breaking_strip(files["page/2/index.html"]) == []


def test_pinned_article_comes_first_in_its_topic_on_the_day(files: dict[str, bytes]) -> None:
    day = files["2022/01/07/index.html"].decode()
    sections = re.findall(r'<section class="topic-section".*?</section>', day, re.S)
    titles = [re.findall(r'class="card-title"[^>]*><a [^>]*>([^<]+)</a>', s) for s in sections]
    lead = re.search(
        r'<div class="lead-story[^"]*" id="lead-story">.*?<a [^>]*>([^<]+)</a>', day, re.S
    )
    assert lead is not None and lead.group(1) == "خبر مثبت"  # the day opens with it
    assert titles == [["خبر عادي", "عاجل: زلزال"], ["خبر رياضي"]]

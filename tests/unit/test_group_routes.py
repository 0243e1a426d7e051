import datetime as dt
import random
from collections.abc import Callable
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest

from sitegen.build.group import build_index
from sitegen.build.model import Article
from sitegen.build.routes import URI_SAFE, Routes, percent_encode
from sitegen.core.config import Site, parse_config
from tests.conftest import MINIMAL_CONFIG, article, build_site

TZ = ZoneInfo("Asia/Riyadh")
CONFIG, _ = parse_config(
    "title: x\ntimezone: Asia/Riyadh\ntopics: [{name: ب, slug: b}, {name: أ, slug: a}]\n"
)
assert CONFIG is not None


def art(
    slug: str,
    day: int,
    hour: int,
    topic: str | None,
    tags: tuple[str, ...] = (),
    pinned: bool = False,
) -> Article:
    return Article(
        path=f"content/{slug}.md",
        title=slug,
        slug=slug,
        date=dt.datetime(2022, 1, day, hour, tzinfo=TZ),
        html="",
        summary="",
        word_count=0,
        topic=topic,
        tags=tags,
        pinned=pinned,
    )


def test_days_group_by_topic_in_configured_order_with_pinned_first() -> None:
    index = build_index(
        [
            art("x1", 7, 9, "أ"),
            art("x2", 7, 10, "ب"),
            art("x3", 7, 8, "أ", pinned=True),
            art("x4", 6, 9, None),
            art("x5", 6, 10, "ج"),
        ],
        CONFIG,
    )
    assert [d.date.day for d in index.days] == [7, 6]
    day = index.days[0]
    assert [s.topic.name for s in day.sections if s.topic] == ["ب", "أ"]
    assert [a.slug for a in day.sections[1].articles] == ["x3", "x1"]
    assert [s.topic.name if s.topic else None for s in index.days[1].sections] == ["ج", None]
    assert [g.topic.slug for g in index.topics] == ["b", "a", "ج"]
    assert [a.slug for a in index.articles] == ["x2", "x1", "x3", "x5", "x4"]


def test_a_day_carries_its_lead_and_each_sections_articles_after_it() -> None:
    day = build_index(
        [art("x1", 7, 9, "أ"), art("x2", 7, 10, "ب"), art("x3", 7, 8, "أ", pinned=True)], CONFIG
    ).days[0]
    assert day.lead is not None and day.lead.slug == "x3"  # pinned, though not in the first topic
    assert [[a.slug for a in s.articles] for s in day.sections] == [["x2"], ["x3", "x1"]]
    assert [[a.slug for a in s.rest] for s in day.sections] == [["x2"], ["x1"]]
    lone = build_index([art("y", 7, 9, "ب"), art("z", 7, 8, "أ")], CONFIG).days[0]
    assert [[a.slug for a in s.rest] for s in lone.sections] == [[], ["z"]]


def test_each_article_appears_once_per_grouping() -> None:
    articles = [
        art(f"a{i}", 1 + i % 5, i % 24, ["أ", "ب", None][i % 3], (f"t{i % 4}",)) for i in range(60)
    ]
    index = build_index(articles, CONFIG)
    assert sorted(a.slug for d in index.days for a in d.articles) == sorted(
        a.slug for a in articles
    )
    assert sum(len(g.articles) for g in index.tags) == 60
    assert sum(len(d.days) for m in index.months for d in [m]) == len(index.days)


def test_related_prefers_shared_tags_then_closeness() -> None:
    a = art("a", 7, 9, "أ", ("x", "y"))
    b = art("b", 7, 8, "أ", ("x", "y"))
    c = art("c", 7, 10, "أ", ("x",))
    d = art("d", 1, 1, "أ", ("z",))
    index = build_index([a, b, c, d], CONFIG)
    assert [r.slug for r in index.related["content/a.md"]] == ["b", "c"]
    assert index.related["content/d.md"] == ()


def test_tags_merge_spellings_with_one_slug() -> None:
    index = build_index(
        [
            art("a", 7, 9, None, ("NATO",)),
            art("b", 7, 8, None, ("nato",)),
            art("c", 7, 7, None, ("NATO",)),
        ],
        CONFIG,
    )
    assert [(g.tag.name, g.tag.slug, len(g.articles)) for g in index.tags] == [("NATO", "nato", 3)]


def test_routes_and_base_path() -> None:
    config, _ = parse_config("title: x\nbase_url: https://x.org/news/\n")
    assert config is not None
    r = Routes(config)
    a = art("عنوان-الخبر", 7, 9, None)
    path = r.article(a, None)
    assert path == "2022/01/07/عنوان-الخبر/"
    assert r.output_file(path) == "2022/01/07/عنوان-الخبر/index.html"
    assert r.url(path) == "/news/2022/01/07/عنوان-الخبر/"
    assert (
        r.absolute(path)
        == "https://x.org/news/2022/01/07/%D8%B9%D9%86%D9%88%D8%A7%D9%86-%D8%A7%D9%84%D8%AE%D8%A8%D8%B1/"
    )
    assert (
        r.topic("s", 2) == "topics/s/page/2/"
        and r.home(1) == ""
        and r.output_file("") == "index.html"
    )
    assert r.url(r.search_bundle()) == "/news/pagefind/"


def test_permalink_pattern() -> None:
    config, _ = parse_config("title: x\npermalinks:\n  article: /{topic}/{slug}/\n")
    assert config is not None
    assert Routes(config).article(art("s", 7, 9, None), "politics") == "politics/s/"


def test_percent_encode_keeps_escapes_and_encodes_a_lone_percent() -> None:
    assert percent_encode("https://example.org/قمة/50%/%D8%A3/?q=1#x") == (
        "https://example.org/%D9%82%D9%85%D8%A9/50%25/%D8%A3/?q=1#x"
    )


def test_absolute_urls_encode_as_urllib_quote_does() -> None:
    """`Routes.absolute` and `tag_uri` percent-encode with a table filled as characters are
    met; every character (letters of several scripts, joiners, emoji, spaces, controls,
    ASCII punctuation) comes out as `urllib.parse.quote` makes it."""
    config, _ = parse_config("title: x\nbase_url: https://x.org/\n")
    assert config is not None
    routes = Routes(config)
    rng = random.Random(17)
    alphabet = [chr(c) for c in range(0x700)] + ["\u200c", "\U0001f600", "\ufeff", "\u05d0"]
    for _ in range(3000):
        path = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 24)))
        assert routes.absolute(path) == "https://x.org" + quote("/" + path, safe=URI_SAFE)
        assert routes.tag_uri(dt.date(2022, 1, 7), path).endswith(":" + quote(path, safe=URI_SAFE))
    with pytest.raises(UnicodeEncodeError):  # a lone surrogate, as `quote` refuses it
        routes.absolute("\ud800")


def test_a_topic_given_by_its_slug_is_the_configured_topic_and_slug_clashes_name_files(
    make_site: Callable[..., Site],
) -> None:
    """Audit 15.3: `topic: politics` made a second topic writing topics/politics/ (an error
    without a file); two unconfigured topics with one slug are reported at their lines."""
    site = make_site(
        {
            "content/economy/a.md": article("أ", topic="politics"),
            "content/b.md": article("ب", category="Sport"),
            "content/sport/c.md": article("ج"),
        },
        config=MINIMAL_CONFIG + "topics: [{name: سياسة, slug: politics}]\n",
    )
    result = build_site(site)
    assert [(d.path, d.line, d.message, d.hint) for d in result.diagnostics] == [
        (
            "content/sport/c.md",
            None,  # the topic comes from its folder
            "topics/sport/index.html is also written by content/b.md:4",
            "topics 'sport' and 'Sport' have one URL slug: spell them the same way",
        )
    ]
    (site.root / "content/b.md").write_text(article("ب"), encoding="utf-8")
    result = build_site(site)
    assert result.ok and "topics/politics/index.html" in result.files
    assert "/topics/politics/" in result.files["2022/01/07/أ/index.html"].decode()

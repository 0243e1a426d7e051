"""Fingerprints: equal exactly when the data is; template closures follow every reference."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

from sitegen.build.incremental.fingerprints import (
    OUTPUT_LIBRARIES,
    Fingerprinter,
    TemplateClosure,
    _installed_versions,
    canonical_digest,
    templates_digest,
)
from sitegen.build.theme import Theme, ThemeLayer
from sitegen.build.views import ARTICLE_FACTS, article_facts
from tests.conftest import article, build_site


def digest(value: object) -> str:
    return Fingerprinter().digest(value)


def test_equal_data_equal_digest_whatever_the_sharing_or_key_order() -> None:
    view = {"title": "خبر", "tags": [{"slug": "نفط"}]}
    shared = {"a": view, "b": [view, view]}
    copied = {"b": [dict(view), {**view}], "a": {"tags": [{"slug": "نفط"}], "title": "خبر"}}
    assert digest(shared) == digest(copied)


def test_different_data_different_digest() -> None:
    values = [
        {"a": 1},
        {"a": "1"},
        {"a": True},
        {"a": None},
        {"a": 1.0},
        {"a": [1]},
        {"a": {"b": 1}},
        {"a": [{"b": 1}]},
        {"b": 1},
        {"a": "x" * 100},
        {"a": "x" * 101},
    ]
    assert len({digest(v) for v in values}) == len(values)


def test_dates_keep_their_zone() -> None:
    riyadh = dt.datetime(2022, 1, 7, 12, tzinfo=ZoneInfo("Asia/Riyadh"))
    same_instant = riyadh.astimezone(dt.UTC)
    assert digest({"d": riyadh}) != digest({"d": same_instant})
    assert digest({"d": riyadh.date()}) != digest({"d": riyadh})
    assert canonical_digest([riyadh]) == canonical_digest([riyadh.replace()])
    # a page's `modified`, digested alone
    assert digest(riyadh) != digest(same_instant)
    assert digest(riyadh) == digest(riyadh.replace())
    assert digest(riyadh) != digest(riyadh.isoformat())


def test_empty_containers_are_their_own_digest() -> None:
    assert digest({}) != digest([])
    assert digest([]) == digest(())  # a tuple is a list in JSON
    assert digest({"a": {}}) != digest({"a": []})
    assert digest([[]]) != digest([{}])


def theme(templates: dict[str, str], parent: dict[str, str] | None = None) -> Theme:
    def layer(name: str, files: dict[str, str]) -> ThemeLayer:
        return ThemeLayer(name, Path(name), {k: (v, k) for k, v in files.items()}, (), {})

    layers = [layer("child", templates)] + ([layer("base", parent)] if parent else [])
    return Theme(tuple(layers))


def test_closure_follows_extends_include_import_and_parents() -> None:
    t = theme(
        {
            "page.html": '{% extends "base.html" %}{% block b %}{% include "part.html" %}{% endblock %}',
            "base.html": '{% import "macros.html" as m %}{% block b %}{% endblock %}',
            "part.html": '{% extends "@base/part.html" %}',
            "other.html": "x",
        },
        parent={"part.html": "p", "macros.html": "{% macro x() %}{% endmacro %}"},
    )
    closures = TemplateClosure(t)
    assert closures.closure("page.html") == [
        "@base/part.html",
        "base.html",
        "macros.html",
        "page.html",
        "part.html",
    ]
    before = closures.digest("page.html")
    changed = TemplateClosure(theme(
        {**{k: v for k, (v, _) in t.layers[0].templates.items()}},
        parent={"part.html": "p2", "macros.html": "{% macro x() %}{% endmacro %}"},
    ))  # fmt: skip
    assert changed.digest("page.html") != before
    assert changed.digest("other.html") == closures.digest("other.html")


def test_dynamic_template_name_depends_on_every_template() -> None:
    t = theme({"page.html": "{% include name %}", "a.html": "a", "b.html": "b"})
    assert TemplateClosure(t).closure("page.html") == ["a.html", "b.html", "page.html"]


def test_missing_template_counts_as_missing() -> None:
    t = theme({"page.html": '{% include "gone.html" %}'})
    closures = TemplateClosure(t)
    assert closures.closure("page.html") == ["gone.html", "page.html"]
    later = TemplateClosure(theme({"page.html": '{% include "gone.html" %}', "gone.html": "!"}))
    assert later.digest("page.html") != closures.digest("page.html")


def test_build_time_joins_only_closures_that_show_relative_dates() -> None:
    t = theme(
        {
            "page.html": '{% extends "base.html" %}',
            "base.html": "{{ date | relative }}",
            "plain.html": "{{ date | isodate }}",
        }
    )
    morning, evening = (
        TemplateClosure(t, "2022-01-07T08:00"),
        TemplateClosure(t, "2022-01-07T20:00"),
    )
    assert morning.digest("page.html") != evening.digest("page.html")
    assert morning.digest("plain.html") == evening.digest("plain.html")


def test_a_stand_in_key_replaces_a_field_but_not_the_others() -> None:
    view = {"title": "خبر", "html": "<p>نص طويل</p>", "tags": [{"name": "اقتصاد"}]}
    page = {"article": view, "related": [view]}

    def with_key(value: dict, key: str) -> str:
        fingerprinter = Fingerprinter()
        fingerprinter.stand_in(value, ("html",), key)
        return fingerprinter.digest({"article": value, "related": [value]})

    assert with_key(view, "parse:1") == with_key(dict(view), "parse:1")
    assert with_key(view, "parse:1") != with_key(view, "parse:2")
    assert with_key(view, "parse:1") != with_key({**view, "title": "آخر"}, "parse:1")
    retagged = {**view, "tags": [{"name": "سياسة"}]}
    assert with_key(view, "parse:1") != with_key(retagged, "parse:1")
    assert with_key(view, "parse:1") != digest(page)  # never confused with the value itself


def test_stood_in_fields_are_named_in_the_digest() -> None:
    view = {"title": "خبر", "html": "<p>نص</p>", "url": "/a/"}

    def stood(names: tuple[str, ...]) -> str:
        fingerprinter = Fingerprinter()
        fingerprinter.stand_in(view, names, "model:1")
        return fingerprinter.digest(view)

    assert stood(("html",)) != stood(("html", "title"))
    assert stood(("title", "html")) == stood(("html", "title"))


def test_a_closure_table_gives_the_same_digests_without_parsing() -> None:
    t = theme(
        {
            "page.html": '{% extends "base.html" %}',
            "base.html": "{{ date | relative }}",
            "plain.html": '{% include "part.html" %}',
            "part.html": "x",
        }
    )
    fresh = TemplateClosure(t, "2022-01-07T08:00")
    table = fresh.table()

    class NoParsing(TemplateClosure):
        def closure(self, name: str) -> list[str]:
            raise AssertionError(f"parsed {name}")

    known = NoParsing(t, "2022-01-07T08:00", table)
    assert {n: known.digest(n) for n in fresh.names()} == {
        n: fresh.digest(n) for n in fresh.names()
    }
    later = NoParsing(t, "2022-01-07T20:00", table)
    assert later.digest("page.html") != fresh.digest("page.html")  # the clock still counts
    assert later.digest("plain.html") == fresh.digest("plain.html")


def test_templates_digest_follows_template_sources_only() -> None:
    t = theme({"page.html": "a"})
    assert templates_digest(t) == templates_digest(theme({"page.html": "a"}))
    assert templates_digest(t) != templates_digest(theme({"page.html": "b"}))
    assert templates_digest(t) != templates_digest(theme({"other.html": "a"}))


def test_article_facts_are_exactly_the_fields_made_from_the_article_alone(make_site) -> None:
    # Page fingerprints let an article's model key stand for ARTICLE_FACTS: a name there that
    # the article alone does not determine would leave pages stale when it changed.
    site = make_site({"content/a.md": article("خبر")})
    (made,) = build_site(site).articles
    assert set(article_facts(made)) == ARTICLE_FACTS


def test_a_container_freed_after_its_digest_never_lends_its_identity() -> None:
    # Page fingerprints digest values made on the fly (a page's metadata inputs); once one
    # is freed, CPython gives its address to the next list made. A memo by identity must
    # not answer for the new list with the old one's digest.
    fingerprinter = Fingerprinter()
    digests = [fingerprinter.digest([{"href": f"/feed-{i}.xml"}]) for i in range(50)]
    assert len(set(digests)) == 50


def test_short_and_hashed_containers_never_meet() -> None:
    short, long = ["x"], ["x" * 100]
    values = [short, long, [short], [long], {"a": short}, {"a": long}, [], {}, [[]], [{}]]
    assert len({digest(v) for v in values}) == len(values)
    assert digest([["x"], ["y"]]) != digest([["x", "y"]])


def test_library_versions_are_the_installed_ones_without_importlib_metadata() -> None:
    import importlib.metadata

    installed = _installed_versions()
    for name in OUTPUT_LIBRARIES:
        assert installed.get(name) == importlib.metadata.version(name)

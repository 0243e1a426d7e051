"""`cached(macro, …)`: a fragment rendered once per environment, keyed by all it depends on."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from sitegen.build.templating import make_environment
from sitegen.build.theme import Theme, ThemeLayer, builtin_themes_dir
from sitegen.core.config_sections import LocaleConfig
from sitegen.core.localize import Localizer
from tests.conftest import MINIMAL_CONFIG, article, build_site

CARDS = """\
{% macro label(a) %}[{{ a.title }}]{% endmacro %}
{% set prefix = "card" %}
{% macro card(a, show_date=false, level=0) -%}
{{ tick(a.title) }}<li class="{{ prefix }}" dir="{{ site.dir }}">{{ label(a) }}{% if show_date %} {{ a.date }}{% endif %}{% if level %}!{% endif %}</li>
{%- endmacro %}
"""


def environment(
    templates: dict[str, str], parent: dict[str, str] | None = None
) -> tuple[jinja2.Environment, list[str]]:
    """An environment over an in-memory theme (a child of `base` when `parent` is given),
    with `tick(title)` recording every time a card is really rendered."""
    layers = [ThemeLayer("child", Path("."), _files(templates), (), {})]
    if parent is not None:
        layers.append(ThemeLayer("base", Path("."), _files(parent), (), {}))
    localizer = Localizer("ar", LocaleConfig(), "arabic")
    env = make_environment(Theme(tuple(layers)), localizer, "ar")
    rendered: list[str] = []
    env.globals["tick"] = lambda title: rendered.append(title) or ""
    return env, rendered


def _files(templates: dict[str, str]) -> dict[str, tuple[str, str]]:
    return {name: (source, f"themes/t/{name}") for name, source in templates.items()}


LISTING = (
    '{% import "cards.html" as m with context %}'
    "{% for a in articles %}{{ cached(m.card, a, show_date=dated) }}{% endfor %}"
)


def test_a_card_is_rendered_once_per_article_and_arguments_on_every_page() -> None:
    env, rendered = environment({"cards.html": CARDS, "list.html": LISTING})
    site = {"dir": "rtl"}
    one, two = {"title": "أ", "date": 1}, {"title": "ب", "date": 2}
    pages = [[one, two], [two], [one, two], [two, one]]
    listing = env.get_template("list.html")
    shown = [listing.render(site=site, articles=p, dated=False) for p in pages]
    assert rendered == ["أ", "ب"]  # four pages, two cards rendered
    direct = env.from_string(LISTING.replace("cached(m.card, a,", "m.card(a,"))
    assert shown == [direct.render(site=site, articles=p, dated=False) for p in pages]
    assert shown[0] == '<li class="card" dir="rtl">[أ]</li><li class="card" dir="rtl">[ب]</li>'
    rendered.clear()
    listing.render(site=site, articles=[one], dated=True)  # another variant: its own entry
    listing.render(site=site, articles=[two, one], dated=True)
    assert rendered == ["أ", "ب"]


def test_the_key_holds_every_argument_by_value_type_or_identity() -> None:
    env, rendered = environment({"cards.html": CARDS, "list.html": LISTING})
    listing = env.get_template("list.html")
    a = {"title": "أ", "date": 1}
    for dated in (1, True, 1.0):  # equal in Python, each its own entry
        listing.render(site={"dir": "rtl"}, articles=[a], dated=dated)
    assert rendered == ["أ"] * 3
    swapped = env.from_string(  # the same values, given to other names
        '{% import "cards.html" as m with context %}'
        "{{ cached(m.card, a, show_date=1, level=0) }}|{{ cached(m.card, a, level=1, show_date=0) }}"
    )
    first, second = swapped.render(site={"dir": "rtl"}, a=a).split("|")
    assert first.endswith(" 1</li>") and second.endswith("[أ]!</li>")
    twin = {"title": "ب", "date": 1}  # another view: never another view's card
    assert "[ب]" in listing.render(site={"dir": "rtl"}, articles=[twin], dated=True)
    assert "ltr" in listing.render(site={"dir": "ltr"}, articles=[a], dated=True)  # site too


def test_a_child_theme_overriding_the_card_gets_its_own_cards() -> None:
    parent = {"cards.html": CARDS, "list.html": LISTING}
    child = {"cards.html": CARDS.replace('class="{{ prefix }}"', 'class="mine"')}
    env, _ = environment(child, parent)
    both = env.from_string(
        '{% import "@base/cards.html" as p with context %}'
        '{% import "cards.html" as c with context %}'
        "{{ cached(p.card, a) }}|{{ cached(c.card, a) }}"
    )
    a = {"title": "أ", "date": 1}
    assert both.render(site={"dir": "rtl"}, a=a) == (
        '<li class="card" dir="rtl">[أ]</li>|<li class="mine" dir="rtl">[أ]</li>'
    )
    listing = env.get_template("list.html")  # the parent's listing calls the child's card
    assert 'class="mine"' in listing.render(site={"dir": "rtl"}, articles=[a], dated=False)


@pytest.mark.parametrize(
    ("macros", "read"),
    [
        ("{% macro card(a) %}{{ a.title }}{{ page.url }}{% endmacro %}", "page"),
        (
            "{% macro meta(a) %}{{ loop_index }}{% endmacro %}"
            "{% macro card(a) %}{{ meta(a) }}{% endmacro %}",
            "loop_index",
        ),
        ("{% set kind = page.kind %}{% macro card(a) %}{{ kind }}{% endmacro %}", "page"),
        ('{% macro card(a) %}{% include "x.html" %}{% endmacro %}', "the whole context"),
    ],
)
def test_a_macro_reading_the_page_cannot_be_cached(macros: str, read: str) -> None:
    env, _ = environment({"cards.html": macros, "x.html": ""})
    page = env.from_string('{% import "cards.html" as m with context %}{{ cached(m.card, a) }}')
    with pytest.raises(jinja2.TemplateRuntimeError, match=f"macro 'card' .* reads {read}"):
        page.render(site={}, page={"url": "/", "kind": "day"}, a={"title": "t"}, loop_index=1)


def test_only_macros_can_be_cached() -> None:
    env, _ = environment({})
    with pytest.raises(jinja2.TemplateRuntimeError, match="takes a macro"):
        env.from_string("{{ cached(site) }}").render(site={})


def test_a_child_theme_card_reaches_every_listing(make_site) -> None:  # type: ignore[no-untyped-def]
    source = (builtin_themes_dir() / "digest/templates/partials/macros.html").read_text("utf-8")
    mine = source.replace('<li class="card', '<li data-mine class="card')
    assert mine != source
    site = make_site(
        {
            "content/a.md": article("خبر", topic="سياسة", tags="[اقتصاد]"),
            "themes/mine/theme.yaml": "extends: digest\n",
            "themes/mine/templates/partials/macros.html": mine,
        },
        MINIMAL_CONFIG + "theme: mine\n",
    )
    result = build_site(site)
    assert result.ok, [d.format() for d in result.diagnostics]
    listings = [
        v.decode()
        for k, v in result.files.items()
        if k.startswith(("topics/", "tags/")) and k.endswith("/index.html")
    ]
    cards = [page for page in listings if "card-title" in page]
    assert cards and all('<li data-mine class="card' in page for page in cards)


def test_a_macro_that_passed_its_check_is_not_parsed_again_in_a_later_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check parses the macro's template; a source that passed is remembered in the
    template cache, and an edited source is checked again."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    parsed: list[str | None] = []
    real_parse = jinja2.Environment.parse

    def parse(self, source, name=None, filename=None):  # type: ignore[no-untyped-def]
        parsed.append(name)
        return real_parse(self, source, name, filename)

    monkeypatch.setattr(jinja2.Environment, "parse", parse)
    a = {"title": "خبر"}
    for _ in range(2):
        env, _ = environment({"cards.html": CARDS, "list.html": LISTING})
        env.get_template("list.html").render(articles=[a], dated=False, site={"dir": "rtl"})
    assert parsed.count("cards.html") == 1  # by the first environment's check only
    reading = CARDS.replace("{{ label(a) }}", "{{ label(a) }}{{ page }}")
    env, _ = environment({"cards.html": reading, "list.html": LISTING})
    with pytest.raises(jinja2.TemplateRuntimeError, match="reads page"):
        env.get_template("list.html").render(articles=[a], dated=False, site={"dir": "rtl"})

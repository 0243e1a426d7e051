"""The fast paths of the Jinja environment behave exactly like Jinja's own."""

from __future__ import annotations

import datetime as dt
import gettext
from zoneinfo import ZoneInfo

import jinja2
import pytest

from sitegen.build.templating import SiteEnvironment, fast_gettext, memoized, prefix_of

TEMPLATES = [
    '{{ _("Hello") }}',
    '{{ _("%(n)s <b>", n="<i>") }}',
    '{{ _("100%%") }}',
    '{{ ngettext("%(num)s item", "%(num)s items", 3) }}',
    '{{ ngettext("one", "%(num)s of %(what)s", 2, what="<x>") }}',
    "{% trans %}Plain{% endtrans %}",
    '{% autoescape false %}{{ _("<b> 100%%") }}{% endautoescape %}{{ _("<b> 100%%") }}',
    "{% trans n=2 %}{{ n }} thing{% pluralize %}{{ n }} things{% endtrans %}",
]


def environment(fast: bool) -> jinja2.Environment:
    env = jinja2.Environment(autoescape=True, extensions=["jinja2.ext.i18n"])
    translations = gettext.NullTranslations()
    env.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]
    if fast:
        g, n = fast_gettext(translations)
        env.globals.update({"_": g, "gettext": g, "ngettext": n})
    return env


@pytest.mark.parametrize("source", TEMPLATES)
def test_fast_gettext_renders_like_jinja(source: str) -> None:
    assert environment(True).from_string(source).render() == (
        environment(False).from_string(source).render()
    )


def test_a_translation_without_variables_is_formatted_once() -> None:
    env = environment(True)
    context = jinja2.nodes.EvalContext(env)
    gettext = env.globals["_"]
    assert gettext(context, "100%%") == "100%" and gettext(context, "100%%") is gettext(
        context, "100%%"
    )
    for env in (environment(True), environment(False)):  # a placeholder without its variable
        with pytest.raises(KeyError):
            env.from_string('{{ _("%(x)s") }}').render()


def test_dict_keys_first_then_attributes_then_undefined() -> None:
    env = SiteEnvironment(undefined=jinja2.StrictUndefined)
    render = env.from_string("{{ d.items }} {{ d.title }} {{ s.upper() }}").render
    assert render(d={"items": 3, "title": "t"}, s="x") == "3 t X"
    assert env.from_string("{{ d.items() | list }}").render(d={"a": 1}) == "[('a', 1)]"
    with pytest.raises(jinja2.UndefinedError):
        env.from_string("{{ d.missing }}").render(d={})


def test_memoized_filter_keeps_zones_types_and_keywords_apart() -> None:
    calls = []

    def show(value: object, style: str = "long") -> str:
        calls.append(value)
        return f"{value!r}/{style}"

    cached = memoized(show)
    riyadh = dt.datetime(2022, 1, 7, 12, tzinfo=ZoneInfo("Asia/Riyadh"))
    utc = riyadh.astimezone(dt.UTC)
    assert cached(riyadh) == cached(riyadh) != cached(utc)
    assert cached(1) != cached(1.0) != cached(True)
    assert cached(riyadh, style="full") != cached(riyadh)
    assert cached([1]) == cached([1])  # unhashable: computed each time
    assert len(calls) == 8


def test_prefix_of_selects_the_urls_a_page_is_under() -> None:
    env = jinja2.Environment()
    env.tests["prefix_of"] = prefix_of
    source = '{{ urls|select("prefix_of", url)|join(" ") }}'
    urls = ["/topics/a/", "/topics/ab/", "/", "/x/topics/a/"]
    assert env.from_string(source).render(urls=urls, url="/topics/a/page/2/") == "/topics/a/ /"
    assert env.from_string(source).render(urls=[None, 3], url="/topics/") == ""

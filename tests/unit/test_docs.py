"""The examples in docs/ are valid and build."""

from __future__ import annotations

import re
from pathlib import Path

from sitegen.core.config import parse_config
from tests.conftest import MINIMAL_CONFIG, build_site

DOCS = Path(__file__).resolve().parents[2] / "docs"
EXAMPLE = re.compile(r"<!-- example: (\S+) -->\n```\w*\n(.*?)```", re.S)


def examples(name: str) -> dict[str, str]:
    return dict(EXAMPLE.findall((DOCS / name).read_text(encoding="utf-8")))


def test_configuration_example_is_valid_and_builds(make_site) -> None:
    text = examples("configuration.md")["sitegen.yaml"]
    config, problems = parse_config(text)
    assert problems == [] and config is not None
    assert config.base_path == "/news/" and config.locale.hijri
    site = make_site({"content/a.md": "---\ntitle: خبر\ndate: 2022-01-07\n---\nنص\n"}, config=text)
    result = build_site(site)
    assert result.ok, [d.format() for d in result.diagnostics]


def test_languages_example_is_a_persian_site_in_the_jalali_calendar(make_site) -> None:
    text = examples("languages.md")["sitegen.yaml"]
    site = make_site(
        {"content/politics/2022-01-07-a.md": "---\ntitle: خبر\ndate: 2022-01-07T10:00\n---\nمتن\n"},
        config=text,
    )
    result = build_site(site)
    assert result.ok, [d.format() for d in result.diagnostics]
    assert (
        ">جمعه ۱۷ دی ۱۴۰۰، ساعت ۱۰:۰۰</time>" in result.files["2022/01/07/خبر/index.html"].decode()
    )


def test_content_example_builds_with_every_field(make_site) -> None:
    files = examples("content.md")
    site = make_site(files, config=MINIMAL_CONFIG)
    result = build_site(site)
    assert result.ok, [d.format() for d in result.diagnostics]
    page = result.files["2022/01/07/قمة-nato-في-2024-تناقش-أمن-المنطقة/index.html"].decode()
    for text in (
        "وكالة المشرق",
        "وكالة الأنباء العربية",
        "قمة الحلف",
        "صُحح عدد الدول المشاركة",
        "<h2",
    ):
        assert text in page
    about = result.files["about/index.html"].decode()
    assert "نحن فريق صغير" in about and '<a href="/about/" aria-current="page">' in about
    topic = result.files["topics/سياسة/index.html"].decode()
    assert '<p class="lead">الشؤون السياسية العربية والدولية.</p>' in topic


def theming_section(title: str) -> str:
    text = (DOCS / "theming.md").read_text(encoding="utf-8")
    return text.split(f"## {title}\n", 1)[1].split("\n## ", 1)[0]


def backticked(text: str) -> set[str]:
    return set(re.findall(r"`(\w+)`", text))


def first_clause(text: str, start: str, end: str) -> str:
    """The text after `start` up to `end`, with parenthesised remarks removed."""
    clause = text.split(start, 1)[1]
    while re.search(r"\([^()]*\)", clause):
        clause = re.sub(r"\([^()]*\)", "", clause)
    return clause.split(end, 1)[0]


def test_theming_lists_exactly_the_registered_filters() -> None:
    import jinja2

    from sitegen.build.templating import make_environment
    from sitegen.build.theme import load_theme
    from sitegen.core.config_sections import LocaleConfig
    from sitegen.core.localize import Localizer

    theme, _ = load_theme("digest", Path("/nonexistent"), Path("/"))
    assert theme is not None
    env = make_environment(theme, Localizer("ar", LocaleConfig(), "arabic"), "ar")
    ours = set(env.filters) - set(jinja2.Environment().filters)
    documented = set(re.findall(r"^\| `(\w+)", theming_section("Filters"), re.M))
    assert documented == ours


DUMP_THEME = {
    "themes/dump/theme.yaml": "extends: digest\n",
    "themes/dump/templates/index.html": (
        "{% for v in [site, page, latest, days[0], pager] %}{{ v.keys()|sort|join(' ') }}\n"
        "{% endfor %}"
    ),
    "themes/dump/templates/article.html": "{{ article.keys()|sort|join(' ') }}\n",
}


def test_theming_lists_exactly_the_template_variables(make_site) -> None:
    site = make_site(
        {
            **DUMP_THEME,
            "content/a/2022-01-06-one.md": "---\ntitle: واحد\n---\nنص\n",
            "content/a/2022-01-07-two.md": "---\ntitle: اثنان\n---\nنص\n",
        },
        config=MINIMAL_CONFIG + "theme: dump\npaginate:\n  days: 1\n",
    )
    result = build_site(site)
    assert result.ok, [d.format() for d in result.diagnostics]
    site_keys, page_keys, day_keys, summary_keys, pager_keys = (
        set(line.split()) for line in result.files["index.html"].decode().splitlines()
    )
    article_keys = set(result.files["2022/01/07/اثنان/index.html"].decode().split())
    variables = theming_section("Templates and their context")
    assert {f"site.{k}" for k in site_keys} == set(re.findall(r"`(site\.\w+)`", variables))
    named = set(re.findall(r"`(page\.\w+)`", variables)) - {"page.html"}  # the template
    assert {f"page.{k}" for k in page_keys} == named
    assert article_keys == backticked(first_clause(variables, "An **article** has", ". "))
    assert day_keys == backticked(first_clause(variables, "A **day** has", ";"))
    assert summary_keys == backticked(first_clause(variables, "a **day summary** has", "."))
    assert pager_keys == backticked(first_clause(variables, "A **pager** has", "."))


def test_theming_cached_example_builds_the_same_cards(make_site) -> None:
    files = examples("theming.md")
    assert set(files) == {"themes/mine/templates/tag.html"}
    files["themes/mine/theme.yaml"] = "extends: digest\n"
    site = make_site(
        {**files, "content/a.md": "---\ntitle: خبر\ndate: 2022-01-07\ntags: [اقتصاد]\n---\nنص\n"},
        config=MINIMAL_CONFIG + "theme: mine\n",
    )
    result = build_site(site)
    assert result.ok, [d.format() for d in result.diagnostics]
    page = result.files["tags/اقتصاد/index.html"].decode()
    assert '<h1 class="tag-title"><bdi>اقتصاد</bdi></h1>' in page
    assert '<h2 class="card-title" dir="rtl"><a href="/2022/01/07/خبر/">خبر</a></h2>' in page

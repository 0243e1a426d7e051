"""Markdown rendering: nesting limits checked before parsing, table alignment, bare URLs and
the ids of article bodies."""

from __future__ import annotations

import re
import time

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown.preprocessors import NormalizeWhitespace

from sitegen.build.markdown_ext import BodyExtension, FewerPassesNormalizeWhitespace
from sitegen.build.markdown_html import (
    DEFAULT_EXTENSIONS,
    MarkdownRenderer,
    MarkupTooComplex,
    heading_id,
)
from sitegen.build.markdown_needs import BodyNeeds
from sitegen.core.config_sections import MarkdownConfig

RENDERER = MarkdownRenderer(MarkdownConfig())


def refusal(text: str, renderer: MarkdownRenderer = RENDERER) -> tuple[MarkupTooComplex, float]:
    started = time.perf_counter()
    with pytest.raises(MarkupTooComplex) as caught:
        renderer.render(text)
    return caught.value, time.perf_counter() - started


def test_ten_thousand_nested_quotes_are_refused() -> None:
    error, _ = refusal("مقدمة.\n\n" + "> " * 10000 + "نص\n")
    assert (error.line, error.message) == (
        3,
        "quotes and lists nested deeper than 10 levels (limits.max_nesting)",
    )


@pytest.mark.parametrize(
    "body",
    [
        pytest.param("\n".join("    " * i + "- بند" for i in range(2000)), id="indented-list"),
        pytest.param("> - " * 100_000, id="quoted-list"),
        pytest.param("<div>" * 1_000_000, id="html"),
        pytest.param("".join(f"<p><b id={i}>x</p>\n" for i in range(50_000)), id="reopened-b"),
    ],
)
def test_deep_nesting_is_refused_before_parsing(body: str) -> None:
    # Python-Markdown took 65 s for the 2,000-level list, nh3 minutes for the HTML; the
    # scans take a fraction of a second: the bound leaves a wide margin for slow machines.
    _, seconds = refusal(body)
    assert seconds < 2


def test_nesting_limit_comes_from_the_renderer() -> None:
    text = "- a\n    - b\n        - c\n"
    assert "<li>c</li>" in RENDERER.render(text)
    error, _ = refusal(text, MarkdownRenderer(MarkdownConfig(), max_nesting=2))
    assert error.line == 3


@pytest.mark.parametrize(
    "body",
    [
        "\n".join("    " * i + "- بند" for i in range(10)),
        "> > > > > > > > > > رد\n",
        "* * * * * * * * * * * * * *\n\n- - - - - - - - - - - - - -\n",
        "```\n" + "\n".join("    " * i + "- x" for i in range(30)) + "\n```\n",
        "    " * 30 + "code, indented deeply\n",
        "<table><tbody>" + "<tr><td><p><b>x</b></p></td></tr>" * 500 + "</tbody></table>\n",
        "x <i></i>" * 1000 + "\n",
    ],
    ids=["ten-levels", "ten-quotes", "rules", "fenced", "indented-code", "table", "closed"],
)
def test_ordinary_nesting_renders(body: str) -> None:
    RENDERER.render(body)


def test_table_alignment_is_logical() -> None:
    html = RENDERER.render("| البند | القيمة | ملاحظة |\n|:---|---:|:---:|\n| أ | 1 | - |\n")
    assert 'style="text-align:start"' in html
    assert 'style="text-align:end"' in html
    assert 'style="text-align:center"' in html
    assert "left" not in html and "right" not in html


@pytest.mark.parametrize(
    ("markdown", "link"),
    [
        (
            "راجع https://example.com/ar/خبر?x=1&y=2، ثم عد.",
            '<a class="autolink" dir="ltr" href="https://example.com/ar/خبر?x=1&amp;y=2">'
            "https://example.com/ar/خبر?x=1&amp;y=2</a>، ثم",
        ),
        (
            "الموقع (www.example.org/a_b_c).",
            '(<a class="autolink" dir="ltr" href="http://www.example.org/a_b_c">'
            "www.example.org/a_b_c</a>).",
        ),
        (
            "ويكي https://ar.wikipedia.org/wiki/X_(Y) هنا",
            'href="https://ar.wikipedia.org/wiki/X_(Y)"',
        ),
        ("<https://example.com>", '<a class="autolink" dir="ltr" href="https://example.com">'),
    ],
)
def test_bare_urls_are_isolated_links(markdown: str, link: str) -> None:
    assert link in RENDERER.render(markdown)


@pytest.mark.parametrize(
    "markdown",
    [
        "`https://example.com`",
        "    https://example.com",
        "```\nhttps://example.com\n```",
        "[https://example.com](https://example.org)",
        '<a href="https://example.org">https://example.com</a>',
        '<a href="https://example.org"><b>see https://example.com</b></a>',
        '<img src="https://example.com/a.png" alt="">',
        "<div>\nhttps://example.com\n</div>",
    ],
)
def test_urls_in_code_links_and_html_stay_as_written(markdown: str) -> None:
    html = RENDERER.render(markdown)
    assert "autolink" not in html and html.count("<a ") <= 1


def test_body_ids_and_fragment_links_are_prefixed() -> None:
    html = RENDERER.render(
        "## روسيا تدخل\n\n[أعلى](#روسيا-تدخل) [خارج](/a/#x) نص[^1]\n\n"
        '<span id="main">x</span> <a href="#main">y</a>\n\n'
        "## ثان {#lead-story}\n\n[^1]: حاشية\n"
    )
    assert 'id="body-روسيا-تدخل"' in html and 'href="#body-روسيا-تدخل"' in html
    assert 'href="/a/#x"' in html
    assert 'id="body-main"' in html and 'href="#body-main"' in html
    assert 'id="body-lead-story"' in html
    assert 'id="body-fn:1"' in html and 'href="#body-fn:1"' in html
    assert 'id="body-fnref:1"' in html and 'href="#body-fnref:1"' in html
    assert all(value.startswith("body-") for value in re.findall(r'id="([^"]*)"', html))


def test_unsafe_html_prefixes_markdown_ids_only() -> None:
    renderer = MarkdownRenderer(MarkdownConfig(unsafe_html=True))
    html = renderer.render('## عنوان\n\n<div id="embed"></div>\n')
    assert 'id="body-عنوان"' in html and 'id="embed"' in html


INLINE_BODIES = [
    "نص عربي عادي بلا أي رمز.\n\nفقرة ثانية، وثالثة؛ ونهاية؟",
    "*مائل* و**عريض** و_تحت_ و`شيفرة` و~~ليس~~ و\\*هروب\\*",
    "رابط [هنا](https://example.org/ا) و![صورة](a.png) و<https://x.org> و www.example.com.",
    "سطر ينتهي بمسافتين  \nثم سطر، و&amp; و&copy; و<span>وسم</span> و<a href='#x'>رابط</a> https://y.org",
    "حاشية[^1] ومرجع [نص][r].\n\n[^1]: الحاشية.\n\n[r]: https://r.org\n\n*[HTML]: Hyper Text",
    "| أ | ب |\n|---:|:---|\n| *١* | [٢](#x) |\n\n- عنصر **عريض**\n- عنصر\n\n## عنوان *مائل*",
]


def stock_renderer() -> MarkdownRenderer:
    """sitegen's renderer on Python-Markdown's own extensions and inline processor: no literal
    guards, no plain-text shortcut, the stock toc and white space processors, every processor
    for every body."""
    stock = MarkdownRenderer(MarkdownConfig())
    md = markdown.Markdown(
        extensions=[*DEFAULT_EXTENSIONS, BodyExtension()],
        extension_configs={"toc": {"slugify": heading_id}},
        output_format="html",
    )
    md.treeprocessors.register(markdown.treeprocessors.InlineProcessor(md), "inline", 20)
    md.preprocessors.register(NormalizeWhitespace(md), "normalize_whitespace", 30)
    stock._md = md  # type: ignore[misc]
    stock._needs = BodyNeeds(md, trim=False)  # type: ignore[misc]
    return stock


STOCK = stock_renderer()


@pytest.mark.parametrize("body", INLINE_BODIES)
def test_plain_text_shortcut_renders_like_python_markdown(body: str) -> None:
    """A text no inline pattern matches is returned at once; every body renders as with
    Python-Markdown's own inline processor."""
    assert RENDERER.render(body) == STOCK.render(body)


BODY_PIECES = st.sampled_from(
    [*"ab٧1.)#*_`[]{}<>&\\!-+=|:~^\"'() \n\t", "كلمة", "\n\n", "  \n", "    ", "> ", "- ",
     "1. ", "## ", "---", "```", "~~~", "<div>", "</div>", "<b>", "&amp;", "http://x.y",
     "www.x.org", "[^1]", "[^1]: ", "*[HTML]: ", "{: .c}", ": ", "| a |", "|---|", "[TOC]",
     "[r]: http://r", "![i](a.png)", "<!-- c -->", "\\[", "==", "\r", "*[", "]:", "_ _",
     "* *", "<div markdown=\"1\">", "<dl markdown=\"1\">", "{", "}"]
)  # fmt: skip


def test_a_table_of_contents_is_built_where_the_body_shows_it() -> None:
    body = "## أول\n\n[TOC]\n\n## ثان\n\n```\n[TOC]\n```\n"
    html = RENDERER.render(body)
    assert html == STOCK.render(body)
    assert '<div class="toc">' in html and 'href="#body-ثان"' in html
    assert '<div class="toc">' not in RENDERER.render("## أول\n\nنص")


@settings(max_examples=400, deadline=None)
@given(body=st.lists(BODY_PIECES, max_size=40).map("".join))
def test_guarded_markdown_renders_like_python_markdown(body: str) -> None:
    """Literal guards and the plain-text shortcut change no output (`regex_literals`)."""
    try:
        mine = RENDERER.render(body)
    except MarkupTooComplex:
        return
    assert mine == STOCK.render(body)


@settings(max_examples=300, deadline=None)
@given(
    body=st.lists(BODY_PIECES, max_size=40).map("".join).filter(lambda b: not {"<", "&"} & set(b))
)
def test_html_block_extraction_keeps_a_text_without_markup(body: str) -> None:
    """Why `HtmlBlocksWhereMarkup` may skip a text without `<` and `&`."""
    lines = body.split("\n")
    assert STOCK._md.preprocessors["html_block"].run(lines) == lines


@settings(max_examples=400, deadline=None)
@given(body=st.lists(BODY_PIECES, max_size=40).map("".join).filter(lambda b: "<" not in b))
def test_bodies_without_html_render_like_python_markdown(body: str) -> None:
    """The processors `BodyNeeds` drops by the lines of a body (definitions, rules, setext
    headings: only without `<`) change no output."""
    try:
        mine = RENDERER.render(body)
    except MarkupTooComplex:
        return
    assert mine == STOCK.render(body)


def test_a_body_gets_only_the_processors_it_can_need() -> None:
    md = markdown.Markdown(extensions=[*DEFAULT_EXTENSIONS, BodyExtension()])
    needs = BodyNeeds(md)
    needs.use("نص عادي - بلا جداول: ولا حواش.\n\n- عنصر\n- عنصر")
    assert "table" not in md.parser.blockprocessors and "deflist" not in md.parser.blockprocessors
    assert "footnote" not in md.treeprocessors and "paragraph" in md.parser.blockprocessors
    needs.use("| أ | ب |\n|---|---|\n| ١ | ٢ |\n\nمصطلح\n: تعريفه")
    assert "table" in md.parser.blockprocessors and "deflist" in md.parser.blockprocessors
    assert "setextheader" not in md.parser.blockprocessors  # `|---|` underlines nothing
    BodyNeeds(md, trim=False).use("نص")  # third-party extensions: left as it was
    assert "table" in md.parser.blockprocessors
    with_extension = MarkdownRenderer(MarkdownConfig(extensions=("nl2br",)))
    assert with_extension.render("أ\nب") == "<p>أ<br>\nب</p>"
    assert with_extension._needs.tests == ()  # configured extensions: every processor, always


@pytest.mark.parametrize(
    "body",
    [
        "> عنوان\n> ===\n\nنص",
        "- عنصر\n\n    مصطلح\n    : تعريف\n\n* * *\n\n> ___",
        "مصطلح\n\n:\tتعريف\n\n1. أ\n2. - - -",
        "أ\\*ب\\|\n\n```\n| x |\n```\n\n~~~\n[^1]\n~~~",
    ],
)
def test_bodies_with_nested_syntax_render_like_python_markdown(body: str) -> None:
    assert RENDERER.render(body) == STOCK.render(body)


@settings(max_examples=500, deadline=None)
@given(text=st.text(alphabet=" \t\r\n\x02\x03aب", max_size=40))
def test_white_space_is_normalised_as_python_markdown_does(text: str) -> None:
    md = markdown.Markdown()
    lines = text.split("\n")
    mine = FewerPassesNormalizeWhitespace(md).run(lines)
    assert mine == NormalizeWhitespace(md).run(lines)

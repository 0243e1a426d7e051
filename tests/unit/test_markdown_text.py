"""Escaping plain text for Markdown."""

from __future__ import annotations

import html
import re

import markdown
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sitegen.build.markdown_html import DEFAULT_EXTENSIONS
from sitegen.core.markdown_escape import escape_markdown

PIECES = st.sampled_from(
    [*"ab٧1.)#*_`[]{}<>&\\!-+=|:~^\"'()", "كلمة", " ", "&amp;", "&#x41;", "<b>", "http://x.y",
     "[^1]", "*[HTML]", "{: .c}", "---", "1.", "٣.", "[TOC]"]
)  # fmt: skip


def visible_text(rendered: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", rendered)).split())


@pytest.mark.parametrize("extensions", [[], list(DEFAULT_EXTENSIONS)])
@given(line=st.lists(PIECES, min_size=1, max_size=12).map("".join))
def test_rendered_text_equals_the_plain_text(extensions: list[str], line: str) -> None:
    line = " ".join(line.split())
    if not line:
        return
    paragraph = markdown.markdown(escape_markdown(line), extensions=extensions)
    assert paragraph.startswith("<p>")
    assert visible_text(paragraph) == line
    heading = markdown.markdown("## " + escape_markdown(line), extensions=extensions)
    assert heading.startswith("<h2")
    assert visible_text(heading) == line


def test_plain_arabic_is_untouched() -> None:
    line = "أعلنت إدارة الرئيس الأمريكي، جو بايدن، أن لديها “تساؤلات”."
    assert escape_markdown(line) == line


def test_block_starts() -> None:
    assert escape_markdown("- بند") == "\\- بند"
    assert escape_markdown("> اقتباس") == "\\> اقتباس"
    assert escape_markdown("2022. عام") == "2022\\. عام"
    assert escape_markdown("# عنوان") == "\\# عنوان"

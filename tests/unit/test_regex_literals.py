"""Required literals of regular expressions, and the guard that skips expressions by them."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.build.markdown_html import MarkdownRenderer
from sitegen.build.regex_literals import LiteralGuard, guarded, required_literals
from sitegen.core.config_sections import MarkdownConfig


@pytest.mark.parametrize(
    ("expression", "literals"),
    [
        (r"(?:^|\n)(?P<level>#{1,6})(?P<header>.*?)#*(?:\n|$)", {"#"}),
        (r"(?<!\!)\[", {"["}),
        (r"(?<![\w@/.:+-])(?:https?://|www\.)[^\s<>]+", {"http", "www."}),
        (r"(?:(?<!\\)((?:\\{2})+)(?=`+)|(?<!\\)`)", {"\\\\", "`"}),
        (r"\*|_", {"*", "_"}),
        (r"^(`{3,}|~{3,})[^\n]*\n", {"```", "~~~"}),  # a character repeated n times
        (r"[ ]{1,3}[*+-]x", {"x"}),  # the longest requirement wins over " "
        (r"(?=.*abc)", {"abc"}),  # a lookahead that must match reads the text too
        (r"^[ ]{0,3}(?=(?P<g>(-+[ ]{0,2}){3,}|(_+[ ]{0,2}){3,}))(?P=g)[ ]*$", {"-", "_"}),
    ],
)
def test_required_literals(expression: str, literals: set[str]) -> None:
    assert required_literals(re.compile(expression)) == literals


@pytest.mark.parametrize(
    "expression",
    [
        r"(?i)abc",  # case-insensitive
        r"a?",  # may match the empty string
        r"a|.",  # one branch needs nothing
        r"\w+",  # a category
        r"[a-z]x?",  # a range
        r"(a)?\1",  # a back reference alone
        r"",
    ],
)
def test_no_requirement_is_guessed(expression: str) -> None:
    assert required_literals(re.compile(expression)) is None


def markdown_expressions() -> list[re.Pattern[str]]:
    """Every expression sitegen's Markdown instance runs, guarded or inline."""
    md = MarkdownRenderer(MarkdownConfig())._md
    found = [pattern.getCompiledRegExp() for pattern in md.inlinePatterns]
    for registry in (md.preprocessors, md.parser.blockprocessors, md.treeprocessors):
        for processor in registry:
            for name in dir(processor):
                value = getattr(processor, name, None)
                if isinstance(value, LiteralGuard):
                    found.append(value.pattern_object)
    return found


EXPRESSIONS = markdown_expressions()
TEXT = st.lists(
    st.sampled_from(
        [*"ab #*_`[]!<>&\\:-=|~^{}()\n\t.", "  \n", "http://x", "www.y", "[^1]:", "*[A]:"]
    ),
    max_size=30,
).map("".join)


def test_markdown_processors_are_guarded() -> None:
    assert len(EXPRESSIONS) > 30
    md = MarkdownRenderer(MarkdownConfig())._md
    assert isinstance(md.parser.blockprocessors["hashheader"].RE, LiteralGuard)


@settings(max_examples=300)
@given(text=TEXT, start=st.integers(0, 5))
def test_guard_answers_as_the_expression(text: str, start: int) -> None:
    for expression in EXPRESSIONS:
        guard = guarded(expression)
        for method in ("search", "match"):
            mine = getattr(guard, method)(text, start)
            theirs = getattr(expression, method)(text, start)
            assert (mine and mine.span()) == (theirs and theirs.span()), (expression, method)
        assert guard.sub("X", text) == expression.sub("X", text), expression

"""sitegen's YAML loader: one libyaml pass for plain documents, the same refusals as the event
walk for the others."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.core import yamlload
from sitegen.core.yamlload import YamlRefused, load_yaml


def outcome(load: Any, text: str, max_nesting: int) -> Any:
    """What a loader gives: the data, or the error's type, problem and position."""
    try:
        data, node = load(text, max_nesting)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = (mark.line, mark.column) if mark else None
        return type(exc).__name__, getattr(exc, "problem", None), where
    return data, node is None


YAML_PIECES = st.sampled_from(
    ["a", "b", "1", "2020-01-02", "x y", ": ", ":", "- ", "? ", "\n", "  ", "    ", "[", "]",
     "{", "}", ", ", "&a ", "*a", "&b ", "*b", "!!str ", "!!int ", "!!binary ", "!!timestamp ",
     "!!set ", "!foo ", "! ", "<<: ", "<<", "=", "'", '"', "#", "---\n", "...\n", "|\n",
     "%TAG ! tag:yaml.org,2002:\n", "!!merge ", "!!python/object ", "1" * 5000, "\t"]
)  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(text=st.lists(YAML_PIECES, max_size=30).map("".join), max_nesting=st.integers(1, 4))
def test_one_pass_loads_as_the_event_walk(text: str, max_nesting: int) -> None:
    assert outcome(load_yaml, text, max_nesting) == outcome(
        yamlload._load_by_events, text, max_nesting
    )


def test_plain_front_matter_is_not_walked_event_by_event(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("walked event by event")

    monkeypatch.setattr(yaml, "parse", refuse)
    text = "title: عنوان\ndate: 2022-01-07\ntags: [أ, ب]\ncorrections:\n  - {date: 2022-01-08, note: n}\n"
    data, node = load_yaml(text)
    assert data == {
        "title": "عنوان",
        "date": "2022-01-07",
        "tags": ["أ", "ب"],
        "corrections": [{"date": "2022-01-08", "note": "n"}],
    }
    assert node is not None and node.start_mark.line == 0


@pytest.mark.parametrize(
    ("text", "problem", "line"),
    [
        ("a: &x [1]\nb: 2\nc: *x\n", "aliases (*x) are not supported; write the value out", 2),
        ("a: 1\nb: !!binary aGk=\n", "the tag tag:yaml.org,2002:binary is not supported", 1),
        ("a: !local x\n", "the tag !local is not supported", 0),
        ("a:\n b:\n  c: 1\n", "nested deeper than 2 levels (limits.max_nesting)", 2),
        ("a: [[1]]\n", "nested deeper than 2 levels (limits.max_nesting)", 0),
    ],
)
def test_refusals_keep_their_words_and_lines(text: str, problem: str, line: int) -> None:
    with pytest.raises(YamlRefused) as caught:
        load_yaml(text, max_nesting=2)
    assert caught.value.problem == problem
    assert caught.value.problem_mark is not None and caught.value.problem_mark.line == line


@pytest.mark.parametrize(
    ("text", "problem", "line"),
    [
        ("a: 1\nb: !!int\n", "'' is not a valid !!int", 1),
        ("a: [!!bool x]\n", "'x' is not a valid !!bool", 0),
    ],
)
def test_values_that_do_not_fit_their_tag_are_refused(text: str, problem: str, line: int) -> None:
    for load in (load_yaml, yamlload._load_by_events):
        with pytest.raises(YamlRefused) as caught:
            load(text, 10)
        assert caught.value.problem == problem
        assert caught.value.problem_mark is not None and caught.value.problem_mark.line == line


def test_merge_keys_load_as_before() -> None:
    assert load_yaml("<<: {a: 1}\nb: 2\n")[0] == {"a": 1, "b": 2}

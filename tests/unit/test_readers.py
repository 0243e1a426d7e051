from zoneinfo import ZoneInfo

from sitegen.build.readers.base import ReaderSettings
from sitegen.build.readers.markdown import read_markdown, split_front_matter

SETTINGS = ReaderSettings(ZoneInfo("Asia/Riyadh"))


def test_yaml_front_matter_keeps_dates_as_text_and_records_lines() -> None:
    doc, problems = read_markdown(
        "a.md", "---\ntitle: عنوان\ndate: 2022-01-07\ntags: [a]\n---\nنص\n", SETTINGS
    )
    assert problems == [] and doc is not None
    assert doc.meta == {"title": "عنوان", "date": "2022-01-07", "tags": ["a"]}
    assert doc.meta_lines == {"title": 2, "date": 3, "tags": 4}
    assert (doc.body, doc.body_line) == ("نص\n", 6)


def test_toml_front_matter_dates_become_iso_text() -> None:
    text = '+++\ntitle = "عنوان"\ndate = 2022-01-02T13:30:00+03:00\n+++\nنص\n'
    doc, problems = read_markdown("a.md", text, SETTINGS)
    assert problems == [] and doc is not None
    assert doc.meta["date"] == "2022-01-02T13:30:00+03:00"
    assert doc.meta_lines["date"] == 3


def test_no_front_matter_is_all_body() -> None:
    doc, _ = read_markdown("a.md", "# hi\n", SETTINGS)
    assert doc is not None and doc.meta == {} and doc.body_line == 1


def test_yaml_error_line_is_offset_into_the_file() -> None:
    _, problems = read_markdown("a.md", "---\ntitle: ok\ndate: [x\n---\n", SETTINGS)
    assert problems[0].line == 4 and "invalid YAML front matter" in problems[0].message


def test_toml_error_line() -> None:
    _, problems = read_markdown("a.md", "+++\ntitle = 'x'\ndate = \n+++\n", SETTINGS)
    assert problems[0].line == 3 and "invalid TOML" in problems[0].message


def test_unclosed_and_non_mapping_front_matter() -> None:
    _, problems = read_markdown("a.md", "---\ntitle: x\n", SETTINGS)
    assert "never closed" in problems[0].message
    _, problems = read_markdown("a.md", "---\n- a\n- b\n---\n", SETTINGS)
    assert "must be a mapping of keys, not a list" in problems[0].message


def test_split_accepts_yaml_document_end_marker() -> None:
    assert split_front_matter("---\na: 1\n...\nbody")[3] == 4

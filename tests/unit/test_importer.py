"""`sitegen import`: plain-text articles to Markdown with YAML front matter."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml

from sitegen.build.readers.base import ReaderSettings
from sitegen.build.readers.newstext import read_news_text
from sitegen.importers.plaintext import import_news_texts
from tests.unit.test_write import DiskLog, assert_durable

SEED = Path(__file__).parents[2] / "content" / "world" / "2022-01-07-kazakhstan.txt"
RIYADH = ZoneInfo("Asia/Riyadh")
SEED_NAME = "2022-01-07-واشنطن-لدينا-تساؤلات-حول-شرعية-نشر-قوات-حفظ-السلام-بكازاخستان.md"


def split_document(text: str) -> tuple[dict, str]:
    assert text.startswith("---\n")
    meta, body = text[4:].split("\n---\n", 1)
    return yaml.safe_load(meta), body.lstrip("\n")


def test_writes_markdown_with_front_matter(tmp_path: Path) -> None:
    out = tmp_path / "content" / "world"
    result = import_news_texts([SEED], out, "العالم", force=False, tz=RIYADH)
    assert result.diagnostics == ()
    assert result.written == ((SEED, out / SEED_NAME),)
    meta, body = split_document((out / SEED_NAME).read_text(encoding="utf-8"))
    assert list(meta) == ["title", "date", "topic", "source", "desk", "kicker", "summary", "tags"]
    assert meta["title"] == "واشنطن: لدينا تساؤلات حول شرعية نشر قوات حفظ السلام بكازاخستان"
    assert meta["date"] == "2022-01-07T00:57:00+03:00"
    assert meta["topic"] == "العالم"
    assert meta["source"] == "المواطن"
    assert meta["kicker"] == "التابعة لمنظمة معاهدة الأمن الجماعي"
    assert meta["summary"].startswith("أعلنت إدارة الرئيس الأمريكي، جو بايدن")
    assert meta["summary"].endswith("وسط الأزمة التي تشهدها.")
    document, _ = read_news_text(
        "seed.txt", SEED.read_text(encoding="utf-8"), ReaderSettings(RIYADH)
    )
    assert document is not None
    assert body == document.body


def test_without_topic_the_key_is_left_out(tmp_path: Path) -> None:
    result = import_news_texts([SEED], tmp_path, None, force=False, tz=RIYADH)
    meta, _ = split_document(result.written[0][1].read_text(encoding="utf-8"))
    assert "topic" not in meta


def test_refuses_to_overwrite(tmp_path: Path) -> None:
    target = tmp_path / SEED_NAME
    target.write_text("editor's version", encoding="utf-8")
    result = import_news_texts([SEED], tmp_path, None, force=False, tz=RIYADH)
    assert result.written == ()
    assert [d.format() for d in result.diagnostics] == [
        f"{SEED}: {target} exists; use --force to replace it"
    ]
    assert target.read_text(encoding="utf-8") == "editor's version"


def test_force_overwrites(tmp_path: Path) -> None:
    target = tmp_path / SEED_NAME
    target.write_text("editor's version", encoding="utf-8")
    result = import_news_texts([SEED], tmp_path, None, force=True, tz=RIYADH)
    assert result.diagnostics == ()
    assert target.read_text(encoding="utf-8").startswith("---\ntitle: ")


def test_two_inputs_never_write_one_file(tmp_path: Path) -> None:
    copy = tmp_path / "copy.txt"
    copy.write_bytes(SEED.read_bytes())
    out = tmp_path / "out"
    result = import_news_texts([SEED, copy], out, None, force=True, tz=RIYADH)
    assert [source for source, _ in result.written] == [SEED]
    [problem] = result.diagnostics
    assert problem.path == str(copy)
    assert "would also be written from" in problem.message


def test_bad_inputs_are_reported_and_skipped(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("عنوان\n".encode() + b"caf\xe9\n")
    missing = tmp_path / "missing.txt"
    result = import_news_texts(
        [empty, latin1, missing, SEED], tmp_path / "out", None, False, RIYADH
    )
    assert [source for source, _ in result.written] == [SEED]
    messages = [d.format() for d in result.diagnostics]
    assert messages[0] == f"{empty}:1: the file is empty: no headline, date or text"
    assert messages[1] == (
        f"{latin1}:2: the file is not UTF-8 text: byte 0xE9 is not UTF-8 and the encoding is "
        "unknown; save it as UTF-8"
    )
    assert messages[2].startswith(f"{missing}: cannot read file")


def test_crlf_and_bom_are_accepted(tmp_path: Path) -> None:
    source = tmp_path / "windows.txt"
    source.write_bytes(b"\xef\xbb\xbf" + SEED.read_bytes().replace(b"\n", b"\r\n"))
    result = import_news_texts([source], tmp_path / "out", None, False, RIYADH)
    assert result.diagnostics == ()
    assert result.written[0][1].name == SEED_NAME


def test_yaml_round_trips_awkward_values(tmp_path: Path) -> None:
    headline = 'نعم: "لا" # ليس تعليقاً - [قائمة] {خريطة} @ & * ! |'
    source = tmp_path / "awkward.txt"
    source.write_text(
        f"yes\n{headline}\nالجمعة ٧ يناير ٢٠٢٢\n{headline}\n: - فقرة تبدأ بعلامات.\n", "utf-8"
    )
    result = import_news_texts([source], tmp_path / "out", "null", False, RIYADH)
    assert result.diagnostics == ()
    meta, _ = split_document(result.written[0][1].read_text(encoding="utf-8"))
    assert meta == {
        "title": headline,
        "date": "2022-01-07T00:00:00+03:00",
        "topic": "null",
        "kicker": "yes",
        "summary": ": - فقرة تبدأ بعلامات.",
    }


def test_long_headlines_make_short_enough_file_names(tmp_path: Path) -> None:
    headline = " ".join(["كازاخستان"] * 29)
    source = tmp_path / "long.txt"
    source.write_text(f"{headline}\nالجمعة ٧ يناير ٢٠٢٢\nفقرة.\n", encoding="utf-8")
    result = import_news_texts([source], tmp_path / "out", None, False, RIYADH)
    assert result.diagnostics == ()
    name = result.written[0][1].name
    assert len(name.encode()) <= 255
    assert name.startswith("2022-01-07-كازاخستان-") and name.endswith("كازاخستان.md")


def test_imported_files_are_on_the_disk_when_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "content" / "world"  # new: content/ holds it, tmp_path holds content/
    log = DiskLog(monkeypatch)
    result = import_news_texts([SEED], out, None, force=False, tz=RIYADH)
    assert result.written == ((SEED, out / SEED_NAME),)
    assert_durable(log, [out / SEED_NAME], len(log.events))
    assert {str(tmp_path), str(tmp_path / "content")} <= set(log.synced())

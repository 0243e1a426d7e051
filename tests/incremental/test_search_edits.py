"""Builds after edits on a site with a search index: the partitions stay as the whole build
made them, the edited articles are indexed in an `edits` partition of their own, and their
old hits are listed as replaced (`sitegen.build.search.overlay`)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from sitegen.build.incremental import edits
from sitegen.build.search import overlay
from tests.incremental.support import (
    assert_same_site,
    build_clean,
    build_incrementally,
    folder_files,
    make_news_site,
    searchable,
)


@pytest.fixture
def indexed(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The URLs of each `edits` bundle made."""
    made: list[list[str]] = []
    real = overlay.build_bundle
    monkeypatch.setattr(
        overlay,
        "build_bundle",
        lambda records: made.append([r.url for r in records]) or real(records),
    )
    return made


@pytest.fixture
def patched(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether each build took the path of edits (`edits.patch_build`)."""
    taken: list[bool] = []
    real = edits.patch_build
    monkeypatch.setattr(edits, "patch_build", lambda *a: taken.append(bool(r := real(*a))) or r)
    return taken


def _append(root: Path, name: str, text: str) -> Path:
    path = next((root / "content").rglob(name))
    path.write_text(path.read_text(encoding="utf-8") + f"\n{text}\n", encoding="utf-8")
    return path


def _entry(files: dict[str, bytes], folder: str = "pagefind/") -> tuple[list[str], list[str]]:
    """The partitions and replaced ids `sitegen-search.js` lists."""
    head = files[f"{folder}sitegen-search.js"].decode().splitlines()
    return (
        json.loads(head[0].removeprefix("const PARTITIONS = ").removesuffix(";")),
        json.loads(head[1].removeprefix("const REPLACED = ").removesuffix(";")),
    )


def _fragment_url(files: dict[str, bytes], path: str) -> str:
    return json.loads(gzip.decompress(files[path]).removeprefix(b"pagefind_dcd"))["url"]


def test_a_body_edit_indexes_only_the_edited_article_until_the_next_whole_build(
    tmp_path: Path, indexed: list[list[str]], patched: list[bool]
) -> None:
    root = make_news_site(tmp_path / "site", 10)
    build_incrementally(root)
    before = folder_files(root / "output")
    partitions, replaced = _entry(before)
    assert replaced == [] and "edits" not in partitions

    _append(root, "a003.md", "كلمةجديدة في آخر الخبر.")
    build_incrementally(root)
    after = folder_files(root / "output")
    assert patched == [True] and len(indexed) == 1 and len(indexed[0]) == 1
    listed, replaced = _entry(after)
    assert listed == ["edits", *partitions]
    (hit,) = replaced  # the edited article's hit in its partition, as the whole build made it
    (old,) = [p for p in before if p.endswith(f"/fragment/{hit}.pf_fragment")]
    assert _fragment_url(before, old) == indexed[0][0]
    assert {p for p in after if not p.startswith("pagefind/edits/")} == set(before)
    changed = {p for p in before if before[p] != after[p]}
    assert "pagefind/sitegen-search.js" in changed
    assert not [p for p in changed if p.startswith("pagefind/") and "sitegen-search" not in p]
    clean = build_clean(root)
    assert_same_site(after, clean, "one edit")
    assert "كلمةجديدة" in searchable(after)["pagefind/"][indexed[0][0]]["content"]

    _append(root, "a007.md", "كلمةأخرى.")  # a second edit: both articles in `edits`
    build_incrementally(root)
    assert patched == [True, True] and [len(urls) for urls in indexed] == [1, 2]
    assert len(_entry(folder_files(root / "output"))[1]) == 2
    assert_same_site(folder_files(root / "output"), build_clean(root), "two edits")

    _append(root, "a003.md", "ثم تعديل ثالث.")  # the same article again: replaced once
    build_incrementally(root)
    assert patched[-1] and len(indexed[-1]) == 2
    output = folder_files(root / "output")
    assert len(_entry(output)[1]) == 2
    assert_same_site(output, build_clean(root), "the first article again")

    path = next((root / "content").rglob("a005.md"))  # a new title: a whole build
    path.write_text(path.read_text("utf-8").replace('title: "', 'title: "عاجل: ', 1), "utf-8")
    build_incrementally(root)
    assert not patched[-1]
    output = folder_files(root / "output")
    assert not [p for p in output if "/edits/" in p]
    assert output == build_clean(root)


def test_an_edit_that_keeps_the_title_and_body_leaves_the_index_alone(
    tmp_path: Path, indexed: list[list[str]], patched: list[bool]
) -> None:
    root = make_news_site(tmp_path / "site", 6)
    build_incrementally(root)
    before = folder_files(root / "output")
    _append(root, "a002.md", "\n\n")  # new bytes, the same HTML
    build_incrementally(root)
    assert patched == [True] and indexed == []
    after = folder_files(root / "output")
    assert {p: d for p, d in after.items() if p.startswith("pagefind/")} == {
        p: d for p, d in before.items() if p.startswith("pagefind/")
    }
    assert after == build_clean(root)


def test_an_edit_in_a_further_language_goes_to_that_languages_index(
    tmp_path: Path, indexed: list[list[str]], patched: list[bool]
) -> None:
    root = make_news_site(
        tmp_path / "site", 9, bilingual=True
    )  # a000, a003, a006: English (a003 has a warning)
    build_incrementally(root)
    before = folder_files(root / "output")
    _append(root, "a000.md", "A brand new sentence.")
    build_incrementally(root)
    after = folder_files(root / "output")
    assert patched == [True] and len(indexed) == 1
    assert [p for p in after if "/edits/" in p] and all(
        p.startswith("pagefind/en/edits/") for p in after if "/edits/" in p
    )
    assert _entry(after, "pagefind/en/")[0][0] == "edits"
    assert after["pagefind/sitegen-search.js"] == before["pagefind/sitegen-search.js"]
    assert_same_site(after, build_clean(root), "an English edit")


def test_more_edited_articles_than_the_edits_partition_holds_make_a_whole_build(
    tmp_path: Path,
    indexed: list[list[str]],
    patched: list[bool],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(overlay, "MAX_RECORDS", 2)
    root = make_news_site(tmp_path / "site", 8)
    build_incrementally(root)
    for name in ("a001.md", "a002.md", "a004.md"):
        _append(root, name, f"تعديل {name}.")
        build_incrementally(root)
    assert patched == [True, True, False] and [len(urls) for urls in indexed] == [1, 2]
    output = folder_files(root / "output")
    assert not [p for p in output if "/edits/" in p]
    assert output == build_clean(root)
    _append(root, "a005.md", "تعديل آخر.")  # the whole build started the edits afresh
    build_incrementally(root)
    assert patched[-1] and [len(urls) for urls in indexed] == [1, 2, 1]

"""The preview's search index after edits: the last index made whole, as it is, and the
edited articles in an `edits` partition (`sitegen.build.incremental.preview_search`)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pytest

from sitegen.build.search import overlay, partitions
from sitegen.serve.loop import PreviewBuild
from sitegen.serve.run import site_builder
from sitegen.serve.watch import ChangeSet
from tests.incremental.support import assert_same_site, build_clean, make_news_site, searchable


@pytest.fixture
def bundles(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int]]:
    """Each Pagefind bundle made: ("edits" or "partition", how many records)."""
    made: list[tuple[str, int]] = []
    for module, kind in ((overlay, "edits"), (partitions, "partition")):
        real = module.build_bundle
        monkeypatch.setattr(
            module,
            "build_bundle",
            lambda records, real=real, kind=kind: (
                made.append((kind, len(records))) or real(records)
            ),
        )
    monkeypatch.setattr(partitions, "PARTITION_RECORDS", 4)
    return made


def _shown(build: PreviewBuild) -> dict[str, bytes]:
    """What the preview shows once the build's search index is made."""
    assert build.snapshot is not None and build.followup is not None
    index = build.followup.run()
    pages = {p: d for p, d in build.snapshot.items() if not p.startswith("pagefind/")}
    return {**pages, **index}


def _replaced(files: Mapping[str, bytes]) -> list[str]:
    head = files["pagefind/sitegen-search.js"].decode().splitlines()[1]
    return head.removeprefix("const REPLACED = ").removesuffix(";").strip("[]").split(",")


def _append(source: Path, text: str) -> None:
    source.write_text(source.read_text(encoding="utf-8") + f"\n{text}\n", encoding="utf-8")


def test_an_edit_under_the_preview_indexes_the_edited_article_alone(
    tmp_path: Path, bundles: list[tuple[str, int]]
) -> None:
    root = make_news_site(tmp_path / "site", 10)
    builder = site_builder(root)
    first = _shown(builder(ChangeSet(initial=True)))
    assert sum(n for _, n in bundles) == 10 and {k for k, _ in bundles} == {"partition"}
    sources = sorted((root / "content").rglob("*.md"))

    bundles.clear()
    _append(sources[3], "كلمةمعاينة في آخر الخبر.")
    shown = _shown(builder(ChangeSet((sources[3],))))
    assert bundles == [("edits", 1)]  # not its partition's four articles again
    kept = [p for p in first if p.startswith("pagefind/") and "sitegen-search" not in p]
    assert all(shown[p] == first[p] for p in kept)  # every partition as it was
    assert {p for p in shown if p.startswith("pagefind/")} - {*kept, *first} == {
        p for p in shown if p.startswith("pagefind/edits/")
    }
    assert len(_replaced(shown)) == 1
    assert_same_site(shown, build_clean(root), "one edit")
    assert any(
        "كلمةمعاينة" in str(hit["content"]) for hit in searchable(shown)["pagefind/"].values()
    )

    bundles.clear()
    _append(sources[8], "كلمةثانية.")  # another article: both in `edits`, each replaced once
    shown = _shown(builder(ChangeSet((sources[8],))))
    assert bundles == [("edits", 2)] and len(_replaced(shown)) == 2
    assert_same_site(shown, build_clean(root), "two edits")

    config = root / "sitegen.yaml"  # the same articles: this index, not made again
    config.write_text(config.read_text(encoding="utf-8") + "description: وصف\n", encoding="utf-8")
    restyled = builder(ChangeSet((config,)))
    assert restyled.snapshot is not None and restyled.followup is None
    assert {p: d for p, d in restyled.snapshot.items() if p.startswith("pagefind/")} == {
        p: d for p, d in shown.items() if p.startswith("pagefind/")
    }

    bundles.clear()  # an article added: its partition is made whole, and no `edits` is left
    (sources[0].parent / "new.md").write_text(
        sources[0].read_text(encoding="utf-8").replace('title: "', 'title: "جديد ', 1),
        encoding="utf-8",
    )
    shown = _shown(builder(ChangeSet((sources[0].parent / "new.md",))))
    assert bundles and {k for k, _ in bundles} == {"partition"}
    assert not [p for p in shown if "/edits/" in p]
    assert shown == build_clean(root)

    bundles.clear()  # the next edit's base is that index
    _append(sources[3], "تعديل بعد الإضافة.")
    shown = _shown(builder(ChangeSet((sources[3],))))
    assert bundles == [("edits", 1)] and len(_replaced(shown)) == 1
    assert_same_site(shown, build_clean(root), "an edit after the addition")


def test_a_restart_after_edits_makes_their_partitions_whole(
    tmp_path: Path, bundles: list[tuple[str, int]]
) -> None:
    """The saved index holds the `edits` partition; a restarted preview shows it, and its
    follow-up makes the edited articles' partitions again (the records the edits were made
    against are not saved), then edits on that base."""
    root = make_news_site(tmp_path / "site", 8)
    builder = site_builder(root)
    _shown(builder(ChangeSet(initial=True)))
    source = sorted((root / "content").rglob("*.md"))[2]
    _append(source, "كلمةقبلالإيقاف.")
    saved = _shown(builder(ChangeSet((source,))))
    assert builder._saver is not None and builder._saver.idle(60)
    assert any(p.startswith("pagefind/edits/") for p in saved)

    bundles.clear()
    restarted = site_builder(root)
    restored = restarted.restore()
    assert restored is not None
    assert {p: d for p, d in restored[0].items() if p.startswith("pagefind/")} == {
        p: d for p, d in saved.items() if p.startswith("pagefind/")
    }
    shown = _shown(restarted(ChangeSet(initial=True)))
    assert bundles and {k for k, _ in bundles} == {"partition"} and sum(n for _, n in bundles) < 8
    assert shown == build_clean(root)

    bundles.clear()
    _append(source, "ثم بعد الإعادة.")
    shown = _shown(restarted(ChangeSet((source,))))
    assert bundles == [("edits", 1)]
    assert_same_site(shown, build_clean(root), "an edit after the restart")


def test_an_edit_of_a_further_languages_article_goes_to_its_own_edits(
    tmp_path: Path, bundles: list[tuple[str, int]]
) -> None:
    root = make_news_site(tmp_path / "site", 9, bilingual=True)
    builder = site_builder(root)
    _shown(builder(ChangeSet(initial=True)))
    english = next(
        p for p in sorted((root / "content").rglob("*.md")) if "lang: en" in p.read_text("utf-8")
    )
    bundles.clear()
    _append(english, "A newword at the end.")
    shown = _shown(builder(ChangeSet((english,))))
    assert bundles == [("edits", 1)]
    assert any(p.startswith("pagefind/en/edits/") for p in shown)
    assert not any(p.startswith("pagefind/edits/") for p in shown)
    assert_same_site(shown, build_clean(root), "an English edit")
    hits = searchable(shown)["pagefind/en/"].values()
    assert any("newword" in str(hit["content"]) for hit in hits)

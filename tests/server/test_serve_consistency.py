"""The preview ends equal to a clean build, byte for byte, whatever happened while it rebuilt:
quick pages shown first, edits saved while a rebuild is running."""

from __future__ import annotations

import io
import random
import threading
import time
from collections.abc import Mapping
from pathlib import Path

import pytest

from sitegen.build.pipeline import build
from sitegen.build.result import BuildOptions
from sitegen.core.config import load_site
from sitegen.serve.loop import PreviewBuild, RebuildLoop
from sitegen.serve.run import Preview, site_builder, watched_site
from sitegen.serve.state import Frame, PreviewState
from sitegen.serve.watch import ChangeSet
from tests.conftest import FIXED_NOW
from tests.incremental.support import assert_same_site, make_news_site
from tests.incremental.test_invariant import (
    add,
    change_config,
    delete,
    edit_body,
    move_date,
    retag,
    retitle,
    toggle_draft,
)


def clean_build(root: Path) -> Mapping[str, bytes]:
    site, problems = load_site(root)
    assert site is not None, problems
    result = build(site, BuildOptions(now=FIXED_NOW))
    assert result.ok, [d.format() for d in result.diagnostics]
    return result.files


class RecordingState(PreviewState):
    """A PreviewState remembering every frame it showed."""

    def __init__(self) -> None:
        super().__init__()
        self.frames: list[Frame] = []

    def _swap(self, frame: Frame) -> Frame:
        self.frames.append(frame)
        return super()._swap(frame)


def test_an_edit_is_shown_as_its_page_first_then_as_the_whole_build(tmp_path: Path) -> None:
    root = make_news_site(tmp_path / "site", 12)
    builder = site_builder(root)
    state, out = RecordingState(), io.StringIO()
    loop = RebuildLoop(builder, state, out, root=root, quick=builder.quick)
    loop.build(ChangeSet(initial=True))
    loop.followups.idle(60)
    source = sorted((root / "content").rglob("*.md"))[4]
    source.write_text(source.read_text(encoding="utf-8") + "\nفقرة مضافة.\n", encoding="utf-8")
    loop.build(ChangeSet((source,)))
    loop.followups.idle(60)
    loop.close()
    quick, whole = state.frames[1:]
    assert len(quick.changed) == 1  # the article's page alone, at once
    (page,) = quick.changed
    assert "فقرة مضافة".encode() in quick.files[page]
    assert whole.files[page] == quick.files[page]  # the whole build made the same page
    assert page not in whole.changed and whole.changed  # and the pages listing the article
    assert "1 file shown in" in out.getvalue()
    assert_same_site(state.current.files, clean_build(root), "a body edit")


def test_an_edit_that_moves_the_article_waits_for_the_whole_build(tmp_path: Path) -> None:
    root = make_news_site(tmp_path / "site", 6)
    builder = site_builder(root)
    state = RecordingState()
    loop = RebuildLoop(builder, state, io.StringIO(), root=root, quick=builder.quick)
    loop.build(ChangeSet(initial=True))
    source = sorted((root / "content").rglob("*.md"))[0]
    retitled = source.read_text(encoding="utf-8").replace('title: "', 'title: "عاجل ', 1)
    source.write_text(retitled, encoding="utf-8")  # a new title: a new slug, a new URL
    loop.build(ChangeSet((source,)))
    loop.followups.idle(60)
    loop.close()
    assert len(state.frames) == 2
    assert_same_site(state.current.files, clean_build(root), "a new title")


def test_the_first_build_is_shown_from_its_plan_while_its_pages_render(tmp_path: Path) -> None:
    root = make_news_site(tmp_path / "site", 10)
    state = RecordingState()
    builder = site_builder(root, early=state.provisional)
    loop = RebuildLoop(builder, state, io.StringIO(), root=root)
    loop.build(ChangeSet(initial=True))
    loop.close()
    planned, built = state.frames
    assert planned.provisional and not built.provisional and built.epoch == 2
    pages = [p for p in built.files if p.endswith(".html")]
    assert pages and all(planned.files[p] == built.files[p] for p in pages)


EDITS = [add, delete, edit_body, edit_body, retitle, retag, move_date, toggle_draft, change_config]


class EditingBuilder:
    """The site's preview builder; while each of its first whole builds runs, one more edit
    is saved on a timer (so it lands at some random point of the build)."""

    def __init__(self, root: Path, edits: int, seed: int) -> None:
        self.inner = site_builder(root)
        self.quick = self.inner.quick
        self.root = root
        self.rng = random.Random(seed)
        self.left = edits
        self.history: list[str] = []
        self.timers: list[threading.Timer] = []
        self.running = 0  # builds under way: a slow machine may take longer than `quiet`

    def __call__(self, changes: ChangeSet) -> PreviewBuild:
        if not changes.initial and self.left > 0:
            self.left -= 1
            edit = self.rng.choice(EDITS)
            timer = threading.Timer(self.rng.uniform(0.0, 0.15), self._edit, (edit,))
            self.timers.append(timer)
            timer.start()
        self.running += 1
        try:
            return self.inner(changes)
        finally:
            self.running -= 1

    def _edit(self, edit) -> None:  # type: ignore[no-untyped-def]
        self.history.append(edit(self.rng, self.root))


def wait_until_settled(preview: Preview, builder: EditingBuilder, quiet: float = 2.0) -> None:
    """Until every edit was saved, no build is under way and no frame came for `quiet`
    seconds, nor a search index."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if builder.left == 0 and all(not t.is_alive() for t in builder.timers):
            epoch = preview.state.current.epoch
            quiet_frames = preview.state.wait_after(epoch, quiet) is None
            if (
                quiet_frames
                and builder.running == 0
                and preview.loop.followups.idle(60)
                and preview.state.current.epoch == epoch
            ):
                return
        else:
            time.sleep(0.1)
    pytest.fail("the preview did not settle")


@pytest.mark.parametrize("seed", [3, 11])
def test_edits_saved_while_the_preview_rebuilds_end_equal_to_a_clean_build(
    seed: int, tmp_path: Path, start_preview
) -> None:
    root = make_news_site(tmp_path / "site", 18, seed=seed)
    builder = EditingBuilder(root, edits=6, seed=seed)
    preview = start_preview(builder, watched_site(root), quick=builder.quick)
    first = sorted((root / "content").rglob("*.md"))[0]
    first.write_text(first.read_text(encoding="utf-8") + "\nبداية.\n", encoding="utf-8")
    wait_until_settled(preview, builder)
    assert not preview.state.current.failed, builder.history
    assert_same_site(preview.state.current.files, clean_build(root), builder.history)

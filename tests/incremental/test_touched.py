"""An edit renders again exactly the pages it can change: every page whose bytes differ is
rendered (the output equals a clean build), the pages that show what changed are among them,
and pages that do not show it are not. A fingerprint that left out what a page shows would
fail these checks (the last test proves that they can fail)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from sitegen.build.incremental import fingerprints
from tests.incremental.support import (
    assert_same_site,
    build_clean,
    build_incrementally,
    folder_files,
    make_news_site,
)

Edit = Callable[[Path], None]


def rewrite(root: Path, name: str, old: str, new: str) -> None:
    path = next((root / "content").rglob(name))
    text = path.read_text(encoding="utf-8")
    assert re.search(old, text), (name, old)
    path.write_text(re.sub(old, new, text, count=1), encoding="utf-8")


def touched_by(root: Path, edit: Edit) -> tuple[set[str], set[str], int]:
    """Build, edit, build again: the pages rendered by the second build, the pages whose
    bytes it changed, and how many pages the site has. The output must equal a clean build."""
    build_incrementally(root)
    before = folder_files(root / "output")
    edit(root)
    result = build_incrementally(root)
    after = folder_files(root / "output")
    assert_same_site(after, build_clean(root), "the incremental output differs from a clean build")
    pages = {p for p in result.files if p.endswith(".html")}
    rendered = {p for p in pages if p not in result.unchanged}
    changed = {p for p in pages if before.get(p) != after[p]}
    assert changed <= rendered, f"stale pages: {sorted(changed - rendered)}"
    return rendered, changed, len(pages)


def page_of(root: Path, source: str) -> str:
    """The output page of an article, found by its title in the built site."""
    path = next((root / "content").rglob(source))
    title = re.search(r'title: "(.*)"', path.read_text(encoding="utf-8"))
    assert title
    for page in (root / "output").rglob("index.html"):
        text = page.read_text(encoding="utf-8")
        if "<h1" in text and f">{title.group(1)}</h1>" in text:
            return page.relative_to(root / "output").as_posix()
    raise AssertionError(f"no page for {source}")


def test_a_body_edit_renders_its_page_and_not_its_neighbours(tmp_path: Path) -> None:
    root = make_news_site(tmp_path / "site", 24)
    rendered, changed, pages = touched_by(
        root, lambda r: rewrite(r, "a005.md", r"\n## ", "\nجملة جديدة في المتن.\n\n## ")
    )
    assert page_of(root, "a005.md") in changed
    assert len(rendered) < pages // 4  # no page shows the body but the article's own


def test_a_retitle_renders_the_neighbours_that_show_the_title(tmp_path: Path) -> None:
    # The previous and next articles' pages link to it by title; so do its day, topic and
    # tag pages. Each of them must be rendered again, and nothing changes unseen.
    root = make_news_site(tmp_path / "site", 24)
    build_incrementally(root)
    own = page_of(root, "a005.md")
    showing = {
        p.relative_to(root / "output").as_posix()
        for p in (root / "output").rglob("index.html")
        if 'href="/' + own.removesuffix("index.html") + '"' in p.read_text(encoding="utf-8")
    }
    assert len(showing) > 3
    # a retitle with a `slug:` keeps the article's URL: only what shows the title changes
    slug = own.removesuffix("/index.html").rsplit("/", 1)[1]
    rendered, changed, pages = touched_by(
        root,
        lambda r: rewrite(r, "a005.md", r'title: "', f'slug: {slug}\ntitle: "عنوان جديد '),
    )
    assert showing - {own} <= changed  # every page linking to it shows the new title
    assert len(rendered) < pages // 2


def test_a_topic_change_renders_both_topics_pages(tmp_path: Path) -> None:
    root = make_news_site(tmp_path / "site", 24)

    def move(root: Path) -> None:
        rewrite(root, "a004.md", r"(?m)^topic: .*\n", "")  # the folder's topic, if none
        rewrite(root, "a004.md", r"(?m)^(title: .*)$", "\\1\ntopic: ثقافة")

    _, changed, _ = touched_by(root, move)
    assert any(p.startswith("topics/ثقافة/") for p in changed)
    assert "topics/index.html" in changed


def test_these_checks_fail_when_the_fingerprint_leaves_out_what_a_page_shows(
    tmp_path: Path, monkeypatch
) -> None:
    # An article view digested without its model key (as if ARTICLE_FACTS stood for nothing
    # but were left out): a retitle then leaves stale pages, and the checks say so.
    stand_in = fingerprints.Fingerprinter.stand_in

    def forgetful(self, value, names, key):  # type: ignore[no-untyped-def]
        stand_in(self, value, names, "model:forgotten")

    monkeypatch.setattr(fingerprints.Fingerprinter, "stand_in", forgetful)
    root = make_news_site(tmp_path / "site", 12)
    build_incrementally(root)
    slug = page_of(root, "a005.md").removesuffix("/index.html").rsplit("/", 1)[1]
    with pytest.raises(AssertionError, match=r"stale pages|differs from a clean build"):
        touched_by(root, lambda r: rewrite(r, "a005.md", r'title: "', f'slug: {slug}\ntitle: "X '))

"""`write_build` of a build that changed nothing: the output folder is left alone, unless the
last write did not finish or its manifest does not list these files."""

from __future__ import annotations

import json
from pathlib import Path

from sitegen.build.incremental.stores import DiskCache
from sitegen.build.pipeline import BuildOptions, build
from sitegen.build.publish import write_build
from sitegen.build.write import MANIFEST, UNFINISHED
from sitegen.core.config import Site, load_site
from tests.conftest import FIXED_NOW
from tests.incremental.support import (
    assert_same_site,
    build_clean,
    folder_files,
    make_news_site,
    modules_of_build,
)


def _build_and_write(site: Site) -> tuple[int, int, int]:
    cache = DiskCache(site.state_dir, site.output_dir)
    result = build(site, BuildOptions(now=FIXED_NOW, jobs=1), cache=cache)
    report = write_build(site, result, cache)
    assert report is not None
    return report.written, report.unchanged, report.removed


def _site(tmp_path: Path) -> Site:
    site, problems = load_site(make_news_site(tmp_path / "site", 6))
    assert site is not None, problems
    return site


def test_an_unchanged_build_writes_nothing_not_even_the_manifest(tmp_path: Path) -> None:
    site = _site(tmp_path)
    written, _, _ = _build_and_write(site)
    manifest = site.state_dir / MANIFEST
    before = manifest.stat()
    again = _build_and_write(site)
    assert again == (0, written, 0)
    after = manifest.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert_same_site(folder_files(site.output_dir), build_clean(site.root, FIXED_NOW), "")


def test_an_unchanged_build_after_an_unfinished_write_writes_again(tmp_path: Path) -> None:
    site = _site(tmp_path)
    _build_and_write(site)
    (site.state_dir / UNFINISHED).touch()  # a write was killed since
    before = (site.state_dir / MANIFEST).stat().st_mtime_ns
    _build_and_write(site)
    assert not (site.state_dir / UNFINISHED).exists()
    assert (site.state_dir / MANIFEST).stat().st_mtime_ns != before


def test_an_unchanged_build_whose_manifest_is_lost_writes_it_again(tmp_path: Path) -> None:
    site = _site(tmp_path)
    _build_and_write(site)
    (site.state_dir / MANIFEST).unlink()
    _build_and_write(site)
    assert (site.state_dir / MANIFEST).is_file()
    assert_same_site(folder_files(site.output_dir), build_clean(site.root, FIXED_NOW), "")


def test_an_unchanged_build_whose_manifest_lists_more_writes_it_again(tmp_path: Path) -> None:
    """The manifest is compared as it is: an entry no write would follow (`../x`) still
    makes it differ from the build's files."""
    site = _site(tmp_path)
    _build_and_write(site)
    manifest = site.state_dir / MANIFEST
    data = json.loads(manifest.read_text(encoding="utf-8"))
    manifest.write_text(json.dumps({**data, "files": [*data["files"], "../x"]}), encoding="utf-8")
    written, _, _ = _build_and_write(site)
    assert written == 0  # every file was unchanged: only the manifest was written again
    assert "../x" not in json.loads(manifest.read_text(encoding="utf-8"))["files"]


def test_an_unchanged_build_imports_no_stage_nor_jinja(tmp_path: Path) -> None:
    """The path of a build that changes nothing stays light: what it imports is counted in
    its time (Jinja, `importlib.metadata` and the stages once cost a third of it)."""
    site = _site(tmp_path)
    modules_of_build(site.root)  # the first build: its cache
    found = modules_of_build(site.root)
    heavy = {"jinja2", "importlib.metadata", "sitegen.build.render", "sitegen.build.parse"}
    assert heavy.isdisjoint(found)

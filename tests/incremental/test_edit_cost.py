"""What a build after one edit spends nothing on: the search index's modules when the site
has none, templates no page it renders uses, encoding the dicts of emails whose article views
are digested already. The output still equals a clean build."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from sitegen.build.incremental import fingerprints
from tests.incremental.support import (
    build_clean,
    build_incrementally,
    folder_files,
    make_news_site,
    modules_of_build,
)


def _edit_body(root: Path) -> None:
    path = next((root / "content").rglob("a005.md"))
    path.write_text(path.read_text(encoding="utf-8") + "\nجملة جديدة في المتن.\n", "utf-8")


def test_an_edit_without_search_imports_no_search_index(tmp_path: Path) -> None:
    root = make_news_site(tmp_path / "site", 12)
    with (root / "sitegen.yaml").open("a", encoding="utf-8") as config:
        config.write("search: false\ncard: false\n")
    modules_of_build(root)  # the first build: its cache
    _edit_body(root)
    found = modules_of_build(root)
    assert "sitegen.build.render" in found  # the edit's pages were rendered
    search = {"sitegen.build.search.index", "sitegen.build.search.partitions", "cbor2"}
    assert search.isdisjoint(found)
    assert folder_files(root / "output") == build_clean(root)


def test_an_edit_compiles_only_the_templates_its_pages_use(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_news_site(tmp_path / "site", 12)
    build_incrementally(root)
    _edit_body(root)
    compiled: list[str | None] = []
    compile_template = jinja2.Environment.compile

    def counting(self: jinja2.Environment, source: str, name: str | None = None, *a, **k):  # type: ignore[no-untyped-def]
        compiled.append(name)
        return compile_template(self, source, name, *a, **k)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    result = build_incrementally(root)
    assert 0 < result.stats.rendered < 256  # few pages: rendered in this process
    assert "article.html" in compiled
    assert "404.html" not in compiled  # no page of the edit shows it
    assert "search.html" not in compiled
    monkeypatch.undo()
    assert folder_files(root / "output") == build_clean(root)


def test_an_edit_digests_each_email_by_the_views_it_shows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A day's email holds a dict per article (tagged links), made anew by every build: its
    page fingerprint is made from the article views the email shows (digested for their own
    pages already), never by encoding those dicts."""
    root = make_news_site(tmp_path / "site", 12)
    build_incrementally(root)
    _edit_body(root)
    encoded: list[frozenset[str]] = []
    dict_text = fingerprints.Fingerprinter._dict_text

    def recording(self: fingerprints.Fingerprinter, value: dict[str, object]) -> str:
        encoded.append(frozenset(value))
        return dict_text(self, value)

    monkeypatch.setattr(fingerprints.Fingerprinter, "_dict_text", recording)
    result = build_incrementally(root)
    assert any(p.endswith("/email.html") for p in result.files if p not in result.unchanged)
    email_article = {"title", "url", "summary", "kicker", "breaking", "image"}
    assert encoded and not any(email_article <= keys for keys in encoded)
    assert not any("preheader" in keys for keys in encoded)
    monkeypatch.undo()
    assert folder_files(root / "output") == build_clean(root)

"""What a build after one edit spends nothing on: the search index's modules when the site
has none, templates no page it renders uses, encoding the dicts of emails whose article views
are digested already. The output still equals a clean build."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from sitegen.build import model, plan
from sitegen.build.incremental import edit_record, edits, fingerprints, reuse
from tests.incremental.support import (
    assert_same_site,
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
    assert_same_site(folder_files(root / "output"), build_clean(root), "")


def test_an_edit_compiles_only_the_templates_its_pages_use(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_news_site(tmp_path / "site", 12)
    build_incrementally(root)
    _edit_body(root)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cold"))  # no template compiled yet
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
    compiled.clear()
    _edit_body(root)
    build_incrementally(root)
    assert compiled == []  # the next edit loads them compiled (sitegen.build.template_cache)
    monkeypatch.undo()
    assert_same_site(folder_files(root / "output"), build_clean(root), "")


def test_an_edit_digests_each_email_by_the_views_it_shows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A day's email holds a dict per article (tagged links), made anew by every build: its
    page fingerprint is made from the article views the email shows (digested for their own
    pages already), never by encoding those dicts."""
    root = make_news_site(tmp_path / "site", 12)
    build_incrementally(root)
    _edit_body(root)
    monkeypatch.setattr(edits, "patch_build", lambda *_: None)  # the whole build's fingerprints
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
    assert_same_site(folder_files(root / "output"), build_clean(root), "")


def _planned_and_modeled(monkeypatch: pytest.MonkeyPatch) -> tuple[list[int], list[int]]:
    """Record each `plan_site` call (the number of editions) and each `model_articles` call
    (the number of documents), wherever a build makes them."""
    planned: list[int] = []
    modeled: list[int] = []
    plan_site, model_articles = plan.plan_site, model.model_articles

    def planning(editions, *args):  # type: ignore[no-untyped-def]
        planned.append(len(editions))
        return plan_site(editions, *args)

    def modelling(documents, *args, **kwargs):  # type: ignore[no-untyped-def]
        modeled.append(len(documents))
        return model_articles(documents, *args, **kwargs)

    monkeypatch.setattr(plan, "plan_site", planning)
    for module in (reuse, edits):
        monkeypatch.setattr(module, "model_articles", modelling)
    return planned, modeled


def _site_without_search(tmp_path: Path) -> Path:
    root = make_news_site(tmp_path / "site", 12)
    with (root / "sitegen.yaml").open("a", encoding="utf-8") as config:
        config.write("search: false\n")
    return root


def test_a_body_edit_plans_nothing_and_models_only_the_edited_article(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 17: a build after a body edit reads nothing of the other articles: it neither
    models them nor groups and plans the site; it renders the pages showing the article."""
    root = _site_without_search(tmp_path)
    first = build_incrementally(root)
    _edit_body(root)
    planned, modeled = _planned_and_modeled(monkeypatch)
    result = build_incrementally(root)
    assert planned == [] and modeled == [1]
    assert result.stats.parsed == 1 and 0 < result.stats.rendered < first.stats.pages // 2
    assert len(result.files) == len(first.files)
    monkeypatch.undo()
    assert_same_site(folder_files(root / "output"), build_clean(root), "")


def test_an_edit_that_moves_an_article_builds_the_whole_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new title moves the article (its slug, its place on listings): planned whole."""
    root = _site_without_search(tmp_path)
    build_incrementally(root)
    path = next((root / "content").rglob("a005.md"))
    path.write_text(path.read_text(encoding="utf-8").replace('title: "', 'title: "جديد '), "utf-8")
    planned, modeled = _planned_and_modeled(monkeypatch)
    build_incrementally(root)
    assert planned == [1] and modeled[-1] == 12  # the edit modelled alone, then all
    monkeypatch.undo()
    assert_same_site(folder_files(root / "output"), build_clean(root), "")


def test_a_damaged_edit_store_is_ignored_and_made_anew(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An edit store that is not a database: a warning, the whole build, a store made anew
    that the next build after an edit uses."""
    root = _site_without_search(tmp_path)
    build_incrementally(root)
    (root / ".sitegen" / "cache" / "edits.sqlite").write_bytes(b"not a database" * 100)
    _edit_body(root)
    result = build_incrementally(root)
    assert any("edit cache" in d.message for d in result.notices)
    assert_same_site(folder_files(root / "output"), build_clean(root), "")
    _edit_body(root)
    planned, _ = _planned_and_modeled(monkeypatch)
    build_incrementally(root)
    assert not planned
    monkeypatch.undo()
    assert_same_site(folder_files(root / "output"), build_clean(root), "")


def test_the_edit_store_is_recorded_in_batches_and_read_back_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The record is written a batch at a time (a 100k site's rows are not held together);
    batches that split views and pages still give the build after an edit what it reads."""
    root = _site_without_search(tmp_path)
    monkeypatch.setattr(edit_record, "RECORD_BATCH", 3)
    sizes: list[tuple[int, int]] = []
    write = edit_record.EditStore.write

    def counting(self, batches, **kwargs):  # type: ignore[no-untyped-def]
        def seen():  # type: ignore[no-untyped-def]
            for rows in batches:
                sizes.append((len(rows.views), len(rows.units)))
                yield rows

        return write(self, seen(), **kwargs)

    monkeypatch.setattr(edit_record.EditStore, "write", counting)
    build_incrementally(root)
    assert len(sizes) > 5 and all(v <= 3 and u <= 3 for v, u in sizes)
    _edit_body(root)
    planned, _ = _planned_and_modeled(monkeypatch)
    build_incrementally(root)
    assert planned == []
    monkeypatch.undo()
    assert_same_site(folder_files(root / "output"), build_clean(root), "")

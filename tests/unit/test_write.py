import os
from pathlib import Path

import pytest

from sitegen.build.write import write_site


def test_writes_only_changes_and_prunes_only_its_own_files(tmp_path: Path) -> None:
    out, state = tmp_path / "out", tmp_path / ".sitegen"
    out.mkdir()
    (out / "CNAME").write_text("mine")
    report = write_site({"a/index.html": b"1", "b.css": b"2"}, out, state)
    assert (report.written, report.unchanged, report.removed) == (2, 0, 0)
    mtime = (out / "b.css").stat().st_mtime_ns
    report = write_site({"b.css": b"2", "c.xml": b"3"}, out, state)
    assert (report.written, report.unchanged, report.removed) == (1, 1, 1)
    assert not (out / "a").exists()
    assert (out / "b.css").stat().st_mtime_ns == mtime
    assert (out / "CNAME").read_text() == "mine"


def test_refuses_paths_outside_the_output(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        write_site({"../evil": b"x"}, tmp_path / "out", tmp_path / "s")


def test_interrupted_write_keeps_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out, state = tmp_path / "out", tmp_path / "s"
    write_site({"a.html": b"old"}, out, state)

    def boom(src: str, dst: str) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(KeyboardInterrupt):
        write_site({"a.html": b"new content"}, out, state)
    assert (out / "a.html").read_bytes() == b"old"
    assert [p.name for p in out.iterdir()] == ["a.html"]

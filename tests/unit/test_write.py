import os
from pathlib import Path

import pytest

from sitegen.build import write
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


class DiskLog:
    """Records fsync (by path) and rename calls, in order, while passing them through."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.events: list[tuple[str, ...]] = []
        self.paths: dict[int, str] = {}
        real_open, real_fsync, real_replace = os.open, os.fsync, os.replace

        def opened(path, flags, *args, **kwargs):  # type: ignore[no-untyped-def]
            fd = real_open(path, flags, *args, **kwargs)
            self.paths[fd] = os.path.abspath(path)
            return fd

        def fsync(fd: int) -> None:
            self.events.append(("fsync", self.paths[fd]))
            real_fsync(fd)

        def replace(src: str, dst: str) -> None:
            self.events.append(("rename", os.path.abspath(src), os.path.abspath(dst)))
            real_replace(src, dst)

        monkeypatch.setattr(os, "open", opened)
        monkeypatch.setattr(os, "fsync", fsync)
        monkeypatch.setattr(os, "replace", replace)

    def index(self, *event: str) -> int:
        return self.events.index(event)

    def renamed_to(self, target: Path) -> tuple[int, str]:
        """Where the rename onto `target` happened, and the temporary file it came from."""
        (found,) = [(i, e[1]) for i, e in enumerate(self.events) if e[2:] == (str(target),)]
        return found

    def synced(self) -> list[str]:
        return [e[1] for e in self.events if e[0] == "fsync"]


def assert_durable(log: DiskLog, targets: list[Path], before: int) -> None:
    """Each target's data was synced before its rename, and each of their folders once,
    after the renames into it and before event `before`."""
    for target in targets:
        at, temp = log.renamed_to(target)
        assert log.index("fsync", temp) < at
        folder = log.index("fsync", str(target.parent))
        assert at < folder < before
    for folder in {str(t.parent) for t in targets}:
        assert log.synced().count(folder) == 1


def test_files_and_their_folders_reach_the_disk_before_the_manifest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without syncfs (not Linux): each file fsync'd before its rename, each folder once."""
    monkeypatch.setattr(write, "SYNCFS", None)
    out, state = tmp_path / "out", tmp_path / "s"
    files = {"index.html": b"1", "2024/05/01/خبر/index.html": b"2", "css/a.css": b"3"}
    write_site(files, out, state)
    log = DiskLog(monkeypatch)
    changed = {**files, "css/a.css": b"new", "css/b.css": b"4", "tags/x/index.html": b"5"}
    write_site(changed, out, state)
    manifest_at, _ = log.renamed_to(state / "manifest.json")
    targets = [out / "css/a.css", out / "css/b.css", out / "tags/x/index.html"]
    assert_durable(log, targets, manifest_at)
    assert log.index("fsync", str(out)) < manifest_at  # it holds the new folder tags/
    assert log.index("fsync", str(out / "tags")) < manifest_at  # it holds the new tags/x/
    unchanged = [out / "index.html", out / "2024/05/01/خبر/index.html"]
    assert not {str(p) for p in unchanged} & set(log.synced())  # unchanged: no cost
    assert not {str(p.parent) for p in unchanged[1:]} & set(log.synced())
    assert_durable(log, [state / "manifest.json"], len(log.events))


@pytest.mark.skipif(write.SYNCFS is None, reason="syncfs(2) is Linux's")
def test_with_syncfs_the_file_system_is_flushed_once_before_the_manifest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out, state = tmp_path / "out", tmp_path / "s"
    files = {"index.html": b"1", "2024/05/01/خبر/index.html": b"2", "css/a.css": b"3"}
    write_site(files, out, state)
    log = DiskLog(monkeypatch)
    real_syncfs = write.SYNCFS

    def syncfs(fd: int) -> int:
        log.events.append(("syncfs", log.paths[fd]))
        return real_syncfs(fd)  # type: ignore[misc]

    monkeypatch.setattr(write, "SYNCFS", syncfs)
    monkeypatch.setattr(write, "FSYNC_EACH_UP_TO", 2)  # this write's 3 files are many
    changed = {**files, "css/a.css": b"new", "css/b.css": b"4", "tags/x/index.html": b"5"}
    write_site(changed, out, state)
    manifest_at, _ = log.renamed_to(state / "manifest.json")
    flushes = [i for i, e in enumerate(log.events) if e[0] == "syncfs"]
    assert len(flushes) == 1  # output and state share one file system: flushed once
    for target in [out / "css/a.css", out / "css/b.css", out / "tags/x/index.html"]:
        assert log.renamed_to(target)[0] < flushes[0] < manifest_at
    assert not [e for e in log.events[: flushes[0]] if e[0] == "fsync"]  # no fsync per file
    assert_durable(log, [state / "manifest.json"], len(log.events))


@pytest.mark.skipif(write.SYNCFS is None, reason="syncfs(2) is Linux's")
def test_a_write_of_a_few_files_flushes_them_not_the_file_system(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An edit's few pages are fsync'd one by one: syncfs would also wait for every other
    program's unwritten data on the file system."""
    out, state = tmp_path / "out", tmp_path / "s"
    files = {"index.html": b"1", "2024/05/01/خبر/index.html": b"2", "css/a.css": b"3"}
    write_site(files, out, state)
    log = DiskLog(monkeypatch)
    monkeypatch.setattr(write, "SYNCFS", lambda fd: pytest.fail("syncfs for a write of 2 files"))
    write_site({**files, "css/a.css": b"new", "tags/x/index.html": b"5"}, out, state)
    manifest_at, _ = log.renamed_to(state / "manifest.json")
    assert_durable(log, [out / "css/a.css", out / "tags/x/index.html"], manifest_at)
    assert log.index("fsync", str(out)) < manifest_at  # it holds the new folder tags/


def test_a_removal_reaches_the_disk_before_the_manifest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file removed (and the folders it leaves empty) is flushed with its first remaining
    folder: a power cut cannot bring back a file the manifest no longer lists."""
    monkeypatch.setattr(write, "SYNCFS", None)
    out, state = tmp_path / "out", tmp_path / "s"
    files = {"index.html": b"1", "tags/x/index.html": b"2", "tags/y/index.html": b"3"}
    write_site({**files, "a/b.html": b"4"}, out, state)
    (out / "a" / "mine.txt").write_text("not sitegen's")
    log = DiskLog(monkeypatch)
    write_site({"index.html": b"1"}, out, state)  # tags/x/ goes, then tags/ with tags/y/
    assert not (out / "tags").exists() and (out / "a" / "mine.txt").exists()
    manifest_at, _ = log.renamed_to(state / "manifest.json")
    assert log.index("fsync", str(out)) < manifest_at  # tags/ removed from it
    assert log.index("fsync", str(out / "a")) < manifest_at  # b.html removed from it


def test_a_failing_syncfs_fails_the_write_before_the_manifest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out, state = tmp_path / "out", tmp_path / "s"
    monkeypatch.setattr(write, "SYNCFS", lambda fd: -1)
    monkeypatch.setattr(write, "FSYNC_EACH_UP_TO", 0)
    with pytest.raises(OSError):
        write_site({"a.html": b"1"}, out, state)
    assert not (state / "manifest.json").exists()


def test_a_clean_write_creates_each_file_in_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Into an empty output folder: no temporary file, no rename; the mode is 0644 whatever
    the umask, as a replaced file's."""
    out, state = tmp_path / "out", tmp_path / "s"
    log = DiskLog(monkeypatch)
    files = {"index.html": b"1", "2024/05/01/خبر/index.html": b"2", "css/a.css": b"3"}
    old_mask = os.umask(0o077)
    try:
        write_site(files, out, state)
    finally:
        os.umask(old_mask)
    assert not [e for e in log.events if e[0] == "rename" and e[2].startswith(str(out))]
    assert not [p for p in log.paths.values() if write.TEMP_PREFIX in p and str(out) in p]
    for path, data in files.items():
        assert (out / path).read_bytes() == data
        assert (out / path).stat().st_mode & 0o777 == 0o644


def test_a_write_lists_the_files_it_creates_in_place_until_it_ends(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A killed clean write leaves files no manifest lists; the `writing` marker does, and
    the next writes remove those no longer built, however often they are interrupted too."""
    out, state = tmp_path / "out", tmp_path / "s"
    real_write = os.write

    def killed(fd: int, data: bytes) -> int:
        if os.readlink(f"/proc/self/fd/{fd}").endswith("c.html"):
            raise KeyboardInterrupt
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", killed)
    with pytest.raises(KeyboardInterrupt):
        write_site({"a.html": b"1", "b.html": b"2", "c.html": b"3"}, out, state)
    assert sorted(p.name for p in out.iterdir()) == ["a.html", "b.html"]  # none cut short
    (out / "mine.html").write_text("keep")  # not sitegen's
    monkeypatch.setattr(os, "write", real_write)
    real_replace = os.replace

    def interrupted(src: str, dst: str | Path) -> None:
        if os.fspath(dst).endswith("c.html"):
            raise KeyboardInterrupt
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):  # a later write (not a clean one), interrupted too
        write_site({"a.html": b"1", "c.html": b"3"}, out, state)
    monkeypatch.setattr(os, "replace", real_replace)
    report = write_site({"a.html": b"1"}, out, state)
    assert sorted(p.name for p in out.iterdir()) == ["a.html", "mine.html"]
    assert report.removed == 1
    assert not (state / write.UNFINISHED).exists()


def test_a_file_or_symlink_that_comes_during_a_clean_write_is_handled_as_usual(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out, state, elsewhere = tmp_path / "out", tmp_path / "s", tmp_path / "elsewhere"
    out.mkdir()
    elsewhere.mkdir()
    (out / "same.html").write_bytes(b"1")
    (out / "old.html").write_bytes(b"old")
    monkeypatch.setattr(write, "_empty", lambda folder: True)  # they came after the look
    report = write_site({"same.html": b"1", "old.html": b"new", "a/b.html": b"2"}, out, state)
    assert (report.written, report.unchanged) == (2, 1)
    assert (out / "old.html").read_bytes() == b"new"
    (out / "link").symlink_to(elsewhere)
    with pytest.raises(OSError, match="symlinked folder leads outside"):
        write_site({"link/x/index.html": b"x"}, out, tmp_path / "s2")
    assert not list(elsewhere.iterdir())


def test_run_all_keeps_the_order_and_stops_at_the_first_failure() -> None:
    assert write._run_all(lambda i: i * 2, list(range(100)), 4) == list(range(0, 200, 2))
    started: list[int] = []

    def work(i: int) -> None:
        started.append(i)
        if i == 3:
            raise ValueError(i)

    with pytest.raises(ValueError):
        write._run_all(work, list(range(1000)), 2)
    assert len(started) < 10  # the other thread stopped after the item it was on


def test_without_syncfs_a_clean_write_flushes_each_file_and_folder_before_the_manifest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(write, "SYNCFS", None)
    out, state = tmp_path / "out", tmp_path / "s"
    log = DiskLog(monkeypatch)
    write_site({"index.html": b"1", "2024/05/01/خبر/index.html": b"2"}, out, state)
    manifest_at, _ = log.renamed_to(state / "manifest.json")
    for target in [out / "index.html", out / "2024/05/01/خبر/index.html"]:
        assert log.index("fsync", str(target)) < log.index("fsync", str(target.parent))
        assert log.index("fsync", str(target.parent)) < manifest_at
    for folder in [out, out / "2024", out / "2024/05", out / "2024/05/01"]:  # hold new folders
        assert log.index("fsync", str(folder)) < manifest_at

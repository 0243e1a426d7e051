"""Nothing lost: a build killed (SIGKILL) in the middle of writing leaves every output file
either as the previous build wrote it or as the new one does, never truncated; the next build
completes the site and clears the killed build's temporary files."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXED_NOW, MINIMAL_CONFIG, article, write_files

REPO = Path(__file__).resolve().parents[2]
# Run the CLI build and kill the process with SIGKILL at the KILL_AT-th file it writes: either
# just before the rename that publishes it, or halfway through writing its bytes.
CHILD = """
import os, signal, sys
from sitegen.build import write
from sitegen.cli import main

mode, kill_at = sys.argv[1], int(sys.argv[2])
calls = 0

def count() -> bool:
    global calls
    calls += 1
    return calls == kill_at

real_replace, real_write = os.replace, os.write

def in_output(path) -> bool:  # the cache in .sitegen/ is written the same way
    return os.sep + "output" + os.sep in os.fspath(path)

def replace(src, dst):
    if mode == "rename" and in_output(dst) and count():
        os.kill(os.getpid(), signal.SIGKILL)
    real_replace(src, dst)

def half_write(fd, data):
    if mode == "data" and in_output(os.readlink(f"/proc/self/fd/{fd}")) and count():
        real_write(fd, bytes(data[: len(data) // 2]))
        os.kill(os.getpid(), signal.SIGKILL)
    return real_write(fd, data)

write.os.replace, write.os.write = replace, half_write
write.WRITER_THREADS = write.FILE_THREADS = 1  # files in a known order: the KILL_AT-th is known
sys.argv = ["sitegen", "build", "--quiet"]
main()
"""


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "SOURCE_DATE_EPOCH": str(int(FIXED_NOW.timestamp())),
    }
    return subprocess.run(
        [sys.executable, *args], cwd=root, env=env, capture_output=True, text=True, timeout=120
    )


def edition(root: Path, version: str) -> None:
    write_files(
        root,
        {
            f"content/2022/a{i}.md": article(f"خبر {i}", body=f"نص {version} " * (200 * i))
            for i in range(1, 7)
        },
    )


@pytest.mark.parametrize("mode", ["rename", "data"])
@pytest.mark.parametrize("kill_at", [1, 5])
def test_a_killed_build_leaves_old_or_new_files(tmp_path: Path, mode: str, kill_at: int) -> None:
    root = write_files(tmp_path / "site", {"sitegen.yaml": MINIMAL_CONFIG})
    edition(root, "قديم")
    assert run(root, "-m", "sitegen", "build", "--quiet").returncode == 0
    old = snapshot(root / "output")

    edition(root, "جديد")
    killed = run(root, "-c", CHILD, mode, str(kill_at))
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    during = snapshot(root / "output")

    assert run(root, "-m", "sitegen", "build", "--quiet").returncode == 0
    new = snapshot(root / "output")
    assert new != old
    temporary = [name for name in during if Path(name).name.startswith(".sitegen-")]
    assert len(temporary) <= 1  # at most the file being written when killed
    assert not [name for name in new if Path(name).name.startswith(".sitegen-")]
    for name, data in during.items():
        if name not in temporary:
            assert data in (old.get(name), new.get(name)), name
    written = [name for name in during if during[name] == new.get(name) != old.get(name)]
    assert len(written) == kill_at - 1  # the files before the kill are the new ones


@pytest.mark.parametrize("kill_at", [1, 5])
def test_a_killed_clean_build_is_repaired_by_the_next(tmp_path: Path, kill_at: int) -> None:
    """Into an empty output folder files are written in place: the killed build leaves one
    cut short; the next build rewrites it, and removes the files the killed one made that
    its site no longer has (no manifest lists them)."""
    root = write_files(tmp_path / "site", {"sitegen.yaml": MINIMAL_CONFIG})
    edition(root, "جديد")
    killed = run(root, "-c", CHILD, "data", str(kill_at))
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    during = snapshot(root / "output")
    assert not [name for name in during if Path(name).name.startswith(".sitegen-")]
    assert len(during) == kill_at  # in place: the kill_at-th one is the file cut short

    for i in range(2, 7):  # the next build has one article: the pages of the others go
        (root / f"content/2022/a{i}.md").unlink()
    assert run(root, "-m", "sitegen", "build", "--quiet").returncode == 0
    clean = write_files(tmp_path / "clean", {"sitegen.yaml": MINIMAL_CONFIG})
    write_files(clean, {"content/2022/a1.md": (root / "content/2022/a1.md").read_text()})
    assert run(clean, "-m", "sitegen", "build", "--quiet").returncode == 0
    assert snapshot(root / "output") == snapshot(clean / "output")

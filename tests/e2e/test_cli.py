"""The `sitegen` command in a subprocess: exit codes, messages, untouched output on failure."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import FIXED_NOW, MINIMAL_CONFIG, article, write_files

REPO = Path(__file__).resolve().parents[2]


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "SOURCE_DATE_EPOCH": str(int(FIXED_NOW.timestamp())),
    }
    return subprocess.run(
        [sys.executable, "-m", "sitegen", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_build_then_failed_build_leaves_output_byte_identical(tmp_path: Path) -> None:
    write_files(tmp_path, {"sitegen.yaml": MINIMAL_CONFIG, "content/a.md": article("خبر أول")})
    ok = run("build", cwd=tmp_path)
    assert ok.returncode == 0, ok.stderr
    assert "built" in ok.stdout and ok.stderr == ""
    before = snapshot(tmp_path / "output")
    assert "index.html" in before

    write_files(
        tmp_path,
        {
            "content/b.md": "---\ntitle: [\n---\n",
            "content/c.md": article("خبر", date="yesterday"),
        },
    )
    failed = run("build", cwd=tmp_path)
    assert failed.returncode == 1
    assert "content/b.md:3: invalid YAML front matter" in failed.stderr
    assert "content/c.md:3: cannot read date 'yesterday'" in failed.stderr
    assert "2 errors, 0 warnings" in failed.stderr
    assert "Traceback" not in failed.stderr
    assert snapshot(tmp_path / "output") == before


def test_second_build_writes_nothing(tmp_path: Path) -> None:
    write_files(tmp_path, {"sitegen.yaml": MINIMAL_CONFIG, "content/a.md": article("خبر")})
    assert run("build", cwd=tmp_path).returncode == 0
    again = run("build", "-s", str(tmp_path), cwd=REPO)
    assert again.returncode == 0 and " 0 written" in again.stdout


def test_config_and_usage_errors_exit_2(tmp_path: Path) -> None:
    write_files(tmp_path, {"sitegen.yaml": "titel: x\n"})
    result = run("build", cwd=tmp_path)
    assert result.returncode == 2
    assert "sitegen.yaml:1: unknown key 'titel' (did you mean 'title'?)" in result.stderr
    assert run("build", "--no-such-flag", cwd=tmp_path).returncode == 2
    assert run("build", "-s", str(tmp_path / "nowhere"), cwd=tmp_path).returncode == 2


def test_drafts_and_future_flags(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "sitegen.yaml": MINIMAL_CONFIG,
            "content/a.md": article("منشور"),
            "content/b.md": article("مسودة", draft="true"),
            "content/c.md": article("مستقبل", date="2031-01-01"),
        },
    )
    assert run("build", cwd=tmp_path).returncode == 0
    assert not (tmp_path / "output/2031").exists()
    assert not (tmp_path / "output/2022/01/07/مسودة").exists()
    assert run("build", "--drafts", "--future", cwd=tmp_path).returncode == 0
    assert (tmp_path / "output/2031/01/01/مستقبل/index.html").is_file()
    assert (tmp_path / "output/2022/01/07/مسودة/index.html").is_file()

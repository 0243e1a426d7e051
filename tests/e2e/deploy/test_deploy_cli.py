"""`sitegen deploy` in a subprocess: targets from sitegen.yaml, strict build, dry run."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXED_NOW, MINIMAL_CONFIG, article, write_files

REPO = Path(__file__).resolve().parents[3]

DEPLOY_CONFIG = """deploy:
  default: pages
  targets:
    pages: {type: git, remote: ../remote.git, headers: true, redirects: true}
    folder: {type: rsync, destination: ../www}
"""


def sitegen(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "SOURCE_DATE_EPOCH": str(int(FIXED_NOW.timestamp())),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
    }
    return subprocess.run(
        [sys.executable, "-m", "sitegen", *args],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def files_under(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in folder.rglob("*")
        if p.is_file() and ".git" not in p.relative_to(folder).parts
    }


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    write_files(
        root,
        {
            "sitegen.yaml": MINIMAL_CONFIG + DEPLOY_CONFIG,
            "content/a.md": article("خبر أول", aliases="[/old/خبر/]"),
            "content/b.md": article("خبر ثان", date="2022-01-06"),
        },
    )
    subprocess.run(["git", "init", "-q", "--bare", str(tmp_path / "remote.git")], check=True)
    return root


def test_deploy_to_the_default_git_target(site: Path, tmp_path: Path):
    done = sitegen("deploy", cwd=site)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("deployed to branch gh-pages of ../remote.git: ")
    checkout = tmp_path / "checkout"
    subprocess.run(
        ["git", "clone", "-q", "-b", "gh-pages", str(tmp_path / "remote.git"), str(checkout)],
        check=True,
    )
    assert files_under(checkout) == {**files_under(site / "output"), ".nojekyll": b""}
    assert "old/خبر/index.html" not in files_under(checkout)  # it would shadow the 301 rule
    redirects = (checkout / "_redirects").read_text()
    assert (
        redirects
        == "/old/%D8%AE%D8%A8%D8%B1/ /2022/01/07/%D8%AE%D8%A8%D8%B1-%D8%A3%D9%88%D9%84/ 301\n"
    )
    (css,) = [p for p in files_under(checkout) if p.startswith("css/digest.")]
    assert f"/{css}\n  Cache-Control: public, max-age=31536000, immutable" in (
        (checkout / "_headers").read_text()
    )


def test_dry_run_lists_and_publishes_nothing(site: Path, tmp_path: Path):
    done = sitegen("deploy", "folder", "--dry-run", cwd=site)
    assert done.returncode == 0, done.stderr
    assert "added    index.html" in done.stdout.splitlines()
    assert done.stdout.splitlines()[-1].startswith("would deploy to ../www: ")
    assert not (tmp_path / "www").exists()


def test_rsync_target_by_name(site: Path, tmp_path: Path):
    done = sitegen("deploy", "folder", cwd=site)
    assert done.returncode == 0, done.stderr
    assert files_under(tmp_path / "www") == files_under(site / "output")
    assert "old/خبر/index.html" in files_under(tmp_path / "www")  # no `_redirects` here
    again = sitegen("deploy", "folder", cwd=site)
    assert again.stdout == "nothing to deploy: ../www is up to date\n"


def test_any_warning_aborts_and_leaves_output_alone(site: Path, tmp_path: Path):
    assert sitegen("build", cwd=site).returncode == 0
    before = files_under(site / "output")
    for name in ("a.md", "b.md"):
        (site / "content" / name).unlink()  # an empty site only warns: still no deploy

    done = sitegen("deploy", cwd=site)

    assert done.returncode == 1
    assert "content: warning: no articles to publish" in done.stderr
    assert "deploy aborted" in done.stderr
    assert files_under(site / "output") == before
    heads = subprocess.run(
        ["git", "--git-dir", str(tmp_path / "remote.git"), "for-each-ref"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert heads.stdout == ""


def test_unknown_target_is_one_line(site: Path):
    done = sitegen("deploy", "page", cwd=site)
    assert done.returncode == 1
    assert done.stderr == "error: no deploy target named 'page'; did you mean 'pages'?\n"

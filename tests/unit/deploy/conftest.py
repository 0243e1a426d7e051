"""Fixtures for deploy tests: git isolated from the machine's config, a site, a bare remote."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest


def git(cwd: Path, *args: str) -> str:
    """Run git in `cwd` and return its stripped stdout (raises on failure)."""
    proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True)
    return proc.stdout.strip()


def write_files(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def tree_of(root: Path, *, skip_git: bool = True) -> dict[str, bytes]:
    """Every file under `root` (relative POSIX path → bytes), `.git/` left out."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in root.rglob("*")
        if p.is_file() and not (skip_git and ".git" in p.relative_to(root).parts)
    }


SITE_FILES = {
    "index.html": "<h1>الرئيسية</h1>",
    "2024/05/01/خبر-عاجل/index.html": "<h1>خبر عاجل</h1>",
    "topics/سياسة/index.html": "<h1>سياسة</h1>",
    "theme/style.0123456789.css": "body{}",
    "404.html": "<h1>غير موجود</h1>",
}


@pytest.fixture(autouse=True)
def isolated_git(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the machine's git configuration (identity, hooks, signing) out of the tests."""
    empty = tmp_path_factory.mktemp("git") / "gitconfig"
    empty.write_text("")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(empty))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_AUTHOR_DATE", "2024-05-01T12:00:00+03:00")
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A site folder under git (one commit) with a built `output/`."""
    root = tmp_path / "site"
    write_files(root, {"sitegen.yaml": "title: أخبار\n", ".gitignore": "/output/\n"})
    write_files(root / "output", SITE_FILES)
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.name", "Site Owner")
    git(root, "config", "user.email", "owner@example.org")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "first")
    return root


@pytest.fixture
def remote(tmp_path: Path) -> Path:
    """An empty bare repository standing in for GitHub."""
    path = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", str(path))
    return path

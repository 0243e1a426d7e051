"""A newcomer's path, end to end, from a built wheel in a fresh virtual environment:
new site → new article → build → check → deploy (git, twice; rsync) → nginx serves it."""

from __future__ import annotations

import http.client
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import pytest

REPO = Path(__file__).resolve().parents[3]
ARTICLE_PAGE = r"^\d{4}/\d\d/\d\d/[^/]+/index\.html$"

pytestmark = pytest.mark.skipif(shutil.which("rsync") is None, reason="needs rsync")


def run(*argv: str | Path, cwd: Path, env: dict[str, str]) -> str:
    done = subprocess.run(
        [str(a) for a in argv], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, f"{argv}: {done.stdout}{done.stderr}"
    return done.stdout


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in folder.rglob("*")
        if p.is_file() and ".git" not in p.relative_to(folder).parts
    }


@pytest.fixture(scope="module")
def sitegen_command(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`sitegen` installed from a freshly built wheel into a fresh venv (deps from PyPI)."""
    work = tmp_path_factory.mktemp("newcomer-install")
    source = work / "source"
    for name in ("sitegen", "themes"):
        shutil.copytree(REPO / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, source / name)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "SOURCE_DATE_EPOCH")}
    pip = (sys.executable, "-m", "pip")
    run(
        *pip,
        "wheel",
        "--quiet",
        "--no-deps",
        "--wheel-dir",
        work / "dist",
        source,
        cwd=work,
        env=env,
    )
    (wheel,) = (work / "dist").glob("sitegen-*.whl")
    run(sys.executable, "-m", "venv", work / "venv", cwd=work, env=env)
    run(work / "venv/bin/python", "-m", "pip", "install", "--quiet", wheel, cwd=work, env=env)
    return work / "venv/bin/sitegen"


def test_newcomer_path(sitegen_command: Path, tmp_path: Path, nginx: Callable[[Path], int]) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "SOURCE_DATE_EPOCH")}
    env.update(GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1")
    sitegen = str(sitegen_command)
    site = tmp_path / "news"

    run(sitegen, "new", "site", site, cwd=tmp_path, env=env)
    new_article = ["new", "article", "وزير الطاقة: خطة جديدة", "--topic", "اقتصاد"]
    printed = run(sitegen, *new_article, "--tags", "طاقة، نفط", cwd=site, env=env)
    article = site / printed.strip()
    assert article.parent == site / "content/economy" and article.is_file()
    article.write_text(article.read_text(encoding="utf-8") + "نص الخبر الأول.\n", encoding="utf-8")
    assert run(sitegen, "build", cwd=site, env=env).startswith("built ")
    assert run(sitegen, "check", cwd=site, env=env) == "no problems found\n"

    with (site / "sitegen.yaml").open("a", encoding="utf-8") as config:
        config.write(
            "deploy:\n  default: pages\n  targets:\n"
            "    pages: {type: git, remote: ../remote.git}\n"
            "    folder: {type: rsync, destination: ../www}\n"
        )
    for argv in (
        ("init", "-q", "-b", "main"),
        ("add", "-A"),
        ("-c", "user.name=N", "-c", "user.email=n@x", "commit", "-qm", "Start"),
    ):
        run("git", *argv, cwd=site, env=env)
    run("git", "init", "-q", "--bare", tmp_path / "remote.git", cwd=tmp_path, env=env)

    # First deploy: a clone of the branch equals output/.
    assert run(sitegen, "deploy", cwd=site, env=env).startswith("deployed to branch gh-pages")
    first = tree(site / "output")
    checkout = tmp_path / "checkout"
    clone = ["git", "clone", "-q", "-b", "gh-pages", tmp_path / "remote.git", checkout]
    run(*clone, cwd=tmp_path, env=env)
    assert tree(checkout) == {**first, ".nojekyll": b""}

    # One change: exactly one new commit, holding exactly the files that changed.
    article.write_text(article.read_text(encoding="utf-8") + "\nفقرة ثانية.\n", encoding="utf-8")
    run(sitegen, "deploy", cwd=site, env=env)
    second = tree(site / "output")
    changed = {p for p in second if first.get(p) != second[p]} | (first.keys() - second.keys())
    remote = ("git", "--git-dir", tmp_path / "remote.git")
    assert run(*remote, "rev-list", "--count", "gh-pages", cwd=tmp_path, env=env) == "2\n"
    show = ["-c", "core.quotepath=off", "show", "--name-only", "--format=", "gh-pages"]
    touched = run(*remote, *show, cwd=tmp_path, env=env)
    assert set(touched.split()) == changed
    assert any(p.endswith("وزير-الطاقة-خطة-جديدة/index.html") for p in changed)
    head = run("git", "rev-parse", "HEAD", cwd=site, env=env).strip()
    subject = run(*remote, "log", "-1", "--format=%s", "gh-pages", cwd=tmp_path, env=env)
    assert subject == f"Deploy {head[:12]} from main with uncommitted changes\n"

    # rsync to a local folder.
    assert run(sitegen, "deploy", "folder", cwd=site, env=env).startswith("deployed to ../www: ")
    assert tree(tmp_path / "www") == second

    # nginx (the documented config) serves every Arabic article URL, and 404.html.
    port = nginx(tmp_path / "www")
    articles = [p for p in second if re.match(ARTICLE_PAGE, p)]
    assert len(articles) == 3
    for page in articles:
        url = "/" + quote(page.removesuffix("index.html"))
        response = _get(port, url)
        assert (url, response[0]) == (url, 200)
        assert response[1] == second[page]
    status, body = _get(port, "/" + quote("2024/01/01/خبر-غير-موجود/"))
    assert (status, body) == (404, second["404.html"])


def _get(port: int, path: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path)
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, body

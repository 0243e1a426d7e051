"""The git publisher, against a local bare repository."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from sitegen.deploy import git as git_publisher
from sitegen.deploy.git import GitPublisher, remote_url
from sitegen.deploy.publisher import DeployError
from tests.unit.deploy.conftest import SITE_FILES, git, tree_of, write_files


def publisher(site: Path, remote: Path | str, **options: object) -> GitPublisher:
    return GitPublisher(remote=str(remote), site_root=site, **options)  # type: ignore[arg-type]


def clone(remote: Path, into: Path, branch: str = "gh-pages") -> Path:
    git(remote.parent, "clone", "-q", "-b", branch, str(remote), str(into))
    return into


def commit_count(remote: Path, branch: str = "gh-pages") -> int:
    return int(git(remote, "rev-list", "--count", branch))


def test_first_deploy_clone_equals_output_plus_nojekyll(site: Path, remote: Path, tmp_path: Path):
    result = publisher(site, remote).publish(site / "output")

    checkout = clone(remote, tmp_path / "checkout")
    assert tree_of(checkout) == {**tree_of(site / "output"), ".nojekyll": b""}
    assert sorted(result.changes.added) == sorted([*SITE_FILES, ".nojekyll"])
    assert result.revision == git(remote, "rev-parse", "gh-pages")
    head = git(site, "rev-parse", "HEAD")
    message = git(remote, "log", "-1", "--format=%B", "gh-pages")
    assert message.startswith(f"Deploy {head[:12]} from main\n")
    assert f"Source commit: {head}" in message
    assert git(remote, "log", "-1", "--format=%an <%ae>", "gh-pages") == (
        "Site Owner <owner@example.org>"
    )


def test_second_deploy_makes_one_commit_with_only_the_change(site: Path, remote: Path):
    publisher(site, remote).publish(site / "output")
    write_files(site / "output", {"topics/سياسة/index.html": "<h1>سياسة اليوم</h1>"})

    result = publisher(site, remote).publish(site / "output")

    assert commit_count(remote) == 2
    touched = git(
        remote, "-c", "core.quotepath=off", "show", "--name-only", "--format=", "gh-pages"
    )
    assert touched.splitlines() == ["topics/سياسة/index.html"]
    assert result.changes.changed == ("topics/سياسة/index.html",)
    assert not result.changes.added and not result.changes.deleted


def test_deleted_output_file_is_deleted_on_the_branch(site: Path, remote: Path, tmp_path: Path):
    publisher(site, remote).publish(site / "output")
    (site / "output/topics/سياسة/index.html").unlink()

    result = publisher(site, remote).publish(site / "output")

    assert result.changes.deleted == ("topics/سياسة/index.html",)
    checkout = clone(remote, tmp_path / "checkout")
    assert not (checkout / "topics").exists()


def test_nothing_changed_makes_no_commit(site: Path, remote: Path):
    publisher(site, remote).publish(site / "output")
    tip = git(remote, "rev-parse", "gh-pages")

    result = publisher(site, remote).publish(site / "output")

    assert git(remote, "rev-parse", "gh-pages") == tip
    assert not result.changes and result.revision is None
    assert result.message().startswith("nothing to deploy")


def test_cname_and_nojekyll_on_the_branch_are_kept(site: Path, remote: Path, tmp_path: Path):
    publisher(site, remote, nojekyll=False).publish(site / "output")
    # The owner adds a custom domain through the host's web interface: a commit on the branch.
    editor = clone(remote, tmp_path / "editor")
    write_files(editor, {"CNAME": "news.example.org\n", ".nojekyll": ""})
    git(editor, "add", "-A")
    git(editor, "-c", "user.name=web", "-c", "user.email=web@x", "commit", "-qm", "Add CNAME")
    git(editor, "push", "-q", "origin", "gh-pages")
    write_files(site / "output", {"index.html": "<h1>الرئيسية الجديدة</h1>"})

    result = publisher(site, remote, nojekyll=False).publish(site / "output")

    checkout = clone(remote, tmp_path / "checkout")
    assert (checkout / "CNAME").read_text() == "news.example.org\n"
    assert (checkout / ".nojekyll").exists()
    assert result.changes.changed == ("index.html",) and not result.changes.deleted


def test_cname_from_the_site_wins_over_the_branch(site: Path, remote: Path, tmp_path: Path):
    write_files(site / "output", {"CNAME": "old.example.org\n"})
    publisher(site, remote).publish(site / "output")
    write_files(site / "output", {"CNAME": "new.example.org\n"})

    publisher(site, remote).publish(site / "output")

    assert (clone(remote, tmp_path / "c") / "CNAME").read_text() == "new.example.org\n"


def test_nojekyll_is_optional(site: Path, remote: Path, tmp_path: Path):
    publisher(site, remote, nojekyll=False).publish(site / "output")
    assert not (clone(remote, tmp_path / "c") / ".nojekyll").exists()


def snapshot(repo: Path) -> dict[str, object]:
    """Everything of a user's repository a deploy must not change."""
    return {
        "head": (repo / ".git/HEAD").read_text(),
        "refs": git(repo, "for-each-ref"),
        "stash": git(repo, "stash", "list"),
        "index": hashlib.sha256((repo / ".git/index").read_bytes()).hexdigest(),
        "tree": tree_of(repo),
        "config": (repo / ".git/config").read_text(),
    }


def test_the_users_repository_is_untouched(
    site: Path, remote: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    write_files(site, {"draft.md": "stashed"})
    git(site, "add", "draft.md")
    git(site, "stash", "-q")
    write_files(site, {"staged.md": "staged", "sitegen.yaml": "title: changed\n", "new.md": "x"})
    git(site, "add", "staged.md")
    # A tracked file touched but unchanged: a plain `git status` would rewrite the index.
    gitignore = site / ".gitignore"
    os.utime(gitignore, (gitignore.stat().st_atime, gitignore.stat().st_mtime + 100))
    before = snapshot(site)
    objects = sorted(p.name for p in (site / ".git/objects").rglob("*"))
    # As if run from another repository's git hook: these must not redirect the deploy.
    other = tmp_path / "other"
    git(tmp_path, "init", "-q", str(other))
    monkeypatch.setenv("GIT_DIR", str(other / ".git"))
    monkeypatch.setenv("GIT_INDEX_FILE", str(site / ".git/index"))
    monkeypatch.setenv("GIT_OBJECT_DIRECTORY", str(site / ".git/objects"))

    publisher(site, remote).publish(site / "output")
    write_files(site / "output", {"index.html": "changed"})
    publisher(site, remote).publish(site / "output")

    for name in ("GIT_DIR", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY"):
        monkeypatch.delenv(name)
    after = snapshot(site)
    assert sorted(p.name for p in (site / ".git/objects").rglob("*")) == objects
    assert {**after, "tree": None} == {**before, "tree": None}
    assert after["tree"] == {**before["tree"], "output/index.html": b"changed"}  # type: ignore[dict-item]
    head = git(site, "rev-parse", "HEAD")
    subject = git(remote, "log", "-1", "--format=%s", "gh-pages")
    assert subject == f"Deploy {head[:12]} from main with uncommitted changes"


def test_dry_run_lists_changes_and_changes_nothing(site: Path, remote: Path):
    publisher(site, remote).publish(site / "output")
    tip = git(remote, "rev-parse", "gh-pages")
    write_files(site / "output", {"index.html": "new", "2024/05/02/ثاني/index.html": "two"})
    (site / "output/404.html").unlink()

    result = publisher(site, remote).publish(site / "output", dry_run=True)

    assert result.dry_run
    assert result.changes.added == ("2024/05/02/ثاني/index.html",)
    assert result.changes.changed == ("index.html",)
    assert result.changes.deleted == ("404.html",)
    assert git(remote, "rev-parse", "gh-pages") == tip
    assert result.message().startswith("would deploy to branch gh-pages of ")
    assert result.changes.lines() == [
        "added    2024/05/02/ثاني/index.html",
        "deleted  404.html",
        "changed  index.html",
    ]


def test_dry_run_before_the_branch_exists_creates_nothing(site: Path, remote: Path):
    result = publisher(site, remote).publish(site / "output", dry_run=True)
    assert len(result.changes.added) == len(SITE_FILES) + 1
    assert git(remote, "for-each-ref") == ""


def test_remote_may_be_a_remote_name_of_the_site_repo(site: Path, remote: Path):
    git(site, "remote", "add", "origin", str(remote))
    publisher(site, "origin", branch="pages").publish(site / "output")
    assert commit_count(remote, "pages") == 1


def test_remote_may_be_a_path_relative_to_the_site(site: Path, remote: Path):
    assert remote_url("../remote.git", site) == str(remote)


def test_urls_pass_through(site: Path):
    for url in ("https://github.com/me/news.git", "git@github.com:me/news.git", "ssh://h/x"):
        assert remote_url(url, site) == url


def test_a_site_outside_git_names_no_commit(tmp_path: Path, remote: Path):
    site = tmp_path / "plain"
    write_files(site / "output", SITE_FILES)
    publisher(site, remote).publish(site / "output")
    assert git(remote, "log", "-1", "--format=%s", "gh-pages") == "Deploy site"
    assert git(remote, "log", "-1", "--format=%an", "gh-pages") == "sitegen"


def test_unknown_remote_is_one_clear_line(site: Path):
    with pytest.raises(DeployError) as caught:
        publisher(site, "nowhere").publish(site / "output")
    assert "'nowhere' is neither a URL, an existing path, nor a remote" in str(caught.value)


def test_unreachable_remote_is_one_clear_line(site: Path, tmp_path: Path):
    (tmp_path / "not-a-repo").mkdir()
    with pytest.raises(DeployError) as caught:
        publisher(site, tmp_path / "not-a-repo").publish(site / "output")
    text = str(caught.value)
    assert text.startswith(f"cannot reach {tmp_path / 'not-a-repo'}: fatal:")
    assert "\n" not in text


def test_rejected_push_is_one_clear_line(site: Path, remote: Path):
    hook = remote / "hooks/pre-receive"
    hook.write_text("#!/bin/sh\necho 'branch is protected' >&2\nexit 1\n")
    hook.chmod(0o755)
    with pytest.raises(DeployError) as caught:
        publisher(site, remote).publish(site / "output")
    text = str(caught.value)
    assert text.startswith(f"push to gh-pages of {remote} was rejected: [remote rejected]")
    assert "\n" not in text


def test_push_rejected_when_the_branch_moved_meanwhile(
    site: Path, remote: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    publisher(site, remote).publish(site / "output")
    write_files(site / "output", {"index.html": "mine"})
    editor = clone(remote, tmp_path / "editor")
    real_fetch = git_publisher._Scratch.fetch_tip

    def fetch_then_someone_pushes(self, url: str, branch: str) -> str | None:
        tip = real_fetch(self, url, branch)
        write_files(editor, {"other.html": "theirs"})
        git(editor, "add", "-A")
        git(editor, "-c", "user.name=o", "-c", "user.email=o@x", "commit", "-qm", "theirs")
        git(editor, "push", "-q", "origin", "gh-pages")
        return tip

    monkeypatch.setattr(git_publisher._Scratch, "fetch_tip", fetch_then_someone_pushes)
    with pytest.raises(DeployError, match=r"was rejected: \[rejected\].*\(fetch first\)"):
        publisher(site, remote).publish(site / "output")


def test_missing_git_is_one_clear_line(site: Path, remote: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("PATH", str(site))
    with pytest.raises(DeployError, match=r"^git is not installed or not on PATH; install git"):
        publisher(site, remote).check()


def test_invalid_branch_name_is_refused(site: Path, remote: Path):
    with pytest.raises(DeployError, match=r"'a\.\.b' is not a valid branch name"):
        publisher(site, remote, branch="a..b").check()


def test_missing_output_is_one_clear_line(site: Path, remote: Path):
    with pytest.raises(DeployError, match="is not a folder"):
        publisher(site, remote).publish(site / "missing")

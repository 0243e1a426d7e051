"""Publish to a branch of a git remote (GitHub Pages' `gh-pages` and alike).

The site's own repository is only read (its HEAD, status and user name), never written: the
deploy works in a temporary bare repository with its own index, fetches just the tip of the
target branch, writes the built files as one tree and pushes one commit on top of that tip.
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sitegen import __version__
from sitegen.deploy.commands import first_problem, require, run
from sitegen.deploy.publisher import Changes, DeployError, PublishResult

# Files a host reads from the branch itself; kept when the built site does not provide them.
PRESERVED_FILES = ("CNAME", ".nojekyll")
_FILE_MODE = "100644"
_URL_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_SCP_LIKE = re.compile(r"^[^/]+:")  # [user@]host:path, as git reads it: a colon before any slash


@dataclass(frozen=True)
class GitPublisher:
    """Commit the built site to `branch` of `remote` and push it.

    `remote` is a remote name of the site's repository (`origin`), a URL, or a path (relative
    paths are relative to `site_root`). `nojekyll` adds an empty `.nojekyll` so GitHub Pages
    serves the files as they are.
    """

    remote: str
    site_root: Path
    branch: str = "gh-pages"
    nojekyll: bool = True

    def describe(self) -> str:
        return f"branch {self.branch} of {self.remote}"

    def check(self) -> None:
        require("git")
        run(
            ["git", "check-ref-format", "--branch", self.branch],
            failure=f"{self.branch!r} is not a valid branch name",
        )

    def publish(self, site_dir: Path, *, dry_run: bool = False) -> PublishResult:
        url = remote_url(self.remote, self.site_root)
        with tempfile.TemporaryDirectory(prefix="sitegen-deploy-") as tmp:
            scratch = _Scratch(Path(tmp))
            parent = scratch.fetch_tip(url, self.branch)
            tree = scratch.write_tree(site_dir, parent, nojekyll=self.nojekyll)
            changes = scratch.diff(parent, tree)
            if dry_run or not changes:
                return PublishResult(self.describe(), changes, dry_run)
            message = commit_message(self.site_root)
            commit = scratch.commit(tree, parent, message, identity(self.site_root))
            scratch.push(url, commit, self.branch)
        return PublishResult(self.describe(), changes, dry_run=False, revision=commit)


def remote_url(remote: str, site_root: Path) -> str:
    """Resolve a configured remote: a URL as is, a remote name through the site's repository,
    else a path (relative to the site)."""
    if _URL_SCHEME.match(remote) or _SCP_LIKE.match(remote):
        return remote
    if "/" not in remote and remote not in (".", ".."):
        named = _read_git(site_root, "remote", "get-url", "--push", remote)
        if named:
            return named
    path = Path(remote).expanduser()
    path = path if path.is_absolute() else site_root / path
    if path.exists():
        return str(path.resolve())
    raise DeployError(
        f"deploy remote {remote!r} is neither a URL, an existing path, "
        "nor a remote of the site's git repository"
    )


def commit_message(site_root: Path) -> str:
    """A deploy commit message naming the site repository's HEAD, when there is one."""
    head = _read_git(site_root, "rev-parse", "--verify", "--quiet", "HEAD^{commit}")
    if not head:
        return f"Deploy site\n\nThe site is not in a git repository with commits.\n{_SIGNATURE}"
    branch = _read_git(site_root, "symbolic-ref", "--quiet", "--short", "HEAD")
    dirty = _read_git(site_root, "--no-optional-locks", "status", "--porcelain")
    subject = f"Deploy {head[:12]}"
    subject += f" from {branch}" if branch else ""
    subject += " with uncommitted changes" if dirty else ""
    return f"{subject}\n\nSource commit: {head}\n{_SIGNATURE}"


_SIGNATURE = f"Published by sitegen {__version__}.\n"


def identity(site_root: Path) -> dict[str, str]:
    """Author and committer: the user's git identity for the site, else `sitegen`."""
    name = _read_git(site_root, "config", "user.name") or "sitegen"
    email = _read_git(site_root, "config", "user.email") or "sitegen@localhost"
    return {
        "GIT_AUTHOR_NAME": name,
        "GIT_AUTHOR_EMAIL": email,
        "GIT_COMMITTER_NAME": name,
        "GIT_COMMITTER_EMAIL": email,
    }


def _read_git(site_root: Path, *args: str) -> str | None:
    """Output of a read-only git command in the site folder, or None when it fails."""
    proc = run(["git", "-C", site_root, *args], failure="git", ok=None)
    text = proc.stdout.decode("utf-8", "replace").strip()
    return text if proc.returncode == 0 and text else None


class _Scratch:
    """A temporary bare repository with its own index file."""

    def __init__(self, root: Path) -> None:
        self.git_dir = root / "repo.git"
        self.index = root / "index"
        run(["git", "init", "--quiet", "--bare", self.git_dir], failure="cannot create a git repo")

    def git(
        self,
        *args: str | Path,
        failure: str,
        stdin: bytes | None = None,
        env: dict[str, str] | None = None,
    ) -> bytes:
        proc = run(
            ["git", f"--git-dir={self.git_dir}", *args],
            failure=failure,
            cwd=self.git_dir,
            env={"GIT_INDEX_FILE": str(self.index), **(env or {})},
            stdin=stdin,
        )
        return proc.stdout

    def fetch_tip(self, url: str, branch: str) -> str | None:
        """Fetch the tip commit of `branch` (no history); None when the branch does not exist."""
        ref = f"refs/heads/{branch}"
        listing = run(
            ["git", "ls-remote", "--exit-code", "--heads", url, ref],
            failure=f"cannot reach {url}",
            cwd=self.git_dir,
            ok=(0, 2),
        )
        if listing.returncode == 2:
            return None
        self.git(
            "fetch",
            "--quiet",
            "--depth=1",
            "--no-tags",
            url,
            f"+{ref}:refs/sitegen/tip",
            failure=f"cannot fetch {branch} from {url}",
        )
        return self.git("rev-parse", "refs/sitegen/tip^{commit}", failure="git").decode().strip()

    def write_tree(self, site_dir: Path, parent: str | None, *, nojekyll: bool) -> str:
        """The tree of the built files, plus `CNAME`/`.nojekyll` kept from `parent`."""
        files = _site_files(site_dir)
        shas = self._hash(site_dir, files)
        records = {path: (_FILE_MODE, sha) for path, sha in zip(files, shas, strict=True)}
        if parent:
            for mode, sha, path in self._blobs(parent, PRESERVED_FILES):
                records.setdefault(path, (mode, sha))
        if nojekyll and ".nojekyll" not in records:
            empty = self.git("hash-object", "-w", "--stdin", stdin=b"", failure="git")
            records[".nojekyll"] = (_FILE_MODE, empty.decode().strip())
        info = b"".join(
            f"{mode} {sha}\t".encode() + os.fsencode(path) + b"\0"
            for path, (mode, sha) in sorted(records.items())
        )
        self.git("update-index", "--add", "-z", "--index-info", stdin=info, failure="git")
        return self.git("write-tree", failure="git").decode().strip()

    def diff(self, parent: str | None, tree: str) -> Changes:
        """Files that differ between the branch tip and `tree`."""
        base = f"{parent}^{{tree}}" if parent else self._empty_tree()
        out = self.git(
            "diff-tree", "-r", "-z", "--no-renames", "--name-status", base, tree, failure="git"
        )
        fields = out.split(b"\0")
        kinds: dict[str, list[str]] = {"A": [], "M": [], "D": []}
        for status, path in zip(fields[0::2], fields[1::2], strict=False):
            kind = "M" if status[:1] == b"T" else status[:1].decode()
            kinds[kind].append(os.fsdecode(path))
        return Changes(tuple(kinds["A"]), tuple(kinds["M"]), tuple(kinds["D"]))

    def commit(self, tree: str, parent: str | None, message: str, author: dict[str, str]) -> str:
        parents = ["-p", parent] if parent else []
        out = self.git(
            "commit-tree",
            tree,
            *parents,
            "-F",
            "-",
            stdin=message.encode(),
            env=author,
            failure="cannot commit the site",
        )
        return out.decode().strip()

    def push(self, url: str, commit: str, branch: str) -> None:
        proc = run(
            [
                "git",
                f"--git-dir={self.git_dir}",
                "push",
                "--quiet",
                url,
                f"{commit}:refs/heads/{branch}",
            ],
            failure="git push",
            cwd=self.git_dir,
            ok=None,
        )
        if proc.returncode == 0:
            return
        lines = proc.stderr.decode("utf-8", "replace").splitlines()
        rejected = [line.strip(" !") for line in lines if "rejected]" in line]
        if rejected:
            raise DeployError(f"push to {branch} of {url} was rejected: {rejected[0]}")
        raise DeployError(f"cannot push to {branch} of {url}: {first_problem(proc.stderr)}")

    def _hash(self, site_dir: Path, files: list[str]) -> list[str]:
        paths = b"".join(os.fsencode(site_dir / path) + b"\n" for path in files)
        out = self.git(
            "hash-object", "-w", "--no-filters", "--stdin-paths", stdin=paths, failure="git"
        )
        return out.decode().split()

    def _blobs(self, commit: str, names: tuple[str, ...]) -> list[tuple[str, str, str]]:
        out = self.git("ls-tree", "-z", commit, "--", *names, failure="git")
        found = []
        for record in filter(None, out.split(b"\0")):
            meta, path = record.split(b"\t", 1)
            mode, kind, sha = meta.decode().split()
            if kind == "blob":
                found.append((mode, sha, os.fsdecode(path)))
        return found

    def _empty_tree(self) -> str:
        return self.git("mktree", stdin=b"", failure="git").decode().strip()


def _site_files(site_dir: Path) -> list[str]:
    """Every file under `site_dir` as a sorted POSIX path relative to it."""
    if not site_dir.is_dir():
        raise DeployError(f"nothing to deploy: {site_dir} is not a folder")
    files = sorted(p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*") if p.is_file())
    bad = next((f for f in files if "\n" in f), None)
    if bad is not None:
        raise DeployError(f"cannot deploy a file whose name holds a line break: {bad!r}")
    return files

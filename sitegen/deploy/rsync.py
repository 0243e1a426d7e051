"""Publish with rsync to a local folder or an ssh destination (`[user@]host:path`).

Files are compared by checksum, so a clean rebuild that rewrites every file transfers only
the ones whose bytes changed. `--delete` removes files the site no longer has, inside the
target folder only; targets where that could destroy something else are refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from sitegen.deploy.commands import require, run
from sitegen.deploy.publisher import Changes, DeployError, PublishResult

# `[user@]host:path`, not `host::module` (rsync daemon) and not a path with a slash first.
_SSH_DESTINATION = re.compile(r"^(?P<host>(?:[^@/:]+@)?[^/:]+):(?P<path>(?!:).*)$")

_FLAGS = (
    "--recursive",
    "--checksum",
    "--delete",
    "--perms",
    "--chmod=D755,F644",  # readable by the web server, whatever the local umask
    "--itemize-changes",
    "--8-bit-output",  # print Arabic file names as they are, not as \#ooo escapes
)


@dataclass(frozen=True)
class RsyncPublisher:
    """Mirror the built site into `destination`: a local folder (relative paths are relative to
    `site_root`) or an ssh destination `[user@]host:path`."""

    destination: str
    site_root: Path

    def describe(self) -> str:
        return self.destination

    def check(self) -> None:
        require("rsync")
        problem = unsafe_destination(self.destination, self.site_root, Path.home())
        if problem:
            raise DeployError(f"refusing to deploy to {self.destination!r}: {problem}")

    def publish(self, site_dir: Path, *, dry_run: bool = False) -> PublishResult:
        self.check()  # again: publishing without the safety check must not be possible
        if not site_dir.is_dir():
            raise DeployError(f"nothing to deploy: {site_dir} is not a folder")
        remote = _SSH_DESTINATION.match(self.destination)
        if remote:
            target = self.destination.rstrip("/") + "/"
        else:
            folder = local_folder(self.destination, self.site_root)
            if not dry_run:
                folder.mkdir(parents=True, exist_ok=True)
            target = f"{folder}/"
        argv = ["rsync", *_FLAGS, *(["--compress"] if remote else []), f"{site_dir}/", target]
        if dry_run:
            argv.insert(1, "--dry-run")
        proc = run(argv, failure=f"rsync to {self.destination} failed")
        changes = parse_itemized(proc.stdout.decode("utf-8", "surrogateescape"))
        return PublishResult(self.describe(), changes, dry_run)


def local_folder(destination: str, site_root: Path) -> Path:
    """A local destination as an absolute path without symlinks."""
    path = Path(destination).expanduser()
    return (path if path.is_absolute() else site_root / path).resolve()


def unsafe_destination(destination: str, site_root: Path, home: Path) -> str | None:
    """Why `--delete` into `destination` could destroy more than an old copy of the site, or
    None when the destination is safe."""
    if not destination.strip():
        return "the destination is empty"
    if destination.startswith("rsync://") or "::" in destination.split("/", 1)[0]:
        return "rsync daemon destinations are not supported; use [user@]host:path over ssh"
    remote = _SSH_DESTINATION.match(destination)
    if remote:
        return _unsafe_remote_path(remote["path"])
    folder = local_folder(destination, site_root)
    site = site_root.resolve()
    home = home.resolve()
    if len(folder.parts) < 3:
        return "it is the root or a top-level folder"
    if folder == home or folder in home.parents or folder.parent == Path("/home"):
        return "it is a home folder or holds one"
    if folder == site or site in folder.parents or folder in site.parents:
        return "it overlaps the site's own folder"
    return None


def _unsafe_remote_path(path: str) -> str | None:
    """The same judgement for the path part of `host:path` (the remote home is unknown)."""
    parts = PurePosixPath(path).parts
    if not parts or (parts[0].startswith("~") and len(parts) == 1):
        return "it is the remote home folder"
    if ".." in parts:
        return "the path must not contain '..'"
    if parts[0] == "/":
        if len(parts) < 3:
            return "it is the root or a top-level folder"
        if parts[1] == "home" and len(parts) == 3:
            return "it is a home folder"
    return None


def parse_itemized(output: str) -> Changes:
    """Files added, changed and deleted, from rsync's `--itemize-changes` lines
    (`>f+++++++++ path`, `>fcs...... path`, `*deleting   path`); folders are left out."""
    added: list[str] = []
    changed: list[str] = []
    deleted: list[str] = []
    for line in output.splitlines():
        code, path = line[:11], line[12:]
        if not path or path.endswith("/"):
            continue
        if code.startswith("*deleting"):
            deleted.append(path)
        elif code[:1] in "<>" and code[1:2] == "f":
            (added if code[2:] == "+" * 9 else changed).append(path)
    return Changes(tuple(added), tuple(changed), tuple(deleted))

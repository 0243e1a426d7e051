"""The publisher contract: what every deploy target offers and reports."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol


class DeployError(Exception):
    """A deploy that cannot go on; its text is one line for the user, never a traceback."""


@dataclass(frozen=True)
class Changes:
    """Files a deploy adds, changes or deletes at the target (paths relative to the site)."""

    added: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    deleted: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.deleted)

    def summary(self) -> str:
        """A count such as `3 added, 1 changed, 0 deleted`."""
        return f"{len(self.added)} added, {len(self.changed)} changed, {len(self.deleted)} deleted"

    def lines(self) -> list[str]:
        """One line per file, `added`/`changed`/`deleted` then the path, sorted by path."""
        rows = [
            *(("added", p) for p in self.added),
            *(("changed", p) for p in self.changed),
            *(("deleted", p) for p in self.deleted),
        ]
        return [f"{kind:<8} {path}" for kind, path in sorted(rows, key=lambda row: row[1])]


@dataclass(frozen=True)
class PublishResult:
    """What a publish did (or, in a dry run, would do)."""

    target: str
    changes: Changes
    dry_run: bool
    revision: str | None = None

    def message(self) -> str:
        """The closing line of a deploy."""
        if not self.changes:
            return f"nothing to deploy: {self.target} is up to date"
        verb = "would deploy" if self.dry_run else "deployed"
        text = f"{verb} to {self.target}: {self.changes.summary()}"
        return f"{text} (commit {self.revision[:12]})" if self.revision else text


class Publisher(Protocol):
    """A deploy target. `check` runs before the build, so a broken target costs no build."""

    def describe(self) -> str:
        """The target in a few words, e.g. `branch gh-pages of git@github.com:me/news.git`."""
        ...

    def check(self) -> None:
        """Raise DeployError when the tools are missing or the target is unsafe."""
        ...

    def publish(self, site_dir: Path, *, dry_run: bool = False) -> PublishResult:
        """Make the target equal `site_dir`; in a dry run, only list what would change."""
        ...

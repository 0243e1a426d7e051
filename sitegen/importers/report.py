"""What an import did: every problem as `source:line: message`, then a summary."""

from __future__ import annotations

from dataclasses import dataclass, field

from sitegen.core.diagnostics import Diagnostic, error, warning
from sitegen.core.text import plural


@dataclass
class ImportReport:
    """Problems found while importing, and the counts of the summary."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    files_read: int = 0
    articles: int = 0
    pages: int = 0
    drafts_skipped: int = 0
    written: int = 0
    unchanged: int = 0
    assets_copied: int = 0
    assets_missing: int = 0
    constructs_left: int = 0
    topics_added: int = 0

    def warn(self, origin: str, line: int | None, message: str) -> None:
        """A problem the import worked around (the content is kept)."""
        self.diagnostics.append(warning(origin, line, message))

    def fail(self, origin: str, line: int | None, message: str) -> None:
        """A problem that kept something from being imported."""
        self.diagnostics.append(error(origin, line, message))

    def left(self, origin: str, line: int | None, message: str) -> None:
        """A construct the importer could not convert: left in the body, reported."""
        self.constructs_left += 1
        self.warn(origin, line, message)

    def missing(self, origin: str, line: int | None, message: str) -> None:
        """A file the content names that the source does not have."""
        self.assets_missing += 1
        self.warn(origin, line, message)

    def summary(self, dry_run: bool) -> str:
        """One paragraph: files read; articles, pages, drafts skipped; assets; constructs."""
        would = "would write" if dry_run else "wrote"
        return (
            f"read {plural(self.files_read, 'file')}: {plural(self.articles, 'article')}, "
            f"{plural(self.pages, 'page')}, {plural(self.drafts_skipped, 'draft')} skipped; "
            f"{would} {plural(self.written, 'file')} ({self.unchanged:,} unchanged); "
            f"assets: {self.assets_copied:,} copied, {self.assets_missing:,} missing; "
            f"{plural(self.constructs_left, 'construct')} left to convert by hand; "
            f"{plural(self.topics_added, 'topic')} added to sitegen.yaml"
        )

"""Diagnostics: every problem a build finds, as `path:line: message`.

Stages never raise for a user's mistake; they return diagnostics. The pipeline stops before
rendering or writing when any error was reported, so one run lists every problem at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from sitegen.core.text import plural


class Severity(StrEnum):
    """How bad a diagnostic is: errors fail the build, warnings do not (unless --strict)."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem in one file. `path` is relative to the site root, `line` is 1-based."""

    path: str
    line: int | None
    message: str
    severity: Severity = Severity.ERROR
    hint: str | None = None

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def format(self) -> str:
        """Render as `path:line: message` (`warning: ` prefixed for warnings)."""
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        kind = "" if self.is_error else "warning: "
        text = f"{where}: {kind}{self.message}"
        return f"{text} ({self.hint})" if self.hint else text


def error(path: str, line: int | None, message: str, hint: str | None = None) -> Diagnostic:
    """Shorthand for an error diagnostic."""
    return Diagnostic(path, line, message, Severity.ERROR, hint)


def warning(path: str, line: int | None, message: str, hint: str | None = None) -> Diagnostic:
    """Shorthand for a warning diagnostic."""
    return Diagnostic(path, line, message, Severity.WARNING, hint)


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    """True when any diagnostic is an error."""
    return any(d.is_error for d in diagnostics)


def diagnostic_order(d: Diagnostic) -> tuple[str, int, str]:
    """Order diagnostics by file, then line, then message."""
    return (d.path, d.line or 0, d.message)


def summary(diagnostics: Iterable[Diagnostic]) -> str:
    """A one-line count such as `2 errors, 1 warning`."""
    items = list(diagnostics)
    errors = sum(d.is_error for d in items)
    warnings = len(items) - errors
    return f"{plural(errors, 'error')}, {plural(warnings, 'warning')}"


class UserError(Exception):
    """A problem the user can fix; carries diagnostics instead of a traceback."""

    def __init__(self, diagnostics: Iterable[Diagnostic], exit_code: int = 1) -> None:
        self.diagnostics = tuple(sorted(diagnostics, key=diagnostic_order))
        self.exit_code = exit_code
        super().__init__("\n".join(d.format() for d in self.diagnostics))

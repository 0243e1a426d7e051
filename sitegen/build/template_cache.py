"""Compiled templates kept between builds, in the user's cache folder.

Compiling a theme's templates costs a build that renders a few pages (one edited article)
more than rendering them. Jinja can keep each template's compiled code (`BytecodeCache`);
sitegen keeps it outside the project folder, in `$XDG_CACHE_HOME/sitegen/templates`
(`~/.cache/sitegen/templates` without it), so that nothing a project folder holds runs as
code (the design's rule); the user's own cache folder is trusted as their home is, as
Python's own bytecode is.

A compiled template is found by its name, shown path and *everything its code depends on*:
Jinja's and Python's versions, the environment's syntax and whitespace settings, its
extensions and the name and calling convention of each filter and test (Jinja's code
generator reads them). Its source is checked on every load (Jinja's checksum), so an edited
template is compiled again. Checks of a template's source that passed (`cached()`'s check of
a macro, `sitegen.build.fragments`) are remembered beside it. The cache is a speed-up only: a folder that cannot be made,
read or written leaves compiling as it was.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
from pathlib import Path
from typing import Any

import jinja2
from jinja2.bccache import Bucket

FOLDER = "templates"


def cache_home() -> Path | None:
    """sitegen's folder in the user's cache folder (`$XDG_CACHE_HOME/sitegen`), or None when
    there is no absolute one (a relative path would be read from the current folder, perhaps
    a project's)."""
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    base = Path(xdg) if os.path.isabs(xdg) else Path(os.path.expanduser("~"), ".cache")
    return base / "sitegen" if base.is_absolute() else None


class TemplateCache(jinja2.FileSystemBytecodeCache):
    """Jinja's file cache of compiled templates, keyed by what the code depends on; every
    failure to read or write it is a cache miss, never an error."""

    def __init__(self, directory: Path, settings: str) -> None:
        super().__init__(str(directory), "%s.jinja")
        self.settings = settings

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        return hashlib.sha256(f"{self.settings}\0{name}\0{filename}".encode()).hexdigest()

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # a damaged entry: any error of pickle's or marshal's
            bucket.reset()  # compiled again, and the entry written anew

    def passed(self, check: str, *facts: str) -> bool:
        """True when `check` of `facts` passed before (`note_passed`), with these settings."""
        return self._mark(check, facts).exists()

    def note_passed(self, check: str, *facts: str) -> None:
        """Remember that `check` of `facts` passed: an empty file named by their digest."""
        with contextlib.suppress(OSError):
            self._mark(check, facts).touch()

    def _mark(self, check: str, facts: tuple[str, ...]) -> Path:
        digest = hashlib.sha256("\0".join((self.settings, check, *facts)).encode()).hexdigest()
        return Path(self.directory) / f"{digest}.passed"

    def dump_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError):  # a full or read-only disk: compiled next time
            super().dump_bytecode(bucket)


def attach_template_cache(env: jinja2.Environment, home: Path | None = None) -> None:
    """Give `env` (filters, tests and extensions already installed) a `TemplateCache` in
    `home` (default `cache_home()`), unless there is none or its folder cannot be made."""
    home = home or cache_home()
    if home is None:
        return
    folder = home / FOLDER
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:
        return
    env.bytecode_cache = TemplateCache(folder, compile_settings(env))


def compile_settings(env: jinja2.Environment) -> str:
    """A digest of what Jinja's compiled code of a template depends on besides its source."""
    parts: list[Any] = [
        jinja2.__version__,
        sys.implementation.cache_tag,
        env.block_start_string,
        env.block_end_string,
        env.variable_start_string,
        env.variable_end_string,
        env.comment_start_string,
        env.comment_end_string,
        env.line_statement_prefix,
        env.line_comment_prefix,
        env.trim_blocks,
        env.lstrip_blocks,
        env.newline_sequence,
        env.keep_trailing_newline,
        _callable_name(env.autoescape),
        _callable_name(env.finalize),
        env.optimized,
        env.is_async,
        type(env).__qualname__,
        sorted(env.extensions),
        _conventions(env.filters),
        _conventions(env.tests),
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def _conventions(functions: dict[str, Any]) -> list[tuple[str, str]]:
    """Each function's name and how Jinja passes it context (`pass_context` and the like)."""
    return sorted((name, str(getattr(f, "jinja_pass_arg", None))) for name, f in functions.items())


def _callable_name(value: Any) -> Any:
    if callable(value):
        return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', value)}"
    return value

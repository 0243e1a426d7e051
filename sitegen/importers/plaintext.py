"""`sitegen import`: plain-text news articles to Markdown files with YAML front matter."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import tzinfo
from pathlib import Path
from typing import Any

from sitegen.build.load import SIDECAR_SUFFIX, SourceFile, read_file
from sitegen.build.parse import decode, read_sidecar
from sitegen.build.readers.newstext import NewsArticle, parse_news_text
from sitegen.build.write import FolderSync, write_atomic
from sitegen.core.diagnostics import Diagnostic, error
from sitegen.importers.entry import yaml_document
from sitegen.importers.prepare import file_stem


@dataclass(frozen=True)
class ImportResult:
    """The files written, as (source, target) pairs, and every problem found."""

    written: tuple[tuple[Path, Path], ...]
    diagnostics: tuple[Diagnostic, ...]


def import_news_texts(
    paths: Iterable[Path],
    out_dir: Path,
    topic: str | None,
    force: bool,
    tz: tzinfo,
    max_bytes: int | None = None,
    *,
    dry_run: bool = False,
) -> ImportResult:
    """Convert each plain-text article into `out_dir/YYYY-MM-DD-<slug>.md`.

    An existing file is only replaced when `force` is true; two inputs never write one file,
    and a file is replaced atomically (an interrupted import leaves the old or the new one)
    and durably (on the disk, fsync, when this returns).
    A file that cannot be read or converted, or is larger than `max_bytes`, is reported and
    skipped; the others are written. With `dry_run` nothing is written (the result says
    what would be).
    """
    written: list[tuple[Path, Path]] = []
    diagnostics: list[Diagnostic] = []
    claimed: dict[Path, Path] = {}
    sync = FolderSync()
    for source in paths:
        name = str(source)
        data, problem = read_file(source, name, max_bytes)
        if data is None:
            diagnostics.extend([problem] if problem else [])
            continue
        text, problems = decode(SourceFile(name, data, digest=""))
        if text is None:
            diagnostics.extend(problems)
            continue
        article, found = parse_news_text(name, text, tz)
        diagnostics.extend(found)
        extra, found = _sidecar_meta(source, max_bytes)
        diagnostics.extend(found)
        if article is None or extra is None:
            continue
        stem = file_stem(article.date.date(), article.title.text)
        if stem is None:
            message = "the headline has no letters or digits to name the file after"
            diagnostics.append(error(name, article.title.number, message))
            continue
        target = out_dir / f"{stem}.md"
        if target in claimed:
            message = f"{target} would also be written from {claimed[target]}; rename one headline"
            diagnostics.append(error(name, article.title.number, message))
            continue
        if target.exists() and not force:
            diagnostics.append(error(name, None, f"{target} exists; use --force to replace it"))
            continue
        claimed[target] = source
        if dry_run:
            written.append((source, target))
            continue
        try:
            write_atomic(target, markdown_document(article, topic, extra).encode(), sync)
        except OSError as problem:
            diagnostics.append(error(name, None, f"cannot write {target}: {problem.strerror}"))
            continue
        written.append((source, target))
    sync.flush()  # on the disk before `wrote …` is printed
    return ImportResult(tuple(written), tuple(diagnostics))


def front_matter(article: NewsArticle, topic: str | None) -> dict[str, Any]:
    """title, date (ISO 8601 with offset), topic, source, desk, author, kicker, summary."""
    fields = article.fields()
    meta: dict[str, Any] = {"title": fields.pop("title").text, "date": article.date.isoformat()}
    if topic:
        meta["topic"] = topic
    for key in ("source", "desk", "author", "kicker"):
        if key in fields:
            meta[key] = fields[key].text
    meta["summary"] = article.summary
    return meta


def markdown_document(
    article: NewsArticle, topic: str | None, extra: dict[str, Any] | None = None
) -> str:
    """The article as a Markdown file: YAML front matter between `---` lines, then the body.

    `extra` (the keys of a sidecar file) is added to, and wins over, what the reader found.
    """
    meta = {**front_matter(article, topic), **(extra or {})}
    return yaml_document(meta, article.markdown())


def _sidecar_meta(
    source: Path, max_bytes: int | None
) -> tuple[dict[str, Any] | None, list[Diagnostic]]:
    """Keys of `name.yaml` beside `name.txt` ({} when there is none)."""
    side = source.with_suffix(SIDECAR_SUFFIX)
    if not side.is_file():
        return {}, []
    data, problem = read_file(side, str(side), max_bytes)
    if data is None:
        return None, [problem] if problem else []
    raw, problems = read_sidecar(SourceFile(str(side), data, digest=""))
    return (raw.meta if raw else None), problems

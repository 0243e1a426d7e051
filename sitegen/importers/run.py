"""`sitegen import --from jekyll|hugo|zola|wordpress|feed SOURCE`: an archive made by another
tool, brought into the site (docs/import.md).

read the source (one module per kind) → plan (dates, slugs, topics, targets, new URLs) →
convert each body (template syntax, then the files it names) → keep the old URLs as aliases
→ write what changed. A second run writes nothing; `dry_run` writes nothing at all.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from sitegen.build.aliases import alias_problem
from sitegen.build.embeds import extract_embeds
from sitegen.build.markdown_code import MASK, mask_code
from sitegen.build.routes import Routes
from sitegen.build.write import FolderSync, write_atomic
from sitegen.core.config import CONFIG_FILE, Site
from sitegen.importers.assets import (
    IMAGE_SUFFIXES,
    Placement,
    folder_locator,
    is_local,
    place_files,
)
from sitegen.importers.entry import markdown_file
from sitegen.importers.feed import read_feed
from sitegen.importers.folder import Harvest, Topic
from sitegen.importers.hugo import read_hugo
from sitegen.importers.jekyll import read_jekyll
from sitegen.importers.kinds import KINDS
from sitegen.importers.prepare import Planned, accepted_meta, plan_entries, source_zone
from sitegen.importers.report import ImportReport
from sitegen.importers.syntax import Context, convert
from sitegen.importers.topics_yaml import with_topics
from sitegen.importers.wordpress import read_wordpress
from sitegen.importers.zola import read_zola

# the readers of `KINDS`, in its order
READERS = (read_jekyll, read_hugo, read_zola, read_wordpress, read_feed)
SOURCES: dict[str, Callable[[Path, ImportReport], Harvest]] = dict(zip(KINDS, READERS, strict=True))


def import_archive(
    kind: str, source: Path, site: Site, *, dry_run: bool = False, force: bool = False
) -> ImportReport:
    """Import the archive at `source` (a folder, or for wordpress and feed a file) into
    `site`; everything found is in the returned report."""
    report = ImportReport()
    harvest = SOURCES[kind](source, report)
    zone = source_zone(harvest.timezone, site.config, report)
    planned = plan_entries(harvest.entries, harvest.topics, site.config, report, zone)
    urls = _urls_by_key(planned)
    routes = Routes(site.config)
    files: dict[str, str | Path] = {}
    claimed_aliases = {routes.alias(plan.url) for plan in planned if plan.entry.kind == "article"}
    topics: dict[str, Topic] = {}
    for plan in planned:
        entry = plan.entry
        body = _convert(plan, harvest, urls, report)
        meta = accepted_meta(entry, site.config, report)
        meta = _with_lead_image(plan, meta, harvest, files, report)
        aliases = _aliases(plan, routes, claimed_aliases, report)
        if aliases:
            meta["aliases"] = aliases
        files[plan.target] = markdown_file(meta, body)
        for place in plan.copies:
            files.setdefault(place.target, place.source)
        topics.update(plan.extra_topics)
        if entry.kind == "page":
            report.pages += 1
        else:
            report.articles += 1
    _write(site, files, report, dry_run=dry_run, force=force)
    _add_topics(site, topics, kind, report, dry_run)
    return report


def _urls_by_key(planned: list[Planned]) -> dict[str, str]:
    """Each entry's new URL by its key, by its key without suffix and by its file name."""
    urls: dict[str, str] = {}
    for plan in planned:
        key = plan.entry.key
        stem = key.rsplit(".", 1)[0]
        for name in (key, stem, stem.removesuffix("/index").removesuffix("/_index")):
            urls.setdefault(name, plan.url)
    return urls


def _resolver(urls: dict[str, str]) -> Callable[[str, str], str | None]:
    def resolve(kind: str, reference: str) -> str | None:
        ref = reference.strip().lstrip("/").removeprefix("content/")
        ref = ref.rsplit(".", 1)[0] if ref.endswith((".md", ".markdown", ".html")) else ref
        if ref in urls:
            return urls[ref]
        matches = {url for key, url in urls.items() if key.endswith("/" + ref)}
        return matches.pop() if len(matches) == 1 else None

    return resolve


def _includer(folder: Path | None) -> Callable[[str], str | None]:
    def include(name: str) -> str | None:
        path = folder / name if folder else None
        if path is None or not path.is_file() or ".." in Path(name).parts:
            return None
        text = path.read_text(encoding="utf-8", errors="replace")
        return None if "{%" in text or "{{" in text else text.strip()

    return include


def _convert(plan: Planned, harvest: Harvest, urls: dict[str, str], report: ImportReport) -> str:
    """The body with template syntax converted and its files placed; problems reported."""
    entry = plan.entry
    ctx = Context(
        entry.meta["title"], harvest.site_values, _resolver(urls), _includer(harvest.includes)
    )
    body, notes = convert(entry.body, harvest.rules, ctx)
    notes += [(line, message) for line, message in extract_embeds(entry.body).notes]
    for line, message in sorted(notes):
        report.left(entry.origin, entry.body_line + line - 1, message)
    body, found = place_files(body, _locator(plan, harvest))
    for reference, line, message, missing in found.notes:
        where = _source_line(entry.body, reference, entry.body_line, line)
        (report.missing if missing else report.left)(entry.origin, where, message)
    plan.copies.extend(found.copies)
    return _tidy(body)


def _tidy(body: str) -> str:
    """Runs of blank lines that conversions left outside code, made one."""
    masked = mask_code(body)
    runs = [
        m.span()
        for m in re.finditer(r"\n{3,}", masked)
        if MASK not in masked[max(m.start() - 1, 0) : m.end() + 1]
    ]
    for start, end in reversed(runs):
        body = body[:start] + "\n\n" + body[end:]
    return body


def _source_line(body: str, reference: str, body_line: int, line: int) -> int:
    """The source line of a reference: where the source body names it (conversions may have
    moved lines), else `line` of the converted body."""
    offset = body.find(reference)
    return body_line + (body.count("\n", 0, offset) if offset >= 0 else line - 1)


def _locator(plan: Planned, harvest: Harvest) -> Callable[[str, bool], Placement | None]:
    if harvest.root is None:
        return lambda reference, image: None
    bundle = plan.folder_target if plan.entry.bundle else None
    return folder_locator(
        plan.entry.folder, harvest.static_roots, harvest.base_path, bundle, harvest.root
    )


def _with_lead_image(
    plan: Planned, meta: dict, harvest: Harvest, files: dict[str, str | Path], report: ImportReport
) -> dict:
    """The lead image found and placed like a body image; one that is missing is reported and
    kept as written (the build warns until it is copied in), one that is no image sitegen
    publishes is set aside as `image_original` (reported)."""
    image = meta.get("image")
    if not isinstance(image, str) or not is_local(image):
        return meta
    place = _locator(plan, harvest)(image, True)
    if place is None:
        report.missing(plan.entry.origin, None, f"lead image {image!r} not found in the source")
        return meta
    files.setdefault(place.target, place.source)
    if place.target.lower().endswith(IMAGE_SUFFIXES):
        meta["image"] = place.reference
    else:
        meta["image_original"] = meta.pop("image")
        message = f"lead image {image!r} is not a JPEG, PNG, GIF, WebP or SVG file"
        report.left(plan.entry.origin, None, message + "; kept as 'image_original'")
    return meta


def _aliases(plan: Planned, routes: Routes, claimed: set[str], report: ImportReport) -> list[str]:
    """The old URLs (and the source's own aliases) a redirect page can serve, without the
    new URL itself and without one another entry already keeps."""
    entry = plan.entry
    own = entry.meta.pop("aliases", None)
    written = [*entry.old_urls, *(own if isinstance(own, list) else [own] if own else [])]
    kept: list[str] = []
    for alias in dict.fromkeys(str(a) for a in written):
        alias = alias if alias.startswith(("/", "http")) else "/" + alias
        path = routes.alias(alias)
        if path == routes.alias(plan.url) or alias_problem(alias, routes) is not None:
            continue
        if path in claimed:
            report.warn(entry.origin, None, f"old URL {alias} is also another page's; not kept")
            continue
        claimed.add(path)
        kept.append(alias)
    return kept


def _write(
    site: Site, files: dict[str, str | Path], report: ImportReport, *, dry_run: bool, force: bool
) -> None:
    """Write each file whose bytes differ; one the user changed is kept unless `force`."""
    sync = FolderSync()
    for relative, content in sorted(files.items()):
        try:
            data = content.encode() if isinstance(content, str) else content.read_bytes()
        except OSError as exc:
            report.fail(str(content), None, f"cannot read file: {exc.strerror or exc}")
            continue
        target = site.root / relative
        if target.is_file() and target.read_bytes() == data:
            report.unchanged += 1
            continue
        if target.exists() and not force:
            report.fail(relative, None, "exists with other content; kept (--force replaces it)")
            continue
        report.written += 1
        report.assets_copied += isinstance(content, Path)
        if not dry_run:
            try:
                write_atomic(target, data, sync)
            except OSError as exc:
                report.fail(relative, None, f"cannot write: {exc.strerror or exc}")
    sync.flush()


def _add_topics(
    site: Site, topics: dict[str, Topic], kind: str, report: ImportReport, dry_run: bool
) -> None:
    """Topics with a display name the site does not configure yet, into `sitegen.yaml`."""
    known = {t.slug or t.name for t in site.config.topics} | {t.name for t in site.config.topics}
    new = [
        (slug, topic)
        for slug, topic in sorted(topics.items())
        if slug not in known and topic.name not in known
    ]
    if not new:
        return
    path = site.root / CONFIG_FILE
    text = path.read_text(encoding="utf-8")
    edited = with_topics(text, new, kind)
    if edited is None:
        names = ", ".join(f"{t.name} ({s})" for s, t in new)
        report.warn(CONFIG_FILE, None, f"add these topics under 'topics:' by hand: {names}")
        return
    report.topics_added = len(new)
    if not dry_run:
        write_atomic(path, edited.encode())

"""The build: load → parse → model → images → group → render, in memory. The only module
that knows the stage order. Writing is the caller's choice (`sitegen build` writes; `serve`
does not). With a `BuildCache` (sitegen.cache) a build reuses what did not change.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import math
import os
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sitegen.aliases import alias_paths, check_aliases
from sitegen.assets import fingerprint
from sitegen.cache import (
    CACHING_PARSE_STAGE,
    BuildCache,
    BuildSummary,
    SiteFiles,
    parse_key,
    parse_settings_digest,
)
from sitegen.config import Site, SiteConfig, language_tag
from sitegen.diagnostics import Diagnostic, error, has_errors, sort_key, warning
from sitegen.discovery import Discovery
from sitegen.fingerprint import (
    Fingerprinter,
    TemplateClosure,
    canonical_digest,
    catalogs_digest,
    engine_digest,
    theme_uses_clock,
)
from sitegen.group import build_index
from sitegen.images.articles import ArticleImages, process_article_images
from sitegen.images.cache import ImageCache
from sitegen.load import SourceFile, content_files, discover_sources, discover_static
from sitegen.markup import check_extensions
from sitegen.metadata import check_resources
from sitegen.model import Article, to_article
from sitegen.parallel import Stage, run_stage
from sitegen.parse import PARSE_STAGE, Document, ParseSetup
from sitegen.progress import Progress
from sitegen.readers.base import ReaderSettings
from sitegen.render import RENDER_STAGE, PageJob, Planner, RenderSetup, check_collisions
from sitegen.routes import Routes
from sitegen.search import SearchIndexError, SearchRecord, build_search_index, search_index_key
from sitegen.theme import Theme, load_theme


def build_time() -> dt.datetime:
    """Now, or `SOURCE_DATE_EPOCH` for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    seconds = int(epoch) if epoch and epoch.strip().isdigit() else time.time()
    return dt.datetime.fromtimestamp(seconds, dt.UTC)


@dataclass(frozen=True)
class BuildOptions:
    """Switches of one build. `jobs`: worker processes (0 = one per CPU, 1 = serial).

    `defer_search`: when the search index must be made again, leave it out and hand its
    records to the caller (`BuildResult.search_records`), who makes it later (the preview).
    """

    drafts: bool = False
    future: bool = False
    now: dt.datetime = field(default_factory=build_time)
    jobs: int = 0
    defer_search: bool = False


@dataclass(frozen=True)
class BuildStats:
    articles: int = 0
    pages: int = 0
    files: int = 0
    images: int = 0
    images_processed: int = 0
    seconds: float = 0.0
    sources: int = 0  # source files found under content/
    parsed: int = 0  # source files parsed (the others came from the cache)
    rendered: int = 0  # pages rendered (the others were unchanged)


@dataclass(frozen=True)
class BuildResult:
    """A finished build: output-relative path → bytes, or diagnostics explaining why not.

    For `check` and `deploy`: `articles` built, `sources` (output file → the source and line
    it comes from: an article, a theme or static file, or a description such as `home page
    1`), `assets` (URLs of fingerprinted files) and `aliases` (old URL → article URL).

    `files` holds every file of the site. With a `DiskCache`, files that did not change are
    not made again: their bytes are read from the output folder only when asked for, and
    `unchanged` lists them (the writer skips them). When the whole previous build was reused
    (`stats.parsed == stats.rendered == 0` and nothing changed), `articles` is empty.
    `notices` are problems with the cache itself, which was then ignored; never errors.
    `search_key` identifies the site's search index (None: the site has none); with
    `BuildOptions.defer_search`, `search_records` holds the records of an index not made.
    """

    files: Mapping[str, bytes]
    diagnostics: tuple[Diagnostic, ...]
    stats: BuildStats
    articles: tuple[Article, ...] = ()
    sources: dict[str, tuple[str, int | None]] = field(default_factory=dict)
    assets: tuple[str, ...] = ()
    aliases: tuple[tuple[str, str], ...] = ()
    unchanged: frozenset[str] = frozenset()
    notices: tuple[Diagnostic, ...] = ()
    search_key: str | None = None
    search_records: tuple[SearchRecord, ...] = ()

    @property
    def ok(self) -> bool:
        return not has_errors(self.diagnostics)


class _Build:
    """One build's bookkeeping: diagnostics, timing, the cache and the progress display."""

    def __init__(self, options: BuildOptions, cache: BuildCache | None, progress: Progress):
        self.options = options
        self.cache = cache
        self.progress = progress
        self.started = time.monotonic()
        self.diagnostics: list[Diagnostic] = []
        self.sources = 0  # source files found

    def stage(self, stage: Stage[Any, Any], setup: Any, items: Sequence[Any]) -> list[Any]:
        """Run a pure stage over `items`, on several processes when it pays."""
        self.progress.start(stage.name, len(items))
        return run_stage(
            stage, setup, items, jobs=self.options.jobs, progress=self.progress.advance
        )

    def result(
        self, output: SiteFiles | None = None, stats: dict[str, int] | None = None, **extra: Any
    ) -> BuildResult:
        """The build's result; only diagnostics (and notices) when it failed."""
        self.progress.finish()
        notices = tuple(self.cache.take_warnings()) if self.cache else ()
        seconds = time.monotonic() - self.started
        diagnostics = tuple(sorted(self.diagnostics, key=sort_key))
        if output is None or not self.ok:
            return BuildResult({}, diagnostics, BuildStats(seconds=seconds), notices=notices)
        return BuildResult(
            output,
            diagnostics,
            BuildStats(seconds=seconds, sources=self.sources, **(stats or {})),
            unchanged=output.stored,
            notices=notices,
            **extra,
        )

    @property
    def ok(self) -> bool:
        return not has_errors(self.diagnostics)


def parse_sources(
    build: _Build, sources: Sequence[SourceFile], config: SiteConfig
) -> tuple[list[Document], int]:
    """Parse every source, taking unchanged ones from the cache (keyed by their bytes)."""
    setup = ParseSetup(
        ReaderSettings(timezone=config.tz, max_nesting=config.limits.max_nesting), config.markdown
    )
    cache = build.cache
    settings = parse_settings_digest(config.markdown, setup.settings) if cache else ""
    keys = [parse_key(s, settings) for s in sources] if cache else []
    results: list[tuple[Document | None, list[Diagnostic]] | None] = (
        [cache.parsed(k) for k in keys] if cache else [None] * len(sources)
    )
    missing = [i for i, found in enumerate(results) if found is None]
    stage = CACHING_PARSE_STAGE if cache else PARSE_STAGE
    fresh = build.stage(stage, setup, [sources[i] for i in missing])
    for i, (document, problems, *encoded) in zip(missing, fresh, strict=True):
        results[i] = (document, problems)
        if cache and document is not None:
            cache.store_parsed(keys[i], document, problems, encoded[0])
    if cache:
        cache.keep_parsed(set(keys))
    documents = []
    for found in results:
        document, problems = found  # type: ignore[misc]
        build.diagnostics.extend(problems)
        if document is not None:
            documents.append(document)
    return documents, len(missing)


def visible_articles(
    build: _Build, documents: Sequence[Document], config: SiteConfig
) -> tuple[list[Article], float | None]:
    """Model every document; keep the articles visible in this build (drafts, future).

    Also returns when the earliest hidden future article becomes visible (a timestamp).
    """
    options = build.options
    articles: list[Article] = []
    visible_until: float | None = None
    for document in documents:
        article, problems = to_article(document, config)
        build.diagnostics.extend(problems)
        if article is None:
            continue
        if article.draft and not options.drafts:
            continue
        if article.date > options.now and not options.future:
            moment = article.date.timestamp()
            visible_until = moment if visible_until is None else min(visible_until, moment)
            continue
        articles.append(article)
    return articles, visible_until


def read_articles(site: Site, options: BuildOptions) -> tuple[list[Article], list[Diagnostic]]:
    """Load, parse and model every article; keep those visible in this build (no cache)."""
    build = _Build(options, None, Progress())
    sources, problems = discover_sources(site.root, site.config.limits.max_file_bytes)
    build.diagnostics.extend(problems)
    documents, _ = parse_sources(build, sources, site.config)
    articles, _ = visible_articles(build, documents, site.config)
    return articles, build.diagnostics


def inputs_digest(
    site: Site,
    options: BuildOptions,
    theme: Theme,
    sources: Sequence[SourceFile],
    site_static: Mapping[str, bytes],
) -> str:
    """A digest of everything a build reads before parsing: sources, static files, the names
    of the other files under content/ (images), theme, config, switches and engine (and the
    build time, when a template shows relative dates)."""
    return canonical_digest(
        [
            engine_digest(),
            repr(site.config),
            theme.digest(),
            [options.drafts, options.future],
            options.now.isoformat() if theme_uses_clock(theme) else "",
            [[s.path, s.digest] for s in sources],
            [[path, hashlib.sha256(data).hexdigest()] for path, data in site_static.items()],
            content_files(site.root),
        ]
    )


def build(
    site: Site,
    options: BuildOptions | None = None,
    *,
    cache: BuildCache | None = None,
    progress: Progress | None = None,
) -> BuildResult:
    """Build the whole site in memory; with a cache, reuse what did not change."""
    b = _Build(options or BuildOptions(), cache, progress or Progress())
    config = site.config
    b.diagnostics.extend(
        error("sitegen.yaml", None, f"unknown Markdown extension {name!r}")
        for name in check_extensions(config.markdown)
    )
    theme, problems = load_theme(config.theme, site.themes_dir, site.root)
    b.diagnostics.extend(problems)
    sources, problems = discover_sources(site.root, site.config.limits.max_file_bytes)
    b.diagnostics.extend(problems)
    b.sources = len(sources)
    site_static, problems = discover_static(site.static_dir, site.root)
    b.diagnostics.extend(problems)
    if cache and theme is not None and b.ok:
        static_bytes = {f.url_path: f.data for f in site_static}
        inputs = inputs_digest(site, b.options, theme, sources, static_bytes)
        previous = cache.unchanged_build(inputs, b.options.now.timestamp(), site.root)
        if previous:
            return unchanged_result(b, cache, previous)

    documents, parsed = parse_sources(b, sources, config)
    del sources  # their bytes are no longer needed: free them before rendering
    articles, visible_until = visible_articles(b, documents, config)
    del documents
    if not articles and b.ok:
        b.diagnostics.append(warning("content", None, "no articles to publish"))

    # Even after errors, the articles that did model go through the checks below (images,
    # aliases, collisions): every problem is reported in one run. Rendering waits for none.
    image_cache = ImageCache(site.state_dir / "cache" / "images")
    media = process_article_images(articles, site.root, config.images, Routes(config), image_cache)
    b.diagnostics.extend(media.diagnostics)
    articles = [
        dataclasses.replace(a, html=media.bodies[a.path]) if a.path in media.bodies else a
        for a in articles
    ]
    index = build_index(articles, config)
    planner = Planner(index, config, media.leads)
    discovery = Discovery(planner, b.options.now)
    jobs = list(discovery.jobs(planner.jobs()))
    generated = discovery.files(jobs)
    static: dict[str, tuple[bytes, str]] = {}
    theme_files = theme.static_files() if theme else ()
    for file in theme_files:
        static[file.url_path] = (file.data, file.origin)
    for file in site_static:
        if file.origin not in media.sources:  # published only as processed variants
            static[file.url_path] = (file.data, file.origin)
    for path, data in media.files.items():
        static[path] = (data, "processed images")
    theme_paths = {file.url_path for file in theme_files}
    placed = fingerprint({p: data for p, (data, _) in static.items()}, theme_paths)
    b.diagnostics.extend(check_aliases(index.articles, planner.routes))
    others = {placed[p]: origin for p, (_, origin) in static.items()}
    for path, (_, origin) in generated.items():
        if path in others:
            hint = (
                f"set '{origin}: false' in sitegen.yaml to publish your own"
                if "." in origin
                else "sitegen makes this file; remove yours"
            )
            message = f"{path} is also made by sitegen ({origin})"
            b.diagnostics.append(error(others[path], None, message, hint))
        others[path] = f"sitegen ({origin})"
    b.diagnostics.extend(check_collisions(jobs, others))
    if theme is None or not b.ok:
        return b.result()

    site_context = {**planner.site_context(), "feeds": discovery.site_feeds()}
    # metadata is attached as each page renders, so it is never held for the whole site
    setup = RenderSetup(theme, config, site_context, placed, b.options.now, discovery.with_metadata)
    fingerprints = page_fingerprints(b, jobs, setup) if cache else {}
    fresh: dict[str, bytes] = {}
    stored: dict[str, Path] = {}
    todo: list[PageJob] = []
    for job in jobs:
        path = Routes.output_file(job.path)
        found = cache.reusable_page(path, fingerprints[path]) if cache else None
        if found is None:
            todo.append(job)
        elif isinstance(found, Path):
            stored[path] = found
        else:
            fresh[path] = found
    packed: dict[str, bytes] = {}
    problems_seen: dict[tuple[str, int | None, str], Diagnostic] = {}
    for page in b.stage(RENDER_STAGE, setup, todo):
        if page.packed is not None:
            packed[page.path] = page.packed
        for d in page.problems:
            problems_seen.setdefault((d.path, d.line, d.message), d)
    b.diagnostics.extend(problems_seen.values())
    if not b.ok:
        return b.result()

    routes = planner.routes
    order = [Routes.output_file(job.path) for job in jobs]
    origins = {Routes.output_file(job.path): (job.origin, job.line) for job in jobs}
    for path, (data, origin) in static.items():
        fresh[placed[path]] = data
        origins[placed[path]] = (origin, None)
        order.append(placed[path])
    for path, (data, origin) in generated.items():
        fresh[path] = data
        origins[path] = (f"sitegen ({origin})", None)
        order.append(path)
    b.diagnostics.extend(check_resources(config, origins))
    records = search_records(jobs, config) if config.search else []
    search_key = search_fingerprint(records) if records else None
    pending: tuple[SearchRecord, ...] = ()
    if search_key:
        bundle = cache.derived_files(search_key) if cache else None
        if bundle is None and b.options.defer_search:
            pending = tuple(records)
        elif bundle is None:
            try:
                bundle = dict(build_search_index(records))
            except SearchIndexError as exc:
                hint = "set 'search: false' to build without it"
                b.diagnostics.append(error("sitegen.yaml", None, str(exc), hint))
                return b.result()
        for path, data in (bundle or {}).items():
            if isinstance(data, Path):
                stored[path] = data
            else:
                fresh[path] = data
            origins[path] = ("search index", None)
            order.append(path)
            fingerprints[path] = search_key
    del records
    assets = tuple(sorted(routes.url(new) for old, new in placed.items() if new != old))
    aliases = tuple(
        (routes.url(path), routes.url(planner.article_paths[a.path]))
        for a in index.articles
        for path in alias_paths(a, routes)
    )
    if cache:
        for path, (data, _) in static.items():  # static files are recorded by their bytes
            fingerprints[placed[path]] = "sha256:" + hashlib.sha256(data).hexdigest()
        for path, (data, _) in generated.items():
            fingerprints[path] = "sha256:" + hashlib.sha256(data).hexdigest()
        summary = BuildSummary(
            inputs,
            *valid_interval(visible_until, discovery, b.options),
            image_digests(media, site.root),
            tuple(order),
            len(jobs),
            tuple(sorted(b.diagnostics, key=sort_key)),
            len(articles),
            origins,
            assets,
            aliases,
            search_key,
        )
        cache.finish(fingerprints, summary)
    files = SiteFiles(order, fresh, stored, packed)
    stats = {
        "articles": len(articles),
        "pages": len(jobs),
        "files": len(files),
        "images": media.stats.sources,
        "images_processed": media.stats.processed,
        "parsed": parsed,
        "rendered": len(todo),
    }
    return b.result(
        files,
        stats,
        articles=tuple(index.articles),
        sources=origins,
        assets=assets,
        aliases=aliases,
        search_key=search_key,
        search_records=pending,
    )


def search_records(jobs: Sequence[PageJob], config: SiteConfig) -> list[SearchRecord]:
    """What the search index sees of each article page: its title and body, nothing else."""
    records = []
    for job in jobs:
        if job.kind != "article":
            continue
        view = job.context["article"]
        records.append(
            SearchRecord(
                url=view["url"],
                title=view["title"],
                body=str(view["html"]),
                language=language_tag(config.language),  # one index: the search page's language
                date=view["date"].isoformat(),
                topic=view["topic"]["name"] if view["topic"] else None,
            )
        )
    return records


def search_fingerprint(records: Sequence[SearchRecord]) -> str:
    """What the search index is made from: the records (with Pagefind's version and the
    query module, `search_index_key`) and sitegen itself."""
    return "search:" + canonical_digest([engine_digest(), search_index_key(records)])


def valid_interval(
    visible_until: float | None, discovery: Discovery, options: BuildOptions
) -> tuple[float | None, float | None]:
    """The build times at which an unchanged build may reuse this one: from the last moment
    up to `options.now` when the output changed, to the next (not included). They are when
    an article appears (at its date, unless `future`), enters the news sitemap (at its date)
    or leaves it (just after `news_hours`); an empty feed is dated `now`: valid at no other
    time. None: no bound."""
    now = options.now.timestamp()
    before: list[float] = []
    after = [] if visible_until is None else [visible_until]
    if any(not feed["entries"] for feed in discovery.feeds.values()):
        after.append(now)
    articles = discovery.planner.index.articles
    if not options.future:
        before += [a.date.timestamp() for a in articles]
    if discovery.config.sitemap.news:
        hours = dt.timedelta(hours=discovery.config.sitemap.news_hours)
        for article in articles:
            left = math.nextafter((article.date + hours).timestamp(), math.inf)
            for moment in (article.date.timestamp(), left):
                (before if moment <= now else after).append(moment)
    return max(before, default=None), min(after, default=None)


def image_digests(media: ArticleImages, root: Path) -> dict[str, str]:
    """sha256 of each image file the images stage read (site-relative path → digest)."""
    digests = {}
    for path in sorted(media.sources):
        try:
            digests[path] = hashlib.sha256((root / path).read_bytes()).hexdigest()
        except OSError:
            digests[path] = ""
    return digests


def unchanged_result(build: _Build, cache: BuildCache, previous: BuildSummary) -> BuildResult:
    """The result of a build whose inputs equal the previous build's: its files, as they are."""
    fresh: dict[str, bytes] = {}
    stored: dict[str, Path] = {}
    for path in previous.files:
        found = cache.stored_file(path)
        if isinstance(found, Path):
            stored[path] = found
        else:
            fresh[path] = found
    build.diagnostics.extend(previous.diagnostics)
    cache.finish({}, previous)
    files = SiteFiles(list(previous.files), fresh, stored)
    stats = {
        "articles": previous.articles,
        "pages": previous.pages,
        "files": len(files),
        "images": len(previous.image_inputs),
    }
    return build.result(
        files,
        stats,
        sources=previous.sources,
        assets=previous.assets,
        aliases=previous.aliases,
        search_key=previous.search_key,
    )


@dataclass(frozen=True)
class FingerprintSetup:
    """What fingerprinting pages needs besides the jobs: the theme, the site-wide digest, the
    build time (for templates that show relative dates) and how a job gets its metadata."""

    theme: Theme
    shared: str
    now: dt.datetime
    metadata: Callable[[PageJob], PageJob]


FingerprintState = tuple[Fingerprinter, TemplateClosure, FingerprintSetup]


def prepare_fingerprints(setup: FingerprintSetup) -> FingerprintState:
    """A fingerprinter and every template's closure digest (once, before workers fork)."""
    closures = TemplateClosure(setup.theme, setup.now.isoformat())
    for name in closures.names():
        closures.digest(name)
    return Fingerprinter(), closures, setup


def fingerprint_chunk(state: FingerprintState, jobs: Sequence[PageJob]) -> list[str]:
    """Each job's fingerprint: its template closure and every field of the job as it is
    rendered (with its metadata), by value."""
    fingerprinter, closures, setup = state
    digests = []
    for job in jobs:
        rendered = setup.metadata(job)
        digests.append(
            canonical_digest(
                [
                    setup.shared,
                    closures.digest(job.template),
                    job.template,
                    job.path,
                    job.kind,
                    job.modified,
                    fingerprinter.digest(job.context),
                    fingerprinter.digest(job.items),  # views, alive as long as the jobs
                    canonical_digest(rendered.meta),  # made for this call: not memoized
                ]
            )
        )
    return digests


# Contexts share views: sending them to workers would cost more than hashing them here.
FINGERPRINT_STAGE: Stage[PageJob, str] = Stage(
    "check", prepare_fingerprints, fingerprint_chunk, inherit_only=True
)


def page_fingerprints(build: _Build, jobs: Sequence[PageJob], setup: RenderSetup) -> dict[str, str]:
    """Per output file: a digest of everything its bytes are made from.

    Template closure + the job's context, template, path, kind, date and listed items + its
    metadata + `site` + the config + translations + where static files were placed
    (`asset()`) + `engine_digest()`. Equal fingerprints mean equal bytes, because rendering is
    a pure function of exactly these.
    """
    shared = canonical_digest(
        [engine_digest(), repr(setup.config), catalogs_digest(setup.theme), setup.placed]
    ) + Fingerprinter().digest(setup.site)
    digests = build.stage(
        FINGERPRINT_STAGE, FingerprintSetup(setup.theme, shared, setup.now, setup.metadata), jobs
    )
    return {Routes.output_file(j.path): d for j, d in zip(jobs, digests, strict=True)}

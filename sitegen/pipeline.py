"""The build: load → parse → model → group → render, in memory. The only module that knows
the stage order. Writing is the caller's choice (`sitegen build` writes; `serve` does not).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import jinja2

from sitegen.aliases import alias_paths, check_aliases
from sitegen.assets import asset_helper, fingerprint
from sitegen.config import Site, SiteConfig
from sitegen.diagnostics import Diagnostic, error, has_errors, sort_key, warning
from sitegen.discovery import Discovery
from sitegen.group import build_index
from sitegen.images.articles import process_article_images
from sitegen.images.cache import ImageCache
from sitegen.load import discover_sources, discover_static
from sitegen.localize import Localizer
from sitegen.markup import MarkdownRenderer, check_extensions
from sitegen.metadata import check_resources
from sitegen.model import Article, to_article
from sitegen.parse import parse
from sitegen.readers.base import ReaderSettings
from sitegen.render import OutputFile, PageJob, Planner, check_collisions, render_page
from sitegen.routes import Routes
from sitegen.search import SearchIndexError, SearchRecord, build_search_index
from sitegen.templating import make_environment
from sitegen.theme import load_theme


def build_time() -> dt.datetime:
    """Now, or `SOURCE_DATE_EPOCH` for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    seconds = int(epoch) if epoch and epoch.strip().isdigit() else time.time()
    return dt.datetime.fromtimestamp(seconds, dt.UTC)


@dataclass(frozen=True)
class BuildOptions:
    """Switches of one build."""

    drafts: bool = False
    future: bool = False
    now: dt.datetime = field(default_factory=build_time)


@dataclass(frozen=True)
class BuildStats:
    articles: int = 0
    pages: int = 0
    files: int = 0
    images: int = 0
    images_processed: int = 0
    seconds: float = 0.0


@dataclass(frozen=True)
class BuildResult:
    """A finished build: output-relative path → bytes, or diagnostics explaining why not.

    For `check` and `deploy`: `articles` built, `sources` (output file → the source and line
    it comes from: an article, a theme or static file, or a description such as `home page
    1`), `assets` (URLs of fingerprinted files) and `aliases` (old URL → article URL).
    """

    files: dict[str, bytes]
    diagnostics: tuple[Diagnostic, ...]
    stats: BuildStats
    articles: tuple[Article, ...] = ()
    sources: dict[str, tuple[str, int | None]] = field(default_factory=dict)
    assets: tuple[str, ...] = ()
    aliases: tuple[tuple[str, str], ...] = ()

    @property
    def ok(self) -> bool:
        return not has_errors(self.diagnostics)


def _failed(diagnostics: list[Diagnostic], started: float) -> BuildResult:
    return BuildResult(
        {}, tuple(sorted(diagnostics, key=sort_key)), BuildStats(seconds=time.monotonic() - started)
    )


def read_articles(site: Site, options: BuildOptions) -> tuple[list[Article], list[Diagnostic]]:
    """Load, parse and model every article; keep those visible in this build."""
    config = site.config
    sources, diagnostics = discover_sources(site.root, config.limits.max_file_bytes)
    settings = ReaderSettings(timezone=config.tz, max_nesting=config.limits.max_nesting)
    renderer = MarkdownRenderer(config.markdown)
    articles: list[Article] = []
    for source in sources:
        document, problems = parse(source, settings, renderer)
        diagnostics.extend(problems)
        if document is None:
            continue
        article, problems = to_article(document, config)
        diagnostics.extend(problems)
        if article is None:
            continue
        if article.draft and not options.drafts:
            continue
        if article.date > options.now and not options.future:
            continue
        articles.append(article)
    return articles, diagnostics


def build(site: Site, options: BuildOptions | None = None) -> BuildResult:
    """Build the whole site in memory."""
    started = time.monotonic()
    options = options or BuildOptions()
    config = site.config
    diagnostics: list[Diagnostic] = [
        error("sitegen.yaml", None, f"unknown Markdown extension {name!r}")
        for name in check_extensions(config.markdown)
    ]
    theme, problems = load_theme(config.theme, site.themes_dir, site.root)
    diagnostics.extend(problems)
    articles, problems = read_articles(site, options)
    diagnostics.extend(problems)
    if theme is None or has_errors(diagnostics):
        return _failed(diagnostics, started)

    cache = ImageCache(site.state_dir / "cache" / "images")
    media = process_article_images(articles, site.root, config.images, Routes(config), cache)
    diagnostics.extend(media.diagnostics)
    articles = [
        dataclasses.replace(a, html=media.bodies[a.path]) if a.path in media.bodies else a
        for a in articles
    ]
    index = build_index(articles, config)
    planner = Planner(index, config, media.leads)
    discovery = Discovery(planner, options.now)
    jobs = list(discovery.jobs(planner.jobs()))
    generated = discovery.files(jobs)
    static: dict[str, tuple[bytes, str]] = {}
    for file in theme.static_files():
        static[file.url_path] = (file.data, file.origin)
    site_static, problems = discover_static(site.static_dir, site.root)
    diagnostics.extend(problems)
    for file in site_static:
        if file.origin not in media.sources:  # published only as processed variants
            static[file.url_path] = (file.data, file.origin)
    for path, data in media.files.items():
        static[path] = (data, "processed images")
    theme_paths = {file.url_path for file in theme.static_files()}
    placed = fingerprint({p: data for p, (data, _) in static.items()}, theme_paths)
    diagnostics.extend(check_aliases(index.articles, planner.routes))
    others = {placed[p]: origin for p, (_, origin) in static.items()}
    for path, (_, origin) in generated.items():
        if path in others:
            hint = (
                f"set '{origin}: false' in sitegen.yaml to publish your own"
                if "." in origin
                else "sitegen makes this file; remove yours"
            )
            message = f"{path} is also made by sitegen ({origin})"
            diagnostics.append(error(others[path], None, message, hint))
        others[path] = f"sitegen ({origin})"
    diagnostics.extend(check_collisions(jobs, others))
    if not articles:
        diagnostics.append(warning("content", None, "no articles to publish"))
    if has_errors(diagnostics):
        return _failed(diagnostics, started)

    localizer = Localizer(config.language, config.locale, config.digits, config.tz, options.now)
    env = make_environment(
        theme, localizer, config.language, asset_helper(placed, config.base_path)
    )
    routes = planner.routes
    site_context = {**planner.site_context(), "feeds": discovery.site_feeds()}
    # metadata is attached as each page renders, so it is never held for the whole site
    outputs, problems = render_all(
        map(discovery.with_metadata, jobs), env, site_context, routes, theme.template_files()
    )
    diagnostics.extend(problems)
    if has_errors(diagnostics):
        return _failed(diagnostics, started)
    files = {o.path: o.data for o in outputs}
    sources = {Routes.output_file(job.path): (job.origin, job.line) for job in jobs}
    for path, (data, origin) in static.items():
        files[placed[path]] = data
        sources[placed[path]] = (origin, None)
    for path, (data, origin) in generated.items():
        files[path] = data
        sources[path] = (f"sitegen ({origin})", None)
    diagnostics.extend(check_resources(config, files))
    records = search_records(jobs, config) if config.search else []
    if records:
        try:
            bundle = build_search_index(records)
        except SearchIndexError as exc:
            diagnostics.append(
                error("sitegen.yaml", None, str(exc), "set 'search: false' to build without it")
            )
            return _failed(diagnostics, started)
        files.update(bundle)
        sources.update(dict.fromkeys(bundle, ("search index", None)))
    stats = BuildStats(
        len(articles),
        len(outputs),
        len(files),
        media.stats.sources,
        media.stats.processed,
        time.monotonic() - started,
    )
    return BuildResult(
        files,
        tuple(sorted(diagnostics, key=sort_key)),
        stats,
        articles=tuple(index.articles),
        sources=sources,
        assets=tuple(sorted(routes.url(new) for old, new in placed.items() if new != old)),
        aliases=tuple(
            (routes.url(path), routes.url(planner.article_paths[a.path]))
            for a in index.articles
            for path in alias_paths(a, routes)
        ),
    )


def search_records(jobs: list[PageJob], config: SiteConfig) -> list[SearchRecord]:
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
                language=config.language,  # one index: the search page's language
                date=view["date"].isoformat(),
                topic=view["topic"]["name"] if view["topic"] else None,
            )
        )
    return records


def render_all(
    jobs: Iterable[PageJob],
    env: jinja2.Environment,
    site: dict[str, Any],
    routes: Routes,
    template_files: set[str],
) -> tuple[list[OutputFile], list[Diagnostic]]:
    """Render every job; template errors become diagnostics at the template's line."""
    outputs: list[OutputFile] = []
    problems: dict[tuple[str, int | None, str], Diagnostic] = {}
    for job in jobs:
        try:
            outputs.append(render_page(job, env, site, routes))
        except jinja2.TemplateSyntaxError as exc:
            d = error(
                exc.filename or job.template, exc.lineno, f"template syntax error: {exc.message}"
            )
            problems.setdefault((d.path, d.line, d.message), d)
        except jinja2.TemplateNotFound as exc:
            where, line = _template_frame(exc, job.template, template_files)
            d = error(where, line, f"template not found: {exc.name}")
            problems.setdefault((d.path, d.line, d.message), d)
        except RecursionError:
            d = error(job.template, None, "template error: templates include each other endlessly")
            problems.setdefault((d.path, d.line, d.message), d)
        except Exception as exc:  # templates are code: any error they raise is the theme's
            where, line = _template_frame(exc, job.template, template_files)
            d = error(where, line, f"template error while rendering {job.origin}: {exc}")
            problems.setdefault((d.path, d.line, str(exc)), d)
    return outputs, list(problems.values())


def _template_frame(
    exc: BaseException, default: str, templates: set[str]
) -> tuple[str, int | None]:
    """The innermost template file and line in a rendering error's traceback.

    Jinja rewrites tracebacks so that template frames carry the template's file name and line.
    """
    where: tuple[str, int | None] = (default, None)
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename in templates:
            where = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return where

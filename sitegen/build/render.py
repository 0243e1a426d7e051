"""The render stage: page jobs (`sitegen.build.plan`) → page bytes, with Jinja.

`render_page` turns one job into HTML bytes. `render_pages` renders many through
`RENDER_STAGE`, on several processes when it pays: each page is kept in a `Spool` (a
temporary file in the site's state folder, `RenderSetup.spool`) as soon as its chunk is done,
as a zlib stream (`packing_level`); each template error becomes a diagnostic at the
template's line. Templates see `site`, `page` (`page_view`) and the job's context; the filters come from `sitegen.build.templating`,
`asset()` from `sitegen.build.assets`.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from sitegen.build.assets import asset_helper
from sitegen.build.email.inline import inline_styles
from sitegen.build.email.stage import EMAIL_KIND
from sitegen.build.parallel import Stage, StageRunner
from sitegen.build.plan import PageJob
from sitegen.build.routes import Routes
from sitegen.build.spool import Spool
from sitegen.build.templating import make_environment
from sitegen.build.theme import Theme
from sitegen.core.config import SiteConfig
from sitegen.core.diagnostics import Diagnostic, error
from sitegen.core.localize import Localizer

# zlib levels of a rendered page: stored (framed, not compressed) when it waits in a spool
# file, whose size costs little; compressed (a quarter of the size) when held in memory.
# Level 1 costs 0.14 ms to pack and 0.07 ms to unpack a 22 KB page: 8 % of a clean build's CPU.
STORED, PACKED = 0, 1


def page_view(job: PageJob, routes: Routes) -> dict[str, Any]:
    """What templates see as `page`; `language` its edition's key ('' for the default)."""
    return {
        "kind": job.kind,
        "language": job.language,
        "path": job.path,
        "url": routes.url(job.path),
        "absolute_url": routes.absolute(job.path),
        "meta": job.meta,
    }


def render_page(
    job: PageJob, env: jinja2.Environment, site: dict[str, Any], routes: Routes
) -> bytes:
    """Render one job to UTF-8 bytes."""
    page = page_view(job, routes)
    text = env.get_template(job.template).render(site=site, page=page, **job.context)
    if job.kind == EMAIL_KIND and job.path.endswith(".html"):
        text = inline_styles(text)  # mail clients read only `style` attributes
    return text.encode()


@dataclass(frozen=True)
class RenderSetup:
    """What a rendering process needs besides the jobs: the theme, the config, `sites` (each
    language's `site` view by its key in `languages:`, '' for the default language's), where
    each static file was placed (for `asset()`), the build time (`relative`) and `metadata`,
    which gives a job its `meta` just before it renders. `spool`: the folder where rendered
    pages wait to be written (None: in memory). `precompile`: every template compiled when
    the renderer is prepared (worker processes fork with them), else each when first used."""

    theme: Theme
    config: SiteConfig
    sites: Mapping[str, dict[str, Any]]
    placed: dict[str, str]
    now: dt.datetime
    metadata: Callable[[PageJob], PageJob]
    spool: Path | None = None
    precompile: bool = True


@dataclass(frozen=True)
class RenderState:
    """What one rendering process holds: an environment per language (its catalog, dates and
    digits), with every template compiled, with that language's `site`, by language key; and
    the theme's template files (to find a failing template's line in a traceback)."""

    languages: Mapping[str, tuple[jinja2.Environment, dict[str, Any]]]
    routes: Routes
    template_files: frozenset[str]
    metadata: Callable[[PageJob], PageJob]
    level: int = PACKED  # zlib level of the pages (`packing_level`)


@dataclass(frozen=True)
class RenderedPage:
    """One job's outcome: the page's bytes as a zlib stream (`packed`, at the
    `RenderState.level`), or the problems that prevented it."""

    path: str
    packed: bytes | None
    problems: tuple[Diagnostic, ...] = ()


def prepare_renderer(setup: RenderSetup) -> RenderState:
    """A Jinja environment per language of the site (built once per process)."""
    routes = Routes(setup.config)
    asset = asset_helper(setup.placed, routes)
    languages = {}
    for key, site in setup.sites.items():
        c = setup.config.edition(key) if key else setup.config
        localizer = Localizer(c.language, c.locale, c.digits, c.tz, setup.now)
        env = make_environment(setup.theme, localizer, c.language, asset)
        names = {n for layer in setup.theme.layers for n in layer.templates}
        for name in sorted(names) if setup.precompile else ():  # before workers fork
            with contextlib.suppress(jinja2.TemplateError):  # rendering reports it at its line
                env.get_template(name)
        languages[key] = (env, site)
    files = frozenset(setup.theme.template_files())
    return RenderState(languages, routes, files, setup.metadata, packing_level(setup))


def packing_level(setup: RenderSetup) -> int:
    """`STORED` when pages wait in a spool file (`setup.spool`), else `PACKED`."""
    return STORED if setup.spool is not None else PACKED


def render_job(job: PageJob, state: RenderState) -> RenderedPage:
    """Render one job; template errors become diagnostics at the template's line."""
    path = Routes.output_file(job.path)
    try:
        env, site = state.languages[job.language]
        data = render_page(job, env, site, state.routes)
        return RenderedPage(path, zlib.compress(data, state.level))
    except jinja2.TemplateSyntaxError as exc:
        d = error(exc.filename or job.template, exc.lineno, f"template syntax error: {exc.message}")
    except jinja2.TemplateNotFound as exc:
        where, line = _template_frame(exc, job.template, state.template_files)
        d = error(where, line, f"template not found: {exc.name}")
    except RecursionError:
        d = error(job.template, None, "template error: templates include each other endlessly")
    except Exception as exc:  # templates are code: any error they raise is the theme's
        where, line = _template_frame(exc, job.template, state.template_files)
        d = error(where, line, f"template error while rendering {job.origin}: {exc}")
    return RenderedPage(path, None, (d,))


def render_chunk(state: RenderState, jobs: Sequence[PageJob]) -> list[RenderedPage]:
    """Render some jobs in one process, each given its metadata just before."""
    return [render_job(state.metadata(job), state) for job in jobs]


RENDER_STAGE: Stage[PageJob, RenderedPage] = Stage("render", prepare_renderer, render_chunk)


def render_pages(
    jobs: Sequence[PageJob], setup: RenderSetup, run: StageRunner
) -> tuple[Spool, list[Diagnostic]]:
    """Render every job: output path → the page as a zlib stream (in a `Spool` in
    `setup.spool`), and each problem once. Templates are compiled ahead only for as many
    pages as worker processes render: a few pages compile only the templates they use (a
    10k one edit's render stage: 0.16 -> 0.13 s)."""
    if len(jobs) < RENDER_STAGE.min_items:
        setup = dataclasses.replace(setup, precompile=False)
    packed = Spool(setup.spool if jobs else None)
    problems: dict[tuple[str, int | None, str], Diagnostic] = {}
    for page in run.each(RENDER_STAGE, setup, jobs):
        if page.packed is not None:
            packed.put(page.path, page.packed)
        for d in page.problems:
            problems.setdefault((d.path, d.line, d.message), d)
    return packed, list(problems.values())


def _template_frame(
    exc: BaseException, default: str, templates: frozenset[str]
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

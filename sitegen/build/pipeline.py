"""The build: the order of its stages, and nothing else.

load → parse → model → images → group → plan → syndication → render → search, in memory;
each stage a function over frozen data returning its value and its diagnostics. Writing is
the caller's choice (`sitegen.build.publish`). With a `BuildCache`, the stages a cache changes
reuse what did not change (`sitegen.build.incremental.reuse`).
"""

from __future__ import annotations

import time

from sitegen.build.collector import rare_full_collections
from sitegen.build.incremental.stores import BuildCache
from sitegen.build.incremental.unchanged import PreviousBuild
from sitegen.build.inputs import start_load
from sitegen.build.progress import Progress
from sitegen.build.result import BuildOptions, BuildResult, BuildStats, SiteFiles
from sitegen.core.config import CONTENT_FOLDER, Site
from sitegen.core.diagnostics import Diagnostic, diagnostic_order, has_errors, warning

__all__ = ["STAGES", "BuildOptions", "BuildResult", "build"]

# The stages in the order `build` runs them; `write` is the caller's (`build.publish`).
STAGES = (
    "load", "parse", "model", "images", "group", "plan", "email", "cards", "syndication",
    "render", "search", "write",
)  # fmt: skip


@rare_full_collections()
def build(
    site: Site,
    options: BuildOptions | None = None,
    *,
    cache: BuildCache | None = None,
    progress: Progress | None = None,
) -> BuildResult:
    """Build the whole site in memory; with a cache, reuse what did not change."""
    started = time.monotonic()
    options = options or BuildOptions()
    progress = progress or Progress()
    check = PreviousBuild(site, options, cache)
    config = site.config

    def failed(problems: list[Diagnostic]) -> BuildResult:
        progress.finish()
        stats = BuildStats(seconds=time.monotonic() - started)
        return BuildResult({}, _sorted(problems), stats, notices=check.notices())

    loading = start_load(site, check.known_sources())
    if ahead := check.recorded():  # a build recorded may equal this one, or differ by edits
        inputs, problems = loading.read_all()
        if not has_errors(problems) and (done := check.reused(inputs, problems, started, progress)):
            return done  # the previous build, or it with the pages of articles edited in place
    # The stages, imported only now: a build that changes nothing needs none of them.
    from sitegen.build.allocator import one_arena
    from sitegen.build.assets import place_static
    from sitegen.build.cards.stage import draw_cards, plan_site_cards
    from sitegen.build.collisions import check_outputs
    from sitegen.build.editions import group_editions
    from sitegen.build.email.stage import plan_emails
    from sitegen.build.images.articles import process_site_images
    from sitegen.build.incremental.reuse import Reuse
    from sitegen.build.incremental.validity import valid_interval
    from sitegen.build.page_plan import plan_pages
    from sitegen.build.pages import model_pages
    from sitegen.build.parallel import StageRunner
    from sitegen.build.plan import plan_site
    from sitegen.build.quick import PageBasis
    from sitegen.build.render import RenderSetup
    from sitegen.build.routes import Routes
    from sitegen.build.syndication.metadata import check_resources
    from sitegen.build.syndication.stage import syndicate

    one_arena()  # the pool's thread takes parse results where the main thread freed sources
    run = StageRunner(options.jobs, progress)
    reuse = Reuse(site, options, cache, check)
    # the parse stage takes each source as load reads it: its bytes are freed once it is parsed
    documents, found, parsed = reuse.parse(loading.sources(), site, run)
    inputs, problems = loading.inputs()  # every source read (by now, if not before)
    if not (ahead or has_errors(problems)):
        reuse.previous_build(inputs)  # no build to equal: records the sources' stamps
    source_count, inputs = len(inputs.sources), inputs.without_sources()
    del loading  # its records of the sources: held no longer than the inputs' own
    documents, pages, paged = model_pages(documents, config, drafts=options.drafts)
    visible, modeled = reuse.model(documents, config)
    del documents
    problems += found + paged + modeled
    if not visible.articles and not has_errors(problems):
        problems.append(warning(CONTENT_FOLDER, None, "no articles to publish"))

    # Even after errors, the articles that did model go through the checks up to rendering
    # (images, aliases, collisions): every problem is reported in one run.
    media = process_site_images(visible.articles, site, pages.pages)
    hidden_until = visible.until  # when a hidden future article comes due
    del visible  # the articles are media's now, their bodies with responsive images
    editions = group_editions(media.articles, config, pages.sections, reuse.related)
    plan, planned = plan_site(editions, media.leads, options.now)
    plan = plan_emails(plan)
    plan, planned = plan_pages(plan, planned, media.pages, pages.hidden)
    problems += [*media.diagnostics, *planned]
    theme_files = inputs.theme.static_files() if inputs.theme else ()
    cards = plan_site_cards(plan, inputs.theme, inputs.static, site, problems)
    syndication = syndicate(plan, cards.shares)
    static = place_static(theme_files, inputs.static, media.files, media.sources)
    syndicated = {p: (d, f"sitegen ({o})") for p, (d, o) in syndication.files.items()}
    problems += cards.diagnostics
    problems += check_outputs(
        plan,
        {**{path: origin for path, (_, origin) in static.files.items()}, **cards.origins()},
        {path: origin for path, (_, origin) in syndication.files.items()},
    )
    if inputs.theme is None or has_errors(problems):
        return failed(problems)

    # metadata is attached as each page renders, so it is never held for the whole site
    # pages wait to be written in a file in the state folder (`RenderSetup.spool`)
    shown = (plan.sites, static.placed, options.now, syndication.metadata, site.state_dir)
    setup = RenderSetup(inputs.theme, config, *shown)
    if options.planned:
        early = {**static.files, **cards.files({}), **syndicated}  # cards drawn before
        others = SiteFiles(list(early), {path: data for path, (data, _) in early.items()})
        options.planned(PageBasis(site, plan, setup, options.drafts, options.future, others))
    rendered, found = reuse.render(plan, setup, syndication.metadata, run)
    if has_errors(problems := problems + found):
        return failed(problems)
    drawn = draw_cards(cards, run)  # after the pages: `serve` shows them without waiting
    problems += drawn.diagnostics
    made = {**static.files, **drawn.files, **syndicated}

    sources = {Routes.output_file(job.path): (job.origin, job.line) for job in plan.jobs}
    sources.update((path, (origin, None)) for path, (_, origin) in made.items())
    problems += check_resources(config, sources)
    search, found = reuse.search(plan)
    if found:
        return failed(problems + found)
    sources.update((path, ("search index", None)) for path in search.files)
    contents = {**rendered.reused, **{p: d for p, (d, _) in made.items()}, **search.files}
    files = SiteFiles(list(sources), contents, rendered.packed, stored=rendered.stored)
    stats = BuildStats(
        len(plan.articles),
        len(plan.jobs),
        len(files),
        media.stats.sources,
        media.stats.processed,
        time.monotonic() - started,
        source_count,
        parsed,
        rendered.rendered,
    )
    run.progress.finish()
    built = BuildResult(
        files,
        _sorted(problems),
        stats,
        plan.articles,
        sources,
        static.fingerprinted(plan.routes.url),
        plan.aliases,
        files.stored,
        reuse.notices(),
        search.key,
        search.pending,
        inputs.theme,
    )
    valid = valid_interval(plan, hidden_until, options.future)
    reuse.finish(built, valid, media.digests, rendered, search)
    return built


def _sorted(problems: list[Diagnostic]) -> tuple[Diagnostic, ...]:
    return tuple(sorted(problems, key=diagnostic_order))

"""The render stage with the page cache: a page whose fingerprint is unchanged is not rendered
again; its bytes are those of the last build."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from sitegen.build.incremental.fingerprints import (
    Fingerprinter,
    TemplateClosure,
    canonical_digest,
    catalogs_digest,
    engine_digest,
    templates_digest,
)
from sitegen.build.incremental.stores import BuildCache
from sitegen.build.model import Article
from sitegen.build.parallel import StageRunner
from sitegen.build.plan import PageJob
from sitegen.build.render import RenderSetup, render_pages
from sitegen.build.routes import Routes
from sitegen.build.syndication.stage import PageMetadata
from sitegen.build.views import ARTICLE_FACTS, View
from sitegen.core.diagnostics import Diagnostic

# What of an email job's context its basis stands for (`KnownInputs.bases`).
EMAIL_CONTEXT = frozenset({"email"})


@dataclass(frozen=True)
class RenderedPages:
    """Every page of a build: `packed`, rendered now (zlib streams); `reused`, unchanged
    since the last build (bytes) and `stored`, unchanged and in the output folder (the file
    holding each). `fingerprints` by output path and `views`, the digest of each article's
    view by source path (only with a cache)."""

    packed: Mapping[str, bytes]
    reused: Mapping[str, bytes]
    stored: Mapping[str, Path]
    fingerprints: dict[str, str]
    views: Mapping[str, str] = dataclasses.field(default_factory=dict)

    @property
    def rendered(self) -> int:
        return len(self.packed)


def render_reusing(
    jobs: Sequence[PageJob],
    setup: RenderSetup,
    run: StageRunner,
    cache: BuildCache | None,
    known: KnownInputs,
) -> tuple[RenderedPages, list[Diagnostic]]:
    """The render stage, rendering only the pages the cache does not hold as they would be."""
    if cache is None:
        packed, problems = render_pages(jobs, setup, run)
        return RenderedPages(packed, {}, {}, {}), problems
    fingerprints, views = page_fingerprints(jobs, setup, cache, known, run)
    reused, stored = cache.reusable_pages(fingerprints)
    todo = [
        job
        for job in jobs
        if (path := Routes.output_file(job.path)) not in stored and path not in reused
    ]
    packed, problems = render_pages(todo, setup, run)
    return RenderedPages(packed, reused, stored, fingerprints, views), problems


@dataclass(frozen=True)
class KnownInputs:
    """What page fingerprints take by key rather than by value.

    `views`: each article's view by source path, `articles` the article each was made from;
    `models`: a source path → (the article its model made, that model's key). A view made
    from that very article is digested with the model key standing for its `ARTICLE_FACTS`
    (the key determines the article, and they are a function of it). Otherwise `bodies`: a
    source path → (the body its parse made, that parse's key); a view whose `html` equals
    that body has the parse key stand for it. Article bodies, most of a site's bytes, are
    never serialised to find what changed. `metadata` gives each page its `meta`; its
    `inputs` are what it adds to the job. `bases`: a job's path → what its `email` is made
    from besides the configuration (`SitePlan.email_bases`), digested in place of it.
    """

    views: Mapping[str, View]
    articles: Mapping[str, Article]
    models: Mapping[str, tuple[Article, str]]
    bodies: Mapping[str, tuple[str, str]]
    metadata: PageMetadata
    bases: Mapping[str, View] = dataclasses.field(default_factory=dict)


def page_fingerprints(
    jobs: Sequence[PageJob],
    setup: RenderSetup,
    cache: BuildCache,
    known: KnownInputs,
    run: StageRunner,
) -> tuple[dict[str, str], dict[str, str]]:
    """Per output file: a digest of everything its bytes are made from; and per article
    (source path), the digest of its view.

    Template closure + the job's context, template, path, kind, date, listed items and
    `meta` + what its metadata is made from (`PageMetadata.inputs`, the publisher) + `site`
    + the config + translations + where static files were placed (`asset()`) +
    `engine_digest()`. Equal fingerprints mean equal bytes, because rendering is a pure
    function of exactly these. Template closures come from the cache when the templates
    are the same (`templates_digest`).
    """
    run.progress.start("compare", len(jobs))
    fingerprinter = Fingerprinter()
    for path, view in known.views.items():
        model = known.models.get(path)
        if model is not None and known.articles.get(path) is model[0]:
            fingerprinter.stand_in(view, ARTICLE_FACTS, "model:" + model[1])
            continue
        body = known.bodies.get(path)
        if body is not None and view["html"] == body[0]:
            fingerprinter.stand_in(view, ("html",), "parse:" + body[1])
    templates = templates_digest(setup.theme)
    closures = TemplateClosure(setup.theme, setup.now.isoformat(), _closure_table(cache, templates))
    shared = canonical_digest(
        [
            engine_digest(),
            repr(setup.config),
            catalogs_digest(setup.theme),
            setup.placed,
            dataclasses.astuple(known.metadata.publisher),
            fingerprinter.digest(dict(setup.sites)),
        ]
    )
    fingerprints = {}
    digest, inputs = fingerprinter.digest, known.metadata.inputs
    bases = known.bases
    for job in jobs:
        if (basis := bases.get(job.path)) is not None:  # a day's email: by the views in it
            fingerprinter.stand_in(job.context, EMAIL_CONTEXT, "email:" + digest(basis))
        fingerprints[Routes.output_file(job.path)] = fingerprinter.combine(
            (
                shared,
                closures.digest(job.template),
                job.template,
                job.path,
                job.kind,
                digest(job.modified),
                digest(job.context),
                digest(job.items),  # views, alive as long as the jobs
                digest(job.meta),
                *map(digest, inputs(job)),  # parts are length-prefixed: any number is unambiguous
            )
        )
    cache.keep_memo("closures", templates, closures.table())
    run.progress.advance(len(jobs))
    return fingerprints, {path: digest(view) for path, view in known.views.items()}


def _closure_table(cache: BuildCache, templates: str) -> dict[str, tuple[str, bool]] | None:
    """The closure table kept for these templates, None when there is none (or it is corrupt)."""
    found = cache.memo("closures", templates)
    try:
        return {name: (str(d), bool(clock)) for name, (d, clock) in found.items()}
    except (AttributeError, TypeError, ValueError):
        return None

"""The render stage with the page cache: a page whose fingerprint is unchanged is not rendered
again; its bytes are those of the last build."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sitegen.build.incremental.fingerprints import (
    Fingerprinter,
    TemplateClosure,
    canonical_digest,
    catalogs_digest,
    engine_digest,
)
from sitegen.build.incremental.stores import BuildCache
from sitegen.build.parallel import Stage, StageRunner
from sitegen.build.plan import PageJob
from sitegen.build.render import RenderSetup, render_pages
from sitegen.build.routes import Routes
from sitegen.build.theme import Theme
from sitegen.core.diagnostics import Diagnostic


@dataclass(frozen=True)
class RenderedPages:
    """Every page of a build: `packed`, rendered now (zlib-compressed); `reused`, unchanged
    since the last build (bytes, or the output file holding them). `fingerprints` by output
    path (only with a cache)."""

    packed: dict[str, bytes]
    reused: dict[str, bytes | Path]
    fingerprints: dict[str, str]

    @property
    def rendered(self) -> int:
        return len(self.packed)


def render_reusing(
    jobs: Sequence[PageJob], setup: RenderSetup, run: StageRunner, cache: BuildCache | None
) -> tuple[RenderedPages, list[Diagnostic]]:
    """The render stage, rendering only the pages the cache does not hold as they would be."""
    fingerprints = page_fingerprints(jobs, setup, run) if cache else {}
    reused: dict[str, bytes | Path] = {}
    todo: list[PageJob] = []
    for job in jobs:
        path = Routes.output_file(job.path)
        found = cache.reusable_page(path, fingerprints[path]) if cache else None
        if found is None:
            todo.append(job)
        else:
            reused[path] = found
    packed, problems = render_pages(todo, setup, run)
    return RenderedPages(packed, reused, fingerprints), problems


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
    "compare", prepare_fingerprints, fingerprint_chunk, inherit_only=True
)


def page_fingerprints(
    jobs: Sequence[PageJob], setup: RenderSetup, run: StageRunner
) -> dict[str, str]:
    """Per output file: a digest of everything its bytes are made from.

    Template closure + the job's context, template, path, kind, date and listed items + its
    metadata + `site` + the config + translations + where static files were placed
    (`asset()`) + `engine_digest()`. Equal fingerprints mean equal bytes, because rendering is
    a pure function of exactly these.
    """
    shared = canonical_digest(
        [engine_digest(), repr(setup.config), catalogs_digest(setup.theme), setup.placed]
    ) + Fingerprinter().digest(setup.site)
    digests = run(
        FINGERPRINT_STAGE, FingerprintSetup(setup.theme, shared, setup.now, setup.metadata), jobs
    )
    return {Routes.output_file(j.path): d for j, d in zip(jobs, digests, strict=True)}

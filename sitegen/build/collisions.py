"""The plan's collision policy: two things writing one output path (pages, redirect pages,
static files, files sitegen makes without a template) are errors naming both. Pure."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sitegen.build.plan import PageJob, SitePlan
from sitegen.build.routes import Routes
from sitegen.core.diagnostics import Diagnostic, error


def check_outputs(
    plan: SitePlan,
    static: Mapping[str, str],
    generated: Mapping[str, str],
) -> list[Diagnostic]:
    """Everything written to one output path twice, as errors.

    `static` maps a static file's output path to its source; `generated` a file sitegen makes
    without a template (JSON feed, sitemap, robots.txt) to the setting that makes it.
    """
    problems = []
    others = dict(static)
    for path, origin in generated.items():
        if path in others:
            hint = (
                f"set '{origin}: false' in sitegen.yaml to publish your own"
                if "." in origin
                else "sitegen makes this file; remove yours"
            )
            message = f"{path} is also made by sitegen ({origin})"
            problems.append(error(others[path], None, message, hint))
        others[path] = f"sitegen ({origin})"
    return problems + check_collisions(plan.jobs, others)


def check_collisions(jobs: Sequence[PageJob], extra: dict[str, str]) -> list[Diagnostic]:
    """Two pages (or a page and a static file) writing one path: an error naming both,
    reported at the later source, and at the `aliases` line when one is a redirect page."""
    owners: dict[str, PageJob] = {}
    problems = []
    for job in jobs:
        out = Routes.output_file(job.path)
        first = owners.setdefault(out, job)
        if first is job:
            continue
        # reported at the later source; an alias's redirect page yields to any other page, and
        # a standalone page to any but those (it is the one with a slug to change)
        order = {"redirect": 2, "page": 1}
        a, b = sorted((first, job), key=lambda j: (order.get(j.kind, 0), j.origin, j.line or 0))
        where = f"{a.origin}:{a.line}" if a.line else a.origin
        hint = None
        if a.kind == b.kind == "topic":
            names = " and ".join(repr(j.context["topic"]["name"]) for j in (b, a))
            hint = f"topics {names} have one URL slug: spell them the same way"
        problems.append(error(b.origin, b.line, f"{out} is also written by {where}", hint))
    for out, origin in extra.items():
        if out in owners:
            problems.append(error(origin, None, f"{out} is also a page ({owners[out].origin})"))
    sources = {out: (job.origin, job.line) for out, job in owners.items()}
    sources.update({out: (origin, None) for out, origin in extra.items() if out not in sources})
    problems += _files_in_files(sources)
    return problems


def _files_in_files(sources: dict[str, tuple[str, int | None]]) -> list[Diagnostic]:
    """Output files that would need a folder where another output is a file."""
    problems = []
    for out, (origin, line) in sources.items():
        parts = out.split("/")
        for depth in range(1, len(parts)):
            folder = "/".join(parts[:depth])
            if folder in sources:
                owner, owner_line = sources[folder]
                where = f"{owner}:{owner_line}" if owner_line else owner
                message = f"{out} needs a folder {folder}/ where {where} writes a file"
                problems.append(error(origin, line, message))
                break
    return problems

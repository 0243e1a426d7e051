"""The standalone pages in the plan: a `page.html` job and redirect pages for each page
(`sitegen.build.pages`), and the menu (`sitegen.build.menu`) on every page. Pure.

Pages come after the rest of the plan; their paths meet the other outputs' in the plan's
collision checks (`sitegen.build.collisions.check_outputs`), at the page's `slug` (or `title`) line.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Sequence

from markupsafe import Markup

from sitegen.build.aliases import alias_paths, check_aliases
from sitegen.build.menu import resolve_menu
from sitegen.build.pages import Page
from sitegen.build.plan import PageJob, SitePlan, redirect_pages, with_context
from sitegen.build.routes import Routes
from sitegen.build.views import View
from sitegen.core.diagnostics import Diagnostic
from sitegen.core.languages import direction_of


def page_view(page: Page, routes: Routes) -> View:
    """What `page.html` sees as `document`."""
    path = routes.page(page.slug)
    return {
        "title": page.title,
        "url": routes.url(path),
        "absolute_url": routes.absolute(path),
        "source_path": page.path,
        "summary": page.summary,
        "html": page.html if isinstance(page.html, Markup) else Markup(page.html),
        "word_count": page.word_count,
        "updated": page.updated,
        "lang": page.lang,
        "dir": page.dir or (direction_of(page.lang) if page.lang else None),
        "extra": page.extra,
    }


def plan_pages(
    plan: SitePlan,
    planned: list[Diagnostic],
    pages: Sequence[Page],
    hidden: Collection[Page],
) -> tuple[SitePlan, list[Diagnostic]]:
    """The plan with the pages' jobs and every job's `menu` (the default language's pages':
    a further language's show its topics instead); `planned` are the plan's diagnostics,
    returned with the pages' and the menu's; `hidden`: pages left out (drafts)."""
    routes = plan.routes
    views = {page.path: page_view(page, routes) for page in pages}
    jobs = [*plan.jobs]
    for page in pages:
        jobs.append(
            PageJob(
                routes.page(page.slug),
                "page.html",
                {"document": views[page.path]},
                page.path,
                page.lines.get("slug") or page.lines.get("title"),
                kind="page",
                modified=page.updated,
            )
        )
    for page in pages:
        jobs += redirect_pages(page, views[page.path], routes)
    topics = plan.index.topic_by_name.values()
    menu, problems = resolve_menu(plan.config, pages, hidden, topics, routes)
    aliases = tuple(
        (routes.url(path), views[page.path]["url"])
        for page in pages
        for path in alias_paths(page, routes)
    )
    planned_site = dataclasses.replace(
        plan,
        jobs=tuple(
            with_context(
                job, {**job.context, "menu": [] if job.language else menu.for_path(job.path)}
            )
            for job in jobs
        ),
        aliases=plan.aliases + aliases,
    )
    return planned_site, [*planned, *check_aliases(pages, routes), *problems]

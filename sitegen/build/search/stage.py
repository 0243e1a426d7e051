"""The search stage: SitePlan → the records of the search index, and the problem a failed
index is reported as (the partitions are made by `sitegen.build.search.partitions`, through
the build cache in `sitegen.build.incremental.reuse`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sitegen.build.plan import SitePlan
from sitegen.build.views import View
from sitegen.core.config import CONFIG_FILE, SiteConfig
from sitegen.core.diagnostics import Diagnostic, error
from sitegen.core.languages import language_tag

if TYPE_CHECKING:  # the index's modules (Pagefind, CBOR) are imported when a site has one
    from sitegen.build.search.index import SearchIndexError, SearchRecord


def search_records(plan: SitePlan) -> list[SearchRecord]:
    """What the search index sees of each article and standalone page: its title and body,
    nothing else (none when the site has no search)."""
    if not plan.config.search:
        return []
    from sitegen.build.search.index import SearchRecord

    records = [
        article_record(plan.views[article.path], edition.key, edition.config)
        for edition in plan.editions  # each language its index: its search page's language
        for article in edition.index.articles
    ]
    language = language_tag(plan.config.language)
    for job in plan.jobs:
        if job.kind == "page":  # standalone pages: no date, no topic
            page = job.context["document"]
            records.append(
                SearchRecord(
                    url=page["url"], title=page["title"], body=page["html"], language=language
                )
            )
    return records


def article_record(view: View, edition: str, config: SiteConfig) -> SearchRecord:
    """What the search index sees of an article: its view's URL, title, body, date and topic,
    in the language of its edition (`edition`, its key; `config`, its configuration)."""
    from sitegen.build.search.index import SearchRecord

    return SearchRecord(
        url=view["url"],
        title=view["title"],
        body=view["html"],  # the view's own string, not a copy of it
        language=language_tag(config.language),
        edition=edition,
        date=view["date"].isoformat(),
        topic=view["topic"]["name"] if view["topic"] else None,
    )


def index_problem(exc: SearchIndexError) -> Diagnostic:
    """A failed search index as the build reports it: one line naming what failed."""
    return error(CONFIG_FILE, None, str(exc), "set 'search: false' to build without it")

"""The search stage: SitePlan → the records of the search index, and the index's files."""

from __future__ import annotations

from collections.abc import Sequence

from sitegen.build.plan import SitePlan
from sitegen.build.search.index import SearchIndexError, SearchRecord, build_search_index
from sitegen.core.config import CONFIG_FILE
from sitegen.core.diagnostics import Diagnostic, error
from sitegen.core.languages import language_tag


def search_records(plan: SitePlan) -> list[SearchRecord]:
    """What the search index sees of each article: its title and body, nothing else (none
    when the site has no search)."""
    if not plan.config.search:
        return []
    language = language_tag(plan.config.language)  # one index: the search page's language
    records = []
    for article in plan.index.articles:
        view = plan.views[article.path]
        records.append(
            SearchRecord(
                url=view["url"],
                title=view["title"],
                body=str(view["html"]),
                language=language,
                date=view["date"].isoformat(),
                topic=view["topic"]["name"] if view["topic"] else None,
            )
        )
    return records


def make_search_index(
    records: Sequence[SearchRecord],
) -> tuple[dict[str, bytes] | None, list[Diagnostic]]:
    """The index's files (path → bytes), or None and the error when Pagefind failed."""
    try:
        return build_search_index(records), []
    except SearchIndexError as exc:
        hint = "set 'search: false' to build without it"
        return None, [error(CONFIG_FILE, None, str(exc), hint)]

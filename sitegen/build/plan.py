"""The plan stage: SiteIndex → SitePlan, every page of the site decided once, as frozen data.

`plan_site` makes the views (`sitegen.build.views`), the feeds' data, and one `PageJob` per
page: template + plain-data context + where it goes (a path from `sitegen.build.routes`).
Syndication, render and search take what they show of the site from the plan.
The collision policy (two things writing one output path) is `sitegen.build.collisions`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sitegen.build.aliases import alias_paths, check_aliases
from sitegen.build.editions import Edition, edition_problems, language_links, translation_links
from sitegen.build.feeds import FeedMaker
from sitegen.build.group import SiteIndex
from sitegen.build.model import Article
from sitegen.build.pages import Page
from sitegen.build.routes import FeedKind, Routes
from sitegen.build.views import View, Views, article_paths
from sitegen.core.config import SiteConfig
from sitegen.core.diagnostics import Diagnostic

TOPIC_HEADLINES = 5  # latest articles shown per topic on the topics index
FEED_TEMPLATES: dict[FeedKind, str] = {"atom": "feed.xml", "rss": "rss.xml"}


@dataclass(frozen=True)
class PageJob:
    """One page to render: where it goes, with which template and context.

    `origin` and `line` name what the page comes from (an article, or a description such as
    `home page 1`); `modified` is when the page's content last changed (sitemaps); `items` are
    the article views a digest lists, in order (its JSON-LD `ItemList`); `meta` is the page's
    metadata (`sitegen.build.syndication.stage.PageMetadata`), reaching templates as `page.meta`;
    `language` the edition it belongs to (its key in `languages:`, '' for the default).
    """

    path: str
    template: str
    context: dict[str, Any]
    origin: str = ""
    line: int | None = None
    kind: str = field(default="page")
    modified: dt.datetime | None = None
    items: tuple[dict[str, Any], ...] = ()
    meta: dict[str, Any] = field(default_factory=dict)
    language: str = ""


def with_context(job: PageJob, context: dict[str, Any]) -> PageJob:
    """`job` with another context: `dataclasses.replace` without its work per field, which
    cost more than the rest of giving 12,700 jobs their menu."""
    made = object.__new__(PageJob)
    made.__dict__.update(job.__dict__, context=context)
    return made


@dataclass(frozen=True)
class SitePlan:
    """The planned site, built at time `now`.

    - `index`: the default language's grouped articles; `routes`: its URL maker; `config`
      the site's configuration.
    - `editions`: every language's (`sitegen.build.editions`), the default's first; `sites`
      each one's `site` view by its key.
    - `article_paths`, `views`: an article's source path → its page's path, its view.
    - `leads`: an article's source path → its lead image data (the images stage).
    - `feed_kinds`: the feed formats published (none without an absolute `base_url`);
      `feeds`: the path of a feed's HTML listing ('' for the site) → the feed's data.
    - `jobs`: every page in output order: theme pages, redirect pages at articles' old URLs,
      then Atom and RSS feeds.
    - `site`: what every template of the default language sees as `site`.
    - `aliases`: (old URL, article URL) of every redirect page.
    - `email_bases`: a day's email job's path → what its context is made from, besides the
      configuration (`sitegen.build.email.stage.email_basis`).
    """

    config: SiteConfig
    now: dt.datetime
    index: SiteIndex
    routes: Routes
    article_paths: Mapping[str, str]
    views: Mapping[str, View]
    leads: Mapping[str, View]
    feed_kinds: tuple[FeedKind, ...]
    feeds: Mapping[str, View]
    jobs: tuple[PageJob, ...]
    site: View
    aliases: tuple[tuple[str, str], ...]
    editions: tuple[Edition, ...] = ()
    sites: Mapping[str, View] = field(default_factory=dict)
    email_bases: Mapping[str, View] = field(default_factory=dict)

    @property
    def articles(self) -> tuple[Article, ...]:
        """Every article of the site, in every language."""
        return tuple(a for e in self.editions for a in e.index.articles) or self.index.articles


def plan_site(
    editions: tuple[Edition, ...], leads: Mapping[str, View], now: dt.datetime
) -> tuple[SitePlan, list[Diagnostic]]:
    """Plan every page of the site, each language's in turn; the diagnostics are the aliases
    no redirect page can serve and the editions' warnings (`edition_problems`)."""
    default = editions[0]
    config, routes = default.config, default.routes
    paths = {e.key: article_paths(e.index, e.routes) for e in editions}
    translations = translation_links(editions, paths)
    kinds: tuple[FeedKind, ...] = ()
    jobs: list[PageJob] = []
    views_of: dict[str, View] = {}
    feeds: dict[str, View] = {}
    sites: dict[str, View] = {}
    for edition in editions:
        views = Views(edition.index, edition.config, edition.routes, leads, translations)
        maker = FeedMaker(edition.index, edition.config, edition.routes, views.article_paths, leads)
        kinds = tuple(maker.kinds()) if config.origin else ()
        scopes = maker.scopes() if kinds else ()
        made = {scope.page: maker.feed(scope, now) for scope in scopes}
        site_feed = made.get(edition.routes.home())
        sites[edition.key] = views.site_view(
            {kind: site_feed["links"][kind] for kind in kinds} if site_feed else {},
            language_links(editions, edition.key),
        )
        planned = (
            *_theme_pages(views),
            *_redirect_pages(views),
            *_feed_pages(made, kinds, edition.routes),
        )
        if edition.key:
            planned = tuple(dataclasses.replace(job, language=edition.key) for job in planned)
        jobs += planned
        views_of.update(views.articles)
        feeds.update(made)
    articles = [a for e in editions for a in e.index.articles]
    aliases = tuple(
        (routes.url(path), views_of[a.path]["url"])
        for a in articles
        for path in alias_paths(a, routes)
    )
    plan = SitePlan(
        config,
        now,
        default.index,
        routes,
        {path: page for found in paths.values() for path, page in found.items()},
        views_of,
        leads,
        kinds,
        feeds,
        tuple(jobs),
        sites[""],
        aliases,
        editions,
        sites,
    )
    return plan, check_aliases(articles, routes) + edition_problems(editions)


def newest_change(articles: Iterable[Article]) -> dt.datetime | None:
    """The latest `modified` of some articles (None for none)."""
    return max((a.modified for a in articles), default=None)


def _latest(moments: Iterable[dt.datetime | None]) -> dt.datetime | None:
    """The latest of some days' changes (`newest_change` of all their articles)."""
    return max((m for m in moments if m is not None), default=None)


def chunks(items: Sequence[Any], size: int) -> list[Sequence[Any]]:
    """Split a list into pages of `size` (at least one page, maybe empty)."""
    return [items[i : i + size] for i in range(0, len(items), size)] or [items[:0]]


def _theme_pages(views: Views) -> Iterator[PageJob]:
    newest = {day.date: newest_change(day.articles) for day in views.index.days}
    yield from _home_pages(views)
    yield from _article_pages(views)
    yield from _day_pages(views, newest)
    yield from _calendar_pages(views, newest)
    yield from _topic_pages(views)
    yield from _tag_pages(views)
    if views.config.search and views.index.articles:
        yield _search_page(views)
    yield PageJob(views.routes.not_found(), "404.html", {}, "404 page", kind="404")


def _search_page(views: Views) -> PageJob:
    """The search page: the site's months (date filters) and days (result dates)."""
    return PageJob(
        views.routes.search(),
        "search.html",
        {
            "months": [views.month_link(m) for m in reversed(views.index.months)],
            "days": [d.date for d in views.index.days],
        },
        "search page",
        kind="search",
    )


def _home_pages(views: Views) -> Iterator[PageJob]:
    days, routes = views.index.days, views.routes
    latest = days[0] if days else None
    older = chunks(days[1:], views.config.paginate.days)
    breaking = [views.articles[a.path] for a in (latest.articles if latest else ()) if a.breaking]
    for number, page_days in enumerate(older, start=1):
        listed = [*(latest.articles if latest and number == 1 else ())]
        listed += [a for d in page_days for a in d.headlines]
        yield PageJob(
            routes.home(number),
            "index.html",
            {
                "latest": views.day_view(latest) if latest and number == 1 else None,
                "breaking": breaking if number == 1 else [],
                "days": [views.day_summary(d) for d in page_days],
                "pager": views.pager(number, len(older), routes.home),
            },
            f"home page {number}",
            kind="home",
            modified=newest_change(listed),
            items=tuple(views.of(listed)),
        )


def _article_pages(views: Views) -> Iterator[PageJob]:
    articles = views.index.articles  # newest first
    for i, article in enumerate(articles):
        older = articles[i + 1] if i + 1 < len(articles) else None
        newer = articles[i - 1] if i > 0 else None
        yield PageJob(
            views.article_paths[article.path],
            "article.html",
            {
                "article": views.articles[article.path],
                "prev": views.articles[older.path] if older else None,
                "next": views.articles[newer.path] if newer else None,
                "related": views.of(views.index.related[article.path]),
            },
            article.path,
            article.lines.get("slug") or article.lines.get("title"),
            kind="article",
            modified=article.modified,
        )


def _day_pages(views: Views, newest: Mapping[dt.date, dt.datetime | None]) -> Iterator[PageJob]:
    days = views.index.days
    for i, day in enumerate(days):
        older = days[i + 1] if i + 1 < len(days) else None
        newer = days[i - 1] if i > 0 else None
        yield PageJob(
            views.routes.day(day.date),
            "day.html",
            {
                "day": views.day_view(day),
                "breaking": [views.articles[a.path] for a in day.articles if a.breaking],
                "prev": views.day_summary(older) if older else None,
                "next": views.day_summary(newer) if newer else None,
            },
            f"day {day.date}",
            kind="day",
            modified=newest[day.date],
            items=tuple(views.of(day.articles)),
        )


def _calendar_pages(
    views: Views, newest: Mapping[dt.date, dt.datetime | None]
) -> Iterator[PageJob]:
    """Month and year archives; `newest`: each day's latest change."""
    months, routes = views.index.months, views.routes
    for i, month in enumerate(months):
        older = months[i + 1] if i + 1 < len(months) else None
        newer = months[i - 1] if i > 0 else None
        yield PageJob(
            routes.month(month.year, month.month),
            "month.html",
            {
                "month": views.month_view(month),
                "prev": views.month_link(older) if older else None,
                "next": views.month_link(newer) if newer else None,
            },
            f"month {month.year}-{month.month:02d}",
            kind="month",
            modified=_latest(newest[d.date] for d in month.days),
            items=tuple(views.of([a for d in month.days for a in d.headlines])),
        )
    for year in views.index.years:
        yield PageJob(
            routes.year(year.year),
            "year.html",
            {"year": views.year_view(year)},
            f"year {year.year}",
            kind="year",
            modified=_latest(newest[d.date] for m in year.months for d in m.days),
        )


def _topic_pages(views: Views) -> Iterator[PageJob]:
    groups, routes = views.index.topics, views.routes
    yield PageJob(
        routes.topics(),
        "topics.html",
        {
            "topics": [
                {
                    "topic": views.topics[g.topic.name],
                    "count": len(g.articles),
                    "latest": views.of(g.articles[:TOPIC_HEADLINES]),
                }
                for g in groups
            ]
        },
        "topics index",
        kind="topics",
        modified=newest_change(a for g in groups for a in g.articles),
    )
    for group in groups:
        slug = group.topic.slug
        yield from _paged_listing(
            views,
            "topic",
            views.topics[group.topic.name],
            group.articles,
            lambda n, s=slug: routes.topic(s, n),
            group.topic.origin or f"topic {group.topic.name!r}",
            group.topic.line,
        )


def _tag_pages(views: Views) -> Iterator[PageJob]:
    groups, routes = views.index.tags, views.routes
    yield PageJob(
        routes.tags(),
        "tags.html",
        {"tags": [{"tag": views.tags[g.tag.slug], "count": len(g.articles)} for g in groups]},
        "tags index",
        kind="tags",
        modified=newest_change(a for g in groups for a in g.articles),
    )
    for group in groups:
        slug = group.tag.slug
        yield from _paged_listing(
            views,
            "tag",
            views.tags[slug],
            group.articles,
            lambda n, s=slug: routes.tag(s, n),
            f"tag {group.tag.name!r}",
        )


def _paged_listing(
    views: Views,
    kind: str,
    subject: View,
    articles: Sequence[Article],
    page_path: Callable[[int], str],
    origin: str,
    line: int | None = None,
) -> Iterator[PageJob]:
    """The pages of one topic or tag (`kind`, its template `<kind>.html`): its articles,
    paginated; the context names the topic or tag under `kind`."""
    pages = chunks(articles, views.config.paginate.articles)
    for number, items in enumerate(pages, start=1):
        listed = views.of(items)
        yield PageJob(
            page_path(number),
            f"{kind}.html",
            {
                kind: subject,
                "count": len(articles),
                "articles": listed,
                "pager": views.pager(number, len(pages), page_path),
            },
            origin,
            line,
            kind=kind,
            modified=newest_change(items),
            items=tuple(listed),
        )


def _redirect_pages(views: Views) -> Iterator[PageJob]:
    """A page at each old URL of an article, sending readers and crawlers to it."""
    for article in views.index.articles:
        yield from redirect_pages(article, views.articles[article.path], views.routes)


def redirect_pages(source: Article | Page, view: View, routes: Routes) -> Iterator[PageJob]:
    """A redirect page at each usable old URL (`aliases`) of an article or a page (`view`)."""
    target = {
        "title": view["title"],
        "url": view["url"],
        "absolute_url": view["absolute_url"],
        "kind": "article" if isinstance(source, Article) else "page",
    }
    for path in alias_paths(source, routes):
        yield PageJob(
            path,
            "redirect.html",
            {"target": target},
            source.path,
            source.lines.get("aliases"),
            kind="redirect",
            meta={"noindex": True},
        )


def _feed_pages(
    feeds: Mapping[str, View], kinds: tuple[FeedKind, ...], routes: Routes
) -> Iterator[PageJob]:
    """Atom and RSS feeds, rendered by the theme's `feed.xml` and `rss.xml`."""
    for page, feed in feeds.items():
        for kind in kinds:
            if kind in FEED_TEMPLATES:
                yield PageJob(
                    routes.feed(kind, page),
                    FEED_TEMPLATES[kind],
                    {"feed": feed},
                    f"{feed['kind']} feed {feed['title']!r}",
                    kind="feed",
                )

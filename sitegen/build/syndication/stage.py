"""How feed readers, aggregators and search engines find the site: feeds, sitemaps,
`robots.txt`, page metadata and redirect pages at articles' old URLs. Pure.

`Discovery` works on the Planner's views: it adds the feed and redirect jobs, gives each
page job its metadata as it is rendered, and makes the files no template renders (JSON
Feed, sitemaps, `robots.txt`). Feeds and sitemaps need absolute URLs, so without a full `base_url` they are
not made (the pipeline warns).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

from sitegen.build.render import PageJob, Planner
from sitegen.build.routes import FeedKind
from sitegen.build.syndication.aliases import alias_paths
from sitegen.build.syndication.feeds import FeedMaker, json_feed
from sitegen.build.syndication.metadata import Publisher, page_metadata
from sitegen.build.syndication.sitemaps import (
    NewsEntry,
    SitemapEntry,
    news_language,
    news_sitemap,
    recent,
    robots_txt,
    sitemap_files,
)
from sitegen.core.config import language_tag

FEED_TYPES: dict[FeedKind, str] = {
    "atom": "application/atom+xml",
    "rss": "application/rss+xml",
    "json": "application/feed+json",
}
FEED_LABELS: dict[FeedKind, str] = {
    "atom": "{title}",
    "rss": "{title} (RSS)",
    "json": "{title} (JSON Feed)",
}
FEED_TEMPLATES: dict[FeedKind, str] = {"atom": "feed.xml", "rss": "rss.xml"}
# Pages that are not listed in sitemaps.
UNLISTED_KINDS = frozenset({"404", "redirect", "feed", "search"})


class Discovery:
    """Feeds, sitemaps and metadata of one planned site, built at time `now`."""

    def __init__(self, planner: Planner, now: dt.datetime) -> None:
        self.planner = planner
        self.config = planner.config
        self.routes = planner.routes
        self.now = now
        self.publisher = Publisher.of(self.config, self.routes)
        self.absolute_urls = bool(self.config.origin)
        maker = FeedMaker(
            planner.index, self.config, self.routes, planner.article_paths, planner.images
        )
        self.kinds = maker.kinds() if self.absolute_urls else []
        self.feeds = {
            scope.page: maker.feed(scope, now) for scope in (maker.scopes() if self.kinds else ())
        }
        self.links = {  # autodiscovery links of each feed page
            page: [
                {
                    "type": FEED_TYPES[kind],
                    "href": feed["links"][kind],
                    "title": FEED_LABELS[kind].format(title=feed["title"]),
                }
                for kind in self.kinds
            ]
            for page, feed in self.feeds.items()
        }
        self.alternates = self._translations()

    # -- pages ------------------------------------------------------------------------------
    def jobs(self, pages: Iterable[PageJob]) -> Iterator[PageJob]:
        """`pages`, then the redirect pages and the XML feeds."""
        yield from pages
        yield from self.redirect_pages()
        yield from self.feed_pages()

    def with_metadata(self, job: PageJob) -> PageJob:
        """The job with its `meta` (`page.meta` in templates); feeds and redirect pages
        keep theirs."""
        if job.kind in ("feed", "redirect"):
            return job
        context = job.context
        article = context["article"] if job.kind == "article" else None
        scope = context[job.kind] if job.kind in ("topic", "tag") else None
        meta = page_metadata(
            kind=job.kind,
            url=article["absolute_url"] if article else self.routes.absolute(job.path),
            publisher=self.publisher,
            article=article,
            name=scope["name"] if scope else None,
            items=job.items,
            feeds=self.feed_links(job),
            alternates=self.alternates.get(article["source_path"], []) if article else [],
        )
        return dataclasses.replace(job, meta=meta)

    def feed_links(self, job: PageJob) -> list[dict[str, str]]:
        """Autodiscovery links: the site's feeds, then those of the page's topic or tag."""
        pages = [""]
        if job.kind == "topic":
            pages.append(self.routes.topic(job.context["topic"]["slug"]))
        elif job.kind == "tag":
            pages.append(self.routes.tag(job.context["tag"]["slug"]))
        elif job.kind == "article" and job.context["article"]["topic"]:
            pages.append(self.routes.topic(job.context["article"]["topic"]["slug"]))
        return [link for page in pages for link in self.links.get(page, ())]

    def redirect_pages(self) -> Iterator[PageJob]:
        """A page at each old URL of an article, sending readers and crawlers to it."""
        planner = self.planner
        for article in planner.index.articles:
            view = planner.views[article.path]
            target = {
                "title": view["title"],
                "url": view["url"],
                "absolute_url": view["absolute_url"],
            }
            for path in alias_paths(article, self.routes):
                yield PageJob(
                    path,
                    "redirect.html",
                    {"target": target},
                    article.path,
                    article.lines.get("aliases"),
                    kind="redirect",
                    meta={"noindex": True},
                )

    def feed_pages(self) -> Iterator[PageJob]:
        """Atom and RSS feeds, rendered by the theme's `feed.xml` and `rss.xml`."""
        for page, feed in self.feeds.items():
            for kind in self.kinds:
                if kind in FEED_TEMPLATES:
                    yield PageJob(
                        self.routes.feed(kind, page),
                        FEED_TEMPLATES[kind],
                        {"feed": feed},
                        f"{feed['kind']} feed {feed['title']!r}",
                        kind="feed",
                    )

    # -- files ------------------------------------------------------------------------------
    def files(self, jobs: Iterable[PageJob]) -> dict[str, tuple[bytes, str]]:
        """JSON feeds, sitemaps and `robots.txt`: output path → (bytes, what makes it)."""
        if not self.absolute_urls:
            return {}
        routes, settings = self.routes, self.config.sitemap
        found: dict[str, tuple[bytes, str]] = {}
        if "json" in self.kinds:
            for page, feed in self.feeds.items():
                found[routes.feed("json", page)] = (json_feed(feed), "feeds.json")
        entries = [
            SitemapEntry(routes.absolute(job.path), job.modified)
            for job in jobs
            if job.kind not in UNLISTED_KINDS
        ]
        for path, data in sitemap_files(entries, routes, settings.max_urls).items():
            found[path] = (data, "sitemap")
        sitemaps = [routes.absolute(routes.sitemap())]
        if settings.news:
            news = self.news_entries()
            if news:
                language = news_language(self.config.language)
                data = news_sitemap(news, self.publisher.name, language)
                found[routes.news_sitemap()] = (data, "sitemap.news")
                sitemaps.append(routes.absolute(routes.news_sitemap()))
        if settings.robots:
            found[routes.robots()] = (robots_txt(sitemaps), "sitemap.robots")
        return found

    def news_entries(self) -> list[NewsEntry]:
        """Articles published in the last `sitemap.news_hours` before the build."""
        views = self.planner.views
        entries = [
            NewsEntry(views[a.path]["absolute_url"], a.title, a.date)
            for a in self.planner.index.articles
        ]
        return recent(entries, self.now, self.config.sitemap.news_hours)

    def site_feeds(self) -> dict[str, Any]:
        """The site's feed URLs by kind (`atom`, `rss`, `json`), for templates."""
        feed = self.feeds.get("")
        return {kind: feed["links"][kind] for kind in self.kinds} if feed else {}

    def _translations(self) -> dict[str, list[dict[str, str]]]:
        """`hreflang` alternates of articles sharing a `translation_key` in two or more
        languages: article path → [{hreflang, href}] (the first article per language)."""
        groups: dict[str, dict[str, str]] = defaultdict(dict)
        for article in self.planner.index.articles:
            if article.translation_key:
                language = language_tag(article.lang or self.config.language)
                url = self.planner.views[article.path]["absolute_url"]
                groups[article.translation_key].setdefault(language, url)
        found: dict[str, list[dict[str, str]]] = {}
        for article in self.planner.index.articles:
            group = groups.get(article.translation_key or "")
            if group and len(group) > 1:
                found[article.path] = [
                    {"hreflang": lang, "href": href} for lang, href in sorted(group.items())
                ]
        return found

"""The syndication stage: SitePlan → Syndication, how feed readers, aggregators and search
engines find the site. Pure.

It makes the files no template renders (JSON Feed, sitemaps, `robots.txt`) and gives each
page job its metadata as it is rendered (`PageMetadata`). The feeds' data and the redirect
pages at articles' old URLs are in the plan. Feeds and sitemaps need absolute URLs, so without a full `base_url` they are not made.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sitegen.build.email.stage import EMAIL_KIND
from sitegen.build.feeds import json_feed
from sitegen.build.plan import PageJob, SitePlan
from sitegen.build.routes import FeedKind, Routes
from sitegen.build.syndication.metadata import NewsPublisher, page_metadata
from sitegen.build.syndication.sitemaps import (
    NewsEntry,
    SitemapEntry,
    news_since,
    news_sitemap,
    recent,
    robots_txt,
    sitemap_files,
)
from sitegen.core.languages import language_tag, news_language

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
# Pages that are not listed in sitemaps.
UNLISTED_KINDS = frozenset({"404", "redirect", "feed", "search", EMAIL_KIND})

Links = list[dict[str, str]]


@dataclass(frozen=True)
class PageMetadata:
    """Gives a page job its `meta` (`page.meta` in templates) just before it renders, so
    metadata is never held for the whole site. `links`: autodiscovery links by feed page;
    `alternates`: `hreflang` alternates by article source path; `editions`: a further
    language's routes and publisher by its key (the default language's are `routes` and
    `publisher`)."""

    routes: Routes
    publisher: NewsPublisher
    links: Mapping[str, Links]
    alternates: Mapping[str, Links]
    cards: Mapping[str, Mapping[str, Any]] = dataclasses.field(default_factory=dict)
    editions: Mapping[str, tuple[Routes, NewsPublisher]] = dataclasses.field(default_factory=dict)
    # feed links by language and pages: one list per topic, shared by its pages (digested once)
    _shared: dict[tuple[str, ...], Links] = dataclasses.field(
        default_factory=dict, compare=False, repr=False
    )

    def __call__(self, job: PageJob) -> PageJob:
        """The job with its `meta`; feeds, redirect pages and emails keep theirs."""
        if job.kind in ("feed", "redirect", EMAIL_KIND):
            return job
        context = job.context
        article = context["article"] if job.kind == "article" else None
        scope = context[job.kind] if job.kind in ("topic", "tag") else None
        routes, publisher = self.editions.get(job.language, (self.routes, self.publisher))
        meta = page_metadata(
            kind=job.kind,
            url=article["absolute_url"] if article else routes.absolute(job.path),
            publisher=publisher,
            article=article,
            name=scope["name"] if scope else None,
            items=job.items,
            feeds=self.feed_links(job),
            alternates=self.alternates.get(article["source_path"], []) if article else [],
            card=self.cards.get(article["source_path"]) if article else None,
        )
        return dataclasses.replace(job, meta=meta)

    def inputs(self, job: PageJob) -> list[Links]:
        """What `self(job)` makes the job's `meta` from besides the job itself (its kind, path,
        context and items), `routes` and `publisher`: equal inputs, equal `meta`."""
        if job.kind in ("feed", "redirect"):
            return []
        article = job.context["article"] if job.kind == "article" else None
        edition = self.editions.get(job.language)
        return [
            *([dataclasses.astuple(edition[1])] if edition else []),
            self.feed_links(job),
            self.alternates.get(article["source_path"], []) if article else [],
        ]

    def feed_links(self, job: PageJob) -> Links:
        """Autodiscovery links: the site's feeds (in the page's language), then those of the
        page's topic or tag."""
        routes = self.editions[job.language][0] if job.language else self.routes
        pages = [routes.home()]
        if job.kind == "topic":
            pages.append(routes.topic(job.context["topic"]["slug"]))
        elif job.kind == "tag":
            pages.append(routes.tag(job.context["tag"]["slug"]))
        elif job.kind == "article" and job.context["article"]["topic"]:
            pages.append(routes.topic(job.context["article"]["topic"]["slug"]))
        key = (job.language, *pages)
        found = self._shared.get(key)
        if found is None:
            found = self._shared[key] = [link for p in pages for link in self.links.get(p, ())]
        return found


@dataclass(frozen=True)
class Syndication:
    """The stage's result. `files`: output path → (bytes, the setting that makes it);
    `metadata` for the render stage."""

    files: Mapping[str, tuple[bytes, str]]
    metadata: PageMetadata


def syndicate(plan: SitePlan, cards: Mapping[str, Mapping[str, Any]]) -> Syndication:
    """Feeds, sitemaps and metadata of a planned site; `cards`: articles' share cards."""
    links = {
        page: [
            {
                "type": FEED_TYPES[kind],
                "href": feed["links"][kind],
                "title": FEED_LABELS[kind].format(title=feed["title"]),
            }
            for kind in plan.feed_kinds
        ]
        for page, feed in plan.feeds.items()
    }
    publisher = NewsPublisher.of(plan.config, plan.routes)
    editions = {e.key: (e.routes, NewsPublisher.of(e.config, e.routes)) for e in plan.editions}
    editions.pop("", None)
    alternates = _translations(plan)
    metadata = PageMetadata(plan.routes, publisher, links, alternates, cards, editions)
    return Syndication(_files(plan, publisher, news_entries(plan), alternates), metadata)


def _files(
    plan: SitePlan, publisher: NewsPublisher, news: list[NewsEntry], alternates: Mapping[str, Links]
) -> dict[str, tuple[bytes, str]]:
    """JSON feeds, sitemaps and `robots.txt`: output path → (bytes, what makes it); an
    article's sitemap entry names its translations (`alternates` by source path)."""
    if not plan.config.origin:
        return {}
    routes, settings = plan.routes, plan.config.sitemap
    found: dict[str, tuple[bytes, str]] = {}
    if "json" in plan.feed_kinds:
        for page, feed in plan.feeds.items():
            found[routes.feed("json", page)] = (json_feed(feed), "feeds.json")
    entries = []
    for job in plan.jobs:
        if job.kind in UNLISTED_KINDS:
            continue
        if job.kind == "article":  # its view's URL, made from the same path: not again
            url, links = plan.views[job.origin]["absolute_url"], alternates.get(job.origin)
        else:
            url, links = routes.absolute(job.path), None
        pairs = tuple((link["hreflang"], link["href"]) for link in links) if links else ()
        entries.append(SitemapEntry(url, job.modified, pairs))
    for path, data in sitemap_files(entries, routes, settings.max_urls).items():
        found[path] = (data, "sitemap")
    sitemaps = [routes.absolute(routes.sitemap())]
    if settings.news and news:
        language = news_language(plan.config.language)
        found[routes.news_sitemap()] = (
            news_sitemap(news, publisher.name, language),
            "sitemap.news",
        )
        sitemaps.append(routes.absolute(routes.news_sitemap()))
    if settings.robots:
        found[routes.robots()] = (robots_txt(sitemaps), "sitemap.robots")
    return found


def news_entries(plan: SitePlan) -> list[NewsEntry]:
    """Articles published in the last `sitemap.news_hours` before the build."""
    hours = plan.config.sitemap.news_hours
    since = news_since(plan.now, hours)
    fresh = [a for a in plan.articles if since <= a.date <= plan.now]  # most sites: none
    if not fresh:
        return []
    languages = {
        a.path: news_language(e.config.language) for e in plan.editions for a in e.index.articles
    }
    entries = [
        NewsEntry(plan.views[a.path]["absolute_url"], a.title, a.date, languages.get(a.path, ""))
        for a in fresh
    ]
    return recent(entries, plan.now, hours)


def _translations(plan: SitePlan) -> dict[str, Links]:
    """`hreflang` alternates of articles sharing a `translation_key` in two or more
    languages: article path → [{hreflang, href}] (the first article per language)."""
    groups: dict[str, dict[str, str]] = defaultdict(dict)
    for article in plan.articles:
        if article.translation_key:
            language = language_tag(article.lang or plan.config.language)
            url = plan.views[article.path]["absolute_url"]
            groups[article.translation_key].setdefault(language, url)
    found: dict[str, Links] = {}
    for article in plan.articles:
        group = groups.get(article.translation_key or "")
        if group and len(group) > 1:
            found[article.path] = [
                {"hreflang": lang, "href": href} for lang, href in sorted(group.items())
            ]
    return found

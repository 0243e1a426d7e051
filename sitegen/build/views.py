"""The plain-data views templates see: one dict per article, topic and tag, made once and
shared by every page that shows it, and the day, month, year, pager and `site` views built from
them. Every URL in them comes from `sitegen.build.routes`.

Views hold only plain data (dicts, lists, strings, numbers, dates, `Markup`), never objects
that query the site, so a page's context can be fingerprinted and sent to worker processes.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping
from typing import Any

from markupsafe import Markup

from sitegen.build.group import Day, Month, SiteIndex, Tag, Topic, Year
from sitegen.build.model import Article
from sitegen.build.routes import Routes
from sitegen.core.config import SiteConfig
from sitegen.core.languages import direction_of, language_tag
from sitegen.core.text import slugify

WORDS_PER_MINUTE = 180

View = dict[str, Any]


class Views:
    """The views of one grouped site. `articles` maps an article's source path to its view,
    `article_paths` to the path of its page; `topics` (by name) and `tags` (by slug) likewise.
    `leads` maps an article's source path to its lead image data (the images stage)."""

    def __init__(
        self,
        index: SiteIndex,
        config: SiteConfig,
        routes: Routes,
        leads: Mapping[str, View],
        translations: Mapping[str, list[View]] | None = None,
    ) -> None:
        self.index = index
        self.config = config
        self.routes = routes
        self.leads = leads
        self.translations = translations or {}
        self.topics = {t.topic.name: self.topic_view(t.topic) for t in index.topics}
        self.tags = {t.tag.slug: self.tag_view(t.tag) for t in index.tags}
        self.article_paths = article_paths(index, routes)
        self.articles = {a.path: self.article_view(a) for a in index.articles}

    def of(self, articles: tuple[Article, ...] | list[Article]) -> list[View]:
        """The views of some articles, in order."""
        return [self.articles[a.path] for a in articles]

    def topic_view(self, topic: Topic) -> View:
        return {
            "name": topic.name,
            "slug": topic.slug,
            "description": topic.description,
            "body": Markup(topic.body),
            "url": self.routes.url(self.routes.topic(topic.slug)),
        }

    def tag_view(self, tag: Tag) -> View:
        return {
            "name": tag.name,
            "slug": tag.slug,
            "url": self.routes.url(self.routes.tag(tag.slug)),
        }

    def article_view(self, a: Article) -> View:
        """An article's view: its `article_facts` and where it is placed in this site (its
        URLs, topic, tags, lead image and translations)."""
        path = self.article_paths[a.path]
        return {
            **article_facts(a),
            "url": self.routes.url(path),
            "absolute_url": self.routes.absolute(path),
            "day_url": self.routes.url(self.routes.day(a.date.date())),
            "topic": self.topics.get(a.topic) if a.topic else None,
            "tags": [self.tags[s] for s in _tag_slugs(a, self.index)],
            "image": self.leads.get(a.path),
            "translations": self.translations.get(a.path, []),
        }

    def day_view(self, day: Day) -> View:
        """A day digest: its lead story and its sections, each with its articles after the lead."""
        return {
            "date": day.date,
            "url": self.routes.url(self.routes.day(day.date)),
            "count": len(day.articles),
            "lead": self.articles[day.lead.path] if day.lead else None,
            "sections": [
                {
                    "topic": self.topics[s.topic.name] if s.topic else None,
                    "articles": self.of(s.articles),
                    "rest": self.of(s.rest),
                }
                for s in day.sections
            ],
        }

    def day_summary(self, day: Day) -> View:
        """A day as listed on the home page and archives: date, count, top headlines."""
        return {
            "date": day.date,
            "url": self.routes.url(self.routes.day(day.date)),
            "count": len(day.articles),
            "headlines": self.of(day.headlines),
        }

    def month_link(self, month: Month) -> View:
        return {
            "year": month.year,
            "month": month.month,
            "date": dt.date(month.year, month.month, 1),
            "url": self.routes.url(self.routes.month(month.year, month.month)),
            "count": sum(len(d.articles) for d in month.days),
        }

    def month_view(self, month: Month) -> View:
        """A month's page: its link data, its year's URL and its days."""
        return {
            **self.month_link(month),
            "year_url": self.routes.url(self.routes.year(month.year)),
            "days": [self.day_summary(d) for d in month.days],
        }

    def year_view(self, year: Year) -> View:
        return {
            "year": year.year,
            "date": dt.date(year.year, 1, 1),
            "url": self.routes.url(self.routes.year(year.year)),
            "count": sum(len(d.articles) for m in year.months for d in m.days),
            "months": [self.month_link(m) for m in year.months],
        }

    def pager(self, number: int, count: int, page_path: Callable[[int], str]) -> View:
        return {
            "number": number,
            "count": count,
            "prev_url": self.routes.url(page_path(number - 1)) if number > 1 else None,
            "next_url": self.routes.url(page_path(number + 1)) if number < count else None,
            "first_url": self.routes.url(page_path(1)),
            "last_url": self.routes.url(page_path(count)),
        }

    def site_view(self, feeds: Mapping[str, str], languages: list[View] | None = None) -> View:
        """What templates see as `site`; `feeds` are the site's feed URLs by kind,
        `languages` the site's languages (`sitegen.build.plan.language_links`)."""
        c, routes, index = self.config, self.routes, self.index
        counts = {g.topic.name: len(g.articles) for g in index.topics}
        searched = bool(c.search and index.articles)
        return {
            "title": c.title,
            "description": c.description,
            "author": c.author,
            "language": language_tag(c.language),
            "dir": c.dir,
            "base_url": c.base_url,
            "url": routes.url(""),
            "hijri": c.locale.hijri,
            "images": {"lazy_loading": c.images.lazy_loading, "sizes": c.images.sizes},
            "topics": [{**self.topics[name], "count": n} for name, n in counts.items() if n],
            "urls": {
                "home": routes.url(routes.home()),
                "topics": routes.url(routes.topics()),
                "tags": routes.url(routes.tags()),
                "search": routes.url(routes.search()) if searched else None,
                "search_bundle": routes.url(routes.search_bundle()) if searched else None,
                "latest_day": routes.url(routes.day(index.days[0].date)) if index.days else None,
            },
            "article_count": len(index.articles),
            "latest_date": index.days[0].date if index.days else None,
            "feeds": dict(feeds),
            "languages": languages or [],
        }


# The fields of an article's view made from the article alone (`article_facts`): page
# fingerprints let the article's model key stand for them.
ARTICLE_FACTS = frozenset(
    (
        *("title", "source_path", "date", "updated", "modified", "summary", "html"),
        *("word_count", "reading_minutes", "authors", "source", "source_url", "via", "kicker"),
        *("lang", "dir", "corrections", "breaking", "pinned", "extra"),
    )
)


def article_facts(a: Article) -> View:
    """What an article's view shows of the article alone (`ARTICLE_FACTS`): a function of
    the `Article` and nothing else."""
    return {
        "title": a.title,
        "source_path": a.path,
        "date": a.date,
        "updated": a.updated,
        "modified": a.modified,
        "summary": a.summary,
        "html": a.html if isinstance(a.html, Markup) else Markup(a.html),
        "word_count": a.word_count,
        "reading_minutes": max(1, math.ceil(a.word_count / WORDS_PER_MINUTE)),
        "authors": list(a.authors),
        "source": a.source,
        "source_url": a.source_url,
        "via": a.via,
        "kicker": a.kicker,
        "lang": a.lang,
        "dir": a.dir or (direction_of(a.lang) if a.lang else None),
        "corrections": [{"date": c.date, "note": c.note} for c in a.corrections],
        "breaking": a.breaking,
        "pinned": a.pinned,
        "extra": a.extra,
    }


def article_paths(index: SiteIndex, routes: Routes) -> dict[str, str]:
    """The path of each article's page, by source path."""
    paths = {}
    for article in index.articles:
        topic = index.topic_by_name.get(article.topic) if article.topic else None
        paths[article.path] = routes.article(article, topic.slug if topic else None)
    return paths


def _tag_slugs(article: Article, index: SiteIndex) -> list[str]:
    return [s for s in dict.fromkeys(slugify(t) for t in article.tags) if s in index.tag_by_slug]

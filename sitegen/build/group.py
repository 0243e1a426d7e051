"""The group stage: articles → SiteIndex (days → topic sections, topics, tags, months, years,
related articles). Pure.

Orders are deterministic: articles newest first everywhere, ties broken by slug; topics in
configured order, then by name (a day's sections too, articles without a topic last); tags by
name; inside a day's section pinned articles come first. A day digest is assembled here
(`make_day`): its sections, the lead story it opens with, each section's articles after the
lead, and the headlines that stand for the day on the home page and archives. Views and
templates only show it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sitegen.build.model import Article, topic_line
from sitegen.build.pages import SectionIndex
from sitegen.core.config import SiteConfig
from sitegen.core.text import slugify, sort_key

RELATED_LIMIT = 5
HEADLINES_PER_DAY = 5
_RELATED_WINDOW = 8


@dataclass(frozen=True)
class Topic:
    """A topic as shown: display name, URL slug, description. An unconfigured topic also has
    where it is first named (`origin`, `line`): the first article, by path, naming it (else
    its section index). `body` is its section index's HTML (`sitegen.build.pages`)."""

    name: str
    slug: str
    description: str = ""
    origin: str | None = None
    line: int | None = None
    body: str = ""


@dataclass(frozen=True)
class Tag:
    name: str
    slug: str


@dataclass(frozen=True)
class Section:
    """One topic's articles inside a day digest; `topic` is None for articles without one.
    `rest` are its articles but the day's lead, the ones listed under the section's heading."""

    topic: Topic | None
    articles: tuple[Article, ...]
    rest: tuple[Article, ...]


@dataclass(frozen=True)
class Day:
    """A day digest. `articles` in digest order (section by section); `lead` is the story it
    opens with (the first pinned article, else the first of the first section); `headlines`
    its top articles (breaking, then pinned, then the rest in digest order)."""

    date: dt.date
    sections: tuple[Section, ...]
    articles: tuple[Article, ...]
    lead: Article | None
    headlines: tuple[Article, ...]


def make_day(date: dt.date, groups: Sequence[tuple[Topic | None, tuple[Article, ...]]]) -> Day:
    """A day digest of these (topic, articles) groups, in order: its sections, its lead story
    and its headlines."""
    articles = tuple(a for _, items in groups for a in items)
    lead = next((a for a in articles if a.pinned), articles[0] if articles else None)
    sections = tuple(
        Section(topic, items, tuple(a for a in items if a is not lead)) for topic, items in groups
    )
    ranked = sorted(articles, key=lambda a: (not a.breaking, not a.pinned))
    return Day(date, sections, articles, lead, tuple(ranked[:HEADLINES_PER_DAY]))


@dataclass(frozen=True)
class Month:
    year: int
    month: int
    days: tuple[Day, ...]


@dataclass(frozen=True)
class Year:
    year: int
    months: tuple[Month, ...]


@dataclass(frozen=True)
class TopicGroup:
    topic: Topic
    articles: tuple[Article, ...]


@dataclass(frozen=True)
class TagGroup:
    tag: Tag
    articles: tuple[Article, ...]


@dataclass(frozen=True)
class SiteIndex:
    """Everything the site shows, grouped. `articles` is newest first."""

    articles: tuple[Article, ...]
    topics: tuple[TopicGroup, ...]
    tags: tuple[TagGroup, ...]
    days: tuple[Day, ...]
    months: tuple[Month, ...]
    years: tuple[Year, ...]
    related: dict[str, tuple[Article, ...]]
    topic_by_name: dict[str, Topic]
    tag_by_slug: dict[str, Tag]


def newest_first(article: Article) -> tuple[float, str]:
    return (-article.date.timestamp(), article.slug)


def resolve_topics(
    articles: Iterable[Article],
    config: SiteConfig,
    sections: Mapping[str, SectionIndex] | None = None,
) -> list[Topic]:
    """Topics in display order: configured ones first (even if empty), then the rest by name
    (a topic with a section index even without articles). A section index gives a topic its
    body and, when it has one, its description."""
    topics = [Topic(t.name, t.slug or slugify(t.name), t.description) for t in config.topics]
    known = {t.name for t in topics}
    first: dict[str, Article] = {}
    for article in sorted(articles, key=lambda a: a.path):
        if article.topic and article.topic not in known:
            first.setdefault(article.topic, article)
    sections = sections or {}
    topics += [
        Topic(name, slugify(name), "", first[name].path, topic_line(first[name]))
        if name in first
        else Topic(name, slugify(name), "", sections[name].path, 1)
        for name in sorted({*first, *sections} - known, key=sort_key)
    ]
    return [
        dataclasses.replace(
            t, description=sections[t.name].description or t.description, body=sections[t.name].body
        )
        if t.name in sections
        else t
        for t in topics
    ]


def resolve_tags(articles: Iterable[Article]) -> dict[str, Tag]:
    """Tags by slug; the most used spelling names a tag."""
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    for article in articles:
        for name in article.tags:
            slug = slugify(name)
            if slug:
                spellings[slug][name] += 1
    return {
        slug: Tag(min(names, key=lambda n: (-names[n], n)), slug)
        for slug, names in spellings.items()
    }


def _section_order(article: Article) -> tuple[bool, float, str]:
    return (not article.pinned, -article.date.timestamp(), article.slug)


def build_days(articles: tuple[Article, ...], topics: list[Topic]) -> tuple[Day, ...]:
    """The day digests of some articles (newest first), newest day first."""
    by_day: dict[dt.date, list[Article]] = defaultdict(list)
    for article in articles:
        by_day[article.date.date()].append(article)
    order = {t.name: i for i, t in enumerate(topics)}
    topic_by_name = {t.name: t for t in topics}
    days = []
    for date in sorted(by_day, reverse=True):
        by_topic: dict[str | None, list[Article]] = defaultdict(list)
        for article in by_day[date]:
            by_topic[article.topic].append(article)
        names = sorted(by_topic, key=lambda n: (n is None, order.get(n, 0) if n else 0))
        groups = [
            (topic_by_name[n] if n else None, tuple(sorted(by_topic[n], key=_section_order)))
            for n in names
        ]
        days.append(make_day(date, groups))
    return tuple(days)


def build_calendar(days: tuple[Day, ...]) -> tuple[tuple[Month, ...], tuple[Year, ...]]:
    """The months and years of some days (newest first), newest first."""
    months: dict[tuple[int, int], list[Day]] = defaultdict(list)
    for day in days:
        months[(day.date.year, day.date.month)].append(day)
    month_list = tuple(Month(y, m, tuple(months[(y, m)])) for y, m in sorted(months, reverse=True))
    years: dict[int, list[Month]] = defaultdict(list)
    for month in month_list:
        years[month.year].append(month)
    year_list = tuple(Year(y, tuple(years[y])) for y in sorted(years, reverse=True))
    return month_list, year_list


def related_articles(articles: tuple[Article, ...]) -> dict[str, tuple[Article, ...]]:
    """For each article, up to five others sharing the most tags, closest in time first.

    Candidates are the neighbours (in time) of the article in each of its tags' lists, so
    the cost stays linear in the number of articles.
    """
    by_tag: dict[str, list[Article]] = defaultdict(list)
    for article in articles:  # newest first
        for tag in {slugify(t) for t in article.tags} - {""}:
            by_tag[tag].append(article)
    position = {tag: {a.path: i for i, a in enumerate(items)} for tag, items in by_tag.items()}
    related: dict[str, tuple[Article, ...]] = {}
    for article in articles:
        scores: Counter[str] = Counter()
        candidates: dict[str, Article] = {}
        for tag in {slugify(t) for t in article.tags} - {""}:
            items = by_tag[tag]
            i = position[tag][article.path]
            for other in items[max(0, i - _RELATED_WINDOW) : i + _RELATED_WINDOW + 1]:
                if other.path != article.path:
                    scores[other.path] += 1
                    candidates[other.path] = other
        ranked = sorted(
            candidates.values(),
            key=lambda o: (
                -scores[o.path],
                abs((o.date - article.date).total_seconds()),
                o.slug,
            ),
        )
        related[article.path] = tuple(ranked[:RELATED_LIMIT])
    return related


Relate = Callable[[tuple[Article, ...]], dict[str, tuple[Article, ...]]]


def related_inputs(articles: Sequence[Article]) -> list[list[Any]]:
    """All that `related_articles` reads of `articles`, in order: equal inputs, equal result."""
    return [[a.path, list(a.tags), a.date.timestamp(), a.slug] for a in articles]


def build_index(
    articles: Iterable[Article],
    config: SiteConfig,
    sections: Mapping[str, SectionIndex] | None = None,
    relate: Relate = related_articles,
) -> SiteIndex:
    """Group the site's visible articles; `sections`: the topics' section indexes by name;
    `relate` finds each one's related articles (`related_articles`, or a memo of it)."""
    ordered = tuple(sorted(articles, key=newest_first))
    topics = resolve_topics(ordered, config, sections)
    by_topic: dict[str, list[Article]] = defaultdict(list)
    for article in ordered:
        if article.topic:
            by_topic[article.topic].append(article)
    tags = resolve_tags(ordered)
    by_tag: dict[str, list[Article]] = defaultdict(list)
    for article in ordered:
        for slug in dict.fromkeys(slugify(t) for t in article.tags):
            if slug:
                by_tag[slug].append(article)
    days = build_days(ordered, topics)
    months, years = build_calendar(days)
    return SiteIndex(
        articles=ordered,
        topics=tuple(TopicGroup(t, tuple(by_topic[t.name])) for t in topics),
        tags=tuple(
            TagGroup(tags[s], tuple(by_tag[s]))
            for s in sorted(tags, key=lambda s: sort_key(tags[s].name))
        ),
        days=days,
        months=months,
        years=years,
        related=relate(ordered),
        topic_by_name={t.name: t for t in topics},
        tag_by_slug=tags,
    )

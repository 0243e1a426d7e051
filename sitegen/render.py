"""Stage 5, render: SiteIndex → page jobs (template + plain-data context) → output bytes.

`plan` decides every page of the site and its context; contexts hold only plain data
(dicts, lists, strings, numbers, dates), never objects that query the site. `render_page`
turns one job into bytes with a Jinja environment.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import jinja2
from markupsafe import Markup

from sitegen.assets import asset_helper
from sitegen.config import SiteConfig, direction_of, language_tag
from sitegen.diagnostics import Diagnostic, error
from sitegen.group import Day, SiteIndex, Tag, Topic
from sitegen.localize import Localizer
from sitegen.model import Article
from sitegen.parallel import Stage
from sitegen.routes import Routes
from sitegen.templating import make_environment
from sitegen.text import slugify
from sitegen.theme import Theme

WORDS_PER_MINUTE = 180
HEADLINES_PER_DAY = 5


@dataclass(frozen=True)
class PageJob:
    """One page to render: where it goes, with which template and context.

    `modified` is when the page's content last changed (sitemaps); `items` are the article
    views a digest lists, in order (its JSON-LD `ItemList`); `meta` is the page's metadata
    (`sitegen.metadata.page_metadata`), reaching templates as `page.meta`.
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


@dataclass(frozen=True)
class OutputFile:
    path: str
    data: bytes


def newest_change(articles: Iterable[Article]) -> dt.datetime | None:
    """The latest `modified` of some articles (None for none)."""
    return max((a.modified for a in articles), default=None)


def chunks(items: Sequence[Any], size: int) -> list[Sequence[Any]]:
    """Split a list into pages of `size` (at least one page, maybe empty)."""
    return [items[i : i + size] for i in range(0, len(items), size)] or [items[:0]]


class Planner:
    """Builds the page list and the plain-data views every template sees."""

    def __init__(
        self,
        index: SiteIndex,
        config: SiteConfig,
        images: Mapping[str, dict[str, Any]] | None = None,
    ) -> None:
        self.index = index
        self.config = config
        self.images = images or {}  # article path → lead image data (see sitegen.images)
        self.routes = Routes(config)
        self.topic_views = {t.topic.name: self.topic_view(t.topic) for t in index.topics}
        self.tag_views = {t.tag.slug: self.tag_view(t.tag) for t in index.tags}
        self.article_paths: dict[str, str] = {}
        self.views: dict[str, dict[str, Any]] = {}
        for article in index.articles:
            topic = index.topic_by_name.get(article.topic) if article.topic else None
            self.article_paths[article.path] = self.routes.article(
                article, topic.slug if topic else None
            )
            self.views[article.path] = self.article_view(article)

    # -- views ------------------------------------------------------------------------------
    def link(self, path: str) -> dict[str, str]:
        return {"url": self.routes.url(path), "path": path}

    def topic_view(self, topic: Topic) -> dict[str, Any]:
        return {
            "name": topic.name,
            "slug": topic.slug,
            "description": topic.description,
            "url": self.routes.url(self.routes.topic(topic.slug)),
        }

    def tag_view(self, tag: Tag) -> dict[str, Any]:
        return {
            "name": tag.name,
            "slug": tag.slug,
            "url": self.routes.url(self.routes.tag(tag.slug)),
        }

    def article_view(self, a: Article) -> dict[str, Any]:
        path = self.article_paths[a.path]
        return {
            "title": a.title,
            "url": self.routes.url(path),
            "absolute_url": self.routes.absolute(path),
            "source_path": a.path,
            "date": a.date,
            "updated": a.updated,
            "modified": a.modified,
            "day_url": self.routes.url(self.routes.day(a.date.date())),
            "topic": self.topic_views.get(a.topic) if a.topic else None,
            "tags": [self.tag_views[s] for s in _tag_slugs(a, self.index)],
            "summary": a.summary,
            "html": a.html if isinstance(a.html, Markup) else Markup(a.html),
            "word_count": a.word_count,
            "reading_minutes": max(1, math.ceil(a.word_count / WORDS_PER_MINUTE)),
            "authors": list(a.authors),
            "source": a.source,
            "source_url": a.source_url,
            "via": a.via,
            "kicker": a.kicker,
            "image": self.images.get(a.path),
            "lang": a.lang,
            "dir": a.dir or (direction_of(a.lang) if a.lang else None),
            "corrections": [{"date": c.date, "note": c.note} for c in a.corrections],
            "breaking": a.breaking,
            "pinned": a.pinned,
            "extra": a.extra,
        }

    def day_view(self, day: Day) -> dict[str, Any]:
        lead = lead_article(day)
        return {
            "date": day.date,
            "url": self.routes.url(self.routes.day(day.date)),
            "count": len(day.articles),
            "lead": self.views[lead.path] if lead else None,
            "sections": [
                {
                    "topic": self.topic_views[s.topic.name] if s.topic else None,
                    "articles": [self.views[a.path] for a in s.articles],
                }
                for s in day.sections
            ],
        }

    @staticmethod
    def headlines(day: Day) -> list[Article]:
        """A day's top articles: breaking, then pinned, then the rest in digest order."""
        ranked = sorted(day.articles, key=lambda a: (not a.breaking, not a.pinned))
        return ranked[:HEADLINES_PER_DAY]

    def day_summary(self, day: Day) -> dict[str, Any]:
        """A day as listed on the home page and archives: date, count, top headlines."""
        return {
            "date": day.date,
            "url": self.routes.url(self.routes.day(day.date)),
            "count": len(day.articles),
            "headlines": [self.views[a.path] for a in self.headlines(day)],
        }

    def pager(self, number: int, count: int, page_path: Any) -> dict[str, Any]:
        return {
            "number": number,
            "count": count,
            "prev_url": self.routes.url(page_path(number - 1)) if number > 1 else None,
            "next_url": self.routes.url(page_path(number + 1)) if number < count else None,
            "first_url": self.routes.url(page_path(1)),
            "last_url": self.routes.url(page_path(count)),
        }

    # -- pages ------------------------------------------------------------------------------
    def jobs(self) -> Iterator[PageJob]:
        yield from self.home_pages()
        yield from self.article_pages()
        yield from self.day_pages()
        yield from self.calendar_pages()
        yield from self.topic_pages()
        yield from self.tag_pages()
        if self.config.search and self.index.articles:
            yield self.search_page()
        yield PageJob(self.routes.not_found(), "404.html", {}, "404 page", kind="404")

    def search_page(self) -> PageJob:
        """The search page: the site's months (date filters) and days (result dates)."""
        return PageJob(
            self.routes.search(),
            "search.html",
            {
                "months": [self.month_link(m) for m in reversed(self.index.months)],
                "days": [d.date for d in self.index.days],
            },
            "search page",
            kind="search",
        )

    def home_pages(self) -> Iterator[PageJob]:
        days = self.index.days
        latest = days[0] if days else None
        older = chunks(days[1:], self.config.paginate.days)
        breaking = [self.views[a.path] for a in (latest.articles if latest else ()) if a.breaking]
        for number, page_days in enumerate(older, start=1):
            listed = [*(latest.articles if latest and number == 1 else ())]
            listed += [a for d in page_days for a in self.headlines(d)]
            yield PageJob(
                self.routes.home(number),
                "index.html",
                {
                    "latest": self.day_view(latest) if latest and number == 1 else None,
                    "breaking": breaking if number == 1 else [],
                    "days": [self.day_summary(d) for d in page_days],
                    "pager": self.pager(number, len(older), self.routes.home),
                },
                f"home page {number}",
                kind="home",
                modified=newest_change(listed),
                items=tuple(self.views[a.path] for a in listed),
            )

    def article_pages(self) -> Iterator[PageJob]:
        articles = self.index.articles  # newest first
        for i, article in enumerate(articles):
            older = articles[i + 1] if i + 1 < len(articles) else None
            newer = articles[i - 1] if i > 0 else None
            yield PageJob(
                self.article_paths[article.path],
                "article.html",
                {
                    "article": self.views[article.path],
                    "prev": self.views[older.path] if older else None,
                    "next": self.views[newer.path] if newer else None,
                    "related": [self.views[r.path] for r in self.index.related[article.path]],
                },
                article.path,
                article.lines.get("slug") or article.lines.get("title"),
                kind="article",
                modified=article.modified,
            )

    def day_pages(self) -> Iterator[PageJob]:
        days = self.index.days
        for i, day in enumerate(days):
            older = days[i + 1] if i + 1 < len(days) else None
            newer = days[i - 1] if i > 0 else None
            yield PageJob(
                self.routes.day(day.date),
                "day.html",
                {
                    "day": self.day_view(day),
                    "breaking": [self.views[a.path] for a in day.articles if a.breaking],
                    "prev": self.day_summary(older) if older else None,
                    "next": self.day_summary(newer) if newer else None,
                },
                f"day {day.date}",
                kind="day",
                modified=newest_change(day.articles),
                items=tuple(self.views[a.path] for a in day.articles),
            )

    def calendar_pages(self) -> Iterator[PageJob]:
        months = self.index.months
        for i, month in enumerate(months):
            older = months[i + 1] if i + 1 < len(months) else None
            newer = months[i - 1] if i > 0 else None
            yield PageJob(
                self.routes.month(month.year, month.month),
                "month.html",
                {
                    "month": self.month_view(month),
                    "prev": self.month_link(older) if older else None,
                    "next": self.month_link(newer) if newer else None,
                },
                f"month {month.year}-{month.month:02d}",
                kind="month",
                modified=newest_change(a for d in month.days for a in d.articles),
                items=tuple(self.views[a.path] for d in month.days for a in self.headlines(d)),
            )
        for year in self.index.years:
            yield PageJob(
                self.routes.year(year.year),
                "year.html",
                {
                    "year": {
                        "year": year.year,
                        "date": dt.date(year.year, 1, 1),
                        "url": self.routes.url(self.routes.year(year.year)),
                        "count": sum(len(d.articles) for m in year.months for d in m.days),
                        "months": [self.month_link(m) for m in year.months],
                    }
                },
                f"year {year.year}",
                kind="year",
                modified=newest_change(a for m in year.months for d in m.days for a in d.articles),
            )

    def month_link(self, month: Any) -> dict[str, Any]:
        return {
            "year": month.year,
            "month": month.month,
            "date": dt.date(month.year, month.month, 1),
            "url": self.routes.url(self.routes.month(month.year, month.month)),
            "count": sum(len(d.articles) for d in month.days),
        }

    def month_view(self, month: Any) -> dict[str, Any]:
        return {**self.month_link(month), "days": [self.day_summary(d) for d in month.days]}

    def topic_pages(self) -> Iterator[PageJob]:
        groups = self.index.topics
        yield PageJob(
            self.routes.topics(),
            "topics.html",
            {
                "topics": [
                    {
                        "topic": self.topic_views[g.topic.name],
                        "count": len(g.articles),
                        "latest": [self.views[a.path] for a in g.articles[:HEADLINES_PER_DAY]],
                    }
                    for g in groups
                ]
            },
            "topics index",
            kind="topics",
            modified=newest_change(a for g in groups for a in g.articles),
        )
        for group in groups:
            pages = chunks(group.articles, self.config.paginate.articles)
            slug = group.topic.slug
            for number, items in enumerate(pages, start=1):
                yield PageJob(
                    self.routes.topic(slug, number),
                    "topic.html",
                    {
                        "topic": self.topic_views[group.topic.name],
                        "count": len(group.articles),
                        "articles": [self.views[a.path] for a in items],
                        "pager": self.pager(
                            number, len(pages), lambda n, s=slug: self.routes.topic(s, n)
                        ),
                    },
                    group.topic.origin or f"topic {group.topic.name!r}",
                    group.topic.line,
                    kind="topic",
                    modified=newest_change(items),
                    items=tuple(self.views[a.path] for a in items),
                )

    def tag_pages(self) -> Iterator[PageJob]:
        groups = self.index.tags
        yield PageJob(
            self.routes.tags(),
            "tags.html",
            {
                "tags": [
                    {"tag": self.tag_views[g.tag.slug], "count": len(g.articles)} for g in groups
                ]
            },
            "tags index",
            kind="tags",
            modified=newest_change(a for g in groups for a in g.articles),
        )
        for group in groups:
            pages = chunks(group.articles, self.config.paginate.articles)
            slug = group.tag.slug
            for number, items in enumerate(pages, start=1):
                yield PageJob(
                    self.routes.tag(slug, number),
                    "tag.html",
                    {
                        "tag": self.tag_views[slug],
                        "count": len(group.articles),
                        "articles": [self.views[a.path] for a in items],
                        "pager": self.pager(
                            number, len(pages), lambda n, s=slug: self.routes.tag(s, n)
                        ),
                    },
                    f"tag {group.tag.name!r}",
                    kind="tag",
                    modified=newest_change(items),
                    items=tuple(self.views[a.path] for a in items),
                )

    # -- shared context -----------------------------------------------------------------
    def site_context(self) -> dict[str, Any]:
        c = self.config
        counts = {g.topic.name: len(g.articles) for g in self.index.topics}
        return {
            "title": c.title,
            "description": c.description,
            "author": c.author,
            "language": language_tag(c.language),
            "dir": c.dir,
            "base_url": c.base_url,
            "url": self.routes.url(""),
            "hijri": c.locale.hijri,
            "images": {"lazy_loading": c.images.lazy_loading, "sizes": c.images.sizes},
            "topics": [{**self.topic_views[name], "count": n} for name, n in counts.items() if n],
            "urls": {
                "home": self.routes.url(self.routes.home()),
                "topics": self.routes.url(self.routes.topics()),
                "tags": self.routes.url(self.routes.tags()),
                "search": self.routes.url(self.routes.search())
                if c.search and self.index.articles
                else None,
                "latest_day": self.routes.url(self.routes.day(self.index.days[0].date))
                if self.index.days
                else None,
            },
            "article_count": len(self.index.articles),
            "latest_date": self.index.days[0].date if self.index.days else None,
        }


def lead_article(day: Day) -> Article | None:
    """The story a digest opens with: the first pinned article, else the first of the first topic."""
    articles = day.articles
    return next((a for a in articles if a.pinned), articles[0] if articles else None)


def _tag_slugs(article: Article, index: SiteIndex) -> list[str]:
    return [s for s in dict.fromkeys(slugify(t) for t in article.tags) if s in index.tag_by_slug]


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
        # reported at the later source; an alias's redirect page yields to any other page
        a, b = sorted((first, job), key=lambda j: (j.kind == "redirect", j.origin, j.line or 0))
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


def page_view(job: PageJob, routes: Routes) -> dict[str, Any]:
    """What templates see as `page`."""
    return {
        "kind": job.kind,
        "path": job.path,
        "url": routes.url(job.path),
        "absolute_url": routes.absolute(job.path),
        "meta": job.meta,
    }


def render_page(
    job: PageJob, env: jinja2.Environment, site: dict[str, Any], routes: Routes
) -> OutputFile:
    """Render one job to bytes."""
    page = page_view(job, routes)
    html = env.get_template(job.template).render(site=site, page=page, **job.context)
    return OutputFile(Routes.output_file(job.path), html.encode("utf-8"))


@dataclass(frozen=True)
class RenderSetup:
    """What a rendering process needs besides the jobs: the theme, the config, `site`,
    where each static file was placed (for `asset()`), the build time (`relative`) and
    `metadata`, which gives a job its `meta` just before it renders."""

    theme: Theme
    config: SiteConfig
    site: dict[str, Any]
    placed: dict[str, str]
    now: dt.datetime
    metadata: Callable[[PageJob], PageJob]


@dataclass(frozen=True)
class RenderState:
    env: jinja2.Environment
    site: dict[str, Any]
    routes: Routes
    template_files: frozenset[str]
    metadata: Callable[[PageJob], PageJob]


@dataclass(frozen=True)
class RenderedPage:
    """One job's outcome: the page's bytes zlib-compressed (`packed`: a fifth of the memory,
    kept until written, and cheaper to send between processes), or the problems that
    prevented it."""

    path: str
    packed: bytes | None
    problems: tuple[Diagnostic, ...] = ()


def prepare_renderer(setup: RenderSetup) -> RenderState:
    """A Jinja environment for the theme and site (built once per process)."""
    c = setup.config
    localizer = Localizer(c.language, c.locale, c.digits, c.tz, setup.now)
    asset = asset_helper(setup.placed, c.base_path)
    env = make_environment(setup.theme, localizer, c.language, asset)
    for name in sorted({n for layer in setup.theme.layers for n in layer.templates}):
        with contextlib.suppress(jinja2.TemplateError):  # rendering reports it at its line
            env.get_template(name)  # compiled once, before worker processes fork
    return RenderState(
        env, setup.site, Routes(c), frozenset(setup.theme.template_files()), setup.metadata
    )


def render_job(job: PageJob, state: RenderState) -> RenderedPage:
    """Render one job; template errors become diagnostics at the template's line."""
    try:
        output = render_page(job, state.env, state.site, state.routes)
        return RenderedPage(output.path, zlib.compress(output.data, 1))
    except jinja2.TemplateSyntaxError as exc:
        d = error(exc.filename or job.template, exc.lineno, f"template syntax error: {exc.message}")
    except jinja2.TemplateNotFound as exc:
        where, line = _template_frame(exc, job.template, state.template_files)
        d = error(where, line, f"template not found: {exc.name}")
    except RecursionError:
        d = error(job.template, None, "template error: templates include each other endlessly")
    except Exception as exc:  # templates are code: any error they raise is the theme's
        where, line = _template_frame(exc, job.template, state.template_files)
        d = error(where, line, f"template error while rendering {job.origin}: {exc}")
    return RenderedPage(Routes.output_file(job.path), None, (d,))


def render_chunk(state: RenderState, jobs: Sequence[PageJob]) -> list[RenderedPage]:
    return [render_job(state.metadata(job), state) for job in jobs]


RENDER_STAGE: Stage[PageJob, RenderedPage] = Stage("render", prepare_renderer, render_chunk)


def _template_frame(
    exc: BaseException, default: str, templates: frozenset[str]
) -> tuple[str, int | None]:
    """The innermost template file and line in a rendering error's traceback.

    Jinja rewrites tracebacks so that template frames carry the template's file name and line.
    """
    where: tuple[str, int | None] = (default, None)
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename in templates:
            where = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return where

"""Pages rendered from a build's plan ahead of the build: an edited article's page from the
previous build's plan, so the preview can show it before the whole site is built again, and
any page of a site being built for the first time, when it is asked for.

A build asked to (`BuildOptions.planned`) hands out a `PageBasis` once the site is planned:
the site, the plan, the render setup and the files that are not pages. `PlannedSite` is the
whole site as a mapping whose pages are rendered when first read. `quick_files(basis, sources)` takes the
changed article sources, parses and models them alone, processes their images, and renders
each article's page with the plan's context for that page (neighbours, related articles,
`site`, feed links) around the article's new view.

Contract: the files are given only when every source is an article of the plan that stays in
the same place: the same page path (slug), date, topic, tags, language and translation key,
still visible, and with no error. Then nothing any other page shows of the article's
neighbours changes, and the page equals the one a whole build makes at the basis's build time
(times relative to the build, `relative`, are as of the build whose compiled templates
the basis carries: `PageBasis.carry_over`).
Otherwise, or on any problem, the result is None: the whole build decides, and reports.
The other pages that show the article (digests, listings, feeds, the search index) are the
whole build's; callers run it next and show its result, which replaces these files.
"""

from __future__ import annotations

import dataclasses
import zlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

from sitegen.build.group import build_index
from sitegen.build.images.articles import process_site_images
from sitegen.build.load import SourceFile
from sitegen.build.markdown_html import MarkdownRenderer
from sitegen.build.model import Article, model_articles
from sitegen.build.parse import parse, parse_setup, prepare_parser
from sitegen.build.plan import PageJob, SitePlan
from sitegen.build.readers.base import ReaderSettings
from sitegen.build.render import RenderSetup, RenderState, prepare_renderer, render_chunk
from sitegen.build.routes import Routes
from sitegen.build.views import Views
from sitegen.core.config import Site
from sitegen.core.diagnostics import has_errors


@dataclass(frozen=True)
class PageBasis:
    """What a planned build hands out: the site it builds, its plan, the setup its pages
    render with, whether drafts and future articles are shown, and its files that are not
    pages (static files, sitemaps…) by output path."""

    site: Site
    plan: SitePlan
    setup: RenderSetup
    drafts: bool
    future: bool
    files: Mapping[str, bytes]

    @cached_property
    def renderer(self) -> RenderState:
        """The Jinja environment of the build, every template compiled (made on first use)."""
        return prepare_renderer(self.setup)

    @cached_property
    def parser(self) -> tuple[ReaderSettings, MarkdownRenderer]:
        """The reader settings and Markdown renderer of the site (made on first use)."""
        return prepare_parser(parse_setup(self.site.config))

    def carry_over(self, previous: PageBasis | None) -> None:
        """Take the compiled templates and Markdown renderer of a previous build's basis when
        this build renders and parses alike (the same theme, config and static files), so
        they are not made again for every build: quick pages then show times relative to
        the build (`relative`) as of the earlier build. `previous` keeps working."""
        if previous is None or previous.site.config != self.site.config:
            return
        if "parser" in previous.__dict__:
            self.__dict__["parser"] = previous.parser
        old, new = previous.setup, self.setup
        alike = "renderer" in previous.__dict__ and old.placed == new.placed
        if alike and old.theme.digest() == new.theme.digest():
            languages = {
                key: (env, new.sites[key]) for key, (env, _) in previous.renderer.languages.items()
            }
            state = dataclasses.replace(
                previous.renderer, languages=languages, metadata=new.metadata
            )
            self.__dict__["renderer"] = state

    def prepare(self) -> None:
        """Make the parser, the renderer and the article map now (each is made once)."""
        self.parser, self.renderer, self.articles  # noqa: B018

    @cached_property
    def articles(self) -> Mapping[str, tuple[Article, PageJob]]:
        """Each article's source path → the article and its page job, as planned."""
        by_path = {a.path: a for a in self.plan.articles}
        return {
            job.origin: (by_path[job.origin], job)
            for job in self.plan.jobs
            if job.kind == "article" and job.origin in by_path
        }


class PlannedSite(Mapping[str, bytes]):
    """Every file of a planned build but its search index (made after the pages), by output
    path, its pages rendered when first read (and kept); safe to read from several threads. A page that fails to render reads as the
    failure's message: the build reports it."""

    def __init__(self, basis: PageBasis) -> None:
        self.basis = basis
        self._jobs = {Routes.output_file(job.path): job for job in basis.plan.jobs}
        self._made: dict[str, bytes] = {}

    def __getitem__(self, path: str) -> bytes:
        if path in self.basis.files:
            return self.basis.files[path]
        found = self._made.get(path)
        if found is None:
            (page,) = render_chunk(self.basis.renderer, [self._jobs[path]])
            problems = "\n".join(d.format() for d in page.problems)
            found = zlib.decompress(page.packed) if page.packed else problems.encode()
            self._made[path] = found
        return found

    def __iter__(self) -> Iterator[str]:
        yield from self._jobs
        yield from (p for p in self.basis.files if p not in self._jobs)

    def __len__(self) -> int:
        return len(self._jobs.keys() | self.basis.files.keys())

    def __contains__(self, path: object) -> bool:
        return path in self._jobs or path in self.basis.files


def quick_files(basis: PageBasis, sources: Sequence[SourceFile]) -> dict[str, bytes] | None:
    """The pages of the edited articles in `sources` (and any image files they newly need),
    by output path; None when an edit moves an article or has a problem (see the module)."""
    config = basis.site.config
    settings, renderer = basis.parser
    documents = []
    for source in sources:
        document, problems = parse(source, settings, renderer)
        if document is None or has_errors(problems):
            return None
        documents.append(document)
    plan = basis.plan
    visible, problems = model_articles(
        documents, config, drafts=basis.drafts, future=basis.future, now=plan.now
    )
    if has_errors(problems) or len(visible.articles) != len(sources):
        return None
    if any(not _same_place(a, basis) for a in visible.articles):
        return None
    media = process_site_images(visible.articles, basis.site)
    if has_errors(list(media.diagnostics)):
        return None
    views = Views(build_index(media.articles, config), config, plan.routes, media.leads)
    jobs = []
    for article in media.articles:
        job = basis.articles[article.path][1]
        view = views.articles[article.path]
        # the topic, tags, language and translation key are unchanged: the plan's views of
        # them (named across the site), and of the article's translations in other languages
        previous = plan.views[article.path]
        kept = ("topic", "tags", "translations")
        view = {**view, **{key: previous[key] for key in kept}}
        context = {**job.context, "article": view}
        line = article.lines.get("slug") or article.lines.get("title")
        jobs.append(dataclasses.replace(job, context=context, line=line, modified=article.modified))
    pages = render_chunk(basis.renderer, jobs)
    if any(page.packed is None for page in pages):
        return None
    files = dict(media.files)
    files.update((page.path, zlib.decompress(page.packed)) for page in pages if page.packed)
    return files


def _same_place(article: Article, basis: PageBasis) -> bool:
    """True when the plan has this article and the edit leaves it where it was (an article
    of a further language is never quick: its page is planned with its edition's routes)."""
    found = basis.articles.get(article.path)
    if found is None:
        return False
    old, job = found
    topic = basis.plan.index.topic_by_name.get(article.topic) if article.topic else None
    path = basis.plan.routes.article(article, topic.slug if topic else None)
    return (
        path == job.path
        and (article.date, article.slug, article.topic, article.tags)
        == (old.date, old.slug, old.topic, old.tags)
        and (article.lang, article.translation_key) == (old.lang, old.translation_key)
    )

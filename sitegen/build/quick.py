"""One article's page from the previous build's plan, so the preview can show an edited
article before the whole site is built again.

A build asked to (`BuildOptions.keep_basis`) leaves a `PageBasis` in its result: the site,
the plan and the render setup it rendered with. `quick_files(basis, sources)` takes the
changed article sources, parses and models them alone, processes their images, and renders
each article's page with the plan's context for that page (neighbours, related articles,
`site`, feed links) around the article's new view.

Contract: the files are given only when every source is an article of the plan that stays in
the same place: the same page path (slug), date, topic, tags, language and translation key,
still visible, and with no error. Then nothing any other page shows of the article's
neighbours changes, and the page equals the one a whole build makes at the basis's build time
(a theme showing times relative to the build may differ until the whole build follows).
Otherwise, or on any problem, the result is None: the whole build decides, and reports.
The other pages that show the article (digests, listings, feeds, the search index) are the
whole build's; callers run it next and show its result, which replaces these files.
"""

from __future__ import annotations

import dataclasses
import zlib
from collections.abc import Mapping, Sequence
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
from sitegen.build.views import Views
from sitegen.core.config import Site
from sitegen.core.diagnostics import has_errors


@dataclass(frozen=True)
class PageBasis:
    """What a build leaves for quick pages: the site it built, its plan, the setup its pages
    rendered with, and whether drafts and future articles were shown."""

    site: Site
    plan: SitePlan
    setup: RenderSetup
    drafts: bool
    future: bool

    @cached_property
    def renderer(self) -> RenderState:
        """The Jinja environment of the build, every template compiled (made on first use)."""
        return prepare_renderer(self.setup)

    @cached_property
    def parser(self) -> tuple[ReaderSettings, MarkdownRenderer]:
        """The reader settings and Markdown renderer of the site (made on first use)."""
        return prepare_parser(parse_setup(self.site.config))

    def prepare(self) -> None:
        """Make the parser, the renderer and the article map now (they are made once)."""
        self.parser, self.renderer, self.articles  # noqa: B018

    @cached_property
    def articles(self) -> Mapping[str, tuple[Article, PageJob]]:
        """Each article's source path → the article and its page job, as planned."""
        by_path = {a.path: a for a in self.plan.index.articles}
        return {
            job.origin: (by_path[job.origin], job)
            for job in self.plan.jobs
            if job.kind == "article" and job.origin in by_path
        }


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
        # the topic and tags are unchanged: the plan's views of them (named across the site)
        previous = plan.views[article.path]
        view = {**view, "topic": previous["topic"], "tags": previous["tags"]}
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
    """True when the plan has this article and the edit leaves it where it was."""
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

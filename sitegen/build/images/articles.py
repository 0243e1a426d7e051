"""The images stage: articles' lead and body images → processed files, template data, HTML.

It reads the image files an article names (front matter `image`, `<img>` in the body) and
those in standalone pages' bodies, processes them all in one batch (`process_images`), and
reports each problem at the article or page and line that named the image.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

from sitegen.build.images.batch import ImageSource, ImageStats, process_images, read_source
from sitegen.build.images.cache import ImageCache
from sitegen.build.images.positions import WrittenImage, written_images
from sitegen.build.images.references import (
    ImgTag,
    candidates,
    img_tags,
    is_remote,
    missing_image_html,
    picture_html,
)
from sitegen.build.images.responsive import ResponsiveImage
from sitegen.build.images.svg import MEDIA_TYPE as SVG_MEDIA_TYPE
from sitegen.build.model import Article
from sitegen.build.pages import Page
from sitegen.build.routes import Routes
from sitegen.core.config import Site
from sitegen.core.diagnostics import Diagnostic, error, warning
from sitegen.core.image_settings import ImageSettings

SHARE_WIDTH = 1200  # Open Graph and JSON-LD want images at least this wide


class Illustrated(Protocol):
    """What the stage reads of an article or a page for its body images."""

    @property
    def path(self) -> str: ...
    @property
    def html(self) -> str: ...
    @property
    def source_text(self) -> str: ...


@dataclass(frozen=True)
class ArticleImages:
    """The stage's result.

    `articles` are the articles given, with responsive images in their bodies; `leads` maps
    an article's path to its lead image as template data; `bodies` maps it to its body HTML
    with responsive images (only articles whose body changed); `files` are the processed
    images to write; `sources` are the image files processed, which are published only as
    variants and never copied as they are; `digests` the sha256 of each of them (hex), read
    once here; `pages` are the standalone pages given, with responsive images in their bodies.
    """

    articles: tuple[Article, ...]
    leads: dict[str, dict[str, Any]]
    bodies: dict[str, str]
    files: dict[str, bytes]
    sources: frozenset[str]
    digests: dict[str, str]
    diagnostics: tuple[Diagnostic, ...]
    stats: ImageStats
    pages: tuple[Page, ...] = ()


@dataclass(frozen=True)
class _Reference:
    article: Illustrated
    value: str
    line: int | None
    path: str | None  # the site-relative file, None when it was not found


def process_site_images(
    articles: Sequence[Article], site: Site, pages: Sequence[Page] = ()
) -> ArticleImages:
    """The images stage of a build, with the site's image cache (`.sitegen/cache/images`)."""
    cache = ImageCache(site.state_dir / "cache" / "images")
    return process_article_images(
        articles, site.root, site.config.images, Routes(site.config), cache, pages
    )


def process_article_images(
    articles: Sequence[Article],
    root: Path,
    settings: ImageSettings,
    routes: Routes,
    cache: ImageCache | None,
    pages: Sequence[Page] = (),
) -> ArticleImages:
    """Process every local image the articles and pages name; describe lead images; rewrite
    bodies."""
    problems: list[Diagnostic] = []
    leads: dict[str, _Reference] = {}
    bodies: dict[str, list[tuple[ImgTag, _Reference]]] = {}
    for article in articles:
        if article.image:
            lead = _lead_reference(article, root, problems)
            if lead is not None:
                leads[article.path] = lead
    for document in (*articles, *pages):
        tags = _body_references(document, root, problems)
        if tags:
            bodies[document.path] = tags

    references = [*leads.values(), *(ref for tags in bodies.values() for _, ref in tags)]
    sources: dict[str, ImageSource] = {}
    for reference in references:
        if reference.path and reference.path not in sources:
            source, problem = read_source(root, reference.path)
            if problem is not None:
                problems.append(_at(reference, problem))
            elif source is not None:
                sources[reference.path] = source
    batch = process_images(
        list(sources.values()),
        settings,
        cache=cache,
        directory=routes.images().rstrip("/"),
        url_base=routes.url(""),
    )
    if cache is not None:
        cache.prune(batch.keys)
    failed = {d.path: d for d in batch.diagnostics if d.is_error}
    problems.extend(d for d in batch.diagnostics if not d.is_error)
    problems.extend(_at(r, failed[r.path]) for r in references if r.path in failed)

    images = batch.images
    lead_views = {
        article.path: _lead_view(article, images, leads.get(article.path), routes)
        for article in articles
        if article.image
    }
    new_bodies = {
        document.path: _rewrite(document.html, bodies[document.path], images, settings)
        for document in (*articles, *pages)
        if document.path in bodies
    }
    return ArticleImages(
        tuple(
            dataclasses.replace(a, html=new_bodies[a.path]) if a.path in new_bodies else a
            for a in articles
        ),
        {path: view for path, view in lead_views.items() if view is not None},
        new_bodies,
        batch.files,
        frozenset(batch.images),
        {path: sources[path].digest for path in sorted(batch.images)},
        tuple(problems),
        batch.stats,
        tuple(
            dataclasses.replace(p, html=new_bodies[p.path]) if p.path in new_bodies else p
            for p in pages
        ),
    )


def _lead_reference(article: Article, root: Path, problems: list[Diagnostic]) -> _Reference | None:
    """The file of the front matter's `image`, None for a remote URL; warn without alt text."""
    value, line = article.image or "", article.lines.get("image")
    if not article.image_alt:
        problems.append(warning(article.path, line, "the image has no alt text", "add 'image_alt'"))
    return None if is_remote(value) else _locate(article, value, line, root, problems)


def _body_references(
    article: Illustrated, root: Path, problems: list[Diagnostic]
) -> list[tuple[ImgTag, _Reference]]:
    """The body's `<img>` tags naming local files, each with its file and source line.

    An image URL of the source that the sanitiser dropped (the tag has no `src`) is an error
    when it has a scheme other than http(s): `file:`, `data:`, `javascript:` …
    """
    tags = img_tags(article.html)
    if all(is_remote(tag.get("src") or "") for tag in tags):
        return []
    written = written_images(article.source_text)
    found = []
    for tag in tags:
        src = tag.get("src")
        if not src:
            continue
        line = _take_line(written, src)
        if is_remote(src):
            continue
        if tag.get("alt") is None:  # alt="" marks a decorative image
            problems.append(warning(article.path, line, f"image {src!r} has no alt text"))
        found.append((tag, _locate(article, src, line, root, problems)))
    if any(not tag.get("src") for tag in tags):
        problems.extend(
            _not_a_file(article, image.value, image.line)
            for image in written
            if urlsplit(image.value).scheme and not is_remote(image.value)
        )
    return found


def _take_line(written: list[WrittenImage], src: str) -> int | None:
    """The line of the first image written with URL `src`, which is then used up."""
    for index, image in enumerate(written):
        if image.value == src:
            return written.pop(index).line
    return None


def _locate(
    article: Illustrated, value: str, line: int | None, root: Path, problems: list[Diagnostic]
) -> _Reference:
    """Find the file a reference names; report it when there is none."""
    options = candidates(value, article.path)
    if options is None:
        problems.append(_not_a_file(article, value, line))
        return _Reference(article, value, line, None)
    found = next((path for path in options if (root / path).is_file()), None)
    if found is None:  # shown as its alt text; an error under --strict (warnings fail it)
        problems.append(
            warning(
                article.path, line, f"image {value!r} not found", "looked for " + ", ".join(options)
            )
        )
    return _Reference(article, value, line, found)


def _not_a_file(article: Illustrated, value: str, line: int | None) -> Diagnostic:
    """An image URL that names no file of the site and is not an http(s) URL."""
    return error(
        article.path,
        line,
        f"image {value!r} is not a file of the site or an http(s) URL",
        "name a file next to the article or under static/",
    )


def _at(reference: _Reference, problem: Diagnostic) -> Diagnostic:
    """A problem of an image file, reported where the article names it."""
    message = f"image {reference.value!r}: {problem.message}"
    return error(reference.article.path, reference.line, message, problem.hint)


def _lead_view(
    article: Article,
    images: dict[str, ResponsiveImage],
    reference: _Reference | None,
    routes: Routes,
) -> dict[str, Any] | None:
    """Template data for a lead image: its files, alt text, caption, credit, share variant."""
    text = {
        "alt": article.image_alt or "",
        "caption": article.image_caption,
        "credit": article.image_credit,
    }
    if reference is None:  # a remote URL, shown as it is
        url = article.image or ""
        return {
            **text,
            "remote": True,
            "src": url,
            "srcset": "",
            "webp_srcset": "",
            "sizes": "",
            "width": None,
            "height": None,
            "type": None,
            "animated": False,
            "share": {"url": url, "width": None, "height": None, "type": None},
        }
    image = images.get(reference.path or "")
    if image is None:
        return None
    share = None if image.media_type == SVG_MEDIA_TYPE else image.fitting(SHARE_WIDTH)
    return {
        **text,
        "remote": False,
        "src": image.src,
        "srcset": image.srcset,
        "webp_srcset": image.webp_srcset,
        "sizes": image.sizes,
        "width": image.width,
        "height": image.height,
        "type": image.media_type,
        "animated": image.animated,
        "share": share
        and {
            "url": routes.absolute(share.path),
            "width": share.width,
            "height": share.height,
            "type": share.media_type,
        },
    }


def _rewrite(
    html: str,
    tags: list[tuple[ImgTag, _Reference]],
    images: dict[str, ResponsiveImage],
    settings: ImageSettings,
) -> str:
    """Replace each processed `<img>` of a body with a responsive `<picture>`, and each image
    whose file was not found with its alt text."""
    pieces, position = [], 0
    for tag, reference in tags:
        image = images.get(reference.path or "")
        if image is not None:
            replacement = picture_html(image, tag, settings.sizes, settings.lazy_loading)
        elif reference.path is None:
            replacement = missing_image_html(tag)
        else:
            continue
        pieces += [html[position : tag.start], replacement]
        position = tag.end
    pieces.append(html[position:])
    return "".join(pieces)

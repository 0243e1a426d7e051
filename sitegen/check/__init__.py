"""`sitegen check`: what a build alone does not catch, found in a build held in memory.

Each module checks one thing and returns diagnostics: `links` (internal links, anchors,
files, image alt text), `content` (duplicate titles, missing topics, bidi controls),
`feeds` (Atom and RSS structure), `rtl` (page language and direction, `<pre>`, physical CSS,
arrows that do not mirror). `check_site` runs them all.
"""

from __future__ import annotations

import dataclasses
from collections import Counter

from sitegen.build.pipeline import BuildOptions, build
from sitegen.check.content import check_content
from sitegen.check.css import mirrored_classes
from sitegen.check.feeds import check_feeds
from sitegen.check.html_scan import scan_page
from sitegen.check.links import check_links
from sitegen.check.locate import Locator, body_spans
from sitegen.check.rtl import check_arrows, check_css, check_pages
from sitegen.core.config import Site
from sitegen.core.diagnostics import Diagnostic, diagnostic_order


def check_site(site: Site, options: BuildOptions | None = None) -> list[Diagnostic]:
    """Build `site` in memory and return the build's diagnostics and every check's."""
    # problems are located in the articles' sources as they were parsed
    result = build(site, dataclasses.replace(options or BuildOptions(), source_texts=True))
    if not result.ok:
        return list(result.diagnostics)
    config = site.config
    text = {
        p: d.decode("utf-8", "replace")
        for p, d in result.files.items()
        if p.endswith((".html", ".css"))
    }
    pages = {p: scan_page(t) for p, t in text.items() if p.endswith(".html")}
    stylesheets = {p: t for p, t in text.items() if p.endswith(".css")}
    bodies = body_spans(text, result.sources, result.articles)
    texts = {a.path: a.source_text for a in result.articles}
    locator = Locator(texts, config.output, result.sources, bodies)
    mirrored = {c for css in stylesheets.values() for c in mirrored_classes(css)}
    found = [
        *result.diagnostics,
        *check_links(
            pages,
            result.files,
            config.base_path,
            config.origin,
            locator,
            frozenset({config.email.unsubscribe} - {None}),
        ),
        *check_content(result.articles, locator.lines_of),
        *check_feeds(result.files, config.output),
        *check_pages(pages, locator, config.dir),
        *check_css(stylesheets, result.sources, config.dir),
        *(check_arrows(result.theme, mirrored) if result.theme else ()),
    ]
    return collapse_repeats(found, f"{config.output}/")


def collapse_repeats(diagnostics: list[Diagnostic], built: str) -> list[Diagnostic]:
    """One diagnostic per message for problems in built pages (a template's mistake shows
    on every page, or on every turn of a loop), noting how often else it occurs."""
    times = Counter((d.message, d.path) for d in diagnostics if d.path.startswith(built))
    pages = Counter(message for message, _ in times)
    seen: set[str] = set()
    kept = []
    for d in sorted(diagnostics, key=diagnostic_order):
        if d.path.startswith(built):
            if d.message in seen:
                continue
            seen.add(d.message)
            more = _more(times[d.message, d.path] - 1, pages[d.message] - 1)
            if more:
                d = Diagnostic(d.path, d.line, f"{d.message} ({more})", d.severity, d.hint)
        kept.append(d)
    return kept


def _more(times: int, pages: int) -> str:
    """`and 2 more times on this page, and on 1 more page`, or '' for neither."""
    parts = []
    if times:
        parts.append(f"and {times} more time{'s' if times > 1 else ''} on this page")
    if pages:
        parts.append(f"and on {pages} more page{'s' if pages > 1 else ''}")
    return ", ".join(parts)

"""Shared by the search tests and bench/search_bench.py: the fixed Arabic site, its query set,
a local HTTP server for in-memory files, and Pagefind searches in a real Chromium."""

from __future__ import annotations

import http.server
from collections.abc import Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import ClassVar

import yaml

from sitegen.build.search.index import SearchRecord
from tests.e2e.browser import serving

DATA = Path(__file__).parent / "data" / "search"


@dataclass(frozen=True)
class Query:
    text: str
    expect: tuple[str, ...]
    case: str


def site_records() -> list[SearchRecord]:
    """The fixed site as search records; URLs are `/<slug>/`."""
    articles = yaml.safe_load((DATA / "site.yaml").read_text("utf-8"))
    return [
        SearchRecord(
            url=f"/{a['slug']}/",
            title=a["title"],
            body="".join(f"<p>{escape(p)}</p>" for p in a["body"].splitlines() if p.strip()),
            date=a["date"],
            topic=a["topic"],
        )
        for a in articles
    ]


def queries() -> list[Query]:
    """The fixed query set with the expected article URLs."""
    items = yaml.safe_load((DATA / "queries.yaml").read_text("utf-8"))
    return [
        Query(str(i["q"]), tuple(f"/{slug}/" for slug in i["expect"]), i["case"]) for i in items
    ]


class _FilesHandler(http.server.BaseHTTPRequestHandler):
    files: ClassVar[Mapping[str, bytes]] = {}
    types: ClassVar[dict[str, str]] = {
        ".js": "text/javascript",
        ".json": "application/json",
        ".html": "text/html",
    }

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0].lstrip("/")
        if path == "" or path.endswith("/"):
            path += "index.html"
        body = self.files.get(path)
        if body is None:
            self.send_error(404)
            return
        self.send_response(200)
        suffix = Path(path).suffix
        self.send_header("Content-Type", self.types.get(suffix, "application/octet-stream"))
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


def serve_files(files: Mapping[str, bytes]) -> AbstractContextManager[str]:
    """Serve `{path: bytes}` on 127.0.0.1 (free port) while the block runs; yield the base URL."""
    return serving(type("Handler", (_FilesHandler,), {"files": dict(files)}))


_SEARCH_JS = """async ({queries, keys, excerpts, bundle}) => {
  const helper = keys ? await import(`${bundle}sitegen-search.js`) : null;
  const pf = helper ? await helper.openIndex() : await import('/pagefind/pagefind.js');
  if (!helper) await pf.init();
  const out = [];
  for (const q of queries) {
    const text = helper ? helper.queryText(q) : q;
    const found = await pf.search(text);
    const data = await Promise.all(found.results.map((r) => r.data()));
    out.push(data.map((d) => excerpts ? {
      url: d.url,
      raw: d.excerpt,
      excerpt: helper ? helper.removeAnnotations(d.excerpt) : d.excerpt,
    } : {url: d.url}));
  }
  return out;
}"""


def search_all(
    page,
    base_url: str,
    texts: list[str],
    *,
    keys: bool,
    excerpts: bool = True,
    bundle: str = "/pagefind/",
) -> list[list[dict]]:
    """Run each query through Pagefind's JS API in `page`; results in rank order.

    With `keys`, the index is sitegen's (every partition merged by `openIndex`), queries go
    through its `queryText` and excerpts through `removeAnnotations`, as on the search page;
    without, it is a plain Pagefind bundle at `/pagefind/`. Each result is `{url, raw, excerpt}` (only
    `{url}` without `excerpts`); `bundle`: where sitegen's index is served. Queries run in
    batches to keep each answer small.
    """
    # a page of the origin without a language: Pagefind would otherwise pick its index (and
    # stemmer) for the language of the page, as the search page's lang="ar" does
    page.goto(f"{base_url}/pagefind/{'sitegen-search.js' if keys else 'pagefind-entry.json'}")
    results: list[list[dict]] = []
    for start in range(0, len(texts), 20):
        batch = {
            "queries": texts[start : start + 20],
            "keys": keys,
            "excerpts": excerpts,
            "bundle": bundle,
        }
        results.extend(page.evaluate(_SEARCH_JS, batch))
    return results

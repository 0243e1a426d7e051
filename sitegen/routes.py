"""The only place URLs and output paths are made.

A route's `path` is relative to the site root (`2022/01/07/slug/`), the output file is
`path + index.html` for pages, and `url` prefixes the base path (`/news/2022/…`). Paths stay
Unicode (on disk and in HTML); `absolute` percent-encodes them where a URI is required.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import quote, unquote, urlsplit

from sitegen.config import SiteConfig
from sitegen.model import Article


def page_path(base: str, page: int) -> str:
    """The path of page `page` of a paginated list rooted at `base`."""
    return base if page == 1 else f"{base}page/{page}/"


@dataclass(frozen=True)
class Routes:
    """URL and path maker for one site configuration."""

    config: SiteConfig

    # -- paths, relative to the output folder -------------------------------------------
    def home(self, page: int = 1) -> str:
        return page_path("", page)

    def day(self, date: dt.date) -> str:
        return f"{date:%Y/%m/%d}/"

    def month(self, year: int, month: int) -> str:
        return f"{year:04d}/{month:02d}/"

    def year(self, year: int) -> str:
        return f"{year:04d}/"

    def article(self, article: Article, topic_slug: str | None) -> str:
        d = article.date
        return self.config.permalinks.article.format(
            year=f"{d.year:04d}",
            month=f"{d.month:02d}",
            day=f"{d.day:02d}",
            slug=article.slug,
            topic=topic_slug or "-",
        ).lstrip("/")

    def topics(self) -> str:
        return "topics/"

    def topic(self, slug: str, page: int = 1) -> str:
        return page_path(f"topics/{slug}/", page)

    def tags(self) -> str:
        return "tags/"

    def tag(self, slug: str, page: int = 1) -> str:
        return page_path(f"tags/{slug}/", page)

    def search(self) -> str:
        return "search/"

    def not_found(self) -> str:
        return "404.html"

    def images(self) -> str:
        """The folder of processed images; `sitegen.images` names the files inside it."""
        return "images/"

    def alias(self, alias: str) -> str:
        """The path of an old URL given in `aliases` (`/old/x/`, `old/x/` or a full URL)."""
        return unquote(urlsplit(alias).path).lstrip("/")

    # -- turning paths into files and URLs ----------------------------------------------
    @staticmethod
    def output_file(path: str) -> str:
        """The file a path is written to: `x/` → `x/index.html`."""
        return f"{path}index.html" if path.endswith("/") or path == "" else path

    def url(self, path: str) -> str:
        """Site-absolute URL (Unicode) under the base path, e.g. `/news/topics/سياسة/`."""
        return self.config.base_path + path

    def absolute(self, path: str) -> str:
        """Full, percent-encoded URL for feeds, sitemaps and metadata."""
        return self.config.origin + quote(self.url(path), safe="/:@!$&'()*+,;=-._~%")

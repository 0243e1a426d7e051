"""The only place URLs and output paths are made.

A route's `path` is relative to the site root (`2022/01/07/slug/`), the output file is
`path + index.html` for pages, and `url` prefixes the base path (`/news/2022/…`). Paths stay
Unicode (on disk and in HTML); `absolute` percent-encodes them where a URI is required.
"""

from __future__ import annotations

import datetime as dt
import re
import string
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal
from urllib.parse import unquote, urlsplit

from sitegen.core.config import SiteConfig

if TYPE_CHECKING:  # a type only: routes are made without the model stage imported
    from sitegen.build.model import Article

FeedKind = Literal["atom", "rss", "json"]
FEED_FILES: dict[FeedKind, str] = {"atom": "feed.xml", "rss": "rss.xml", "json": "feed.json"}
SEARCH_BUNDLE_DIR = "pagefind"  # the search index's folder (`sitegen.build.search.partitions`)
URI_SAFE = "/:@!$&'()*+,;=-._~%"
_LONE_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_DAY_EMAIL = re.compile(r"\d{4}/\d{2}/\d{2}/email\.(?:html|txt)")


class _Escapes(dict[int, str]):
    """`str.translate`'s table for `urllib.parse.quote(text, safe)`: each character met → its
    UTF-8 bytes percent-encoded (the unreserved and `safe` ASCII characters → themselves),
    worked out once. A site's URLs repeat a few hundred letters over and over."""

    def __init__(self, safe: str) -> None:
        super().__init__()
        self.kept = frozenset(string.ascii_letters + string.digits + "_.-~" + safe)

    def __missing__(self, code: int) -> str:
        char = chr(code)
        if char in self.kept:
            escaped = char
        else:  # a lone surrogate raises UnicodeEncodeError, as `quote` does
            escaped = "".join(f"%{byte:02X}" for byte in char.encode("utf-8"))
        self[code] = escaped
        return escaped


_PATH_ESCAPES = _Escapes(URI_SAFE)
_URL_ESCAPES = _Escapes(URI_SAFE + "?#[]")


def percent_encode(url: str) -> str:
    """A URL with every character outside URI syntax (Arabic letters, spaces) percent-encoded;
    existing escapes are kept, a `%` that starts none becomes `%25`."""
    return _LONE_PERCENT.sub("%25", url.translate(_URL_ESCAPES))


def page_path(base: str, page: int) -> str:
    """The path of page `page` of a paginated list rooted at `base`."""
    return base if page == 1 else f"{base}page/{page}/"


@dataclass(frozen=True)
class Routes:
    """URL and path maker for one site configuration; `prefix` is the folder of a further
    language's pages (`en/`, `sitegen.build.editions`), '' for the default language's."""

    config: SiteConfig
    prefix: str = ""

    # -- paths, relative to the output folder -------------------------------------------
    def home(self, page: int = 1) -> str:
        return page_path(self.prefix, page)

    def day(self, date: dt.date) -> str:
        return f"{self.prefix}{date:%Y/%m/%d}/"

    def day_email(self, date: dt.date, suffix: str) -> str:
        """The day's digest as an email: `YYYY/MM/DD/email.html`, `…/email.txt`."""
        return f"{self.day(date)}email.{suffix}"

    @staticmethod
    def is_day_email(path: str) -> bool:
        """Whether an output path is one of `day_email`'s."""
        return _DAY_EMAIL.fullmatch(path) is not None

    def month(self, year: int, month: int) -> str:
        return f"{self.prefix}{year:04d}/{month:02d}/"

    def year(self, year: int) -> str:
        return f"{self.prefix}{year:04d}/"

    def article(self, article: Article, topic_slug: str | None) -> str:
        d = article.date
        path = self.config.permalinks.article.format(
            year=f"{d.year:04d}",
            month=f"{d.month:02d}",
            day=f"{d.day:02d}",
            slug=article.slug,
            topic=topic_slug or "-",
        ).lstrip("/")
        return self.prefix + path

    def topics(self) -> str:
        return f"{self.prefix}topics/"

    def topic(self, slug: str, page: int = 1) -> str:
        return page_path(f"{self.prefix}topics/{slug}/", page)

    def tags(self) -> str:
        return f"{self.prefix}tags/"

    def tag(self, slug: str, page: int = 1) -> str:
        return page_path(f"{self.prefix}tags/{slug}/", page)

    def search(self) -> str:
        return f"{self.prefix}search/"

    def page(self, slug: str) -> str:
        """A standalone page (`sitegen.build.pages`): `<slug>/` at the top of the site."""
        return f"{slug}/"

    def search_bundle(self) -> str:
        """The folder of the search index's files (Pagefind's bundle and its query module); a
        further language's partitions are in a folder of their own (`pagefind/en/`)."""
        return f"{SEARCH_BUNDLE_DIR}/{self.prefix}"

    def not_found(self) -> str:
        return f"{self.prefix}404.html"

    def feed(self, kind: FeedKind, page: str = "") -> str:
        """A feed of the site (`page` its home, `home()`) or of a topic or tag
        (`topics/<slug>/`)."""
        return page + FEED_FILES[kind]

    def sitemap(self, part: int | None = None) -> str:
        """`sitemap.xml`, or part `n` of a sitemap split by a sitemap index."""
        return "sitemap.xml" if part is None else f"sitemap-{part}.xml"

    def news_sitemap(self) -> str:
        return "news-sitemap.xml"

    def robots(self) -> str:
        return "robots.txt"

    def alias(self, alias: str) -> str:
        """The path of an old URL given in `aliases`: `/old/x/`, `old/x`, `/old.html`, or a full
        URL on this site; relative to the base path, a folder unless it names an `.html` file."""
        parts = urlsplit(alias)
        path = unquote(parts.path)
        base = unquote(self.config.base_path)
        if parts.netloc and path.startswith(base):
            path = path[len(base) :]
        path = path.lstrip("/")
        if path and not path.endswith(("/", ".html", ".htm")):
            path += "/"
        return path

    def images(self) -> str:
        """The folder of processed images; `sitegen.build.images` names the files inside it."""
        return "images/"

    @staticmethod
    def card(page: str) -> str:
        """An article's share card, next to its page: `2022/01/07/slug/card.png`."""
        return f"{page}card.png"

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
        return self.config.origin + self.url(path).translate(_PATH_ESCAPES)

    def resource(self, value: str) -> str:
        """The absolute URL of a configured file (`images/logo.png`, `/images/logo.png`, a path
        under the site) or of an http(s) URL, which is kept."""
        if urlsplit(value).scheme in ("http", "https"):
            return percent_encode(value)
        return self.absolute(value.lstrip("/"))

    def tag_uri(self, date: dt.date, path: str) -> str:
        """An RFC 4151 tag URI for a page, stable when the site moves to another base URL:
        `tag:example.org,2022-01-07:2022/01/07/slug/`."""
        authority = self.config.feeds.tag_authority or urlsplit(self.config.base_url).hostname
        return f"tag:{authority},{date:%Y-%m-%d}:{path.translate(_PATH_ESCAPES)}"

"""The sections of `sitegen.yaml` below its top level, as frozen dataclasses: the schema that
`sitegen.core.schema.Checker` builds them from (a field's type is what the key accepts, its
default what a missing key means). `SiteConfig` (`sitegen.core.config`) holds one of each.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from email.utils import getaddresses
from typing import Any, Literal

from sitegen.core.schema import SOURCE_LINE
from sitegen.core.yamlload import DEFAULT_MAX_NESTING


@dataclass(frozen=True)
class TopicConfig:
    """A topic's display name, URL slug and description; list order is display order."""

    name: str
    slug: str | None = None
    description: str = ""

    @staticmethod
    def from_shorthand(value: Any) -> dict[str, Any] | None:
        """`topics: [سياسة, اقتصاد]` names topics without slugs."""
        return {"name": value} if isinstance(value, str) else None


@dataclass(frozen=True)
class MenuItem:
    """One entry of the masthead and footer menu (docs/configuration.md): a `page` (by slug
    or content path), a `topic` (by name or slug) or a `url` (a path under the site, or an
    http(s) URL) with its `title`. `title` also overrides a page's or a topic's own name.
    `line` is where the item is written in sitegen.yaml."""

    page: str | None = None
    topic: str | None = None
    url: str | None = None
    title: str | None = None
    line: int | None = field(default=None, compare=False, metadata=SOURCE_LINE)

    def problem(self) -> str | None:
        """What is wrong with the item as written, or None."""
        named = [key for key in ("page", "topic", "url") if getattr(self, key) is not None]
        if len(named) != 1:
            return "a menu item needs exactly one of 'page', 'topic' or 'url'" + (
                f", not {' and '.join(named)}" if named else ""
            )
        if self.url is not None and not (self.title and self.title.strip()):
            return f"menu item {self.url!r} needs a 'title'"
        if self.url is not None and not self.url.startswith(("/", "http://", "https://")):
            return f"menu url {self.url!r} must start with '/' (a path of the site) or be an http(s) URL"
        return None


@dataclass(frozen=True)
class LocaleConfig:
    """How dates and numbers are shown (docs/languages.md); unset, they follow the language."""

    month_names: Literal["egyptian", "levantine", "maghrebi", "dual"] | None = None
    digits: Literal["arabic", "latin"] | None = None
    calendar: Literal["gregorian", "jalali"] | None = None
    hijri: bool = False


@dataclass(frozen=True)
class LanguageConfig:
    """A further language of the site (`languages:`, docs/languages.md): its articles are
    published under `/<language>/` with this title and description, its topics' display
    names (`topics`: topic slug → name) and its own locale options."""

    title: str
    description: str = ""
    direction: Literal["rtl", "ltr"] | None = None
    locale: LocaleConfig = field(default_factory=LocaleConfig)
    topics: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class PaginateConfig:
    """Page sizes: articles per topic/tag page, older days per home page."""

    articles: int = 20
    days: int = 7

    @staticmethod
    def from_shorthand(value: Any) -> dict[str, Any] | None:
        """`paginate: 10` sets the articles per page."""
        return {"articles": value} if isinstance(value, int) else None


@dataclass(frozen=True)
class PermalinksConfig:
    """URL patterns. Tokens: {year} {month} {day} {slug} {topic}."""

    article: str = "/{year}/{month}/{day}/{slug}/"


@dataclass(frozen=True)
class MarkdownConfig:
    """Python-Markdown settings: extra extensions by name, and raw HTML trust."""

    extensions: tuple[str, ...] = ()
    unsafe_html: bool = False


@dataclass(frozen=True)
class DeployTarget:
    """One deploy target (docs/deploy.md). `git`: `remote` (default `origin`), `branch`
    (default `gh-pages`), `nojekyll` (default true). `rsync`: `destination` (required). Both:
    `headers` and `redirects` write Netlify/Cloudflare Pages `_headers` and `_redirects`."""

    type: Literal["git", "rsync"]
    remote: str | None = None
    branch: str | None = None
    nojekyll: bool | None = None
    destination: str | None = None
    headers: bool = False
    redirects: bool = False


# Keys that belong to one kind of deploy target only.
DEPLOY_KEYS_OF = {"remote": "git", "branch": "git", "nojekyll": "git", "destination": "rsync"}


@dataclass(frozen=True)
class DeployConfig:
    """Named deploy targets and the one `sitegen deploy` uses without an argument."""

    targets: dict[str, DeployTarget] = field(default_factory=dict)
    default: str | None = None


@dataclass(frozen=True)
class FeedsConfig:
    """Atom, RSS and JSON feeds of the site, its topics and its tags (docs/feeds.md)."""

    atom: bool = True
    rss: bool = True
    json: bool = False
    limit: int = 20
    content: Literal["full", "summary"] = "full"
    topics: bool = True
    tags: bool = True
    ids: Literal["permalink", "tag"] = "permalink"
    tag_authority: str | None = None


@dataclass(frozen=True)
class SitemapConfig:
    """`sitemap.xml` (an index past `max_urls`), the Google News sitemap and `robots.txt`."""

    max_urls: int = 50_000
    news: bool = True
    news_hours: int = 48
    robots: bool = True


@dataclass(frozen=True)
class MetadataConfig:
    """Publisher details for Open Graph, Twitter cards and JSON-LD (docs/feeds.md)."""

    publisher: str | None = None
    logo: str | None = None
    image: str | None = None
    twitter: str | None = None


@dataclass(frozen=True)
class LimitsConfig:
    """Bounds on what one source file may ask of the build (see docs/safety.md)."""

    max_file_bytes: int = 5_000_000
    max_nesting: int = DEFAULT_MAX_NESTING


@dataclass(frozen=True)
class UtmConfig:
    """Campaign parameters added to every link of an email (`{date}`: the day, YYYY-MM-DD)."""

    source: str | None = None
    medium: str | None = None
    campaign: str | None = None
    content: str | None = None
    term: str | None = None


@dataclass(frozen=True)
class EmailConfig:
    """The daily email edition (docs/email.md): `YYYY/MM/DD/email.html` and `email.txt`, and the
    sender and recipients `sitegen email` uses. `from` is spelt `from_` here (a Python word)."""

    enabled: bool = True
    from_: str | None = None
    to: tuple[str, ...] = ()
    footer: str = ""
    unsubscribe: str | None = None
    utm: UtmConfig = field(default_factory=UtmConfig)

    @staticmethod
    def from_shorthand(value: Any) -> dict[str, Any] | None:
        """`email: false` builds no emails."""
        return {"enabled": value} if isinstance(value, bool) else None

    def problems(self) -> list[tuple[str, str]]:
        """Addresses that are not addresses, as (key, message) pairs."""
        found = []
        for key, values in (("from", (self.from_,) if self.from_ else ()), ("to", self.to)):
            for value in values:
                if address_problem(value):
                    found.append((key, f"'email.{key}': {address_problem(value)}"))
        return found


SMTP_PASSWORD_VARIABLE = "SITEGEN_SMTP_PASSWORD"  # the SMTP password of `sitegen email --user`


def address_problem(value: str) -> str | None:
    """Why `value` is not one mail address (`news@example.org`, `Name <news@example.org>`)."""
    parsed = getaddresses([value])
    if len(parsed) != 1 or not _ADDRESS.fullmatch(parsed[0][1]) or "\n" in value:
        return f"{value!r} is not an e-mail address such as news@example.org"
    return None


_ADDRESS = re.compile(r"[^@\s<>(),;:\"\[\]]+@[^@\s<>(),;:\"\[\]]+\.[^@\s<>(),;:\"\[\].]+")

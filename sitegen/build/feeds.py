"""Feed data: the newest articles of the site, a topic or a tag as plain data for the Atom and
RSS templates (`feed.xml`, `rss.xml`), and JSON Feed 1.1 bytes. Pure.

Entries carry absolute, percent-encoded URLs; links and images inside the content are made
absolute too, because feed readers show it away from the site.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urljoin

from sitegen.build.group import SiteIndex
from sitegen.build.model import Article
from sitegen.build.routes import FeedKind, Routes, percent_encode
from sitegen.core.config import SiteConfig
from sitegen.core.languages import direction_of, language_tag
from sitegen.core.text import slugify

JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
GENERATOR = "sitegen"

_TAG = re.compile(r"<[A-Za-z][^>]*>")
_URL_ATTRIBUTE = re.compile(
    r"""(?P<name>\s(?:href|src|poster|cite)\s*=\s*)(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)')""", re.I
)
_SRCSET = re.compile(r"""(?P<name>\ssrcset\s*=\s*)(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)')""", re.I)


def absolute_html(html: str, base: str) -> str:
    """`html` with every URL in `href`, `src`, `srcset`, `poster` and `cite` attributes made
    absolute against `base` and percent-encoded. Text that merely looks like an attribute
    (`&lt;a href="/x"&gt;` in a code sample) is left alone."""

    def resolve(value: str) -> str:
        return percent_encode(urljoin(base, value.strip()))

    def attribute(match: re.Match[str]) -> str:
        value = match.group("dq") if match.group("dq") is not None else match.group("sq")
        return f'{match.group("name")}"{resolve(value)}"'

    def srcset(match: re.Match[str]) -> str:
        value = match.group("dq") if match.group("dq") is not None else match.group("sq")
        candidates = []
        for candidate in value.split(","):
            url, _, descriptor = candidate.strip().partition(" ")
            if url:
                candidates.append(f"{resolve(url)} {descriptor}".strip())
        return f'{match.group("name")}"{", ".join(candidates)}"'

    def tag(match: re.Match[str]) -> str:
        return _SRCSET.sub(srcset, _URL_ATTRIBUTE.sub(attribute, match.group(0)))

    return _TAG.sub(tag, html)


@dataclass(frozen=True)
class FeedScope:
    """Whose feed: the site, a topic or a tag. `page` is the path of its HTML listing."""

    kind: Literal["site", "topic", "tag"]
    articles: Sequence[Article]
    page: str = ""
    name: str | None = None
    description: str = ""


class FeedMaker:
    """Builds feed data for one site; each article's entry is made once and shared."""

    def __init__(
        self,
        index: SiteIndex,
        config: SiteConfig,
        routes: Routes,
        article_paths: Mapping[str, str],
        images: Mapping[str, Mapping[str, Any]],
    ) -> None:
        self.index = index
        self.config = config
        self.routes = routes
        self.article_paths = article_paths
        self.images = images
        self._entries: dict[str, dict[str, Any]] = {}

    def kinds(self) -> list[FeedKind]:
        """The feed formats this site publishes."""
        feeds = self.config.feeds
        wanted: list[tuple[FeedKind, bool]] = [
            ("atom", feeds.atom),
            ("rss", feeds.rss),
            ("json", feeds.json),
        ]
        return [kind for kind, on in wanted if on]

    def scopes(self) -> list[FeedScope]:
        """The site, then every topic and tag whose feeds are switched on."""
        feeds, routes = self.config.feeds, self.routes
        scopes = [
            FeedScope(
                "site", self.index.articles, self.routes.home(), None, self.config.description
            )
        ]
        if feeds.topics:
            scopes += [
                FeedScope(
                    "topic",
                    g.articles,
                    routes.topic(g.topic.slug),
                    g.topic.name,
                    g.topic.description,
                )
                for g in self.index.topics
            ]
        if feeds.tags:
            scopes += [
                FeedScope("tag", g.articles, routes.tag(g.tag.slug), g.tag.name)
                for g in self.index.tags
            ]
        return scopes

    def feed(self, scope: FeedScope, now: dt.datetime) -> dict[str, Any]:
        """The feed of a scope: its newest `feeds.limit` entries and feed-level data."""
        config = self.config
        entries = [self.entry(a) for a in scope.articles[: config.feeds.limit]]
        title = f"{scope.name} – {config.title}" if scope.name else config.title
        links = {
            kind: self.routes.absolute(self.routes.feed(kind, scope.page)) for kind in self.kinds()
        }
        publisher = config.metadata.publisher or config.title
        return {
            "kind": scope.kind,
            "name": scope.name,
            "title": title,
            "subtitle": scope.description,
            "language": language_tag(config.language),
            "id": links.get("atom") or self.routes.absolute(scope.page),
            "url": self.routes.absolute(scope.page),
            "links": {"atom": None, "rss": None, "json": None, **links},
            "updated": max((e["updated"] for e in entries), default=now),
            "author": config.author or publisher,
            "logo": self.routes.resource(config.metadata.logo) if config.metadata.logo else None,
            "generator": GENERATOR,
            "entries": entries,
        }

    def entry(self, article: Article) -> dict[str, Any]:
        """One article as a feed entry (made once per build)."""
        found = self._entries.get(article.path)
        if found is None:
            found = self._entries[article.path] = self._make_entry(article)
        return found

    def _make_entry(self, a: Article) -> dict[str, Any]:
        path = self.article_paths[a.path]
        url = self.routes.absolute(path)
        tag_ids = self.config.feeds.ids == "tag"
        image = self.images.get(a.path)
        return {
            "id": self.routes.tag_uri(a.date.date(), path) if tag_ids else url,
            "id_is_permalink": not tag_ids,
            "title": a.title,
            "url": url,
            "published": a.date,
            "updated": a.modified,
            **entry_body(a, url, self.config),
            "authors": list(a.authors),
            "categories": self._categories(a),
            "lang": language_tag(a.lang) if a.lang else None,
            "image": dict(image["share"]) if image and image["share"] else None,
            "source": {"name": a.source, "url": a.source_url} if a.source else None,
            "via": a.via,
        }

    def _categories(self, a: Article) -> list[dict[str, str]]:
        found = []
        topic = self.index.topic_by_name.get(a.topic) if a.topic else None
        if topic:
            found.append({"term": topic.name, "scheme": self.routes.absolute(self.routes.topics())})
        tags_scheme = self.routes.absolute(self.routes.tags())
        for slug in dict.fromkeys(slugify(t) for t in a.tags):
            tag = self.index.tag_by_slug.get(slug)
            if tag:
                found.append({"term": tag.name, "scheme": tags_scheme})
        return found


def entry_body(a: Article, url: str, config: SiteConfig) -> dict[str, Any]:
    """What an article's feed entry (at `url`) shows of its body: its summary and content
    (None unless `feeds.content` is `full`)."""
    content = None
    if config.feeds.content == "full":
        content = absolute_html(a.html, url)
        direction = a.dir or (direction_of(a.lang) if a.lang else config.dir)
        if direction != "ltr":
            content = f'<div dir="{direction}">{content}</div>'
    return {"summary": a.summary, "content": content}


def json_feed(feed: Mapping[str, Any]) -> bytes:
    """A feed (as made by `FeedMaker.feed`) in JSON Feed 1.1."""
    items = []
    for e in feed["entries"]:
        item: dict[str, Any] = {"id": e["id"], "url": e["url"], "title": e["title"]}
        if e["content"] is not None:
            item["content_html"] = e["content"]
        else:
            item["content_text"] = e["summary"]
        item["summary"] = e["summary"]
        if e["image"]:
            item["image"] = e["image"]["url"]
        item["date_published"] = e["published"].isoformat(timespec="seconds")
        item["date_modified"] = e["updated"].isoformat(timespec="seconds")
        if e["authors"]:
            item["authors"] = [{"name": name} for name in e["authors"]]
        if e["categories"]:
            item["tags"] = [c["term"] for c in e["categories"]]
        if e["lang"]:
            item["language"] = e["lang"]
        items.append(item)
    data: dict[str, Any] = {
        "version": JSON_FEED_VERSION,
        "title": feed["title"],
        "home_page_url": feed["url"],
        "feed_url": feed["links"]["json"],
    }
    if feed["subtitle"]:
        data["description"] = feed["subtitle"]
    if feed["logo"]:
        data["icon"] = feed["logo"]
    data["authors"] = [{"name": feed["author"]}]
    data["language"] = feed["language"]
    data["items"] = items
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")

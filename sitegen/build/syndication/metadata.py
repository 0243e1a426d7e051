"""Page metadata as plain data: Open Graph and Twitter card tags, JSON-LD (`NewsArticle` on
article pages, `CollectionPage` with an `ItemList` on digests), feed autodiscovery links and
`hreflang` alternates. Pure; the digest theme prints it from `partials/head-meta.html`.

JSON-LD is a dict here; templates serialise it with the `json` filter (`json.dumps`, with
`<`, `>` and `&` escaped), so no title can close the `<script>` element.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

from sitegen.build.routes import Routes
from sitegen.core.config import CONFIG_FILE, SiteConfig
from sitegen.core.diagnostics import Diagnostic, warning
from sitegen.core.languages import language_tag, og_locale

SCHEMA_ORG = "https://schema.org"
COLLECTION_KINDS = frozenset({"home", "day", "month", "year", "topics", "topic", "tags", "tag"})
NOINDEX_KINDS = frozenset({"404", "search"})  # result pages of a search are not for crawlers


def check_resources(config: SiteConfig, files: Collection[str]) -> list[Diagnostic]:
    """Warnings for `metadata.logo` and `metadata.image` paths that are not in the site."""
    problems = []
    for key in ("logo", "image"):
        value = getattr(config.metadata, key)
        if value and not urlsplit(value).scheme and unquote(value).lstrip("/") not in files:
            problems.append(
                warning(CONFIG_FILE, None, f"metadata.{key}: {value} is not a file of the site")
            )
    return problems


def iso(value: dt.datetime) -> str:
    return value.isoformat(timespec="seconds")


@dataclass(frozen=True)
class NewsPublisher:
    """The site as publisher: name, home URL, logo, default share image, Twitter handle."""

    name: str
    url: str
    language: str
    logo: str | None = None
    image: str | None = None
    twitter: str | None = None

    @classmethod
    def of(cls, config: SiteConfig, routes: Routes) -> NewsPublisher:
        meta = config.metadata
        return cls(
            name=meta.publisher or config.title,
            url=routes.absolute(routes.home()),
            language=language_tag(config.language),
            logo=routes.resource(meta.logo) if meta.logo else None,
            image=routes.resource(meta.image) if meta.image else None,
            twitter=meta.twitter,
        )

    def organization(self) -> dict[str, Any]:
        org: dict[str, Any] = {"@type": "Organization", "name": self.name, "url": self.url}
        if self.logo:
            org["logo"] = {"@type": "ImageObject", "url": self.logo}
        return org


def share_image(
    article: Mapping[str, Any] | None,
    publisher: NewsPublisher,
    card: Mapping[str, Any] | None = None,
) -> dict[str, Any] | None:
    """The image shown when a page is shared: the article's lead image, else its share card
    (`build/cards/`), else the site's."""
    image = article.get("image") if article else None
    if image and image["share"]:  # an SVG lead image cannot be shared
        return {**image["share"], "alt": image.get("alt") or ""}
    if card:
        return dict(card)
    if publisher.image:
        return {"url": publisher.image, "width": None, "height": None, "type": None, "alt": ""}
    return None


def news_article(
    article: Mapping[str, Any], publisher: NewsPublisher, image: Mapping[str, Any] | None
) -> dict[str, Any]:
    """JSON-LD `NewsArticle` of an article view (see `sitegen.build.views.Views.article_view`)
    with its share `image`."""
    url = article["absolute_url"]
    data: dict[str, Any] = {
        "@context": SCHEMA_ORG,
        "@type": "NewsArticle",
        "headline": article["title"],
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "datePublished": iso(article["date"]),
        "dateModified": iso(article["modified"]),
        "author": [{"@type": "Person", "name": name} for name in article["authors"]]
        or [publisher.organization()],
        "publisher": publisher.organization(),
        "inLanguage": language_tag(article["lang"] or publisher.language),
    }
    if article["summary"]:
        data["description"] = article["summary"]
    if image:
        data["image"] = [image["url"]]
    if article["topic"]:
        data["articleSection"] = article["topic"]["name"]
    if article["tags"]:
        data["keywords"] = [t["name"] for t in article["tags"]]
    if article["source_url"]:
        data["isBasedOn"] = article["source_url"]
    if article["via"]:
        data["creditText"] = article["via"]
    if article["corrections"]:
        data["correction"] = [
            {"@type": "CorrectionComment", "text": c["note"], "datePublished": iso(c["date"])}
            for c in article["corrections"]
        ]
    return data


def collection_page(
    url: str, name: str | None, items: Sequence[Mapping[str, Any]], publisher: NewsPublisher
) -> dict[str, Any]:
    """JSON-LD `CollectionPage` of a digest, its articles as an `ItemList` of URLs in page
    order (the summary-page form search engines read)."""
    data: dict[str, Any] = {"@context": SCHEMA_ORG, "@type": "CollectionPage", "url": url}
    if name:
        data["name"] = name
    data["inLanguage"] = publisher.language
    data["isPartOf"] = {"@type": "WebSite", "name": publisher.name, "url": publisher.url}
    if items:
        data["mainEntity"] = {
            "@type": "ItemList",
            "numberOfItems": len(items),
            "itemListElement": [
                {"@type": "ListItem", "position": i, "url": a["absolute_url"]}
                for i, a in enumerate(items, start=1)
            ],
        }
    return data


def open_graph(
    url: str,
    article: Mapping[str, Any] | None,
    image: Mapping[str, Any] | None,
    publisher: NewsPublisher,
) -> list[dict[str, str]]:
    """Open Graph properties other than `og:title` and `og:description`, in order."""
    tags = [
        ("og:site_name", publisher.name),
        ("og:locale", og_locale((article and article["lang"]) or publisher.language)),
        ("og:type", "article" if article else "website"),
        ("og:url", url),
    ]
    if image:
        tags.append(("og:image", image["url"]))
        for key in ("type", "width", "height", "alt"):
            if image.get(key):
                tags.append((f"og:image:{key}", str(image[key])))
    if article:
        tags += [
            ("article:published_time", iso(article["date"])),
            ("article:modified_time", iso(article["modified"])),
        ]
        if article["topic"]:
            tags.append(("article:section", article["topic"]["name"]))
        tags += [("article:tag", t["name"]) for t in article["tags"]]
    return [{"property": p, "content": c} for p, c in tags]


def twitter_card(image: Mapping[str, Any] | None, publisher: NewsPublisher) -> list[dict[str, str]]:
    """Twitter card tags; title, description and image come from Open Graph."""
    tags = [("twitter:card", "summary_large_image" if image else "summary")]
    if publisher.twitter:
        tags.append(("twitter:site", publisher.twitter))
    return [{"name": n, "content": c} for n, c in tags]


def page_metadata(
    *,
    kind: str,
    url: str,
    publisher: NewsPublisher,
    article: Mapping[str, Any] | None = None,
    name: str | None = None,
    items: Sequence[Mapping[str, Any]] = (),
    feeds: Sequence[Mapping[str, str]] = (),
    alternates: Sequence[Mapping[str, str]] = (),
    card: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Everything `partials/head-meta.html` prints for one page.

    `article` is the view of an article page; `name` the topic or tag a listing shows; `items`
    the articles a digest lists; `feeds` the autodiscovery links; `alternates` the page in
    other languages (`hreflang`, `href`); `card` the article's share card, if it has one.
    """
    image = share_image(article, publisher, card)
    if article:
        jsonld: dict[str, Any] | None = news_article(article, publisher, image)
    elif kind in COLLECTION_KINDS:
        jsonld = collection_page(
            url, name or (publisher.name if kind == "home" else None), items, publisher
        )
    else:
        jsonld = None
    return {
        "title": article["title"] if article else None,
        "noindex": kind in NOINDEX_KINDS,
        "og": open_graph(url, article, image, publisher),
        "twitter": twitter_card(image, publisher),
        "jsonld": jsonld,
        "feeds": list(feeds),
        "alternates": list(alternates),
    }

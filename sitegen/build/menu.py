"""The site's menu: `menu:` in sitegen.yaml and pages' own `menu:` resolved to links. Pure.

Items name a page (by slug or content path), a topic (by name or slug) or a URL. A name that
matches nothing is an error at the item's line in sitegen.yaml; a page left out of this build
(a draft) leaves its item out. Pages with a front-matter `menu:` follow the configured items,
by weight, then title. Each page's context gets the links with `current` set for that page
(`Menu.for_path`).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sitegen.build.group import Topic
from sitegen.build.model import topic_name
from sitegen.build.pages import Page
from sitegen.build.routes import Routes
from sitegen.core.config import CONFIG_FILE, CONTENT_FOLDER, SiteConfig
from sitegen.core.config_sections import MenuItem
from sitegen.core.diagnostics import Diagnostic, error
from sitegen.core.text import slugify, sort_key


@dataclass(frozen=True)
class MenuLink:
    """One link of the menu: its label, its URL and, for a link inside the site, its path
    (`sitegen.build.routes`), which decides where it is current."""

    title: str
    url: str
    path: str | None

    def is_current(self, path: str) -> bool:
        """Whether a page at `path` is this link's page or inside it (the home link: only the
        home pages)."""
        if self.path is None:
            return False
        if self.path == "":
            return path == "" or path.startswith("page/")
        return path.startswith(self.path)


@dataclass(frozen=True)
class Menu:
    """The resolved menu, in order. Pages with the same current links share one list (a
    site's pages hold a few distinct ones, not one each)."""

    links: tuple[MenuLink, ...]
    _shown: dict[tuple[bool, ...], list[dict[str, Any]]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def for_path(self, path: str) -> list[dict[str, Any]]:
        """The links as templates see them on the page at `path`: {title, url, current}."""
        current = tuple(link.is_current(path) for link in self.links)
        if current not in self._shown:
            self._shown[current] = [
                {"title": link.title, "url": link.url, "current": now}
                for link, now in zip(self.links, current, strict=True)
            ]
        return self._shown[current]


def find_page(value: str, pages: Iterable[Page]) -> Page | None:
    """The page named by its slug (as written or slugified) or its content path (with or
    without `content/`)."""
    paths = (value, f"{CONTENT_FOLDER}/{value.lstrip('/')}")
    slug = slugify(value)
    return next((p for p in pages if p.path in paths or p.slug in (value, slug)), None)


def find_topic(value: str, topics: Iterable[Topic], config: SiteConfig) -> Topic | None:
    """The topic named by its display name or its URL slug."""
    name, slug = topic_name(value, config.topics), slugify(value)
    return next((t for t in topics if name == t.name or value == t.slug or slug == t.slug), None)


def resolve_menu(
    config: SiteConfig,
    pages: Sequence[Page],
    hidden: Collection[Page],
    topics: Iterable[Topic],
    routes: Routes,
) -> tuple[Menu, list[Diagnostic]]:
    """The menu of a build: configured items, then pages placing themselves; `hidden` are the
    pages this build leaves out (drafts), whose items are left out too."""
    topics = tuple(topics)
    links: list[MenuLink] = []
    listed: set[str] = set()
    problems: list[Diagnostic] = []
    for item in config.menu:
        link, page = _link(item, pages, topics, config, routes)
        if page is not None:
            listed.add(page.path)
        if link is not None:
            links.append(link)
        elif item.page is None or find_page(item.page, hidden) is None:
            kind, value = ("page", item.page) if item.page is not None else ("topic", item.topic)
            problems.append(
                error(CONFIG_FILE, item.line, f"menu: no {kind} {value!r}", _hint(kind))
            )
    placed = sorted(
        (p for p in pages if p.menu is not None and p.path not in listed),
        key=lambda p: (p.menu.weight if p.menu else 0, sort_key(_page_title(p))),
    )
    links += [
        MenuLink(_page_title(p), routes.url(routes.page(p.slug)), routes.page(p.slug))
        for p in placed
    ]
    return Menu(tuple(links)), problems


def _link(
    item: MenuItem,
    pages: Sequence[Page],
    topics: Sequence[Topic],
    config: SiteConfig,
    routes: Routes,
) -> tuple[MenuLink | None, Page | None]:
    """An item's link (None when it names nothing of the site) and the page it names."""
    if item.url is not None:
        if item.url.startswith("/"):
            path = item.url.lstrip("/")
            return MenuLink(item.title or "", routes.url(path), path), None
        return MenuLink(item.title or "", item.url, None), None
    if item.page is not None:
        page = find_page(item.page, pages)
        if page is None:
            return None, None
        path = routes.page(page.slug)
        return MenuLink(item.title or _page_title(page), routes.url(path), path), page
    topic = find_topic(item.topic or "", topics, config)
    if topic is None:
        return None, None
    path = routes.topic(topic.slug)
    return MenuLink(item.title or topic.name, routes.url(path), path), None


def _page_title(page: Page) -> str:
    return (page.menu.title if page.menu else None) or page.title


def _hint(kind: str) -> str:
    if kind == "page":
        return "name a page by its slug or its file under content/"
    return "name a topic by its name or its slug"

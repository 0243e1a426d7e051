"""The group stage for a site in several languages (`languages:` in sitegen.yaml): the
articles split by language into editions, each grouped on its own. Pure.

The default `language`'s edition is the site's root; an article whose `lang` is listed in
`languages:` goes to that language's edition, published under `/<language>/` (its `Routes`
prefix) with its own configuration (`SiteConfig.edition`: title, description, locale, topic
display names). An article in any other language stays in the default edition.
"""

from __future__ import annotations

import dataclasses
import functools
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sitegen.build.group import Relate, SiteIndex, build_index, related_articles
from sitegen.build.model import Article, topic_line, topic_name
from sitegen.build.pages import SectionIndex
from sitegen.build.routes import Routes
from sitegen.core.config import CONFIG_FILE, SiteConfig
from sitegen.core.diagnostics import Diagnostic, warning
from sitegen.core.languages import language_name, language_tag
from sitegen.core.text import slugify

View = dict[str, Any]


@dataclass(frozen=True)
class Edition:
    """One language of the site: `key` its key in `languages:` ('' for the default
    language), the configuration its pages are made with, its grouped articles, its routes."""

    key: str
    config: SiteConfig
    index: SiteIndex
    routes: Routes


def group_editions(
    articles: Iterable[Article],
    config: SiteConfig,
    sections: Mapping[str, SectionIndex] | None = None,
    relate: Relate = related_articles,
) -> tuple[Edition, ...]:
    """The editions of the site, the default language's first, then `languages:` in order;
    `sections` (topic folders' `_index.md`) belong to the default edition."""
    by_key: dict[str, list[Article]] = defaultdict(list)
    for article in articles:
        by_key[config.edition_of(article.lang)].append(article)
    editions = [
        Edition("", config, build_index(by_key[""], config, sections, relate), Routes(config))
    ]
    for key in config.languages:
        edition = config.edition(key)
        rename = _topic_renamer(config, edition)
        shown = [_in_edition(a, rename) for a in by_key[key]]
        index = build_index(shown, edition, None, relate)
        editions.append(Edition(key, edition, index, Routes(edition, f"{key}/")))
    return tuple(editions)


def _topic_renamer(site: SiteConfig, edition: SiteConfig) -> Callable[[str], str]:
    """A topic as articles give it → its display name in the edition: a configured topic
    renamed in `languages.<key>.topics` by its slug, any other topic whose slug is listed.
    Each distinct value is worked out once (articles share a handful of topics)."""
    names = {t.name: e.name for t, e in zip(site.topics, edition.topics, strict=True)}
    renames = site.languages[edition.language].topics

    @functools.cache
    def rename(topic: str) -> str:
        found = names.get(topic) or renames.get(slugify(topic))
        return found or topic_name(topic, edition.topics)

    return rename


def in_edition(article: Article, config: SiteConfig) -> Article:
    """The article as its edition shows it (its topic under the edition's display name)."""
    key = config.edition_of(article.lang)
    if not key:
        return article
    return _in_edition(article, _topic_renamer(config, config.edition(key)))


def _in_edition(article: Article, rename: Callable[[str], str]) -> Article:
    """The article with its topic under the edition's display name."""
    if not article.topic:
        return article
    name = rename(article.topic)
    return article if name == article.topic else dataclasses.replace(article, topic=name)


def edition_tag(edition: Edition) -> str:
    """The BCP 47 tag of an edition's language."""
    return language_tag(edition.config.language)


def language_links(editions: tuple[Edition, ...], current: str) -> list[View]:
    """`site.languages`: each language's home page, `current` the edition a page is in;
    none for a site in one language."""
    if len(editions) < 2:
        return []
    return [
        {
            "code": edition_tag(e),
            "name": language_name(e.config.language),
            "dir": e.config.dir,
            "url": e.routes.url(e.routes.home()),
            "current": e.key == current,
        }
        for e in editions
    ]


def translation_links(
    editions: tuple[Edition, ...], paths: Mapping[str, Mapping[str, str]]
) -> dict[str, list[View]]:
    """An article's translations (articles with its `translation_key` in other editions,
    the first of each), by source path; `paths`: each edition's article paths by source."""
    groups: dict[str, dict[str, tuple[Edition, Article]]] = defaultdict(dict)
    for edition in editions:
        for article in edition.index.articles:
            if article.translation_key:
                groups[article.translation_key].setdefault(edition.key, (edition, article))
    found: dict[str, list[View]] = {}
    for group in groups.values():
        for key, (_, article) in group.items():
            others = [
                {
                    "code": edition_tag(e),
                    "name": language_name(e.config.language),
                    "dir": e.config.dir,
                    "title": other.title,
                    "url": e.routes.url(paths[e.key][other.path]),
                }
                for k, (e, other) in group.items()
                if k != key
            ]
            if others:
                found[article.path] = others
    return found


def edition_problems(editions: tuple[Edition, ...]) -> list[Diagnostic]:
    """Warnings of a site in several languages: a further language's articles in a topic the
    site does not configure, or in one without a name in that language (once per topic); a
    `translation_key` naming no article in another language, or shared by two articles of
    one language."""
    if len(editions) < 2:
        return []
    found = []
    for edition in editions[1:]:
        by_topic: dict[str, list[Article]] = defaultdict(list)
        for article in edition.index.articles:
            if article.topic:
                by_topic[article.topic].append(article)
        for articles in by_topic.values():
            found += _topic_problems(sorted(articles, key=lambda a: a.path), edition)
    keys: dict[str, dict[str, list[Article]]] = defaultdict(lambda: defaultdict(list))
    for edition in editions:
        for article in edition.index.articles:
            if article.translation_key:
                keys[article.translation_key][edition.key].append(article)
    for key, by_edition in keys.items():
        for edition_key, articles in by_edition.items():
            if len(by_edition) < 2:
                others = ", ".join(edition_tag(e) for e in editions if e.key != edition_key)
                message = f"translation_key {key!r} names no article in the site's other "
                message += f"languages ({others})"
                hint = "the language switcher links to the other language's home page"
                found += [_at_key(a, message, hint) for a in articles]
            found += _shared_keys(key, articles, editions[0].config.language)
    return found


def _topic_problems(articles: list[Article], edition: Edition) -> list[Diagnostic]:
    """Articles of a further language, in one topic, when it is no configured topic or one
    without a display name in `languages.<key>.topics`: reported at the first article."""
    first, topic, key = articles[0], articles[0].topic, edition.key
    renames = edition.config.languages[key].topics
    where = (first.path, topic_line(first) or first.lines.get("title"))
    count = len(articles) - 1
    more = f" (and {count} more article{'s' if count > 1 else ''})" if count else ""
    configured = {t.name: t.slug for t in edition.config.topics}
    if topic not in configured and topic not in renames.values():
        message = f"topic {topic!r} is not one of the site's topics: it gets a topic page "
        message += f"in {key!r} only{more}"
        hint = f"add it to 'topics' in {CONFIG_FILE}, and its {key!r} name to "
        return [warning(*where, message, hint + f"'languages.{key}.topics'")]
    slug = configured.get(topic or "")
    if slug and slug not in renames:
        message = f"topic {slug!r} has no {key!r} name, so its {key!r} pages show {topic!r}"
        hint = f"add '{slug}: …' to 'languages.{key}.topics' in {CONFIG_FILE}"
        return [warning(*where, message + more, hint)]
    return []


def _shared_keys(key: str, articles: list[Article], default: str) -> list[Diagnostic]:
    """The articles of one edition after the first of their language with `key`: only that
    first one is linked with its translations (`translation_links`)."""
    first: dict[str, Article] = {}
    found = []
    for article in articles:
        tag = language_tag(article.lang or default).casefold()
        kept = first.setdefault(tag, article)
        if kept is not article:
            message = f"translation_key {key!r} is also {kept.path}'s, in the same language"
            found.append(
                _at_key(article, message, f"only {kept.path} is linked with its translations")
            )
    return found


def _at_key(article: Article, message: str, hint: str) -> Diagnostic:
    return warning(article.path, article.lines.get("translation_key"), message, hint)

"""Site configuration: `sitegen.yaml` read from disk and checked against a schema made of
frozen dataclasses (`SiteConfig` here, its sections in `sitegen.core.config_sections`), and
`Site`, a site's root with the one spelling of its folder names.

Every key is optional but `title`. Unknown keys and wrong types are errors naming the key,
its line and the nearest valid key; `parse_config` and `load_site` report every problem at once.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from sitegen.core.card_settings import CardSettings
from sitegen.core.config_sections import (
    DEPLOY_KEYS_OF,
    DeployConfig,
    EmailConfig,
    FeedsConfig,
    LanguageConfig,
    LimitsConfig,
    LocaleConfig,
    MarkdownConfig,
    MenuItem,
    MetadataConfig,
    PaginateConfig,
    PermalinksConfig,
    SitemapConfig,
    TopicConfig,
)
from sitegen.core.diagnostics import Diagnostic, error
from sitegen.core.image_settings import ImageSettings
from sitegen.core.languages import default_digits, direction_of, is_language_tag, language_tag
from sitegen.core.schema import Checker, KeyPath, duplicate_keys, line_map, nearest_line
from sitegen.core.text import is_safe_segment, slugify
from sitegen.core.yamlload import load_yaml, yaml_problem

CONFIG_FILE = "sitegen.yaml"
# The site's folders, relative to its root (`Site` has them as paths).
CONTENT_FOLDER = "content"
STATIC_FOLDER = "static"
THEMES_FOLDER = "themes"
STATE_FOLDER = ".sitegen"
DEFAULT_OUTPUT = "output"

# RFC 4151 tagging authority: a DNS name or an e-mail address.
_TAG_AUTHORITY = re.compile(r"(?:[^@\s]+@)?[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?")

PERMALINK_TOKENS = frozenset({"year", "month", "day", "slug", "topic"})


@dataclass(frozen=True)
class SiteConfig:
    """The validated contents of `sitegen.yaml` (see docs/configuration.md)."""

    title: str
    description: str = ""
    base_url: str = "/"
    language: str = "ar"
    direction: Literal["rtl", "ltr"] | None = None
    timezone: str = "UTC"
    theme: str = "digest"
    author: str = ""
    output: str = DEFAULT_OUTPUT
    locale: LocaleConfig = field(default_factory=LocaleConfig)
    paginate: PaginateConfig = field(default_factory=PaginateConfig)
    permalinks: PermalinksConfig = field(default_factory=PermalinksConfig)
    markdown: MarkdownConfig = field(default_factory=MarkdownConfig)
    images: ImageSettings = field(default_factory=ImageSettings)
    feeds: FeedsConfig = field(default_factory=FeedsConfig)
    sitemap: SitemapConfig = field(default_factory=SitemapConfig)
    metadata: MetadataConfig = field(default_factory=MetadataConfig)
    search: bool = True
    limits: LimitsConfig = field(default_factory=LimitsConfig)
    topics: tuple[TopicConfig, ...] = ()
    menu: tuple[MenuItem, ...] = ()
    deploy: DeployConfig = field(default_factory=DeployConfig)
    email: EmailConfig = field(default_factory=EmailConfig)
    card: CardSettings = field(default_factory=CardSettings)
    languages: dict[str, LanguageConfig] = field(default_factory=dict)

    @property
    def dir(self) -> Literal["rtl", "ltr"]:
        """The site's writing direction: configured, else derived from the language."""
        return self.direction or direction_of(self.language)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def digits(self) -> Literal["arabic", "latin"]:
        """Digits shown to readers: configured, else the language's (`default_digits`)."""
        return self.locale.digits or default_digits(self.language)

    @functools.cached_property  # asked for by every URL of the build
    def base_path(self) -> str:
        """The URL path the site lives under, `/` or e.g. `/news/`."""
        path = urlsplit(self.base_url).path or "/"
        return path if path.endswith("/") else path + "/"

    @functools.cached_property
    def origin(self) -> str:
        """`https://example.org` of the base URL, or '' when it has none."""
        parts = urlsplit(self.base_url)
        return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""

    def edition_of(self, lang: str | None) -> str:
        """The key in `languages` an article's `lang` publishes it under, '' for the default
        language's (root) edition: a `lang` not listed there stays at the root."""
        if not lang or not self.languages:
            return ""
        wanted = language_tag(lang).casefold()
        return next((k for k in self.languages if language_tag(k).casefold() == wanted), "")

    def edition(self, key: str) -> SiteConfig:
        """The configuration the pages of language `key` of `languages` are made with: its
        language, title, description, direction and locale, its topics' display names."""
        other = self.languages[key]
        topics = tuple(
            dataclasses.replace(t, name=other.topics.get(slug, t.name), slug=slug)
            for t in self.topics
            for slug in [t.slug or slugify(t.name)]
        )
        return dataclasses.replace(
            self,
            language=key,
            title=other.title,
            description=other.description,
            direction=other.direction,
            locale=other.locale,
            topics=topics,
        )

    def with_base_url(self, base_url: str) -> SiteConfig:
        """A copy served from another base URL (`sitegen build --base-url`)."""
        return dataclasses.replace(self, base_url=base_url)


@dataclass(frozen=True)
class Site:
    """A site on disk: its root folder and its configuration."""

    root: Path
    config: SiteConfig

    @property
    def content_dir(self) -> Path:
        return self.root / CONTENT_FOLDER

    @property
    def static_dir(self) -> Path:
        return self.root / STATIC_FOLDER

    @property
    def themes_dir(self) -> Path:
        return self.root / THEMES_FOLDER

    @property
    def output_dir(self) -> Path:
        return (self.root / self.config.output).resolve()

    @property
    def state_dir(self) -> Path:
        """Where sitegen keeps its manifest and caches (git-ignored, safe to delete)."""
        return self.root / STATE_FOLDER


def parse_config(text: str, path: str = CONFIG_FILE) -> tuple[SiteConfig | None, list[Diagnostic]]:
    """Check the text of a config file; return the config or every problem found."""
    try:
        data, node = load_yaml(text)
    except yaml.YAMLError as exc:
        offset, problem = yaml_problem(exc, text)
        return None, [
            error(path, None if offset is None else offset + 1, f"invalid YAML: {problem}")
        ]
    if data is None:
        data = {}
    lines = line_map(node) if node is not None else {}
    diagnostics = [
        error(path, line, f"duplicate key '{'.'.join(map(str, key))}'")
        for key, line in duplicate_keys(node)
    ]
    checker = Checker(lines)
    config = checker.build(SiteConfig, data)
    for problem in checker.errors:
        diagnostics.append(
            error(path, nearest_line(lines, problem.path), problem.message, problem.hint)
        )
    if config is not None:
        diagnostics.extend(_check_values(config, lines, path))
    if any(d.is_error for d in diagnostics):
        return None, diagnostics
    return config, diagnostics


def _check_values(config: SiteConfig, lines: dict[KeyPath, int], path: str) -> list[Diagnostic]:
    """Checks that types alone cannot express."""
    found: list[Diagnostic] = []

    def problem(key: KeyPath, message: str, hint: str | None = None) -> None:
        found.append(error(path, nearest_line(lines, key), message, hint))

    if not config.title.strip():
        problem(("title",), "'title' must not be empty")
    try:
        ZoneInfo(config.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        problem(
            ("timezone",),
            f"unknown timezone {config.timezone!r}",
            "use an IANA name such as Asia/Riyadh",
        )
    if base_url_problem(config.base_url):
        problem(("base_url",), base_url_problem(config.base_url))  # type: ignore[arg-type]
    if not is_language_tag(config.language):
        problem(
            ("language",),
            f"'language' must be a language tag such as ar or ar-EG, got {config.language!r}",
        )
    if config.paginate.articles < 1 or config.paginate.days < 1:
        problem(("paginate",), "page sizes in 'paginate' must be at least 1")
    pattern = config.permalinks.article
    if not (pattern.startswith("/") and pattern.endswith("/") and "{slug}" in pattern):
        problem(
            ("permalinks", "article"),
            "'permalinks.article' must start and end with '/' and contain {slug}",
        )
    elif permalink_problem(pattern):
        problem(("permalinks", "article"), f"'permalinks.article' {permalink_problem(pattern)}")
    if not is_safe_segment(config.theme):
        problem(("theme",), f"'theme' must be the name of a theme folder, got {config.theme!r}")
    output = Path(config.output)
    if output.is_absolute() or ".." in output.parts or output.parts[:1] in ((), (".",)):
        problem(("output",), f"'output' must be a folder inside the site, got {config.output!r}")
    elif output.parts[0] in RESERVED_FOLDERS:
        problem(("output",), f"'output' must not be inside {output.parts[0]}/")
    if config.feeds.limit < 1:
        problem(("feeds", "limit"), "'feeds.limit' must be at least 1")
    authority = config.feeds.tag_authority
    if authority is not None and not _TAG_AUTHORITY.fullmatch(authority):
        problem(
            ("feeds", "tag_authority"),
            f"'feeds.tag_authority' must be a domain or an e-mail address, got {authority!r}",
        )
    elif config.feeds.ids == "tag" and not (authority or _hostname(config.base_url)):
        problem(
            ("feeds", "ids"),
            "tag ids need a domain: set 'base_url' to a full URL or 'feeds.tag_authority'",
        )
    if config.sitemap.max_urls < 1 or config.sitemap.max_urls > 50_000:
        problem(("sitemap", "max_urls"), "'sitemap.max_urls' must be between 1 and 50000")
    if config.sitemap.news_hours < 1:
        problem(("sitemap", "news_hours"), "'sitemap.news_hours' must be at least 1")
    if config.metadata.twitter is not None and not config.metadata.twitter.startswith("@"):
        problem(("metadata", "twitter"), "'metadata.twitter' must be a handle such as @example")
    for key, message in config.images.problems():
        problem(("images", key), message)
    for key, message in config.email.problems():
        problem(("email", key), message)
    for key, message in config.card.problems():
        problem(("card", key), message)
    for key in ("max_file_bytes", "max_nesting"):
        if getattr(config.limits, key) < 1:
            problem(("limits", key), f"'limits.{key}' must be at least 1")
    seen: dict[str, int] = {}
    for index, topic in enumerate(config.topics):
        slug = topic.slug or slugify(topic.name)
        if not slug:
            problem(("topics", index), f"topic {topic.name!r} needs a slug")
        elif not is_safe_segment(slug):
            problem(
                ("topics", index, "slug"),
                f"topic slug {slug!r} must be one URL segment without '/', '.', '..', spaces",
                f"try {slugify(slug)!r}" if slugify(slug) else None,
            )
        elif slug in seen:
            problem(
                ("topics", index), f"topic slug {slug!r} is used twice (also topics[{seen[slug]}])"
            )
        seen[slug] = index
    for index, item in enumerate(config.menu):
        if item is not None and (message := item.problem()):
            problem(("menu", index), message)
    found += _language_problems(config, lines, path)
    for name, target in config.deploy.targets.items():
        if target is None:  # already reported by the schema
            continue
        where: KeyPath = ("deploy", "targets", name)
        for key, kind in DEPLOY_KEYS_OF.items():
            if getattr(target, key) is not None and target.type != kind:
                problem((*where, key), f"'{key}' is for {kind} targets, '{name}' is {target.type}")
        if target.type == "rsync" and not target.destination:
            problem(where, f"rsync target '{name}' needs a 'destination'")
    if config.deploy.default is not None and config.deploy.default not in config.deploy.targets:
        problem(("deploy", "default"), f"no deploy target named '{config.deploy.default}'")
    return found


def _language_problems(
    config: SiteConfig, lines: dict[KeyPath, int], path: str
) -> list[Diagnostic]:
    """The `languages:` section: language tags other than the default `language`, each with
    a title, and topic slugs that are URL segments."""
    found = []
    default = language_tag(config.language).casefold()
    for key, other in config.languages.items():
        where: KeyPath = ("languages", key)
        if not is_language_tag(key) or not is_safe_segment(key):
            message = f"'languages' keys must be language tags such as en or fr, got {key!r}"
            found.append(error(path, nearest_line(lines, where), message))
        elif language_tag(key).casefold() == default:
            message = f"{key!r} is the site's 'language': list only the other languages"
            found.append(error(path, nearest_line(lines, where), message))
        if other is None:  # already reported by the schema
            continue
        if not other.title.strip():
            message = f"'languages.{key}.title' must not be empty"
            found.append(error(path, nearest_line(lines, (*where, "title")), message))
        for slug in other.topics:
            if not is_safe_segment(slug):
                message = f"'languages.{key}.topics' keys must be topic slugs, got {slug!r}"
                found.append(error(path, nearest_line(lines, (*where, "topics", slug)), message))
    return found


def base_url_problem(base_url: str) -> str | None:
    """Why `base_url` cannot be used, or None."""
    try:
        parts = urlsplit(base_url)
    except ValueError:
        parts = None
    if (
        parts is None
        or parts.scheme not in ("", "http", "https")
        or (parts.scheme and not parts.netloc)
    ):
        return f"'base_url' must be an http(s) URL or a path, got {base_url!r}"
    return None


def _hostname(base_url: str) -> str | None:
    """The host of `base_url`, None for a path or an unreadable URL."""
    try:
        return urlsplit(base_url).hostname
    except ValueError:
        return None


def permalink_problem(pattern: str) -> str | None:
    """Why an article URL pattern is unsafe or unusable, or None."""
    try:
        fields = list(string.Formatter().parse(pattern))
    except ValueError as exc:
        return f"is not a valid pattern: {exc}"
    for _, name, spec, conversion in fields:
        if name is None:
            continue
        if name not in PERMALINK_TOKENS or spec or conversion:
            tokens = " ".join(f"{{{t}}}" for t in sorted(PERMALINK_TOKENS))
            return f"has an unknown token {{{name}}}; use {tokens}"
    segments = pattern.strip("/").split("/")
    if any(s in ("", ".", "..") or "\\" in s for s in segments):
        return "must not have empty, '.' or '..' segments or backslashes"
    return None


RESERVED_FOLDERS = (CONTENT_FOLDER, STATIC_FOLDER, THEMES_FOLDER, STATE_FOLDER)


def check_output_dir(root: Path, output: str) -> list[Diagnostic]:
    """The output folder, symlinks followed, must be a folder inside the site that neither
    is nor holds the site, its sources or sitegen's state (a build replaces its files)."""
    real_root = root.resolve()
    target = (root / output).resolve()
    if not target.is_relative_to(real_root) or target == real_root:
        where = "the site folder itself" if target == real_root else "a folder outside the site"
        return [error(CONFIG_FILE, None, f"'output' {output!r} leads to {target}, {where}")]
    if Path.home().resolve().is_relative_to(target):
        return [error(CONFIG_FILE, None, f"'output' {output!r} leads to {target}, your home")]
    for name in RESERVED_FOLDERS:
        folder = (real_root / name).resolve()
        if target.is_relative_to(folder) or folder.is_relative_to(target):
            message = f"'output' {output!r} leads to {target}, which overlaps {name}/"
            return [error(CONFIG_FILE, None, message)]
    return []


def load_site(root: Path) -> tuple[Site | None, list[Diagnostic]]:
    """Read `sitegen.yaml` in `root`."""
    config_path = root / CONFIG_FILE
    try:
        text = config_path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return None, [
            error(
                CONFIG_FILE,
                None,
                f"no {CONFIG_FILE} in {root}",
                "run `sitegen new site DIR`, or pass --source",
            )
        ]
    except (OSError, UnicodeDecodeError) as exc:
        return None, [error(CONFIG_FILE, None, f"cannot read: {exc}")]
    config, diagnostics = parse_config(text)
    if config is None:
        return None, diagnostics
    problems = check_output_dir(root, config.output)
    if problems:
        return None, [*diagnostics, *problems]
    return Site(root.resolve(), config), diagnostics

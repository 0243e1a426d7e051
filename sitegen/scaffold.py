"""`sitegen new`: a starter site, a new article, a child theme. Never overwrites a file.

The starter files live in `sitegen/starter/` (package data): the commented config, two example
articles per language, `static/favicon.svg`, `.gitignore`, and the child theme's files.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from string import Template
from zoneinfo import ZoneInfo

from sitegen.build.theme import TEMPLATES_FOLDER, THEME_FILE, builtin_themes_dir
from sitegen.core.config import CONFIG_FILE, CONTENT_FOLDER, STATIC_FOLDER, THEMES_FOLDER, Site
from sitegen.core.languages import default_calendar, default_digits
from sitegen.core.text import slugify

STARTER: Traversable = files("sitegen") / "starter"
THEME_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


class NewError(Exception):
    """Something `sitegen new` refuses to do; its text is one line for the user."""


@dataclass(frozen=True)
class Starter:
    """What a new site in one language starts with."""

    title: str
    timezone: str
    topics: tuple[tuple[str, str], ...]  # (name, slug) in display order


STARTERS = {
    "ar": Starter("أخبار اليوم", "Asia/Riyadh", (("سياسة", "politics"), ("اقتصاد", "economy"))),
    "en": Starter("Today's News", "UTC", (("Politics", "politics"), ("Economy", "economy"))),
    "fa": Starter("اخبار امروز", "Asia/Tehran", (("سیاست", "politics"), ("اقتصاد", "economy"))),
    "he": Starter("חדשות היום", "Asia/Jerusalem", (("פוליטיקה", "politics"), ("כלכלה", "economy"))),
}  # fmt: skip
LANGUAGES = tuple(STARTERS)


def yaml_string(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _write_new(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as handle:
            handle.write(text)
    except FileExistsError:
        raise NewError(f"{path} already exists; not overwriting it") from None


def new_site(
    folder: Path,
    language: str,
    title: str | None,
    now: dt.datetime,
    others: tuple[str, ...] = (),
) -> list[Path]:
    """Create a site in `folder` (missing or empty); return the files written.

    The two example articles are dated an hour and two hours before `now`. `others`: further
    languages (`languages:`), each with its title, topic names and the example articles'
    translations (`lang`, `translation_key`).
    """
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise NewError(f"{folder} is not empty; choose a new folder")
    starter = STARTERS[language]
    zone = now.astimezone(ZoneInfo(starter.timezone))
    topics = "\n".join(
        f"  - name: {yaml_string(name)}\n    slug: {slug}" for name, slug in starter.topics
    )
    config = Template((STARTER / "sitegen.yaml").read_text(encoding="utf-8")).substitute(
        title=yaml_string(title or starter.title),
        language=language,
        timezone=starter.timezone,
        digits=default_digits(language),
        calendar=default_calendar(language),
        topics=topics,
    ) + _languages_section(others)
    favicon = Path(STATIC_FOLDER, "favicon.svg")
    written = [folder / CONFIG_FILE, folder / ".gitignore", folder / favicon]
    _write_new(written[0], config)
    _write_new(written[1], (STARTER / "gitignore").read_text(encoding="utf-8"))
    _write_new(written[2], (STARTER / "static/favicon.svg").read_text(encoding="utf-8"))
    for lang in (language, *others):
        examples = sorted(
            (topic, article) for topic in (STARTER / "articles" / lang).iterdir()
            for article in topic.iterdir()
        )  # fmt: skip
        for hours, (topic, article) in enumerate(examples, start=1):
            date = zone - dt.timedelta(hours=hours)
            text = Template(article.read_text(encoding="utf-8")).substitute(date=_iso(date))
            if others:  # the examples are each other's translations, by topic
                text = _with_front(text, "" if lang == language else lang, topic.name)
            path = folder / CONTENT_FOLDER / topic.name / f"{date:%Y-%m-%d}-{article.name}"
            _write_new(path, text)
            written.append(path)
    return written


def _languages_section(others: tuple[str, ...]) -> str:
    """The `languages:` section of a site with further languages (none: '')."""
    if not others:
        return ""
    lines = [
        "# Further languages, each published under /<language>/ (docs/languages.md).",
        "languages:",
    ]
    for lang in others:
        starter = STARTERS[lang]
        names = ", ".join(f"{slug}: {yaml_string(name)}" for name, slug in starter.topics)
        lines += [
            f"  {lang}:",
            f"    title: {yaml_string(starter.title)}",
            f"    topics: {{{names}}}",
        ]
    return "\n".join(lines) + "\n"


def _with_front(text: str, lang: str, key: str) -> str:
    """An example article with its language (unless the site's) and translation key."""
    head, rest = text.split("\n", 1)
    added = (f"lang: {lang}\n" if lang else "") + f"translation_key: {key}\n"
    return f"{head}\n{added}{rest}"


def new_article(
    site: Site, title: str, topic: str | None, tags: list[str], now: dt.datetime
) -> Path:
    """Write `content/<topic>/YYYY-MM-DD-<slug>.md` (date `now` in the site's timezone)."""
    slug = slugify(title)
    if not slug:
        raise NewError(f"cannot make a file name from the title {title!r}")
    date = now.astimezone(site.config.tz)
    folder, name = _topic_folder(site, topic) if topic else ("", None)
    path = site.content_dir / folder / f"{date:%Y-%m-%d}-{slug}.md"
    meta = [f"title: {yaml_string(title)}", f"date: {_iso(date)}"]
    if name:
        meta.append(f"topic: {yaml_string(name)}")
    if tags:
        meta.append(f"tags: [{', '.join(yaml_string(t) for t in tags)}]")
    _write_new(path, "---\n" + "\n".join(meta) + "\n---\n\n")
    return path


def split_tags(text: str | None) -> list[str]:
    """`"طاقة، نفط, أسواق"` → three tags (Latin or Arabic commas)."""
    return [t.strip() for t in re.split(r"[,،]", text or "") if t.strip()]


def new_theme(site_root: Path, name: str) -> list[Path]:
    """Scaffold `themes/<name>/`, a child theme of digest that builds as it is."""
    if not THEME_NAME.match(name):
        raise NewError(f"theme name {name!r}: use lowercase letters, digits, '-' and '_'")
    if (builtin_themes_dir() / name).exists():
        raise NewError(f"{name!r} is a built-in theme; choose another name")
    folder = site_root / THEMES_FOLDER / name
    if folder.exists():
        raise NewError(f"{folder} already exists; not overwriting it")
    source = STARTER / "theme"
    targets = {
        "theme.yaml": folder / THEME_FILE,
        "templates/base.html": folder / TEMPLATES_FOLDER / "base.html",
        "static/css/theme.css": folder / STATIC_FOLDER / "css" / f"{name}.css",
    }
    for relative, path in targets.items():
        text = (source / relative).read_text(encoding="utf-8")
        _write_new(path, Template(text).safe_substitute(name=name))
    return list(targets.values())


def _topic_folder(site: Site, topic: str) -> tuple[str, str]:
    """Folder and name of a topic given by name or slug: the configured ones, else the topic
    slugified and as given."""
    for configured in site.config.topics:
        if topic in (configured.name, configured.slug):
            return configured.slug or slugify(configured.name), configured.name
    slug = slugify(topic)
    if not slug:
        raise NewError(f"cannot make a folder name from the topic {topic!r}")
    return slug, topic


def _iso(moment: dt.datetime) -> str:
    return moment.replace(microsecond=0).isoformat()

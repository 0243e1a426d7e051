"""The invariant of incremental builds: after any edits, the output equals a clean build's.

A seeded random sequence of edits (add, delete, rename, retitle, retag, move the date, edit a
body, change a template or the theme's CSS, change the config, draft and future articles, add
and change images, standalone pages and a section index),
and of moves of the build time backwards and forwards (across the articles' dates and their
news sitemap windows, with and without edits), each followed by an incremental build that must
leave `output/` byte-identical to a build from scratch at the same time.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from sitegen.build import load
from sitegen.build.incremental import edits
from sitegen.build.incremental.memory_cache import MemoryCache
from sitegen.build.theme import builtin_themes_dir
from sitegen.core.config import load_site
from tests.conftest import FIXED_NOW, read_articles
from tests.image_factory import photo, save
from tests.incremental.support import (
    FOLDERS,
    TAGS,
    WORDS,
    article_text,
    assert_same_site,
    build_clean,
    build_in_memory,
    build_incrementally,
    folder_files,
    make_news_site,
)

Edit = Callable[[random.Random, Path], str]


def _articles(root: Path) -> list[Path]:
    return sorted((root / "content").rglob("*.md"))


def _rewrite(path: Path, pattern: str, replacement: str) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(pattern, replacement, text, count=1, flags=re.M), encoding="utf-8")


def add(rng: random.Random, root: Path) -> str:
    n = rng.randint(100, 10_000)
    path = root / "content" / rng.choice(["", "politics/"]) / f"n{n}.md"
    path.parent.mkdir(exist_ok=True)
    path.write_text(article_text(rng, n), encoding="utf-8")
    return f"add {path.name}"


def delete(rng: random.Random, root: Path) -> str:
    path = rng.choice(_articles(root))
    path.unlink()
    return f"delete {path.name}"


def rename(rng: random.Random, root: Path) -> str:
    """Same bytes, another name and folder: a topic-less article gets the new folder's topic
    (articles with a lead image stay beside it)."""
    articles = _articles(root)
    texts = {p: p.read_text(encoding="utf-8") for p in articles}
    movable = [p for p in articles if "\nimage:" not in texts[p]] or articles  # images stay
    topicless = [p for p in movable if "\ntopic:" not in texts[p]]
    path = rng.choice(topicless or movable)
    folder = root / "content" / rng.choice([f for f in FOLDERS if f != path.parent.name])
    target = folder / f"renamed-{rng.randint(0, 10_000)}.md"
    path.rename(target)
    return f"rename {path.relative_to(root)} to {target.relative_to(root)}"


def retitle(rng: random.Random, root: Path) -> str:
    path = rng.choice(_articles(root))
    _rewrite(path, r'^title: "', f'title: "عاجل {rng.randint(0, 99)} ')
    return f"retitle {path.name}"


def retag(rng: random.Random, root: Path) -> str:
    path = rng.choice(_articles(root))
    _rewrite(path, r"^tags:\n", f"tags:\n  - {rng.choice(TAGS)} {rng.randint(0, 2)}\n")
    return f"retag {path.name}"


def move_date(rng: random.Random, root: Path) -> str:
    path = rng.choice(_articles(root))
    _rewrite(path, r"^date: 2022-01-0\d", f"date: 2022-01-0{rng.randint(1, 9)}")
    return f"move date of {path.name}"


def edit_body(rng: random.Random, root: Path) -> str:
    path = rng.choice(_articles(root))
    with path.open("a", encoding="utf-8") as handle:
        handle.write(f"\nفقرة جديدة {rng.randint(0, 99)}.\n")
    return f"edit body of {path.name}"


def edit_lead_paragraph(rng: random.Random, root: Path) -> str:
    """A word added to an article's first paragraph: its summary, shown on listings, feeds
    and emails, changes; where it is placed does not."""
    path = rng.choice(_articles(root))
    _rewrite(path, r"^(## .*\n\n)", rf"\1كلمة{rng.randint(0, 99)} ")
    return f"edit lead paragraph of {path.name}"


def grow_body(rng: random.Random, root: Path) -> str:
    """Hundreds of words more: the article's word count and reading time change."""
    path = rng.choice(_articles(root))
    words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(200, 500)))
    with path.open("a", encoding="utf-8") as handle:
        handle.write(f"\n{words}\n")
    return f"grow body of {path.name}"


def add_body_image(rng: random.Random, root: Path) -> str:
    """An image file beside an article, shown in its body."""
    path = rng.choice(_articles(root))
    name = f"body-{rng.randint(0, 10_000)}.jpg"
    (path.parent / name).write_bytes(save(photo(64, 48), "JPEG"))
    with path.open("a", encoding="utf-8") as handle:
        handle.write(f"\n![صورة]({name})\n")
    return f"add body image {name} to {path.name}"


def toggle_draft(rng: random.Random, root: Path) -> str:
    path = rng.choice(_articles(root))
    text = path.read_text(encoding="utf-8")
    if "\ndraft: true\n" in text:
        path.write_text(text.replace("\ndraft: true\n", "\n"), encoding="utf-8")
    else:
        _rewrite(path, r"^title:", "draft: true\ntitle:")
    return f"toggle draft {path.name}"


# A visible change in each template: an attribute on an element every page of its kind has.
TEMPLATE_EDITS = {
    "base.html": "<footer",
    "article.html": "<article",
    "tag.html": "<h1",
    "partials/macros.html": "<li",
}


def _own_theme(root: Path) -> Path:
    """The site's own copy of the digest theme (made on first use)."""
    theme = root / "themes" / "digest"
    if not theme.exists():
        shutil.copytree(builtin_themes_dir() / "digest", theme)
    return theme


def change_template(rng: random.Random, root: Path) -> str:
    templates = _own_theme(root) / "templates"
    name = rng.choice(sorted(TEMPLATE_EDITS))
    element = TEMPLATE_EDITS[name]
    _rewrite(templates / name, re.escape(element), f'{element} data-edit="{rng.randint(0, 99)}"')
    return f"change template {name}"


def change_theme_css(rng: random.Random, root: Path) -> str:
    """A rule added to the theme's stylesheet: its hashed name, linked from every page, moves."""
    css = _own_theme(root) / "static" / "css" / "digest.css"
    with css.open("a", encoding="utf-8") as handle:
        handle.write(f"\n.edit-{rng.randint(0, 99)} {{ margin-inline-start: 1px; }}\n")
    return "change theme css"


def change_config(rng: random.Random, root: Path) -> str:
    config = root / "sitegen.yaml"
    choice = rng.choice(["title", "paginate", "digits"])
    if choice == "title":
        _rewrite(config, r"^title: .*$", f"title: موجز {rng.randint(0, 99)}")
    elif choice == "paginate":
        _rewrite(config, r"^  articles: \d+$", f"  articles: {rng.randint(2, 5)}")
    else:
        text = config.read_text(encoding="utf-8")
        if "digits:" in text:
            config.write_text(re.sub(r"locale:\n  digits: \w+\n", "", text), encoding="utf-8")
        else:
            config.write_text(text + "locale:\n  digits: latin\n", encoding="utf-8")
    return f"change config {choice}"


def add_image(rng: random.Random, root: Path) -> str:
    """An image file beside the articles, made the lead image of one of them."""
    path = rng.choice(_articles(root))
    name = f"pic-{rng.randint(0, 10_000)}.jpg"
    (path.parent / name).write_bytes(save(photo(64, 48), "JPEG"))
    _rewrite(path, r"^image(_alt)?: .*\n", "")  # a second lead image replaces the first
    _rewrite(path, r"^image(_alt)?: .*\n", "")
    _rewrite(path, r"^title:", f"image: {name}\nimage_alt: صورة\ntitle:")
    return f"add image {name} to {path.name}"


def change_image(rng: random.Random, root: Path) -> str:
    """New bytes for an image file (a lead image, or not used at all)."""
    images = sorted((root / "content").rglob("*.jpg"))
    if not images:
        return add_image(rng, root)
    path = rng.choice(images)
    path.write_bytes(save(photo(rng.randint(40, 90), 48), "JPEG"))
    return f"change image {path.name}"


def add_future(rng: random.Random, root: Path) -> str:
    path = root / "content" / f"future-{rng.randint(0, 10_000)}.md"
    path.write_text(article_text(rng, 99).replace("2022-01-0", "2031-01-0"), encoding="utf-8")
    return f"add future {path.name}"


def edit_page(rng: random.Random, root: Path) -> str:
    """A standalone page placing itself in the menu: added, else retitled; or a topic's
    section index written anew."""
    path = root / "content" / "about.md"
    if not path.exists():
        text = "---\ntitle: من نحن\nslug: about\nmenu: true\n---\nفريق التحرير.\n"
        path.write_text(text, encoding="utf-8")
        return "add page about.md"
    if rng.random() < 0.5:
        _rewrite(path, r"^title: .*$", f"title: عن الموجز {rng.randint(0, 99)}")
        return "retitle page about.md"
    section = root / "content" / "politics" / "_index.md"
    text = f"---\ntitle: سياسة\n---\nأخبار السياسة {rng.randint(0, 99)}.\n"
    section.write_text(text, encoding="utf-8")
    return "write section index politics/_index.md"


EDITS: list[Edit] = [
    add,
    delete,
    rename,
    retitle,
    retag,
    move_date,
    edit_body,
    toggle_draft,
    change_template,
    change_theme_css,
    change_config,
    add_future,
    add_image,
    change_image,
    edit_page,
    edit_lead_paragraph,
    grow_body,
    add_body_image,
]
# Edits that leave every article where it was (`incremental.edits`), for the sequences that
# exercise builds after such edits
BODY_EDITS: list[Edit] = [edit_body, edit_lead_paragraph, grow_body]


def move_language(rng: random.Random, root: Path) -> str:
    """An article moved between the Arabic (root) and English editions (`lang`)."""
    path = rng.choice(_articles(root))
    text = path.read_text(encoding="utf-8")
    if "\nlang: en\n" in text:
        path.write_text(text.replace("\nlang: en\n", "\n"), encoding="utf-8")
        return f"move {path.name} to Arabic"
    _rewrite(path, r"^title:", "lang: en\ntitle:")
    return f"move {path.name} to English"


def toggle_translation(rng: random.Random, root: Path) -> str:
    """A `translation_key` removed, or added from a few keys (so pairs form and break)."""
    path = rng.choice(_articles(root))
    text = path.read_text(encoding="utf-8")
    if "\ntranslation_key:" in text:
        _rewrite(path, r"^translation_key: .*\n", "")
        return f"remove translation key of {path.name}"
    key = f"k{rng.randint(0, 4)}"
    _rewrite(path, r"^title:", f"translation_key: {key}\ntitle:")
    return f"give {path.name} translation key {key}"


def edit_language(rng: random.Random, root: Path) -> str:
    """The English entry of `languages:`: its title, description, a topic's name or its
    digits (`locale`)."""
    config = root / "sitegen.yaml"
    choice = rng.choice(["title", "description", "topic", "digits"])
    if choice == "digits":
        text = config.read_text(encoding="utf-8")
        if "    locale: {digits: arabic}\n" in text:
            text = text.replace("    locale: {digits: arabic}\n", "")
        else:
            text = text.replace("  en:\n", "  en:\n    locale: {digits: arabic}\n")
        config.write_text(text, encoding="utf-8")
    elif choice == "title":
        _rewrite(config, r"^    title: .*$", f"    title: Digest {rng.randint(0, 99)}")
    elif choice == "description":
        _rewrite(config, r"^    description: .*$", f"    description: Brief {rng.randint(0, 99)}")
    else:
        name = rng.choice(["Politics", "Government", "Affairs"])
        _rewrite(config, r"^    topics: \{politics: \w+", f"    topics: {{politics: {name}")
    return f"edit languages.en {choice}"


BILINGUAL_EDITS: list[Edit] = [move_language, toggle_translation, edit_language]


def build_time(rng: random.Random, root: Path) -> dt.datetime:
    """A build time from 1 to 12 January 2022, often right at a moment the output changes:
    an article's date (it appears, enters the news sitemap) or the end of its news window."""
    site, _ = load_site(root)
    assert site is not None
    articles, _ = read_articles(site, dt.datetime(2030, 1, 1, tzinfo=dt.UTC))
    window = dt.timedelta(hours=site.config.sitemap.news_hours)
    if articles and rng.random() < 0.6:
        article = rng.choice(articles)
        moment = article.date + rng.choice([dt.timedelta(0), window])
        return moment + dt.timedelta(seconds=rng.choice([-1, 0, 1]))
    return dt.datetime(2022, 1, 1, tzinfo=dt.UTC) + dt.timedelta(minutes=rng.randint(0, 16_000))


def _assert_output_is_a_clean_builds(root: Path, now: dt.datetime, history: list[str]) -> None:
    build_incrementally(root, now=now)
    assert_same_site(folder_files(root / "output"), build_clean(root, now), history)


@pytest.mark.parametrize("seed", range(4))
def test_incremental_build_equals_clean_build_after_random_edits(seed: int, tmp_path: Path) -> None:
    _edit_and_compare(seed, tmp_path)


@pytest.mark.parametrize("seed", range(6, 8))
def test_sources_known_by_stamp_keep_incremental_builds_equal_to_clean(
    seed: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same with every source's stamp trusted as soon as it is read (no racy window):
    unchanged sources are not read at all, and the output is still a clean build's."""
    monkeypatch.setattr(load, "RACY_NS", -(10**12))
    read: list[str] = []
    read_bytes = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda p: read.append(p.name) or read_bytes(p))
    _edit_and_compare(seed, tmp_path)
    read.clear()
    build_incrementally(tmp_path / "site")
    assert not [name for name in read if name.endswith(".md")]


def _edit_and_compare(seed: int, tmp_path: Path) -> None:
    rng = random.Random(seed)
    root = make_news_site(tmp_path / "site", 14, seed=seed)
    now = FIXED_NOW
    build_incrementally(root, now=now)
    steps = [[edit] for edit in rng.sample(EDITS, len(EDITS))]  # every kind once, shuffled
    steps += [rng.choices(EDITS, k=rng.randint(2, 3)) for _ in range(3)]  # then a few together
    history = []
    for step in steps:
        history += [edit(rng, root) for edit in step]
        if rng.random() < 0.3:
            now = build_time(rng, root)
            history.append(f"build at {now}")
        _assert_output_is_a_clean_builds(root, now, history)


@pytest.mark.parametrize("seed", range(2))
def test_bilingual_incremental_build_equals_clean_build(seed: int, tmp_path: Path) -> None:
    """The same on a site with an English edition: articles move between the editions,
    translations pair and part, the edition's entry in `languages:` changes; the dev
    server's cache (`MemoryCache`) kept across the sequence gives the same files too."""
    rng = random.Random(seed)
    root = make_news_site(tmp_path / "site", 12, seed=seed, bilingual=True)
    now = FIXED_NOW
    build_incrementally(root, now=now)
    cache = MemoryCache()
    build_in_memory(root, cache)
    steps = [[edit] for edit in rng.sample(BILINGUAL_EDITS * 3, 3 * len(BILINGUAL_EDITS))]
    steps += [[edit] for edit in rng.sample(EDITS, 6)]
    steps += [[*rng.choices(BILINGUAL_EDITS, k=2), rng.choice(EDITS)] for _ in range(3)]
    history = []
    for step in steps:
        history += [edit(rng, root) for edit in step]
        _assert_output_is_a_clean_builds(root, now, history)
        assert_same_site(folder_files(root / "output"), build_in_memory(root, cache), history)


@pytest.mark.parametrize("seed", range(4, 6))
def test_in_memory_build_equals_clean_build_after_random_edits(seed: int, tmp_path: Path) -> None:
    """The same with the dev server's cache (`MemoryCache`), kept across the whole sequence."""
    rng = random.Random(seed)
    root = make_news_site(tmp_path / "site", 12, seed=seed)
    cache = MemoryCache()
    build_in_memory(root, cache)
    steps = [[edit] for edit in rng.sample(EDITS, len(EDITS))]
    steps += [rng.choices(EDITS, k=2) for _ in range(2)]
    history: list[str] = []
    for step in steps:
        history += [edit(rng, root) for edit in step]
        actual, expected = build_in_memory(root, cache), build_clean(root)
        assert sorted(actual) == sorted(expected), history
        assert not [p for p in expected if actual[p] != expected[p]], history


@pytest.mark.parametrize("seed", range(3))
def test_incremental_build_equals_clean_build_as_the_build_time_moves(
    seed: int, tmp_path: Path
) -> None:
    """The same sources built at times moving backwards and forwards (audit 15.9: an earlier
    time reused the later build whole), with an edit now and then."""
    rng = random.Random(seed)
    root = make_news_site(tmp_path / "site", 10, seed=seed)
    add_future(rng, root)
    build_incrementally(root)
    history: list[str] = []
    for _ in range(12):
        if rng.random() < 0.2:
            history.append(rng.choice([add, delete, move_date, toggle_draft])(rng, root))
        now = build_time(rng, root)
        history.append(f"build at {now}")
        _assert_output_is_a_clean_builds(root, now, history)


@pytest.mark.parametrize("seed", range(3))
def test_builds_after_body_edits_equal_clean_builds(
    seed: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a site without a search index (with JSON feeds), edits that keep every article in
    place build only the pages showing them (`incremental.edits`): one at a time, several at
    once, between edits that move articles, change the configuration or add body images
    (built whole); each output is a clean build's."""
    patched: list[bool] = []
    patch_build = edits.patch_build
    monkeypatch.setattr(
        edits, "patch_build", lambda *a: patched.append(bool(r := patch_build(*a))) or r
    )
    rng = random.Random(seed)
    root = make_news_site(tmp_path / "site", 14, seed=seed)
    with (root / "sitegen.yaml").open("a", encoding="utf-8") as config:
        config.write("search: false\nfeeds:\n  json: true\n")
    build_incrementally(root)
    steps = [[edit] for edit in rng.choices(BODY_EDITS, k=8)]
    steps += [rng.choices(BODY_EDITS, k=2) for _ in range(3)]  # two at once
    others = [retitle, retag, move_date, change_config, add_body_image, add, toggle_draft]
    steps += [[rng.choice(BODY_EDITS), other] for other in others]  # with one that moves
    steps += [[edit] for edit in rng.choices(BODY_EDITS, k=4)]
    history: list[str] = []
    for step in steps:
        history += [edit(rng, root) for edit in step]
        _assert_output_is_a_clean_builds(root, FIXED_NOW, history)
    assert patched.count(True) >= 10, patched  # the edits in place, but the first after a
    assert patched.count(False) >= len(others)  # move, which records the site whole

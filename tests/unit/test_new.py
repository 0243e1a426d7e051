"""`sitegen new site|article|theme`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from sitegen.core.config import load_site
from sitegen.scaffold import (
    LANGUAGES,
    STARTERS,
    NewError,
    new_article,
    new_site,
    new_theme,
    split_tags,
)
from tests.conftest import FIXED_NOW, build_site


def made_site(folder: Path, language: str = "ar", title: str | None = None):
    new_site(folder, language, title, FIXED_NOW)
    site, problems = load_site(folder)
    assert site is not None, [p.format() for p in problems]
    return site


@pytest.mark.parametrize("language", LANGUAGES)
def test_new_site_builds_at_once_without_a_single_diagnostic(tmp_path: Path, language: str):
    site = made_site(tmp_path / "news", language)
    result = build_site(site)
    assert result.diagnostics == ()
    assert len(result.articles) == 2
    assert {a.topic for a in result.articles} == {name for name, _ in STARTERS[language].topics}
    assert {"topics/politics/index.html", "topics/economy/index.html"} <= set(result.files)
    home = result.files["index.html"].decode()
    direction = "ltr" if language == "en" else "rtl"
    assert f'<html lang="{language}" dir="{direction}">' in home


def test_new_site_has_the_promised_files(tmp_path: Path):
    written = new_site(tmp_path / "news", "ar", None, FIXED_NOW)
    names = sorted(p.relative_to(tmp_path / "news").as_posix() for p in written)
    assert names[:3] == [".gitignore", "content/economy/2022-01-08-افتتاح-سوق-أسبوعي-للمنتجات-المحلية.md",
                         "content/politics/2022-01-08-مجلس-المدينة-يقر-خطة-لتوسيع-الحدائق-العامة.md"]  # fmt: skip
    assert names[3:] == ["sitegen.yaml", "static/favicon.svg"]
    assert "/output/" in (tmp_path / "news/.gitignore").read_text()
    config = (tmp_path / "news/sitegen.yaml").read_text(encoding="utf-8")
    assert config.count("\n#") >= 5  # commented for a newcomer


def test_title_with_quotes_and_colons_survives(tmp_path: Path):
    site = made_site(tmp_path / "news", "en", title='Notes: "the" news')
    assert site.config.title == 'Notes: "the" news'


def test_new_site_refuses_a_non_empty_folder(tmp_path: Path):
    (tmp_path / "news").mkdir()
    (tmp_path / "news/notes.txt").write_text("mine")
    with pytest.raises(NewError, match="is not empty"):
        new_site(tmp_path / "news", "ar", None, FIXED_NOW)
    assert [p.name for p in (tmp_path / "news").iterdir()] == ["notes.txt"]


def test_new_site_accepts_an_empty_folder(tmp_path: Path):
    (tmp_path / "news").mkdir()
    assert new_site(tmp_path / "news", "ar", None, FIXED_NOW)


def test_new_article_is_dated_now_in_the_site_timezone(tmp_path: Path):
    site = made_site(tmp_path / "news")
    now = dt.datetime(2022, 1, 7, 22, 30, tzinfo=dt.UTC)  # already the 8th in Riyadh

    path = new_article(site, "عنوان الخبر: تجربة", "سياسة", ["طاقة", "نفط"], now)

    assert path == site.root / "content/politics/2022-01-08-عنوان-الخبر-تجربة.md"
    assert path.read_text(encoding="utf-8") == (
        '---\ntitle: "عنوان الخبر: تجربة"\ndate: 2022-01-08T01:30:00+03:00\n'
        'topic: "سياسة"\ntags: ["طاقة", "نفط"]\n---\n\n'
    )
    result = build_site(site)
    assert result.ok, [d.format() for d in result.diagnostics]
    (made,) = [a for a in result.articles if a.path.endswith("تجربة.md")]
    assert (made.topic, made.tags) == ("سياسة", ("طاقة", "نفط"))


def test_new_article_topic_folder(tmp_path: Path):
    site = made_site(tmp_path / "news")
    by_slug = new_article(site, "أ", "economy", [], FIXED_NOW)
    unknown = new_article(site, "ب", "رياضة محلية", [], FIXED_NOW)
    none = new_article(site, "ج", None, [], FIXED_NOW)
    assert by_slug.parent.name == "economy"
    assert 'topic: "اقتصاد"' in by_slug.read_text(encoding="utf-8")  # the configured name
    assert build_site(site).ok  # a slug as the topic would collide with the topic's page
    assert unknown.parent.name == "رياضة-محلية"
    assert none.parent == site.content_dir


def test_new_article_refuses_to_overwrite(tmp_path: Path):
    site = made_site(tmp_path / "news")
    path = new_article(site, "خبر", "سياسة", [], FIXED_NOW)
    path.write_text("edited", encoding="utf-8")
    with pytest.raises(NewError, match="already exists"):
        new_article(site, "خبر", "سياسة", [], FIXED_NOW)
    assert path.read_text(encoding="utf-8") == "edited"


def test_new_article_needs_a_usable_title(tmp_path: Path):
    site = made_site(tmp_path / "news")
    with pytest.raises(NewError, match="cannot make a file name"):
        new_article(site, "؟!", None, [], FIXED_NOW)


def test_tags_split_on_latin_and_arabic_commas():
    assert split_tags("طاقة، نفط , أسواق,") == ["طاقة", "نفط", "أسواق"]
    assert split_tags(None) == []


def test_new_theme_extends_digest_and_builds(tmp_path: Path):
    made_site(tmp_path / "news")
    written = new_theme(tmp_path / "news", "mine")
    assert [p.relative_to(tmp_path / "news").as_posix() for p in written] == [
        "themes/mine/theme.yaml",
        "themes/mine/templates/base.html",
        "themes/mine/static/css/mine.css",
    ]
    config = tmp_path / "news/sitegen.yaml"
    config.write_text(config.read_text().replace("theme: digest", "theme: mine"))
    site, _ = load_site(tmp_path / "news")
    assert site is not None
    result = build_site(site)
    assert result.diagnostics == ()
    home = result.files["index.html"].decode()
    assert home.index("/css/digest.") < home.index("/css/mine.")  # the child's styles come last


@pytest.mark.parametrize(
    ("name", "message"),
    [("digest", "built-in theme"), ("My Theme", "lowercase"), ("../x", "lowercase")],
)
def test_new_theme_refuses_bad_names(tmp_path: Path, name: str, message: str):
    with pytest.raises(NewError, match=message):
        new_theme(tmp_path, name)


def test_new_theme_refuses_an_existing_theme(tmp_path: Path):
    new_theme(tmp_path, "mine")
    with pytest.raises(NewError, match="already exists"):
        new_theme(tmp_path, "mine")

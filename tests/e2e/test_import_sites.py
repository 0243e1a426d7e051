"""`sitegen import --from …`: each fixture archive (tests/data/import/<kind>/) imported into a
new site that then builds, with every old URL kept as a redirect; a second import changes
nothing; `--dry-run` writes nothing; problems are reported as `source:line: message`."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from sitegen.build.pipeline import BuildOptions, build
from sitegen.core.config import Site, load_site
from sitegen.core.diagnostics import Severity
from sitegen.importers.prepare import PAGES_FOLDER
from sitegen.importers.run import import_archive
from tests.conftest import write_files

DATA = Path(__file__).resolve().parents[1] / "data" / "import"
REPO = Path(__file__).resolve().parents[2]
NOW = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
CONFIG = """\
# The newsroom's site. This comment must survive an import.
title: أخبار اليوم
language: ar
timezone: Asia/Riyadh
base_url: https://example.org/
topics:
  # politics first
  - name: سياسة
    slug: politics
search: false
"""
SOURCES = {
    "jekyll": DATA / "jekyll",
    "hugo": DATA / "hugo",
    "zola": DATA / "zola",
    "wordpress": DATA / "wordpress" / "export.xml",
    "rss": DATA / "feed" / "rss.xml",
    "atom": DATA / "feed" / "atom.xml",
}
# Old URLs each archive's pages had, which must now be redirects to the articles.
OLD_URLS = {
    "jekyll": {
        "/politics/world/2022/01/07/kazakhstan-peacekeepers.html",
        "/economy/2022/01/08/oil-prices.html",
        "/politics/2022/01/09/إضراب-المعلمين.html",
    },
    "hugo": {
        "/2023/04/shiraz/",
        "/old/shiraz-trip/",
        "/en/2023/04/shiraz/",
        "/2023/03/کتابی-برای-سفر/",
    },
    "zola": {
        "/fa/docs/nasb/",
        "/fa/shoroo-kar/",
        "/fa/docs/getting-started/",
        "/fa/en/docs/shorou/",
    },
    "wordpress": {"/المدينة/افتتاح-الجسر/", "/sports/team-wins/"},
    "rss": {"/news/2021/11/rain.html", "/news/2021/11/book-fair.html"},
    "atom": {"/akhbar/jashnvareh-fajr/", "/akhbar/naghashi/"},
}


def new_site(tmp_path: Path) -> Site:
    site, problems = load_site(write_files(tmp_path / "site", {"sitegen.yaml": CONFIG}))
    assert site is not None, problems
    return site


def kind_of(name: str) -> str:
    return "feed" if name in ("rss", "atom") else name


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_imported_archive_builds_and_keeps_old_urls(name: str, tmp_path: Path) -> None:
    site = new_site(tmp_path)
    report = import_archive(kind_of(name), SOURCES[name], site)
    assert [d.format() for d in report.diagnostics if d.severity is Severity.ERROR] == []
    assert report.articles >= 2
    site, _ = load_site(site.root)  # topics may have been added to sitegen.yaml
    assert site is not None
    result = build(site, BuildOptions(now=NOW))
    assert [d.format() for d in result.diagnostics if d.severity is Severity.ERROR] == []
    old = {alias for alias, _ in result.aliases}
    assert OLD_URLS[name] <= {"/" + a.lstrip("/") for a in old}, sorted(old)
    for page in (site.root / PAGES_FOLDER).rglob("*.md"):  # each a standalone page
        slug = yaml.safe_load(page.read_text(encoding="utf-8").split("---\n")[1])["slug"]
        assert f"{slug}/index.html" in result.files, page


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_a_second_import_changes_nothing(name: str, tmp_path: Path) -> None:
    site = new_site(tmp_path)
    first = import_archive(kind_of(name), SOURCES[name], site)
    before = tree(site.root)
    second = import_archive(kind_of(name), SOURCES[name], load_site(site.root)[0])  # type: ignore[arg-type]
    assert tree(site.root) == before
    assert second.written == 0
    assert second.unchanged == first.written
    assert second.topics_added == 0


@pytest.mark.parametrize("name", ["jekyll", "wordpress"])
def test_dry_run_writes_nothing(name: str, tmp_path: Path) -> None:
    site = new_site(tmp_path)
    before = tree(site.root)
    report = import_archive(kind_of(name), SOURCES[name], site, dry_run=True)
    assert tree(site.root) == before
    assert report.written > 0
    assert report.topics_added > 0


def test_jekyll_front_matter_topics_and_conversions(tmp_path: Path) -> None:
    site = new_site(tmp_path)
    report = import_archive("jekyll", SOURCES["jekyll"], site)
    post = (site.root / "content/2022/2022-01-07-kazakhstan-peacekeepers.md").read_text()
    meta = yaml.safe_load(post.split("---\n")[1])
    assert meta["date"] == "2022-01-07"  # from the file name
    assert meta["topic"] == "سياسة"  # `politics` is configured under that name
    assert meta["tags"] == ["كازاخستان", "روسيا", "world"]
    assert meta["image"] == "/assets/img/almaty.jpg"  # a nested image map
    assert meta["image_alt"] == "ساحة في ألماتي"
    assert meta["image_caption"] == "ألماتي بعد الاحتجاجات"
    assert "](/assets/img/map.png)" in post  # {{ site.baseurl }} removed
    assert "](/2022/01/08/oil-prices/)" in post  # {% post_url %} → the new URL
    assert '<p class="note">هذا المقال من أرشيف المجلة.</p>' in post  # a simple include
    assert "```liquid\n{% post_url 2022-01-08-oil-prices %}\n---\ntitle: مثال\n---\n```" in post
    assert (site.root / "static/assets/img/almaty.jpg").is_file()
    oil = (site.root / "content/2022/2022-01-08-oil-prices.md").read_text()
    assert "[عن المجلة](/about/)" in oil and "[الرئيسية](/)" in oil
    assert '```python\nprint("نفط")\n```' in oil
    assert (site.root / PAGES_FOLDER / "about.md").is_file()
    assert (site.root / PAGES_FOLDER / "contact.md").is_file()
    assert report.pages == 2 and report.articles == 3 and report.drafts_skipped == 2
    config = (site.root / "sitegen.yaml").read_text()
    assert config.startswith(CONFIG.split("topics:")[0])  # comments kept
    assert '  - name: "الاقتصاد"\n    slug: "economy"\n' in config
    assert "  # politics first\n  - name: سياسة\n" in config


def test_hugo_bundles_languages_and_shortcodes(tmp_path: Path) -> None:
    site = new_site(tmp_path)
    import_archive("hugo", SOURCES["hugo"], site)
    bundle = site.root / "content/2023/2023-04-02-shiraz.fa"
    text = (bundle / "index.md").read_text()
    meta = yaml.safe_load(text.split("---\n")[1])
    assert meta["updated"] == "2023-04-05T17:30:00+03:00"  # lastmod
    assert meta["slug"] == "shiraz" and meta["lang"] == "fa" and meta["topic"] == "سفرنامه"
    assert meta["image"] == "cover.jpg" and meta["image_alt"] == "باغ ارم"
    assert (bundle / "cover.jpg").is_file() and (bundle / "garden.jpg").is_file()
    assert '<figure><img src="garden.jpg" alt="باغ ارم در بهار">' in text
    assert 'src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in text
    assert "[این کتاب](/2023/03/20/ketab/)" in text  # ref
    assert "```go-html-template\n{{< youtube dQw4w9WgXcQ >}}\n```" in text  # code stays code
    english = yaml.safe_load(
        (site.root / "content/2023/2023-04-02-shiraz-en.en/index.md").read_text().split("---\n")[1]
    )
    assert english["slug"] == "shiraz-en" and english["lang"] == "en"


def test_zola_taxonomies_extra_and_links(tmp_path: Path) -> None:
    site = new_site(tmp_path)
    import_archive("zola", SOURCES["zola"], site)
    text = (site.root / "content/2023/2023-03-05-shorou.fa/index.md").read_text()
    meta = yaml.safe_load(text.split("---\n")[1])
    assert meta["topic"] == "مقدمات"  # [taxonomies] categories
    assert meta["image"] == "screen.png" and meta["image_alt"] == "صفحه خوش‌آمد"  # [extra]
    assert meta["updated"] == "2023-03-06"
    nasb = (site.root / "content/2023/2023-03-01-nasb.fa.md").read_text()
    assert "[شروع کار](/2023/03/05/shorou/#gam-aval)" in nasb  # @/ link
    assert "[پیوند](@/docs/nasb.md)" in nasb  # inside a code fence: kept
    assert yaml.safe_load(nasb.split("---\n")[1])["tags"] == ["زولا", "لینوکس"]


def test_wordpress_items(tmp_path: Path) -> None:
    site = new_site(tmp_path)
    report = import_archive("wordpress", SOURCES["wordpress"], site)
    text = (site.root / "content/2022/2022-03-14-افتتاح-الجسر.md").read_text()
    meta = yaml.safe_load(text.split("---\n")[1])
    assert meta["date"] == "2022-03-14T10:30:00+03:00"  # post_date_gmt, in the site's zone
    assert meta["slug"] == "افتتاح-الجسر"  # percent-decoded post_name
    assert meta["author"] == "سارة أحمد"
    assert meta["image"] == "https://madina.example/wp-content/uploads/2022/03/bridge.jpg"
    assert "wp:" not in text
    assert "<figcaption>الجسر عند الافتتاح</figcaption></figure>" in text
    assert 'src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in text
    assert (site.root / PAGES_FOLDER / "من-نحن.md").is_file()
    assert report.drafts_skipped == 2  # the draft and the private post; not the attachment
    config = yaml.safe_load((site.root / "sitegen.yaml").read_text())
    assert {"name": "رياضة", "slug": "sports", "description": "أخبار الرياضة المحلية"} in config[
        "topics"
    ]


def test_cli_reports_each_problem_at_its_line(tmp_path: Path) -> None:
    site = new_site(tmp_path)
    source = SOURCES["jekyll"]
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "sitegen",
            "import",
            "--from",
            "jekyll",
            str(source),
            "-s",
            str(site.root),
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    post = source / "_posts/2022-01-07-kazakhstan-peacekeepers.md"
    strike = source / "_posts/2022-01-09-إضراب-المعلمين.md"
    lines = run.stderr.splitlines()
    for expected in (
        f"{post}:21: warning: {{% include %}} left as is: '{{% include ad.html slot=\"top\" %}}'",
        f"{post}:25: warning: iframe from 'maps.example.com' removed: only YouTube and Vimeo "
        "embeds are kept",
        f"{source / '_posts/2022-01-08-oil-prices.md'}:1: warning: invisible or control "
        "character U+0008 removed",
        f"{strike}:8: warning: file '/assets/img/missing.jpg' not found in the source",
        f"{source / 'about.md'}:6: warning: Liquid site variable left as is: '{{{{ site.email }}}}'",
    ):
        assert expected in lines, run.stderr
    assert run.stdout.strip() == (
        "read 9 files: 3 articles, 2 pages, 2 drafts skipped; wrote 8 files (0 unchanged); "
        "assets: 3 copied, 1 missing; 3 constructs left to convert by hand; "
        "1 topic added to sitegen.yaml"
    )
    (written,) = (site.root / "content").rglob("2022-01-09-*.md")
    body = written.read_text(encoding="utf-8")  # both images stay images: the build handles them
    assert "![صورة مفقودة](/assets/img/missing.jpg)" in body
    assert "![الشعار](/assets/img/logo.svg)" in body


def test_cli_refuses_a_file_for_a_folder_source(tmp_path: Path) -> None:
    site = new_site(tmp_path)
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "sitegen",
            "import",
            "--from",
            "hugo",
            str(SOURCES["wordpress"]),
            "-s",
            str(site.root),
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )
    assert run.returncode == 2
    assert "--from hugo reads a site folder; this is not one" in run.stderr


def test_a_site_folder_without_its_configuration_imports_with_the_defaults(tmp_path: Path) -> None:
    source = tmp_path / "akhbar"
    shutil.copytree(SOURCES["jekyll"], source)
    (source / "_config.yml").unlink()
    site = new_site(tmp_path)
    report = import_archive("jekyll", source, site)
    assert [d for d in report.diagnostics if d.severity is Severity.ERROR] == []
    result = build(load_site(site.root)[0], BuildOptions(now=NOW))  # type: ignore[arg-type]
    assert [d.format() for d in result.diagnostics if d.severity is Severity.ERROR] == []
    assert "/politics/world/2022/01/07/kazakhstan-peacekeepers.html" in {
        a for a, _ in result.aliases
    }


def test_an_edited_file_is_kept_unless_forced(tmp_path: Path) -> None:
    site = new_site(tmp_path)
    import_archive("feed", SOURCES["rss"], site)
    target = site.root / "content/2021/2021-11-20-rain.md"
    target.write_text(target.read_text() + "\nسطر أضافه المحرر.\n")
    edited = target.read_bytes()
    report = import_archive("feed", SOURCES["rss"], site)
    assert target.read_bytes() == edited
    assert [d.format() for d in report.diagnostics] == [
        "content/2021/2021-11-20-rain.md: exists with other content; kept (--force replaces it)"
    ]
    report = import_archive("feed", SOURCES["rss"], site, force=True)
    assert report.written == 1 and "سطر أضافه المحرر" not in target.read_text()


def test_values_the_build_refuses_are_set_aside(tmp_path: Path) -> None:
    source = write_files(
        tmp_path / "blog",
        {
            "content/posts/a.md": "---\ntitle: خبر\ndate: 2023-01-02\nbreaking: 'yes'\n"
            "source_url: ftp://x.example/\n---\nنص.\n"
        },
    )
    site = new_site(tmp_path)
    report = import_archive("hugo", source, site)
    text = (site.root / "content/2023/2023-01-02-a.md").read_text()
    meta = yaml.safe_load(text.split("---\n")[1])
    assert meta["breaking_original"] == "yes" and meta["source_url_original"] == "ftp://x.example/"
    assert "breaking" not in meta and "source_url" not in meta
    assert len(report.diagnostics) == 2
    result = build(load_site(site.root)[0], BuildOptions(now=NOW))  # type: ignore[arg-type]
    assert [d.format() for d in result.diagnostics if d.severity is Severity.ERROR] == []


def test_a_wordpress_export_with_entities_is_refused(tmp_path: Path) -> None:
    bomb = (
        write_files(
            tmp_path,
            {
                "bomb.xml": '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY a "aaaa">]>\n'
                "<rss><channel><item><title>&a;</title></item></channel></rss>\n"
            },
        )
        / "bomb.xml"
    )
    site = new_site(tmp_path)
    report = import_archive("wordpress", bomb, site)
    assert [d.format() for d in report.diagnostics] == [
        f"{bomb}: refused: the file declares XML entities or external references (not read)"
    ]
    assert report.articles == 0


def test_dates_without_an_offset_are_in_the_old_sites_timezone(tmp_path: Path) -> None:
    source = write_files(
        tmp_path / "blog",
        {
            "_config.yml": "timezone: Asia/Tehran\n",
            "_posts/2023-01-02-a.md": "---\ntitle: خبر\ndate: 2023-01-02 09:00:00\n---\nنص.\n",
        },
    )
    site = new_site(tmp_path)
    import_archive("jekyll", source, site)
    text = (site.root / "content/2023/2023-01-02-a.md").read_text()
    assert yaml.safe_load(text.split("---\n")[1])["date"] == "2023-01-02T08:30:00+03:00"


def test_a_jekyll_collection_of_translated_guides(tmp_path: Path) -> None:
    source = write_files(
        tmp_path / "guides-site",
        {
            "_config.yml": "lang: ar\nlanguages: [ar, en]\ncollections:\n  guides:\n    output: true\n"
            "    permalink: /guides/:path/\n",
            "_guides/ar/start.md": "---\ntitle: دليل البداية\n---\nابدأ هنا.\n",
            "_guides/en/start.md": "---\ntitle: Getting started\n---\nStart here.\n",
            "_guides/ar/news.md": "---\ntitle: دليل مؤرخ\ndate: 2023-02-01\n---\nنص.\n",
        },
    )
    site = new_site(tmp_path)
    report = import_archive("jekyll", source, site)
    assert (report.pages, report.articles) == (2, 1)
    english = (site.root / PAGES_FOLDER / "start-en.en.md").read_text()
    meta = yaml.safe_load(english.split("---\n")[1])
    assert meta["lang"] == "en" and meta["aliases"] == ["/guides/en/start/"]
    assert "/guides/ar/start/" in (site.root / PAGES_FOLDER / "start.md").read_text()
    dated = yaml.safe_load(
        (site.root / "content/2023/2023-02-01-news.md").read_text().split("---\n")[1]
    )
    assert dated["aliases"] == ["/guides/ar/news/"] and "lang" not in dated

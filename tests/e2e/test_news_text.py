"""The seed plain-text article on the built sample site, and `sitegen import` of it."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from sitegen.core.config import load_site
from tests.conftest import MINIMAL_CONFIG, build_site, write_files
from tests.e2e.test_cli import run

REPO = Path(__file__).resolve().parents[2]
SEED = REPO / "content" / "world" / "2022-01-07-kazakhstan.txt"
HEADLINE = "واشنطن: لدينا تساؤلات حول شرعية نشر قوات حفظ السلام بكازاخستان"
SLUG = "واشنطن-لدينا-تساؤلات-حول-شرعية-نشر-قوات-حفظ-السلام-بكازاخستان"
PAGE = f"2022/01/07/{SLUG}/index.html"
SUBHEADINGS = ["مراقبة أي انتهاكات لحقوق الإنسان", "روسيا تدخل على خط أزمة كازاخستان"]
CONFIG = MINIMAL_CONFIG + "topics:\n  - name: العالم\n    slug: world\n"


def story_body(page: str) -> str:
    match = re.search(r'<div class="story-body"[^>]*>(.*?)</div>', page, re.S)
    assert match, "no story body"
    return match.group(1).strip()


@pytest.fixture(scope="module")
def sample_files() -> dict[str, bytes]:
    site, problems = load_site(REPO)
    assert site is not None, problems
    result = build_site(site)
    assert result.ok, [d.format() for d in result.diagnostics]
    return result.files


def test_seed_page_shows_every_field(sample_files: dict[str, bytes]) -> None:
    page = sample_files[PAGE].decode()
    assert f'<h1 class="story-title" dir="rtl">{HEADLINE}</h1>' in page
    assert '<time datetime="2022-01-07T00:57:00+03:00">' in page
    assert "<bdi>المواطن</bdi>" in page
    assert "التابعة لمنظمة معاهدة الأمن الجماعي" in page
    body = story_body(page)
    assert re.findall(r"<h2[^>]*>(.*?)</h2>", body) == SUBHEADINGS
    assert body.count("<p>") == 10
    assert "المزيد" not in page
    assert HEADLINE not in body


def test_seed_is_on_the_day_digest_under_its_topic(sample_files: dict[str, bytes]) -> None:
    digest = sample_files["2022/01/07/index.html"].decode()
    sections = re.findall(r'<section class="topic-section".*?</section>', digest, re.S)
    [section] = [s for s in sections if HEADLINE in s]
    assert "<bdi>العالم</bdi>" in section.split("</h2>")[0]


def test_import_gives_the_same_article(tmp_path: Path) -> None:
    text_site = write_files(tmp_path / "text", {"sitegen.yaml": CONFIG})
    (text_site / "content" / "world").mkdir(parents=True)
    shutil.copy(SEED, text_site / "content" / "world" / SEED.name)
    markdown_site = write_files(tmp_path / "markdown", {"sitegen.yaml": CONFIG})
    out = markdown_site / "content" / "world"

    imported = run("import", "-s", str(markdown_site), str(SEED), "--out", str(out), cwd=tmp_path)
    assert imported.returncode == 0, imported.stderr
    target = out / f"2022-01-07-{SLUG}.md"
    assert imported.stdout == f"wrote {target}\n"
    assert target.read_text(encoding="utf-8").startswith(f"---\ntitle: '{HEADLINE}'\n")

    pages = []
    for root in (text_site, markdown_site):
        site, problems = load_site(root)
        assert site is not None, problems
        result = build_site(site)
        assert result.ok, [d.format() for d in result.diagnostics]
        pages.append(result.files[PAGE].decode())
    text_page, markdown_page = pages
    assert story_body(markdown_page) == story_body(text_page)
    header = re.compile(r'<header class="story-header">.*?</header>', re.S)
    assert header.search(markdown_page)[0] == header.search(text_page)[0]  # type: ignore[index]


def test_import_refuses_to_overwrite_unless_forced(tmp_path: Path) -> None:
    site = write_files(tmp_path / "site", {"sitegen.yaml": CONFIG})
    first = run("import", str(SEED), "--topic", "العالم", cwd=site)
    assert first.returncode == 0, first.stderr
    target = Path("content") / f"2022-01-07-{SLUG}.md"
    assert first.stdout == f"wrote {site / target}\n"
    assert "topic: العالم\n" in (site / target).read_text(encoding="utf-8")

    again = run("import", str(SEED), cwd=site)
    assert again.returncode == 1
    assert f"{site / target} exists; use --force to replace it" in again.stderr
    assert again.stdout == ""

    forced = run("import", str(SEED), "--force", cwd=site)
    assert forced.returncode == 0, forced.stderr
    assert "topic:" not in (site / target).read_text(encoding="utf-8")


def test_import_reports_bad_files_and_writes_the_good_ones(tmp_path: Path) -> None:
    site = write_files(
        tmp_path / "site",
        {"sitegen.yaml": CONFIG, "scraped/bad.txt": "عنوان فقط\n", "scraped/empty.txt": ""},
    )
    result = run("import", "scraped/bad.txt", "scraped/empty.txt", str(SEED), cwd=site)
    assert result.returncode == 1
    assert "scraped/bad.txt:1: no date line in the first 6 lines" in result.stderr
    assert "scraped/empty.txt:1: the file is empty" in result.stderr
    assert "2 errors, 0 warnings" in result.stderr
    assert result.stdout.startswith("wrote ")
    assert "Traceback" not in result.stderr


def test_sidecar_adds_tags_and_topic_to_a_text_article(tmp_path: Path) -> None:
    """`name.yaml` beside `name.txt` carries front-matter keys; errors point into it."""
    seed = SEED.read_text(encoding="utf-8")
    write_files(
        tmp_path,
        {
            "sitegen.yaml": MINIMAL_CONFIG,
            "content/2022-01-07-kazakhstan.txt": seed,
            "content/2022-01-07-kazakhstan.yaml": "topic: العالم\ntags: [كازاخستان, روسيا]\n",
        },
    )
    site, _ = load_site(tmp_path)
    result = build_site(site)
    assert result.ok, [d.format() for d in result.diagnostics]
    assert (
        "tags/كازاخستان/index.html" in result.files and "topics/العالم/index.html" in result.files
    )

    (tmp_path / "content/2022-01-07-kazakhstan.yaml").write_text("topic: العالم\n\ntags: 5\n")
    problems = [d.format() for d in build_site(site).diagnostics]
    assert problems == ["content/2022-01-07-kazakhstan.yaml:3: 'tags' must be a list of text"]

    out = tmp_path / "imported"
    (tmp_path / "content/2022-01-07-kazakhstan.yaml").write_text("tags: [كازاخستان]\n")
    result = run(
        "import",
        str(tmp_path / "content/2022-01-07-kazakhstan.txt"),
        "--out",
        str(out),
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    (written,) = out.iterdir()
    assert "tags:\n- كازاخستان\n" in written.read_text(encoding="utf-8")

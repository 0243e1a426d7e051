"""Quick pages (`sitegen.build.quick`): an edited article's page made from the previous
build's plan equals the page a whole build makes; any edit that moves the article gives None."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

from sitegen.build.load import read_source
from sitegen.build.quick import PageBasis, PlannedSite, quick_files
from sitegen.core.config import Site, load_site
from tests.conftest import MINIMAL_CONFIG, article, build_site

SLUG = "خبر-الطاقة"
PAGE = f"2022/01/07/{SLUG}/index.html"
FRONT = {"slug": SLUG, "topic": "سياسة", "summary": "ملخص أول"}


def news(**extra: str) -> str:
    body = "نص الخبر الأول.\n\n## تفاصيل\n\nفقرة ثانية عن الطاقة."
    return article("خبر الطاقة", body=body, **{"tags": "[النفط, الطاقة]", **FRONT, **extra})


@pytest.fixture
def site(make_site: Callable[..., Site]) -> Site:
    return make_site(
        {
            "content/a.md": news(),
            "content/b.md": article("خبر قبله", "2022-01-06T10:00:00+03:00", tags="[النفط]"),
            "content/c.md": article("خبر بعده", "2022-01-08T08:00:00+03:00", tags="[الطاقة]"),
        }
    )


def basis_of(site: Site) -> PageBasis:
    found: list[PageBasis] = []
    result = build_site(site, planned=found.append)
    assert result.ok and len(found) == 1
    return found[0]


def edit(site: Site, text: str, name: str = "content/a.md") -> dict[str, bytes] | None:
    """Save `text` as `name`, then make its quick files from a basis built before the save."""
    basis = basis_of(site)
    path = site.root / name
    path.write_text(text, encoding="utf-8")
    source, problem = read_source(path, site.root, None, (site.root,))
    assert source is not None, problem
    return quick_files(basis, [source])


def test_the_quick_page_of_an_edit_is_the_whole_builds_page(site: Site) -> None:
    edited = news(summary="ملخص معدل", author="كاتب جديد").replace("فقرة ثانية", "فقرة معدلة")
    files = edit(site, edited)
    assert files is not None and list(files) == [PAGE]
    reloaded, _ = load_site(site.root)
    assert reloaded is not None
    whole = build_site(reloaded)  # a clean build of the edited site
    assert files[PAGE] == whole.files[PAGE]
    assert "فقرة معدلة".encode() in files[PAGE] and "كاتب جديد".encode() in files[PAGE]


def test_a_planned_site_reads_as_the_build_it_comes_from(site: Site) -> None:
    found: list[PageBasis] = []
    result = build_site(site, planned=found.append)
    planned = PlannedSite(found[0])
    # made after render: the search index, and the cards the cache lacked (none was drawn)
    built = [p for p in result.files if not p.startswith("pagefind/") and "card.png" not in p]
    assert sorted(planned) == sorted(built) and len(planned) == len(built)
    assert PAGE in planned and "nothing.html" not in planned
    assert all(planned[path] == result.files[path] for path in built)


def test_a_build_with_errors_hands_out_no_plan(site: Site) -> None:
    (site.root / "content/b.md").write_text("---\ntitle: [broken\n---\n", encoding="utf-8")
    found: list[PageBasis] = []
    assert not build_site(site, planned=found.append).ok and found == []


def test_a_later_basis_carries_the_compiled_templates_over(site: Site) -> None:
    first = basis_of(site)
    assert first.renderer is not None and first.parser is not None
    edited = news(summary="ملخص آخر")
    second = basis_of(site)
    second.carry_over(first)
    (env, site_view), (first_env, _) = second.renderer.languages[""], first.renderer.languages[""]
    assert env is first_env and second.parser is first.parser
    assert site_view is second.setup.sites[""]  # this build's `site`, not the first's
    path = site.root / "content/a.md"
    path.write_text(edited, encoding="utf-8")
    source, _ = read_source(path, site.root, None, (site.root,))
    files = quick_files(second, [source])  # type: ignore[list-item]
    reloaded, _ = load_site(site.root)
    assert files is not None and reloaded is not None
    assert files[PAGE] == build_site(reloaded).files[PAGE]


@pytest.mark.parametrize(
    "edited",
    [
        news(slug="خبر-آخر"),  # another URL
        news(date="2022-01-05T09:30:00+03:00"),  # another day
        news(topic="اقتصاد"),
        news(tags="[النفط]"),  # other related articles, other tag pages
        news(draft="true"),  # hidden
        news(lang="en"),
        news(date="not a date"),  # an error: the whole build reports it
        "---\ntitle: [unclosed\n---\nنص\n",  # does not parse
    ],
    ids=["slug", "date", "topic", "tags", "draft", "lang", "bad-date", "bad-yaml"],
)
def test_an_edit_that_moves_the_article_has_no_quick_page(site: Site, edited: str) -> None:
    assert edit(site, edited) is None


def test_an_article_not_in_the_plan_has_no_quick_page(site: Site) -> None:
    assert edit(site, news(slug="جديد"), name="content/new.md") is None


def test_an_image_the_edit_adds_comes_with_the_page(site: Site) -> None:
    Image.new("RGB", (64, 48), "red").save(site.root / "content/photo.png")
    files = edit(site, news().replace("نص الخبر الأول.", "![صورة](photo.png)"))
    assert files is not None
    images = sorted(p for p in files if p != PAGE)
    assert images and all(Path(p).name.encode() in files[PAGE] for p in images)


BILINGUAL = """languages:
  en:
    title: The News
"""


def test_the_quick_page_of_a_translated_article_keeps_its_switcher(
    make_site: Callable[..., Site],
) -> None:
    """On a bilingual site the language switcher of an edited article still links to its
    translation (not the other language's home page), as the whole build's page does; the
    translation itself, published under /en/, is never quick."""
    english = article("Energy news", lang="en", translation_key="energy", topic="سياسة")
    site = make_site(
        {"content/a.md": news(translation_key="energy"), "content/en.md": english},
        config=MINIMAL_CONFIG + BILINGUAL,
    )
    files = edit(site, news(translation_key="energy").replace("فقرة ثانية", "فقرة معدلة"))
    assert files is not None and list(files) == [PAGE]
    reloaded, _ = load_site(site.root)
    assert reloaded is not None
    assert files[PAGE] == build_site(reloaded).files[PAGE]
    assert b'href="/en/2022/01/07/energy-news/" hreflang="en"' in files[PAGE]
    assert edit(site, english.replace("Energy news", "Energy news today"), "content/en.md") is None

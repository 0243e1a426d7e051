"""In Debian's Chromium, the lead image loads a small variant on a phone and a large one on a
desktop screen (checked with `currentSrc`)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from sitegen.build.write import write_site
from sitegen.core.config import load_site
from tests.conftest import MINIMAL_CONFIG, article, build_site, write_files
from tests.e2e.browser import CHROMIUM, serve
from tests.image_factory import jpeg_with_metadata

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium"),
]
PAGE = "2022/01/07/صورة-الخبر/"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = write_files(
        tmp_path_factory.mktemp("browser") / "site",
        {
            "sitegen.yaml": MINIMAL_CONFIG,
            "static/img/lead.jpg": jpeg_with_metadata(2400, 1600),
            "content/2022/01/07/lead.md": article(
                "صورة الخبر", image="/img/lead.jpg", image_alt="صورة"
            ),
        },
    )
    site, problems = load_site(root)
    assert site is not None, problems
    result = build_site(site)
    assert result.ok, [d.format() for d in result.diagnostics]
    write_site(result.files, site.output_dir, site.state_dir)
    with serve(site.output_dir) as url:
        yield url + "/"


# `browser` is pytest-playwright's (Debian's chromium, configured in tests/e2e/conftest.py).


@pytest.mark.parametrize(
    ("viewport_width", "scale", "expected", "shown_width"),
    [(360, 1, "-360.", 328), (1280, 1, "-720.", 704), (1280, 2, "-1600.", 704)],
    ids=["phone", "desktop", "desktop-2x"],
)
def test_browser_picks_the_variant_for_the_screen(
    browser, server: str, viewport_width: int, scale: int, expected: str, shown_width: int
) -> None:
    context = browser.new_context(
        viewport={"width": viewport_width, "height": 800}, device_scale_factor=scale
    )
    try:
        page = context.new_page()
        page.goto(server + quote(PAGE))
        lead = page.locator(".lead-image img")
        lead.evaluate("img => img.complete || new Promise(done => img.onload = done)")
        current = lead.evaluate("img => img.currentSrc")
        assert expected in current and current.endswith(".webp"), current
        # The theme's layout matches `sizes`, and width/height give the box its aspect ratio.
        box = lead.evaluate("img => [img.clientWidth, img.clientHeight]")
        assert box == [shown_width, round(shown_width * 1600 / 2400)]
    finally:
        context.close()

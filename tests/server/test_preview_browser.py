"""Live reload in a real browser (Playwright + Debian's chromium) over a stand-in builder."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from serve_support import PAGE, write_atomically

pytestmark = pytest.mark.browser

OVERLAY = "#sitegen-overlay"


def open_connected(page: Page, url: str) -> None:
    """Load the page and wait until its live-reload stream is open."""
    page.goto(url)
    page.wait_for_function("window.__sitegenConnected === true", timeout=5000)


def test_edit_reloads_the_page_within_two_seconds(preview, site_dir: Path, page: Page) -> None:
    running = preview()
    open_connected(page, running.url + "a/")
    started = time.monotonic()
    write_atomically(site_dir / "content/a/index.html", PAGE.format(title="عنوان جديد"))
    expect(page.locator("h1")).to_have_text("عنوان جديد", timeout=2000)
    assert time.monotonic() - started < 2.0


def test_css_only_edit_swaps_styles_without_reload(preview, site_dir: Path, page: Page) -> None:
    running = preview()
    open_connected(page, running.url + "a/")
    page.evaluate("window.__survivor = 42")
    write_atomically(site_dir / "static/site.css", "h1 { color: rgb(255, 0, 0); }\n")
    expect(page.locator("h1")).to_have_css("color", "rgb(255, 0, 0)", timeout=2000)
    assert page.evaluate("window.__survivor") == 42
    assert page.locator('link[rel="stylesheet"]').count() == 1


def test_scroll_position_is_kept_across_reloads(preview, site_dir: Path, page: Page) -> None:
    running = preview()
    open_connected(page, running.url + "a/")
    page.evaluate("window.scrollTo(0, 1500); window.__survivor = 1")
    write_atomically(site_dir / "content/a/index.html", PAGE.format(title="بعد التمرير"))
    expect(page.locator("h1")).to_have_text("بعد التمرير", timeout=2000)
    assert page.evaluate("window.__survivor") is None  # it was a real reload
    page.wait_for_function("window.scrollY === 1500", timeout=2000)


def test_failed_build_shows_overlay_until_fixed(preview, site_dir: Path, page: Page) -> None:
    running = preview()
    open_connected(page, running.url + "a/")
    source = site_dir / "content/a/index.html"
    write_atomically(source, PAGE.format(title="BROKEN"))
    overlay = page.locator(OVERLAY)
    expect(overlay).to_be_visible(timeout=2000)
    expect(overlay).to_contain_text("content/a/index.html:3: broken marker")
    expect(overlay).to_contain_text("content/a/index.html:5: broken marker")
    assert overlay.evaluate("e => getComputedStyle(e).direction") == "rtl"
    expect(page.locator("h1")).to_have_text("الخبر")  # the last good build is still shown
    page.goto(running.url)  # every page carries the overlay
    expect(overlay).to_be_visible()
    write_atomically(source, PAGE.format(title="أُصلح"))
    expect(overlay).to_have_count(0, timeout=2000)
    page.goto(running.url + "a/")
    expect(page.locator("h1")).to_have_text("أُصلح")


def test_reconnects_after_server_restart(preview, site_dir: Path, page: Page) -> None:
    first = preview()
    port = first.server.server_port
    open_connected(page, first.url + "a/")
    page.evaluate("window.__survivor = 7")
    first.stop()
    page.wait_for_function("window.__sitegenConnected === false", timeout=3000)
    write_atomically(site_dir / "content/a/index.html", PAGE.format(title="بعد إعادة التشغيل"))
    preview(port)
    expect(page.locator("h1")).to_have_text("بعد إعادة التشغيل", timeout=4000)
    assert page.evaluate("window.__survivor") is None

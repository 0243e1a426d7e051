"""The XSS suite in Debian's Chromium: every page of a site full of payloads (tests/e2e/
xss_site.py) loads with no dialog, no script error, no `window.__xss`, no event-handler
attribute and no URL outside http(s)/mailto/tel."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import ConsoleMessage, Dialog, Error, Page

from tests.conftest import MINIMAL_CONFIG, article, write_files
from tests.e2e.browser import build_to, serve
from tests.e2e.xss_site import MARKDOWN_PAYLOADS, xss_site

pytestmark = pytest.mark.browser

# The resolved URL of every attribute that can hold one (`el.href` etc. as the browser reads it).
FOUND_URLS = """() => {
  const found = [];
  for (const el of document.querySelectorAll('*')) {
    for (const name of ['href', 'src', 'action', 'formAction', 'data', 'poster', 'background']) {
      const value = el[name];
      if (typeof value === 'string' && value) found.push(value);
      else if (value && typeof value.baseVal === 'string') found.push(value.baseVal);
    }
    const xlink = el.getAttribute('xlink:href');
    if (xlink) found.push(new URL(xlink, document.baseURI).href);
    if (el.getAttribute('srcset')) found.push(...el.srcset.split(',').map(s => s.trim()));
  }
  return found;
}"""
HANDLERS = """() => [...document.querySelectorAll('*')].flatMap(
  el => [...el.attributes].filter(a => a.name.startsWith('on')).map(a => el.localName + ' ' + a.name)
)"""
SAFE_SCHEMES = ("http:", "https:", "mailto:", "tel:")


@pytest.fixture(scope="module")
def xss_pages(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, list[str]]]:
    """The served site and the paths of its HTML pages."""
    root = write_files(tmp_path_factory.mktemp("xss") / "site", xss_site())
    output = build_to(root, tmp_path_factory.mktemp("xss-out"))
    pages = sorted(
        "/" + p.relative_to(output).as_posix().removesuffix("index.html")
        for p in output.rglob("*.html")
    )
    with serve(output) as url:
        yield url, pages


def _visit(page: Page, url: str, ready: str | None = None) -> list[str]:
    """Load `url` (and wait for the `ready` selector); return what injected code caused."""
    caught: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        caught.append(f"dialog: {dialog.message}")
        dialog.dismiss()

    def on_console(message: ConsoleMessage) -> None:
        # Images pointed at a closed port fail to load; that is the browser, not a script.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            caught.append(f"console: {message.text}")

    def on_error(error: Error) -> None:
        caught.append(f"page error: {error.message}")

    page.on("dialog", on_dialog)
    page.on("console", on_console)
    page.on("pageerror", on_error)
    page.goto(url, wait_until="load")
    if ready:
        page.wait_for_selector(ready, timeout=15_000)
    page.mouse.move(200, 200)  # hover handlers
    page.keyboard.press("Tab")  # focus handlers
    page.wait_for_timeout(150)  # onbegin, ontoggle, late onerror
    if page.evaluate("() => window.__xss !== undefined"):
        caught.append("window.__xss was set")
    caught += [f"handler attribute: {h}" for h in page.evaluate(HANDLERS)]
    caught += [
        f"unsafe URL: {u}" for u in page.evaluate(FOUND_URLS) if not u.startswith(SAFE_SCHEMES)
    ]
    page.remove_listener("dialog", on_dialog)
    page.remove_listener("console", on_console)
    page.remove_listener("pageerror", on_error)
    return caught


def test_no_payload_runs_on_any_page(
    page: Page, offline: list[str], xss_pages: tuple[str, list[str]]
) -> None:
    url, paths = xss_pages
    assert len(paths) > 10 and any("روابط" in p for p in paths)
    found = {path: _visit(page, url + path) for path in paths}
    assert {path: caught for path, caught in found.items() if caught} == {}


@pytest.mark.parametrize("query", ["نص", "alert", "onerror", "فقرة"])
def test_search_excerpts_of_payloads_run_nothing(
    page: Page, offline: list[str], xss_pages: tuple[str, list[str]], query: str
) -> None:
    """The search page puts Pagefind's excerpts in with innerHTML: payload text stays text."""
    url, _ = xss_pages
    caught = _visit(page, f"{url}/search/?q={query}", ready="#search-results li .excerpt")
    assert caught == []
    excerpts = page.locator("#search-results .excerpt").all_inner_texts()
    assert excerpts and not page.locator("#search-results .excerpt *:not(mark)").count()


def test_payload_text_is_shown_as_text(
    page: Page, offline: list[str], xss_pages: tuple[str, list[str]]
) -> None:
    url, paths = xss_pages
    payloads = next(p for p in paths if "عنوان/" in p and "نص" not in p)
    page.goto(url + payloads)
    assert page.locator("h1").text_content().startswith("</script><script>alert(1)</script>")
    imported = next(p for p in paths if "عنوان-من-نص" in p)
    page.goto(url + imported)
    assert (
        "<img src=http://127.0.0.1:9/x onerror=alert(1)>"
        in page.locator(".story-body").text_content()
    )


def test_the_check_catches_payloads_when_sanitising_is_off(
    page: Page, offline: list[str], tmp_path: Path
) -> None:
    """`markdown.unsafe_html: true` is the trusted-newsroom opt-out: the same payloads then run,
    which shows the check above would see them."""
    files = {
        "sitegen.yaml": MINIMAL_CONFIG + "markdown:\n  unsafe_html: true\n",
        "content/2022/01/07/a.md": article("a", body="\n\n".join(MARKDOWN_PAYLOADS[:3])),
    }
    output = build_to(write_files(tmp_path / "site", files), tmp_path / "out")
    with serve(output) as url:
        caught = _visit(page, url + "/2022/01/07/a/")
    assert any(c.startswith("dialog: 1") for c in caught), caught
    assert any(c.startswith("handler attribute") for c in caught), caught

"""The digest theme in a real browser (Playwright driving Debian's chromium).

Sites are built once per session and served on 127.0.0.1 (see conftest.py). Every page is
opened with requests to any other host blocked and recorded, and a test fails if one was made.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from itertools import pairwise
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.browser import SAMPLE_PAGES

pytestmark = pytest.mark.browser

PAGE_NAMES = list(SAMPLE_PAGES)
PHONE = {"width": 360, "height": 780}
DESKTOP = {"width": 1280, "height": 900}

# Bounding boxes of words inside an element's text (one Range per occurrence, in order).
WORD_BOXES_JS = """([selector, words]) => {
  const element = document.querySelector(selector);
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  const nodes = [];
  while (walker.nextNode()) nodes.push(walker.currentNode);
  let node = 0, from = 0;
  return words.map(word => {
    while (node < nodes.length && nodes[node].data.indexOf(word, from) < 0) { node++; from = 0; }
    if (node >= nodes.length) return null;
    const at = nodes[node].data.indexOf(word, from);
    from = at + word.length;
    const range = document.createRange();
    range.setStart(nodes[node], at);
    range.setEnd(nodes[node], at + word.length);
    const box = range.getBoundingClientRect();
    return {left: box.left, right: box.right, top: box.top};
  });
}"""


def computed(page: Page, selector: str, prop: str) -> str:
    return page.eval_on_selector(selector, f"e => getComputedStyle(e).{prop}")


def box(page: Page, selector: str) -> dict[str, float]:
    found = page.locator(selector).first.bounding_box()
    assert found is not None, selector
    return found


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_arabic_pages_are_right_to_left(
    page: Page, offline: list[str], sample_url: str, name: str
) -> None:
    page.goto(sample_url + SAMPLE_PAGES[name])
    assert page.eval_on_selector("html", "e => [e.lang, e.dir]") == ["ar", "rtl"]
    for selector in ("html", "body", "main", "h1", ".masthead"):
        assert computed(page, selector, "direction") == "rtl", selector


def test_english_site_is_left_to_right_with_english_strings(
    page: Page, offline: list[str], english_url: str
) -> None:
    page.set_viewport_size(DESKTOP)
    page.goto(english_url + "/")
    assert page.eval_on_selector("html", "e => [e.lang, e.dir]") == ["en", "ltr"]
    for selector in ("html", "body", "main", "h1"):
        assert computed(page, selector, "direction") == "ltr", selector
    assert page.locator(".skip-link").text_content() == "Skip to content"
    assert page.locator("h1").text_content() == "Digest of January 7, 2022"
    # The nameplate sits at the left edge of the masthead in a left-to-right page.
    title, inner = box(page, ".site-title a"), box(page, ".masthead-inner")
    assert title["x"] < inner["x"] + inner["width"] / 4


def test_an_arabic_article_on_an_english_site_is_right_to_left(
    page: Page, offline: list[str], english_url: str
) -> None:
    page.goto(english_url + "/")
    page.get_by_role("link", name="أسعار النفط ترتفع").first.click()
    assert computed(page, "html", "direction") == "ltr"
    assert page.eval_on_selector("h1", "e => [e.lang, getComputedStyle(e).direction]") == [
        "ar",
        "rtl",
    ]
    assert computed(page, ".story-body", "direction") == "rtl"
    assert page.locator(".byline .reading-time").text_content().startswith("Reading time:")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["360", "1280"])
def test_masthead_sits_at_the_right_edge(
    page: Page, offline: list[str], sample_url: str, viewport: dict[str, int]
) -> None:
    page.set_viewport_size(viewport)
    page.goto(sample_url + "/")
    title, inner = box(page, ".site-title a"), box(page, ".masthead-inner")
    padding = float(computed(page, ".masthead-inner", "paddingRight").removesuffix("px"))
    inner_right = inner["x"] + inner["width"] - padding
    assert abs(title["x"] + title["width"] - inner_right) <= 1
    assert title["x"] > inner["x"] + inner["width"] / 2
    if viewport == PHONE:
        assert inner_right >= viewport["width"] - 17  # only the page padding to the right


def word_boxes(page: Page, selector: str, words: list[str]) -> list[dict[str, float]]:
    boxes = page.evaluate(WORD_BOXES_JS, [selector, words])
    assert None not in boxes, (words, boxes)
    return boxes


def test_mixed_title_renders_in_right_to_left_visual_order(
    page: Page, offline: list[str], golden_ar_url: str
) -> None:
    page.set_viewport_size(DESKTOP)
    page.goto(golden_ar_url + "/2022/01/07/")
    page.get_by_role("link", name=re.compile("^قمة NATO في 2024")).first.click()
    expect(page.locator("h1")).to_have_text("قمة NATO في 2024 تناقش أمن المنطقة")
    words = ["قمة", "NATO", "في", "2024", "تناقش", "أمن", "المنطقة"]
    boxes = word_boxes(page, "h1", words)
    assert len({round(b["top"]) for b in boxes}) == 1, "the title should fit on one line"
    for (first, a), (second, b) in pairwise(zip(words, boxes, strict=True)):
        assert b["right"] <= a["left"] + 1, f"{second!r} should be left of {first!r}"
    # Inside the Latin word and the number, characters run left to right.
    n, o = word_boxes(page, "h1", ["N", "O"])
    two, four = word_boxes(page, "h1", ["2", "4"])
    assert n["left"] < o["left"] and two["left"] < four["left"]


def test_arabic_title_opening_with_a_latin_word_keeps_it_on_the_right(
    page: Page, offline: list[str], sample_url: str
) -> None:
    # dir="auto" would make this title left to right; the article's direction keeps it RTL.
    page.set_viewport_size(DESKTOP)
    page.goto(sample_url + "/topics/technology/")
    link = page.get_by_role("link", name=re.compile("^Apple أول شركة"))
    expect(link.locator("xpath=..")).to_have_attribute("dir", "rtl")  # the card's heading
    link.evaluate("e => e.id = 'apple-title'")
    apple, first_arabic = word_boxes(page, "#apple-title", ["Apple", "أول"])
    assert apple["top"] == first_arabic["top"]
    assert apple["left"] >= first_arabic["right"] - 1


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_no_horizontal_overflow_at_360px(
    page: Page, offline: list[str], sample_url: str, name: str
) -> None:
    page.set_viewport_size(PHONE)
    page.goto(sample_url + SAMPLE_PAGES[name])
    overflowing = page.evaluate(
        """() => [...document.querySelectorAll('body *')]
             .filter(e => { const r = e.getBoundingClientRect();
                            return r.width > 0 && (r.left < -1 || r.right > innerWidth + 1); })
             .map(e => e.tagName + '.' + e.className)"""
    )
    assert overflowing == []
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_no_horizontal_overflow_on_an_english_phone(
    page: Page, offline: list[str], english_url: str
) -> None:
    page.set_viewport_size(PHONE)
    page.goto(english_url + "/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


@pytest.mark.parametrize(("path", "direction"), [("/", "rtl"), ("/en/", "ltr")])
@pytest.mark.parametrize("width", [PHONE["width"], 1280])
def test_the_language_switcher_sits_at_the_mastheads_end(
    page: Page, offline: list[str], bilingual_url: str, path: str, direction: str, width: int
) -> None:
    """Beside the search box on a wide screen, at the inline end of a row above it on a
    phone: the page's end in either direction, never a bar of its own."""
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(bilingual_url + path)
    box = page.locator(".language-switcher a").bounding_box()
    search = page.locator(".masthead-search").bounding_box()
    assert box is not None and search is not None
    start, end, bottom = box["x"], box["x"] + box["width"], box["y"] + box["height"]
    if width > PHONE["width"]:  # on the search box's row, just before it in reading order
        assert abs(bottom - search["y"] - search["height"]) < 8
        gap = search["x"] - end if direction == "ltr" else start - search["x"] - search["width"]
        assert 0 < gap < 64
    else:  # above the search box, at the end of its row
        assert bottom <= search["y"]
        assert (width - end if direction == "ltr" else start) < 24
    assert (
        page.locator(".language-switcher").evaluate("e => getComputedStyle(e).borderBlockEndStyle")
        == "none"
    )


def axe_violations(page: Page, axe_source: str) -> list[dict[str, object]]:
    page.add_script_tag(content=axe_source)
    return page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
             .map(v => ({id: v.id, impact: v.impact, help: v.help,
                         nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))}))"""
    )


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", PAGE_NAMES)
def test_axe_finds_no_serious_or_critical_violation(
    page: Page, offline: list[str], sample_url: str, axe_source: str, name: str, scheme: str
) -> None:
    page.emulate_media(color_scheme=scheme)  # type: ignore[arg-type]
    page.goto(sample_url + SAMPLE_PAGES[name])
    bad = [v for v in axe_violations(page, axe_source) if v["impact"] in ("serious", "critical")]
    assert bad == []


# Every page kind of the Persian and Hebrew golden sites, and of the bilingual one in each of
# its languages (Arabic at the root, English under /en/).
LANGUAGE_PAGES = [
    "/",
    "/2022/01/07/",
    "/2022/01/",
    "/2022/",
    "/topics/",
    "/topics/economy/",
    "/tags/",
    "/404.html",
]
# site: (its fixture, the edition's prefix, its direction, its article, tag and search pages)
LANGUAGE_SITES = {
    "persian": (
        "persian_url",
        "",
        "rtl",
        ["/2022/01/07/شورای-شهر-طرح-گسترش-پارک‌های-عمومی-را-تصویب-کرد/", "/tags/نفت/"],
    ),
    "hebrew": (
        "hebrew_url",
        "",
        "rtl",
        ["/2022/01/07/מועצת-העיר-אישרה-תוכנית-להרחבת-הגנים-הציבוריים/", "/tags/נפט/"],
    ),
    "bilingual-ar": (
        "bilingual_url",
        "",
        "rtl",
        ["/2022/01/07/مجلس-المدينة-يقر-خطة-لتوسيع-الحدائق-العامة/", "/tags/البيئة/", "/search/"],
    ),
    "bilingual-en": (
        "bilingual_url",
        "/en",
        "ltr",
        [
            "/2022/01/07/city-council-approves-plan-to-expand-public-parks/",
            "/tags/environment/",
            "/search/",
        ],
    ),
}


@pytest.mark.parametrize(
    ("site", "path"),
    [(site, path) for site, (*_, more) in LANGUAGE_SITES.items() for path in LANGUAGE_PAGES + more],
)
def test_axe_on_every_page_kind_in_each_language(
    page: Page,
    offline: list[str],
    request: pytest.FixtureRequest,
    axe_source: str,
    site: str,
    path: str,
) -> None:
    fixture, prefix, direction, _ = LANGUAGE_SITES[site]
    response = page.goto(request.getfixturevalue(fixture) + prefix + path)
    assert response is not None and response.ok
    assert page.evaluate("document.documentElement.dir") == direction
    bad = [v for v in axe_violations(page, axe_source) if v["impact"] in ("serious", "critical")]
    assert bad == []


def test_axe_on_the_english_site(
    page: Page, offline: list[str], english_url: str, axe_source: str
) -> None:
    page.goto(english_url + "/2022/01/07/")
    bad = [v for v in axe_violations(page, axe_source) if v["impact"] in ("serious", "critical")]
    assert bad == []


@pytest.mark.parametrize("path", ["/guide/", "/about/", "/topics/politics/"])
def test_axe_on_standalone_pages_and_the_menu(
    page: Page, offline: list[str], golden_pages_url: str, axe_source: str, path: str
) -> None:
    page.goto(golden_pages_url + path)
    expect(page.get_by_role("navigation", name="القائمة الرئيسية")).to_be_visible()
    bad = [v for v in axe_violations(page, axe_source) if v["impact"] in ("serious", "critical")]
    assert bad == []


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_no_request_leaves_127_0_0_1(
    page: Page, offline: list[str], sample_url: str, name: str
) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(sample_url + SAMPLE_PAGES[name], wait_until="networkidle")
    assert requested and all(urlsplit(u).hostname == "127.0.0.1" for u in requested), requested


def test_the_request_guard_catches_an_outside_request(page: Page, sample_url: str) -> None:
    leaked: list[str] = []
    page.route("**/*", lambda route: (leaked.append(route.request.url), route.abort()))
    page.goto("about:blank")
    page.evaluate("fetch('https://example.org/x.css').catch(() => null)")
    page.wait_for_timeout(200)
    assert leaked == ["https://example.org/x.css"]


def test_previous_and_next_arrows_mirror_while_names_stay_previous_and_next(
    page: Page, offline: list[str], sample_url: str, english_url: str
) -> None:
    page.set_viewport_size(DESKTOP)
    page.goto(sample_url + "/2022/01/06/")
    previous = page.get_by_role("link", name="اليوم السابق: ٥ يناير")
    following = page.get_by_role("link", name="اليوم التالي: ٧ يناير")
    expect(previous).to_have_attribute("rel", "prev")
    expect(following).to_have_attribute("rel", "next")
    # Right to left: previous sits on the right (start), its arrow points right.
    assert box(page, ".step-prev")["x"] > box(page, ".step-next")["x"]
    assert computed(page, ".step-prev .arrow", "transform") == "none"
    page.goto(english_url + "/2022/01/07/")
    previous = page.get_by_role("link", name="Previous day: January 6")
    expect(previous).to_have_attribute("rel", "prev")
    # Left to right: previous sits on the left and its arrow glyph is mirrored to point left.
    assert box(page, ".step-prev")["x"] < DESKTOP["width"] / 2
    assert computed(page, ".step-prev .arrow", "transform") == "matrix(-1, 0, 0, 1, 0, 0)"


def test_code_stays_left_to_right_inside_arabic_text(
    page: Page, offline: list[str], sample_url: str
) -> None:
    page.goto(sample_url + SAMPLE_PAGES["article"])
    page.eval_on_selector(
        ".story-body",
        "e => e.insertAdjacentHTML('beforeend', '<p>نفّذ <code id=c>x = f(1)</code></p>"
        "<pre id=p><code>for i in range(3):\\n    print(i)</code></pre>')",
    )
    assert computed(page, "#c", "direction") == "ltr"
    assert computed(page, "#p", "direction") == "ltr"
    assert computed(page, "#p", "textAlign") in ("start", "left")
    assert box(page, "#p code")["x"] <= box(page, "#p")["x"] + 20  # starts at the left


def test_skip_link_shows_on_focus_and_focus_is_visible(
    page: Page, offline: list[str], sample_url: str
) -> None:
    page.goto(sample_url + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    skip = box(page, ".skip-link")
    assert skip["y"] >= 0 and skip["x"] + skip["width"] <= page.viewport_size["width"]
    assert computed(page, ".skip-link", "outlineStyle") == "solid"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    focused = page.evaluate("getComputedStyle(document.activeElement).outlineWidth")
    assert focused == "3px"


def fonts_installed(family: str) -> bool:
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return False
    out = subprocess.run([fc_list, ":", "family"], capture_output=True, text=True, check=False)
    return family in out.stdout


def test_named_system_fonts_render_and_nothing_shifts(
    page: Page, offline: list[str], sample_url: str
) -> None:
    page.goto(sample_url + SAMPLE_PAGES["article"], wait_until="networkidle")
    assert page.evaluate("document.fonts.size") == 0, "no web fonts are declared"
    downloaded = page.evaluate(
        "performance.getEntriesByType('resource').map(e => e.name)"
        ".filter(n => /\\.(woff2?|ttf|otf|eot)(\\?|$)/.test(n))"
    )
    assert downloaded == []
    shift = page.evaluate(
        """() => new Promise(done => new PerformanceObserver((list, observer) => {
             observer.disconnect();
             done(list.getEntries().reduce((sum, e) => sum + e.value, 0));
           }).observe({type: 'layout-shift', buffered: true})
           || setTimeout(() => done(0), 500))"""
    )
    assert shift == 0
    if not fonts_installed("Noto Naskh Arabic"):
        pytest.skip("fonts-noto-core is not installed; cannot check the rendered family")
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    document = cdp.send("DOM.getDocument")
    node = cdp.send("DOM.querySelector", {"nodeId": document["root"]["nodeId"], "selector": "h1"})
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node["nodeId"]})["fonts"]
    assert any(f["familyName"] == "Noto Naskh Arabic" for f in fonts), fonts


def test_dark_mode_and_print_styles(page: Page, offline: list[str], sample_url: str) -> None:
    page.goto(sample_url + SAMPLE_PAGES["article"])
    light = computed(page, "body", "backgroundColor")
    page.emulate_media(color_scheme="dark")
    dark = computed(page, "body", "backgroundColor")
    assert light != dark
    red, green, blue = (int(x) for x in re.findall(r"\d+", dark)[:3])
    assert max(red, green, blue) < 60
    page.emulate_media(media="print", color_scheme="light")
    assert computed(page, ".topic-nav", "display") == "none"
    assert computed(page, ".story-body", "display") == "block"

"""What the preview adds to HTML: script before </body>, overlay that follows the page's dir."""

from __future__ import annotations

import re

from sitegen.core.diagnostics import error, warning
from sitegen.serve.http import (
    OVERLAY_ID,
    decorate_page,
    insert_before_body_end,
    overlay_markup,
    page_language,
)

AR_PAGE = '<!doctype html><html lang="ar" dir="rtl"><body><h1>عنوان</h1></body></html>'.encode()
SCRIPT = '<script src="/_sitegen/livereload.js"></script>'


def test_insert_goes_before_the_last_body_end_any_case() -> None:
    page = b"<body><pre>&lt;/body&gt;</pre><!-- </body> --></BODY ></html>"
    assert insert_before_body_end(page, b"X") == (
        b"<body><pre>&lt;/body&gt;</pre><!-- </body> -->X</BODY ></html>"
    )


def test_insert_appends_when_there_is_no_body_end() -> None:
    assert insert_before_body_end(b"<p>hi", b"X") == b"<p>hiX"


def test_page_language_reads_the_html_tag() -> None:
    assert page_language(AR_PAGE) == ("rtl", "ar")
    assert page_language(b"<HTML DIR=RTL lang='fa'>") == ("rtl", "fa")
    assert page_language(b"<html><body dir=rtl>") == ("ltr", "")
    assert page_language(b'<html dir="sideways">') == ("ltr", "")


def test_clean_page_gets_only_the_script() -> None:
    decorated = decorate_page(AR_PAGE, SCRIPT, ())
    assert decorated == AR_PAGE.replace(b"</body>", SCRIPT.encode() + b"</body>")


def test_overlay_follows_page_direction_and_lists_every_diagnostic() -> None:
    diagnostics = (
        error("content/b.md", 7, "التاريخ غير صالح"),
        error("content/a.md", 3, "bad <YAML>", hint="check the colon"),
        warning("content/c.md", None, "no summary"),
    )
    page = decorate_page(AR_PAGE, SCRIPT, diagnostics).decode()
    assert f'<div id="{OVERLAY_ID}" dir="rtl" lang="ar"' in page
    assert "تعذّر بناء الموقع" in page
    text = re.sub(r"<style>.*?</style>|<[^>]+>", "", page)
    assert "content/a.md:3: bad &lt;YAML&gt; (check the colon)" in text
    assert "content/b.md:7: التاريخ غير صالح" in text
    assert "content/c.md: warning: no summary" in text
    assert text.index("content/a.md:3") < text.index("content/b.md:7")
    assert page.index(OVERLAY_ID) < page.index(SCRIPT) < page.index("</body>")


def test_overlay_on_ltr_page_is_english_and_escapes() -> None:
    markup = overlay_markup((error("x.md", 1, "<script>alert(1)</script>"),), "ltr", "en")
    assert 'dir="ltr"' in markup and "Build failed" in markup
    assert "<script>alert" not in markup


def test_overlay_without_path_shows_the_message() -> None:
    markup = overlay_markup((error("", None, "internal error: boom"),), "ltr", "")
    assert "<li" in markup and "internal error: boom" in markup and ">: " not in markup
    assert 'class="sg-where"' not in markup


def test_overlay_is_arabic_only_on_arabic_pages() -> None:
    failed = (error("x.md", 1, "boom"),)
    assert "تعذّر بناء الموقع" in overlay_markup(failed, "rtl", "ar-EG")
    assert "Build failed" in overlay_markup(failed, "ltr", "arn")  # Mapuche, not Arabic

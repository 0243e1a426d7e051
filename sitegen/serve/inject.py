"""What the preview server adds to HTML responses: the live-reload script and the error overlay.

Only responses are changed, never the build's snapshot, so what `sitegen build` writes is what
gets deployed. The overlay takes `dir` and `lang` from the page it covers.
"""

from __future__ import annotations

import re
from html import escape

from sitegen.core.diagnostics import Diagnostic, sort_key, summary

_HTML_TAG = re.compile(rb"<html\b[^>]*>", re.IGNORECASE)
_ATTR = re.compile(rb"""\s(dir|lang)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)
_DIRECTIONS = {"rtl", "ltr", "auto"}

OVERLAY_ID = "sitegen-overlay"

_STYLE = f"""
#{OVERLAY_ID}{{all:initial;position:fixed;inset:0;z-index:2147483647;overflow:auto;
background:rgba(24,24,27,.94);color:#f4f4f5;font:17px/1.7 "Noto Naskh Arabic","Noto Sans Arabic",
system-ui,sans-serif;padding:2rem 1.5rem;box-sizing:border-box}}
#{OVERLAY_ID} *{{box-sizing:border-box}}
#{OVERLAY_ID} .sg-box{{max-width:60rem;margin:0 auto}}
#{OVERLAY_ID} .sg-title{{font-size:1.5rem;font-weight:700;color:#fca5a5;margin:0 0 .25rem}}
#{OVERLAY_ID} .sg-note{{margin:0 0 1.25rem;color:#d4d4d8}}
#{OVERLAY_ID} .sg-list{{margin:0;padding-inline-start:1.5rem}}
#{OVERLAY_ID} .sg-item{{margin:0 0 .75rem;white-space:pre-wrap;overflow-wrap:anywhere}}
#{OVERLAY_ID} .sg-where{{font-family:ui-monospace,"DejaVu Sans Mono",monospace;color:#fdba74}}
"""

_TEXT = {
    "ar": ("تعذّر بناء الموقع", "تعرض المعاينة آخر بناء ناجح. أصلح ما يلي ويختفي هذا الإشعار."),
    "en": (
        "Build failed",
        "The preview shows the last good build until these are fixed.",
    ),
}


def page_language(page: bytes) -> tuple[str, str]:
    """`(dir, lang)` from the page's `<html>` tag; `("ltr", "")` when it says nothing."""
    tag = _HTML_TAG.search(page, 0, 4096)
    found: dict[str, str] = {}
    if tag:
        for m in _ATTR.finditer(tag.group()):
            value = next(v for v in m.groups()[1:] if v is not None)
            found[m.group(1).decode().lower()] = value.decode("utf-8", "replace").strip()
    direction = found.get("dir", "").lower()
    return (direction if direction in _DIRECTIONS else "ltr", found.get("lang", ""))


def overlay_markup(diagnostics: tuple[Diagnostic, ...], direction: str, lang: str) -> str:
    """The overlay listing every diagnostic as `path:line: message`, laid out in `direction`."""
    title, note = _TEXT["ar" if lang.lower().startswith("ar") else "en"]
    items = "".join(_item(d) for d in sorted(diagnostics, key=sort_key))
    return (
        f'<div id="{OVERLAY_ID}" dir="{escape(direction)}" lang="{escape(lang)}" role="alert">'
        f"<style>{_STYLE}</style>"
        f'<div class="sg-box"><h2 class="sg-title">{title}</h2>'
        f'<p class="sg-note">{note} <bdi dir="ltr">({summary(diagnostics)})</bdi></p>'
        f'<ol class="sg-list">{items}</ol></div></div>'
    )


def _item(d: Diagnostic) -> str:
    where = d.path if d.line is None else f"{d.path}:{d.line}"
    text = d.format()
    rest = text[len(where) + 2 :] if text.startswith(f"{where}: ") else text
    place = f'<bdi dir="ltr" class="sg-where">{escape(where)}</bdi>: ' if where else ""
    return f'<li class="sg-item">{place}<bdi dir="auto">{escape(rest)}</bdi></li>'


def insert_before_body_end(page: bytes, fragment: bytes) -> bytes:
    """`fragment` inserted before the last `</body>`, or appended when there is none."""
    at = page.lower().rfind(b"</body")
    return page + fragment if at < 0 else page[:at] + fragment + page[at:]


def decorate_page(page: bytes, script_tag: str, diagnostics: tuple[Diagnostic, ...]) -> bytes:
    """The page with the live-reload script, and the overlay when `diagnostics` is not empty."""
    extra = script_tag
    if diagnostics:
        extra = overlay_markup(diagnostics, *page_language(page)) + extra
    return insert_before_body_end(page, extra.encode())

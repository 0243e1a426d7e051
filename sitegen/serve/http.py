"""The preview HTTP server: serves the current frame from memory at the deployed site's URLs.

Each request reads `PreviewState.current` once and answers from that frame only. The server
never builds and never reads the site from disk; `/_sitegen/events` streams new epochs to
browsers as Server-Sent Events. HTML responses get the live-reload script and, while the last
build failed, the error overlay (laid out in the `dir` and `lang` of the page it covers). Only
responses change, never the snapshot, so what `sitegen build` writes is what gets deployed.
"""

from __future__ import annotations

import ipaddress
import json
import mimetypes
import re
import socket
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from html import escape
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib.resources import files as package_files
from urllib.parse import parse_qs, quote, unquote_to_bytes, urlsplit

from sitegen.core.diagnostics import Diagnostic, diagnostic_order, summary
from sitegen.core.languages import is_arabic
from sitegen.serve.state import Frame, PreviewState, ReloadAction

PREFIX = "/_sitegen/"
SCRIPT_PATH = PREFIX + "livereload.js"
FIRST_BUILD_WAIT = 3600.0  # seconds a request waits for the first build to show a site
EVENTS_PATH = PREFIX + "events"
PING_SECONDS = 15.0
ALLOWED_METHODS = ("GET", "HEAD")

_SCRIPT = package_files("sitegen.serve").joinpath("livereload.js").read_bytes()

_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".map": "application/json",
    ".webmanifest": "application/manifest+json",
    ".xml": "application/xml; charset=utf-8",
    ".xsl": "application/xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".md": "text/markdown; charset=utf-8",
    ".wasm": "application/wasm",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".svg": "image/svg+xml",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".ico": "image/vnd.microsoft.icon",
    ".pdf": "application/pdf",
    # Pagefind's index, metadata and fragments (served gzip-compressed by design, not encoded).
    ".pagefind": "application/octet-stream",
    ".pf_index": "application/octet-stream",
    ".pf_meta": "application/octet-stream",
    ".pf_fragment": "application/octet-stream",
}


def content_type(path: str) -> str:
    """The Content-Type for a snapshot path, independent of the system's mime tables."""
    dot = path.rfind(".")
    suffix = path[dot:].lower() if dot > path.rfind("/") else ""
    if suffix in _TYPES:
        return _TYPES[suffix]
    guessed = mimetypes.guess_type(path)[0] or "application/octet-stream"
    return f"{guessed}; charset=utf-8" if guessed.startswith("text/") else guessed


class BadPath(ValueError):
    """A request target that cannot name a file of the site."""


def decode_target(target: str) -> tuple[str, str]:
    """`(path, query)` from a raw request target, the path percent-decoded as UTF-8.

    `target` is the request line's text as http.server decoded it (Latin-1), so raw UTF-8
    bytes and percent-escapes both decode. Raises BadPath for backslashes, NUL, `.`/`..` or
    empty segments, invalid UTF-8, and targets that are not absolute paths.
    """
    if target.startswith("/"):
        raw_path, _, query = target.partition("#")[0].partition("?")
    else:  # absolute form, as sent to proxies: http://host/path?query
        parts = urlsplit(target)
        raw_path, query = parts.path, parts.query
    raw = raw_path.encode("latin-1", "replace")
    if not raw.startswith(b"/") or b"\\" in raw:
        raise BadPath(target)
    try:
        path = unquote_to_bytes(raw).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadPath(target) from exc
    segments = path.split("/")[1:]
    dots = "." in segments or ".." in segments
    if dots or "" in segments[:-1] or "\\" in path or "\x00" in path:
        raise BadPath(target)
    return path, query


@dataclass(frozen=True)
class Route:
    """Where a path leads: a snapshot key (or None for the built-in 404), or a redirect."""

    status: int
    key: str | None = None
    location: str | None = None


def route(files: Mapping[str, bytes], path: str, base_path: str = "/") -> Route:
    """Map a decoded URL path onto the snapshot, with pretty URLs and the site's 404 page.

    The snapshot is mounted at `base_path`; `/` redirects there when it is another path.
    """
    if not path.startswith(base_path):
        if path in ("/", base_path[:-1]):
            return Route(HTTPStatus.FOUND, location=quote(base_path, safe="/"))
        return Route(HTTPStatus.NOT_FOUND, "404.html" if "404.html" in files else None)
    key = path[len(base_path) :]
    if key == "" or key.endswith("/"):
        key += "index.html"
    if key in files:
        return Route(HTTPStatus.OK, key)
    if not path.endswith("/") and f"{key}/index.html" in files:
        return Route(HTTPStatus.FOUND, location=quote(path + "/", safe="/"))
    return Route(HTTPStatus.NOT_FOUND, "404.html" if "404.html" in files else None)


def _fallback_page(title: str) -> bytes:
    """A bare page for answers the snapshot has no page for (no build yet, no 404.html)."""
    return (
        f'<!doctype html><html dir="auto"><head><meta charset="utf-8"><title>{title}</title>'
        f"</head><body><p>{title}</p></body></html>"
    ).encode()


# What HTML responses get: the live-reload script, and the error overlay after a failed build.

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
    title, note = _TEXT["ar" if is_arabic(lang) else "en"]
    items = "".join(_item(d) for d in sorted(diagnostics, key=diagnostic_order))
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


class PreviewHandler(BaseHTTPRequestHandler):
    """Answers GET and HEAD from the current frame; everything else is 405."""

    protocol_version = "HTTP/1.1"
    server_version = "sitegen-preview"
    server: PreviewServer

    def parse_request(self) -> bool:
        if not super().parse_request():
            return False
        if self.command not in ALLOWED_METHODS:
            self.close_connection = True
            self._send_text(HTTPStatus.METHOD_NOT_ALLOWED, "Method not allowed", ALLOWED_METHODS)
            return False
        return True

    def do_GET(self) -> None:
        self._answer()

    def do_HEAD(self) -> None:
        self._answer()

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the terminal is for rebuild reports."""

    def _answer(self) -> None:
        try:
            path, query = decode_target(self.path)
        except BadPath:
            self._send_text(HTTPStatus.BAD_REQUEST, "Bad request path")
            return
        if path == SCRIPT_PATH:
            self._send(HTTPStatus.OK, _SCRIPT, content_type(path))
        elif path == EVENTS_PATH and self.command == "GET":
            self._stream_events(parse_qs(query))
        else:
            state = self.server.state
            # before the first build shows anything, wait for it
            first = state.wait_after(0, FIRST_BUILD_WAIT) if state.current.epoch == 0 else None
            self._serve_site(path, first or state.current)

    def _serve_site(self, path: str, frame: Frame) -> None:
        if not frame.files and frame.failed:
            # No good build yet: every page is the overlay.
            page = _fallback_page("No successful build yet")
            self._send_page(HTTPStatus.SERVICE_UNAVAILABLE, page, frame)
            return
        found = route(frame.files, path, frame.base_path)
        if found.location is not None:
            self._send(found.status, b"", "text/plain", {"Location": found.location})
        elif found.key is None:
            self._send_page(found.status, _fallback_page("404 Not Found"), frame)
        elif content_type(found.key).startswith("text/html"):
            self._send_page(found.status, frame.files[found.key], frame)
        else:
            self._send(found.status, frame.files[found.key], content_type(found.key))

    def _send_page(self, status: int, page: bytes, frame: Frame) -> None:
        script = (
            f'<script src="{SCRIPT_PATH}" data-boot="{self.server.state.boot}" '
            f'data-epoch="{frame.epoch}"></script>'
        )
        body = decorate_page(page, script, frame.diagnostics if frame.failed else ())
        self._send(status, body, "text/html; charset=utf-8")

    def _send_text(self, status: int, text: str, allow: tuple[str, ...] = ()) -> None:
        headers = {"Allow": ", ".join(allow)} if allow else {}
        self._send(status, text.encode() + b"\n", "text/plain; charset=utf-8", headers)

    def _send(
        self, status: int, body: bytes, ctype: str, headers: Mapping[str, str] | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _stream_events(self, query: dict[str, list[str]]) -> None:
        """Server-Sent Events: one `reload` event per new epoch, a ping comment when idle."""
        state = self.server.state
        boot = query.get("boot", [""])[0]
        try:
            seen = int(query.get("epoch", ["-1"])[0])
        except ValueError:
            seen = -1
        if boot != state.boot:
            seen = -1  # a page from an earlier server run: reload it
        self.close_connection = True
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        self._write_event(b"retry: 1000\n\n")
        frame: Frame | None = state.current
        while not state.closed:
            if frame is not None and frame.epoch != seen:
                action = frame.action_since(seen)
                message: dict[str, object] = {"epoch": frame.epoch, "action": action.value}
                if action is ReloadAction.CSS:
                    message["stylesheets"] = dict(frame.stylesheets)
                elif frame.epoch == seen + 1 and frame.pages is not None:
                    message["pages"] = list(frame.pages)
                data = json.dumps(message)
                self._write_event(f"event: reload\ndata: {data}\n\n".encode())
                seen = frame.epoch
            elif frame is None:
                self._write_event(b": ping\n\n")
            frame = state.wait_after(seen, self.server.ping_seconds)

    def _write_event(self, chunk: bytes) -> None:
        self.wfile.write(chunk)
        self.wfile.flush()


class PreviewServer(ThreadingHTTPServer):
    """A threaded HTTP server over a PreviewState; each connection gets a daemon thread."""

    daemon_threads = True
    request_queue_size = 128

    def __init__(self, state: PreviewState, host: str, port: int) -> None:
        self.state = state
        self.ping_seconds = PING_SECONDS
        self.address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
        super().__init__((host, port), PreviewHandler)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        shown = f"[{host}]" if ":" in str(host) else str(host)
        return f"http://{shown}:{port}/"

    def handle_error(self, request: object, client_address: object) -> None:
        """Ignore browsers that hang up mid-response; report anything else."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


def is_loopback(host: str) -> bool:
    """True for localhost and loopback addresses (127.0.0.0/8, ::1)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False

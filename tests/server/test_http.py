"""The preview server over a fake snapshot: routing, encoding, 404, safety, types, injection."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import quote

import pytest
from serve_support import Response, raw_request, serving

from sitegen.core.diagnostics import error
from sitegen.serve.http import (
    OVERLAY_ID,
    BadPath,
    content_type,
    decode_target,
    is_loopback,
    route,
)
from sitegen.serve.state import PreviewState

ARABIC_DIR = "2022/01/07/واشنطن-لدينا"
PAGE = '<!doctype html><html lang="ar" dir="rtl"><head></head><body><h1>{}</h1></body></html>'
SITE = {
    "index.html": PAGE.format("الرئيسية").encode(),
    f"{ARABIC_DIR}/index.html": PAGE.format("واشنطن").encode(),
    "404.html": PAGE.format("غير موجود").encode(),
    "css/site.css": b"body{color:#111}",
    "js/app.js": b"1",
    "feed.xml": b"<feed/>",
    "search.json": b"{}",
    "pagefind/wasm.ar.pagefind": b"\0wasm",
    "pagefind/pagefind.js": b"export{}",
    "pagefind/index/ar_1.pf_index": b"\x1f\x8b",
    "pagefind/fragment/ar_1.pf_fragment": b"\x1f\x8b",
    "fonts/naskh.woff2": b"wOF2",
    "img/logo.svg": b"<svg/>",
    "img/photo.webp": b"RIFF",
    "pagefind/pagefind.wasm": b"\0asm",
    "robots.txt": b"User-agent: *",
}


@pytest.fixture
def server(state: PreviewState):
    state.publish(SITE)
    with serving(state) as server:
        yield server


def get(server, target: str, method: str = "GET") -> Response:
    return raw_request(server.server_port, target.encode("latin-1"), method.encode())


def test_index_is_served_with_the_script(server, state: PreviewState) -> None:
    response = get(server, "/")
    assert response.status == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.headers["cache-control"] == "no-store"
    script = f'data-boot="{state.boot}" data-epoch="1"></script></body>'
    assert script.encode() in response.body
    assert int(response.headers["content-length"]) == len(response.body)


def test_snapshot_itself_is_never_decorated(server, state: PreviewState) -> None:
    get(server, "/")
    assert state.current.files["index.html"] == SITE["index.html"]


def test_percent_encoded_arabic_path(server) -> None:
    response = get(server, "/" + quote(ARABIC_DIR) + "/")
    assert response.status == 200 and "واشنطن".encode() in response.body


def test_raw_utf8_request_path(server) -> None:
    target = ("/" + ARABIC_DIR + "/").encode()
    response = raw_request(server.server_port, target)
    assert response.status == 200


def test_explicit_index_html_and_query_string(server) -> None:
    assert get(server, "/" + quote(ARABIC_DIR) + "/index.html").status == 200
    assert get(server, "/css/site.css?sitegen=3").body == SITE["css/site.css"]


def test_directory_without_slash_redirects(server) -> None:
    response = get(server, "/" + quote(ARABIC_DIR))
    assert response.status == 302
    assert response.headers["location"] == "/" + quote(ARABIC_DIR) + "/"
    assert response.headers["cache-control"] == "no-store"


def test_missing_page_is_the_sites_404(server) -> None:
    response = get(server, "/2022/nothing/")
    assert response.status == 404
    assert "غير موجود".encode() in response.body and b"livereload.js" in response.body


def test_a_request_before_the_first_build_waits_for_its_site(state: PreviewState) -> None:
    with serving(state) as server, ThreadPoolExecutor(1) as pool:
        answer = pool.submit(get, server, "/")
        time.sleep(0.3)
        assert not answer.done()  # no site yet: neither a 404 nor an error
        state.provisional(SITE)
        response = answer.result(timeout=5)
    assert response.status == 200 and "الرئيسية".encode() in response.body


def test_missing_page_without_404_html(state: PreviewState) -> None:
    state.publish({"index.html": b"<html><body></body></html>"})
    with serving(state) as server:
        response = get(server, "/nope")
    assert response.status == 404 and b"404 Not Found" in response.body


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("css/site.css", "text/css; charset=utf-8"),
        ("js/app.js", "text/javascript; charset=utf-8"),
        ("feed.xml", "application/xml; charset=utf-8"),
        ("search.json", "application/json"),
        ("pagefind/wasm.ar.pagefind", "application/octet-stream"),
        ("pagefind/pagefind.wasm", "application/wasm"),
        ("pagefind/pagefind.js", "text/javascript; charset=utf-8"),
        ("pagefind/index/ar_1.pf_index", "application/octet-stream"),
        ("pagefind/fragment/ar_1.pf_fragment", "application/octet-stream"),
        ("fonts/naskh.woff2", "font/woff2"),
        ("img/logo.svg", "image/svg+xml"),
        ("img/photo.webp", "image/webp"),
        ("robots.txt", "text/plain; charset=utf-8"),
    ],
)
def test_content_types_and_bytes(server, path: str, expected: str) -> None:
    response = get(server, "/" + path)
    assert response.status == 200
    assert response.headers["content-type"] == expected
    assert response.headers["cache-control"] == "no-store"
    assert response.body == SITE[path]


def test_content_type_fallbacks() -> None:
    assert content_type("a/b.unknownext") == "application/octet-stream"
    assert content_type("dir.v2/README") == "application/octet-stream"
    assert content_type("a/B.HTML") == "text/html; charset=utf-8"


def test_head_has_headers_and_no_body(server) -> None:
    response = get(server, "/css/site.css", "HEAD")
    assert response.status == 200 and response.body == b""
    assert response.headers["content-length"] == str(len(SITE["css/site.css"]))


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "FOO"])
def test_other_methods_are_405(server, method: str) -> None:
    response = raw_request(server.server_port, b"/", method.encode(), body=b"x=1")
    assert response.status == 405
    assert response.headers["allow"] == "GET, HEAD"


@pytest.mark.parametrize(
    "target",
    [
        "/../etc/passwd",
        "/css/../../etc/passwd",
        "/%2e%2e/etc/passwd",
        "/%2E%2E%2Fetc%2Fpasswd",
        "/css/%2e%2e/index.html",
        "/..",
        "/.",
        "/css\\..\\index.html",
        "/css%5c..%5cindex.html",
        "/index.html%00.css",
        "//etc/passwd",
        "/%ff%fe",
        "etc/passwd",
    ],
)
def test_traversal_and_malformed_paths_are_rejected(server, target: str) -> None:
    response = get(server, target)
    assert response.status in (400, 404)
    assert b"root:" not in response.body


def test_absolute_paths_stay_inside_the_snapshot(server) -> None:
    assert get(server, "/etc/passwd").status == 404
    assert get(server, "http://evil/css/site.css").body == SITE["css/site.css"]


@pytest.mark.parametrize("target", ["/a/../b", "/%2e%2e", "/a\\b", "/a%00", "//x", "x", "/%c0%ae"])
def test_decode_target_rejects(target: str) -> None:
    with pytest.raises(BadPath):
        decode_target(target)


def test_decode_target_accepts_unicode_and_trailing_slash() -> None:
    assert decode_target("/" + quote("سياسة") + "/?page=2#x") == ("/سياسة/", "page=2")


def test_route_pretty_urls() -> None:
    files = {"index.html": b"", "a/index.html": b"", "a.html": b"", "404.html": b""}
    assert route(files, "/").key == "index.html"
    assert route(files, "/a/").key == "a/index.html"
    assert route(files, "/a").location == "/a/"
    assert route(files, "/a.html").key == "a.html"
    assert route(files, "/b/").key == "404.html"
    assert route(files, "/b/").status == 404


def test_livereload_script_is_served(server) -> None:
    response = get(server, "/_sitegen/livereload.js")
    assert response.status == 200 and b"EventSource" in response.body
    assert response.headers["content-type"].startswith("text/javascript")


def test_failed_build_overlays_every_page(server, state: PreviewState) -> None:
    state.fail((error("content/a.md", 4, "mapping values are not allowed here"),))
    for target in ("/", "/" + quote(ARABIC_DIR) + "/", "/missing/"):
        body = get(server, target).body.decode()
        assert OVERLAY_ID in body and 'dir="rtl"' in body
        assert 'content/a.md:4</bdi>: <bdi dir="auto">mapping values' in body
    assert OVERLAY_ID.encode() not in get(server, "/css/site.css").body
    state.publish(SITE)
    assert OVERLAY_ID.encode() not in get(server, "/").body


def test_before_any_good_build_every_page_is_the_overlay(state: PreviewState) -> None:
    state.fail((error("sitegen.yaml", 2, "unknown key 'titel'"),))
    with serving(state) as server:
        response = get(server, "/anything/")
    assert response.status == 503
    assert b"sitegen.yaml:2" in response.body and b"livereload.js" in response.body


def test_a_request_sees_one_frame(server, state: PreviewState) -> None:
    before = get(server, "/").body
    state.publish({**SITE, "index.html": PAGE.format("جديد").encode()})
    after = get(server, "/").body
    assert "الرئيسية".encode() in before and "جديد".encode() in after
    assert b'data-epoch="2"' in after


def test_is_loopback() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert is_loopback("127.0.0.2")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5")


def test_route_under_a_base_path() -> None:
    files = {"index.html": b"", "سياسة/index.html": b"", "404.html": b""}
    assert route(files, "/news/", "/news/").key == "index.html"
    assert route(files, "/news/سياسة/", "/news/").key == "سياسة/index.html"
    assert route(files, "/", "/news/").location == "/news/"
    assert route(files, "/news", "/news/").location == "/news/"
    outside = route(files, "/سياسة/", "/news/")
    assert outside.status == 404 and outside.key == "404.html"


def test_server_mounts_the_frame_at_its_base_path(state: PreviewState) -> None:
    state.publish(SITE, "/أخبار/")
    with serving(state) as server:
        assert get(server, "/").headers["location"] == "/" + quote("أخبار") + "/"
        assert get(server, "/" + quote("أخبار") + "/css/site.css").body == SITE["css/site.css"]
        assert get(server, "/css/site.css").status == 404

"""The nginx config in docs/deploy.md serves Arabic pretty URLs and the 404 page."""

from __future__ import annotations

import http.client
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import pytest

pytestmark = pytest.mark.nginx

PAGES = {
    "index.html": "<h1>الرئيسية</h1>",
    "2024/05/01/خبر-عاجل-من-الرياض/index.html": "<h1>خبر عاجل</h1>",
    "topics/سياسة/index.html": "<h1>سياسة</h1>",
    "topics/اقتصاد-وأعمال/page/2/index.html": "<h1>اقتصاد</h1>",
    "tags/الطاقة-المتجددة/index.html": "<h1>الطاقة</h1>",
    "404.html": "<h1>الصفحة غير موجودة</h1>",
    "theme/style.0123456789.css": "body{}",
    "theme/plain.css": "p{}",
}


def get(port: int, path: str) -> http.client.HTTPResponse:
    """A GET that does not follow redirects; `path` must already be percent-encoded."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path)
    response = connection.getresponse()
    response.body = response.read()  # type: ignore[attr-defined]
    connection.close()
    return response


@pytest.fixture
def port(tmp_path: Path, nginx: Callable[[Path], int]) -> int:
    root = tmp_path / "www"
    for name, text in PAGES.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return nginx(root)


def test_every_arabic_url_is_served(port: int):
    pages = [name for name in PAGES if name.endswith("index.html")]
    for name in pages:
        url = "/" + quote(name.removesuffix("index.html"))
        response = get(port, url)
        assert (url, response.status) == (url, 200)
        assert response.body == PAGES[name].encode()  # type: ignore[attr-defined]
        assert response.getheader("Content-Type") == "text/html; charset=utf-8"


def test_missing_page_is_404_with_the_sites_page(port: int):
    response = get(port, "/" + quote("2024/05/01/خبر-محذوف/"))
    assert response.status == 404
    assert response.body == PAGES["404.html"].encode()  # type: ignore[attr-defined]


def test_folder_without_slash_redirects_to_the_encoded_slashed_url(port: int):
    url = "/" + quote("topics/سياسة")
    response = get(port, url)
    assert response.status == 301
    assert response.getheader("Location") == url + "/"
    assert get(port, url + "/").status == 200


def test_fingerprinted_assets_are_cached_for_a_year_others_not(port: int):
    cached = get(port, "/theme/style.0123456789.css")
    assert cached.status == 200
    assert cached.getheader("Cache-Control") == "public, max-age=31536000, immutable"
    plain = get(port, "/theme/plain.css")
    assert plain.status == 200 and plain.getheader("Cache-Control") is None

"""The repository's own sample site builds, every page is RTL Arabic, every internal link resolves."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from sitegen.check import check_site
from sitegen.core.config import load_site
from tests.conftest import build_site

REPO = Path(__file__).resolve().parents[2]


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.html_attrs: dict[str, str | None] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "html":
            self.html_attrs = dict(attrs)
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.links.append(value)


@pytest.fixture(scope="module")
def files() -> dict[str, bytes]:
    site, problems = load_site(REPO)
    assert site is not None, problems
    result = build_site(site)
    assert result.ok, [d.format() for d in result.diagnostics]
    return result.files


def target(files: dict[str, bytes], base: str, link: str) -> str | None:
    parts = urlsplit(link)
    if parts.scheme or parts.netloc or link.startswith(("#", "mailto:")):
        return None
    path = unquote(parts.path)
    assert path.startswith(base), link
    path = path[len(base) :]
    return path + "index.html" if path.endswith("/") or path == "" else path


def test_every_page_kind_exists(files: dict[str, bytes]) -> None:
    names = set(files)
    assert "index.html" in names and "404.html" in names
    assert any(re.fullmatch(r"\d{4}/\d{2}/\d{2}/index.html", n) for n in names)
    assert any(re.fullmatch(r"\d{4}/\d{2}/index.html", n) for n in names)
    assert any(re.fullmatch(r"\d{4}/index.html", n) for n in names)
    assert "topics/index.html" in names and "tags/index.html" in names
    assert any(
        n.startswith("topics/") and n.count("/") == 2 and n != "topics/index.html" for n in names
    )
    assert any(
        n.startswith("tags/") and n.count("/") == 2 and n != "tags/index.html" for n in names
    )
    assert sum(bool(re.fullmatch(r"\d{4}/\d{2}/\d{2}/[^/]+/index.html", n)) for n in names) >= 20


def test_pages_are_rtl_arabic_and_internal_links_resolve(files: dict[str, bytes]) -> None:
    broken = []
    for name, data in files.items():
        if not name.endswith(".html"):
            continue
        parser = Links()
        parser.feed(data.decode())
        assert parser.html_attrs == {"lang": "ar", "dir": "rtl"}, name
        for link in parser.links:
            path = target(files, "/", link)
            if path is not None and path not in files:
                broken.append(f"{name} → {link}")
    assert not broken, broken[:20]


def test_sample_site_passes_sitegen_check() -> None:
    # The RTL lint included: its tables once wrote `text-align: right`.
    site, _ = load_site(REPO)
    assert site is not None
    assert [d.format() for d in check_site(site)] == []

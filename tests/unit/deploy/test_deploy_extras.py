"""`_headers` and `_redirects` for Netlify and Cloudflare Pages."""

from __future__ import annotations

from pathlib import Path

from sitegen.deploy.clean_build import clean_build
from sitegen.deploy.extras import (
    IMMUTABLE,
    encode_path,
    headers_text,
    redirects_text,
    write_extras,
)
from tests.conftest import MINIMAL_CONFIG, article
from tests.unit.deploy.conftest import tree_of, write_files


def test_paths_are_percent_encoded_exactly_once():
    encoded = "/2024/05/01/%D8%AE%D8%A8%D8%B1/"
    assert encode_path("/2024/05/01/خبر/") == encoded
    assert encode_path(encoded) == encoded
    assert encode_path("/a b/#x") == "/a%20b/%23x"


def test_headers_cache_each_fingerprinted_asset_for_a_year():
    text = headers_text(["/theme/style.0123456789.css", "/theme/app.abcdef0123.js"])
    assert text == (
        f"/theme/app.abcdef0123.js\n  Cache-Control: {IMMUTABLE}\n"
        f"/theme/style.0123456789.css\n  Cache-Control: {IMMUTABLE}\n"
    )


def test_redirects_are_permanent_and_sorted():
    text = redirects_text([("/old/خبر/", "/2024/05/01/خبر/"), ("/a.html", "/a/")])
    assert text.splitlines() == [
        "/a.html /a/ 301",
        "/old/%D8%AE%D8%A8%D8%B1/ /2024/05/01/%D8%AE%D8%A8%D8%B1/ 301",
    ]


def test_only_requested_files_are_written(tmp_path: Path):
    write_extras(tmp_path, assets=["/s.0123456789.css"], aliases=[("/a", "/b/")], redirects=True)
    assert (tmp_path / "_redirects").read_text() == "/a /b/ 301\n"
    assert not (tmp_path / "_headers").exists()


def test_the_sites_own_rules_come_first(tmp_path: Path):
    (tmp_path / "_redirects").write_text("/team /about/ 302")
    write_extras(tmp_path, aliases=[("/a", "/b/")], redirects=True)
    assert (tmp_path / "_redirects").read_text() == "/team /about/ 302\n/a /b/ 301\n"


def test_nothing_to_say_writes_nothing(tmp_path: Path):
    write_extras(tmp_path, headers=True, redirects=True)
    assert list(tmp_path.iterdir()) == []


def test_redirect_pages_make_way_for_the_redirect_rules(tmp_path: Path):
    # Netlify serves a file at an old URL instead of its rule; Cloudflare refuses `301!`.
    pages = {"old/خبر/index.html": "redirect", "a.html": "redirect", "old/x/index.html": "page"}
    write_files(tmp_path, pages)
    aliases = [("/old/خبر/", "/new/"), ("/a.html", "/a/")]
    write_extras(tmp_path, aliases=aliases, redirect_pages=["old/خبر/index.html", "a.html"])
    assert set(tree_of(tmp_path)) == set(pages)  # no `_redirects`: the pages stay
    write_extras(
        tmp_path, aliases=aliases, redirect_pages=["old/خبر/index.html", "a.html"], redirects=True
    )
    assert set(tree_of(tmp_path)) == {"_redirects", "old/x/index.html"}
    assert not (tmp_path / "old/خبر").exists()


def test_a_clean_build_names_the_redirect_pages_under_the_base_path(make_site):
    config = MINIMAL_CONFIG.replace("https://example.org/", "https://example.org/news/")
    site = make_site({"content/a.md": article("خبر", aliases="[/old/خبر/, old.html]")}, config)
    outcome = clean_build(site)
    assert outcome.redirect_pages == ("old/خبر/index.html", "old.html")
    assert all((site.output_dir / page).is_file() for page in outcome.redirect_pages)

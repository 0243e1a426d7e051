"""`_headers` and `_redirects` for Netlify and Cloudflare Pages."""

from __future__ import annotations

from pathlib import Path

from sitegen.deploy.extras import (
    IMMUTABLE,
    encode_path,
    headers_text,
    redirects_text,
    write_extras,
)


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

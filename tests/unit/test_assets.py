"""Fingerprinted theme assets and the `asset()` template helper."""

from __future__ import annotations

import hashlib

import pytest

from sitegen.build.assets import asset_helper, fingerprint, fingerprinted_path, unfingerprinted
from sitegen.build.routes import Routes
from sitegen.core.config import parse_config
from tests.conftest import MINIMAL_CONFIG, article, build_site


def test_fingerprinted_path_carries_the_content_hash():
    digest = hashlib.sha256(b"body{}").hexdigest()[:10]
    assert fingerprinted_path("css/digest.css", b"body{}") == f"css/digest.{digest}.css"
    assert fingerprinted_path("app.min.js", b"x").startswith("app.min.")


def test_unfingerprinted_gives_the_source_name_back():
    hashed = fingerprinted_path("css/digest.css", b"h1{}")
    assert unfingerprinted(hashed) == "css/digest.css"
    assert unfingerprinted("js/search.0123456789.js") == "js/search.js"
    for kept in ("css/site.css", "css/a.b.css", "css/x.0123456789.png", "css/x.ABCDEF0123.css"):
        assert unfingerprinted(kept) == kept


def test_only_theme_css_and_js_are_fingerprinted():
    placed = fingerprint(
        {"css/a.css": b"a", "js/b.js": b"b", "img/logo.svg": b"s", "css/site.css": b"c"},
        theme_paths={"css/a.css", "js/b.js", "img/logo.svg"},
    )
    assert placed["css/a.css"] != "css/a.css" and placed["js/b.js"] != "js/b.js"
    assert placed["img/logo.svg"] == "img/logo.svg"
    assert placed["css/site.css"] == "css/site.css"  # the site's own file, linked by name


def test_asset_helper_resolves_and_refuses_unknown_files():
    config, _ = parse_config("title: x\nbase_url: https://x.org/news/\n")
    asset = asset_helper({"css/a.css": "css/a.0123456789.css"}, Routes(config))
    assert asset("css/a.css") == "/news/css/a.0123456789.css"
    assert asset("/css/a.css") == "/news/css/a.0123456789.css"
    with pytest.raises(ValueError, match="no such file"):
        asset("css/missing.css")


def test_build_links_the_fingerprinted_stylesheet_and_reports_it(make_site):
    site = make_site({"content/a.md": article("خبر")})
    result = build_site(site)
    assert result.ok, [d.format() for d in result.diagnostics]
    (css,) = [p for p in result.files if p.startswith("css/digest.")]
    assert css != "css/digest.css"
    (js,) = [p for p in result.files if p.startswith("js/search.")]
    assert f'href="/{css}"' in result.files["index.html"].decode()
    assert result.assets == (f"/{css}", f"/{js}")


def test_changed_css_gets_a_new_name(make_site):
    first = build_site(make_site({"content/a.md": article("خبر")})).assets
    override = {"content/a.md": article("خبر"), "static/css/digest.css": "body{color:red}"}
    second = build_site(make_site(override)).assets
    assert first[0] != second[0] and first[1:] == second[1:]  # only the CSS changed


def test_unknown_asset_in_a_template_is_a_diagnostic(make_site):
    site = make_site(
        {
            "content/a.md": article("خبر"),
            "themes/mine/theme.yaml": "name: mine\nextends: digest\n",
            "themes/mine/templates/404.html": "{{ asset('css/nope.css') }}\n",
        },
        config=MINIMAL_CONFIG + "theme: mine\n",
    )
    result = build_site(site)
    assert not result.ok
    assert any("asset('css/nope.css')" in d.message for d in result.diagnostics)


def test_build_reports_aliases_and_sources(make_site):
    site = make_site(
        {"content/a.md": article("خبر", aliases="[/old/خبر-قديم/, https://example.org/x.html]")}
    )
    result = build_site(site)
    url = "/2022/01/07/خبر/"
    assert result.aliases == (("/old/خبر-قديم/", url), ("/x.html", url))
    assert result.sources["2022/01/07/خبر/index.html"] == ("content/a.md", 2)
    assert [a.path for a in result.articles] == ["content/a.md"]

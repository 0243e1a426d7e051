"""Problems of body images are reported at the line of the image (sitegen.build.images.articles)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from sitegen.build.incremental import reuse  # the model stage runs through `Reuse.model`
from sitegen.core.config import Site
from tests.conftest import MINIMAL_CONFIG, article, build_site


def problems(make_site: Callable[..., Site], body: str, config: str = MINIMAL_CONFIG) -> list[str]:
    files = {"content/a.md": article("أ", summary="'the photo.png below'", body=body)}
    return [d.format() for d in build_site(make_site(files, config=config)).diagnostics]


def test_the_line_is_the_image_not_a_mention_in_the_front_matter(
    make_site: Callable[..., Site],
) -> None:
    body = "نص يذكر photo.png أيضا.\n\n![صورة](photo.png)\n\n![](photo.png)\n"
    assert problems(make_site, body) == [
        "content/a.md:8: warning: image 'photo.png' not found (looked for content/photo.png,"
        " static/photo.png)",
        "content/a.md:10: warning: image 'photo.png' not found (looked for content/photo.png,"
        " static/photo.png)",
    ]


def test_urls_the_sanitiser_drops_are_errors_at_their_line(
    make_site: Callable[..., Site],
) -> None:
    body = (
        "![r](file:///etc/passwd)\n\n![d](data:image/png;base64,AAAA)\n\n"
        '<img alt="j" src="javascript:alert(1)">\n\n![v][x]\n\n[x]: vbscript:msgbox(1)\n'
        "\n`![code](file:///shown/as/code)`\n"
    )
    assert problems(make_site, body) == [
        f"content/a.md:{line}: image {value!r} is not a file of the site or an http(s) URL"
        " (name a file next to the article or under static/)"
        for line, value in (
            (6, "file:///etc/passwd"),
            (8, "data:image/png;base64,AAAA"),
            (10, "javascript:alert(1)"),
            (14, "vbscript:msgbox(1)"),
        )
    ]


def test_with_unsafe_html_a_file_url_is_reported_once(make_site: Callable[..., Site]) -> None:
    config = MINIMAL_CONFIG + "markdown:\n  unsafe_html: true\n"
    assert problems(make_site, "![r](file:///etc/passwd)\n", config) == [
        "content/a.md:6: image 'file:///etc/passwd' is not a file of the site or an http(s) URL"
        " (name a file next to the article or under static/)"
    ]


def test_lines_come_from_the_source_as_loaded(
    make_site: Callable[..., Site], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The images stage never reads an article again: a file gone after parsing keeps its lines."""
    site = make_site({"content/a.md": article("أ", body="نص.\n\n![صورة](photo.png)\n")})
    parsed_only = reuse.model_articles

    def model_after_deleting(*args: Any, **kwargs: Any) -> Any:
        (site.root / "content" / "a.md").unlink()
        return parsed_only(*args, **kwargs)

    monkeypatch.setattr(reuse, "model_articles", model_after_deleting)
    assert [d.format() for d in build_site(site).diagnostics] == [
        "content/a.md:7: warning: image 'photo.png' not found (looked for content/photo.png,"
        " static/photo.png)",
    ]

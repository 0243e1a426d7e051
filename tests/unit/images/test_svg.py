"""SVG images are published sanitized: drawing kept, scripts and outside references gone."""

from __future__ import annotations

import pytest

from sitegen.build.images.errors import ImageError
from sitegen.build.images.process import process_image
from sitegen.build.images.svg import MAX_DEPTH, sanitize_svg
from sitegen.core.image_settings import ImageSettings

SVG = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'


def clean(body: str, attributes: str = 'width="40" height="20"') -> str:
    return sanitize_svg(f"{SVG} {attributes}>{body}</svg>".encode())[0].decode()


def test_the_drawing_is_kept() -> None:
    body = (
        '<defs><linearGradient id="g"><stop offset="0" stop-color="red"/></linearGradient>'
        '<path id="p" d="M0 0h10"/></defs>'
        '<rect width="10" height="10" fill="url(#g)" style="stroke: url(#g)"/>'
        '<use href="#p"/><use xlink:href="#p"/><text x="1" y="9">خبر</text>'
    )
    out = clean(body)
    for kept in ('fill="url(#g)"', 'style="stroke: url(#g)"', 'href="#p"', 'xlink:href="#p"'):
        assert kept in out
    assert "<text" in out and "خبر" in out and "<linearGradient" in out


@pytest.mark.parametrize(
    ("body", "gone"),
    [
        ("<script>alert(1)</script>", "alert"),
        ('<rect onload="alert(1)" onclick="x()"/>', "alert"),
        ('<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject>', "div"),
        ('<set attributeName="href" to="javascript:alert(1)"/>', "javascript"),
        ('<animate attributeName="x" values="0;1"/>', "animate"),
        ('<use href="https://evil.example/s.svg#a"/>', "evil"),
        ('<image xlink:href="http://evil.example/p.png"/>', "evil"),
        ('<a href="javascript:alert(1)"><rect/></a>', "javascript"),
        ('<rect fill="url(https://evil.example/f.svg#g)"/>', "evil"),
        ('<rect style="background: url(//evil.example/x.png)"/>', "evil"),
        ("<style>@import url(https://evil.example/x.css);</style>", "evil"),
        ('<rect xmlns:ev="urn:x" ev:thing="1" />', "thing"),
    ],
)
def test_what_runs_or_fetches_is_removed(body: str, gone: str) -> None:
    assert gone not in clean(body)


def test_an_embedded_raster_image_is_kept() -> None:
    href = "data:image/png;base64,iVBORw0KGgo="
    assert href in clean(f'<image href="{href}" width="1" height="1"/>')


@pytest.mark.parametrize(
    ("attributes", "size"),
    [
        ('width="40" height="20"', (40, 20)),
        ('width="40px" height="20.4px"', (40, 20)),
        ('viewBox="0 0 400 100"', (400, 100)),
        ('width="200" viewBox="0 0 400 100"', (200, 50)),
        ('width="100%" height="100%"', (300, 150)),
        ("", (300, 150)),
    ],
)
def test_the_size_comes_from_width_height_or_viewbox(
    attributes: str, size: tuple[int, int]
) -> None:
    _, width, height = sanitize_svg(f"{SVG} {attributes}/>".encode())
    assert (width, height) == size


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x "y">]><svg xmlns="http://www.w3.org/2000/svg">&x;</svg>',
            "SVG file with a DTD or entity declarations; not published",
        ),
        (b"<svg", "not a well-formed SVG file"),
        (b"<html></html>", "not an SVG image: the root element is not <svg>"),
        (
            (SVG + ">" + "<g>" * (MAX_DEPTH + 1) + "</g>" * (MAX_DEPTH + 1) + "</svg>").encode(),
            f"SVG nested deeper than {MAX_DEPTH} levels; not published",
        ),
    ],
)
def test_files_that_are_not_plain_svg_are_refused(data: bytes, message: str) -> None:
    with pytest.raises(ImageError) as caught:
        sanitize_svg(data)
    assert caught.value.message.startswith(message)


def test_an_svg_is_published_once_as_svg() -> None:
    processed = process_image(f'{SVG} width="40" height="20"/>'.encode(), ImageSettings())
    assert [(v.width, v.height, v.media_type) for v in processed.variants] == [
        (40, 20, "image/svg+xml")
    ]

"""Image references: which file a path names, and `<img>` → `<picture>`."""

from __future__ import annotations

import pytest

from sitegen.build.images.references import candidates, img_tags, is_remote, picture_html
from sitegen.build.images.responsive import ImageFile, ResponsiveImage

ARTICLE = "content/2024/03/01/lead.md"


@pytest.mark.parametrize(
    ("value", "remote"),
    [
        ("https://cdn.example.com/a.jpg", True),
        ("http://example.com/a.jpg", True),
        ("//cdn.example.com/a.jpg", True),
        ("/img/a.jpg", False),
        ("a.jpg", False),
        ("data:image/png;base64,AAAA", False),
    ],
)
def test_is_remote(value: str, remote: bool) -> None:
    assert is_remote(value) is remote


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("/img/a.jpg", ("static/img/a.jpg",)),
        ("static/img/a.jpg", ("static/img/a.jpg",)),
        ("a.jpg", ("content/2024/03/01/a.jpg", "static/a.jpg")),
        ("photos/a.jpg", ("content/2024/03/01/photos/a.jpg", "static/photos/a.jpg")),
        ("../a.jpg", ("content/2024/03/a.jpg",)),
        ("%D8%B5%D9%88%D8%B1%D8%A9.jpg", ("content/2024/03/01/صورة.jpg", "static/صورة.jpg")),
        ("a.jpg?v=2#top", ("content/2024/03/01/a.jpg", "static/a.jpg")),
        ("../../../../../etc/passwd", None),
        ("/../etc/passwd", None),
        ("static/../sitegen.yaml", None),
        ("data:image/png;base64,AAAA", None),
        ("file:///etc/passwd", None),
        ("", None),
    ],
)
def test_candidates(value: str, expected: tuple[str, ...] | None) -> None:
    assert candidates(value, ARTICLE) == expected


def test_candidates_for_an_article_at_the_top_of_content() -> None:
    assert candidates("a.jpg", "content/a.md") == ("content/a.jpg", "static/a.jpg")


def test_img_tags_reads_attributes_with_any_quoting() -> None:
    html = (
        '<p>x <img alt="قطّة &amp; كلب" src="a.jpg"> y</p>'
        "<IMG SRC='b.png' title=t /><img src=c.gif>"
    )
    tags = img_tags(html)
    assert [tag.get("src") for tag in tags] == ["a.jpg", "b.png", "c.gif"]
    assert tags[0].get("alt") == "قطّة & كلب"
    assert tags[1].get("title") == "t"
    assert html[tags[0].start : tags[0].end] == '<img alt="قطّة &amp; كلب" src="a.jpg">'


def responsive(webp: bool = True) -> ResponsiveImage:
    files = (
        ImageFile("images/a-360.k.jpg", "/images/a-360.k.jpg", 360, 240, "image/jpeg"),
        ImageFile("images/a-720.k.jpg", "/images/a-720.k.jpg", 720, 480, "image/jpeg"),
    )
    return ResponsiveImage(
        src="/images/a-720.k.jpg",
        width=720,
        height=480,
        media_type="image/jpeg",
        srcset="/images/a-360.k.jpg 360w, /images/a-720.k.jpg 720w",
        webp_srcset="/images/a-360.k.webp 360w, /images/a-720.k.webp 720w" if webp else "",
        sizes="100vw",
        animated=False,
        files=files,
    )


def test_picture_html_keeps_the_authors_attributes_and_states_the_size() -> None:
    [tag] = img_tags('<img src="a.jpg" width="9" alt="&quot;مؤتمر&quot; <صحفي>" title="t">')
    html = picture_html(responsive(), tag, "50vw", lazy=True)
    assert html == (
        '<picture><source type="image/webp" srcset="/images/a-360.k.webp 360w, '
        '/images/a-720.k.webp 720w" sizes="50vw">'
        '<img src="/images/a-720.k.jpg" srcset="/images/a-360.k.jpg 360w, /images/a-720.k.jpg 720w"'
        ' sizes="50vw" width="720" height="480" alt="&quot;مؤتمر&quot; &lt;صحفي&gt;" title="t"'
        ' loading="lazy" decoding="async"></picture>'
    )


def test_picture_html_without_webp_or_lazy_loading() -> None:
    [tag] = img_tags('<img src="a.gif" alt="x">')
    html = picture_html(responsive(webp=False), tag, "100vw", lazy=False)
    assert "<source" not in html and "loading" not in html

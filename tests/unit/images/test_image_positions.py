"""Where an article's source names its body images (sitegen.build.images.positions)."""

from __future__ import annotations

from sitegen.build.images.positions import WrittenImage, written_images

SOURCE = """---
title: خبر
summary: "the photo.png below"
image: photo.png
---
نص يذكر photo.png.

![صورة](photo.png) ![ب](<my photo.png> "عنوان") ![ج](a\\_b(1).png)
`![رمز](file:///span)`

```markdown
![مسيّجة](file:///fenced)
```

![د][Ref] ![REF] <img alt=x
  src="data:image/png;base64,AA&amp;A">

[ref]: file:///etc/passwd
[link]: file:///a-link-not-an-image
![هـ](&#106;avascript:alert(1))
"""


def test_images_of_the_body_at_their_lines() -> None:
    assert written_images(SOURCE) == [
        WrittenImage("photo.png", 8),
        WrittenImage("my photo.png", 8),
        WrittenImage("a_b(1).png", 8),
        WrittenImage("data:image/png;base64,AA&A", 15),
        WrittenImage("file:///etc/passwd", 18),
        WrittenImage("file:///etc/passwd", 18),
        WrittenImage("javascript:alert(1)", 20),
    ]


def test_a_source_without_front_matter_starts_at_line_1() -> None:
    assert written_images("![a](x.png)\n") == [WrittenImage("x.png", 1)]


def test_a_lone_backtick_hides_no_image_of_a_later_paragraph() -> None:
    text = "it`s\n\n![a](file:///x)\n\nand ` here\n\n`![b](file:///code)` x\n"
    assert written_images(text) == [WrittenImage("file:///x", 3)]

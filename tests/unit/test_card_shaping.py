"""Share cards shape Arabic and Persian and order mixed text the way HarfBuzz does.

The proof compares pixels, not files: the headline as the card drew it (Pillow + raqm) is
matched against a reference drawn here from HarfBuzz's own shaping of the same string and
font (uharfbuzz): its glyph ids, advances and offsets, each glyph's outline filled as
polygons. Unshaped text (each letter's isolated form, in logical order) must not match: that
control shows the comparison can fail.
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Sequence

import pytest
import uharfbuzz as hb
from PIL import Image, ImageChops, ImageDraw, ImageFilter

from sitegen.build.cards.draw import CardText, Painter, draw_card, layout
from sitegen.build.cards.style import card_style
from sitegen.build.theme import builtin_card
from sitegen.core.config import parse_config

Run = tuple[str, str]  # (text, direction), runs in visual order from left to right


@pytest.fixture(scope="module")
def painter() -> Painter:
    config, _ = parse_config("title: الموجز\n")
    assert config is not None
    style, problems = card_style(builtin_card(), config, ())
    assert problems == []
    return Painter(style)


def card_text(headline: str, direction: str = "rtl", language: str = "ar") -> CardText:
    return CardText(headline, "", "الموجز", "", direction, language, "rtl", "ar")


class PolygonPen:
    """A fontTools-style pen that flattens outlines into polygons (font units)."""

    def __init__(self, x: float, y: float) -> None:
        self.origin = (x, y)
        self.contours: list[list[tuple[float, float]]] = []
        self.point = (0.0, 0.0)

    def moveTo(self, p):  # the pen protocol's names
        self.contours.append([])
        self._add(p)

    def lineTo(self, p):
        self._add(p)

    def qCurveTo(self, *points):
        *controls, end = points  # TrueType: an on-curve point between two off-curve ones
        for i, control in enumerate(controls):
            last = i == len(controls) - 1
            after = end if last else _middle(control, controls[i + 1])
            self._curve([self.point, control, after])
        if not controls:
            self._add(end)

    def curveTo(self, c1, c2, p):
        self._curve([self.point, c1, c2, p])

    def closePath(self):
        pass

    def _curve(self, points: list[tuple[float, float]]) -> None:
        for step in range(1, 9):
            t = step / 8
            ps = points
            while len(ps) > 1:  # de Casteljau
                ps = [
                    (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)
                    for a, b in itertools.pairwise(ps)
                ]
            self._add(ps[0])

    def _add(self, p: tuple[float, float]) -> None:
        self.point = p
        self.contours[-1].append((p[0] + self.origin[0], p[1] + self.origin[1]))


def _middle(a: tuple[float, float], b: tuple[float, float]) -> tuple[float, float]:
    return (a[0] + b[0]) / 2, (a[1] + b[1]) / 2


def reference(runs: Sequence[Run], font_data: bytes, size: int, language: str, shaped=True):
    """A mask of the runs drawn from HarfBuzz's glyphs: shaped, or (control) each character's
    nominal glyph in logical order, with its plain advance."""
    font = hb.Font(hb.Face(hb.Blob(font_data)))
    scale = size / font.face.upem
    pens: list[PolygonPen] = []
    x = 0.0
    for text, direction in runs:
        if shaped:
            buffer = hb.Buffer()
            buffer.add_str(text)
            buffer.guess_segment_properties()
            buffer.direction = direction
            buffer.language = language
            hb.shape(font, buffer)
            glyphs = [
                (i.codepoint, p.x_advance, p.x_offset, p.y_offset)
                for i, p in zip(buffer.glyph_infos, buffer.glyph_positions, strict=True)
            ]
        else:
            nominal = [font.get_nominal_glyph(ord(c)) or 0 for c in text]
            glyphs = [(g, font.get_glyph_h_advance(g), 0, 0) for g in nominal]
        for gid, advance, dx, dy in glyphs:
            pen = PolygonPen(x + dx, dy)
            font.draw_glyph_with_pen(gid, pen)
            pens.append(pen)
            x += advance
    width, height = int(x * scale) + 40, int(size * 2.5)
    mask = Image.new("1", (width, height))
    for pen in pens:
        glyph = Image.new("1", (width, height))
        for contour in pen.contours:  # even-odd fill: the counters of ه, و, م stay open
            layer = Image.new("1", (width, height))
            points = [(20 + px * scale, height * 0.7 - py * scale) for px, py in contour]
            if len(points) > 2:
                ImageDraw.Draw(layer).polygon(points, fill=1)
            glyph = ImageChops.logical_xor(glyph, layer)
        mask = ImageChops.logical_or(mask, glyph)
    return mask.crop(mask.getbbox())


def card_mask(png: bytes, top: int, bottom: int) -> Image.Image:
    """The ink of a card between two heights (darker than half-way to the paper), inside
    the margins."""
    gray = Image.open(io.BytesIO(png)).convert("L").crop((40, top, 1160, bottom))  # no strip
    ink = gray.point(lambda v: 255 if v < 128 else 0).convert("1")
    return ink.crop(ink.getbbox())


def agreement(a: Image.Image, b: Image.Image) -> float:
    """How well two masks agree, up to anti-aliasing: the smaller of the share of `a`'s ink
    within a pixel of `b`'s ink and the reverse, at the best of the one-pixel shifts."""
    size = (max(a.width, b.width) + 2, max(a.height, b.height) + 2)

    def placed(mask: Image.Image, dx: int = 1, dy: int = 1) -> Image.Image:
        canvas = Image.new("L", size)
        canvas.paste(mask.convert("L"), (dx, dy))
        return canvas

    def share(ink: Image.Image, near: Image.Image) -> float:
        inside = ImageChops.multiply(ink, near.filter(ImageFilter.MaxFilter(3)))
        return inside.histogram()[255] / max(1, ink.histogram()[255])

    first = placed(a)
    return max(
        min(share(first, second), share(second, first))
        for second in (placed(b, dx, dy) for dx in range(3) for dy in range(3))
    )


CASES = {
    "arabic": (
        "قمة عربية في الرياض تبحث الأمن المائي",
        "ar",
        [("قمة عربية في الرياض تبحث الأمن المائي", "rtl")],
    ),
    "persian": (
        "بانک مرکزی نرخ بهره را افزایش داد",
        "fa",
        [("بانک مرکزی نرخ بهره را افزایش داد", "rtl")],
    ),
    # an RTL paragraph: the Arabic runs read from the right, Latin and digits stay left to right
    "mixed": (
        "شركة Apple تطلق iPhone 15 في جدة",
        "ar",
        [
            ("في جدة", "rtl"),
            (" iPhone 15 ", "ltr"),
            ("تطلق", "rtl"),
            (" Apple ", "ltr"),
            ("شركة", "rtl"),
        ],
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_card_headline_is_harfbuzz_shaping_of_the_string(painter: Painter, case: str) -> None:
    headline, language, runs = CASES[case]
    card = card_text(headline, language=language)
    (line, *_) = layout(painter, card)
    assert line.text == headline  # one line: the whole headline
    drawn = card_mask(draw_card(painter, card), 140, 505)
    shaped = reference(runs, painter.style.bold_font, line.size, language)
    assert abs(drawn.width - shaped.width) <= 3 and abs(drawn.height - shaped.height) <= 3
    assert agreement(drawn, shaped) > 0.97
    # the control: the same glyph run unshaped (isolated letters, logical order) differs
    unshaped = reference(runs, painter.style.bold_font, line.size, language, shaped=False)
    assert agreement(drawn, unshaped) < 0.8


def test_mixed_runs_in_another_order_do_not_match(painter: Painter) -> None:
    """The visual order is checked too: the Latin runs placed in logical order fail."""
    headline, language, runs = CASES["mixed"]
    card = card_text(headline, language=language)
    (line, *_) = layout(painter, card)
    drawn = card_mask(draw_card(painter, card), 140, 505)
    wrong = [runs[0], runs[3], runs[2], runs[1], runs[4]]
    assert agreement(drawn, reference(wrong, painter.style.bold_font, line.size, language)) < 0.8

"""Drawing one share card: 1200×630, the theme's colours, fonts and logo, text laid out with
Pillow's raqm engine (HarfBuzz shaping, FriBiDi ordering), written as a reproducible PNG.

Layout, mirrored for left-to-right languages: an accent strip on the inline-start edge; the
topic at the top (start side) and the logo at the top end corner; the headline, at most three
lines, centred in the middle band; a rule, then the site name (start) and the date (end).
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, field
from functools import cached_property

from PIL import Image, ImageDraw, ImageFont, features

from sitegen.build.cards.layout import fit

CARD_WIDTH, CARD_HEIGHT = 1200, 630
MARGIN = 72
STRIP = 14  # the accent strip on the inline-start edge
HEADLINE_SIZES = (68, 60, 52)
HEADLINE_LINES = 3
LINE_HEIGHT = 1.55  # Arabic needs room for marks above and below
TOPIC_SIZE, SITE_SIZE, DATE_SIZE = 38, 34, 30
TOPIC_BASELINE, RULE_Y, FOOTER_BASELINE = 112, 518, 574
HEADLINE_BAND = (150, 500)  # the headline block is centred between these heights
LOGO_BOX = (220, 84)
RAMP_STEPS = 21  # palette entries from the background to each text colour (anti-aliasing)
LOGO_COLOURS = 128
# Part of every card's cache key: change it when a change here alters the pixels.
DRAWING_VERSION = "1"


class RaqmMissing(RuntimeError):
    """Pillow cannot lay out complex scripts here (libraqm or libfribidi is missing)."""


def require_raqm() -> None:
    """Raise `RaqmMissing` unless Pillow has its raqm layout engine: without it, Arabic would
    be drawn as disconnected letters in the wrong order."""
    if not features.check("raqm"):
        raise RaqmMissing("share cards need Pillow's raqm layout (libraqm, libfribidi)")


def engine_versions() -> dict[str, str | None]:
    """Versions of everything that shapes and draws a card (part of its cache key)."""
    return {
        "pillow": features.version("pil"),
        "raqm": features.version("raqm"),
        "harfbuzz": features.version("harfbuzz"),
        "fribidi": features.version("fribidi"),
        "freetype": features.version("freetype2"),
        "drawing": DRAWING_VERSION,
    }


@dataclass(frozen=True)
class CardStyle:
    """The theme's look of a card: colours (`#rrggbb`), fonts and an optional raster logo."""

    background: str
    text: str
    accent: str
    muted: str
    font: bytes
    bold_font: bytes
    logo: bytes | None = None

    @cached_property
    def digest(self) -> str:
        """A hash of every setting and file: part of each card's cache key."""
        h = hashlib.sha256()
        for value in (self.background, self.text, self.accent, self.muted):
            h.update(value.encode() + b"\0")
        for data in (self.font, self.bold_font, self.logo or b""):
            h.update(hashlib.sha256(data).digest())
        return h.hexdigest()


@dataclass(frozen=True)
class CardText:
    """What one card says, already localized. `direction` (`rtl` or `ltr`) and `language` (the
    BCP 47 tag HarfBuzz picks language-specific forms by: `ar`, `fa`, `ur`) are the article's,
    for the headline and the layout; the topic, site name and date are in the site's
    `site_direction` and `site_language`."""

    headline: str
    topic: str
    site: str
    date: str
    direction: str
    language: str
    site_direction: str
    site_language: str


@dataclass(frozen=True)
class Placed:
    """One run of text on a card: its font (bold?, size), anchor point and Pillow anchor, and
    the paragraph direction and language it is shaped with."""

    text: str
    bold: bool
    size: int
    x: float
    y: float
    anchor: str
    colour: str
    direction: str
    language: str


@dataclass
class Painter:
    """Fonts and logo of one style, loaded once per process and reused for every card."""

    style: CardStyle
    _fonts: dict[tuple[bool, int], ImageFont.FreeTypeFont] = field(default_factory=dict)

    def font(self, bold: bool, size: int) -> ImageFont.FreeTypeFont:
        key = (bold, size)
        if key not in self._fonts:
            data = self.style.bold_font if bold else self.style.font
            self._fonts[key] = ImageFont.truetype(
                io.BytesIO(data), size, layout_engine=ImageFont.Layout.RAQM
            )
        return self._fonts[key]

    @cached_property
    def logo(self) -> Image.Image | None:
        if self.style.logo is None:
            return None
        with Image.open(io.BytesIO(self.style.logo)) as source:
            logo = source.convert("RGBA")
        logo.thumbnail(LOGO_BOX, Image.Resampling.LANCZOS)
        return logo

    @cached_property
    def palette(self) -> Image.Image:
        """The card's colours: ramps from the background to each text colour (every shade
        anti-aliased text makes), then the logo's own colours."""
        style = self.style
        colours: list[tuple[int, ...]] = []
        for colour in (style.text, style.accent, style.muted):
            colours += _ramp(_rgb(style.background), _rgb(colour), RAMP_STEPS)
        if self.logo is not None:
            shades = self.logo.convert("RGB").quantize(LOGO_COLOURS, dither=Image.Dither.NONE)
            flat = shades.getpalette() or []
            colours += [tuple(flat[i : i + 3]) for i in range(0, len(flat), 3)][:LOGO_COLOURS]
        palette = Image.new("P", (1, 1))
        palette.putpalette([value for colour in colours for value in colour])
        return palette

    def measure(self, text: str, bold: bool, size: int, direction: str, language: str) -> float:
        """The advance width of `text` shaped as it will be drawn."""
        return self.font(bold, size).getlength(text, direction=direction, language=language)


def layout(painter: Painter, card: CardText) -> list[Placed]:
    """Every run of text of a card, where it goes (the headline lines first)."""
    rtl = card.direction == "rtl"
    start = CARD_WIDTH - MARGIN if rtl else MARGIN
    end = MARGIN if rtl else CARD_WIDTH - MARGIN
    a_start, a_end = ("r", "l") if rtl else ("l", "r")
    style = painter.style
    headline = card.direction, card.language
    site = card.site_direction, card.site_language
    measures = [
        (size, lambda t, s=size: painter.measure(t, True, s, *headline)) for size in HEADLINE_SIZES
    ]
    size, lines = fit(card.headline, measures, CARD_WIDTH - 2 * MARGIN, HEADLINE_LINES)
    step = round(size * LINE_HEIGHT)
    top = (HEADLINE_BAND[0] + HEADLINE_BAND[1] - step * len(lines)) / 2
    placed = [
        Placed(
            line, True, size, start, top + step * (i + 0.5), a_start + "m", style.text, *headline
        )
        for i, line in enumerate(lines)
    ]
    if card.topic:
        placed.append(
            Placed(
                card.topic,
                True,
                TOPIC_SIZE,
                start,
                TOPIC_BASELINE,
                a_start + "s",
                style.accent,
                *site,
            )
        )
    placed.append(
        Placed(card.site, True, SITE_SIZE, start, FOOTER_BASELINE, a_start + "s", style.text, *site)
    )
    if card.date:
        placed.append(
            Placed(
                card.date, False, DATE_SIZE, end, FOOTER_BASELINE, a_end + "s", style.muted, *site
            )
        )
    return placed


def draw_card(painter: Painter, card: CardText) -> bytes:
    """One card as PNG bytes; equal inputs give equal bytes."""
    style = painter.style
    image = Image.new("RGB", (CARD_WIDTH, CARD_HEIGHT), style.background)
    draw = ImageDraw.Draw(image)
    rtl = card.direction == "rtl"
    strip_x = CARD_WIDTH - STRIP if rtl else 0
    draw.rectangle((strip_x, 0, strip_x + STRIP - 1, CARD_HEIGHT), fill=style.accent)
    draw.rectangle((MARGIN, RULE_Y, CARD_WIDTH - MARGIN, RULE_Y + 1), fill=style.muted)
    for run in layout(painter, card):
        draw.text(
            (run.x, run.y),
            run.text,
            font=painter.font(run.bold, run.size),
            fill=run.colour,
            anchor=run.anchor,
            direction=run.direction,
            language=run.language,
        )
    logo = painter.logo
    if logo is not None:
        x = MARGIN if rtl else CARD_WIDTH - MARGIN - logo.width
        image.paste(logo, (x, TOPIC_BASELINE - logo.height + 8), logo)
    # A palette PNG is a third of the RGB one and quicker to write; zlib level 2 writes in a
    # quarter of level 6's time for 25 % more bytes (~33 kB); no metadata chunks (no time, no
    # text), so equal inputs give equal bytes.
    paletted = image.quantize(palette=painter.palette, dither=Image.Dither.NONE)
    buffer = io.BytesIO()
    paletted.save(buffer, "PNG", compress_level=2)
    return buffer.getvalue()


def _rgb(colour: str) -> tuple[int, int, int]:
    """`#rrggbb` → (r, g, b)."""
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _ramp(a: tuple[int, ...], b: tuple[int, ...], steps: int) -> list[tuple[int, ...]]:
    return [
        tuple(round(x + (y - x) * k / (steps - 1)) for x, y in zip(a, b, strict=True))
        for k in range(steps)
    ]

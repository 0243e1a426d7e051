"""A site's card style: the built-in theme's `card:` settings, overridden by the theme chain's,
then by `card:` in `sitegen.yaml`; the logo looked up among the site's static files."""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping

from PIL import Image, UnidentifiedImageError

from sitegen.build.cards.draw import CardStyle
from sitegen.build.load import StaticFile
from sitegen.core.card_settings import COLOUR_KEYS
from sitegen.core.config import CONFIG_FILE, SiteConfig
from sitegen.core.diagnostics import Diagnostic, warning

RASTER_FORMATS = frozenset({"PNG", "JPEG", "WEBP", "GIF"})


def card_style(
    theme_card: Mapping[str, str | bytes],
    config: SiteConfig,
    static: Iterable[StaticFile],
) -> tuple[CardStyle, list[Diagnostic]]:
    """The style cards are drawn with, and warnings about a logo that cannot be used.

    `theme_card` is the built-in theme's settings updated with the theme chain's
    (`Theme.card`); colours from `sitegen.yaml` win. The logo is `card.logo` (a static file's
    URL path), else the theme's, else `metadata.logo` when it is a raster static file.
    """
    settings = config.card
    colours = {key: str(theme_card[key]) for key in COLOUR_KEYS} | settings.colours()
    files = {file.url_path: file.data for file in static}
    problems: list[Diagnostic] = []
    logo = theme_card.get("logo")
    if settings.logo is not None:
        logo = files.get(settings.logo.lstrip("/"))
        if logo is None:
            problems.append(
                warning(CONFIG_FILE, None, f"card.logo: {settings.logo} is not a static file")
            )
    elif logo is None and config.metadata.logo:
        found = files.get(config.metadata.logo.lstrip("/"))
        logo = found if found is not None and _is_raster(found) else None
    if isinstance(logo, bytes) and not _is_raster(logo):
        message = "card logo is not a PNG, JPEG, WebP or GIF image; cards are drawn without it"
        problems.append(warning(CONFIG_FILE, None, message))
        logo = None
    style = CardStyle(
        colours["background"],
        colours["text"],
        colours["accent"],
        colours["muted"],
        _file(theme_card["font"]),
        _file(theme_card["bold_font"]),
        logo if isinstance(logo, bytes) else None,
    )
    return style, problems


def _file(value: str | bytes) -> bytes:
    return value if isinstance(value, bytes) else value.encode()


def _is_raster(data: bytes) -> bool:
    """Whether Pillow reads `data` as one of the raster formats a card can show."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            return image.format in RASTER_FORMATS
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return False

"""Share-card settings: the `card` section of `sitegen.yaml` and the `card` section of a theme's
`theme.yaml`, as plain data (see docs/share-cards.md)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

COLOUR_KEYS = ("background", "text", "accent", "muted")
THEME_FILE_KEYS = ("font", "bold_font", "logo")  # paths relative to the theme's folder
THEME_CARD_KEYS = (*COLOUR_KEYS, *THEME_FILE_KEYS)  # a theme's `card:` section
_COLOUR = re.compile(r"#[0-9A-Fa-f]{6}")


@dataclass(frozen=True)
class CardSettings:
    """`card:` in `sitegen.yaml`: whether articles without a lead image get a card, and the
    theme's colours and logo overridden for this site. A colour is `#rrggbb`; `logo` names
    a raster image among the site's static files by its URL path (`logo.png` for
    `static/logo.png`); without it, the theme's logo, else `metadata.logo`."""

    enabled: bool = True
    background: str | None = None
    text: str | None = None
    accent: str | None = None
    muted: str | None = None
    logo: str | None = None

    @staticmethod
    def from_shorthand(value: Any) -> dict[str, Any] | None:
        """`card: false` turns share cards off (`card: true` keeps them on)."""
        return {"enabled": value} if isinstance(value, bool) else None

    def colours(self) -> dict[str, str]:
        """The colours set here, by key."""
        return {k: v for k in COLOUR_KEYS if (v := getattr(self, k)) is not None}

    def problems(self) -> list[tuple[str, str]]:
        """Values that cannot be used, as (key, message) pairs."""
        return [
            (key, f"'card.{key}' must be a colour such as #a11d1d, got {value!r}")
            for key, value in self.colours().items()
            if colour_problem(value)
        ]


def colour_problem(value: Any) -> bool:
    """Whether `value` is not a `#rrggbb` colour."""
    return not (isinstance(value, str) and _COLOUR.fullmatch(value))

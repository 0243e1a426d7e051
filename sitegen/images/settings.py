"""Image processing settings: the `images` section of the site config, as plain data."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

DEFAULT_WIDTHS = (360, 720, 1080, 1600)


@dataclass(frozen=True)
class ImageSettings:
    """How images are processed.

    `widths` are the target widths in pixels (never upscaled); `webp_quality` and `jpeg_quality`
    are encoder qualities (1-100); `max_pixels` refuses larger images (decompression bombs);
    `sizes` is the default HTML `sizes` attribute for the site's main column; `lazy_loading`
    lets themes add `loading="lazy"` to images below the fold.
    """

    widths: tuple[int, ...] = DEFAULT_WIDTHS
    webp_quality: int = 80
    jpeg_quality: int = 82
    max_pixels: int = 80_000_000
    sizes: str = "(min-width: 48rem) 48rem, 100vw"
    lazy_loading: bool = True

    def __post_init__(self) -> None:
        widths = tuple(sorted(set(self.widths)))
        if not widths or widths[0] < 1:
            raise ValueError("images.widths must be a non-empty list of positive integers")
        for name in ("webp_quality", "jpeg_quality"):
            if not 1 <= getattr(self, name) <= 100:
                raise ValueError(f"images.{name} must be between 1 and 100")
        if self.max_pixels < 1:
            raise ValueError("images.max_pixels must be positive")
        object.__setattr__(self, "widths", widths)

    def output_params(self) -> dict[str, Any]:
        """The settings that change the bytes of processed images (part of the cache key)."""
        return {
            "widths": list(self.widths),
            "webp_quality": self.webp_quality,
            "jpeg_quality": self.jpeg_quality,
        }

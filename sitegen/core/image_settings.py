"""Image settings: the `images` section of `sitegen.yaml`, as plain data."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

DEFAULT_WIDTHS = (360, 720, 1080, 1600)


@dataclass(frozen=True)
class ImageSettings:
    """How images are processed and shown (see docs/images.md).

    `widths` are the target widths in pixels (never upscaled); `webp_quality` and `jpeg_quality`
    are encoder qualities (1-100); `max_pixels` refuses larger images (decompression bombs);
    `sizes` is the HTML `sizes` attribute of images in the article column; `lazy_loading` adds
    `loading="lazy"` to images below the fold.
    """

    widths: tuple[int, ...] = DEFAULT_WIDTHS
    webp_quality: int = 80
    jpeg_quality: int = 82
    max_pixels: int = 80_000_000
    sizes: str = "(min-width: 46rem) 44rem, calc(100vw - 2rem)"
    lazy_loading: bool = True

    @property
    def targets(self) -> tuple[int, ...]:
        """The widths, sorted and without repeats."""
        return tuple(sorted({w for w in self.widths if isinstance(w, int) and w > 0}))

    def problems(self) -> list[tuple[str, str]]:
        """Values out of range, as (key, message) pairs; empty when the settings are usable."""
        found = []
        if not self.widths or any(isinstance(w, int) and w < 1 for w in self.widths):
            found.append(("widths", "'images.widths' must list positive pixel widths"))
        for key in ("webp_quality", "jpeg_quality"):
            if not 1 <= getattr(self, key) <= 100:
                found.append((key, f"'images.{key}' must be between 1 and 100"))
        if self.max_pixels < 1:
            found.append(("max_pixels", "'images.max_pixels' must be positive"))
        return found

    def output_params(self) -> dict[str, Any]:
        """The settings that change the bytes of processed images (part of the cache key)."""
        return {
            "widths": list(self.targets),
            "webp_quality": self.webp_quality,
            "jpeg_quality": self.jpeg_quality,
        }

"""Responsive images: resized WebP + fallback variants, metadata stripped, cached by content.

Use `read_source` to load files, `process_images` to turn them into output files and template
descriptions, and `ImageCache.prune(batch.keys)` after a build to drop unused cache entries.
"""

from sitegen.images.batch import ImageBatch, ImageSource, ImageStats, process_images, read_source
from sitegen.images.cache import ImageCache
from sitegen.images.responsive import ImageFile, ResponsiveImage
from sitegen.images.settings import ImageSettings

__all__ = [
    "ImageBatch",
    "ImageCache",
    "ImageFile",
    "ImageSettings",
    "ImageSource",
    "ImageStats",
    "ResponsiveImage",
    "process_images",
    "read_source",
]

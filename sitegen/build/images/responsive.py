"""Name the published variants of an image and describe them for templates, as plain data."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath

from sitegen.build.images.cache import EXTENSIONS
from sitegen.build.images.process import ProcessedImage
from sitegen.core.text import slugify

KEY_LENGTH = 10  # hex digits of the cache key in file names: a new source or setting, a new URL


@dataclass(frozen=True)
class ImageFile:
    """One published variant: `path` relative to the output folder, `url` as written in HTML."""

    path: str
    url: str
    width: int
    height: int
    media_type: str


@dataclass(frozen=True)
class ResponsiveImage:
    """What a template needs to write `<picture>`/`<img>` for one source image.

    `src`, `width`, `height` and `media_type` describe the largest fallback file; `srcset` lists
    the fallback files and `webp_srcset` the WebP ones (empty for animated images, which are
    published once in their own format); `sizes` is the site's default `sizes` attribute.
    """

    src: str
    width: int
    height: int
    media_type: str
    srcset: str
    webp_srcset: str
    sizes: str
    animated: bool
    files: tuple[ImageFile, ...]

    def fitting(self, min_width: int) -> ImageFile:
        """The narrowest fallback file at least `min_width` wide, else the widest one."""
        fallbacks = [f for f in self.files if f.media_type == self.media_type]
        return next((f for f in fallbacks if f.width >= min_width), fallbacks[-1])


def variant_path(directory: str, source_path: str, key: str, width: int, media_type: str) -> str:
    """Output path of one variant: `<directory>/<slug>-<width>.<key prefix>.<extension>`.

    The slug of the source's file name keeps Arabic letters but no spaces or commas, so the
    path can go into `srcset` unencoded.
    """
    name = slugify(PurePosixPath(source_path).stem) or "image"
    return f"{directory}/{name}-{width}.{key[:KEY_LENGTH]}.{EXTENSIONS[media_type]}"


def describe(
    source_path: str,
    key: str,
    image: ProcessedImage,
    *,
    directory: str,
    url_base: str,
    sizes: str,
) -> tuple[ResponsiveImage, dict[str, bytes]]:
    """The template description of a processed image and its files (output path → bytes)."""
    files: list[ImageFile] = []
    outputs: dict[str, bytes] = {}
    for variant in image.variants:
        path = variant_path(directory, source_path, key, variant.width, variant.media_type)
        url = url_base + path
        files.append(ImageFile(path, url, variant.width, variant.height, variant.media_type))
        outputs[path] = variant.data
    fallback = files[0].media_type

    def srcset(media_type: str) -> str:
        return ", ".join(f"{f.url} {f.width}w" for f in files if f.media_type == media_type)

    largest = [f for f in files if f.media_type == fallback][-1]
    description = ResponsiveImage(
        src=largest.url,
        width=largest.width,
        height=largest.height,
        media_type=fallback,
        srcset=srcset(fallback),
        webp_srcset="" if fallback == "image/webp" else srcset("image/webp"),
        sizes=sizes,
        animated=image.animated,
        files=tuple(files),
    )
    return description, outputs

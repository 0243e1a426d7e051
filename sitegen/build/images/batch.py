"""Process every image of a build once: cache lookups, a process pool for the rest, diagnostics."""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from sitegen.build.images.cache import CorruptEntry, ImageCache, cache_key
from sitegen.build.images.errors import ImageError
from sitegen.build.images.process import ProcessedImage, process_image
from sitegen.build.images.responsive import ResponsiveImage, describe
from sitegen.core.diagnostics import Diagnostic, error, warning
from sitegen.core.image_settings import ImageSettings


@dataclass(frozen=True)
class ImageSource:
    """The bytes of one source image and its path relative to the site root."""

    path: str
    data: bytes

    @cached_property
    def digest(self) -> str:
        """The sha256 of the bytes (hex): the image's identity for every cache."""
        return hashlib.sha256(self.data).hexdigest()


@dataclass(frozen=True)
class ImageStats:
    """How a batch went: sources seen, images processed, cache hits, wall-clock seconds."""

    sources: int
    processed: int
    cached: int
    seconds: float


@dataclass(frozen=True)
class ImageBatch:
    """The files to write (output path → bytes), one description per good source path,
    the cache keys in use (for `ImageCache.prune`), and a diagnostic per problem."""

    files: dict[str, bytes]
    images: dict[str, ResponsiveImage]
    keys: frozenset[str]
    diagnostics: tuple[Diagnostic, ...]
    stats: ImageStats


@dataclass(frozen=True)
class _Failure:
    message: str
    hint: str | None = None


def read_source(root: Path, path: str) -> tuple[ImageSource | None, Diagnostic | None]:
    """Read `root/path`; a missing or unreadable file, or one that a symlink places outside the
    site, is an error diagnostic at `path`."""
    real = (root / path).resolve()
    if not real.is_relative_to(root.resolve()):
        return None, error(path, None, f"symlink to {real}, outside the site; not read")
    try:
        return ImageSource(path, real.read_bytes()), None
    except FileNotFoundError:
        return None, error(path, None, "image file not found")
    except OSError as exc:
        return None, error(path, None, f"cannot read image file: {exc.strerror or exc}")


def process_images(
    sources: Sequence[ImageSource],
    settings: ImageSettings,
    *,
    cache: ImageCache | None = None,
    directory: str = "images",
    url_base: str = "/",
    workers: int | None = None,
) -> ImageBatch:
    """Process each distinct source once (from the cache when possible) and describe them all.

    Files go under `directory` in the output and their URLs start with `url_base`. Uncached
    images are spread over `workers` processes (default: one per core); the result does not
    depend on how many there are.
    """
    started = time.perf_counter()
    diagnostics: list[Diagnostic] = []
    keys = {source.path: cache_key(source.digest, settings) for source in sources}
    first_source = {keys[s.path]: s for s in reversed(sources)}
    results: dict[str, ProcessedImage | _Failure] = {}
    for key, source in first_source.items() if cache is not None else ():
        try:
            cached = cache.load(key)
        except CorruptEntry as exc:
            diagnostics.append(_corrupt_entry(cache, key, source.path, str(exc)))
            continue
        if cached is not None:
            results[key] = cached
    hits = len(results)
    misses = {key: first_source[key].data for key in sorted(first_source) if key not in results}
    fresh = _run(misses, settings, workers)
    for key, result in fresh.items():
        results[key] = result
        if cache is not None and isinstance(result, ProcessedImage):
            try:
                cache.store(key, result)
            except OSError as exc:
                diagnostics.append(
                    warning(first_source[key].path, None, f"cannot write the image cache: {exc}")
                )

    files: dict[str, bytes] = {}
    images: dict[str, ResponsiveImage] = {}
    for source in sources:
        result = results[keys[source.path]]
        if isinstance(result, _Failure):
            diagnostics.append(error(source.path, None, result.message, result.hint))
            continue
        images[source.path], outputs = describe(
            source.path,
            keys[source.path],
            result,
            directory=directory,
            url_base=url_base,
            sizes=settings.sizes,
        )
        files.update(outputs)
    stats = ImageStats(len(sources), len(fresh), hits, time.perf_counter() - started)
    return ImageBatch(files, images, frozenset(keys.values()), tuple(diagnostics), stats)


def _corrupt_entry(cache: ImageCache, key: str, path: str, reason: str) -> Diagnostic:
    return warning(
        path,
        None,
        f"ignored a damaged image cache entry ({reason}); processing the image again",
        f"the cache entry was {cache.entry_path(key)}",
    )


def _run(
    jobs: dict[str, bytes], settings: ImageSettings, workers: int | None
) -> dict[str, ProcessedImage | _Failure]:
    """Process each job (key → source bytes), in a process pool when that pays off."""
    count = min(workers or os.cpu_count() or 1, len(jobs))
    if count <= 1:
        return {key: _process_safely(data, settings) for key, data in jobs.items()}
    results: dict[str, ProcessedImage | _Failure] = {}
    context = multiprocessing.get_context("forkserver")
    try:
        with ProcessPoolExecutor(max_workers=count, mp_context=context) as pool:
            outcomes = pool.map(_process_safely, jobs.values(), [settings] * len(jobs))
            for key, outcome in zip(jobs, outcomes, strict=True):
                results[key] = outcome
    except BrokenProcessPool:
        crashed = _Failure("image processing crashed", "the image may need more free memory")
        results.update({key: crashed for key in jobs if key not in results})
    return results


def _process_safely(data: bytes, settings: ImageSettings) -> ProcessedImage | _Failure:
    """Run in a worker: never raise, so one bad image cannot stop the others."""
    try:
        return process_image(data, settings)
    except ImageError as exc:
        return _Failure(exc.message, exc.hint)
    except Exception as exc:  # Pillow raises many kinds of error for hostile files
        return _Failure(f"cannot process the image: {type(exc).__name__}: {exc}")

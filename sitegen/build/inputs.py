"""The load stage: Site → Inputs, everything a build reads before parsing.

The theme (and every theme it extends), the article sources under `content/` and the site's
static files, read from disk once (`sitegen.build.load`, `sitegen.build.theme`); the Markdown
extensions the configuration names are checked here too.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass

from sitegen.build.load import SourceFile, StaticFile, discover_sources, discover_static
from sitegen.build.theme import Theme, load_theme
from sitegen.core.config import CONFIG_FILE, Site
from sitegen.core.diagnostics import Diagnostic, error


@dataclass(frozen=True)
class Inputs:
    """The theme (None when it cannot be used), the article sources, the static files and
    the site-relative paths of the other files under `content/` (images …)."""

    theme: Theme | None
    sources: tuple[SourceFile, ...]
    static: tuple[StaticFile, ...]
    content_files: tuple[str, ...] = ()

    def without_sources(self) -> Inputs:
        """These inputs once parsed: the sources' bytes are let go before rendering."""
        return dataclasses.replace(self, sources=())


def load_inputs(
    site: Site, known: Mapping[str, tuple[str, str]] | None = None
) -> tuple[Inputs, list[Diagnostic]]:
    """Read the site's theme, sources and static files; report what cannot be used.
    `known`: digests recorded by stamp (`discover_sources`): those sources are not read."""
    config = site.config
    problems = []
    if config.markdown.extensions:  # Python-Markdown is imported only when a site names some
        from sitegen.build.markdown_html import check_extensions

        problems += [
            error(CONFIG_FILE, None, f"unknown Markdown extension {name!r}")
            for name in check_extensions(config.markdown)
        ]
    theme, found = load_theme(config.theme, site.themes_dir, site.root)
    problems += found
    sources, others, found = discover_sources(
        site.content_dir, site.root, config.limits.max_file_bytes, known
    )
    problems += found
    static, found = discover_static(site.static_dir, site.root)
    problems += found
    return Inputs(theme, sources, static, others), problems

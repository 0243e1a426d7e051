"""The load stage: Site → Inputs, everything a build reads before parsing.

The theme (and every theme it extends), the article sources under `content/` and the site's
static files, read from disk once (`sitegen.build.load`, `sitegen.build.theme`); the Markdown
extensions the configuration names are checked here too.

`start_load` reads the theme and returns a `Loading`, which reads the sources as they are
taken (the parse stage takes them as they come, so parsing overlaps reading), then the static
files; `load_inputs` reads everything at once.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from sitegen.build.load import SourceFile, StaticFile, discover_static, read_sources
from sitegen.build.parallel import taking
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
        """These inputs once parsed: what the sources' records hold is let go before rendering."""
        return dataclasses.replace(self, sources=())


class Loading:
    """The load stage under way: the theme read; the article sources read as `sources`
    gives them, then the static files (`inputs`).

    `known`: digests recorded by stamp by an earlier build (`discover_sources`): those
    sources are not read. `read_all` reads every source first (the pipeline, to find whether
    the build is unchanged before parsing).
    """

    def __init__(self, site: Site, known: Mapping[str, tuple[str, str]] | None = None) -> None:
        config = site.config
        self.site = site
        self.problems: list[Diagnostic] = []
        if config.markdown.extensions:  # Python-Markdown is imported only when a site names some
            from sitegen.build.markdown_html import check_extensions

            self.problems += [
                error(CONFIG_FILE, None, f"unknown Markdown extension {name!r}")
                for name in check_extensions(config.markdown)
            ]
        self.theme, found = load_theme(config.theme, site.themes_dir, site.root)
        self.problems += found
        self.others: list[str] = []
        self.found: list[Diagnostic] = []  # the sources' problems, as they are read
        content, limit = site.content_dir, config.limits.max_file_bytes
        self._reading = read_sources(content, site.root, limit, known, self.others, self.found)
        self._read: list[SourceFile] = []  # the sources read ahead (`read_all`), not yet given
        self.recorded: list[SourceFile] = []  # each source given, without its bytes
        self._inputs: tuple[Inputs, list[Diagnostic]] | None = None

    def sources(self) -> Iterator[SourceFile]:
        """Each article source, read as it is taken (or read ahead); each is given once."""
        read, self._read = self._read, []
        yield from taking(read)  # each let go once given
        for source in self._reading:
            self.recorded.append(source.as_recorded())
            yield source

    def read_all(self) -> tuple[Inputs, list[Diagnostic]]:
        """Read every source now (`sources` then gives them) and give the inputs."""
        for source in self._reading:
            self._read.append(source)
            self.recorded.append(source.as_recorded())
        return self.inputs()

    def inputs(self) -> tuple[Inputs, list[Diagnostic]]:
        """The inputs once every source is read, the sources without their bytes
        (`SourceFile.as_recorded`), and every problem of the stage (read once)."""
        if self._inputs is None:
            static, found = discover_static(self.site.static_dir, self.site.root)
            inputs = Inputs(self.theme, tuple(self.recorded), static, tuple(self.others))
            self._inputs = inputs, [*self.problems, *self.found, *found]
        return self._inputs


def start_load(site: Site, known: Mapping[str, tuple[str, str]] | None = None) -> Loading:
    """The load stage begun: the theme read, the sources to be read as they are taken."""
    return Loading(site, known)


def load_inputs(
    site: Site, known: Mapping[str, tuple[str, str]] | None = None
) -> tuple[Inputs, list[Diagnostic]]:
    """Read the site's theme, sources and static files; report what cannot be used.
    `known`: digests recorded by stamp (`discover_sources`): those sources are not read."""
    loading = start_load(site, known)
    sources = tuple(loading.sources())
    inputs, problems = loading.inputs()
    return dataclasses.replace(inputs, sources=sources), problems

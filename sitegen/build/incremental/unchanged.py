"""A build whose inputs equal the previous build's: found before any stage runs, and given
back whole. Only what that needs is imported here (no stage module): a build that changes
nothing imports none of them (`sitegen.build.pipeline` imports the stages after this check).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING

from sitegen.build.incremental.fingerprints import canonical_digest, engine_digest, theme_uses_clock
from sitegen.build.incremental.stores import BuildCache
from sitegen.build.incremental.summary import BuildSummary
from sitegen.build.inputs import Inputs
from sitegen.build.progress import Progress
from sitegen.build.result import BuildOptions, BuildResult, BuildStats
from sitegen.core.config import Site
from sitegen.core.diagnostics import Diagnostic

if TYPE_CHECKING:
    from sitegen.build.theme import Theme


class PreviousBuild:
    """The cache's answer to "is this the previous build again?" for one build of `site`
    (`cache` None: never). `Reuse` carries on from it for a build that changes things."""

    def __init__(self, site: Site, options: BuildOptions, cache: BuildCache | None) -> None:
        self.site = site
        self.options = options
        self.cache = cache
        self.inputs = ""  # the digest of the inputs, once known
        self.frame = ""  # the digest of the inputs but the sources, once known
        self.sources: dict[str, str] = {}  # each source's digest, once known

    def known_sources(self) -> Mapping[str, tuple[str, str]] | None:
        """The sources' digests recorded by stamp (`load_inputs`'s `known`)."""
        return self.cache.known_sources() if self.cache else None

    def recorded(self) -> bool:
        """Whether a previous build is recorded: one `previous_build` may find equal."""
        return self.cache is not None and self.cache.recorded_build()

    def previous_build(self, inputs: Inputs) -> BuildSummary | None:
        """The previous build, when it read these very inputs and its files are still there.
        Records the sources' stamps and digests for the next build's load stage."""
        if self.cache is None or inputs.theme is None:
            return None
        site, options = self.site, self.options
        self.cache.keep_sources({s.path: (s.stamp, s.digest) for s in inputs.sources if s.stamp})
        self.frame = canonical_digest(
            [
                engine_digest(),
                repr(site.config),
                inputs.theme.digest(),
                [options.drafts, options.future],
                options.now.isoformat() if theme_uses_clock(inputs.theme) else "",
                [[f.url_path, hashlib.sha256(f.data).hexdigest()] for f in inputs.static],
                inputs.content_files,  # the names of the image files
            ]
        )
        self.sources = {s.path: s.digest for s in inputs.sources}
        self.inputs = canonical_digest([self.frame, [[s.path, s.digest] for s in inputs.sources]])
        return self.cache.unchanged_build(self.inputs, options.now.timestamp(), site.root)

    def reused(
        self, inputs: Inputs, problems: list[Diagnostic], started: float, progress: Progress
    ) -> BuildResult | None:
        """The previous build when it read these very inputs, else the previous build with
        its edited articles' pages made again (`edited_build`); None: a whole build is needed.
        `problems`: the load stage's; `started`: when the build started (`time.monotonic`)."""
        if previous := self.previous_build(inputs):
            progress.finish()
            seconds = time.monotonic() - started
            return self.unchanged_result(previous, seconds, len(inputs.sources), inputs.theme)
        return self.edited_build(inputs, problems, started, progress)

    def edited_build(
        self, inputs: Inputs, problems: list[Diagnostic], started: float, progress: Progress
    ) -> BuildResult | None:
        """The previous build with only its edited articles' pages made again, when the
        edits leave every article where it was (`sitegen.build.incremental.edits`); None
        when that cannot be shown (the whole build follows). After `previous_build`;
        `problems`: the load stage's."""
        if self.cache is None or not self.frame:
            return None
        from sitegen.build.incremental.edits import patch_build

        return patch_build(self, inputs, problems, started, progress)

    def unchanged_result(
        self, previous: BuildSummary, seconds: float, sources: int, theme: Theme | None
    ) -> BuildResult:
        """The result of a build whose inputs equal the previous build's: its files, as they
        are (`previous` comes from `previous_build`); `sources`: the source files found;
        `theme`: the theme loaded."""
        assert self.cache is not None
        self.cache.finish({}, previous)
        files = self.cache.previous_files(list(previous.files))
        return BuildResult(
            files,
            previous.diagnostics,
            BuildStats(
                previous.articles,
                previous.pages,
                len(files),
                len(previous.image_inputs),
                seconds=seconds,
                sources=sources,
            ),
            sources=previous.sources,
            assets=previous.assets,
            aliases=previous.aliases,
            unchanged=files.stored,
            notices=self.notices(),
            search_key=previous.search_key,
            theme=theme,
        )

    def notices(self) -> tuple[Diagnostic, ...]:
        """Problems with the cache itself (it was then ignored)."""
        return tuple(self.cache.take_warnings()) if self.cache else ()

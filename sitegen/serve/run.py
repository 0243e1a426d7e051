"""`sitegen serve`: build, serve the last good build from memory, rebuild on every change.

Data flows one way: watchdog → Collector (watch.py) → RebuildLoop (loop.py) → PreviewState
(state.py) → PreviewServer threads (http.py) → browsers. This module only starts and stops
those pieces, and adapts the pipeline's build to the loop's builder interface. Nothing here
writes the output folder.
"""

from __future__ import annotations

import threading
import time
import webbrowser
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TextIO
from urllib.parse import quote, unquote

from watchdog.observers.api import BaseObserver

from sitegen.build.load import ARTICLE_SUFFIXES, is_ignored, read_source
from sitegen.build.parallel import start_fork_server
from sitegen.build.pipeline import BuildOptions, build
from sitegen.build.publish import keep_in_memory
from sitegen.build.result import SiteFiles
from sitegen.build.routes import Routes
from sitegen.build.theme import builtin_themes_dir
from sitegen.core.config import load_site
from sitegen.serve.http import PreviewServer, is_loopback
from sitegen.serve.loop import Builder, Followup, PreviewBuild, QuickBuilder, RebuildLoop
from sitegen.serve.saved import FrameSaver, RecordingCache, restore
from sitegen.serve.state import PreviewState
from sitegen.serve.watch import ChangeSet, Collector, WatchedSite, start_observer

if TYPE_CHECKING:  # imported when first used: a restart shows the saved site without them
    from sitegen.build.quick import PageBasis


@dataclass(frozen=True)
class ServeOptions:
    """Where to listen and how to watch."""

    host: str = "127.0.0.1"
    port: int = 8000
    poll: bool = False
    open_browser: bool = False


class Preview:
    """A running preview: the server, the watcher and the rebuild loop of one site.

    The constructor only binds the port (raising OSError when it is taken); `start` starts
    watching and serving and builds once (showing a `restore`d site meanwhile); `run`
    rebuilds until `stop` is called. `quick` gives files to show before each rebuild.
    `loop.followups` runs the work left after each build (the search index).
    """

    def __init__(
        self,
        builder: Builder,
        site: WatchedSite,
        options: ServeOptions,
        out: TextIO,
        *,
        quick: QuickBuilder | None = None,
        restore: Callable[[], tuple[Mapping[str, bytes], str] | None] | None = None,
        state: PreviewState | None = None,
    ) -> None:
        self._restore = restore
        self._out = out
        self.state = state or PreviewState()
        self.server = PreviewServer(self.state, options.host, options.port)
        self.loop = RebuildLoop(builder, self.state, out, root=site.root, quick=quick)
        self._collector = Collector(site)
        self._poll = options.poll
        self._stop = threading.Event()
        self._observer: BaseObserver | None = None
        self._http = threading.Thread(target=self.server.serve_forever, name="preview-http")
        self._http.daemon = True

    @property
    def url(self) -> str:
        """Where the site is served, including the base path of the current build."""
        return self.server.url + quote(self.state.current.base_path[1:])

    def start(self) -> None:
        """Watch, serve, build once (requests wait for a first site to show). With `restore`,
        the site the last preview saved is shown at once, while the build runs."""
        self._observer = start_observer(self._collector, poll=self._poll)
        self._http.start()
        started = time.perf_counter()
        saved = self._restore() if self._restore else None
        if saved is not None:
            self.state.publish(*saved)
            seconds = time.perf_counter() - started
            self._out.write(
                f"Serving {self.url}: the site saved by the last session, read in {seconds:.2f} s; "
                "building\n"
            )
            self._out.flush()
        self.loop.build(ChangeSet(initial=True))

    def run(self) -> None:
        """Rebuild on every change until `stop`."""
        self.loop.run(self._collector, self._stop)

    def stop(self) -> None:
        """Stop watching, release waiting browsers, close the socket."""
        self._stop.set()
        self._collector.wake()
        self.loop.close()
        self.state.close()
        if self._observer is not None:
            self._observer.stop()
        if self._http.is_alive():
            self.server.shutdown()
        self.server.server_close()
        if self._observer is not None:
            self._observer.join(timeout=2)


def exposure_warning(host: str) -> str | None:
    """The warning printed when the preview listens beyond this machine."""
    if is_loopback(host):
        return None
    return (
        f"warning: listening on {host}: anyone who can reach this address can read the "
        "preview, drafts included"
    )


def run_preview(make: Callable[[], Preview], options: ServeOptions, out: TextIO) -> int:
    """Serve the preview `make` gives until Ctrl-C; returns the exit code (0, or 2 when the
    address is unusable)."""
    try:
        preview = make()
    except OSError as exc:
        out.write(f"error: cannot listen on {options.host}:{options.port}: {exc.strerror}\n")
        out.write("hint: another server may be using the port; try --port with another number\n")
        return 2
    warning = exposure_warning(options.host)
    if warning:
        out.write(warning + "\n")
    try:
        preview.start()
        out.write(f"Serving {preview.url} (Ctrl-C to stop)\n")
        out.flush()
        if options.open_browser:
            webbrowser.open(preview.url)
        preview.run()
    except KeyboardInterrupt:
        out.write("\nStopped.\n")
    finally:
        preview.stop()
    return 0


class SiteBuilder:
    """The pipeline as a preview builder: re-read sitegen.yaml, build the whole site in memory.

    `now` is taken at every build, so future-dated articles appear once their time comes. A
    `MemoryCache` keeps the last good build, so a rebuild parses and renders only what changed.
    The search index is not waited for: a build whose articles changed is shown with the
    previous index, and the new one is merged in when it is ready (a `Followup`).
    `quick` makes an edited article's page from the last good build's plan
    (`sitegen.build.quick`), shown before the whole build. `early`, when given, is handed
    the first build's site as soon as it is planned, its pages rendered when asked for
    (`PlannedSite`), with its base path: shown while the rest renders.
    """

    def __init__(
        self,
        root: Path,
        *,
        drafts: bool = False,
        future: bool = False,
        early: Callable[[Mapping[str, bytes], str], object] | None = None,
    ) -> None:
        self.root = root.resolve()
        self.drafts = drafts
        self.future = future
        self.early = early
        self.cache = RecordingCache()
        self._basis: PageBasis | None = None
        self._saver: FrameSaver | None = None

    def options(self, planned: Callable[[PageBasis], None] | None = None) -> BuildOptions:
        """The options of every build: drafts and future as asked, at the current time."""
        return BuildOptions(
            drafts=self.drafts, future=self.future, defer_search=True, planned=planned
        )

    def restore(self) -> tuple[SiteFiles, str] | None:
        """The site the last preview of this folder saved, when a build now would make it
        (`sitegen.serve.saved`), with its base path; shown while the first build runs."""
        site, _ = load_site(self.root)
        found = restore(site, self.options()) if site is not None else None
        if site is None or found is None:
            return None
        files, base_path, search = found
        self._saver = FrameSaver(site.state_dir)
        self._saver.restored(files)
        bundle = Routes(site.config).search_bundle()  # its partitions: not indexed again
        self.cache.keep_restored_search_index(files.under(bundle), search)
        return files, base_path

    def __call__(self, changes: ChangeSet) -> PreviewBuild:
        site, problems = load_site(self.root)
        if site is None:
            self._basis = None
            return PreviewBuild(None, tuple(problems))
        from sitegen.build.quick import PlannedSite  # the stages: after a restored site is shown

        base_path = unquote(site.config.base_path)
        planned: list[PageBasis] = []

        def on_planned(basis: PageBasis) -> None:
            planned.append(basis)
            if changes.initial:
                basis.prepare()  # for quick pages: now, while the build is long anyway
                if self.early is not None:
                    self.early(PlannedSite(basis), base_path)

        result = build(site, self.options(on_planned), cache=self.cache)
        if not result.ok:
            self._basis = None
        elif planned:  # else an unchanged build: it read the very inputs of the last one
            planned[0].carry_over(self._basis)  # the compiled templates, when still right
            self._basis = planned[0]
        kept, search = keep_in_memory(result, self.cache)
        snapshot = None if kept is None else dict(kept)  # pages inflated once, then shared
        bundle = Routes(site.config).search_bundle()
        saver = self._saver = self._saver or FrameSaver(site.state_dir)
        if snapshot is not None and self.cache.summary is not None:
            saver.save(
                snapshot,
                self.cache.summary,
                base_path,
                self.cache.known_sources(),
                self.cache.search_folders(),
            )
        followup = None
        if search is not None:
            make = search.make

            def make_and_save() -> Mapping[str, bytes]:
                files = make()
                saver.amend(bundle, files, self.cache.search_folders())
                return files

            followup = Followup(search.key, bundle, make_and_save, "search index")
        return PreviewBuild(snapshot, result.diagnostics, base_path, followup)

    def quick(self, changes: ChangeSet) -> Mapping[str, bytes] | None:
        """The pages of the articles edited in `changes`, made from the last good build; None
        unless every change is an edit of an article that stays in place."""
        basis = self._basis
        if basis is None or changes.initial or not changes.paths:
            return None
        site = basis.site
        content = site.content_dir
        sources = []
        for path in changes.paths:
            if path.suffix.lower() not in ARTICLE_SUFFIXES or not path.is_relative_to(content):
                return None
            if not path.is_file() or any(map(is_ignored, path.relative_to(content).parts)):
                return None
            within = (site.root, content.resolve())
            source, _ = read_source(path, site.root, site.config.limits.max_file_bytes, within)
            if source is None:
                return None
            sources.append(source)
        from sitegen.build.quick import quick_files

        return quick_files(basis, sources)


def site_builder(
    root: Path,
    *,
    drafts: bool = False,
    future: bool = False,
    early: Callable[[Mapping[str, bytes], str], object] | None = None,
) -> SiteBuilder:
    """The preview builder of the site in `root` (see `SiteBuilder`)."""
    return SiteBuilder(root, drafts=drafts, future=future, early=early)


def watched_site(root: Path) -> WatchedSite:
    """What to watch for the site in `root`: its sources and the built-in themes."""
    site, _ = load_site(root)
    output_dir = site.output_dir if site is not None else None
    return WatchedSite.at(root, builtin_themes=builtin_themes_dir(), output_dir=output_dir)


def site_preview(
    root: Path, options: ServeOptions, out: TextIO, *, drafts: bool = False, future: bool = False
) -> Preview:
    """The preview of the site in `root`, every piece connected: the first build shown as
    soon as it is planned, quick pages, the saved site restored. Raises OSError when the
    address cannot be used."""
    state = PreviewState()
    builder = site_builder(root, drafts=drafts, future=future, early=state.provisional)
    site = watched_site(root)
    return Preview(
        builder, site, options, out, quick=builder.quick, restore=builder.restore, state=state
    )


def serve_site(
    root: Path, options: ServeOptions, out: TextIO, *, drafts: bool = False, future: bool = False
) -> int:
    """`sitegen serve` for the site in `root`; returns the exit code. The build's workers come
    from a fork server (threads run), started now: its imports overlap the first build's
    own, so the parse's workers start at once."""
    start_fork_server()
    return run_preview(
        lambda: site_preview(root, options, out, drafts=drafts, future=future), options, out
    )

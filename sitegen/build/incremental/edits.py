"""A build after edits that leave every article where it was: only the pages that show an
edited article are made again, from what the previous build recorded (`EditStore`).

An article's *placement* is every fact of its `Article` that a stage other than its own view
and feed entry reads (`PLACEMENT_FIELDS`: all of them but its body, word count, source text
and summary): grouping, related articles, routes, plans, sitemaps, cards and emails' subjects
read only those, or the views. When the sources changed are articles of the previous build
whose placement is unchanged (same set of sources, configuration, theme, static files, engine
and build-time window), every page that does not show an edited article's view or feed entry
is the previous build's, byte for byte: its inputs are unchanged. The pages that do are found
by value: each page job was recorded with the views and entries it shows as references
(`edit_codec`), so they are the units whose references name an edited article; they are
rendered again around the article's new view (its facts made anew, its placement as recorded)
and entry. The search index keeps its partitions; the edited articles are indexed in a small
partition of their own (`search.overlay`). Anything this cannot show (a new, deleted or moved
article, a page or draft edited, a body with images, a problem anywhere, a theme showing times
relative to the build) falls back to the whole build.

`edit_record.record_edits` keeps the store up to date after a whole build: only rows whose
view digest or page fingerprint changed are written again.
"""

from __future__ import annotations

import dataclasses
import hashlib
import marshal
import pickle
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Protocol

from sitegen.build.editions import in_edition
from sitegen.build.email.stage import email_view
from sitegen.build.feeds import entry_body, json_feed
from sitegen.build.incremental.edit_codec import (
    ENTRY,
    VIEW,
    config_resolver,
    edition_configs,
    pack_plain,
    unpack,
    unpack_plain,
)
from sitegen.build.incremental.edit_record import EMAIL, JSON, PAGE, SEARCH, placement_digest
from sitegen.build.incremental.edit_store import MARSHAL_VERSION, EditRows, EditStore
from sitegen.build.load import read_bytes
from sitegen.build.model import Article, model_articles
from sitegen.build.parallel import StageRunner
from sitegen.build.parse import parse, parse_setup, prepare_parser
from sitegen.build.plan import PageJob, with_context
from sitegen.build.render import RenderSetup, render_pages
from sitegen.build.result import BuildOptions, BuildResult, BuildStats, OutputFiles, SiteFiles
from sitegen.build.routes import Routes
from sitegen.build.views import View, article_facts
from sitegen.core.config import Site
from sitegen.core.diagnostics import Diagnostic

if TYPE_CHECKING:
    from sitegen.build.incremental.stores import BuildCache, DiskCache
    from sitegen.build.incremental.summary import BuildSummary
    from sitegen.build.inputs import Inputs
    from sitegen.build.progress import Progress

MAX_EDITS = 64  # more changed sources than this: the whole build


# -- the build after an edit -----------------------------------------------------------------
class Compared(Protocol):
    """A build whose inputs were compared with the previous build's
    (`unchanged.PreviousBuild`): its digests of them (`inputs`, `frame`: but the sources)."""

    site: Site
    options: BuildOptions
    cache: BuildCache | None
    inputs: str
    frame: str

    def notices(self) -> tuple[Diagnostic, ...]: ...


class _Fallback(Exception):
    """The edits cannot be shown to leave every other page as it was."""


def patch_build(
    check: Compared,
    inputs: Inputs,
    problems: list[Diagnostic],
    started: float,
    progress: Progress,
) -> BuildResult | None:
    """The build of `inputs` from the previous one and its edited articles, or None when the
    whole build must run (see the module). `check` has compared the inputs already;
    `problems`: the load stage's (each one the previous build's too)."""
    cache: DiskCache = check.cache  # type: ignore[assignment]
    store, summary = cache.edit_store(), cache.recorded_summary()
    if store is None or summary is None or inputs.theme is None:
        return None
    try:
        if not set(problems) <= set(summary.diagnostics):
            return None
        return _Patch(check, inputs, store, summary).build(started, progress)
    except _Fallback:
        return None
    except (
        EOFError,
        IndexError,
        KeyError,
        TypeError,
        ValueError,
        AttributeError,
        pickle.UnpicklingError,
    ):
        return None  # a record not as written: the whole build, which writes it anew
    finally:
        store.close()


class _Patch:
    def __init__(
        self, check: Compared, inputs: Inputs, store: EditStore, summary: BuildSummary
    ) -> None:
        self.check, self.inputs, self.store, self.summary = check, inputs, store, summary
        self.cache: DiskCache = check.cache  # type: ignore[assignment]
        self.site, self.options = check.site, check.options
        self.config = check.site.config
        self.resolve_config = config_resolver(self.config)

    def _require(self, condition: object) -> None:
        if not condition:
            raise _Fallback

    def build(self, started: float, progress: Progress) -> BuildResult:
        site, options, summary, store = self.site, self.options, self.summary, self.store
        header = store.header()
        self._require(
            header.get("tag") == summary.inputs and header.get("frame") == self.check.frame
        )
        self._require(options.planned is None)
        self._require(summary.valid_when(options.now.timestamp(), site.root))
        recorded = marshal.loads(header["sources"])  # type: ignore[arg-type]
        current = {s.path: s for s in self.inputs.sources}
        self._require(recorded.keys() == current.keys())
        changed = sorted(p for p, s in current.items() if s.digest != recorded[p])
        self._require(0 < len(changed) <= MAX_EDITS)
        self._require(not any(d.path in changed for d in summary.diagnostics))
        articles = self._model(changed, store.articles())
        old_views = self._views(changed)
        self._require(not any("<img" in str(old_views[a.path]["html"]) for a in articles))
        self.fresh = {a.path: {**old_views[a.path], **article_facts(a)} for a in articles}
        self.entries = self._entries(articles)
        units = store.touched(changed)
        shown = {a for _, refs, _ in units.values() for a in refs} - set(changed)
        self.views = {**self._views(shown), **self.fresh}
        self.entries = {**self._stored_entries(shown), **self.entries}
        sites, placed, metadata = unpack(header["setup"], self._resolve)  # type: ignore[arg-type]
        jobs, made = self._units(units, metadata.routes)
        setup = RenderSetup(
            self.inputs.theme,
            self.config,
            sites,
            placed,
            options.now,
            metadata,
            site.state_dir,  # type: ignore[arg-type]
        )
        packed, problems = render_pages(jobs, setup, StageRunner(options.jobs, progress))
        self._require(not problems and len(packed) == len(jobs))
        untouched = [p for p in summary.files if p not in packed and p not in made]
        self._require(self.cache.unchanged_files(untouched))
        listed = list(summary.files)
        self.search: bytes | None = None
        if summary.search_key is not None:
            searched = self._search(articles, old_views, header.get(SEARCH))
            if searched:
                from sitegen.build.search.overlay import is_overlay_file

                listed = [p for p in listed if not is_overlay_file(p)]
                listed += sorted(searched.keys() - set(listed))
                made.update(searched)
                kept = set(listed) - searched.keys()
                untouched = [p for p in untouched if p in kept]
                self.summary = summary = dataclasses.replace(
                    summary,
                    files=tuple(listed),
                    sources={
                        **{p: s for p, s in summary.sources.items() if p in kept},
                        **dict.fromkeys(searched, ("search index", None)),
                    },
                )
        files = SiteFiles(listed, made, packed, stored=OutputFiles(site.output_dir, untouched))
        self._record(articles, units, packed, made)
        stats = BuildStats(
            summary.articles,
            summary.pages,
            len(files),
            len(summary.image_inputs),
            seconds=time.monotonic() - started,
            sources=len(current),
            parsed=len(changed),
            rendered=len(packed),
        )
        progress.finish()
        return BuildResult(
            files,
            summary.diagnostics,
            stats,
            sources=summary.sources,
            assets=summary.assets,
            aliases=summary.aliases,
            unchanged=files.stored,
            notices=self.check.notices(),
            theme=self.inputs.theme,
        )

    def _model(
        self, changed: list[str], known: Mapping[str, tuple[str, str, str]]
    ) -> list[Article]:
        """The edited articles, parsed and modelled; each must be one of the previous build's
        articles, without any problem, in the same place."""
        self._require(all(path in known for path in changed))
        settings, renderer = prepare_parser(parse_setup(self.config, self.options.source_texts))
        documents = []
        sources = {s.path: s for s in self.inputs.sources}
        for path in changed:
            source, problem = read_bytes(sources[path], self.site.root)
            self._require(source is not None and problem is None)
            document, problems = parse(source, settings, renderer)  # type: ignore[arg-type]
            self._require(document is not None and not problems and "<img" not in document.html)
            documents.append(document)
        options = self.options
        visible, problems = model_articles(
            documents, self.config, drafts=options.drafts, future=options.future, now=options.now
        )
        articles = [in_edition(a, self.config) for a in visible.articles]
        self._require(not problems and len(articles) == len(changed))
        self._require(all(placement_digest(a) == known[a.path][0] for a in articles))
        return articles

    def _resolve(self, kind: str, name: str) -> Any:
        if kind == VIEW:
            return self.views[name]
        if kind == ENTRY:
            return self.entries[name]
        return self.resolve_config(kind, name)

    def _views(self, paths: set[str] | list[str]) -> dict[str, View]:
        """The recorded views of these articles, each body read from the parse cache when it
        was recorded by its parse key."""
        rows = self.store.views(paths)
        self._require(rows.keys() == set(paths))
        keys = [key for key, _ in rows.values() if key]
        bodies = self.cache.parsed_few(keys)
        found = {}
        for path, (key, value) in rows.items():
            view = unpack_plain(value)
            if key:
                self._require(key in bodies)
                view["html"] = bodies[key][0].html
            found[path] = view
        return found

    def _entries(self, articles: list[Article]) -> dict[str, View]:
        """The edited articles' feed entries (those that have one), their body made anew."""
        made = {}
        for path, entry in self._stored_entries({a.path for a in articles}).items():
            article = next(a for a in articles if a.path == path)
            config = edition_configs(self.config)[self.config.edition_of(article.lang)]
            made[path] = {**entry, **entry_body(article, entry["url"], config)}
        return made

    def _stored_entries(self, paths: set[str]) -> dict[str, View]:
        return {p: unpack_plain(v) for p, v in self.store.entries(paths).items()}

    def _search(
        self, articles: list[Article], old_views: Mapping[str, View], recorded: object
    ) -> dict[str, bytes]:
        """The search index's files that the edits change (none when no article's title or
        body changed): the edited articles' partition (`search.overlay`) and each language's
        `sitegen-search.js`. `recorded`: the store's search row (`SEARCH`)."""
        from sitegen.build.search.index import SearchIndexError
        from sitegen.build.search.overlay import Overlay, hits_in_folder
        from sitegen.build.search.stage import article_record

        self._require(isinstance(recorded, bytes) and recorded)
        overlay = Overlay.unpack(recorded)  # type: ignore[arg-type]
        configs = edition_configs(self.config)
        records = []
        for article in articles:
            view, old = self.fresh[article.path], old_views[article.path]
            if (view["title"], str(view["html"])) != (old["title"], str(old["html"])):
                edition = self.config.edition_of(article.lang)
                records.append(article_record(view, edition, configs[edition]))
        if not records:
            return {}
        try:
            overlay = overlay.with_edits(records, hits_in_folder(self.site.output_dir))
            files = overlay.files()
        except (LookupError, OverflowError, SearchIndexError):
            raise _Fallback from None  # the whole build: the partitions made again, or the failure
        self.search = overlay.pack()
        return files

    def _units(
        self, units: Mapping[str, tuple[str, list[str], bytes]], routes: Routes
    ) -> tuple[list[PageJob], dict[str, bytes]]:
        """The page jobs of the units touched, and the JSON feeds made again."""
        jobs, made = [], {}
        for key, (kind, _, value) in units.items():
            found = unpack(value, self._resolve)
            if kind == JSON:
                made[key] = json_feed(found)
            elif kind == EMAIL:
                job, basis = found
                jobs.append(with_context(job, {"email": email_view(basis, self.config, routes)}))
            else:
                self._require(kind == PAGE and isinstance(found, PageJob))
                jobs.append(found)
        return jobs, made

    def _record(
        self,
        articles: list[Article],
        units: Mapping[str, tuple[str, list[str], bytes]],
        packed: Mapping[str, bytes],
        made: Mapping[str, bytes],
    ) -> None:
        """Keep this build as the previous one: the page cache's fingerprints (the pages made
        again get their own, which no whole build makes: it renders them once more), the summary,
        the store's rows of the edited articles and the search index's edits."""
        check, summary = self.check, self.summary
        fingerprints = self.cache.recorded_fingerprints()
        for path in fingerprints.keys() - set(summary.files):
            del fingerprints[path]  # an `edits` partition's file no longer made
        for path, data in packed.items():
            fingerprints[path] = "edit:" + hashlib.sha256(data).hexdigest()
        for path, data in made.items():
            fingerprints[path] = "sha256:" + hashlib.sha256(data).hexdigest()
        rows = EditRows()
        for article in articles:
            path = article.path
            rows.articles[path] = (placement_digest(article), "", "")  # written again when whole
            rows.views[path] = ("", pack_plain(self.fresh[path]))
            if path in self.entries:
                rows.entries[path] = ("", pack_plain(self.entries[path]))
        rows.stale_units = set(units)
        rows.header = {
            "tag": check.inputs,
            "sources": marshal.dumps(
                {s.path: s.digest for s in self.inputs.sources}, MARSHAL_VERSION
            ),
        }
        if self.search is not None:
            rows.header[SEARCH] = self.search
        self.store.write([rows])
        self.cache.finish(fingerprints, dataclasses.replace(summary, inputs=check.inputs))

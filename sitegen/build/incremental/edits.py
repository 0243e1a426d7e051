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
and entry. Anything this cannot show (a new, deleted or moved article, a page or draft edited,
a body with images, a problem anywhere, a search index, a theme showing times relative to the
build) falls back to the whole build.

`record_edits` keeps the store up to date after a whole build: only rows whose view digest or
page fingerprint changed are written again.
"""

from __future__ import annotations

import dataclasses
import hashlib
import marshal
import pickle
import time
from collections.abc import Iterator, Mapping
from dataclasses import fields
from typing import TYPE_CHECKING, Any, Protocol

from sitegen.build.email.stage import email_view
from sitegen.build.feeds import entry_body, json_feed
from sitegen.build.incremental.edit_codec import (
    ENTRY,
    VIEW,
    CannotStore,
    Packer,
    config_resolver,
    edition_configs,
    pack_plain,
    unpack,
    unpack_plain,
)
from sitegen.build.incremental.edit_store import MARSHAL_VERSION, EditRows, EditStore
from sitegen.build.incremental.fingerprints import Fingerprinter
from sitegen.build.load import read_bytes
from sitegen.build.model import Article, model_articles
from sitegen.build.parallel import StageRunner
from sitegen.build.parse import parse, parse_setup, prepare_parser
from sitegen.build.plan import PageJob, SitePlan, with_context
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

# What of an article only its own view and feed entry show: all other fields are placement.
BODY_FIELDS = frozenset(("html", "word_count", "source_text", "summary"))
PLACEMENT_FIELDS = tuple(f.name for f in fields(Article) if f.name not in BODY_FIELDS)
MAX_EDITS = 64  # more changed sources than this: the whole build
RECORD_BATCH = 2_000  # views or units encoded before they are written
EMAIL, PAGE, JSON = "email", "page", "json"  # the kinds of units


def placement_digest(article: Article) -> str:
    """A digest of the article's `PLACEMENT_FIELDS` (their `repr`: dates with their zone)."""
    text = repr(tuple(getattr(article, name) for name in PLACEMENT_FIELDS))
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


# -- recording, after a whole build ------------------------------------------------------------
def record_edits(store: EditStore, previous: str | None, *made: Any) -> None:
    """`_record_edits`, or an emptied store when the build holds a value it cannot keep."""
    try:
        _record_edits(store, previous, *made)
    except CannotStore:
        _unusable(store)


def _record_edits(
    store: EditStore,
    previous: str | None,
    plan: SitePlan,
    setup: RenderSetup,
    built: tuple[str, str, Mapping[str, str]],
    fingerprints: Mapping[str, str],
    views: Mapping[str, str],
    sources: Mapping[str, tuple[str, str, str]],
) -> None:
    """Record what a later build after an edit needs of this one. `previous`: the inputs
    digest of the build recorded before (rows equal to its are not written again); `built`:
    this build's inputs digest, the digest of its inputs but the sources, and each source's
    digest; `fingerprints` of its files; `views`: each article view's digest; `sources`:
    each source's parse result body, parse key and model key (`Reuse.bodies`, `.models`)."""
    header = store.header()
    whole = previous is None or header.get("tag") != previous
    store.write(
        _record_rows(store, whole, plan, setup, built, fingerprints, views, sources), whole=whole
    )


def _record_rows(
    store: EditStore,
    whole: bool,
    plan: SitePlan,
    setup: RenderSetup,
    built: tuple[str, str, Mapping[str, str]],
    fingerprints: Mapping[str, str],
    views: Mapping[str, str],
    sources: Mapping[str, tuple[str, str, str]],
) -> Iterator[EditRows]:
    """`_record_edits`'s rows in batches of at most `RECORD_BATCH` views or units (at 100,000
    articles all of them are 0.6 GB), the last with what is gone and the header."""
    known = {} if whole else store.articles()
    units = {} if whole else store.fingerprints()
    entries_known = {} if whole else store.entry_digests()
    view_ids = {id(view): path for path, view in plan.views.items()}
    by_url = {view["absolute_url"]: path for path, view in plan.views.items()}
    listed = {id(e): e for feed in plan.feeds.values() for e in feed["entries"]}
    entries = {by_url[e["url"]]: e for e in listed.values() if e["url"] in by_url}
    # every entry an article's own (else a page showing it could not be found by value)
    whole_entries = len(entries) == len(listed)
    packer = Packer(view_ids, {id(e): p for p, e in entries.items()}, edition_configs(plan.config))
    rows = EditRows()
    for article in plan.articles:
        path, view = article.path, plan.views[article.path]
        body, parsed, model = sources.get(path, ("", "", ""))
        digest = views.get(path, "")
        if (old := known.get(path)) and old[1:] == (digest, model) and digest and model:
            continue  # the same article (its model key), the same view
        rows.articles[path] = (placement_digest(article), digest, model)
        key = parsed if body and view["html"] == body else ""  # the parse key stands for it
        rows.views[path] = (key, pack_plain({**view, "html": None} if key else view))
        if len(rows.views) >= RECORD_BATCH:
            yield rows
            rows = EditRows()
    rows.gone_articles = known.keys() - plan.views.keys()
    digests = Fingerprinter().digest
    for path, entry in entries.items():
        found = digests(entry)
        if entries_known.get(path) != found:
            rows.entries[path] = (found, pack_plain(entry))
    rows.gone_entries = entries_known.keys() - entries.keys()
    keys = set()
    for job in plan.jobs:
        key = Routes.output_file(job.path)
        keys.add(key)
        fingerprint = fingerprints.get(key, "")
        if fingerprint and units.get(key) == fingerprint:
            continue
        basis = plan.email_bases.get(job.path)
        if basis is not None:  # its `email` is made again from the basis
            kind, value = EMAIL, packer.pack((with_context(job, {}), basis))
        else:
            kind, value = PAGE, packer.pack(job)
        rows.units[key] = (kind, fingerprint, value, packer.refs)
        if len(rows.units) >= RECORD_BATCH:  # written as they are made: not all held
            yield rows
            rows = EditRows()
    if "json" in plan.feed_kinds:
        for page, feed in plan.feeds.items():
            key = plan.routes.feed("json", page)
            keys.add(key)
            fingerprint = fingerprints.get(key, "")
            if not fingerprint or units.get(key) != fingerprint:
                rows.units[key] = (JSON, fingerprint, packer.pack(feed), packer.refs)
    rows.gone_units = units.keys() - keys
    tag, frame, sources = built
    parts = (dict(setup.sites), setup.placed, setup.metadata)
    rows.header = {
        "tag": tag if whole_entries else "",  # "": no build after an edit uses the store
        "frame": frame,
        "sources": marshal.dumps(dict(sources), MARSHAL_VERSION),
        "setup": packer.pack(parts),
    }
    yield rows


def _unusable(store: EditStore) -> None:
    """Empty the store: no build after an edit uses it until a whole build records it."""
    store.write([EditRows(header={"tag": ""})], whole=True)


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
        self._require(summary.search_key is None and options.planned is None)
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
        files = SiteFiles(
            list(summary.files), made, packed, stored=OutputFiles(site.output_dir, untouched)
        )
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
        articles = list(visible.articles)
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
        again get their own, which no whole build makes: it renders them once more), the summary
        and the store's rows of the edited articles."""
        check, summary = self.check, self.summary
        fingerprints = self.cache.recorded_fingerprints()
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
        self.store.write([rows])
        self.cache.finish(fingerprints, dataclasses.replace(summary, inputs=check.inputs))

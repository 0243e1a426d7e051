"""The stages a cache changes, wrapped: with a `BuildCache` they reuse what did not change;
without one (None) each is the plain stage.

- the whole build: a build whose inputs equal the previous build's gives its files as they are;
- parse: unchanged sources (by their bytes) come from the parse cache;
- render: pages whose fingerprint is unchanged are not rendered (`sitegen.build.incremental.pages`);
- search: each partition of the index whose records are unchanged is the memo's
  (`BuildCache.search_index`, by `partition_key`); only the others are indexed again.
"""

from __future__ import annotations

import hashlib
from collections import deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from sitegen.build.group import related_articles, related_inputs
from sitegen.build.incremental.fingerprints import canonical_digest, engine_digest
from sitegen.build.incremental.modeled import config_digest, model_key
from sitegen.build.incremental.pages import KnownInputs, RenderedPages, render_reusing
from sitegen.build.incremental.parsed import (
    CACHING_PARSE_STAGE,
    parse_key,
    parse_settings_digest,
)
from sitegen.build.incremental.stores import BuildCache
from sitegen.build.incremental.summary import BuildSummary
from sitegen.build.incremental.unchanged import PreviousBuild
from sitegen.build.load import SourceFile, read_bytes
from sitegen.build.model import Article, Visible, model_articles, to_article
from sitegen.build.parallel import StageRunner
from sitegen.build.parse import PARSE_STAGE, Document, Parsed, parse_setup, parse_sources
from sitegen.build.plan import SitePlan
from sitegen.build.render import RenderSetup
from sitegen.build.result import BuildOptions, BuildResult, Spooled
from sitegen.build.search.stage import search_records
from sitegen.build.spool import Spool
from sitegen.build.syndication.stage import PageMetadata
from sitegen.core.config import Site, SiteConfig
from sitegen.core.diagnostics import Diagnostic

if TYPE_CHECKING:  # the search index's modules are imported when a site has one
    from sitegen.build.incremental.stores import Modeled
    from sitegen.build.search.index import SearchRecord


@dataclass(frozen=True)
class SearchIndex:
    """The search stage's result: `key` identifies the whole index (None: the site has none);
    `files` are its files (bytes, the output file holding them, or where they wait in a
    spool) and `made_from` the key of
    the partition each partition file belongs to; `pending` the records of an index left to
    the caller (`BuildOptions.defer_search`); `partitions` the partitions' names, as
    `sitegen-search.js` lists them."""

    key: str | None = None
    files: Mapping[str, bytes | Path | Spooled] = field(default_factory=dict)
    made_from: Mapping[str, str] = field(default_factory=dict)
    pending: tuple[SearchRecord, ...] = ()
    partitions: tuple[str, ...] = ()


class SearchMemo(Protocol):
    """Where made partitions are kept (`BuildCache`'s search methods)."""

    def search_index(self, key: str) -> Mapping[str, bytes | Path] | None: ...

    def keep_search_index(self, key: str, files: Mapping[str, bytes]) -> None: ...


def partition_key(name: str, records: Sequence[SearchRecord]) -> str:
    """What one partition's bundle is made from: its name and records (with Pagefind's
    version, `search_index_key`) and sitegen itself."""
    from sitegen.build.search.index import search_index_key

    return "search:" + canonical_digest([engine_digest(), name, search_index_key(records)])


def index_search(
    records: Sequence[SearchRecord],
    memo: SearchMemo | None,
    *,
    defer: bool = False,
    spool: Path | None = None,
) -> tuple[SearchIndex, list[Diagnostic]]:
    """The search index of `records`: partitions kept in `memo` are reused, the others made
    (and kept); with `defer`, an index with any partition to make is left pending instead.
    With `spool` (a folder), each partition made waits there to be written (`Spool`), not
    in memory."""
    if not records:
        return SearchIndex(), []
    from sitegen.build.search.index import SearchIndexError
    from sitegen.build.search.partitions import entry_files, make_partitions, partition_records
    from sitegen.build.search.stage import index_problem

    parts = partition_records(records)
    keys = {name: partition_key(name, part) for name, part in parts.items()}
    key = "search:" + canonical_digest(list(keys.values()))
    found = {name: memo.search_index(k) if memo else None for name, k in keys.items()}
    missing = {name: parts[name] for name, files in found.items() if files is None}
    if missing and defer:
        return SearchIndex(key, pending=tuple(records)), []

    spooled = Spool(spool) if spool is not None and missing else None

    def keep(name: str, files: Mapping[str, bytes]) -> Mapping[str, bytes | Spooled]:
        if memo is not None:
            memo.keep_search_index(keys[name], files)
        if spooled is None:
            return files
        for path, data in files.items():
            spooled.put(path, data)
        return {path: Spooled(spooled, path) for path in files}

    try:
        made = make_partitions(missing, keep)
    except SearchIndexError as exc:
        return SearchIndex(key), [index_problem(exc)]
    files: dict[str, bytes | Path | Spooled] = {}
    made_from: dict[str, str] = {}
    for name in parts:
        part = found[name] or made[name]
        files.update(part)
        made_from.update((path, keys[name]) for path in part)
    files.update(entry_files(list(parts)))
    return SearchIndex(key, dict(sorted(files.items())), made_from, partitions=tuple(parts)), []


class Reuse(PreviousBuild):
    """The cache's side of one build of `site` (`cache` None: no reuse at all); `check`: the
    one that compared its inputs with the previous build's, if any
    (`PreviousBuild.previous_build`)."""

    def __init__(
        self,
        site: Site,
        options: BuildOptions,
        cache: BuildCache | None,
        check: PreviousBuild | None = None,
    ) -> None:
        super().__init__(site, options, cache)
        if check is not None:
            self.inputs, self.frame, self.sources = check.inputs, check.frame, check.sources
        self.planned: tuple[SitePlan, RenderSetup] | None = None
        self.bodies: dict[str, tuple[str, str]] = {}  # source path → (body, parse key)
        self.models: dict[str, tuple[Article, str]] = {}  # source path → (article, model key)

    def parse(
        self, sources: Iterable[SourceFile], site: Site, run: StageRunner
    ) -> tuple[list[Document], list[Diagnostic], int]:
        """The parse stage, taking unchanged sources from the cache (keyed by their bytes);
        also returns how many sources were parsed. The sources are taken as they come (as
        load reads them), each freed once parsed, each result stored as it comes."""
        cache, config = self.cache, site.config
        texts = self.options.source_texts
        if cache is None:
            taken = 0  # every source taken is parsed

            def counted() -> Iterator[SourceFile]:
                nonlocal taken
                for taken, source in enumerate(sources, 1):  # noqa: B007
                    yield source

            return (*parse_sources(counted(), config, run, texts), taken)
        setup = parse_setup(config, texts)
        settings = parse_settings_digest(setup)
        # each source taken, in order: its key and its result (the cache's; None: parsing)
        taken: deque[tuple[str, Parsed | None]] = deque()

        def todo() -> Iterator[SourceFile]:
            for source in sources:
                key = parse_key(source, settings)
                found = cache.parsed(key)
                if found is None:
                    read, problem = read_bytes(source, site.root)  # an `unread` one is read now
                    if read is not None:
                        taken.append((parse_key(read, settings), None))  # it may have changed
                        yield read
                        continue
                    found = (None, [problem])  # type: ignore[list-item]
                taken.append((key, found))  # type: ignore[arg-type]

        documents, problems, keys = [], [], set()

        def keep(key: str, result: Parsed) -> None:
            document, found = result
            keys.add(key)
            problems.extend(found)
            if document is not None:
                documents.append(document)
                self.bodies[document.path] = (document.html, key)

        stage = CACHING_PARSE_STAGE if cache.stores_encoded else PARSE_STAGE
        parsed = 0
        for document, found, *encoded in run.stream(stage, setup, todo()):  # type: ignore[arg-type]
            while taken[0][1] is not None:
                keep(*taken.popleft())  # type: ignore[arg-type]
            key = taken.popleft()[0]
            parsed += 1
            if document is not None:
                cache.store_parsed(key, document, found, encoded[0] if encoded else None)
            keep(key, (document, found))
        while taken:
            keep(*taken.popleft())  # type: ignore[arg-type]
        cache.keep_parsed(keys)
        return documents, problems, parsed

    def model(
        self, documents: Sequence[Document], config: SiteConfig
    ) -> tuple[Visible, list[Diagnostic]]:
        """The model stage; with a cache, each document's `to_article` result is kept by its
        `model_key` (its parse key and the configuration: `to_article` reads nothing else).
        `self.models` then maps each source path to its article and model key."""
        options, cache = self.options, self.cache
        results: dict[str, Modeled] = {}
        settings = config_digest(config)

        def make(document: Document, config: SiteConfig) -> tuple[Article | None, list[Diagnostic]]:
            key = model_key(self.bodies[document.path][1], settings)
            found = cache.modeled(key, document, config) if cache else None
            if found is None:
                article, problems = to_article(document, config)
                found = (article, tuple(problems))
            results[key] = found
            if found[0] is not None:
                self.models[document.path] = (found[0], key)
                # the article's body equals the document's: keep one copy of it, not two
                self.bodies[document.path] = (found[0].html, self.bodies[document.path][1])
            return found[0], list(found[1])

        modeled = model_articles(
            documents,
            config,
            drafts=options.drafts,
            future=options.future,
            now=options.now,
            make=make if cache else to_article,
        )
        if cache:
            cache.keep_modeled(results, config)
        return modeled

    def related(self, articles: tuple[Article, ...]) -> dict[str, tuple[Article, ...]]:
        """`related_articles`, kept in the cache by what it reads of every article
        (`related_inputs`): an edit to a body, or to anything else it does not read, scores
        nothing again."""
        if self.cache is None:
            return related_articles(articles)
        key = canonical_digest(related_inputs(articles))
        by_path = {a.path: a for a in articles}
        found = self.cache.memo("related", key)
        try:
            return {path: tuple(by_path[p] for p in found[path]) for path in by_path}
        except (KeyError, TypeError):  # none kept, or not for these articles
            made = related_articles(articles)
            self.cache.keep_memo("related", key, {p: [a.path for a in r] for p, r in made.items()})
            return made

    def render(
        self, plan: SitePlan, setup: RenderSetup, metadata: PageMetadata, run: StageRunner
    ) -> tuple[RenderedPages, list[Diagnostic]]:
        """The render stage, rendering only pages whose fingerprint changed."""
        self.planned = (plan, setup)
        articles = {a.path: a for a in plan.articles}
        known = KnownInputs(
            plan.views, articles, self.models, self.bodies, metadata, plan.email_bases
        )
        return render_reusing(plan.jobs, setup, run, self.cache, known)

    def search(self, plan: SitePlan) -> tuple[SearchIndex, list[Diagnostic]]:
        """The search stage: partitions of unchanged records are reused; with
        `defer_search` an index with a changed partition is left to the caller."""
        spool = self.site.state_dir  # the partitions made wait there to be written
        return index_search(
            search_records(plan), self.cache, defer=self.options.defer_search, spool=spool
        )

    def finish(
        self,
        result: BuildResult,
        valid: tuple[float | None, float | None],
        image_digests: dict[str, str],
        pages: RenderedPages,
        search: SearchIndex,
    ) -> None:
        """Record a successful build: its summary and the fingerprint of each of its files
        (pages by what they are made from, search partitions by their keys, the others by
        their bytes). `valid`: the build times at which a build of the same inputs makes the same
        files (`validity.valid_interval`)."""
        if self.cache is None:
            return
        fingerprints = dict(pages.fingerprints)
        fingerprints.update(search.made_from)
        for path in result.files:
            if path not in fingerprints:
                data = result.files[path]
                fingerprints[path] = "sha256:" + hashlib.sha256(data).hexdigest()
        if search.key is None or search.partitions:  # else: an index left to make (serve)
            self._record(fingerprints, pages, search.partitions)
        summary = BuildSummary(
            self.inputs,
            *valid,
            image_digests,
            tuple(result.files),
            result.stats.pages,
            result.diagnostics,
            result.stats.articles,
            result.sources,
            result.assets,
            result.aliases,
            result.search_key,
        )
        self.cache.finish(fingerprints, summary)

    def _record(
        self, fingerprints: Mapping[str, str], pages: RenderedPages, partitions: tuple[str, ...]
    ) -> None:
        """Keep what a build after an edit needs of this one (`incremental.edits`);
        `partitions`: the search index's (none: the site has no index)."""
        assert self.cache is not None
        store = self.cache.edit_store()
        if store is None or self.planned is None or not self.frame:
            return
        from sitegen.build.incremental.edit_record import WholeBuild, record_edits

        previous = self.cache.recorded_summary()
        bodies = {
            p: (body, key, self.models.get(p, (None, ""))[1])
            for p, (body, key) in self.bodies.items()
        }
        made = WholeBuild(
            *self.planned,
            self.inputs,
            self.frame,
            self.sources,
            fingerprints,
            pages.views,
            bodies,
            partitions,
        )
        record_edits(store, previous.inputs if previous else None, made)

"""Recording, after a whole build, what a build after edits (`sitegen.build.incremental.edits`)
reads of it: each article's placement digest and view, each feed entry, each page job and JSON
feed with the views and entries it shows (`edit_codec`), the render setup, and the search
index's partitions (`search.overlay`), in the `EditStore`.
"""

from __future__ import annotations

import hashlib
import marshal
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, fields

from sitegen.build.incremental.edit_codec import CannotStore, Packer, edition_configs, pack_plain
from sitegen.build.incremental.edit_store import MARSHAL_VERSION, EditRows, EditStore
from sitegen.build.incremental.fingerprints import Fingerprinter
from sitegen.build.model import Article
from sitegen.build.plan import SitePlan, with_context
from sitegen.build.render import RenderSetup
from sitegen.build.routes import Routes

# What of an article only its own view and feed entry show: all other fields are placement.
BODY_FIELDS = frozenset(("html", "word_count", "source_text", "summary"))
PLACEMENT_FIELDS = tuple(f.name for f in fields(Article) if f.name not in BODY_FIELDS)
RECORD_BATCH = 2_000  # views or units encoded before they are written
EMAIL, PAGE, JSON = "email", "page", "json"  # the kinds of units
SEARCH = "search"  # the header's row of the search index (`search.overlay.Overlay`)


def placement_digest(article: Article) -> str:
    """A digest of the article's `PLACEMENT_FIELDS` (their `repr`: dates with their zone)."""
    text = repr(tuple(getattr(article, name) for name in PLACEMENT_FIELDS))
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class WholeBuild:
    """What a whole build made that its record keeps: its plan and render setup; `inputs`, the
    digest of its inputs, `frame`, of its inputs but the sources, `source_digests`, each
    source's digest; `fingerprints` of its files; `views`: each article view's digest;
    `bodies`: each source's parse result body, parse key and model key (`Reuse.bodies`,
    `.models`); `partitions`: its search index's (none: the site has no index)."""

    plan: SitePlan
    setup: RenderSetup
    inputs: str
    frame: str
    source_digests: Mapping[str, str]
    fingerprints: Mapping[str, str]
    views: Mapping[str, str]
    bodies: Mapping[str, tuple[str, str, str]]
    partitions: tuple[str, ...]


def record_edits(store: EditStore, previous: str | None, made: WholeBuild) -> None:
    """Record what a later build after an edit needs of this one, or empty the store when the
    build holds a value it cannot keep. `previous`: the inputs digest of the build recorded
    before (rows equal to its are not written again)."""
    whole = previous is None or store.header().get("tag") != previous
    try:
        store.write(_record_rows(store, whole, made), whole=whole)
    except CannotStore:
        _unusable(store)


def _record_rows(store: EditStore, whole: bool, made: WholeBuild) -> Iterator[EditRows]:
    """`record_edits`'s rows in batches of at most `RECORD_BATCH` views or units (at 100,000
    articles all of them are 0.6 GB), the last with what is gone and the header."""
    plan, fingerprints = made.plan, made.fingerprints
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
        body, parsed, model = made.bodies.get(path, ("", "", ""))
        digest = made.views.get(path, "")
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
    setup = made.setup
    parts = (dict(setup.sites), setup.placed, setup.metadata)
    rows.header = {
        "tag": made.inputs if whole_entries else "",  # "": no build after an edit uses it
        "frame": made.frame,
        "sources": marshal.dumps(dict(made.source_digests), MARSHAL_VERSION),
        "setup": packer.pack(parts),
        SEARCH: _search_row(made.partitions),
    }
    yield rows


def _search_row(partitions: tuple[str, ...]) -> bytes:
    """The header's `SEARCH` row after a whole build: its partitions, no edits since
    (`search.overlay`); empty when the site has no index."""
    if not partitions:
        return b""
    from sitegen.build.search.overlay import Overlay

    return Overlay(partitions).pack()


def _unusable(store: EditStore) -> None:
    """Empty the store: no build after an edit uses it until a whole build records it."""
    store.write([EditRows(header={"tag": ""})], whole=True)

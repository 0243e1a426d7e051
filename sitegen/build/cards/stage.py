"""The cards stage: SitePlan → Cards, a 1200×630 PNG share card for every article without a
lead image, published next to its page (`…/<slug>/card.png`) and named by its `og:image`.

A card is cached by its content: the text it shows (headline, topic, site name, localized
date), its direction and language, the style (colours, font and logo digests) and the
versions of Pillow, raqm, HarfBuzz, FriBiDi and FreeType. A rebuild draws only cards whose
inputs changed; the others come from `.sitegen/cache/cards/`. Cards are drawn on the build's
worker processes (`build/parallel.py`), results in article order: the output does not depend
on how many workers drew them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from sitegen.build.cards.draw import (
    CARD_HEIGHT,
    CARD_WIDTH,
    CardStyle,
    CardText,
    Painter,
    RaqmMissing,
    draw_card,
    engine_versions,
    require_raqm,
)
from sitegen.build.cards.style import card_style
from sitegen.build.images.cache import ENTRY_FILE, ImageCache
from sitegen.build.images.process import ProcessedImage, Variant
from sitegen.build.load import StaticFile
from sitegen.build.model import Article
from sitegen.build.parallel import Stage, StageRunner
from sitegen.build.plan import SitePlan
from sitegen.build.result import CachedFile
from sitegen.build.theme import Theme, builtin_card
from sitegen.core.config import CONFIG_FILE, Site, SiteConfig
from sitegen.core.diagnostics import Diagnostic, error, has_errors, warning
from sitegen.core.localize import Localizer
from sitegen.core.text import strip_bidi_controls

PNG = "image/png"
MIN_PARALLEL_CARDS = 16  # a card costs ~25 ms: workers pay off sooner than for pages
BATCH = 1000  # cards drawn between two writes to the cache (~35 MB of PNG)
CARD_FILE = "0.png"  # the card in its cache entry (`ImageCache.store`: its only variant)


@dataclass(frozen=True)
class CardPlan:
    """The cards of a build before any is drawn: what pages and syndication need of them.

    `cards`: output path → (card key, the article's source path); `shares`: an article's
    source path → its card as a share image (`url`, `width`, `height`, `type`, `alt`), for
    `og:image`; `cached`: key → the cache file of a card drawn before; `missing`: key → the
    text of a card to draw (`draw_cards`)."""

    cards: dict[str, tuple[str, str]]
    shares: dict[str, dict[str, Any]]
    cached: dict[str, CachedFile]
    missing: dict[str, CardText]
    style: CardStyle | None = None
    cache: ImageCache | None = None
    diagnostics: tuple[Diagnostic, ...] = ()

    def origins(self) -> dict[str, str]:
        """Output path → the article each card shows (for the collision check)."""
        return {out: path for out, (_, path) in self.cards.items()}

    def files(self, drawn: Mapping[str, bytes | CachedFile]) -> dict[str, CardFile]:
        """Output path → (PNG bytes or cache file, article) of the cards in `drawn` (by key)
        or in the cache."""
        found = {**self.cached, **drawn}
        return {out: (found[key], path) for out, (key, path) in self.cards.items() if key in found}


CardFile = tuple[bytes | CachedFile, str]


@dataclass(frozen=True)
class Cards:
    """Every card of a build: output path → (PNG bytes or the cache file holding them, the
    article it shows)."""

    files: dict[str, CardFile]
    diagnostics: tuple[Diagnostic, ...] = ()


NO_CARDS = CardPlan({}, {}, {}, {})


def plan_site_cards(
    plan: SitePlan,
    theme: Theme | None,
    static: Iterable[StaticFile],
    site: Site,
    earlier: Sequence[Diagnostic],
) -> CardPlan:
    """The cards of a site; `static`: the site's static files (the logo may be one of them).

    No cards when `card: false`, without a theme or raqm, or when the `earlier` problems hold
    an error: the build stops anyway, and drawing would only delay its report. Cached under
    `.sitegen/cache/cards/`. Nothing is drawn yet: pages need only each card's address and
    size, so `sitegen serve` shows its first page before the cards are drawn (`draw_cards`)."""
    if not site.config.card.enabled or theme is None or has_errors(earlier):
        return NO_CARDS
    try:
        require_raqm()
    except RaqmMissing as exc:
        hint = "install libraqm0 and libfribidi0 (Debian), or set 'card: false'"
        problem = error(CONFIG_FILE, None, f"{exc}: no cards made", hint)
        return CardPlan({}, {}, {}, {}, diagnostics=(problem,))
    files = (*theme.static_files(), *static)
    style, problems = card_style({**builtin_card(), **theme.card()}, site.config, files)
    cache = ImageCache(site.state_dir / "cache" / "cards")
    return plan_cards(plan, style, cache, problems)


def plan_cards(
    plan: SitePlan, style: CardStyle, cache: ImageCache | None, problems: Sequence[Diagnostic] = ()
) -> CardPlan:
    """A card for every article of the plan without a lead image: its key, its share data,
    and whether `cache` holds it already."""
    texts = card_texts(plan)
    keys = {path: card_key(text, style) for path, text in texts.items()}
    cached = {}
    for key in set(keys.values()) if cache is not None else ():
        if (folder := cache.entry_path(key)).joinpath(ENTRY_FILE).is_file():
            cached[key] = CachedFile(folder / CARD_FILE)
    missing = {keys[p]: texts[p] for p in texts if keys[p] not in cached}
    cards, shares = {}, {}
    for path, key in keys.items():
        out = plan.routes.card(plan.article_paths[path])
        cards[out] = (key, path)
        shares[path] = {
            "url": plan.routes.absolute(out),
            "width": CARD_WIDTH,
            "height": CARD_HEIGHT,
            "type": PNG,
            "alt": texts[path].headline,
        }
    return CardPlan(cards, shares, cached, missing, style, cache, tuple(problems))


def draw_cards(cards: CardPlan, run: StageRunner) -> Cards:
    """The cards the cache lacks drawn on the worker pool, `BATCH` at a time and stored:
    a build of many thousand cards never holds all their bytes; cached ones are published
    from their cache files, read only when written. Its diagnostics are the drawing's only
    (the plan's are reported before render)."""
    found = []
    drawn: dict[str, bytes | CachedFile] = {}
    stage = Stage("cards", Painter, _draw, min_items=MIN_PARALLEL_CARDS)
    batches = list(cards.missing.items())
    for start in range(0, len(batches), BATCH):
        batch = dict(batches[start : start + BATCH])
        for key, data in zip(batch, run(stage, cards.style, [*batch.values()]), strict=True):
            drawn[key] = data
            if cards.cache is None:
                continue
            try:
                cards.cache.store(key, _entry(data))
                drawn[key] = CachedFile(cards.cache.entry_path(key) / CARD_FILE)
            except OSError as exc:
                found.append(warning(CONFIG_FILE, None, f"cannot write the card cache: {exc}"))
    if cards.cache is not None:
        cards.cache.prune(key for key, _ in cards.cards.values())
    return Cards(cards.files(drawn), tuple(found))


def card_texts(plan: SitePlan) -> dict[str, CardText]:
    """What each card says, by article source path, for articles without a lead image that
    can be shared (an SVG lead image has no share variant: it gets a card)."""
    texts = {}
    for edition in plan.editions:
        config = edition.config
        local = Localizer(config.language, config.locale, config.digits, config.tz, plan.now)
        texts.update(_edition_texts(edition.index.articles, plan, config, local))
    return texts


def _edition_texts(
    articles: Sequence[Article], plan: SitePlan, config: SiteConfig, local: Localizer
) -> dict[str, CardText]:
    """The card texts of one language's articles, in its language and calendar."""
    site = config.metadata.publisher or config.title
    texts = {}
    for article in articles:
        view = plan.views[article.path]
        if view["image"] and view["image"]["share"]:
            continue
        date = local.date(article.date, "long")
        hijri = local.hijri(article.date) if config.locale.hijri else ""
        texts[article.path] = CardText(
            headline=strip_bidi_controls(article.title),
            topic=view["topic"]["name"] if view["topic"] else "",
            site=site,
            date=f"{date} · {hijri}" if hijri else date,
            direction=view["dir"] or config.dir,
            language=article.lang or config.language,
            site_direction=config.dir,
            site_language=config.language,
        )
    return texts


def card_key(text: CardText, style: CardStyle) -> str:
    """The cache key of one card: everything that decides its pixels."""
    params = {"text": asdict(text), "style": style.digest, "engine": engine_versions()}
    return hashlib.sha256(json.dumps(params, sort_keys=True).encode()).hexdigest()


def _draw(painter: Painter, texts: Sequence[CardText]) -> list[bytes]:
    """Run on a worker: draw a chunk of cards."""
    return [draw_card(painter, text) for text in texts]


def _entry(data: bytes) -> ProcessedImage:
    """A card as an entry of the image cache: one PNG variant."""
    return ProcessedImage(
        CARD_WIDTH, CARD_HEIGHT, False, (Variant(CARD_WIDTH, CARD_HEIGHT, PNG, data),)
    )

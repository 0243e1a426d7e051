"""Share cards: which articles get one, what it says, where it is published and named, the
cache that redraws only changed cards, the settings, and the error without raqm."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from PIL import Image

from sitegen.build.cards import stage as cards_stage
from sitegen.build.cards.draw import (
    CARD_HEIGHT,
    CARD_WIDTH,
    LOGO_BOX,
    MARGIN,
    TOPIC_BASELINE,
    CardText,
    Painter,
    draw_card,
    layout,
)
from sitegen.build.cards.layout import ELLIPSIS, wrap
from sitegen.build.cards.style import card_style
from sitegen.build.parallel import Stage, run_stage
from sitegen.build.theme import builtin_card
from sitegen.core.config import load_site, parse_config
from tests.conftest import MINIMAL_CONFIG, article, build_site

ARTICLE_DIR = "2022/01/07/{}/"
THEME_FONTS = Path(__file__).resolve().parents[2] / "themes" / "digest" / "fonts"
LONG = (
    "وزير الخارجية يبحث مع نظيره الفرنسي تطورات الأوضاع في المنطقة وسبل تعزيز التعاون الثنائي"
    " في مجالات الطاقة والتجارة والاستثمار والتعليم والصحة والنقل والسياحة خلال زيارة رسمية"
    " تستمر ثلاثة أيام يلتقي فيها رئيس الوزراء وعددا من المسؤولين"
)


def png(colour: str = "#ff0000", size: tuple[int, int] = (100, 100)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def drawn(monkeypatch: pytest.MonkeyPatch) -> list[CardText]:
    """Every card drawn in this process (builds of a few articles draw serially)."""
    seen: list[CardText] = []

    def counting(painter: Painter, text: CardText) -> bytes:
        seen.append(text)
        return draw_card(painter, text)

    monkeypatch.setattr(cards_stage, "draw_card", counting)
    return seen


def meta(page: str, key: str) -> str | None:
    found = re.search(rf'<meta (?:property|name)="{key}" content="([^"]*)">', page)
    return found.group(1) if found else None


def test_an_article_without_lead_image_is_shared_with_its_card(make_site) -> None:
    site = make_site(
        {
            "content/a.md": article("قمة عربية", topic="سياسة", slug="a"),
            "content/b.md": article("صورة", slug="b", image="b.png", image_alt="صورة"),
            "content/b.png": png(size=(1300, 700)),
        }
    )
    result = build_site(site)
    assert result.ok, [d.format() for d in result.diagnostics]
    card = result.files[ARTICLE_DIR.format("a") + "card.png"]
    with Image.open(io.BytesIO(card)) as image:
        assert (image.format, image.size) == ("PNG", (CARD_WIDTH, CARD_HEIGHT))
    page = result.files[ARTICLE_DIR.format("a") + "index.html"].decode()
    assert meta(page, "og:image") == "https://example.org/2022/01/07/a/card.png"
    assert meta(page, "og:image:width") == "1200" and meta(page, "og:image:height") == "630"
    assert meta(page, "og:image:alt") == "قمة عربية"
    assert meta(page, "twitter:card") == "summary_large_image"
    assert '"image": ["https://example.org/2022/01/07/a/card.png"]' in page  # JSON-LD
    # the lead image wins: no card
    assert ARTICLE_DIR.format("b") + "card.png" not in result.files
    page = result.files[ARTICLE_DIR.format("b") + "index.html"].decode()
    assert "/images/" in (meta(page, "og:image") or "")


def test_cards_are_drawn_after_the_planned_site_is_handed_out(make_site, drawn) -> None:
    """`sitegen serve` shows its first page from the planned site: drawing thousands of new
    cards must not come before it (10k articles: 101 s). A card drawn before is shown at once."""
    site = make_site({"content/a.md": article("قمة عربية", topic="سياسة", slug="a")})
    card = ARTICLE_DIR.format("a") + "card.png"
    at_plan: list[tuple[int, bool]] = []
    planned = lambda basis: at_plan.append((len(drawn), card in basis.files))  # noqa: E731
    result = build_site(site, planned=planned)
    assert result.ok and card in result.files and len(drawn) == 1
    assert at_plan == [(0, False)]
    page = result.files[ARTICLE_DIR.format("a") + "index.html"].decode()
    assert meta(page, "og:image") == "https://example.org/2022/01/07/a/card.png"
    result = build_site(site, planned=planned)  # the card is in the cache now
    assert at_plan[1] == (1, True) and len(drawn) == 1
    assert result.files[card] == build_site(site).files[card]


def test_card_false_makes_no_cards(make_site) -> None:
    site = make_site(
        {"content/a.md": article("خبر", slug="a")},
        config=MINIMAL_CONFIG + "card: false\nmetadata:\n  image: share.png\n",
    )
    result = build_site(site)
    assert not [p for p in result.files if p.endswith("card.png")]
    page = result.files[ARTICLE_DIR.format("a") + "index.html"].decode()
    assert meta(page, "og:image") == "https://example.org/share.png"


def test_the_card_says_topic_site_and_the_localized_date(make_site, drawn) -> None:
    config = MINIMAL_CONFIG + "locale:\n  hijri: true\ntopics:\n  - {name: سياسة, slug: politics}\n"
    site = make_site({"content/a.md": article("قمة  عربية", topic="سياسة", slug="a")}, config)
    assert build_site(site).ok
    (text,) = drawn
    assert (text.headline, text.topic, text.site) == ("قمة عربية", "سياسة", "موقع تجريبي")
    assert text.date == "٧ يناير ٢٠٢٢ · ٤ جمادى الآخرة ١٤٤٣ هـ"
    assert (text.direction, text.language) == ("rtl", "ar")


def test_a_persian_site_with_eastern_digits_has_persian_digits(make_site, drawn) -> None:
    config = (
        "title: خبرنامه\nlanguage: fa\nlocale:\n  digits: arabic\nbase_url: https://example.org/\n"
    )
    site = make_site({"content/a.md": article("بانک مرکزی", slug="a")}, config)
    assert build_site(site).ok
    (text,) = drawn
    assert (text.date, text.language) == ("۱۷ دی ۱۴۰۰", "fa")  # Jalali: the default for fa


def test_a_rebuild_draws_only_the_cards_whose_inputs_changed(make_site, drawn) -> None:
    site = make_site(
        {"content/a.md": article("خبر أول", slug="a"), "content/b.md": article("خبر ثان", slug="b")}
    )
    first = build_site(site)
    assert len(drawn) == 2
    second = build_site(site)
    assert len(drawn) == 2  # all from the cache, byte for byte
    assert dict(second.files) == dict(first.files)
    (site.root / "content/b.md").write_text(article("خبر معدل", slug="b"), encoding="utf-8")
    reloaded, _ = load_site(site.root)
    third = build_site(reloaded)
    assert [t.headline for t in drawn[2:]] == ["خبر معدل"]
    a_card = ARTICLE_DIR.format("a") + "card.png"
    assert third.files[a_card] == first.files[a_card]
    # only the cards in use stay in the cache
    assert len(list((site.root / ".sitegen/cache/cards").glob("??/*"))) == 2


def test_without_raqm_the_build_fails_clearly_and_draws_nothing(
    make_site, drawn, monkeypatch
) -> None:
    from sitegen.build.cards import draw

    monkeypatch.setattr(draw.features, "check", lambda name: name != "raqm")
    result = build_site(make_site({"content/a.md": article("خبر", slug="a")}))
    assert not result.ok and drawn == []
    (problem,) = [d for d in result.diagnostics if d.is_error]
    assert "raqm" in problem.message and "card: false" in (problem.hint or "")


def test_colours_come_from_the_theme_then_the_site_and_the_logo_is_drawn(make_site) -> None:
    theme = "extends: digest\ncard:\n  background: '#102030'\n  accent: '#00ff00'\n"
    config = MINIMAL_CONFIG + "theme: child\ncard:\n  accent: '#0000ff'\n  logo: logo.png\n"
    site = make_site(
        {
            "themes/child/theme.yaml": theme,
            "static/logo.png": png("#ff0000", (400, 100)),
            "content/a.md": article("خبر", slug="a"),
        },
        config,
    )
    result = build_site(site)
    assert result.ok, [d.format() for d in result.diagnostics]
    with Image.open(io.BytesIO(result.files[ARTICLE_DIR.format("a") + "card.png"])) as card:
        image = card.convert("RGB")
    assert image.getpixel((600, 10)) == (0x10, 0x20, 0x30)  # the theme's background
    assert image.getpixel((CARD_WIDTH - 5, 300)) == (0, 0, 255)  # the site's accent strip
    logo_height = LOGO_BOX[0] * 100 // 400
    assert image.getpixel((MARGIN + 5, TOPIC_BASELINE + 8 - logo_height // 2)) == (255, 0, 0)


def test_card_settings_are_checked(make_site, tmp_path: Path) -> None:
    config, problems = parse_config("title: t\ncard:\n  accent: red\n")
    assert config is None
    assert [(p.line, p.message) for p in problems] == [
        (3, "'card.accent' must be a colour such as #a11d1d, got 'red'")
    ]
    site = make_site(
        {"themes/child/theme.yaml": "extends: digest\ncard:\n  colour: '#000000'\n"},
        MINIMAL_CONFIG + "theme: child\n",
    )
    messages = [d.message for d in build_site(site).diagnostics]
    assert "unknown key 'card.colour' in theme.yaml" in messages


def test_long_headlines_take_three_lines_and_an_ellipsis() -> None:
    config, _ = parse_config("title: الموجز\n")
    assert config is not None
    painter = Painter(card_style(builtin_card(), config, ())[0])
    text = CardText(LONG, "", "الموجز", "", "rtl", "ar", "rtl", "ar")
    lines = [run.text for run in layout(painter, text) if run.size >= 52 and run.bold][:3]
    assert len(lines) == 3 and lines[2].endswith(ELLIPSIS)
    assert " ".join(lines)[:-1].strip() in LONG


def test_wrap_breaks_at_spaces_and_cuts_what_does_not_fit() -> None:
    def measure(text: str) -> float:
        return float(len(text))

    assert wrap("aa bb cc", measure, 5, 3) == (["aa bb", "cc"], True)
    assert wrap("aa bb cc dd ee ff gg", measure, 5, 2) == (["aa bb", "cc…"], False)
    assert wrap("abcdefghij", measure, 5, 3) == (["abcd…"], False)


def test_cards_are_reproducible_on_any_number_of_workers() -> None:
    config, _ = parse_config("title: الموجز\n")
    assert config is not None
    style = card_style(builtin_card(), config, ())[0]
    texts = [
        CardText(f"خبر رقم {i}", "سياسة", "الموجز", "", "rtl", "ar", "rtl", "ar") for i in range(20)
    ]
    stage = Stage("cards", Painter, cards_stage._draw, min_items=cards_stage.MIN_PARALLEL_CARDS)
    serial = list(run_stage(stage, style, texts, jobs=1))
    assert list(run_stage(stage, style, texts, jobs=2)) == serial
    assert draw_card(Painter(style), texts[0]) == serial[0]


def test_the_share_cards_doc_examples_build(make_site) -> None:
    from tests.unit.test_docs import examples

    found = examples("share-cards.md")
    site = make_site(
        {
            "themes/night/theme.yaml": found["theme.yaml"],
            "themes/night/logo.png": png("#00ff00"),
            "themes/night/fonts/Amiri-Regular.ttf": (
                THEME_FONTS / "Amiri-Regular.ttf"
            ).read_bytes(),
            "themes/night/fonts/Amiri-Bold.ttf": (THEME_FONTS / "Amiri-Bold.ttf").read_bytes(),
            "static/logo.png": png("#ff0000"),
            "content/a.md": article("خبر", slug="a"),
        },
        MINIMAL_CONFIG + "theme: night\n" + found["card.sitegen.yaml"],
    )
    result = build_site(site)
    assert result.ok, [d.format() for d in result.diagnostics]
    with Image.open(io.BytesIO(result.files[ARTICLE_DIR.format("a") + "card.png"])) as card:
        image = card.convert("RGB")
    assert image.getpixel((600, 10)) == (255, 255, 255)  # sitegen.yaml's background wins
    assert image.getpixel((MARGIN + 5, 70)) == (255, 0, 0)  # and its logo


def test_a_build_with_errors_draws_no_cards(make_site, drawn) -> None:
    site = make_site(
        {"content/a.md": article("خبر", slug="a"), "content/b.md": "---\ntitle: [\n---\nنص\n"}
    )
    result = build_site(site)
    assert not result.ok and drawn == []


def test_the_theme_digest_covers_its_card_settings(tmp_path: Path) -> None:
    """A changed card colour or font is a changed theme: no whole previous build is reused."""
    from sitegen.build.theme import load_theme

    digests = set()
    for colour in ("#000000", "#ffffff"):
        folder = tmp_path / colour[1:] / "themes"
        (folder / "child").mkdir(parents=True)
        (folder / "child" / "theme.yaml").write_text(
            f"extends: digest\ncard:\n  accent: '{colour}'\n", encoding="utf-8"
        )
        theme, problems = load_theme("child", folder, tmp_path)
        assert theme is not None and problems == []
        assert theme.card()["accent"] == colour
        digests.add(theme.digest())
    assert len(digests) == 2

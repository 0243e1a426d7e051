"""A site in two languages (`languages:`): mistakes in its articles' topics and translation
keys are reported at their line; the build still succeeds (warnings)."""

from __future__ import annotations

from collections.abc import Callable

from sitegen.core.config import Site
from tests.conftest import article, build_site

CONFIG = """title: أخبار اليوم
language: ar
timezone: Asia/Riyadh
base_url: https://example.org/
topics:
  - name: سياسة
    slug: politics
  - name: اقتصاد
    slug: economy
languages:
  en:
    title: Today's News
    topics: {politics: Politics}
"""
ARABIC = article("مجلس المدينة يقر خطة", topic="سياسة", translation_key="parks")
ENGLISH = article("Council approves plan", lang="en", topic="Politics", translation_key="parks")


def warnings(make_site: Callable[..., Site], **files: str) -> list[str]:
    result = build_site(
        make_site({"content/ar.md": ARABIC, "content/en.md": ENGLISH, **files}, CONFIG)
    )
    assert result.ok, [d.format() for d in result.diagnostics]
    return [d.format() for d in result.diagnostics]


def test_a_translated_pair_gives_no_warning(make_site) -> None:
    assert warnings(make_site) == []


def test_an_english_topic_the_site_does_not_know(make_site) -> None:
    sport = article("Cup final tonight", lang="en", topic="Sport")
    assert warnings(make_site, **{"content/sport.md": sport}) == [
        "content/sport.md:5: warning: topic 'Sport' is not one of the site's topics: it gets a "
        "topic page in 'en' only (add it to 'topics' in sitegen.yaml, and its 'en' name to "
        "'languages.en.topics')"
    ]


def test_an_english_article_in_a_topic_without_an_english_name(make_site) -> None:
    oil = article("Oil prices rise", lang="en", topic="economy")
    assert warnings(make_site, **{"content/oil.md": oil}) == [
        "content/oil.md:5: warning: topic 'economy' has no 'en' name, so its 'en' pages show "
        "'اقتصاد' (add 'economy: …' to 'languages.en.topics' in sitegen.yaml)"
    ]


def test_a_topic_without_an_english_name_is_reported_once(make_site) -> None:
    oil = article("Oil prices rise", lang="en", topic="economy")
    gas = article("Gas prices fall", lang="en", topic="اقتصاد")
    found = warnings(make_site, **{"content/oil.md": oil, "content/gas.md": gas})
    assert found == [
        "content/gas.md:5: warning: topic 'economy' has no 'en' name, so its 'en' pages show "
        "'اقتصاد' (and 1 more article) (add 'economy: …' to 'languages.en.topics' in "
        "sitegen.yaml)"
    ]


def test_a_translation_key_without_a_partner(make_site) -> None:
    lone = article("Market opens", lang="en", topic="Politics", translation_key="market")
    assert warnings(make_site, **{"content/lone.md": lone}) == [
        "content/lone.md:6: warning: translation_key 'market' names no article in the site's "
        "other languages (ar) (the language switcher links to the other language's home page)"
    ]


def test_a_key_shared_only_with_an_article_of_an_unlisted_language(make_site) -> None:
    """A French article stays in the Arabic (root) edition: its key pairs with no edition."""
    french = article("Le conseil approuve", lang="fr", topic="سياسة", translation_key="fr-only")
    arabic = article("خبر بالعربية", topic="سياسة", translation_key="fr-only")
    found = warnings(make_site, **{"content/fr.md": french, "content/x.md": arabic})
    assert [line.split(": warning: ")[0] for line in found] == ["content/fr.md:6", "content/x.md:5"]
    assert all("names no article in the site's other languages (en)" in w for w in found)


def test_two_articles_of_one_language_with_one_translation_key(make_site) -> None:
    again = article("Council plan, again", lang="en", topic="Politics", translation_key="parks")
    assert warnings(make_site, **{"content/z-again.md": again}) == [
        "content/z-again.md:6: warning: translation_key 'parks' is also content/en.md's, in the "
        "same language (only content/en.md is linked with its translations)"
    ]

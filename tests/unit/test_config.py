import pytest

from sitegen.core.config import parse_config


def messages(text: str) -> list[str]:
    config, problems = parse_config(text)
    assert config is None
    return [p.format() for p in problems]


def test_minimal_config_gets_defaults() -> None:
    config, problems = parse_config("title: المرصد\n")
    assert problems == []
    assert config is not None
    assert (config.language, config.dir, config.theme, config.timezone) == (
        "ar",
        "rtl",
        "digest",
        "UTC",
    )
    assert config.paginate.articles == 20
    assert config.digits == "arabic"


def test_unknown_key_names_line_and_nearest_key() -> None:
    out = messages("title: x\nlangauge: ar\nlocale:\n  digts: latin\n")
    assert "sitegen.yaml:2: unknown key 'langauge' (did you mean 'language'?)" in out
    assert "sitegen.yaml:4: unknown key 'locale.digts' (did you mean 'digits'?)" in out


def test_wrong_types_and_choices_are_reported_together() -> None:
    out = messages("title: x\npaginate:\n  articles: many\nlocale:\n  month_names: syrian\n")
    assert "sitegen.yaml:3: 'paginate.articles' must be an integer, got a string" in out
    assert any(
        line.startswith("sitegen.yaml:5: 'locale.month_names' must be one of") for line in out
    )


def test_missing_title_and_bad_timezone() -> None:
    out = messages("timezone: Mars/Olympus\n")
    assert any("missing required key 'title'" in line for line in out)


def test_bad_values() -> None:
    out = messages("title: x\ntimezone: Mars/Olympus\nbase_url: ftp://x\noutput: ../elsewhere\n")
    assert any(line.startswith("sitegen.yaml:2: unknown timezone") for line in out)
    assert any(line.startswith("sitegen.yaml:3: 'base_url' must be") for line in out)
    assert any(
        line.startswith("sitegen.yaml:4: 'output' must be a folder inside the site") for line in out
    )


def test_duplicate_keys_and_invalid_yaml() -> None:
    assert "sitegen.yaml:2: duplicate key 'title'" in messages("title: a\ntitle: b\n")
    assert messages("title: [unclosed\n")[0].startswith("sitegen.yaml:2: invalid YAML")


def test_shorthands() -> None:
    config, problems = parse_config(
        "title: x\npaginate: 5\ntopics: [سياسة, {name: اقتصاد, slug: economy}]\n"
    )
    assert problems == [] and config is not None
    assert config.paginate.articles == 5
    assert [(t.name, t.slug) for t in config.topics] == [("سياسة", None), ("اقتصاد", "economy")]


def test_duplicate_topic_slugs() -> None:
    out = messages("title: x\ntopics:\n  - {name: a, slug: s}\n  - {name: b, slug: s}\n")
    assert any("topic slug 's' is used twice" in line for line in out)


def test_direction_and_digits_from_language() -> None:
    config, _ = parse_config("title: x\nlanguage: en\n")
    assert config is not None and config.dir == "ltr" and config.digits == "latin"


def test_base_path_from_base_url() -> None:
    config, _ = parse_config("title: x\nbase_url: https://x.org/news\n")
    assert config is not None
    assert (config.base_path, config.origin) == ("/news/", "https://x.org")


@pytest.mark.parametrize("language", ["a", "ar-", "-ar", "عربي", "123"])
def test_language_must_be_spelled_as_a_language_tag(language: str) -> None:
    out = messages(f"title: x\nlanguage: {language}\n")
    assert any("'language' must be a language tag" in line for line in out)


def test_languages_are_checked_at_their_line() -> None:
    text = (
        "title: أخبار\n"
        "languages:\n"
        "  ar: {title: x}\n"
        "  'e n': {title: x}\n"
        "  en:\n"
        "    title: ' '\n"
        "    topics: {'a/b': x}\n"
    )
    config, problems = parse_config(text)
    assert config is None
    assert [(d.line, d.message) for d in problems] == [
        (3, "'ar' is the site's 'language': list only the other languages"),
        (4, "'languages' keys must be language tags such as en or fr, got 'e n'"),
        (6, "'languages.en.title' must not be empty"),
        (7, "'languages.en.topics' keys must be topic slugs, got 'a/b'"),
    ]


def test_a_language_edition_has_its_title_locale_and_topic_names() -> None:
    text = (
        "title: أخبار\n"
        "topics: [{name: سياسة, slug: politics}]\n"
        "languages:\n"
        "  en: {title: News, topics: {politics: Politics}, locale: {digits: arabic}}\n"
    )
    config, problems = parse_config(text)
    assert config is not None and problems == []
    edition = config.edition("en")
    assert (edition.language, edition.title, edition.dir, edition.digits) == (
        "en",
        "News",
        "ltr",
        "arabic",
    )
    assert [(t.name, t.slug) for t in edition.topics] == [("Politics", "politics")]
    assert (config.edition_of("EN"), config.edition_of("fr"), config.edition_of(None)) == (
        "en",
        "",
        "",
    )

"""Property-based tests: arbitrary input gives a result or a diagnostic, never another exception.

Strategies mix raw text with structure-shaped text (fences, YAML and TOML syntax, Markdown
markup, Arabic date words), so that examples get past the first checks of each parser.
"""

from __future__ import annotations

import datetime as dt
import json
import string
import unicodedata
from pathlib import PurePosixPath
from typing import Any
from zoneinfo import ZoneInfo

import yaml
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from sitegen.build.load import SourceFile
from sitegen.build.markdown_html import MarkdownRenderer, MarkupTooComplex, sanitize
from sitegen.build.model import to_article
from sitegen.build.parse import Document, parse
from sitegen.build.readers.base import ReaderSettings
from sitegen.build.readers.markdown import read_markdown, split_front_matter
from sitegen.build.readers.newstext import read_news_text
from sitegen.build.write import safe_relative
from sitegen.core.arabic_date_words import WEEKDAY_NAMES
from sitegen.core.arabic_dates import MAX_YEAR, MIN_YEAR, ArabicDateError, parse_arabic_datetime
from sitegen.core.config import load_site, parse_config
from sitegen.core.config_sections import MarkdownConfig
from sitegen.core.dates import DateError, parse_datetime
from sitegen.core.diagnostics import Diagnostic, has_errors
from sitegen.core.text import SLUG_MAX_BYTES, slugify, strip_tashkeel
from sitegen.core.yamlload import load_yaml
from tests.conftest import MINIMAL_CONFIG, build_site, write_files

RIYADH = ZoneInfo("Asia/Riyadh")
SETTINGS = ReaderSettings(timezone=RIYADH)
CONFIG, _ = parse_config(MINIMAL_CONFIG)
RENDERER = MarkdownRenderer(MarkdownConfig())
# Modest example counts keep the whole suite fast; no deadline, as the CI machine is shared.
FAST = settings(max_examples=80, deadline=None)

# Pieces of the syntaxes sitegen reads, to build text that looks almost right.
SYNTAX = st.sampled_from(
    [
        "---", "+++", "...", ":", ": ", "=", "- ", "[", "]", "{", "}", ",", "'", '"', "\\", "#",
        "&a", "*a", "!!str", "!!binary", "? ", "|", ">", "\t", "  ", "\n", "\r", "\r\n",
        "title", "date", "tags", "slug", "draft", "true", "no", "2022-01-07", "T09:30:00+03:00",
        "خبر", "عاجل", "٧ يناير ٢٠٢٢", "الساعة ١٢:٥٧ صباحاً", "<script>", "](", "<a ", "`",
        "*", "_", "**", "<!--", "\u202e", "\u200b", "\ufeff", "\x00", "\x1b", "\x85", "𝕏",
    ]
)  # fmt: skip
SHAPED_TEXT = st.lists(st.one_of(SYNTAX, st.text(max_size=8)), max_size=40).map("".join)
ANY_TEXT = st.one_of(st.text(), SHAPED_TEXT)
PLAIN = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(allow_nan=False),
        st.text(max_size=20),
        st.sampled_from(["2022-01-07", "2022-01-07T09:30:00+03:00", "٧ يناير ٢٠٢٢", ""]),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
KEYS = st.sampled_from(
    [
        "title", "date", "updated", "tags", "topic", "category", "categories", "section",
        "summary", "author", "authors", "source", "source_url", "via", "kicker", "image",
        "slug", "draft", "published", "lang", "dir", "aliases", "corrections", "breaking",
        "pinned", "extra",
    ]
)  # fmt: skip
META = st.dictionaries(KEYS, PLAIN, max_size=10)


def assert_contract(result: Any, problems: list[Diagnostic]) -> None:
    """A reader's contract: a value, or None with at least one error diagnostic."""
    assert all(isinstance(p, Diagnostic) for p in problems)
    if result is None:
        assert has_errors(problems)


@FAST
@given(ANY_TEXT)
def test_markdown_reader_gives_a_document_or_a_diagnostic(text: str) -> None:
    raw, problems = read_markdown("content/a.md", text, SETTINGS)
    assert_contract(raw, problems)
    if raw is not None:
        json.dumps(raw.meta)  # plain, cacheable data


@FAST
@given(st.binary() | ANY_TEXT.map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_parse_of_arbitrary_bytes_never_raises(data: bytes) -> None:
    for name in ("content/a.md", "content/a.txt"):
        document, problems = parse(SourceFile(name, data, ""), SETTINGS, RENDERER)
        assert_contract(document, problems)


@FAST
@given(ANY_TEXT)
def test_news_text_reader_gives_a_document_or_a_diagnostic(text: str) -> None:
    raw, problems = read_news_text("content/a.txt", text, SETTINGS)
    assert_contract(raw, problems)


@FAST
@given(ANY_TEXT)
def test_front_matter_splitter_keeps_the_body(text: str) -> None:
    fence, front, first_line, body_line = split_front_matter(text)
    lines = text.split("\n")
    if fence is None:
        assert (front, body_line) == ("", 1)
    elif body_line:
        assert first_line == 2 and lines[0].rstrip() == fence
        assert lines[body_line - 2].rstrip() in ("---", "...", "+++")
        assert front == "\n".join(lines[1 : body_line - 2]) + "\n"
    else:
        assert front == text.partition("\n")[2]


@FAST
@given(ANY_TEXT)
def test_yaml_loader_gives_plain_data_or_a_yaml_error(text: str) -> None:
    try:
        data, _ = load_yaml(text)
    except yaml.YAMLError:
        return
    json.dumps(data)


@FAST
@given(ANY_TEXT | st.datetimes().map(str))
def test_date_parser_gives_an_aware_datetime_or_a_date_error(text: str) -> None:
    try:
        parsed = parse_datetime(text, RIYADH)
    except DateError as exc:
        assert str(exc)
        return
    assert parsed.tzinfo is not None
    parsed.astimezone(RIYADH)


EASTERN_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
MONTH_NAMES = (
    ("يناير", "كانون الثاني"), ("فبراير", "شباط"), ("مارس", "آذار"), ("أبريل", "نيسان"),
    ("مايو", "أيار"), ("يونيو", "حزيران"), ("يوليو", "تموز"), ("أغسطس", "آب"),
    ("سبتمبر", "أيلول"), ("أكتوبر", "تشرين الأول"), ("نوفمبر", "تشرين الثاني"),
    ("ديسمبر", "كانون الأول"),
)  # fmt: skip


@FAST
@given(
    st.datetimes(dt.datetime(1900, 1, 1), dt.datetime(2100, 12, 31, 23, 59)),
    st.booleans(),
    st.booleans(),
    st.sampled_from([0, 1]),
)
def test_arabic_date_line_reads_back_the_written_time(
    when: dt.datetime, eastern: bool, weekday: bool, calendar_names: int
) -> None:
    hour12 = when.hour % 12 or 12
    period = "صباحاً" if when.hour < 12 else "مساءً"
    line = (
        f"{when.day} {MONTH_NAMES[when.month - 1][calendar_names]} {when.year} "
        f"الساعة {hour12}:{when.minute:02d} {period}"
    )
    if eastern:
        line = line.translate(EASTERN_DIGITS)
    if weekday:
        line = f"{WEEKDAY_NAMES[when.weekday()]} {line}"
    parsed = parse_arabic_datetime(line, RIYADH)
    assert parsed == when.replace(second=0, microsecond=0, tzinfo=RIYADH)


@FAST
@given(ANY_TEXT)
def test_arabic_date_parser_raises_only_its_own_error(text: str) -> None:
    try:
        parsed = parse_arabic_datetime(text, RIYADH)
    except ArabicDateError as exc:
        assert exc.message
        return
    assert MIN_YEAR <= parsed.year <= MAX_YEAR


@FAST
@given(st.text() | SHAPED_TEXT, st.integers(1, 300))
@example("ab", 1)  # looped forever once
def test_slugify_is_idempotent_short_and_path_safe(text: str, max_bytes: int) -> None:
    slug = slugify(text, max_bytes)
    assert slugify(slug, max_bytes) == slug
    assert len(slug.encode()) <= max_bytes
    assert slug not in (".", "..") and not set("/\\.") & set(slug)
    assert not slug.startswith("-") and not slug.endswith("-") and "--" not in slug


@FAST
@given(st.text())
def test_slugify_keeps_a_letter_or_digit(text: str) -> None:
    # Tatweel and the small Quranic letters count as letters to Unicode; slugify drops them.
    cleaned = strip_tashkeel(unicodedata.normalize("NFKC", text))
    if any(unicodedata.category(ch)[0] in "LN" for ch in cleaned):
        assert slugify(text)


def test_slugify_of_a_long_arabic_title_fits_a_file_name() -> None:
    title = " ".join(["معرض القاهرة الدولي للكتاب يعود في دورته"] * 10)
    slug = slugify(title)
    assert len(slug.encode()) <= SLUG_MAX_BYTES and slug.startswith("معرض-القاهرة")
    assert not slug.endswith("-") and slug in slugify(title, 10_000)


@FAST
@given(META, ANY_TEXT)
def test_model_gives_an_article_or_diagnostics(meta: dict[str, Any], html: str) -> None:
    document = Document("content/a/b.md", meta, dict.fromkeys(meta, 2), html, 5, 3)
    article, problems = to_article(document, CONFIG)  # type: ignore[arg-type]
    assert_contract(article, problems)
    if article is not None:
        assert article.slug and article.title
        assert article.date.tzinfo is not None


@FAST
@given(ANY_TEXT)
@example("\u202a\ufeff")  # nh3 drops a leading BOM, so the first pass must not leave one
@example("\ufeff\ufeff")
def test_sanitised_html_has_no_script_handlers_or_bidi_overrides(html: str) -> None:
    clean = sanitize(html)
    assert sanitize(clean) == clean
    lowered = clean.lower()
    assert "<script" not in lowered and "<iframe" not in lowered and "<svg" not in lowered
    assert not any("\u202a" <= ch <= "\u202e" or "\u2066" <= ch <= "\u2069" for ch in clean)


@FAST
@given(SHAPED_TEXT | st.text(alphabet=string.printable + "خبر[]<>()", max_size=300))
def test_markdown_renders_or_is_refused(text: str) -> None:
    try:
        RENDERER.render(text)
    except MarkupTooComplex as exc:
        assert exc.line >= 1 and exc.message


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(meta=META, body=ANY_TEXT)
def test_whole_build_of_arbitrary_front_matter_never_raises(
    tmp_path_factory: Any, meta: dict[str, Any], body: str
) -> None:
    assume("\x00" not in body)
    front = yaml.safe_dump(meta, allow_unicode=True)
    root = tmp_path_factory.mktemp("site")
    write_files(
        root,
        {
            "sitegen.yaml": MINIMAL_CONFIG,
            "content/a/x.md": f"---\n{front}---\n{body}\n",
            "content/b.md": "---\ntitle: خبر ثابت\ndate: 2022-01-06\ntags: [وسم]\n---\nنص.\n",
        },
    )
    site, problems = load_site(root)
    assert site is not None, problems
    result = build_site(site)
    assert all(isinstance(d, Diagnostic) for d in result.diagnostics)
    for path in result.files:
        assert safe_relative(path), path
        assert ".." not in PurePosixPath(path).parts

import datetime as dt
from zoneinfo import ZoneInfo

from sitegen.build.load import SourceFile
from sitegen.build.markdown_html import MarkdownRenderer
from sitegen.build.model import to_article
from sitegen.build.parse import decode, html_word_count, parse
from sitegen.build.readers.base import ReaderSettings
from sitegen.core.config import parse_config

CONFIG, _ = parse_config(
    "title: x\ntimezone: Asia/Riyadh\ntopics: [{name: سياسة, slug: politics}]\n"
)
assert CONFIG is not None
TZ = ZoneInfo("Asia/Riyadh")


def src(text: str | bytes, path: str = "content/politics/2022-01-05-x.md") -> SourceFile:
    data = text.encode() if isinstance(text, str) else text
    return SourceFile(path, data, "0")


def model(text: str, path: str = "content/politics/2022-01-05-x.md"):
    doc, problems = parse(src(text, path), ReaderSettings(TZ), MarkdownRenderer(CONFIG.markdown))
    assert doc is not None, problems
    return to_article(doc, CONFIG)


def test_decode_handles_bom_crlf_and_reports_bad_bytes() -> None:
    assert decode(src(b"\xef\xbb\xbfa\r\nb\rc"))[0] == "a\nb\nc"
    text, problems = decode(src(b"ok\n\xff\xfe"))
    assert text is None and problems[0].line == 2 and "UTF-8" in problems[0].message
    _, problems = decode(src("a\nb\x00"))
    assert problems[0].line == 2 and "U+0000" in problems[0].message


def test_every_control_character_is_reported_and_nothing_else() -> None:
    """The byte pre-check (`_NOT_CONTROL_BYTES`) lets the expression see every control."""
    controls = [*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0)]
    for code in controls:
        _, problems = decode(src(f"«نص»\nوَ{chr(code)}"))
        assert problems and f"U+{code:04X}" in problems[-1].message and problems[-1].line == 2
    for fine in "\t\r\n\u00a0«»\u00ad\u200f":
        assert decode(src(f"«نص»{fine}ب")) == (f"«نص»{fine}ب".replace("\r", "\n"), [])


def test_markdown_extensions_and_arabic_heading_ids() -> None:
    doc, _ = parse(
        src(
            "---\ntitle: t\n---\n## روسيا تدخلُ على الخط\n\n|a|b|\n|-|-|\n|1|2|\n\nنص[^1]\n\n[^1]: حاشية\n"
        ),
        ReaderSettings(TZ),
        MarkdownRenderer(CONFIG.markdown),
    )
    assert doc is not None
    assert '<h2 id="body-روسيا-تدخل-على-الخط">' in doc.html
    assert "<table>" in doc.html and 'class="footnote"' in doc.html


def test_raw_html_is_sanitised_by_default() -> None:
    doc, _ = parse(
        src(
            '---\ntitle: t\n---\n<p dir="ltr" onclick="x()">hi</p><script>alert(1)</script>\n\n[a](javascript:alert(1))\n'
        ),
        ReaderSettings(TZ),
        MarkdownRenderer(CONFIG.markdown),
    )
    assert doc is not None
    assert "<script" not in doc.html and "onclick" not in doc.html and "javascript:" not in doc.html
    assert 'dir="ltr"' in doc.html


def test_word_count_uses_unicode_words() -> None:
    assert html_word_count("<p>قال الرئيس، اليوم: <b>نعم</b> 2024</p>") == 5


def test_article_fields_and_aliases() -> None:
    article, problems = model(
        "---\ntitle: '  عنوان   الخبر '\ndate: 2022-01-05T10:00:00Z\ncategory: اقتصاد\ntags: أ, ب\n"
        "description: ملخص\nauthors: [س, ص]\nvia: وكالة\nbreaking: true\nextra_key: 1\n"
        "corrections:\n  - {date: 2022-01-06, note: تصحيح}\n---\nالفقرة الأولى.\n"
    )
    assert problems == [] and article is not None
    assert article.title == "عنوان الخبر" and article.slug == "عنوان-الخبر"
    assert article.date == dt.datetime(2022, 1, 5, 13, 0, tzinfo=TZ)
    assert article.topic == "اقتصاد" and article.tags == ("أ", "ب")
    assert article.summary == "ملخص" and article.authors == ("س", "ص")
    assert article.breaking and article.extra == {"extra_key": 1}
    assert article.modified == dt.datetime(2022, 1, 6, tzinfo=TZ)


def test_folder_topic_filename_date_and_first_paragraph_summary() -> None:
    article, problems = model("---\ntitle: t\n---\nأول فقرة.\n\nثانية.\n")
    assert problems == [] and article is not None
    assert article.topic == "سياسة"
    assert article.date == dt.datetime(2022, 1, 5, tzinfo=TZ)
    assert article.summary == "أول فقرة."


def test_a_summary_from_the_body_is_plain_text_not_html() -> None:
    """Entities are decoded: the templates escape the summary once (no `&amp;amp;`)."""
    article, _ = model('---\ntitle: t\n---\nأ & ب <ج> "د" **هـ**\n')
    assert article is not None and article.summary == 'أ & ب <ج> "د" هـ'


def test_naive_times_are_in_site_timezone_and_published_false_is_draft() -> None:
    article, _ = model("---\ntitle: t\ndate: 2022-01-05 09:00\npublished: false\n---\n")
    assert article is not None and article.date.utcoffset() == dt.timedelta(hours=3)
    assert article.draft


def test_every_problem_reported_with_its_line() -> None:
    article, problems = model(
        "---\ndate: yesterday\ntags: 5\ndraft: 'no'\ndir: sideways\n---\n", "content/x.md"
    )
    assert article is None
    found = {(p.line, p.message.split(" ")[0]) for p in problems}
    assert (1, "missing") in found
    assert (2, "cannot") in found
    assert (3, "'tags'") in found
    assert (4, "'draft'") in found
    assert (5, "'dir'") in found


def test_arabic_front_matter_dates_fall_back_to_the_date_line_parser() -> None:
    article, problems = model(
        "---\ntitle: t\ndate: الجمعة ٧ يناير ٢٠٢٢ الساعة ١٢:٥٧ صباحاً\n"
        "updated: 7 كانون الثاني 2022 3:15 م\n---\nنص.\n"
    )
    assert problems == [] and article is not None
    assert article.date == dt.datetime(2022, 1, 7, 0, 57, tzinfo=TZ)
    assert article.updated == dt.datetime(2022, 1, 7, 15, 15, tzinfo=TZ)


def test_unreadable_arabic_front_matter_date_says_why() -> None:
    article, problems = model("---\ntitle: t\ndate: الخميس ٧ يناير ٢٠٢٢\n---\nنص.\n")
    assert article is None
    assert [(p.line, p.message) for p in problems] == [
        (3, "cannot read date 'الخميس ٧ يناير ٢٠٢٢': الخميس does not match 2022-01-07, "
            "which is a الجمعة")
    ]  # fmt: skip


def test_txt_articles_are_read_by_the_news_text_reader() -> None:
    article, problems = model(
        "عنوان الخبر\nالجمعة ٧ يناير ٢٠٢٢ الساعة ١٢:٥٧ صباحاً\nرويترز\nفقرة أولى.\n",
        "content/politics/x.txt",
    )
    assert problems == [] and article is not None
    assert (article.title, article.source, article.topic) == ("عنوان الخبر", "رويترز", "سياسة")
    assert article.date == dt.datetime(2022, 1, 7, 0, 57, tzinfo=TZ)
    assert article.summary == "فقرة أولى."


def test_zero_width_joiners_stay_in_titles_authors_tags_and_topics() -> None:
    """Audit 15.1: the Persian half-space is part of the word; only bidi controls go."""
    zwnj = "می\u200cخواهم"
    article, problems = model(
        f'---\ntitle: "{zwnj}\u202e"\nauthor: "{zwnj}"\ntags: ["{zwnj}", "ک\u200dه"]\n'
        f'topic: "{zwnj}"\nsummary: "{zwnj}"\n---\n'
    )
    assert problems == [] and article is not None
    assert article.title == article.summary == article.topic == zwnj
    assert article.authors == (zwnj,) and article.tags == (zwnj, "ک\u200dه")
    assert article.slug == zwnj


def test_a_configured_topic_is_named_by_its_slug_in_front_matter_and_folders() -> None:
    """Audit 15.3: `topic: politics` was a second topic writing topics/politics/ too."""
    for text, path in [
        ("---\ntitle: t\ntopic: politics\n---\n", "content/economy/2022-01-05-x.md"),
        ("---\ntitle: t\ncategory: Politics\n---\n", "content/2022-01-05-x.md"),
        ("---\ntitle: t\n---\n", "content/Politics/2022-01-05-x.md"),
    ]:
        article, problems = model(text, path)
        assert problems == [] and article is not None and article.topic == "سياسة", text
    article, _ = model("---\ntitle: t\n---\n", "content/economy/2022-01-05-x.md")
    assert article is not None and article.topic == "economy"

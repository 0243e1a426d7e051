"""The news text reader: the seed article, layout variants, malformed files, properties."""

from __future__ import annotations

import json
from pathlib import Path
from zoneinfo import ZoneInfo

import markdown
from hypothesis import given
from hypothesis import strategies as st

from sitegen.build.readers.base import ReaderSettings
from sitegen.build.readers.newstext import parse_news_text, read_news_text
from sitegen.core.diagnostics import has_errors

SEED = Path(__file__).parents[2] / "content" / "world" / "2022-01-07-kazakhstan.txt"
SETTINGS = ReaderSettings(timezone=ZoneInfo("Asia/Riyadh"))
HEADLINE = "واشنطن: لدينا تساؤلات حول شرعية نشر قوات حفظ السلام بكازاخستان"
DATE_LINE = "الجمعة ٧ يناير ٢٠٢٢ الساعة ١٢:٥٧ صباحاً"
PARAGRAPH_1 = "أعلنت إدارة الرئيس الأمريكي، جو بايدن، مساء أمس الخميس، أن لديها تساؤلات."
PARAGRAPH_2 = "وقالت المتحدثة باسم البيت الأبيض، جين بساكي، خلال مؤتمر صحفي عقدته مساء الخميس."
PARAGRAPH_3 = "وأردف برايس أن الولايات المتحدة مستعدة للإسهام في التسوية السلمية."


def read(text: str):
    return read_news_text("content/world/a.txt", text, SETTINGS)


def lines(*items: str) -> str:
    return "\n".join(items) + "\n"


# -- the seed ------------------------------------------------------------------------------------


def test_seed_fields() -> None:
    document, diagnostics = read(SEED.read_text(encoding="utf-8"))
    assert diagnostics == []
    assert document is not None
    assert document.meta == {
        "title": HEADLINE,
        "kicker": "التابعة لمنظمة معاهدة الأمن الجماعي",
        "source": "المواطن",
        "desk": "متابعة",
        "date": "2022-01-07T00:57:00+03:00",
    }
    assert document.meta_lines == {"title": 3, "kicker": 1, "source": 7, "desk": 7, "date": 5}
    assert document.body_line == 9
    json.dumps(document.meta)  # JSON-compatible, so the parse cache can store it


def test_seed_body() -> None:
    document, _ = read(SEED.read_text(encoding="utf-8"))
    assert document is not None
    body = document.body
    headings = [line for line in body.splitlines() if line.startswith("#")]
    assert headings == [
        "## مراقبة أي انتهاكات لحقوق الإنسان",
        "## روسيا تدخل على خط أزمة كازاخستان",
    ]
    assert body.startswith("أعلنت إدارة الرئيس الأمريكي")
    assert body.rstrip().endswith("ضد المشاركين في أعمال الشغب.")
    assert "المزيد" not in body
    assert HEADLINE not in body
    assert "\xa0" not in body
    html = markdown.markdown(body)
    assert html.count("<h2>") == 2
    assert html.count("<p>") == 10


# -- layout variants -----------------------------------------------------------------------------


def test_no_kicker_no_repeat_no_source_western_digits() -> None:
    document, diagnostics = read(
        lines(HEADLINE, "الجمعة 7 يناير 2022 الساعة 12:57 صباحاً", PARAGRAPH_1, PARAGRAPH_2)
    )
    assert diagnostics == []
    assert document is not None
    assert document.meta["title"] == HEADLINE
    assert document.meta["date"] == "2022-01-07T00:57:00+03:00"
    assert set(document.meta) == {"title", "date"}
    assert document.body.startswith("أعلنت")


def test_date_line_before_the_headline() -> None:
    document, diagnostics = read(lines(DATE_LINE, "", HEADLINE, "", PARAGRAPH_1))
    assert diagnostics == []
    assert document is not None
    assert document.meta["title"] == HEADLINE
    assert document.meta_lines["title"] == 3
    assert "kicker" not in document.meta


def test_date_first_with_repeated_headline_and_source() -> None:
    document, _ = read(lines(DATE_LINE, HEADLINE, HEADLINE, "رويترز", "", PARAGRAPH_1))
    assert document is not None
    assert document.meta["title"] == HEADLINE
    assert document.meta["source"] == "رويترز"
    assert document.body == PARAGRAPH_1 + "\n"


def test_source_line_above_the_date_line() -> None:
    document, diagnostics = read(lines(HEADLINE, "القاهرة - أ ش أ", DATE_LINE, PARAGRAPH_1))
    assert diagnostics == []
    assert document is not None
    assert document.meta["title"] == HEADLINE
    assert (document.meta["source"], document.meta["desk"]) == ("القاهرة", "أ ش أ")


def test_repeat_identifies_the_headline_among_several_lines() -> None:
    document, _ = read(
        lines("عاجل", "التابعة لمنظمة معاهدة الأمن الجماعي", HEADLINE, DATE_LINE, HEADLINE,
              PARAGRAPH_1)
    )  # fmt: skip
    assert document is not None
    assert document.meta["title"] == HEADLINE
    assert document.meta["kicker"] == "عاجل — التابعة لمنظمة معاهدة الأمن الجماعي"


def test_repeat_with_different_tashkeel_and_punctuation_is_dropped() -> None:
    document, _ = read(
        lines("عَاجِل: الحكومة تستقيل", DATE_LINE, "عاجل: الحكومة تستقيل.", PARAGRAPH_1)
    )
    assert document is not None
    assert document.body == PARAGRAPH_1 + "\n"


def test_byline_gives_the_author() -> None:
    document, _ = read(lines(HEADLINE, DATE_LINE, "كتب: محمد علي", PARAGRAPH_1))
    assert document is not None
    assert document.meta["author"] == "محمد علي"
    assert document.meta_lines["author"] == 3
    assert "source" not in document.meta


DEK = "الإدارة الأمريكية تشكك في طلب السلطات الكازاخستانية."


def test_line_between_headline_and_date_is_kept_with_a_warning() -> None:
    document, diagnostics = read(lines(HEADLINE, DEK, DATE_LINE, PARAGRAPH_1))
    assert document is not None
    assert document.meta["title"] == HEADLINE
    assert document.body.startswith(DEK)
    assert [(d.line, d.is_error) for d in diagnostics] == [(2, False)]


def test_repeat_beats_the_full_stop_rule() -> None:
    headline = "الحكومة تستقيل."
    document, diagnostics = read(lines(headline, DEK, DATE_LINE, headline, PARAGRAPH_1))
    assert document is not None
    assert document.meta["title"] == headline
    assert document.body.startswith(DEK)
    assert len(diagnostics) == 1


def test_subheadings_only_between_paragraphs() -> None:
    document, _ = read(
        lines(HEADLINE, DATE_LINE, PARAGRAPH_1, "عنوان فرعي أول", PARAGRAPH_2, "سطر أخير قصير")
    )
    assert document is not None
    assert document.body.split("\n\n") == [
        PARAGRAPH_1,
        "## عنوان فرعي أول",
        PARAGRAPH_2,
        "سطر أخير قصير\n",
    ]


def test_two_short_lines_in_a_row_are_paragraphs() -> None:
    document, _ = read(lines(HEADLINE, DATE_LINE, PARAGRAPH_1, "سطر قصير", "سطر آخر", PARAGRAPH_2))
    assert document is not None
    assert "#" not in document.body


def test_boilerplate_is_dropped() -> None:
    document, _ = read(
        lines(
            HEADLINE, DATE_LINE, PARAGRAPH_1,
            "اقرأ أيضاً:", "عنوان خبر آخر مرتبط", "وعنوان ثالث",
            PARAGRAPH_2, "شارك الخبر", "فيسبوك تويتر واتساب", "\xa0", "\u200f",
            "اقرأ أيضا", "عنوان في الآخر", "إقرأ المزيد",
        )
    )  # fmt: skip
    assert document is not None
    assert document.body == f"{PARAGRAPH_1}\n\n{PARAGRAPH_2}\n"


def test_share_verb_in_a_sentence_is_kept() -> None:
    text = "شارك على مدى عقود في مفاوضات السلام."
    document, _ = read(lines(HEADLINE, DATE_LINE, PARAGRAPH_1, text))
    assert document is not None
    assert text in document.body


def test_punctuation_only_lines_are_paragraphs() -> None:
    document, _ = read(lines(HEADLINE, DATE_LINE, PARAGRAPH_1, ":", "َ"))
    assert document is not None
    assert document.body.split("\n\n")[1:] == [":", "َ\n"]


def test_markdown_special_characters_render_literally() -> None:
    tricky = "* نقطة _مائلة_ `كود` <b>وسم</b> [رابط](http://x) # 1. &amp;"
    document, _ = read(lines(HEADLINE, DATE_LINE, tricky, "- قائمة؟", "1. رقم؟"))
    assert document is not None
    html = markdown.markdown(document.body)
    for absent in ("<em>", "<code>", "<b>", "<a ", "<ul>", "<ol>", "<li>", "<h1>"):
        assert absent not in html
    assert "&lt;b&gt;وسم&lt;/b&gt;" in html
    assert "&amp;amp;" in html


# -- malformed files -----------------------------------------------------------------------------


def errors(text: str) -> list[str]:
    document, diagnostics = read(text)
    assert document is None
    assert has_errors(diagnostics)
    return [d.format() for d in diagnostics]


def test_empty_file() -> None:
    assert errors("") == ["content/world/a.txt:1: the file is empty: no headline, date or text"]


def test_whitespace_only_file() -> None:
    assert errors(" \n\xa0\n\t\n") == [
        "content/world/a.txt:1: the file is blank (only whitespace): no headline, date or text"
    ]


def test_only_a_headline() -> None:
    [message] = errors(f"\n{HEADLINE}\n")
    assert message.startswith("content/world/a.txt:2: no date line in the first 6 lines")


def test_no_date_line() -> None:
    [message] = errors(lines(HEADLINE, PARAGRAPH_1, PARAGRAPH_2))
    assert message.startswith("content/world/a.txt:1: no date line")


def test_unreadable_date_line_is_reported_at_its_line() -> None:
    assert errors(lines(HEADLINE, "", "الجمعة ٣١ أبريل ٢٠٢٢", PARAGRAPH_1)) == [
        "content/world/a.txt:3: cannot read the date line: "
        "day 31 does not exist in April 2022 (30 days)"
    ]


def test_wrong_weekday_is_reported() -> None:
    [message] = errors(lines(HEADLINE, "الخميس ٧ يناير ٢٠٢٢", PARAGRAPH_1))
    assert message.startswith("content/world/a.txt:2: cannot read the date line: الخميس")


def test_date_line_alone() -> None:
    assert errors(DATE_LINE) == ["content/world/a.txt:1: no headline above or below the date line"]


def test_headline_and_date_without_text() -> None:
    assert errors(lines(HEADLINE, DATE_LINE, HEADLINE, "المواطن - متابعة")) == [
        "content/world/a.txt:4: no article text after the headline and date line"
    ]


def test_paragraph_is_not_a_headline() -> None:
    long_line = " ".join(["كلمة"] * 40) + "."
    [message] = errors(lines(long_line, DATE_LINE, PARAGRAPH_1))
    assert message.startswith("content/world/a.txt:1: this line is too long for a headline")


def test_binary_content() -> None:
    assert errors("abc\n\x00\x01\x02") == [
        "content/world/a.txt:2: not a text file (it contains NUL characters)"
    ]


# -- properties ----------------------------------------------------------------------------------

ARTICLE_LINES = st.sampled_from(
    [HEADLINE, DATE_LINE, PARAGRAPH_1, PARAGRAPH_2, PARAGRAPH_3, "", "\xa0", "المواطن - متابعة",
     "كتب: محمد", "إقرأ المزيد", "اقرأ أيضاً", "شارك", "عنوان فرعي", "الخميس ٧ يناير ٢٠٢٢",
     "7 يناير 2022 13:00 ص", "* - # > 1. <b>", "\u200f"]
)  # fmt: skip


def check_reader_contract(text: str) -> None:
    document, diagnostics = read(text)
    if document is None:
        assert has_errors(diagnostics)
        return
    assert not has_errors(diagnostics)
    json.dumps(document.meta)
    assert set(document.meta_lines) == set(document.meta)
    assert document.meta["title"]
    assert document.body.strip()
    markdown.markdown(document.body)


@given(st.text())
def test_arbitrary_text_never_raises(text: str) -> None:
    check_reader_contract(text)


@given(st.lists(ARTICLE_LINES, max_size=14).map("\n".join))
def test_article_like_text_never_raises(text: str) -> None:
    check_reader_contract(text)


@given(st.lists(ARTICLE_LINES, max_size=14).map("\n".join))
def test_summary_is_a_paragraph(text: str) -> None:
    article, _ = parse_news_text("a.txt", text, SETTINGS.timezone)
    if article is not None:
        assert article.summary in [b.text for b in article.blocks if b.kind == "paragraph"]


def test_zero_width_joiners_stay_in_the_text() -> None:
    """Audit 15.1: Persian half-spaces were removed from every line; invisible edges still go."""
    headline = "می\u200cخواهم بروم"
    paragraph = "او می\u200cگوید که نمی\u200cآید."
    document, _ = read(lines(f"\u200f{headline}\u200c", DATE_LINE, f"{paragraph}\u200f"))
    assert document is not None
    assert document.meta["title"] == headline
    assert document.body == f"{paragraph}\n"

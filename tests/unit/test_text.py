from hypothesis import given
from hypothesis import strategies as st

from sitegen.core.text import _WORD, count_words, fold, slugify, sort_key, to_western_digits


def test_slugify_arabic_titles() -> None:
    assert slugify("واشنطن: لدينا تساؤلاتٌ حول «الشرعية»!") == "واشنطن-لدينا-تساؤلات-حول-الشرعية"
    assert slugify("قمة NATO في 2024") == "قمة-nato-في-2024"
    assert slugify("كــــتاب") == "كتاب"
    assert slugify("a\u202eb\u200bc") == "abc"


def test_slugify_keeps_zero_width_joiners_inside_words() -> None:
    """The Persian half-space changes the word: می‌خواهم is not میخواهم (audit 15.1)."""
    assert slugify("می\u200cخواهم") == "می\u200cخواهم"
    assert slugify("ک\u200dه") == "ک\u200dه"
    # only between two letters, and never alone or doubled: no invisible slug edges
    assert slugify("\u200cخبر\u200c عاجل\u200c") == "خبر-عاجل"
    assert slugify("a\u200c\u200cb") == slugify("a\u200c!b") == slugify("a👨\u200d👩b") == "ab"
    assert slugify("می\u200cخواهم", 5) == "می"


@given(st.text())
def test_slugify_is_idempotent_and_path_safe(text: str) -> None:
    slug = slugify(text)
    assert slugify(slug) == slug
    assert slug not in (".", "..") and "/" not in slug and "\\" not in slug and "." not in slug


def test_sort_key_folds_alef_forms() -> None:
    assert sort_key("أحمد") == sort_key("احمد") == sort_key("إحمد")


def test_fold_matches_spelling_variants() -> None:
    assert fold("أبريل") == fold("إبريل") == fold("ابريل")
    assert fold("الجمعة") == fold("الجمعه") and fold("جمادى") == fold("جمادي")
    assert fold("مساءً") == fold("مساء") and fold("GMT") == "gmt"


def test_to_western_digits() -> None:
    assert to_western_digits("٧ يناير ۲۰۲۲ 12:٥٧") == "7 يناير 2022 12:57"


def test_slugify_composes_combining_marks_once() -> None:
    assert slugify("C:\u0327") == slugify(slugify("C:\u0327")) == "ç"


def test_count_words_keeps_tashkeel_tatweel_and_half_spaces_inside_words() -> None:
    assert count_words("كَتَبَ الطالبُ الدرسَ") == 3
    assert count_words("إنْ شاءَ اللهُ") == 3
    assert count_words("لـ10 كيلومترات") == 2
    assert count_words("می‌خواهم بروم") == 2


def test_count_words_splits_on_arabic_punctuation_and_keeps_numbers_whole() -> None:
    assert count_words("قال،ثم مضى؛ وانتهى") == 4
    assert count_words("«قال» - ثم (مضى).") == 3
    assert count_words("نمو 5.2% و3,500 عداء و٥٫٢ نقطة") == 6
    assert count_words("COVID-19 — ... !!") == 1


def test_slugify_cuts_a_single_word_to_a_tiny_limit() -> None:
    """Used to loop forever: the cut shrank its byte budget below zero (found by hypothesis)."""
    assert slugify("ab", 1) == "a"
    assert slugify("خبر", 1) == ""
    assert slugify("خبر", 3) == "خ"


WORD_PIECES = st.sampled_from(
    [
        *"ab_1٣ ك\u064e\u0640.,-'’\u200c\u200d\u00a0\u2009\t\n،؛«»()!",
        "كتب",
        "COVID",
        "3,500",
        "\u0670",
    ]
)


@given(text=st.lists(WORD_PIECES, max_size=40).map("".join))
def test_count_words_counts_the_matches_of_the_word_expression(text: str) -> None:
    """The runs of letters and digits between spaces are counted without the expression."""
    assert count_words(text) == len(_WORD.findall(text))

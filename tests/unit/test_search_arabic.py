"""Arabic search keys: normalisation, clitic chains, and the index/query key contract."""

from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from sitegen.build.search.arabic import (
    KEY_END,
    KEY_MARK,
    SEPARATOR,
    annotate_text,
    clitic_chain,
    fold_letters,
    index_keys,
    markable,
    query_key,
    query_text,
    remove_annotations,
    strip_marks,
    strip_suffix,
    words,
)


def test_strip_marks_removes_tashkeel_tatweel_and_quranic_marks() -> None:
    assert strip_marks("الكِتَابُ") == "الكتاب"
    assert strip_marks("مُحَمَّدٌ") == "محمد"
    assert strip_marks("الـ٥٠") == "ال٥٠"
    assert strip_marks("سَمِيعٌ ۖ عَلِيمٌ") == "سميع  عليم"


@pytest.mark.parametrize(
    ("word", "folded"),
    [
        ("أحمد", "احمد"),
        ("إسرائيل", "اسراءيل"),
        ("آلاف", "الاف"),
        ("ٱلله", "الله"),
        ("مستشفى", "مستشفي"),
        ("مدرسة", "مدرسه"),
        ("مسؤول", "مسءول"),
        ("مسئول", "مسءول"),
        ("٢٠٢٢", "2022"),
        ("۱۴۰۱", "1401"),
        ("Reuters", "reuters"),
        ("کتاب", "كتاب"),
    ],
)
def test_fold_keeps_hamza_by_default(word: str, folded: str) -> None:
    assert fold_letters(word) == folded


def test_fold_can_drop_hamza_to_its_seat() -> None:
    assert fold_letters("مسؤول", keep_hamza=False) == "مسوول"
    assert fold_letters("رئيس", keep_hamza=False) == "رييس"


@pytest.mark.parametrize(
    ("word", "stem"),
    [
        ("معلمون", "معلم"),
        ("معلمين", "معلم"),
        ("احتجاجات", "احتجاج"),
        ("مصريه", "مصر"),
        ("مصري", "مصر"),
        ("كتابها", "كتاب"),
        ("مدرسه", "مدرس"),
        ("في", "في"),
        ("ان", "ان"),
    ],
)
def test_strip_suffix(word: str, stem: str) -> None:
    assert strip_suffix(word) == stem


@pytest.mark.parametrize(
    ("word", "links", "after_article"),
    [
        ("والرئيس", ["والرئيس", "الرئيس", "رئيس"], 2),
        ("للشركة", ["للشركة", "الشركة", "شركة"], 2),
        ("وللشركة", ["وللشركة", "للشركة", "الشركة", "شركة"], 3),
        ("وبالعاصمة", ["وبالعاصمة", "بالعاصمة", "العاصمة", "عاصمة"], 3),
        ("لوالدتها", ["لوالدتها", "والدتها"], None),
        ("وزير", ["وزير", "زير"], None),
        ("بنك", ["بنك"], None),
        ("الحق", ["الحق"], None),
        ("ال٥٠", ["ال٥٠", "٥٠"], 1),
        ("الفكرية", ["الفكرية", "فكرية"], 1),
    ],
)
def test_clitic_chain_follows_the_order_of_arabic_proclitics(
    word: str, links: list[str], after_article: int | None
) -> None:
    assert clitic_chain(word) == (links, after_article)


@pytest.mark.parametrize(
    ("query", "key"),
    [
        ("رئيس", "رءيس"),
        ("الرئيس", "رءيس"),
        ("والرئيس", "رءيس"),
        ("وزير", "وزير"),
        ("الوزير", "وزير"),
        ("للشركة", "شرك"),
        ("بالعاصمة", "عاصم"),
        ("مَدِينَة", "مدين"),
        ("أَحْمَد", "احمد"),
        ("الإلغاء", "الغاء"),
        ("الغاء", "غاء"),
        ("آلاف", "الاف"),
        ("٣٠٠", "300"),
        ("برلماني", "برلمان"),
        ("iPhone", "iphone"),
    ],
)
def test_query_key(query: str, key: str) -> None:
    assert query_key(query) == key


def page_keys(token: str) -> set[str]:
    return {key for word in words(token) for key in index_keys(word)}


@pytest.mark.parametrize(
    ("page_word", "query"),
    [
        ("والرئيس", "رئيس"),
        ("والرئيس", "الرئيس"),
        ("فالحكومة", "حكومة"),
        ("والانتخابات", "انتخابات"),
        ("وأكد", "أكد"),
        ("واستمرار", "استمرار"),
        ("وإعلان", "اعلان"),
        ("الوزير", "وزير"),
        ("ووزير", "وزير"),
        ("والفريق", "فريق"),
        ("لوالدتها", "والدة"),
        ("وللوكالة", "وكالة"),
        ("الكِتَابِ", "كتاب"),
        ("المَدِينَة", "مدينة"),
        ("الآلاف", "آلاف"),
        ("الآلاف", "الالاف"),
        ("الإمارات", "الامارات"),
        ("الامارات", "الإمارات"),
        ("مدرسه", "مدرسة"),
        ("المستشفيات", "مستشفى"),
        ("المبنى", "مبني"),
        ("مسؤولون", "مسؤول"),
        ("مسئول", "مسؤول"),
        ("المؤتمر", "موتمر"),
        ("البرلمانية", "برلماني"),
        ("المصريين", "مصري"),
        ("الكهربائية", "كهرباء"),
        ("٢٠٢٤", "2024"),
        ("الـ٥٠", "50"),
        ("لـ«رويترز»", "رويترز"),
        ("«Reuters»", "reuters"),
    ],
)
def test_a_query_word_finds_its_page_forms(page_word: str, query: str) -> None:
    """Pagefind matches a query word as a prefix of indexed words (after stemming both)."""
    key = query_key(query)
    assert any(k.startswith(key) for k in page_keys(page_word))


NOUNS = ["رئيس", "حكومة", "انتخابات", "إعلان", "مدينة", "كتاب", "وزير", "فريق", "شركة", "مؤتمر"]
PROCLITICS = ["", "و", "ف", "ب", "ك", "ل", "ال", "وال", "فال", "بال", "كال", "وبال", "لل", "ولل"]


@given(st.sampled_from(NOUNS), st.sampled_from(PROCLITICS))
def test_every_proclitic_form_carries_the_key_of_the_bare_and_definite_query(
    noun: str, proclitics: str
) -> None:
    keys = page_keys(proclitics + noun)
    assert query_key(noun) in keys
    assert query_key("ال" + noun) in keys


def test_annotate_text_appends_marked_keys_and_marks_a_word_that_is_its_own_key() -> None:
    assert annotate_text("قال والرئيس") == (
        "ǂقالǂ والرئيس ǂوالرءيسǁ ǂالرءيسǁ ǂرءيسǁ ǂوالرييسǁ ǂالرييسǁ ǂرييسǁ"
    )
    assert annotate_text("«Reuters» قال،") == "«ǂReutersǂ» ǂقالǂ،"
    assert annotate_text("السينما..") == "ǂالسينماǂ.. ǂسينماǁ"
    assert annotate_text("“وزير") == "“ǂوزيرǂ ǂزيرǁ"


def pagefind_words(indexed: str) -> set[str]:
    """The words Pagefind stores for an indexed text (pagefind/src/fossick/mod.rs): each
    whitespace-separated token with its non-alphanumeric characters dropped and, when it has
    any, its parts split at ASCII punctuation only (fossick/splitting.rs), stored as they are."""
    stored = set()
    for token in indexed.split():
        stored.add("".join(c for c in token if c.isalnum()).lower())
        if not token.isalnum():
            parts = "".join(" " if c.isascii() and not c.isalnum() else c for c in token)
            stored.update(p.lower() for p in parts.split() if len(p.encode()) > 1)
    return stored


@pytest.mark.parametrize("before", ["", "“", "«", "(", '"', "—"])
@pytest.mark.parametrize("after", ["", "”", "»", "،", "؛", "؟", ".", ":"])
def test_pagefind_stores_the_key_of_a_word_between_any_punctuation(before: str, after: str) -> None:
    """A page whose word `وزير` comes only after `“` was not found by the query `وزير` in most
    partitions: Pagefind split `“ǂوزيرǂ_-_ǂزيرǂ` into `“ǂوزيرǂ` and `ǂزيرǂ`, so the page's only
    match was the whole token run together, found only when it fell in the index chunk loaded."""
    for noun in ("وزير", "الوزير", "رئيس"):
        stored = pagefind_words(annotate_text(before + noun + after))
        key = KEY_MARK + query_key(noun)
        assert {key + KEY_MARK, key + KEY_END} & stored, (before, noun, after, stored)


def test_a_key_where_a_cased_letter_meets_a_digit_stays_unmarked() -> None:
    """Pagefind splits `ǂg20ǂ` into `ǂg` and `20ǂ`: such a key is indexed and asked plain."""
    assert not markable("g20") and not markable("4k") and markable("2022") and markable("رءيس")
    assert annotate_text("G20 ٣٥٣") == "G20 ٣٥٣ ǂ353ǁ"
    assert annotate_text("٢٠G") == "٢٠G_-_20g"
    assert query_text("G20 353") == "g20 ǂ353"


def test_query_text_marks_the_key_of_every_word() -> None:
    assert query_text("  الرئيس الفرنسي، ") == "ǂرءيس ǂفرنس"
    assert query_text("؟!") == ""


@given(st.sampled_from(NOUNS), st.sampled_from(PROCLITICS), st.sampled_from(["", "ها", "ات"]))
def test_no_indexed_word_begins_a_marked_query_key_unless_it_is_an_extension(
    noun: str, proclitics: str, suffix: str
) -> None:
    """Pagefind falls back to the longest indexed word that begins a query word it lacks; with
    marks that can only be a page key the query key begins (so a partition lacking the key adds
    nothing), never a shorter key or a plain word."""
    asked = query_text(noun)
    indexed = annotate_text(proclitics + noun + suffix + " " + noun[:2]).replace(SEPARATOR, " ")
    for word in indexed.split():
        if asked.startswith(word):
            assert word.startswith(asked)


ARABIC_TEXT = st.text(
    alphabet=st.sampled_from(
        list("ابتثجحخدذرزسشصضطظعغفقكلمنهويءأإآىةؤئ ًٌٍَُِّْـ٠١٢٣٤٥٦٧٨٩0123456789 \n\t،.:«»-_AZaz")
    ),
    max_size=80,
)


@given(ARABIC_TEXT)
def test_remove_annotations_restores_the_original_text(text: str) -> None:
    assume(SEPARATOR not in text and KEY_MARK not in text and KEY_END not in text)
    assert remove_annotations(annotate_text(text)) == text


def test_remove_annotations_moves_a_highlight_on_a_key_to_its_word() -> None:
    """Pagefind's excerpt marks the word at each matched position, which is often a key: the
    highlight goes to the word the key follows (and an excerpt may begin with keys)."""
    excerpt = "ǂرييسǁ قال <mark>ǂقالǂ</mark> والرئيس <mark>ǂرءيسǁ</mark> ǂرييسǁ يزور"
    assert remove_annotations(excerpt) == "قال <mark>قال</mark> <mark>والرئيس</mark> يزور"
    excerpt = "<mark>والوزير</mark> ǂوالوزيرǁ <mark>ǂوزيرǁ،</mark> ǂقالǂ"
    assert remove_annotations(excerpt) == "<mark>والوزير</mark>، قال"


@pytest.mark.parametrize("text", ["٠_-", "قال_-", "x-_-", "٠_", "والرئيس-", "a٠_- ب_"])
def test_a_token_ending_in_a_separators_first_letters_is_restored_whole(text: str) -> None:
    # `٠_-` + `_-_0` reads `٠_-_-_…`: the annotation begins at the last `_-_` of such a run
    assert remove_annotations(annotate_text(text)) == text

"""The search index builder: records to Pagefind files in memory."""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import json

import cbor2
import pytest

from sitegen.build.search.arabic import RULES
from sitegen.build.search.index import (
    QUERY_MODULE,
    SearchRecord,
    annotate_html,
    build_bundle,
    query_module,
    record_digest,
    record_html,
    search_index_key,
    sorted_filters,
)

RECORD = SearchRecord(
    url="/2022/01/07/القمة/",
    title="والرئيس يزور القاهرة",
    body='<p>قال <b>الوزير</b> إن "الاتفاق" قريب &amp; مهم.</p><script>if (a < b) {}</script>',
    date="2022-01-07T00:57:00+03:00",
    topic="سياسة",
    meta={"image": "/img/a.jpg"},
)


def test_record_html_indexes_annotated_title_and_body_with_original_metadata() -> None:
    html = record_html(RECORD)
    assert "<html>" in html  # Arabic: no Snowball stemmer, sitegen's keys are the stems
    assert '<meta data-pagefind-meta="title[content]" content="والرئيس يزور القاهرة">' in html
    assert '<meta data-pagefind-meta="image[content]" content="/img/a.jpg">' in html
    assert "<h1>والرئيس ǂوالرءيسǁ " in html
    assert "<b>ǂالوزيرǂ ǂوزيرǁ</b>" in html
    assert "&amp;" in html
    assert "<script>if (a < b) {}</script>" in html


def test_record_html_keeps_the_language_of_a_language_pagefind_stems_without_sitegen() -> None:
    html = record_html(SearchRecord(url="/a/", title="Elections", body="<p>x</p>", language="en"))
    assert '<html lang="en">' in html


def test_record_html_puts_topic_and_dates_in_filters_and_sort_not_searchable_meta() -> None:
    html = record_html(RECORD)
    for name, value in [
        ("topic", "سياسة"),
        ("year", "2022"),
        ("month", "2022-01"),
        ("day", "2022-01-07"),
    ]:
        assert f'<meta data-pagefind-filter="{name}[content]" content="{value}">' in html
    assert '<meta data-pagefind-sort="date[content]" content="2022-01-07T00:57:00+03:00">' in html
    assert 'data-pagefind-meta="date' not in html
    assert 'data-pagefind-meta="topic' not in html


def test_record_html_without_date_or_topic_has_no_such_filters() -> None:
    html = record_html(SearchRecord(url="/a/", title="عنوان", body="<p>نص</p>"))
    assert "data-pagefind-filter" not in html
    assert "data-pagefind-sort" not in html


def test_annotate_html_keeps_markup_and_entities() -> None:
    assert annotate_html('<p dir="auto">و <a href="/x">Reuters</a> &lt;</p><br>') == (
        '<p dir="auto">و <a href="/x">ǂReutersǂ</a> &lt;</p><br>'
    )


def test_query_module_inlines_the_shared_rules() -> None:
    module = query_module()
    first_line, _, rest = module.partition("\n")
    assert first_line.startswith("const RULES = ")
    assert json.loads(first_line.removeprefix("const RULES = ").removesuffix(";")) == RULES
    assert "export function queryText" in rest


@pytest.fixture(scope="module")
def bundle() -> dict[str, bytes]:
    records = [
        RECORD,
        SearchRecord(url="/b/", title="الفريق يفوز", body="<p>والمنتخب</p>", topic="رياضة"),
    ]
    return build_bundle(records)


def test_build_bundle_returns_the_bundle_in_memory(bundle: dict[str, bytes]) -> None:
    for name in ("pagefind.js", "pagefind-entry.json", "wasm.unknown.pagefind"):
        assert name in bundle
    assert QUERY_MODULE not in bundle
    assert any(path.startswith("fragment/") for path in bundle)
    assert any(path.startswith("index/") for path in bundle)
    assert any(path.startswith("filter/") for path in bundle)
    assert not any("-ui." in path or "highlight" in path for path in bundle)
    assert all(data for data in bundle.values())
    entry = json.loads(bundle["pagefind-entry.json"])
    assert list(entry["languages"]) == ["unknown"]  # Arabic, indexed without a stemmer
    assert entry["languages"]["unknown"]["page_count"] == 2


def test_build_bundle_is_deterministic(bundle: dict[str, bytes]) -> None:
    """Pagefind 1.5.2 writes filter values in hash-map order; sitegen sorts them."""
    build_bundle([RECORD])  # the last bundle is remembered: make the next one fresh
    again = build_bundle(
        [
            SearchRecord(url="/b/", title="الفريق يفوز", body="<p>والمنتخب</p>", topic="رياضة"),
            RECORD,
        ]
    )
    assert again == bundle
    assert search_index_key([RECORD]) == search_index_key([RECORD])
    assert search_index_key([RECORD]) != search_index_key([RECORD, RECORD])


def test_sorted_filters_names_files_after_their_sorted_content(bundle: dict[str, bytes]) -> None:
    entry = json.loads(bundle["pagefind-entry.json"])
    meta_path = f"pagefind.{entry['languages']['unknown']['hash']}.pf_meta"
    meta = cbor2.loads(gzip.decompress(bundle[meta_path])[len(b"pagefind_dcd") :])
    filters = meta[3]
    assert [name for name, _ in filters] == ["day", "month", "topic", "year"]
    for name, file_hash in filters:
        data = gzip.decompress(bundle[f"filter/{file_hash}.pf_filter"])
        assert file_hash == "unknown_" + hashlib.sha256(data).hexdigest()[:7]
        filter_name, values = cbor2.loads(data[len(b"pagefind_dcd") :])
        assert filter_name == name
        assert values == sorted(values)
    topics = dict(
        cbor2.loads(gzip.decompress(bundle[f"filter/{dict(filters)['topic']}.pf_filter"])[12:])[1]
    )
    assert topics == {"رياضة": [1], "سياسة": [0]}
    assert sorted_filters(bundle) == bundle


@pytest.mark.parametrize(
    "change",
    [
        {"url": "/x/"},
        {"title": "عنوان آخر"},
        {"body": "<p>نص</p>"},
        {"language": "en"},
        {"edition": "en"},
        {"date": "2022-01-08"},
        {"topic": "اقتصاد"},
        {"filters": {"tag": ["a"]}},
        {"meta": {"image": "/img/b.jpg"}},
    ],
)
def test_every_field_of_a_record_is_in_its_digest_and_the_index_key(change: dict) -> None:
    other = dataclasses.replace(RECORD, **change)
    assert record_digest(other) != record_digest(RECORD)
    assert record_digest(dataclasses.replace(RECORD)) == record_digest(RECORD)
    assert search_index_key([RECORD, other]) == search_index_key([other, RECORD])
    assert search_index_key([other]) != search_index_key([RECORD])

"""The model cache's stored form: a modelled article comes back equal, field by field."""

import dataclasses
import datetime as dt

from sitegen.build.incremental.modeled import decode_article, encode_article
from sitegen.build.load import SourceFile
from sitegen.build.markdown_html import MarkdownRenderer
from sitegen.build.model import to_article
from sitegen.build.parse import parse
from sitegen.build.readers.base import ReaderSettings
from sitegen.core.config import parse_config

CONFIG, _ = parse_config("title: x\ntimezone: America/New_York\n")
assert CONFIG is not None

TEXT = """---
title: "خبر: ما بعد الساعة"
date: 2021-11-07T01:30:00-05:00
updated: 2021-11-07T01:30:00-04:00
topic: سياسة
tags: [النفط, الطاقة]
authors: [أ, ب]
breaking: true
aliases: [/old/x/]
corrections:
  - {date: 2021-11-08T10:00:00-05:00, note: تصحيح}
extra_list: [1, 2.5, {nested: [true, null]}]
---
نص الخبر.
"""


def _modelled(text: str):
    source = SourceFile("content/a/2021-11-07-x.md", text.encode(), "0")
    settings = ReaderSettings(CONFIG.tz)
    doc, problems = parse(source, settings, MarkdownRenderer(CONFIG.markdown))
    assert doc is not None, problems
    article, problems = to_article(doc, CONFIG)
    assert article is not None, problems
    return doc, article


def test_an_article_comes_back_equal_with_its_dates_zone_and_fold() -> None:
    doc, article = _modelled(TEXT)
    assert article.date.fold == 1 and article.updated is not None and article.updated.fold == 0
    encoded = encode_article(article, CONFIG.tz)
    assert encoded is not None
    back = decode_article(encoded, doc, CONFIG.tz)
    assert back == article
    for field in dataclasses.fields(article):
        mine, theirs = getattr(back, field.name), getattr(article, field.name)
        assert type(mine) is type(theirs) and repr(mine) == repr(theirs), field.name
    assert back.date.tzinfo is CONFIG.tz and back.date.fold == 1
    assert [(c.date.fold, c.date.tzinfo) for c in back.corrections] == [(0, CONFIG.tz)]


def test_values_that_would_not_come_back_exactly_are_not_stored() -> None:
    _, article = _modelled(TEXT)
    other = dataclasses.replace(article, extra={"when": dt.date(2022, 1, 7)})  # as TOML gives
    assert encode_article(other, CONFIG.tz) is None
    utc = article.date.astimezone(dt.UTC)
    assert encode_article(dataclasses.replace(article, date=utc), CONFIG.tz) is None

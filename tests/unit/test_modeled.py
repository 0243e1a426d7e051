"""The model cache's JSON form of an article gives back equal values of the same types."""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

from markupsafe import Markup

from sitegen.build.incremental.modeled import decode_modeled, encode_modeled
from sitegen.build.model import Article, Correction
from sitegen.core.diagnostics import warning

RIYADH = ZoneInfo("Asia/Riyadh")


def roundtrip(modeled):  # type: ignore[no-untyped-def]
    encoded = encode_modeled(modeled)
    return None if encoded is None else decode_modeled(json.loads(json.dumps(encoded)))


def test_an_article_comes_back_with_its_types_and_zones() -> None:
    article = Article(
        path="content/a.md",
        title="خبر",
        slug="khabar",
        date=dt.datetime(2022, 1, 7, 9, 30, tzinfo=RIYADH),
        html="",
        summary="ملخص",
        word_count=12,
        tags=("اقتصاد", "نفط"),
        updated=dt.datetime(2022, 1, 8, tzinfo=dt.timezone(dt.timedelta(hours=3))),
        corrections=(Correction(dt.datetime(2022, 1, 9, tzinfo=RIYADH), "تصحيح"),),
        extra={"rating": 4.5, "when": dt.date(2022, 1, 1), 7: [1, (2, 3)], "at": dt.time(8, 0)},
        lines={"title": 2},
    )
    problems = (warning("content/a.md", 3, "unknown key 'x'"),)
    back = roundtrip((article, problems))
    assert back is not None
    assert repr(back[0]) == repr(article)  # repr names every type and zone
    assert back[1] == problems
    assert roundtrip((None, problems)) == (None, problems)


def test_values_json_would_change_are_not_kept() -> None:
    date = dt.datetime(2022, 1, 7, tzinfo=RIYADH)
    article = Article("content/a.md", "t", "t", date, "", "s", 1, extra={"m": Markup("<b>")})
    assert encode_modeled((article, ())) is None

"""The search index's partitions: by period, bounded in size, stable as articles are added."""

from __future__ import annotations

import json

from sitegen.build.search.index import SearchRecord
from sitegen.build.search.partitions import (
    build_search_index,
    entry_files,
    partition_records,
)


def records(*dates: str | None) -> list[SearchRecord]:
    return [SearchRecord(url=f"/{i}/", title="t", body="", date=d) for i, d in enumerate(dates)]


def names(parts: dict[str, list[SearchRecord]]) -> dict[str, int]:
    return {name: len(found) for name, found in parts.items()}


def test_years_within_the_limit_are_packed_into_one_partition_and_undated_comes_last() -> None:
    dates = ("2021-03-01", None, "2022-01-07T10:00:00+03:00", "2021-12-31", "2019-05-01")
    parts = partition_records(records(*dates))
    assert names(parts) == {"2019": 4, "undated": 1}
    assert [r.url for r in parts["2019"]] == ["/0/", "/2/", "/3/", "/4/"]
    assert names(partition_records(records(*dates), limit=2)) == {
        "2022": 1,
        "2021": 2,
        "2019": 1,
        "undated": 1,
    }


def test_a_larger_year_splits_into_months_and_a_larger_month_into_runs_of_days() -> None:
    dates = ["2021-01-05"] * 2 + ["2021-02-01"] * 2 + ["2021-02-02"] + ["2021-02-09"] * 2
    dates += ["2020-06-01"] * 3
    parts = partition_records(records(*dates), limit=3)
    assert names(parts) == {"2021-02-09": 2, "2021-02-01": 3, "2021-01": 2, "2020": 3}


def test_a_day_larger_than_the_limit_stays_one_partition() -> None:
    assert names(partition_records(records(*["2021-02-01"] * 5), limit=2)) == {"2021-02-01": 5}


def test_articles_added_to_the_last_day_leave_the_older_partitions_alone() -> None:
    old = ["2021-01-05"] * 2 + ["2021-02-01"] * 2 + ["2021-02-09"] * 2 + ["2021-02-10"]
    before = partition_records(records(*old), limit=3)
    after = partition_records(records(*old, "2021-02-10", "2021-02-10"), limit=3)
    changed = {n for n in before.keys() | after.keys() if before.get(n) != after.get(n)}
    assert changed == {"2021-02-09", "2021-02-10"}  # the newest run, split in two


def test_the_query_module_lists_the_partitions() -> None:
    (module,) = entry_files(["2022", "2021"]).values()
    first = module.decode().splitlines()[0]
    assert json.loads(first.removeprefix("const PARTITIONS = ").removesuffix(";")) == [
        "2022",
        "2021",
    ]
    assert "export function openIndex" in module.decode()


def test_each_partition_is_a_bundle_of_its_own() -> None:
    files = build_search_index(records("2022-01-07", "2021-12-01", "2021-11-01"), limit=1)
    for name in ("2022", "2021-12", "2021-11"):
        entry = json.loads(files[f"pagefind/{name}/pagefind-entry.json"])
        assert entry["languages"]["unknown"]["page_count"] == 1
        assert f"pagefind/{name}/pagefind.js" in files
    assert "pagefind/sitegen-search.js" in files

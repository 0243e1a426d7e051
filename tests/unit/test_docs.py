"""The examples in docs/ are valid and build."""

from __future__ import annotations

import re
from pathlib import Path

from sitegen.config import parse_config
from tests.conftest import MINIMAL_CONFIG, build_site

DOCS = Path(__file__).resolve().parents[2] / "docs"
EXAMPLE = re.compile(r"<!-- example: (\S+) -->\n```\w*\n(.*?)```", re.S)


def examples(name: str) -> dict[str, str]:
    return dict(EXAMPLE.findall((DOCS / name).read_text(encoding="utf-8")))


def test_configuration_example_is_valid_and_builds(make_site) -> None:
    text = examples("configuration.md")["sitegen.yaml"]
    config, problems = parse_config(text)
    assert problems == [] and config is not None
    assert config.base_path == "/news/" and config.locale.hijri
    site = make_site({"content/a.md": "---\ntitle: خبر\ndate: 2022-01-07\n---\nنص\n"}, config=text)
    result = build_site(site)
    assert result.ok, [d.format() for d in result.diagnostics]


def test_content_example_builds_with_every_field(make_site) -> None:
    files = examples("content.md")
    site = make_site(files, config=MINIMAL_CONFIG)
    result = build_site(site)
    assert result.ok, [d.format() for d in result.diagnostics]
    page = result.files["2022/01/07/قمة-nato-في-2024-تناقش-أمن-المنطقة/index.html"].decode()
    for text in (
        "وكالة المشرق",
        "وكالة الأنباء العربية",
        "قمة الحلف",
        "صُحح عدد الدول المشاركة",
        "<h2",
    ):
        assert text in page

"""A small generated news site and helpers to build it incrementally and from scratch."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import os
import random
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path, PurePosixPath

from sitegen.build.incremental.memory_cache import MemoryCache
from sitegen.build.incremental.stores import DiskCache
from sitegen.build.pipeline import BuildOptions, BuildResult, build
from sitegen.build.write import write_site
from sitegen.core.config import load_site
from tests.conftest import FIXED_NOW

TOPICS = [("سياسة", "politics"), ("اقتصاد", "economy"), ("رياضة", "sports")]
TAGS = ["النفط", "الانتخابات", "كرة القدم", "الموازنة", "الطاقة", "البرلمان"]
FOLDERS = [
    "politics",
    "economy",
    "sports",
]  # content/<topic slug>/: the topic of topic-less articles
WORDS = [
    "أعلنت",
    "الحكومة",
    "اليوم",
    "خطة",
    "جديدة",
    "لدعم",
    "الاقتصاد",
    "وقال",
    "الوزير",
    "إن",
    "النتائج",
    "مشجعة",
]

CONFIG = """title: موجز الاختبار
language: ar
timezone: Asia/Riyadh
base_url: https://example.org/
paginate:
  articles: 3
  days: 2
topics:
  - name: سياسة
    slug: politics
  - name: اقتصاد
    slug: economy
  - name: رياضة
    slug: sports
"""
# The further language of a bilingual site (docs/languages.md#bilingual-sites)
LANGUAGES = """languages:
  en:
    title: Test Digest
    description: The news in brief
    topics: {politics: Politics, economy: Economy}
"""


def article_text(rng: random.Random, number: int, day: int | None = None) -> str:
    """One article with a unique title, a date in early January 2022, tags and a body."""
    topic = rng.choice([*TOPICS, None])  # None: the topic comes from the article's folder
    tags = rng.sample(TAGS, rng.randint(1, 3))
    day = day if day is not None else rng.randint(1, 7)
    body = "\n\n".join(
        " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 20))) for _ in range(2)
    )
    front = [
        f'title: "خبر رقم {number} {rng.choice(WORDS)}"',
        f"date: 2022-01-0{day}T{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:00+03:00",
        *([f"topic: {topic[0]}"] if topic else []),
        "tags:",
        *[f"  - {t}" for t in tags],
    ]
    return "---\n" + "\n".join(front) + f"\n---\n## عنوان فرعي {number}\n\n{body}\n"


def make_news_site(root: Path, count: int, seed: int = 1, bilingual: bool = False) -> Path:
    """`count` articles in the topics' folders; `bilingual`: an English edition too, with
    every third article in English and translation pairs among them."""
    rng = random.Random(seed)
    for folder in FOLDERS:
        (root / "content" / folder).mkdir(parents=True, exist_ok=True)
    (root / "sitegen.yaml").write_text(CONFIG + (LANGUAGES if bilingual else ""), encoding="utf-8")
    for n in range(count):
        path = root / "content" / FOLDERS[n % len(FOLDERS)] / f"a{n:03d}.md"
        text = article_text(rng, n)
        if bilingual and n % 3 == 0:
            text = text.replace("---\n", f"---\nlang: en\ntranslation_key: k{n // 3}\n", 1)
        elif bilingual and n % 3 == 1:
            text = text.replace("---\n", f"---\ntranslation_key: k{n // 3}\n", 1)
        path.write_text(text, encoding="utf-8")
    return root


def build_incrementally(root: Path, *, jobs: int = 1, now: dt.datetime = FIXED_NOW) -> BuildResult:
    """What `sitegen build` does: build with the disk cache, write, record the pages."""
    site, problems = load_site(root)
    assert site is not None, problems
    cache = DiskCache(site.state_dir, site.output_dir)
    result = build(site, BuildOptions(now=now, jobs=jobs), cache=cache)
    assert result.ok, [d.format() for d in result.diagnostics]
    write_site(result.files, site.output_dir, site.state_dir, result.unchanged)
    cache.commit_pages()
    return result


def build_in_memory(
    root: Path, cache: MemoryCache, now: dt.datetime = FIXED_NOW
) -> dict[str, bytes]:
    """What `sitegen serve` does: build with the memory cache, which keeps the result."""
    site, problems = load_site(root)
    assert site is not None, problems
    result = build(site, BuildOptions(now=now, jobs=1), cache=cache)
    assert result.ok, [d.format() for d in result.diagnostics]
    cache.remember(result.files)
    return dict(result.files)


def build_clean(root: Path, now: dt.datetime = FIXED_NOW) -> dict[str, bytes]:
    """The reference: every file of a build without any cache."""
    site, problems = load_site(root)
    assert site is not None, problems
    result = build(site, BuildOptions(now=now, jobs=1))
    assert result.ok, [d.format() for d in result.diagnostics]
    return dict(result.files)


def searchable(files: Mapping[str, bytes]) -> dict[str, dict[str, object]]:
    """What a site's search index holds, by language folder: each hit's fragment (URL,
    content, filters, meta …) by URL, over every partition `sitegen-search.js` lists, the
    `REPLACED` hits left out (`sitegen.build.search.overlay`)."""
    found: dict[str, dict[str, object]] = {}
    for entry in (p for p in files if p.endswith("/sitegen-search.js")):
        folder = entry.removesuffix("sitegen-search.js")
        head = files[entry].decode().splitlines()
        partitions = json.loads(head[0].removeprefix("const PARTITIONS = ").removesuffix(";"))
        replaced = set(json.loads(head[1].removeprefix("const REPLACED = ").removesuffix(";")))
        hits = found.setdefault(folder, {})
        for name in partitions:
            prefix = f"{folder}{name}/fragment/"
            for path in (p for p in files if p.startswith(prefix)):
                if PurePosixPath(path).stem not in replaced:
                    fragment = json.loads(
                        gzip.decompress(files[path]).removeprefix(b"pagefind_dcd")
                    )
                    assert fragment["url"] not in hits, (path, "found twice")
                    hits[fragment["url"]] = fragment
    return found


def assert_same_site(
    actual: Mapping[str, bytes], expected: Mapping[str, bytes], why: object
) -> None:
    """`actual` is `expected` byte for byte, but for a search index with edits since the last
    whole build (an `edits` partition): that one must hold the same hits as `expected`'s."""
    edited = any(p.startswith("pagefind/") and "/edits/" in p for p in actual)
    outside = [p for p in {*actual, *expected} if not (edited and p.startswith("pagefind/"))]
    assert sorted(p for p in actual if p in outside) == sorted(
        p for p in expected if p in outside
    ), why
    different = [p for p in outside if actual[p] != expected[p]]
    assert not different, (why, different[:5])
    if edited:
        assert searchable(actual) == searchable(expected), why


def folder_files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def modules_of_build(root: Path) -> set[str]:
    """The modules `sitegen build -q` leaves imported when run on `root` in a fresh process
    of this checkout (after a first build, run the same way, has made its cache)."""
    repo = Path(__file__).resolve().parents[2]
    command = ["sitegen", "build", "-q", "-s", str(root)]
    probe = (
        "import runpy, sys\n"
        f"sys.argv = {command!r}\n"
        "try:\n    runpy.run_module('sitegen', run_name='__main__')\n"
        "except SystemExit as exc:\n    assert not exc.code, exc.code\n"
        "print(*sorted(sys.modules))"
    )
    env = {**os.environ, "PYTHONPATH": str(repo)}
    found = subprocess.run(
        [sys.executable, "-c", probe], check=True, cwd=repo, env=env, capture_output=True, text=True
    )
    return set(found.stdout.split())

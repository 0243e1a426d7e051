"""Time share cards: drawing one card (one process), then whole builds of a corpus with cards
on and off (clean, and one edited headline with the card cache warm).

Run from the repository root:
`PYTHONPATH=$PWD python bench/bench_cards.py [--count 200] [--corpus-size 1000]`
(`--corpus-size 0` skips the builds). The corpus is bench/shared/make_corpus.py's.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sitegen.build.cards.draw import CardText, Painter, draw_card
from sitegen.build.cards.style import card_style
from sitegen.build.theme import builtin_card
from sitegen.core.config import parse_config

WORDS = [
    "قمة",
    "عربية",
    "في",
    "الرياض",
    "تبحث",
    "الأمن",
    "المائي",
    "والطاقة",
    "مع",
    "وزراء",
    "الخارجية",
    "Apple",
    "iPhone",
    "15",
    "بسعر",
    "4199",
    "ريالاً",
    "خلال",
    "٢٠٢٤",
]
ROOT = Path(__file__).resolve().parents[1]


def headline(i: int) -> str:
    """Headlines of 3 to 30 words, some with Latin words and digits."""
    count = 3 + (i * 7) % 28
    return " ".join(WORDS[(i * 5 + k * 3) % len(WORDS)] for k in range(count))


def time_drawing(count: int) -> None:
    config, _ = parse_config("title: الموجز\n")
    assert config is not None
    painter = Painter(card_style(builtin_card(), config, ())[0])
    texts = [
        CardText(headline(i), "سياسة", "الموجز", "٧ يناير ٢٠٢٢", "rtl", "ar", "rtl", "ar")
        for i in range(count)
    ]
    draw_card(painter, texts[0])  # fonts loaded
    times, cpu, sizes = [], [], []
    for text in texts:
        started, cpu_started = time.perf_counter(), time.process_time()
        sizes.append(len(draw_card(painter, text)))
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
    print(
        f"drawing, one process, {count} cards: wall median {statistics.median(times) * 1000:.1f}"
        f" ms (max {max(times) * 1000:.1f}), CPU median {statistics.median(cpu) * 1000:.1f} ms,"
        f" mean {statistics.mean(cpu) * 1000:.1f} ms a card; PNG median"
        f" {statistics.median(sizes) / 1000:.0f} kB"
    )


def build(site: Path) -> float:
    started = time.perf_counter()
    command = [sys.executable, "-m", "sitegen", "build", "-q"]
    subprocess.run(command, cwd=site, check=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    return time.perf_counter() - started


def time_builds(size: int, work: Path) -> None:
    corpus = work / "corpus"
    maker = ROOT / "bench" / "shared" / "make_corpus.py"
    subprocess.run(
        [sys.executable, str(maker), "--count", str(size), "--out", str(corpus)],
        check=True,
        capture_output=True,
    )
    config = (corpus / "sitegen.yaml").read_text(encoding="utf-8")
    for cards in ("false", "true"):
        site = work / f"cards-{cards}"
        shutil.copytree(corpus, site)
        (site / "sitegen.yaml").write_text(config + f"card: {cards}\n", encoding="utf-8")
        clean = build(site)
        cards_made = len(list((site / "output").rglob("card.png")))
        article = sorted((site / "content").rglob("*.md"))[size // 2]
        text = article.read_text(encoding="utf-8")
        article.write_text(re.sub(r'^title: "', 'title: "محدث: ', text, count=1, flags=re.M))
        edit = build(site)
        print(
            f"{size} articles, card: {cards}: clean {clean:.2f} s, one edited headline"
            f" {edit:.2f} s; {cards_made} cards"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=200, help="cards drawn in one process")
    parser.add_argument("--corpus-size", type=int, default=1000, help="articles (0: no builds)")
    args = parser.parse_args()
    time_drawing(args.count)
    if args.corpus_size:
        with tempfile.TemporaryDirectory() as work:
            time_builds(args.corpus_size, Path(work))


if __name__ == "__main__":
    main()

"""The parse stage alone, in one process: CPU per article and a digest of what it made.

    PYTHONPATH=<checkout> python bench/parse_bench.py SITE [--count N] [--repeat R]

Parses the first N sources of SITE's `content/` (sorted paths) once, cold, as a build does,
then R more times (warm: caches such as slugify's are full), and prints the CPU time of each
pass per article and a digest of every document (body HTML, front matter, its lines, word
count, body line) and diagnostic. Run it with two checkouts to compare them: the digests must
be equal, the times taken close together (the machine may be shared).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

from sitegen.build.load import ARTICLE_SUFFIXES, SourceFile
from sitegen.build.parse import parse, parse_setup, prepare_parser
from sitegen.core.config import load_site


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("site", type=Path)
    ap.add_argument("--count", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args(argv)
    site, problems = load_site(args.site)
    if site is None:
        raise SystemExit("\n".join(map(str, problems)))
    files = sorted(p for p in (args.site / "content").rglob("*") if p.suffix in ARTICLE_SUFFIXES)
    sources = [
        SourceFile(p.relative_to(args.site).as_posix(), p.read_bytes(), "")
        for p in files[: args.count]
    ]
    settings, renderer = prepare_parser(parse_setup(site.config))
    digest = hashlib.sha256()
    passes = []
    for run in range(args.repeat + 1):
        began = time.process_time()
        results = [parse(source, settings, renderer) for source in sources]
        passes.append((time.process_time() - began) / len(sources) * 1000)
        if run == 0:
            for document, found in results:
                made = document and (
                    document.html,
                    document.meta,
                    document.meta_lines,
                    document.word_count,
                    document.body_line,
                )
                record = [made, [str(problem) for problem in found]]
                digest.update(json.dumps(record, ensure_ascii=False, default=str).encode())
    print(
        f"{len(sources):,} sources, digest {digest.hexdigest()[:16]}, ms an article: "
        f"cold {passes[0]:.3f}, warm " + " ".join(f"{p:.3f}" for p in passes[1:])
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Reference verdicts of datatrove 0.10.1's heuristic filters, for Syllabus's parity tests.

Runs GopherQualityFilter, GopherRepetitionFilter, C4QualityFilter and FineWebQualityFilter (all with
their default arguments, language English) on every record of the English web, Q&A and books files of
the shared data, each filter on the original text, and writes Tests/Fixtures/filters/verdicts.tsv:

    file  id  gopher_quality  gopher_repetition  c4_quality  c4_text  fineweb_quality

A verdict is `keep` or datatrove's drop reason. `c4_text` is `=` when C4 kept the document and left its
text unchanged, the xxh64 (seed 0, hex) of the UTF-8 text after C4's line edits when it changed it, and
`-` when C4 dropped the document.

Set-up (datatrove's English word tokenizer is spaCy's blank "en" pipeline, which datatrove does not
install by itself):
    python3 -m venv Benchmarks/work/venv
    Benchmarks/work/venv/bin/pip install "datatrove[processing]==0.10.1" "spacy>=3.8,<3.9" xxhash
    Benchmarks/work/venv/bin/python tools/reference/filter_fixtures.py [--data ../shared/data]
The output is deterministic (records in file order; files in the order listed below).
"""
import argparse
import json
import sys
import time
from importlib.metadata import version
from pathlib import Path

import xxhash
from datatrove.data import Document
from datatrove.pipeline.filters import (
    C4QualityFilter,
    FineWebQualityFilter,
    GopherQualityFilter,
    GopherRepetitionFilter,
)

FILES = [
    "web/c4_en_sample.jsonl",
    "web/dolma_cc_en_head.jsonl",
    "web/warc_html_pages.jsonl",
    "web/redpajama_pile_samples.jsonl",
    "web/arxiv_latex_sections.jsonl",
    "qa/stackexchange_math_physics_stats.jsonl",
    "qa/skeptics_stackexchange.jsonl",
    "qa/stackexchange_dump_threads.jsonl",
    "qa/redpajama_stackexchange_with_dj_stats.jsonl",
    "books/books.jsonl",
]


def verdict(result) -> str:
    if result is True:
        return "keep"
    if isinstance(result, tuple):
        ok, reason = result
        return "keep" if ok else reason
    return "keep" if result else "drop"


def main() -> int:
    root = Path(__file__).resolve().parents[2]
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=root.parent / "shared" / "data")
    parser.add_argument("--out", type=Path, default=root / "Tests" / "Fixtures" / "filters" / "verdicts.tsv")
    args = parser.parse_args()

    filters = {
        "gopher_quality": GopherQualityFilter(),
        "gopher_repetition": GopherRepetitionFilter(),
        "c4_quality": C4QualityFilter(),
        "fineweb_quality": FineWebQualityFilter(),
    }
    seconds = dict.fromkeys(filters, 0.0)
    rows = []
    for name in FILES:
        with open(args.data / name, encoding="utf-8") as f:
            for line in f:
                record = json.loads(line)
                out = [name, record["id"]]
                for key, filt in filters.items():
                    doc = Document(text=record["text"], id=record["id"])
                    start = time.perf_counter()
                    result = filt.filter(doc)
                    seconds[key] += time.perf_counter() - start
                    v = verdict(result)
                    out.append(v)
                    if key == "c4_quality":
                        if v != "keep":
                            out.append("-")
                        elif doc.text == record["text"]:
                            out.append("=")
                        else:
                            out.append(f"{xxhash.xxh64(doc.text.encode('utf-8')).intdigest():x}")
                rows.append(out)

    args.out.parent.mkdir(parents=True, exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as f:
        f.write(f"# datatrove {version('datatrove')} spacy {version('spacy')}: default filters, language eng\n")
        f.write("file\tid\tgopher_quality\tgopher_repetition\tc4_quality\tc4_text\tfineweb_quality\n")
        for row in rows:
            f.write("\t".join(row) + "\n")
    print(f"{len(rows)} documents -> {args.out}", file=sys.stderr)
    for key, s in seconds.items():
        print(f"  {key}: {s:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

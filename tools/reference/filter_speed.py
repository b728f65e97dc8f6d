#!/usr/bin/env python3
"""Times datatrove 0.10.1's chain GopherQuality → GopherRepetition → C4Quality → FineWebQuality on JSONL files,
one process, one core, filter calls only (reading excluded). Prints documents, MB of text, seconds, MB/s, kept.

    Benchmarks/work/venv/bin/python tools/reference/filter_speed.py FILE.jsonl...
"""
import json
import sys
import time

from datatrove.data import Document
from datatrove.pipeline.filters import C4QualityFilter, FineWebQualityFilter, GopherQualityFilter, GopherRepetitionFilter

docs = [json.loads(line) for path in sys.argv[1:] for line in open(path, encoding="utf-8")]
chain = [GopherQualityFilter(), GopherRepetitionFilter(), C4QualityFilter(), FineWebQualityFilter()]
size = sum(len(d["text"].encode("utf-8")) for d in docs)
kept = 0
start = time.perf_counter()
for d in docs:
    doc = Document(text=d["text"], id=d["id"])
    for f in chain:
        r = f.filter(doc)
        if not (r is True or (isinstance(r, tuple) and r[0])):
            break
    else:
        kept += 1
seconds = time.perf_counter() - start
print(json.dumps({"docs": len(docs), "mb": round(size / 1e6, 3), "seconds": round(seconds, 2),
                  "mb_per_s": round(size / 1e6 / seconds, 3), "docs_per_s": round(len(docs) / seconds, 1), "kept": kept}))

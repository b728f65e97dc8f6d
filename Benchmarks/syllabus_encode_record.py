#!/usr/bin/env python3
"""Reads `syllabus tokenize --encode-only` output on stdin (its `encode-only pass …` lines, which it also
copies to stderr for the row's log) and writes the run's record in the format of tools/reference/tokenize_peer.py
`--record`, so Benchmarks/tokenize.sh and tokenize_report.py treat Syllabus's encode-only rows like the peers'.

    syllabus tokenize --tokenizer F --encode-only --workers N C.jsonl 2>&1 | syllabus_encode_record.py RECORD
"""
import json
import re
import sys

PASS = re.compile(r"^encode-only pass \d+/\d+: (\d+) documents, (\d+) tokens, ([\d.]+) s, ([\d.]+) s of CPU, "
                  r"([\d.]+) MB/s of text")

runs, cpu, tokens, docs = [], 0.0, None, None
for line in sys.stdin:
    sys.stderr.write(line)
    m = PASS.match(line.strip())
    if m:
        docs, tokens = int(m.group(1)), int(m.group(2))
        runs.append(float(m.group(3)))
        cpu += float(m.group(4))
if not runs:
    sys.exit("syllabus_encode_record: no `encode-only pass` line in the output")
with open(sys.argv[1], "a") as f:
    f.write(json.dumps({"runs_s": runs, "tokens": tokens, "docs": docs, "cpu_s_timed": round(cpu, 4),
                        "version": "syllabus", "warmup_text_bytes": 0}) + "\n")

#!/usr/bin/env python3
"""Reads `syllabus tokenize --encode-only --passes 2` output on stdin (its `encode-only pass …` lines, which it
also copies to stderr for the row's log) and writes the run's record in the format of
tools/reference/tokenize_peer.py `--record`, so Benchmarks/tokenize.sh and tokenize_report.py treat Syllabus's
encode-only rows like the peers'. Only the last pass is timed: the ones before it are the warm-up (like the
peer's `--warmup-mb`): they touch the tokenizer image's pages and wake the second core, which a 0.1 s pass
right after the script's 3 s quiet check otherwise pays for (two-worker code passes used 1.64 cores, later
passes 1.9). Every pass starts with fresh encoders, so the timed one's piece caches start empty.

    syllabus tokenize --tokenizer F --encode-only --passes 2 --workers N C.jsonl 2>&1 | syllabus_encode_record.py RECORD
"""
import json
import re
import sys

PASS = re.compile(r"^encode-only pass \d+/\d+: (\d+) documents, (\d+) tokens, ([\d.]+) s, ([\d.]+) s of CPU, "
                  r"([\d.]+) MB/s of text")

passes = []
for line in sys.stdin:
    sys.stderr.write(line)
    m = PASS.match(line.strip())
    if m:
        passes.append(m)
if not passes:
    sys.exit("syllabus_encode_record: no `encode-only pass` line in the output")
last = passes[-1]
warmup_bytes = 0
with open(sys.argv[1], "a") as f:
    f.write(json.dumps({"runs_s": [float(last.group(3))], "tokens": int(last.group(2)), "docs": int(last.group(1)),
                        "cpu_s_timed": float(last.group(4)), "version": "syllabus",
                        "warmup_passes": len(passes) - 1, "warmup_text_bytes": None}) + "\n")

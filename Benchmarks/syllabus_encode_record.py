#!/usr/bin/env python3
"""Reads `syllabus tokenize --encode-only --passes 2` output on stdin (its `encode-only pass …` lines, which it
also copies to stderr for the row's log) and writes the run's record in the format of
tools/reference/tokenize_peer.py `--record`, so Benchmarks/tokenize.sh and tokenize_report.py treat Syllabus's
encode-only rows like the peers'. Only the last pass is timed: the ones before it are the warm-up (like the
peer's `--warmup-mb`): they touch the tokenizer image's pages and wake the second core, which a 0.1 s pass
right after the script's 3 s quiet check otherwise pays for (two-worker code passes used 1.64 cores, later
passes 1.9). Every pass starts with fresh encoders, so the timed one's piece caches start empty.

    syllabus tokenize --tokenizer F --encode-only --passes 2 --workers N C.jsonl 2>&1 | syllabus_encode_record.py RECORD

With `--worker-counts 1,2` (the paired scaling row), the record also holds the printed speed-up (the median
over passes 2.. of the 1-worker time over the 2-worker time within a pass), and its time is the median
1-worker pass after the first.
"""
import json
import re
import sys

PASS = re.compile(r"^encode-only pass \d+/\d+: (\d+) documents, (\d+) tokens, ([\d.]+) s, ([\d.]+) s of CPU, "
                  r"([\d.]+) MB/s of text")

SPEEDUP = re.compile(r"^encode-only speed-up of (\d+) workers over (\d+): ([\d.]+)x \(median of (\d+) passes; ([\d.]+)-([\d.]+)x")
WORKERS = re.compile(r", (\d+) workers$")

passes, speedup = [], None
for line in sys.stdin:
    sys.stderr.write(line)
    line = line.strip()
    if m := PASS.match(line):
        passes.append((m, int(WORKERS.search(line).group(1))))
    elif s := SPEEDUP.match(line):
        speedup = {"workers": int(s.group(1)), "base_workers": int(s.group(2)), "median": float(s.group(3)),
                   "passes": int(s.group(4)), "min": float(s.group(5)), "max": float(s.group(6))}
if not passes:
    sys.exit("syllabus_encode_record: no `encode-only pass` line in the output")
if speedup:
    base = [m for m, w in passes if w == speedup["base_workers"]]
    base = sorted(base[1:] or base, key=lambda m: float(m.group(3)))  # the first pass warms up
    timed = base[len(base) // 2]
    record = {"runs_s": [float(timed.group(3))], "cpu_s_timed": float(timed.group(4)), "speedup": speedup}
else:
    timed = passes[-1][0]
    record = {"runs_s": [float(timed.group(3))], "cpu_s_timed": float(timed.group(4))}
record.update(tokens=int(timed.group(2)), docs=int(timed.group(1)), version="syllabus",
              warmup_passes=1 if speedup else len(passes) - 1, warmup_text_bytes=None)
with open(sys.argv[1], "a") as f:
    f.write(json.dumps(record) + "\n")

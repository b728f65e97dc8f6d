#!/usr/bin/env python3
"""A/B test of two `syllabus` binaries on the curation chain of `Benchmarks/filters.sh` (run that once
first: it prepares `Benchmarks/work/filters/` with the input files and `chain.yaml`), or on `syllabus tokenize`
(`--tokenize CORPUS.jsonl --tokenizer FILE [--workers N]`, e.g. the corpora `Benchmarks/tokenize.sh` builds in
`Benchmarks/work/tokcorpus/`).

    python3 Benchmarks/ab_chain.py OLD_BINARY NEW_BINARY [--pairs 31]
    python3 Benchmarks/ab_chain.py OLD NEW --tokenize Benchmarks/work/tokcorpus/en.jsonl \
        --tokenizer Benchmarks/work/tokenizers/qwen.tiktoken [--workers 1]

Runs the two binaries in alternating pairs (A B, B A, A B, …) and measures each run's CPU time (user + system of
the child, from getrusage: microseconds, unlike /usr/bin/time's centiseconds). On a shared VM, wall and CPU
time both swing ±10–30% with the host's phases, and a median of a few runs cannot see a 3% change; noise only
ever adds time, so the minimum and the 10th percentile of many runs are the estimates that hold still (an A/A
test of one binary against itself gives 0.99–1.00 on both). It prints those, the median pair ratio, and
checks that both binaries kept byte-identical documents.
"""
import argparse
import hashlib
import os
import resource
import shutil
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORK = os.path.join(ROOT, "Benchmarks", "work", "filters")
CONFIG = os.path.join(WORK, "chain.yaml")
OUTPUT = os.path.join(WORK, "syllabus-out")


def run(binary, args):
    """CPU seconds of one run, and the md5 of what it wrote (the curated documents or the ids)."""
    if args.tokenize:
        out = os.path.join(ROOT, "Benchmarks", "work", "ab-tokenize-ids.jsonl")
        command = [binary, "tokenize", "--tokenizer", args.tokenizer, "--workers", str(args.workers), args.tokenize, out]
        outputs = [out]
    else:
        shutil.rmtree(OUTPUT, ignore_errors=True)
        command = [binary, "curate", CONFIG]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if not args.tokenize:
        outputs = [os.path.join(folder, name) for folder, _, files in sorted(os.walk(os.path.join(OUTPUT, "output")))
                   for name in sorted(files)]
    digest = hashlib.md5()
    for path in outputs:
        with open(path, "rb") as f:
            digest.update(f.read())
    return cpu, digest.hexdigest()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("a", help="the baseline binary")
    parser.add_argument("b", help="the binary to compare")
    parser.add_argument("--pairs", type=int, default=31)
    parser.add_argument("--tokenize", metavar="CORPUS", help="time `tokenize` on this JSONL instead of the chain")
    parser.add_argument("--tokenizer", metavar="FILE", help="the tokenizer for --tokenize")
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    if args.tokenize and not args.tokenizer:
        parser.error("--tokenize needs --tokenizer")
    if not args.tokenize and not os.path.exists(CONFIG):
        sys.exit(f"ab_chain: {CONFIG} is missing; run Benchmarks/filters.sh once (RUNS=1) to prepare it")
    a_times, b_times, ratios, digests = [], [], [], set()
    for i in range(args.pairs):
        order = [(args.a, a_times), (args.b, b_times)] if i % 2 == 0 else [(args.b, b_times), (args.a, a_times)]
        pair = {}
        for binary, times in order:
            cpu, digest = run(binary, args)
            times.append(cpu)
            pair[binary] = cpu
            digests.add((binary, digest))
        ratios.append(pair[args.b] / pair[args.a])
    a_sorted, b_sorted = sorted(a_times), sorted(b_times)
    p10 = lambda v: v[len(v) // 10]
    print(f"pairs: {args.pairs}; CPU seconds per run (user + system)")
    print(f"A {args.a}: min {a_sorted[0]:.3f}  p10 {p10(a_sorted):.3f}  median {statistics.median(a_sorted):.3f}")
    print(f"B {args.b}: min {b_sorted[0]:.3f}  p10 {p10(b_sorted):.3f}  median {statistics.median(b_sorted):.3f}")
    print(f"B/A: min {b_sorted[0] / a_sorted[0]:.3f}  p10 {p10(b_sorted) / p10(a_sorted):.3f}  "
          f"median pair ratio {statistics.median(ratios):.3f}")
    outputs = {digest for _, digest in digests}
    print("outputs: identical" if len(outputs) == 1 else f"outputs DIFFER: {sorted(digests)}")
    return 0 if len(outputs) == 1 else 1


if __name__ == "__main__":
    sys.exit(main())

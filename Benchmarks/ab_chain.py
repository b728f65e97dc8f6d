#!/usr/bin/env python3
"""A/B test of two `syllabus` binaries on the curation chain of `Benchmarks/filters.sh` (run that once
first: it prepares `Benchmarks/work/filters/` with the input files and `chain.yaml`).

    python3 Benchmarks/ab_chain.py OLD_BINARY NEW_BINARY [--pairs 31]

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


def run(binary):
    """CPU seconds of one `curate` run, and the md5 of the documents it kept."""
    shutil.rmtree(OUTPUT, ignore_errors=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([binary, "curate", CONFIG], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    digest = hashlib.md5()
    for folder, _, files in sorted(os.walk(os.path.join(OUTPUT, "output"))):
        for name in sorted(files):
            with open(os.path.join(folder, name), "rb") as f:
                digest.update(f.read())
    return cpu, digest.hexdigest()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("a", help="the baseline binary")
    parser.add_argument("b", help="the binary to compare")
    parser.add_argument("--pairs", type=int, default=31)
    args = parser.parse_args()
    if not os.path.exists(CONFIG):
        sys.exit(f"ab_chain: {CONFIG} is missing; run Benchmarks/filters.sh once (RUNS=1) to prepare it")
    a_times, b_times, ratios, digests = [], [], [], set()
    for i in range(args.pairs):
        order = [(args.a, a_times), (args.b, b_times)] if i % 2 == 0 else [(args.b, b_times), (args.a, a_times)]
        pair = {}
        for binary, times in order:
            cpu, digest = run(binary)
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
    print("kept documents: identical" if len(outputs) == 1 else f"kept documents DIFFER: {sorted(digests)}")
    return 0 if len(outputs) == 1 else 1


if __name__ == "__main__":
    sys.exit(main())

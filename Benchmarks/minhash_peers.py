#!/usr/bin/env python3
"""MinHash peers for issue 6, timed in-process on one JSONL file.

Modes (--modes, default a,b,c):
  a  rensa RMinHash(num_perm=128, seed=42) per document. The shingles are the set of word 5-grams of
     text.split(), or the whole text when it has fewer than 5 words, as in shared/bench/bench_minhash.py.
     Shingling is timed too.
  b  the same with num_perm=112 (datatrove's 14 × 8).
  c  datatrove 0.10.1: JsonlReader → MinhashDedupSignature (default MinhashConfig) under LocalPipelineExecutor,
     tasks=1. executor.run() is timed, which includes reading the JSONL, spaCy's first load and sorting the 14
     signature files.
  d  datatrove's four stages, each timed by its executor.run():
       - JsonlReader → MinhashDedupSignature (tasks=1);
       - MinhashDedupBuckets (14 tasks, workers=1: it needs one task per bucket);
       - MinhashDedupCluster (tasks=1);
       - JsonlReader → MinhashDedupFilter → JsonlWriter (uncompressed, tasks=1).
     Reports the stage times and their sum, and the number of documents removed. When the records carry
     `dup_of` (Benchmarks/build_dedup_corpus.py), it also compares the removals with that ground truth.
For a and b the texts are loaded first (orjson), one untimed warm-up pass is made, and --reps passes are timed.
c and d run --reps times each, in a fresh scratch folder each time (under --work, deleted afterwards).
MB = 10^6 bytes of UTF-8 `text`. Prints one JSON object on stdout; datatrove's logs go to stderr.

Set-up: the Benchmarks/work/dedupvenv of tools/reference/minhash_fixtures.py, plus `pip install rensa` (0.5.0).
Usage:  Benchmarks/work/dedupvenv/bin/python Benchmarks/minhash_peers.py FILE.jsonl [--modes a,b,c,d] [--reps 3]
"""
import argparse
import contextlib
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from importlib.metadata import version
from pathlib import Path

import orjson


def shingles(text: str) -> set[str]:
    w = text.split()
    if len(w) < 5:
        return {" ".join(w)}
    return {" ".join(w[i:i + 5]) for i in range(len(w) - 4)}


def summary(times: list[float], nbytes: int, ndocs: int) -> dict:
    med = statistics.median(times)
    return {"runs_s": [round(t, 3) for t in times], "median_s": round(med, 3),
            "MB_per_s": round(nbytes / 1e6 / med, 3), "docs_per_s": round(ndocs / med, 1)}


def rensa_mode(texts: list[str], num_perm: int, reps: int) -> list[float]:
    from rensa import RMinHash

    def run():
        s = 0
        for t in texts:
            m = RMinHash(num_perm=num_perm, seed=42)
            m.update(list(shingles(t)))
            s += m.digest()[0] & 1
        return s

    run()  # warm-up
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return times


def stats_counters(logging_dir: str) -> dict:
    out = {}
    for step in json.load(open(os.path.join(logging_dir, "stats.json"))):
        for key, value in step.get("stats", {}).items():
            out[f"{step['name']}/{key}"] = value["total"] if isinstance(value, dict) else value
    return out


def datatrove_mode(path: Path, full: bool, work_root: Path) -> dict:
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.dedup.minhash import (
        MinhashConfig, MinhashDedupBuckets, MinhashDedupCluster, MinhashDedupFilter, MinhashDedupSignature)
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter

    work = Path(tempfile.mkdtemp(prefix="mh-peer-", dir=work_root))
    try:
        (work / "in").mkdir()
        os.symlink(path.resolve(), work / "in" / path.name)
        config = MinhashConfig()
        stages = [("signature", [JsonlReader(str(work / "in")),
                                 MinhashDedupSignature(str(work / "sigs"), config=config)], 1)]
        if full:
            stages += [
                ("buckets", [MinhashDedupBuckets(str(work / "sigs"), str(work / "buckets"), config=config)],
                 config.num_buckets),
                ("cluster", [MinhashDedupCluster(str(work / "buckets"), str(work / "clusters"), config=config)], 1),
                ("filter", [JsonlReader(str(work / "in")), MinhashDedupFilter(str(work / "clusters")),
                            JsonlWriter(str(work / "out"), compression=None)], 1),
            ]
        seconds, counters = {}, {}
        for name, pipeline, tasks in stages:
            executor = LocalPipelineExecutor(pipeline=pipeline, tasks=tasks, workers=1,
                                             logging_dir=str(work / f"logs-{name}"))
            start = time.perf_counter()
            with contextlib.redirect_stdout(sys.stderr):
                executor.run()
            seconds[name] = time.perf_counter() - start
            counters.update(stats_counters(str(work / f"logs-{name}")))
        result = {"seconds": seconds, "total": sum(seconds.values())}
        if full:
            result["removed"] = next((v for k, v in counters.items() if k.endswith("stage 4/dropped")), 0)
            result["kept_ids"] = {orjson.loads(line)["id"] for p in sorted((work / "out").glob("*.jsonl"))
                                  for line in open(p, "rb")}
        return result
    finally:
        shutil.rmtree(work, ignore_errors=True)


def against_truth(ids: list[str], dup_of: dict[str, str], kept: set[str]) -> dict:
    """Compares the removals with the corpus's `dup_of` (Benchmarks/build_dedup_corpus.py): a true cluster of k
    documents should lose k − 1. A removal is justified while its true cluster still has another member kept."""
    clusters: dict[str, list[str]] = {}
    for i in ids:
        clusters.setdefault(dup_of.get(i, i), []).append(i)
    ideal = sum(len(m) - 1 for m in clusters.values())
    justified = unjustified = 0
    for members in clusters.values():
        gone = sum(1 for i in members if i not in kept)
        ok = min(gone, len(members) - 1)
        justified += ok
        unjustified += gone - ok
    return {"ideal_removed": ideal, "justified": justified, "wrongly_removed": unjustified,
            "missed": ideal - justified, "removal_recall": round(justified / ideal, 4) if ideal else None}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("input", type=Path)
    ap.add_argument("--modes", default="a,b,c")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()))
    args = ap.parse_args()
    modes = [m.strip() for m in args.modes.split(",") if m.strip()]

    texts, ids, dup_of = [], [], {}
    with open(args.input, "rb") as f:
        for line in f:
            rec = orjson.loads(line)
            texts.append(rec["text"])
            ids.append(rec["id"])
            if rec.get("dup_of"):
                dup_of[rec["id"]] = rec["dup_of"]
    nbytes = sum(len(t.encode("utf-8")) for t in texts)
    result = {"input": str(args.input), "docs": len(texts), "text_MB": round(nbytes / 1e6, 3),
              "python": platform.python_version(), "versions": {}, "results": {}}
    for mode in modes:
        if mode in ("a", "b"):
            perms = 128 if mode == "a" else 112
            result["versions"]["rensa"] = version("rensa")
            result["results"][f"{mode}_rensa_rminhash_{perms}"] = summary(rensa_mode(texts, perms, args.reps),
                                                                          nbytes, len(texts))
        elif mode in ("c", "d"):
            result["versions"]["datatrove"] = version("datatrove")
            result["versions"]["spacy"] = version("spacy")
            runs = [datatrove_mode(args.input, mode == "d", args.work) for _ in range(args.reps)]
            entry = summary([r["total"] for r in runs], nbytes, len(texts))
            if mode == "d":
                entry["stage_median_s"] = {k: round(statistics.median(r["seconds"][k] for r in runs), 3)
                                           for k in runs[0]["seconds"]}
                entry["removed"] = runs[0]["removed"]
                if dup_of:
                    entry["ground_truth"] = against_truth(ids, dup_of, runs[0]["kept_ids"])
            name = "c_datatrove_signature" if mode == "c" else "d_datatrove_four_stages"
            result["results"][name] = entry
        else:
            sys.exit(f"unknown mode {mode!r}")
        print(f"{mode} done", file=sys.stderr)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())

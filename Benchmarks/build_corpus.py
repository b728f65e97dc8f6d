#!/usr/bin/env python3
"""Build the JSONL passthrough benchmark corpus from the real records in shared/data.

Every record with a non-empty string `text` from DATA/**/*.jsonl (sorted paths; yulan-mini-data-mix
skipped) is written again and again ("copies") until the output holds at least --mb * 10^6 bytes of
JSONL. Each copy gets a fresh unique id "<orig_id>#<copy>"; every other field is kept, in its
original order. Output is deterministic for a given --mb and input.

Layout under --out (default Benchmarks/work/corpus):
  jsonl/part-0000N.jsonl      --shards files, records dealt round-robin (datatrove shards by file)
  zst/part-0000N.jsonl.zst    the same shards compressed with the `zstd` CLI (-3 by default)
  single/corpus.jsonl         every record in generation order, one file (byte-range splitting tests)
  corpus.json                 stats: docs, JSONL bytes, text bytes (UTF-8 of `text`), files
--single-only writes only single/ (used for the 2.2 GB memory-test corpus).
An existing corpus with the same parameters is reused unless --force.

Stdlib only (plus the zstd CLI for zst/).
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKIP_DIRS = {"yulan-mini-data-mix"}
SENTINEL = "\x00syllabus-bench-id\x00"


def load_templates(data: Path):
    """Return [(prefix, suffix, orig_id, text_bytes)] so that a record with id X serializes as
    prefix + json.dumps(X) + suffix, identical to json.dumps(record with id X, ensure_ascii=False)."""
    sentinel_json = json.dumps(SENTINEL)
    out, files = [], []
    for path in sorted(data.rglob("*.jsonl")):
        rel = path.relative_to(data)
        if rel.parts[0] in SKIP_DIRS:
            continue
        files.append(str(rel))
        with open(path, encoding="utf-8") as f:
            for line in f:
                if not line.strip():
                    continue
                rec = json.loads(line)
                text = rec.get("text")
                if not isinstance(text, str) or not text:
                    continue
                orig_id = str(rec["id"])
                rec["id"] = SENTINEL
                s = json.dumps(rec, ensure_ascii=False)
                prefix, sep, suffix = s.partition(sentinel_json)
                if not sep or sentinel_json in suffix:
                    sys.exit(f"build_corpus: sentinel collision in {rel}")
                out.append((prefix.encode(), (suffix + "\n").encode(), orig_id, len(text.encode("utf-8"))))
    return out, files


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default="/work/shared/data", help="root of the real JSONL data")
    ap.add_argument("--out", default=str(ROOT / "Benchmarks/work/corpus"), help="output directory")
    ap.add_argument("--mb", type=float, default=330, help="minimum JSONL size in MB (10^6 bytes)")
    ap.add_argument("--shards", type=int, default=8, help="number of shard files in jsonl/ and zst/")
    ap.add_argument("--zstd-level", type=int, default=3)
    ap.add_argument("--single-only", action="store_true", help="write only single/corpus.jsonl")
    ap.add_argument("--force", action="store_true", help="rebuild even if an identical corpus exists")
    a = ap.parse_args()

    out = Path(a.out).resolve()
    params = {"mb": a.mb, "shards": a.shards, "zstd_level": a.zstd_level, "single_only": a.single_only,
              "data": str(Path(a.data).resolve())}
    stats_path = out / "corpus.json"
    if stats_path.exists() and not a.force:
        old = json.loads(stats_path.read_text())
        if old.get("params") == params and all((out / f).exists() for f in old.get("files", {})):
            print(f"build_corpus: reusing {out} (same parameters; --force to rebuild)", file=sys.stderr)
            print(json.dumps({k: old[k] for k in ("docs", "jsonl_bytes", "text_bytes", "copies")}))
            return

    t0 = time.time()
    templates, source_files = load_templates(Path(a.data))
    if not templates:
        sys.exit(f"build_corpus: no records with text under {a.data}")
    for sub in ("jsonl", "zst", "single"):
        shutil.rmtree(out / sub, ignore_errors=True)
    stats_path.unlink(missing_ok=True)
    (out / "single").mkdir(parents=True)
    shard_paths = []
    if not a.single_only:
        (out / "jsonl").mkdir()
        shard_paths = [out / "jsonl" / f"part-{i:05d}.jsonl" for i in range(a.shards)]
    single_path = out / "single" / "corpus.jsonl"

    target = int(a.mb * 1e6)
    docs = jsonl_bytes = text_bytes = 0
    copy = 0
    shard_sizes = [0] * len(shard_paths)
    shards = [open(p, "wb", buffering=1 << 20) for p in shard_paths]
    with open(single_path, "wb", buffering=1 << 20) as single:
        while jsonl_bytes < target:
            for prefix, suffix, orig_id, tb in templates:
                line = prefix + json.dumps(f"{orig_id}#{copy}", ensure_ascii=False).encode() + suffix
                single.write(line)
                if shards:
                    k = docs % len(shards)
                    shards[k].write(line)
                    shard_sizes[k] += len(line)
                docs += 1
                jsonl_bytes += len(line)
                text_bytes += tb
                if jsonl_bytes >= target:
                    break
            copy += 1
    for f in shards:
        f.close()

    files = {str(single_path.relative_to(out)): jsonl_bytes}
    for p, n in zip(shard_paths, shard_sizes):
        files[str(p.relative_to(out))] = n
    zst_bytes = 0
    if not a.single_only:
        if not shutil.which("zstd"):
            sys.exit("build_corpus: the zstd CLI is needed for zst/ (apt-get install zstd)")
        (out / "zst").mkdir()
        for p in shard_paths:
            z = out / "zst" / (p.name + ".zst")
            subprocess.run(["zstd", f"-{a.zstd_level}", "-q", "-f", str(p), "-o", str(z)], check=True)
            files[str(z.relative_to(out))] = z.stat().st_size
            zst_bytes += z.stat().st_size

    stats = {"docs": docs, "jsonl_bytes": jsonl_bytes, "text_bytes": text_bytes, "copies": copy,
             "records_per_copy": len(templates), "zst_bytes": zst_bytes, "params": params,
             "source_files": source_files, "files": files}
    stats_path.write_text(json.dumps(stats, indent=1) + "\n")
    print(f"build_corpus: {out}: {docs:,} docs, {jsonl_bytes / 1e6:.1f} MB JSONL, {text_bytes / 1e6:.1f} MB text, "
          f"{copy} copies of {len(templates):,} records from {len(source_files)} files"
          + (f", zst {zst_bytes / 1e6:.1f} MB" if zst_bytes else "") + f" ({time.time() - t0:.0f} s)",
          file=sys.stderr)
    print(json.dumps({k: stats[k] for k in ("docs", "jsonl_bytes", "text_bytes", "copies")}))


if __name__ == "__main__":
    main()

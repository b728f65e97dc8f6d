#!/usr/bin/env python3
"""Reference run: datatrove JsonlReader -> JsonlWriter (no processing), the framework floor that the
Syllabus passthrough (`syllabus curate` with `steps: []`) is compared with.

Run it with the venv from tools/reference/setup_venv.sh. Each invocation is one measured process:
a fresh run directory (logging dir + output) is made, `executor.run()` is timed, and the directory is
deleted afterwards (datatrove skips tasks that completed in an existing logging dir).

Prints one JSON line on stdout:
  {"tool", "wall_s" (executor.run() only), "docs", "text_bytes", "mb_per_s", "docs_per_s", ...}
MB = 10^6 bytes of UTF-8 `text` (shared/bench/BASELINES.md). docs/text_bytes come from --corpus-stats
(build_corpus.py's corpus.json) when given, else from reading the input after the timed run.

Examples:
  python datatrove_passthrough.py Benchmarks/work/corpus/jsonl
  python datatrove_passthrough.py Benchmarks/work/corpus/zst --glob '*.jsonl.zst' --out-compression zstd
"""
import argparse
import json
import os
import shutil
import sys
import time
import uuid
from importlib.metadata import version
from pathlib import Path

from datatrove.executor import LocalPipelineExecutor
from datatrove.pipeline.readers import JsonlReader
from datatrove.pipeline.writers import JsonlWriter

ZSTD_LEVEL_ENV = "DT_PASSTHROUGH_ZSTD_LEVEL"


def set_fsspec_zstd_level():
    """datatrove writes .zst through fsspec, whose zstandard-based codec is hard-wired to level 10.
    Re-register it with the level in $DT_PASSTHROUGH_ZSTD_LEVEL so zstd output is comparable with
    `zstd -3`. Runs at import, so worker processes (forkserver re-imports this module) get it too."""
    level = os.environ.get(ZSTD_LEVEL_ENV)
    if not level:
        return
    import fsspec.compression
    import zstandard

    def zstd_file(infile, mode="rb"):
        if "r" in mode:
            return zstandard.ZstdDecompressor().stream_reader(infile)
        return zstandard.ZstdCompressor(level=int(level)).stream_writer(infile)

    fsspec.compression.register_compression("zstd", zstd_file, "zst", force=True)


set_fsspec_zstd_level()


def count_input(input_dir: str, glob_pattern: str):
    """(docs, text_bytes) of the input, read the same way the reader would (orjson; .zst/.gz by suffix)."""
    import gzip
    import io

    import orjson
    import zstandard

    docs = text_bytes = 0
    for p in sorted(Path(input_dir).rglob(glob_pattern)):
        if p.suffix == ".zst":
            f = io.BufferedReader(zstandard.open(p, "rb"))  # zstandard's reader has no line iteration
        elif p.suffix == ".gz":
            f = gzip.open(p, "rb")
        else:
            f = open(p, "rb")
        with f:
            for line in f:
                if line.strip():
                    text = orjson.loads(line).get("text")
                    if text:
                        docs += 1
                        text_bytes += len(text.encode("utf-8"))
    return docs, text_bytes


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("input_dir")
    ap.add_argument("--glob", default="*.jsonl", help="glob_pattern for JsonlReader (e.g. '*.jsonl.zst')")
    ap.add_argument("--in-compression", default="infer", choices=["infer", "zstd", "gzip", "none"],
                    help="JsonlReader compression ('infer' picks it from the file suffix)")
    ap.add_argument("--out-compression", default="none", choices=["none", "zstd", "gzip"],
                    help="JsonlWriter compression (datatrove's own default is gzip)")
    ap.add_argument("--zstd-level", type=int, default=3,
                    help="level for zstd output (fsspec's built-in codec would use 10); 0 = leave fsspec's")
    ap.add_argument("--tasks", type=int, default=1)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--run-root", default=None, help="parent of the per-run directory (default: <input>/../../runs)")
    ap.add_argument("--keep", action="store_true", help="keep the output and logs (default: deleted)")
    ap.add_argument("--corpus-stats", default=None, help="corpus.json from build_corpus.py (skips counting)")
    ap.add_argument("--tag", default="", help="free-form label copied into the JSON line")
    ap.add_argument("--record", default=None, help="also append the JSON line to this file")
    a = ap.parse_args()

    if a.zstd_level:
        os.environ[ZSTD_LEVEL_ENV] = str(a.zstd_level)
        set_fsspec_zstd_level()
    input_dir = os.path.abspath(a.input_dir)
    run_root = Path(a.run_root or Path(input_dir).parent.parent / "runs")
    run = run_root / f"dt-{uuid.uuid4().hex[:10]}"
    run.mkdir(parents=True)

    none = lambda c: None if c == "none" else c  # noqa: E731
    reader = JsonlReader(input_dir, glob_pattern=a.glob, compression=none(a.in_compression))
    # output_filename keeps datatrove's default "${rank}.jsonl"; the writer appends .zst/.gz itself
    writer = JsonlWriter(str(run / "out"), compression=none(a.out_compression))
    ex = LocalPipelineExecutor(pipeline=[reader, writer], tasks=a.tasks, workers=a.workers,
                               logging_dir=str(run / "logs"))
    t0 = time.perf_counter()
    ex.run()
    wall = time.perf_counter() - t0

    # documents the writer saw (sanity check: must equal the input docs)
    written = None
    stats_file = run / "logs" / "stats.json"
    if stats_file.exists():
        for step in json.loads(stats_file.read_text()):
            if "WRITER" in step.get("name", ""):
                written = step.get("stats", {}).get("total")
    out_bytes = sum(p.stat().st_size for p in (run / "out").rglob("*") if p.is_file())
    if not a.keep:
        shutil.rmtree(run, ignore_errors=True)

    if a.corpus_stats:
        cs = json.loads(Path(a.corpus_stats).read_text())
        docs, text_bytes = cs["docs"], cs["text_bytes"]
    else:
        docs, text_bytes = count_input(input_dir, a.glob)

    res = {
        "tool": f"datatrove {version('datatrove')} JsonlReader->JsonlWriter",
        "tag": a.tag,
        "input": input_dir,
        "glob": a.glob,
        "out_compression": a.out_compression,
        "zstd_level": (a.zstd_level or 10) if a.out_compression == "zstd" else None,
        "tasks": a.tasks,
        "workers": a.workers,
        "wall_s": round(wall, 3),
        "docs": docs,
        "docs_written": written,
        "text_bytes": text_bytes,
        "output_bytes": out_bytes,
        "mb_per_s": round(text_bytes / 1e6 / wall, 2),
        "docs_per_s": round(docs / wall, 1),
    }
    line = json.dumps(res)
    print(line, flush=True)
    if a.record:
        with open(a.record, "a") as f:
            f.write(line + "\n")
    if written is not None and written != docs:
        print(f"datatrove_passthrough: WARNING wrote {written} docs, input has {docs}", file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()

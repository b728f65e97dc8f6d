#!/usr/bin/env python3
"""Turn the raw output of Benchmarks/passthrough.sh into Benchmarks/results/passthrough-<date>.{md,json}.

Reads from --results (Benchmarks/work/passthrough): ID.json (hyperfine export), ID.rss ("elapsed_s maxrss_kb"
per run, from GNU time), ID.out (records/bytes found in the output), ID.runs (datatrove's own JSON lines,
executor.run() time), ID.timev (/usr/bin/time -v of a memory run), ID.failed. Corpus sizes come from
--work/corpus/corpus.json and --work/corpus2g/corpus.json. Stdlib only.
"""
import argparse
import datetime
import json
import os
import platform
import re
import statistics
import subprocess
from pathlib import Path

# id -> (label, input kind); input kind picks the byte counts the row is measured against
ROWS = [
    ("cat-jsonl", "`cat` JSONL shards > /dev/null", "jsonl"),
    ("zstd-dc", "`zstd -dc` zst shards > /dev/null", "zst"),
    ("syl-jsonl-w1", "Syllabus jsonl → jsonl, 1 worker", "jsonl"),
    ("syl-jsonl-w2", "Syllabus jsonl → jsonl, 2 workers", "jsonl"),
    ("syl-zst-w1", "Syllabus jsonl.zst → jsonl.zst, 1 worker", "zst"),
    ("syl-zst-w2", "Syllabus jsonl.zst → jsonl.zst, 2 workers", "zst"),
    ("syl-zstin-w1", "Syllabus jsonl.zst → jsonl (uncompressed), 1 worker", "zst"),
    ("dt-jsonl-t1", "datatrove jsonl → jsonl, 1 task 1 worker", "jsonl"),
    ("dt-jsonl-t2", "datatrove jsonl → jsonl, 2 tasks 2 workers", "jsonl"),
    ("dt-zst-t1", "datatrove jsonl.zst → jsonl.zst (zstd -3), 1 task 1 worker", "zst"),
]
# (numerator, denominator, what it says)
RATIOS = [
    ("syl-jsonl-w1", "dt-jsonl-t1", "Syllabus 1 worker vs datatrove 1 task (jsonl)"),
    ("syl-jsonl-w2", "dt-jsonl-t2", "Syllabus 2 workers vs datatrove 2 tasks (jsonl)"),
    ("syl-zst-w1", "dt-zst-t1", "Syllabus 1 worker vs datatrove 1 task (zst)"),
    ("syl-jsonl-w2", "syl-jsonl-w1", "Syllabus 2 workers vs 1 worker (jsonl)"),
    ("syl-zst-w2", "syl-zst-w1", "Syllabus 2 workers vs 1 worker (zst)"),
    ("syl-zstin-w1", "zstd-dc", "Syllabus zst in, jsonl out, 1 worker vs `zstd -dc` alone (issue 2: ≥ 0.60)"),
    ("syl-zst-w1", "zstd-dc", "Syllabus zst → zst 1 worker vs `zstd -dc` alone (compression dominates)"),
    ("syl-zst-w2", "zstd-dc", "Syllabus zst → zst 2 workers vs `zstd -dc` alone"),
    ("syl-jsonl-w1", "cat-jsonl", "Syllabus jsonl 1 worker vs `cat`"),
    ("dt-jsonl-t2", "dt-jsonl-t1", "datatrove 2 tasks vs 1 task"),
]


def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True, timeout=60).stdout.strip()
    except Exception:
        return ""


def machine_info(syllabus, python):
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    mem = next((l.split()[1] for l in open("/proc/meminfo") if l.startswith("MemTotal")), "0")
    osr = dict(l.rstrip().split("=", 1) for l in open("/etc/os-release") if "=" in l)
    info = {
        "date": datetime.datetime.now().isoformat(timespec="seconds"),
        "nproc": sh("nproc"),
        "cpu": cpu,
        "mem_gib": round(int(mem) / 2**20, 1),
        "os": osr.get("PRETTY_NAME", "?").strip('"'),
        "kernel": platform.release(),
        "swift": sh("swift --version 2>&1 | head -n1"),
        "git_commit": sh("git -C '%s' rev-parse --short HEAD 2>/dev/null" % Path(__file__).parent) or "none",
        "hyperfine": sh("hyperfine --version"),
        "zstd": "zstd " + (re.findall(r"v\d[\d.]*", sh("zstd --version")) or ["?"])[0],
        "python": platform.python_version(),
    }
    if syllabus:
        info["syllabus_binary"] = syllabus
        info["syllabus_version"] = sh(f"'{syllabus}' --version 2>&1 | head -n1")
    if python:
        info["datatrove"] = sh(f"'{python}' -c 'import importlib.metadata as m; print(m.version(\"datatrove\"))'")
        info["datatrove_python"] = sh(f"'{python}' -c 'import platform; print(platform.python_version())'")
    return info


def load_json(p):
    return json.loads(p.read_text()) if p.exists() else None


def parse_timev(p):
    t = p.read_text()
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", t)
    el = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)", t)
    secs = 0.0
    if el:
        for part in el.group(1).split(":"):
            secs = secs * 60 + float(part)
    return {"wall_s": secs, "max_rss_mib": round(int(rss.group(1)) / 1024, 1) if rss else None}


def fmt(x, nd=1):
    if x is None:
        return "–"
    return f"{x:,.{nd}f}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", required=True)
    ap.add_argument("--results", required=True)
    ap.add_argument("--syllabus", default="")
    ap.add_argument("--python", default="")
    ap.add_argument("--md", required=True)
    ap.add_argument("--json", required=True)
    a = ap.parse_args()
    W, R = Path(a.work), Path(a.results)

    corpus = load_json(W / "corpus" / "corpus.json")
    corpus2g = load_json(W / "corpus2g" / "corpus.json")
    docs, text_b, jsonl_b, zst_b = corpus["docs"], corpus["text_bytes"], corpus["jsonl_bytes"], corpus["zst_bytes"]

    rows = {}
    for rid, label, kind in ROWS:
        hf = load_json(R / f"{rid}.json")
        if hf is None:
            if (R / f"{rid}.failed").exists():
                rows[rid] = {"label": label, "failed": True}
            continue
        res = hf["results"][0]
        times = res["times"]
        med = statistics.median(times)
        row = {
            "label": label, "input": kind, "runs_s": [round(t, 3) for t in times], "median_s": round(med, 3),
            "mean_s": round(res["mean"], 3), "stddev_s": round(res.get("stddev") or 0, 3),
            "text_mb_per_s": round(text_b / 1e6 / med, 1), "jsonl_mb_per_s": round(jsonl_b / 1e6 / med, 1),
            "docs_per_s": round(docs / med), "docs_in": docs,
        }
        if kind == "zst":
            row["input_mb_per_s"] = round(zst_b / 1e6 / med, 1)
        rss = R / f"{rid}.rss"
        if rss.exists():
            kb = [int(l.split()[1]) for l in rss.read_text().split("\n") if len(l.split()) == 2]
            row["max_rss_mib"] = round(max(kb) / 1024, 1) if kb else None
        out = load_json(R / f"{rid}.out")
        if out:
            row.update(out)
        runs = R / f"{rid}.runs"
        if runs.exists():  # datatrove's own executor.run() timing (no interpreter start/imports)
            dt = [json.loads(l) for l in runs.read_text().splitlines() if l.strip()]
            inner = statistics.median(d["wall_s"] for d in dt)
            row["executor_run_median_s"] = round(inner, 3)
            row["executor_run_text_mb_per_s"] = round(text_b / 1e6 / inner, 1)
            row["docs_out"] = dt[-1].get("docs_written")
            row["output_bytes"] = dt[-1].get("output_bytes")
        rows[rid] = row

    ratios = []
    for num, den, what in RATIOS:
        if rows.get(num, {}).get("median_s") and rows.get(den, {}).get("median_s"):
            ratios.append({"what": what, "num": num, "den": den,
                           "ratio": round(rows[den]["median_s"] / rows[num]["median_s"], 2)})

    memory = []
    for corpus_name, cs in (("corpus", corpus), ("corpus2g", corpus2g)):
        for p in sorted(R.glob(f"mem-{corpus_name}-w*.timev")):
            m = parse_timev(p)
            rid = p.stem
            m.update({"id": rid, "input": f"{corpus_name}/single/corpus.jsonl", "workers": int(rid.rsplit("w", 1)[1]),
                      "jsonl_mb": round(cs["jsonl_bytes"] / 1e6, 1), "docs_in": cs["docs"]})
            m["failed"] = (R / f"{rid}.failed").exists()
            if m["wall_s"] and not m["failed"]:
                m["text_mb_per_s"] = round(cs["text_bytes"] / 1e6 / m["wall_s"], 1)
                m["docs_per_s"] = round(cs["docs"] / m["wall_s"])
            m.update(load_json(R / f"{rid}.out") or {})
            memory.append(m)

    info = machine_info(a.syllabus, a.python)
    result = {"machine": info, "corpus": {k: corpus[k] for k in ("docs", "jsonl_bytes", "text_bytes", "zst_bytes",
                                                                  "copies", "records_per_copy")},
              "corpus2g": {k: corpus2g[k] for k in ("docs", "jsonl_bytes", "text_bytes")} if corpus2g else None,
              "rows": rows, "ratios": ratios, "memory": memory}
    Path(a.json).write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n")

    L = []
    L.append(f"# JSONL passthrough benchmark — {info['date'][:10]}\n")
    L.append("Generated by `Benchmarks/passthrough.sh` (raw numbers: the `.json` file beside this one). "
             "**MB = 10^6 bytes of UTF-8 `text` field** (as in shared/bench/BASELINES.md); JSONL MB/s is also given. "
             "Times are whole-command wall time (hyperfine, median of the runs), page cache warm, "
             "every Syllabus run into a fresh output directory.\n")
    L.append("## Machine\n")
    L.append(f"- {info['nproc']} cores, {info['cpu']}, {info['mem_gib']} GiB RAM; {info['os']}, kernel {info['kernel']}")
    L.append(f"- {info['swift']}; Syllabus: {info.get('syllabus_version') or 'not run'} "
             f"(git {info['git_commit']})")
    L.append(f"- datatrove {info.get('datatrove', 'not run')} (Python {info.get('datatrove_python', '?')}); "
             f"{info['hyperfine']}; {info['zstd']}\n")
    L.append("## Corpus\n")
    L.append(f"`Benchmarks/build_corpus.py --mb {corpus['params']['mb']:g}`: every record of shared/data/**/*.jsonl (yulan-mini-data-mix "
             f"skipped) repeated {corpus['copies']}× (last copy partial) with fresh ids: **{docs:,} docs, "
             f"{jsonl_b / 1e6:.1f} MB JSONL, {text_b / 1e6:.1f} MB text** (text is {100 * text_b / jsonl_b:.0f} % of "
             f"the JSONL; mean {text_b / docs:,.0f} B text/doc), 8 shards; zstd -3: {zst_b / 1e6:.1f} MB.\n")
    L.append("## Throughput\n")
    L.append("| row | runs (s) | median s | MB/s text | MB/s JSONL | docs/s | peak RSS MiB | docs out | notes |")
    L.append("|---|---|---:|---:|---:|---:|---:|---:|---|")
    for rid, label, kind in ROWS:
        r = rows.get(rid)
        if r is None:
            L.append(f"| {label} | not run | | | | | | | |")
            continue
        if r.get("failed"):
            L.append(f"| {label} | **failed** | | | | | | | see work/passthrough/{rid}.log |")
            continue
        notes = []
        if "input_mb_per_s" in r:
            notes.append(f"{r['input_mb_per_s']:,} MB/s compressed input")
        if "executor_run_median_s" in r:
            notes.append(f"executor.run() alone: {r['executor_run_median_s']} s = "
                         f"{r['executor_run_text_mb_per_s']} MB/s text")
        dout = r.get("docs_out")
        if dout is not None and dout != docs:
            notes.append(f"**expected {docs:,} docs out**")
        nd = 2 if r["median_s"] >= 1 else 3
        runs = ", ".join(f"{t:.{nd}f}" for t in r["runs_s"])
        dcell = "–" if dout is None else f"{dout:,}"
        L.append(f"| {label} | {runs} | {r['median_s']:.{nd}f} | {fmt(r['text_mb_per_s'])} | "
                 f"{fmt(r['jsonl_mb_per_s'])} | {r['docs_per_s']:,} | {fmt(r.get('max_rss_mib'))} | {dcell} | "
                 f"{'; '.join(notes)} |")
    L.append("\nPeak RSS is GNU time's maximum resident set size of the largest single process.\n")
    if ratios:
        L.append("## Ratios (speed; > 1 means the first is faster)\n")
        L.append("| comparison | ratio |")
        L.append("|---|---:|")
        for r in ratios:
            L.append(f"| {r['what']} | {r['ratio']:.2f}× |")
        L.append("")
    L.append("## Memory (one big file, byte-range split)\n")
    if memory:
        L.append("| input | JSONL MB | workers | wall s | MB/s text | docs/s | peak RSS MiB | docs out |")
        L.append("|---|---:|---:|---:|---:|---:|---:|---:|")
        for m in memory:
            dout = m.get("docs_out")
            ok = "" if dout == m["docs_in"] else f" (expected {m['docs_in']:,})"
            wall = "failed" if m["failed"] else f"{m['wall_s']:.2f}"
            dcell = "–" if dout is None else f"{dout:,}"
            L.append(f"| {m['input']} | {m['jsonl_mb']:,} | {m['workers']} | {wall} | "
                     f"{fmt(m.get('text_mb_per_s'))} | {fmt(m.get('docs_per_s'), 0)} | {fmt(m['max_rss_mib'])} | "
                     f"{dcell}{ok} |")
    else:
        L.append("Not run (needs the Syllabus binary).")
    Path(a.md).write_text("\n".join(L) + "\n")
    print(f"passthrough_report: wrote {a.md} and {a.json}")


if __name__ == "__main__":
    main()

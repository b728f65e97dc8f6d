#!/usr/bin/env python3
"""Turn a Benchmarks/tokenize.sh run (Benchmarks/work/tokenize/) into results/tokenize-<date>.{md,json}.

Per tokenizer (qwen: tiktoken; smollm2: HF tokenizers) and corpus (en, zh, code): the interleaved rounds of
whole-command rows (Syllabus 1 and 2 workers, the Python peer with 1 thread) and of the peer's in-process
encode-only pass; the peers' other call styles; start-up cost; MB/s (10^6 bytes of UTF-8 text) and tokens/s;
the ratios issue 3 asks for (median over rounds of the per-round ratio); the id check; load during every
run; machine, versions and the exact commands. Stdlib only.
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = {"qwen": 3.0, "smollm2": 10.0}
SCALING_TARGET = 1.8
PEER_NAME = {"qwen": "tiktoken", "smollm2": "HF tokenizers"}
MAIN_MODE = {"qwen": "single", "smollm2": "batch"}  # the peer's call style in its whole-command row
ENC_LABEL = {
    "qwen": {"single-t1": "tiktoken encode_ordinary per doc, 1 thread",
             "batch-t1": "tiktoken encode_ordinary_batch(num_threads=1)",
             "batch-t2": "tiktoken encode_ordinary_batch(num_threads=2)"},
    "smollm2": {"batch-t1": "HF encode_batch ×1000, RAYON_NUM_THREADS=1",
                "single-t1": "HF encode per doc, RAYON_NUM_THREADS=1",
                "batch-t2": "HF encode_batch ×1000, RAYON_NUM_THREADS=2"},
}
LINE_RE = re.compile(r"^(?:tokenize|peer): (\d+) documents, (\d+) tokens, ([\d.]+) MB/s")
RUN_RE = re.compile(r"^(?P<row>.+)\.(?P<k>\d+)(?P<att>[ab])$")


def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True, timeout=60).stdout.strip()
    except Exception:
        return ""


def read(p, default=None):
    try:
        return Path(p).read_text()
    except OSError:
        return default


def load_info(R, rid):
    """Load average and CPU used by other processes during run rid (from .sys, .time, .quiet)."""
    sys_txt, time_txt = read(R / f"{rid}.sys"), read(R / f"{rid}.time")
    if not sys_txt or not time_txt:
        return None
    a, b = [list(map(float, l.split())) for l in sys_txt.strip().splitlines()[:2]]
    tick = os.sysconf("SC_CLK_TCK")
    last = [l for l in time_txt.strip().splitlines() if re.match(r"^[\d.]+ [\d.]+ [\d.]+ \d+$", l)]
    _, u, s, _ = map(float, last[-1].split()) if last else (0, 0, 0, 0)
    wall = b[0] - a[0]
    busy = sum(b[i] - a[i] for i in (4, 5, 6, 9, 10)) / tick  # user nice system irq softirq
    steal = (b[11] - a[11]) / tick if len(a) > 11 else 0.0
    q = (read(R / f"{rid}.quiet") or "").split()
    return {"waited_for_quiet_s": int(q[0]) if q else None, "busy_cores_before": float(q[1]) if len(q) > 1 else None,
            "load1_start": a[1], "load1_end": b[1], "wall_s": round(wall, 2), "own_cpu_s": round(u + s, 2),
            "foreign_cores": round(max(0.0, (busy - u - s) / wall), 2) if wall > 0 else None,
            "steal_cores": round(steal / wall, 3) if wall > 0 else None}


def run_record(R, rid):
    """One run: hyperfine export (whole command) or encode-only record."""
    rec = {"run": rid, "failed": (R / f"{rid}.failed").exists(), "load": load_info(R, rid)}
    j, e = read(R / f"{rid}.json"), read(R / f"{rid}.enc")
    if j:
        r = json.loads(j)["results"][0]
        rec.update(kind="whole", times=[r["times"][0]], user_s=r["user"], system_s=r["system"])
        rss = (read(R / f"{rid}.rss") or "").split()
        rec["peak_rss_MB"] = round(int(rss[3]) / 1024, 1) if len(rss) >= 4 and rss[3].isdigit() else None
    elif e:
        d = json.loads(e.strip().splitlines()[-1])
        rec.update(kind="encode", times=d["runs_s"], tokens=d["tokens"], cpu_s=d["cpu_s_timed"],
                   version=d["version"], warmup_text_bytes=d["warmup_text_bytes"])
        if d.get("speedup"):
            rec["speedup"] = d["speedup"]
    else:
        rec["failed"] = True
    return rec


def row_data(R, row, text_bytes):
    """All runs of a row; per round the attempt with fewer foreign cores is 'used'."""
    runs = {}
    for p in sorted(R.glob(f"{row}.*.sys")):
        m = RUN_RE.match(p.name[:-4])
        if m and m.group("row") == row:
            runs.setdefault(int(m.group("k")), []).append(run_record(R, p.name[:-4]))
    if not runs:
        return None
    used, all_runs = {}, []
    for k, cands in sorted(runs.items()):
        ok = [c for c in cands if not c["failed"]] or cands
        u = min(ok, key=lambda c: (c["load"] or {}).get("foreign_cores") or 0.0)
        for c in cands:
            c["used"] = c is u
            c["round"] = k
            all_runs.append(c)
        if not u["failed"]:
            used[k] = u
    times = [t for k in sorted(used) for t in used[k]["times"]]
    if not times:
        return {"id": row, "failed": True, "runs": all_runs}
    med = statistics.median(times)
    d = {"id": row, "failed": False, "command": (read(R / f"{row}.cmd") or "").strip(), "runs": all_runs,
         "times_s": [round(t, 4) for t in times], "median_s": round(med, 4),
         "round_time_s": {k: statistics.median(v["times"]) for k, v in used.items()},
         "MB_per_s": round(text_bytes / 1e6 / med, 3),
         "repeated_runs": sum(1 for c in all_runs if not c["used"])}
    us = list(used.values())
    if us[0]["kind"] == "whole":
        d["cpu_cores_used"] = round(statistics.mean((c["user_s"] + c["system_s"]) / c["times"][0] for c in us), 2)
        rss = [c["peak_rss_MB"] for c in us if c.get("peak_rss_MB")]
        d["peak_rss_MB"] = max(rss) if rss else None
        line = None
        for l in (read(R / f"{row}.log") or "").splitlines():
            m = LINE_RE.match(l.strip())
            if m:
                line = {"docs": int(m.group(1)), "tokens": int(m.group(2)), "self_reported_MB_per_s": float(m.group(3))}
        d["last_line"] = line
        if line:
            d["tokens"] = line["tokens"]
    else:
        d["cpu_cores_used"] = round(sum(c["cpu_s"] for c in us) / sum(sum(c["times"]) for c in us), 2)
        d["tokens"] = us[0]["tokens"]
        d["version"] = us[0]["version"]
        d["warmup_text_bytes"] = us[0]["warmup_text_bytes"]
    if d.get("tokens"):
        d["tokens_per_s"] = round(d["tokens"] / med)
    loads = [c["load"] for c in us if c["load"]]
    if loads:
        d["load_summary"] = {"load1_min": min(min(l["load1_start"], l["load1_end"]) for l in loads),
                             "load1_max": max(max(l["load1_start"], l["load1_end"]) for l in loads),
                             "foreign_cores_max": max(l["foreign_cores"] or 0 for l in loads),
                             "waited_s": sum(l["waited_for_quiet_s"] or 0 for l in loads)}
    return d


def per_round_ratio(num, den, invert=True):
    """Median and range over rounds of time(den)/time(num) (= MB/s(num)/MB/s(den)) for rounds both have."""
    if not num or not den or num.get("failed") or den.get("failed"):
        return None
    ks = sorted(set(num["round_time_s"]) & set(den["round_time_s"]))
    rs = [den["round_time_s"][k] / num["round_time_s"][k] for k in ks]
    if not rs:
        return None
    return {"median": round(statistics.median(rs), 2), "min": round(min(rs), 2), "max": round(max(rs), 2),
            "rounds": len(rs)}


def paired_speedup(row):
    """Median and range over rounds of the speed-up one `--worker-counts 1,2` process printed (itself the median
    over its passes of the time ratio within a pass)."""
    if not row or row.get("failed"):
        return None
    rs = [r["speedup"]["median"] for r in row["runs"] if r.get("used") and r.get("speedup")]
    if not rs:
        return None
    return {"median": round(statistics.median(rs), 2), "min": round(min(rs), 2), "max": round(max(rs), 2),
            "rounds": len(rs)}


def self_reported(R, row):
    """The MB/s each run of ROW printed (`tokenize: … X MB/s of text`: the job after start-up and tokenizer load)."""
    return [float(m.group(3)) for l in (read(R / f"{row}.log") or "").splitlines() if (m := LINE_RE.match(l.strip()))]


def encoding_phase_ratio(R, num, den):
    """Median over runs of NUM's self-reported MB/s, divided by DEN's (runs are not paired: all runs of a row)."""
    a, b = self_reported(R, num), self_reported(R, den)
    if not a or not b:
        return None
    return {"median": round(statistics.median(a) / statistics.median(b), 2), "runs": min(len(a), len(b))}


def scaled(r, k):
    """A per-round ratio times K."""
    if not r:
        return None
    return {key: (round(v * k, 2) if key in ("median", "min", "max") else v) for key, v in r.items()}


def machine():
    ls = sh("lscpu")
    get = lambda k: next((l.split(":", 1)[1].strip() for l in ls.splitlines() if l.startswith(k + ":")), None)
    mem = next((l.split()[1] for l in (read("/proc/meminfo") or "").splitlines() if l.startswith("MemTotal")), None)
    return {"cpu_model": get("Model name"), "cpus": get("CPU(s)"), "threads_per_core": get("Thread(s) per core"),
            "cores_per_socket": get("Core(s) per socket"), "l2": get("L2 cache"), "l3": get("L3 cache"),
            "hypervisor": get("Hypervisor vendor"), "mem_GiB": round(int(mem) / 2**20, 1) if mem else None,
            "kernel": sh("uname -r"), "os": sh(". /etc/os-release && echo $PRETTY_NAME")}


def versions(py):
    v = {"hyperfine": sh("hyperfine --version"), "system python": sh("python3 --version")}
    if py:
        v["peer python"] = sh(f"'{py}' --version")
        v.update(json.loads(sh(f"""'{py}' -c 'import json, importlib.metadata as m; print(json.dumps({{p: m.version(p) for p in ("tiktoken", "tokenizers", "orjson")}}))'""") or "{}"))
    v["swift"] = sh("swift --version 2>&1 | head -n 1")
    return v


def startup(R, t):
    j = read(R / f"startup-{t}.json")
    if not j:
        return {}
    out = {}
    for r in json.loads(j)["results"]:
        out[r["command"]] = {"median_s": round(r["median"], 4), "mean_s": round(r["mean"], 4),
                             "times_s": [round(x, 4) for x in r["times"]]}
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--results", required=True, help="Benchmarks/work/tokenize")
    ap.add_argument("--corpus", required=True, help="Benchmarks/work/tokcorpus/corpus.json")
    ap.add_argument("--python", default="")
    ap.add_argument("--md", required=True)
    ap.add_argument("--json", required=True)
    a = ap.parse_args()
    R = Path(a.results)
    corpus = json.loads(Path(a.corpus).read_text())
    corpora = [c for c in ("en", "zh", "code") if any(R.glob(f"syl-*-{c}-w1.*.sys"))]
    toks = [t for t in ("qwen", "smollm2") if any(R.glob(f"syl-{t}-*.sys"))]
    syl_info = dict(l.split("=", 1) for l in (read(R / "syllabus.info") or "").splitlines() if "=" in l)

    out = {"started": (read(R / "started") or "").strip(), "finished": (read(R / "finished") or "").strip(),
           "settings": (read(R / "settings") or "").strip(), "machine": machine(), "versions": versions(a.python),
           "syllabus": syl_info, "corpus": corpus["corpora"], "corpus_params": corpus["params"], "tokenizers": {},
           "failed_runs": sorted(p.stem for p in R.glob("*.failed"))}

    for t in toks:
        su = startup(R, t)
        T = out["tokenizers"][t] = {"startup": su}
        syl_su = (su.get(f"syl-{t}-startup") or {}).get("median_s")
        peer_su = (su.get(f"peer-{t}-startup") or {}).get("median_s")
        for c in corpora:
            tb = corpus["corpora"][c]["text_bytes"]
            rows = {k: row_data(R, rid, tb) for k, rid in (
                ("syllabus-w1", f"syl-{t}-{c}-w1"), ("syllabus-w2", f"syl-{t}-{c}-w2"), ("peer-whole", f"peer-{t}-{c}"),
                ("syllabus-2proc", f"syl-{t}-{c}-2proc"))}
            syl_enc = {k: row_data(R, f"syl-enc-{t}-{c}-{k}", tb) for k in ("w1", "w2")}
            syl_scale = row_data(R, f"syl-scale-{t}-{c}", tb)
            syl_warm = row_data(R, f"syl-warm-{t}-{c}", tb)
            enc = {}
            for v in ("single-t1", "batch-t1", "batch-t2"):
                d = row_data(R, f"enc-{t}-{c}-{v}", tb)
                if d and not d.get("failed"):
                    enc[v] = d
            ref_tokens = next((r["tokens"] for r in list(rows.values()) + list(enc.values())
                               if r and r.get("tokens")), None)
            for r in rows.values():
                if r and not r.get("failed") and not r.get("tokens") and ref_tokens:
                    r["tokens"], r["tokens_per_s"] = ref_tokens, round(ref_tokens / r["median_s"])
            for r, su_s in ((rows["syllabus-w1"], syl_su), (rows["syllabus-w2"], syl_su), (rows["peer-whole"], peer_su)):
                if r and not r.get("failed") and su_s and r["median_s"] > su_s:
                    r["MB_per_s_excl_startup"] = round(tb / 1e6 / (r["median_s"] - su_s), 3)
            s1, s2, pw = rows["syllabus-w1"], rows["syllabus-w2"], rows["peer-whole"]
            main_key = f"{MAIN_MODE[t]}-t1"
            enc_main = enc.get(main_key)
            best_key = max((k for k in enc if k.endswith("t1")), key=lambda k: enc[k]["MB_per_s"], default=None)
            mb = lambda r: r["MB_per_s"] if r and not r.get("failed") else None
            ratios = {
                "syl_w1_vs_peer_whole": per_round_ratio(s1, pw),
                "syl_w1_vs_peer_encode_main": per_round_ratio(s1, enc_main),
                "syl_w1_vs_peer_encode_best_1thread": round(mb(s1) / mb(enc[best_key]), 2)
                if best_key and mb(s1) else None,
                "peer_encode_best_1thread": best_key,
                "syl_w2_vs_w1": per_round_ratio(s2, s1),
                "syl_enc_w1_vs_peer_encode_main": per_round_ratio(syl_enc["w1"], enc_main),
                "syl_enc_w2_vs_w1": per_round_ratio(syl_enc["w2"], syl_enc["w1"]),
                "syl_enc_w2_vs_w1_paired": paired_speedup(syl_scale),
                "syl_enc_w2_vs_w1_paired_warm": paired_speedup(syl_warm),
                "syl_w2_vs_w1_encoding": encoding_phase_ratio(R, f"syl-{t}-{c}-w2", f"syl-{t}-{c}-w1"),
                "machine_ceiling": scaled(per_round_ratio(rows["syllabus-2proc"], s1), 2),
                "target_vs_peer": TARGET[t], "target_scaling": SCALING_TARGET,
            }
            check = json.loads(read(R / f"check-{t}-{c}.json") or "null")
            cs = {}
            if check:
                for k in (f"syl-{t}-{c}-w1", f"syl-{t}-{c}-w2", f"peer-{t}-{c}"):
                    m = LINE_RE.match((check.get(k + "_line") or "").strip())
                    cs[k] = {"docs": int(m.group(1)), "tokens": int(m.group(2))} if m else None
                counts = [v["tokens"] for v in cs.values() if v]
                cs["token_totals_equal"] = len(counts) == 3 and len(set(counts)) == 1
                cs["w1_ids_vs_peer"] = check.get(f"syl-{t}-{c}-w1_vs_peer")
                cs["w2_ids_vs_peer"] = check.get(f"syl-{t}-{c}-w2_vs_peer")
                cs["raw"] = check
            T[c] = {"text_bytes": tb, "docs": corpus["corpora"][c]["docs"], "rows": rows, "encode_only": enc,
                    "syllabus_encode_only": syl_enc,
                    "ratios": ratios, "check": cs}

    Path(a.json).write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n")
    Path(a.md).write_text(render(out, corpora, toks))
    print(f"tokenize_report: wrote {a.md} and {a.json}", file=sys.stderr)


# ---------------------------------------------------------------- rendering

def f1(x, nd=1):
    return "–" if x is None else f"{x:,.{nd}f}"


def mtok(x):
    return "–" if x is None else f"{x / 1e6:.2f} M"


def rcell(r, target=None):
    if not r:
        return "–"
    if isinstance(r, (int, float)):
        r = {"median": r}
    s = f"{r['median']:.2f}×"
    if "min" in r:
        s += f" ({r['min']:.2f}–{r['max']:.2f})"
    if target is not None:
        s = f"**{s}** ✓" if r["median"] >= target else f"{s} ✗"
    return s


def short(cmd):
    return cmd.replace(str(ROOT) + "/", "")


def loadcell(d):
    ls = (d or {}).get("load_summary")
    if not ls:
        return "–"
    w = f"; waited {ls['waited_s']} s" if ls["waited_s"] else ""
    rep = f"; {d['repeated_runs']} run(s) repeated" if d.get("repeated_runs") else ""
    return f"{ls['load1_min']:.2f}–{ls['load1_max']:.2f} ({ls['foreign_cores_max']:.2f}{w}{rep})"


def idsummary(cs):
    if not cs:
        return "not checked"
    if cs.get("token_totals_equal") and cs.get("w1_ids_vs_peer") == "identical" and cs.get("w2_ids_vs_peer") == "identical":
        return "identical"
    return (f"**MISMATCH** (totals equal: {cs.get('token_totals_equal')}; w1: {cs.get('w1_ids_vs_peer')}; "
            f"w2: {cs.get('w2_ids_vs_peer')})")


def render(out, corpora, toks):
    L = []
    m, s = out["machine"], out["syllabus"]
    L.append(f"# Tokenizer throughput (issue 3): Syllabus vs tiktoken and HF tokenizers — {out['started'][:10]}\n")
    L.append("Generated by `Benchmarks/tokenize.sh` + `Benchmarks/tokenize_report.py`. **MB = 10^6 bytes of UTF-8 "
             "document text** (the `text` field). *Whole-command* rows are hyperfine timings of the entire process: "
             "start, tokenizer load, reading the JSONL, encoding, writing `{\"id\",\"ids\"}` JSONL, with the page "
             "cache warm. *Encode-only* rows time only the encode loop, after the texts are loaded: the peer's "
             "in-process loop after a warm-up, like `shared/bench/bench_tokenize.py`, and Syllabus's "
             "`tokenize --encode-only --passes 2`, timing the second pass (each pass makes fresh encoders, so "
             "their caches start empty; the time covers making them and encoding every document). The rows of one tokenizer × corpus ran in "
             "**interleaved rounds**: each round runs Syllabus w1 and w2 (whole command), Syllabus w1 and w2 "
             "encode-only, the peer's whole command and the peer's encode-only pass once. Ratios are the median over rounds of the per-round ratio, with the range in parentheses. This "
             "VM's speed drifts by up to ~1.8× between minutes even when it is idle (see the notes), so only "
             "same-round ratios are robust.\n")
    L.append(f"Run {out['started']} → {out['finished']} ({out['settings']}). Machine: {m['cpu_model']}, {m['cpus']} "
             f"CPUs ({m['cores_per_socket']} cores/socket, {m['threads_per_core']} thread/core, "
             f"{m['hypervisor'] or 'bare metal'}), L2 {m['l2']}, L3 {m['l3']}, {m['mem_GiB']} GiB, {m['os']}, "
             f"kernel {m['kernel']}.\n")
    L.append(f"Syllabus binary: `{short(s.get('source', '?'))}` built {s.get('mtime', '?')}, sha256 "
             f"{s.get('sha256', '?')[:16]}…, git HEAD {s.get('git_head', '?')} with {s.get('git_dirty_files', '?')} "
             f"changed/untracked files in the work tree. It was copied before the first row, so a rebuild during "
             f"the run did not affect it.\n")
    if out["failed_runs"]:
        L.append(f"**Failed runs:** {', '.join(out['failed_runs'])}\n")

    L.append("## Headline: issue 3 ratios\n")
    L.append("Target: Syllabus with 1 worker ≥ 3× tiktoken (qwen) and ≥ 10× HF tokenizers (smollm2), one thread "
             "each; 2 workers ≥ 1.8× 1 worker. MB/s are medians over rounds.\n")
    L.append("| tokenizer | corpus | Syllabus w1 MB/s | peer whole-cmd MB/s | **w1 / peer whole-cmd** | peer encode-only "
             "MB/s | **w1 / peer encode-only** | best 1-thread encode-only MB/s | w1 / best | Syllabus w2 MB/s | "
             "**w2 / w1** | w2 / w1 encoding | machine ceiling | ids |")
    L.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for t in toks:
        for c in corpora:
            d = out["tokenizers"][t].get(c)
            if not d:
                continue
            r, q, e = d["rows"], d["ratios"], d["encode_only"]
            mb = lambda x: x["MB_per_s"] if x and not x.get("failed") else None
            main = e.get(f"{MAIN_MODE[t]}-t1")
            best = e.get(q["peer_encode_best_1thread"] or "")
            L.append(f"| {t} ({PEER_NAME[t]}) | {c} | {f1(mb(r['syllabus-w1']))} | {f1(mb(r['peer-whole']))} | "
                     f"{rcell(q['syl_w1_vs_peer_whole'], TARGET[t])} | {f1(mb(main))} | "
                     f"{rcell(q['syl_w1_vs_peer_encode_main'], TARGET[t])} | {f1(mb(best))} | "
                     f"{rcell(q['syl_w1_vs_peer_encode_best_1thread'])} | {f1(mb(r['syllabus-w2']))} | "
                     f"{rcell(q['syl_w2_vs_w1'], SCALING_TARGET)} | {rcell(q.get('syl_w2_vs_w1_encoding'), SCALING_TARGET)} | "
                     f"{rcell(q.get('machine_ceiling'))} | {idsummary(d['check'])} |")
    L.append("")
    L.append("\"w2 / w1\" times the whole command, start-up and tokenizer load (one thread) included. \"w2 / w1 "
             "encoding\" divides the MB/s the commands print themselves (the job after the tokenizer is loaded: "
             "reading, encoding, writing), median of all runs. \"machine ceiling\" is 2 × time(w1) / time(two w1 "
             "commands at once), per round: twice the work, nothing shared between the two, so it is what this "
             "VM gives any program for its second core on this work. w2 / w1 cannot exceed it by much.\n")
    L.append("Encode-only, like for like: the encoders alone on texts already in memory, after a warm-up, one timed "
             "pass per round.\n")
    L.append("| tokenizer | corpus | Syllabus encode-only w1 MB/s | peer encode-only MB/s | **w1 / peer encode-only** | "
             "Syllabus encode-only w2 MB/s | w2 / w1 encode-only | **w2 / w1 paired** | w2 / w1 paired, warm | CPU cores used w2 | "
             "machine ceiling |")
    L.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for t in toks:
        for c in corpora:
            d = out["tokenizers"][t].get(c)
            if not d or not any(d["syllabus_encode_only"].values()):
                continue
            q, e, se = d["ratios"], d["encode_only"], d["syllabus_encode_only"]
            mb = lambda x: x["MB_per_s"] if x and not x.get("failed") else None
            L.append(f"| {t} ({PEER_NAME[t]}) | {c} | {f1(mb(se['w1']))} | {f1(mb(e.get(f'{MAIN_MODE[t]}-t1')))} | "
                     f"{rcell(q.get('syl_enc_w1_vs_peer_encode_main'), TARGET[t])} | {f1(mb(se['w2']))} | "
                     f"{rcell(q.get('syl_enc_w2_vs_w1'), SCALING_TARGET)} | {rcell(q.get('syl_enc_w2_vs_w1_paired'), SCALING_TARGET)} | "
                     f"{rcell(q.get('syl_enc_w2_vs_w1_paired_warm'), SCALING_TARGET)} | {f1((se['w2'] or {}).get('cpu_cores_used'), 2)} | "
                     f"{rcell(q.get('machine_ceiling'))} |")
    L.append("")
    L.append("\"w2 / w1 encode-only\" divides two processes' times, run seconds apart (with the quiet check between). "
             "\"w2 / w1 paired\" is `--encode-only --worker-counts 1,2`: one process alternating 1 and 2 workers "
             "pass by pass (1,2 then 2,1), its speed-up the median over passes after the first of the time ratio within a pass; "
             "the median over rounds is shown. Pairing runs a second apart removes the drift of this VM's speed between "
             "processes, which moved two-worker passes' CPU time by 0-15%. \"paired, warm\" adds `--warm`: each thread count's "
             "encoders are kept from pass to pass, so the passes after the first measure a long job's steady state; without it "
             "every pass starts cold, as a new run does, and each of two threads merges the common pieces once for itself "
             "(on the code sample with Qwen, a tenth of a one-worker pass; little on English and Chinese, whose caches churn).\n")
    L.append("\"peer encode-only\" uses the peer's whole-command call style: tiktoken `encode_ordinary` per document, "
             "HF `encode_batch` ×1000. It is timed in the same rounds. \"best 1-thread\" is the faster of that and "
             "the other 1-thread call style (batched / per document), timed once after the rounds.\n")

    for t in toks:
        T = out["tokenizers"][t]
        su = T.get("startup", {})
        L.append(f"## {t}: Syllabus vs {PEER_NAME[t]}\n")
        if su:
            L.append("Start-up (process start + tokenizer load + one tiny document, hyperfine median of 5): " +
                     ", ".join(f"{k.replace(f'-{t}-startup', '')} {v['median_s']:.3f} s" for k, v in su.items()) +
                     ". Syllabus rows map the tokenizer's cached image (saved by the start-up row's warm-up run); "
                     "syl-nocache builds the tables, as the first run on a machine does (`SYLLABUS_CACHE_DIR=off`).\n")
        L.append("| corpus | row | median s (each used run) | MB/s | MB/s excl. start-up | tokens/s | CPU cores used | "
                 "peak RSS MB | load 1-min min–max (max other-proc cores) |")
        L.append("|---|---|---|---:|---:|---:|---:|---:|---|")
        for c in corpora:
            d = T.get(c)
            if not d:
                continue
            labels = [("syllabus-w1", "Syllabus `--workers 1` (whole cmd)", d["rows"]["syllabus-w1"]),
                      ("syllabus-w2", "Syllabus `--workers 2` (whole cmd)", d["rows"]["syllabus-w2"]),
                      ("syllabus-enc-w1", "encode-only: Syllabus `--encode-only --workers 1` (in the rounds)",
                       d["syllabus_encode_only"]["w1"]),
                      ("syllabus-enc-w2", "encode-only: Syllabus `--encode-only --workers 2` (in the rounds)",
                       d["syllabus_encode_only"]["w2"]),
                      ("peer-whole", f"{PEER_NAME[t]}, 1 thread (whole cmd)", d["rows"]["peer-whole"])]
            for v in ("single-t1", "batch-t1", "batch-t2"):
                if v in d["encode_only"]:
                    labels.append((v, "encode-only: " + ENC_LABEL[t][v] +
                                   (" (in the rounds)" if v == f"{MAIN_MODE[t]}-t1" else ""), d["encode_only"][v]))
            for _, lab, r in labels:
                if not r or r.get("failed"):
                    L.append(f"| {c} | {lab} | **failed** | | | | | | |")
                    continue
                L.append(f"| {c} | {lab} | {r['median_s']:.2f} ({', '.join(f'{x:.2f}' for x in r['times_s'])}) | "
                         f"{f1(r['MB_per_s'], 2)} | {f1(r.get('MB_per_s_excl_startup'), 2)} | {mtok(r.get('tokens_per_s'))} | "
                         f"{f1(r.get('cpu_cores_used'), 2)} | {f1(r.get('peak_rss_MB'), 0)} | {loadcell(r)} |")
        L.append("")
        L.append("| corpus | text MB | docs | tokens | bytes/token | w1 / peer whole-cmd | w1 / peer encode-only "
                 f"({ENC_LABEL[t][MAIN_MODE[t] + '-t1']}) | w1 / best 1-thread encode-only | w2 / w1 |")
        L.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
        for c in corpora:
            d = T.get(c)
            if not d:
                continue
            q = d["ratios"]
            ntok = (d["rows"]["syllabus-w1"] or {}).get("tokens")
            if not ntok:
                continue
            L.append(f"| {c} | {d['text_bytes'] / 1e6:.1f} | {d['docs']:,} | {ntok:,} | {d['text_bytes'] / ntok:.2f} | "
                     f"{rcell(q['syl_w1_vs_peer_whole'])} | {rcell(q['syl_w1_vs_peer_encode_main'])} | "
                     f"{rcell(q['syl_w1_vs_peer_encode_best_1thread'])} | {rcell(q['syl_w2_vs_w1'])} |")
        L.append("")

    L.append("## Correctness: same ids?\n")
    L.append("Token totals are the ones the commands printed on their last run (`tokenize: N documents, T tokens, …` / "
             "`peer: …`). The ids files of the last round were then compared byte for byte (`cmp`), and per document "
             "when they differ (`tools/reference/tokenize_compare.py`).\n")
    L.append("| tokenizer | corpus | docs | Syllabus w1 tokens | Syllabus w2 tokens | peer tokens | totals equal | "
             "w1 ids vs peer | w2 ids vs peer |")
    L.append("|---|---|---:|---:|---:|---:|---|---|---|")
    for t in toks:
        for c in corpora:
            d = out["tokenizers"][t].get(c)
            if not d or not d["check"]:
                continue
            cs = d["check"]
            g = lambda k: cs.get(k) or {}
            w1, w2, p = g(f"syl-{t}-{c}-w1"), g(f"syl-{t}-{c}-w2"), g(f"peer-{t}-{c}")
            L.append(f"| {t} | {c} | {w1.get('docs', 0):,} | {w1.get('tokens', 0):,} | {w2.get('tokens', 0):,} | "
                     f"{p.get('tokens', 0):,} | {'yes' if cs['token_totals_equal'] else '**NO**'} | "
                     f"{cs['w1_ids_vs_peer']} | {cs['w2_ids_vs_peer']} |")
            for k in ("w1", "w2"):
                cmpres = cs["raw"].get(f"syl-{t}-{c}-{k}_compare")
                if cmpres:
                    L.append(f"\n**{t} {c} Syllabus {k} ≠ peer**: `{json.dumps(cmpres, ensure_ascii=False)[:1500]}`\n")
    L.append("")

    L.append("## Corpora (`Benchmarks/build_tokcorpus.py`)\n")
    L.append("| corpus | docs | text MB | JSONL MB | copies | largest doc (bytes) | sources (one copy) |")
    L.append("|---|---:|---:|---:|---:|---:|---|")
    for c in corpora:
        cc = out["corpus"][c]
        src = "; ".join(f"{x['file']}{' (' + x['filter'] + ')' if x['filter'] else ''} {x['text_bytes'] / 1e6:.2f} MB"
                        for x in cc["sources"])
        L.append(f"| {c} | {cc['docs']:,} | {cc['text_bytes'] / 1e6:.1f} | {cc['jsonl_bytes'] / 1e6:.1f} | "
                 f"{cc['copies']} | {cc.get('max_doc_bytes', '–')} | {src} |")
    cps = [out["corpus"][c]["copies"] for c in corpora]
    L.append(f"\nEach corpus is its sources repeated, with fresh ids `<id>#<copy>`, until it reaches its size. "
             f"So documents repeat up to {max(cps) if cps else '?'} times, and tokenizer caches (HF's BPE word cache, "
             "and Syllabus's if it has one) see repeated words. All rows read the same files.\n")

    L.append("## Notes\n")
    L.append("- **Speed drift.** On this VM the same command can take very different times in different minutes, "
             "even with nothing else running (no foreign CPU, no steal time). During development, "
             "`syllabus tokenize --workers 1` on the English corpus took 1.64 s in one window and 2.93 s a few minutes "
             "later, with the same binary. So the rows of one tokenizer × corpus run in interleaved rounds, and "
             "ratios are taken within a round. MB/s from different results files (or BASELINES.md) should not be "
             "compared directly.")
    L.append("- **\"1 worker\" is not strictly one core.** The CPU cores used column (user+sys / wall) shows how "
             "much CPU each whole command used. A value above 1.0 for Syllabus `--workers 1` means some work (e.g. "
             "I/O or other threads) ran next to the worker.")
    L.append("- **Large documents.** The Chinese corpus holds two copies of one 2.6 MB document (26 % of its "
             "text; one is its last line), and the English one holds books of up to 0.74 MB. With two workers, "
             "Syllabus encodes a document over 512 KB in parts on both (cut where the encoding cannot change), "
             "but the last document's joining, formatting and writing still end the run on one thread.")
    L.append("- **Whole command vs encode-only.** A whole command also starts the process (~12 ms), maps the "
             "tokenizer, reads and decodes the JSONL, formats and writes the ids: one reading/writing thread "
             "besides the workers, which with `--workers 1` runs on the otherwise idle second core and with "
             "`--workers 2` takes its share from the encoders.")
    L.append("- **Peers on this corpus.** HF tokenizers (SmolLM2) runs at about 1 MB/s here, compared with "
             "3.2 MB/s on the Debian-docs corpus of BASELINES.md. tiktoken is also slower here, especially on "
             "Chinese, where long runs of CJK letters form very long pre-tokens. Both peers get identical texts "
             "to Syllabus, so the ratios are like for like.")
    L.append("")
    L.append("## Load during the rows\n")
    L.append("Each \"load\" cell gives the lowest and highest 1-minute load average at the start and end of the row's "
             "used runs. In parentheses it gives the most cores that *other* processes used during any of those "
             "runs: busy CPU time from `/proc/stat`, minus the run's own CPU time, per second of wall time. It also "
             "gives how long the script waited before the runs for the machine to be quiet (`QUIET_MAX`, "
             "`QUIET_WAIT`). A run during which other processes used more than `RERUN_FOREIGN` cores was repeated "
             "at once, and the quieter attempt is used (\"repeated\"). Our own 1-worker runs push the 1-minute "
             "load towards 1, and 2-worker runs push it towards 2.\n")

    L.append("## Versions\n")
    for k, val in out["versions"].items():
        L.append(f"- {k}: {val}")
    L.append("")
    L.append("## Commands\n")
    L.append("Paths are relative to the repository root. `@ID@` stands for the run (`ROW.<round><attempt>`). "
             "Whole-command rows ran once per round as `hyperfine --runs 1 --export-json ROW.RUN.json "
             "\"/usr/bin/time -f '%e %U %S %M' -o ROW.RUN.rss CMD\"`, wrapped in GNU `time` with "
             "`/proc/loadavg` and `/proc/stat` snapshots.\n")
    L.append("```sh")
    for t in toks:
        T = out["tokenizers"][t]
        for c in corpora:
            d = T.get(c)
            if not d:
                continue
            for r in list(d["rows"].values()) + list(d["syllabus_encode_only"].values()) + list(d["encode_only"].values()):
                if r and r.get("command"):
                    L.append(f"# {r['id']}\n{short(r['command'])}")
    L.append("```\n")
    return "\n".join(L)


if __name__ == "__main__":
    main()

#!/usr/bin/env bash
# Issue 6 side by side on one core, on the 30 MB slice of the near-dedup corpus (Benchmarks/build_dedup_corpus.py):
#  1. MinHash signatures. Syllabus: the first pass of `syllabus curate` with only minhash_dedup (read the JSONL,
#     shingle, sign, write the 14 sorted band files), as the curate summary times it, in three settings:
#     its defaults (datatrove's shingling, fast hash family, 112 hashes), `preset: datatrove` (bit-exact datatrove
#     signatures and removals) and rensa's shingling (raw text, whitespace words, 16 × 8 = 128 hashes). Peers
#     (Benchmarks/minhash_peers.py): rensa 0.5.0 RMinHash(128) per document, timed in-process over texts
#     loaded beforehand, shingling included; datatrove 0.10.1's signature stage (executor.run()).
#  2. End to end: the whole `syllabus curate` command (signatures, merge, output written) against
#     datatrove's four stages (sum of their executor.run() times).
#  3. With LARGE=1 (about 20 min more): Syllabus on all 1M documents (wall time, peak memory, removals), and
#     Syllabus `preset: datatrove` against datatrove's four stages on the first 100,000 (datatrove on all 1M
#     would take hours). Appended to the same results file.
# Writes Benchmarks/results/dedup-<date>.md. Knobs: RUNS=3 PEER_RUNS=1 LARGE=0 SYLLABUS_BIN VENV (datatrove + rensa).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
W=$ROOT/Benchmarks/work/dedup
SLICE=$W/slice30/slice.jsonl
RUNS=${RUNS:-3}
PEER_RUNS=${PEER_RUNS:-1}
SYL=${SYLLABUS_BIN:-$ROOT/.build/release/syllabus}
VENV=${VENV:-$ROOT/Benchmarks/work/dedupvenv}
OUT=${OUT:-$ROOT/Benchmarks/results/dedup-$(date +%F).md}
[ -f "$SLICE" ] || python3 "$ROOT/Benchmarks/build_dedup_corpus.py"
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q "datatrove==0.10.1" "spacy==3.8.18" "xxhash==3.8.2" regex tokenizers orjson zstandard "rensa==0.5.0"
fi
mb=$(python3 -c 'import json; print("%.2f" % (json.load(open("'"$W"'/corpus.json"))["slice"]["text_bytes"] / 1e6))')
docs=$(grep -c . "$SLICE")
mkdir -p "$W/bench" "$ROOT/Benchmarks/results"

# One pipeline per Syllabus setting.
declare -A SETTINGS=(
  [default]="{}"
  [datatrove]="{preset: datatrove}"
  [rensa-shingling]="{simplify: false, words: whitespace, shingles: words, bands: 16, rows: 8, verify: false}"
)
for name in "${!SETTINGS[@]}"; do
  cat > "$W/bench/$name.yaml" <<YAML
inputs: {slice: {paths: ["$SLICE"]}}
steps:
  - minhash_dedup: ${SETTINGS[$name]}
output: {path: $W/bench/run-$name}
workers: 1
YAML
done

# seconds of "pass 1" and of the whole command, and the documents removed
syllabus() {
  rm -rf "$W/bench/run-$1"
  local start end out
  start=$(date +%s.%N)
  out=$("$SYL" curate "$W/bench/$1.yaml")
  end=$(date +%s.%N)
  echo "$(echo "$out" | awk '/^pass 1/ {print $(NF-1)}') $(echo "$end - $start" | bc) $(echo "$out" | awk '/near_duplicate/ {gsub(",", "", $2); print $2; exit}')"
}

declare -A PASS1 WHOLE REMOVED
for round in $(seq "$RUNS"); do
  for name in default datatrove rensa-shingling; do
    read -r p w r < <(syllabus "$name")
    PASS1[$name]+="$p "; WHOLE[$name]+="$w "; REMOVED[$name]=$r
  done
done
peers=$("$VENV/bin/python" "$ROOT/Benchmarks/minhash_peers.py" "$SLICE" --modes a,b --reps 3 2>/dev/null)
slow=$("$VENV/bin/python" "$ROOT/Benchmarks/minhash_peers.py" "$SLICE" --modes c,d --reps "$PEER_RUNS" 2>/dev/null)
echo "$peers" > "$W/bench/peers-ab.json"; echo "$slow" > "$W/bench/peers-cd.json"

python3 - "$OUT" "$mb" "$docs" "$W/bench/peers-ab.json" "$W/bench/peers-cd.json" \
  "${PASS1[default]}" "${PASS1[datatrove]}" "${PASS1[rensa-shingling]}" \
  "${WHOLE[default]}" "${WHOLE[datatrove]}" "${REMOVED[default]}" "${REMOVED[datatrove]}" <<'PY'
import json, statistics, sys, datetime, os
out, mb, docs = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
ab, cd = json.load(open(sys.argv[4])), json.load(open(sys.argv[5]))
p_def, p_dt, p_rs, w_def, w_dt = [[float(x) for x in a.split()] for a in sys.argv[6:11]]
r_def, r_dt = sys.argv[11], sys.argv[12]
def med(xs): return statistics.median(xs)
def find(js, mode):
    for key, r in js["results"].items():
        if key.startswith(mode + "_"): return r
a, b, c, d = find(ab, "a"), find(ab, "b"), find(cd, "c"), find(cd, "d")
def secs(r): return r["median_s"]
ta, tb, tc, td = secs(a), secs(b), secs(c), secs(d)
L = [f"# Near dedup (issue 6): Syllabus vs rensa 0.5.0 and datatrove 0.10.1 — {datetime.date.today()}", "",
     f"The 30 MB slice of the near-dedup corpus ({docs:,} documents, {mb} MB of text; Benchmarks/build_dedup_corpus.py).",
     "One core each (`workers: 1`, one task). Syllabus runs are the medians of the rounds; the peers' figures come from",
     "Benchmarks/minhash_peers.py (rensa: median of 3 in-process passes over preloaded texts; datatrove: executor.run()).",
     f"Machine: {os.cpu_count()} cores, shared with other work: treat each figure as ±20 %.", "",
     "## Signatures", "",
     "| tool, setting | hashes | shingling | s | MB/s | vs rensa | vs datatrove |", "|---|---:|---|---:|---:|---:|---:|"]
def row(name, h, sh, t):
    L.append(f"| {name} | {h} | {sh} | {t:.2f} | {mb/t:.1f} | {ta/t:.1f}× | {tc/t:.0f}× |")
row("Syllabus, defaults (`hash: fast`), pass 1", 112, "datatrove's (simplified text, spaCy words, 5-grams)", med(p_def))
row("Syllabus, `preset: datatrove` (bit-exact), pass 1", 112, "datatrove's", med(p_dt))
row("Syllabus, rensa's shingling, pass 1", 128, "`text.split()` 5-grams", med(p_rs))
row("rensa RMinHash per document (in-process)", 128, "`text.split()` 5-grams", ta)
row("rensa, 112 permutations", 112, "`text.split()` 5-grams", tb)
row("datatrove MinhashDedupSignature", 112, "datatrove's", tc)
L += ["", "Syllabus's pass 1 reads the JSONL and writes the sorted band files; rensa's time excludes reading.", "",
      "## End to end (all phases, output written)", "",
      "| tool | s | MB/s | removed | vs datatrove |", "|---|---:|---:|---:|---:|",
      f"| Syllabus, defaults (verification at Jaccard 0.8) | {med(w_def):.2f} | {mb/med(w_def):.1f} | {r_def} | {td/med(w_def):.0f}× |",
      f"| Syllabus, `preset: datatrove` (same signatures and removals) | {med(w_dt):.2f} | {mb/med(w_dt):.1f} | {r_dt} | {td/med(w_dt):.0f}× |",
      f"| datatrove, four stages | {td:.1f} | {mb/td:.2f} | {d.get('removed', '?')} | 1× |", "",
      "Rounds (s): Syllabus pass 1 default " + " ".join(f"{x:.2f}" for x in p_def) + "; datatrove-exact " + " ".join(f"{x:.2f}" for x in p_dt)
      + "; rensa shingling " + " ".join(f"{x:.2f}" for x in p_rs) + "; whole default " + " ".join(f"{x:.2f}" for x in w_def) + ".",
      "", f"Command: `RUNS={len(p_def)} Benchmarks/dedup.sh`"]
open(out, "w").write("\n".join(L) + "\n")
print("\n".join(L))
PY

if [ "${LARGE:-0}" = 1 ]; then
  head -n 100000 "$W/jsonl/part-00000.jsonl" > "$W/prefix100k.jsonl"
  cat > "$W/bench/all.yaml" <<YAML
inputs: {corpus: {paths: ["$W/jsonl/*.jsonl"]}}
steps: [minhash_dedup]
output: {path: $W/bench/run-all}
workers: 1
YAML
  cat > "$W/bench/prefix.yaml" <<YAML
inputs: {prefix: {paths: ["$W/prefix100k.jsonl"]}}
steps:
  - minhash_dedup: {preset: datatrove}
output: {path: $W/bench/run-prefix}
workers: 1
YAML
  large() {  # wall seconds, peak KB, removed
    rm -rf "$W/bench/run-$1"
    /usr/bin/time -f "%e %M" -o "$W/bench/time-$1" "$SYL" curate "$W/bench/$1.yaml" > "$W/bench/out-$1"
    echo "$(cat "$W/bench/time-$1") $(awk '/near_duplicate/ {gsub(",", "", $2); print $2; exit}' "$W/bench/out-$1")"
  }
  read -r all_s all_kb all_removed < <(large all)
  read -r pre_s pre_kb pre_removed < <(large prefix)
  dt=$("$VENV/bin/python" "$ROOT/Benchmarks/minhash_peers.py" "$W/prefix100k.jsonl" --modes d --reps 1 2>/dev/null)
  python3 - "$OUT" "$all_s" "$all_kb" "$all_removed" "$pre_s" "$pre_kb" "$pre_removed" "$dt" <<'PY'
import json, sys
out, all_s, all_kb, all_removed, pre_s, pre_kb, pre_removed, dt = sys.argv[1:9]
d = next(iter(json.loads(dt)["results"].values()))
lines = ["", "## Corpus scale (LARGE=1)", "",
         "| run | s | peak memory | removed |", "|---|---:|---:|---:|",
         f"| Syllabus defaults, all 1,000,000 documents | {float(all_s):.1f} | {int(all_kb)/1e6:.2f} GB | {all_removed} |",
         f"| Syllabus `preset: datatrove`, first 100,000 | {float(pre_s):.1f} | {int(pre_kb)/1e3:.0f} MB | {pre_removed} |",
         f"| datatrove four stages, first 100,000 | {d['median_s']:.1f} | — | {d.get('removed', '?')} |", "",
         f"Same 100,000 documents: {d['median_s']/float(pre_s):.0f}× datatrove end to end."]
open(out, "a").write("\n".join(lines) + "\n")
print("\n".join(lines))
PY
fi

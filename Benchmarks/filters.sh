#!/usr/bin/env bash
# Issue 5's chain, side by side on one core: language id (lid.176, keep English) → Gopher quality → Gopher
# repetition → C4 quality → FineWeb quality, on real English web and Q&A text from ../shared/data (C4,
# Dolma CCNet head, RedPajama Pile samples, Skeptics Stack Exchange). Syllabus: `syllabus curate`, one
# worker, whole command. datatrove 0.10.1: tools/reference/datatrove_chain.py (executor.run() timed, one
# task, one worker, same lid.176.ftz). Alternating rounds. Writes Benchmarks/results/filters-<date>.md.
# Knobs: RUNS=3 CHAIN_VENV=Benchmarks/work/chainvenv SYLLABUS_BIN=.build/release/syllabus DATA=../shared/data
#        RESULTS_TAG=name (results file suffix, default today's date; a second run the same day needs its own tag)
#        SYL_RUNS=5 (Syllabus runs per round, back to back; the round's ratio uses their median, like hyperfine's
#        whole-command medians: one 0.3 s run is at the mercy of a moment's noise, datatrove's 25 s run is not.
#        Every Syllabus time is listed. SYL_RUNS=1 is the old single-run method.)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
W=$ROOT/Benchmarks/work/filters
RUNS=${RUNS:-3}
SYL_RUNS=${SYL_RUNS:-5}
VENV=${CHAIN_VENV:-$ROOT/Benchmarks/work/chainvenv}
SYL=${SYLLABUS_BIN:-$ROOT/.build/release/syllabus}
DATA=${DATA:-$ROOT/../shared/data}
MODEL=$ROOT/Tests/Fixtures/models/lid.176.ftz
OUT=$ROOT/Benchmarks/results/filters-${RESULTS_TAG:-$(date +%F)}.md
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q "datatrove[processing]==0.10.1" "spacy>=3.8,<3.9" fasttext-numpy2-wheel fasteners orjson
fi
rm -rf "$W"; mkdir -p "$W/in" "$ROOT/Benchmarks/results"
for f in web/c4_en_sample.jsonl web/dolma_cc_en_head.jsonl web/redpajama_pile_samples.jsonl qa/skeptics_stackexchange.jsonl; do
  cp "$DATA/$f" "$W/in/$(basename "$f")"
done
docs=$(cat "$W"/in/*.jsonl | grep -c .)
mb=$(python3 -c 'import json,glob; print("%.2f" % (sum(len(json.loads(l)["text"].encode()) for f in glob.glob("'"$W"'/in/*.jsonl") for l in open(f) if l.strip())/1e6))')
cat > "$W/chain.yaml" <<YAML
name: chain
inputs: {en: {paths: ["$W/in/*.jsonl"]}}
steps:
  - language: {model: $MODEL, languages: [en], min_score: 0.65}
  - gopher_quality: {}
  - gopher_repetition: {}
  - c4_quality: {}
  - fineweb_quality: {}
output: {path: $W/syllabus-out, compression: none}
workers: 1
YAML
{
  echo "# Curation chain (issue 5): Syllabus vs datatrove 0.10.1 — $(date +%F)"
  echo
  echo "language (lid.176.ftz, keep en > 0.65) → gopher_quality → gopher_repetition → c4_quality → fineweb_quality,"
  echo "default thresholds, one core each, $docs documents / $mb MB of text (C4, Dolma CC head, RedPajama Pile"
  echo "samples, Skeptics Stack Exchange). Syllabus: whole \`syllabus curate\` command. datatrove: \`executor.run()\`"
  echo "(reader → filters → JsonlWriter, 1 task, 1 worker). Alternating rounds. Machine: $(nproc) cores."
  echo
  echo "Syllabus: $SYL_RUNS back-to-back runs per round; the ratio uses their median (all listed)."
  echo
  echo "| round | Syllabus s (median) | Syllabus runs s | Syllabus kept | datatrove s | ratio |"
  echo "|---:|---:|---|---:|---:|---:|"
} > "$OUT"
for round in $(seq "$RUNS"); do
  times=()
  for _ in $(seq "$SYL_RUNS"); do
    rm -rf "$W/syllabus-out"
    start=$(date +%s.%N)
    "$SYL" curate "$W/chain.yaml" > /dev/null
    times+=("$(echo "$(date +%s.%N) - $start" | bc)")
  done
  syl=$(printf '%s\n' "${times[@]}" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
  runs=$(printf '%.3f ' "${times[@]}")
  kept=$(cat "$W"/syllabus-out/output/*/*.jsonl | grep -c .)
  dt=$("$VENV/bin/python" "$ROOT/tools/reference/datatrove_chain.py" --model "$MODEL" "$W/in" 2>/dev/null | tail -1)
  dts=$(echo "$dt" | python3 -c 'import json,sys; print("%.3f" % json.load(sys.stdin)["wall_s"])')
  printf '| %s | %.3f | %s | %s | %s | %s× |\n' "$round" "$syl" "${runs% }" "$kept" "$dts" "$(echo "scale=1; $dts / $syl" | bc)" >> "$OUT"
done
echo >> "$OUT"
echo "datatrove's per-step counts (last round): \`$dt\`" >> "$OUT"
echo >> "$OUT"
echo "Command: \`RUNS=$RUNS SYL_RUNS=$SYL_RUNS Benchmarks/filters.sh\`" >> "$OUT"
echo >> "$OUT"
echo "Binary: $SYL (sha256 $(sha256sum "$SYL" | cut -c1-16)…; source tree at $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?'), $(git -C "$ROOT" status --porcelain 2>/dev/null | grep -vc '^??') modified files)" >> "$OUT"
cat "$OUT"

#!/usr/bin/env bash
# Planner scaling benchmark (issue 4): `syllabus plan` with 27 stages (nested language → category → topic
# mixtures, easy→hard selection by perplexity, perplexity / random / interleaved orders, upsampling) over
# generated metadata for N documents (8 sources; tokens, ppl, topic per document; see
# build_plan_corpus.py and make_plan_bench.py). Reports wall time, the three phases (read, plan, write)
# and peak RSS per N, so growth with the number of documents is visible.
# No peer: no other tool plans curricula (datatrove, dolma and NeMo Curator stop at curation).
#
# Knobs: SIZES="100000 1000000 3000000 10000000"  RUNS=1  SYLLABUS_BIN=.build/release/syllabus
# Writes Benchmarks/results/plan-<date>.md; scratch in Benchmarks/work/plancorpus (gitignored, reused).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
W=$ROOT/Benchmarks/work/plancorpus
SIZES=${SIZES:-100000 1000000 3000000 10000000}
RUNS=${RUNS:-1}
SYL=${SYLLABUS_BIN:-$ROOT/.build/release/syllabus}
OUT=$ROOT/Benchmarks/results/plan-$(date +%F).md
command -v /usr/bin/time >/dev/null || { echo "needs /usr/bin/time (apt-get install time)" >&2; exit 1; }
mkdir -p "$W" "$ROOT/Benchmarks/results"

{
  echo "# Planner scaling (issue 4) — $(date +%F)"
  echo
  echo "\`Benchmarks/plan.sh\`: \`syllabus plan\` (release build, 2 workers) with 27 stages over N generated documents"
  echo "(8 sources; nested language → category → topic mixtures; easy→hard selection by perplexity; orders"
  echo "alternating ppl / random / interleaved; English web may reuse documents up to 3 times). Read = parse"
  echo "every shard's metadata; plan = mixtures, selection, ordering; write = 27 manifests + ledger +"
  echo "learning-rate table. Peak RSS from \`/usr/bin/time -v\`. Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)."
  echo
  echo "| documents | shard MB | manifest lines | wall s | read s | plan s | write s | peak RSS MB |"
  echo "|---:|---:|---:|---:|---:|---:|---:|---:|"
} > "$OUT"

for n in $SIZES; do
  corpus=$W/$n
  [ -f "$corpus/.complete" ] || { rm -rf "$corpus"; python3 "$ROOT/Benchmarks/build_plan_corpus.py" "$corpus" --documents "$n" >/dev/null; touch "$corpus/.complete"; }
  python3 "$ROOT/Benchmarks/make_plan_bench.py" "$corpus" "$n" "$W/$n.yaml"
  for run in $(seq "$RUNS"); do
    log=$W/$n.run$run.log
    /usr/bin/time -v "$SYL" plan "$W/$n.yaml" --output "$W/$n-out" --workers 2 > "$log" 2>&1
    wall=$(grep "Elapsed (wall clock)" "$log" | awk -F': ' '{print $2}' | awk -F: '{ if (NF == 3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
    rss=$(grep "Maximum resident set size" "$log" | awk -F': ' '{printf "%.0f", $2/1024}')
    phases=$(grep "read sources in" "$log" | sed -E 's/.*read sources in ([0-9.]+) s, planned in ([0-9.]+) s, wrote [0-9]+ files in ([0-9.]+) s.*/\1 \2 \3/')
    read -r readS planS writeS <<< "$phases"
    lines=$(cat "$W/$n-out"/stage-*.manifest.jsonl | wc -l)
    mb=$(du -sm "$corpus" | cut -f1)
    echo "| $n | $mb | $lines | $wall | $readS | $planS | $writeS | $rss |" >> "$OUT"
    echo "plan-bench: N=$n run $run: ${wall}s, ${rss} MB" >&2
  done
done
echo >> "$OUT"
echo "Command: \`SIZES=\"$SIZES\" RUNS=$RUNS Benchmarks/plan.sh\`" >> "$OUT"
cat "$OUT"

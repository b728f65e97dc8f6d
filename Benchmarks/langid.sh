#!/usr/bin/env bash
# Language id (issue 5): `syllabus curate` with only a `language` step (lid.176.ftz), whole command, one
# worker, versus the reference fastText's Python binding predicting the same documents in-process (load
# and JSON parsing excluded; tools/reference/langid_peer.py), in alternating rounds on the tokenizer
# benchmark's English, Chinese and code corpora (Benchmarks/build_tokcorpus.py).
# Knobs: RUNS=3 CORPORA="en zh code" FT_VENV=Benchmarks/work/ftvenv SYLLABUS_BIN=.build/release/syllabus
# Writes Benchmarks/results/langid-<date>.md.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
W=$ROOT/Benchmarks/work
RUNS=${RUNS:-3}
CORPORA=${CORPORA:-en zh code}
VENV=${FT_VENV:-$W/ftvenv}
SYL=${SYLLABUS_BIN:-$ROOT/.build/release/syllabus}
MODEL=$ROOT/Tests/Fixtures/models/lid.176.ftz
OUT=$ROOT/Benchmarks/results/langid-$(date +%F).md
[ -x "$VENV/bin/python" ] || { python3 -m venv "$VENV"; "$VENV/bin/pip" install -q fasttext-numpy2-wheel; }
python3 "$ROOT/Benchmarks/build_tokcorpus.py" --out "$W/tokcorpus" >/dev/null
mkdir -p "$W/langid" "$ROOT/Benchmarks/results"
{
  echo "# Language id (issue 5): Syllabus vs fastText's Python binding — $(date +%F)"
  echo
  echo "lid.176.ftz, one thread each. Syllabus: \`syllabus curate\` with only \`- language: {model: lid.176.ftz}\`, 1 worker,"
  echo "whole command (start, read JSONL, predict, write JSONL). fastText: \`model.predict(text, k=1)\` per document in-process"
  echo "(fasttext-numpy2-wheel; load and JSON parsing not timed). Rounds alternate the two. Machine: $(nproc) cores."
  echo
  echo "| corpus | docs | text MB | round | Syllabus s | fastText s | ratio |"
  echo "|---|---:|---:|---:|---:|---:|---:|"
} > "$OUT"
for corpus in $CORPORA; do
  input=$W/tokcorpus/$corpus.jsonl
  cat > "$W/langid/$corpus.yaml" <<YAML
name: langid-$corpus
inputs: {$corpus: {paths: ["$input"]}}
steps:
  - language: {model: $MODEL}
output: {path: $W/langid/out-$corpus, compression: none}
workers: 1
YAML
  for round in $(seq "$RUNS"); do
    rm -rf "$W/langid/out-$corpus"
    start=$(date +%s.%N)
    "$SYL" curate "$W/langid/$corpus.yaml" > /dev/null
    syl=$(echo "$(date +%s.%N) - $start" | bc)
    peer=$("$VENV/bin/python" "$ROOT/tools/reference/langid_peer.py" "$MODEL" "$input")
    ft=$(echo "$peer" | python3 -c 'import json,sys; print("%.3f" % json.load(sys.stdin)["seconds"])')
    docs=$(echo "$peer" | python3 -c 'import json,sys; print(json.load(sys.stdin)["documents"])')
    mb=$(echo "$peer" | python3 -c 'import json,sys; print("%.1f" % json.load(sys.stdin)["text_mb"])')
    ratio=$(echo "scale=2; $ft / $syl" | bc)
    printf '| %s | %s | %s | %s | %.3f | %s | %s× |\n' "$corpus" "$docs" "$mb" "$round" "$syl" "$ft" "$ratio" >> "$OUT"
  done
done
echo >> "$OUT"
echo "Command: \`RUNS=$RUNS CORPORA=\"$CORPORA\" Benchmarks/langid.sh\`" >> "$OUT"
cat "$OUT"

#!/usr/bin/env bash
# fastText supervised training (issue: train-classifier): the reference `fasttext supervised` (Debian 0.9.2)
# versus `syllabus train-classifier`, one thread each, same data and options, on real labeled sets of
# ../shared/data split 90/10 (Benchmarks/fasttext_train_data.py):
#   zh:   CSLDCP abstracts + TNEWS titles, 79 labels, character 1–2-grams (Chinese has no spaces)
#   mmlu: MMLU questions by subject, 57 labels, word bigrams
# For each set and seed the two run in turn, whole command timed by /usr/bin/time (read, train, save).
# Reports held-out precision@1 of both (`fasttext test`, which also checks that the reference loads our .bin),
# wall time, and how often the reference predicting our .bin gives the label our predictor gives.
# fastText 0.9.2 initialises only the first thread/10 of its input matrix (the rest stays 0) when it trains
# with fewer than 10 threads, so its -thread 1 model starts from mostly-zero n-gram rows; Syllabus fills the
# whole matrix. The reference's P@1 is therefore also given at -thread 12 (its default: full init; Hogwild).
# Knobs: SEEDS="0 1 2" SETS="zh mmlu" FASTTEXT=fasttext SYLLABUS_BIN=.build/release/syllabus
# Writes Benchmarks/results/fasttext-train-<date>.md.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
W=$ROOT/Benchmarks/work/fasttext-train
SEEDS=${SEEDS:-0 1 2}
SETS=${SETS:-zh mmlu}
FT=${FASTTEXT:-fasttext}
SYL=${SYLLABUS_BIN:-$ROOT/.build/release/syllabus}
OUT=$ROOT/Benchmarks/results/fasttext-train-$(date +%F).md
mkdir -p "$W" "$ROOT/Benchmarks/results"
python3 "$ROOT/Benchmarks/fasttext_train_data.py" --out "$W" >/dev/null

declare -A REF SYLOPTS
REF[zh]="-minn 1 -maxn 2 -epoch 25 -lr 1.0"
SYLOPTS[zh]="--minn 1 --maxn 2 --epoch 25 --lr 1.0"
REF[mmlu]="-wordNgrams 2 -epoch 10 -lr 0.5"
SYLOPTS[mmlu]="--word-ngrams 2 --epoch 10 --lr 0.5"

{
  echo "# fastText supervised training: Syllabus vs the reference fastText — $(date +%F)"
  echo
  echo "Reference: \`$FT supervised\` ($(dpkg-query -W -f '${Package} ${Version}' fasttext 2>/dev/null || echo "$FT")), \`-thread 1\`."
  echo "Syllabus: \`syllabus train-classifier --threads 1\` (release build). Same training file (JSONL for Syllabus, the same"
  echo "records in fastText's format for the reference), same options, dim 100 and bucket 2,000,000 (the defaults) for both;"
  echo "whole command timed with /usr/bin/time (reading, dictionary, weight init, training, writing the .bin), the two"
  echo "alternating. P@1 is \`fasttext test MODEL test.txt\` for both models (so the reference loads ours). Agreement:"
  echo "the reference's \`predict-prob\` on our .bin vs our predictor (\`--predictions\`), top label per held-out record."
  echo "Machine: $(nproc) cores, shared with other work (times are noisy; the ratio within a row is paired)."
  echo
  echo "| set | options | seed | reference P@1 (-thread 1) | reference P@1 (-thread 12) | Syllabus P@1 | reference s | Syllabus s | speed-up | agreement |"
  echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"
} > "$OUT"
for set in $SETS; do
  for seed in $SEEDS; do
    /usr/bin/time -f %e -o "$W/t-ref" "$FT" supervised -input "$W/$set-train.txt" -output "$W/ref-$set" -thread 1 -seed "$seed" ${REF[$set]} -verbose 0
    /usr/bin/time -f %e -o "$W/t-syl" "$SYL" train-classifier --input "$W/$set-train.jsonl" --validation "$W/$set-test.jsonl" \
      --output "$W/syl-$set.bin" --threads 1 --seed "$seed" ${SYLOPTS[$set]} --predictions "$W/syl-$set-predictions.tsv" 2>/dev/null >/dev/null
    pref=$("$FT" test "$W/ref-$set.bin" "$W/$set-test.txt" | awk '/P@1/ {print $2}')
    psyl=$("$FT" test "$W/syl-$set.bin" "$W/$set-test.txt" | awk '/P@1/ {print $2}')
    "$FT" predict-prob "$W/syl-$set.bin" "$W/$set-test.txt" 1 | awk '{print $1}' > "$W/cross-$set.txt"
    agree=$(paste "$W/cross-$set.txt" <(cut -f1 "$W/syl-$set-predictions.tsv") | awk '$1 == $2 {a++} END {printf "%d/%d", a, NR}')
    "$FT" supervised -input "$W/$set-train.txt" -output "$W/ref12-$set" -thread 12 -seed "$seed" ${REF[$set]} -verbose 0
    pref12=$("$FT" test "$W/ref12-$set.bin" "$W/$set-test.txt" | awk '/P@1/ {print $2}')
    tref=$(cat "$W/t-ref"); tsyl=$(cat "$W/t-syl")
    echo "| $set | \`${REF[$set]}\` | $seed | $pref | $pref12 | $psyl | $tref | $tsyl | $(python3 -c "print(f'{$tref/$tsyl:.2f}x')") | $agree |" | tee -a "$OUT"
  done
done
echo "wrote $OUT"

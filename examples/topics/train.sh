#!/usr/bin/env bash
# Topic classifiers for SPEC §4's taxonomy (English 11 topics, Chinese 13) from the labeled real data in
# ../shared/data: build each language's training set through its committed label table (map-en.tsv,
# map-zh.tsv), train with `syllabus train-classifier` (one thread, fixed seed: the same models every run),
# hold out 10% (drawn with the seed) and write held-out accuracy, per-topic precision/recall and the
# confusion matrices to Benchmarks/results/topics-<date>.md. See examples/topics/README.md.
#
# Usage: examples/topics/train.sh [DATA]      (DATA defaults to ../shared/data beside the repository)
# Knobs: SYLLABUS_BIN=.build/release/syllabus  SEED=1  DATE=$(date +%F)  OUT=runs/topics
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"    # paths below are relative to the repository, as the report shows them
DATA=${1:-../shared/data}
SYL=${SYLLABUS_BIN:-.build/release/syllabus}
SEED=${SEED:-1}
DATE=${DATE:-$(date +%F)}
OUT=${OUT:-runs/topics}
REPORT=Benchmarks/results/topics-$DATE.md

# English: words, word bigrams and character 3-5-grams. Chinese has no spaces: character 1-3-grams carry
# the signal. Chosen by a small sweep (examples/topics/README.md).
declare -A OPTIONS
OPTIONS[en]="--word-ngrams 2 --minn 3 --maxn 5 --epoch 50 --lr 1.0 --bucket 200000"
OPTIONS[zh]="--minn 1 --maxn 3 --epoch 50 --lr 1.0 --bucket 200000"

[ -x "$SYL" ] || swift build -c release --product syllabus
mkdir -p "$OUT" Benchmarks/results

for lang in en zh; do
    echo "== $lang: training set" >&2
    "$SYL" build-training-set --map "examples/topics/map-$lang.tsv" --data "$DATA" --taxonomy "$lang" \
        --output "$OUT/$lang.jsonl" > "$OUT/$lang-set.txt"
    cat "$OUT/$lang-set.txt" >&2
    echo "== $lang: train" >&2
    # shellcheck disable=SC2086
    "$SYL" train-classifier --input "$OUT/$lang.jsonl" --taxonomy "$lang" --holdout 0.1 --seed "$SEED" --threads 1 \
        ${OPTIONS[$lang]} --report "$OUT/$lang-report.md" --output "$OUT/topics-$lang.bin" | tee "$OUT/$lang-train.txt"
done

{
    echo "# Topic classifiers: held-out accuracy ($DATE)"
    echo
    echo "SPEC §4's topic taxonomy (English 11 topics, Chinese 13), fastText classifiers trained by"
    echo "\`syllabus train-classifier\` on labeled real data from ../shared/data mapped to the topics by"
    echo "\`examples/topics/map-en.tsv\` and \`map-zh.tsv\`. One thread, seed $SEED: rerunning gives the same models."
    echo "10% of each language's set is held out (a seeded random draw, not stratified); the other 90% trains."
    echo "Produced by \`examples/topics/train.sh\` (\`make topics\`)."
    echo
    echo "| language | records | held out | held-out accuracy | macro F1 | options |"
    echo "|---|---:|---:|---:|---:|---|"
    for lang in en zh; do
        records=$(wc -l < "$OUT/$lang.jsonl" | tr -d ' ')
        line=$(grep -o 'Held-out accuracy [0-9.]*\*\* ([0-9]* of [0-9]*' "$OUT/$lang-report.md")
        accuracy=$(echo "$line" | sed -E 's/Held-out accuracy ([0-9.]*).*/\1/')
        total=$(echo "$line" | sed -E 's/.* of ([0-9]*)$/\1/')
        macro=$(grep -o 'macro F1 [0-9]*\.[0-9]*' "$OUT/$lang-report.md" | sed 's/macro F1 //')
        echo "| $lang | $records | $total | $accuracy | $macro | \`${OPTIONS[$lang]}\` |"
    done
    echo
    echo "The held-out examples come from the same sources as the training ones (exam questions of the same"
    echo "benchmarks, abstracts and titles of the same collections), so these numbers are in-distribution:"
    echo "web pages will score lower. The English set is mostly MMLU questions; the Chinese one mostly CMMLU."
    echo "The options were picked by a small sweep scored on this same held-out split (examples/topics/README.md),"
    echo "so the accuracies are slightly optimistic even in-distribution."
    for lang in en zh; do
        echo
        if [ "$lang" = en ]; then echo "## English (en)"; else echo "## Chinese (zh)"; fi
        echo
        echo "Training set (\`syllabus build-training-set --map examples/topics/map-$lang.tsv --taxonomy $lang\`):"
        echo
        echo '```'
        cat "$OUT/$lang-set.txt"
        echo '```'
        echo
        cat "$OUT/$lang-report.md"
    done
} > "$REPORT"
echo "wrote $REPORT" >&2

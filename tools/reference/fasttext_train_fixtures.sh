#!/usr/bin/env bash
# Cross-loading fixtures for Syllabus's fastText training (Tests/ModelsTests/FastTextCrossLoadingTests.swift),
# from Tests/Fixtures/models/tnews-topics.jsonl: its first 800 records train, the other 126 test.
#   tnews-reference.bin                   `fasttext supervised` (the reference) on the 800
#   tnews-reference-predictions.txt       `fasttext predict-prob tnews-reference.bin test 1`
#   tnews-syllabus-{softmax,hs}.bin       `syllabus train-classifier` on the same 800, same options, 1 thread
#   tnews-syllabus-{softmax,hs}-predictions.txt   the reference's `predict-prob` on those models
# Options: dim 8, bucket 10000 (small files), character 1–2-grams, word bigrams, 25 epochs, lr 0.5.
# Needs fastText 0.9.2 as `fasttext` (Debian: apt-get install fasttext; or FASTTEXT=path/to/binary built from
# facebookresearch/fastText v0.9.2) and a built `syllabus` (SYLLABUS_BIN, default .build/debug/syllabus).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
FT=${FASTTEXT:-fasttext}
SYL=${SYLLABUS_BIN:-$ROOT/.build/debug/syllabus}
F=$ROOT/Tests/Fixtures/models
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
head -n 800 "$F/tnews-topics.jsonl" > "$W/train.jsonl"
tail -n +801 "$F/tnews-topics.jsonl" > "$W/test.jsonl"
for part in train test; do
  python3 -c '
import json, re, sys
for line in open(sys.argv[1], encoding="utf-8"):
    r = json.loads(line)
    print("__label__" + r["label"], " ".join(t for t in re.split(r"[ \n\r\t\v\f\0]+", r["text"]) if t))
' "$W/$part.jsonl" > "$W/$part.txt"
done
OPTS=(-dim 8 -bucket 10000 -minn 1 -maxn 2 -wordNgrams 2 -epoch 25 -lr 0.5 -thread 1)
"$FT" supervised -input "$W/train.txt" -output "$W/reference" "${OPTS[@]}" -verbose 0
cp "$W/reference.bin" "$F/tnews-reference.bin"
"$FT" predict-prob "$F/tnews-reference.bin" "$W/test.txt" 1 > "$F/tnews-reference-predictions.txt"
echo "reference: $("$FT" test "$F/tnews-reference.bin" "$W/test.txt" | tr '\n' ' ')"
for loss in softmax hs; do
  "$SYL" train-classifier --input "$W/train.jsonl" --validation "$W/test.jsonl" --output "$F/tnews-syllabus-$loss.bin" \
    --dim 8 --bucket 10000 --minn 1 --maxn 2 --word-ngrams 2 --epoch 25 --lr 0.5 --threads 1 --seed 0 --loss $loss 2>/dev/null
  "$FT" predict-prob "$F/tnews-syllabus-$loss.bin" "$W/test.txt" 1 > "$F/tnews-syllabus-$loss-predictions.txt"
  echo "syllabus $loss, tested by the reference: $("$FT" test "$F/tnews-syllabus-$loss.bin" "$W/test.txt" | tr '\n' ' ')"
done

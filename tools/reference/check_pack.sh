#!/usr/bin/env bash
# Packs the bundled example with Syllabus and reads the .bin/.idx back with the real Megatron reader
# (megatron-core's IndexedDataset), then checks every document's ids equal `syllabus tokenize` + EOS.
# Usage: tools/reference/check_pack.sh [TOKENIZER]   (default: the Qwen fixture)
# Needs the venv of tools/reference/README.md (Benchmarks/work/megvenv, megatron-core + torch CPU).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
TOK=${1:-$ROOT/Tests/Fixtures/tokenizers/qwen.tiktoken.zst}
SYL=${SYLLABUS_BIN:-$ROOT/.build/release/syllabus}
PY=${MEGATRON_PYTHON:-$ROOT/Benchmarks/work/megvenv/bin/python}
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
"$SYL" pack --tokenizer "$TOK" "$ROOT/examples/data" --output "$W/example" >&2
"$SYL" tokenize --tokenizer "$TOK" "$ROOT/examples/data" "$W/ids.jsonl" 2>/dev/null
EOS=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["eos"])' "$W/example.stats.json")
"$PY" "$ROOT/tools/reference/megatron_core_read.py" "$W/example" "$W/core.jsonl" >&2
python3 "$ROOT/tools/reference/megatron_reader.py" "$W/example" --dump-jsonl "$W/mine.jsonl" >&2
cmp "$W/core.jsonl" "$W/mine.jsonl"
python3 - "$W/ids.jsonl" "$W/core.jsonl" "$EOS" <<'PY'
import json, sys
ids = [json.loads(l)["ids"] for l in open(sys.argv[1])]
core = [json.loads(l)["ids"] for l in open(sys.argv[2])]
eos = int(sys.argv[3])
assert len(ids) == len(core), (len(ids), len(core))
bad = [i for i, (a, b) in enumerate(zip(ids, core)) if a + [eos] != b]
assert not bad, f"{len(bad)} documents differ, first {bad[:5]}"
print(f"check_pack: megatron-core reads back {len(core)} documents, {sum(map(len, core))} tokens, identical to tokenize + EOS {eos}")
PY

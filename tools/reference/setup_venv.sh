#!/usr/bin/env bash
# Create (or reuse) the Python venv used for reference/peer runs of datatrove.
# Usage: tools/reference/setup_venv.sh [DIR]   (default: Benchmarks/work/venv, gitignored)
# Prints the venv's python path on the last line of stdout. Exits non-zero on failure.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
VENV=${1:-$ROOT/Benchmarks/work/venv}
# Pinned: the version the peer baselines (shared/bench/BASELINES.md) were measured with.
DATATROVE_VERSION=${DATATROVE_VERSION:-0.10.1}

die() { echo "setup_venv: $*" >&2; exit 1; }

command -v python3 >/dev/null || die "python3 not found"
python3 -c 'import sys; sys.exit(sys.version_info < (3, 10))' \
  || die "datatrove $DATATROVE_VERSION needs Python >= 3.10 (found $(python3 --version 2>&1))"

if [ ! -x "$VENV/bin/python" ]; then
  mkdir -p "$(dirname "$VENV")"
  python3 -m venv "$VENV" || die "could not create venv at $VENV (is python3-venv installed?)"
fi

# Skip pip when the venv already has the pinned version (fast re-runs).
if ! "$VENV/bin/python" - "$DATATROVE_VERSION" <<'PY' 2>/dev/null
import sys, importlib.metadata as m
ok = m.version("datatrove") == sys.argv[1]
for pkg in ("orjson", "zstandard"):
    m.version(pkg)
sys.exit(0 if ok else 1)
PY
then
  echo "setup_venv: installing datatrove[io]==$DATATROVE_VERSION orjson zstandard into $VENV" >&2
  "$VENV/bin/pip" install -q --disable-pip-version-check \
      "datatrove[io]==$DATATROVE_VERSION" orjson zstandard >&2 \
    || die "pip install failed (needs PyPI access); see the messages above"
fi

"$VENV/bin/python" -c 'import datatrove, orjson, zstandard' \
  || die "venv at $VENV is broken: datatrove/orjson/zstandard do not import"
echo "setup_venv: datatrove $("$VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("datatrove"))') ready" >&2
echo "$VENV/bin/python"

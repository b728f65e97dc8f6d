#!/usr/bin/env bash
# How much one busy core slows the other on this machine, by working-set size (see cache_contention.swift):
# each size is chased alone, then by two processes at once; "slowdown" is the pair's mean time per step over
# the lone run's. Usage: Benchmarks/cache_contention.sh [SIZES_IN_BYTES...]
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BIN=${TMPDIR:-/tmp}/syllabus-cache-contention
swiftc -O "$ROOT/Benchmarks/cache_contention.swift" -o "$BIN"
SIZES=${*:-"262144 1048576 3145728 8388608 33554432"}
printf '%12s %10s %10s %9s\n' bytes alone pair slowdown
for size in $SIZES; do
  for round in 1 2 3; do
    alone=$("$BIN" "$size" | awk '{print $3}')
    pair=$( ("$BIN" "$size" & "$BIN" "$size"; wait) | awk '{s += $3} END {print s / 2}')
    awk -v b="$size" -v a="$alone" -v p="$pair" 'BEGIN { printf "%12s %10s %10s %8.2fx\n", b, a, p, p / a }'
  done
done

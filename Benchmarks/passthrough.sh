#!/usr/bin/env bash
# JSONL passthrough benchmark (issue 2): Syllabus `curate` with no steps, side by side with cat, zstd -dc
# and datatrove JsonlReader->JsonlWriter, on the same corpus, in the same run. See Benchmarks/README.md.
#
# Writes Benchmarks/results/passthrough-<date>.{md,json}; scratch goes to Benchmarks/work/ (gitignored).
# Knobs (environment): RUNS=3  CORPUS_MB=330  MEM_MB=2200  MEM_WORKERS="1 2"
#   SKIP_SYLLABUS=1 SKIP_DATATROVE=1 SKIP_MEM=1   leave those rows out
#   SYLLABUS_BIN=path  use this binary instead of building .build/release/syllabus
#   RESULTS_TAG=name   results file name suffix (default: today's date)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
B=$ROOT/Benchmarks
W=$B/work
R=$W/passthrough            # hyperfine exports, RSS logs, pipeline YAMLs of this run
RUNS=${RUNS:-3}
CORPUS_MB=${CORPUS_MB:-330}
MEM_MB=${MEM_MB:-2200}
MEM_WORKERS=${MEM_WORKERS:-1 2}
SKIP_SYLLABUS=${SKIP_SYLLABUS:-0}
SKIP_DATATROVE=${SKIP_DATATROVE:-0}
SKIP_MEM=${SKIP_MEM:-0}
RESULTS_TAG=${RESULTS_TAG:-$(date +%F)}
C=$W/corpus
C2=$W/corpus2g

log() { echo "passthrough: $*" >&2; }
for tool in hyperfine zstd python3 /usr/bin/time; do
  command -v "$tool" >/dev/null || { log "missing $tool (apt-get install hyperfine zstd time)"; exit 1; }
done

rm -rf "$R" "$W/runs"
mkdir -p "$R" "$W/runs" "$B/results"

# --- corpus (reused when already built with the same parameters) ---
python3 "$B/build_corpus.py" --mb "$CORPUS_MB" --out "$C" >/dev/null

# --- Syllabus release build ---
SYL=""
if [ "$SKIP_SYLLABUS" != 1 ]; then
  if [ -n "${SYLLABUS_BIN:-}" ]; then
    SYL=$SYLLABUS_BIN
  elif (cd "$ROOT" && make -s release >&2); then
    SYL=$ROOT/.build/release/syllabus
  fi
  if [ -z "$SYL" ] || [ ! -x "$SYL" ]; then
    log "WARNING: no Syllabus binary (release build failed?): Syllabus rows skipped"
    SYL=""
  fi
fi

# --- datatrove venv ---
PY=""
if [ "$SKIP_DATATROVE" != 1 ]; then
  PY=$("$ROOT/tools/reference/setup_venv.sh" | tail -n1) \
    || { log "WARNING: datatrove venv setup failed: datatrove rows skipped"; PY=""; }
fi

# bench ID WARMUP PREPARE CMD: hyperfine RUNS runs of CMD (through sh), each wrapped in GNU time to log
# "elapsed_s maxrss_kb" per run to $R/ID.rss; timings to $R/ID.json. A failing row is logged, not fatal.
bench() {
  local id=$1 warmup=$2 prepare=$3 cmd=$4
  log "row $id: $cmd"
  rm -f "$R/$id.rss"
  hyperfine --style basic --runs "$RUNS" --warmup "$warmup" --prepare "$prepare" \
      --export-json "$R/$id.json" --command-name "$id" \
      "/usr/bin/time -f '%e %M' -a -o '$R/$id.rss' $cmd" >&2 \
    || { log "WARNING: row $id failed"; rm -f "$R/$id.json"; touch "$R/$id.failed"; }
}

# check_output ID DIR: count output records (any *.jsonl, *.jsonl.zst, *.jsonl.gz under DIR) and bytes
# into $R/ID.out as JSON, then delete DIR.
check_output() {
  local id=$1 dir=$2 docs bytes files
  files=$(find "$dir" -type f \( -name '*.jsonl' -o -name '*.jsonl.zst' -o -name '*.jsonl.gz' \) | wc -l)
  docs=$( { find "$dir" -type f -name '*.jsonl' -print0 | xargs -0r cat
            find "$dir" -type f -name '*.jsonl.zst' -print0 | xargs -0r zstd -dcq
            find "$dir" -type f -name '*.jsonl.gz' -print0 | xargs -0r gzip -dc; } | wc -l)
  bytes=$(find "$dir" -type f \( -name '*.jsonl' -o -name '*.jsonl.zst' -o -name '*.jsonl.gz' \) -printf '%s\n' \
          | awk '{s+=$1} END {print s+0}')
  printf '{"docs_out": %s, "output_bytes": %s, "output_files": %s}\n' "$docs" "$bytes" "$files" > "$R/$id.out"
  rm -rf "$dir"
}

# syl_yaml FILE INPUT_GLOB OUTDIR COMPRESSION WORKERS: the pipeline contract for `syllabus curate`
syl_yaml() {
  cat > "$1" <<EOF
inputs:
  bench:
    paths: ["$2"]
steps: []
output:
  path: $3
  compression: $4
workers: $5
EOF
}

# syl_row ID INPUT_GLOB COMPRESSION WORKERS: Syllabus passthrough, fresh output dir before every run
syl_row() {
  local id=$1 out=$W/runs/$1
  syl_yaml "$R/$id.yaml" "$2" "$out" "$3" "$4"
  bench "$id" 0 "rm -rf '$out'" "'$SYL' curate '$R/$id.yaml' --workers $4 >>'$R/$id.log' 2>&1"
  if [ -d "$out" ]; then check_output "$id" "$out"; fi
}

# dt_row ID INPUT_DIR GLOB OUT_COMPRESSION TASKS: datatrove reference (its script deletes its own output)
dt_row() {
  local id=$1
  bench "$id" 0 true "'$PY' '$ROOT/tools/reference/datatrove_passthrough.py' '$2' --glob '$3' \
--out-compression $4 --tasks $5 --workers $5 --run-root '$W/runs' --corpus-stats '$C/corpus.json' \
--tag $id --record '$R/$id.runs' >/dev/null 2>>'$R/$id.log'"
}

# Warm the page cache so every row reads from memory.
cat "$C"/jsonl/*.jsonl "$C"/zst/*.jsonl.zst > /dev/null

# (a), (b): floors
bench cat-jsonl 1 true "cat '$C'/jsonl/*.jsonl > /dev/null"
bench zstd-dc 1 true "zstd -dcq '$C'/zst/*.jsonl.zst > /dev/null"

# (c)-(e): Syllabus
if [ -n "$SYL" ]; then
  syl_row syl-jsonl-w1 "$C/jsonl/*.jsonl" none 1
  syl_row syl-jsonl-w2 "$C/jsonl/*.jsonl" none 2
  syl_row syl-zst-w1 "$C/zst/*.jsonl.zst" zstd 1
  syl_row syl-zst-w2 "$C/zst/*.jsonl.zst" zstd 2
  syl_row syl-zstin-w1 "$C/zst/*.jsonl.zst" none 1
fi

# (f), (g): datatrove, plus 2 tasks / 2 workers for the 2-worker comparison
if [ -n "$PY" ]; then
  dt_row dt-jsonl-t1 "$C/jsonl" '*.jsonl' none 1
  dt_row dt-jsonl-t2 "$C/jsonl" '*.jsonl' none 2
  dt_row dt-zst-t1 "$C/zst" '*.jsonl.zst' zstd 1
fi

# Memory: Syllabus on one big file (byte-range split) vs the 330 MB single file; peak RSS must not grow.
if [ -n "$SYL" ] && [ "$SKIP_MEM" != 1 ]; then
  python3 "$B/build_corpus.py" --mb "$MEM_MB" --out "$C2" --single-only >/dev/null
  for corpus in corpus corpus2g; do
    for w in $MEM_WORKERS; do
      id=mem-$corpus-w$w out=$W/runs/mem-$corpus-w$w
      syl_yaml "$R/$id.yaml" "$W/$corpus/single/corpus.jsonl" "$out" none "$w"
      rm -rf "$out"
      cat "$W/$corpus/single/corpus.jsonl" > /dev/null
      log "memory $id"
      if /usr/bin/time -v -o "$R/$id.timev" "$SYL" curate "$R/$id.yaml" --workers "$w" >>"$R/$id.log" 2>&1; then
        check_output "$id" "$out"
      else
        log "WARNING: memory run $id failed (see $R/$id.log)"; touch "$R/$id.failed"; rm -rf "$out"
      fi
    done
  done
fi

python3 "$B/passthrough_report.py" --work "$W" --results "$R" --syllabus "${SYL:-}" --python "${PY:-}" \
  --md "$B/results/passthrough-$RESULTS_TAG.md" --json "$B/results/passthrough-$RESULTS_TAG.json"
rm -rf "$W/runs"

#!/usr/bin/env bash
# Tokenizer throughput benchmark (issue 3): `syllabus tokenize` side by side with tiktoken (Qwen vocab,
# qwen.tiktoken) and Hugging Face tokenizers (SmolLM2 vocab, smollm2.tokenizer.json), on the same English,
# Chinese and code corpora, in the same run. See Benchmarks/README.md ("Tokenizer throughput").
#
# Per tokenizer T x corpus C, in RUNS interleaved rounds (each round runs every row once, so a slow phase
# of the host hits all rows alike):
#   syl-T-C-w1     syllabus tokenize --tokenizer FILE --workers 1 C.jsonl OUT.jsonl     (hyperfine, whole command)
#   syl-T-C-w2     the same with --workers 2
#   syl-enc-T-C-w1 syllabus tokenize --encode-only --passes 2 --workers 1 C.jsonl: the encoders alone, texts in
#                  memory, fresh encoders each pass; the second pass's printed time (the first is the warm-up),
#                  like the peer's encode-only row below
#   syl-enc-T-C-w2 the same with --workers 2
#   syl-scale-T-C  syllabus tokenize --encode-only --worker-counts 1,2 --passes SCALE_PASSES: 1 and 2 workers
#                  alternating in one process; its printed speed-up (median over passes 2.. of the time ratio
#                  within a pass) is the paired w2 / w1, free of the drift between processes seconds apart
#   syl-warm-T-C   the same with --warm: each thread count's encoders kept from pass to pass, so passes 2..
#                  measure a long job's steady state (a fresh encoder merges every common piece once, per
#                  thread: on the 20 MB code sample, Qwen, that warm-up is a tenth of a one-worker pass)
#   syl-T-C-2proc  two `--workers 1` commands at once (CEILING=1): twice the work on both cores, nothing
#                  shared, so 2 x time(w1) / time(2proc) is what this machine gives any program for a
#                  second core on this work; the ceiling that w2 / w1 is measured against
#   peer-T-C       tools/reference/tokenize_peer.py: python start + import + load + read JSONL + encode
#                  (tiktoken encode_ordinary per doc / HF encode_batch x1000, RAYON_NUM_THREADS=1) + write ids
#   enc-T-C-MAIN   the peer's in-process encode-only time for that same call style (one timed pass per round)
# then, once per T x C, the peers' other call styles (encode-only, RUNS passes in one process), and once per T
# the start-up cost (Syllabus and the peer on a one-document file). After the rounds it checks that Syllabus
# (1 and 2 workers) and the peer wrote the same ids: token totals from their stderr lines, then `cmp` of the
# files, then a per-document comparison if they differ.
# Every run records the load average and /proc/stat around it, so the report can say how much CPU other
# processes took meanwhile; a run where that exceeds RERUN_FOREIGN cores is repeated once at once (both are
# kept; the report uses the quieter). Before every run the script waits (bounded) for the machine to be quiet.
#
# Writes Benchmarks/results/tokenize-<date>.{md,json}; scratch in Benchmarks/work/tokenize/ (gitignored).
# Knobs (environment):
#   RUNS=3                    rounds (whole-command runs per row); encode-only passes per context row
#   EN_MB=40 ZH_MB=20 CODE_MB=20   corpus sizes, MB of text (Benchmarks/work/tokcorpus, reused when present)
#   CORPORA="en zh code"  TOKENIZERS="qwen smollm2"
#   SYLLABUS_BIN=path         default .build/release/syllabus (never built here: waits for it, WAIT_BIN=3600 s)
#   SKIP_PEERS=1              Syllabus rows only (no peer rows, no id check)
#   SKIP_CONTEXT=1            no extra encode-only call styles (per-doc/batched, 2 threads)
#   CEILING=0                 no syl-T-C-2proc row
#   SCALE_PASSES=4            passes of the syl-scale row (the first warms up; the speed-up is over the rest)
#   PEER_WARMUP_MB=4          encode-only warm-up before the timed pass(es); 0 = a full pass (bench_tokenize.py)
#   RERUN_FOREIGN=0.25        repeat a run once when other processes used more than this many cores
#   QUIET_MAX=0.2 QUIET_WAIT=120   before each run, wait up to QUIET_WAIT s until the machine's busy cores
#                             (3 s sample, nothing of ours running) drop below QUIET_MAX
#   TOKBENCH_VENV=dir         default Benchmarks/work/tokbench-venv
#   TOKCORPUS_DIR=dir         default Benchmarks/work/tokcorpus
#   RESULTS_TAG=name          results file name suffix (default: today's date)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
B=$ROOT/Benchmarks
W=$B/work
R=$W/tokenize                     # this run: hyperfine exports, logs, load snapshots, outputs
RUNS=${RUNS:-3}
EN_MB=${EN_MB:-40}
ZH_MB=${ZH_MB:-20}
CODE_MB=${CODE_MB:-20}
CORPORA=${CORPORA:-en zh code}
TOKENIZERS=${TOKENIZERS:-qwen smollm2}
SYLLABUS_BIN=${SYLLABUS_BIN:-$ROOT/.build/release/syllabus}
WAIT_BIN=${WAIT_BIN:-3600}
SKIP_PEERS=${SKIP_PEERS:-0}
SKIP_CONTEXT=${SKIP_CONTEXT:-0}
CEILING=${CEILING:-1}
SCALE_PASSES=${SCALE_PASSES:-4}
PEER_WARMUP_MB=${PEER_WARMUP_MB:-4}
RERUN_FOREIGN=${RERUN_FOREIGN:-0.25}
QUIET_MAX=${QUIET_MAX:-0.2}
QUIET_WAIT=${QUIET_WAIT:-120}
VENV=${TOKBENCH_VENV:-$W/tokbench-venv}
RESULTS_TAG=${RESULTS_TAG:-$(date +%F)}
C=${TOKCORPUS_DIR:-$W/tokcorpus}
K=$W/tokenizers
PEER=$ROOT/tools/reference/tokenize_peer.py
COMPARE=$ROOT/tools/reference/tokenize_compare.py
TICK=$(getconf CLK_TCK)

log() { echo "tokenize-bench: $*" >&2; }
for tool in hyperfine python3 /usr/bin/time cmp; do
  command -v "$tool" >/dev/null || { log "missing $tool (apt-get install hyperfine time)"; exit 1; }
done

rm -rf "$R"
mkdir -p "$R/out" "$R/cache" "$B/results"
# Syllabus's tokenizer images (TokenizerCache): a fresh folder per run, filled by the start-up rows' warm-up.
export SYLLABUS_CACHE_DIR=$R/cache
date +%FT%T%z > "$R/started"
printf 'RUNS=%s PEER_WARMUP_MB=%s RERUN_FOREIGN=%s QUIET_MAX=%s QUIET_WAIT=%s\n' \
  "$RUNS" "$PEER_WARMUP_MB" "$RERUN_FOREIGN" "$QUIET_MAX" "$QUIET_WAIT" > "$R/settings"

# --- corpora (reused when present with the same parameters) ---
python3 "$B/build_tokcorpus.py" --out "$C" --en-mb "$EN_MB" --zh-mb "$ZH_MB" --code-mb "$CODE_MB" >/dev/null

# --- peers' venv (tiktoken 0.14.0, tokenizers 0.23.3 pinned by setup_tokenizer_venv.sh) + orjson ---
PY=""
if [ "$SKIP_PEERS" != 1 ]; then
  PY=$("$ROOT/tools/reference/setup_tokenizer_venv.sh" "$VENV" | tail -n 1)
  if ! "$PY" -c 'import orjson' 2>/dev/null; then
    "$VENV/bin/pip" install -q --disable-pip-version-check "orjson==${ORJSON_VERSION:-3.13.0}" >&2 \
      || "$VENV/bin/pip" install -q --disable-pip-version-check orjson >&2
  fi
fi

# --- tokenizer files (idempotent; no network when present) ---
PYTHON=${PY:-} "$ROOT/tools/reference/tokenizers_fetch.sh" "$K" >/dev/null 2>"$R/tokenizers_fetch.log" \
  || { cat "$R/tokenizers_fetch.log" >&2; log "tokenizers_fetch.sh failed"; exit 1; }

# --- the Syllabus binary: wait until it exists, has `tokenize`, and has not changed for 30 s; then use a
#     private copy so a rebuild during the run cannot change it under us ---
waited=0
while :; do
  if [ -x "$SYLLABUS_BIN" ] && "$SYLLABUS_BIN" tokenize --help >/dev/null 2>&1 \
     && [ $(( $(date +%s) - $(stat -c %Y "$SYLLABUS_BIN") )) -ge 30 ]; then
    break
  fi
  [ "$waited" -ge "$WAIT_BIN" ] && { log "no usable $SYLLABUS_BIN after ${WAIT_BIN}s (needs a 'tokenize' subcommand)"; exit 1; }
  [ $((waited % 60)) -eq 0 ] && log "waiting for $SYLLABUS_BIN (with a 'tokenize' subcommand) ..."
  sleep 10; waited=$((waited + 10))
done
SYL=$R/syllabus
cp "$SYLLABUS_BIN" "$SYL"
{
  echo "source=$SYLLABUS_BIN"
  echo "mtime=$(date -d "@$(stat -c %Y "$SYLLABUS_BIN")" +%FT%T%z)"
  echo "sha256=$(sha256sum "$SYL" | cut -d' ' -f1)"
  echo "git_head=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')"
  echo "git_dirty_files=$(git -C "$ROOT" status --porcelain 2>/dev/null | wc -l)"
} > "$R/syllabus.info"

tokfile() { case $1 in qwen) echo "$K/qwen.tiktoken" ;; smollm2) echo "$K/smollm2.tokenizer.json" ;; esac; }
peerlib() { case $1 in qwen) echo tiktoken ;; smollm2) echo hf ;; esac; }
mainmode() { case $1 in qwen) echo single ;; smollm2) echo batch ;; esac; }   # the peer's whole-command call style

# snap: "epoch load1 load5 load15 <cpu fields of /proc/stat>"
snap() {
  local l1 l5 l15 rest cpu
  read -r l1 l5 l15 rest < /proc/loadavg
  cpu=$(grep '^cpu ' /proc/stat)
  echo "$(date +%s.%N) $l1 $l5 $l15 ${cpu#cpu }"
}

# foreign RUN: cores used by other processes during RUN (busy CPU from /proc/stat minus our children's)
foreign() {
  awk -v tick="$TICK" 'NR==FNR { s[FNR] = $0; next } /^[0-9.]+ [0-9.]+ [0-9.]+ [0-9]+$/ { split($0, t, " ") }
    END {
      split(s[1], a, " "); split(s[2], b, " ")
      busy = 0; for (i = 5; i <= 11; i++) if (i != 8 && i != 9) busy += b[i] - a[i]   # user nice system irq softirq
      wall = b[1] - a[1]; child = t[2] + t[3]
      f = (busy / tick - child) / wall; if (f < 0) f = 0
      printf "%.2f\n", f
    }' "$R/$1.sys" "$R/$1.time"
}

# busy_cores SECONDS: cores busy (all processes) over a SECONDS-long sample; call it while nothing of ours runs
busy_cores() {
  local a b
  a=$(grep '^cpu ' /proc/stat); sleep "$1"; b=$(grep '^cpu ' /proc/stat)
  printf '%s\n%s\n' "$a" "$b" | awk -v tick="$TICK" -v s="$1" '{ v[NR] = $2 + $3 + $4 + $7 + $8 }
    END { printf "%.2f\n", (v[2] - v[1]) / tick / s }'
}

# wait_quiet RUN: wait up to QUIET_WAIT s until other processes use < QUIET_MAX cores
wait_quiet() {
  local id=$1 waited=0 busy
  while :; do
    busy=$(busy_cores 3)
    if awk -v b="$busy" -v m="$QUIET_MAX" 'BEGIN { exit !(b < m) }'; then break; fi
    if [ "$waited" -ge "$QUIET_WAIT" ]; then
      log "$id: still $busy cores busy after ${waited}s of waiting; running anyway"; break
    fi
    [ "$waited" -eq 0 ] && log "$id: $busy cores busy; waiting up to ${QUIET_WAIT}s for quiet"
    sleep 7; waited=$((waited + 10))
  done
  echo "$waited $busy" > "$R/$id.quiet"
}

# measured RUN CMD...: run CMD under GNU time (child CPU incl. descendants) with load snapshots around it
measured() {
  local id=$1; shift
  snap > "$R/$id.sys"
  local rc=0
  /usr/bin/time -f '%e %U %S %M' -o "$R/$id.time" "$@" || rc=$?
  snap >> "$R/$id.sys"
  return $rc
}

# one ROW RUN KIND CMD: one run of a row. KIND hf = hyperfine --runs 1 of CMD (through sh, wrapped in GNU time
# for peak RSS); KIND enc = CMD directly (an encode-only process). Files: $R/ROW.RUN.{sys,time,quiet,json|enc}.
# When other processes used more than RERUN_FOREIGN cores, the run is repeated once as RUN.b.
one() {
  local row=$1 run=$2 kind=$3 cmd=$4 f id attempt
  printf '%s\n' "$cmd" > "$R/$row.cmd"
  for attempt in a b; do
    id=$row.$run$attempt
    wait_quiet "$id"
    if [ "$kind" = hf ]; then
      measured "$id" hyperfine --style none --runs 1 --export-json "$R/$id.json" --command-name "$row" \
          "/usr/bin/time -f '%e %U %S %M' -o '$R/$id.rss' ${cmd//@ID@/$id}" >&2 \
        || { log "WARNING: $id failed (see $R/$row.log)"; rm -f "$R/$id.json"; touch "$R/$id.failed"; }
    else
      measured "$id" sh -c "${cmd//@ID@/$id} >/dev/null 2>>'$R/$row.log'" \
        || { log "WARNING: $id failed (see $R/$row.log)"; touch "$R/$id.failed"; }
    fi
    f=$(foreign "$id")
    log "$id: $(tail -n 1 "$R/$id.time" | cut -d' ' -f1) s; other processes used $f cores; load $(awk 'NR==1{print $2}' "$R/$id.sys") -> $(awk 'NR==2{print $2}' "$R/$id.sys")"
    awk -v f="$f" -v m="$RERUN_FOREIGN" 'BEGIN { exit !(f > m) }' || break
    if [ "$attempt" = a ]; then log "$id: busy machine: running it once more"; fi
  done
  return 0
}

syl_cmd() {  # syl_cmd T C WORKERS ROW: output out/<run id>.jsonl, stderr appended to ROW.log
  printf "'%s' tokenize --tokenizer '%s' --workers %s '%s' '%s' >>'%s' 2>&1" \
    "$SYL" "$(tokfile "$1")" "$3" "$C/$2.jsonl" "$R/out/@ID@.jsonl" "$R/$4.log"
}
syl_pair_cmd() {  # syl_pair_cmd T C ROW: two `--workers 1` commands at once (through hyperfine's shell)
  printf "%s & %s & wait" "$(syl_cmd "$1" "$2" 1 "$3" | sed 's/@ID@\.jsonl/@ID@-a.jsonl/')" \
    "$(syl_cmd "$1" "$2" 1 "$3" | sed 's/@ID@\.jsonl/@ID@-b.jsonl/')"
}
syl_scale_cmd() {  # syl_scale_cmd T C: encode-only, 1 and 2 workers alternating -> the run's record with the speed-up
  printf "'%s' tokenize --tokenizer '%s' --encode-only --worker-counts 1,2 --passes %s '%s' 2>&1 | python3 '%s' '%s'" \
    "$SYL" "$(tokfile "$1")" "$SCALE_PASSES" "$C/$2.jsonl" "$B/syllabus_encode_record.py" "$R/@ID@.enc"
}
syl_warm_cmd() {  # syl_warm_cmd T C: syl_scale_cmd with the encoders kept warm from pass to pass
  syl_scale_cmd "$1" "$2" | sed "s/ --encode-only / --encode-only --warm /"
}
syl_enc_cmd() {  # syl_enc_cmd T C WORKERS: encode-only, a warm-up pass and a timed one -> the run's record (@ID@.enc)
  printf "'%s' tokenize --tokenizer '%s' --encode-only --passes 2 --workers %s '%s' 2>&1 | python3 '%s' '%s'" \
    "$SYL" "$(tokfile "$1")" "$3" "$C/$2.jsonl" "$B/syllabus_encode_record.py" "$R/@ID@.enc"
}
peer_cmd() {  # peer_cmd T C ROW
  printf "env RAYON_NUM_THREADS=1 '%s' '%s' --lib %s --tokenizer '%s' --out '%s' '%s' >>'%s' 2>&1" \
    "$PY" "$PEER" "$(peerlib "$1")" "$(tokfile "$1")" "$R/out/@ID@.jsonl" "$C/$2.jsonl" "$R/$3.log"
}
enc_cmd() {  # enc_cmd T C MODE THREADS REPS: encode-only; @ID@ becomes the run id (its record file)
  printf "env RAYON_NUM_THREADS=%s '%s' '%s' --lib %s --mode %s --threads %s --tokenizer '%s' --encode-only --reps %s --warmup-mb %s --name @ID@ --record '%s' '%s'" \
    "$4" "$PY" "$PEER" "$(peerlib "$1")" "$3" "$4" "$(tokfile "$1")" "$5" "$PEER_WARMUP_MB" "$R/@ID@.enc" "$C/$2.jsonl"
}

# check T C: same ids from Syllabus w1, w2 and the peer (outputs of the last round)? -> $R/check-T-C.json
check() {
  local t=$1 c=$2 s1=syl-$1-$2-w1 s2=syl-$1-$2-w2 p=peer-$1-$2 f
  {
    printf '{"tokenizer": "%s", "corpus": "%s"' "$t" "$c"
    for f in "$s1" "$s2" "$p"; do
      printf ', "%s_line": %s' "$f" "$(grep -E '^(tokenize|peer):' "$R/$f.log" 2>/dev/null | tail -n 1 | python3 -c 'import json,sys; print(json.dumps(sys.stdin.read().strip()))')"
    done
    for f in "$s1" "$s2"; do
      local fo po
      fo=$(ls -t "$R"/out/"$f".*.jsonl 2>/dev/null | head -n 1 || true)
      po=$(ls -t "$R"/out/"$p".*.jsonl 2>/dev/null | head -n 1 || true)
      if [ -s "$fo" ] && [ -s "$po" ]; then
        if cmp -s "$fo" "$po"; then
          printf ', "%s_vs_peer": "identical"' "$f"
        else
          local cmpres
          cmpres=$("${PY:-python3}" "$COMPARE" "$fo" "$po" || true)
          printf ', "%s_vs_peer": "differs", "%s_compare": %s' "$f" "$f" "${cmpres:-null}"
        fi
      else
        printf ', "%s_vs_peer": "missing output"' "$f"
      fi
    done
    printf '}\n'
  } > "$R/check-$t-$c.json"
  log "check $t $c: $(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print({k: v for k, v in d.items() if k.endswith(("_line", "_peer"))})' "$R/check-$t-$c.json")"
}

# Warm the page cache.
for c in $CORPORA; do cat "$C/$c.jsonl" > /dev/null; done

# A one-document input for the start-up rows.
python3 -c 'import json; print(json.dumps({"id": "startup", "text": "Hello, world. 你好，世界。 def f(x): return x"}, ensure_ascii=False))' > "$R/one.jsonl"

for t in $TOKENIZERS; do
  # start-up cost: process start + tokenizer load + one tiny document
  # (the warm-up run saves the tokenizer's image in $SYLLABUS_CACHE_DIR; every later Syllabus row maps it;
  # the -nocache row builds the tables each time, as a first run does)
  hyperfine --style basic --runs 5 --warmup 1 --export-json "$R/startup-$t.json" \
    -n "syl-$t-startup" "'$SYL' tokenize --tokenizer '$(tokfile "$t")' --workers 1 '$R/one.jsonl' '$R/out/startup.jsonl'" \
    -n "syl-$t-startup-nocache" "env SYLLABUS_CACHE_DIR=off '$SYL' tokenize --tokenizer '$(tokfile "$t")' --workers 1 '$R/one.jsonl' '$R/out/startup.jsonl'" \
    ${PY:+-n "peer-$t-startup" "env RAYON_NUM_THREADS=1 '$PY' '$PEER' --lib $(peerlib "$t") --tokenizer '$(tokfile "$t")' --out '$R/out/startup.jsonl' '$R/one.jsonl'"} >&2
  for c in $CORPORA; do
    for run in $(seq 1 "$RUNS"); do
      one "syl-$t-$c-w1" "$run" hf "$(syl_cmd "$t" "$c" 1 "syl-$t-$c-w1")"
      one "syl-$t-$c-w2" "$run" hf "$(syl_cmd "$t" "$c" 2 "syl-$t-$c-w2")"
      one "syl-enc-$t-$c-w1" "$run" enc "$(syl_enc_cmd "$t" "$c" 1)"
      one "syl-enc-$t-$c-w2" "$run" enc "$(syl_enc_cmd "$t" "$c" 2)"
      one "syl-scale-$t-$c" "$run" enc "$(syl_scale_cmd "$t" "$c")"
      one "syl-warm-$t-$c" "$run" enc "$(syl_warm_cmd "$t" "$c")"
      if [ "$CEILING" = 1 ]; then
        one "syl-$t-$c-2proc" "$run" hf "$(syl_pair_cmd "$t" "$c" "syl-$t-$c-2proc")"
        rm -f "$R"/out/syl-"$t"-"$c"-2proc.*.jsonl
      fi
      if [ -n "$PY" ]; then
        one "peer-$t-$c" "$run" hf "$(peer_cmd "$t" "$c" "peer-$t-$c")"
        one "enc-$t-$c-$(mainmode "$t")-t1" "$run" enc "$(enc_cmd "$t" "$c" "$(mainmode "$t")" 1 1)"
      fi
      # keep only the newest output of each row (the id check uses the last round)
      for row in "syl-$t-$c-w1" "syl-$t-$c-w2" "peer-$t-$c"; do
        { ls -t "$R"/out/"$row".*.jsonl 2>/dev/null || true; } | tail -n +2 | xargs -r rm -f
      done
    done
    if [ -n "$PY" ]; then check "$t" "$c"; fi
    rm -f "$R"/out/*.jsonl "$R"/out/*.tmp
    if [ -n "$PY" ] && [ "$SKIP_CONTEXT" != 1 ]; then
      other=batch; [ "$(mainmode "$t")" = batch ] && other=single
      one "enc-$t-$c-$other-t1" 1 enc "$(enc_cmd "$t" "$c" "$other" 1 "$RUNS")"
      one "enc-$t-$c-batch-t2" 1 enc "$(enc_cmd "$t" "$c" batch 2 "$RUNS")"
    fi
  done
done
date +%FT%T%z > "$R/finished"

python3 "$B/tokenize_report.py" --results "$R" --corpus "$C/corpus.json" --python "${PY:-}" \
  --md "$B/results/tokenize-$RESULTS_TAG.md" --json "$B/results/tokenize-$RESULTS_TAG.json"

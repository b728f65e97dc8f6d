#!/usr/bin/env python3
"""Peer tokenizer for the Syllabus tokenize benchmark (Benchmarks/tokenize.sh), in two modes.

Whole command (default): stream IN.jsonl... line by line (orjson), encode each document's text, write one
line per document {"id":..., "ids":[...]} to OUT (the same bytes `syllabus tokenize` writes), and print
"peer: N documents, T tokens, X MB/s of text" to stderr (X over the whole process lifetime so far).

  --lib tiktoken --tokenizer qwen.tiktoken   tiktoken.Encoding with the Qwen pattern and specials
        --mode single : encode_ordinary(text) per document (one thread)            [default]
        --mode batch  : encode_ordinary_batch(chunk of --chunk docs, num_threads=--threads)
  --lib hf --tokenizer smollm2.tokenizer.json   tokenizers.Tokenizer.from_file
        --mode batch  : encode_batch(chunk of --chunk docs, add_special_tokens=False)   [default]
        --mode single : encode(text, add_special_tokens=False) per document
        HF threads come from RAYON_NUM_THREADS, which the caller must set before the process starts.

Encode only (--encode-only): like shared/bench/bench_tokenize.py. Load every text into a list first,
warm up (a full pass by default, --warmup-mb limits it), then time only the encode loop --reps times with
time.perf_counter. Prints one JSON line (and appends it to --record FILE): runs, median, MB/s, tokens/s.
MB = 10^6 bytes of UTF-8 text.
"""
import argparse
import base64
import json
import os
import platform
import statistics
import sys
import time

T0 = time.perf_counter()

import orjson  # noqa: E402

# Qwen's split pattern (as in shared/bench/bench_tokenize.py and Qwen's tokenization_qwen.py)
QWEN_PAT = r"""(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"""
QWEN_SPECIAL = {"<|endoftext|>": 151643, "<|im_start|>": 151644, "<|im_end|>": 151645}


def make_encoder(lib, path, mode, threads):
    """Return (encode_chunk(texts) -> list of id lists, chunk size, version string)."""
    if lib == "tiktoken":
        import tiktoken
        ranks = {}
        with open(path, "rb") as f:
            for line in f:
                if line.strip():
                    tkn, r = line.split()
                    ranks[base64.b64decode(tkn)] = int(r)
        enc = tiktoken.Encoding("qwen", pat_str=QWEN_PAT, mergeable_ranks=ranks, special_tokens=QWEN_SPECIAL)
        ver = f"tiktoken {tiktoken.__version__}"
        if mode == "single":
            eo = enc.encode_ordinary
            return (lambda texts: [eo(t) for t in texts]), ver
        return (lambda texts: enc.encode_ordinary_batch(texts, num_threads=threads)), ver
    if lib == "hf":
        import tokenizers
        from tokenizers import Tokenizer
        tok = Tokenizer.from_file(path)
        ver = f"tokenizers {tokenizers.__version__}"
        if mode == "single":
            e = tok.encode
            return (lambda texts: [e(t, add_special_tokens=False).ids for t in texts]), ver
        eb = tok.encode_batch
        return (lambda texts: [x.ids for x in eb(texts, add_special_tokens=False)]), ver
    sys.exit(f"tokenize_peer: unknown --lib {lib}")


def iter_records(paths, text_field, id_field):
    for p in paths:
        with open(p, "rb") as f:
            for line in f:
                if line.strip():
                    r = orjson.loads(line)
                    yield r.get(id_field), r[text_field]


def whole_command(a, encode):
    chunk = a.chunk if (a.mode == "batch") else 256
    docs = toks = nbytes = 0
    ids_buf, text_buf = [], []
    with open(a.out, "wb", buffering=1 << 20) as out:
        def flush():
            nonlocal toks
            for i, ids in zip(ids_buf, encode(text_buf)):
                toks += len(ids)
                out.write(orjson.dumps({"id": i, "ids": ids}))
                out.write(b"\n")
            ids_buf.clear()
            text_buf.clear()

        for i, t in iter_records(a.inputs, a.text_field, a.id_field):
            ids_buf.append(i)
            text_buf.append(t)
            docs += 1
            nbytes += len(t.encode("utf-8"))
            if len(text_buf) >= chunk:
                flush()
        flush()
    el = time.perf_counter() - T0
    print(f"peer: {docs} documents, {toks} tokens, {nbytes / 1e6 / el:.1f} MB/s of text", file=sys.stderr)


def encode_only(a, encode, ver):
    texts = [t for _, t in iter_records(a.inputs, a.text_field, a.id_field)]
    sizes = [len(t.encode("utf-8")) for t in texts]
    nb = sum(sizes)
    chunk = a.chunk if a.mode == "batch" else len(texts) or 1

    def run(ts):
        n = 0
        for k in range(0, len(ts), chunk):
            for ids in encode(ts[k:k + chunk]):
                n += len(ids)
        return n

    # warm-up: regex compilation, caches (full pass by default, as bench_tokenize.py does)
    if a.warmup_mb <= 0:
        warm = texts
    else:
        acc, k = 0, 0
        while k < len(texts) and acc < a.warmup_mb * 1e6:
            acc += sizes[k]
            k += 1
        warm = texts[:k]
    tw = time.perf_counter()
    run(warm)
    warm_s = time.perf_counter() - tw
    times, ntok = [], 0
    cpu0 = time.process_time()
    for _ in range(a.reps):
        t0 = time.perf_counter()
        ntok = run(texts)
        times.append(time.perf_counter() - t0)
    cpu = time.process_time() - cpu0
    med = statistics.median(times)
    rec = {
        "name": a.name or f"{a.lib}-{a.mode}-t{a.threads}", "lib": a.lib, "mode": a.mode,
        "threads": a.threads, "rayon_num_threads": os.environ.get("RAYON_NUM_THREADS"),
        "chunk": a.chunk if a.mode == "batch" else None, "input": a.inputs, "docs": len(texts),
        "text_bytes": nb, "tokens": ntok, "runs_s": [round(t, 4) for t in times], "median_s": round(med, 4),
        "MB_per_s": round(nb / 1e6 / med, 3), "tokens_per_s": round(ntok / med),
        "min_MB_per_s": round(nb / 1e6 / max(times), 3), "max_MB_per_s": round(nb / 1e6 / min(times), 3),
        "bytes_per_token": round(nb / ntok, 3) if ntok else None, "cpu_s_timed": round(cpu, 3),
        "warmup_text_bytes": sum(sizes[:len(warm)]), "warmup_s": round(warm_s, 3), "version": ver,
        "python": platform.python_version(), "ts": time.strftime("%Y-%m-%dT%H:%M:%S"),
    }
    line = json.dumps(rec, ensure_ascii=False)
    print(line, flush=True)
    if a.record:
        with open(a.record, "a") as f:
            f.write(line + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lib", required=True, choices=["tiktoken", "hf"])
    ap.add_argument("--tokenizer", required=True, help="qwen.tiktoken (tiktoken) or tokenizer.json (hf)")
    ap.add_argument("--mode", choices=["single", "batch"], help="default: single for tiktoken, batch for hf")
    ap.add_argument("--threads", type=int, default=1, help="tiktoken batch num_threads (hf: RAYON_NUM_THREADS)")
    ap.add_argument("--chunk", type=int, default=1000, help="documents per batch call")
    ap.add_argument("--out", help="whole-command mode: ids JSONL to write")
    ap.add_argument("--encode-only", action="store_true")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--warmup-mb", type=float, default=0, help="encode-only warm-up size; 0 = full pass")
    ap.add_argument("--record", help="encode-only: append the JSON result line here")
    ap.add_argument("--name", default="")
    ap.add_argument("--text-field", default="text")
    ap.add_argument("--id-field", default="id")
    ap.add_argument("inputs", nargs="+")
    a = ap.parse_args()
    if a.mode is None:
        a.mode = "single" if a.lib == "tiktoken" else "batch"
    if a.lib == "hf" and not os.environ.get("RAYON_NUM_THREADS"):
        print("tokenize_peer: warning: RAYON_NUM_THREADS is not set; HF tokenizers uses every core",
              file=sys.stderr)
    if a.lib == "hf" and a.threads != int(os.environ.get("RAYON_NUM_THREADS") or 0):
        a.threads = int(os.environ.get("RAYON_NUM_THREADS") or os.cpu_count())
    encode, ver = make_encoder(a.lib, a.tokenizer, a.mode, a.threads)
    if a.encode_only:
        encode_only(a, encode, ver)
    elif a.out:
        whole_command(a, encode)
    else:
        sys.exit("tokenize_peer: give --out OUT.jsonl or --encode-only")


if __name__ == "__main__":
    main()

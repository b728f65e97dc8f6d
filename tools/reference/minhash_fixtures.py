#!/usr/bin/env python3
"""Reference data for Syllabus's MinHash near-dedup in `hash: datatrove` mode (issue 6).

datatrove 0.10.1's defaults: MinhashConfig(n_grams=5, num_buckets=14, hashes_per_bucket=8, seed=1), the default
TextNormConfig, HashConfig(precision=64, hash_fc="xxhash"), and the English word tokenizer (spaCy's blank "en"
pipeline). Writes into Tests/Fixtures/dedup/:

  datatrove-minhash-params.json  the 112 multipliers `a` and offsets `b` (uint64, as decimal strings). They are
                                 also regenerated here with a plain-Python MT19937 (see `legacy_randint_uint64`)
                                 and the script stops if the two differ.
  datatrove-signatures.jsonl.zst one line per sampled document (200 records, see `sample`): id, file, line,
                                 shingles, first_shingle_hash, signature (112 decimal strings, or null); the first
                                 20 lines also carry `normalized` (simplify_text) and `words` (the tokenizer's).
  datatrove-neardup-run.json     datatrove's four MinHash stages on the two neardup files (see `neardup_input`).
  datatrove-benchcopies-run.json.zst  the same on the benchmark copies plus the originals they copy
                                 (`benchcopies_input`); zstd because it lists 8,206 clustered documents.
  datatrove-word-splits.tsv.zst  (with --word-splits) every space-separated token of simplified text, over all of
                                 --data, that the English word tokenizer splits further, e.g. "cannot" -> "can not".

The run files hold the removed ids, the cluster id and size datatrove gives every clustered document, the stage
counters, and pairwise precision/recall against the ground truth. Also checked: the signatures datatrove's
stage 1 writes to disk equal the ones computed here by calling the same step's methods.

Set-up:
    python3 -m venv Benchmarks/work/dedupvenv
    Benchmarks/work/dedupvenv/bin/pip install "datatrove==0.10.1" "spacy==3.8.18" "xxhash==3.8.2" regex tokenizers orjson zstandard
    Benchmarks/work/dedupvenv/bin/python tools/reference/minhash_fixtures.py [--data ../shared/data] [--word-splits]
(datatrove 0.10.1 hashes `str` shingles with xxhash.xxh64_intdigest, which xxhash 4 no longer accepts.)
The output is deterministic. About 1.5 minutes on one core, plus 4 with --word-splits.
"""
import argparse
import hashlib
import json
import os
import shutil
import struct
import sys
import tempfile
from collections import Counter
from importlib.metadata import version
from pathlib import Path

import numpy as np
import zstandard
from datatrove.executor import LocalPipelineExecutor
from datatrove.pipeline.dedup.minhash import (
    MinhashConfig,
    MinhashDedupBuckets,
    MinhashDedupCluster,
    MinhashDedupFilter,
    MinhashDedupSignature,
)
from datatrove.pipeline.readers import JsonlReader
from datatrove.pipeline.writers import JsonlWriter
from datatrove.utils.text import simplify_text

MERSENNE = (1 << 61) - 1
README_FILE = "neardup/readme_revisions_and_license_copies.jsonl"
COPIES_FILE = "neardup/benchmark_copies_other_sources.jsonl"
ZH_FILE = "zh/cmrc2018_zhwiki_paragraphs.jsonl"
FLORES_FILE = "multilingual/flores200_dev_26langs.jsonl"
ORIGINAL_FILES = ["benchmarks/gsm8k_test.jsonl", "benchmarks/mmlu_test.jsonl", "benchmarks/humaneval.jsonl"]


# --- numpy's legacy RandomState(seed).randint(low, high, dtype=uint64), written from its documented algorithm ---

class MT19937:
    """The 32-bit Mersenne Twister, seeded like RandomState(int): init_genrand(seed)."""

    def __init__(self, seed: int):
        self.mt = [seed & 0xFFFFFFFF]
        for i in range(1, 624):
            prev = self.mt[-1]
            self.mt.append((1812433253 * (prev ^ (prev >> 30)) + i) & 0xFFFFFFFF)
        self.index = 624

    def next32(self) -> int:
        if self.index == 624:
            mt = self.mt
            for k in range(624):
                y = (mt[k] & 0x80000000) | (mt[(k + 1) % 624] & 0x7FFFFFFF)
                mt[k] = mt[(k + 397) % 624] ^ (y >> 1) ^ (0x9908B0DF if y & 1 else 0)
            self.index = 0
        y = self.mt[self.index]
        self.index += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9D2C5680
        y ^= (y << 15) & 0xEFC60000
        return y ^ (y >> 18)

    def next64(self) -> int:
        high = self.next32()  # the first draw is the high half
        return (high << 32) | self.next32()


def legacy_randint_uint64(gen: MT19937, low: int, high: int, count: int) -> list[int]:
    """RandomState.randint(low, high, size=count, dtype=np.uint64) for a range wider than 32 bits: draw 64 bits,
    keep the bits under the smallest all-ones mask covering high - 1 - low, reject values above that range."""
    span = high - 1 - low
    mask = (1 << span.bit_length()) - 1
    out = []
    for _ in range(count):
        while (v := gen.next64() & mask) > span:
            pass
        out.append(low + v)
    return out


# --- inputs ---

def read_lines(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def sample(data: Path) -> list[tuple[str, int, dict]]:
    """(file, 0-based line, record): the first 60 of each neardup file, 40 evenly spaced cmrc2018 paragraphs
    (lines i*848//40), and 40 FLORES records: the first record of each of the 26 languages, then the second
    record of the first 14 languages (in file order), listed by line."""
    out = []
    for name in (README_FILE, COPIES_FILE):
        out += [(name, i, r) for i, r in enumerate(read_lines(data / name)[:60])]
    zh = read_lines(data / ZH_FILE)
    out += [(ZH_FILE, i * len(zh) // 40, zh[i * len(zh) // 40]) for i in range(40)]
    flores = read_lines(data / FLORES_FILE)
    by_lang: dict[str, list[int]] = {}
    for i, r in enumerate(flores):
        by_lang.setdefault(r["lang"], []).append(i)
    picks = [lines[0] for lines in by_lang.values()] + [lines[1] for lines in by_lang.values()][: 40 - len(by_lang)]
    out += [(FLORES_FILE, i, flores[i]) for i in sorted(picks)]
    return out


def neardup_input(data: Path) -> tuple[list[str], dict[str, str]]:
    """The lines of the readme file then the lines of the benchmark-copies file, unchanged (4,577 documents).
    Ground truth: `cluster_id` for the readme file, `matches_shared_id` for the copies."""
    lines, truth = [], {}
    for name, key, prefix in ((README_FILE, "cluster_id", "readme:"), (COPIES_FILE, "matches_shared_id", "item:")):
        with open(data / name, encoding="utf-8") as f:
            for line in f:
                r = json.loads(line)
                lines.append(line.rstrip("\n"))
                truth[r["id"]] = prefix + r[key]
    return lines, truth


def benchcopies_input(data: Path) -> tuple[list[str], dict[str, str]]:
    """The lines of the benchmark-copies file (4,501), then every record of gsm8k_test, mmlu_test and humaneval
    (in that order, each in file order) whose id is some copy's `matches_shared_id` (4,455), as the unchanged
    JSONL lines of those files. The originals' `text` is the shared file's own `text` (question + answer for
    GSM8K, question + lettered choices + "Answer: X. ..." for MMLU, prompt + canonical_solution for HumanEval).
    Ground truth: a copy belongs to the cluster of `matches_shared_id`, an original to the cluster of its own id."""
    lines, truth = [], {}
    with open(data / COPIES_FILE, encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            lines.append(line.rstrip("\n"))
            truth[r["id"]] = r["matches_shared_id"]
    wanted = set(truth.values())
    for name in ORIGINAL_FILES:
        with open(data / name, encoding="utf-8") as f:
            for line in f:
                r = json.loads(line)
                if r["id"] in wanted:
                    lines.append(line.rstrip("\n"))
                    truth[r["id"]] = r["id"]
    return lines, truth


# --- datatrove's four stages ---

def step_counters(logging_dir: Path) -> list[dict]:
    """The counters of stats.json (totals only; timings are left out so the output is deterministic)."""
    out = []
    for step in json.load(open(logging_dir / "stats.json")):
        counters = {}
        for key, value in step.get("stats", {}).items():
            counters[key] = value["total"] if isinstance(value, dict) else value
        out.append({"step": step["name"], "counters": counters})
    return out


def run_datatrove(lines: list[str], work: Path, sig_step: MinhashDedupSignature) -> dict:
    """Stage 1 (one task), stage 2 (14 tasks: it needs one per bucket), stage 3 (one task), stage 4 (one task)."""
    (work / "in").mkdir(parents=True)
    body = ("\n".join(lines) + "\n").encode("utf-8")
    (work / "in" / "input.jsonl").write_bytes(body)
    config = MinhashConfig()
    stages = [
        ("signature", [JsonlReader(str(work / "in")), MinhashDedupSignature(str(work / "sigs"), config=config)], 1),
        ("buckets", [MinhashDedupBuckets(str(work / "sigs"), str(work / "buckets"), config=config)], config.num_buckets),
        ("cluster", [MinhashDedupCluster(str(work / "buckets"), str(work / "clusters"), config=config,
                                         save_cluster_id=True, save_cluster_size=True)], 1),
        ("filter", [JsonlReader(str(work / "in")),
                    MinhashDedupFilter(str(work / "clusters"), load_cluster_ids=True, load_cluster_sizes=True,
                                       exclusion_writer=JsonlWriter(str(work / "removed"), compression=None)),
                    JsonlWriter(str(work / "kept"), compression=None)], 1),
    ]
    stats = {}
    for name, pipeline, tasks in stages:
        LocalPipelineExecutor(pipeline=pipeline, tasks=tasks, workers=1, logging_dir=str(work / f"logs-{name}")).run()
        stats[name] = step_counters(work / f"logs-{name}")

    # stage 1's files on disk against the signatures computed directly (same step class, same config)
    parts: dict[int, list] = {}
    for bucket in range(config.num_buckets):
        raw = (work / "sigs" / f"bucket_{bucket:03d}" / "00000.minhash.sig").read_bytes()
        for *hashes, doc in struct.iter_unpack("<8QI", raw):  # 8 hashes + document index, sorted by hashes
            parts.setdefault(doc, [None] * config.num_buckets)[bucket] = hashes
    on_disk = {doc: [h for part in p for h in part] for doc, p in parts.items()}
    for doc, line in enumerate(lines):
        shingles = sig_step.get_shingles(json.loads(line)["text"])
        expected = None if shingles.size == 0 else [h for b in sig_step.get_signature(shingles) for h in b]
        assert on_disk.get(doc) == expected, f"stage 1 wrote another signature for document {doc}"

    def read_dir(d: Path) -> list[dict]:
        return [json.loads(x) for p in sorted(d.glob("*.jsonl")) for x in open(p, encoding="utf-8")]

    kept, removed = read_dir(work / "kept"), read_dir(work / "removed")
    meta = {d["id"]: d["metadata"] for d in kept + removed}
    order = [json.loads(line)["id"] for line in lines]
    removed_ids = {d["id"] for d in removed}
    members = [(n, i) for n, i in enumerate(order) if meta[i].get("minhash_cluster_id", -1) != -1]
    return {
        "input_sha256": hashlib.sha256(body).hexdigest(),
        "documents": len(lines),
        "with_signature": len(on_disk),
        "stage_counters": stats,
        "removed_ids": [i for i in order if i in removed_ids],
        # one entry per document in a cluster, in input order (columns: id, 0-based line of the input,
        # datatrove's cluster id and size, 1 if removed)
        "clusters": {
            "id": [i for _, i in members],
            "line": [n for n, _ in members],
            "cluster": [meta[i]["minhash_cluster_id"] for _, i in members],
            "size": [meta[i]["minhash_cluster_size"] for _, i in members],
            "removed": [int(i in removed_ids) for _, i in members],
        },
    }


def pairwise(result: dict, truth: dict[str, str]) -> dict:
    """Pairs of documents in one datatrove cluster against pairs in one true cluster."""
    found = dict(zip(result["clusters"]["id"], result["clusters"]["cluster"]))
    found_of = {i: ("found", found[i]) if i in found else ("single", i) for i in truth}

    def pairs(counter: Counter) -> int:
        return sum(n * (n - 1) // 2 for n in counter.values())

    found_pairs = pairs(Counter(found_of.values()))
    true_pairs = pairs(Counter(truth.values()))
    both = pairs(Counter((found_of[i], truth[i]) for i in truth))
    return {
        "found_pairs": found_pairs, "true_pairs": true_pairs, "true_positive_pairs": both,
        "precision": round(both / found_pairs, 4) if found_pairs else None,
        "recall": round(both / true_pairs, 4) if true_pairs else None,
        "true_clusters": len(set(truth.values())),
        "ideal_removed": len(truth) - len(set(truth.values())),
    }


def write_word_splits(data: Path, tokenizer, out: Path, config: MinhashConfig) -> None:
    """Every whitespace-separated token of simplify_text(text), over every record of every *.jsonl under `data`,
    that the word tokenizer does not return as one word: token, its words joined by spaces, and the number of
    documents it occurs in. The tokenizer works on each space-separated piece on its own; the loop checks that
    on every document where the words differ from str.split()."""
    counts: Counter = Counter()
    docs = differ = 0
    for path in sorted(data.rglob("*.jsonl")):
        with open(path, encoding="utf-8") as f:
            for line in f:
                normalized = simplify_text(json.loads(line)["text"], config.norm_config)
                words = tokenizer.word_tokenize(normalized)
                pieces = normalized.split()
                docs += 1
                if words == pieces:
                    continue
                differ += 1
                alone = {p: tokenizer.word_tokenize(p) for p in set(pieces)}
                assert [w for p in pieces for w in alone[p]] == words, f"context-dependent split in {path}"
                for p, ws in alone.items():
                    if ws != [p]:
                        counts[(p, " ".join(ws))] += 1
    rows = sorted(counts.items())
    body = "token\twords\tdocuments\n" + "".join(f"{t}\t{w}\t{n}\n" for (t, w), n in rows)
    out.write_bytes(zstandard.ZstdCompressor(level=19).compress(body.encode("utf-8")))
    print(f"word splits: {docs} documents, {differ} where the words are not str.split(), "
          f"{len(rows)} distinct split tokens", file=sys.stderr)


def main() -> int:
    root = Path(__file__).resolve().parents[2]
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=root.parent / "shared" / "data")
    parser.add_argument("--out", type=Path, default=root / "Tests" / "Fixtures" / "dedup")
    parser.add_argument("--word-splits", action="store_true",
                        help="also write datatrove-word-splits.tsv.zst (tokenizes all of --data, ~4 minutes)")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    dt_version = version("datatrove")
    header = {"datatrove": dt_version, "spacy": version("spacy"), "numpy": np.__version__, "xxhash": version("xxhash")}

    unused = tempfile.mkdtemp(prefix="mh-unused-")  # the step's output folder; nothing is written there
    step = MinhashDedupSignature(unused)
    config = step.config
    a, b = (p.reshape(-1).tolist() for p in step.parameters)
    gen = MT19937(config.seed)
    mine_a = legacy_randint_uint64(gen, 1, MERSENNE, step.num_hashes)
    mine_b = legacy_randint_uint64(gen, 0, MERSENNE, step.num_hashes)
    assert (mine_a, mine_b) == (a, b), "plain-Python MT19937 disagrees with numpy's RandomState"
    with open(args.out / "datatrove-minhash-params.json", "w") as f:
        json.dump(header | {
            "seed": config.seed, "n_grams": config.n_grams, "num_buckets": config.num_buckets,
            "hashes_per_bucket": config.hashes_per_bucket, "mersenne_prime": str(MERSENNE),
            "a": [str(x) for x in a], "b": [str(x) for x in b]}, f, indent=1)
        f.write("\n")

    out_lines = []
    no_sig = Counter()
    for n, (name, line, record) in enumerate(sample(args.data)):
        text = record["text"]
        normalized = simplify_text(text, config.norm_config)
        words = step.word_tokenizer.word_tokenize(normalized)
        shingles = step.get_shingles(text)
        row = {"id": record["id"], "file": name, "line": line}
        if n < 20:
            row |= {"normalized": normalized, "words": words}
        row["shingles"] = int(shingles.size)
        assert shingles.size == max(0, len(words) - config.n_grams + 1)
        if shingles.size:
            row["first_shingle_hash"] = str(int(shingles[0, 0]))
            row["signature"] = [str(h) for bucket in step.get_signature(shingles) for h in bucket]
        else:
            row["first_shingle_hash"] = None
            row["signature"] = None
            no_sig[name] += 1
        out_lines.append(json.dumps(row, ensure_ascii=False))
    body = ("\n".join(out_lines) + "\n").encode("utf-8")
    (args.out / "datatrove-signatures.jsonl.zst").write_bytes(zstandard.ZstdCompressor(level=19).compress(body))
    print(f"signatures: {len(out_lines)} records, no signature: {dict(no_sig)}", file=sys.stderr)

    for label, build, fname in (("neardup", neardup_input, "datatrove-neardup-run.json"),
                                ("benchcopies", benchcopies_input, "datatrove-benchcopies-run.json.zst")):
        lines, truth = build(args.data)
        work = Path(tempfile.mkdtemp(prefix=f"mh-{label}-"))
        try:
            result = run_datatrove(lines, work, step)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        metrics = pairwise(result, truth)
        doc = header | {"input": label, "config": str(config)} | result | {"pairwise": metrics}
        if label == "neardup":
            doc["pairwise_by_file"] = {
                name: pairwise(result, {i: t for i, t in truth.items() if t.startswith(prefix)})
                for name, prefix in ((README_FILE, "readme:"), (COPIES_FILE, "item:"))}
        text = json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n"
        if fname.endswith(".zst"):
            (args.out / fname).write_bytes(zstandard.ZstdCompressor(level=19).compress(text.encode("utf-8")))
        else:
            (args.out / fname).write_text(text, encoding="utf-8")
        print(f"{label}: {result['documents']} documents, {result['with_signature']} with a signature, "
              f"{len(result['removed_ids'])} removed, {len(result['clusters']['id'])} in clusters; "
              f"pairwise {metrics}", file=sys.stderr)

    if args.word_splits:
        write_word_splits(args.data, step.word_tokenizer, args.out / "datatrove-word-splits.tsv.zst", config)
    shutil.rmtree(unused, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

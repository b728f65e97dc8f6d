#!/usr/bin/env python3
"""Build the tokenizer benchmark corpora (issue 3) from the real records in shared/data.

Three corpora, each a single JSONL file of {"id": ..., "text": ...} records, under --out
(default Benchmarks/work/tokcorpus):

  en.jsonl    English: web/ (not the Chinese web file), qa/, books/ (language "en"), and the English
              benchmarks (ARC, GSM8K, HellaSwag, MATH-500, MMLU)
  zh.jsonl    Chinese: zh/, web/chinese_webtext_cc2021-43, books/ (language "zh-Hant"),
              benchmarks CMMLU, C-Eval, GAOKAO-Bench
  code.jsonl  code: code/source_files.jsonl (Python, C, shell), benchmarks HumanEval and MBPP

The source records (sorted by path, file order) are written again and again ("copies") until the file
holds at least --en-mb / --zh-mb / --code-mb MB of text (MB = 10^6 bytes of UTF-8 `text`). Each copy
gets a fresh unique id "<orig_id>#<copy>" (records without an id use "<file>:<line>"). Records with an
empty or missing text are skipped. Output is deterministic for given sizes and input.

corpus.json holds the parameters and, per corpus: docs, text bytes, JSONL bytes, copies, and the
per-source docs/bytes of one copy. An existing build with the same parameters is reused unless --force.
Stdlib only.
"""
import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# corpus -> list of (relative path, filter on the record or None)
SOURCES = {
    "en": [
        ("web/arxiv_latex_sections.jsonl", None),
        ("web/c4_en_sample.jsonl", None),
        ("web/dolma_cc_en_head.jsonl", None),
        ("web/redpajama_pile_samples.jsonl", None),
        ("web/warc_html_pages.jsonl", None),
        ("qa/redpajama_stackexchange_with_dj_stats.jsonl", None),
        ("qa/skeptics_stackexchange.jsonl", None),
        ("qa/stackexchange_dump_threads.jsonl", None),
        ("qa/stackexchange_math_physics_stats.jsonl", None),
        ("books/books.jsonl", ("language", "en")),
        ("benchmarks/arc_challenge_test.jsonl", None),
        ("benchmarks/gsm8k_test.jsonl", None),
        ("benchmarks/hellaswag_val.jsonl", None),
        ("benchmarks/math500_test.jsonl", None),
        ("benchmarks/mmlu_test.jsonl", None),
    ],
    "zh": [
        ("zh/cmrc2018_zhwiki_paragraphs.jsonl", None),
        ("zh/csldcp_science_abstracts_discipline.jsonl", None),
        ("zh/fortunes_zh_tang300_chinese.jsonl", None),
        ("zh/tnews_news_titles_topic.jsonl", None),
        ("web/chinese_webtext_cc2021-43.jsonl", None),
        ("books/books.jsonl", ("language", "zh-Hant")),
        ("benchmarks/cmmlu_test.jsonl", None),
        ("benchmarks/ceval_val.jsonl", None),
        ("benchmarks/gaokao_bench_objective.jsonl", None),
    ],
    "code": [
        ("code/source_files.jsonl", None),
        ("benchmarks/humaneval.jsonl", None),
        ("benchmarks/mbpp_test.jsonl", None),
    ],
}


def load(data: Path, corpus: str):
    """[(orig_id, text_json, text_bytes)] of one copy, plus per-source stats."""
    recs, per_source = [], []
    for rel, flt in SOURCES[corpus]:
        path = data / rel
        if not path.exists():
            sys.exit(f"build_tokcorpus: missing {path}")
        n = nb = 0
        with open(path, encoding="utf-8") as f:
            for lineno, line in enumerate(f, 1):
                if not line.strip():
                    continue
                rec = json.loads(line)
                if flt and rec.get(flt[0]) != flt[1]:
                    continue
                text = rec.get("text")
                if not isinstance(text, str) or not text:
                    continue
                orig = rec.get("id")
                orig = str(orig) if orig is not None else f"{rel}:{lineno}"
                tb = len(text.encode("utf-8"))
                recs.append((orig, json.dumps(text, ensure_ascii=False), tb))
                n += 1
                nb += tb
        per_source.append({"file": rel, "filter": f"{flt[0]}={flt[1]}" if flt else None,
                           "docs": n, "text_bytes": nb})
    return recs, per_source


def build(data: Path, out: Path, corpus: str, mb: float):
    recs, per_source = load(data, corpus)
    target = int(mb * 1e6)
    docs = jsonl_bytes = text_bytes = copy = max_doc = 0
    path = out / f"{corpus}.jsonl"
    tmp = path.with_suffix(".jsonl.part")
    with open(tmp, "wb", buffering=1 << 20) as f:
        while text_bytes < target:
            for orig, text_json, tb in recs:
                line = ('{"id": ' + json.dumps(f"{orig}#{copy}", ensure_ascii=False)
                        + ', "text": ' + text_json + "}\n").encode("utf-8")
                f.write(line)
                docs += 1
                jsonl_bytes += len(line)
                text_bytes += tb
                max_doc = max(max_doc, tb)
                if text_bytes >= target:
                    break
            copy += 1
    tmp.replace(path)
    one_copy = sum(s["text_bytes"] for s in per_source)
    return {"file": path.name, "docs": docs, "text_bytes": text_bytes, "jsonl_bytes": jsonl_bytes,
            "copies": copy, "max_doc_bytes": max_doc, "records_per_copy": len(recs), "text_bytes_per_copy": one_copy,
            "sources": per_source}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default="/work/shared/data")
    ap.add_argument("--out", default=str(ROOT / "Benchmarks/work/tokcorpus"))
    ap.add_argument("--en-mb", type=float, default=40)
    ap.add_argument("--zh-mb", type=float, default=20)
    ap.add_argument("--code-mb", type=float, default=20)
    ap.add_argument("--force", action="store_true")
    a = ap.parse_args()

    out = Path(a.out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    params = {"data": str(Path(a.data).resolve()), "mb": {"en": a.en_mb, "zh": a.zh_mb, "code": a.code_mb},
              "sources": {k: [list(s) if not s[1] else [s[0], list(s[1])] for s in v] for k, v in SOURCES.items()},
              "format": 2}
    stats_path = out / "corpus.json"
    if stats_path.exists() and not a.force:
        old = json.loads(stats_path.read_text())
        if old.get("params") == params and all(
                (out / c["file"]).exists() and (out / c["file"]).stat().st_size == c["jsonl_bytes"]
                for c in old["corpora"].values()):
            print(f"build_tokcorpus: reusing {out} (same parameters; --force to rebuild)", file=sys.stderr)
            print(json.dumps({k: {f: v[f] for f in ("docs", "text_bytes")} for k, v in old["corpora"].items()}))
            return
    stats_path.unlink(missing_ok=True)
    t0 = time.time()
    corpora = {}
    for corpus in ("en", "zh", "code"):
        corpora[corpus] = build(Path(a.data), out, corpus, params["mb"][corpus])
        c = corpora[corpus]
        print(f"build_tokcorpus: {corpus}: {c['docs']:,} docs, {c['text_bytes'] / 1e6:.1f} MB text, "
              f"{c['jsonl_bytes'] / 1e6:.1f} MB JSONL, {c['copies']} copies of {c['records_per_copy']:,} records "
              f"({c['text_bytes_per_copy'] / 1e6:.2f} MB)", file=sys.stderr)
    stats_path.write_text(json.dumps({"params": params, "corpora": corpora}, indent=1, ensure_ascii=False) + "\n")
    print(f"build_tokcorpus: done in {time.time() - t0:.0f} s", file=sys.stderr)
    print(json.dumps({k: {f: v[f] for f in ("docs", "text_bytes")} for k, v in corpora.items()}))


if __name__ == "__main__":
    main()

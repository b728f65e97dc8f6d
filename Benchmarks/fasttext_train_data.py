#!/usr/bin/env python3
"""Labeled sets for Benchmarks/fasttext_train.sh: real records of ../shared/data, shuffled with a fixed seed,
split 90/10, written twice: JSONL ({"label", "text"}) for Syllabus and fastText's format
(`__label__L text`, each run of the bytes fastText splits on — space, \n, \r, \t, \v, \f, NUL — as one
space, so both tools see the same tokens) for the reference.

  zh:   zh/csldcp_science_abstracts_discipline.jsonl (67 disciplines) + zh/tnews_news_titles_topic.jsonl
        (news topics), label = `topic`; 2,710 records.
  mmlu: benchmarks/mmlu_test.jsonl, label = the subject (57), text = question + choices + answer; 14,042 records.
"""
import argparse, json, random, re
from pathlib import Path

SETS = {
    "zh": (["zh/csldcp_science_abstracts_discipline.jsonl", "zh/tnews_news_titles_topic.jsonl"], "topic"),
    "mmlu": (["benchmarks/mmlu_test.jsonl"], "subject"),
}

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default=str(Path(__file__).resolve().parents[2] / "shared" / "data"))
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for name, (files, field) in SETS.items():
        records = []
        for file in files:
            for line in open(Path(args.data) / file, encoding="utf-8"):
                record = json.loads(line)
                label = record[field]
                records.append({"label": re.sub(r"\s+", "_", str(label)), "text": record["text"]})
        random.Random(2026).shuffle(records)
        cut = len(records) * 9 // 10
        for part, rows in (("train", records[:cut]), ("test", records[cut:])):
            with open(out / f"{name}-{part}.jsonl", "w", encoding="utf-8") as jsonl, \
                 open(out / f"{name}-{part}.txt", "w", encoding="utf-8") as text:
                for row in rows:
                    jsonl.write(json.dumps(row, ensure_ascii=False) + "\n")
                    flat = " ".join(t for t in re.split(r"[ \n\r\t\v\f\0]+", row["text"]) if t)
                    text.write(f"__label__{row['label']} {flat}\n")
        print(name, len(records), "records,", len({r["label"] for r in records}), "labels")

main()

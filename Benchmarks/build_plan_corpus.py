#!/usr/bin/env python3
"""Metadata-rich JSONL for the planner benchmark (issue 4): N documents over 8 sources (2 languages × 4
categories), each with metadata.tokens, metadata.ppl and metadata.topic (the 11 English topics of SPEC.md §4),
short text. Deterministic for a seed. Usage: build_plan_corpus.py OUT_DIR --documents 10000000 [--shards 16]"""
import argparse, os, random

TOPICS = ["Mathematics and Physics", "Computer Science and Engineering", "Biology and Chemistry",
          "History and Geography", "Law and Policy", "Philosophy and Logic", "Economics and Business",
          "Psychology and Sociology", "Security and International Relations", "Medicine and Health", "Others"]
SOURCES = [("web_en", 0.40), ("books_en", 0.10), ("qa_en", 0.08), ("code_en", 0.12),
           ("web_zh", 0.18), ("books_zh", 0.05), ("qa_zh", 0.04), ("wiki_zh", 0.03)]

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--documents", type=int, default=10_000_000)
    parser.add_argument("--shards", type=int, default=4)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    for name, share in SOURCES:
        folder = os.path.join(args.out, name)
        os.makedirs(folder, exist_ok=True)
        count = int(args.documents * share)
        per_shard = (count + args.shards - 1) // args.shards
        written = 0
        for shard in range(args.shards):
            with open(os.path.join(folder, f"part-{shard:03d}.jsonl"), "w") as out:
                lines = []
                for i in range(written, min(count, written + per_shard)):
                    tokens = int(rng.lognormvariate(6.0, 0.9)) + 20
                    ppl = round(rng.lognormvariate(5.0, 0.5), 2)
                    topic = TOPICS[min(len(TOPICS) - 1, int(rng.expovariate(0.25)))]
                    lines.append('{"id":"%s-%d","text":"document %d of %s","metadata":{"tokens":%d,"ppl":%s,"topic":"%s"}}\n'
                                 % (name, i, i, name, tokens, ppl, topic))
                out.writelines(lines)
            written = min(count, written + per_shard)
    print(args.out)

if __name__ == "__main__":
    main()

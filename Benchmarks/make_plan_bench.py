#!/usr/bin/env python3
"""Writes the planner benchmark's plan (issue 4): 27 stages over the 8 sources of build_plan_corpus.py,
nested mixtures language → category → topic (English web), ratios drifting a little from stage to stage,
easy→hard selection by perplexity, and orders that alternate between perplexity, random and interleaved.
Usage: make_plan_bench.py CORPUS_DIR DOCUMENTS OUT.yaml"""
import sys

TOPICS = ["Mathematics and Physics", "Computer Science and Engineering", "Biology and Chemistry",
          "History and Geography", "Law and Policy", "Philosophy and Logic", "Economics and Business",
          "Psychology and Sociology", "Security and International Relations", "Medicine and Health", "Others"]

corpus, documents, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
stage_tokens = int(documents * 625 * 0.75 / 27)          # ~75% of the corpus's tokens over 27 stages
lines = ["name: plan-bench", "seed: 7", "sources:"]
for name in ["web_en", "books_en", "qa_en", "code_en", "web_zh", "books_zh", "qa_zh", "wiki_zh"]:
    category, language = name.split("_")
    # English web is divided by topic, and some topics run out over 27 stages: up to 3 uses per document.
    epochs = ", max_epochs: 3" if name == "web_en" else ""
    lines.append(f"  {name}: {{paths: [\"{corpus}/{name}/*.jsonl\"], labels: {{language: {language}, category: {category}}}{epochs}}}")
lines.append("stages:")
orders = ["ppl_ascending", "random", "{by: random, scope: source, interleave: true}"]
for k in range(27):
    topics = ", ".join(f"\"{t}\": {1 + ((i + k) % 4) * 0.25}" for i, t in enumerate(TOPICS))
    lines += [
        f"  - name: stage-{k + 1:02d}",
        f"    tokens: {stage_tokens}",
        f"    phase: {'warmup' if k == 0 else 'annealing' if k >= 25 else 'stable'}",
        "    select: ppl_ascending",
        f"    order: {orders[k % 3]}",
        "    mixture:",
        "      by: language",
        "      ratios:",
        f"        en: {{weight: {7 - (k % 3) * 0.2:.1f}, by: category, ratios: {{web: {{weight: 0.55, by: topic, ratios: {{{topics}}}}}, books: 0.15, qa: 0.12, code: 0.18}}}}",
        f"        zh: {{weight: {3 + (k % 3) * 0.2:.1f}, by: category, ratios: {{web: 0.6, books: 0.17, qa: 0.13, wiki: 0.1}}}}",
    ]
lines += ["learning_rate: {peak: 1e-2, final: 0, decay_style: 1-sqrt, tokens_per_step: 4M}", ""]
open(out, "w").write("\n".join(lines))

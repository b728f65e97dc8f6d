#!/usr/bin/env python3
"""The reference fastText's Python binding predicting every document of a JSONL file, one thread, timed
in-process (load and JSON parsing excluded): what `syllabus curate` with a `language` step is compared
with. Texts are flattened as Syllabus's step does ("\n" → " "; the binding refuses newlines).

Usage: langid_peer.py MODEL IN.jsonl   (venv: pip install fasttext-numpy2-wheel)
Prints: documents, MB of text, seconds, docs/s, MB/s, and the label counts of the top-1 predictions."""
import collections
import json
import sys
import time

import fasttext

model = fasttext.load_model(sys.argv[1])
texts = []
with open(sys.argv[2], "rb") as f:
    for line in f:
        if line.strip():
            texts.append(json.loads(line)["text"].replace("\n", " "))
nbytes = sum(len(t.encode("utf-8")) for t in texts)
start = time.perf_counter()
labels = collections.Counter()
for text in texts:
    (label,), _ = model.predict(text, k=1)
    labels[label] += 1
seconds = time.perf_counter() - start
print(json.dumps({"documents": len(texts), "text_mb": nbytes / 1e6, "seconds": seconds,
                  "docs_per_s": len(texts) / seconds, "mb_per_s": nbytes / 1e6 / seconds,
                  "top_labels": labels.most_common(5)}))

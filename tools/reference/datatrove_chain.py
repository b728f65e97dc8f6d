#!/usr/bin/env python3
"""Reference run for issue 5's chain benchmark: datatrove 0.10.1 reading JSONL, then LanguageFilter
(lid.176, English) → GopherQualityFilter → GopherRepetitionFilter → C4QualityFilter → FineWebQualityFilter
(default arguments), writing the kept documents as JSONL, one task, one worker. `executor.run()` is timed.

lid.176: datatrove downloads lid.176.bin from fbaipublicfiles by default; here FT176LID's URL points at a
local model file (--model), e.g. Syllabus's Tests/Fixtures/models/lid.176.ftz, so both tools use the same
model and nothing is downloaded.

Set-up: python3 -m venv V; V/bin/pip install "datatrove[processing]==0.10.1" "spacy>=3.8,<3.9" \
          fasttext-numpy2-wheel fasteners orjson
Usage:  V/bin/python tools/reference/datatrove_chain.py --model lid.176.ftz IN_DIR [--glob '*.jsonl']
Prints one JSON line: {"tool", "wall_s", "docs_in", "docs_kept", ...} (counts from datatrove's stats).
"""
import argparse
import json
import os
import shutil
import tempfile
import time

from datatrove.executor import LocalPipelineExecutor
from datatrove.pipeline.filters import (
    C4QualityFilter,
    FineWebQualityFilter,
    GopherQualityFilter,
    GopherRepetitionFilter,
    LanguageFilter,
)
from datatrove.pipeline.readers import JsonlReader
from datatrove.pipeline.writers import JsonlWriter
from datatrove.utils import lid


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("input")
    parser.add_argument("--model", required=True)
    parser.add_argument("--glob", default="*.jsonl")
    args = parser.parse_args()
    lid.FT176LID.MODEL_URL = os.path.abspath(args.model)
    work = tempfile.mkdtemp(prefix="dt-chain-")
    try:
        executor = LocalPipelineExecutor(
            pipeline=[
                JsonlReader(args.input, glob_pattern=args.glob),
                LanguageFilter(languages=["en"]),
                GopherQualityFilter(),
                GopherRepetitionFilter(),
                C4QualityFilter(),
                FineWebQualityFilter(),
                JsonlWriter(os.path.join(work, "out"), compression=None),
            ],
            tasks=1, workers=1, logging_dir=os.path.join(work, "logs"))
        start = time.perf_counter()
        executor.run()
        wall = time.perf_counter() - start
        stats = json.load(open(os.path.join(work, "logs", "stats.json")))
        counts = {}
        for step in stats:
            counts[step["name"]] = {k: v for k, v in step.get("stats", {}).items() if isinstance(v, (int, float))}
        print(json.dumps({"tool": "datatrove", "wall_s": wall, "steps": counts}))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

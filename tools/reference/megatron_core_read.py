#!/usr/bin/env python3
"""Dump (or build) a Megatron-LM indexed dataset with the real implementation,
megatron.core.datasets.indexed_dataset (pip package megatron-core; needs torch and numpy).

  megatron_core_read.py PREFIX OUT.jsonl [--by-sequence] [--multimodal]
      Reads PREFIX.idx/.bin with IndexedDataset and writes the same JSONL as
      `megatron_reader.py PREFIX --dump-jsonl OUT.jsonl [--by-sequence]`:
      {"doc": k, "lengths": [...], "ids": [...]} per document (or {"seq": i, "ids": [...]}),
      so the two outputs can be compared with cmp.
  megatron_core_read.py --build PREFIX IN.jsonl [--dtype uint16|int32|...]
      Writes PREFIX.bin/.idx with IndexedDatasetBuilder from IN.jsonl, one document per line:
      {"ids": [...]} (one sequence) or {"lengths": [...], "ids": [...]} (several sequences; lengths
      sum to len(ids); an empty "ids" gives an empty document). Default dtype: optimal_dtype(max id + 1).
  megatron_core_read.py --worked-example PREFIX
      Writes FORMATS.md §1.5's example (uint16; A=[10,11,12], B=[20,21]+[22]) with the real builder.

Environment: the venv tools/reference/README.md describes (megatron-core 0.16.1, torch 2.13.0+cpu).
"""
import argparse
import json
import logging
import sys
import warnings

warnings.filterwarnings("ignore")  # megatron.core warns about missing Transformer Engine / Apex
logging.disable(logging.INFO)

import numpy  # noqa: E402
import torch  # noqa: E402
from megatron.core.datasets.indexed_dataset import DType, IndexedDataset, IndexedDatasetBuilder  # noqa: E402


def _num(x):
    return int(x) if numpy.issubdtype(type(x), numpy.integer) else float(x)


def dump(prefix, out, by_sequence=False, multimodal=False):
    ds = IndexedDataset(prefix, multimodal=multimodal)
    n = 0
    with open(out, "w", encoding="utf-8") as f:
        if by_sequence:
            for i in range(len(ds)):
                item = ds[i]
                rec = {"seq": i}
                if multimodal:
                    item, mode = item
                rec["ids"] = [_num(x) for x in item]
                if multimodal:
                    rec["mode"] = int(mode)
                f.write(json.dumps(rec, separators=(",", ":")) + "\n")
                n += 1
        else:
            di = ds.document_indices
            for k in range(len(di) - 1):
                a, b = int(di[k]), int(di[k + 1])
                seqs = [ds[i] for i in range(a, b)]
                if multimodal:
                    seqs = [s for s, _ in seqs]
                ids = [_num(x) for s in seqs for x in s]
                f.write(json.dumps({"doc": k, "lengths": [int(len(s)) for s in seqs], "ids": ids},
                                   separators=(",", ":")) + "\n")
                n += 1
    return n, ds.index.dtype.__name__, len(ds)


def build(prefix, docs, dtype=None):
    if dtype is None:
        top = max((max(d["ids"]) for d in docs if d["ids"]), default=0)
        dtype = DType.optimal_dtype(top + 1)
    else:
        dtype = getattr(numpy, dtype)
    b = IndexedDatasetBuilder(prefix + ".bin", dtype=dtype)
    for d in docs:
        ids = d["ids"]
        lengths = d.get("lengths", [len(ids)] if ids else [])
        assert sum(lengths) == len(ids), d
        b.add_document(torch.tensor(ids, dtype=torch.int64), lengths)
    b.finalize(prefix + ".idx")
    return dtype.__name__


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("args", nargs="*")
    ap.add_argument("--by-sequence", action="store_true")
    ap.add_argument("--multimodal", action="store_true")
    ap.add_argument("--build", action="store_true")
    ap.add_argument("--dtype")
    ap.add_argument("--worked-example", action="store_true")
    a = ap.parse_args()
    if a.worked_example:
        if len(a.args) != 1:
            ap.error("--worked-example PREFIX")
        build(a.args[0], [{"ids": [10, 11, 12]}, {"lengths": [2, 1], "ids": [20, 21, 22]}], "uint16")
        print(f"wrote {a.args[0]}.idx/.bin", file=sys.stderr)
    elif a.build:
        if len(a.args) != 2:
            ap.error("--build PREFIX IN.jsonl")
        with open(a.args[1], encoding="utf-8") as f:
            docs = [json.loads(line) for line in f if line.strip()]
        dt = build(a.args[0], docs, a.dtype)
        print(f"wrote {len(docs)} documents ({dt}) to {a.args[0]}.idx/.bin", file=sys.stderr)
    else:
        if len(a.args) != 2:
            ap.error("PREFIX OUT.jsonl")
        n, dt, s = dump(a.args[0], a.args[1], a.by_sequence, a.multimodal)
        print(f"megatron.core IndexedDataset: {dt}, {s} sequences; wrote {n} "
              f"{'sequences' if a.by_sequence else 'documents'} to {a.args[1]}", file=sys.stderr)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Compare two ids JSONL files ({"id":..., "ids":[...]} per line), as written by `syllabus tokenize` and
tools/reference/tokenize_peer.py. Used by Benchmarks/tokenize.sh when the files are not byte-identical.

Prints one JSON object: docs and tokens in each file, docs whose ids differ (matched by id; the first few
with the first differing position), ids present in only one file, and whether the line order is the same.
Stdlib only (orjson when available). Exit status 0 when every document has the same ids, 1 otherwise.
"""
import hashlib
import json
import sys

try:
    import orjson
    loads = orjson.loads
except ImportError:  # pragma: no cover
    loads = json.loads


def digest(path):
    out, order, toks = {}, [], 0
    with open(path, "rb") as f:
        for line in f:
            if not line.strip():
                continue
            r = loads(line)
            ids = r["ids"]
            toks += len(ids)
            key = json.dumps(r.get("id"))
            out[key] = (len(ids), hashlib.blake2b(json.dumps(ids).encode(), digest_size=16).digest())
            order.append(key)
    return out, order, toks


def first_diff(path_a, path_b, key):
    def find(path):
        with open(path, "rb") as f:
            for line in f:
                r = loads(line)
                if json.dumps(r.get("id")) == key:
                    return r["ids"]
        return []
    a, b = find(path_a), find(path_b)
    pos = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    return {"id": json.loads(key), "len_a": len(a), "len_b": len(b), "first_diff_at": pos,
            "a": a[max(0, pos - 3):pos + 5], "b": b[max(0, pos - 3):pos + 5]}


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: tokenize_compare.py A.jsonl B.jsonl")
    pa, pb = sys.argv[1:]
    a, oa, ta = digest(pa)
    b, ob, tb = digest(pb)
    differ = [k for k in oa if k in b and a[k] != b[k]]
    res = {"a": pa, "b": pb, "docs_a": len(oa), "docs_b": len(ob), "tokens_a": ta, "tokens_b": tb,
           "same_order": oa == ob, "only_in_a": sum(1 for k in a if k not in b),
           "only_in_b": sum(1 for k in b if k not in a), "docs_differing": len(differ),
           "tokens_in_differing_docs_a": sum(a[k][0] for k in differ),
           "tokens_in_differing_docs_b": sum(b[k][0] for k in differ),
           "examples": [first_diff(pa, pb, k) for k in differ[:5]]}
    print(json.dumps(res, ensure_ascii=False))
    ok = not differ and res["only_in_a"] == 0 and res["only_in_b"] == 0
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Build the near-dedup benchmark corpus (issue 6): ~1,000,000 documents with known duplicates.

The real text comes from ../shared/data:
  - English: the web files (c4, dolma head, redpajama, arXiv), the English Q&A files and books;
  - code: the Debian source files;
  - Chinese: zh/* and the Chinese web file.
That is about 20 million characters, enough for only 12,484 paragraph-sized documents. The rest of the
documents are therefore built from real sentences. The corpus is a stream of documents of five kinds:

  chunk    A real document cut into pieces of 300–3000 characters. The cuts fall at paragraph breaks, else at
           line breaks, else at sentence ends. Every chunk is used once. Chunks that are near-duplicates of an
           earlier chunk are dropped (MinHash over word 5-grams, 20 bands × 3 rows, confirmed by exact
           Jaccard ≥ 0.5). Exact repeats are dropped too.
  mosaic   At least 4 units drawn at random from one pool until a target length is reached. The target is drawn
           from a lognormal with median 900 characters, clipped to 300–3000. The pools:
             - English: sentences of the English chunks;
             - code: blocks of consecutive lines, at most 300 characters;
             - Chinese: sentences ending in 。！？； or a line end.
           Units are joined by " " (English), "\n" (code) or "" (Chinese); duplicate units are removed from
           each pool. Two mosaics rarely share more than one unit, so they are not near-duplicates of each
           other.
  near     (12.5% of the documents) A near-copy of an earlier document, chosen uniformly. The copy gets one or
           two edits:
             - word edits: each space-separated word, with probability rate ∈ [0.01, 0.06], is deleted,
               replaced by a random word, or preceded by a random word. Chinese text is edited per
               character instead;
             - truncation: a prefix or a suffix of 60–95% is kept, cut at a space;
             - boilerplate: a header and/or footer made up here (site menus, dates, share links, copyright
               lines, a license comment for code).
  exact    (5%) An exact copy of an earlier document.

Copies are made from earlier documents only, so every prefix of the corpus contains the originals of its
copies. A copy of a copy gets its edits on top of the earlier copy's.

Each record is {"id", "text", "kind", "source", "dup_of", "copy_of", "edit"}:
  - id: "dd-0000000", in stream order;
  - source: the shared-data file of a chunk, or "mosaic:en|code|zh";
  - dup_of: the id of the original (the first document of its cluster) for copies, null otherwise. This is
    the ground truth;
  - copy_of: the document it was copied from;
  - edit: what was done, e.g. "words:0.034+prefix".
Copies keep the `source` of their original.

Output under --out (default Benchmarks/work/dedup, gitignored):
  jsonl/part-0000K.jsonl   8 shards (--shards) of consecutive documents, uncompressed
  slice30/slice.jsonl      the first documents up to 30e6 bytes of text (--slice-mb), for the signature benchmark
  corpus.json              counts and sizes
The output is deterministic (seed --seed, default 6). It takes about 2.5 minutes and uses one core and 2.5 GB of RAM.
Default build: 1,000,000 documents, 1.47e9 bytes of text, 1.60 GB of JSONL. They are 812,516 mosaics, 12,484 chunks,
125,040 near copies and 49,960 exact copies. The slice has 20,514 documents.
In its first 28,000 documents, the Jaccard of each copy with its original is:
  - ≥ 0.8: 2,855 (exact copies included);
  - 0.6–0.8: 1,491;
  - 0.4–0.6: 524;
  - < 0.4: 65.
The same documents hold one unlabelled pair with Jaccard ≥ 0.5.
Needs numpy and xxhash (e.g. the Benchmarks/work/venv or dedupvenv python).
--check N: after building, measures the exact word-5-gram Jaccard of every near copy in the first N documents
against its original. It also finds, by MinHash, unlabelled pairs in those documents with Jaccard ≥ 0.5.
"""
import argparse
import json
import math
import random
import re
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
import xxhash

ROOT = Path(__file__).resolve().parent.parent
ENGLISH = [
    "web/c4_en_sample.jsonl", "web/dolma_cc_en_head.jsonl", "web/redpajama_pile_samples.jsonl",
    "web/arxiv_latex_sections.jsonl", "qa/stackexchange_math_physics_stats.jsonl",
    "qa/skeptics_stackexchange.jsonl", "qa/stackexchange_dump_threads.jsonl", "books/books.jsonl",
]
CODE = ["code/source_files.jsonl"]
CHINESE = [
    "zh/cmrc2018_zhwiki_paragraphs.jsonl", "zh/csldcp_science_abstracts_discipline.jsonl",
    "zh/fortunes_zh_tang300_chinese.jsonl", "zh/tnews_news_titles_topic.jsonl", "web/chinese_webtext_cc2021-43.jsonl",
]
MIN_LEN, MAX_LEN = 300, 3000
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")

# Boilerplate written for this benchmark (generic web/code furniture).
SITES = ["Northwind Daily", "The Lakeside Herald", "Open Notes", "Riverbank Media", "Quill & Ink", "TechLedger"]
EN_HEADERS = [
    "Skip to main content\nHome | News | Topics | About | Contact\n\n",
    "{site}\nPosted on {date} by admin\n\n",
    "Menu\nSearch this site\nSubscribe to our newsletter\n\n",
    "You are here: Home > Articles > Archive\n\n",
]
EN_FOOTERS = [
    "\n\nShare this:\nFacebook Twitter LinkedIn Email Print",
    "\n\nCopyright © {year} {site}. All rights reserved.",
    "\n\nRelated posts\nComments are closed.\nPrivacy Policy | Terms of Use | Cookie Settings",
    "\n\nThis article was originally published on {date}. Last updated {date}.",
]
ZH_HEADERS = ["首页 | 新闻 | 财经 | 科技 | 关于我们\n\n", "{site} 发布时间：{date}\n\n", "当前位置：首页 > 文章 > 正文\n\n"]
ZH_FOOTERS = ["\n\n版权所有 © {year} {site} 保留所有权利。", "\n\n分享到：微信 微博 QQ空间", "\n\n免责声明：本文仅代表作者观点。"]
CODE_HEADERS = [
    "# Copyright (c) {year} {site} contributors\n# SPDX-License-Identifier: MIT\n\n",
    "/*\n * This file is part of {site}.\n * Generated file, do not edit.\n */\n\n",
]
CODE_FOOTERS = ["\n\n# end of file\n", "\n\n/* vim: set ts=4 sw=4 et: */\n"]


def read_texts(data: Path, names: list[str]) -> list[tuple[str, str]]:
    out = []
    for name in names:
        with open(data / name, encoding="utf-8") as f:
            out += [(name, json.loads(line)["text"]) for line in f]
    return out


def split_long(par: str, limit: int) -> list[str]:
    """Cut a paragraph longer than `limit` at line breaks, then sentence ends, then hard."""
    if len(par) <= limit:
        return [par]
    pieces = []
    for unit in re.split(r"(?<=\n)", par) if "\n" in par.strip() else re.split(r"(?<=[.!?。！？])\s*", par):
        while len(unit) > limit:
            pieces.append(unit[:limit])
            unit = unit[limit:]
        if pieces and len(pieces[-1]) + len(unit) <= limit:
            pieces[-1] += unit
        elif unit:
            pieces.append(unit)
    return [p.strip("\n") for p in pieces if p.strip()]


def chunk(text: str, rng: random.Random) -> list[str]:
    """Cut a document into 300–3000-character chunks at paragraph (else line) breaks."""
    sep = "\n\n" if "\n\n" in text else "\n"
    pars = [p for raw in text.split(sep) if raw.strip() for p in split_long(raw.strip("\n"), MAX_LEN)]
    out, cur, target = [], "", rng.randint(MIN_LEN, MAX_LEN)
    for p in pars:
        if cur and len(cur) + len(sep) + len(p) > MAX_LEN:
            if len(cur) >= MIN_LEN:
                out.append(cur)
            cur = p
        else:
            cur = cur + sep + p if cur else p
        if len(cur) >= target:
            out.append(cur)
            cur, target = "", rng.randint(MIN_LEN, MAX_LEN)
    if len(cur) >= MIN_LEN:
        out.append(cur)
    return out


def sentences_en(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+|\n+", text) if 10 <= len(s.strip()) <= 600]


def sentences_zh(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[。！？；])|\n+", text) if 4 <= len(s.strip()) <= 300]


def code_blocks(text: str) -> list[str]:
    out = []
    for block in re.split(r"\n\s*\n", text):
        cur = ""
        for line in block.split("\n"):
            if cur and len(cur) + 1 + len(line) > 300:
                out.append(cur)
                cur = line[:300]
            else:
                cur = cur + "\n" + line if cur else line[:300]
        if cur.strip():
            out.append(cur)
    return [b for b in out if len(b.strip()) >= 10]


# --- word 5-gram shingles, for the near-duplicate screens ---

def shingle_hashes(text: str) -> np.ndarray:
    toks = re.findall(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]|[^\W_]+", text.lower())
    if len(toks) < 5:
        toks += [""] * (5 - len(toks))
    return np.unique(np.fromiter((xxhash.xxh64_intdigest(" ".join(toks[i:i + 5]).encode())
                                  for i in range(len(toks) - 4)), dtype=np.uint64, count=len(toks) - 4))


def jaccard(x: np.ndarray, y: np.ndarray) -> float:
    inter = np.intersect1d(x, y, assume_unique=True).size
    return inter / (x.size + y.size - inter)


class Screen:
    """MinHash (60 hashes, 20 bands of 3) over word 5-grams: candidate pairs for Jaccard ≥ ~0.5."""
    BANDS, ROWS = 20, 3

    def __init__(self):
        gen = np.random.RandomState(12345)
        n = self.BANDS * self.ROWS
        self.a = gen.randint(1, (1 << 61) - 1, size=n, dtype=np.uint64)
        self.b = gen.randint(0, (1 << 61) - 1, size=n, dtype=np.uint64)
        self.tables = [dict() for _ in range(self.BANDS)]

    def candidates(self, key: int, sh: np.ndarray) -> set[int]:
        sig = ((sh[:, None] * self.a + self.b) % np.uint64((1 << 61) - 1)).min(axis=0)
        found = set()
        for band in range(self.BANDS):
            k = sig[band * self.ROWS:(band + 1) * self.ROWS].tobytes()
            found.update(self.tables[band].setdefault(k, []))
            self.tables[band][k].append(key)
        return found


# --- near-copy edits ---

def edit_words(text: str, rate: float, vocab: list[str], rng: random.Random) -> str:
    parts = re.split(r"(\s+)", text)  # words at even positions, whitespace at odd ones
    out = []
    for i in range(0, len(parts), 2):
        word, space = parts[i], parts[i + 1] if i + 1 < len(parts) else ""
        if word and rng.random() < rate:
            op = rng.randrange(3)
            if op == 0:  # delete the word and its following space
                continue
            if op == 1:
                word = rng.choice(vocab)
            else:
                out.append(rng.choice(vocab) + " ")
        out.append(word + space)
    return "".join(out)


def edit_chars(text: str, rate: float, chars: str, rng: random.Random) -> str:
    out = []
    for c in text:
        if not c.isspace() and rng.random() < rate:
            op = rng.randrange(3)
            if op == 0:
                continue
            if op == 1:
                c = rng.choice(chars)
            else:
                out.append(rng.choice(chars))
        out.append(c)
    return "".join(out)


def truncate(text: str, rng: random.Random) -> tuple[str, str]:
    keep = rng.uniform(0.6, 0.95)
    n = int(len(text) * keep)
    if rng.random() < 0.7:
        cut = text.rfind(" ", 0, n)
        return text[: cut if cut > 0 else n], f"head:{keep:.2f}"
    cut = text.find(" ", len(text) - n)
    return text[(cut + 1 if cut >= 0 else len(text) - n):], f"tail:{keep:.2f}"


def boilerplate(text: str, family: str, rng: random.Random) -> tuple[str, str]:
    heads, feet = {"en": (EN_HEADERS, EN_FOOTERS), "zh": (ZH_HEADERS, ZH_FOOTERS),
                   "code": (CODE_HEADERS, CODE_FOOTERS)}[family]
    fill = {"site": rng.choice(SITES), "year": rng.randint(2009, 2024),
            "date": f"{rng.randint(2009, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"}
    where = rng.choice(["prefix", "suffix", "both"])
    if where in ("prefix", "both"):
        text = rng.choice(heads).format(**fill) + text
    if where in ("suffix", "both"):
        text = text + rng.choice(feet).format(**fill)
    return text, where


def near_copy(text: str, family: str, vocab: list[str], zh_chars: str, rng: random.Random) -> tuple[str, str]:
    ops = rng.choices([["words"], ["truncate"], ["boilerplate"], ["words", "boilerplate"], ["truncate", "words"]],
                      weights=[50, 20, 15, 10, 5])[0]
    done = []
    for op in ops:
        if op == "words":
            rate = rng.uniform(0.01, 0.06)
            text = edit_chars(text, rate, zh_chars, rng) if family == "zh" else edit_words(text, rate, vocab, rng)
            done.append(f"{'chars' if family == 'zh' else 'words'}:{rate:.3f}")
        elif op == "truncate":
            text, how = truncate(text, rng)
            done.append(how)
        else:
            text, how = boilerplate(text, family, rng)
            done.append(how)
    return text, "+".join(done)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--out", type=Path, default=ROOT / "Benchmarks" / "work" / "dedup")
    ap.add_argument("--docs", type=int, default=1_000_000)
    ap.add_argument("--shards", type=int, default=8)
    ap.add_argument("--slice-mb", type=float, default=30.0)
    ap.add_argument("--seed", type=int, default=6)
    ap.add_argument("--near", type=float, default=0.125)
    ap.add_argument("--exact", type=float, default=0.05)
    ap.add_argument("--check", type=int, default=0, help="screen the first N documents after building")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    t0 = time.time()

    # 1. chunks of real documents, screened for exact and near duplicates; unit pools for mosaics
    families = {"en": ENGLISH, "code": CODE, "zh": CHINESE}
    chunks: list[tuple[str, str, str]] = []  # (family, source file, text)
    pools: dict[str, dict[str, None]] = {f: {} for f in families}
    screen, kept_sh, seen = Screen(), [], set()
    dropped = Counter()
    for family, names in families.items():
        for name, text in read_texts(args.data, names):
            units = {"en": sentences_en, "code": code_blocks, "zh": sentences_zh}[family](text)
            pools[family].update(dict.fromkeys(units))
            for piece in chunk(text, rng):
                digest = xxhash.xxh64_intdigest(piece.encode())
                if digest in seen:
                    dropped["exact"] += 1
                    continue
                seen.add(digest)
                sh = shingle_hashes(piece)
                if any(jaccard(sh, kept_sh[c]) >= 0.5 for c in screen.candidates(len(kept_sh), sh)):
                    dropped["near"] += 1
                    kept_sh.append(np.zeros(0, dtype=np.uint64))  # keeps indices aligned; never matches
                    continue
                kept_sh.append(sh)
                chunks.append((family, name, piece))
    del kept_sh, screen
    pool_lists = {f: list(p) for f, p in pools.items()}
    vocab = list(dict.fromkeys(w for s in pool_lists["en"][:200000] for w in s.split() if w.isalpha()))
    zh_chars = "".join(dict.fromkeys(c for s in pool_lists["zh"] for c in s if CJK.match(c)))
    print(f"chunks: {len(chunks)} (dropped {dict(dropped)}); pools: "
          f"{ {f: len(p) for f, p in pool_lists.items()} }; vocab {len(vocab)}, zh chars {len(zh_chars)} "
          f"[{time.time() - t0:.0f} s]", file=sys.stderr)

    # 2. the stream: originals (chunks in random order, interleaved with mosaics) and copies of earlier documents
    rng.shuffle(chunks)
    n_copies = round(args.docs * (args.near + args.exact))
    n_originals = args.docs - n_copies
    assert n_originals >= len(chunks), "more chunks than originals: raise --docs"
    mosaic_family = {"en": 0.70, "code": 0.15, "zh": 0.15}
    joiner = {"en": " ", "code": "\n", "zh": ""}
    # exactly n_copies copy slots, none among the first 100 documents
    is_copy = bytearray(args.docs)
    for k in rng.sample(range(100, args.docs), n_copies):
        is_copy[k] = 1
    originals_left, chunks_left = n_originals, list(reversed(chunks))
    texts: list[str] = []
    family_of: list[str] = []
    root_of: list[int] = []
    source_of: list[str] = []
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "jsonl").mkdir(exist_ok=True)
    (args.out / "slice30").mkdir(exist_ok=True)
    per_shard = math.ceil(args.docs / args.shards)
    shard_files = [open(args.out / "jsonl" / f"part-{k:05d}.jsonl", "w", encoding="utf-8") for k in range(args.shards)]
    slice_file = open(args.out / "slice30" / "slice.jsonl", "w", encoding="utf-8")
    slice_bytes, slice_docs, slice_open = 0, 0, True
    kinds, text_bytes, jsonl_bytes = Counter(), 0, 0
    for i in range(args.docs):
        if is_copy[i]:
            src = rng.randrange(i)
            family, root = family_of[src], root_of[src]
            if rng.random() < args.exact / (args.near + args.exact):
                text, kind, edit = texts[src], "exact", None
            else:
                text, edit = near_copy(texts[src], family, vocab, zh_chars, rng)
                kind = "near"
            rec = {"kind": kind, "source": source_of[root], "dup_of": f"dd-{root:07d}", "copy_of": f"dd-{src:07d}", "edit": edit}
        else:
            originals_left -= 1
            root = i
            if chunks_left and rng.random() < len(chunks_left) / (originals_left + 1):
                family, name, text = chunks_left.pop()
                rec = {"kind": "chunk", "source": name}
            else:
                family = rng.choices(list(mosaic_family), weights=list(mosaic_family.values()))[0]
                target = min(MAX_LEN, max(MIN_LEN, int(rng.lognormvariate(math.log(900), 0.6))))
                units, length = [], -len(joiner[family])
                while length < target or len(units) < 4:
                    u = rng.choice(pool_lists[family])
                    units.append(u)
                    length += len(u) + len(joiner[family])
                text = joiner[family].join(units)
                if len(text) > MAX_LEN:
                    text = text[:MAX_LEN]
                rec = {"kind": "mosaic", "source": f"mosaic:{family}"}
            rec |= {"dup_of": None, "copy_of": None, "edit": None}
        texts.append(text)
        family_of.append(family)
        root_of.append(root)
        source_of.append(rec["source"])
        line = json.dumps({"id": f"dd-{i:07d}", "text": text} | rec, ensure_ascii=False) + "\n"
        shard_files[i // per_shard].write(line)
        nb = len(text.encode("utf-8"))
        if slice_open:
            if slice_bytes + nb > args.slice_mb * 1e6:
                slice_open = False
                slice_file.close()
            else:
                slice_file.write(line)
                slice_bytes += nb
                slice_docs += 1
        kinds[rec["kind"]] += 1
        text_bytes += nb
        jsonl_bytes += len(line.encode("utf-8"))
    for f in shard_files:
        f.close()
    if slice_open:
        slice_file.close()
    assert originals_left == 0 and not chunks_left

    stats = {
        "docs": args.docs, "seed": args.seed, "kinds": dict(kinds), "text_bytes": text_bytes, "jsonl_bytes": jsonl_bytes,
        "shards": args.shards, "slice": {"docs": slice_docs, "text_bytes": slice_bytes},
        "chunks_dropped": dict(dropped), "pools": {f: len(p) for f, p in pool_lists.items()},
    }
    (args.out / "corpus.json").write_text(json.dumps(stats, indent=1) + "\n")
    print(json.dumps(stats), file=sys.stderr)
    for p in sorted((args.out / "jsonl").glob("*.jsonl")) + [args.out / "slice30" / "slice.jsonl"]:
        print(f"{p.relative_to(args.out)}  {p.stat().st_size / 1e6:.1f} MB", file=sys.stderr)
    print(f"built in {time.time() - t0:.0f} s", file=sys.stderr)

    if args.check:
        check(texts[: args.check], root_of[: args.check])
    return 0


def check(texts: list[str], roots: list[int]) -> None:
    """Jaccard of every copy with its original (by band), and unlabelled pairs with Jaccard ≥ 0.5."""
    screen = Screen()
    shs = []
    bands = Counter()
    unlabelled = 0
    for i, text in enumerate(texts):
        sh = shingle_hashes(text)
        shs.append(sh)
        if roots[i] != i:
            j = jaccard(sh, shs[roots[i]])
            bands[">=0.8" if j >= 0.8 else "0.6-0.8" if j >= 0.6 else "0.4-0.6" if j >= 0.4 else "<0.4"] += 1
        for c in screen.candidates(i, sh):
            if roots[c] != roots[i] and jaccard(sh, shs[c]) >= 0.5:
                unlabelled += 1
    print(json.dumps({"checked_docs": len(texts), "copy_jaccard_vs_original": dict(bands),
                      "unlabelled_pairs_jaccard_ge_0.5": unlabelled}), file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())

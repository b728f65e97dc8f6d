#!/usr/bin/env python3
"""Build a Hugging Face `tokenizer.json` for SmolLM2-135M from the vocabulary and merges in its GGUF.

Same construction as /work/shared/bench/build_tokenizers.py (the benchmark tokenizer):
  model         = BPE(vocab = tokenizer.ggml.tokens, merges = tokenizer.ggml.merges,
                      fuse_unk=False, byte_fallback=False)           (no unk token, no dropout)
  normalizer    = none
  pre_tokenizer = Sequence[Digits(individual_digits=True),
                           ByteLevel(add_prefix_space=False, use_regex=True)]
                  (what SmolLM2's hub tokenizer.json uses; llama.cpp calls it pre="smollm")
  decoder       = ByteLevel
  post_processor= none
  added tokens  = every token whose tokenizer.ggml.token_type is 3 (control), special=True,
                  normalized=False
Usage: build_smollm2_tokenizer.py GGUF OUT.json
Prints a one-line summary and checks a round trip. Run with the venv from setup_tokenizer_venv.sh.
"""
import sys

from gguf import GGUFReader
from tokenizers import AddedToken, Tokenizer, decoders, models, pre_tokenizers


def field_strings(reader, key):
    f = reader.fields[key]
    return [bytes(f.parts[i]).decode("utf-8") for i in f.data]


def build(gguf_path):
    r = GGUFReader(gguf_path)
    model = r.fields["tokenizer.ggml.model"].contents()
    pre = r.fields["tokenizer.ggml.pre"].contents()
    if model != "gpt2" or pre != "smollm":
        raise SystemExit(f"unexpected GGUF tokenizer: model={model!r} pre={pre!r} (want gpt2/smollm)")
    tokens = field_strings(r, "tokenizer.ggml.tokens")
    merges = field_strings(r, "tokenizer.ggml.merges")
    tt = r.fields["tokenizer.ggml.token_type"]
    ttype = [int(tt.parts[i][0]) for i in tt.data]
    vocab = {t: i for i, t in enumerate(tokens)}
    if len(vocab) != len(tokens):
        raise SystemExit("duplicate token strings in tokenizer.ggml.tokens")
    merge_pairs = [tuple(m.split(" ", 1)) for m in merges]
    tok = Tokenizer(models.BPE(vocab=vocab, merges=merge_pairs, fuse_unk=False, byte_fallback=False))
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Digits(individual_digits=True),
        pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True),
    ])
    tok.decoder = decoders.ByteLevel()
    specials = [AddedToken(t, special=True, normalized=False) for t, ty in zip(tokens, ttype) if ty == 3]
    tok.add_special_tokens(specials)
    return tok, len(vocab), len(merge_pairs), [str(s.content) for s in specials]


def main():
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    gguf_path, out = sys.argv[1], sys.argv[2]
    tok, nv, nm, specials = build(gguf_path)
    tok.save(out)  # pretty=True by default; deterministic (vocab in id order)
    back = Tokenizer.from_file(out)
    s = "Hello world! The year 2024 was 很好的一年。  def f(x): return x**2"
    enc = back.encode(s, add_special_tokens=False)
    assert back.decode(enc.ids) == s, back.decode(enc.ids)
    print(f"vocab={nv} merges={nm} specials={len(specials)} ({' '.join(specials)}) -> {out}")


if __name__ == "__main__":
    main()

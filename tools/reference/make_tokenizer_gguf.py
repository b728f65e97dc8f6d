#!/usr/bin/env python3
"""Copy a GGUF model's tokenizer metadata into a small GGUF with no tensors (a test fixture).

  make_tokenizer_gguf.py MODEL.gguf OUT.gguf [--drop-tokenizer]

Keeps general.architecture and every tokenizer.ggml.* key (tokens, token_type, merges, model, pre, special
ids), so `syllabus tokenize --tokenizer OUT.gguf` must give the same ids as the full model file. With
--drop-tokenizer it writes a GGUF with no tokenizer keys at all (the "GGUF without tokenizer metadata"
bad-input case). Needs the `gguf` package (tools/reference/setup_tokenizer_venv.sh installs it).
"""
import argparse

from gguf import GGUFReader, GGUFValueType, GGUFWriter


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model")
    ap.add_argument("out")
    ap.add_argument("--drop-tokenizer", action="store_true")
    a = ap.parse_args()
    r = GGUFReader(a.model)
    arch = bytes(r.fields["general.architecture"].parts[-1]).decode()
    w = GGUFWriter(a.out, arch)
    for key, field in r.fields.items():
        if not key.startswith("tokenizer.ggml.") or a.drop_tokenizer:
            continue
        types = field.types
        if types[0] == GGUFValueType.ARRAY:
            if types[1] == GGUFValueType.STRING:
                values = [bytes(field.parts[i]).decode("utf-8") for i in field.data]
            else:
                values = [int(field.parts[i][0]) for i in field.data]
            w.add_array(key, values)
        elif types[0] == GGUFValueType.STRING:
            w.add_string(key, bytes(field.parts[field.data[0]]).decode("utf-8"))
        elif types[0] == GGUFValueType.BOOL:
            w.add_bool(key, bool(field.parts[field.data[0]][0]))
        else:
            w.add_uint32(key, int(field.parts[field.data[0]][0]))
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()


if __name__ == "__main__":
    main()

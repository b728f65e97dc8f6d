#!/usr/bin/env python3
"""Reader (and tiny writer) for Megatron-LM indexed datasets: PREFIX.idx + PREFIX.bin ("MMIDIDX").

Written from the format description in shared/FORMATS.md §1 (not from Megatron's code); standard library
only (no numpy/torch), little-endian hosts. Layout of the .idx (S sequences, D document indices):
  0  magic b"MMIDIDX\\0\\0" | 9 u64 version (=1) | 17 u8 dtype code | 18 u64 S | 26 u64 D
  34 i32[S] sequence lengths | 34+4S i64[S] sequence pointers (byte offsets into .bin)
  34+12S i64[D] document indices | 34+12S+8D i8[S] sequence modes (only multimodal datasets)
dtype codes: 1 uint8, 2 int8, 3 int16, 4 int32, 5 int64, 6 float64, 7 float32, 8 uint16.
The .bin is the concatenated token ids (no header).

Checks (errors unless noted): magic, version == 1, dtype code, the .idx is long enough for S and D,
D >= 1, lengths >= 0, pointer[0] == 0 and pointer[i+1] == pointer[i] + length[i]*itemsize,
document_indices[0] == 0, non-decreasing, last == S, every sequence inside the .bin,
.bin size == sum(lengths)*itemsize (larger: warning, Megatron ignores the tail), trailing .idx bytes (warning).

Usage:
  megatron_reader.py PREFIX --summary                 header, counts, checks, token stats
  megatron_reader.py PREFIX --dump-jsonl OUT.jsonl    one line per document:
        {"doc": k, "lengths": [per-sequence lengths], "ids": [all ids of the document's sequences]}
  megatron_reader.py PREFIX --dump-jsonl OUT --by-sequence   one line per sequence: {"seq": i, "ids": [...]}
  megatron_reader.py --self-test                     writer + reader checked against FORMATS.md §1.5 bytes
Options: --multimodal (read the sequence-modes array; nothing in the file says it is there).
Exit status: 0 valid, 1 invalid (messages on stderr), 2 usage.
"""
import argparse
import array
import json
import os
import struct
import sys
import tempfile

MAGIC = b"MMIDIDX\x00\x00"
HEADER_SIZE = 34
# code -> (name, array typecode, itemsize)
DTYPES = {
    1: ("uint8", "B", 1),
    2: ("int8", "b", 1),
    3: ("int16", "h", 2),
    4: ("int32", "i", 4),
    5: ("int64", "q", 8),
    6: ("float64", "d", 8),
    7: ("float32", "f", 4),
    8: ("uint16", "H", 2),
}
CODE_BY_NAME = {v[0]: k for k, v in DTYPES.items()}


class FormatError(Exception):
    pass


def _typed(buf, typecode, itemsize, count, offset):
    a = array.array(typecode)
    if a.itemsize != itemsize:  # e.g. a platform where 'i' is not 4 bytes
        raise RuntimeError(f"array typecode {typecode!r} has itemsize {a.itemsize}, want {itemsize}")
    a.frombytes(buf[offset:offset + itemsize * count])
    if sys.byteorder != "little":
        a.byteswap()
    return a


class IndexedDataset:
    def __init__(self, prefix, multimodal=False):
        self.prefix = prefix
        self.warnings = []
        with open(prefix + ".idx", "rb") as f:
            idx = f.read()
        self.idx_size = len(idx)
        if len(idx) < HEADER_SIZE:
            raise FormatError(f".idx is {len(idx)} bytes, shorter than the {HEADER_SIZE}-byte header")
        if idx[:9] != MAGIC:
            raise FormatError(f"bad magic {idx[:9]!r}, want {MAGIC!r}")
        (self.version,) = struct.unpack_from("<Q", idx, 9)
        if self.version != 1:
            raise FormatError(f"version {self.version}, want 1")
        self.dtype_code = idx[17]
        if self.dtype_code not in DTYPES:
            raise FormatError(f"unknown dtype code {self.dtype_code} (valid: 1..8)")
        self.dtype, self.typecode, self.itemsize = DTYPES[self.dtype_code]
        self.S, self.D = struct.unpack_from("<QQ", idx, 18)
        need = HEADER_SIZE + 12 * self.S + 8 * self.D + (self.S if multimodal else 0)
        if len(idx) < need:
            raise FormatError(f".idx is {len(idx)} bytes but S={self.S}, D={self.D}"
                              f"{' (multimodal)' if multimodal else ''} need {need}")
        if len(idx) > need:
            self.warnings.append(f".idx has {len(idx) - need} trailing bytes after the arrays (ignored)")
        if self.D < 1:
            raise FormatError("document_count D is 0; document_indices must at least hold [0]")
        o = HEADER_SIZE
        self.lengths = _typed(idx, "i", 4, self.S, o)
        o += 4 * self.S
        self.pointers = _typed(idx, "q", 8, self.S, o)
        o += 8 * self.S
        self.doc_index = _typed(idx, "q", 8, self.D, o)
        o += 8 * self.D
        self.modes = _typed(idx, "b", 1, self.S, o) if multimodal else None

        self.bin_size = os.path.getsize(prefix + ".bin")
        self._check()
        self._bin = None

    def _check(self):
        ptr = 0
        for i, (n, p) in enumerate(zip(self.lengths, self.pointers)):
            if n < 0:
                raise FormatError(f"sequence {i}: negative length {n}")
            if p != ptr:
                raise FormatError(f"sequence {i}: pointer {p}, want {ptr} (previous pointer + length*itemsize)")
            ptr += n * self.itemsize
        self.total_tokens = ptr // self.itemsize
        di = self.doc_index
        if di[0] != 0:
            raise FormatError(f"document_indices[0] = {di[0]}, want 0")
        for k in range(1, len(di)):
            if di[k] < di[k - 1]:
                raise FormatError(f"document_indices decrease at {k}: {di[k - 1]} -> {di[k]}")
        if di[-1] != self.S:
            raise FormatError(f"document_indices[-1] = {di[-1]}, want S = {self.S}")
        if self.bin_size < ptr:
            raise FormatError(f".bin is {self.bin_size} bytes, the sequences need {ptr}")
        if self.bin_size > ptr:
            self.warnings.append(f".bin has {self.bin_size - ptr} bytes beyond the last sequence (ignored)")

    @property
    def num_documents(self):
        return self.D - 1

    def _read_bin(self):
        if self._bin is None:
            with open(self.prefix + ".bin", "rb") as f:
                self._bin = f.read()
        return self._bin

    def sequence(self, i):
        return _typed(self._read_bin(), self.typecode, self.itemsize, self.lengths[i], self.pointers[i])

    def document(self, k):
        """(per-sequence lengths, concatenated ids) of document k."""
        a, b = self.doc_index[k], self.doc_index[k + 1]
        ids = array.array(self.typecode)
        for i in range(a, b):
            ids.extend(self.sequence(i))
        return list(self.lengths[a:b]), ids

    def summary(self):
        lens = self.lengths
        docs_seq = [self.doc_index[k + 1] - self.doc_index[k] for k in range(self.num_documents)]
        return {
            "prefix": self.prefix,
            "idx_bytes": self.idx_size,
            "bin_bytes": self.bin_size,
            "version": self.version,
            "dtype_code": self.dtype_code,
            "dtype": self.dtype,
            "sequence_count": self.S,
            "document_count_field": self.D,
            "documents": self.num_documents,
            "empty_documents": sum(1 for n in docs_seq if n == 0),
            "tokens": self.total_tokens,
            "min_sequence_length": min(lens) if self.S else None,
            "max_sequence_length": max(lens) if self.S else None,
            "multimodal": self.modes is not None,
            "warnings": self.warnings,
        }


def _num(x):
    return x if isinstance(x, int) else float(x)


def dump_jsonl(ds, out, by_sequence=False):
    n = 0
    with open(out, "w", encoding="utf-8") as f:
        if by_sequence:
            for i in range(ds.S):
                rec = {"seq": i, "ids": [_num(x) for x in ds.sequence(i)]}
                if ds.modes is not None:
                    rec["mode"] = ds.modes[i]
                f.write(json.dumps(rec, separators=(",", ":")) + "\n")
                n += 1
        else:
            for k in range(ds.num_documents):
                lengths, ids = ds.document(k)
                f.write(json.dumps({"doc": k, "lengths": lengths, "ids": [_num(x) for x in ids]},
                                   separators=(",", ":")) + "\n")
                n += 1
    return n


# ---------------------------------------------------------------------------------------------------
# Tiny writer (FORMATS.md §1.2/§1.3 writer logic), used by the self-test and handy for making fixtures.

def write_dataset(prefix, documents, dtype="int32"):
    """documents: list of documents, each a list of sequences (lists of numbers). Returns (idx, bin) bytes."""
    code = CODE_BY_NAME[dtype]
    _, tc, size = DTYPES[code]
    lengths, pointers, doc_index, data = [], [], [0], array.array(tc)
    ptr = 0
    for doc in documents:
        for seq in doc:
            pointers.append(ptr)
            lengths.append(len(seq))
            data.extend(seq)
            ptr += len(seq) * size
        doc_index.append(len(lengths))
    if sys.byteorder != "little":
        data.byteswap()
    idx = (MAGIC + struct.pack("<Q", 1) + struct.pack("<B", code)
           + struct.pack("<QQ", len(lengths), len(doc_index))
           + struct.pack(f"<{len(lengths)}i", *lengths)
           + struct.pack(f"<{len(pointers)}q", *pointers)
           + struct.pack(f"<{len(doc_index)}q", *doc_index))
    binb = data.tobytes()
    if prefix is not None:
        with open(prefix + ".idx", "wb") as f:
            f.write(idx)
        with open(prefix + ".bin", "wb") as f:
            f.write(binb)
    return idx, binb


# FORMATS.md §1.5, transcribed row by row (offsets 0x00, 0x12, 0x22, 0x2e, 0x46).
WORKED_IDX_HEX = (
    "4d4d494449445800 00" "0100000000000000" "08"
    "0300000000000000" "0300000000000000"
    "03000000" "02000000" "01000000"
    "0000000000000000" "0600000000000000" "0a00000000000000"
    "0000000000000000" "0100000000000000" "0300000000000000"
).replace(" ", "")
WORKED_BIN_HEX = "0a000b000c00140015001600"
WORKED_DOCS = [[[10, 11, 12]], [[20, 21], [22]]]


def self_test(verbose=True):
    expected_idx = bytes.fromhex(WORKED_IDX_HEX)
    expected_bin = bytes.fromhex(WORKED_BIN_HEX)
    assert len(expected_idx) == 94, len(expected_idx)
    results = []

    def ok(name, cond):
        results.append((name, bool(cond)))
        if verbose:
            print(f"{'ok  ' if cond else 'FAIL'} {name}")

    with tempfile.TemporaryDirectory() as d:
        p = os.path.join(d, "worked")
        idx, binb = write_dataset(p, WORKED_DOCS, "uint16")
        ok("writer .idx == FORMATS.md §1.5 bytes (94)", idx == expected_idx)
        ok("writer .bin == FORMATS.md §1.5 bytes (12)", binb == expected_bin)
        ds = IndexedDataset(p)
        s = ds.summary()
        ok("header: version 1, dtype uint16, S=3, D=3, 2 documents",
           (s["version"], s["dtype"], s["sequence_count"], s["document_count_field"], s["documents"])
           == (1, "uint16", 3, 3, 2))
        ok("sequences [10,11,12] [20,21] [22]",
           [list(ds.sequence(i)) for i in range(3)] == [[10, 11, 12], [20, 21], [22]])
        ok("documents A=[10,11,12] B=[20,21,22] lengths [3] [2,1]",
           [ds.document(0), ds.document(1)] == [([3], array.array("H", [10, 11, 12])),
                                               ([2, 1], array.array("H", [20, 21, 22]))])
        out = os.path.join(d, "out.jsonl")
        dump_jsonl(ds, out)
        with open(out) as f:
            ok("dump-jsonl", f.read() == '{"doc":0,"lengths":[3],"ids":[10,11,12]}\n'
                                        '{"doc":1,"lengths":[2,1],"ids":[20,21,22]}\n')

        # round trips in every dtype, with an empty document and an empty sequence
        docs = [[[1, 2, 3]], [], [[4], [], [5, 6]], [[7]]]
        for name in CODE_BY_NAME:
            q = os.path.join(d, "rt_" + name)
            write_dataset(q, docs, name)
            r = IndexedDataset(q)
            got = [list(r.document(k)[1]) for k in range(r.num_documents)]
            ok(f"round trip {name}", got == [[1, 2, 3], [], [4, 5, 6], [7]] and r.summary()["empty_documents"] == 1)

        # corruptions must be rejected
        def corrupt(name, mutate_idx=None, bin_bytes=None, want=""):
            q = os.path.join(d, "bad")
            b = bytearray(expected_idx)
            if mutate_idx:
                mutate_idx(b)
            with open(q + ".idx", "wb") as f:
                f.write(bytes(b))
            with open(q + ".bin", "wb") as f:
                f.write(expected_bin if bin_bytes is None else bin_bytes)
            try:
                IndexedDataset(q)
                ok(f"rejects {name}", False)
            except FormatError as e:
                ok(f"rejects {name} ({e})", want in str(e))

        corrupt("bad magic", lambda b: b.__setitem__(0, 0x4e), want="magic")
        corrupt("version 2", lambda b: b.__setitem__(9, 2), want="version")
        corrupt("dtype code 9", lambda b: b.__setitem__(17, 9), want="dtype")
        corrupt("dtype code 0", lambda b: b.__setitem__(17, 0), want="dtype")
        corrupt("S too large for the file", lambda b: b.__setitem__(18, 4), want="need")
        corrupt("pointer[1] off by 2", lambda b: b.__setitem__(0x2e + 8, 8), want="pointer")
        corrupt("pointer[0] not 0", lambda b: b.__setitem__(0x2e, 2), want="pointer")
        corrupt("negative length", lambda b: b.__setitem__(slice(0x22, 0x26), struct.pack("<i", -1)),
                want="negative")
        corrupt("document_indices[-1] != S", lambda b: b.__setitem__(0x46 + 16, 2), want="want S")
        corrupt("document_indices[0] != 0", lambda b: b.__setitem__(0x46, 1), want="[0]")
        corrupt("decreasing document_indices", lambda b: b.__setitem__(0x46 + 8, 4), want="decrease")
        corrupt("truncated .bin", bin_bytes=expected_bin[:-2], want=".bin")
        corrupt("truncated .idx", lambda b: b.__delitem__(slice(90, 94)), want="need")
        corrupt("short header", lambda b: b.__delitem__(slice(20, 94)), want="header")

        # trailing bytes are accepted with a warning (Megatron maps only what it needs)
        q = os.path.join(d, "trail")
        with open(q + ".idx", "wb") as f:
            f.write(expected_idx + b"\0\0\0")
        with open(q + ".bin", "wb") as f:
            f.write(expected_bin + b"\0\0")
        t = IndexedDataset(q)
        ok("trailing .idx/.bin bytes -> 2 warnings", len(t.warnings) == 2)

    failed = [n for n, c in results if not c]
    if verbose:
        print(f"self-test: {len(results) - len(failed)}/{len(results)} passed")
    return not failed


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("prefix", nargs="?", help="dataset path prefix (PREFIX.idx, PREFIX.bin)")
    ap.add_argument("--summary", action="store_true")
    ap.add_argument("--dump-jsonl", metavar="OUT")
    ap.add_argument("--by-sequence", action="store_true", help="with --dump-jsonl: one line per sequence")
    ap.add_argument("--multimodal", action="store_true")
    ap.add_argument("--self-test", action="store_true")
    a = ap.parse_args()
    if a.self_test:
        sys.exit(0 if self_test() else 1)
    if not a.prefix:
        ap.print_usage(sys.stderr)
        sys.exit(2)
    if a.prefix.endswith((".idx", ".bin")):
        a.prefix = a.prefix[:-4]
    try:
        ds = IndexedDataset(a.prefix, multimodal=a.multimodal)
    except (FormatError, OSError) as e:
        print(f"megatron_reader: {a.prefix}: {e}", file=sys.stderr)
        sys.exit(1)
    for w in ds.warnings:
        print(f"megatron_reader: warning: {w}", file=sys.stderr)
    if a.dump_jsonl:
        n = dump_jsonl(ds, a.dump_jsonl, a.by_sequence)
        print(f"megatron_reader: wrote {n} {'sequences' if a.by_sequence else 'documents'} to {a.dump_jsonl}",
              file=sys.stderr)
    if a.summary or not a.dump_jsonl:
        print(json.dumps(ds.summary(), indent=1))


if __name__ == "__main__":
    main()

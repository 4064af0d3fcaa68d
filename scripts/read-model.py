#!/usr/bin/env python3
"""Reads a wasmrec model file by the safetensors spec, with the Python standard library only.

An independent reader (it shares no code with wasmrec): test/io/model-file-python.test.ts runs
it to show that a wasmrec model opens as a plain safetensors file. It checks the layout as
safetensors' own reader does, verifies wasmrec's checksum and prints JSON:
{"metadata": {...}, "checksum_ok": true, "manifest": {...},
 "tensors": {name: {"dtype": "F32", "shape": [r, c], "values": [...]}}}

With the `safetensors` package the same file opens as
    from safetensors.numpy import load_file; tensors = load_file("model.wasmrec")
and the manifest as json.loads(safe_open("model.wasmrec", "np").metadata()["manifest"]).

Usage: python3 scripts/read-model.py model.wasmrec
"""
import array
import json
import struct
import sys
import zlib

TYPECODES = {"F64": "d", "F32": "f", "I32": "i", "U8": "B"}
SIZES = {"F64": 8, "F32": 4, "I32": 4, "U8": 1}


def read(path):
    with open(path, "rb") as f:
        b = f.read()
    (n,) = struct.unpack("<Q", b[:8])
    if 8 + n > len(b) or n > 100_000_000:
        raise ValueError("header size beyond the file or too large")
    text = b[8 : 8 + n].decode("utf-8")
    if not text.startswith("{"):
        raise ValueError("the header must be a JSON object")
    header = json.loads(text)
    data = b[8 + n :]
    meta = header.pop("__metadata__", {})
    if not all(isinstance(v, str) for v in meta.values()):
        raise ValueError("__metadata__ values must be strings")
    at = 0
    for name, t in sorted(header.items(), key=lambda kv: tuple(kv[1]["data_offsets"])):
        begin, end = t["data_offsets"]
        count = 1
        for d in t["shape"]:
            count *= d
        if begin != at or end - begin != count * SIZES[t["dtype"]]:
            raise ValueError(f"tensor {name}: offsets not contiguous or size not shape x dtype")
        at = end
    if at != len(data):
        raise ValueError("the tensors do not cover the data buffer")
    tensors = {}
    for name, t in header.items():
        begin, end = t["data_offsets"]
        values = array.array(TYPECODES[t["dtype"]])
        assert values.itemsize == SIZES[t["dtype"]]
        values.frombytes(data[begin:end])
        if sys.byteorder == "big":
            values.byteswap()
        # NaN is not JSON: wasmrec's mean tables use it for "no mean"; it is printed as null.
        tensors[name] = {"dtype": t["dtype"], "shape": t["shape"], "values": [None if v != v else v for v in values.tolist()]}
    manifest = meta.get("manifest", "null")
    checksum = "crc32:%08x" % zlib.crc32(data, zlib.crc32(manifest.encode("utf-8")))
    return {
        "metadata": {k: v for k, v in meta.items() if k != "manifest"},
        "checksum_ok": meta.get("checksum") == checksum,
        "manifest": json.loads(manifest),
        "tensors": tensors,
    }


if __name__ == "__main__":
    print(json.dumps(read(sys.argv[1])))

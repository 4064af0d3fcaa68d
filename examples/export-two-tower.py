#!/usr/bin/env python3
"""Writes a two-tower's tower outputs as the safetensors file `wasmrec import two-tower` reads.

The convention (docs/model-file.md, "Importing tower outputs"): tensors `user_vectors` [U, K]
and `item_vectors` [I, K], optionally `user_bias` [U] and `item_bias` [I] (float32 or float64),
and in the metadata `user_ids` and `item_ids` (JSON lists of strings, in row order) and
optionally `global_mean`. wasmrec then scores global_mean + b_u + b_i + u . v, as a dot head.

With PyTorch (or Keras: model.user_tower(x).numpy()) and the `safetensors` package:

    import json, torch
    from safetensors.torch import save_file
    with torch.no_grad():
        u = model.user_tower(user_inputs).float().contiguous()   # (U, K), row r = user_ids[r]
        v = model.item_tower(item_inputs).float().contiguous()   # (I, K)
    save_file({"user_vectors": u, "item_vectors": v}, "towers.safetensors",
              metadata={"user_ids": json.dumps(user_ids), "item_ids": json.dumps(item_ids)})

Without any package, `write_tower_vectors` below writes the same bytes with the standard
library. `--demo DIR` writes DIR/towers.safetensors from a seeded generator and
DIR/expected.json with scores computed here, which wasmrec's tests compare against.

Usage: python3 examples/export-two-tower.py --demo OUT_DIR
"""
import json
import os
import struct
import sys


def write_tower_vectors(path, user_ids, user_vectors, item_ids, item_vectors, user_bias=None, item_bias=None, global_mean=None):
    """Writes lists of float rows (and optional bias lists) as float32 safetensors."""
    tensors = [("user_vectors", user_vectors), ("item_vectors", item_vectors)]
    if user_bias is not None:
        tensors.append(("user_bias", user_bias))
    if item_bias is not None:
        tensors.append(("item_bias", item_bias))
    metadata = {"user_ids": json.dumps(user_ids), "item_ids": json.dumps(item_ids)}
    if global_mean is not None:
        metadata["global_mean"] = repr(float(global_mean))
    header, blobs, offset = {"__metadata__": metadata}, [], 0
    for name, value in tensors:
        rows = value if value and isinstance(value[0], list) else None
        flat = [x for row in rows for x in row] if rows is not None else list(value)
        shape = [len(rows), len(rows[0])] if rows is not None else [len(flat)]
        blob = struct.pack("<%df" % len(flat), *flat)
        header[name] = {"dtype": "F32", "shape": shape, "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    text = json.dumps(header).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)


def f32(x):
    return struct.unpack("<f", struct.pack("<f", x))[0]


def demo(out_dir):
    state = [12345]

    def uniform():
        state[0] = (1103515245 * state[0] + 12345) % 2**31
        return state[0] / 2**31 - 0.5

    k, n_users, n_items = 8, 40, 25
    user_ids = ["u%d" % r for r in range(n_users)]
    item_ids = ["item-%d" % (r * 3) for r in range(n_items)]
    users = [[f32(uniform()) for _ in range(k)] for _ in range(n_users)]
    items = [[f32(uniform()) for _ in range(k)] for _ in range(n_items)]
    user_bias = [f32(uniform() / 5) for _ in range(n_users)]
    item_bias = [f32(uniform() / 5) for _ in range(n_items)]
    mu = 0.25
    os.makedirs(out_dir, exist_ok=True)
    write_tower_vectors(os.path.join(out_dir, "towers.safetensors"), user_ids, users, item_ids, items, user_bias, item_bias, mu)
    pairs = [(u, i) for u in range(0, n_users, 7) for i in range(0, n_items, 4)]
    expected = [[user_ids[u], item_ids[i], mu + user_bias[u] + item_bias[i] + sum(a * b for a, b in zip(users[u], items[i]))] for u, i in pairs]
    with open(os.path.join(out_dir, "expected.json"), "w") as f:
        json.dump({"pairs": expected, "users": n_users, "items": n_items, "dim": k}, f)


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] != "--demo":
        sys.exit(__doc__)
    demo(sys.argv[2])

#!/usr/bin/env python3
"""Writes a two-tower's WEIGHTS as the safetensors file `wasmrec import two-tower-weights` reads.

The convention (docs/model-file.md, "Importing two-tower weights"), per side S = user | item:
  S.id_embedding                [N+1, d]  row r = S_ids[r], row N = unknown ids ([N, d]: unknown = 0)
  S.feature.<name>.embedding    [V+1, w]  categorical / multi features, row 0 = unknown or missing value
  S.dense.<k>.weight            [out, in] k = 0, 1, ...: nn.Linear's layout (Keras: kernel.T)
  S.dense.<k>.bias              [out]     optional (default 0)
  S.bias                        [N+1]     optional per-id bias (or [N])
and in the metadata (JSON strings): S_ids (list), S_features (list of {"name", "type":
"categorical"|"multi", "vocab": {value: row}} or {"name", "type": "numeric", "mean", "std"}),
S_table ({feature: [value per id]}), activation (relu|sigmoid|tanh|linear, the hidden layers';
the last layer is linear), global_mean, loss (mse = ratings, the default; bce, bpr or softmax =
an implicit model's logits). The first layer's input is the concatenation
[id embedding, then each feature in S_features order: its embedding row (multi: the mean of
its values' distinct rows), or (x - mean) / std for a numeric one (0 when missing)]; the
score is global_mean + user.bias + item.bias + user_tower . item_tower.

With PyTorch and the `safetensors` package (a model whose towers are built that way):

    import json, torch
    from safetensors.torch import save_file
    t = {"user.id_embedding": model.user_id.weight,                # nn.Embedding(U + 1, d)
         "user.feature.gender.embedding": model.gender.weight,     # nn.Embedding(len(vocab) + 1, w)
         "user.dense.0.weight": model.user_mlp[0].weight,          # nn.Linear: [out, in] as is
         "user.dense.0.bias": model.user_mlp[0].bias, ...}         # (Keras: layer.kernel.numpy().T)
    save_file({k: v.detach().float().contiguous() for k, v in t.items()}, "weights.safetensors",
              metadata={"user_ids": json.dumps(user_ids), "activation": "relu",
                        "user_features": json.dumps([{"name": "gender", "type": "categorical",
                                                      "vocab": {"F": 1, "M": 2}}]),
                        "user_table": json.dumps({"gender": genders_in_user_id_order}), ...})

With Keras (TF Recommenders), through `safetensors.numpy`: embeddings as they are, Dense
kernels transposed ([in, out] -> [out, in]):

    from safetensors.numpy import save_file
    t = {"user.id_embedding": user_id_layer.embeddings.numpy(),
         "user.dense.0.weight": user_dense_0.kernel.numpy().T.copy(),
         "user.dense.0.bias": user_dense_0.bias.numpy(), ...}
    save_file({k: v.astype("float32") for k, v in t.items()}, "weights.safetensors", metadata=...)

Keras' StringLookup (defaults: num_oov_indices=1, no mask token) puts the out-of-vocabulary
value at row 0 as the convention does; its
vocabulary gives the rows: {value: row for row, value in enumerate(lookup.get_vocabulary()) if row > 0}.

Without any package, `write_safetensors` below writes the same bytes with the standard
library. `--demo DIR` writes DIR/weights.safetensors for a small seeded model and
DIR/expected.json with scores computed here by `score` (its own forward pass), which
wasmrec's tests compare against (test/io/fixtures/two-tower-weights/ holds this run).

`--score FILE` reads any file by the convention with the standard library and prints the
scores of the [user, item] pairs given as JSON on stdin (ids, or objects of raw features).

Usage: python3 examples/export-two-tower-weights.py --demo OUT_DIR
       python3 examples/export-two-tower-weights.py --score FILE < pairs.json
"""
import json
import math
import os
import struct
import sys


def write_safetensors(path, tensors, metadata):
    """tensors: {name: nested lists of floats (any depth)}; written as F32, metadata as strings."""
    header, blobs, offset = {"__metadata__": {k: str(v) for k, v in metadata.items()}}, [], 0
    for name, value in tensors.items():
        shape, flat = shape_of(value), value
        while flat and isinstance(flat[0], list):
            flat = [x for row in flat for x in row]
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


def shape_of(value):
    shape = []
    while isinstance(value, list):
        shape.append(len(value))
        value = value[0]
    return shape


def tower(side, ids, features, tensors, activation, entity):
    """One tower's output for `entity` ({"id": ..., feature: raw value}); ids not in `ids` use the unknown row."""
    ids_row = {x: r for r, x in enumerate(ids)}
    table = tensors.get(side + ".id_embedding")
    x = []
    if table is not None:
        r = ids_row.get(entity.get("id"), len(ids))
        x += table[r] if r < len(table) else [0.0] * len(table[0])
    for f in features:
        value = entity.get(f["name"])
        if f["type"] == "numeric":
            x.append(0.0 if value is None else (value - f.get("mean", 0.0)) / f.get("std", 1.0))
            continue
        emb = tensors["%s.feature.%s.embedding" % (side, f["name"])]
        if f["type"] == "categorical":
            x += emb[0 if value is None else f["vocab"].get(str(value), 0)]
        else:  # multi: the mean over the distinct rows of its values (unknown values → row 0)
            rows = sorted({f["vocab"].get(v, 0) for v in (value or [])}) or [0]
            x += [sum(emb[r][c] for r in rows) / len(rows) for c in range(len(emb[0]))]
    k = 0
    while "%s.dense.%d.weight" % (side, k) in tensors:
        w = tensors["%s.dense.%d.weight" % (side, k)]
        b = tensors.get("%s.dense.%d.bias" % (side, k), [0.0] * len(w))
        x = [sum(wi * xi for wi, xi in zip(row, x)) + bo for row, bo in zip(w, b)]
        last = "%s.dense.%d.weight" % (side, k + 1) not in tensors
        if not last:
            x = [act(v, activation) for v in x]
        k += 1
    return x


def act(v, name):
    if name == "relu":
        return max(v, 0.0)
    if name == "tanh":
        return math.tanh(v)
    if name == "sigmoid":
        return 1.0 / (1.0 + math.exp(-v))
    return v


def score(model, user, item):
    """global_mean + b_u + b_i + u . v, the dot head, for raw entities (see `tower`)."""
    t, m = model["tensors"], model["metadata"]
    u = tower("user", m["user_ids"], m["user_features"], t, m["activation"], user)
    v = tower("item", m["item_ids"], m["item_features"], t, m["activation"], item)

    def bias(side, entity):
        b = t.get(side + ".bias")
        r = {x: k for k, x in enumerate(m[side + "_ids"])}.get(entity.get("id"), len(m[side + "_ids"]))
        return b[r] if b is not None and r < len(b) else 0.0
    return m["global_mean"] + bias("user", user) + bias("item", item) + sum(a * b for a, b in zip(u, v))


def read_safetensors(path):
    """The file's F32/F64 tensors as nested lists and its metadata with JSON values parsed."""
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    metadata = header.pop("__metadata__", {})
    tensors = {}
    for name, t in header.items():
        begin, end = t["data_offsets"]
        code = {"F32": "f", "F64": "d"}[t["dtype"]]
        flat = list(struct.unpack("<%d%s" % ((end - begin) // struct.calcsize(code), code), data[8 + n + begin:8 + n + end]))
        for d in reversed(t["shape"][1:]):
            flat = [flat[k:k + d] for k in range(0, len(flat), d)]
        tensors[name] = flat
    parsed = {}
    for k, v in metadata.items():
        try:
            parsed[k] = json.loads(v)
        except ValueError:
            parsed[k] = v
    parsed.setdefault("activation", "relu")
    parsed.setdefault("global_mean", 0.0)
    for side in ("user", "item"):
        parsed.setdefault(side + "_features", [])
        parsed.setdefault(side + "_table", {})
    return {"tensors": tensors, "metadata": parsed}


def score_pairs(path, pairs):
    """Scores of [user, item] pairs, each an id (its row and table values) or a dict of raw features."""
    model = read_safetensors(path)
    m = model["metadata"]

    def entity(side, x):
        if isinstance(x, dict):
            return x
        ids = m[side + "_ids"]
        r = ids.index(x) if x in ids else None
        return dict({"id": x}, **({c: v[r] for c, v in m[side + "_table"].items()} if r is not None else {}))
    return [score(model, entity("user", u), entity("item", i)) for u, i in pairs]


def f32(x):
    return struct.unpack("<f", struct.pack("<f", x))[0]


def demo(out_dir):
    state = [2024]

    def uniform(scale=1.0):
        state[0] = (1103515245 * state[0] + 12345) % 2**31
        return f32((state[0] / 2**31 - 0.5) * scale)

    def matrix(rows, cols, scale):
        return [[uniform(scale) for _ in range(cols)] for _ in range(rows)]

    n_users, n_items = 30, 20
    user_ids = ["u%d" % r for r in range(n_users)]
    item_ids = ["item-%d" % (r * 7) for r in range(n_items)]
    occupations = {"nurse": 1, "artist": 2, "engineer": 3, "student": 4, "writer": 5}
    genres = {"Drama": 1, "Comedy": 2, "Action": 3, "Horror": 4, "Sci-Fi": 5, "Romance": 6}
    # Listed with the numeric feature first: wasmrec regroups the inputs, the file need not.
    user_features = [{"name": "age", "type": "numeric", "mean": 35.0, "std": 12.0},
                     {"name": "gender", "type": "categorical", "vocab": {"F": 1, "M": 2}},
                     {"name": "occupation", "type": "categorical", "vocab": occupations}]
    item_features = [{"name": "genres", "type": "multi", "vocab": genres},
                     {"name": "year", "type": "numeric", "mean": 1990.0, "std": 10.0}]
    occ, gen = list(occupations) + ["pilot", None], list(genres) + ["Western"]
    user_table = {"age": [None if r % 9 == 4 else 18 + (r * 7) % 50 for r in range(n_users)],
                  "gender": [None if r % 11 == 3 else "FM"[r % 2] for r in range(n_users)],
                  "occupation": [occ[(r * 3) % len(occ)] for r in range(n_users)]}
    item_table = {"genres": [[gen[(r + j * 3) % len(gen)] for j in range(r % 3)] for r in range(n_items)],
                  "year": [None if r % 8 == 5 else 1960 + (r * 13) % 60 for r in range(n_items)]}
    # The item tower's id embedding is narrower (3) than the user's (4): wasmrec pads it.
    tensors = {
        "user.id_embedding": matrix(n_users + 1, 4, 1.2),
        "user.feature.gender.embedding": matrix(3, 2, 1.2),
        "user.feature.occupation.embedding": matrix(6, 3, 1.2),
        "user.dense.0.weight": matrix(8, 4 + 1 + 2 + 3, 1.6),
        "user.dense.0.bias": [uniform(0.2) for _ in range(8)],
        "user.dense.1.weight": matrix(4, 8, 1.6),
        "user.dense.1.bias": [uniform(0.2) for _ in range(4)],
        "user.bias": [uniform(0.4) for _ in range(n_users)],
        "item.id_embedding": matrix(n_items + 1, 3, 1.2),
        "item.feature.genres.embedding": matrix(7, 3, 1.2),
        "item.dense.0.weight": matrix(8, 3 + 3 + 1, 1.6),
        "item.dense.0.bias": [uniform(0.2) for _ in range(8)],
        "item.dense.1.weight": matrix(4, 8, 1.6),
        "item.bias": [uniform(0.4) for _ in range(n_items + 1)],
    }
    metadata = {"user_ids": user_ids, "item_ids": item_ids, "user_features": user_features, "item_features": item_features,
                "user_table": user_table, "item_table": item_table, "activation": "relu", "global_mean": 3.5}
    os.makedirs(out_dir, exist_ok=True)
    write_safetensors(os.path.join(out_dir, "weights.safetensors"), tensors,
                      {k: v if isinstance(v, str) else json.dumps(v) for k, v in metadata.items()})
    model = {"tensors": tensors, "metadata": metadata}

    def entity(side, r):
        ids, table = (user_ids, user_table) if side == "user" else (item_ids, item_table)
        return dict({"id": ids[r]}, **{name: col[r] for name, col in table.items()})
    users = [entity("user", r) for r in range(n_users)]
    items = [entity("item", r) for r in range(n_items)]
    cold_users = [{"age": 27, "gender": "F", "occupation": "writer"}, {"age": 61, "occupation": "pilot"}, {}]
    cold_items = [{"genres": ["Horror", "Comedy"], "year": 2001}, {"genres": ["Western"]}, {}]
    expected = {
        "known": [[u["id"], i["id"], score(model, u, i)] for u in users[::4] for i in items[::3]],
        "cold_users": [{"features": c, "scores": [score(model, c, i) for i in items]} for c in cold_users],
        "cold_items": [{"features": c, "pairs": [[u["id"], score(model, u, c)] for u in users[::5]]} for c in cold_items],
        "cold_pairs": [[cu, ci, score(model, cu, ci)] for cu in cold_users for ci in cold_items],
        "unknown_id": score(model, {"id": "nobody"}, items[0]),
    }
    with open(os.path.join(out_dir, "expected.json"), "w") as f:
        json.dump(expected, f)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--demo":
        demo(sys.argv[2])
    elif len(sys.argv) == 3 and sys.argv[1] == "--score":
        json.dump(score_pairs(sys.argv[2], json.load(sys.stdin)), sys.stdout)
    else:
        sys.exit(__doc__)

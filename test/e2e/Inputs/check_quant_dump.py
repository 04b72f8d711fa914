#!/usr/bin/python3
"""Checks vai-translate --quant-dump files and the --quant-report table of
examples/fashion_mnist against independent references: the interpreter's
final output (--interpret-fixed) and a float64 NumPy run of model.pb
(make_model.run_graph_numpy, which reads the weights back from the .pb).

Usage: check_quant_dump.py DUMP_DIR REPORT FIXED_NPY MODEL_DIR
"""

import math
import os
import sys

import numpy as np

dump_dir, report_path, fixed_npy, model_dir = sys.argv[1:5]
sys.path.insert(0, model_dir)
import make_model  # noqa: E402

# Quantized node (its fused activation included) -> original graph node.
LAYERS = {"conv1/Conv2D": "relu1", "pool1": "pool1", "conv2/Conv2D": "relu2",
          "gap": "gap", "fc/MatMul": "logits"}

rows = {}
for line in open(report_path).read().splitlines()[1:]:
    parts = line.split()
    rows[parts[0]] = (parts[1], int(parts[2]), float(parts[3]), float(parts[4]),
                      line.endswith("<-- worst"))
assert set(LAYERS) <= set(rows), "report lacks layers: %s" % (set(LAYERS) - set(rows))

x = np.load(os.path.join(model_dir, "input.npy"))
nodes, _ = make_model.gd.parse_graphdef(
    open(os.path.join(model_dir, "model.pb"), "rb").read())
ref = make_model.run_graph_numpy(nodes, {"input": x.astype(np.float64)})

fails = 0
for node, orig in LAYERS.items():
    stem = os.path.join(dump_dir, node.replace("/", "_"))
    q8 = np.fromfile(stem + "_int8.bin", np.int8)
    qf = np.fromfile(stem + "_float.bin", "<f4")
    txt = np.loadtxt(stem + "_int8.txt", dtype=np.int64)
    _, fix, sqnr, max_err, _ = rows[node]
    # The float dump is the int8 dump scaled by 2^-fix, exactly.
    assert np.array_equal(qf, q8.astype(np.float32) * np.float32(2.0 ** -fix)), node
    assert np.array_equal(txt, q8), node
    f = ref[orig].reshape(-1)
    q = q8.astype(np.float64) * 2.0 ** -fix
    assert f.size == q.size, (node, f.size, q.size)
    want_sqnr = 10 * math.log10(np.sum(f * f) / np.sum((f - q) ** 2))
    want_err = np.max(np.abs(f - q))
    ok = abs(sqnr - want_sqnr) < 0.05 and abs(max_err - want_err) < 1e-3 * max(1, want_err)
    fails += not ok
    print("%-14s fix %d sqnr %.3f (numpy %.3f) max_err %.5f (numpy %.5f) %s"
          % (node, fix, sqnr, want_sqnr, max_err, want_err, "ok" if ok else "MISMATCH"))

worst = min(rows, key=lambda n: rows[n][2])
assert rows[worst][4] and sum(r[4] for r in rows.values()) == 1, "worst flag"

# The last layer's int8 dump is what --interpret-fixed returns.
_, fix, *_ = rows["fc/MatMul"]
out = np.load(fixed_npy)
last = np.fromfile(os.path.join(dump_dir, "fc_MatMul_int8.bin"), np.int8)
assert np.array_equal(out.reshape(-1), last.astype(np.float32) * np.float32(2.0 ** -fix))
print("last layer: %d int8 values equal the interpreter output" % last.size)
print("worst layer: %s" % worst)
sys.exit(1 if fails else 0)

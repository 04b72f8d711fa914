#!/usr/bin/python3
"""Train a small CNN on Fashion-MNIST with PyTorch and export it as a frozen
TF1 GraphDef (NHWC) using vai.graphdef -- no TensorFlow needed.

Usage:
  /usr/bin/python3 examples/fashion_mnist/make_model.py           # train + write
  /usr/bin/python3 examples/fashion_mnist/make_model.py --check   # verify files

Writes next to this script: model.pb, model.pbtxt, calib.npy, input.npy,
labels.npy, reference_logits.npy, arch.json.

--check decodes model.pb with our own minimal protobuf reader, checks node
names/ops/attrs, runs an independent NumPy implementation of the NHWC graph
(weights read back from model.pb) on input.npy and compares with
reference_logits.npy (PyTorch), and checks model.pbtxt against model.pb with
protoc if a GraphDef .proto is available (lib/Proto/tf_graph.proto).
"""

import argparse
import gzip
import json
import os
import subprocess
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(REPO, "python"))

from vai import graphdef as gd  # noqa: E402

DATA_DIR = "/usr/share/datasets/fashion-mnist"
SEED = 1234
EPOCHS = 12          # ~5 s each on 2 idle cores
BATCH = 128
LR = 2e-2             # peak of a one-cycle schedule (Adam)
BN_EPS = 1e-5
TARGET = "DPUCZDX8G_ISA1_B4096"


def load_idx(kind, split):
    name = {"images": "%s-images-idx3-ubyte.gz", "labels": "%s-labels-idx1-ubyte.gz"}
    with gzip.open(os.path.join(DATA_DIR, name[kind] % split), "rb") as f:
        data = f.read()
    if kind == "images":
        n, rows, cols = (int.from_bytes(data[i:i + 4], "big") for i in (4, 8, 12))
        return np.frombuffer(data, np.uint8, offset=16).reshape(n, rows, cols, 1)
    n = int.from_bytes(data[4:8], "big")
    return np.frombuffer(data, np.uint8, offset=8).astype(np.int64)[:n]


def to_float(images_u8):
    """NHWC uint8 -> NHWC float32 in [0, 1] (pixel / 255, no mean subtraction)."""
    return (images_u8.astype(np.float32) / np.float32(255.0)).astype(np.float32)


# ---------------------------------------------------------------------------
# PyTorch model and training
# ---------------------------------------------------------------------------

def build_torch_model():
    import torch.nn as nn
    return nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1, bias=False),   # conv1
        nn.BatchNorm2d(16, eps=BN_EPS),               # bn1
        nn.ReLU(),                                    # relu1
        nn.MaxPool2d(2),                              # pool1
        nn.Conv2d(16, 32, 3, padding=1, bias=True),   # conv2
        nn.ReLU6(),                                   # relu2
        nn.AdaptiveAvgPool2d(1),                      # gap
        nn.Flatten(),
        nn.Linear(32, 10),                            # fc
    )


def train():
    import torch
    torch.manual_seed(SEED)
    np.random.seed(SEED)
    torch.set_num_threads(2)
    torch.use_deterministic_algorithms(True)

    x_train_u8, y_train = load_idx("images", "train"), load_idx("labels", "train")
    x_test_u8, y_test = load_idx("images", "t10k"), load_idx("labels", "t10k")
    # Torch works in NCHW; the exported graph is NHWC.
    xt = torch.from_numpy(to_float(x_train_u8)).permute(0, 3, 1, 2).contiguous()
    yt = torch.from_numpy(y_train)
    xv = torch.from_numpy(to_float(x_test_u8)).permute(0, 3, 1, 2).contiguous()

    model = build_torch_model()
    opt = torch.optim.Adam(model.parameters(), lr=LR)
    sched = torch.optim.lr_scheduler.OneCycleLR(
        opt, max_lr=LR, total_steps=EPOCHS * ((len(xt) + BATCH - 1) // BATCH))
    loss_fn = torch.nn.CrossEntropyLoss()
    gen = torch.Generator().manual_seed(SEED)
    for epoch in range(EPOCHS):
        t0 = time.time()
        model.train()
        perm = torch.randperm(len(xt), generator=gen)
        total = 0.0
        for i in range(0, len(xt), BATCH):
            idx = perm[i:i + BATCH]
            opt.zero_grad()
            loss = loss_fn(model(xt[idx]), yt[idx])
            loss.backward()
            opt.step()
            sched.step()
            total += loss.item() * len(idx)
        acc = evaluate(model, xv, y_test)
        print("epoch %d: train loss %.4f, test acc %.4f (%.0fs)"
              % (epoch + 1, total / len(xt), acc, time.time() - t0), flush=True)
    model.eval()
    return model, acc


def evaluate(model, x_nchw, labels):
    import torch
    model.eval()
    with torch.no_grad():
        preds = torch.cat([model(x_nchw[i:i + 1000]).argmax(1)
                           for i in range(0, len(x_nchw), 1000)])
    return float((preds.numpy() == labels).mean())


# ---------------------------------------------------------------------------
# Export as a TF1 frozen GraphDef (NHWC)
# ---------------------------------------------------------------------------

def export_graph(model):
    conv1, bn1, conv2, fc = model[0], model[1], model[4], model[8]

    def f32(t):
        return np.ascontiguousarray(t.detach().cpu().numpy().astype(np.float32))

    def hwio(w):  # PyTorch OIHW -> TF HWIO
        return np.ascontiguousarray(f32(w).transpose(2, 3, 1, 0))

    T = gd.DT_FLOAT
    g = gd.Graph()
    g.placeholder("input", [-1, 28, 28, 1], gd.DT_FLOAT)

    g.const("conv1/weights", hwio(conv1.weight))
    g.node("conv1/Conv2D", "Conv2D", ["input", "conv1/weights"], T=T,
           strides=[1, 1, 1, 1], padding="SAME", data_format="NHWC",
           dilations=[1, 1, 1, 1])

    g.const("bn1/gamma", f32(bn1.weight))
    g.const("bn1/beta", f32(bn1.bias))
    g.const("bn1/moving_mean", f32(bn1.running_mean))
    g.const("bn1/moving_variance", f32(bn1.running_var))
    g.node("bn1/FusedBatchNormV3", "FusedBatchNormV3",
           ["conv1/Conv2D", "bn1/gamma", "bn1/beta", "bn1/moving_mean",
            "bn1/moving_variance"],
           T=T, U=gd.DT_FLOAT, epsilon=float(bn1.eps), is_training=False,
           data_format="NHWC")
    g.node("relu1", "Relu", ["bn1/FusedBatchNormV3"], T=T)
    g.node("pool1", "MaxPool", ["relu1"], T=T, ksize=[1, 2, 2, 1],
           strides=[1, 2, 2, 1], padding="VALID", data_format="NHWC")

    g.const("conv2/weights", hwio(conv2.weight))
    g.node("conv2/Conv2D", "Conv2D", ["pool1", "conv2/weights"], T=T,
           strides=[1, 1, 1, 1], padding="SAME", data_format="NHWC",
           dilations=[1, 1, 1, 1])
    g.const("conv2/biases", f32(conv2.bias))
    g.node("conv2/BiasAdd", "BiasAdd", ["conv2/Conv2D", "conv2/biases"], T=T,
           data_format="NHWC")
    g.node("relu2", "Relu6", ["conv2/BiasAdd"], T=T)

    g.const("gap/reduction_indices", np.array([1, 2], np.int32))
    g.node("gap", "Mean", ["relu2", "gap/reduction_indices"], T=T,
           Tidx=gd.DT_INT32, keep_dims=False)

    g.const("fc/weights", np.ascontiguousarray(f32(fc.weight).T))  # (in, out)
    g.node("fc/MatMul", "MatMul", ["gap", "fc/weights"], T=T,
           transpose_a=False, transpose_b=False)
    g.const("fc/biases", f32(fc.bias))
    g.node("logits", "BiasAdd", ["fc/MatMul", "fc/biases"], T=T,
           data_format="NHWC")
    return g


def write_outputs(model, acc):
    import torch
    g = export_graph(model)
    with open(os.path.join(HERE, "model.pb"), "wb") as f:
        f.write(g.serialize())
    with open(os.path.join(HERE, "model.pbtxt"), "w") as f:
        f.write(g.to_text())

    calib = to_float(load_idx("images", "train")[:200])
    x_test = to_float(load_idx("images", "t10k")[:16])
    y_test = load_idx("labels", "t10k")[:16].astype(np.int64)
    with torch.no_grad():
        ref = model(torch.from_numpy(x_test).permute(0, 3, 1, 2).contiguous())
    np.save(os.path.join(HERE, "calib.npy"), calib)
    np.save(os.path.join(HERE, "input.npy"), x_test)
    np.save(os.path.join(HERE, "labels.npy"), y_test)
    np.save(os.path.join(HERE, "reference_logits.npy"),
            ref.numpy().astype(np.float32))
    with open(os.path.join(HERE, "arch.json"), "w") as f:
        json.dump({"target": TARGET}, f)
        f.write("\n")
    print("test accuracy (10k): %.4f" % acc)
    for name in ("model.pb", "model.pbtxt", "calib.npy", "input.npy",
                 "labels.npy", "reference_logits.npy", "arch.json"):
        print("  %-22s %8d bytes" % (name, os.path.getsize(os.path.join(HERE, name))))


# ---------------------------------------------------------------------------
# Self-check (no TensorFlow, no torch)
# ---------------------------------------------------------------------------

EXPECTED = [
    ("input", "Placeholder", []),
    ("conv1/weights", "Const", []),
    ("conv1/Conv2D", "Conv2D", ["input", "conv1/weights"]),
    ("bn1/gamma", "Const", []),
    ("bn1/beta", "Const", []),
    ("bn1/moving_mean", "Const", []),
    ("bn1/moving_variance", "Const", []),
    ("bn1/FusedBatchNormV3", "FusedBatchNormV3",
     ["conv1/Conv2D", "bn1/gamma", "bn1/beta", "bn1/moving_mean",
      "bn1/moving_variance"]),
    ("relu1", "Relu", ["bn1/FusedBatchNormV3"]),
    ("pool1", "MaxPool", ["relu1"]),
    ("conv2/weights", "Const", []),
    ("conv2/Conv2D", "Conv2D", ["pool1", "conv2/weights"]),
    ("conv2/biases", "Const", []),
    ("conv2/BiasAdd", "BiasAdd", ["conv2/Conv2D", "conv2/biases"]),
    ("relu2", "Relu6", ["conv2/BiasAdd"]),
    ("gap/reduction_indices", "Const", []),
    ("gap", "Mean", ["relu2", "gap/reduction_indices"]),
    ("fc/weights", "Const", []),
    ("fc/MatMul", "MatMul", ["gap", "fc/weights"]),
    ("fc/biases", "Const", []),
    ("logits", "BiasAdd", ["fc/MatMul", "fc/biases"]),
]

CONST_SHAPES = {
    "conv1/weights": ((3, 3, 1, 16), np.float32),
    "bn1/gamma": ((16,), np.float32), "bn1/beta": ((16,), np.float32),
    "bn1/moving_mean": ((16,), np.float32),
    "bn1/moving_variance": ((16,), np.float32),
    "conv2/weights": ((3, 3, 16, 32), np.float32),
    "conv2/biases": ((32,), np.float32),
    "gap/reduction_indices": ((2,), np.int32),
    "fc/weights": ((32, 10), np.float32), "fc/biases": ((10,), np.float32),
}


def _pad_same(x, kh, kw):
    # stride 1: total padding k-1, TF puts the extra element at the end.
    ph, pw = kh - 1, kw - 1
    return np.pad(x, ((0, 0), (ph // 2, ph - ph // 2), (pw // 2, pw - pw // 2), (0, 0)))


def np_conv2d(x, w, attrs):
    assert attrs["strides"] == [1, 1, 1, 1] and attrs["dilations"] == [1, 1, 1, 1]
    assert attrs["data_format"] == b"NHWC"
    kh, kw, ci, co = w.shape
    x = x.astype(np.float64)
    if attrs["padding"] == b"SAME":
        x = _pad_same(x, kh, kw)
    n, h, wd, _ = x.shape
    oh, ow = h - kh + 1, wd - kw + 1
    out = np.zeros((n, oh, ow, co))
    for i in range(kh):
        for j in range(kw):
            out += x[:, i:i + oh, j:j + ow, :] @ w[i, j].astype(np.float64)
    return out


def np_maxpool(x, attrs):
    assert attrs["padding"] == b"VALID" and attrs["data_format"] == b"NHWC"
    _, kh, kw, _ = attrs["ksize"]
    _, sh, sw, _ = attrs["strides"]
    n, h, w, c = x.shape
    oh, ow = (h - kh) // sh + 1, (w - kw) // sw + 1
    out = np.full((n, oh, ow, c), -np.inf)
    for i in range(kh):
        for j in range(kw):
            out = np.maximum(out, x[:, i:i + sh * (oh - 1) + 1:sh,
                                    j:j + sw * (ow - 1) + 1:sw, :])
    return out


def run_graph_numpy(nodes, feed):
    """Tiny float64 NumPy interpreter for the ops used in this model."""
    vals = dict(feed)
    for n in nodes:
        a = n.attrs
        ins = [vals[i] for i in n.inputs]
        if n.op == "Placeholder":
            assert n.name in vals
            continue
        if n.op == "Const":
            vals[n.name] = a["value"]
        elif n.op == "Conv2D":
            vals[n.name] = np_conv2d(ins[0], ins[1], a)
        elif n.op == "FusedBatchNormV3":
            assert a["is_training"] is False and a["data_format"] == b"NHWC"
            x, gamma, beta, mean, var = [v.astype(np.float64) for v in ins]
            vals[n.name] = (x - mean) / np.sqrt(var + a["epsilon"]) * gamma + beta
        elif n.op == "Relu":
            vals[n.name] = np.maximum(ins[0], 0)
        elif n.op == "Relu6":
            vals[n.name] = np.clip(ins[0], 0, 6)
        elif n.op == "MaxPool":
            vals[n.name] = np_maxpool(ins[0], a)
        elif n.op == "BiasAdd":
            assert a["data_format"] == b"NHWC"
            vals[n.name] = ins[0] + ins[1].astype(np.float64)
        elif n.op == "Mean":
            vals[n.name] = ins[0].mean(axis=tuple(int(i) for i in ins[1]),
                                       keepdims=a["keep_dims"])
        elif n.op == "MatMul":
            x, w = ins
            if a["transpose_a"]:
                x = x.T
            if a["transpose_b"]:
                w = w.T
            vals[n.name] = x @ w.astype(np.float64)
        else:
            raise NotImplementedError(n.op)
    return vals


def check():
    ok = True

    def report(cond, msg):
        nonlocal ok
        ok = ok and bool(cond)
        print("[%s] %s" % ("OK" if cond else "FAIL", msg))

    data = open(os.path.join(HERE, "model.pb"), "rb").read()
    nodes, producer = gd.parse_graphdef(data)
    got = [(n.name, n.op, n.inputs) for n in nodes]
    report(got == [(a, b, list(c)) for a, b, c in EXPECTED],
           "model.pb decodes to the expected %d nodes (names/ops/inputs)" % len(EXPECTED))
    by = {n.name: n for n in nodes}
    a = by["input"].attrs
    report(a["dtype"] == gd.DT_FLOAT and a["shape"] == gd.Shape([-1, 28, 28, 1]),
           "input: Placeholder DT_FLOAT [-1,28,28,1]")
    for name, (shape, dt) in CONST_SHAPES.items():
        v = by[name].attrs["value"]
        report(v.shape == shape and v.dtype == dt and
               by[name].attrs["dtype"] == gd.dtype_of(dt),
               "%s: Const %s %s" % (name, np.dtype(dt).name, list(shape)))
    exp_attrs = {
        "conv1/Conv2D": dict(T=gd.DT_FLOAT, strides=[1, 1, 1, 1], padding=b"SAME",
                             data_format=b"NHWC", dilations=[1, 1, 1, 1]),
        "bn1/FusedBatchNormV3": dict(T=gd.DT_FLOAT, U=gd.DT_FLOAT, is_training=False,
                                     data_format=b"NHWC"),
        "relu1": dict(T=gd.DT_FLOAT),
        "pool1": dict(T=gd.DT_FLOAT, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1],
                      padding=b"VALID", data_format=b"NHWC"),
        "conv2/BiasAdd": dict(T=gd.DT_FLOAT, data_format=b"NHWC"),
        "relu2": dict(T=gd.DT_FLOAT),
        "gap": dict(T=gd.DT_FLOAT, Tidx=gd.DT_INT32, keep_dims=False),
        "fc/MatMul": dict(T=gd.DT_FLOAT, transpose_a=False, transpose_b=False),
        "logits": dict(T=gd.DT_FLOAT, data_format=b"NHWC"),
    }
    exp_attrs["conv2/Conv2D"] = exp_attrs["conv1/Conv2D"]
    for name, exp in exp_attrs.items():
        got_a = dict(by[name].attrs)
        if name == "bn1/FusedBatchNormV3":
            eps = got_a.pop("epsilon")
            report(abs(eps - BN_EPS) < 1e-9, "bn1 epsilon = %g" % eps)
        report(got_a == exp, "%s attrs %s" % (name, sorted(got_a)))
    report(list(by["gap/reduction_indices"].attrs["value"]) == [1, 2],
           "gap/reduction_indices == [1, 2]")
    report(producer is not None, "versions.producer = %s" % producer)

    # Text format vs binary: with our own writer both come from one tree;
    # check with protoc against a GraphDef schema when one is available.
    proto = os.path.join(REPO, "lib", "Proto", "tf_graph.proto")
    pbtxt = os.path.join(HERE, "model.pbtxt")
    if os.path.exists(proto):
        with open(pbtxt, "rb") as f:
            enc = subprocess.run(
                ["protoc", "--encode=tensorflow.GraphDef",
                 "-I" + os.path.dirname(proto), proto],
                stdin=f, capture_output=True)
        report(enc.returncode == 0 and enc.stdout == data,
               "protoc --encode=tensorflow.GraphDef (lib/Proto/tf_graph.proto) "
               "< model.pbtxt == model.pb%s" % (
                   "" if enc.returncode == 0 else ": " + enc.stderr.decode()[:300]))
    else:
        print("[SKIP] %s not found: protoc text/binary comparison not run" % proto)

    # Independent NumPy forward pass using weights parsed back from model.pb.
    x = np.load(os.path.join(HERE, "input.npy"))
    ref = np.load(os.path.join(HERE, "reference_logits.npy"))
    labels = np.load(os.path.join(HERE, "labels.npy"))
    report(x.shape == (16, 28, 28, 1) and x.dtype == np.float32, "input.npy float32 [16,28,28,1]")
    calib = np.load(os.path.join(HERE, "calib.npy"))
    report(calib.shape == (200, 28, 28, 1) and calib.dtype == np.float32,
           "calib.npy float32 [200,28,28,1]")
    report(labels.shape == (16,) and labels.dtype == np.int64, "labels.npy int64 [16]")
    report(ref.shape == (16, 10) and ref.dtype == np.float32, "reference_logits.npy float32 [16,10]")
    out = run_graph_numpy(nodes, {"input": x.astype(np.float64)})["logits"]
    err = float(np.abs(out - ref).max())
    report(err < 1e-4, "NumPy NHWC interpreter vs PyTorch reference: max |diff| = %.3g" % err)
    print("       NumPy argmax correct on input.npy: %d/16" % int((out.argmax(1) == labels).sum()))
    with open(os.path.join(HERE, "arch.json")) as f:
        report(json.load(f) == {"target": TARGET}, "arch.json == {\"target\": \"%s\"}" % TARGET)
    print("ALL CHECKS PASSED" if ok else "SOME CHECKS FAILED")
    return 0 if ok else 1


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true",
                    help="verify the written files instead of training")
    args = ap.parse_args()
    if args.check:
        return check()
    model, acc = train()
    write_outputs(model, acc)
    return check()


if __name__ == "__main__":
    sys.exit(main())

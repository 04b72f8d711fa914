"""Evaluates a small TF.js graph model with NumPy: an independent reference
for the importer and the float interpreter.

Reads model.json and its shards itself (dequantizing uint8/uint16 as
v * scale + min and widening float16, as tf.io.decodeWeights does) and knows
the ops of the test networks: Placeholder, Const, Identity, Reshape, AddV2,
_FusedConv2D, FusedDepthwiseConv2dNative and _FusedMatMul with BiasAdd or
FusedBatchNorm followed by Relu, Relu6, LeakyRelu, Prelu, Sigmoid or Tanh. Convolutions are
direct loops over the kernel taps; nothing is shared with the C++ code.

usage: tfjs_numpy_reference.py MODEL.json INPUT.npy OUTPUT.npy [--make-input]
With --make-input, INPUT.npy is first written with a seeded random input of
the Placeholder's shape.
"""
import base64
import json
import os
import sys

import numpy as np


def read_weights(model, base):
    weights = {}
    for group in model["weightsManifest"]:
        data = b"".join(open(os.path.join(base, p), "rb").read()
                        for p in group["paths"])
        offset = 0
        for w in group["weights"]:
            count = int(np.prod(w["shape"], dtype=np.int64))
            q = w.get("quantization")
            stored = q["dtype"] if q else w["dtype"]
            np_type = {"float32": "<f4", "int32": "<i4", "uint8": "u1",
                       "uint16": "<u2", "float16": "<f2"}[stored]
            size = count * np.dtype(np_type).itemsize
            raw = np.frombuffer(data[offset:offset + size], np_type)
            offset += size
            if stored in ("uint8", "uint16"):
                raw = raw.astype(np.float64) * q["scale"] + q["min"]
            out_type = np.float32 if w["dtype"] == "float32" else np.int32
            weights[w["name"]] = raw.astype(out_type).reshape(w["shape"])
    return weights


def attr(node, name, default=None):
    a = node.get("attr", {}).get(name)
    if a is None:
        return default
    if "list" in a:
        lst = a["list"]
        if "s" in lst:
            return [base64.b64decode(s).decode() for s in lst["s"]]
        return [int(i) for i in lst.get("i", [])]
    if "s" in a:
        return base64.b64decode(a["s"]).decode()
    if "f" in a:
        return float(a["f"])
    if "b" in a:
        return a["b"]
    if "i" in a:
        return int(a["i"])
    return a


def pad_same(size, k, stride):
    out = -(-size // stride)
    total = max((out - 1) * stride + k - size, 0)
    return total // 2, total - total // 2


def conv(x, w, strides, padding, depthwise):
    n, h, wd, c = x.shape
    kh, kw = w.shape[:2]
    sh, sw = strides[1], strides[2]
    if padding == "SAME":
        (t, b), (l, r) = pad_same(h, kh, sh), pad_same(wd, kw, sw)
    else:
        t = b = l = r = 0
    xp = np.pad(x.astype(np.float64), [(0, 0), (t, b), (l, r), (0, 0)])
    oh = (h + t + b - kh) // sh + 1
    ow = (wd + l + r - kw) // sw + 1
    if depthwise:
        m = w.shape[3]
        y = np.zeros([n, oh, ow, c * m])
    else:
        y = np.zeros([n, oh, ow, w.shape[3]])
    for i in range(kh):
        for j in range(kw):
            patch = xp[:, i:i + sh * oh:sh, j:j + sw * ow:sw, :]
            if depthwise:
                y += (patch[..., :, None] * w[i, j]).reshape(n, oh, ow, -1)
            else:
                y += patch @ w[i, j].astype(np.float64)
    return y


def activate(y, act, node):
    if act == "Relu":
        return np.maximum(y, 0)
    if act == "Relu6":
        return np.clip(y, 0, 6)
    if act == "Sigmoid":
        return 1 / (1 + np.exp(-y))
    if act == "Tanh":
        return np.tanh(y)
    if act == "Prelu":
        alpha = node["prelu_alpha"]
        return np.where(y >= 0, y, alpha * y)
    if act == "LeakyRelu":
        alpha = attr(node, "leakyrelu_alpha", 0.2)
        return np.where(y >= 0, y, alpha * y)
    assert act is None, act
    return y


def main():
    model_path, input_path, output_path = sys.argv[1:4]
    model = json.load(open(model_path))
    nodes = model["modelTopology"]["node"]
    by_name = {n["name"]: n for n in nodes}
    weights = read_weights(model, os.path.dirname(model_path))
    placeholder = next(n for n in nodes if n["op"] == "Placeholder")
    if "--make-input" in sys.argv:
        shape = [int(d["size"]) for d in
                 placeholder["attr"]["shape"]["shape"]["dim"]]
        np.save(input_path, np.random.default_rng(1).standard_normal(shape)
                .astype(np.float32))
    x = np.load(input_path)
    values = {}

    def value(name):
        if name in values:
            return values[name]
        node = by_name[name]
        args = [value(i) for i in node.get("input", [])
                if not i.startswith("^")]
        op = node["op"]
        if op == "Placeholder":
            result = x.astype(np.float64)
        elif op == "Const":
            if name in weights:
                result = weights[name]
            else:
                t = node["attr"]["value"]["tensor"]
                result = np.array(t["floatVal"][0], np.float32)
        elif op == "Identity":
            result = args[0]
        elif op == "AddV2":
            result = args[0] + args[1]
        elif op == "Reshape":
            result = args[0].reshape(args[1])
        elif op in ("_FusedConv2D", "FusedDepthwiseConv2dNative",
                    "_FusedMatMul"):
            fused = attr(node, "fused_ops")
            if op == "_FusedMatMul":
                a, b = args[0], args[1].astype(np.float64)
                if attr(node, "transpose_b"):
                    b = b.T
                y = a @ b
            else:
                y = conv(args[0], args[1], attr(node, "strides"),
                         attr(node, "padding"),
                         op == "FusedDepthwiseConv2dNative")
            if fused[0] == "BiasAdd":
                y = y + args[2]
            elif fused[0] == "FusedBatchNorm":
                scale, offset, mean, var = args[2:6]
                y = (y - mean) / np.sqrt(var + attr(node, "epsilon")) * scale \
                    + offset
            node["prelu_alpha"] = args[-1]
            result = activate(y, fused[1] if len(fused) > 1 else None, node)
        else:
            raise SystemExit("reference: no op %s" % op)
        values[name] = result
        return result

    consumed = {i.lstrip("^") for n in nodes for i in n.get("input", [])}
    output = next(n["name"] for n in nodes
                  if n["name"] not in consumed and n["op"] != "Const")
    np.save(output_path, value(output).astype(np.float32))


if __name__ == "__main__":
    main()

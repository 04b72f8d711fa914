"""Evaluates a small ONNX model with NumPy: an independent reference for
`vai-translate --import-onnx` followed by `--interpret-float`.

Everything happens in ONNX's own NCHW layout, straight from the operator
specification, so it shares nothing with the importer's layout handling.
It knows only the ops the onnx-*.test models use.

usage: onnx_numpy_reference.py MODEL.onnx INPUT.npy OUTPUT.npy [--make-input]
  --make-input first writes INPUT.npy: random values of the graph input's
  shape, unknown dims set to 2.
"""
import functools
import sys

import numpy as np
import onnx
from onnx import helper, numpy_helper


def attrs(node):
    out = {}
    for a in node.attribute:
        v = helper.get_attribute_value(a)
        out[a.name] = v.decode() if isinstance(v, bytes) else v
    return out


def same_pads(size, k, s, d, upper):
    out = -(-size // s)
    total = max(0, (out - 1) * s + (k - 1) * d + 1 - size)
    small, large = total // 2, total - total // 2
    return (small, large) if upper else (large, small)


def window_pads(x, a, kernel, dilations):
    """[top, left, bottom, right] for Conv and the pools."""
    auto = a.get("auto_pad", "NOTSET")
    s = a.get("strides", [1, 1])
    if auto.startswith("SAME"):
        up = auto == "SAME_UPPER"
        t, b = same_pads(x.shape[2], kernel[0], s[0], dilations[0], up)
        l, r = same_pads(x.shape[3], kernel[1], s[1], dilations[1], up)
        return t, l, b, r
    if auto == "VALID":
        return 0, 0, 0, 0
    return tuple(a.get("pads", [0, 0, 0, 0]))


def pad2d(x, pads, value=0.0):
    t, l, b, r = pads
    return np.pad(x, ((0, 0), (0, 0), (t, b), (l, r)), constant_values=value)


def conv(x, w, bias, a):
    group = a.get("group", 1)
    s = a.get("strides", [1, 1])
    d = a.get("dilations", [1, 1])
    kh, kw = w.shape[2:]
    xp = pad2d(x, window_pads(x, a, (kh, kw), d))
    n, c, h, wd = xp.shape
    o = w.shape[0]
    oh = (h - (kh - 1) * d[0] - 1) // s[0] + 1
    ow = (wd - (kw - 1) * d[1] - 1) // s[1] + 1
    y = np.zeros((n, o, oh, ow))
    cin, cout = c // group, o // group
    for oc in range(o):
        g = oc // cout
        for i in range(oh):
            for j in range(ow):
                patch = xp[:, g * cin:(g + 1) * cin,
                           i * s[0]:i * s[0] + (kh - 1) * d[0] + 1:d[0],
                           j * s[1]:j * s[1] + (kw - 1) * d[1] + 1:d[1]]
                y[:, oc, i, j] = (patch * w[oc]).sum(axis=(1, 2, 3))
    if bias is not None:
        y += bias.reshape(1, -1, 1, 1)
    return y


def conv_transpose(x, w, bias, a):
    s = a.get("strides", [1, 1])
    d = a.get("dilations", [1, 1])
    op = a.get("output_padding", [0, 0])
    t, l, b, r = a.get("pads", [0, 0, 0, 0])
    n, c, h, wd = x.shape
    kh, kw = w.shape[2:]
    fh = (h - 1) * s[0] + (kh - 1) * d[0] + 1 + op[0]
    fw = (wd - 1) * s[1] + (kw - 1) * d[1] + 1 + op[1]
    full = np.zeros((n, w.shape[1], fh, fw))
    for i in range(h):
        for j in range(wd):
            for u in range(kh):
                for v in range(kw):
                    full[:, :, i * s[0] + u * d[0], j * s[1] + v * d[1]] += \
                        x[:, :, i, j] @ w[:, :, u, v]
    y = full[:, :, t:fh - b, l:fw - r]
    if bias is not None:
        y = y + bias.reshape(1, -1, 1, 1)
    return y


def pool(x, a, kind):
    k = a["kernel_shape"]
    s = a.get("strides", [1, 1])
    pads = window_pads(x, a, k, (1, 1))
    xp = pad2d(x, pads, -np.inf if kind == "max" else 0.0)
    counted = pad2d(np.ones_like(x), pads, 0.0)
    n, c, h, w = xp.shape
    oh, ow = (h - k[0]) // s[0] + 1, (w - k[1]) // s[1] + 1
    y = np.zeros((n, c, oh, ow))
    for i in range(oh):
        for j in range(ow):
            win = (slice(None), slice(None), slice(i * s[0], i * s[0] + k[0]),
                   slice(j * s[1], j * s[1] + k[1]))
            if kind == "max":
                y[:, :, i, j] = xp[win].max(axis=(2, 3))
            else:
                count = (k[0] * k[1] if a.get("count_include_pad", 0)
                         else counted[win].sum(axis=(2, 3)))
                y[:, :, i, j] = xp[win].sum(axis=(2, 3)) / count
    return y


def evaluate(model, feeds):
    graph = model.graph
    opset = [o.version for o in model.opset_import if o.domain in ("", "ai.onnx")][0]
    env = dict(feeds)
    for t in graph.initializer:
        env[t.name] = numpy_helper.to_array(t).astype(np.float64) \
            if numpy_helper.to_array(t).dtype == np.float32 else numpy_helper.to_array(t)
    for node in graph.node:
        a = attrs(node)
        x = [env[i] if i else None for i in node.input]
        x += [None] * 5
        op = node.op_type
        if op == "Conv":
            y = conv(x[0], x[1], x[2], a)
        elif op == "ConvTranspose":
            y = conv_transpose(x[0], x[1], x[2], a)
        elif op == "Relu":
            y = np.maximum(x[0], 0)
        elif op == "LeakyRelu":
            y = np.where(x[0] >= 0, x[0], a.get("alpha", 0.01) * x[0])
        elif op == "HardSigmoid":
            y = np.clip(a.get("alpha", 0.2) * x[0] + a.get("beta", 0.5), 0, 1)
        elif op == "PRelu":
            y = np.where(x[0] >= 0, x[0], x[1] * x[0])
        elif op in ("Add", "Sub", "Mul", "Div"):
            y = {"Add": np.add, "Sub": np.subtract, "Mul": np.multiply,
                 "Div": np.divide}[op](x[0], x[1])
        elif op in ("Max", "Min"):
            y = functools.reduce(np.maximum if op == "Max" else np.minimum,
                                 [v for v in x if v is not None])
        elif op == "Clip":
            lo = x[1] if x[1] is not None else a.get("min", -np.inf)
            hi = x[2] if x[2] is not None else a.get("max", np.inf)
            y = np.clip(x[0], lo, hi)
        elif op == "BatchNormalization":
            shape = (1, -1) + (1,) * (x[0].ndim - 2)
            scale, shift, mean, var = (v.reshape(shape) for v in x[1:5])
            y = (x[0] - mean) / np.sqrt(var + a.get("epsilon", 1e-5)) * scale + shift
        elif op == "MaxPool":
            y = pool(x[0], a, "max")
        elif op == "AveragePool":
            y = pool(x[0], a, "avg")
        elif op == "GlobalAveragePool":
            y = x[0].mean(axis=(2, 3), keepdims=True)
        elif op == "GlobalMaxPool":
            y = x[0].max(axis=(2, 3), keepdims=True)
        elif op == "Flatten":
            axis = a.get("axis", 1)
            y = x[0].reshape(int(np.prod(x[0].shape[:axis])), -1)
        elif op == "Gemm":
            am = x[0].T if a.get("transA", 0) else x[0]
            bm = x[1].T if a.get("transB", 0) else x[1]
            y = a.get("alpha", 1.0) * am @ bm
            if x[2] is not None:
                y = y + a.get("beta", 1.0) * x[2]
        elif op == "MatMul":
            y = x[0] @ x[1]
        elif op == "Softmax":
            axis = a.get("axis", 1 if opset < 13 else -1)
            v = x[0]
            if opset < 13:
                v = v.reshape(int(np.prod(v.shape[:axis])), -1)
                axis = 1
            e = np.exp(v - v.max(axis, keepdims=True))
            y = (e / e.sum(axis, keepdims=True)).reshape(x[0].shape)
        elif op == "Pad":
            p = x[1] if x[1] is not None else a["pads"]
            r = x[0].ndim
            y = np.pad(x[0], [(p[i], p[i + r]) for i in range(r)],
                       mode=a.get("mode", "constant"))
        elif op == "Transpose":
            y = x[0].transpose(a["perm"])
        elif op in ("Identity", "Dropout"):
            y = x[0]
        elif op == "Reshape":
            y = x[0].reshape([x[0].shape[i] if v == 0 else v
                              for i, v in enumerate(x[1])])
        elif op == "Unsqueeze":
            y = np.expand_dims(x[0], tuple(x[1] if x[1] is not None else a["axes"]))
        elif op == "Squeeze":
            y = np.squeeze(x[0], tuple(x[1] if x[1] is not None else a["axes"]))
        elif op in ("Resize", "Upsample"):
            # Nearest, integer scales only.
            scales = a["scales"] if op == "Upsample" and opset < 9 else \
                (x[2] if op == "Resize" and opset >= 11 else x[1])
            assert a.get("mode", "nearest") == "nearest"
            y = x[0].repeat(int(scales[2]), 2).repeat(int(scales[3]), 3)
        elif op == "DepthToSpace":
            b = a["blocksize"]
            n, c, h, w = x[0].shape
            if a.get("mode", "DCR") == "CRD":
                y = x[0].reshape(n, c // (b * b), b, b, h, w) \
                    .transpose(0, 1, 4, 2, 5, 3)
            else:
                y = x[0].reshape(n, b, b, c // (b * b), h, w) \
                    .transpose(0, 3, 4, 1, 5, 2)
            y = y.reshape(n, c // (b * b), h * b, w * b)
        elif op == "Concat":
            y = np.concatenate([v for v in x if v is not None], a["axis"])
        else:
            sys.exit("onnx_numpy_reference.py: no reference for " + op)
        env[node.output[0]] = y
    return env[graph.output[0].name]


def main():
    model_path, input_path, output_path = sys.argv[1:4]
    model = onnx.load(model_path)
    inputs = [i for i in model.graph.input
              if i.name not in {t.name for t in model.graph.initializer}]
    if "--make-input" in sys.argv:
        dims = [d.dim_value if d.HasField("dim_value") else 2
                for d in inputs[0].type.tensor_type.shape.dim]
        x = np.random.default_rng(0).standard_normal(dims).astype(np.float32)
        np.save(input_path, x)
    x = np.load(input_path).astype(np.float64)
    y = evaluate(model, {inputs[0].name: x})
    np.save(output_path, np.asarray(y, np.float32))


if __name__ == "__main__":
    main()

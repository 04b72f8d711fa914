"""Writes the tiny TF.js graph models of the tfjs-graph lit tests.

usage: make_models.py OUT_DIR

The committed files beside this script are its output; tfjs-graph.test
regenerates them and checks that they are unchanged. Only NumPy is used,
with a fixed seed. Each model is OUT_DIR/<name>/model.json plus shards:

  fused-float32   the fused-op network below, float32 weights in two
                  groups, the first split over two shards mid-weight
  fused-uint8     the same network, weights uint8-quantized (scale, min)
  fused-uint16    ... uint16-quantized
  fused-float16   ... stored as float16
  fused-activations  Prelu, Sigmoid, Tanh, FusedBatchNorm + Relu, and a
                  bias without activation (see activations_network)
  err-*           one defect each (see ERRORS)

The network (input [1, 8, 8, 3], NHWC):
  _FusedConv2D [BiasAdd, Relu] 3x3 SAME -> FusedDepthwiseConv2dNative
  [BiasAdd, Relu6] 3x3 stride 2 SAME, multiplier 2 -> _FusedConv2D
  [FusedBatchNorm] 1x1 (epsilon 1e-3) -> _FusedConv2D [BiasAdd, LeakyRelu]
  3x3 VALID (alpha 0.1) -> Reshape [1, -1] (int32 shape weight) ->
  _FusedMatMul [BiasAdd, Relu] transpose_b -> _FusedMatMul [BiasAdd] ->
  AddV2 with a Const whose value is inline in the topology -> Identity.
"""
import base64
import json
import os
import sys

import numpy as np


def b64(text):
    return base64.b64encode(text.encode()).decode()


def attr_list_i(values):
    return {"list": {"i": [str(v) for v in values]}}


def attr_list_s(values):
    return {"list": {"s": [b64(v) for v in values]}}


def const(name, dtype="DT_FLOAT", shape=None, control=None):
    node = {"name": name, "op": "Const",
            "attr": {"dtype": {"type": dtype},
                     "value": {"tensor": {"dtype": dtype}}}}
    if shape is not None:
        node["attr"]["value"]["tensor"]["tensorShape"] = {
            "dim": [{"size": str(d)} for d in shape]}
    if control:
        node["input"] = ["^" + control]
    return node


def fused(name, op, inputs, fused_ops, num_args, extra=None):
    attr = {"T": {"type": "DT_FLOAT"}, "fused_ops": attr_list_s(fused_ops),
            "num_args": {"i": str(num_args)}, "epsilon": {"f": 0}}
    if op != "_FusedMatMul":
        attr.update({"strides": attr_list_i([1, 1, 1, 1]),
                     "dilations": attr_list_i([1, 1, 1, 1]),
                     "padding": {"s": b64("SAME")},
                     "data_format": {"s": b64("NHWC")},
                     "explicit_paddings": {"list": {}}})
    attr.update(extra or {})
    return {"name": name, "op": op, "input": inputs, "attr": attr}


def network(rng):
    """Returns (nodes, weights): weights is a list of (name, array)."""
    w = []

    def weight(name, shape, scale=0.5):
        w.append((name, (rng.standard_normal(shape) * scale).astype(np.float32)))
        return name

    nodes = [{"name": "x", "op": "Placeholder",
              "attr": {"dtype": {"type": "DT_FLOAT"},
                       "shape": {"shape": {"dim": [{"size": "1"}, {"size": "8"},
                                                   {"size": "8"},
                                                   {"size": "3"}]}}}}]
    for name, shape in [("c1/w", [3, 3, 3, 4]), ("c1/b", [4]),
                        ("dw/w", [3, 3, 4, 2]), ("dw/b", [8]),
                        ("bn/w", [1, 1, 8, 6])]:
        nodes.append(const(name, shape=shape))
        weight(name, shape)
    for name in ["bn/scale", "bn/offset", "bn/mean"]:
        nodes.append(const(name, shape=[6]))
        weight(name, [6])
    nodes.append(const("bn/var", shape=[6]))
    w.append(("bn/var", rng.uniform(0.5, 2.0, [6]).astype(np.float32)))
    for name, shape in [("lr/w", [3, 3, 6, 4]), ("lr/b", [4]),
                        ("mm1/w", [8, 16]), ("mm1/b", [8]),
                        ("mm2/w", [8, 5]), ("mm2/b", [5])]:
        nodes.append(const(name, shape=shape))
        weight(name, shape)
    nodes.append(const("flat/shape", "DT_INT32", [2], control="x"))
    w.append(("flat/shape", np.array([1, -1], np.int32)))
    nodes += [
        fused("c1", "_FusedConv2D", ["x", "c1/w", "c1/b"],
              ["BiasAdd", "Relu"], 1),
        fused("dw", "FusedDepthwiseConv2dNative", ["c1", "dw/w", "dw/b"],
              ["BiasAdd", "Relu6"], 1,
              {"strides": attr_list_i([1, 2, 2, 1])}),
        fused("bn", "_FusedConv2D",
              ["dw", "bn/w", "bn/scale", "bn/offset", "bn/mean", "bn/var"],
              ["FusedBatchNorm"], 4,
              {"padding": {"s": b64("VALID")}, "epsilon": {"f": 0.001}}),
        fused("lr", "_FusedConv2D", ["bn", "lr/w", "lr/b"],
              ["BiasAdd", "LeakyRelu"], 1,
              {"padding": {"s": b64("VALID")},
               "leakyrelu_alpha": {"f": 0.1}}),
        {"name": "flat", "op": "Reshape", "input": ["lr", "flat/shape"],
         "attr": {"T": {"type": "DT_FLOAT"}, "Tshape": {"type": "DT_INT32"}}},
        fused("mm1", "_FusedMatMul", ["flat", "mm1/w", "mm1/b"],
              ["BiasAdd", "Relu"], 1,
              {"transpose_a": {"b": False}, "transpose_b": {"b": True}}),
        fused("mm2", "_FusedMatMul", ["mm1", "mm2/w", "mm2/b"], ["BiasAdd"], 1,
              {"transpose_a": {"b": False}, "transpose_b": {"b": False}}),
        {"name": "half", "op": "Const",
         "attr": {"dtype": {"type": "DT_FLOAT"},
                  "value": {"tensor": {"dtype": "DT_FLOAT", "tensorShape": {},
                                       "floatVal": [0.5]}}}},
        {"name": "out", "op": "AddV2", "input": ["mm2", "half"],
         "attr": {"T": {"type": "DT_FLOAT"}}},
        {"name": "Identity", "op": "Identity", "input": ["out"],
         "attr": {"T": {"type": "DT_FLOAT"}}},
    ]
    return nodes, w


def activations_network(rng):
    """The fused activations other than relu: x [1, 6, 6, 2] ->
    _FusedConv2D [BiasAdd, Prelu] 3x3 SAME -> FusedDepthwiseConv2dNative
    [BiasAdd, Sigmoid] 3x3 VALID -> _FusedConv2D [FusedBatchNorm, Relu] 1x1
    -> FusedDepthwiseConv2dNative [BiasAdd] 2x2 stride 2 VALID -> Reshape
    [1, 12] -> _FusedMatMul [BiasAdd, Tanh] -> Identity."""
    w = []
    nodes = [{"name": "x", "op": "Placeholder",
              "attr": {"dtype": {"type": "DT_FLOAT"},
                       "shape": {"shape": {"dim": [{"size": "1"}, {"size": "6"},
                                                   {"size": "6"},
                                                   {"size": "2"}]}}}}]
    for name, shape in [("p/w", [3, 3, 2, 4]), ("p/b", [4]), ("p/alpha", [4]),
                        ("s/w", [3, 3, 4, 1]), ("s/b", [4]),
                        ("bn/w", [1, 1, 4, 3]), ("bn/scale", [3]),
                        ("bn/offset", [3]), ("bn/mean", [3]), ("bn/var", [3]),
                        ("d/w", [2, 2, 3, 1]), ("d/b", [3]),
                        ("t/w", [12, 4]), ("t/b", [4])]:
        nodes.append(const(name, shape=shape))
        data = rng.standard_normal(shape) * 0.7
        if name == "bn/var":
            data = rng.uniform(0.5, 2.0, shape)
        if name == "t/w":
            data *= 0.2  # keep tanh out of saturation
        w.append((name, data.astype(np.float32)))
    nodes.append(const("flat/shape", "DT_INT32", [2]))
    w.append(("flat/shape", np.array([1, 12], np.int32)))
    valid = {"padding": {"s": b64("VALID")}}
    nodes += [
        fused("p", "_FusedConv2D", ["x", "p/w", "p/b", "p/alpha"],
              ["BiasAdd", "Prelu"], 2),
        fused("s", "FusedDepthwiseConv2dNative", ["p", "s/w", "s/b"],
              ["BiasAdd", "Sigmoid"], 1, valid),
        fused("bn", "_FusedConv2D",
              ["s", "bn/w", "bn/scale", "bn/offset", "bn/mean", "bn/var"],
              ["FusedBatchNorm", "Relu"], 4,
              dict(valid, epsilon={"f": 0.001})),
        fused("d", "FusedDepthwiseConv2dNative", ["bn", "d/w", "d/b"],
              ["BiasAdd"], 1,
              dict(valid, strides=attr_list_i([1, 2, 2, 1]))),
        {"name": "flat", "op": "Reshape", "input": ["d", "flat/shape"],
         "attr": {"T": {"type": "DT_FLOAT"}, "Tshape": {"type": "DT_INT32"}}},
        fused("t", "_FusedMatMul", ["flat", "t/w", "t/b"], ["BiasAdd", "Tanh"],
              1),
        {"name": "Identity", "op": "Identity", "input": ["t"],
         "attr": {"T": {"type": "DT_FLOAT"}}},
    ]
    return nodes, w


def encode(name, array, quant):
    """Returns (manifest entry, bytes) as tfjs-converter writes them."""
    entry = {"name": name, "shape": list(array.shape),
             "dtype": "int32" if array.dtype == np.int32 else "float32"}
    if array.dtype == np.int32 or quant == "float32":
        return entry, array.astype("<i4" if array.dtype == np.int32
                                   else "<f4").tobytes()
    if quant == "float16":
        entry["quantization"] = {"dtype": "float16"}
        return entry, array.astype("<f2").tobytes()
    levels = 255 if quant == "uint8" else 65535
    lo, hi = float(array.min()), float(array.max())
    scale = (hi - lo) / levels if hi > lo else 1.0
    q = np.round((array.astype(np.float64) - lo) / scale).clip(0, levels)
    entry["quantization"] = {"dtype": quant, "min": lo, "scale": scale}
    return entry, q.astype("u1" if quant == "uint8" else "<u2").tobytes()


def write_model(out_dir, nodes, groups, extra_files=None):
    """groups: list of (list of (entry, bytes), list of shard sizes or None
    for one shard)."""
    os.makedirs(out_dir, exist_ok=True)
    manifest = []
    for gi, (weights, split) in enumerate(groups):
        data = b"".join(b for _, b in weights)
        sizes = split or [len(data)]
        sizes = sizes + [len(data) - sum(sizes)] if split else sizes
        paths = []
        offset = 0
        for si, size in enumerate(sizes):
            path = "group%d-shard%dof%d.bin" % (gi + 1, si + 1, len(sizes))
            with open(os.path.join(out_dir, path), "wb") as f:
                f.write(data[offset:offset + size])
            offset += size
            paths.append(path)
        manifest.append({"paths": paths, "weights": [e for e, _ in weights]})
    model = {"format": "graph-model", "generatedBy": "make_models.py",
             "convertedBy": None,
             "modelTopology": {"node": nodes, "versions": {"producer": 175}},
             "weightsManifest": manifest}
    with open(os.path.join(out_dir, "model.json"), "w") as f:
        json.dump(model, f, separators=(",", ":"), sort_keys=True)
        f.write("\n")


def tiny(rng):
    """x [1, 4, 4, 2] -> _FusedConv2D [BiasAdd, Relu] -> Identity."""
    nodes = [{"name": "x", "op": "Placeholder",
              "attr": {"dtype": {"type": "DT_FLOAT"},
                       "shape": {"shape": {"dim": [{"size": "1"}, {"size": "4"},
                                                   {"size": "4"},
                                                   {"size": "2"}]}}}},
             const("conv/w", shape=[1, 1, 2, 3]), const("conv/b", shape=[3]),
             fused("conv", "_FusedConv2D", ["x", "conv/w", "conv/b"],
                   ["BiasAdd", "Relu"], 1),
             {"name": "Identity", "op": "Identity", "input": ["conv"],
              "attr": {"T": {"type": "DT_FLOAT"}}}]
    weights = [encode("conv/w", rng.standard_normal([1, 1, 2, 3])
                      .astype(np.float32), "float32"),
               encode("conv/b", rng.standard_normal([3]).astype(np.float32),
                      "float32")]
    return nodes, weights


def node(nodes, name):
    return next(n for n in nodes if n["name"] == name)


def main():
    out = sys.argv[1]
    rng = np.random.default_rng(2024)
    nodes, weights = network(rng)
    for quant in ["float32", "uint8", "uint16", "float16"]:
        encoded = [encode(n, a, quant) for n, a in weights]
        first = sum(len(b) for _, b in encoded[:6])
        # Two groups; the first split over two shards in mid-weight.
        write_model(os.path.join(out, "fused-" + quant), nodes,
                    [(encoded[:6], [first // 2 + 1]), (encoded[6:], None)])

    nodes, weights = activations_network(rng)
    write_model(os.path.join(out, "fused-activations"), nodes,
                [([encode(n, a, "float32") for n, a in weights], None)])

    def err(name, mutate):
        t_nodes, t_weights = tiny(np.random.default_rng(7))
        t_nodes = json.loads(json.dumps(t_nodes))
        groups = [(t_weights, None)]
        mutate(t_nodes, groups)
        write_model(os.path.join(out, "err-" + name), t_nodes, groups)

    def missing_shard(nodes_, groups):
        groups.append(([encode("extra", np.zeros([2], np.float32),
                               "float32")], None))

    err("missing-shard", missing_shard)
    err("short-shard", lambda n, g: None)
    err("unknown-dtype", lambda n, g: g[0][0][1][0].update(dtype="complex64"))
    err("unknown-quant", lambda n, g: g[0][0][0][0].update(
        quantization={"dtype": "int4", "min": 0, "scale": 1}))
    err("dangling-input", lambda n, g: node(n, "conv")["input"].__setitem__(
        0, "ghost"))

    def cycle(nodes_, groups):
        node(nodes_, "conv")["input"][0] = "loop"
        nodes_.append({"name": "loop", "op": "Relu", "input": ["conv"],
                       "attr": {"T": {"type": "DT_FLOAT"}}})

    err("cycle", cycle)
    err("unknown-op", lambda n, g: node(n, "Identity").update(op="Erf"))
    err("unknown-fused-op", lambda n, g: node(n, "conv")["attr"].update(
        fused_ops=attr_list_s(["BiasAdd", "Elu"])))
    err("no-weight", lambda n, g: g[0][0].pop())
    # Post-process the files whose defect is in the shards themselves.
    os.remove(os.path.join(out, "err-missing-shard", "group2-shard1of1.bin"))
    short = os.path.join(out, "err-short-shard", "group1-shard1of1.bin")
    with open(short, "rb") as f:
        data = f.read()
    with open(short, "wb") as f:
        f.write(data[:-4])
    with open(os.path.join(out, "err-truncated-json.json"), "w") as f:
        f.write('{"format": "graph-model", "modelTopology": {"node": [')


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Writes a small ONNX model with a BatchNormalization after each kind of
producer, an input for it, and PyTorch's output for that input.

    make_bn_onnx.py OUT_DIR

OUT_DIR/bn.onnx (onnx.helper, opset 13), OUT_DIR/input.npy (1x3x9x9, NCHW)
and OUT_DIR/reference.npy, computed by torch.nn.functional from the same
weights: an independent reference for tfg-fold-batchnorm's output.

Batch norms (7), and what tfg-fold-batchnorm must do with them:
  bn_conv     after Conv (with bias)            -> folded
  bn_relu     after Relu (activation between)   -> scale and offset
  bn_dw       after a depthwise Conv (group = C, multiplier 2), epsilon
              pre-folded into the variance, epsilon = 0 -> folded
  bn_convt    after ConvTranspose, epsilon 1e-3 -> folded
  bn_pool     after MaxPool                     -> scale and offset
  bn_shared   after a Conv whose output also feeds an Add -> scale and offset
  bn_fc       after Gemm (transB = 1), rank-2 input [N, C] -> folded
"""

import os
import sys

import numpy as np
import onnx
import torch
import torch.nn.functional as F
from onnx import TensorProto, helper, numpy_helper

SEED = 20250611


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(SEED)

    def normal(*shape, s=0.5):
        return (rng.standard_normal(shape) * s).astype(np.float32)

    def bn_params(c):
        # Mixed signs in gamma, variances far from 1: mistakes in the
        # per-channel factor or its channel order show.
        scale = rng.uniform(0.5, 1.5, c) * rng.choice([-1.0, 1.0], c)
        return [scale.astype(np.float32), normal(c), normal(c),
                rng.uniform(0.2, 2.0, c).astype(np.float32)]

    w = {
        "w1": normal(6, 3, 3, 3), "b1": normal(6),
        "wdw": normal(12, 1, 3, 3),
        "wct": normal(12, 4, 3, 3), "bct": normal(4),
        "w5": normal(4, 4, 1, 1),
        "wfc": normal(5, 4), "bfc": normal(5),
    }
    bns = {name: bn_params(c) for name, c in
           [("bn_conv", 6), ("bn_relu", 6), ("bn_dw", 12), ("bn_convt", 4),
            ("bn_pool", 4), ("bn_shared", 4), ("bn_fc", 5)]}
    eps = {"bn_conv": 1e-5, "bn_relu": 1e-3, "bn_dw": 0.0, "bn_convt": 1e-3,
           "bn_pool": 1e-5, "bn_shared": 1.001e-5, "bn_fc": 1e-5}
    # An exporter that folded epsilon 1e-3 into the variance.
    bns["bn_dw"][3] = (bns["bn_dw"][3] + np.float32(1e-3)).astype(np.float32)

    nodes = []
    inits = [numpy_helper.from_array(v, k) for k, v in w.items()]

    def bn(name, x, y):
        names = [name + s for s in ("/scale", "/offset", "/mean", "/var")]
        for n, v in zip(names, bns[name]):
            inits.append(numpy_helper.from_array(v, n))
        nodes.append(helper.make_node("BatchNormalization", [x] + names, [y],
                                      name=name, epsilon=eps[name]))

    nodes.append(helper.make_node("Conv", ["x", "w1", "b1"], ["c1"],
                                  name="conv", pads=[1, 1, 1, 1]))
    bn("bn_conv", "c1", "n1")
    nodes.append(helper.make_node("Relu", ["n1"], ["r1"], name="relu1"))
    bn("bn_relu", "r1", "s1")
    nodes.append(helper.make_node("Conv", ["s1", "wdw"], ["d"], name="dw",
                                  group=6, strides=[2, 2], pads=[1, 1, 1, 1]))
    bn("bn_dw", "d", "n2")
    nodes.append(helper.make_node("Relu", ["n2"], ["r2"], name="relu2"))
    nodes.append(helper.make_node("ConvTranspose", ["r2", "wct", "bct"], ["t"],
                                  name="convt", strides=[2, 2],
                                  pads=[1, 1, 1, 1], output_padding=[1, 1]))
    bn("bn_convt", "t", "n3")
    nodes.append(helper.make_node("MaxPool", ["n3"], ["p"], name="pool",
                                  kernel_shape=[2, 2], strides=[2, 2]))
    bn("bn_pool", "p", "n4")
    nodes.append(helper.make_node("Conv", ["n4", "w5"], ["c5"], name="conv5"))
    bn("bn_shared", "c5", "n5")
    nodes.append(helper.make_node("Add", ["c5", "n5"], ["a"], name="add"))
    nodes.append(helper.make_node("GlobalAveragePool", ["a"], ["g"],
                                  name="gap"))
    nodes.append(helper.make_node("Flatten", ["g"], ["f"], name="flatten"))
    nodes.append(helper.make_node("Gemm", ["f", "wfc", "bfc"], ["m"],
                                  name="fc", transB=1))
    bn("bn_fc", "m", "y")

    graph = helper.make_graph(
        nodes, "bn_fold", [helper.make_tensor_value_info(
            "x", TensorProto.FLOAT, [1, 3, 9, 9])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 5])],
        inits)
    model = helper.make_model(graph,
                              opset_imports=[helper.make_opsetid("", 13)])
    onnx.checker.check_model(model)
    onnx.save(model, os.path.join(out, "bn.onnx"))

    x = normal(1, 3, 9, 9, s=1.0)
    np.save(os.path.join(out, "input.npy"), x)

    t = {k: torch.from_numpy(v) for k, v in w.items()}

    def tbn(name, v):
        scale, offset, mean, var = (torch.from_numpy(a) for a in bns[name])
        return F.batch_norm(v, mean, var, scale, offset, False, 0.0, eps[name])

    with torch.no_grad():
        v = F.conv2d(torch.from_numpy(x), t["w1"], t["b1"], padding=1)
        v = tbn("bn_relu", F.relu(tbn("bn_conv", v)))
        v = F.conv2d(v, t["wdw"], stride=2, padding=1, groups=6)
        v = F.relu(tbn("bn_dw", v))
        v = F.conv_transpose2d(v, t["wct"], t["bct"], stride=2, padding=1,
                               output_padding=1)
        v = tbn("bn_pool", F.max_pool2d(tbn("bn_convt", v), 2))
        c5 = F.conv2d(v, t["w5"])
        v = c5 + tbn("bn_shared", c5)
        v = torch.flatten(v.mean(dim=(2, 3), keepdim=True), 1)
        v = tbn("bn_fc", F.linear(v, t["wfc"], t["bfc"]))
    np.save(os.path.join(out, "reference.npy"), v.numpy())


if __name__ == "__main__":
    main()

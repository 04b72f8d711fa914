#!/usr/bin/env python3
"""Writes a small ONNX model with the patterns the fusion passes remove, an
input for it, and PyTorch's output for that input.

    make_fusion_onnx.py OUT_DIR

OUT_DIR/fusion.onnx (onnx.helper, opset 13), OUT_DIR/input.npy (1x3x8x8,
NCHW) and OUT_DIR/reference.npy, computed by torch.nn.functional from the
same weights: an independent reference for the passes' output.

  pad1 -> conv1            zero Pad then Conv          -> tfg-fuse-pad
  conv1 * s1 + t1          per-channel Mul/Add         -> tfg-fold-constant-affine
  LeakyRelu(0.1)                                       -> tfg-fuse-bias-activation
  Transpose(NHWC) * s2 -> Transpose(NCHW)              -> tfg-cancel-transposes
  Transpose(identity) + t2 -> Relu6 (NCHW, [C,1,1])    -> tfg-cancel-transposes
  conv2 -> PRelu([0.25])   one slope = leaky ReLU      -> tfg-fuse-bias-activation
  pad3 -> depthwise conv3  (bottom/right, stride 2)    -> tfg-fuse-pad
  conv3 - t3 -> PRelu(per channel)                     -> sub folds, prelu stays
"""

import os
import sys

import numpy as np
import onnx
import torch
import torch.nn.functional as F
from onnx import TensorProto, helper, numpy_helper

SEED = 20250612


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(SEED)

    def normal(*shape, s=0.5):
        return (rng.standard_normal(shape) * s).astype(np.float32)

    c = 4
    w = {
        "w1": normal(c, 3, 3, 3), "b1": normal(c),
        "s1": normal(c, 1, 1, s=1.0), "t1": normal(1, c, 1, 1),
        "s2": normal(c, s=1.0),
        "t2": normal(c, 1, 1),
        "w2": normal(c, c, 3, 3), "b2": normal(c),
        "slope2": np.array([0.25], np.float32),
        "w3": normal(c, 1, 3, 3),
        "t3": normal(c, 1, 1),
        "slope3": np.abs(normal(c, 1, 1)),
        "pads1": np.array([0, 0, 1, 1, 0, 0, 1, 1], np.int64),
        "pads3": np.array([0, 0, 0, 0, 0, 0, 1, 1], np.int64),
    }
    node = helper.make_node
    nodes = [
        node("Pad", ["x", "pads1"], ["p1"], name="pad1"),
        node("Conv", ["p1", "w1", "b1"], ["c1"], name="conv1"),
        node("Mul", ["c1", "s1"], ["m1"], name="scale1"),
        node("Add", ["m1", "t1"], ["a1"], name="shift1"),
        node("LeakyRelu", ["a1"], ["l1"], name="leaky1", alpha=0.1),
        node("Transpose", ["l1"], ["nhwc"], name="to_nhwc", perm=[0, 2, 3, 1]),
        node("Mul", ["nhwc", "s2"], ["m2"], name="scale2"),
        node("Transpose", ["m2"], ["nchw"], name="to_nchw", perm=[0, 3, 1, 2]),
        node("Transpose", ["nchw"], ["same"], name="same", perm=[0, 1, 2, 3]),
        node("Add", ["same", "t2"], ["a2"], name="shift2"),
        node("Clip", ["a2", "zero", "six"], ["r2"], name="relu6"),
        node("Conv", ["r2", "w2", "b2"], ["c2"], name="conv2",
             pads=[1, 1, 1, 1]),
        node("PRelu", ["c2", "slope2"], ["l2"], name="prelu2"),
        node("Pad", ["l2", "pads3"], ["p3"], name="pad3"),
        node("Conv", ["p3", "w3"], ["c3"], name="conv3", group=c,
             strides=[2, 2]),
        node("Sub", ["c3", "t3"], ["s3"], name="shift3"),
        node("PRelu", ["s3", "slope3"], ["y"], name="prelu3"),
    ]
    inits = [numpy_helper.from_array(v, k) for k, v in w.items()]
    inits += [numpy_helper.from_array(np.array(0, np.float32), "zero"),
              numpy_helper.from_array(np.array(6, np.float32), "six")]
    graph = helper.make_graph(
        nodes, "fusion",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 8, 8])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, c, 4, 4])],
        inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    onnx.checker.check_model(model)
    onnx.save(model, os.path.join(out, "fusion.onnx"))

    x = normal(1, 3, 8, 8, s=1.0)
    np.save(os.path.join(out, "input.npy"), x)

    t = {k: torch.from_numpy(v) for k, v in w.items()}
    h = F.pad(torch.from_numpy(x), (1, 1, 1, 1))
    h = F.conv2d(h, t["w1"], t["b1"]) * t["s1"] + t["t1"]
    h = F.leaky_relu(h, 0.1)
    h = (h.permute(0, 2, 3, 1) * t["s2"]).permute(0, 3, 1, 2)
    h = torch.clamp(h + t["t2"], 0.0, 6.0)
    h = F.prelu(F.conv2d(h, t["w2"], t["b2"], padding=1), t["slope2"])
    h = F.conv2d(F.pad(h, (0, 1, 0, 1)), t["w3"], stride=2, groups=c)
    h = h - t["t3"]
    h = torch.where(h >= 0, h, t["slope3"] * h)
    np.save(os.path.join(out, "reference.npy"), h.numpy())


if __name__ == "__main__":
    main()

"""Writes a tiny MobileNetV2-style ONNX model and its data.

    mobilenet_block.py PREFIX

PREFIX.onnx: 1x1 conv (8 -> 24) + ReLU6, 3x3 depthwise + ReLU6, 1x1 linear
bottleneck (24 -> 8), residual add, global average pool (7x7), flatten,
Gemm (8 -> 5); random weights. A second branch concatenates the bottleneck
with a 1x1 conv of the input and scales it per channel (Mul) before a
second pool, so that concat and eltwise MUL are exercised; its pooled
result is added to the first before the Gemm.
PREFIX.calib.npy: 32 calibration images, PREFIX.input.npy: 16 test images
(NHWC, as the imported function takes them).
"""
import sys

import numpy as np
from onnx import TensorProto, helper, numpy_helper
from onnx_graph import save

prefix = sys.argv[1]
rng = np.random.default_rng(11)
C, E, H = 8, 24, 7
inits, nodes = [], []


def const(name, value):
    inits.append(numpy_helper.from_array(value.astype(np.float32), name))
    return name


def conv(name, x, w, b, group=1, pad=0):
    const(name + ".w", w)
    const(name + ".b", b)
    k = w.shape[2]
    nodes.append(helper.make_node(
        "Conv", [x, name + ".w", name + ".b"], [name], group=group,
        kernel_shape=[k, k], pads=[pad] * 4, strides=[1, 1]))
    return name


def relu6(x):
    lo = const(x + ".min", np.array(0.0))
    hi = const(x + ".max", np.array(6.0))
    nodes.append(helper.make_node("Clip", [x, lo, hi], [x + ".relu6"]))
    return x + ".relu6"


def randn(*shape, fan_in):
    return rng.standard_normal(shape) / np.sqrt(fan_in)


nodes.append(helper.make_node("Transpose", ["input"], ["x"], perm=[0, 3, 1, 2]))
e = relu6(conv("expand", "x", randn(E, C, 1, 1, fan_in=C),
               0.1 * rng.standard_normal(E)))
d = relu6(conv("dw", e, randn(E, 1, 3, 3, fan_in=3), 0.1 * rng.standard_normal(E),
               group=E, pad=1))
p = conv("project", d, randn(C, E, 1, 1, fan_in=E) * 0.5,
         0.1 * rng.standard_normal(C))
nodes.append(helper.make_node("Add", ["x", p], ["residual"]))
nodes.append(helper.make_node("GlobalAveragePool", ["residual"], ["gap"]))
# Side branch: concat + per-channel Mul.
s = conv("side", "x", randn(4, C, 1, 1, fan_in=C), 0.1 * rng.standard_normal(4))
nodes.append(helper.make_node("Concat", [p, s], ["cat"], axis=1))
const("scale", (0.5 + rng.random((1, C + 4, 1, 1))))
nodes.append(helper.make_node("Mul", ["cat", "scale"], ["scaled"]))
nodes.append(helper.make_node("GlobalAveragePool", ["scaled"], ["gap2"]))
nodes.append(helper.make_node("Flatten", ["gap"], ["flat"], axis=1))
nodes.append(helper.make_node("Flatten", ["gap2"], ["flat2"], axis=1))
nodes.append(helper.make_node("Concat", ["flat", "flat2"], ["features"], axis=1))
const("fc.w", randn(2 * C + 4, 5, fan_in=2 * C + 4))
const("fc.b", 0.1 * rng.standard_normal(5))
nodes.append(helper.make_node("Gemm", ["features", "fc.w", "fc.b"], ["logits"]))

graph = helper.make_graph(
    nodes, "mobilenet_block",
    [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["N", H, H, C])],
    [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["N", 5])],
    inits)
# Test images on the half-LSB grid of a position-5 input (ties included).
save(graph, prefix, rng.standard_normal((32, H, H, C)),
     rng.integers(-192, 192, (16, H, H, C)) / 64)

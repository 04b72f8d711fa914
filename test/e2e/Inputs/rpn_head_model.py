"""Writes a tiny ONNX model shaped like voxelnet's RPN head (pointpillars).

    rpn_head_model.py PREFIX

NHWC input [N, 8, 8, 4] -> 3x3 conv + ReLU (8 channels) at three scales
(MaxPool 2x2 / 2 between them, each scale a 3x3 conv + ReLU), each scale
brought back to 8x8 by a ConvTranspose with kernel = stride = 1, 2 and 4
(+ bias, + ReLU, as vai_c's three transposed-conv2d-fix of pointpillars),
the three concatenated along channels, then a 1x1 conv head -> NHWC maps
[N, 8, 8, 6]. The output is a feature map so that every element of the
transposed convolutions reaches the comparison.
PREFIX.onnx, PREFIX.calib.npy (32 images), PREFIX.input.npy (8 images on a
2^-7 grid).
"""
import sys

import numpy as np
from onnx_graph import Graph, save
from onnx import TensorProto, helper

prefix = sys.argv[1]
g = Graph(11)
rng, inits, nodes, const, conv = g.rng, g.inits, g.nodes, g.const, g.conv


def relu(x):
    nodes.append(helper.make_node("Relu", [x], [x + ".relu"]))
    return x + ".relu"


def deconv(name, x, cin, cout, k):
    # ONNX ConvTranspose weights are [C_in, C_out, kh, kw]; k = stride.
    const(name + ".w",
          rng.standard_normal((cin, cout, k, k)) / np.sqrt(cin))
    const(name + ".b", 0.2 * rng.standard_normal(cout))
    nodes.append(helper.make_node(
        "ConvTranspose", [x, name + ".w", name + ".b"], [name],
        kernel_shape=[k, k], strides=[k, k]))
    return name


def maxpool(name, x):
    nodes.append(helper.make_node("MaxPool", [x], [name], kernel_shape=[2, 2],
                                  strides=[2, 2]))
    return name


nodes.append(helper.make_node("Transpose", ["input"], ["x"], perm=[0, 3, 1, 2]))
s1 = relu(conv("block1", "x", 4, 8, 3, 1))
s2 = relu(conv("block2", maxpool("down1", s1), 8, 8, 3, 1))
s3 = relu(conv("block3", maxpool("down2", s2), 8, 8, 3, 1))
ups = [relu(deconv("deconv%d" % (i + 1), s, 8, 4, k))
       for i, (s, k) in enumerate([(s1, 1), (s2, 2), (s3, 4)])]
nodes.append(helper.make_node("Concat", ups, ["cat"], axis=1))
conv("head", "cat", 12, 6, 1, 0)
nodes.append(helper.make_node("Transpose", ["head"], ["maps"],
                              perm=[0, 2, 3, 1]))
graph = helper.make_graph(
    nodes, "rpn_head",
    [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["N", 8, 8, 4])],
    [helper.make_tensor_value_info("maps", TensorProto.FLOAT, ["N", 8, 8, 6])],
    inits)
save(graph, prefix, rng.standard_normal((32, 8, 8, 4)),
     rng.integers(-192, 192, (8, 8, 8, 4)) / 128)

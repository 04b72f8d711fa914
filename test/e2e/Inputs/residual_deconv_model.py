"""Writes a tiny ONNX model with a residual add + ReLU or a ConvTranspose.

    residual_deconv_model.py PREFIX residual|deconv

residual: NHWC input [N, 6, 6, 3] -> 3x3 conv + ReLU (a) -> 3x3 conv (b)
  -> Add(a, b) -> ReLU -> NHWC feature maps [N, 6, 6, 4] (the ResNet
  block's tail: the ReLU fuses into the eltwise add).
deconv: NHWC input [N, 5, 5, 3] -> 3x3 conv + ReLU -> ConvTranspose 3x3
  stride 2, pads 1, output_padding 1, bias -> ReLU
  -> ConvTranspose 2x2 stride 2, no bias -> NHWC maps [N, 20, 20, 2].
The output is a feature map so that every element of the op under test
reaches the comparison.
PREFIX.onnx, PREFIX.calib.npy (32 images), PREFIX.input.npy (16 images on
a 2^-7 grid, so inputs quantized at positions up to 6 meet ties).
"""
import sys

import numpy as np
from onnx_graph import Graph, save
from onnx import TensorProto, helper

prefix, kind = sys.argv[1], sys.argv[2]
g = Graph(7)
rng, inits, nodes, const, conv = g.rng, g.inits, g.nodes, g.const, g.conv


def deconv(name, x, cin, cout, k, stride, pad, out_pad, bias):
    # ONNX ConvTranspose weights are [C_in, C_out, kh, kw].
    const(name + ".w", rng.standard_normal((cin, cout, k, k)) / np.sqrt(k * k * cin))
    inputs = [x, name + ".w"]
    if bias:
        inputs.append(const(name + ".b", 0.2 * rng.standard_normal(cout)))
    nodes.append(helper.make_node(
        "ConvTranspose", inputs, [name], kernel_shape=[k, k],
        strides=[stride, stride], pads=[pad] * 4,
        output_padding=[out_pad, out_pad]))
    return name


nodes.append(helper.make_node("Transpose", ["input"], ["x"], perm=[0, 3, 1, 2]))
if kind == "residual":
    size, out_shape = 6, [6, 6, 4]
    a = conv("conv1", "x", 3, 4, 3, 1)
    nodes.append(helper.make_node("Relu", [a], ["relu1"]))
    b = conv("conv2", "relu1", 4, 4, 3, 1)
    nodes.append(helper.make_node("Add", ["relu1", b], ["sum"]))
    nodes.append(helper.make_node("Relu", ["sum"], ["out"]))
elif kind == "deconv":
    size, out_shape = 5, [20, 20, 2]
    a = conv("conv1", "x", 3, 4, 3, 1)
    nodes.append(helper.make_node("Relu", [a], ["relu1"]))
    d1 = deconv("deconv1", "relu1", 4, 3, 3, 2, 1, 1, True)
    nodes.append(helper.make_node("Relu", [d1], ["relu2"]))
    deconv("deconv2", "relu2", 3, 2, 2, 2, 0, 0, False)
    nodes[-1].output[0] = "out"
else:
    sys.exit("unknown model kind " + kind)
nodes.append(helper.make_node("Transpose", ["out"], ["maps"], perm=[0, 2, 3, 1]))
graph = helper.make_graph(
    nodes, kind,
    [helper.make_tensor_value_info("input", TensorProto.FLOAT,
                                   ["N", size, size, 3])],
    [helper.make_tensor_value_info("maps", TensorProto.FLOAT,
                                   ["N"] + out_shape)], inits)
save(graph, prefix, rng.standard_normal((32, size, size, 3)),
     rng.integers(-192, 192, (16, size, size, 3)) / 128)

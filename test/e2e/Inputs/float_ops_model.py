"""Writes a tiny ONNX classifier with ops that have no fixed-point form.

    float_ops_model.py PREFIX

PREFIX.onnx (NHWC input [N, 7, 7, 3], random weights):
  3x3 conv + ReLU -> Sigmoid -> 1x1 conv -> Tanh -> GlobalAveragePool
  -> Gemm -> Softmax.
Sigmoid, tanh and softmax stay float (quant-quantize float-fallback) and run
on the CPU between fix2float / float2fix; the softmax feeds the output.
PREFIX.calib.npy: 32 calibration images; PREFIX.input.npy: 16 test images.
"""
import sys

import numpy as np
from onnx_graph import Graph, save
from onnx import TensorProto, helper

prefix = sys.argv[1]
g = Graph(11)
rng, inits, nodes, const, conv = g.rng, g.inits, g.nodes, g.const, g.conv


nodes.append(helper.make_node("Transpose", ["input"], ["x"], perm=[0, 3, 1, 2]))
c1 = conv("conv1", "x", 3, 8, 3, 1)
nodes.append(helper.make_node("Relu", [c1], ["relu1"]))
nodes.append(helper.make_node("Sigmoid", ["relu1"], ["sig"]))
c2 = conv("conv2", "sig", 8, 6, 1, 0)
nodes.append(helper.make_node("Tanh", [c2], ["tanh"]))
nodes.append(helper.make_node("GlobalAveragePool", ["tanh"], ["gap"]))
nodes.append(helper.make_node("Flatten", ["gap"], ["flat"], axis=1))
const("fc.w", 2 * rng.standard_normal((6, 5)))
const("fc.b", 0.1 * rng.standard_normal(5))
nodes.append(helper.make_node("Gemm", ["flat", "fc.w", "fc.b"], ["logits"]))
nodes.append(helper.make_node("Softmax", ["logits"], ["probs"], axis=-1))
for node in nodes:  # node names become the ops' locations
    node.name = node.output[0]
graph = helper.make_graph(
    nodes, "float_ops",
    [helper.make_tensor_value_info("input", TensorProto.FLOAT,
                                   ["N", 7, 7, 3])],
    [helper.make_tensor_value_info("probs", TensorProto.FLOAT, ["N", 5])],
    inits)
save(graph, prefix, rng.standard_normal((32, 7, 7, 3)),
     rng.standard_normal((16, 7, 7, 3)))

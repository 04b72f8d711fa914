"""Writes a tiny ONNX model with the data-movement ops and hard sigmoid.

    quant_ops_model.py PREFIX [--maps]

PREFIX.onnx (NHWC input [N, 8, 8, 3], random weights):
  3x3 conv + ReLU -> Pad reflect 1 (H, W) -> 3x3 valid conv
  -> Pad constant 0 (bottom, right) -> MaxPool 3x3 / 3
  -> Resize nearest x2 (half_pixel, round_prefer_floor) -> HardSigmoid(1/6, 1/2)
  -> 1x1 conv -> Pad edge (bottom, right) -> GlobalAveragePool 7x7 -> Gemm.
The pads stay pads (tfg-fuse-pad merges only zero pads into convolutions),
so pad-fix CONSTANT / REFLECT / SYMMETRIC, upsample-fix and hard-sigmoid-fix
all appear in the compiled model.
With --maps the model returns feature maps instead, so that every element
of each op's result reaches the comparison (input [N, 6, 6, 3]):
  3x3 conv -> Pad reflect 2 -> Resize nearest x2 (asymmetric, floor)
  -> HardSigmoid -> Pad edge 1 -> Pad constant 0 by 1 -> NHWC output.
PREFIX.calib.npy: 32 calibration images; PREFIX.input.npy: 16 test images
on the half-LSB grid of a position-5 input (ties included).
"""
import sys

import numpy as np
from onnx_graph import Graph, save
from onnx import TensorProto, helper

prefix = sys.argv[1]
g = Graph(5)
rng, inits, nodes, const, conv = g.rng, g.inits, g.nodes, g.const, g.conv


def pad(name, x, pads, mode):
    const(name + ".pads", pads, np.int64)
    nodes.append(helper.make_node("Pad", [x, name + ".pads"], [name], mode=mode))
    return name


maps = "--maps" in sys.argv[2:]
size = 6 if maps else 8
nodes.append(helper.make_node("Transpose", ["input"], ["x"], perm=[0, 3, 1, 2]))
if maps:
    c = conv("m_conv", "x", 3, 4, 3, 1)
    e = pad("m_reflect", c, [0, 0, 2, 2, 0, 0, 2, 2], "reflect")
    const("m_up.roi", [], np.float32)
    const("m_up.scales", [1, 1, 2, 2])
    nodes.append(helper.make_node(
        "Resize", [e, "m_up.roi", "m_up.scales"], ["m_up"], mode="nearest",
        coordinate_transformation_mode="asymmetric", nearest_mode="floor"))
    nodes.append(helper.make_node("HardSigmoid", ["m_up"], ["m_hsig"],
                                  alpha=1.0 / 6, beta=0.5))
    r = pad("m_edge", "m_hsig", [0, 0, 1, 1, 0, 0, 1, 1], "edge")
    z = pad("m_zero", r, [0, 0, 1, 1, 0, 0, 1, 1], "constant")
    nodes.append(helper.make_node("Transpose", [z], ["maps"], perm=[0, 2, 3, 1]))
    out = helper.make_tensor_value_info("maps", TensorProto.FLOAT,
                                        ["N", 24, 24, 4])
else:
    out = helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["N", 5])
c1 = conv("conv1", "x", 3, 8, 3, 1)
nodes.append(helper.make_node("Relu", [c1], ["relu1"]))
p1 = pad("pad_reflect", "relu1", [0, 0, 1, 1, 0, 0, 1, 1], "reflect")
c2 = conv("conv2", p1, 8, 8, 3, 0)
p2 = pad("pad_zero", c2, [0, 0, 0, 0, 0, 0, 1, 1], "constant")
nodes.append(helper.make_node("MaxPool", [p2], ["pool"], kernel_shape=[3, 3],
                              strides=[3, 3]))
const("up.roi", [], np.float32)
const("up.scales", [1, 1, 2, 2])
nodes.append(helper.make_node("Resize", ["pool", "up.roi", "up.scales"], ["up"],
                              mode="nearest"))
nodes.append(helper.make_node("HardSigmoid", ["up"], ["hsig"], alpha=1.0 / 6,
                              beta=0.5))
c3 = conv("conv3", "hsig", 8, 4, 1, 0)
p3 = pad("pad_edge", c3, [0, 0, 0, 0, 0, 0, 1, 1], "edge")
nodes.append(helper.make_node("GlobalAveragePool", [p3], ["gap"]))
nodes.append(helper.make_node("Flatten", ["gap"], ["flat"], axis=1))
const("fc.w", rng.standard_normal((4, 5)) / 2)
const("fc.b", 0.1 * rng.standard_normal(5))
nodes.append(helper.make_node("Gemm", ["flat", "fc.w", "fc.b"], ["logits"]))

if maps:  # keep only what feeds the maps
    used = {"x", "m_conv", "m_edge", "m_up", "m_hsig", "m_reflect", "m_zero",
            "maps"}
    nodes = [n for n in nodes if n.output[0] in used]
    inputs = {i for n in nodes for i in n.input}
    inits = [t for t in inits if t.name in inputs]
graph = helper.make_graph(
    nodes, "quant_ops",
    [helper.make_tensor_value_info("input", TensorProto.FLOAT,
                                   ["N", size, size, 3])],
    [out], inits)
save(graph, prefix, rng.standard_normal((32, size, size, 3)),
     rng.integers(-192, 192, (16, size, size, 3)) / 64)

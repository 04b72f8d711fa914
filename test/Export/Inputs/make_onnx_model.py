"""Writes small ONNX models (opset 13) for the export tests, with onnx.helper.

usage: make_onnx_model.py NAME OUT.onnx
  cnn: Conv+BatchNormalization+Relu, depthwise Conv, MaxPool, ConvTranspose,
       AveragePool, Resize, Concat, Pad, PRelu, Mul by a per-channel
       constant, HardSigmoid, Clip, GlobalAveragePool, Flatten, Gemm,
       Softmax; a dynamic batch; outputs the probabilities (NC) and an NCHW
       feature map.
  d2s: DepthToSpace (CRD), LeakyRelu, Clip with only a minimum, Transpose
       and Reshape, with a
       static batch.
"""
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

rng = np.random.default_rng(1)


def init(name, *shape, positive=False):
    v = rng.standard_normal(shape).astype(np.float32) * 0.5
    if positive:
        v = np.abs(v) + 0.5
    return numpy_helper.from_array(v, name)


def ints(name, values):
    return numpy_helper.from_array(np.array(values, np.int64), name)


def floats(name, values):
    return numpy_helper.from_array(np.array(values, np.float32), name)


def cnn():
    n = helper.make_node
    nodes = [
        n("Conv", ["x", "w1", "b1"], ["c1"], pads=[1, 1, 1, 1],
          kernel_shape=[3, 3]),
        n("BatchNormalization", ["c1", "s", "o", "m", "v"], ["bn"],
          epsilon=1e-3),
        n("Relu", ["bn"], ["r"]),
        n("Conv", ["r", "wd", "bd"], ["dw"], group=8, pads=[1, 1, 1, 1],
          strides=[2, 2], kernel_shape=[3, 3]),
        n("MaxPool", ["dw"], ["mp"], kernel_shape=[2, 2], strides=[2, 2]),
        n("ConvTranspose", ["mp", "wt"], ["ct"], strides=[2, 2],
          pads=[1, 1, 1, 1], output_padding=[1, 1], kernel_shape=[3, 3]),
        n("AveragePool", ["ct"], ["ap"], kernel_shape=[3, 3],
          pads=[1, 1, 1, 1], count_include_pad=0),
        n("Resize", ["ap", "", "scales"], ["rs"], mode="nearest",
          coordinate_transformation_mode="asymmetric", nearest_mode="floor"),
        n("Concat", ["rs", "r"], ["cat"], axis=1),
        n("Pad", ["cat", "pads", "pad_value"], ["pd"], mode="constant"),
        n("PRelu", ["pd", "slope"], ["pr"]),
        n("Mul", ["pr", "gain"], ["mu"]),
        n("HardSigmoid", ["mu"], ["hs"], alpha=0.3, beta=0.4),
        n("Clip", ["mu", "lo", "hi"], ["cl"]),
        n("Add", ["hs", "cl"], ["feat"]),
        n("GlobalAveragePool", ["feat"], ["gap"]),
        n("Flatten", ["gap"], ["fl"]),
        n("Gemm", ["fl", "wg", "bg"], ["g"], transB=1),
        n("Softmax", ["g"], ["prob"], axis=-1),
    ]
    inits = [
        init("w1", 8, 3, 3, 3), init("b1", 8),
        init("s", 8), init("o", 8), init("m", 8), init("v", 8, positive=True),
        init("wd", 8, 1, 3, 3), init("bd", 8),
        init("wt", 8, 4, 3, 3),
        floats("scales", [1, 1, 2, 2]),
        ints("pads", [0, 0, 1, 1, 0, 0, 1, 1]), floats("pad_value", 0.5),
        init("slope", 12, 1, 1), init("gain", 12, 1, 1),
        floats("lo", -0.5), floats("hi", 0.75),
        init("wg", 5, 12), init("bg", 5),
    ]
    graph = helper.make_graph(
        nodes, "cnn",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT,
                                       ["N", 3, 8, 8])],
        [helper.make_tensor_value_info("prob", TensorProto.FLOAT, ["N", 5]),
         helper.make_tensor_value_info("feat", TensorProto.FLOAT,
                                       ["N", 12, 10, 10])],
        inits)
    return graph


def d2s():
    n = helper.make_node
    nodes = [
        n("Conv", ["x", "w"], ["c"], kernel_shape=[1, 1]),
        n("DepthToSpace", ["c"], ["d"], blocksize=2, mode="CRD"),
        n("LeakyRelu", ["d"], ["l"], alpha=0.05),
        n("Clip", ["l", "lo"], ["sg"]),
        n("Transpose", ["sg"], ["t"], perm=[0, 2, 3, 1]),
        n("Reshape", ["t", "shape"], ["y"]),
    ]
    inits = [init("w", 8, 4, 1, 1), ints("shape", [2, -1]), floats("lo", -0.02)]
    return helper.make_graph(
        nodes, "d2s",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 4, 3, 3])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2, 72])],
        inits)


def main():
    name, out = sys.argv[1:3]
    graph = {"cnn": cnn, "d2s": d2s}[name]()
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 7
    onnx.checker.check_model(model, full_check=True)
    onnx.save(model, out)


if __name__ == "__main__":
    main()

"""Writes the small ONNX models the onnx-*.test lit tests import.

Usage: make_model.py NAME OUT.onnx

Each model is built with onnx.helper; weights are deterministic
(np.arange-based) so the tests can check transposed values.
"""

import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def tensor(name, array):
    return numpy_helper.from_array(np.asarray(array), name)


def arange(shape, scale=1.0):
    return (np.arange(np.prod(shape), dtype=np.float32) * scale).reshape(shape)


def value(name, shape, dtype=TensorProto.FLOAT):
    return helper.make_tensor_value_info(name, dtype, shape)


def model(nodes, inputs, outputs, initializers=(), opset=13, value_info=(),
          extra_opsets=()):
    graph = helper.make_graph(nodes, "g", inputs, outputs,
                              initializer=list(initializers),
                              value_info=list(value_info))
    opsets = [helper.make_opsetid("", opset)]
    opsets += [helper.make_opsetid(d, v) for d, v in extra_opsets]
    m = helper.make_model(graph, opset_imports=opsets,
                          producer_name="vai-lit")
    m.ir_version = 7
    return m


def conv_bias():
    # Conv 3x3 pads 1 with bias, then Relu; NCHW in and out.
    w = arange([4, 2, 3, 3])  # OIHW, w[o, i, h, x] = 18 o + 9 i + 3 h + x
    b = np.array([0.5, -0.5, 1.0, -1.0], np.float32)
    nodes = [
        helper.make_node("Conv", ["x", "w", "b"], ["c"], name="conv1",
                         kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["c"], ["y"], name="relu1"),
    ]
    return model(nodes, [value("x", ["N", 2, 8, 8])],
                 [value("y", ["N", 4, 8, 8])], [tensor("w", w), tensor("b", b)])


def conv_flatten():
    # Conv -> Relu -> Flatten -> Gemm: the flatten must see NCHW order, so the
    # NHWC conv output is transposed back first.
    nodes = [
        helper.make_node("Conv", ["x", "w"], ["c"], name="conv",
                         kernel_shape=[3, 3], strides=[2, 2],
                         auto_pad="SAME_LOWER"),
        helper.make_node("Relu", ["c"], ["r"], name="relu"),
        helper.make_node("Flatten", ["r"], ["f"], name="flatten"),
        helper.make_node("Gemm", ["f", "fc_w"], ["y"], name="fc"),
    ]
    inits = [tensor("w", arange([3, 2, 3, 3], 0.01)),
             tensor("fc_w", arange([12, 4], 0.01))]
    return model(nodes, [value("x", [1, 2, 4, 4])], [value("y", [1, 4])],
                 inits)


def conv_bn_relu():
    # The usual exported block; float preparation folds the batch norm into
    # the convolution and fuses the relu.
    c = 4
    inits = [
        tensor("w", arange([c, 3, 3, 3], 0.01)),
        tensor("b", np.linspace(-1, 1, c).astype(np.float32)),
        tensor("scale", np.linspace(0.5, 2, c).astype(np.float32)),
        tensor("shift", np.linspace(-0.2, 0.2, c).astype(np.float32)),
        tensor("mean", np.linspace(0, 1, c).astype(np.float32)),
        tensor("var", np.linspace(1, 3, c).astype(np.float32)),
    ]
    nodes = [
        helper.make_node("Conv", ["x", "w", "b"], ["c"], name="conv",
                         pads=[1, 1, 1, 1]),
        helper.make_node("BatchNormalization",
                         ["c", "scale", "shift", "mean", "var"], ["bn"],
                         name="bn"),
        helper.make_node("Relu", ["bn"], ["r"], name="relu"),
        helper.make_node("MaxPool", ["r"], ["y"], name="pool",
                         kernel_shape=[2, 2], strides=[2, 2]),
    ]
    return model(nodes, [value("x", ["N", 3, 8, 8])],
                 [value("y", ["N", c, 4, 4])], inits, opset=9)


def depthwise():
    # group == C_in == C_out: a depthwise convolution, strides 2, SAME_UPPER.
    w = arange([3, 1, 3, 3])
    nodes = [
        helper.make_node("Conv", ["x", "w"], ["y"], name="dw", group=3,
                         strides=[2, 2], auto_pad="SAME_UPPER"),
    ]
    return model(nodes, [value("x", [1, 3, 7, 7])], [value("y", [1, 3, 4, 4])],
                 [tensor("w", w)])


def grouped():
    w = arange([4, 2, 1, 1])
    nodes = [helper.make_node("Conv", ["x", "w"], ["y"], name="gconv", group=2)]
    return model(nodes, [value("x", [1, 4, 5, 5])], [value("y", [1, 4, 5, 5])],
                 [tensor("w", w)])


def bn_pool():
    # BatchNormalization -> MaxPool(SAME_UPPER) -> AveragePool(count_include_pad)
    # -> GlobalAveragePool -> Flatten -> Gemm(transB).
    c = 3
    inits = [
        tensor("scale", np.array([1.0, 2.0, 3.0], np.float32)),
        tensor("bias", np.array([0.1, 0.2, 0.3], np.float32)),
        tensor("mean", np.array([0.0, 1.0, 2.0], np.float32)),
        tensor("var", np.array([1.0, 4.0, 9.0], np.float32)),
        tensor("fc_w", arange([5, c])),  # [N_out, K], used with transB
        tensor("fc_b", np.arange(5, dtype=np.float32)),
    ]
    nodes = [
        helper.make_node("BatchNormalization",
                         ["x", "scale", "bias", "mean", "var"], ["bn"],
                         name="bn", epsilon=1e-3),
        helper.make_node("MaxPool", ["bn"], ["mp"], name="maxpool",
                         kernel_shape=[3, 3], strides=[2, 2],
                         auto_pad="SAME_UPPER"),
        helper.make_node("AveragePool", ["mp"], ["ap"], name="avgpool",
                         kernel_shape=[3, 3], pads=[1, 1, 1, 1],
                         count_include_pad=1),
        helper.make_node("AveragePool", ["ap"], ["ap2"], name="avgpool_valid",
                         kernel_shape=[2, 2], auto_pad="VALID"),
        helper.make_node("GlobalAveragePool", ["ap2"], ["gap"], name="gap"),
        helper.make_node("Flatten", ["gap"], ["flat"], name="flatten"),
        helper.make_node("Gemm", ["flat", "fc_w", "fc_b"], ["y"], name="fc",
                         transB=1),
    ]
    return model(nodes, [value("x", [1, c, 9, 9])], [value("y", [1, 5])],
                 inits)


def gemm_alpha():
    # alpha != 1 and a matrix C: matmul, mul, add.
    nodes = [
        helper.make_node("Gemm", ["a", "b", "c"], ["y"], name="gemm",
                         alpha=0.5, beta=2.0, transA=1),
    ]
    return model(nodes, [value("a", [3, 2]), value("b", [3, 4])],
                 [value("y", [2, 4])],
                 [tensor("c", arange([2, 4]))])


def resize_concat():
    # Conv -> Resize(nearest, x2) ; Concat(axis=1) with a second conv branch;
    # Upsample-free path; DepthToSpace; Clip(0, 6); Flatten after conv.
    w1 = arange([2, 1, 1, 1])
    w2 = arange([2, 1, 1, 1])
    nodes = [
        helper.make_node("Conv", ["x", "w1"], ["a"], name="conv_a"),
        helper.make_node("Resize", ["a", "", "scales"], ["r"], name="up",
                         mode="nearest",
                         coordinate_transformation_mode="asymmetric",
                         nearest_mode="floor"),
        helper.make_node("Conv", ["x2", "w2"], ["b"], name="conv_b"),
        helper.make_node("Concat", ["r", "b"], ["cat"], name="cat", axis=1),
        helper.make_node("Clip", ["cat", "zero", "six"], ["clip"],
                         name="clip6"),
        helper.make_node("DepthToSpace", ["clip"], ["d2s"], name="d2s",
                         blocksize=2, mode="CRD"),
        helper.make_node("Flatten", ["d2s"], ["y"], name="flatten"),
    ]
    inits = [
        tensor("w1", w1), tensor("w2", w2),
        tensor("scales", np.array([1, 1, 2, 2], np.float32)),
        tensor("zero", np.array(0, np.float32)),
        tensor("six", np.array(6, np.float32)),
    ]
    return model(nodes, [value("x", [1, 1, 4, 4]), value("x2", [1, 1, 8, 8])],
                 [value("y", [1, 256])], inits)


def elementwise():
    # Add of a [C, 1, 1] constant after a conv (NHWC) -> [C] vector;
    # Mul by a graph input in NCHW -> transposed to NHWC; PRelu per channel;
    # LeakyRelu default alpha; Softmax (opset 11, axis 1, flattening).
    nodes = [
        helper.make_node("Conv", ["x", "w"], ["c"], name="conv"),
        helper.make_node("Add", ["c", "k"], ["add"], name="add_bias"),
        helper.make_node("Mul", ["add", "x"], ["mul"], name="mul_input"),
        helper.make_node("PRelu", ["mul", "slope"], ["pr"], name="prelu"),
        helper.make_node("LeakyRelu", ["pr"], ["lr"], name="leaky"),
        helper.make_node("HardSigmoid", ["lr"], ["hs"], name="hsig"),
        helper.make_node("Softmax", ["hs"], ["y"], name="softmax"),
    ]
    inits = [
        tensor("w", arange([2, 2, 1, 1])),
        tensor("k", np.array([10, 20], np.float32).reshape(2, 1, 1)),
        tensor("slope", np.array([0.25, 0.5], np.float32).reshape(2, 1, 1)),
    ]
    return model(nodes, [value("x", [1, 2, 3, 3])], [value("y", [1, 2, 3, 3])],
                 inits, opset=11)


def softmax13():
    nodes = [
        helper.make_node("Conv", ["x", "w"], ["c"], name="conv"),
        helper.make_node("Softmax", ["c"], ["y"], name="softmax", axis=1),
    ]
    return model(nodes, [value("x", [1, 2, 3, 3])], [value("y", [1, 2, 3, 3])],
                 [tensor("w", arange([2, 2, 1, 1]))], opset=13)


def shapes():
    # Reshape with 0 and -1 and a dynamic batch, Transpose composing with the
    # NHWC layout, Squeeze/Unsqueeze (opset 13 inputs), Pad reflect, Identity
    # and Dropout.
    nodes = [
        helper.make_node("Pad", ["x", "pads"], ["p"], name="pad",
                         mode="reflect"),
        helper.make_node("Conv", ["p", "w"], ["c"], name="conv"),
        helper.make_node("Transpose", ["c"], ["t"], name="to_nhwc",
                         perm=[0, 2, 3, 1]),
        helper.make_node("Identity", ["t"], ["i"], name="ident"),
        helper.make_node("Dropout", ["i"], ["d"], name="drop"),
        helper.make_node("Reshape", ["d", "shape"], ["r"], name="reshape"),
        helper.make_node("Unsqueeze", ["r", "axes"], ["u"], name="unsq"),
        helper.make_node("Squeeze", ["u", "axes"], ["y"], name="sq"),
    ]
    inits = [
        tensor("pads", np.array([0, 0, 1, 1, 0, 0, 1, 1], np.int64)),
        tensor("w", arange([4, 2, 3, 3])),
        tensor("shape", np.array([0, -1], np.int64)),
        tensor("axes", np.array([1], np.int64)),
    ]
    return model(nodes, [value("x", ["batch", 2, 6, 6])],
                 [value("y", ["batch", 144])], inits)


def conv_transpose():
    nodes = [
        helper.make_node("ConvTranspose", ["x", "w", "b"], ["y"], name="deconv",
                         strides=[2, 2], pads=[1, 1, 1, 1],
                         output_padding=[1, 1], kernel_shape=[3, 3]),
    ]
    inits = [tensor("w", arange([2, 3, 3, 3])),
             tensor("b", np.array([1, 2, 3], np.float32))]
    return model(nodes, [value("x", [1, 2, 4, 4])], [value("y", [1, 3, 8, 8])],
                 inits)


def upsample():
    nodes = [helper.make_node("Upsample", ["x"], ["y"], name="up",
                              mode="nearest", scales=[1.0, 1.0, 2.0, 3.0])]
    return model(nodes, [value("x", [1, 2, 3, 3])], [value("y", [1, 2, 6, 9])],
                 opset=7)


def qdq():
    # QDQ on the activation and int8 weights through DequantizeLinear.
    wq = (np.arange(8, dtype=np.int8) - 4).reshape(2, 4, 1, 1)
    nodes = [
        helper.make_node("QuantizeLinear", ["x", "xs", "xz"], ["xq"], name="q"),
        helper.make_node("DequantizeLinear", ["xq", "xs", "xz"], ["xd"],
                         name="dq"),
        helper.make_node("DequantizeLinear", ["wq", "ws", "wz"], ["w"],
                         name="wdq", axis=0),
        helper.make_node("Conv", ["xd", "w"], ["y"], name="conv"),
    ]
    inits = [
        tensor("xs", np.array(0.05, np.float32)),
        tensor("xz", np.array(128, np.uint8)),
        tensor("wq", wq),
        tensor("ws", np.array([0.5, 0.25], np.float32)),
        tensor("wz", np.array([0, 0], np.int8)),
    ]
    return model(nodes, [value("x", [1, 4, 2, 2])], [value("y", [1, 2, 2, 2])],
                 inits)


def unsupported():
    nodes = [
        helper.make_node("Relu", ["x"], ["r"], name="relu"),
        helper.make_node("Sin", ["r"], ["s"], name="weird"),
        helper.make_node("TopK", ["s", "k"], ["v", "i"], name="topk", axis=-1),
        helper.make_node("Relu", ["v"], ["y"], name="relu2"),
    ]
    vi = [value("s", [1, 10]), value("v", [1, 3]),
          value("i", [1, 3], TensorProto.INT64)]
    return model(nodes, [value("x", [1, 10])], [value("y", [1, 3])],
                 [tensor("k", np.array([3], np.int64))], value_info=vi)


def other_domain():
    nodes = [helper.make_node("FusedGemm", ["x", "x"], ["y"], name="fused",
                              domain="com.microsoft")]
    return model(nodes, [value("x", [2, 2])], [value("y", [2, 2])],
                 extra_opsets=[("com.microsoft", 1)])


def no_value_info():
    nodes = [helper.make_node("Sin", ["x"], ["y1"], name="weird"),
             helper.make_node("Relu", ["y1"], ["y"], name="relu")]
    return model(nodes, [value("x", [1, 10])], [value("y", [1, 10])])


def dangling():
    nodes = [helper.make_node("Relu", ["ghost"], ["y"], name="r")]
    return model(nodes, [value("x", [1, 4])], [value("y", [1, 4])])


def cycle():
    nodes = [helper.make_node("Relu", ["b"], ["a"], name="ra"),
             helper.make_node("Add", ["a", "x"], ["b"], name="rb"),
             helper.make_node("Relu", ["b"], ["y"], name="out")]
    return model(nodes, [value("x", [1, 4])], [value("y", [1, 4])])


def bad_shapes():
    nodes = [helper.make_node("MatMul", ["a", "b"], ["y"], name="mm")]
    return model(nodes, [value("a", [2, 3]), value("b", [4, 5])],
                 [value("y", [2, 5])])


def matmul1d():
    nodes = [helper.make_node("MatMul", ["a", "b"], ["y"], name="mm")]
    return model(nodes, [value("a", [4]), value("b", [4, 5])],
                 [value("y", [5])])


def ceil_mode():
    nodes = [helper.make_node("MaxPool", ["x"], ["y"], name="pool",
                              kernel_shape=[2, 2], strides=[2, 2], ceil_mode=1)]
    return model(nodes, [value("x", [1, 1, "h", 5])],
                 [value("y", [1, 1, "oh", 3])])


def old_opset():
    nodes = [helper.make_node("Relu", ["x"], ["y"], name="r")]
    return model(nodes, [value("x", [1, 4])], [value("y", [1, 4])], opset=6)


def training_bn():
    nodes = [helper.make_node("BatchNormalization",
                              ["x", "s", "b", "m", "v"], ["y", "rm", "rv"],
                              name="bn", training_mode=1)]
    ones = np.ones(2, np.float32)
    inits = [tensor(n, ones) for n in ("s", "b", "m", "v")]
    return model(nodes, [value("x", [1, 2, 3, 3])],
                 [value("y", [1, 2, 3, 3])], inits, opset=15)


MODELS = {f.__name__: f for f in [
    conv_bias, conv_flatten, conv_bn_relu, depthwise, grouped, bn_pool, gemm_alpha, resize_concat,
    elementwise, softmax13, shapes, conv_transpose, upsample, qdq,
    unsupported, other_domain, no_value_info, dangling, cycle, bad_shapes,
    matmul1d, ceil_mode, old_opset, training_bn]}


def main():
    name, out = sys.argv[1], sys.argv[2]
    m = MODELS[name]()
    with open(out, "wb") as f:
        f.write(m.SerializeToString())


if __name__ == "__main__":
    main()

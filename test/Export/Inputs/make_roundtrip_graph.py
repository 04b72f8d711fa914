"""Writes a text GraphDef that exercises what a GraphDef round trip must keep.

Every op the GraphDef importer knows, with all the attributes TensorFlow's
Python API writes (T, Tidx, Tpaddings, U, use_cudnn_on_gpu, explicit_paddings,
_output_shapes, _class, ...), the spellings tfg merges (Add/AddV2,
StopGradient, FusedBatchNormV3, Squeeze/ExpandDims/Reshape, PadV2), int64
index constants, a 1x1 convolution whose SAME padding is also VALID, and a
control input. Output: the .pbtxt on stdout.
"""


def shape(*dims):
    return "shape { %s }" % " ".join("dim { size: %d }" % d for d in dims)


def attr(key, value):
    return "attr { key: %s value { %s } }" % (quote(key), value)


def quote(s):
    return '"%s"' % s


def ints(*v):
    return "list { %s }" % " ".join("i: %d" % i for i in v)


T = attr("T", "type: DT_FLOAT")
NHWC = attr("data_format", 's: "NHWC"')


def out_shapes(*dims):
    return attr("_output_shapes", "list { %s }" % shape(*dims))


def node(name, op, inputs=(), *attrs):
    ins = " ".join("input: %s" % quote(i) for i in inputs)
    return "node { name: %s op: %s %s %s }" % (quote(name), quote(op), ins,
                                              " ".join(attrs))


def const(name, dtype, dims, values, field):
    vals = " ".join("%s: %s" % (field, v) for v in values)
    tensor = "tensor { dtype: %s tensor_shape { %s } %s }" % (
        dtype, " ".join("dim { size: %d }" % d for d in dims), vals)
    return node(name, "Const", (), attr("dtype", "type: " + dtype),
                attr("value", tensor))


def fconst(name, dims, n):
    # Distinct values so a swapped tensor shows.
    return const(name, "DT_FLOAT", dims,
                 ["%g" % (((i * 7 + len(name)) % 11) / 8.0 - 0.5)
                  for i in range(n)], "float_val")


def conv_attrs(strides, padding):
    return [T, attr("strides", ints(*strides)), attr("padding", 's: "%s"' %
                                                     padding),
            attr("dilations", ints(1, 1, 1, 1)), NHWC,
            attr("use_cudnn_on_gpu", "b: true"),
            attr("explicit_paddings", "list { }")]


nodes = [
    node("x", "Placeholder", (), attr("dtype", "type: DT_FLOAT"),
         attr("shape", shape(-1, 8, 8, 2)), out_shapes(-1, 8, 8, 2)),
    fconst("w", (3, 3, 2, 4), 72),
    node("w/read", "Identity", ["w"], T,
         attr("_class", 'list { s: "loc:@w" }')),
    node("conv", "Conv2D", ["x", "w/read"], *conv_attrs((1, 1, 1, 1), "SAME"),
         out_shapes(-1, 8, 8, 4)),
    fconst("b", (4,), 4),
    node("ba", "BiasAdd", ["conv", "b"], T, NHWC),
    fconst("scale", (4,), 4), fconst("offset", (4,), 4),
    fconst("mean", (4,), 4), fconst("var", (4,), 4),
    node("bn", "FusedBatchNormV3", ["ba", "scale", "offset", "mean", "var"],
         T, attr("U", "type: DT_FLOAT"), attr("epsilon", "f: 0.001"), NHWC,
         attr("is_training", "b: false"),
         attr("exponential_avg_factor", "f: 1")),
    node("r6", "Relu6", ["bn"], T),
    node("mp", "MaxPool", ["r6"], T, attr("ksize", ints(1, 2, 2, 1)),
         attr("strides", ints(1, 2, 2, 1)), attr("padding", 's: "VALID"'),
         NHWC),
    fconst("w1", (1, 1, 4, 4), 16),
    node("c1", "Conv2D", ["mp", "w1"], *conv_attrs((1, 1, 1, 1), "SAME")),
    node("add", "Add", ["c1", "mp"], T),
    node("lr", "LeakyRelu", ["add"], T, attr("alpha", "f: 0.1")),
    node("sg", "StopGradient", ["lr"], T),
    fconst("dww", (3, 3, 4, 1), 36),
    node("dw", "DepthwiseConv2dNative", ["sg", "dww"], T,
         attr("strides", ints(1, 1, 1, 1)), attr("padding", 's: "SAME"'),
         attr("dilations", ints(1, 1, 1, 1)), NHWC,
         attr("explicit_paddings", "list { }")),
    const("pads", "DT_INT64", (4, 2), [0, 0, 1, 1, 1, 1, 0, 0], "int64_val"),
    const("cv", "DT_FLOAT", (), [1.5], "float_val"),
    node("pad", "PadV2", ["dw", "pads", "cv"], T,
         attr("Tpaddings", "type: DT_INT64")),
    node("avg", "AvgPool", ["pad"], T, attr("ksize", ints(1, 3, 3, 1)),
         attr("strides", ints(1, 1, 1, 1)), attr("padding", 's: "SAME"'),
         NHWC),
    const("axis", "DT_INT32", (), [-1], "int_val"),
    node("cat", "ConcatV2", ["avg", "avg", "axis"], T,
         attr("N", "i: 2"), attr("Tidx", "type: DT_INT32")),
    const("size", "DT_INT32", (2,), [12, 12], "int_val"),
    node("up", "ResizeBilinear", ["cat", "size"], T,
         attr("align_corners", "b: false"),
         attr("half_pixel_centers", "b: true")),
    node("d2s", "DepthToSpace", ["up"], T, attr("block_size", "i: 2"), NHWC),
    node("sig", "Sigmoid", ["d2s"], T),
    const("axes", "DT_INT32", (2,), [1, 2], "int_val"),
    node("gap", "Mean", ["sig", "axes"], T, attr("Tidx", "type: DT_INT32"),
         attr("keep_dims", "b: true")),
    node("sq", "Squeeze", ["gap"], T, attr("squeeze_dims", ints(1, 2))),
    const("dim", "DT_INT32", (), [-1], "int_val"),
    node("ed", "ExpandDims", ["sq", "dim"], T, attr("Tdim", "type: DT_INT32")),
    const("shp", "DT_INT64", (2,), [-1, 2], "int64_val"),
    node("flat", "Reshape", ["ed", "shp"], T,
         attr("Tshape", "type: DT_INT64")),
    fconst("fc", (3, 2), 6),
    node("mm", "MatMul", ["flat", "fc", "^w"], T,
         attr("transpose_a", "b: false"), attr("transpose_b", "b: true")),
    node("th", "Tanh", ["mm"], T),
    node("out", "Softmax", ["th"], T),
    # A second output: a transposed convolution back to the input size.
    const("sizes", "DT_INT32", (4,), [1, 8, 8, 2], "int_val"),
    fconst("ctw", (3, 3, 2, 4), 72),
    node("ct", "Conv2DBackpropInput", ["sizes", "ctw", "r6"],
         *conv_attrs((1, 1, 1, 1), "SAME")),
    node("relu", "Relu", ["ct"], T),
]
print("\n".join(nodes))
print("versions { producer: 27 }")

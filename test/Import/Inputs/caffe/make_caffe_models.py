"""Writes the small Caffe nets the caffe-*.test lit tests import.

Usage: make_caffe_models.py NAME PREFIX

Writes PREFIX.prototxt (hand-written deploy text, with the training-only
fields real deploy files carry) and PREFIX.caffemodel (a binary
NetParameter whose layers hold the blobs, built with caffe_pb2 generated from
lib/Proto/caffe.proto). Weights are deterministic (seeded).
"""

import sys

import numpy as np
from google.protobuf import text_format

sys.dont_write_bytecode = True  # keep the source tree clean
import caffe_proto  # noqa: E402

pb = caffe_proto.load()

# Exercises: grouped + dilated conv, BatchNorm+Scale fused (in place),
# standalone BatchNorm (moving-average factor 0) and Scale, max and average
# pooling whose ceil-mode sizes differ from floor, the pooling clip rule
# (AVE and MAX), global pooling, Eltwise SUM with coeffs / PROD / MAX,
# depthwise conv, leaky ReLU, grouped Deconvolution, Concat, Flatten,
# InnerProduct (plain, transposed on a 4-D bottom), TanH, Dropout, Softmax,
# Sigmoid; legacy shapes and double_data blobs.
NET = """
name: "vai_caffe_test"
input: "data"
input_shape { dim: 2 dim: 4 dim: 12 dim: 12 }
layer {
  name: "conv1" type: "Convolution" bottom: "data" top: "conv1"
  param { lr_mult: 1 decay_mult: 1 } param { lr_mult: 2 decay_mult: 0 }
  convolution_param {
    num_output: 8 kernel_size: 3 pad: 2 dilation: 2 group: 2
    weight_filler { type: "xavier" } bias_filler { type: "constant" }
  }
}
layer { name: "bn1" type: "BatchNorm" bottom: "conv1" top: "conv1"
        batch_norm_param { use_global_stats: true eps: 0.001 } }
layer { name: "scale1" type: "Scale" bottom: "conv1" top: "conv1"
        scale_param { bias_term: true } }
layer { name: "relu1" type: "ReLU" bottom: "conv1" top: "conv1" }
layer { name: "pool1" type: "Pooling" bottom: "conv1" top: "pool1"
        pooling_param { pool: MAX kernel_size: 3 stride: 2 } }
layer { name: "pool2" type: "Pooling" bottom: "conv1" top: "pool2"
        pooling_param { pool: AVE kernel_size: 3 stride: 2 pad: 1 } }
layer { name: "conv2" type: "Convolution" bottom: "pool2" top: "conv2"
        convolution_param { num_output: 8 kernel_h: 2 kernel_w: 2 } }
layer { name: "bn2" type: "BatchNorm" bottom: "conv2" top: "bn2" }
layer { name: "scale3" type: "Scale" bottom: "pool1" top: "pool1"
        scale_param { bias_term: true } }
layer { name: "sum" type: "Eltwise" bottom: "bn2" bottom: "pool1" top: "sum"
        eltwise_param { operation: SUM coeff: 0.5 coeff: -1.5 } }
layer { name: "prod" type: "Eltwise" bottom: "sum" bottom: "conv2" top: "prod"
        eltwise_param { operation: PROD } }
layer { name: "emax" type: "Eltwise" bottom: "prod" bottom: "sum" top: "emax"
        eltwise_param { operation: MAX } }
layer { name: "dw" type: "Convolution" bottom: "emax" top: "dw"
        convolution_param { num_output: 16 group: 8 kernel_size: 3 pad: 1 } }
layer { name: "lrelu" type: "ReLU" bottom: "dw" top: "dw"
        relu_param { negative_slope: 0.1 } }
layer { name: "pool3" type: "Pooling" bottom: "dw" top: "pool3"
        pooling_param { pool: AVE kernel_size: 2 stride: 4 pad: 1 } }
layer { name: "pool5" type: "Pooling" bottom: "dw" top: "pool5"
        pooling_param { pool: MAX kernel_size: 2 stride: 4 pad: 1 } }
layer { name: "gpool" type: "Pooling" bottom: "dw" top: "gpool"
        pooling_param { pool: AVE global_pooling: true } }
layer { name: "deconv" type: "Deconvolution" bottom: "pool3" top: "deconv"
        convolution_param { num_output: 8 group: 2 kernel_size: 2 stride: 2 } }
layer { name: "pool4" type: "Pooling" bottom: "emax" top: "pool4"
        pooling_param { pool: MAX kernel_size: 3 stride: 2 pad: 1 } }
layer { name: "cat" type: "Concat" bottom: "deconv" bottom: "pool4" top: "cat"
        concat_param { axis: 1 } }
layer { name: "sig" type: "Sigmoid" bottom: "cat" top: "sig" }
layer { name: "flat" type: "Flatten" bottom: "cat" top: "flat" }
layer { name: "ip1" type: "InnerProduct" bottom: "flat" top: "ip1"
        inner_product_param { num_output: 10 } }
layer { name: "tanh1" type: "TanH" bottom: "ip1" top: "ip1" }
layer { name: "drop1" type: "Dropout" bottom: "ip1" top: "ip1"
        dropout_param { dropout_ratio: 0.5 } }
layer { name: "prob" type: "Softmax" bottom: "ip1" top: "prob" }
layer { name: "ip2" type: "InnerProduct" bottom: "pool4" top: "ip2"
        inner_product_param { num_output: 5 transpose: true } }
"""

# Blob shapes per layer (Caffe layout), and which blobs get the legacy 4-D
# shape or double_data.
NET_BLOBS = {
    "conv1": [(8, 2, 3, 3), (8,)],
    "bn1": ["mean", "var", (1,)],
    "scale1": [(8,), (8,)],
    "conv2": [(8, 8, 2, 2), (8,)],
    "bn2": ["mean", "var", (1,)],
    "scale3": [(8,), (8,)],
    "dw": [(16, 1, 3, 3), (16,)],
    "deconv": [(16, 4, 2, 2), (8,)],
    "ip1": [(10, 256), (10,)],
    "ip2": [(128, 5), (5,)],
}
LEGACY = {("ip1", 0), ("conv2", 1)}
DOUBLE = {("bn1", 0)}
FACTOR = {"bn1": 2.5, "bn2": 0.0}

# A smaller net for the V1 format and the error cases.
SMALL = """
name: "small"
layer { name: "data" type: "Input" top: "data"
        input_param { shape { dim: 1 dim: 3 dim: 5 dim: 5 } } }
layer { name: "conv" type: "Convolution" bottom: "data" top: "conv"
        convolution_param { num_output: 4 kernel_size: 3 } }
layer { name: "relu" type: "ReLU" bottom: "conv" top: "conv" }
layer { name: "pool" type: "Pooling" bottom: "conv" top: "pool"
        pooling_param { pool: AVE kernel_size: 2 stride: 2 } }
layer { name: "fc" type: "InnerProduct" bottom: "pool" top: "fc"
        inner_product_param { num_output: 3 } }
layer { name: "prob" type: "Softmax" bottom: "fc" top: "prob" }
"""
SMALL_BLOBS = {"conv": [(4, 3, 3, 3), (4,)], "fc": [(3, 16), (3,)]}

V1 = """
name: "small_v1"
input: "data"
input_dim: 1 input_dim: 3 input_dim: 5 input_dim: 5
layers { name: "conv" type: CONVOLUTION bottom: "data" top: "conv"
         blobs_lr: 1 blobs_lr: 2
         convolution_param { num_output: 4 kernel_size: 3 } }
layers { name: "relu" type: RELU bottom: "conv" top: "conv" }
layers { name: "pool" type: POOLING bottom: "conv" top: "pool"
         pooling_param { pool: AVE kernel_size: 2 stride: 2 } }
layers { name: "fc" type: INNER_PRODUCT bottom: "pool" top: "fc"
         inner_product_param { num_output: 3 } }
layers { name: "prob" type: SOFTMAX bottom: "fc" top: "prob" }
"""


def parse(text):
    net = pb.NetParameter()
    text_format.Parse(text, net, allow_unknown_field=True)
    return net


def fill(blob, array, legacy=False, double=False):
    array = np.asarray(array, np.float32)
    if legacy:
        dims = (1,) * (4 - array.ndim) + array.shape
        blob.num, blob.channels, blob.height, blob.width = dims
    else:
        blob.shape.dim.extend(array.shape)
    if double:
        blob.double_data.extend(array.astype(np.float64).ravel().tolist())
    else:
        blob.data.extend(array.ravel().tolist())


def weights(text, blobs, seed=0, legacy=(), double=(), factor=None):
    """The caffemodel: the net with blobs in its layers."""
    rng = np.random.default_rng(seed)
    net = parse(text)
    layers = net.layers if len(net.layers) else net.layer
    for layer in layers:
        for i, spec in enumerate(blobs.get(layer.name, [])):
            channels = 8
            if spec == "mean":
                value = rng.normal(0, 0.5, channels)
            elif spec == "var":
                value = rng.uniform(0.5, 2.0, channels)
            elif spec == (1,):
                value = np.array([factor[layer.name]])
            else:
                value = rng.normal(0, 0.5, spec)
            fill(layer.blobs.add(), value, (layer.name, i) in legacy,
                 (layer.name, i) in double)
    return net


def write(prefix, text, model):
    with open(prefix + ".prototxt", "w") as f:
        f.write(text)
    with open(prefix + ".caffemodel", "wb") as f:
        f.write(model.SerializeToString())


def main():
    name, prefix = sys.argv[1], sys.argv[2]
    if name == "net":
        write(prefix, NET, weights(NET, NET_BLOBS, 0, LEGACY, DOUBLE, FACTOR))
    elif name == "small":
        write(prefix, SMALL, weights(SMALL, SMALL_BLOBS, 1))
    elif name == "v1":
        write(prefix, V1, weights(V1, SMALL_BLOBS, 1))
    elif name == "unknown_type":
        text = SMALL.replace(
            'layer { name: "pool"',
            'layer { name: "norm" type: "LRN" bottom: "conv" top: "conv"\n'
            '        lrn_param { local_size: 3 } }\nlayer { name: "pool"')
        write(prefix, text, weights(SMALL, SMALL_BLOBS, 1))
    elif name == "dangling":
        text = SMALL.replace('bottom: "conv" top: "pool"',
                             'bottom: "ghost" top: "pool"')
        write(prefix, text, weights(SMALL, SMALL_BLOBS, 1))
    elif name == "missing_blobs":
        model = weights(SMALL, SMALL_BLOBS, 1)
        for layer in model.layer:
            if layer.name == "fc":
                del layer.blobs[:]
        write(prefix, SMALL, model)
    elif name == "missing_layer":
        model = weights(SMALL, SMALL_BLOBS, 1)
        keep = [l for l in model.layer if l.name != "conv"]
        del model.layer[:]
        model.layer.extend(keep)
        write(prefix, SMALL, model)
    elif name == "few_blobs":
        model = weights(SMALL, SMALL_BLOBS, 1)
        for layer in model.layer:
            if layer.name == "conv":
                del layer.blobs[1:]
        write(prefix, SMALL, model)
    elif name == "bad_shape":
        write(prefix, SMALL, weights(SMALL, dict(SMALL_BLOBS,
                                                 conv=[(4, 2, 3, 3), (4,)]), 1))
    elif name == "bad_count":
        model = weights(SMALL, SMALL_BLOBS, 1)
        for layer in model.layer:
            if layer.name == "fc":
                del layer.blobs[1].data[-1]
        write(prefix, SMALL, model)
    elif name == "training_bn":
        text = SMALL.replace(
            'layer { name: "relu"',
            'layer { name: "bn" type: "BatchNorm" bottom: "conv" top: "conv"\n'
            '        batch_norm_param { use_global_stats: false } }\n'
            'layer { name: "relu"')
        write(prefix, text, weights(SMALL, SMALL_BLOBS, 1))
    elif name == "syntax":
        write(prefix, SMALL.replace('top: "fc"', 'top: "fc" }}'),
              weights(SMALL, SMALL_BLOBS, 1))
    else:
        sys.exit("unknown model " + name)


if __name__ == "__main__":
    main()

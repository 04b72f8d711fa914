"""Writes small Keras models the ways tf.keras 2.x and TF.js store them.

    make_keras_models.py OUT_DIR

There is no TensorFlow here, so the files are written with h5py in the
layouts of tf.keras 2.x (keras/saving/legacy/hdf5_format.py):

  net.h5           model.save(): root attributes model_config (JSON, bytes),
                   keras_version, backend; weights in group model_weights
                   (attribute layer_names), one group per layer (attribute
                   weight_names = [b'conv2d/kernel:0', ...]) whose datasets
                   sit at the paths the weight names spell.
  net.ckpt.h5      ModelCheckpoint(save_weights_only=False): the same layout
                   plus training_config and an optimizer_weights group.
  net.json         model.to_json()
  net.weights.h5   model.save_weights(): layer groups at the root. Written
                   with layer_names split into layer_names0, layer_names1
                   (as Keras does for attributes over 64512 bytes), some
                   weights stored as float16 / float64 (values chosen to be
                   exact in float16, so every form holds the same numbers),
                   and variable-length string attributes (h5py 3 style).
  net.keras3.json  the same architecture in Keras 3's config form
                   (inbound_nodes as args with keras_history, batch_shape).
  net.tfjs/        a TF.js layers model (model.json + one shard).
  extra.h5, extra.tfjs/   a second network covering the other layers.
  seq.h5           a Sequential model (input shape on its first layer).
  shared.h5        a layer called twice.
  noconfig.h5      weights only, for the error test.
  badshape.h5, missing.h5, unknown.h5, channels_first.h5, dangling.h5,
  cycle.h5, notes.h5 (text), truncated.h5   error cases.

All weights come from a seeded generator.
"""
import copy
import json
import os
import sys

import h5py
import numpy as np

KERAS_VERSION = "2.13.1"
rng = np.random.default_rng(1234)


def f16(shape, scale=0.5, offset=0.0):
    """Random float32 values that float16 represents exactly."""
    v = rng.uniform(-scale, scale, shape) + offset
    return v.astype(np.float16).astype(np.float32)


def act_config(name, **extra):
    return dict({"name": name, "trainable": True, "dtype": "float32"}, **extra)


def conv_config(name, filters, kernel, strides=1, padding="valid",
                activation="linear", use_bias=True, dilation=1):
    return act_config(
        name, filters=filters, kernel_size=[kernel, kernel],
        strides=[strides, strides], padding=padding,
        data_format="channels_last", dilation_rate=[dilation, dilation],
        groups=1, activation=activation, use_bias=use_bias,
        kernel_initializer={"class_name": "GlorotUniform",
                            "config": {"seed": None}},
        bias_initializer={"class_name": "Zeros", "config": {}},
        kernel_regularizer=None, bias_regularizer=None,
        activity_regularizer=None, kernel_constraint=None,
        bias_constraint=None)


class Net:
    """A functional model: layers (class, config, inputs) and weights."""

    def __init__(self, name, input_name, input_shape):
        self.name = name
        self.layers = [("InputLayer", {
            "batch_input_shape": [None] + list(input_shape),
            "dtype": "float32", "sparse": False, "ragged": False,
            "name": input_name}, [])]
        self.inputs = [input_name]
        self.weights = {}  # layer -> [(short name, array)]
        self.output = None

    def add(self, cls, config, inputs, weights=()):
        self.layers.append((cls, config, inputs))
        self.weights[config["name"]] = list(weights)
        self.output = config["name"]
        return config["name"]

    def config(self):
        layers = []
        for cls, config, inputs in self.layers:
            layers.append({
                "class_name": cls, "config": config, "name": config["name"],
                "inbound_nodes": [[[i, 0, 0, {}] for i in inputs]]
                if inputs else []})
        return {"class_name": "Functional", "config": {
            "name": self.name, "trainable": True, "layers": layers,
            "input_layers": [[i, 0, 0] for i in self.inputs],
            "output_layers": [[self.output, 0, 0]]}}

    def keras3_config(self):
        """Keras 3: one {"args": [...], "kwargs": {}} per call."""
        layers = []
        for cls, config, inputs in self.layers:
            config = copy.deepcopy(config)
            if cls == "InputLayer":
                config["batch_shape"] = config.pop("batch_input_shape")
            tensors = [{"class_name": "__keras_tensor__", "config": {
                "shape": None, "dtype": "float32",
                "keras_history": [i, 0, 0]}} for i in inputs]
            args = [tensors] if len(tensors) > 1 else tensors
            layers.append({
                "module": "keras.layers", "class_name": cls,
                "config": config, "name": config["name"],
                "inbound_nodes": [{"args": args, "kwargs": {}}]
                if inputs else []})
        return {"module": "keras", "class_name": "Functional", "config": {
            "name": self.name, "trainable": True, "layers": layers,
            "input_layers": [self.inputs[0], 0, 0],
            "output_layers": [self.output, 0, 0]}, "registered_name":
            "Functional"}

    def layer_names(self):
        return [config["name"] for _, config, _ in self.layers]


def build_net():
    n = Net("model", "input_1", [8, 8, 3])
    x = n.add("ZeroPadding2D", act_config(
        "zero_padding2d", padding=[[1, 0], [1, 0]],
        data_format="channels_last"), ["input_1"])
    x = n.add("Conv2D", conv_config("conv2d", 8, 3, activation="relu"), [x],
              [("kernel", f16((3, 3, 3, 8))), ("bias", f16((8,), 0.1))])
    x = n.add("DepthwiseConv2D", dict(
        conv_config("depthwise_conv2d", 0, 3, strides=2, padding="same",
                    use_bias=False), depth_multiplier=1), [x],
        [("depthwise_kernel", f16((3, 3, 8, 1)))])
    del n.layers[-1][1]["filters"]
    x = n.add("BatchNormalization", act_config(
        "batch_normalization", axis=[3], momentum=0.99, epsilon=0.001,
        center=True, scale=True), [x],
        [("gamma", f16((8,), 0.2, 1.0)), ("beta", f16((8,), 0.2)),
         ("moving_mean", f16((8,), 0.2)),
         ("moving_variance", f16((8,), 0.3, 0.8))])
    relu = n.add("ReLU", act_config("re_lu", max_value=6.0,
                                    negative_slope=0.0, threshold=0.0), [x])
    sep = n.add("SeparableConv2D", dict(
        conv_config("separable_conv2d", 8, 3, padding="same"),
        depth_multiplier=2), [relu],
        [("depthwise_kernel", f16((3, 3, 8, 2))),
         ("pointwise_kernel", f16((1, 1, 16, 8))), ("bias", f16((8,), 0.1))])
    add = n.add("Add", act_config("add"), [relu, sep])
    side = n.add("Conv2D", conv_config("conv2d_1", 4, 1, use_bias=False,
                                       activation="sigmoid"), [relu],
                 [("kernel", f16((1, 1, 8, 4)))])
    cat = n.add("Concatenate", act_config("concatenate", axis=-1), [add, side])
    mp = n.add("MaxPooling2D", act_config(
        "max_pooling2d", pool_size=[2, 2], padding="valid", strides=[2, 2],
        data_format="channels_last"), [cat])
    ap = n.add("AveragePooling2D", act_config(
        "average_pooling2d", pool_size=[3, 3], padding="same", strides=[2, 2],
        data_format="channels_last"), [cat])
    mul = n.add("Multiply", act_config("multiply"), [mp, ap])
    g = n.add("GlobalAveragePooling2D", act_config(
        "global_average_pooling2d", data_format="channels_last",
        keepdims=False), [mul])
    d = n.add("Dropout", act_config("dropout", rate=0.5, noise_shape=None,
                                    seed=None), [g])
    n.add("Dense", act_config("dense", units=5, activation="softmax",
                              use_bias=True), [d],
          [("kernel", f16((12, 5), 1.0)), ("bias", f16((5,), 0.1))])
    return n


def build_extra():
    n = Net("model_1", "input_2", [6, 6, 4])
    a = n.add("Conv2DTranspose", dict(
        conv_config("conv2d_transpose", 3, 3, strides=2, padding="same"),
        output_padding=None), ["input_2"],
        [("kernel", f16((3, 3, 3, 4))), ("bias", f16((3,), 0.1))])
    a = n.add("PReLU", act_config("p_re_lu", shared_axes=[1, 2]), [a],
              [("alpha", f16((1, 1, 3), 0.3, 0.2))])
    b = n.add("UpSampling2D", act_config(
        "up_sampling2d", size=[2, 2], data_format="channels_last",
        interpolation="nearest"), ["input_2"])
    b = n.add("Conv2D", conv_config("conv2d_2", 3, 1, activation="tanh"), [b],
              [("kernel", f16((1, 1, 4, 3))), ("bias", f16((3,), 0.1))])
    c = n.add("UpSampling2D", act_config(
        "up_sampling2d_1", size=[2, 2], data_format="channels_last",
        interpolation="bilinear"), ["input_2"])
    c = n.add("LeakyReLU", act_config("leaky_re_lu", alpha=0.1), [c])
    c = n.add("Conv2D", conv_config("conv2d_3", 3, 1, use_bias=False,
                                    activation="hard_sigmoid"), [c],
              [("kernel", f16((1, 1, 4, 3)))])
    s = n.add("Subtract", act_config("subtract"), [a, b])
    m = n.add("Average", act_config("average"), [s, c])
    d = n.add("Conv2DTranspose", dict(
        conv_config("conv2d_transpose_1", 2, 3, strides=2, use_bias=False),
        output_padding=None), ["input_2"], [("kernel", f16((3, 3, 2, 4)))])
    d = n.add("Cropping2D", act_config(
        "cropping2d", cropping=[[0, 1], [0, 1]],
        data_format="channels_last"), [d])
    cat = n.add("Concatenate", act_config("concatenate_1", axis=3), [m, d])
    gmp = n.add("GlobalMaxPooling2D", act_config(
        "global_max_pooling2d", data_format="channels_last", keepdims=False),
        [cat])
    p = n.add("MaxPooling2D", act_config(
        "max_pooling2d_1", pool_size=[4, 4], padding="valid", strides=[4, 4],
        data_format="channels_last"), [cat])
    r = n.add("Reshape", act_config("reshape", target_shape=[9, -1]), [p])
    r = n.add("Dense", act_config("dense_1", units=2, activation="swish",
                                  use_bias=True), [r],
              [("kernel", f16((5, 2), 1.0)), ("bias", f16((2,), 0.1))])
    f = n.add("Flatten", act_config("flatten", data_format="channels_last"),
              [r])
    cat2 = n.add("Concatenate", act_config("concatenate_2", axis=-1),
                 [gmp, f])
    dn = n.add("Dense", act_config("dense_2", units=3, activation="linear",
                                   use_bias=True), [cat2],
               [("kernel", f16((23, 3), 1.0)), ("bias", f16((3,), 0.1))])
    n.add("Activation", act_config("activation", activation="softmax"), [dn])
    return n


def attr_bytes(strings):
    """What tf.keras stores: a numpy bytes array (fixed-length strings); an
    empty list becomes an empty float64 array, as np.asarray([]) does."""
    return np.asarray([s.encode("utf8") for s in strings])


def save_attributes(group, name, strings, limit=64512):
    """keras save_attributes_to_hdf5_group: split over `limit` bytes."""
    data = attr_bytes(strings)
    if data.nbytes <= limit:
        group.attrs[name] = data
        return
    chunks = 2
    while True:
        parts = np.array_split(data, chunks)
        if all(p.nbytes <= limit for p in parts):
            break
        chunks += 1
    for i, part in enumerate(parts):
        group.attrs["%s%d" % (name, i)] = part


def write_weights(group, net, names_suffix=":0", dtypes=None, limit=64512,
                  vlen=False):
    dtypes = dtypes or {}
    names = net.layer_names()
    if vlen:
        group.attrs["layer_names"] = names  # h5py 3: variable-length str
        group.attrs["backend"] = "tensorflow"
        group.attrs["keras_version"] = KERAS_VERSION
    else:
        save_attributes(group, "layer_names", names, limit)
        group.attrs["backend"] = b"tensorflow"
        group.attrs["keras_version"] = KERAS_VERSION.encode()
    for layer in names:
        g = group.create_group(layer)
        weights = net.weights.get(layer, [])
        full = ["%s/%s%s" % (layer, w, names_suffix) for w, _ in weights]
        if vlen and full:
            g.attrs["weight_names"] = full
        else:
            save_attributes(g, "weight_names", full, limit)
        for (short, value), name in zip(weights, full):
            dtype = dtypes.get((layer, short), np.float32)
            g.create_dataset(name, data=value.astype(dtype))


def write_full(path, net, config=None, checkpoint=False):
    config = config or net.config()
    with h5py.File(path, "w") as f:
        f.attrs["backend"] = b"tensorflow"
        f.attrs["keras_version"] = KERAS_VERSION.encode()
        f.attrs["model_config"] = json.dumps(config).encode("utf8")
        if checkpoint:
            f.attrs["training_config"] = json.dumps({
                "loss": "categorical_crossentropy", "metrics": None,
                "optimizer_config": {"class_name": "Adam", "config": {
                    "learning_rate": 0.001}}}).encode("utf8")
        write_weights(f.create_group("model_weights"), net)
        if checkpoint:
            o = f.create_group("optimizer_weights")
            save_attributes(o, "weight_names", ["Adam/iter:0"])
            o.create_dataset("Adam/iter:0", data=np.int64(10))


def write_tfjs(directory, net, config=None, keras_version=KERAS_VERSION):
    os.makedirs(directory, exist_ok=True)
    specs, blobs = [], []
    for layer in net.layer_names():
        for short, value in net.weights.get(layer, []):
            specs.append({"name": "%s/%s" % (layer, short),
                          "shape": list(value.shape), "dtype": "float32"})
            blobs.append(value.astype("<f4").tobytes())
    with open(os.path.join(directory, "group1-shard1of1.bin"), "wb") as f:
        f.write(b"".join(blobs))
    model = {
        "format": "layers-model",
        "generatedBy": "keras v" + keras_version,
        "convertedBy": "TensorFlow.js Converter v4.17.0",
        "modelTopology": {"keras_version": keras_version,
                          "backend": "tensorflow",
                          "model_config": config or net.config()},
        "weightsManifest": [{"paths": ["group1-shard1of1.bin"],
                             "weights": specs}]}
    with open(os.path.join(directory, "model.json"), "w") as f:
        json.dump(model, f)


def build_sequential():
    n = Net("sequential", "unused", [5, 5, 2])
    n.layers = []
    conv = conv_config("conv2d_4", 3, 3, padding="same", activation="relu")
    conv["batch_input_shape"] = [None, 5, 5, 2]
    n.add("Conv2D", conv, [], [("kernel", f16((3, 3, 2, 3))),
                               ("bias", f16((3,), 0.1))])
    n.add("Flatten", act_config("flatten_1", data_format="channels_last"), [])
    n.add("Dense", act_config("dense_3", units=4, activation="softmax",
                              use_bias=True), [],
          [("kernel", f16((75, 4), 0.5)), ("bias", f16((4,), 0.1))])
    layers = [{"class_name": cls, "config": config}
              for cls, config, _ in n.layers]
    return n, {"class_name": "Sequential",
               "config": {"name": "sequential", "layers": layers}}


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    net = build_net()
    write_full(os.path.join(out, "net.h5"), net)
    write_full(os.path.join(out, "net.ckpt.h5"), net, checkpoint=True)
    arch = dict(net.config(), keras_version=KERAS_VERSION,
                backend="tensorflow")
    with open(os.path.join(out, "net.json"), "w") as f:
        json.dump(arch, f)
    with h5py.File(os.path.join(out, "net.weights.h5"), "w") as f:
        write_weights(f, net, limit=64, dtypes={
            ("conv2d", "bias"): np.float16,
            ("batch_normalization", "moving_variance"): np.float64})
    with h5py.File(os.path.join(out, "net.vlen.h5"), "w") as f:
        write_weights(f, net, vlen=True)
    k3 = dict(net.keras3_config(), keras_version="3.3.3", backend="tensorflow")
    with open(os.path.join(out, "net.keras3.json"), "w") as f:
        json.dump(k3, f)
    write_tfjs(os.path.join(out, "net.tfjs"), net)

    extra = build_extra()
    write_full(os.path.join(out, "extra.h5"), extra)
    write_tfjs(os.path.join(out, "extra.tfjs"), extra)

    # One Conv2D called twice (shared weights): its second call reads a
    # layer listed after it.
    shared = Net("model_2", "input_3", [4, 4, 2])
    shared.add("Conv2D", conv_config("shared_conv", 2, 1), ["input_3"],
               [("kernel", f16((1, 1, 2, 2), 1.0)), ("bias", f16((2,), 0.1))])
    shared.add("Activation", act_config("act", activation="tanh"),
               ["shared_conv"])
    shared_config = shared.config()
    layers = shared_config["config"]["layers"]
    layers[1]["inbound_nodes"].append([["act", 0, 0, {}]])
    shared_config["config"]["output_layers"] = [["shared_conv", 1, 0]]
    write_full(os.path.join(out, "shared.h5"), shared, config=shared_config)

    seq, seq_config = build_sequential()
    write_full(os.path.join(out, "seq.h5"), seq, config=seq_config)

    # Error cases.
    with h5py.File(os.path.join(out, "noconfig.h5"), "w") as f:
        write_weights(f, net)
    bad = build_net()
    bad.weights["conv2d"][0] = ("kernel", f16((3, 3, 4, 8)))
    write_full(os.path.join(out, "badshape.h5"), bad, config=net.config())
    missing = build_net()
    missing.weights["separable_conv2d"].pop(1)
    write_full(os.path.join(out, "missing.h5"), missing, config=net.config())
    unknown = copy.deepcopy(net.config())
    unknown["config"]["layers"][2]["class_name"] = "LocallyConnected2D"
    write_full(os.path.join(out, "unknown.h5"), net, config=unknown)
    cf = copy.deepcopy(net.config())
    cf["config"]["layers"][2]["config"]["data_format"] = "channels_first"
    write_full(os.path.join(out, "channels_first.h5"), net, config=cf)
    dangling = copy.deepcopy(net.config())
    dangling["config"]["layers"][3]["inbound_nodes"] = [[["nope", 0, 0, {}]]]
    write_full(os.path.join(out, "dangling.h5"), net, config=dangling)
    cycle = copy.deepcopy(net.config())
    cycle["config"]["layers"][1]["inbound_nodes"] = [
        [["depthwise_conv2d", 0, 0, {}]]]
    write_full(os.path.join(out, "cycle.h5"), net, config=cycle)
    with open(os.path.join(out, "notes.h5"), "w") as f:
        f.write("not an HDF5 file\n")
    with open(os.path.join(out, "net.h5"), "rb") as f:
        data = f.read()
    with open(os.path.join(out, "truncated.h5"), "wb") as f:
        f.write(data[:len(data) * 3 // 4])


if __name__ == "__main__":
    main()

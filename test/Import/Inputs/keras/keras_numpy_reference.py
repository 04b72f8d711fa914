"""Evaluates a Keras model in NumPy, independently of vai.

    keras_numpy_reference.py MODEL X.npy OUT.npy [--make-input] [--tfjs]

MODEL is a full-model .h5 (config and weights read with h5py) or a TF.js
model.json (--tfjs: weights from its float32 shard). With --make-input a
seeded random input of the model's input shape (batch 2) is written to
X.npy first. Each layer follows the Keras documentation of its semantics
(NHWC, TensorFlow's SAME padding); only the layers the test models use.
"""
import json
import os
import sys

import h5py
import numpy as np


def load_h5(path):
    with h5py.File(path, "r") as f:
        config = json.loads(f.attrs["model_config"])
        group = f["model_weights"]
        weights = {}
        for layer in group:
            names = group[layer].attrs.get("weight_names", [])
            for name in names:
                name = name.decode() if isinstance(name, bytes) else name
                short = name.split("/")[-1].split(":")[0]
                weights[(layer, short)] = np.asarray(
                    group[layer][name], dtype=np.float64)
    return config, weights, False


def load_tfjs(path):
    with open(path) as f:
        model = json.load(f)
    weights = {}
    for group in model["weightsManifest"]:
        blob = b"".join(open(os.path.join(os.path.dirname(path), p), "rb")
                        .read() for p in group["paths"])
        offset = 0
        for spec in group["weights"]:
            count = int(np.prod(spec["shape"]))
            value = np.frombuffer(blob, "<f4", count, offset)
            offset += 4 * count
            layer, short = spec["name"].rsplit("/", 1)
            weights[(layer, short)] = value.reshape(spec["shape"]).astype(
                np.float64)
    topology = model["modelTopology"]
    return topology.get("model_config", topology), weights, True


def pair(v):
    return (v, v) if isinstance(v, int) else tuple(v)


def same_pads(size, k, s, d):
    eff = (k - 1) * d + 1
    out = -(-size // s)
    total = max((out - 1) * s + eff - size, 0)
    return total // 2, total - total // 2


def window_pads(x, cfg, k, s, d):
    if cfg.get("padding", "valid") == "valid":
        return (0, 0), (0, 0)
    return (same_pads(x.shape[1], k[0], s[0], d[0]),
            same_pads(x.shape[2], k[1], s[1], d[1]))


def taps(x, k, s, d, pads, fill=0.0):
    """Yields (i, j, window) for every kernel tap: window is x sampled at
    output positions, shape [N, OH, OW, C]."""
    xp = np.pad(x, ((0, 0), pads[0], pads[1], (0, 0)), constant_values=fill)
    oh = (xp.shape[1] - ((k[0] - 1) * d[0] + 1)) // s[0] + 1
    ow = (xp.shape[2] - ((k[1] - 1) * d[1] + 1)) // s[1] + 1
    for i in range(k[0]):
        for j in range(k[1]):
            yield i, j, xp[:, i * d[0]:i * d[0] + (oh - 1) * s[0] + 1:s[0],
                           j * d[1]:j * d[1] + (ow - 1) * s[1] + 1:s[1], :]


def conv(x, w, cfg):
    k, s, d = w.shape[:2], pair(cfg["strides"]), pair(cfg["dilation_rate"])
    out = 0
    for i, j, win in taps(x, k, s, d, window_pads(x, cfg, k, s, d)):
        out = out + win @ w[i, j]
    return out


def depthwise(x, w, cfg):
    k, s, d = w.shape[:2], pair(cfg["strides"]), pair(cfg["dilation_rate"])
    mult = w.shape[3]
    out = 0
    for i, j, win in taps(x, k, s, d, window_pads(x, cfg, k, s, d)):
        # channel c, multiplier m -> output c * mult + m
        out = out + (win[..., :, None] * w[i, j]).reshape(
            win.shape[:3] + (-1,))
    return out


def conv_transpose(x, w, cfg):
    k, s, d = w.shape[:2], pair(cfg["strides"]), pair(cfg["dilation_rate"])
    n, h, wd, _ = x.shape
    eff = [(k[a] - 1) * d[a] + 1 for a in range(2)]
    full = np.zeros((n, (h - 1) * s[0] + eff[0], (wd - 1) * s[1] + eff[1],
                     w.shape[2]))
    for i in range(k[0]):
        for j in range(k[1]):
            contrib = x @ w[i, j].T
            full[:, i * d[0]:i * d[0] + (h - 1) * s[0] + 1:s[0],
                 j * d[1]:j * d[1] + (wd - 1) * s[1] + 1:s[1]] += contrib
    size, before = [], []
    for a, length in enumerate((h, wd)):
        if cfg["padding"] == "same":
            out = length * s[a]
            total = max((-(-out // s[a]) - 1) * s[a] + eff[a] - out, 0)
            before.append(total // 2)
        else:
            out = length * s[a] + max(eff[a] - s[a], 0)
            before.append(0)
        size.append(out)
    full = np.pad(full, ((0, 0), (0, max(0, size[0] + before[0] -
                                         full.shape[1])),
                         (0, max(0, size[1] + before[1] - full.shape[2])),
                         (0, 0)))
    return full[:, before[0]:before[0] + size[0],
                before[1]:before[1] + size[1]]


def pool(x, cfg, op):
    k = pair(cfg["pool_size"])
    s = pair(cfg["strides"] or cfg["pool_size"])
    pads = window_pads(x, cfg, k, s, (1, 1))
    if op == "max":
        return np.max([w for _, _, w in taps(x, k, s, (1, 1), pads, -np.inf)],
                      axis=0)
    total = sum(w for _, _, w in taps(x, k, s, (1, 1), pads))
    count = sum(w for _, _, w in taps(np.ones_like(x[:1]), k, s, (1, 1),
                                      pads))
    return total / count


def activation(x, name, tfjs):
    if name in (None, "linear"):
        return x
    if name == "relu":
        return np.maximum(x, 0)
    if name == "sigmoid":
        return 1 / (1 + np.exp(-x))
    if name == "tanh":
        return np.tanh(x)
    if name == "swish":
        return x / (1 + np.exp(-x))
    if name == "hard_sigmoid":
        return np.clip(0.2 * x + 0.5, 0, 1)
    if name == "softmax":
        e = np.exp(x - x.max(axis=-1, keepdims=True))
        return e / e.sum(axis=-1, keepdims=True)
    raise ValueError("activation " + name)


def bilinear_up(x, f, half_pixel):
    n, h, w, c = x.shape

    def coords(size, factor):
        o = np.arange(size * factor)
        src = (o + 0.5) / factor - 0.5 if half_pixel else o / factor
        src = np.clip(src, 0, size - 1)
        lo = np.floor(src).astype(int)
        hi = np.minimum(lo + 1, size - 1)
        return lo, hi, src - lo

    y0, y1, fy = coords(h, f[0])
    x0, x1, fx = coords(w, f[1])
    top = x[:, y0] * (1 - fy)[None, :, None, None] + \
        x[:, y1] * fy[None, :, None, None]
    return top[:, :, x0] * (1 - fx)[None, None, :, None] + \
        top[:, :, x1] * fx[None, None, :, None]


def layer_forward(cls, cfg, inputs, W, tfjs):
    x = inputs[0]
    name = cfg["name"]
    get = lambda short: W[(name, short)]
    if cls in ("Conv2D", "DepthwiseConv2D", "SeparableConv2D",
               "Conv2DTranspose", "Dense"):
        if cls == "Conv2D":
            y = conv(x, get("kernel"), cfg)
        elif cls == "DepthwiseConv2D":
            y = depthwise(x, get("depthwise_kernel"), cfg)
        elif cls == "SeparableConv2D":
            y = depthwise(x, get("depthwise_kernel"), cfg)
            y = y @ get("pointwise_kernel")[0, 0]
        elif cls == "Conv2DTranspose":
            y = conv_transpose(x, get("kernel"), cfg)
        else:
            y = x @ get("kernel")
        if cfg.get("use_bias", True):
            y = y + get("bias")
        return activation(y, cfg.get("activation"), tfjs)
    if cls == "BatchNormalization":
        return (x - get("moving_mean")) / np.sqrt(
            get("moving_variance") + cfg["epsilon"]) * get("gamma") + \
            get("beta")
    if cls == "ReLU":
        return np.clip(x, 0, cfg["max_value"])
    if cls == "LeakyReLU":
        return np.where(x >= 0, x, cfg["alpha"] * x)
    if cls == "PReLU":
        return np.where(x >= 0, x, get("alpha") * x)
    if cls == "Activation":
        return activation(x, cfg["activation"], tfjs)
    if cls == "ZeroPadding2D":
        (t, b), (l, r) = cfg["padding"]
        return np.pad(x, ((0, 0), (t, b), (l, r), (0, 0)))
    if cls == "Cropping2D":
        (t, b), (l, r) = cfg["cropping"]
        return x[:, t:x.shape[1] - b, l:x.shape[2] - r]
    if cls == "MaxPooling2D":
        return pool(x, cfg, "max")
    if cls == "AveragePooling2D":
        return pool(x, cfg, "avg")
    if cls == "GlobalAveragePooling2D":
        return x.mean(axis=(1, 2))
    if cls == "GlobalMaxPooling2D":
        return x.max(axis=(1, 2))
    if cls == "Add":
        return sum(inputs)
    if cls == "Subtract":
        return inputs[0] - inputs[1]
    if cls == "Multiply":
        return np.prod(inputs, axis=0)
    if cls == "Average":
        return sum(inputs) / len(inputs)
    if cls == "Concatenate":
        return np.concatenate(inputs, axis=cfg["axis"])
    if cls == "Dropout":
        return x
    if cls == "Flatten":
        return x.reshape(x.shape[0], -1)
    if cls == "Reshape":
        return x.reshape((x.shape[0],) + tuple(cfg["target_shape"]))
    if cls == "UpSampling2D":
        f = pair(cfg["size"])
        if cfg["interpolation"] == "nearest":
            return x.repeat(f[0], axis=1).repeat(f[1], axis=2)
        # tf.keras: tf.image.resize (half-pixel); TF.js: resizeBilinear
        # without half-pixel centers.
        return bilinear_up(x, f, half_pixel=not tfjs)
    raise ValueError("layer class " + cls)


def run(config, weights, x, tfjs):
    cfg = config["config"]
    if config["class_name"] == "Sequential":
        for layer in cfg["layers"]:
            x = layer_forward(layer["class_name"], layer["config"], [x],
                              weights, tfjs)
        return x
    # (layer, call) -> output; a shared layer's later calls may wait for
    # layers listed after it.
    values = {(cfg["input_layers"][0][0], 0): x}
    pending = [(layer, i) for layer in cfg["layers"]
               if layer["class_name"] != "InputLayer"
               for i in range(len(layer["inbound_nodes"]))]
    while pending:
        waiting = []
        for layer, i in pending:
            refs = [(r[0], r[1]) for r in layer["inbound_nodes"][i]]
            if not all(r in values for r in refs):
                waiting.append((layer, i))
                continue
            values[(layer["name"], i)] = layer_forward(
                layer["class_name"], layer["config"],
                [values[r] for r in refs], weights, tfjs)
        assert len(waiting) < len(pending), "unresolvable inputs"
        pending = waiting
    out = cfg["output_layers"][0]
    return values[(out[0], out[1])]


def input_shape(config):
    layers = config["config"]["layers"]
    return layers[0]["config"]["batch_input_shape"][1:]


def main():
    model, x_path, out_path = sys.argv[1:4]
    tfjs = "--tfjs" in sys.argv
    config, weights, _ = load_tfjs(model) if tfjs else load_h5(model)
    if "--make-input" in sys.argv:
        rng = np.random.default_rng(7)
        x = rng.uniform(-1, 1, [2] + input_shape(config)).astype(np.float32)
        np.save(x_path, x)
    x = np.load(x_path).astype(np.float64)
    np.save(out_path, run(config, weights, x, tfjs).astype(np.float32))


if __name__ == "__main__":
    main()

"""An independent NumPy forward pass of a Caffe deploy net (test phase).

Usage: caffe_numpy_reference.py NET.prototxt NET.caffemodel X.npy OUT_PREFIX
           [--make-input]

Everything is NCHW, as in Caffe; each layer follows the CPU code of BVLC
Caffe's src/caffe/layers/*_layer.cpp (pooling's ceil-mode sizes, clip rule
and padded average divisor, BatchNorm's moving-average factor, grouped and
dilated im2col convolution, col2im deconvolution). The net's outputs --
blobs no layer consumes, in Caffe's order (sorted by name) -- are written
to OUT_PREFIX.<index>.npy and listed on stdout. With --make-input, X.npy is
first filled with seeded random values of the net input's shape.
"""

import sys

import numpy as np
from google.protobuf import text_format

sys.dont_write_bytecode = True  # keep the source tree clean
import caffe_proto  # noqa: E402

pb = caffe_proto.load()

V1_TYPES = {
    "CONVOLUTION": "Convolution", "DECONVOLUTION": "Deconvolution",
    "RELU": "ReLU", "POOLING": "Pooling", "INNER_PRODUCT": "InnerProduct",
    "SOFTMAX": "Softmax", "CONCAT": "Concat", "ELTWISE": "Eltwise",
    "FLATTEN": "Flatten", "DROPOUT": "Dropout", "SIGMOID": "Sigmoid",
    "TANH": "TanH", "SPLIT": "Split",
}


def layer_type(layer):
    if isinstance(layer, pb.V1LayerParameter):
        return V1_TYPES[pb.V1LayerParameter.LayerType.Name(layer.type)]
    return layer.type


def blob_array(blob):
    data = np.array(blob.data if len(blob.data) else blob.double_data,
                    np.float64)
    if blob.HasField("shape"):
        return data.reshape(tuple(blob.shape.dim))
    return data.reshape(blob.num, blob.channels, blob.height, blob.width)


def two(values, h, w, has_h, default):
    """Caffe's kernel/stride/pad reading: _h/_w, else one or two values."""
    if has_h:
        return h, w
    values = list(values) if not isinstance(values, int) else [values]
    if not values:
        return default, default
    return values[0], values[-1]


def conv_geometry(p):
    k = two(p.kernel_size, p.kernel_h, p.kernel_w, p.HasField("kernel_h"), 0)
    s = two(p.stride, p.stride_h, p.stride_w, p.HasField("stride_h"), 1)
    pad = two(p.pad, p.pad_h, p.pad_w, p.HasField("pad_h"), 0)
    d = two(p.dilation, 0, 0, False, 1)
    return k, s, pad, d


def im2col_conv(x, w, b, k, s, pad, d, group):
    n, c, h, wd = x.shape
    o = w.shape[0]
    oh = (h + 2 * pad[0] - (d[0] * (k[0] - 1) + 1)) // s[0] + 1
    ow = (wd + 2 * pad[1] - (d[1] * (k[1] - 1) + 1)) // s[1] + 1
    xp = np.zeros((n, c, h + 2 * pad[0], wd + 2 * pad[1]))
    xp[:, :, pad[0]:pad[0] + h, pad[1]:pad[1] + wd] = x
    y = np.zeros((n, o, oh, ow))
    cg, og = c // group, o // group
    for g in range(group):
        for r in range(k[0]):
            for q in range(k[1]):
                patch = xp[:, g * cg:(g + 1) * cg,
                           r * d[0]:r * d[0] + s[0] * (oh - 1) + 1:s[0],
                           q * d[1]:q * d[1] + s[1] * (ow - 1) + 1:s[1]]
                y[:, g * og:(g + 1) * og] += np.einsum(
                    "nchw,oc->nohw", patch, w[g * og:(g + 1) * og, :, r, q])
    if b is not None:
        y += b.reshape(1, -1, 1, 1)
    return y


def deconv(x, w, b, k, s, pad, d, group):
    # col2im of W^T x: input (i, y, x) adds into output
    # (y * s - pad + r * d, x * s - pad + q * d).
    n, c, h, wd = x.shape
    og = w.shape[1]
    o = og * group
    oh = s[0] * (h - 1) + d[0] * (k[0] - 1) + 1 - 2 * pad[0]
    ow = s[1] * (wd - 1) + d[1] * (k[1] - 1) + 1 - 2 * pad[1]
    full = np.zeros((n, o, oh + 2 * pad[0], ow + 2 * pad[1]))
    cg = c // group
    for g in range(group):
        for r in range(k[0]):
            for q in range(k[1]):
                contrib = np.einsum("nchw,co->nohw", x[:, g * cg:(g + 1) * cg],
                                    w[g * cg:(g + 1) * cg, :, r, q])
                full[:, g * og:(g + 1) * og,
                     r * d[0]:r * d[0] + s[0] * (h - 1) + 1:s[0],
                     q * d[1]:q * d[1] + s[1] * (wd - 1) + 1:s[1]] += contrib
    y = full[:, :, pad[0]:pad[0] + oh, pad[1]:pad[1] + ow]
    if b is not None:
        y = y + b.reshape(1, -1, 1, 1)
    return y


def pooling(x, p):
    n, c, h, w = x.shape
    if p.global_pooling:
        k, s, pad = (h, w), (1, 1), (0, 0)
    else:
        k = two(p.kernel_size if p.HasField("kernel_size") else [],
                p.kernel_h, p.kernel_w, p.HasField("kernel_h"), 0)
        s = two(p.stride, p.stride_h, p.stride_w, p.HasField("stride_h"), 1)
        pad = two(p.pad, p.pad_h, p.pad_w, p.HasField("pad_h"), 0)
    out = []
    for dim, size in enumerate((h, w)):
        span = (size + 2 * pad[dim] - k[dim]) / s[dim]
        o = int(np.ceil(span) if p.round_mode == pb.PoolingParameter.CEIL
                else np.floor(span)) + 1
        if (pad[0] or pad[1]) and (o - 1) * s[dim] >= size + pad[dim]:
            o -= 1
        out.append(o)
    y = np.zeros((n, c, out[0], out[1]))
    for ph in range(out[0]):
        for pw in range(out[1]):
            hs, ws = ph * s[0] - pad[0], pw * s[1] - pad[1]
            if p.pool == pb.PoolingParameter.MAX:
                he, we = min(hs + k[0], h), min(ws + k[1], w)
                hs, ws = max(hs, 0), max(ws, 0)
                y[:, :, ph, pw] = x[:, :, hs:he, ws:we].max(axis=(2, 3))
            else:
                he = min(hs + k[0], h + pad[0])
                we = min(ws + k[1], w + pad[1])
                size = (he - hs) * (we - ws)
                hs, ws = max(hs, 0), max(ws, 0)
                he, we = min(he, h), min(we, w)
                y[:, :, ph, pw] = x[:, :, hs:he, ws:we].sum(axis=(2, 3)) / size
    return y


def forward(net, weights, x):
    wl = weights.layers if len(weights.layers) else weights.layer
    blobs_by_name = {l.name: [blob_array(b) for b in l.blobs] for l in wl}
    layers = net.layers if len(net.layers) else net.layer
    blobs = {}
    available = set()
    inputs = list(net.input)
    for layer in layers:
        if layer_type(layer) == "Input":
            inputs += list(layer.top)
    assert len(inputs) == 1
    blobs[inputs[0]] = x
    available.add(inputs[0])
    for layer in layers:
        t = layer_type(layer)
        if t == "Input":
            continue
        bottoms = [blobs[b] for b in layer.bottom]
        for b in layer.bottom:
            available.discard(b)
        params = blobs_by_name.get(layer.name, [])
        a = bottoms[0] if bottoms else None
        if t == "Convolution":
            p = layer.convolution_param
            k, s, pad, d = conv_geometry(p)
            y = im2col_conv(a, params[0], params[1] if p.bias_term else None,
                            k, s, pad, d, p.group)
        elif t == "Deconvolution":
            p = layer.convolution_param
            k, s, pad, d = conv_geometry(p)
            y = deconv(a, params[0], params[1] if p.bias_term else None,
                       k, s, pad, d, p.group)
        elif t == "BatchNorm":
            f = params[2][0]
            f = 0.0 if f == 0 else 1.0 / f
            shape = (1, -1) + (1,) * (a.ndim - 2)
            mean = (params[0] * f).reshape(shape)
            var = (params[1] * f).reshape(shape)
            y = (a - mean) / np.sqrt(var + layer.batch_norm_param.eps)
        elif t == "Scale":
            shape = (1, -1) + (1,) * (a.ndim - 2)
            y = a * params[0].reshape(shape)
            if layer.scale_param.bias_term:
                y = y + params[1].reshape(shape)
        elif t == "ReLU":
            slope = layer.relu_param.negative_slope
            y = np.maximum(a, 0) + slope * np.minimum(a, 0)
        elif t == "Sigmoid":
            y = 1 / (1 + np.exp(-a))
        elif t == "TanH":
            y = np.tanh(a)
        elif t in ("Dropout", "Split"):
            y = a
        elif t == "Pooling":
            y = pooling(a, layer.pooling_param)
        elif t == "InnerProduct":
            p = layer.inner_product_param
            flat = a.reshape(a.shape[0], -1)
            w = params[0].reshape(-1, flat.shape[1]) if not p.transpose \
                else params[0].reshape(flat.shape[1], -1).T
            y = flat @ w.T
            if p.bias_term:
                y = y + params[1].reshape(1, -1)
        elif t == "Eltwise":
            p = layer.eltwise_param
            if p.operation == pb.EltwiseParameter.SUM:
                coeff = list(p.coeff) or [1.0] * len(bottoms)
                y = sum(c * b for c, b in zip(coeff, bottoms))
            elif p.operation == pb.EltwiseParameter.PROD:
                y = np.prod(bottoms, axis=0)
            else:
                y = np.max(bottoms, axis=0)
        elif t == "Concat":
            y = np.concatenate(bottoms, axis=layer.concat_param.axis)
        elif t == "Softmax":
            ax = layer.softmax_param.axis
            e = np.exp(a - a.max(axis=ax, keepdims=True))
            y = e / e.sum(axis=ax, keepdims=True)
        elif t == "Flatten":
            p = layer.flatten_param
            first, last = p.axis % a.ndim, p.end_axis % a.ndim
            y = a.reshape(a.shape[:first] + (-1,) + a.shape[last + 1:])
        else:
            sys.exit("reference: unsupported layer type " + t)
        outs = y if t == "Split" else [y]
        for top in layer.top:
            blobs[top] = outs[0] if t == "Split" else y
            available.add(top)
    return [(name, blobs[name]) for name in sorted(available)]


def main():
    proto, model, x_path, prefix = sys.argv[1:5]
    net = pb.NetParameter()
    with open(proto) as f:
        text_format.Parse(f.read(), net, allow_unknown_field=True)
    weights = pb.NetParameter()
    with open(model, "rb") as f:
        weights.ParseFromString(f.read())
    if "--make-input" in sys.argv:
        layers = net.layers if len(net.layers) else net.layer
        if len(net.input_shape):
            shape = tuple(net.input_shape[0].dim)
        elif len(net.input_dim):
            shape = tuple(net.input_dim[:4])
        else:
            shape = tuple(next(l for l in layers if l.type == "Input")
                          .input_param.shape[0].dim)
        rng = np.random.default_rng(42)
        np.save(x_path, rng.normal(0, 1, shape).astype(np.float32))
    x = np.load(x_path).astype(np.float64)
    for i, (name, value) in enumerate(forward(net, weights, x)):
        np.save("%s.%d.npy" % (prefix, i), value.astype(np.float32))
        print("output %d: %s %s" % (i, name, list(value.shape)))


if __name__ == "__main__":
    main()

"""NumPy references for tfg-replace-activations' replacements.

  activation_reference.py make DIR      writes DIR/x.npy and one .mlir per
                                        activation (softmax, sigmoid, swish)
  activation_reference.py ref KIND X.npy OUT.npy

hard_softmax follows the graph vai_q_tensorflow builds for replace_softmax
(Xilinx/Vitis-AI, src/vai_quantizer/vai_q_tensorflow1.x/tensorflow/contrib/
decent_q/utils/replace_softmax.cc): bfloat16 ops are float ops rounded to
bfloat16 (round to nearest even), float ops between casts are not rounded.
"""
import sys

import numpy as np


def bf(a):
    u = np.uint64
    bits = np.atleast_1d(np.asarray(a, np.float32)).view(np.uint32).astype(u)
    bits = (bits + u(0x7FFF) + ((bits >> u(16)) & u(1))) & u(0xFFFF0000)
    out = bits.astype(np.uint32).view(np.float32)
    return out.reshape(np.shape(a))


def hard_softmax(x):
    f = np.float32
    x = bf(x)
    n = bf(np.floor(bf(x * bf(f(1.4426950408889634)))))
    r = bf(x - bf(n * bf(f(0.6931471805599453))))
    p = bf(r * f(0.21875) + f(0.486328125))
    p = bf(r * p + f(1))
    p = bf(r * p + f(1))
    e = bf(bf(np.exp2(n)) * p)
    cols = x.shape[-1]
    lanes = np.zeros(x.shape[:-1] + (16,), np.float32)
    for k in range(cols):  # UnsortedSegmentSum, segment k % 16, in order
        lanes[..., k % 16] += e[..., k]
    total = np.zeros(x.shape[:-1], np.float32)
    for k in range(16):
        total += bf(lanes[..., k])
    s = bf(total)
    sbits = (s.view(np.uint32) >> np.uint32(16)).astype(np.int64)
    seed = ((0x7EB5 - sbits) & 0xFFFF).astype(np.uint32) << np.uint32(16)
    y0 = seed.view(np.float32)
    y1 = bf(bf(y0 * bf(f(1.9395974))) * bf(bf(f(1.436142)) - y0 * s))
    rec = bf(bf(f(1) - y1 * s) * y1 + y1)
    return bf(e * rec[..., None])


def relu6(x):
    return np.minimum(np.maximum(x, 0), 6)


REFS = {
    "softmax": hard_softmax,
    "sigmoid": lambda x: relu6(x + 3) / 6,
    "swish": lambda x: x * relu6(x + 3) / 6,
}


def make(out):
    rng = np.random.default_rng(3)
    x = rng.uniform(-8, 8, (4, 37)).astype(np.float32)
    x[3] += 20  # large logits: 2^n of the exponent is not reduced by a max
    np.save(out + "/x.npy", x)
    for kind in REFS:
        op = "tfg.%s %%x%s" % (kind, " {axis = -1 : i64}" if kind == "softmax" else "")
        open("%s/%s.mlir" % (out, kind), "w").write(
            "func.func @main(%%x: tensor<4x37xf32>) -> tensor<4x37xf32> {\n"
            "  %%y = %s : tensor<4x37xf32>\n"
            "  return %%y : tensor<4x37xf32>\n}\n" % op)


if __name__ == "__main__":
    if sys.argv[1] == "make":
        make(sys.argv[2])
    else:
        x = np.load(sys.argv[3])
        y = REFS[sys.argv[2]](x).astype(np.float32)
        np.save(sys.argv[4], y)
        if sys.argv[2] == "softmax":
            z = x - x.max(-1, keepdims=True)
            exact = np.exp(z) / np.exp(z).sum(-1, keepdims=True)
            print("hard_softmax vs softmax: max abs error %.4f" % np.abs(y - exact).max())

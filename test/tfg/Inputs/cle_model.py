"""Small models for tfg-cross-layer-equalization's end-to-end test.

  cle_model.py make DIR    writes DIR/model.mlir and DIR/x.npy
  cle_model.py check BEFORE.mlir AFTER.mlir
      checks with NumPy, from the constants of both files, that each
      equalized pair now has equal per-channel ranges, that the relu6 pair
      is untouched, and that the first pair's spread fell.

The model (seeded random weights, channel magnitudes spread over 10^+-1.5):
  conv3x3+bias+relu -> pad -> depthwise3x3+bias+relu -> conv1x1+bias
  -> conv1x1+bias+relu6 -> conv1x1
Pairs: (c1, dw), (dw, c2), (c2, c3) equalized; (c3, c4) has relu6.
"""
import re
import sys

import numpy as np

C0, C1, C2, C3, C4 = 3, 8, 6, 5, 4


def spread_weights(rng, shape, axis):
    w = rng.standard_normal(shape).astype(np.float32)
    scale = 10.0 ** rng.uniform(-1.5, 1.5, shape[axis])
    bshape = [1] * len(shape)
    bshape[axis] = shape[axis]
    return (w * scale.reshape(bshape)).astype(np.float32)


def dense(a):
    return "dense<%s>" % np.array2string(
        a, separator=", ", threshold=10**9, floatmode="unique",
        max_line_width=10**9).replace("\n", "")


def make(out):
    rng = np.random.default_rng(7)
    w1 = spread_weights(rng, (3, 3, C0, C1), 3)
    b1 = rng.standard_normal(C1).astype(np.float32)
    wd = spread_weights(rng, (3, 3, C1, 1), 2)
    bd = rng.standard_normal(C1).astype(np.float32)
    w2 = spread_weights(rng, (1, 1, C1, C2), 3)
    b2 = rng.standard_normal(C2).astype(np.float32)
    w3 = spread_weights(rng, (1, 1, C2, C3), 3)
    b3 = rng.standard_normal(C3).astype(np.float32)
    w4 = spread_weights(rng, (1, 1, C3, C4), 2)
    t = lambda s: "tensor<%sxf32>" % "x".join(str(d) for d in s)
    conv = ("{strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, "
            "pad = array<i64: %s>%s}")
    lines = ["func.func @main(%%x: %s) -> %s {" % (t((1, 8, 8, C0)), t((1, 6, 6, C4)))]
    for name, a in [("w1", w1), ("b1", b1), ("wd", wd), ("bd", bd), ("w2", w2),
                    ("b2", b2), ("w3", w3), ("b3", b3), ("w4", w4)]:
        lines.append("  %%%s = tfg.const %s : %s" % (name, dense(a), t(a.shape)))
    relu = ", activation = #tfg.activation<relu>"
    lines += [
        "  %%c1 = tfg.conv2d %%x, %%w1, %%b1 %s : (%s, %s, %s) -> %s" % (
            conv % ("0, 0, 0, 0", relu), t((1, 8, 8, C0)), t(w1.shape), t(b1.shape), t((1, 6, 6, C1))),
        "  %%p = tfg.pad %%c1 {pads = array<i64: 0, 1, 1, 0, 0, 1, 1, 0>} : (%s) -> %s" % (
            t((1, 6, 6, C1)), t((1, 8, 8, C1))),
        "  %%d = tfg.depthwise_conv2d %%p, %%wd, %%bd %s : (%s, %s, %s) -> %s" % (
            conv % ("0, 0, 0, 0", relu), t((1, 8, 8, C1)), t(wd.shape), t(bd.shape), t((1, 6, 6, C1))),
        "  %%c2 = tfg.conv2d %%d, %%w2, %%b2 %s : (%s, %s, %s) -> %s" % (
            conv % ("0, 0, 0, 0", ""), t((1, 6, 6, C1)), t(w2.shape), t(b2.shape), t((1, 6, 6, C2))),
        "  %%c3 = tfg.conv2d %%c2, %%w3, %%b3 %s : (%s, %s, %s) -> %s" % (
            conv % ("0, 0, 0, 0", relu.replace("relu>", "relu6>")), t((1, 6, 6, C2)), t(w3.shape), t(b3.shape), t((1, 6, 6, C3))),
        "  %%c4 = tfg.conv2d %%c3, %%w4 %s : (%s, %s) -> %s" % (
            conv % ("0, 0, 0, 0", ""), t((1, 6, 6, C3)), t(w4.shape), t((1, 6, 6, C4))),
        "  return %%c4 : %s" % t((1, 6, 6, C4)),
        "}",
    ]
    open(out + "/model.mlir", "w").write("\n".join(lines) + "\n")
    x = (rng.standard_normal((1, 8, 8, C0)) * 2).astype(np.float32)
    np.save(out + "/x.npy", x)


def constants(path):
    """The tfg.const values of a printed file, in order."""
    values = []
    for m in re.finditer(r"tfg\.const dense<(.*?)> : tensor<([0-9x]*)xf32>",
                         open(path).read()):
        body, shape = m.group(1), [int(d) for d in m.group(2).split("x") if d]
        if body.startswith('"0x'):
            a = np.frombuffer(bytes.fromhex(body[3:-1]), dtype="<f4")
        else:
            a = np.array(eval(body), dtype=np.float32)
        values.append(np.broadcast_to(a.reshape(-1) if a.size > 1 else a, (int(np.prod(shape)),)).reshape(shape))
    return values


def out_ranges(w, depthwise=False):
    return np.abs(w).reshape(-1, w.shape[2] * w.shape[3] if depthwise else w.shape[3]).max(0)


def in_ranges(w):
    return np.abs(np.moveaxis(w, 2, -1)).reshape(-1, w.shape[2]).max(0)


def check(before_path, after_path):
    before = {v.shape: v for v in constants(before_path)}
    after = {v.shape: v for v in constants(after_path)}
    w1, wd, w2, w3, w4 = ((3, 3, C0, C1), (3, 3, C1, 1), (1, 1, C1, C2),
                          (1, 1, C2, C3), (1, 1, C3, C4))
    ok = True
    for name, head, dw, tail in [("c1->dw", w1, False, wd),
                                 ("dw->c2", wd, True, w2),
                                 ("c2->c3", w2, False, w3)]:
        r1 = out_ranges(after[head], dw)
        r2 = in_ranges(after[tail])
        err = np.max(np.abs(r1 - r2) / r2)
        r0 = out_ranges(before[head], dw)
        print("%s: max |r1 - r2| / r2 = %.2e, head spread %.1f -> %.1f"
              % (name, err, r0.max() / r0.min(), r1.max() / r1.min()))
        ok &= err < 1e-3 and r1.max() / r1.min() < r0.max() / r0.min()
    # c3 -> c4 goes through relu6: c4 must stay bit-identical.
    print("relu6 pair untouched:", np.array_equal(before[w4], after[w4]))
    ok &= np.array_equal(before[w4], after[w4])
    print("OK" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    if sys.argv[1] == "make":
        make(sys.argv[2])
    else:
        sys.exit(check(sys.argv[2], sys.argv[3]))

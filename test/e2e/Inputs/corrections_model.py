"""A small calibrated-CNN workload for quant-bias-correction and
quant-fast-finetune, and an independent NumPy reference of bias correction.

  corrections_model.py make PREFIX
      PREFIX.mlir (tfg: 3x3 conv + ReLU, 3x3 depthwise + ReLU6, 1x1 conv
      without bias, global mean, matmul), PREFIX.calib.npy (64 images) and
      PREFIX.heldout.npy (64 other images).
  corrections_model.py check-bias PREFIX CALIBRATED.mlir CORRECTED.mlir
      Recomputes the corrected biases from the calibration images and the
      calibrated positions (quant.fix_point of CALIBRATED.mlir), written out
      in NumPy from the rules (docs/passes/quant-corrections.md): weights at
      their min-diffs positions adjusted to the DPU shift ranges, every
      output rounded half up and saturated at its position, layers corrected
      in order, bias += mean(float pre-activation - fake-quantized
      pre-activation with the float bias). Compares with CORRECTED.mlir's
      biases and recorded weight positions.
  corrections_model.py sqnr FLOAT.npy NAME=FIXED.npy... [A>B]...
      Prints the SQNR (dB) of each fixed-point output against float; each
      A>B asserts that A's SQNR is higher than B's.
"""
import ast
import re
import sys

import numpy as np

H = W = 8
CIN, C1, C3, OUT = 2, 4, 4, 3


def weights():
    rng = np.random.default_rng(7)
    f = np.float32
    return {
        "w1": (rng.normal(0, 0.4, (3, 3, CIN, C1))).astype(f),
        "b1": rng.normal(0, 0.1, C1).astype(f),
        "wd": (rng.normal(0, 0.4, (3, 3, C1, 1))).astype(f),
        "bd": rng.normal(0, 0.1, C1).astype(f),
        "w3": (rng.normal(0, 0.5, (1, 1, C1, C3))).astype(f),
        "wm": (rng.normal(0, 0.6, (C3, OUT))).astype(f),
        "bm": rng.normal(0, 0.1, OUT).astype(f),
    }


def literal(a):
    return "dense<%s>" % re.sub(r"\s+", "", np.array2string(
        a, separator=",", threshold=1 << 30, floatmode="unique"))


def ty(shape):
    return "tensor<%sxf32>" % "x".join(str(d) for d in shape)


def make(prefix):
    w = weights()
    conv = ("strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, "
            "pad = array<i64: %d, %d, %d, %d>")
    x, a1, a3 = "?x%dx%dx%d" % (H, W, CIN), "?x%dx%dx%d" % (H, W, C1), \
        "?x%dx%dx%d" % (H, W, C3)
    lines = ["func.func @main(%%x: tensor<%sxf32>) -> tensor<?x%dxf32> {"
             % (x, OUT)]
    for name, a in w.items():
        lines.append("  %%%s = tfg.const %s : %s" % (name, literal(a),
                                                    ty(a.shape)))
    lines += [
        "  %%c1 = tfg.conv2d %%x, %%w1, %%b1 {%s, activation = "
        "#tfg.activation<relu>} : (tensor<%sxf32>, %s, %s) -> tensor<%sxf32>"
        % (conv % (1, 1, 1, 1), x, ty(w["w1"].shape), ty(w["b1"].shape), a1),
        "  %%d = tfg.depthwise_conv2d %%c1, %%wd, %%bd {%s, activation = "
        "#tfg.activation<relu6>} : (tensor<%sxf32>, %s, %s) -> tensor<%sxf32>"
        % (conv % (1, 1, 1, 1), a1, ty(w["wd"].shape), ty(w["bd"].shape),
           a1),
        "  %%c3 = tfg.conv2d %%d, %%w3 {%s} : (tensor<%sxf32>, %s) -> "
        "tensor<%sxf32>" % (conv % (0, 0, 0, 0), a1, ty(w["w3"].shape), a3),
        "  %%m = tfg.mean %%c3 {axes = array<i64: 1, 2>, keep_dims = false} "
        ": (tensor<%sxf32>) -> tensor<?x%dxf32>" % (a3, C3),
        "  %%y = tfg.matmul %%m, %%wm, %%bm : (tensor<?x%dxf32>, %s, %s) -> "
        "tensor<?x%dxf32>" % (C3, ty(w["wm"].shape), ty(w["bm"].shape), OUT),
        "  return %%y : tensor<?x%dxf32>" % OUT,
        "}",
    ]
    with open(prefix + ".mlir", "w") as f:
        f.write("\n".join(lines) + "\n")
    rng = np.random.default_rng(11)
    data = rng.normal(0.2, 0.5, (128, H, W, CIN)).astype(np.float32)
    np.save(prefix + ".calib.npy", data[:64])
    np.save(prefix + ".heldout.npy", data[64:])


# --- the reference ---------------------------------------------------------

def rnd(x):
    """DPU rounding: halves toward +inf."""
    return np.floor(x + 0.5)


def fq(x, p):
    s = 2.0 ** p
    return np.clip(rnd(np.asarray(x, np.float64) * s), -128, 127) / s


def non_overflow(x):
    x = np.asarray(x, np.float64)
    step = max(min(x.min(), 0) / -128.5, max(x.max(), 0) / 127.5)
    return 7 if step <= 0 else int(np.floor(np.log2(1 / step)))


def min_diffs(x):
    p0 = non_overflow(x)
    if not np.any(x != 0):
        return p0
    x = np.asarray(x, np.float64)
    errs = [((fq(x, p) - x) ** 2).sum() for p in range(p0, p0 + 5)]
    return p0 + int(np.argmin(errs))  # first minimum: the smaller position


def adjust(i, w, o, b):
    if w + i - o > 16:
        w = o + 16 - i
    if w + i - o < 0:
        o = w + i
    cut = w + i - o
    lo, hi = max(min(0, -(24 - (8 + cut))), 0), 16
    if w + i - b > hi:
        b = w + i - hi
    elif w + i - b < lo:
        b = w + i - lo
    return w, o, b


def conv(x, w, pad):
    x = np.pad(x, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
    kh, kw = w.shape[:2]
    n, h, ww, _ = x.shape
    out = 0
    for i in range(kh):
        for j in range(kw):
            out = out + np.einsum("nhwc,co->nhwo",
                                  x[:, i:h - kh + 1 + i, j:ww - kw + 1 + j],
                                  w[i, j])
    return out


def depthwise(x, w, pad):
    x = np.pad(x, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
    kh, kw = w.shape[:2]
    n, h, ww, _ = x.shape
    out = 0
    for i in range(kh):
        for j in range(kw):
            out = out + x[:, i:h - kh + 1 + i, j:ww - kw + 1 + j] * w[i, j, :, 0]
    return out


def parse(path):
    """(input position, [(op, position, operand names)], {name: array},
    [recorded weight positions])."""
    text = open(path).read()
    arg = int(re.search(r"%arg0: tensor<[^>]*> \{quant.fix_point = (-?\d+)",
                        text).group(1))
    consts, ops = {}, []
    for line in text.splitlines():
        m = re.match(r"\s*(%\w+) = tfg.const dense<(.*)> : tensor<([0-9x]+)"
                     r"xf32>", line)
        if m:
            shape = [int(d) for d in m.group(3).split("x")]
            v = np.array(ast.literal_eval(m.group(2)), np.float64)
            consts[m.group(1)] = np.broadcast_to(v, shape).copy()
            continue
        m = re.match(r"\s*%\w+ = tfg\.(\w+) ([^{]*)\{(.*)\}", line)
        if m:
            pos = int(re.search(r"quant.fix_point = (-?\d+)",
                                m.group(3)).group(1))
            wpos = re.search(r"quant.weight_fix_point = (-?\d+)", m.group(3))
            ops.append((m.group(1), pos,
                        [s.strip() for s in m.group(2).split(",")],
                        int(wpos.group(1)) if wpos else None))
    return arg, ops, consts


def check_bias(prefix, calibrated, corrected):
    w = weights()
    w = {k: v.astype(np.float64) for k, v in w.items()}
    x = np.load(prefix + ".calib.npy").astype(np.float64)
    p_in, ops, _ = parse(calibrated)
    # Positions in op order: conv2d, depthwise_conv2d, conv2d, mean, matmul.
    cal = [pos for _, pos, _, _ in ops]
    _, new_ops, new_consts = parse(corrected)

    expected, positions = [], []

    def layer(kind, xf, xq, i, wt, b, o, act, pad=0):
        fwd = {"conv2d": lambda a, k: conv(a, k, pad),
               "depthwise_conv2d": lambda a, k: depthwise(a, k, pad),
               "matmul": lambda a, k: a @ k}[kind]
        wp, o, _ = adjust(i, min_diffs(wt), o, min_diffs(b))
        wq = fq(wt, wp)
        pre_f = fwd(xf, wt) + b
        pre_q = fwd(xq, wq) + b
        axes = tuple(range(pre_f.ndim - 1))
        b_new = b + (pre_f - pre_q).mean(axis=axes)
        _, o, bp = adjust(i, wp, o, min_diffs(b_new))
        expected.append(b_new)
        positions.append(wp)
        yq = fwd(xq, wq) + fq(b_new, bp)
        return act(pre_f), fq(act(yq), o), o

    relu = lambda v: np.maximum(v, 0)
    relu6 = lambda v: np.clip(v, 0, 6)
    ident = lambda v: v
    xq = fq(x, p_in)
    xf, xq, p = layer("conv2d", x, xq, p_in, w["w1"], w["b1"],
                      cal[0], relu, pad=1)
    xf, xq, p = layer("depthwise_conv2d", xf, xq, p, w["wd"], w["bd"],
                      cal[1], relu6, pad=1)
    xf, xq, p = layer("conv2d", xf, xq, p, w["w3"], np.zeros(C3),
                      cal[2], ident)
    xf, xq = xf.mean(axis=(1, 2)), fq(xq.mean(axis=(1, 2)), cal[3])
    layer("matmul", xf, xq, cal[3], w["wm"], w["bm"], cal[4], ident)

    got = [(new_consts[operands[2]], wpos) for op, _, operands, wpos in new_ops
           if op in ("conv2d", "depthwise_conv2d", "matmul")]
    ok = len(got) == len(expected)
    for k, (want, wp) in enumerate(zip(expected, positions)):
        have, have_wp = got[k]
        err = np.abs(have - want).max()
        shift = np.abs(want - [w["b1"], w["bd"], np.zeros(C3), w["bm"]][k])
        print("layer %d: bias moved by up to %.4g, differs from the "
              "reference by %.2g; weight position %s (reference %d)"
              % (k, shift.max(), err, have_wp, wp))
        ok = ok and err < 1e-5 and have_wp == wp
    print("bias correction matches the reference" if ok else "MISMATCH")
    return 0 if ok else 1


def sqnr(ref, out):
    ref, out = np.load(ref).astype(np.float64), np.load(out).astype(np.float64)
    return 10 * np.log10((ref ** 2).sum() / max(((ref - out) ** 2).sum(),
                                               1e-30))


def main():
    cmd = sys.argv[1]
    if cmd == "make":
        make(sys.argv[2])
        return 0
    if cmd == "check-bias":
        return check_bias(*sys.argv[2:5])
    if cmd == "sqnr":
        values, ok = {}, True
        for arg in sys.argv[3:]:
            if "=" in arg:
                name, path = arg.split("=", 1)
                values[name] = sqnr(sys.argv[2], path)
                print("%s: SQNR %.2f dB" % (name, values[name]))
            else:
                a, b = arg.split(">")
                better = values[a] > values[b]
                print("%s %s %s" % (a, "beats" if better else "DOES NOT BEAT",
                                    b))
                ok = ok and better
        return 0 if ok else 1
    sys.exit("usage: see the docstring")


if __name__ == "__main__":
    sys.exit(main())

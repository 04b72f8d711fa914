"""Runs quant.hard_sigmoid, quant.pad and quant.upsample in the fixed-point
interpreter and checks every output element against a NumPy / exact-fraction
model of the arithmetic written here from the ops' descriptions.

    check_data_ops.py WORKDIR

Needs vai-translate on PATH. Prints one line per op kind and exits 1 on the
first mismatch.
"""
import os
import subprocess
import sys
from fractions import Fraction

import numpy as np

work = sys.argv[1]
os.makedirs(work, exist_ok=True)
rng = np.random.default_rng(17)


def fix(shape, p):
    return "tensor<%sx!quant.fix<s8, %d>>" % ("x".join(map(str, shape)), p)


def f32(shape):
    return "tensor<%sxf32>" % "x".join(map(str, shape))


def interpret(name, body, in_shape, out_shape, x):
    """@main(x: f32) -> f32 around `body`, which reads %q and defines %r."""
    mlir = os.path.join(work, name + ".mlir")
    with open(mlir, "w") as f:
        f.write("func.func @main(%%x: %s) -> %s {\n%s\n"
                "  %%y = quant.dequantize %%r : %s -> %s\n"
                "  return %%y : %s\n}\n"
                % (f32(in_shape), f32(out_shape), body, body_out[name],
                   f32(out_shape), f32(out_shape)))
    np.save(os.path.join(work, name + ".in.npy"), x.astype(np.float32))
    subprocess.run(["vai-translate", "--interpret-fixed",
                    "--input=" + os.path.join(work, name + ".in.npy"), mlir,
                    "-o", os.path.join(work, name + ".out.npy")], check=True)
    return np.load(os.path.join(work, name + ".out.npy"))


body_out = {}
failures = 0


def expect(name, got, want):
    global failures
    if got.shape != want.shape or (got != want).any():
        bad = np.argwhere(got != want)[:5] if got.shape == want.shape else []
        print("%s: MISMATCH shape %s vs %s at %s" % (name, got.shape,
                                                     want.shape, bad.tolist()))
        failures += 1


# Hard sigmoid: every int8 input code, several (input, output) positions.
codes = np.arange(-128, 128)
count = 0
for i, o in [(0, 7), (3, 7), (5, 7), (5, 9), (7, 8), (12, 7), (15, 7),
             (4, 18), (2, 16)]:
    name = "hsig_%d_%d" % (i, o)
    body_out[name] = fix([256], o)
    body = ("  %%q = quant.quantize %%x : %s -> %s\n"
            "  %%r = quant.hard_sigmoid %%q : (%s) -> %s"
            % (f32([256]), fix([256], i), fix([256], i), fix([256], o)))
    got = interpret(name, body, [256], [256], codes / 2.0 ** i)
    want = []
    for k in codes:
        # relu6(x + 3) * 2731 / 2^14 at position o, halves up, saturated.
        x = Fraction(int(k), 2 ** i)
        h = min(max(x + 3, Fraction(0)), Fraction(6)) * Fraction(2731, 2 ** 14)
        q = (h * 2 ** o + Fraction(1, 2)).__floor__()
        want.append(min(max(q, -128), 127) / 2.0 ** o)
    expect(name, got, np.array(want, np.float32))
    count += 1
print("hard_sigmoid: %d position pairs x 256 codes checked" % count)

# Pad: the three modes on random codes, numpy.pad as the reference.
shape = [2, 5, 4, 3]
count = 0
for mode, pads, value in [("constant", [0, 1, 2, 0, 0, 2, 1, 1], 0),
                          ("constant", [0, 0, 3, 0, 0, 2, 0, 0], -7),
                          ("reflect", [0, 4, 3, 0, 0, 2, 1, 0], 0),
                          ("symmetric", [0, 5, 4, 0, 0, 1, 4, 0], 0)]:
    name = "pad_%d" % count
    r = len(shape)
    width = [(pads[d], pads[d + r]) for d in range(r)]
    out_shape = [s + a + b for s, (a, b) in zip(shape, width)]
    body_out[name] = fix(out_shape, 3)
    body = ("  %%q = quant.quantize %%x : %s -> %s\n"
            "  %%r = quant.pad %%q {pads = array<i64: %s>, mode = "
            "#quant.pad_mode<%s>, value = %d : i64} : (%s) -> %s"
            % (f32(shape), fix(shape, 3), ", ".join(map(str, pads)), mode,
               value, fix(shape, 3), fix(out_shape, 3)))
    q = rng.integers(-128, 128, shape)
    got = interpret(name, body, shape, out_shape, q / 8.0)
    if mode == "constant":
        want = np.pad(q, width, mode="constant", constant_values=value)
    else:
        want = np.pad(q, width, mode=mode)
    expect(name, got, (want / 8.0).astype(np.float32))
    count += 1
print("pad: %d cases checked" % count)

# Upsample: out[n, y, x, c] = in[n, y // sh, x // sw, c] (np.repeat).
shape = [2, 3, 4, 5]
count = 0
for sh, sw in [(2, 2), (2, 3), (3, 1), (1, 1)]:
    name = "up_%d_%d" % (sh, sw)
    out_shape = [2, 3 * sh, 4 * sw, 5]
    body_out[name] = fix(out_shape, -2)
    body = ("  %%q = quant.quantize %%x : %s -> %s\n"
            "  %%r = quant.upsample %%q {scale = array<i64: %d, %d>} : "
            "(%s) -> %s" % (f32(shape), fix(shape, -2), sh, sw,
                            fix(shape, -2), fix(out_shape, -2)))
    q = rng.integers(-128, 128, shape)
    got = interpret(name, body, shape, out_shape, q * 4.0)
    want = np.repeat(np.repeat(q, sh, axis=1), sw, axis=2) * 4.0
    expect(name, got, want.astype(np.float32))
    count += 1
print("upsample: %d scales checked" % count)
sys.exit(1 if failures else 0)

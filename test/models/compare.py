#!/usr/bin/env python3
"""Compare our output with a reference runtime's.

    compare.py OURS.npy REFERENCE.npy [--tol=1e-4] [--label=NAME]

Prints `NAME: max abs error E, output range R, relative R_ERR (tol T)`
and exits 1 when the shapes differ, a value is not finite, or
max|ours - ref| > tol * (max(ref) - min(ref)). The range comes from the
reference alone, so a broken output cannot widen its own tolerance.
Shapes must agree after dropping leading 1s (our interpreter and the
runtimes may keep or drop a batch dimension of 1 differently).
"""

import sys

import numpy as np


def squeeze_leading(shape):
    shape = list(shape)
    while len(shape) > 1 and shape[0] == 1:
        shape.pop(0)
    return tuple(shape)


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    opts = dict(a[2:].split("=", 1) for a in sys.argv[1:]
                if a.startswith("--") and "=" in a)
    if len(args) != 2:
        sys.exit("usage: compare.py OURS.npy REFERENCE.npy [--tol=T] "
                 "[--label=NAME]")
    tol = float(opts.get("tol", "1e-4"))
    label = opts.get("label", args[0])
    ours = np.load(args[0]).astype(np.float64)
    ref = np.load(args[1]).astype(np.float64)
    if squeeze_leading(ours.shape) != squeeze_leading(ref.shape):
        print("%s: FAIL shape %s vs reference %s" %
              (label, ours.shape, ref.shape))
        return 1
    ours = ours.reshape(ref.shape)
    if not np.all(np.isfinite(ours)) or not np.all(np.isfinite(ref)):
        print("%s: FAIL non-finite values" % label)
        return 1
    err = float(np.max(np.abs(ours - ref)))
    rng = float(np.max(ref) - np.min(ref))
    rel = err / rng if rng > 0 else (0.0 if err == 0 else float("inf"))
    verdict = "ok" if rel <= tol else "FAIL"
    print("%s: %s max abs error %.3g, output range %.3g, relative %.3g "
          "(tol %g), %d values" % (label, verdict, err, rng, rel, tol,
                                   ref.size))
    return 0 if verdict == "ok" else 1


if __name__ == "__main__":
    sys.exit(main())

"""Inputs and NumPy expectations for xir-node-kernels.test.

    xir_nodes.py gen DIR      writes f.npy, c.npy and the expected
                              scatter.npy / transpose.npy
    xir_nodes.py check DIR    compares DIR/out_*.npy with them

The scatter expectation comes from xmodel_reference.ppscatter_v2 (the
independent NumPy model of PPScatterV2); the coordinates exercise its
corners: two pillars on one cell (the later wins), fractional coordinates
(truncated), x = -0.5 (truncates to 0, so not the end marker), the end
marker x = -1 followed by a pillar that must be ignored.
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "e2e", "Inputs"))
import xmodel_reference as ref  # noqa: E402


class _Op(object):
    name = "scatter"
    attrs = {"ny": 4, "nx": 6, "nchannels": 3}


def main():
    mode, d = sys.argv[1], sys.argv[2]
    if mode == "gen":
        os.makedirs(d, exist_ok=True)
        rng = np.random.default_rng(5)
        f = rng.standard_normal((1, 3, 7, 1)).astype(np.float32)
        c = np.array([[[0, 0, 1, 2], [0, 0, 3, 5], [0, 0, 1, 2],
                       [0, 0, 2.7, 4.9], [0, 0, 0, -0.5], [0, 0, -1, -1],
                       [0, 0, 2, 2]]], np.float32)
        np.save(os.path.join(d, "f.npy"), f)
        np.save(os.path.join(d, "c.npy"), c)
        np.save(os.path.join(d, "scatter.npy"),
                ref.ppscatter_v2(_Op(), f.astype(np.float64),
                                 c.astype(np.float64)).astype(np.float32))
        np.save(os.path.join(d, "transpose.npy"),
                np.transpose(f, (0, 2, 3, 1)))
        return 0
    ok = True
    for name in ("scatter", "transpose"):
        want = np.load(os.path.join(d, name + ".npy"))
        got = np.load(os.path.join(d, "out_" + name + ".npy"))
        same = got.shape == want.shape and np.array_equal(got, want)
        print("%s %s: %s" % (name, list(want.shape),
                             "equal" if same else "DIFFERENT"))
        ok &= same
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

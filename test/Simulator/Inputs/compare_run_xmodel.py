"""Compares the outputs of `vai-translate --run-xmodel` runs with the NumPy
reference's whole-graph run (xmodel_reference.py --whole), by XIR name.

    compare_run_xmodel.py REFDIR RUN.txt [RUN2.txt ...]

REFDIR holds the reference's <i>.npy and names.txt; each RUN.txt is the -o
listing of one run (`output <i> <name> [shape] fix_point=<n>|float32
<path>`). Every run must list exactly the reference's outputs, in the same
order, with identical dtype, shape and bytes. Prints one line per run and
output and a total; exits 1 on any difference.
"""
import os
import sys

import numpy as np


def listing(path):
    out = []
    with open(path) as f:
        for line in f:
            if line.startswith("output "):
                fields = line.split()
                out.append((fields[2], fields[-1]))
    return out


def main():
    refdir, runs = sys.argv[1], sys.argv[2:]
    with open(os.path.join(refdir, "names.txt")) as f:
        ref = [(line.split()[1], os.path.join(refdir, line.split()[0] + ".npy"))
               for line in f if line.strip()]
    ok, total = True, 0
    for r, run in enumerate(runs):
        ours = listing(run)
        if [n for n, _ in ours] != [n for n, _ in ref]:
            print("run %d lists %s, the reference %s"
                  % (r, [n for n, _ in ours], [n for n, _ in ref]))
            ok = False
            continue
        for (name, path), (_, ref_path) in zip(ours, ref):
            a, b = np.load(path), np.load(ref_path)
            same = a.dtype == b.dtype and a.shape == b.shape
            bad = int((a != b).sum()) if same else b.size
            print("run %d output %s %s %s: %d values, %d differ"
                  % (r, name, b.dtype, list(b.shape), b.size, bad))
            total += b.nbytes
            ok &= same and bad == 0
    print("compared %d reference bytes: %s"
          % (total, "identical" if ok else "MISMATCH"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

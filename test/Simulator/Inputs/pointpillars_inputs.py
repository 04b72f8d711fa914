"""Writes random, realistic inputs for Xilinx's compiled pointpillars
(pointpillars_DPUCZDX8G.xmodel): the two data ops in file order,

    pointpillars_inputs.py OUTDIR --seed N [--pillars P] [--codes]

  voxels.npy   VoxelNet__input_0 (data-fix, fix_point 6) [1, 12000, 100, 4]
               float32: per pillar up to 100 points in [-2, 2), zero rows
               for absent points and pillars; with --codes int8 codes
               instead (the DPU's view: value = q * 2^-6)
  coords.npy   VoxelNet__input_1 (data, float) [1, 12000, 4]: per pillar
               (batch 0, z 0, y, x) with P distinct cells of the 496 x 432
               grid PPScatterV2 fills, then rows of -1 (its end marker)
"""
import argparse
import os

import numpy as np

PILLARS, POINTS, FEATURES = 12000, 100, 4
NY, NX = 496, 432


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("outdir")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--pillars", type=int, default=6000)
    parser.add_argument("--codes", action="store_true")
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    used = args.pillars
    voxels = np.zeros((1, PILLARS, POINTS, FEATURES), np.float32)
    points = rng.integers(1, POINTS + 1, size=used)
    for p in range(used):
        voxels[0, p, :points[p]] = rng.uniform(-2, 2, (points[p], FEATURES))
    if args.codes:
        voxels = np.clip(np.floor(voxels * 64.0 + 0.5), -128,
                         127).astype(np.int8)
    coords = np.full((1, PILLARS, 4), -1, np.float32)
    cells = rng.choice(NY * NX, size=used, replace=False)
    coords[0, :used, 0] = 0
    coords[0, :used, 1] = 0
    coords[0, :used, 2] = cells // NX
    coords[0, :used, 3] = cells % NX
    os.makedirs(args.outdir, exist_ok=True)
    np.save(os.path.join(args.outdir, "voxels.npy"), voxels)
    np.save(os.path.join(args.outdir, "coords.npy"), coords)


if __name__ == "__main__":
    main()

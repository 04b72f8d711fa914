"""Speed of the instruction-level DPU simulator on Xilinx's pointpillars.

    /usr/bin/python3 bench/dpu_simulator.py [--repeat=3] [--xmodel=PATH]

For the PFN (33,068 instructions) and RPN (20,320 instructions) programs of
pointpillars_DPUCZDX8G.xmodel, on one random int8 input, it prints in one
run on the same machine:

- sim: the simulator's own run time ("simulated in" of
  `vai-translate --simulate-xmodel`; best of --repeat), and the whole
  process (reading the 2 MB xmodel, making the input, writing the outputs);
- peers, the same subgraph computed at the layer level rather than by
  instructions: our fixed-point interpreter (`--interpret-fixed --subgraph`
  on the --import-xmodel-dpu view, whole process) and the independent NumPy
  executor of the XIR ops (test/e2e/Inputs/xmodel_reference.py, in process,
  excluding protoc decoding);
- the ratios peer / sim, and whether all three outputs are identical.

Timings are wall clock on a shared machine: compare the ratios of one run.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile
import time

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "test", "e2e", "Inputs"))
import xmodel_reference as ref  # noqa: E402

SUBGRAPHS = {
    "PFN": "subgraph_VoxelNet__VoxelNet_PillarFeatureNet_voxel_feature_"
           "extractor__PFNLayer_pfn_layers__ModuleList_0__Conv2d_conv__"
           "input_2",
    "RPN": "subgraph_VoxelNet__VoxelNet_RPN_rpn__Cat_cat__input",
}


def timed(cmd):
    start = time.perf_counter()
    run = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    wall = time.perf_counter() - start
    if run.returncode != 0:
        sys.exit("failed: %s\n%s" % (" ".join(cmd), run.stderr.decode()))
    return wall


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--xmodel", default=os.path.join(
        ROOT, "..", "shared", "data", "xilinx",
        "pointpillars_DPUCZDX8G.xmodel"))
    parser.add_argument("--bin", default=os.path.join(ROOT, "build", "bin"))
    args = parser.parse_args()
    translate = os.path.join(args.bin, "vai-translate")
    work = tempfile.mkdtemp(prefix="vai-bench-sim-")
    view = os.path.join(work, "view.mlir")
    timed([translate, "--import-xmodel-dpu", args.xmodel, "-o", view])
    graph = ref.decode_xmodel(args.xmodel, "protoc",
                              os.path.join(ROOT, "lib", "Proto"))
    print("%-4s %12s %10s %14s %12s %10s %10s %s" % (
        "", "instructions", "sim run s", "sim process s", "interp s",
        "numpy s", "interp/sim", "numpy/sim  identical"))
    for label, name in SUBGRAPHS.items():
        sim_dir = os.path.join(work, label + "_sim")
        best_run, best_process, report = None, None, ""
        for _ in range(args.repeat):
            wall = timed([translate, "--simulate-xmodel", args.xmodel,
                          "--sim-subgraph=" + name, "--sim-seed=1",
                          "--sim-output-dir=" + sim_dir,
                          "-o", sim_dir + ".txt"])
            report = open(sim_dir + ".txt").read()
            run = float(re.search(r"simulated in ([0-9.]+) s",
                                  report).group(1))
            best_run = run if best_run is None else min(best_run, run)
            best_process = (wall if best_process is None
                            else min(best_process, wall))
        instructions = sum(int(n) for n in
                           re.findall(r"^executed \w+ (\d+)", report, re.M))
        inputs = sorted(f for f in os.listdir(sim_dir)
                        if f.startswith("input_"))
        paths = [os.path.join(sim_dir, f) for f in inputs]
        interp_dir = os.path.join(work, label + "_interp")
        interp = min(timed([translate, "--interpret-fixed",
                            "--subgraph=" + name,
                            "--input=" + ",".join(paths),
                            "--output-dir=" + interp_dir, view,
                            "-o", interp_dir + ".txt"])
                     for _ in range(args.repeat))
        start = time.perf_counter()
        outputs, _ = ref.execute_subgraph(graph, name,
                                          [np.load(p) for p in paths])
        numpy_s = time.perf_counter() - start
        same = True
        for i, (_, codes, _) in enumerate(outputs):
            expected = np.clip(codes, -128, 127).astype(np.int8)
            for d in (sim_dir, interp_dir):
                got = np.load(os.path.join(d, "output_%d.npy" % i))
                same &= got.tobytes() == expected.tobytes()
        print("%-4s %12d %10.3f %14.3f %12.3f %10.3f %10.1f %10.1f  %s" % (
            label, instructions, best_run, best_process, interp, numpy_s,
            interp / best_run, numpy_s / best_run, "yes" if same else "NO"))
    return 0


if __name__ == "__main__":
    sys.exit(main())

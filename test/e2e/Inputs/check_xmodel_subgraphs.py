"""Runs every DPU subgraph of a compiled .xmodel on random int8 inputs in
vai-translate (--interpret-fixed --subgraph on the --import-xmodel-dpu view)
and in the independent NumPy reference (xmodel_reference.py, which decodes
the file with protoc), and compares the outputs byte for byte.

    check_xmodel_subgraphs.py WORKDIR MODEL.xmodel=VIEW.mlir [...]
        --seeds 1,2,3 [--protoc PATH] [--proto-dir DIR]
        [--vai-translate PATH] [--simulate]

The DPU subgraphs and their input shapes are taken from the decoded file
(root children with device "DPU"; their upload ops), not from our reader.
Prints one line per model, seed, subgraph and output, and the total number
of output bytes compared; exits 1 on any difference.

With --simulate, each subgraph also runs in the instruction-level
simulator (vai-translate --simulate-xmodel on the compiled file, the same
inputs), and its outputs are compared with the same reference: one more
line per output, "simulator ...".

The reference result of a subgraph is reused for a later model when the two
op graphs are equal (xmodel_reference.subgraph_signature: same ops,
attributes, fix points and weight values; addresses may differ) and the
input is the same, as for pointpillars' 3.0 and 2.5 builds: the line then
says "reference reused".
"""
import argparse
import os
import subprocess
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import xmodel_reference as ref  # noqa: E402


def dpu_children(graph):
    """(name, upload ops) of the root children whose device is DPU."""
    ops = {op.name: op for op in (ref.Op(n) for n in graph.all("op_node"))}
    out = []
    for child in graph.get("subg_root").all("subg_child"):
        attrs = ref._attr_map(child, "subg_attr")
        if attrs.get("device") != "DPU":
            continue
        names = ref._leaf_op_names(child)
        order = [op for op in ref.topological_order(list(ops.values()))
                 if op.name in set(names)]
        uploads = [op for op in order if op.type == "upload"]
        out.append((bytes(child.get("subgraph_name")).decode("utf-8"),
                    uploads))
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("workdir")
    parser.add_argument("pairs", nargs="+", metavar="MODEL=VIEW")
    parser.add_argument("--seeds", default="1,2,3")
    parser.add_argument("--protoc", default="protoc")
    parser.add_argument("--proto-dir", required=True)
    parser.add_argument("--vai-translate", default="vai-translate")
    parser.add_argument("--simulate", action="store_true",
                        help="also run the instruction-level simulator")
    args = parser.parse_args()

    os.makedirs(args.workdir, exist_ok=True)
    total, simulated, ok, cache = 0, 0, True, {}
    for m, pair in enumerate(args.pairs):
        model, view = pair.split("=", 1)
        graph = ref.decode_xmodel(model, args.protoc, args.proto_dir)
        children = dpu_children(graph)
        print("model %d: %d DPU subgraphs" % (m, len(children)))
        for seed in [int(s) for s in args.seeds.split(",")]:
            rng = np.random.default_rng(seed)
            for k, (name, uploads) in enumerate(children):
                inputs, paths = [], []
                for i, up in enumerate(uploads):
                    x = rng.integers(-128, 128, size=up.dims, dtype=np.int8)
                    path = os.path.join(args.workdir, "in_%d_%d_%d_%d.npy"
                                        % (m, seed, k, i))
                    np.save(path, x)
                    inputs.append(x)
                    paths.append(path)
                ours_dir = os.path.join(args.workdir,
                                        "ours_%d_%d_%d" % (m, seed, k))
                run = subprocess.run(
                    [args.vai_translate, "--interpret-fixed",
                     "--subgraph=" + name, "--input=" + ",".join(paths),
                     "--output-dir=" + ours_dir, view,
                     "-o", ours_dir + ".txt"],
                    stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                if run.returncode != 0:
                    print("vai-translate failed on %s:\n%s"
                          % (name, run.stderr.decode()))
                    return 1
                sim_dir = None
                if args.simulate:
                    sim_dir = os.path.join(args.workdir,
                                           "sim_%d_%d_%d" % (m, seed, k))
                    run = subprocess.run(
                        [args.vai_translate, "--simulate-xmodel",
                         "--sim-subgraph=" + name,
                         "--sim-output-dir=" + sim_dir, model,
                         "-o", sim_dir + ".txt"]
                        + ["--sim-input=" + p for p in paths],
                        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                    if run.returncode != 0:
                        print("the simulator failed on %s:\n%s"
                              % (name, run.stderr.decode()))
                        return 1
                    with open(sim_dir + ".txt") as report:
                        unverified = [line.strip() for line in report
                                      if line.startswith("unverified")]
                    if unverified:
                        print("simulator ran unverified instructions: %s"
                              % "; ".join(unverified))
                key = (ref.subgraph_signature(graph, name), seed, k)
                reused = key in cache
                if not reused:
                    cache[key] = ref.execute_subgraph(graph, name, inputs)[0]
                for i, (_, codes, _) in enumerate(cache[key]):
                    expected = np.clip(codes, ref.INT8_MIN,
                                       ref.INT8_MAX).astype(np.int8)
                    ours = np.load(os.path.join(ours_dir,
                                                "output_%d.npy" % i))
                    same = (ours.dtype == np.int8 and
                            ours.shape == expected.shape and
                            ours.tobytes() == expected.tobytes())
                    bad = (int((ours != expected).sum())
                           if ours.shape == expected.shape else expected.size)
                    print("model %d seed %d subgraph %d output %d %s: %d "
                          "bytes, %d differ%s"
                          % (m, seed, k, i, list(expected.shape),
                             expected.size, bad,
                             " (reference reused)" if reused else ""))
                    total += expected.size
                    ok &= same
                    if sim_dir is None:
                        continue
                    sim = np.load(os.path.join(sim_dir, "output_%d.npy" % i))
                    sim_same = (sim.dtype == np.int8 and
                                sim.shape == expected.shape and
                                sim.tobytes() == expected.tobytes())
                    bad = (int((sim != expected).sum())
                           if sim.shape == expected.shape else expected.size)
                    print("simulator model %d seed %d subgraph %d output %d: "
                          "%d bytes, %d differ" % (m, seed, k, i,
                                                   expected.size, bad))
                    simulated += expected.size
                    ok &= sim_same
    if args.simulate:
        print("simulated %d output bytes" % simulated)
    print("compared %d output bytes: %s"
          % (total, "identical" if ok else "MISMATCH"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

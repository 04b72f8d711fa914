#!/usr/bin/python3
"""Our DPU/CPU split of Xilinx's quantized voxelnet next to Xilinx's own.

Reads ../shared/data/xilinx/voxelnet_quantized.xmodel (vai_q's output) with
`vai-translate --import-xmodel`, partitions it with `dpu-partition` for the
target (default DPUCZDX8G_ISA1_B4096) and prints the subgraphs, side by
side with the split vai_c made of the same network in
pointpillars_DPUCZDX8G.xmodel (read with `vai-translate --xmodel-summary`):
number of subgraphs per device, ops per device, the compute layers of each
DPU subgraph by kind (Xilinx's counted from `protoc --decode` of the file,
ours from the partitioned module), each of our CPU ops with the reason, and
why the splits still differ.

usage: compare_partition.py [--bin build/bin] [--data ../shared/data/xilinx]
                            [--target DPUCZDX8G_ISA1_B4096] [--protoc protoc]
"""
import argparse
import collections
import json
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run(cmd, stdin=None):
    p = subprocess.run(cmd, input=stdin, capture_output=True)
    if p.returncode:
        sys.exit("compare_partition: %s failed:\n%s"
                 % (os.path.basename(cmd[0]), p.stderr.decode()[-2000:]))
    return p.stdout


def ours(bin_dir, model, target):
    with tempfile.TemporaryDirectory() as tmp:
        arch = os.path.join(tmp, "arch.json")
        with open(arch, "w") as f:
            json.dump({"target": target}, f)
        mlir = run([os.path.join(bin_dir, "vai-translate"), "--import-xmodel",
                    model, "--mlir-print-debuginfo"])
        out = os.path.join(tmp, "partitioned.mlir")
        report = run([os.path.join(bin_dir, "vai-opt"), "-o", out,
                      "--pass-pipeline=builtin.module(func.func("
                      "dpu-partition{arch=%s report=-}))" % arch], mlir)
        with open(out) as f:
            layers = our_layers(f.read())
    subgraphs, reasons = [], collections.Counter()
    for line in report.decode().splitlines():
        m = re.match(r"^  (\S+): (DPU|CPU), (\d+) ops$", line)
        if m:
            subgraphs.append((m.group(1), m.group(2), int(m.group(3))))
            continue
        m = re.match(r"^    \S+ \((\S+)\): (.*)$", line)
        if m:
            reasons[m.group(2)] += 1
    return subgraphs, reasons, layers


# The engine ops of a DPU subgraph, in the XIR type vai_c writes for them.
ENGINE_XIR = {"conv": "conv2d-fix", "conv_transpose": "transposed-conv2d-fix",
              "dwconv": "depthwise-conv2d-fix", "pool": "pool-fix",
              "concat": "concat-fix", "elew": "eltwise-fix",
              "elew_mul": "eltwise-fix"}


def our_layers(text):
    """[Counter of XIR types] per DPU subgraph of the partitioned module."""
    layers, current = [], None
    for line in text.splitlines():
        m = re.search(r"dpu\.subgraph \"[^\"]*\" <(DPU|CPU)>", line)
        if m:
            current = collections.Counter() if m.group(1) == "DPU" else None
            if current is not None:
                layers.append(current)
            continue
        m = re.search(r"= dpu\.(\w+) ", line)
        if m and current is not None and m.group(1) in ENGINE_XIR:
            current[ENGINE_XIR[m.group(1)]] += 1
    return layers


def xilinx_layers(protoc, model):
    """[Counter of op types] per DPU child of the root, from protoc --decode
    of the file (independent of our xmodel reader), without const-fix,
    upload and download (data movement, not layers)."""
    proto = os.path.join(ROOT, "lib", "Proto", "xir_graph.proto")
    with open(model, "rb") as f:
        text = run([protoc, "-I" + os.path.dirname(proto),
                    "--decode=serial_v2.Graph", proto], f.read()).decode(
                        "utf-8", "surrogateescape")
    types = dict(re.findall(r'^  op_name: "([^"]*)"\n  op_type: "([^"]*)"',
                            text, re.M))
    root = text[text.index("\nsubg_root {"):]
    layers = []
    # The root's children start at two spaces of indentation.
    for child in re.split(r"\n  subg_child \{", root)[1:]:
        if not re.search(r'key: "device"\s*value \{\s*string_value: "DPU"',
                         child):
            continue
        ops = re.findall(r'op_name: "([^"]*)"', child)
        layers.append(collections.Counter(
            types[o] for o in ops
            if types[o] not in ("const-fix", "upload", "download")))
    return layers


def xilinx(bin_dir, model):
    text = run([os.path.join(bin_dir, "vai-translate"), "--xmodel-summary",
                model]).decode()
    subgraphs = []
    for line in text.splitlines():
        # The root's children, indented once under "root [...]".
        m = re.match(r"^    (\S+) \[device=(\w+), ops=(\d+), children=\d+\]$",
                     line)
        if m:
            subgraphs.append((m.group(1), m.group(2), int(m.group(3))))
    return subgraphs


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", default=os.path.join(ROOT, "build", "bin"))
    parser.add_argument("--data", default=os.path.join(
        os.path.dirname(ROOT), "shared", "data", "xilinx"))
    parser.add_argument("--target", default="DPUCZDX8G_ISA1_B4096")
    parser.add_argument("--protoc", default="protoc")
    args = parser.parse_args()
    mine, reasons, my_layers = ours(args.bin, os.path.join(
        args.data, "voxelnet_quantized.xmodel"), args.target)
    compiled = os.path.join(args.data, "pointpillars_DPUCZDX8G.xmodel")
    theirs = xilinx(args.bin, compiled)
    their_layers = xilinx_layers(args.protoc, compiled)

    def per_device(subgraphs):
        count, ops = collections.Counter(), collections.Counter()
        for _, device, n in subgraphs:
            count[device] += 1
            ops[device] += n
        return count, ops

    mc, mo = per_device(mine)
    tc, to = per_device(theirs)
    print("%-28s %20s %28s" % ("", "ours (voxelnet, %s)" % args.target[-5:],
                               "Xilinx (pointpillars)"))
    for device in ("USER", "DPU", "CPU"):
        print("%-28s %20s %28s" % ("%s subgraphs" % device,
                                   mc.get(device, "-") if device != "USER"
                                   else "(inputs outside)", tc.get(device, 0)))
        print("%-28s %20s %28s" % ("  ops in them", mo.get(device, "-")
                                   if device != "USER" else "-",
                                   to.get(device, 0)))
    print()
    print("ours, in order:")
    for name, device, n in mine:
        print("  %-4s %4d ops  %s" % (device, n, name))
    print("Xilinx, in order:")
    for name, device, n in theirs:
        print("  %-4s %4d ops  %s" % (device, n, name))
    print()
    print("our CPU placements by reason:")
    for reason, n in sorted(reasons.items(), key=lambda kv: -kv[1]):
        print("  %2d x %s" % (n, reason))
    print()
    print("compute layers per DPU subgraph (ours | Xilinx; no const-fix, "
          "upload, download):")
    for i in range(max(len(my_layers), len(their_layers))):
        a = my_layers[i] if i < len(my_layers) else collections.Counter()
        b = their_layers[i] if i < len(their_layers) else collections.Counter()
        print("  DPU %d: %3d | %3d   %s" % (
            i + 1, sum(a.values()), sum(b.values()),
            ", ".join("%s %d | %d" % (t, a[t], b[t])
                      for t in sorted(set(a) | set(b)))))
    print()
    print("why the splits differ:")
    for line in differences(reasons, mine, theirs):
        print("  - " + line)


def differences(reasons, mine, theirs):
    """The remaining differences, each said once and only when seen."""
    out = []
    if any("'xir op conv2d'" in r for r in reasons):
        out.append(
            "block1's first conv2d (+ relu) runs on our CPU, in float: in "
            "voxelnet_quantized it reads the `transpose` of PPScatterV2's "
            "fixed output, and vai_q put no fix between that transpose and "
            "the conv2d, so the importer sees a float input and keeps the "
            "conv2d generic. vai_c carries the fix through the transpose "
            "(a float2fix ends its CPU subgraph) and runs that conv on the "
            "DPU; that is the one layer our second DPU subgraph lacks.")
    ours_cpu = [k for _, d, k in mine if d == "CPU"]
    theirs_cpu = [k for _, d, k in theirs if d == "CPU" and k > 1]
    if len(ours_cpu) == 1 and len(theirs_cpu) == 1:
        out.append(
            "the CPU subgraph between the DPU ones has %d ops here and %d in "
            "Xilinx's: ours are transpose, PPScatterV2, the quantize of its "
            "output (vai_q's fix), transpose, and the xir.implicit quantize "
            "after it, which is vai_c's float2fix (the fix carried through "
            "the transpose). vai_c also writes a fix2float at the entry (our "
            "CPU ops read the fixed tensor as it is) and a fix after the "
            "first transpose (the file has none; the transposed values are "
            "exact at the max pool's position)." % (ours_cpu[0],
                                                    theirs_cpu[0]))
    n_user = sum(1 for _, d, _ in theirs if d == "USER")
    if n_user:
        out.append(
            "Xilinx's %d USER subgraphs are the two inputs (data, data-fix); "
            "ours are the function's arguments and their quant.quantize, "
            "outside any subgraph (the writer makes the data-fix of them)."
            % n_user)
    tails = [n for n, d, k in theirs if d == "CPU" and k == 1]
    if tails:
        out.append(
            "Xilinx's %d one-op CPU subgraphs are a fix2float per model "
            "output; the quantized voxelnet returns its outputs in fixed "
            "point (its return_ops are the heads' fix ops), so ours end on "
            "the DPU with no dequantize." % len(tails))
    out.append(
        "Xilinx's op counts include const-fix, upload and download inside "
        "the DPU subgraphs and the fix/fix2float/float2fix ops on the CPU; "
        "ours count the quant ops placed in each subgraph (constants are "
        "cloned in, not counted), so compare the compute layers above.")
    return out


if __name__ == "__main__":
    main()

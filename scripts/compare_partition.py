#!/usr/bin/python3
"""Our DPU/CPU split of Xilinx's quantized voxelnet next to Xilinx's own.

Reads ../shared/data/xilinx/voxelnet_quantized.xmodel (vai_q's output) with
`vai-translate --import-xmodel`, partitions it with `dpu-partition` for the
target (default DPUCZDX8G_ISA1_B4096) and prints the subgraphs, side by
side with the split vai_c made of the same network in
pointpillars_DPUCZDX8G.xmodel (read with `vai-translate --xmodel-summary`):
number of subgraphs per device, ops per device, and each of our CPU ops
with the reason.

usage: compare_partition.py [--bin build/bin] [--data ../shared/data/xilinx]
                            [--target DPUCZDX8G_ISA1_B4096]
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
        report = run([os.path.join(bin_dir, "vai-opt"), "-o", os.devnull,
                      "--pass-pipeline=builtin.module(func.func("
                      "dpu-partition{arch=%s report=-}))" % arch], mlir)
    subgraphs, reasons = [], collections.Counter()
    for line in report.decode().splitlines():
        m = re.match(r"^  (\S+): (DPU|CPU), (\d+) ops$", line)
        if m:
            subgraphs.append((m.group(1), m.group(2), int(m.group(3))))
            continue
        m = re.match(r"^    \S+ \((\S+)\): (.*)$", line)
        if m:
            reasons[m.group(2)] += 1
    return subgraphs, reasons


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
    args = parser.parse_args()
    mine, reasons = ours(args.bin, os.path.join(
        args.data, "voxelnet_quantized.xmodel"), args.target)
    theirs = xilinx(args.bin, os.path.join(
        args.data, "pointpillars_DPUCZDX8G.xmodel"))

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


if __name__ == "__main__":
    main()

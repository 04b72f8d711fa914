#!/usr/bin/env python3
"""Per-pair weight-range spread before and after cross-layer equalization.

Imports a model, runs vai-float-prepare and tfg-cross-layer-equalization
with `report=true`, and tabulates the pass's remarks: for each pair the
spread (max / min over channels of the per-channel max |weight|) of the
head's output channels and of the tail's input channels, before and after.

  scripts/cle_report.py [--build BUILD] [--model model.json] [--relu6 MODE]

MODE `skip` leaves pairs joined by relu6 alone (exact); `replace` (default
here) first turns relu6 into relu everywhere, as vai_q's replace_relu6 +
CLE do, so that every pair can be equalized.
"""
import argparse
import os
import re
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--build", default=os.path.join(ROOT, "build"),
                    help="build directory holding bin/vai-opt, bin/vai-translate")
parser.add_argument("--model", default=os.path.join(
    ROOT, "build", "third_party", "nsfwjs", "mobilenet_v2", "model.json"),
    help="TF.js layers model.json (default: nsfwjs MobileNetV2)")
parser.add_argument("--relu6", choices=["skip", "replace"], default="replace")
parser.add_argument("--iterations", type=int, default=20)
args = parser.parse_args()

bin_dir = os.path.join(args.build, "bin")
imported = subprocess.run(
    [os.path.join(bin_dir, "vai-translate"), "--import-tfjs-layers", args.model,
     "--mlir-print-debuginfo"], capture_output=True, text=True)
if imported.returncode:
    sys.exit("import failed:\n" + imported.stderr)
passes = ["--vai-float-prepare"]
if args.relu6 == "replace":
    passes.append("--tfg-replace-activations=relu6-to-relu")
passes.append("--tfg-cross-layer-equalization=report=true iterations=%d"
              % args.iterations)
opt = subprocess.run([os.path.join(bin_dir, "vai-opt"), *passes, "-o",
                      os.devnull], input=imported.stdout, capture_output=True,
                     text=True)
if opt.returncode:
    sys.exit("vai-opt failed:\n" + opt.stderr)

pattern = re.compile(
    r"cle: pair '(.*?)' -> '(.*?)' channels (\d+) head-spread (\S+) -> (\S+) "
    r"tail-spread (\S+) -> (\S+) sweeps (\d+)")
rows = [m.groups() for m in pattern.finditer(opt.stderr)]
skipped = len(re.findall(r"cle: skipped pair", opt.stderr))
if not rows:
    sys.exit("no equalized pair (%d skipped)" % skipped)

print("%-28s %-28s %5s  %17s  %17s" % ("head", "tail", "ch", "head spread",
                                       "tail spread"))
for head, tail, ch, hb, ha, tb, ta, _ in rows:
    print("%-28s %-28s %5s  %7.2f -> %7.2f  %7.2f -> %7.2f" % (
        head, tail, ch, float(hb), float(ha), float(tb), float(ta)))
col = lambda i: [float(r[i]) for r in rows]
print()
print("%d pairs equalized, %d skipped (relu6), %s sweeps" % (
    len(rows), skipped, rows[0][7]))
print("median head spread: %.2f -> %.2f" % (statistics.median(col(3)),
                                            statistics.median(col(4))))
print("median tail spread: %.2f -> %.2f" % (statistics.median(col(5)),
                                            statistics.median(col(6))))

"""Compares two .npy tensors; prints a verdict and exits 1 on mismatch.

--max-rel-error: max |a - b| / max |b| (relative to the reference's range).
--max-lsb/--fix-point: max |a - b| in units of 2^-fix_point.
--min-sqnr: signal-to-quantization-noise ratio of a against b, in dB.
--min-top1-agreement: fraction of rows whose argmax agrees.
"""
import argparse
import sys

import numpy as np

parser = argparse.ArgumentParser()
parser.add_argument("actual")
parser.add_argument("reference")
parser.add_argument("--max-rel-error", type=float)
parser.add_argument("--max-lsb", type=float)
parser.add_argument("--fix-point", type=int)
parser.add_argument("--fix-point-from-mlir",
                    help="read --fix-point from the quant.dequantize of this IR")
parser.add_argument("--min-sqnr", type=float)
parser.add_argument("--min-top1-agreement", type=float)
args = parser.parse_args()

if args.fix_point_from_mlir:
    import re
    text = open(args.fix_point_from_mlir).read()
    match = re.search(r"quant\.dequantize .*!quant\.fix<s8, (-?\d+)>> -> ", text)
    args.fix_point = int(match.group(1))
    print("output fix point %d (one LSB = %g)" % (args.fix_point, 2.0 ** -args.fix_point))

a = np.load(args.actual).astype(np.float64)
b = np.load(args.reference).astype(np.float64)
if a.shape != b.shape:
    print("shape mismatch: %s vs %s" % (a.shape, b.shape))
    sys.exit(1)
diff = np.abs(a - b)
failures = []
report = ["%d values" % a.size]
if args.max_rel_error is not None:
    rel = diff.max() / max(np.abs(b).max(), 1e-30)
    report.append("max relative error %.3g" % rel)
    if rel > args.max_rel_error:
        failures.append("relative error %.3g > %.3g" % (rel, args.max_rel_error))
if args.max_lsb is not None:
    lsb = diff.max() * 2.0 ** args.fix_point
    report.append("max error %.2f LSB" % lsb)
    if lsb > args.max_lsb:
        failures.append("error %.2f LSB > %.2f" % (lsb, args.max_lsb))
if args.min_sqnr is not None:
    noise = np.sum((a - b) ** 2)
    sqnr = 10 * np.log10(np.sum(b ** 2) / noise) if noise > 0 else np.inf
    report.append("SQNR %.1f dB" % sqnr)
    if sqnr < args.min_sqnr:
        failures.append("SQNR %.1f dB < %.1f" % (sqnr, args.min_sqnr))
if args.min_top1_agreement is not None:
    agree = np.mean(a.argmax(-1) == b.argmax(-1))
    report.append("top-1 agreement %.3f" % agree)
    if agree < args.min_top1_agreement:
        failures.append("top-1 agreement %.3f < %.3f" % (agree, args.min_top1_agreement))
print(", ".join(report))
if failures:
    print("MISMATCH: " + "; ".join(failures))
    sys.exit(1)
print("%d values, within tolerance" % a.size)

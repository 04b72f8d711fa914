#!/usr/bin/env python3
"""Times the vai-float-prepare pipeline on real models (issue: under 1 s on
InceptionV3).

For each model: import once, store it as MLIR bytecode, then run
`vai-opt --vai-float-prepare --mlir-timing` (best of --repeat) and report
the pipeline's own wall time (the 'func.func' Pipeline line of MLIR's timing
report) and the whole process. The peer, measured in the same run, is
`vai-opt` reading and writing the same file with no pass: the ratio says
what the pipeline costs next to just loading and saving the model.

usage: float_prepare.py [--bin DIR] [--models DIR] [--repeat N]
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
MODELS = [
    ("nsfwjs InceptionV3", "--import-tfjs-layers",
     "nsfwjs/inception_v3/model.json"),
    ("nsfwjs MobileNetV2", "--import-tfjs-layers",
     "nsfwjs/mobilenet_v2/model.json"),
    ("torchvision ResNet18", "--import-onnx", "torchvision/resnet18.onnx"),
]


def timed(cmd):
    t = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True)
    dt = time.perf_counter() - t
    if p.returncode:
        sys.exit("%s failed: %s" % (" ".join(cmd[:2]), p.stderr[-2000:]))
    return dt, p.stderr


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", default=os.path.join(ROOT, "build", "bin"))
    parser.add_argument("--models",
                        default=os.path.join(ROOT, "build", "third_party"))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    translate = os.path.join(args.bin, "vai-translate")
    opt = os.path.join(args.bin, "vai-opt")
    print("vai-float-prepare, best of %d runs; peer: vai-opt read + write "
          "with no pass" % args.repeat)
    with tempfile.TemporaryDirectory() as tmp:
        for name, flag, rel in MODELS:
            path = os.path.join(args.models, rel)
            if not os.path.exists(path):
                print("%s: missing %s (run scripts/fetch-models.sh)" %
                      (name, path))
                continue
            text = os.path.join(tmp, "m.mlir")
            code = os.path.join(tmp, "m.mlirbc")
            timed([translate, flag, path, "-o", text])
            timed([opt, text, "--emit-bytecode", "-o", code])
            pipeline, total, peer = [], [], []
            for _ in range(args.repeat):
                dt, err = timed([opt, "--vai-float-prepare", "--mlir-timing",
                                 code, "--emit-bytecode", "-o",
                                 os.path.join(tmp, "out.mlirbc")])
                m = re.search(r"([0-9.]+) \([ 0-9.]+%\)\s+'func.func' "
                              r"Pipeline", err)
                pipeline.append(float(m.group(1)) if m else float("nan"))
                total.append(dt)
                dt, _ = timed([opt, code, "--emit-bytecode", "-o",
                               os.path.join(tmp, "peer.mlirbc")])
                peer.append(dt)
            p, t, q = min(pipeline), min(total), min(peer)
            print("%-22s pipeline %7.1f ms  (process %7.1f ms; read+write "
                  "only %7.1f ms, ratio %.2f)  %s" %
                  (name, p * 1000, t * 1000, q * 1000, t / q,
                   "under 1 s" if p < 1.0 else "OVER 1 s"))


main()

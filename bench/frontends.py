#!/usr/bin/env python3
"""Frontend benchmark: import time and float-interpreter latency per image of
real models, next to an outside runtime's on the same machine in the same run.

    bench/frontends.py [--models=DIR] [--bin=DIR] [--images=N] [--repeat=N]

DIR defaults to build/third_party (made by scripts/fetch-models.sh) and
build/bin. For each model:

  import      wall time of `vai-translate --import-…` writing the textual
              .mlir (best of two; printing the weights as hex is part of it)
  interpret   wall time of one `vai-translate --interpret-float` run on one
              photo (process start, reading the model as MLIR bytecode made
              by `vai-opt --emit-bytecode`, the run, writing the .npy),
              median over the photos
  peer        the reference runtime in one process: session/model load time
              and the median latency of --repeat runs after a warm-up,
              single-threaded (our interpreter uses one thread)

and prints ours/peer ratios plus the max error against the peer's output
relative to its range (the tests' criterion). InceptionV3 has no ONNX
equivalent in nsfwjs, so its peer is TF.js's wasm backend.
"""

import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.dirname(HERE)
MODELS_JS = os.path.join(SRC, "test", "models")
PHOTOS = ["portrait", "dinner", "group"]

# name, importer flag, model path (relative to the models dir), input prefix,
# peer runner and its arguments.
MODELS = [
    ("nsfwjs InceptionV3", "--import-tfjs-layers",
     "nsfwjs/inception_v3/model.json", "nsfwjs299",
     "TF.js wasm", ["run_tfjs.js", "--layers"]),
    ("torchvision ResNet18", "--import-onnx", "torchvision/resnet18.onnx",
     "torchvision", "onnxruntime-node", ["run_onnxruntime.js"]),
]


# Ours on one thread too (oneDNN's OpenMP pool would take both cores), so the
# ratio compares kernels, not core counts.
os.environ["OMP_NUM_THREADS"] = "1"


def run(cmd, **kw):
    t = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True, **kw)
    dt = (time.perf_counter() - t) * 1000
    if p.returncode != 0:
        raise RuntimeError("%s failed (%d): %s" %
                           (" ".join(cmd[:2]), p.returncode,
                            (p.stderr or p.stdout).strip()[-2000:]))
    return dt, p.stdout


def rel_error(ours, ref):
    import numpy as np
    a = np.load(ours).astype(np.float64).ravel()
    b = np.load(ref).astype(np.float64).ravel()
    if a.size != b.size:
        return float("nan")
    return float(np.abs(a - b).max() / (b.max() - b.min()))


def bench(name, flag, rel, prefix, peer, runner, models, tool, images,
          repeat, tmp):
    model = os.path.join(models, rel)
    text = os.path.join(tmp, "model.mlir")
    mlir = os.path.join(tmp, "model.mlirbc")
    import_ms = min(run([tool, flag, model, "-o", text])[0] for _ in range(2))
    # Bytecode, so that each interpreter run does not re-parse hex text.
    run([os.path.join(os.path.dirname(tool), "vai-opt"), text,
         "--emit-bytecode", "-o", mlir])
    os.remove(text)
    env = dict(os.environ,
               NODE_PATH=os.path.join(models, "npm", "node_modules"))
    ours, errs = [], []
    peer_load = peer_lat = None
    for photo in PHOTOS[:images]:
        inp = os.path.join(models, "inputs", "%s-%s.npy" % (prefix, photo))
        out = os.path.join(tmp, "ours.npy")
        ref = os.path.join(tmp, "ref.npy")
        ours.append(run([tool, "--interpret-float", "--input=" + inp, mlir,
                         "-o", out])[0])
        # Time the peer on the first photo only; the others check outputs.
        extra = ["--repeat=%d" % repeat] if peer_lat is None else []
        _, text = run(["node", os.path.join(MODELS_JS, runner[0]), model,
                       inp, ref] + runner[1:] + extra, env=env)
        m = re.search(r"load_ms=([\d.]+) latency_ms=([\d.]+)", text)
        if m:
            peer_load, peer_lat = float(m.group(1)), float(m.group(2))
        errs.append(rel_error(out, ref))
    ours_ms = statistics.median(ours)
    print("%s" % name)
    print("  import        %9.1f ms   (%s load %.1f ms, ratio %.2f)" %
          (import_ms, peer, peer_load, import_ms / peer_load))
    print("  latency/image %9.1f ms   (%s %.1f ms, ratio %.2f)" %
          (ours_ms, peer, peer_lat, ours_ms / peer_lat))
    print("  max error / output range vs %s: %.3g (%d photos)" %
          (peer, max(errs), len(errs)))
    sys.stdout.flush()


def main():
    opts = dict(a[2:].split("=", 1) for a in sys.argv[1:]
                if a.startswith("--") and "=" in a)
    models = opts.get("models", os.path.join(SRC, "build", "third_party"))
    tool = os.path.join(opts.get("bin", os.path.join(SRC, "build", "bin")),
                        "vai-translate")
    images = int(opts.get("images", "3"))
    repeat = int(opts.get("repeat", "5"))
    if not os.path.exists(os.path.join(models, ".complete")):
        sys.exit("frontends.py: %s is missing; run scripts/fetch-models.sh"
                 % models)
    print("machine: %d CPUs, %s; ours: %s; peers single-threaded" %
          (os.cpu_count(), os.uname().machine, tool))
    with tempfile.TemporaryDirectory(prefix="vai-bench-") as tmp:
        for entry in MODELS:
            try:
                bench(*entry, models, tool, images, repeat, tmp)
            except RuntimeError as e:
                print("%s: FAILED: %s" % (entry[0], e))


if __name__ == "__main__":
    main()

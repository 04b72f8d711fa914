#!/usr/bin/python3
"""INT8 accuracy of our quantizer against float and PyTorch's own PTQ.

Trains (seeded, a few epochs, with Debian's python3-torch) a ResNet-style and
a MobileNetV2-style CNN on Fashion-MNIST (dataset-fashion-mnist), exports
them to ONNX (opset 13) and prints top-1 on the full 10k test set for:

- float: PyTorch, and our float interpreter on the imported ONNX model
  (`vai-translate --import-onnx`, `--interpret-float`);
- ours INT8: `vai-opt` with vai-float-prepare, quant-calibrate on 1000
  calibration images and quant-quantize for method 0, 1, 2, with and without
  CLE, bias correction and fast finetune, then `--interpret-fixed`;
- PyTorch post-training quantization (torch.ao FX mode, per-tensor and
  per-channel weights) on the same models and calibration images, with the
  `fbgemm` engine when this torch has it, else `qnnpack` (Debian's 1.13
  has no fbgemm), and `onednn` (torch's other x86 engine) when present.

A configuration our tools reject prints "not supported yet: <error>".
Also prints the calibration time of the MobileNetV2-style model on the 1000
images and the float interpreter's images/s.

Trained weights and ONNX files are cached in build/bench-cache/<hash of the
model file and the training code>; --retrain ignores the cache.

usage: quant_accuracy.py [--bin DIR] [--models resnet,mobilenetv2]
                         [--variants REGEX] [--epochs N] [--retrain]
"""
import argparse
import gzip
import hashlib
import os
import re
import subprocess
import sys
import tempfile
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(HERE, "models"))

DATA_DIR = "/usr/share/datasets/fashion-mnist"
SEED = 2024
BATCH = 128
LR = 1e-2
CALIB_IMAGES = 1000
CALIB_BATCH = 50        # 20 batches: vai_q's mode over per-batch positions
EVAL_BATCH = 1000       # images per interpreter run
NAMES = {"resnet": "ResNet-style", "mobilenetv2": "MobileNetV2-style"}


# ---------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------

def load_idx(kind, split):
    name = {"images": "%s-images-idx3-ubyte.gz",
            "labels": "%s-labels-idx1-ubyte.gz"}[kind] % split
    path = os.path.join(DATA_DIR, name)
    if not os.path.exists(path):
        sys.exit("quant_accuracy: missing %s (apt-get install "
                 "dataset-fashion-mnist, or run scripts/setup.sh)" % path)
    with gzip.open(path, "rb") as f:
        data = f.read()
    # IDX format: big-endian magic, dims, then uint8 data.
    if kind == "images":
        n, rows, cols = (int.from_bytes(data[i:i + 4], "big")
                         for i in (4, 8, 12))
        images = np.frombuffer(data, np.uint8, offset=16)
        return images.reshape(n, 1, rows, cols)
    n = int.from_bytes(data[4:8], "big")
    return np.frombuffer(data, np.uint8, offset=8)[:n].astype(np.int64)


def to_float(u8):
    """NCHW uint8 -> float32 in [0, 1]."""
    return u8.astype(np.float32) / np.float32(255.0)


# ---------------------------------------------------------------------------
# Training, export, PyTorch evaluation and PTQ
# ---------------------------------------------------------------------------

def cache_dir(epochs):
    """Keyed by what the trained weights depend on: the model file, the
    training and export code and their constants (not the rest of this
    script, so editing the report does not retrain)."""
    import inspect
    h = hashlib.sha256()
    with open(os.path.join(HERE, "models", "fashion_cnns.py"), "rb") as fh:
        h.update(fh.read())
    for f in (load_idx, to_float, train, export_onnx):
        h.update(inspect.getsource(f).encode())
    h.update(repr((SEED, BATCH, LR, epochs)).encode())
    return os.path.join(ROOT, "build", "bench-cache",
                        "quant_accuracy-" + h.hexdigest()[:12])


def train(name, x_train, y_train, epochs):
    import torch
    import fashion_cnns
    torch.manual_seed(SEED)
    model = fashion_cnns.MODELS[name]()
    xt, yt = torch.from_numpy(x_train), torch.from_numpy(y_train)
    opt = torch.optim.Adam(model.parameters(), lr=LR)
    steps = epochs * ((len(xt) + BATCH - 1) // BATCH)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=LR,
                                                total_steps=steps)
    loss_fn = torch.nn.CrossEntropyLoss()
    gen = torch.Generator().manual_seed(SEED)
    for epoch in range(epochs):
        t0 = time.time()
        model.train()
        perm = torch.randperm(len(xt), generator=gen)
        total = 0.0
        for i in range(0, len(xt), BATCH):
            idx = perm[i:i + BATCH]
            opt.zero_grad()
            loss = loss_fn(model(xt[idx]), yt[idx])
            loss.backward()
            opt.step()
            sched.step()
            total += loss.item() * len(idx)
        print("  %s epoch %d: train loss %.4f (%.0f s)"
              % (NAMES[name], epoch + 1, total / len(xt), time.time() - t0),
              flush=True)
    return model.eval()


def torch_top1(model, x, labels):
    import torch
    with torch.no_grad():
        preds = np.concatenate([
            model(torch.from_numpy(x[i:i + EVAL_BATCH])).argmax(1).numpy()
            for i in range(0, len(x), EVAL_BATCH)])
    return float((preds == labels).mean())


def export_onnx(model, path):
    import torch
    torch.onnx.export(model, torch.zeros(1, 1, 28, 28), path,
                      opset_version=13, input_names=["input"],
                      output_names=["logits"],
                      dynamic_axes={"input": {0: "n"}, "logits": {0: "n"}})


def torch_engines():
    """fbgemm when this torch has it, else qnnpack (Debian's 1.13 lacks
    fbgemm); also onednn, the other x86 engine, when present."""
    import torch
    have = torch.backends.quantized.supported_engines
    first = "fbgemm" if "fbgemm" in have else "qnnpack"
    return [first] + (["onednn"] if "onednn" in have else [])


def contiguous_relu6(model):
    """torch 1.13's qnnpack ReLU6 (hardtanh) is wrong on channels-last
    quantized tensors, which its quantized convs return (every value of a
    [2, 8, 5, 5] test tensor off by up to the whole range, while contiguous
    inputs and onednn are exact): a ReLU6 that makes its input contiguous
    first is the same function in float and right after conversion."""
    import torch.nn as nn

    class ContiguousReLU6(nn.Module):
        def forward(self, x):
            return nn.functional.relu6(x.contiguous())

    for name, child in model.named_children():
        if isinstance(child, nn.ReLU6):
            setattr(model, name, ContiguousReLU6())
        else:
            contiguous_relu6(child)
    return model


def torch_ptq(model, calib, engine, per_channel):
    """FX-mode static PTQ with the engine's default activation observer and
    symmetric int8 weights, per tensor or per output channel."""
    import copy
    import torch
    from torch.ao.quantization import QConfig, QConfigMapping
    from torch.ao.quantization import get_default_qconfig
    from torch.ao.quantization.observer import (
        default_per_channel_weight_observer, default_weight_observer)
    from torch.ao.quantization.quantize_fx import convert_fx, prepare_fx
    torch.backends.quantized.engine = engine
    base = get_default_qconfig(engine)
    weight = (default_per_channel_weight_observer if per_channel
              else default_weight_observer)
    mapping = QConfigMapping().set_global(
        QConfig(activation=base.activation, weight=weight))
    example = (torch.from_numpy(calib[:1]),)
    model = copy.deepcopy(model).eval()
    if engine == "qnnpack":
        contiguous_relu6(model)
    prepared = prepare_fx(model, mapping, example)
    with torch.no_grad():
        for i in range(0, len(calib), CALIB_BATCH):
            prepared(torch.from_numpy(calib[i:i + CALIB_BATCH]))
    return convert_fx(prepared)


# ---------------------------------------------------------------------------
# Our tools
# ---------------------------------------------------------------------------

class ToolError(Exception):
    pass


def run(cmd):
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode:
        lines = p.stderr.splitlines()
        errors = [l for l in lines if "error" in l.lower()]
        first = (errors or lines or ["exit %d" % p.returncode])[0].strip()
        first = re.sub(r"^\S*/", "", first)  # the temporary directory
        # The op the error is about, from MLIR's "see current operation".
        m = re.search(r'see current operation: [^"\n]*"((?:tfg|quant)'
                      r'\.[a-z0-9_]+)"', p.stderr)
        if m and m.group(1) not in first:
            first += " [%s]" % m.group(1)
        raise ToolError(first)
    return p


def pass_options(opt):
    """{pass name: set of option names} from `vai-opt --help`."""
    passes, current = {}, None
    for line in run([opt, "--help"]).stdout.splitlines():
        m = re.match(r"^      --([a-z0-9-]+)\s", line)
        if m:
            current = passes.setdefault(m.group(1), set())
            continue
        m = re.match(r"^        --([a-z0-9-]+)[=\s]", line)
        if m and current is not None:
            current.add(m.group(1))
    return passes


def find_feature(passes, pattern):
    """Where a correction lives: ('option', pass, name) for an option of a
    quant pass, ('pass', name, options) for a pass of its own, or None."""
    rx = re.compile(pattern)
    for p in ("quant-quantize", "quant-calibrate"):
        for o in sorted(passes.get(p, ())):
            if rx.search(o):
                return ("option", p, o)
    for p in sorted(passes):
        if p.startswith("quant-") and rx.search(p):
            return ("pass", p, passes[p])
    return None


FEATURES = {"bc": r"bias-?corr", "ft": r"fast-?f(ine)?t|finetune"}
FEATURE_NAMES = {"bc": "bias correction", "ft": "fast finetune"}


def pipeline(passes, calib, method, cle, corrections):
    """The vai-opt pass pipeline of one configuration, or raise ToolError."""
    prepare = "vai-float-prepare"
    if cle:
        prepare += "{cle=true cle-relu6=replace}"
    calibrate = {"data": calib, "method": str(method),
                 "batch-size": str(CALIB_BATCH)}
    quantize = {"method": str(method)}
    extra = []
    for c in corrections:
        found = find_feature(passes, FEATURES[c])
        if not found:
            raise ToolError("vai-opt has no %s option or pass"
                            % FEATURE_NAMES[c])
        if found[0] == "option":
            (calibrate if found[1] == "quant-calibrate"
             else quantize)[found[2]] = "true"
        else:
            opts = {}
            for o, v in (("data", calib), ("method", str(method))):
                if o in found[2]:
                    opts[o] = v
            extra.append((found[1], opts))

    def spec(name, opts):
        if not opts:
            return name
        return "%s{%s}" % (name, " ".join("%s=%s" % kv for kv in opts.items()))
    # Stand-alone corrections adjust float weights against the calibrated
    # positions, so they run between calibration and quantization.
    fn = [spec("quant-calibrate", calibrate)]
    fn += [spec(n, o) for n, o in extra]
    fn.append(spec("quant-quantize", quantize))
    return "builtin.module(%s,func.func(%s))" % (prepare, ",".join(fn))


def pass_time(timing, name):
    """Wall time of pass `name` in seconds from --mlir-timing's report."""
    for line in timing.splitlines():
        m = re.match(r"\s*([0-9.]+)\s*\(\s*[0-9.]+%\)\s+(\S+)", line)
        if m and m.group(2) == name:
            return float(m.group(1))
    return None


def interpret(translate, flag, mlir, x, tmp):
    """Logits of `mlir` on x (NCHW), EVAL_BATCH images per run."""
    outs = []
    inp, out = os.path.join(tmp, "batch.npy"), os.path.join(tmp, "out.npy")
    for i in range(0, len(x), EVAL_BATCH):
        np.save(inp, x[i:i + EVAL_BATCH])
        run([translate, flag, "--input=" + inp, mlir, "-o", out])
        outs.append(np.load(out))
    return np.concatenate(outs)


VARIANTS = [  # label, method, cle, corrections
    ("method 0", 0, False, ()),
    ("method 1", 1, False, ()),
    ("method 2", 2, False, ()),
    ("method 0 + CLE", 0, True, ()),
    ("method 1 + CLE", 1, True, ()),
    ("method 2 + CLE", 2, True, ()),
    ("method 1 + bias corr", 1, False, ("bc",)),
    ("method 2 + bias corr", 2, False, ("bc",)),
    ("method 1 + CLE + bias corr", 1, True, ("bc",)),
    ("method 2 + CLE + bias corr", 2, True, ("bc",)),
    ("method 1 + fast finetune", 1, False, ("ft",)),
    ("method 2 + fast finetune", 2, False, ("ft",)),
    ("method 1 + CLE + fast finetune", 1, True, ("ft",)),
    ("method 2 + CLE + fast finetune", 2, True, ("ft",)),
]


# The targets: our best INT8 within this many pp of float, and at
# least as good as PyTorch's per-tensor PTQ.
TARGET_PP = {"ResNet-style": 0.3, "MobileNetV2-style": 0.8}


def summary(title, rows):
    """Our best INT8 row against the targets."""
    ours = [r for r in rows if r[1].startswith("ours") and r[2] is not None]
    torch_pt = [r[2] for r in rows
                if r[1].startswith("PyTorch") and "per-tensor" in r[1]
                and r[2] is not None]
    if not ours:
        return "%s: no INT8 result of ours" % title
    best = max(ours, key=lambda r: r[2])
    delta = 100 * (best[2] - best[3])
    text = ("%s: our best INT8 %.2f%% (%s), %+.2f pp to float (target "
            "within %.1f pp: %s)" % (title, 100 * best[2], best[1][10:], delta,
                                     TARGET_PP[title],
                                     "met" if -delta <= TARGET_PP[title]
                                     else "missed"))
    if torch_pt:
        text += "; PyTorch per-tensor best %.2f%% (%s)" % (
            100 * max(torch_pt),
            "ours at least as good" if best[2] >= max(torch_pt)
            else "ours worse")
    return text


# ---------------------------------------------------------------------------

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", default=os.path.join(ROOT, "build", "bin"))
    parser.add_argument("--models", default="resnet,mobilenetv2")
    parser.add_argument("--variants", default="",
                        help="only our rows whose label matches this regex")
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1,
                        help="torch threads (1 is fastest on a busy machine)")
    parser.add_argument("--retrain", action="store_true")
    args = parser.parse_args()
    import torch
    torch.set_num_threads(args.threads)
    translate = os.path.join(args.bin, "vai-translate")
    opt = os.path.join(args.bin, "vai-opt")
    for tool in (translate, opt):
        if not os.access(tool, os.X_OK):
            sys.exit("quant_accuracy: missing %s (run scripts/setup.sh)"
                     % tool)
    t_start = time.time()

    x_train = to_float(load_idx("images", "train"))
    y_train = load_idx("labels", "train")
    x_test = to_float(load_idx("images", "t10k"))
    y_test = load_idx("labels", "t10k")
    # The calibration set: 1000 training images, unlabelled.
    perm = np.random.default_rng(SEED).permutation(len(x_train))
    calib = np.ascontiguousarray(x_train[perm[:CALIB_IMAGES]])

    cache = cache_dir(args.epochs)
    os.makedirs(cache, exist_ok=True)
    calib_path = os.path.join(cache, "calib.npy")
    np.save(calib_path, calib)
    passes = pass_options(opt)
    engines = torch_engines()
    print("torch %s, quantized engines %s: PTQ uses %s"
          % (torch.__version__, torch.backends.quantized.supported_engines,
             ", ".join(engines)))
    print("test set: %d images; calibration: %d training images"
          % (len(x_test), len(calib)))

    import fashion_cnns
    rows, timings = [], []
    selected = re.compile(args.variants)
    for name in args.models.split(","):
        title = NAMES[name]
        weights = os.path.join(cache, name + ".pt")
        onnx_path = os.path.join(cache, name + ".onnx")
        if args.retrain or not os.path.exists(weights):
            print("training %s (%d epochs)" % (title, args.epochs), flush=True)
            model = train(name, x_train, y_train, args.epochs)
            torch.save(model.state_dict(), weights)
        model = fashion_cnns.MODELS[name]()
        model.load_state_dict(torch.load(weights))
        model.eval()
        if args.retrain or not os.path.exists(onnx_path):
            export_onnx(model, onnx_path)
        float_top1 = torch_top1(model, x_test, y_test)
        rows.append((title, "float (PyTorch)", float_top1, float_top1))

        with tempfile.TemporaryDirectory() as tmp:
            float_mlir = os.path.join(tmp, "float.mlir")
            try:
                run([translate, "--import-onnx", onnx_path, "-o", float_mlir])
                t = time.perf_counter()
                logits = interpret(translate, "--interpret-float", float_mlir,
                                   x_test, tmp)
                dt = time.perf_counter() - t
                ours = float((logits.argmax(1) == y_test).mean())
                rows.append((title, "float (our interpreter)", ours,
                             float_top1))
                timings.append("%s: float interpreter %.0f images/s (%d runs "
                               "of %d images, with process start and I/O)"
                               % (title, len(x_test) / dt, len(x_test) //
                                  EVAL_BATCH, EVAL_BATCH))
                imported = None
            except ToolError as e:
                rows.append((title, "float (our interpreter)", None,
                             "not supported yet: %s" % e))
                imported = e
            fixed_timed = False

            for label, method, cle, corr in VARIANTS:
                if not selected.search(label):
                    continue
                row = "ours INT8 " + label
                try:
                    if imported:
                        raise imported
                    fixed = os.path.join(tmp, "fixed.mlir")
                    p = run([opt, float_mlir, "--mlir-timing",
                             "--pass-pipeline=" + pipeline(
                                 passes, calib_path, method, cle, corr),
                             "-o", fixed])
                    if name == "mobilenetv2" and not cle and not corr:
                        secs = pass_time(p.stderr, "QuantCalibrate")
                        timings.append(
                            "%s: calibration (%s, quant-calibrate) on %d "
                            "images: %s" % (title, label, len(calib),
                                            "%.2f s" % secs if secs else "?"))
                    t = time.perf_counter()
                    logits = interpret(translate, "--interpret-fixed", fixed,
                                       x_test, tmp)
                    dt = time.perf_counter() - t
                    if not fixed_timed:
                        fixed_timed = True
                        timings.append(
                            "%s: fixed-point interpreter %.0f images/s (%s)"
                            % (title, len(x_test) / dt, label))
                    top1 = float((logits.argmax(1) == y_test).mean())
                    rows.append((title, row, top1, float_top1))
                except ToolError as e:
                    rows.append((title, row, None, "not supported yet: %s"
                                 % e))
                print("  %s %s done" % (title, label), flush=True)

        for engine in engines:
            for per_channel in (False, True):
                label = "PyTorch PTQ %s, %s" % (
                    engine, "per-channel" if per_channel else "per-tensor")
                try:
                    q = torch_ptq(model, calib, engine, per_channel)
                    rows.append((title, label, torch_top1(q, x_test, y_test),
                                 float_top1))
                except Exception as e:  # noqa: BLE001 -- report, not crash
                    rows.append((title, label, None, "not supported: %s"
                                 % str(e).splitlines()[0]))

    print()
    width = max(len(r[1]) for r in rows)
    print("%-18s %-*s %8s %9s" % ("model", width, "configuration", "top-1",
                                  "delta pp"))
    for title, label, top1, ref in rows:
        if top1 is None:
            print("%-18s %-*s %s" % (title, width, label, ref))
        else:
            print("%-18s %-*s %7.2f%% %+9.2f" % (title, width, label,
                                                 100 * top1,
                                                 100 * (top1 - ref)))
    print()
    for title in dict.fromkeys(r[0] for r in rows):
        print(summary(title, [r for r in rows if r[0] == title]))
    print()
    for line in timings:
        print(line)
    print("total bench time %.0f s" % (time.time() - t_start))


if __name__ == "__main__":
    main()

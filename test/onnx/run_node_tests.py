#!/usr/bin/env python3
"""Runs the ONNX backend node tests (Debian's libonnx-testdata) through
vai's ONNX importer and float interpreter, and compares with the expected
outputs that ship with each test.

A test is run when every op of its model is one the importer supports
(SUPPORTED below, the op list of the frontends issue); the others are
counted as not applicable. Integer and boolean graph inputs (shapes, pads,
scales, axes given as inputs) are folded into initializers first: vai
compiles static graphs, as the DPU needs. Prints one line per failure with
its reason, then `N passed, M failed`.

usage: run_node_tests.py [--tools DIR] [--data DIR] [--filter SUBSTR] [-v]
"""
import argparse
import os
import subprocess
import sys
import tempfile

import numpy as np
import onnx
from onnx import helper, numpy_helper

SUPPORTED = {
    "Conv", "ConvTranspose", "BatchNormalization", "Gemm", "MatMul", "Relu",
    "LeakyRelu", "PRelu", "Clip", "Sigmoid", "HardSigmoid", "HardSwish",
    "MaxPool", "AveragePool", "GlobalAveragePool", "GlobalMaxPool", "Pad",
    "Resize", "Upsample", "Concat", "Add", "Sub", "Mul", "Div", "Reshape",
    "Flatten", "Transpose", "Squeeze", "Unsqueeze", "Softmax", "DepthToSpace",
    "Constant", "Identity", "Dropout", "QuantizeLinear", "DequantizeLinear",
}
# Inputs that are parameters, not data: shapes, pads, scales, axes, bounds,
# quantization scales. The runner folds them into the graph as constants.
PARAMETER_INPUTS = {
    "Reshape": {1}, "Resize": {1, 2, 3}, "Upsample": {1}, "Pad": {1, 2, 3},
    "Clip": {1, 2}, "Squeeze": {1}, "Unsqueeze": {1}, "Dropout": {1, 2},
    "QuantizeLinear": {1, 2}, "DequantizeLinear": {1, 2},
}
# ONNX's backend test tolerances (onnx/backend/test/runner).
RTOL, ATOL = 1e-3, 1e-7


def load_tensor(path):
    t = onnx.TensorProto()
    with open(path, "rb") as f:
        t.ParseFromString(f.read())
    return numpy_helper.to_array(t)


def run(cmd):
    p = subprocess.run(cmd, capture_output=True, text=True)
    return p.returncode, (p.stderr or p.stdout).strip().splitlines()


def run_test(test_dir, tools, tmp):
    model = onnx.load(os.path.join(test_dir, "model.onnx"))
    data_dir = os.path.join(test_dir, "test_data_set_0")
    n_inputs = len([n for n in os.listdir(data_dir) if n.startswith("input_")])
    n_outputs = len([n for n in os.listdir(data_dir) if n.startswith("output_")])
    graph = model.graph
    initialized = {i.name for i in graph.initializer}
    real_inputs = [i for i in graph.input if i.name not in initialized]
    inputs = [load_tensor(os.path.join(data_dir, "input_%d.pb" % i))
              for i in range(n_inputs)]
    parameters = {n.input[i] for n in graph.node
                  for i in PARAMETER_INPUTS.get(n.op_type, ())
                  if i < len(n.input)}
    float_inputs = []
    for info, value in zip(real_inputs, inputs):
        if info.name in parameters:
            graph.initializer.append(numpy_helper.from_array(value, info.name))
        else:
            float_inputs.append((info.name, value))
    # Keep the graph inputs that are still inputs, in order.
    kept = [i for i in graph.input if i.name not in parameters]
    del graph.input[:]
    graph.input.extend(kept)
    model_path = os.path.join(tmp, "model.onnx")
    onnx.save(model, model_path)
    mlir_path = os.path.join(tmp, "model.mlir")
    code, err = run([os.path.join(tools, "vai-translate"), "--import-onnx",
                     model_path, "-o", mlir_path])
    if code:
        return "import: " + (err[0] if err else "failed")
    npys = []
    for i, (name, value) in enumerate(float_inputs):
        path = os.path.join(tmp, "input_%d.npy" % i)
        if value.dtype.kind not in "fiu":
            return "input %s has %s data" % (name, value.dtype)
        # vai's graph inputs are f32 tensors; 8/16-bit integers (quantized
        # data for DequantizeLinear) are exact in f32.
        np.save(path, value.astype(np.float32))
        npys.append(path)
    for k in range(n_outputs):
        expected = load_tensor(os.path.join(data_dir, "output_%d.pb" % k))
        out_path = os.path.join(tmp, "output_%d.npy" % k)
        cmd = [os.path.join(tools, "vai-translate"), "--interpret-float",
               mlir_path, "-o", out_path, "--output-index=%d" % k]
        if npys:
            cmd.append("--input=" + ",".join(npys))
        code, err = run(cmd)
        if code:
            return "interpret: " + (err[0] if err else "failed")
        actual = np.load(out_path)
        if actual.shape != expected.shape:
            return "output %d: shape %s, expected %s" % (
                k, actual.shape, expected.shape)
        if not np.allclose(actual, expected.astype(np.float32), rtol=RTOL,
                           atol=ATOL, equal_nan=True):
            diff = np.max(np.abs(actual - expected))
            return "output %d: max abs difference %.3g" % (k, diff)
    return None


def main():
    parser = argparse.ArgumentParser()
    here = os.path.dirname(os.path.abspath(__file__))
    parser.add_argument("--tools", default=os.path.join(here, "..", "..",
                                                        "build", "bin"))
    parser.add_argument("--data", default=os.environ.get(
        "VAI_ONNX_NODE_TESTS", "/usr/share/libonnx-testdata/data/node"))
    parser.add_argument("--filter", default="")
    parser.add_argument("-v", action="store_true")
    parser.add_argument("--min-passed", type=int, default=0,
                        help="exit 1 if fewer tests pass")
    parser.add_argument("--no-mismatch", action="store_true",
                        help="exit 1 if a test runs but computes wrong values")
    args = parser.parse_args()
    if not os.path.isdir(args.data):
        sys.exit("no ONNX node tests at %s (install libonnx-testdata)" % args.data)
    passed, failed, skipped, out_of_scope = 0, [], 0, 0
    for name in sorted(os.listdir(args.data)):
        if args.filter not in name:
            continue
        test_dir = os.path.join(args.data, name)
        try:
            model = onnx.load(os.path.join(test_dir, "model.onnx"))
        except Exception:  # noqa: BLE001 - unreadable models are not ours
            skipped += 1
            continue
        opset = max((o.version for o in model.opset_import
                     if o.domain in ("", "ai.onnx")), default=0)
        if not 7 <= opset <= 17:
            # The importer's scope is opsets 7 to 17.
            out_of_scope += 1
            continue
        ops = {n.op_type for n in model.graph.node}
        # Integer-valued results are integer arithmetic, not a float graph.
        float_outputs = all(
            o.type.tensor_type.elem_type in (onnx.TensorProto.FLOAT,
                                             onnx.TensorProto.DOUBLE,
                                             onnx.TensorProto.FLOAT16)
            for o in model.graph.output)
        if not ops or not ops <= SUPPORTED or not float_outputs or any(
                n.domain not in ("", "ai.onnx") for n in model.graph.node):
            skipped += 1
            continue
        with tempfile.TemporaryDirectory() as tmp:
            try:
                reason = run_test(test_dir, args.tools, tmp)
            except Exception as e:  # noqa: BLE001 - report, do not stop
                reason = "runner: %s" % e
        if reason is None:
            passed += 1
            if args.v:
                print("PASS %s" % name)
        else:
            failed.append((name, reason))
            print("FAIL %s: %s" % (name, reason))
    total = passed + len(failed)
    print("%d of %d node tests use only supported ops (%d others not run, "
          "%d more outside opsets 7-17)" % (
              total, total + skipped + out_of_scope, skipped, out_of_scope))
    if total:
        print("pass rate %.1f%%" % (100.0 * passed / total))
    print("%d passed, %d failed" % (passed, len(failed)))
    mismatches = [n for n, r in failed if r.startswith("output")]
    if args.no_mismatch and mismatches:
        print("numeric mismatches: " + ", ".join(mismatches))
        sys.exit(1)
    if passed < args.min_passed:
        print("fewer than %d passed" % args.min_passed)
        sys.exit(1)


main()

"""Checks an ONNX model with onnx.checker (full check: shape inference too)
and prints its interface and op counts.

usage: check_onnx.py MODEL.onnx
"""
import collections
import sys

import onnx


def dims(value_info):
    return "x".join(d.dim_param or (str(d.dim_value) if d.HasField("dim_value")
                                    else "?")
                    for d in value_info.type.tensor_type.shape.dim)


def main():
    model = onnx.load(sys.argv[1])
    onnx.checker.check_model(model, full_check=True)
    opset = {o.domain: o.version for o in model.opset_import}
    print("check_model: ok, opset %d" % opset[""])
    inits = {t.name for t in model.graph.initializer}
    for v in model.graph.input:
        if v.name not in inits:
            print("input %s: %s" % (v.name, dims(v)))
    for v in model.graph.output:
        print("output %s: %s" % (v.name, dims(v)))
    ops = collections.Counter(n.op_type for n in model.graph.node)
    print("ops: " + ", ".join("%s %d" % kv for kv in sorted(ops.items())))


if __name__ == "__main__":
    main()

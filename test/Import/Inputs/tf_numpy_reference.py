"""Evaluates a small frozen TF1 GraphDef with NumPy: an independent
reference for the float interpreter on real files.

Reads the graph with python/vai/graphdef.py (pure Python, no shared code
with the C++ importer) and knows only the ops of dense networks:
Placeholder, Const, Identity, MatMul, BiasAdd, Add/AddV2, Relu, Relu6,
Sigmoid, Tanh.

usage: tf_numpy_reference.py GRAPH.pb INPUT.npy OUTPUT.npy [OUTPUT_NODE]
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..",
                                "python"))
from vai import graphdef  # noqa: E402


def main():
    graph_path, input_path, output_path = sys.argv[1:4]
    nodes, _ = graphdef.parse_graphdef(open(graph_path, "rb").read())
    by_name = {n.name: n for n in nodes}
    consumed = {i.lstrip("^").split(":")[0] for n in nodes for i in n.inputs}
    outputs = [sys.argv[4]] if len(sys.argv) > 4 else [
        n.name for n in nodes if n.name not in consumed and n.op != "Const"]
    x = np.load(input_path).astype(np.float32)
    values = {}

    def value(name):
        name = name.split(":")[0]
        if name in values:
            return values[name]
        node = by_name[name]
        args = [value(i) for i in node.inputs if not i.startswith("^")]
        op = node.op
        if op == "Placeholder":
            result = x
        elif op == "Const":
            result = np.asarray(node.attrs["value"], dtype=np.float32)
        elif op == "Identity":
            result = args[0]
        elif op == "MatMul":
            a, b = args
            if node.attrs.get("transpose_a"):
                a = a.T
            if node.attrs.get("transpose_b"):
                b = b.T
            result = a @ b
        elif op in ("BiasAdd", "Add", "AddV2"):
            result = args[0] + args[1]
        elif op == "Relu":
            result = np.maximum(args[0], 0)
        elif op == "Relu6":
            result = np.clip(args[0], 0, 6)
        elif op == "Sigmoid":
            result = 1 / (1 + np.exp(-args[0]))
        elif op == "Tanh":
            result = np.tanh(args[0])
        else:
            sys.exit("reference: op %s of node %s not implemented" % (op, name))
        values[name] = result.astype(np.float32)
        return values[name]

    np.save(output_path, value(outputs[0]))


main()

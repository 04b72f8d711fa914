"""Writes a tiny ONNX model whose constant operands are themselves computed
from initializers (as exporters leave them), an input for it and the
NumPy reference output:
  make_const_subgraphs.py model.onnx x.npy reference.npy

  y = Identity((Dropout(x) * (A + B) - Concat(C, D)) / Max(E, F) + Pad(G))
with A..G initializers, x of shape [2, 6] (Dropout is inference-mode).
"""
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

rng = np.random.default_rng(7)
consts = {
    "A": rng.standard_normal(6).astype(np.float32),
    "B": rng.standard_normal(6).astype(np.float32),
    "C": rng.standard_normal((2, 2)).astype(np.float32),
    "D": rng.standard_normal((2, 4)).astype(np.float32),
    "E": (rng.random(6) + 0.5).astype(np.float32),
    "F": (rng.random(6) + 0.5).astype(np.float32),
    "G": rng.standard_normal((2, 3)).astype(np.float32),
}
pads = np.array([0, 1, 0, 2], np.int64)  # [begin_0, begin_1, end_0, end_1]

nodes = [
    helper.make_node("Add", ["A", "B"], ["AB"], name="ab"),
    helper.make_node("Dropout", ["x"], ["xdrop"], name="dropout"),
    helper.make_node("Mul", ["xdrop", "AB"], ["xm"], name="scale"),
    helper.make_node("Concat", ["C", "D"], ["CD"], name="cd", axis=1),
    helper.make_node("Sub", ["xm", "CD"], ["xs"], name="shift"),
    helper.make_node("Max", ["E", "F"], ["EF"], name="ef"),
    helper.make_node("Div", ["xs", "EF"], ["xd"], name="norm"),
    helper.make_node("Pad", ["G", "pads"], ["GP"], name="gp", mode="constant"),
    helper.make_node("Add", ["xd", "GP"], ["sum"], name="sum"),
    helper.make_node("Identity", ["sum"], ["y"], name="out"),
]
inits = [numpy_helper.from_array(v, k) for k, v in consts.items()]
inits.append(numpy_helper.from_array(pads, "pads"))
graph = helper.make_graph(
    nodes, "const_subgraphs",
    [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 6])],
    [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2, 6])], inits)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
onnx.checker.check_model(model)
onnx.save(model, sys.argv[1])

x = rng.standard_normal((2, 6)).astype(np.float32)
c = consts
ref = ((x * (c["A"] + c["B"]) - np.concatenate([c["C"], c["D"]], axis=1)) /
       np.maximum(c["E"], c["F"]) + np.pad(c["G"], ((0, 0), (1, 2))))
np.save(sys.argv[2], x)
np.save(sys.argv[3], ref.astype(np.float32))

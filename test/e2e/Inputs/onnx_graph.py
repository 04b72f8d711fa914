"""A small ONNX graph builder shared by the e2e model generators: seeded
random weights, initializers and nodes collected in order."""
import numpy as np
import onnx
from onnx import helper, numpy_helper


class Graph:
    def __init__(self, seed):
        self.rng = np.random.default_rng(seed)
        self.inits, self.nodes = [], []

    def const(self, name, value, dtype=np.float32):
        self.inits.append(
            numpy_helper.from_array(np.asarray(value, dtype), name))
        return name

    def conv(self, name, x, cin, cout, k, pad):
        """A k x k stride-1 Conv with a bias, He-like scaled weights."""
        self.const(name + ".w", self.rng.standard_normal((cout, cin, k, k))
                   / np.sqrt(k * k * cin))
        self.const(name + ".b", 0.2 * self.rng.standard_normal(cout))
        self.nodes.append(helper.make_node(
            "Conv", [x, name + ".w", name + ".b"], [name],
            kernel_shape=[k, k], pads=[pad] * 4, strides=[1, 1]))
        return name


def save(graph, prefix, calib, test_input):
    """Writes `graph` (a GraphProto) as opset-13 PREFIX.onnx after ONNX's
    checker, with its calibration and test inputs as PREFIX.calib.npy and
    PREFIX.input.npy (float32)."""
    model = helper.make_model(graph,
                              opset_imports=[helper.make_opsetid("", 13)])
    onnx.checker.check_model(model)
    onnx.save(model, prefix + ".onnx")
    np.save(prefix + ".calib.npy", np.asarray(calib, np.float32))
    np.save(prefix + ".input.npy", np.asarray(test_input, np.float32))

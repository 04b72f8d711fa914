"""A small ONNX graph builder shared by the e2e model generators: seeded
random weights, initializers and nodes collected in order."""
import numpy as np
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

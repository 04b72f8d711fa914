"""Writes corrections.npy, the calibration data of quant-bias-correction.mlir
and quant-fast-finetune.mlir: 4 NHWC images of 2x2x1 whose values (0.5, 1.0,
1.5) lie on the 1/64 grid of their fix position 6, mean exactly 1.0, so
the fake-quantized input equals the float input and the tests can work the
expected corrections out by hand.

Usage: make_corrections_npy.py OUT.npy
"""
import sys

import numpy as np

values = np.array([[0.5, 1.0, 1.5, 1.0],
                   [1.0, 1.5, 0.5, 1.0],
                   [1.5, 0.5, 1.0, 1.0],
                   [1.0, 1.0, 1.0, 1.0]], np.float32)
assert values.mean() == 1.0
np.save(sys.argv[1], values.reshape(4, 2, 2, 1))

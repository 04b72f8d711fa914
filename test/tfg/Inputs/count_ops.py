"""Counts tfg ops by name in an .mlir file and prints `name count` lines for
the ops given on the command line (0 when absent), e.g.
  count_ops.py model.mlir fused_batch_norm identity
"""
import collections
import re
import sys

text = open(sys.argv[1]).read()
counts = collections.Counter(re.findall(r"= tfg\.([a-z_0-9]+)", text))
for name in sys.argv[2:]:
    print("%s %d" % (name, counts.get(name, 0)))

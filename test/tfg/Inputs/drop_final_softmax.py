#!/usr/bin/env python3
"""Makes a tfg function return the logits instead of its final softmax.

    drop_final_softmax.py IN.mlir OUT.mlir

A classifier's probabilities saturate (0.9999 for one class), which would
hide errors in a before/after comparison; its logits do not.
"""

import re
import sys

text = open(sys.argv[1]).read()
match = re.search(r"(%\d+) = tfg\.softmax (%\d+)[^\n]*\n\s*return \1 :", text)
if not match:
    sys.exit("no tfg.softmax feeding the return in " + sys.argv[1])
text = text[:match.start()] + "return %s :" % match.group(2) + text[match.end():]
open(sys.argv[2], "w").write(text)

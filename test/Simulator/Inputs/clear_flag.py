"""Clears dependency-flag bits of one instruction in a disassembled program.

    clear_flag.py IN.mlir OUT.mlir PROGRAM MNEMONIC N FIELD BITS

Finds the N-th (0-based) `dpu.isa1.<MNEMONIC>` of `dpu.program "PROGRAM"`
and clears BITS (an integer mask) in its FIELD (dpdon or dpdby). Prints the
instruction's byte offset in the program, counted from the instruction
lengths of ISA1.md §2, and the field's old and new values.
"""
import re
import sys

LENGTH = {"load": 5, "aluinit": 6, "alu": 5, "save": 5, "poolinit": 2,
          "end": 1, "conv": 5, "convinit": 4, "dptwise": 5, "dwinit": 3,
          "pool": 5, "elewinit": 3, "elew": 3}


def main():
    src, dst, program, mnemonic, nth, field, bits = sys.argv[1:]
    nth, bits = int(nth), int(bits)
    lines = open(src).read().split("\n")
    inside, offset, seen = False, 0, 0
    for i, line in enumerate(lines):
        if line.strip().startswith("dpu.program"):
            inside = '"%s"' % program in line
            offset = 0
            continue
        m = re.match(r"\s*dpu\.isa1\.(\w+)", line)
        if not inside or not m:
            continue
        if m.group(1) == mnemonic:
            if seen == nth:
                old = int(re.search(r"\b%s = (\d+)" % field, line).group(1))
                lines[i] = re.sub(r"\b%s = \d+" % field,
                                  "%s = %d" % (field, old & ~bits), line)
                open(dst, "w").write("\n".join(lines))
                print("byte offset %d: %s %d -> %d"
                      % (offset, field, old, old & ~bits))
                return 0
            seen += 1
        offset += 4 * LENGTH[m.group(1)]
    print("instruction not found")
    return 1


if __name__ == "__main__":
    sys.exit(main())

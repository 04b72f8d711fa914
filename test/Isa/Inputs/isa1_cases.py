#!/usr/bin/env python3
"""Random ISA1 instructions encoded from the bit positions in ISA1.md §4
(typed in here independently of dialects/dpu/DpuInstructions.td).

  isa1_cases.py OUTDIR  writes OUTDIR/cases.mlir (the instructions as
                        generic-form ops) and OUTDIR/cases.bin (their
                        encoding by this script)
"""
import os
import random
import struct
import sys

COMMON = {"dpdby": (0, 23, 20), "dpdon": (0, 27, 24)}
# name: (opcode, words, {field: (word, hi, lo)})
ISA1 = {
    "load": (0x0, 5, {
        "bank_addr": (0, 11, 0), "bank_id": (0, 19, 14),
        "jump_write": (1, 9, 0), "jump_read": (1, 25, 10),
        "length": (2, 9, 0), "channel": (2, 23, 10), "pad_idx": (2, 31, 27),
        "reg_id": (3, 2, 0), "const_value": (3, 15, 8),
        "broadcast": (3, 19, 16), "mode_avg": (3, 21, 20),
        "pad_end": (3, 26, 22), "pad_start": (3, 31, 27),
        "ddr_addr": (4, 28, 0)}),
    "save": (0x4, 5, {
        "bank_addr": (0, 11, 0), "bank_id": (0, 19, 14),
        "jump_read": (1, 9, 0), "jump_write": (1, 25, 10),
        "hp_id": (1, 30, 29), "length": (2, 9, 0), "channel": (2, 21, 10),
        "reg_id": (3, 2, 0), "const_value": (3, 15, 8),
        "const_en": (3, 16, 16), "ddr_addr": (4, 28, 0)}),
    "convinit": (0x9, 4, {
        "jump_read": (0, 9, 0), "shift_cut": (0, 15, 10),
        "act_type": (0, 19, 16), "jump_read_endl": (1, 9, 0),
        "shift_bias": (1, 15, 10), "stride_out": (1, 31, 28),
        "jump_write": (2, 9, 0), "stride_offset_in": (2, 12, 10),
        "valid_pixel_parallel": (2, 15, 13), "kernel_h": (2, 27, 24),
        "stride_h": (2, 31, 28), "jump_write_endl": (3, 9, 0),
        "stride_offset_out": (3, 12, 10), "kernel_w": (3, 27, 24),
        "stride_w": (3, 31, 28)}),
    "conv": (0x8, 5, {
        "bank_addr_in": (0, 11, 0), "pad_top": (0, 15, 12),
        "pad_left": (0, 19, 16), "bank_addr_out": (1, 11, 0),
        "pad_bottom": (1, 15, 12), "pad_right": (1, 19, 16),
        "channel_group": (1, 31, 24), "bank_addr_weights": (2, 11, 0),
        "bank_id_in": (2, 17, 12), "length": (2, 31, 22),
        "bank_addr_bias": (3, 11, 0), "bank_id_out": (3, 17, 12),
        "bank_addr_in_1": (3, 29, 18), "bank_addr_in_2": (4, 11, 0),
        "bank_addr_in_3": (4, 23, 12), "channel_offset": (4, 28, 24)}),
    "aluinit": (0x1, 6, {
        "kernel_w": (0, 7, 0), "kernel_h": (0, 15, 8),
        "exec_mode": (0, 19, 16), "stride_offset_out": (1, 7, 0),
        "stride_offset_in": (1, 15, 8), "stride_w": (1, 23, 16),
        "stride_h": (1, 31, 24), "length": (2, 10, 0),
        "channel_offset": (2, 15, 11), "channel_group": (2, 23, 16),
        "stride_out": (2, 31, 24), "shift_prelu_n": (3, 5, 0),
        "shift_cut": (3, 11, 6), "shift_bias": (3, 17, 12),
        "act_type": (3, 21, 18), "shift_prelu_p": (3, 27, 22),
        "jump_read_endl": (4, 12, 0), "jump_read": (4, 22, 13),
        "multi_factor": (4, 30, 23), "jump_write_endl": (5, 12, 0),
        "jump_write": (5, 22, 13), "jump_read_weights": (5, 31, 23)}),
    "alu": (0x2, 5, {
        "bank_addr_out": (0, 13, 0), "bank_id_out": (0, 19, 14),
        "bank_addr_in": (1, 13, 0), "bank_id_in": (1, 19, 14),
        "valid_pixel_parallel": (1, 22, 20), "pad_bottom": (1, 30, 23),
        "bank_addr_in_1": (2, 13, 0), "pad_right": (2, 21, 14),
        "pad_left": (2, 25, 22), "pad_top": (2, 29, 26),
        "bank_addr_in_2": (3, 13, 0), "bank_addr_weights": (3, 27, 14),
        "kernel_d": (3, 31, 28), "bank_addr_in_3": (4, 13, 0),
        "bank_addr_bias": (4, 27, 14)}),
    "end": (0x7, 1, {}),
}


def main(outdir):
    os.makedirs(outdir, exist_ok=True)
    rng = random.Random(7)
    code, ops = b"", []
    for _ in range(20):
        for name, (opcode, nwords, layout) in ISA1.items():
            words = [0] * nwords
            words[0] = opcode << 28
            attrs = []
            for field, (w, hi, lo) in list(layout.items()) + list(COMMON.items()):
                # Extremes as well as random values, so a misplaced top bit
                # shows.
                value = rng.choice([0, (1 << (hi - lo + 1)) - 1,
                                    rng.getrandbits(hi - lo + 1)])
                words[w] |= value << lo
                attrs.append("%s = %d : i64" % (field, value))
            code += struct.pack("<%dI" % nwords, *words)
            ops.append('    "dpu.isa1.%s"() <{%s}> : () -> ()' %
                       (name, ", ".join(attrs)))
    with open(os.path.join(outdir, "cases.bin"), "wb") as f:
        f.write(code)
    with open(os.path.join(outdir, "cases.mlir"), "w") as f:
        f.write('dpu.program "cases" isa1 {\n%s\n}\n' % "\n".join(ops))


if __name__ == "__main__":
    main(sys.argv[1])

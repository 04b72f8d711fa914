"""Tiny hand-encoded ISA1 programs in a minimal compiled xmodel, with the
result each should give, for the simulator's instructions that no Xilinx
sample exercises (their semantics are ISA1.md's hypotheses, §4.5 and §4.7).

    tiny_programs.py CASE OUT.txtpb OUT.expected.npy

The program LOADs its operands from REG_0 (the parameter value), runs one
layer and SAVEs 16 bytes to REG_1, which the xmodel's `download` reads. The
bit positions come from test/Isa/Inputs/isa1_cases.py (typed from ISA1.md)
plus ELEWINIT/ELEW from Xilinx's dpuczdx8g_isa1.h; the expected bytes are
computed here from the hypotheses' formulas with NumPy.

Cases: elew_add, avg_pool, dwconv, leaky, and the error cases alu_prelu
(an ALU mode with no hypothesis), load_outside (a LOAD past REG_0) and
no_end (a program without END).
"""
import os
import struct
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "Isa", "Inputs"))
from isa1_cases import COMMON, ISA1  # noqa: E402

FIELDS = dict(ISA1)
FIELDS["elewinit"] = (0xD, 3, {
    "share_pp": (0, 13, 13), "bank_id_in": (0, 19, 14),
    "bank_addr_in": (1, 13, 0), "jump_read_endl": (1, 26, 14),
    "id": (1, 28, 27), "jump_bank": (1, 31, 29), "jump_read": (2, 11, 0),
    "shift_read": (2, 15, 12)})
FIELDS["elew"] = (0xE, 3, {
    "length": (0, 10, 0), "act_type": (0, 11, 11), "elew_type": (0, 13, 12),
    "bank_id_out": (0, 19, 14), "bank_addr_out": (1, 13, 0),
    "jump_write_endl": (1, 26, 14), "num": (1, 28, 27),
    "valid_pixel_parallel": (1, 31, 29), "jump_write": (2, 11, 0),
    "shift_write": (2, 16, 12), "channel_group": (2, 24, 17)})


def encode(name, **values):
    opcode, nwords, layout = FIELDS[name]
    words = [0] * nwords
    words[0] = opcode << 28
    fields = dict(layout, **COMMON)
    for field, value in values.items():
        w, hi, lo = fields[field]
        assert 0 <= value < 1 << (hi - lo + 1), (name, field, value)
        words[w] |= value << lo
    return struct.pack("<%dI" % nwords, *words)


def load(bank, line, addr, pixels=1, channel=16, stride=16):
    # One LOAD per engine is serialised by its self flags (ISA1.md §7).
    return encode("load", bank_id=bank, bank_addr=line, ddr_addr=addr,
                  reg_id=0, length=pixels - 1, channel=channel - 1,
                  jump_read=stride - 1, jump_write=(channel + 15) // 16 - 1,
                  dpdon=1, dpdby=1)


def save(bank, line):
    return encode("save", bank_id=bank, bank_addr=line, reg_id=1,
                  ddr_addr=0, length=0, channel=15, jump_read=0,
                  jump_write=15)


def rne(v, shift):
    """Round half up of v / 2^shift."""
    return (v + (1 << (shift - 1))) >> shift if shift > 0 else v


def case(name, rng):
    """(program bytes, parameter bytes, expected 16 int8)."""
    a = rng.integers(-128, 128, 16).astype(np.int64)
    b = rng.integers(-128, 128, 16).astype(np.int64)
    c = rng.integers(-128, 128, 16).astype(np.int64)
    d = rng.integers(-128, 128, 16).astype(np.int64)
    params = np.concatenate([a, b, c, d]).astype(np.int8).tobytes()
    end = encode("end")
    if name == "elew_add":
        # relu(round((2a + b) / 2)): a aligned by shift_read 1, out shift 1.
        code = (load(0, 0, 0) + load(8, 0, 16)
                + encode("elewinit", id=0, bank_id_in=0, shift_read=1)
                + encode("elewinit", id=1, bank_id_in=8, shift_read=0)
                + encode("elew", num=1, shift_write=1, act_type=1,
                         bank_id_out=1, bank_addr_out=5)
                + save(1, 5) + end)
        return code, params, np.clip(np.maximum(rne(2 * a + b, 1), 0),
                                     -128, 127)
    # A 2x2 window: row 0 = pixels a, b in bank 0 lines 0, 1; row 1 =
    # pixels c, d in bank 1 lines 0, 1.
    window = load(0, 0, 0, pixels=2) + load(1, 0, 32, pixels=2)
    aluinit = dict(kernel_w=1, kernel_h=1, stride_w=0, stride_h=0, length=0,
                   channel_group=0, jump_read=0, jump_read_endl=0,
                   stride_out=0, jump_write=0, jump_write_endl=0)
    alu = dict(bank_id_in=0, bank_addr_in=0, valid_pixel_parallel=0,
               pad_bottom=1, pad_right=1, bank_id_out=8, bank_addr_out=3)
    if name == "avg_pool":
        # (a + b + c + d) * 16 / 2^6, rounded half up.
        code = (window + encode("aluinit", exec_mode=2, shift_cut=6,
                                multi_factor=16, **aluinit)
                + encode("alu", **alu) + save(8, 3) + end)
        return code, params, np.clip(rne((a + b + c + d) * 16, 6), -128, 127)
    if name == "dwconv":
        # Taps (0,0), (0,1), (1,0), (1,1) = d, c, b, a at DWCONVW (bank 32)
        # lines 0-3; bias a at bank 33: (2 acc + bias * 2^2 + 2^9) >> 10.
        weights = (load(32, 0, 48) + load(32, 1, 32) + load(32, 2, 16)
                   + load(32, 3, 0) + load(33, 0, 0))
        acc = a * d + b * c + c * b + d * a
        code = (window + weights
                + encode("aluinit", exec_mode=0, shift_cut=9, shift_bias=2,
                         **aluinit)
                + encode("alu", bank_addr_weights=0, bank_addr_bias=0, **alu)
                + save(8, 3) + end)
        return code, params, np.clip((2 * acc + a * 4 + 512) >> 10, -128, 127)
    if name == "leaky":
        # Negatives times 26/256, rounded half up.
        one = dict(aluinit, kernel_w=0, kernel_h=0, stride_w=0, stride_h=0)
        code = (load(0, 0, 0) + encode("aluinit", exec_mode=4, **one)
                + encode("alu", **dict(alu, pad_bottom=0, pad_right=0))
                + save(8, 3) + end)
        return code, params, np.where(a >= 0, a, (a * 26 + 128) >> 8)
    if name == "alu_prelu":
        return (window + encode("aluinit", exec_mode=1, **aluinit)
                + encode("alu", **alu) + end), params, None
    if name == "load_outside":
        return load(0, 0, 60) + end, params, None
    if name == "no_end":
        return load(0, 0, 0), params, None
    raise SystemExit("unknown case " + name)


def text_bytes(data):
    return "".join("\\%03o" % x for x in data)


def main():
    name, txtpb, expected_path = sys.argv[1:]
    code, params, expected = case(name, np.random.default_rng(5))
    fingerprint = 0x101000016010407  # DPUCZDX8G_ISA1_B4096 (Vitis AI 2.5)
    fix = ('tensor_attr { key: "fix_point" value { int32_value: 0 } }')
    text = """graph_name: "tiny"
op_node { op_name: "x" op_type: "data-fix"
  output_tensor { tensor_name: "x" tensor_dim: 1 tensor_dim: 16
    data_type: 2 tensor_bit_width: 8 %(fix)s } }
op_node { op_name: "y" op_type: "eltwise-fix"
  args { arg_name: "input" arg_ops: "x" }
  output_tensor { tensor_name: "y" tensor_dim: 1 tensor_dim: 16
    data_type: 2 tensor_bit_width: 8 %(fix)s
    tensor_attr { key: "reg_id" value { int32_value: 1 } }
    tensor_attr { key: "ddr_addr" value { int32_value: 0 } } } }
op_node { op_name: "d" op_type: "download"
  args { arg_name: "input" arg_ops: "y" }
  output_tensor { tensor_name: "d" tensor_dim: 1 tensor_dim: 16
    data_type: 2 tensor_bit_width: 8 %(fix)s } }
subg_root { subgraph_name: "root"
  subg_child { subgraph_name: "user" op_name: "x"
    subg_attr { key: "device" value { string_value: "USER" } } }
  subg_child { subgraph_name: "sg" op_name: "y" op_name: "d"
    subg_attr { key: "device" value { string_value: "DPU" } }
    subg_attr { key: "dpu_fingerprint" value { uint64_value: %(fp)d } }
    subg_attr { key: "mc_code" value { bytes_value { value: "%(code)s" } } }
    subg_attr { key: "reg_id_to_size" value { map_string_2_int32_value {
      value { key: "REG_0" value: 64 } value { key: "REG_1" value: 16 } } } }
    subg_attr { key: "reg_id_to_parameter_value" value {
      map_string_2_bytes_value { value { key: "REG_0"
        value { value: "%(params)s" } } } } } } }
""" % {"fix": fix, "fp": fingerprint, "code": text_bytes(code),
       "params": text_bytes(params)}
    with open(txtpb, "w") as f:
        f.write(text)
    if expected is not None:
        np.save(expected_path, np.asarray(expected, np.int64)
                .clip(-128, 127).astype(np.int8).reshape(1, 16))
    return 0


if __name__ == "__main__":
    sys.exit(main())

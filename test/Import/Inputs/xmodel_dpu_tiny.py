"""Prints a tiny compiled xmodel (serial_v2.Graph text format, for
`protoc --encode`) in the layout vai_c_xir writes, or a broken variant.

    xmodel_dpu_tiny.py [VARIANT]

The graph: USER data-fix [1,4,4,2] -> DPU subgraph (upload; conv2d-fix 3x3
stride 2 pad {l 1, r 0, t 1, b 0} + RELU, kept on chip; pool-fix MAX kernel
{w 2, h 1}; download) -> CPU fix2float. The const-fix ops have empty `data`;
their bytes are in reg_id_to_parameter_value["REG_0"]: bias at ddr_addr 0,
weights (OHWI) at 16.

Variants (each breaks one thing the dpu view checks):
  ok            the graph as described
  outside       the weights' ddr_addr moved so they overrun REG_0
  no-params     no reg_id_to_parameter_value on the DPU subgraph
  no-reg        the parameter map holds REG_5 instead of REG_0
  no-engine     the pool-fix is a `softmax`, which no DPU engine runs
  no-device     the CPU subgraph has no device attribute
  orphan        fix2float is in no subgraph
"""
import sys

FINGERPRINT = 0x101000016010407  # DPUCZDX8G_ISA1_B4096 (Vitis AI 2.5)


def blob(n):
    # Deterministic int8 pattern covering both signs.
    return bytes(((i * 37 + 11) % 256) for i in range(n))


def esc(data):
    return "".join("\\%03o" % b for b in data)


def ints(values):
    return " ".join("value: %d" % v for v in values)


def attr(key, value):
    return "op_attr { key: \"%s\" value { %s } }" % (key, value)


def tattr(key, value):
    return "tensor_attr { key: \"%s\" value { %s } }" % (key, value)


def fix_attrs(fp):
    return [tattr("bit_width", "int32_value: 8"),
            tattr("fix_point", "int32_value: %d" % fp),
            tattr("if_signed", "bool_value: true"),
            tattr("round_mode", "string_value: \"DPU_ROUND\"")]


def ddr(reg, addr, location=1, stride=None):
    out = [tattr("reg_id", "int32_value: %d" % reg),
           tattr("ddr_addr", "int32_value: %d" % addr),
           tattr("location", "int32_value: %d" % location)]
    if stride:
        out.append(tattr("stride", "int32_vec_value { %s }" % ints(stride)))
    return out


def op(name, kind, attrs, args, tensor, dims, dtype=2, tattrs=()):
    lines = ["op_node {", "  op_name: \"%s\"" % name,
             "  op_type: \"%s\"" % kind]
    lines += ["  " + a for a in attrs]
    for arg_name, producers in args:
        lines.append("  args { arg_name: \"%s\" %s }" % (
            arg_name, " ".join("arg_ops: \"%s\"" % p for p in producers)))
    lines.append("  output_tensor { tensor_name: \"%s\" %s data_type: %d "
                 "tensor_bit_width: %d" % (
                     tensor, " ".join("tensor_dim: %d" % d for d in dims),
                     dtype, 8 if dtype == 2 else 32))
    lines += ["    " + t for t in tattrs]
    lines += ["  }", "}"]
    return "\n".join(lines)


def main(variant):
    weights_addr = 16 if variant != "outside" else 40
    params_key = "REG_0" if variant != "no-reg" else "REG_5"
    pool_type = "pool-fix" if variant != "no-engine" else "softmax"
    dpu = "\"DPU\""
    ops = [
        op("in", "data-fix",
           [attr("data_type", "string_value: \"XINT8\""),
            attr("device", "string_value: \"USER\""),
            attr("shape", "int32_vec_value { %s }" % ints([1, 4, 4, 2]))],
           [], "in_fix", [1, 4, 4, 2], tattrs=fix_attrs(6)),
        op("in_upload", "upload", [attr("device", "string_value: " + dpu)],
           [("input", ["in"])], "in_fix_upload", [1, 4, 4, 2],
           tattrs=fix_attrs(6) + ddr(2, 0, stride=[32, 8, 2, 1])),
        op("conv_w", "const-fix",
           [attr("data", "bytes_value { }"),
            attr("data_type", "string_value: \"XINT8\""),
            attr("device", "string_value: " + dpu),
            attr("shape", "int32_vec_value { %s }" % ints([3, 3, 3, 2]))],
           [], "conv_w_fix", [3, 3, 3, 2],
           tattrs=fix_attrs(7) + ddr(0, weights_addr)),
        op("conv_b", "const-fix",
           [attr("data", "bytes_value { }"),
            attr("data_type", "string_value: \"XINT8\""),
            attr("device", "string_value: " + dpu),
            attr("shape", "int32_vec_value { value: 3 }")],
           [], "conv_b_fix", [3], tattrs=fix_attrs(5) + ddr(0, 0)),
        op("conv", "conv2d-fix",
           [attr("bias_term", "bool_value: true"),
            attr("device", "string_value: " + dpu),
            attr("kernel", "int32_vec_value { value: 3 value: 3 }"),
            attr("nonlinear", "string_value: \"RELU\""),
            attr("pad", "int32_vec_value { %s }" % ints([1, 0, 1, 0])),
            attr("pad_mode", "string_value: \"FLOOR\""),
            attr("stride", "int32_vec_value { value: 2 value: 2 }")],
           [("input", ["in_upload"]), ("weights", ["conv_w"]),
            ("bias", ["conv_b"])], "conv_fix", [1, 2, 2, 3],
           tattrs=fix_attrs(4) + ddr(1, 0, location=0)),
        op("pool", pool_type,
           [attr("device", "string_value: " + dpu),
            attr("kernel", "int32_vec_value { value: 2 value: 1 }"),
            attr("stride", "int32_vec_value { value: 1 value: 1 }"),
            attr("type", "string_value: \"MAX\"")],
           [("input", ["conv"])], "pool_fix", [1, 2, 1, 3],
           tattrs=fix_attrs(4) + ddr(3, 0, stride=[6, 3, 3, 1])),
        op("pool_download", "download",
           [attr("device", "string_value: " + dpu)],
           [("input", ["pool"])], "pool_fix_download", [1, 2, 1, 3],
           tattrs=fix_attrs(4)),
        op("out", "fix2float",
           [attr("bit_width", "int32_value: 8"),
            attr("device", "string_value: \"CPU\""),
            attr("fix_point", "int32_value: 4"),
            attr("if_signed", "bool_value: true"),
            attr("round_mode", "string_value: \"DPU_ROUND\"")],
           [("input", ["pool_download"])], "out", [1, 2, 1, 3], dtype=4),
    ]
    dpu_attrs = [
        ("device", "string_value: \"DPU\""),
        ("dpu_fingerprint", "uint64_value: %d" % FINGERPRINT),
        ("dpu_name", "string_value: \"DPUCZDX8G_ISA1_B4096\""),
        ("mc_code", "bytes_value { value: \"%s\" }" % esc(b"\x07\x00\x00\x70")),
        ("reg_id_to_context_type", "map_string_2_string_value { "
         "value { key: \"REG_0\" value: \"CONST\" } "
         "value { key: \"REG_2\" value: \"DATA\" } "
         "value { key: \"REG_3\" value: \"DATA\" } }"),
        ("reg_id_to_context_type_v2", "map_string_2_string_value { "
         "value { key: \"REG_0\" value: \"CONST\" } "
         "value { key: \"REG_2\" value: \"INTERFACE\" } "
         "value { key: \"REG_3\" value: \"INTERFACE\" } }"),
        ("reg_id_to_size", "map_string_2_int32_value { "
         "value { key: \"REG_0\" value: 80 } "
         "value { key: \"REG_2\" value: 32 } "
         "value { key: \"REG_3\" value: 6 } }"),
        ("if_prefetch", "bool_value: false"),
    ]
    if variant != "no-params":
        dpu_attrs.append(("reg_id_to_parameter_value",
                          "map_string_2_bytes_value { value { key: \"%s\" "
                          "value { value: \"%s\" } } }"
                          % (params_key, esc(blob(70)))))
    sub = lambda k, v: "subg_attr { key: \"%s\" value { %s } }" % (k, v)
    cpu_device = ("" if variant == "no-device"
                  else sub("device", "string_value: \"CPU\""))
    cpu_child = ("  subg_child { subgraph_name: \"subgraph_out\" "
                 "op_name: \"out\" %s }" % cpu_device)
    root = "\n".join([
        "subg_root {",
        "  subgraph_name: \"root\"",
        "  subg_child { subgraph_name: \"subgraph_in\" op_name: \"in\" %s }"
        % sub("device", "string_value: \"USER\""),
        "  subg_child {",
        "    subgraph_name: \"subgraph_conv\"",
    ] + ["    " + sub(k, v) for k, v in dpu_attrs] + [
        "    subg_child { subgraph_name: \"subgraph_in_upload\" "
        "op_name: \"in_upload\" }",
        "    subg_child { subgraph_name: \"subgraph_conv_pool\" "
        "op_name: \"conv_w\" op_name: \"conv_b\" op_name: \"conv\" "
        "op_name: \"pool\" }",
        "    subg_child { subgraph_name: \"subgraph_pool_download\" "
        "op_name: \"pool_download\" }",
        "  }",
    ] + ([] if variant == "orphan" else [cpu_child]) + ["}"])
    print("# Generated by xmodel_dpu_tiny.py %s" % variant)
    print("graph_name: \"tiny\"")
    print("\n".join(ops))
    print(root)
    print("graph_attr { key: \"return_ops\" value { string_vec_value { "
          "value: \"out\" } } }")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "ok")

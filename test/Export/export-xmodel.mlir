// RUN: vai-translate --export-xmodel %s -o %t.xmodel
// RUN: %protoc -I%proto_dir --decode=serial_v2.Graph %xir_proto < %t.xmodel | FileCheck %s

// XIR conventions, as in Xilinx's own files: kernel and stride as [w, h],
// pad as [left, right, top, bottom], weights OHWI, int8 data as bytes.
// Stride is 2 down, 1 across. The 1x2 (h x w) kernel maps 1 input channel to 2 output channels with
// HWIO weights [[[[1, 2]], [[3, 4]]]]: OHWI order is 1, 3, 2, 4.

// CHECK: op_name: "x"
// CHECK-NEXT: op_type: "data-fix"
// CHECK: op_name: "w"
// CHECK-NEXT: op_type: "const-fix"
// CHECK: key: "data"
// CHECK-NEXT: value {
// CHECK-NEXT: bytes_value {
// CHECK-NEXT: value: "\001\003\002\004"
// CHECK: key: "shape"
// CHECK-NEXT: value {
// CHECK-NEXT: int32_vec_value {
// CHECK-NEXT: value: 2
// CHECK-NEXT: value: 1
// CHECK-NEXT: value: 2
// CHECK-NEXT: value: 1
// CHECK: op_name: "conv"
// CHECK-NEXT: op_type: "conv2d-fix"
// CHECK: key: "kernel"
// CHECK-NEXT: value {
// CHECK-NEXT: int32_vec_value {
// CHECK-NEXT: value: 2
// CHECK-NEXT: value: 1
// CHECK: key: "pad"
// CHECK-NEXT: value {
// CHECK-NEXT: int32_vec_value {
// CHECK-NEXT: value: 3
// CHECK-NEXT: value: 4
// CHECK-NEXT: value: 1
// CHECK-NEXT: value: 2
// CHECK: key: "stride"
// CHECK-NEXT: value {
// CHECK-NEXT: int32_vec_value {
// CHECK-NEXT: value: 1
// CHECK-NEXT: value: 2
// CHECK: args {
// CHECK-NEXT: arg_name: "input"
// CHECK-NEXT: arg_ops: "x"
// CHECK: args {
// CHECK-NEXT: arg_name: "weights"
// CHECK-NEXT: arg_ops: "w"
// CHECK: output_tensor {
// CHECK-NEXT: tensor_name: "conv"
// CHECK-NEXT: tensor_dim: 1
// CHECK: data_type: 2
// CHECK-NEXT: tensor_bit_width: 8
// CHECK: key: "fix_point"
// CHECK-NEXT: value {
// CHECK-NEXT: int32_value: 6
// CHECK: op_type: "fix2float"
// CHECK: subg_root {
// CHECK-NEXT: subgraph_name: "root"
// CHECK: subgraph_name: "subgraph_x"
// CHECK: subgraph_name: "subgraph_conv"
// CHECK: string_value: "DPU"
// CHECK: subgraph_name: "subgraph_out"
// CHECK: string_value: "CPU"
func.func @main(%x: tensor<1x8x8x1xf32> {tfg.name = "x"}) -> tensor<1x6x14x2xf32> {
  %q = quant.quantize %x : tensor<1x8x8x1xf32> -> tensor<1x8x8x1x!quant.fix<s8, 7>> loc("x")
  %y = dpu.subgraph "subgraph_conv" <DPU>(%q) {target = "DPUCZDX8G_ISA1_B4096", fingerprint = "0x101000016010407"} : (tensor<1x8x8x1x!quant.fix<s8, 7>>) -> tensor<1x6x14x2x!quant.fix<s8, 6>> {
  ^bb0(%in: tensor<1x8x8x1x!quant.fix<s8, 7>>):
    %w = quant.const dense<[[[[1, 2]], [[3, 4]]]]> : tensor<1x2x1x2xi8> -> tensor<1x2x1x2x!quant.fix<s8, 7>> loc("w")
    %c = dpu.conv %in, %w {strides = array<i64: 2, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 1, 2, 3, 4>, nonlinear = #quant.nonlinear<none>, shift_cut = 8 : si32, shift_bias = 0 : si32} : (tensor<1x8x8x1x!quant.fix<s8, 7>>, tensor<1x2x1x2x!quant.fix<s8, 7>>) -> tensor<1x6x14x2x!quant.fix<s8, 6>> loc("conv")
    dpu.yield %c : tensor<1x6x14x2x!quant.fix<s8, 6>>
  }
  %f = dpu.subgraph "subgraph_out" <CPU>(%y) : (tensor<1x6x14x2x!quant.fix<s8, 6>>) -> tensor<1x6x14x2xf32> {
  ^bb0(%in: tensor<1x6x14x2x!quant.fix<s8, 6>>):
    %d = quant.dequantize %in : tensor<1x6x14x2x!quant.fix<s8, 6>> -> tensor<1x6x14x2xf32> loc("out")
    dpu.yield %d : tensor<1x6x14x2xf32>
  }
  return %f : tensor<1x6x14x2xf32>
}

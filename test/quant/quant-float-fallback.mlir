// float-fallback (default on): ops with no fixed-point form stay float tfg
// ops marked quant.ignored with quant.float_reason, fed by quant.dequantize;
// a consumer in fixed point reads them back through quant.quantize at the
// op's calibrated position; an op feeding only the result is returned as is.
// RUN: vai-opt %s -split-input-file -quant-quantize | FileCheck %s
// RUN: not vai-opt %s -split-input-file -quant-quantize=float-fallback=false 2>&1 | FileCheck %s --check-prefix=OFF
// dpu-partition puts them on the CPU with the reason.
// RUN: vai-opt %s -split-input-file -quant-quantize -dpu-partition=arch=%examples/fashion_mnist/arch.json 2> %t.remarks | FileCheck %s --check-prefix=PART
// RUN: FileCheck %s --check-prefix=REMARK < %t.remarks

// A softmax at the end: dequantize, float softmax, returned without requantize.
// CHECK-LABEL: func.func @softmax_last
// CHECK: %[[X:.*]] = quant.quantize %arg0 : tensor<?x6xf32> -> tensor<?x6x!quant.fix<s8, 5>>
// CHECK: %[[M:.*]] = quant.matmul %[[X]]
// CHECK: %[[F:.*]] = quant.dequantize %[[M]] : tensor<?x4x!quant.fix<s8, 3>> -> tensor<?x4xf32>
// CHECK: %[[S:.*]] = tfg.softmax %[[F]] {quant.float_reason = "no fixed-point form", quant.ignored} : tensor<?x4xf32>
// CHECK-NOT: quant.quantize
// CHECK: return %[[S]]
// OFF: error: loc("probs"): cannot be quantized: no fixed-point form
// REMARK: remark: loc("probs"): runs on the CPU: no fixed-point form (left float)
// PART: dpu.subgraph "subgraph_fc" <DPU>
// PART: dpu.subgraph "subgraph_probs" <CPU>
// PART: tfg.softmax
func.func @softmax_last(%x: tensor<?x6xf32> {quant.fix_point = 5 : i32}) -> tensor<?x4xf32> {
  %w = tfg.const dense<0.25> : tensor<6x4xf32>
  %m = tfg.matmul %x, %w {quant.fix_point = 3 : i32} : (tensor<?x6xf32>, tensor<6x4xf32>) -> tensor<?x4xf32> loc("fc")
  %s = tfg.softmax %m {quant.fix_point = 7 : i32} : tensor<?x4xf32> loc("probs")
  return %s : tensor<?x4xf32>
}

// -----

// Sigmoid in the middle: requantized at its calibrated position 7 for the
// conv after it; a constant operand of a float op (sub) stays a tfg.const.
// CHECK-LABEL: func.func @sigmoid_middle
// CHECK: %[[X:.*]] = quant.quantize %arg0 {{.*}}!quant.fix<s8, 6>>
// CHECK: %[[C:.*]] = quant.conv2d %[[X]]
// CHECK: %[[F:.*]] = quant.dequantize %[[C]] : tensor<1x4x4x1x!quant.fix<s8, 4>> -> tensor<1x4x4x1xf32>
// CHECK: %[[S:.*]] = tfg.sigmoid %[[F]] {quant.float_reason = "no fixed-point form", quant.ignored} : tensor<1x4x4x1xf32>
// CHECK: %[[Q:.*]] = quant.quantize %[[S]] : tensor<1x4x4x1xf32> -> tensor<1x4x4x1x!quant.fix<s8, 7>>
// CHECK: %[[D:.*]] = quant.conv2d %[[Q]]
// CHECK: %[[G:.*]] = quant.dequantize %[[D]]
// CHECK: %[[K:.*]] = tfg.const dense<1.000000e+00>
// CHECK: tfg.sub %[[G]], %[[K]] {quant.float_reason = "no fixed-point form", quant.ignored}
// OFF: error: loc("sig"): cannot be quantized: no fixed-point form
// REMARK: remark: loc("sig"): runs on the CPU: no fixed-point form (left float)
// REMARK: remark: loc("minus1"): runs on the CPU: no fixed-point form (left float)
// PART: dpu.subgraph "subgraph_sig" <CPU>
// PART: tfg.sigmoid
// PART: quant.quantize
// PART: dpu.subgraph "subgraph_conv2" <DPU>
// PART: dpu.subgraph "subgraph_minus1" <CPU>
// PART-NEXT: ^bb0
// PART-NEXT: tfg.const
// PART-NEXT: quant.dequantize
// PART-NEXT: tfg.sub
func.func @sigmoid_middle(%x: tensor<1x4x4x1xf32> {quant.fix_point = 6 : i32}) -> tensor<1x4x4x1xf32> {
  %w = tfg.const dense<0.5> : tensor<1x1x1x1xf32>
  %c = tfg.conv2d %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, quant.fix_point = 4 : i32} : (tensor<1x4x4x1xf32>, tensor<1x1x1x1xf32>) -> tensor<1x4x4x1xf32> loc("conv1")
  %s = tfg.sigmoid %c {quant.fix_point = 7 : i32} : tensor<1x4x4x1xf32> loc("sig")
  %d = tfg.conv2d %s, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, quant.fix_point = 6 : i32} : (tensor<1x4x4x1xf32>, tensor<1x1x1x1xf32>) -> tensor<1x4x4x1xf32> loc("conv2")
  %one = tfg.const dense<1.0> : tensor<1xf32>
  %e = tfg.sub %d, %one {quant.fix_point = 5 : i32} : (tensor<1x4x4x1xf32>, tensor<1xf32>) -> tensor<1x4x4x1xf32> loc("minus1")
  return %e : tensor<1x4x4x1xf32>
}

// -----

// Transposed matmul (no quant form) stays float too.
// CHECK-LABEL: func.func @transposed_matmul
// CHECK: tfg.matmul {{.*}}quant.float_reason = "no fixed-point form", quant.ignored
// OFF: error: loc("fcT"): quantization of transposed matmul is not supported yet
func.func @transposed_matmul(%x: tensor<?x6xf32> {quant.fix_point = 5 : i32}) -> tensor<?x4xf32> {
  %w = tfg.const dense<0.25> : tensor<4x6xf32>
  %m = tfg.matmul %x, %w {transpose_b = true, quant.fix_point = 3 : i32} : (tensor<?x6xf32>, tensor<4x6xf32>) -> tensor<?x4xf32> loc("fcT")
  return %m : tensor<?x4xf32>
}

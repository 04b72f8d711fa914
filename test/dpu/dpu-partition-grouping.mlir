// RUN: vai-opt %s -split-input-file -pass-pipeline='builtin.module(func.func(dpu-partition{arch=%S/Inputs/b4096.json}))' 2>/dev/null | FileCheck %s
// RUN: vai-opt %s -split-input-file -pass-pipeline='builtin.module(func.func(dpu-partition{arch=%S/Inputs/b4096.json report=-}))' 2>/dev/null | FileCheck %s --check-prefix=REPORT
// RUN: vai-opt %s -split-input-file -pass-pipeline='builtin.module(func.func(dpu-partition{arch=%S/Inputs/b4096.json report=%t.txt}))' -o /dev/null 2>/dev/null
// Each split input file rewrites the report: the last function's is left.
// RUN: FileCheck %s --check-prefix=FILE --input-file %t.txt
// FILE: dpu-partition: chain for DPUCZDX8G_ISA1_B4096: 4 subgraphs (2 DPU)
// FILE-NEXT: subgraph_c1: DPU, 1 ops
// FILE-NEXT: subgraph_mult: CPU, 1 ops
// FILE-NEXT: mult (quant.depthwise_conv2d): depthwise channel multiplier 2 != 1
// FILE-NEXT: subgraph_c2: DPU, 1 ops
// RUN: not vai-opt %s -split-input-file -pass-pipeline='builtin.module(func.func(dpu-partition{arch=%S/Inputs/b4096.json report=%t.missing/r.txt}))' -o /dev/null 2>&1 | FileCheck %s --check-prefix=BADPATH
// BADPATH: error: dpu-partition: {{.*}}r.txt

// Two independent DPU branches interleaved in the block with a CPU op
// (a 2-channel-multiplier depthwise) that reads neither: in block order
// that is DPU, CPU, DPU (three subgraphs); grouped by dependence it is one
// DPU subgraph holding both branches and one CPU subgraph.
// CHECK-LABEL: func.func @interleaved
// CHECK: dpu.subgraph "subgraph_a" <DPU>
// CHECK-COUNT-2: dpu.conv
// CHECK: dpu.subgraph "subgraph_mult2" <CPU>
// CHECK-NOT: dpu.subgraph
// REPORT-LABEL: dpu-partition: interleaved for DPUCZDX8G_ISA1_B4096: 2 subgraphs (1 DPU)
// REPORT-NEXT: subgraph_a: DPU, 2 ops
// REPORT-NEXT: subgraph_mult2: CPU, 4 ops
// REPORT-NEXT: mult2 (quant.depthwise_conv2d): depthwise channel multiplier 2 != 1 on DPUCZDX8G_ISA1_B4096
func.func @interleaved(%x: tensor<1x4x4x4xf32>) -> (tensor<1x4x4x4xf32>, tensor<1x4x4x8xf32>, tensor<1x4x4x4xf32>) {
  %q = quant.quantize %x : tensor<1x4x4x4xf32> -> tensor<1x4x4x4x!quant.fix<s8, 7>>
  %w = quant.const dense<1> : tensor<1x1x4x4xi8> -> tensor<1x1x4x4x!quant.fix<s8, 7>>
  %a = quant.conv2d %q, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>} : (tensor<1x4x4x4x!quant.fix<s8, 7>>, tensor<1x1x4x4x!quant.fix<s8, 7>>) -> tensor<1x4x4x4x!quant.fix<s8, 6>> loc("a")
  %w2 = quant.const dense<1> : tensor<3x3x4x2xi8> -> tensor<3x3x4x2x!quant.fix<s8, 7>>
  %m = quant.depthwise_conv2d %q, %w2 {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>} : (tensor<1x4x4x4x!quant.fix<s8, 7>>, tensor<3x3x4x2x!quant.fix<s8, 7>>) -> tensor<1x4x4x8x!quant.fix<s8, 6>> loc("mult2")
  %b = quant.conv2d %q, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>} : (tensor<1x4x4x4x!quant.fix<s8, 7>>, tensor<1x1x4x4x!quant.fix<s8, 7>>) -> tensor<1x4x4x4x!quant.fix<s8, 6>> loc("b")
  %oa = quant.dequantize %a : tensor<1x4x4x4x!quant.fix<s8, 6>> -> tensor<1x4x4x4xf32>
  %om = quant.dequantize %m : tensor<1x4x4x8x!quant.fix<s8, 6>> -> tensor<1x4x4x8xf32>
  %ob = quant.dequantize %b : tensor<1x4x4x4x!quant.fix<s8, 6>> -> tensor<1x4x4x4xf32>
  return %oa, %om, %ob : tensor<1x4x4x4xf32>, tensor<1x4x4x8xf32>, tensor<1x4x4x4xf32>
}

// -----

// A chain DPU -> CPU -> DPU needs three subgraphs: the second conv reads
// the CPU op's result.
// CHECK-LABEL: func.func @chain
// CHECK: dpu.subgraph "subgraph_c1" <DPU>
// CHECK: dpu.subgraph "subgraph_mult" <CPU>
// CHECK: dpu.subgraph "subgraph_c2" <DPU>
// REPORT-LABEL: dpu-partition: chain for DPUCZDX8G_ISA1_B4096: 4 subgraphs (2 DPU)
func.func @chain(%x: tensor<1x4x4x4xf32>) -> tensor<1x4x4x8xf32> {
  %q = quant.quantize %x : tensor<1x4x4x4xf32> -> tensor<1x4x4x4x!quant.fix<s8, 7>>
  %w = quant.const dense<1> : tensor<1x1x4x4xi8> -> tensor<1x1x4x4x!quant.fix<s8, 7>>
  %c1 = quant.conv2d %q, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>} : (tensor<1x4x4x4x!quant.fix<s8, 7>>, tensor<1x1x4x4x!quant.fix<s8, 7>>) -> tensor<1x4x4x4x!quant.fix<s8, 6>> loc("c1")
  %w2 = quant.const dense<1> : tensor<3x3x4x2xi8> -> tensor<3x3x4x2x!quant.fix<s8, 7>>
  %m = quant.depthwise_conv2d %c1, %w2 {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>} : (tensor<1x4x4x4x!quant.fix<s8, 6>>, tensor<3x3x4x2x!quant.fix<s8, 7>>) -> tensor<1x4x4x8x!quant.fix<s8, 5>> loc("mult")
  %w3 = quant.const dense<1> : tensor<1x1x8x8xi8> -> tensor<1x1x8x8x!quant.fix<s8, 7>>
  %c2 = quant.conv2d %m, %w3 {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>} : (tensor<1x4x4x8x!quant.fix<s8, 5>>, tensor<1x1x8x8x!quant.fix<s8, 7>>) -> tensor<1x4x4x8x!quant.fix<s8, 4>> loc("c2")
  %o = quant.dequantize %c2 : tensor<1x4x4x8x!quant.fix<s8, 4>> -> tensor<1x4x4x8xf32>
  return %o : tensor<1x4x4x8xf32>
}

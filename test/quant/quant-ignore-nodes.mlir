// ignore-nodes: listed ops stay float tfg ops (marked quant.ignored), fed by
// quant.dequantize and read back through quant.quantize at their
// calibrated position.
// RUN: vai-opt %s -quant-quantize=ignore-nodes=add1 | FileCheck %s --check-prefix=IGNORE
// RUN: not vai-opt %s -quant-quantize="ignore-nodes=add1,nope,other" 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// RUN: not vai-opt %s -quant-quantize="ignore-nodes=x" 2>&1 | FileCheck %s --check-prefix=ARG
// The mixed function runs: float add between the fixed-point conv and max
// pool (checked against NumPy in quant-ignore-nodes-run.test).

// IGNORE-LABEL: func.func @main
// IGNORE: %[[X:.*]] = quant.quantize %arg0 {{.*}}!quant.fix<s8, 6>>
// IGNORE: %[[C:.*]] = quant.conv2d %[[X]]
// IGNORE: %[[F:.*]] = quant.dequantize %[[C]] : tensor<1x4x4x1x!quant.fix<s8, 5>> -> tensor<1x4x4x1xf32>
// IGNORE: %[[A:.*]] = tfg.add %[[F]], %[[F]] {quant.ignored} : (tensor<1x4x4x1xf32>, tensor<1x4x4x1xf32>) -> tensor<1x4x4x1xf32>
// IGNORE: %[[Q:.*]] = quant.quantize %[[A]] : tensor<1x4x4x1xf32> -> tensor<1x4x4x1x!quant.fix<s8, 4>>
// IGNORE: %[[P:.*]] = quant.max_pool %[[Q]]
// IGNORE: quant.dequantize %[[P]]
// UNKNOWN: error: quant-quantize: ignore-nodes: no node named 'nope', 'other' in the function
// ARG: error: quant-quantize: ignore-nodes: 'x' is a function input, not an op
func.func @main(%x: tensor<1x4x4x1xf32> {quant.fix_point = 6 : i32, tfg.name = "x"}) -> tensor<1x2x2x1xf32> {
  %w = tfg.const dense<0.5> : tensor<1x1x1x1xf32>
  %c = tfg.conv2d %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, quant.fix_point = 5 : i32} : (tensor<1x4x4x1xf32>, tensor<1x1x1x1xf32>) -> tensor<1x4x4x1xf32> loc("conv1")
  %a = tfg.add %c, %c {quant.fix_point = 4 : i32} : (tensor<1x4x4x1xf32>, tensor<1x4x4x1xf32>) -> tensor<1x4x4x1xf32> loc("add1")
  %p = tfg.max_pool %a {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, quant.fix_point = 4 : i32} : (tensor<1x4x4x1xf32>) -> tensor<1x2x2x1xf32> loc("pool")
  return %p : tensor<1x2x2x1xf32>
}


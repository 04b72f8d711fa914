// weight-bit, nodes-bit and nodes-method on quant-quantize (the weights of
// conv/depthwise/matmul nodes), and activation widths recorded by
// quant-calibrate as quant.bit_width.
// RUN: vai-opt %s -quant-quantize=weight-bit=4 | FileCheck %s --check-prefix=W4
// RUN: vai-opt %s -quant-quantize="nodes-bit=conv1:6 nodes-method=conv2:0" | FileCheck %s --check-prefix=NODES
// RUN: vai-opt %s -quant-quantize | FileCheck %s --check-prefix=DEFAULT
// RUN: not vai-opt %s -quant-quantize=weight-bit=16 2>&1 | FileCheck %s --check-prefix=W16
// RUN: not vai-opt %s -quant-quantize=weight-bit=1 2>&1 | FileCheck %s --check-prefix=W1
// RUN: not vai-opt %s -quant-quantize=nodes-bit=conv1:9 2>&1 | FileCheck %s --check-prefix=N9
// RUN: not vai-opt %s -quant-quantize=nodes-bit=conv1:4,conv9:4 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// RUN: not vai-opt %s -quant-quantize=nodes-bit=conv1 2>&1 | FileCheck %s --check-prefix=SYNTAX
// RUN: not vai-opt %s -quant-quantize=nodes-method=conv1:3 2>&1 | FileCheck %s --check-prefix=METHOD

// conv1's weights [0.5, -0.25]:
// - 4 bits: non-overflow floor(log2(7.5 / 0.5)) = 3, exact there (4, -2);
//   at 4, 0.5 * 16 = 8 saturates at 7, so min-diffs keeps 3.
// - 6 bits (nodes-bit=conv1:6): floor(log2(31.5 / 0.5)) = 5: 16, -8.
// conv2's weights [1.0, 0.1, 0.1, 0.1] at 8 bits:
// - method 1 (default): at 7, 1.0 saturates at 127 (error 2^-14 = 6.1e-5)
//   and 0.1 -> 13 (3 x (0.2 / 128)^2 = 7.3e-6), total 6.8e-5, below
//   position 6's 3 x (0.4 / 64)^2 = 1.2e-4: position 7, [127, 13, 13, 13].
// - method 0 (nodes-method=conv2:0): floor(log2(127.5)) = 6: [64, 6, 6, 6].
// conv1 carries quant.bit_width = 4 (an activation width from
// quant-calibrate): its output is s4; conv2 reads it as it is.
// W4-LABEL: func.func @main
// W4: quant.const dense<{{\[\[\[\[}}4, -2]]]]> : tensor<1x1x1x2xi8> -> tensor<1x1x1x2x!quant.fix<s4, 3>>
// W4: quant.conv2d {{.*}} -> tensor<1x4x4x2x!quant.fix<s4, 5>>
// W4: quant.const {{.*}}!quant.fix<s4,
// NODES-LABEL: func.func @main
// NODES: quant.const dense<{{\[\[\[\[}}16, -8]]]]> : tensor<1x1x1x2xi8> -> tensor<1x1x1x2x!quant.fix<s6, 5>>
// NODES: quant.conv2d {{.*}} -> tensor<1x4x4x2x!quant.fix<s4, 5>>
// NODES: quant.const dense<{{\[\[\[\[}}64, 6, 6, 6], [64, 6, 6, 6]]]]> : tensor<1x1x2x4xi8> -> tensor<1x1x2x4x!quant.fix<s8, 6>>
// NODES: quant.conv2d {{.*}} -> tensor<1x4x4x4x!quant.fix<s8, 3>>
// DEFAULT: quant.const dense<{{\[\[\[\[}}127, 13, 13, 13], [127, 13, 13, 13]]]]> : tensor<1x1x2x4xi8> -> tensor<1x1x2x4x!quant.fix<s8, 7>>
// W16: error: quant-quantize: weight-bit=16: 16-bit needs int16 kernels: not supported (2..8)
// W1: error: quant-quantize: weight-bit=1 is outside 2..8
// N9: error: quant-quantize: nodes-bit for 'conv1'=9: 16-bit needs int16 kernels: not supported (2..8)
// UNKNOWN: error: quant-quantize: nodes-bit: no node named 'conv9' in the function
// SYNTAX: error: quant-quantize: nodes-bit: expected 'name:value', got 'conv1'
// METHOD: error: quant-quantize: nodes-method: value 3 for 'conv1' is outside [0, 2]
func.func @main(%x: tensor<1x4x4x1xf32> {quant.fix_point = 6 : i32}) -> tensor<1x4x4x4xf32> {
  %w1 = tfg.const dense<[[[[0.5, -0.25]]]]> : tensor<1x1x1x2xf32>
  %c1 = tfg.conv2d %x, %w1 {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, quant.fix_point = 5 : i32, quant.bit_width = 4 : i32} : (tensor<1x4x4x1xf32>, tensor<1x1x1x2xf32>) -> tensor<1x4x4x2xf32> loc("conv1")
  %w2 = tfg.const dense<[[[[1.0, 0.1, 0.1, 0.1], [1.0, 0.1, 0.1, 0.1]]]]> : tensor<1x1x2x4xf32>
  %c2 = tfg.conv2d %c1, %w2 {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, quant.fix_point = 3 : i32} : (tensor<1x4x4x2xf32>, tensor<1x1x2x4xf32>) -> tensor<1x4x4x4xf32> loc("conv2")
  return %c2 : tensor<1x4x4x4xf32>
}

// Transposed convolutions (quant.conv2d_transpose) on the conv engine as
// dpu.conv_transpose, within the conv engine's limits of the target.
// RUN: vai-opt %s -split-input-file -pass-pipeline='builtin.module(func.func(dpu-partition{arch=%S/Inputs/b4096.json}))' 2>/dev/null | FileCheck %s --check-prefixes=CHECK,B4096
// RUN: vai-opt %s -split-input-file -pass-pipeline='builtin.module(func.func(dpu-partition{arch=%S/Inputs/b512.json}))' 2>/dev/null | FileCheck %s --check-prefixes=CHECK,B512
// RUN: vai-opt %s -split-input-file -pass-pipeline='builtin.module(func.func(dpu-partition{arch=%S/Inputs/no-leaky.json}))' 2>/dev/null | FileCheck %s --check-prefixes=CHECK,CUSTOM
// RUN: vai-opt %s -split-input-file -pass-pipeline='builtin.module(func.func(dpu-partition{arch=%S/Inputs/b4096.json}))' 2>&1 >/dev/null | FileCheck %s --check-prefix=REMARK-B4096 --implicit-check-not=remark
// RUN: vai-opt %s -split-input-file -pass-pipeline='builtin.module(func.func(dpu-partition{arch=%S/Inputs/b512.json}))' 2>&1 >/dev/null | FileCheck %s --check-prefix=REMARK-B512 --implicit-check-not=remark
// RUN: vai-opt %s -split-input-file -pass-pipeline='builtin.module(func.func(dpu-partition{arch=%S/Inputs/no-leaky.json}))' 2>&1 >/dev/null | FileCheck %s --check-prefix=REMARK-CUSTOM --implicit-check-not=remark

// A 2x2 stride-2 deconv with ReLU (pointpillars' deconv2) and the conv
// after it: one DPU subgraph on every target, shifts as for dpu.conv
// (shift_cut = 7 + 7 - 6, shift_bias = 7 + 7 - 6).
// CHECK-LABEL: func.func @k2s2
// CHECK: dpu.subgraph "subgraph_up" <DPU>
// CHECK-NOT: dpu.subgraph
// CHECK: %[[UP:.*]] = dpu.conv_transpose %{{.*}}, %{{.*}}, %{{.*}} {dilations = array<i64: 1, 1>, nonlinear = #quant.nonlinear<relu>, pad = array<i64: 0, 0, 0, 0>, shift_bias = 8 : si32, shift_cut = 8 : si32, strides = array<i64: 2, 2>} : (tensor<1x4x4x8x!quant.fix<s8, 7>>, tensor<2x2x8x4x!quant.fix<s8, 7>>, tensor<4x!quant.fix<s8, 6>>) -> tensor<1x8x8x4x!quant.fix<s8, 6>>
// CHECK: dpu.conv %[[UP]]
// CHECK: dpu.subgraph "subgraph_out" <CPU>
func.func @k2s2(%x: tensor<1x4x4x8xf32>) -> tensor<1x8x8x4xf32> {
  %q = quant.quantize %x : tensor<1x4x4x8xf32> -> tensor<1x4x4x8x!quant.fix<s8, 7>>
  %w = quant.const dense<1> : tensor<2x2x8x4xi8> -> tensor<2x2x8x4x!quant.fix<s8, 7>>
  %b = quant.const dense<1> : tensor<4xi8> -> tensor<4x!quant.fix<s8, 6>>
  %u = quant.conv2d_transpose %q, %w, %b {strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, nonlinear = #quant.nonlinear<relu>} : (tensor<1x4x4x8x!quant.fix<s8, 7>>, tensor<2x2x8x4x!quant.fix<s8, 7>>, tensor<4x!quant.fix<s8, 6>>) -> tensor<1x8x8x4x!quant.fix<s8, 6>> loc("up")
  %w2 = quant.const dense<1> : tensor<1x1x4x4xi8> -> tensor<1x1x4x4x!quant.fix<s8, 7>>
  %c = quant.conv2d %u, %w2 {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>} : (tensor<1x8x8x4x!quant.fix<s8, 6>>, tensor<1x1x4x4x!quant.fix<s8, 7>>) -> tensor<1x8x8x4x!quant.fix<s8, 5>> loc("conv")
  %d = quant.dequantize %c : tensor<1x8x8x4x!quant.fix<s8, 5>> -> tensor<1x8x8x4xf32> loc("out")
  return %d : tensor<1x8x8x4xf32>
}

// -----

// k = s = 4 (pointpillars' deconv3) and a cropping 3x3 stride-2 deconv
// (pad 1 <= kernel - 1) run on the DPU too.
// CHECK-LABEL: func.func @k4s4_crop
// CHECK: dpu.subgraph "subgraph_up4" <DPU>
// CHECK-NOT: dpu.subgraph
// CHECK: dpu.conv_transpose {{.*}}strides = array<i64: 4, 4>
// CHECK: dpu.conv_transpose {{.*}}pad = array<i64: 1, 1, 1, 1>{{.*}}strides = array<i64: 2, 2>
// CHECK: dpu.subgraph {{.*}} <CPU>
func.func @k4s4_crop(%x: tensor<1x2x2x8xf32>) -> (tensor<1x8x8x4xf32>, tensor<1x3x3x4xf32>) {
  %q = quant.quantize %x : tensor<1x2x2x8xf32> -> tensor<1x2x2x8x!quant.fix<s8, 7>>
  %w = quant.const dense<1> : tensor<4x4x8x4xi8> -> tensor<4x4x8x4x!quant.fix<s8, 7>>
  %u = quant.conv2d_transpose %q, %w {strides = array<i64: 4, 4>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>} : (tensor<1x2x2x8x!quant.fix<s8, 7>>, tensor<4x4x8x4x!quant.fix<s8, 7>>) -> tensor<1x8x8x4x!quant.fix<s8, 6>> loc("up4")
  %w3 = quant.const dense<1> : tensor<3x3x8x4xi8> -> tensor<3x3x8x4x!quant.fix<s8, 7>>
  %v = quant.conv2d_transpose %q, %w3 {strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>} : (tensor<1x2x2x8x!quant.fix<s8, 7>>, tensor<3x3x8x4x!quant.fix<s8, 7>>) -> tensor<1x3x3x4x!quant.fix<s8, 6>> loc("crop")
  %d = quant.dequantize %u : tensor<1x8x8x4x!quant.fix<s8, 6>> -> tensor<1x8x8x4xf32>
  %e = quant.dequantize %v : tensor<1x3x3x4x!quant.fix<s8, 6>> -> tensor<1x3x3x4xf32>
  return %d, %e : tensor<1x8x8x4xf32>, tensor<1x3x3x4xf32>
}

// -----

// Outside every DPUCZDX8G conv engine: an upsampling stride of 9 (> 8), a
// 17x17 kernel (> 16), and a crop of 2 rows by a 2x2 kernel (> kernel - 1).
// REMARK-B4096: remark: loc("s9"): runs on the CPU: transposed convolution: stride 9 outside [1, 8] on DPUCZDX8G_ISA1_B4096
// REMARK-B512: remark: loc("s9"): runs on the CPU: transposed convolution: stride 9 outside [1, 8] on DPUCZDX8G_ISA1_B512
// REMARK-CUSTOM: remark: loc("s9"): runs on the CPU: transposed convolution: stride 9 outside [1, 8] on CUSTOM_NO_LEAKY
// REMARK-B4096: remark: loc("k17"): runs on the CPU: transposed convolution: kernel 17 > 16 on DPUCZDX8G_ISA1_B4096
// REMARK-B512: remark: loc("k17"): runs on the CPU: transposed convolution: kernel 17 > 16 on DPUCZDX8G_ISA1_B512
// REMARK-CUSTOM: remark: loc("k17"): runs on the CPU: transposed convolution: kernel 17 > 16 on CUSTOM_NO_LEAKY
// REMARK-B4096: remark: loc("crop2"): runs on the CPU: transposed convolution: padding 2 exceeds (kernel - 1) * dilation on DPUCZDX8G_ISA1_B4096
// REMARK-B512: remark: loc("crop2"): runs on the CPU: transposed convolution: padding 2 exceeds (kernel - 1) * dilation on DPUCZDX8G_ISA1_B512
// REMARK-CUSTOM: remark: loc("crop2"): runs on the CPU: transposed convolution: padding 2 exceeds (kernel - 1) * dilation on CUSTOM_NO_LEAKY
// CHECK-LABEL: func.func @outside_limits
// CHECK-NOT: <DPU>
// CHECK: dpu.subgraph "subgraph_s9" <CPU>
// CHECK: quant.conv2d_transpose
// CHECK: quant.conv2d_transpose
// CHECK: quant.conv2d_transpose
// CHECK-NOT: <DPU>
// CHECK: return
func.func @outside_limits(%x: tensor<1x2x2x8xf32>) -> (tensor<1x18x18x4xf32>, tensor<1x18x18x4xf32>, tensor<1x2x2x4xf32>) {
  %q = quant.quantize %x : tensor<1x2x2x8xf32> -> tensor<1x2x2x8x!quant.fix<s8, 7>>
  %w9 = quant.const dense<1> : tensor<9x9x8x4xi8> -> tensor<9x9x8x4x!quant.fix<s8, 7>>
  %a = quant.conv2d_transpose %q, %w9 {strides = array<i64: 9, 9>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>} : (tensor<1x2x2x8x!quant.fix<s8, 7>>, tensor<9x9x8x4x!quant.fix<s8, 7>>) -> tensor<1x18x18x4x!quant.fix<s8, 6>> loc("s9")
  %w17 = quant.const dense<1> : tensor<17x17x8x4xi8> -> tensor<17x17x8x4x!quant.fix<s8, 7>>
  %b = quant.conv2d_transpose %q, %w17 {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>} : (tensor<1x2x2x8x!quant.fix<s8, 7>>, tensor<17x17x8x4x!quant.fix<s8, 7>>) -> tensor<1x18x18x4x!quant.fix<s8, 6>> loc("k17")
  %w2 = quant.const dense<1> : tensor<2x2x8x4xi8> -> tensor<2x2x8x4x!quant.fix<s8, 7>>
  %c = quant.conv2d_transpose %q, %w2 {strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pad = array<i64: 2, 0, 2, 0>} : (tensor<1x2x2x8x!quant.fix<s8, 7>>, tensor<2x2x8x4x!quant.fix<s8, 7>>) -> tensor<1x2x2x4x!quant.fix<s8, 6>> loc("crop2")
  %da = quant.dequantize %a : tensor<1x18x18x4x!quant.fix<s8, 6>> -> tensor<1x18x18x4xf32>
  %db = quant.dequantize %b : tensor<1x18x18x4x!quant.fix<s8, 6>> -> tensor<1x18x18x4xf32>
  %dc = quant.dequantize %c : tensor<1x2x2x4x!quant.fix<s8, 6>> -> tensor<1x2x2x4xf32>
  return %da, %db, %dc : tensor<1x18x18x4xf32>, tensor<1x18x18x4xf32>, tensor<1x2x2x4xf32>
}

// -----

// Leaky ReLU is a conv nonlinearity of the catalog targets; the inline
// custom target's conv engine lacks it.
// REMARK-CUSTOM: remark: loc("leakyup"): runs on the CPU: transposed convolution: nonlinearity leaky_relu is not supported by the conv engine of CUSTOM_NO_LEAKY
// CHECK-LABEL: func.func @leaky
// B4096: dpu.subgraph "subgraph_leakyup" <DPU>
// B4096: dpu.conv_transpose {{.*}}nonlinear = #quant.nonlinear<leaky_relu>
// B512: dpu.subgraph "subgraph_leakyup" <DPU>
// CUSTOM: dpu.subgraph "subgraph_leakyup" <CPU>
// CUSTOM: quant.conv2d_transpose
func.func @leaky(%x: tensor<1x4x4x8xf32>) -> tensor<1x8x8x4xf32> {
  %q = quant.quantize %x : tensor<1x4x4x8xf32> -> tensor<1x4x4x8x!quant.fix<s8, 7>>
  %w = quant.const dense<1> : tensor<2x2x8x4xi8> -> tensor<2x2x8x4x!quant.fix<s8, 7>>
  %u = quant.conv2d_transpose %q, %w {strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, nonlinear = #quant.nonlinear<leaky_relu>} : (tensor<1x4x4x8x!quant.fix<s8, 7>>, tensor<2x2x8x4x!quant.fix<s8, 7>>) -> tensor<1x8x8x4x!quant.fix<s8, 6>> loc("leakyup")
  %d = quant.dequantize %u : tensor<1x8x8x4x!quant.fix<s8, 6>> -> tensor<1x8x8x4xf32>
  return %d : tensor<1x8x8x4xf32>
}

// -----

// Bank depth and output channels: 3x3 over 2048 input channels needs
// 3*3*ceil(2048/16) = 1152 weight lines on B4096 but 3*3*256 = 2304 > 2048
// on B512 (and the custom target, 8 channels per line); 2049 output
// channels exceed 256 * 8 = 2048 on B512 but not 256 * 16 on B4096.
// REMARK-B512: remark: loc("deepup"): runs on the CPU: transposed convolution: weights of 3x3x2048 exceed the weight bank depth of DPUCZDX8G_ISA1_B512
// REMARK-CUSTOM: remark: loc("deepup"): runs on the CPU: transposed convolution: weights of 3x3x2048 exceed the weight bank depth of CUSTOM_NO_LEAKY
// REMARK-B512: remark: loc("wideup"): runs on the CPU: transposed convolution: 2049 output channels > 2048 on DPUCZDX8G_ISA1_B512
// REMARK-CUSTOM: remark: loc("wideup"): runs on the CPU: transposed convolution: 2049 output channels > 2048 on CUSTOM_NO_LEAKY
// CHECK-LABEL: func.func @banks
// B4096: dpu.subgraph "subgraph_deepup" <DPU>
// B4096-COUNT-2: dpu.conv_transpose
// B512: dpu.subgraph "subgraph_deepup" <CPU>
// B512-NOT: <DPU>
// CUSTOM-NOT: <DPU>
// CHECK: return
func.func @banks(%x: tensor<1x1x1x2048xf32>, %y: tensor<1x1x1x1xf32>) -> (tensor<1x3x3x8xf32>, tensor<1x2x2x2049xf32>) {
  %q = quant.quantize %x : tensor<1x1x1x2048xf32> -> tensor<1x1x1x2048x!quant.fix<s8, 7>>
  %w = quant.const dense<1> : tensor<3x3x2048x8xi8> -> tensor<3x3x2048x8x!quant.fix<s8, 7>>
  %u = quant.conv2d_transpose %q, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>} : (tensor<1x1x1x2048x!quant.fix<s8, 7>>, tensor<3x3x2048x8x!quant.fix<s8, 7>>) -> tensor<1x3x3x8x!quant.fix<s8, 6>> loc("deepup")
  %qy = quant.quantize %y : tensor<1x1x1x1xf32> -> tensor<1x1x1x1x!quant.fix<s8, 7>>
  %w2 = quant.const dense<1> : tensor<2x2x1x2049xi8> -> tensor<2x2x1x2049x!quant.fix<s8, 7>>
  %v = quant.conv2d_transpose %qy, %w2 {strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>} : (tensor<1x1x1x1x!quant.fix<s8, 7>>, tensor<2x2x1x2049x!quant.fix<s8, 7>>) -> tensor<1x2x2x2049x!quant.fix<s8, 6>> loc("wideup")
  %d = quant.dequantize %u : tensor<1x3x3x8x!quant.fix<s8, 6>> -> tensor<1x3x3x8xf32>
  %e = quant.dequantize %v : tensor<1x2x2x2049x!quant.fix<s8, 6>> -> tensor<1x2x2x2049xf32>
  return %d, %e : tensor<1x3x3x8xf32>, tensor<1x2x2x2049xf32>
}

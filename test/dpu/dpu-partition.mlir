// RUN: vai-opt %s -split-input-file -pass-pipeline='builtin.module(func.func(dpu-partition{arch=%S/Inputs/b4096.json}))' 2>/dev/null | FileCheck %s --check-prefixes=CHECK,B4096
// The fingerprint form names the same target and gives the same split.
// RUN: vai-opt %s -split-input-file -pass-pipeline='builtin.module(func.func(dpu-partition{arch=%S/Inputs/b4096-fingerprint.json}))' 2>/dev/null | FileCheck %s --check-prefixes=CHECK,B4096
// RUN: vai-opt %s -split-input-file -pass-pipeline='builtin.module(func.func(dpu-partition{arch=%S/Inputs/b512.json}))' 2>/dev/null | FileCheck %s --check-prefixes=CHECK,B512
// RUN: vai-opt %s -split-input-file -pass-pipeline='builtin.module(func.func(dpu-partition{arch=%S/Inputs/no-leaky.json}))' 2>/dev/null | FileCheck %s --check-prefixes=CHECK,CUSTOM
// Each CPU placement is explained by a remark naming the node and reason.
// RUN: vai-opt %s -split-input-file -pass-pipeline='builtin.module(func.func(dpu-partition{arch=%S/Inputs/b4096.json}))' 2>&1 >/dev/null | FileCheck %s --check-prefix=REMARK-B4096 --implicit-check-not=remark
// RUN: vai-opt %s -split-input-file -pass-pipeline='builtin.module(func.func(dpu-partition{arch=%S/Inputs/b512.json}))' 2>&1 >/dev/null | FileCheck %s --check-prefix=REMARK-B512 --implicit-check-not=remark
// RUN: vai-opt %s -split-input-file -pass-pipeline='builtin.module(func.func(dpu-partition{arch=%S/Inputs/no-leaky.json}))' 2>&1 >/dev/null | FileCheck %s --check-prefix=REMARK-CUSTOM --implicit-check-not=remark
// A target whose ALU has no "dwconv" and whose eltwise engine has no "mult".
// RUN: vai-opt %s -split-input-file -pass-pipeline='builtin.module(func.func(dpu-partition{arch=%S/Inputs/no-dwconv.json}))' 2>/dev/null | FileCheck %s --check-prefix=NODW
// RUN: vai-opt %s -split-input-file -pass-pipeline='builtin.module(func.func(dpu-partition{arch=%S/Inputs/no-dwconv.json}))' 2>&1 >/dev/null | FileCheck %s --check-prefix=REMARK-NODW

// Conv, pool: one DPU subgraph; leaving fixed point is the CPU's.
// CHECK-LABEL: func.func @conv_pool
// CHECK: %[[IN:.*]] = quant.quantize %arg0
// CHECK: %[[DPU:.*]] = dpu.subgraph "subgraph_conv1" <DPU>(%[[IN]])
// B4096-SAME: fingerprint = "0x101000016010407", target = "DPUCZDX8G_ISA1_B4096"
// B512-SAME: target = "DPUCZDX8G_ISA1_B512"
// CHECK: dpu.conv {{.*}}shift_bias = 8 : si32, shift_cut = 8 : si32
// CHECK: dpu.pool {{.*}}pool_type = #dpu.pool_type<max>
// CHECK: dpu.subgraph "subgraph_out" <CPU>(%[[DPU]])
// CHECK: quant.dequantize
func.func @conv_pool(%x: tensor<1x8x8x1xf32>) -> tensor<1x4x4x2xf32> {
  %q = quant.quantize %x : tensor<1x8x8x1xf32> -> tensor<1x8x8x1x!quant.fix<s8, 7>>
  %w = quant.const dense<1> : tensor<3x3x1x2xi8> -> tensor<3x3x1x2x!quant.fix<s8, 7>>
  %b = quant.const dense<1> : tensor<2xi8> -> tensor<2x!quant.fix<s8, 6>>
  %c = quant.conv2d %q, %w, %b {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, nonlinear = #quant.nonlinear<relu>} : (tensor<1x8x8x1x!quant.fix<s8, 7>>, tensor<3x3x1x2x!quant.fix<s8, 7>>, tensor<2x!quant.fix<s8, 6>>) -> tensor<1x8x8x2x!quant.fix<s8, 6>> loc("conv1")
  %p = quant.max_pool %c {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>} : (tensor<1x8x8x2x!quant.fix<s8, 6>>) -> tensor<1x4x4x2x!quant.fix<s8, 6>> loc("pool1")
  %d = quant.dequantize %p : tensor<1x4x4x2x!quant.fix<s8, 6>> -> tensor<1x4x4x2xf32> loc("out")
  return %d : tensor<1x4x4x2xf32>
}

// -----

// A 17x17 kernel exceeds every DPUCZDX8G conv engine: the conv runs on the
// CPU and the pool after it starts a new DPU subgraph.
// REMARK-B4096: remark: loc("big"): runs on the CPU: kernel 17 > 16 on DPUCZDX8G_ISA1_B4096
// REMARK-B512: remark: loc("big"): runs on the CPU: kernel 17 > 16 on DPUCZDX8G_ISA1_B512
// REMARK-CUSTOM: remark: loc("big"): runs on the CPU: kernel 17 > 16 on CUSTOM_NO_LEAKY
// CHECK-LABEL: func.func @kernel_17
// CHECK: dpu.subgraph "subgraph_big" <CPU>
// CHECK-NEXT: ^bb0
// CHECK: quant.conv2d
// CHECK: dpu.subgraph "subgraph_pool" <DPU>
// CHECK: dpu.pool
func.func @kernel_17(%x: tensor<1x17x17x1xf32>) -> tensor<1x1x1x2xf32> {
  %q = quant.quantize %x : tensor<1x17x17x1xf32> -> tensor<1x17x17x1x!quant.fix<s8, 7>>
  %w = quant.const dense<1> : tensor<17x17x1x2xi8> -> tensor<17x17x1x2x!quant.fix<s8, 7>>
  %c = quant.conv2d %q, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>} : (tensor<1x17x17x1x!quant.fix<s8, 7>>, tensor<17x17x1x2x!quant.fix<s8, 7>>) -> tensor<1x1x1x2x!quant.fix<s8, 6>> loc("big")
  %p = quant.max_pool %c {kernel = array<i64: 1, 1>, strides = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>} : (tensor<1x1x1x2x!quant.fix<s8, 6>>) -> tensor<1x1x1x2x!quant.fix<s8, 6>> loc("pool")
  %d = quant.dequantize %p : tensor<1x1x1x2x!quant.fix<s8, 6>> -> tensor<1x1x1x2xf32>
  return %d : tensor<1x1x1x2xf32>
}

// -----

// Leaky ReLU is a conv nonlinearity of the catalog targets, not of the
// custom one.
// REMARK-CUSTOM: remark: loc("leaky"): runs on the CPU: nonlinearity leaky_relu is not supported by the conv engine of CUSTOM_NO_LEAKY
// CHECK-LABEL: func.func @leaky
// B4096: dpu.subgraph "subgraph_leaky" <DPU>
// B512: dpu.subgraph "subgraph_leaky" <DPU>
// CUSTOM: dpu.subgraph "subgraph_leaky" <CPU>
func.func @leaky(%x: tensor<1x4x4x8xf32>) -> tensor<1x4x4x8xf32> {
  %q = quant.quantize %x : tensor<1x4x4x8xf32> -> tensor<1x4x4x8x!quant.fix<s8, 7>>
  %w = quant.const dense<1> : tensor<1x1x8x8xi8> -> tensor<1x1x8x8x!quant.fix<s8, 7>>
  %c = quant.conv2d %q, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, nonlinear = #quant.nonlinear<leaky_relu>} : (tensor<1x4x4x8x!quant.fix<s8, 7>>, tensor<1x1x8x8x!quant.fix<s8, 7>>) -> tensor<1x4x4x8x!quant.fix<s8, 6>> loc("leaky")
  %d = quant.dequantize %c : tensor<1x4x4x8x!quant.fix<s8, 6>> -> tensor<1x4x4x8xf32>
  return %d : tensor<1x4x4x8xf32>
}

// -----

// 3x3 over 2048 channels needs 3*3*ceil(2048/16) = 1152 weight lines on
// B4096 (16 input channels per line) but 3*3*256 = 2304 > 2048 on B512.
// REMARK-B512: remark: loc("deep"): runs on the CPU: weights of 3x3x2048 exceed the weight bank depth of DPUCZDX8G_ISA1_B512
// The custom target has 8 input channels per line too.
// REMARK-CUSTOM: remark: loc("deep"): runs on the CPU: weights of 3x3x2048 exceed the weight bank depth of CUSTOM_NO_LEAKY
// CHECK-LABEL: func.func @deep
// B4096: dpu.subgraph "subgraph_deep" <DPU>
// B512: dpu.subgraph "subgraph_deep" <CPU>
// CUSTOM: dpu.subgraph "subgraph_deep" <CPU>
func.func @deep(%x: tensor<1x3x3x2048xf32>) -> tensor<1x1x1x8xf32> {
  %q = quant.quantize %x : tensor<1x3x3x2048xf32> -> tensor<1x3x3x2048x!quant.fix<s8, 7>>
  %w = quant.const dense<1> : tensor<3x3x2048x8xi8> -> tensor<3x3x2048x8x!quant.fix<s8, 7>>
  %c = quant.conv2d %q, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>} : (tensor<1x3x3x2048x!quant.fix<s8, 7>>, tensor<3x3x2048x8x!quant.fix<s8, 7>>) -> tensor<1x1x1x8x!quant.fix<s8, 6>> loc("deep")
  %d = quant.dequantize %c : tensor<1x1x1x8x!quant.fix<s8, 6>> -> tensor<1x1x1x8xf32>
  return %d : tensor<1x1x1x8xf32>
}

// -----

// A dense layer runs as a 1x1 convolution over [N, 1, 1, K].
// CHECK-LABEL: func.func @dense
// CHECK: dpu.subgraph "subgraph_fc" <DPU>
// CHECK: %[[IN4D:.*]] = quant.reshape %{{.*}} : (tensor<?x4x!quant.fix<s8, 7>>) -> tensor<?x1x1x4x!quant.fix<s8, 7>>
// CHECK: %[[W:.*]] = quant.const dense<1> : tensor<1x1x4x3xi8> -> tensor<1x1x4x3x!quant.fix<s8, 7>>
// CHECK: %[[CONV:.*]] = dpu.conv %[[IN4D]], %[[W]]
// CHECK: quant.reshape %[[CONV]] : (tensor<?x1x1x3x!quant.fix<s8, 5>>) -> tensor<?x3x!quant.fix<s8, 5>>
func.func @dense(%x: tensor<?x4xf32>) -> tensor<?x3xf32> {
  %q = quant.quantize %x : tensor<?x4xf32> -> tensor<?x4x!quant.fix<s8, 7>>
  %w = quant.const dense<1> : tensor<4x3xi8> -> tensor<4x3x!quant.fix<s8, 7>>
  %m = quant.matmul %q, %w : (tensor<?x4x!quant.fix<s8, 7>>, tensor<4x3x!quant.fix<s8, 7>>) -> tensor<?x3x!quant.fix<s8, 5>> loc("fc")
  %d = quant.dequantize %m : tensor<?x3x!quant.fix<s8, 5>> -> tensor<?x3xf32>
  return %d : tensor<?x3xf32>
}

// -----

// Depthwise conv (ALU "dwconv"), channel concat (save engine) and a
// per-channel multiply (eltwise "mult") join the convolution's subgraph when
// the target has those engines.
// REMARK-NODW: remark: loc("dw"): runs on the CPU: depthwise convolution is not supported by the ALU of CUSTOM_NO_DWCONV
// REMARK-NODW: remark: loc("scale"): runs on the CPU: elementwise multiply is not supported by CUSTOM_NO_DWCONV
// CHECK-LABEL: func.func @dw_concat_mul
// B4096: dpu.subgraph "subgraph_pw" <DPU>
// B4096-NOT: dpu.subgraph
// B4096: %[[PW:.*]] = dpu.conv
// B4096: %[[DW:.*]] = dpu.dwconv %[[PW]], %{{.*}} {{.*}}nonlinear = #quant.nonlinear<relu6>, pad = array<i64: 1, 1, 1, 1>, shift_bias = 0 : si32, shift_cut = 7 : si32
// B4096: %[[CAT:.*]] = dpu.concat %[[PW]], %[[DW]] {axis = 3 : i64}
// B4096: dpu.elew_mul %[[CAT]], %{{.*}} : (tensor<1x4x4x16x!quant.fix<s8, 6>>, tensor<16x!quant.fix<s8, 7>>)
// B4096: dpu.subgraph "subgraph_out" <CPU>
// B512: dpu.subgraph "subgraph_pw" <DPU>
// B512-NOT: dpu.subgraph
// B512: dpu.elew_mul
// B512: dpu.subgraph "subgraph_out" <CPU>
// CUSTOM: dpu.subgraph "subgraph_pw" <DPU>
// CUSTOM-NOT: dpu.subgraph
// CUSTOM: dpu.elew_mul
// NODW-LABEL: func.func @dw_concat_mul
// NODW: dpu.subgraph "subgraph_pw" <DPU>
// NODW: dpu.subgraph "subgraph_dw" <CPU>
// NODW: dpu.subgraph "subgraph_cat" <DPU>
// NODW: dpu.subgraph "subgraph_scale" <CPU>
func.func @dw_concat_mul(%x: tensor<1x4x4x8xf32>) -> tensor<1x4x4x16xf32> {
  %q = quant.quantize %x : tensor<1x4x4x8xf32> -> tensor<1x4x4x8x!quant.fix<s8, 7>>
  %w = quant.const dense<1> : tensor<1x1x8x8xi8> -> tensor<1x1x8x8x!quant.fix<s8, 7>>
  %c = quant.conv2d %q, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, nonlinear = #quant.nonlinear<relu6>} : (tensor<1x4x4x8x!quant.fix<s8, 7>>, tensor<1x1x8x8x!quant.fix<s8, 7>>) -> tensor<1x4x4x8x!quant.fix<s8, 6>> loc("pw")
  %dw = quant.const dense<1> : tensor<3x3x8x1xi8> -> tensor<3x3x8x1x!quant.fix<s8, 7>>
  %d = quant.depthwise_conv2d %c, %dw {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, nonlinear = #quant.nonlinear<relu6>} : (tensor<1x4x4x8x!quant.fix<s8, 6>>, tensor<3x3x8x1x!quant.fix<s8, 7>>) -> tensor<1x4x4x8x!quant.fix<s8, 6>> loc("dw")
  %cat = quant.concat %c, %d {axis = 3 : i64} : (tensor<1x4x4x8x!quant.fix<s8, 6>>, tensor<1x4x4x8x!quant.fix<s8, 6>>) -> tensor<1x4x4x16x!quant.fix<s8, 6>> loc("cat")
  %s = quant.const dense<1> : tensor<16xi8> -> tensor<16x!quant.fix<s8, 7>>
  %m = quant.mul %cat, %s : (tensor<1x4x4x16x!quant.fix<s8, 6>>, tensor<16x!quant.fix<s8, 7>>) -> tensor<1x4x4x16x!quant.fix<s8, 6>> loc("scale")
  %o = quant.dequantize %m : tensor<1x4x4x16x!quant.fix<s8, 6>> -> tensor<1x4x4x16xf32> loc("out")
  return %o : tensor<1x4x4x16xf32>
}

// -----

// Outside the DPU's limits: a channel multiplier, depthwise weights beyond
// the ALU weight bank (3*3*ceil(1832/8) = 2061 > 2048 lines on B512, 1035 on
// B4096), a concat along H and a multiply broadcasting along W.
// REMARK-B4096: remark: loc("mult2"): runs on the CPU: depthwise channel multiplier 2 != 1 on DPUCZDX8G_ISA1_B4096
// REMARK-B512: remark: loc("mult2"): runs on the CPU: depthwise channel multiplier 2 != 1 on DPUCZDX8G_ISA1_B512
// REMARK-CUSTOM: remark: loc("mult2"): runs on the CPU: depthwise channel multiplier 2 != 1 on CUSTOM_NO_LEAKY
// REMARK-B512: remark: loc("wide"): runs on the CPU: depthwise weights of 3x3x1832 exceed the ALU weight bank depth of DPUCZDX8G_ISA1_B512
// REMARK-CUSTOM: remark: loc("wide"): runs on the CPU: depthwise weights of 3x3x1832 exceed the ALU weight bank depth of CUSTOM_NO_LEAKY
// REMARK-B4096: remark: loc("rows"): runs on the CPU: concat along axis 1 (not channels) on DPUCZDX8G_ISA1_B4096
// REMARK-B512: remark: loc("rows"): runs on the CPU: concat along axis 1 (not channels) on DPUCZDX8G_ISA1_B512
// REMARK-CUSTOM: remark: loc("rows"): runs on the CPU: concat along axis 1 (not channels) on CUSTOM_NO_LEAKY
// REMARK-B4096: remark: loc("bcast"): runs on the CPU: elementwise multiply broadcasts other than per channel on DPUCZDX8G_ISA1_B4096
// REMARK-B512: remark: loc("bcast"): runs on the CPU: elementwise multiply broadcasts other than per channel on DPUCZDX8G_ISA1_B512
// REMARK-CUSTOM: remark: loc("bcast"): runs on the CPU: elementwise multiply broadcasts other than per channel on CUSTOM_NO_LEAKY
// REMARK-B4096: remark: loc("pad16"): runs on the CPU: depthwise padding 16 outside [0, 15] on DPUCZDX8G_ISA1_B4096
// REMARK-B512: remark: loc("pad16"): runs on the CPU: depthwise padding 16 outside [0, 15] on DPUCZDX8G_ISA1_B512
// REMARK-CUSTOM: remark: loc("pad16"): runs on the CPU: depthwise padding 16 outside [0, 15] on CUSTOM_NO_LEAKY
// REMARK-B4096: remark: loc("leakydw"): runs on the CPU: nonlinearity leaky_relu is not supported by the ALU of DPUCZDX8G_ISA1_B4096
// REMARK-B512: remark: loc("leakydw"): runs on the CPU: nonlinearity leaky_relu is not supported by the ALU of DPUCZDX8G_ISA1_B512
// REMARK-CUSTOM: remark: loc("leakydw"): runs on the CPU: nonlinearity leaky_relu is not supported by the ALU of CUSTOM_NO_LEAKY
// On B4096 only "wide" runs on the DPU. The CPU ops before it in the block
// do not depend on it, and "rows" reads it, so one CPU subgraph after the
// DPU one holds all of them: two subgraphs, not three.
// CHECK-LABEL: func.func @outside_limits
// B4096: dpu.subgraph "subgraph_wide" <DPU>
// CHECK: dpu.subgraph "subgraph_mult2" <CPU>
// CHECK-NOT: dpu.subgraph
// CHECK: return
// B512-NOT: <DPU>
// CUSTOM-NOT: <DPU>
func.func @outside_limits(%x: tensor<1x3x3x4xf32>, %y: tensor<1x3x3x1832xf32>) -> (tensor<1x3x3x8xf32>, tensor<1x3x1x1832xf32>, tensor<1x3x3x4xf32>, tensor<1x19x19x4xf32>, tensor<1x3x3x4xf32>) {
  %q = quant.quantize %x : tensor<1x3x3x4xf32> -> tensor<1x3x3x4x!quant.fix<s8, 7>>
  %w2 = quant.const dense<1> : tensor<3x3x4x2xi8> -> tensor<3x3x4x2x!quant.fix<s8, 7>>
  %a = quant.depthwise_conv2d %q, %w2 {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>} : (tensor<1x3x3x4x!quant.fix<s8, 7>>, tensor<3x3x4x2x!quant.fix<s8, 7>>) -> tensor<1x3x3x8x!quant.fix<s8, 6>> loc("mult2")
  %qy = quant.quantize %y : tensor<1x3x3x1832xf32> -> tensor<1x3x3x1832x!quant.fix<s8, 7>>
  %ww = quant.const dense<1> : tensor<3x3x1832x1xi8> -> tensor<3x3x1832x1x!quant.fix<s8, 7>>
  %b = quant.depthwise_conv2d %qy, %ww {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>} : (tensor<1x3x3x1832x!quant.fix<s8, 7>>, tensor<3x3x1832x1x!quant.fix<s8, 7>>) -> tensor<1x1x1x1832x!quant.fix<s8, 6>> loc("wide")
  %cat = quant.concat %b, %b, %b {axis = 1 : i64} : (tensor<1x1x1x1832x!quant.fix<s8, 6>>, tensor<1x1x1x1832x!quant.fix<s8, 6>>, tensor<1x1x1x1832x!quant.fix<s8, 6>>) -> tensor<1x3x1x1832x!quant.fix<s8, 6>> loc("rows")
  %s = quant.const dense<1> : tensor<1x3x1x4xi8> -> tensor<1x3x1x4x!quant.fix<s8, 7>>
  %m = quant.mul %q, %s : (tensor<1x3x3x4x!quant.fix<s8, 7>>, tensor<1x3x1x4x!quant.fix<s8, 7>>) -> tensor<1x3x3x4x!quant.fix<s8, 6>> loc("bcast")
  %w17 = quant.const dense<1> : tensor<17x17x4x1xi8> -> tensor<17x17x4x1x!quant.fix<s8, 7>>
  %p16 = quant.depthwise_conv2d %q, %w17 {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 16, 16, 16, 16>} : (tensor<1x3x3x4x!quant.fix<s8, 7>>, tensor<17x17x4x1x!quant.fix<s8, 7>>) -> tensor<1x19x19x4x!quant.fix<s8, 6>> loc("pad16")
  %w3 = quant.const dense<1> : tensor<3x3x4x1xi8> -> tensor<3x3x4x1x!quant.fix<s8, 7>>
  %lk = quant.depthwise_conv2d %q, %w3 {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, nonlinear = #quant.nonlinear<leaky_relu>} : (tensor<1x3x3x4x!quant.fix<s8, 7>>, tensor<3x3x4x1x!quant.fix<s8, 7>>) -> tensor<1x3x3x4x!quant.fix<s8, 6>> loc("leakydw")
  %op = quant.dequantize %p16 : tensor<1x19x19x4x!quant.fix<s8, 6>> -> tensor<1x19x19x4xf32>
  %ol = quant.dequantize %lk : tensor<1x3x3x4x!quant.fix<s8, 6>> -> tensor<1x3x3x4xf32>
  %oa = quant.dequantize %a : tensor<1x3x3x8x!quant.fix<s8, 6>> -> tensor<1x3x3x8xf32>
  %ob = quant.dequantize %cat : tensor<1x3x1x1832x!quant.fix<s8, 6>> -> tensor<1x3x1x1832xf32>
  %om = quant.dequantize %m : tensor<1x3x3x4x!quant.fix<s8, 6>> -> tensor<1x3x3x4xf32>
  return %oa, %ob, %om, %op, %ol : tensor<1x3x3x8xf32>, tensor<1x3x1x1832xf32>, tensor<1x3x3x4xf32>, tensor<1x19x19x4xf32>, tensor<1x3x3x4xf32>
}

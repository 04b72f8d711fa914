// RUN: vai-opt %s | FileCheck %s
// RUN: vai-opt %s | vai-opt | FileCheck %s
// RUN: vai-opt %s -mlir-print-op-generic | vai-opt | FileCheck %s

// Round trips of every dpu op, #dpu.device and #dpu.pool_type. The device of
// a subgraph prints in its short form `<DPU>`.

// A DPU subgraph with target and fingerprint holding a convolution with bias:
// shift_cut = 6 + 7 - 4 = 9, shift_bias = 6 + 7 - 6 = 7.
// CHECK-LABEL: func.func @dpu_subgraph_conv_bias(
// CHECK-SAME: %[[INPUT:.*]]: tensor<?x28x28x1x!quant.fix<s8, 7>>)
func.func @dpu_subgraph_conv_bias(%x: tensor<?x28x28x1x!quant.fix<s8, 7>>)
    -> tensor<?x28x28x8x!quant.fix<s8, 4>> {
  // CHECK: %[[RESULT:.*]] = dpu.subgraph "subgraph_conv1" <DPU>(%[[INPUT]]) {fingerprint = "0x101000016010407", target = "DPUCZDX8G_ISA1_B4096"} : (tensor<?x28x28x1x!quant.fix<s8, 7>>) -> tensor<?x28x28x8x!quant.fix<s8, 4>> {
  // CHECK-NEXT: ^bb0(%[[IN:.*]]: tensor<?x28x28x1x!quant.fix<s8, 7>>):
  // CHECK-NEXT: %[[WEIGHTS:.*]] = quant.const dense<1> : tensor<3x3x1x8xi8> -> tensor<3x3x1x8x!quant.fix<s8, 6>>
  // CHECK-NEXT: %[[BIAS:.*]] = quant.const dense<[0, 1, 2, 3, 4, 5, 6, 7]> : tensor<8xi8> -> tensor<8x!quant.fix<s8, 6>>
  // CHECK-NEXT: %[[CONV:.*]] = dpu.conv %[[IN]], %[[WEIGHTS]], %[[BIAS]] {dilations = array<i64: 1, 1>, nonlinear = #quant.nonlinear<relu>, pad = array<i64: 1, 1, 1, 1>, shift_bias = 7 : si32, shift_cut = 9 : si32, strides = array<i64: 1, 1>} : (tensor<?x28x28x1x!quant.fix<s8, 7>>, tensor<3x3x1x8x!quant.fix<s8, 6>>, tensor<8x!quant.fix<s8, 6>>) -> tensor<?x28x28x8x!quant.fix<s8, 4>>
  // CHECK-NEXT: dpu.yield %[[CONV]] : tensor<?x28x28x8x!quant.fix<s8, 4>>
  // CHECK-NEXT: }
  // CHECK-NEXT: return %[[RESULT]]
  %y = dpu.subgraph "subgraph_conv1" #dpu.device<DPU> (%x)
         {target = "DPUCZDX8G_ISA1_B4096", fingerprint = "0x101000016010407"}
         : (tensor<?x28x28x1x!quant.fix<s8, 7>>) -> tensor<?x28x28x8x!quant.fix<s8, 4>> {
  ^bb0(%in: tensor<?x28x28x1x!quant.fix<s8, 7>>):
    %w = quant.const dense<1> : tensor<3x3x1x8xi8> -> tensor<3x3x1x8x!quant.fix<s8, 6>>
    %b = quant.const dense<[0, 1, 2, 3, 4, 5, 6, 7]> : tensor<8xi8> -> tensor<8x!quant.fix<s8, 6>>
    %r = dpu.conv %in, %w, %b {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>,
           pad = array<i64: 1, 1, 1, 1>, nonlinear = #quant.nonlinear<relu>,
           shift_cut = 9 : si32, shift_bias = 7 : si32}
         : (tensor<?x28x28x1x!quant.fix<s8, 7>>, tensor<3x3x1x8x!quant.fix<s8, 6>>,
            tensor<8x!quant.fix<s8, 6>>) -> tensor<?x28x28x8x!quant.fix<s8, 4>>
    dpu.yield %r : tensor<?x28x28x8x!quant.fix<s8, 4>>
  }
  return %y : tensor<?x28x28x8x!quant.fix<s8, 4>>
}

// Bias absent (shift_bias is then not checked against the types), a dense
// layer as a 1x1 convolution, and quant.reshape inside a DPU subgraph; the
// fingerprint is optional.
// CHECK-LABEL: func.func @dpu_subgraph_conv_no_bias(
// CHECK-SAME: %[[INPUT:.*]]: tensor<?x1x1x16x!quant.fix<s8, 5>>)
func.func @dpu_subgraph_conv_no_bias(%x: tensor<?x1x1x16x!quant.fix<s8, 5>>)
    -> tensor<?x10x!quant.fix<s8, 3>> {
  // CHECK: %[[RESULT:.*]] = dpu.subgraph "subgraph_dense" <DPU>(%[[INPUT]]) {target = "DPUCZDX8G_ISA1_B4096"} : (tensor<?x1x1x16x!quant.fix<s8, 5>>) -> tensor<?x10x!quant.fix<s8, 3>> {
  // CHECK-NEXT: ^bb0(%[[IN:.*]]: tensor<?x1x1x16x!quant.fix<s8, 5>>):
  // CHECK-NEXT: %[[WEIGHTS:.*]] = quant.const dense<-1> : tensor<1x1x16x10xi8> -> tensor<1x1x16x10x!quant.fix<s8, 7>>
  // CHECK-NEXT: %[[CONV:.*]] = dpu.conv %[[IN]], %[[WEIGHTS]] {dilations = array<i64: 1, 1>, nonlinear = #quant.nonlinear<none>, pad = array<i64: 0, 0, 0, 0>, shift_bias = 0 : si32, shift_cut = 9 : si32, strides = array<i64: 1, 1>} : (tensor<?x1x1x16x!quant.fix<s8, 5>>, tensor<1x1x16x10x!quant.fix<s8, 7>>) -> tensor<?x1x1x10x!quant.fix<s8, 3>>
  // CHECK-NEXT: %[[FLAT:.*]] = quant.reshape %[[CONV]] : (tensor<?x1x1x10x!quant.fix<s8, 3>>) -> tensor<?x10x!quant.fix<s8, 3>>
  // CHECK-NEXT: dpu.yield %[[FLAT]] : tensor<?x10x!quant.fix<s8, 3>>
  // CHECK-NEXT: }
  // CHECK-NEXT: return %[[RESULT]]
  %y = dpu.subgraph "subgraph_dense" #dpu.device<DPU> (%x)
         {target = "DPUCZDX8G_ISA1_B4096"}
         : (tensor<?x1x1x16x!quant.fix<s8, 5>>) -> tensor<?x10x!quant.fix<s8, 3>> {
  ^bb0(%in: tensor<?x1x1x16x!quant.fix<s8, 5>>):
    %w = quant.const dense<-1> : tensor<1x1x16x10xi8> -> tensor<1x1x16x10x!quant.fix<s8, 7>>
    %r = dpu.conv %in, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>,
           pad = array<i64: 0, 0, 0, 0>, nonlinear = #quant.nonlinear<none>,
           shift_cut = 9 : si32, shift_bias = 0 : si32}
         : (tensor<?x1x1x16x!quant.fix<s8, 5>>, tensor<1x1x16x10x!quant.fix<s8, 7>>)
         -> tensor<?x1x1x10x!quant.fix<s8, 3>>
    %f = quant.reshape %r : (tensor<?x1x1x10x!quant.fix<s8, 3>>) -> tensor<?x10x!quant.fix<s8, 3>>
    dpu.yield %f : tensor<?x10x!quant.fix<s8, 3>>
  }
  return %y : tensor<?x10x!quant.fix<s8, 3>>
}

// Both pool types, the elementwise engine, two inputs and two results.
// CHECK-LABEL: func.func @dpu_subgraph_pool_elew(
// CHECK-SAME: %[[LHS:.*]]: tensor<?x28x28x8x!quant.fix<s8, 4>>, %[[RHS:.*]]: tensor<?x28x28x8x!quant.fix<s8, 5>>)
func.func @dpu_subgraph_pool_elew(%a: tensor<?x28x28x8x!quant.fix<s8, 4>>,
                                  %b: tensor<?x28x28x8x!quant.fix<s8, 5>>)
    -> (tensor<?x14x14x8x!quant.fix<s8, 4>>, tensor<?x1x1x8x!quant.fix<s8, 6>>) {
  // CHECK: %[[RESULTS:.*]]:2 = dpu.subgraph "subgraph_pool" <DPU>(%[[LHS]], %[[RHS]]) {target = "DPUCZDX8G_ISA1_B4096"} : (tensor<?x28x28x8x!quant.fix<s8, 4>>, tensor<?x28x28x8x!quant.fix<s8, 5>>) -> (tensor<?x14x14x8x!quant.fix<s8, 4>>, tensor<?x1x1x8x!quant.fix<s8, 6>>) {
  // CHECK-NEXT: ^bb0(%[[IN_LHS:.*]]: tensor<?x28x28x8x!quant.fix<s8, 4>>, %[[IN_RHS:.*]]: tensor<?x28x28x8x!quant.fix<s8, 5>>):
  // CHECK-NEXT: %[[SUM:.*]] = dpu.elew %[[IN_LHS]], %[[IN_RHS]] {nonlinear = #quant.nonlinear<relu>} : (tensor<?x28x28x8x!quant.fix<s8, 4>>, tensor<?x28x28x8x!quant.fix<s8, 5>>) -> tensor<?x28x28x8x!quant.fix<s8, 4>>
  // CHECK-NEXT: %[[MAX:.*]] = dpu.pool %[[SUM]] {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, pool_type = #dpu.pool_type<max>, strides = array<i64: 2, 2>} : (tensor<?x28x28x8x!quant.fix<s8, 4>>) -> tensor<?x14x14x8x!quant.fix<s8, 4>>
  // CHECK-NEXT: %[[AVG:.*]] = dpu.pool %[[MAX]] {kernel = array<i64: 14, 14>, pad = array<i64: 0, 0, 0, 0>, pool_type = #dpu.pool_type<avg>, strides = array<i64: 1, 1>} : (tensor<?x14x14x8x!quant.fix<s8, 4>>) -> tensor<?x1x1x8x!quant.fix<s8, 6>>
  // CHECK-NEXT: dpu.yield %[[MAX]], %[[AVG]] : tensor<?x14x14x8x!quant.fix<s8, 4>>, tensor<?x1x1x8x!quant.fix<s8, 6>>
  // CHECK-NEXT: }
  // CHECK-NEXT: return %[[RESULTS]]#0, %[[RESULTS]]#1
  %r:2 = dpu.subgraph "subgraph_pool" #dpu.device<DPU> (%a, %b)
         {target = "DPUCZDX8G_ISA1_B4096"}
         : (tensor<?x28x28x8x!quant.fix<s8, 4>>, tensor<?x28x28x8x!quant.fix<s8, 5>>)
         -> (tensor<?x14x14x8x!quant.fix<s8, 4>>, tensor<?x1x1x8x!quant.fix<s8, 6>>) {
  ^bb0(%l: tensor<?x28x28x8x!quant.fix<s8, 4>>, %m: tensor<?x28x28x8x!quant.fix<s8, 5>>):
    %s = dpu.elew %l, %m {nonlinear = #quant.nonlinear<relu>}
         : (tensor<?x28x28x8x!quant.fix<s8, 4>>, tensor<?x28x28x8x!quant.fix<s8, 5>>)
         -> tensor<?x28x28x8x!quant.fix<s8, 4>>
    %p = dpu.pool %s {pool_type = #dpu.pool_type<max>, kernel = array<i64: 2, 2>,
           strides = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>}
         : (tensor<?x28x28x8x!quant.fix<s8, 4>>) -> tensor<?x14x14x8x!quant.fix<s8, 4>>
    %q = dpu.pool %p {pool_type = #dpu.pool_type<avg>, kernel = array<i64: 14, 14>,
           strides = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>}
         : (tensor<?x14x14x8x!quant.fix<s8, 4>>) -> tensor<?x1x1x8x!quant.fix<s8, 6>>
    dpu.yield %p, %q : tensor<?x14x14x8x!quant.fix<s8, 4>>, tensor<?x1x1x8x!quant.fix<s8, 6>>
  }
  return %r#0, %r#1 : tensor<?x14x14x8x!quant.fix<s8, 4>>, tensor<?x1x1x8x!quant.fix<s8, 6>>
}

// The other devices: a USER subgraph quantizing the model input (float in,
// no target), and a CPU subgraph holding quant ops the DPU cannot run.
// CHECK-LABEL: func.func @user_and_cpu_subgraphs(
// CHECK-SAME: %[[IMAGE:.*]]: tensor<?x10xf32>)
func.func @user_and_cpu_subgraphs(%x: tensor<?x10xf32>) -> tensor<?x10xf32> {
  // CHECK: %[[FIXED:.*]] = dpu.subgraph "subgraph_input" <USER>(%[[IMAGE]]) : (tensor<?x10xf32>) -> tensor<?x10x!quant.fix<s8, 3>> {
  // CHECK-NEXT: ^bb0(%[[IN:.*]]: tensor<?x10xf32>):
  // CHECK-NEXT: %[[Q:.*]] = quant.quantize %[[IN]] : tensor<?x10xf32> -> tensor<?x10x!quant.fix<s8, 3>>
  // CHECK-NEXT: dpu.yield %[[Q]] : tensor<?x10x!quant.fix<s8, 3>>
  // CHECK-NEXT: }
  // CHECK: %[[FLOAT:.*]] = dpu.subgraph "subgraph_softmax" <CPU>(%[[FIXED]]) : (tensor<?x10x!quant.fix<s8, 3>>) -> tensor<?x10xf32> {
  // CHECK-NEXT: ^bb0(%[[IN2:.*]]: tensor<?x10x!quant.fix<s8, 3>>):
  // CHECK-NEXT: %[[SUM:.*]] = quant.add %[[IN2]], %[[IN2]] {nonlinear = #quant.nonlinear<relu>} : (tensor<?x10x!quant.fix<s8, 3>>, tensor<?x10x!quant.fix<s8, 3>>) -> tensor<?x10x!quant.fix<s8, 3>>
  // CHECK-NEXT: %[[DQ:.*]] = quant.dequantize %[[SUM]] : tensor<?x10x!quant.fix<s8, 3>> -> tensor<?x10xf32>
  // CHECK-NEXT: dpu.yield %[[DQ]] : tensor<?x10xf32>
  // CHECK-NEXT: }
  // CHECK-NEXT: return %[[FLOAT]]
  %q = dpu.subgraph "subgraph_input" #dpu.device<USER> (%x)
         : (tensor<?x10xf32>) -> tensor<?x10x!quant.fix<s8, 3>> {
  ^bb0(%in: tensor<?x10xf32>):
    %r = quant.quantize %in : tensor<?x10xf32> -> tensor<?x10x!quant.fix<s8, 3>>
    dpu.yield %r : tensor<?x10x!quant.fix<s8, 3>>
  }
  %f = dpu.subgraph "subgraph_softmax" #dpu.device<CPU> (%q)
         : (tensor<?x10x!quant.fix<s8, 3>>) -> tensor<?x10xf32> {
  ^bb0(%in: tensor<?x10x!quant.fix<s8, 3>>):
    %s = quant.add %in, %in {nonlinear = #quant.nonlinear<relu>}
         : (tensor<?x10x!quant.fix<s8, 3>>, tensor<?x10x!quant.fix<s8, 3>>)
         -> tensor<?x10x!quant.fix<s8, 3>>
    %d = quant.dequantize %s : tensor<?x10x!quant.fix<s8, 3>> -> tensor<?x10xf32>
    dpu.yield %d : tensor<?x10xf32>
  }
  return %f : tensor<?x10xf32>
}

// A subgraph without results: its empty `dpu.yield` may be left out (it is
// inserted by the parser and elided by the printer), also in the short
// `<CPU>` spelling of the device.
// CHECK-LABEL: func.func @implicit_yield(
// CHECK-SAME: %[[INPUT:.*]]: tensor<4x!quant.fix<s8, 0>>)
func.func @implicit_yield(%x: tensor<4x!quant.fix<s8, 0>>) {
  // CHECK: dpu.subgraph "sink_explicit" <CPU>(%[[INPUT]]) : (tensor<4x!quant.fix<s8, 0>>) -> () {
  // CHECK-NEXT: ^bb0(%{{.*}}: tensor<4x!quant.fix<s8, 0>>):
  // CHECK-NEXT: }
  // CHECK: dpu.subgraph "sink_implicit" <CPU>(%[[INPUT]]) : (tensor<4x!quant.fix<s8, 0>>) -> () {
  // CHECK-NEXT: ^bb0(%{{.*}}: tensor<4x!quant.fix<s8, 0>>):
  // CHECK-NEXT: }
  // CHECK-NEXT: return
  dpu.subgraph "sink_explicit" #dpu.device<CPU> (%x) : (tensor<4x!quant.fix<s8, 0>>) -> () {
  ^bb0(%in: tensor<4x!quant.fix<s8, 0>>):
    dpu.yield
  }
  dpu.subgraph "sink_implicit" <CPU> (%x) : (tensor<4x!quant.fix<s8, 0>>) -> () {
  ^bb0(%in: tensor<4x!quant.fix<s8, 0>>):
  }
  return
}

// The ALU depthwise layer, the save engine's channel concat and the
// eltwise engine's per-channel multiply.
// CHECK-LABEL: func.func @dwconv_concat_mul(
// CHECK: %[[DW:.*]] = dpu.dwconv %{{.*}}, %{{.*}} {dilations = array<i64: 1, 1>, nonlinear = #quant.nonlinear<relu6>, pad = array<i64: 1, 1, 1, 1>, shift_bias = 0 : si32, shift_cut = 7 : si32, strides = array<i64: 1, 1>}
// CHECK: %[[CAT:.*]] = dpu.concat %{{.*}}, %[[DW]] {axis = 3 : i64}
// CHECK: dpu.elew_mul %[[CAT]], %{{.*}} : (tensor<?x4x4x16x!quant.fix<s8, 6>>, tensor<16x!quant.fix<s8, 7>>) -> tensor<?x4x4x16x!quant.fix<s8, 6>>
func.func @dwconv_concat_mul(%x: tensor<?x4x4x8x!quant.fix<s8, 6>>)
    -> tensor<?x4x4x16x!quant.fix<s8, 6>> {
  %r = dpu.subgraph "subgraph_dw" #dpu.device<DPU> (%x)
         {target = "DPUCZDX8G_ISA1_B4096"}
         : (tensor<?x4x4x8x!quant.fix<s8, 6>>) -> tensor<?x4x4x16x!quant.fix<s8, 6>> {
  ^bb0(%a: tensor<?x4x4x8x!quant.fix<s8, 6>>):
    %w = quant.const dense<1> : tensor<3x3x8x1xi8> -> tensor<3x3x8x1x!quant.fix<s8, 7>>
    %d = dpu.dwconv %a, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>,
           pad = array<i64: 1, 1, 1, 1>, nonlinear = #quant.nonlinear<relu6>,
           shift_cut = 7 : si32, shift_bias = 0 : si32}
         : (tensor<?x4x4x8x!quant.fix<s8, 6>>, tensor<3x3x8x1x!quant.fix<s8, 7>>) -> tensor<?x4x4x8x!quant.fix<s8, 6>>
    %c = dpu.concat %a, %d {axis = 3 : i64}
         : (tensor<?x4x4x8x!quant.fix<s8, 6>>, tensor<?x4x4x8x!quant.fix<s8, 6>>) -> tensor<?x4x4x16x!quant.fix<s8, 6>>
    %s = quant.const dense<1> : tensor<16xi8> -> tensor<16x!quant.fix<s8, 7>>
    %m = dpu.elew_mul %c, %s
         : (tensor<?x4x4x16x!quant.fix<s8, 6>>, tensor<16x!quant.fix<s8, 7>>) -> tensor<?x4x4x16x!quant.fix<s8, 6>>
    dpu.yield %m : tensor<?x4x4x16x!quant.fix<s8, 6>>
  }
  return %r : tensor<?x4x4x16x!quant.fix<s8, 6>>
}

// A transposed convolution on the conv engine (shift_cut = 5 + 7 - 4 = 8,
// shift_bias = 5 + 7 - 6 = 6; 4x4 -> (4 - 1) * 2 + 2 = 8), in a subgraph whose
// DDR is allocated: regions, an input placement and per-tensor placements.
// CHECK-LABEL: func.func @conv_transpose_placed(
// CHECK: dpu.subgraph "subgraph_deconv" <DPU>(%{{.*}}) {input_placements = [#dpu.placement<reg = 2, addr = 0, stride = [128, 32, 8, 1]>], regions = [#dpu.region<id = 0, kind = const, size = 4096>, #dpu.region<id = 2, kind = interface, size = 128>, #dpu.region<id = 3, kind = interface, size = 256>], target = "DPUCZDX8G_ISA1_B4096"}
// CHECK: quant.const dense<1> : tensor<2x2x8x4xi8> {dpu.placement = #dpu.placement<reg = 0, addr = 0>}
// CHECK: quant.const dense<1> : tensor<4xi8> {dpu.placement = #dpu.placement<reg = 0, addr = 64>}
// CHECK: dpu.conv_transpose %{{.*}}, %{{.*}}, %{{.*}} {dilations = array<i64: 1, 1>, dpu.placement = #dpu.placement<reg = 3, addr = 0, stride = [256, 32, 4, 1]>, nonlinear = #quant.nonlinear<none>, pad = array<i64: 0, 0, 0, 0>, shift_bias = 6 : si32, shift_cut = 8 : si32, strides = array<i64: 2, 2>}
func.func @conv_transpose_placed(%x: tensor<1x4x4x8x!quant.fix<s8, 5>>)
    -> tensor<1x8x8x4x!quant.fix<s8, 4>> {
  %r = dpu.subgraph "subgraph_deconv" #dpu.device<DPU> (%x)
         {target = "DPUCZDX8G_ISA1_B4096",
          regions = [#dpu.region<id = 0, kind = const, size = 4096>,
                     #dpu.region<id = 2, kind = interface, size = 128>,
                     #dpu.region<id = 3, kind = interface, size = 256>],
          input_placements = [#dpu.placement<reg = 2, addr = 0, stride = [128, 32, 8, 1]>]}
         : (tensor<1x4x4x8x!quant.fix<s8, 5>>) -> tensor<1x8x8x4x!quant.fix<s8, 4>> {
  ^bb0(%a: tensor<1x4x4x8x!quant.fix<s8, 5>>):
    %w = quant.const dense<1> : tensor<2x2x8x4xi8>
           {dpu.placement = #dpu.placement<reg = 0, addr = 0>} -> tensor<2x2x8x4x!quant.fix<s8, 7>>
    %b = quant.const dense<1> : tensor<4xi8>
           {dpu.placement = #dpu.placement<reg = 0, addr = 64>} -> tensor<4x!quant.fix<s8, 6>>
    %d = dpu.conv_transpose %a, %w, %b {strides = array<i64: 2, 2>,
           dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>,
           nonlinear = #quant.nonlinear<none>, shift_cut = 8 : si32,
           shift_bias = 6 : si32,
           dpu.placement = #dpu.placement<reg = 3, addr = 0, on_chip = false, stride = [256, 32, 4, 1]>}
         : (tensor<1x4x4x8x!quant.fix<s8, 5>>, tensor<2x2x8x4x!quant.fix<s8, 7>>,
            tensor<4x!quant.fix<s8, 6>>) -> tensor<1x8x8x4x!quant.fix<s8, 4>>
    dpu.yield %d : tensor<1x8x8x4x!quant.fix<s8, 4>>
  }
  return %r : tensor<1x8x8x4x!quant.fix<s8, 4>>
}

// A tensor kept on chip may name a region its subgraph does not list (vai_c
// gives the PFN conv's output REG_1 in a subgraph without REG_1): only DDR
// placements are checked against the regions.
// CHECK-LABEL: func.func @on_chip_placement(
// CHECK: quant.const dense<1> : tensor<4xi8> {dpu.placement = #dpu.placement<reg = 1, addr = 0, on_chip = true>}
func.func @on_chip_placement(%x: tensor<4x!quant.fix<s8, 0>>) {
  dpu.subgraph "s" #dpu.device<DPU> (%x) {target = "DPUCZDX8G_ISA1_B4096",
      regions = [#dpu.region<id = 0, kind = const, size = 64>]}
      : (tensor<4x!quant.fix<s8, 0>>) -> () {
  ^bb0(%a: tensor<4x!quant.fix<s8, 0>>):
    %w = quant.const dense<1> : tensor<4xi8>
           {dpu.placement = #dpu.placement<reg = 1, addr = 0, on_chip = true>} -> tensor<4x!quant.fix<s8, 7>>
    dpu.yield
  }
  return
}

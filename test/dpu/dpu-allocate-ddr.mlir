// RUN: vai-opt %s -split-input-file -dpu-allocate-ddr | FileCheck %s
// RUN: vai-opt %s -split-input-file -dpu-allocate-ddr=param-align=32 | FileCheck %s --check-prefix=PACKED

// Constants, layer by layer with the bias first (vai_c 3.0). 4096 alignment:
// b1 (16 B) at 0, w1 (3*3*8*16 = 1152 B) at 4096, ends at 5248; b2 (4 B) at
// 8192; w2 (1*1*16*4 = 64 B) at 12288, ends at 12352 -> REG_0 16384.
// 32-byte alignment (vai_c 2.5): b1 at 0, w1 at 32 (ends 1184), b2 at 1184,
// w2 at 1216 (1188 rounded), ends at 1280 -> REG_0 1280.
// Feature maps: the input 8*8*8 = 512 B in REG_2, conv1's 8*8*16 = 1024 B in
// REG_1 with NHWC strides [1024, 128, 16, 1], conv2's 8*8*4 = 256 B in REG_3.
// CHECK-LABEL: func.func @const_alignment(
// CHECK: dpu.subgraph "subgraph_conv1" <DPU>(%{{.*}}) {fingerprint = "0x101000016010407", input_placements = [#dpu.placement<reg = 2, addr = 0, stride = [512, 64, 8, 1]>], regions = [#dpu.region<id = 0, kind = const, size = 16384>, #dpu.region<id = 1, kind = workspace, size = 1024>, #dpu.region<id = 2, kind = interface, size = 512>, #dpu.region<id = 3, kind = interface, size = 256>]
// CHECK: %[[W1:.*]] = quant.const {{.*}} {dpu.placement = #dpu.placement<reg = 0, addr = 4096>} -> tensor<3x3x8x16
// CHECK: %[[B1:.*]] = quant.const {{.*}} {dpu.placement = #dpu.placement<reg = 0, addr = 0>} -> tensor<16x
// CHECK: %[[W2:.*]] = quant.const {{.*}} {dpu.placement = #dpu.placement<reg = 0, addr = 12288>} -> tensor<1x1x16x4
// CHECK: %[[B2:.*]] = quant.const {{.*}} {dpu.placement = #dpu.placement<reg = 0, addr = 8192>} -> tensor<4x
// CHECK: dpu.conv %{{.*}}, %[[W1]], %[[B1]] {dilations = array<i64: 1, 1>, dpu.placement = #dpu.placement<reg = 1, addr = 0, stride = [1024, 128, 16, 1]>
// CHECK: dpu.conv %{{.*}}, %[[W2]], %[[B2]] {dilations = array<i64: 1, 1>, dpu.placement = #dpu.placement<reg = 3, addr = 0, stride = [256, 32, 4, 1]>
// PACKED-LABEL: func.func @const_alignment(
// PACKED: regions = [#dpu.region<id = 0, kind = const, size = 1280>,
// PACKED: quant.const {{.*}} {dpu.placement = #dpu.placement<reg = 0, addr = 32>} -> tensor<3x3x8x16
// PACKED: quant.const {{.*}} {dpu.placement = #dpu.placement<reg = 0, addr = 0>} -> tensor<16x
// PACKED: quant.const {{.*}} {dpu.placement = #dpu.placement<reg = 0, addr = 1216>} -> tensor<1x1x16x4
// PACKED: quant.const {{.*}} {dpu.placement = #dpu.placement<reg = 0, addr = 1184>} -> tensor<4x
!in = tensor<1x8x8x8x!quant.fix<s8, 0>>
!mid = tensor<1x8x8x16x!quant.fix<s8, 0>>
!out = tensor<1x8x8x4x!quant.fix<s8, 0>>
func.func @const_alignment(%x: !in) -> !out {
  %r = dpu.subgraph "subgraph_conv1" #dpu.device<DPU> (%x)
         {target = "DPUCZDX8G_ISA1_B4096", fingerprint = "0x101000016010407"}
         : (!in) -> !out {
  ^bb0(%a: !in):
    %w1 = quant.const dense<1> : tensor<3x3x8x16xi8> -> tensor<3x3x8x16x!quant.fix<s8, 0>>
    %b1 = quant.const dense<1> : tensor<16xi8> -> tensor<16x!quant.fix<s8, 0>>
    %w2 = quant.const dense<1> : tensor<1x1x16x4xi8> -> tensor<1x1x16x4x!quant.fix<s8, 0>>
    %b2 = quant.const dense<1> : tensor<4xi8> -> tensor<4x!quant.fix<s8, 0>>
    %c1 = dpu.conv %a, %w1, %b1 {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>,
            pad = array<i64: 1, 1, 1, 1>, nonlinear = #quant.nonlinear<relu>,
            shift_cut = 0 : si32, shift_bias = 0 : si32}
          : (!in, tensor<3x3x8x16x!quant.fix<s8, 0>>, tensor<16x!quant.fix<s8, 0>>) -> !mid
    %c2 = dpu.conv %c1, %w2, %b2 {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>,
            pad = array<i64: 0, 0, 0, 0>, nonlinear = #quant.nonlinear<none>,
            shift_cut = 0 : si32, shift_bias = 0 : si32}
          : (!mid, tensor<1x1x16x4x!quant.fix<s8, 0>>, tensor<4x!quant.fix<s8, 0>>) -> !out
    dpu.yield %c2 : !out
  }
  return %r : !out
}

// -----

// Reuse after a tensor dies (first fit). p1 (8*8*16 = 1024 B) at 0; p2
// (4*4*16 = 256 B) at 1024, since p1 is read by p2's op; p3 (256 B) at 0:
// p1's last reader (p2) came before; p4 (256 B) at 256: p2 is dead too,
// but p3 [0, 256) is read by p4's op. p5 is the output.
// Workspace 1280 where the sum of the four would be 1792.
// CHECK-LABEL: func.func @reuse(
// CHECK: regions = [#dpu.region<id = 1, kind = workspace, size = 1280>, #dpu.region<id = 2, kind = interface, size = 1024>, #dpu.region<id = 3, kind = interface, size = 256>]
// CHECK: dpu.pool {{.*}}dpu.placement = #dpu.placement<reg = 1, addr = 0, stride = [1024, 128, 16, 1]>
// CHECK: dpu.pool {{.*}}dpu.placement = #dpu.placement<reg = 1, addr = 1024, stride = [256, 64, 16, 1]>
// CHECK: dpu.pool {{.*}}dpu.placement = #dpu.placement<reg = 1, addr = 0, stride = [256, 64, 16, 1]>
// CHECK: dpu.pool {{.*}}dpu.placement = #dpu.placement<reg = 1, addr = 256, stride = [256, 64, 16, 1]>
// CHECK: dpu.pool {{.*}}dpu.placement = #dpu.placement<reg = 3, addr = 0, stride = [256, 64, 16, 1]>
!big = tensor<1x8x8x16x!quant.fix<s8, 0>>
!small = tensor<1x4x4x16x!quant.fix<s8, 0>>
func.func @reuse(%x: !big) -> !small {
  %r = dpu.subgraph "subgraph_pools" #dpu.device<DPU> (%x)
         {target = "DPUCZDX8G_ISA1_B4096", fingerprint = "0x101000016010407"}
         : (!big) -> !small {
  ^bb0(%a: !big):
    %p1 = dpu.pool %a {pool_type = #dpu.pool_type<max>, kernel = array<i64: 1, 1>,
            strides = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>} : (!big) -> !big
    %p2 = dpu.pool %p1 {pool_type = #dpu.pool_type<max>, kernel = array<i64: 2, 2>,
            strides = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>} : (!big) -> !small
    %p3 = dpu.pool %p2 {pool_type = #dpu.pool_type<max>, kernel = array<i64: 1, 1>,
            strides = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>} : (!small) -> !small
    %p4 = dpu.pool %p3 {pool_type = #dpu.pool_type<max>, kernel = array<i64: 1, 1>,
            strides = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>} : (!small) -> !small
    %p5 = dpu.pool %p4 {pool_type = #dpu.pool_type<max>, kernel = array<i64: 1, 1>,
            strides = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>} : (!small) -> !small
    dpu.yield %p5 : !small
  }
  return %r : !small
}

// -----

// Concat inputs written into the concat's buffer (4*4*24 = 384 B at 0 in
// REG_1): %a at channel 0, %b at channel 8, both with the concat's strides
// [384, 96, 24, 1]. %d is also an output, so it keeps its own REG_3 buffer
// (the concat copies it). Outputs in yield order: %e (384 B) at 0, %d
// (128 B) at 384 -> REG_3 512.
// CHECK-LABEL: func.func @concat(
// CHECK: regions = [#dpu.region<id = 1, kind = workspace, size = 384>, #dpu.region<id = 2, kind = interface, size = 128>, #dpu.region<id = 3, kind = interface, size = 512>]
// CHECK: %[[A:.*]] = dpu.pool {{.*}}dpu.placement = #dpu.placement<reg = 1, addr = 0, stride = [384, 96, 24, 1]>
// CHECK: %[[B:.*]] = dpu.pool {{.*}}dpu.placement = #dpu.placement<reg = 1, addr = 8, stride = [384, 96, 24, 1]>
// CHECK: %[[D:.*]] = dpu.pool {{.*}}dpu.placement = #dpu.placement<reg = 3, addr = 384, stride = [128, 32, 8, 1]>
// CHECK: dpu.concat %[[A]], %[[B]], %[[D]] {axis = 3 : i64, dpu.placement = #dpu.placement<reg = 1, addr = 0, stride = [384, 96, 24, 1]>}
// CHECK: dpu.pool {{.*}}dpu.placement = #dpu.placement<reg = 3, addr = 0, stride = [384, 96, 24, 1]>
!t8 = tensor<1x4x4x8x!quant.fix<s8, 0>>
!t24 = tensor<1x4x4x24x!quant.fix<s8, 0>>
func.func @concat(%x: !t8) -> (!t24, !t8) {
  %r:2 = dpu.subgraph "subgraph_cat" #dpu.device<DPU> (%x)
         {target = "DPUCZDX8G_ISA1_B4096", fingerprint = "0x101000016010407"}
         : (!t8) -> (!t24, !t8) {
  ^bb0(%in: !t8):
    %a = dpu.pool %in {pool_type = #dpu.pool_type<max>, kernel = array<i64: 1, 1>,
            strides = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>} : (!t8) -> !t8
    %b = dpu.pool %in {pool_type = #dpu.pool_type<avg>, kernel = array<i64: 1, 1>,
            strides = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>} : (!t8) -> !t8
    %d = dpu.pool %in {pool_type = #dpu.pool_type<max>, kernel = array<i64: 3, 3>,
            strides = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>} : (!t8) -> !t8
    %c = dpu.concat %a, %b, %d {axis = 3 : i64} : (!t8, !t8, !t8) -> !t24
    %e = dpu.pool %c {pool_type = #dpu.pool_type<max>, kernel = array<i64: 1, 1>,
            strides = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>} : (!t24) -> !t24
    dpu.yield %e, %d : !t24, !t8
  }
  return %r#0, %r#1 : !t24, !t8
}

// -----

// Nested concats share the outer buffer (4*4*24 = 384 B): the inner concat
// sits at channel 0, so %a at 0 and %b at 8; %c at 16.
// CHECK-LABEL: func.func @nested_concat(
// CHECK: regions = [#dpu.region<id = 2, kind = interface, size = 128>, #dpu.region<id = 3, kind = interface, size = 384>]
// CHECK: %[[A:.*]] = dpu.pool {{.*}}dpu.placement = #dpu.placement<reg = 3, addr = 0, stride = [384, 96, 24, 1]>
// CHECK: %[[B:.*]] = dpu.pool {{.*}}dpu.placement = #dpu.placement<reg = 3, addr = 8, stride = [384, 96, 24, 1]>
// CHECK: %[[I:.*]] = dpu.concat %[[A]], %[[B]] {axis = 3 : i64, dpu.placement = #dpu.placement<reg = 3, addr = 0, stride = [384, 96, 24, 1]>}
// CHECK: %[[C:.*]] = dpu.pool {{.*}}dpu.placement = #dpu.placement<reg = 3, addr = 16, stride = [384, 96, 24, 1]>
// CHECK: dpu.concat %[[I]], %[[C]] {axis = 3 : i64, dpu.placement = #dpu.placement<reg = 3, addr = 0, stride = [384, 96, 24, 1]>}
!n8 = tensor<1x4x4x8x!quant.fix<s8, 0>>
!n16 = tensor<1x4x4x16x!quant.fix<s8, 0>>
!n24 = tensor<1x4x4x24x!quant.fix<s8, 0>>
func.func @nested_concat(%x: !n8) -> !n24 {
  %r = dpu.subgraph "subgraph_nested" #dpu.device<DPU> (%x)
         {target = "DPUCZDX8G_ISA1_B4096", fingerprint = "0x101000016010407"}
         : (!n8) -> !n24 {
  ^bb0(%in: !n8):
    %a = dpu.pool %in {pool_type = #dpu.pool_type<max>, kernel = array<i64: 1, 1>,
            strides = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>} : (!n8) -> !n8
    %b = dpu.pool %in {pool_type = #dpu.pool_type<avg>, kernel = array<i64: 1, 1>,
            strides = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>} : (!n8) -> !n8
    %i = dpu.concat %a, %b {axis = 3 : i64} : (!n8, !n8) -> !n16
    %c = dpu.pool %in {pool_type = #dpu.pool_type<max>, kernel = array<i64: 3, 3>,
            strides = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>} : (!n8) -> !n8
    %o = dpu.concat %i, %c {axis = 3 : i64} : (!n16, !n8) -> !n24
    dpu.yield %o : !n24
  }
  return %r : !n24
}

// -----

// Interfaces: two inputs with a dynamic batch (allocated for batch 1) packed
// in REG_2 (x: 4*4*8 = 128 B at 0, y: 2*2*4 = 16 B at 128); outputs packed
// in REG_3 in yield order (q: 16 B at 0, p: 128 B at 16). The reshape views its input's bytes: same
// offset, its own strides. CPU subgraphs get nothing.
// CHECK-LABEL: func.func @interfaces(
// CHECK: dpu.subgraph "subgraph_io" <DPU>(%{{.*}}, %{{.*}}) {fingerprint = "0x101000016010407", input_placements = [#dpu.placement<reg = 2, addr = 0, stride = [128, 32, 8, 1]>, #dpu.placement<reg = 2, addr = 128, stride = [16, 8, 4, 1]>], regions = [#dpu.region<id = 2, kind = interface, size = 144>, #dpu.region<id = 3, kind = interface, size = 144>]
// CHECK: dpu.pool {{.*}}dpu.placement = #dpu.placement<reg = 3, addr = 16, stride = [128, 32, 8, 1]>
// CHECK: quant.reshape {{.*}}dpu.placement = #dpu.placement<reg = 3, addr = 16, stride = [128, 1]>
// CHECK: dpu.pool {{.*}}dpu.placement = #dpu.placement<reg = 3, addr = 0, stride = [16, 8, 4, 1]>
// CHECK: dpu.subgraph "subgraph_cpu" <CPU>(%{{.*}}) :
// CHECK-NOT: dpu.placement
// CHECK: return
!x = tensor<?x4x4x8x!quant.fix<s8, 0>>
!y = tensor<?x2x2x4x!quant.fix<s8, 0>>
!flat = tensor<?x128x!quant.fix<s8, 0>>
func.func @interfaces(%x: !x, %y: !y) -> (!y, !flat) {
  %r:2 = dpu.subgraph "subgraph_io" #dpu.device<DPU> (%x, %y)
         {target = "DPUCZDX8G_ISA1_B4096", fingerprint = "0x101000016010407"}
         : (!x, !y) -> (!y, !flat) {
  ^bb0(%a: !x, %b: !y):
    %p = dpu.pool %a {pool_type = #dpu.pool_type<max>, kernel = array<i64: 1, 1>,
            strides = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>} : (!x) -> !x
    %f = quant.reshape %p : (!x) -> !flat
    %q = dpu.pool %b {pool_type = #dpu.pool_type<max>, kernel = array<i64: 1, 1>,
            strides = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>} : (!y) -> !y
    dpu.yield %q, %f : !y, !flat
  }
  %c = dpu.subgraph "subgraph_cpu" #dpu.device<CPU> (%r#1) : (!flat) -> !flat {
  ^bb0(%in: !flat):
    %f = quant.reshape %in : (!flat) -> !flat
    dpu.yield %f : !flat
  }
  return %r#0, %c : !y, !flat
}

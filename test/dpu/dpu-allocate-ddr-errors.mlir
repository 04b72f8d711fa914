// RUN: vai-opt %s -split-input-file -verify-diagnostics -dpu-allocate-ddr
// RUN: not vai-opt %s -split-input-file -dpu-allocate-ddr=param-align=3 2>&1 | FileCheck %s --check-prefix=ALIGN
// RUN: not vai-opt %s -split-input-file -dpu-allocate-ddr=param-align=0 2>&1 | FileCheck %s --check-prefix=ALIGN0
// RUN: not vai-opt %s -split-input-file -dpu-allocate-ddr=param-align=1073741824 2>&1 | FileCheck %s --check-prefix=ALIGNBIG
// ALIGN: error: dpu-allocate-ddr: param-align must be a power of two between 1 and 536870912, not 3
// ALIGN0: error: dpu-allocate-ddr: param-align must be a power of two between 1 and 536870912, not 0
// ALIGNBIG: error: dpu-allocate-ddr: param-align must be a power of two between 1 and 536870912, not 1073741824

// Only the batch may be dynamic: the DDR layout needs every other size.
!t = tensor<1x?x4x8x!quant.fix<s8, 0>>
func.func @dynamic_height(%x: !t) -> !t {
  // expected-error @+1 {{dpu-allocate-ddr: dimension 1 of 'tensor<1x?x4x8x!quant.fix<s8, 0>>' is dynamic; only the batch may be}}
  %r = dpu.subgraph "subgraph_dyn" #dpu.device<DPU> (%x)
         {target = "DPUCZDX8G_ISA1_B4096", fingerprint = "0x101000016010407"}
         : (!t) -> !t {
  ^bb0(%a: !t):
    %p = dpu.pool %a {pool_type = #dpu.pool_type<max>, kernel = array<i64: 1, 1>,
            strides = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>} : (!t) -> !t
    dpu.yield %p : !t
  }
  return %r : !t
}

// -----

// A region past what a 29-bit ddr_addr reaches: %p and %q, 512 MiB each,
// are live together in the workspace.
!big = tensor<1x16384x16384x2x!quant.fix<s8, 0>>
func.func @too_big(%x: !big) -> !big {
  // expected-error @+1 {{dpu-allocate-ddr: subgraph 'subgraph_huge' needs 1073741824 bytes in REG_1, more than the 536870912 a 29-bit ddr_addr reaches}}
  %r = dpu.subgraph "subgraph_huge" #dpu.device<DPU> (%x)
         {target = "DPUCZDX8G_ISA1_B4096", fingerprint = "0x101000016010407"}
         : (!big) -> !big {
  ^bb0(%a: !big):
    %p = dpu.pool %a {pool_type = #dpu.pool_type<max>, kernel = array<i64: 1, 1>,
            strides = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>} : (!big) -> !big
    %q = dpu.pool %p {pool_type = #dpu.pool_type<max>, kernel = array<i64: 1, 1>,
            strides = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>} : (!big) -> !big
    %s = dpu.pool %q {pool_type = #dpu.pool_type<max>, kernel = array<i64: 1, 1>,
            strides = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>} : (!big) -> !big
    dpu.yield %s : !big
  }
  return %r : !big
}

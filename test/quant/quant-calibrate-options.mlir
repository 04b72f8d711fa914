// quant-calibrate's vai_q options: simulate-dpu, arch-type, activation-bit,
// nodes-bit / nodes-method. Every image holds -10 in channel 0, 0.5 in
// channel 1 and 2.976 in channel 2; per-channel masks route one channel to
// each op. All positions below are non-overflow (method=0):
// p = floor(log2(1 / max(-min / (2^(b-1) + 0.5), max / (2^(b-1) - 0.5)))).
// RUN: %python -c "import numpy as np; d = np.zeros((2, 3, 3, 3), np.float32); d[..., 0] = -10; d[..., 1] = 0.5; d[..., 2] = 2.976; np.save('%t.npy', d)"
// RUN: vai-opt %s -pass-pipeline='builtin.module(func.func(quant-calibrate{data=%t.npy method=0}))' | FileCheck %s --check-prefix=DPU
// RUN: vai-opt %s -pass-pipeline='builtin.module(func.func(quant-calibrate{data=%t.npy method=0 simulate-dpu=false}))' | FileCheck %s --check-prefix=EXACT
// RUN: vai-opt %s -pass-pipeline='builtin.module(func.func(quant-calibrate{data=%t.npy method=0 simulate-dpu=false arch-type=DPUCADF8H}))' | FileCheck %s --check-prefix=CADF8H
// RUN: vai-opt %s -pass-pipeline='builtin.module(func.func(quant-calibrate{data=%t.npy method=0 simulate-dpu=false activation-bit=4}))' | FileCheck %s --check-prefix=A4
// RUN: vai-opt %s -pass-pipeline='builtin.module(func.func(quant-calibrate{data=%t.npy method=0 simulate-dpu=false nodes-bit=leaky:4,scale:6 nodes-method=avg:1}))' | FileCheck %s --check-prefix=NODES
// RUN: not vai-opt %s -pass-pipeline='builtin.module(func.func(quant-calibrate{data=%t.npy activation-bit=16}))' 2>&1 | FileCheck %s --check-prefix=A16
// RUN: not vai-opt %s -pass-pipeline='builtin.module(func.func(quant-calibrate{data=%t.npy arch-type=DPUCZDX8G}))' 2>&1 | FileCheck %s --check-prefix=ARCH
// RUN: not vai-opt %s -pass-pipeline='builtin.module(func.func(quant-calibrate{data=%t.npy nodes-bit=leaky:4,nope:4}))' 2>&1 | FileCheck %s --check-prefix=UNKNOWN

// leaky: -10 * 0.1 = -1.0 exactly: 128.5 / 1.0 -> 7. The DPU's slope 26/256
//   gives -1.015625: 128.5 / 1.015625 = 126.5 -> 6. With [-127, 127]
//   (DPUCADF8H) the negative side counts 127.5: 127.5 / 1.0 -> 6. In 4 bits:
//   8.5 / 1.0 -> 3.
// avg: a 3x3 average of 0.5 is 0.5: 127.5 / 0.5 = 255 -> 7. The DPU sums
//   and scales by 7 / 2^6 (not 1 / 9): 0.5 * 63 / 64 = 0.4921875,
//   127.5 / 0.4921875 = 259.0 -> 8.
// hsig: 2.976 / 6 + 0.5 = 0.996: 127.5 / 0.996 = 128.01 -> 7. The DPU's
//   2731 / 2^14 for 1 / 6 scales it by 16386 / 16384: 0.99612,
//   127.5 / 0.99612 = 127.996 -> 6.
// DPU-LABEL: func.func @main
// DPU: tfg.leaky_relu {{.*}}quant.fix_point = 6 : i32
// DPU: tfg.avg_pool {{.*}}quant.fix_point = 8 : i32
// DPU: tfg.hard_sigmoid {{.*}}quant.fix_point = 6 : i32
// EXACT-LABEL: func.func @main
// EXACT: tfg.leaky_relu {{.*}}quant.fix_point = 7 : i32
// EXACT: tfg.avg_pool {{.*}}quant.fix_point = 7 : i32
// EXACT: tfg.hard_sigmoid {{.*}}quant.fix_point = 7 : i32
// CADF8H: tfg.leaky_relu {{.*}}quant.fix_point = 6 : i32
// A4: tfg.leaky_relu {{.*}}quant.bit_width = 4 : i32, quant.fix_point = 3 : i32
// nodes-bit: "scale" (channel 0 masked, min -10) in 6 bits: 32.5 / 10 =
// 3.25 -> 1; "leaky" in 4 bits as above -> 3. nodes-method=avg:1 (min-diffs
// from 7): 0.5 is exact at 7 and saturates at 8 (128 > 127), so 7.
// NODES: tfg.mul {{.*}}quant.bit_width = 6 : i32, quant.fix_point = 1 : i32
// NODES: tfg.leaky_relu {{.*}}quant.bit_width = 4 : i32, quant.fix_point = 3 : i32
// NODES: tfg.avg_pool {{.*}}quant.fix_point = 7 : i32
// NODES-NOT: quant.bit_width = 8
// A16: error: quant-calibrate: activation-bit=16: 16-bit needs int16 kernels: not supported (2..8)
// ARCH: error: quant-calibrate: arch-type must be DEFAULT or DPUCADF8H, not 'DPUCZDX8G'
// UNKNOWN: error: quant-calibrate: nodes-bit: no node named 'nope' in the function
func.func @main(%x: tensor<?x3x3x3xf32>) -> (tensor<?x3x3x3xf32>, tensor<?x1x1x3xf32>, tensor<?x3x3x3xf32>) {
  %m0 = tfg.const dense<[1.0, 0.0, 0.0]> : tensor<3xf32>
  %m1 = tfg.const dense<[0.0, 1.0, 0.0]> : tensor<3xf32>
  %m2 = tfg.const dense<[0.0, 0.0, 1.0]> : tensor<3xf32>
  %x0 = tfg.mul %x, %m0 : (tensor<?x3x3x3xf32>, tensor<3xf32>) -> tensor<?x3x3x3xf32> loc("scale")
  %l = tfg.leaky_relu %x0 {alpha = 0.1 : f32} : tensor<?x3x3x3xf32> loc("leaky")
  %x1 = tfg.mul %x, %m1 : (tensor<?x3x3x3xf32>, tensor<3xf32>) -> tensor<?x3x3x3xf32>
  %a = tfg.avg_pool %x1 {kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>} : (tensor<?x3x3x3xf32>) -> tensor<?x1x1x3xf32> loc("avg")
  %x2 = tfg.mul %x, %m2 : (tensor<?x3x3x3xf32>, tensor<3xf32>) -> tensor<?x3x3x3xf32>
  %h = tfg.hard_sigmoid %x2 {alpha = 0.166666672 : f32, beta = 0.5 : f32} : tensor<?x3x3x3xf32>
  return %l, %a, %h : tensor<?x3x3x3xf32>, tensor<?x1x1x3xf32>, tensor<?x3x3x3xf32>
}

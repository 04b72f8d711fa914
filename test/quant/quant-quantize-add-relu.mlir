// quant-quantize fuses a ReLU that alone reads a sum into the quant.add
// (XIR eltwise-fix nonlinear RELU) at the ReLU's calibrated position, and
// dpu-partition keeps it on dpu.elew.
// RUN: vai-opt %s -quant-quantize --mlir-print-debuginfo | FileCheck %s
// RUN: vai-opt %s -quant-quantize -dpu-partition="arch=%examples/fashion_mnist/arch.json" 2>/dev/null | FileCheck %s --check-prefix=DPU
// A ReLU left in float (ignore-nodes) is not fused: the sum keeps the add's
// own position and no nonlinearity.
// RUN: vai-opt %s -quant-quantize=ignore-nodes=relu --mlir-print-debuginfo | FileCheck %s --check-prefix=IGN
// IGN: %[[S:.*]] = quant.add {{.*}} -> tensor<1x4x4x2x!quant.fix<s8, 4>> loc(#[[ADD:.*]])
// IGN-NOT: nonlinear
// IGN: %[[F:.*]] = quant.dequantize %[[S]]
// IGN: tfg.relu %[[F]] {quant.ignored}
// IGN: #[[ADD]] = loc("add")

// CHECK-LABEL: func.func @add_relu
// CHECK: %[[A:.*]] = quant.quantize %arg0 {{.*}}!quant.fix<s8, 5>>
// CHECK: %[[B:.*]] = quant.quantize %arg1 {{.*}}!quant.fix<s8, 6>>
// CHECK: %[[S:.*]] = quant.add %[[A]], %[[B]] {nonlinear = #quant.nonlinear<relu>} : {{.*}} -> tensor<1x4x4x2x!quant.fix<s8, 3>> loc(#[[RELU:.*]])
// CHECK-NOT: tfg.
// CHECK: quant.dequantize %[[S]]
// CHECK: #[[RELU]] = loc("relu")
// DPU-LABEL: func.func @add_relu
// DPU: dpu.elew {{.*}}nonlinear = #quant.nonlinear<relu>
func.func @add_relu(%x: tensor<1x4x4x2xf32> {quant.fix_point = 5 : i32},
                    %y: tensor<1x4x4x2xf32> {quant.fix_point = 6 : i32}) -> tensor<1x4x4x2xf32> {
  %a = tfg.add %x, %y {quant.fix_point = 4 : i32} : (tensor<1x4x4x2xf32>, tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32> loc("add")
  %r = tfg.relu %a {quant.fix_point = 3 : i32} : tensor<1x4x4x2xf32> loc("relu")
  return %r : tensor<1x4x4x2xf32>
}

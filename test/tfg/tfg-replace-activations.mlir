// RUN: vai-opt %s -split-input-file -tfg-replace-activations | FileCheck %s --check-prefix=OFF
// RUN: vai-opt %s -split-input-file -tfg-replace-activations=relu6-to-relu | FileCheck %s --check-prefix=RELU6
// RUN: vai-opt %s -split-input-file -tfg-replace-activations=sigmoid-to-hard-sigmoid | FileCheck %s --check-prefix=SIGMOID
// RUN: vai-opt %s -split-input-file -tfg-replace-activations=swish-to-hard-swish | FileCheck %s --check-prefix=SWISH
// RUN: vai-opt %s -split-input-file -tfg-replace-activations=softmax-to-hard-softmax | FileCheck %s --check-prefix=SOFTMAX
// RUN: vai-opt %s -split-input-file -tfg-replace-activations="relu6-to-relu sigmoid-to-hard-sigmoid swish-to-hard-swish softmax-to-hard-softmax" | FileCheck %s --check-prefix=ALL

// Standalone and fused relu6. Every other option leaves them alone.
// OFF-LABEL: func.func @relu6
// OFF: activation = #tfg.activation<relu6>
// OFF: tfg.relu6
// RELU6-LABEL: func.func @relu6
// RELU6: %[[CONV:.*]] = tfg.conv2d {{.*}}activation = #tfg.activation<relu>,
// RELU6: %[[RELU:.*]] = tfg.relu %[[CONV]] : tensor<1x4x4x2xf32>
// RELU6: return %[[RELU]]
// SIGMOID-LABEL: func.func @relu6
// SIGMOID: tfg.relu6
// SWISH-LABEL: func.func @relu6
// SWISH: tfg.relu6
// SOFTMAX-LABEL: func.func @relu6
// SOFTMAX: tfg.relu6
// ALL-LABEL: func.func @relu6
// ALL-NOT: relu6
// ALL: return
func.func @relu6(%x: tensor<1x4x4x1xf32>) -> tensor<1x4x4x2xf32> {
  %w = tfg.const dense<1.0> : tensor<1x1x1x2xf32>
  %c = tfg.conv2d %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, activation = #tfg.activation<relu6>} : (tensor<1x4x4x1xf32>, tensor<1x1x1x2xf32>) -> tensor<1x4x4x2xf32>
  %r = tfg.relu6 %c : tensor<1x4x4x2xf32>
  return %r : tensor<1x4x4x2xf32>
}

// -----

// The DPU's hard sigmoid: relu6(x + 3) / 6, i.e. alpha 1/6, beta 1/2.
// OFF-LABEL: func.func @sigmoid
// OFF: tfg.sigmoid
// RELU6-LABEL: func.func @sigmoid
// RELU6: tfg.sigmoid
// SIGMOID-LABEL: func.func @sigmoid
// The default beta (0.5) is elided when printing.
// SIGMOID: %[[H:.*]] = tfg.hard_sigmoid %arg0 {alpha = 0.166666672 : f32} : tensor<?x10xf32>
// SIGMOID: return %[[H]]
// SWISH-LABEL: func.func @sigmoid
// SWISH: tfg.sigmoid
// ALL-LABEL: func.func @sigmoid
// ALL: tfg.hard_sigmoid
func.func @sigmoid(%x: tensor<?x10xf32>) -> tensor<?x10xf32> {
  %y = tfg.sigmoid %x : tensor<?x10xf32>
  return %y : tensor<?x10xf32>
}

// -----

// OFF-LABEL: func.func @swish
// OFF: tfg.swish
// SIGMOID-LABEL: func.func @swish
// SIGMOID: tfg.swish
// SWISH-LABEL: func.func @swish
// SWISH: %[[H:.*]] = tfg.hard_swish %arg0 : tensor<?x10xf32>
// SWISH: return %[[H]]
// SOFTMAX-LABEL: func.func @swish
// SOFTMAX: tfg.swish
// ALL-LABEL: func.func @swish
// ALL: tfg.hard_swish
func.func @swish(%x: tensor<?x10xf32>) -> tensor<?x10xf32> {
  %y = tfg.swish %x : tensor<?x10xf32>
  return %y : tensor<?x10xf32>
}

// -----

// The axis is kept.
// OFF-LABEL: func.func @softmax
// OFF: tfg.softmax %arg0 {axis = 1 : i64}
// SWISH-LABEL: func.func @softmax
// SWISH: tfg.softmax
// SOFTMAX-LABEL: func.func @softmax
// SOFTMAX: %[[H:.*]] = tfg.hard_softmax %arg0 {axis = 1 : i64} : tensor<2x10x3xf32>
// SOFTMAX: return %[[H]]
// ALL-LABEL: func.func @softmax
// ALL: tfg.hard_softmax
func.func @softmax(%x: tensor<2x10x3xf32>) -> tensor<2x10x3xf32> {
  %y = tfg.softmax %x {axis = 1 : i64} : tensor<2x10x3xf32>
  return %y : tensor<2x10x3xf32>
}

// -----

// Unrelated ops are not touched (no folding, no dead-code removal).
// ALL-LABEL: func.func @others
// ALL: tfg.const
// ALL: tfg.tanh
// ALL: tfg.relu
func.func @others(%x: tensor<?x10xf32>) -> tensor<?x10xf32> {
  %unused = tfg.const dense<1.0> : tensor<10xf32>
  %t = tfg.tanh %x : tensor<?x10xf32>
  %y = tfg.relu %t : tensor<?x10xf32>
  return %y : tensor<?x10xf32>
}

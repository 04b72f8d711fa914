// RUN: vai-opt %s -split-input-file -tfg-cross-layer-equalization | FileCheck %s
// RUN: vai-opt %s -split-input-file -tfg-cross-layer-equalization=relu6=replace | FileCheck %s --check-prefix=REPLACE
// RUN: vai-opt %s -split-input-file -tfg-cross-layer-equalization=report=true 2>&1 >/dev/null | FileCheck %s --check-prefix=REPORT
// RUN: not vai-opt %s -split-input-file -tfg-cross-layer-equalization=relu6=bound 2>&1 | FileCheck %s --check-prefix=BADMODE
// BADMODE: relu6 must be 'skip' or 'replace', not 'bound'

// r1 = [4, 1] (conv1 output channels), r2 = [1, 4] (conv2 input channels):
// s = sqrt(r1 r2) / r2 = [2, 0.5], so W1 = [4/2, 1/0.5] = [2, 2],
// b1 = [2/2, 1/0.5] = [1, 2] and W2 = [1*2, 4*0.5] = [2, 2].
// CHECK-LABEL: func.func @conv_relu_conv
// CHECK-DAG: %[[W1:.*]] = tfg.const dense<2.000000e+00> : tensor<1x1x1x2xf32>
// CHECK-DAG: %[[B1:.*]] = tfg.const dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>
// CHECK-DAG: %[[W2:.*]] = tfg.const dense<2.000000e+00> : tensor<1x1x2x1xf32>
// CHECK: %[[C1:.*]] = tfg.conv2d %arg0, %[[W1]], %[[B1]] {activation = #tfg.activation<relu>
// CHECK: tfg.conv2d %[[C1]], %[[W2]]
// REPORT: remark: {{.*}}cle: pair 'conv1' -> 'conv2' channels 2 head-spread 4 -> 1 tail-spread 4 -> 1 sweeps 2
func.func @conv_relu_conv(%x: tensor<1x3x3x1xf32>) -> tensor<1x3x3x1xf32> {
  %w1 = tfg.const dense<[[[[4.0, 1.0]]]]> : tensor<1x1x1x2xf32>
  %b1 = tfg.const dense<[2.0, 1.0]> : tensor<2xf32>
  %w2 = tfg.const dense<[[[[1.0], [4.0]]]]> : tensor<1x1x2x1xf32>
  %c1 = tfg.conv2d %x, %w1, %b1 {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, activation = #tfg.activation<relu>} : (tensor<1x3x3x1xf32>, tensor<1x1x1x2xf32>, tensor<2xf32>) -> tensor<1x3x3x2xf32> loc("conv1")
  %c2 = tfg.conv2d %c1, %w2 {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>} : (tensor<1x3x3x2xf32>, tensor<1x1x2x1xf32>) -> tensor<1x3x3x1xf32> loc("conv2")
  return %c2 : tensor<1x3x3x1xf32>
}

// -----

// An unfused relu between the convolutions is homogeneous too; no
// activation at all (a linear bottleneck) likewise.
// CHECK-LABEL: func.func @standalone_relu
// CHECK-DAG: tfg.const dense<2.000000e+00> : tensor<1x1x1x2xf32>
// CHECK-DAG: tfg.const dense<2.000000e+00> : tensor<1x1x2x1xf32>
// CHECK: tfg.relu
func.func @standalone_relu(%x: tensor<1x3x3x1xf32>) -> tensor<1x3x3x1xf32> {
  %w1 = tfg.const dense<[[[[4.0, 1.0]]]]> : tensor<1x1x1x2xf32>
  %w2 = tfg.const dense<[[[[1.0], [4.0]]]]> : tensor<1x1x2x1xf32>
  %c1 = tfg.conv2d %x, %w1 {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>} : (tensor<1x3x3x1xf32>, tensor<1x1x1x2xf32>) -> tensor<1x3x3x2xf32>
  %r = tfg.relu %c1 : tensor<1x3x3x2xf32>
  %c2 = tfg.conv2d %r, %w2 {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>} : (tensor<1x3x3x2xf32>, tensor<1x1x2x1xf32>) -> tensor<1x3x3x1xf32>
  return %c2 : tensor<1x3x3x1xf32>
}

// -----

// conv -> depthwise -> conv: two pairs sharing the depthwise layer. Each
// channel's three 1x1 weights have product 4 (4*1*1 and 1*4*1), so the
// sweeps converge to 4^(1/3) = 1.5874 everywhere.
// CHECK-LABEL: func.func @depthwise_separable
// CHECK-DAG: tfg.const dense<1.587{{[0-9]*(e\+00)?}}> : tensor<1x1x1x2xf32>
// CHECK-DAG: tfg.const dense<1.587{{[0-9]*(e\+00)?}}> : tensor<1x1x2x1xf32>
// CHECK-DAG: tfg.const dense<1.587{{[0-9]*(e\+00)?}}> : tensor<1x1x2x1xf32>
// CHECK: tfg.depthwise_conv2d
// REPORT: remark: {{.*}}cle: pair 'expand' -> 'depthwise' channels 2 head-spread 4 -> 1 tail-spread 4 -> 1
// REPORT: remark: {{.*}}cle: pair 'depthwise' -> 'project' channels 2 head-spread 4 -> 1 tail-spread 1 -> 1
func.func @depthwise_separable(%x: tensor<1x3x3x1xf32>) -> tensor<1x3x3x1xf32> {
  %w1 = tfg.const dense<[[[[4.0, 1.0]]]]> : tensor<1x1x1x2xf32>
  %wd = tfg.const dense<[[[[1.0], [4.0]]]]> : tensor<1x1x2x1xf32>
  %w2 = tfg.const dense<[[[[1.0], [1.0]]]]> : tensor<1x1x2x1xf32>
  %c1 = tfg.conv2d %x, %w1 {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, activation = #tfg.activation<relu>} : (tensor<1x3x3x1xf32>, tensor<1x1x1x2xf32>) -> tensor<1x3x3x2xf32> loc("expand")
  %d = tfg.depthwise_conv2d %c1, %wd {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, activation = #tfg.activation<relu>} : (tensor<1x3x3x2xf32>, tensor<1x1x2x1xf32>) -> tensor<1x3x3x2xf32> loc("depthwise")
  %c2 = tfg.conv2d %d, %w2 {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>} : (tensor<1x3x3x2xf32>, tensor<1x1x2x1xf32>) -> tensor<1x3x3x1xf32> loc("project")
  return %c2 : tensor<1x3x3x1xf32>
}

// -----

// relu6 clips at 6 s after scaling by s: not exact, so the default skips the
// pair; relu6=replace turns it into relu and equalizes.
// CHECK-LABEL: func.func @relu6_fused
// CHECK-DAG: tfg.const dense<{{\[}}{{\[}}{{\[}}[4.000000e+00, 1.000000e+00]]]]> : tensor<1x1x1x2xf32>
// CHECK-DAG: tfg.const dense<{{\[}}{{\[}}{{\[}}[1.000000e+00], [4.000000e+00]]]]> : tensor<1x1x2x1xf32>
// CHECK: activation = #tfg.activation<relu6>
// REPLACE-LABEL: func.func @relu6_fused
// REPLACE-DAG: tfg.const dense<2.000000e+00> : tensor<1x1x1x2xf32>
// REPLACE-DAG: tfg.const dense<2.000000e+00> : tensor<1x1x2x1xf32>
// REPLACE: activation = #tfg.activation<relu>,
// REPORT: remark: {{.*}}cle: skipped pair 'fused6' -> 'after6': relu6 between them (relu6=skip)
func.func @relu6_fused(%x: tensor<1x3x3x1xf32>) -> tensor<1x3x3x1xf32> {
  %w1 = tfg.const dense<[[[[4.0, 1.0]]]]> : tensor<1x1x1x2xf32>
  %w2 = tfg.const dense<[[[[1.0], [4.0]]]]> : tensor<1x1x2x1xf32>
  %c1 = tfg.conv2d %x, %w1 {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, activation = #tfg.activation<relu6>} : (tensor<1x3x3x1xf32>, tensor<1x1x1x2xf32>) -> tensor<1x3x3x2xf32> loc("fused6")
  %c2 = tfg.conv2d %c1, %w2 {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>} : (tensor<1x3x3x2xf32>, tensor<1x1x2x1xf32>) -> tensor<1x3x3x1xf32> loc("after6")
  return %c2 : tensor<1x3x3x1xf32>
}

// -----

// CHECK-LABEL: func.func @relu6_standalone
// CHECK-DAG: tfg.const dense<{{\[}}{{\[}}{{\[}}[4.000000e+00, 1.000000e+00]]]]> : tensor<1x1x1x2xf32>
// CHECK: tfg.relu6
// REPLACE-LABEL: func.func @relu6_standalone
// REPLACE-DAG: tfg.const dense<2.000000e+00> : tensor<1x1x1x2xf32>
// REPLACE-DAG: tfg.const dense<2.000000e+00> : tensor<1x1x2x1xf32>
// REPLACE-NOT: tfg.relu6
// REPLACE: tfg.relu
// REPLACE-NOT: tfg.relu6
func.func @relu6_standalone(%x: tensor<1x3x3x1xf32>) -> tensor<1x3x3x1xf32> {
  %w1 = tfg.const dense<[[[[4.0, 1.0]]]]> : tensor<1x1x1x2xf32>
  %w2 = tfg.const dense<[[[[1.0], [4.0]]]]> : tensor<1x1x2x1xf32>
  %c1 = tfg.conv2d %x, %w1 {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>} : (tensor<1x3x3x1xf32>, tensor<1x1x1x2xf32>) -> tensor<1x3x3x2xf32>
  %r = tfg.relu6 %c1 : tensor<1x3x3x2xf32>
  %c2 = tfg.conv2d %r, %w2 {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>} : (tensor<1x3x3x2xf32>, tensor<1x1x2x1xf32>) -> tensor<1x3x3x1xf32>
  return %c2 : tensor<1x3x3x1xf32>
}

// -----

// The intermediate value has a second user (the return): scaling it would
// change that user's input. Nothing changes.
// CHECK-LABEL: func.func @two_users
// CHECK-DAG: tfg.const dense<{{\[}}{{\[}}{{\[}}[4.000000e+00, 1.000000e+00]]]]> : tensor<1x1x1x2xf32>
// CHECK-DAG: tfg.const dense<{{\[}}{{\[}}{{\[}}[1.000000e+00], [4.000000e+00]]]]> : tensor<1x1x2x1xf32>
// REPLACE-LABEL: func.func @two_users
// REPLACE: activation = #tfg.activation<relu6>
func.func @two_users(%x: tensor<1x3x3x1xf32>) -> (tensor<1x3x3x1xf32>, tensor<1x3x3x2xf32>) {
  %w1 = tfg.const dense<[[[[4.0, 1.0]]]]> : tensor<1x1x1x2xf32>
  %w2 = tfg.const dense<[[[[1.0], [4.0]]]]> : tensor<1x1x2x1xf32>
  %c1 = tfg.conv2d %x, %w1 {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, activation = #tfg.activation<relu6>} : (tensor<1x3x3x1xf32>, tensor<1x1x1x2xf32>) -> tensor<1x3x3x2xf32>
  %c2 = tfg.conv2d %c1, %w2 {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>} : (tensor<1x3x3x2xf32>, tensor<1x1x2x1xf32>) -> tensor<1x3x3x1xf32>
  return %c2, %c1 : tensor<1x3x3x1xf32>, tensor<1x3x3x2xf32>
}

// -----

// sigmoid(x / s) != sigmoid(x) / s: not a pair.
// CHECK-LABEL: func.func @sigmoid_between
// CHECK-DAG: tfg.const dense<{{\[}}{{\[}}{{\[}}[4.000000e+00, 1.000000e+00]]]]> : tensor<1x1x1x2xf32>
// CHECK-DAG: tfg.const dense<{{\[}}{{\[}}{{\[}}[1.000000e+00], [4.000000e+00]]]]> : tensor<1x1x2x1xf32>
// CHECK: tfg.sigmoid
func.func @sigmoid_between(%x: tensor<1x3x3x1xf32>) -> tensor<1x3x3x1xf32> {
  %w1 = tfg.const dense<[[[[4.0, 1.0]]]]> : tensor<1x1x1x2xf32>
  %w2 = tfg.const dense<[[[[1.0], [4.0]]]]> : tensor<1x1x2x1xf32>
  %c1 = tfg.conv2d %x, %w1 {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>} : (tensor<1x3x3x1xf32>, tensor<1x1x1x2xf32>) -> tensor<1x3x3x2xf32>
  %r = tfg.sigmoid %c1 : tensor<1x3x3x2xf32>
  %c2 = tfg.conv2d %r, %w2 {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>} : (tensor<1x3x3x2xf32>, tensor<1x1x2x1xf32>) -> tensor<1x3x3x1xf32>
  return %c2 : tensor<1x3x3x1xf32>
}

// -----

// A bias_add left between the convolutions (tfg-fuse-bias-activation not
// run): not a pair.
// CHECK-LABEL: func.func @bias_add_between
// CHECK-DAG: tfg.const dense<{{\[}}{{\[}}{{\[}}[4.000000e+00, 1.000000e+00]]]]> : tensor<1x1x1x2xf32>
// CHECK: tfg.bias_add
func.func @bias_add_between(%x: tensor<1x3x3x1xf32>) -> tensor<1x3x3x1xf32> {
  %w1 = tfg.const dense<[[[[4.0, 1.0]]]]> : tensor<1x1x1x2xf32>
  %b = tfg.const dense<[1.0, 2.0]> : tensor<2xf32>
  %w2 = tfg.const dense<[[[[1.0], [4.0]]]]> : tensor<1x1x2x1xf32>
  %c1 = tfg.conv2d %x, %w1 {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>} : (tensor<1x3x3x1xf32>, tensor<1x1x1x2xf32>) -> tensor<1x3x3x2xf32>
  %a = tfg.bias_add %c1, %b : (tensor<1x3x3x2xf32>, tensor<2xf32>) -> tensor<1x3x3x2xf32>
  %c2 = tfg.conv2d %a, %w2 {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>} : (tensor<1x3x3x2xf32>, tensor<1x1x2x1xf32>) -> tensor<1x3x3x1xf32>
  return %c2 : tensor<1x3x3x1xf32>
}

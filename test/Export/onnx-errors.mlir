// RUN: not vai-translate --export-onnx %s -split-input-file -o %t.onnx 2>&1 | FileCheck %s
// A failed export leaves no file behind.
// RUN: not test -e %t.onnx

// A quantized module has no ONNX form here: the message names the op.
// CHECK: error: 'quant.quantize' has no ONNX equivalent: export the float (tfg) module, before quantization
func.func @main(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %q = quant.quantize %x : tensor<1x4xf32> -> tensor<1x4x!quant.fix<s8, 7>>
  %d = quant.dequantize %q : tensor<1x4x!quant.fix<s8, 7>> -> tensor<1x4xf32>
  return %d : tensor<1x4xf32>
}

// -----

// A node kept from a TF graph has no ONNX op.
// CHECK: error: tfg.node 'tf' 'Sin' has no ONNX form (only default-domain nodes kept from an ONNX model can be written back)
func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
  %y = tfg.node "tf" "Sin" (%x) : (tensor<4xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// CHECK: error: tfg.node 'onnx' 'com.microsoft.Gelu' has no ONNX form
func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
  %y = tfg.node "onnx" "com.microsoft.Gelu" (%x) : (tensor<4xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// CHECK: error: conv2d_transpose needs static spatial sizes for ONNX's output_padding
func.func @main(%x: tensor<1x?x?x8xf32>, %w: tensor<3x3x4x8xf32>) -> tensor<1x?x?x4xf32> {
  %y = tfg.conv2d_transpose %x, %w {strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 1, 0, 1>} : (tensor<1x?x?x8xf32>, tensor<3x3x4x8xf32>) -> tensor<1x?x?x4xf32>
  return %y : tensor<1x?x?x4xf32>
}

// -----

// CHECK: error: input 0 of type 'tensor<4xi32>' has no ONNX form here (ranked f32 tensors only)
func.func @main(%x: tensor<4xi32>) -> tensor<4xi32> {
  return %x : tensor<4xi32>
}

// -----

// CHECK: error: no function @main to export
func.func @other(%x: tensor<1xf32>) -> tensor<1xf32> {
  return %x : tensor<1xf32>
}

// RUN: not vai-translate --export-graphdef %s -split-input-file -o %t.pb 2>&1 | FileCheck %s
// A failed export leaves no file behind.
// RUN: not test -e %t.pb

// A quantized module has no GraphDef form: the message names the op.
// CHECK: error: 'quant.quantize' has no GraphDef equivalent: export the float (tfg) module, before quantization
func.func @main(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %q = quant.quantize %x : tensor<1x4xf32> -> tensor<1x4x!quant.fix<s8, 7>>
  %d = quant.dequantize %q : tensor<1x4x!quant.fix<s8, 7>> -> tensor<1x4xf32>
  return %d : tensor<1x4xf32>
}

// -----

// A node kept from another framework cannot be written as a TF node.
// CHECK: error: tfg.node 'onnx' 'Gather' has no GraphDef form (only nodes kept from a TF graph can be written back)
func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
  %y = tfg.node "onnx" "Gather" (%x) : (tensor<4xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// A TF node whose attribute is not in the recorded encoding.
// CHECK: error: tfg.node 'Sin' attribute 'T' has no GraphDef form
func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
  %y = tfg.node "tf" "Sin" (%x) {attrs = {T = #tfg.activation<relu>}} : (tensor<4xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// CHECK: error: loc("pool"): 'tfg.max_pool' pads [1, 0, 0, 0] are neither TF's SAME nor VALID
func.func @main(%x: tensor<1x4x4x1xf32>) -> tensor<1x2x2x1xf32> {
  %y = tfg.max_pool %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, pad = array<i64: 1, 0, 0, 0>} : (tensor<1x4x4x1xf32>) -> tensor<1x2x2x1xf32> loc("pool")
  return %y : tensor<1x2x2x1xf32>
}

// -----

// CHECK: error: softmax over axis 0 has no GraphDef form (TF's Softmax works on the last axis)
func.func @main(%x: tensor<3x4xf32>) -> tensor<3x4xf32> {
  %y = tfg.softmax %x {axis = 0 : i64} : tensor<3x4xf32>
  return %y : tensor<3x4xf32>
}

// -----

// CHECK: error: edge padding has no GraphDef op (MirrorPad has REFLECT and SYMMETRIC only)
func.func @main(%x: tensor<1x4x4x1xf32>) -> tensor<1x6x6x1xf32> {
  %y = tfg.pad %x {pads = array<i64: 0, 1, 1, 0, 0, 1, 1, 0>, mode = #tfg.pad_mode<edge>} : (tensor<1x4x4x1xf32>) -> tensor<1x6x6x1xf32>
  return %y : tensor<1x6x6x1xf32>
}

// -----

// CHECK: error: depth_to_space mode 'CRD' has no GraphDef form (TF uses DCR)
func.func @main(%x: tensor<1x2x2x4xf32>) -> tensor<1x4x4x1xf32> {
  %y = tfg.depth_to_space %x {block_size = 2 : i64, mode = "CRD"} : (tensor<1x2x2x4xf32>) -> tensor<1x4x4x1xf32>
  return %y : tensor<1x4x4x1xf32>
}

// -----

// CHECK: error: input 'ids' of type 'tensor<4xi32>' has no Placeholder form (ranked f32 tensors only)
func.func @main(%x: tensor<4xi32> {tfg.name = "ids"}) -> tensor<4xi32> {
  return %x : tensor<4xi32>
}

// -----

// CHECK: error: no function @main to export
func.func @other(%x: tensor<1xf32>) -> tensor<1xf32> {
  return %x : tensor<1xf32>
}

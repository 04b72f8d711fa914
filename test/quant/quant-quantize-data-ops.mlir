// RUN: vai-opt %s -split-input-file -quant-quantize -verify-diagnostics | FileCheck %s

// pad, nearest resize and hard sigmoid lowered to their DPU forms.

// Pads copy: the input's position 5 is kept (not the calibrated 3), a zero
// pad value is 0; tfg's edge mode by one element is XIR's SYMMETRIC.
// CHECK-LABEL: func.func @pads
// CHECK: %[[Q:.*]] = quant.quantize %arg0 : tensor<?x4x4x2xf32> -> tensor<?x4x4x2x!quant.fix<s8, 5>>
// CHECK: %[[A:.*]] = quant.pad %[[Q]] {pads = array<i64: 0, 1, 1, 0, 0, 1, 1, 0>} : (tensor<?x4x4x2x!quant.fix<s8, 5>>) -> tensor<?x6x6x2x!quant.fix<s8, 5>>
// CHECK: %[[B:.*]] = quant.pad %[[A]] {mode = #quant.pad_mode<reflect>, pads = array<i64: 0, 2, 0, 0, 0, 0, 3, 0>} : (tensor<?x6x6x2x!quant.fix<s8, 5>>) -> tensor<?x8x9x2x!quant.fix<s8, 5>>
// CHECK: %[[C:.*]] = quant.pad %[[B]] {mode = #quant.pad_mode<symmetric>, pads = array<i64: 0, 0, 1, 0, 0, 1, 1, 0>} : (tensor<?x8x9x2x!quant.fix<s8, 5>>) -> tensor<?x9x11x2x!quant.fix<s8, 5>>
// The pad value -0.5 at position 5 is -16.
// CHECK: quant.pad %[[C]] {pads = array<i64: 0, 0, 0, 0, 0, 0, 1, 0>, value = -16 : i64}
func.func @pads(%x: tensor<?x4x4x2xf32> {quant.fix_point = 5 : i32}) -> tensor<?x9x12x2xf32> {
  %a = tfg.pad %x {pads = array<i64: 0, 1, 1, 0, 0, 1, 1, 0>, quant.fix_point = 3 : i32} : (tensor<?x4x4x2xf32>) -> tensor<?x6x6x2xf32>
  %b = tfg.pad %a {pads = array<i64: 0, 2, 0, 0, 0, 0, 3, 0>, mode = #tfg.pad_mode<reflect>, quant.fix_point = 3 : i32} : (tensor<?x6x6x2xf32>) -> tensor<?x8x9x2xf32>
  %c = tfg.pad %b {pads = array<i64: 0, 0, 1, 0, 0, 1, 1, 0>, mode = #tfg.pad_mode<edge>, quant.fix_point = 3 : i32} : (tensor<?x8x9x2xf32>) -> tensor<?x9x11x2xf32>
  %d = tfg.pad %c {pads = array<i64: 0, 0, 0, 0, 0, 0, 1, 0>, value = -0.5 : f32, quant.fix_point = 3 : i32} : (tensor<?x9x11x2xf32>) -> tensor<?x9x12x2xf32>
  return %d : tensor<?x9x12x2xf32>
}

// -----

// Nearest resize by integer factors reading floor(j / s): half_pixel with
// rounding to nearest, asymmetric or tf_half_pixel_for_nn with floor.
// CHECK-LABEL: func.func @upsample
// CHECK: %[[Q:.*]] = quant.quantize %arg0 : tensor<?x2x3x4xf32> -> tensor<?x2x3x4x!quant.fix<s8, 4>>
// CHECK: %[[A:.*]] = quant.upsample %[[Q]] {scale = array<i64: 2, 3>} : (tensor<?x2x3x4x!quant.fix<s8, 4>>) -> tensor<?x4x9x4x!quant.fix<s8, 4>>
// CHECK: %[[B:.*]] = quant.upsample %[[A]] {scale = array<i64: 2, 1>} : (tensor<?x4x9x4x!quant.fix<s8, 4>>) -> tensor<?x8x9x4x!quant.fix<s8, 4>>
// CHECK: quant.upsample %[[B]] {scale = array<i64: 1, 2>} : (tensor<?x8x9x4x!quant.fix<s8, 4>>) -> tensor<?x8x18x4x!quant.fix<s8, 4>>
func.func @upsample(%x: tensor<?x2x3x4xf32> {quant.fix_point = 4 : i32}) -> tensor<?x8x18x4xf32> {
  %a = tfg.resize %x {mode = #tfg.resize_mode<nearest>, quant.fix_point = 2 : i32} : (tensor<?x2x3x4xf32>) -> tensor<?x4x9x4xf32>
  %b = tfg.resize %a {mode = #tfg.resize_mode<nearest>, coordinate_mode = "asymmetric", nearest_mode = "floor", scales = array<f32: 2.0, 1.0>, quant.fix_point = 2 : i32} : (tensor<?x4x9x4xf32>) -> tensor<?x8x9x4xf32>
  %c = tfg.resize %b {mode = #tfg.resize_mode<nearest>, coordinate_mode = "tf_half_pixel_for_nn", nearest_mode = "floor", quant.fix_point = 2 : i32} : (tensor<?x8x9x4xf32>) -> tensor<?x8x18x4xf32>
  return %c : tensor<?x8x18x4xf32>
}

// -----

// Hard sigmoid: the calibrated output position 6 (non-overflow of 1.0) is
// raised to 7, a finer calibrated one is kept, and one past 14 + i is
// lowered so that shift_hsigmoid >= 0.
// CHECK-LABEL: func.func @hard_sigmoid
// CHECK: %[[Q:.*]] = quant.quantize %arg0 : tensor<?x8xf32> -> tensor<?x8x!quant.fix<s8, 1>>
// CHECK: quant.hard_sigmoid %[[Q]] : (tensor<?x8x!quant.fix<s8, 1>>) -> tensor<?x8x!quant.fix<s8, 7>>
// CHECK: quant.hard_sigmoid %[[Q]] : (tensor<?x8x!quant.fix<s8, 1>>) -> tensor<?x8x!quant.fix<s8, 9>>
// CHECK: quant.hard_sigmoid %[[Q]] : (tensor<?x8x!quant.fix<s8, 1>>) -> tensor<?x8x!quant.fix<s8, 15>>
func.func @hard_sigmoid(%x: tensor<?x8xf32> {quant.fix_point = 1 : i32}) -> (tensor<?x8xf32>, tensor<?x8xf32>, tensor<?x8xf32>) {
  %a = tfg.hard_sigmoid %x {alpha = 0.166666672 : f32, quant.fix_point = 6 : i32} : tensor<?x8xf32>
  %b = tfg.hard_sigmoid %x {alpha = 0.166666672 : f32, quant.fix_point = 9 : i32} : tensor<?x8xf32>
  %c = tfg.hard_sigmoid %x {alpha = 0.166666672 : f32, quant.fix_point = 20 : i32} : tensor<?x8xf32>
  return %a, %b, %c : tensor<?x8xf32>, tensor<?x8xf32>, tensor<?x8xf32>
}

// -----

func.func @hard_sigmoid_onnx_default(%x: tensor<?x8xf32> {quant.fix_point = 4 : i32}) -> tensor<?x8xf32> {
  // expected-error @+1 {{hard_sigmoid with alpha 0.2, beta 0.5 cannot be quantized: the DPU computes relu6(x + 3) * 2731 / 2^14 (alpha 1/6, beta 1/2)}}
  %a = tfg.hard_sigmoid %x {quant.fix_point = 7 : i32} : tensor<?x8xf32>
  return %a : tensor<?x8xf32>
}

// -----

func.func @hard_sigmoid_input_position(%x: tensor<?x8xf32> {quant.fix_point = -2 : i32}) -> tensor<?x8xf32> {
  // expected-error @+1 {{cannot be quantized: its input position -2 is outside [0, 15], the DPU's hsigmoid_in range}}
  %a = tfg.hard_sigmoid %x {alpha = 0.166666672 : f32, quant.fix_point = 7 : i32} : tensor<?x8xf32>
  return %a : tensor<?x8xf32>
}

// -----

func.func @bilinear(%x: tensor<?x2x2x4xf32> {quant.fix_point = 4 : i32}) -> tensor<?x4x4x4xf32> {
  // expected-error @+1 {{cannot be quantized: bilinear resize has no fixed-point form (the DPU's upsample-fix is nearest by integer factors; its bilinear rounding is not documented)}}
  %a = tfg.resize %x {mode = #tfg.resize_mode<bilinear>, quant.fix_point = 4 : i32} : (tensor<?x2x2x4xf32>) -> tensor<?x4x4x4xf32>
  return %a : tensor<?x4x4x4xf32>
}

// -----

func.func @fractional_scale(%x: tensor<?x2x2x4xf32> {quant.fix_point = 4 : i32}) -> tensor<?x3x4x4xf32> {
  // expected-error @+1 {{cannot be quantized: resize from 2x2 to 3x4 is not an upsampling by integer factors (upsample-fix)}}
  %a = tfg.resize %x {mode = #tfg.resize_mode<nearest>, quant.fix_point = 4 : i32} : (tensor<?x2x2x4xf32>) -> tensor<?x3x4x4xf32>
  return %a : tensor<?x3x4x4xf32>
}

// -----

func.func @align_corners(%x: tensor<?x2x2x4xf32> {quant.fix_point = 4 : i32}) -> tensor<?x4x4x4xf32> {
  // expected-error @+1 {{cannot be quantized: nearest resize with coordinate mode 'align_corners' and rounding 'round_prefer_floor' does not read input floor(j / scale) as upsample-fix does}}
  %a = tfg.resize %x {mode = #tfg.resize_mode<nearest>, coordinate_mode = "align_corners", quant.fix_point = 4 : i32} : (tensor<?x2x2x4xf32>) -> tensor<?x4x4x4xf32>
  return %a : tensor<?x4x4x4xf32>
}

// -----

func.func @asymmetric_rounding(%x: tensor<?x2x2x4xf32> {quant.fix_point = 4 : i32}) -> tensor<?x6x6x4xf32> {
  // expected-error @+1 {{cannot be quantized: nearest resize with coordinate mode 'asymmetric' and rounding 'round_prefer_floor' does not read input floor(j / scale) as upsample-fix does}}
  %a = tfg.resize %x {mode = #tfg.resize_mode<nearest>, coordinate_mode = "asymmetric", quant.fix_point = 4 : i32} : (tensor<?x2x2x4xf32>) -> tensor<?x6x6x4xf32>
  return %a : tensor<?x6x6x4xf32>
}

// -----

func.func @edge_by_two(%x: tensor<?x4x4x2xf32> {quant.fix_point = 5 : i32}) -> tensor<?x4x6x2xf32> {
  // expected-error @+1 {{cannot be quantized: edge padding by more than one element has no pad-fix form (CONSTANT, REFLECT or SYMMETRIC)}}
  %a = tfg.pad %x {pads = array<i64: 0, 0, 2, 0, 0, 0, 0, 0>, mode = #tfg.pad_mode<edge>, quant.fix_point = 5 : i32} : (tensor<?x4x4x2xf32>) -> tensor<?x4x6x2xf32>
  return %a : tensor<?x4x6x2xf32>
}

// -----

func.func @crop(%x: tensor<?x4x4x2xf32> {quant.fix_point = 5 : i32}) -> tensor<?x3x4x2xf32> {
  // expected-error @+1 {{cannot be quantized: negative pads (crops) have no pad-fix form}}
  %a = tfg.pad %x {pads = array<i64: 0, -1, 0, 0, 0, 0, 0, 0>, quant.fix_point = 5 : i32} : (tensor<?x4x4x2xf32>) -> tensor<?x3x4x2xf32>
  return %a : tensor<?x3x4x2xf32>
}

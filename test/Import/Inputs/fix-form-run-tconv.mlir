// Two quant.conv2d_transpose (bias + relu, asymmetric strides and crops;
// no bias, dilated) for xmodel-fix-form-run.test: non-zero outputs on
// inputs in [-4, 4).
func.func @main(%x: tensor<1x3x3x2xf32> {tfg.name = "image"}) -> tensor<1x7x6x2xf32> {
  %q = quant.quantize %x : tensor<1x3x3x2xf32> -> tensor<1x3x3x2x!quant.fix<s8, 5>> loc("image_q")
  %w1 = quant.const dense<[[[[-15, 23, 40], [15, -27, 36]], [[-7, 31, -16], [8, -8, 5]], [[-36, -6, -28], [-39, 34, -3]]], [[[-16, -23, 27], [30, 3, 24]], [[39, -17, -13], [30, -30, 17]], [[-13, 4, -26], [-33, 15, 39]]], [[[24, 0, -13], [-35, 13, 31]], [[10, 19, -39], [-37, -32, 28]], [[32, -8, 38], [-21, -15, -2]]]]> : tensor<3x3x2x3xi8> -> tensor<3x3x2x3x!quant.fix<s8, 6>> loc("up1_weights")
  %b1 = quant.const dense<[29, -13, 13]> : tensor<3xi8> -> tensor<3x!quant.fix<s8, 5>> loc("up1_bias")
  %t1 = quant.conv2d_transpose %q, %w1, %b1 {strides = array<i64: 2, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 1, 0, 0, 1>, nonlinear = #quant.nonlinear<relu>} : (tensor<1x3x3x2x!quant.fix<s8, 5>>, tensor<3x3x2x3x!quant.fix<s8, 6>>, tensor<3x!quant.fix<s8, 5>>) -> tensor<1x6x4x3x!quant.fix<s8, 3>> loc("up1")
  %w2 = quant.const dense<[[[[-22, 8], [-30, 7], [-8, 4]], [[0, -32], [28, -7], [-39, 35]]], [[[-6, 32], [-21, 10], [19, 32]], [[-2, -1], [-6, -9], [-36, -12]]]]> : tensor<2x2x3x2xi8> -> tensor<2x2x3x2x!quant.fix<s8, 5>> loc("up2_weights")
  %t2 = quant.conv2d_transpose %t1, %w2 {strides = array<i64: 1, 1>, dilations = array<i64: 1, 2>, pad = array<i64: 0, 0, 0, 0>} : (tensor<1x6x4x3x!quant.fix<s8, 3>>, tensor<2x2x3x2x!quant.fix<s8, 5>>) -> tensor<1x7x6x2x!quant.fix<s8, 2>> loc("up2")
  %out = quant.dequantize %t2 : tensor<1x7x6x2x!quant.fix<s8, 2>> -> tensor<1x7x6x2xf32> loc("out")
  return %out : tensor<1x7x6x2xf32>
}

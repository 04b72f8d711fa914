// The quant ops fashion_mnist does not use, with weights and positions that
// give non-zero outputs on inputs in [-4, 4), for xmodel-fix-form-run.test.
func.func @main(%x: tensor<1x4x4x2xf32> {tfg.name = "image"}) -> tensor<1x2x2x6xf32> {
  %q = quant.quantize %x : tensor<1x4x4x2xf32> -> tensor<1x4x4x2x!quant.fix<s8, 5>> loc("image_q")
  %dw = quant.const dense<[[[[20], [-12]], [[16], [24]]], [[[-8], [28]], [[12], [-20]]]]> : tensor<2x2x2x1xi8> -> tensor<2x2x2x1x!quant.fix<s8, 5>> loc("dw_weights")
  %db = quant.const dense<[16, -8]> : tensor<2xi8> -> tensor<2x!quant.fix<s8, 5>> loc("dw_bias")
  %d = quant.depthwise_conv2d %q, %dw, %db {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 1, 0, 1>, nonlinear = #quant.nonlinear<relu6>} : (tensor<1x4x4x2x!quant.fix<s8, 5>>, tensor<2x2x2x1x!quant.fix<s8, 5>>, tensor<2x!quant.fix<s8, 5>>) -> tensor<1x4x4x2x!quant.fix<s8, 4>> loc("dw")
  %cw = quant.const dense<[[[[17, -23, 30], [-9, 25, 14]]], [[[-31, 11, -6], [22, -18, 27]]]]> : tensor<2x1x2x3xi8> -> tensor<2x1x2x3x!quant.fix<s8, 5>> loc("conv_weights")
  %c = quant.conv2d %d, %cw {strides = array<i64: 2, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 1, 0, 0, 0>, nonlinear = #quant.nonlinear<leaky_relu>} : (tensor<1x4x4x2x!quant.fix<s8, 4>>, tensor<2x1x2x3x!quant.fix<s8, 5>>) -> tensor<1x2x4x3x!quant.fix<s8, 3>> loc("conv")
  %p = quant.max_pool %c {kernel = array<i64: 1, 2>, strides = array<i64: 1, 2>, pad = array<i64: 0, 0, 0, 0>} : (tensor<1x2x4x3x!quant.fix<s8, 3>>) -> tensor<1x2x2x3x!quant.fix<s8, 3>> loc("pool")
  %s = quant.const dense<[64, -32, 16]> : tensor<3xi8> -> tensor<3x!quant.fix<s8, 6>> loc("scale")
  %m = quant.mul %p, %s : (tensor<1x2x2x3x!quant.fix<s8, 3>>, tensor<3x!quant.fix<s8, 6>>) -> tensor<1x2x2x3x!quant.fix<s8, 4>> loc("mul")
  %a = quant.add %p, %m {nonlinear = #quant.nonlinear<relu>} : (tensor<1x2x2x3x!quant.fix<s8, 3>>, tensor<1x2x2x3x!quant.fix<s8, 4>>) -> tensor<1x2x2x3x!quant.fix<s8, 3>> loc("add")
  %cat = quant.concat %a, %m {axis = 3 : i64} : (tensor<1x2x2x3x!quant.fix<s8, 3>>, tensor<1x2x2x3x!quant.fix<s8, 4>>) -> tensor<1x2x2x6x!quant.fix<s8, 3>> loc("cat")
  %out = quant.dequantize %cat : tensor<1x2x2x6x!quant.fix<s8, 3>> -> tensor<1x2x2x6xf32> loc("out")
  return %out : tensor<1x2x2x6xf32>
}

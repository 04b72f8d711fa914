// Quant ops the fashion_mnist model does not use, for xmodel-fix-form.test.
func.func @main(%x: tensor<?x4x4x2xf32> {tfg.name = "image"}) -> tensor<?x2x2x6xf32> {
  %q = quant.quantize %x : tensor<?x4x4x2xf32> -> tensor<?x4x4x2x!quant.fix<s8, 6>> loc("image_q")
  %dw = quant.const dense<[[[[1], [-2]], [[3], [4]]], [[[-5], [6]], [[7], [-8]]]]> : tensor<2x2x2x1xi8> -> tensor<2x2x2x1x!quant.fix<s8, 7>> loc("dw_weights")
  %db = quant.const dense<[9, -10]> : tensor<2xi8> -> tensor<2x!quant.fix<s8, 8>> loc("dw_bias")
  %d = quant.depthwise_conv2d %q, %dw, %db {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 0, 1, 0, 1>, nonlinear = #quant.nonlinear<relu6>} : (tensor<?x4x4x2x!quant.fix<s8, 6>>, tensor<2x2x2x1x!quant.fix<s8, 7>>, tensor<2x!quant.fix<s8, 8>>) -> tensor<?x4x4x2x!quant.fix<s8, 5>> loc("dw")
  %cw = quant.const dense<[[[[1, 2, 3], [4, 5, 6]]], [[[-1, -2, -3], [-4, -5, -6]]]]> : tensor<2x1x2x3xi8> -> tensor<2x1x2x3x!quant.fix<s8, 6>> loc("conv_weights")
  %c = quant.conv2d %d, %cw {strides = array<i64: 2, 1>, dilations = array<i64: 1, 1>, pad = array<i64: 1, 0, 0, 0>, nonlinear = #quant.nonlinear<leaky_relu>} : (tensor<?x4x4x2x!quant.fix<s8, 5>>, tensor<2x1x2x3x!quant.fix<s8, 6>>) -> tensor<?x2x4x3x!quant.fix<s8, 4>> loc("conv")
  %p = quant.max_pool %c {kernel = array<i64: 1, 2>, strides = array<i64: 1, 2>, pad = array<i64: 0, 0, 0, 0>} : (tensor<?x2x4x3x!quant.fix<s8, 4>>) -> tensor<?x2x2x3x!quant.fix<s8, 4>> loc("pool")
  %s = quant.const dense<[64, 32, 16]> : tensor<3xi8> -> tensor<3x!quant.fix<s8, 6>> loc("scale")
  %m = quant.mul %p, %s : (tensor<?x2x2x3x!quant.fix<s8, 4>>, tensor<3x!quant.fix<s8, 6>>) -> tensor<?x2x2x3x!quant.fix<s8, 5>> loc("mul")
  %a = quant.add %p, %m {nonlinear = #quant.nonlinear<relu>} : (tensor<?x2x2x3x!quant.fix<s8, 4>>, tensor<?x2x2x3x!quant.fix<s8, 5>>) -> tensor<?x2x2x3x!quant.fix<s8, 4>> loc("add")
  %cat = quant.concat %a, %m {axis = 3 : i64} : (tensor<?x2x2x3x!quant.fix<s8, 4>>, tensor<?x2x2x3x!quant.fix<s8, 5>>) -> tensor<?x2x2x6x!quant.fix<s8, 4>> loc("cat")
  %out = quant.dequantize %cat : tensor<?x2x2x6x!quant.fix<s8, 4>> -> tensor<?x2x2x6xf32> loc("out")
  return %out : tensor<?x2x2x6xf32>
}

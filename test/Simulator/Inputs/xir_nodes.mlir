// PPScatterV2 and transpose as --import-xmodel-dpu keeps them: generic
// tfg.node "xir" ops with XIR's attributes (xir-node-kernels.test).
func.func @main(%f: tensor<1x3x7x1xf32>, %c: tensor<1x7x4xf32>) -> (tensor<1x3x4x6xf32>, tensor<1x7x1x3xf32>) {
  %0 = tfg.node "xir" "PPScatterV2"(%f, %c) {attrs = {nchannels = 3 : i32, nx = 6 : i32, ny = 4 : i32}} : (tensor<1x3x7x1xf32>, tensor<1x7x4xf32>) -> tensor<1x3x4x6xf32> loc("scatter")
  %1 = tfg.node "xir" "transpose"(%f) {attrs = {order = array<i32: 0, 2, 3, 1>}} : (tensor<1x3x7x1xf32>) -> tensor<1x7x1x3xf32> loc("transpose")
  return %0, %1 : tensor<1x3x4x6xf32>, tensor<1x7x1x3xf32>
}

// An identity model with one RGB NHWC input of any size: quant-calibrate
// feeds it the preprocessed images unchanged.
func.func @rgb(%x: tensor<?x?x?x3xf32>) -> tensor<?x?x?x3xf32> {
  return %x : tensor<?x?x?x3xf32>
}

// An identity model with one grey 6x6 NHWC input.
func.func @gray(%x: tensor<?x6x6x1xf32>) -> tensor<?x6x6x1xf32> {
  return %x : tensor<?x6x6x1xf32>
}

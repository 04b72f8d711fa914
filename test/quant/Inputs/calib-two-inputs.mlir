// Two named inputs, as an importer leaves them (`tfg.name`).
func.func @two(%a: tensor<?x3xf32> {tfg.name = "image:0"},
               %b: tensor<?x2x2xf32> {tfg.name = "extra"})
    -> (tensor<?x3xf32>, tensor<?x2x2xf32>) {
  return %a, %b : tensor<?x3xf32>, tensor<?x2x2xf32>
}

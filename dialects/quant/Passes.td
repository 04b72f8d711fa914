//===- Passes.td - quant passes ----------------------------*- tablegen -*-===//

#ifndef VAI_QUANT_PASSES
#define VAI_QUANT_PASSES

include "mlir/Pass/PassBase.td"

def QuantCalibrate : Pass<"quant-calibrate", "mlir::func::FuncOp"> {
  let summary = "Choose activation fix positions by running the float graph on calibration data";
  let description = [{
    Runs the float interpreter over calibration batches taken from a `.npy`
    file (first dimension = images) and records, on every `tfg` op and on
    each function argument, the attribute `quant.fix_point`: the fix
    position of its output. Per batch the position is chosen with `method`
    (0 = non-overflow, 1 = min-diffs: the position minimising the squared
    quantization error); the final position is the mode over batches, as
    `vai_q` does. `batch-size` and `calib-iter` have `vai_q`'s meaning:
    `calib-iter` batches of `batch-size` images (0 = all images).

    Requires a function whose ops are all `tfg` and whose arguments match
    the data's trailing shape. Leaves the IR otherwise unchanged.
  }];
  let options = [
    Option<"dataPath", "data", "std::string", "",
           "calibration inputs: a .npy file with one image per row">,
    Option<"method", "method", "unsigned", "1",
           "position selection: 0 non-overflow, 1 min-diffs">,
    Option<"activationBit", "activation-bit", "unsigned", "8",
           "bit width of activations">,
    Option<"batchSize", "batch-size", "unsigned", "32",
           "images per calibration batch">,
    Option<"calibIter", "calib-iter", "unsigned", "0",
           "number of batches to run (0 = every batch the data holds)">
  ];
  let dependentDialects = ["::vai::tfg::TfgDialect"];
}

def QuantQuantize : Pass<"quant-quantize", "mlir::func::FuncOp"> {
  let summary = "Rewrite calibrated tfg into fixed-point quant ops";
  let description = [{
    Requires every `tfg` op (except constants) and every function argument
    to carry `quant.fix_point` (from `quant-calibrate`) and the fused form
    of `tfg-fuse-bias-activation`. Weights and biases are quantized to
    `weight-bit` with their own min-diffs positions. Positions are then
    adjusted so that every conv/matmul satisfies the DPU's shift rules
    (DESIGN.md §5): the weight position is lowered when `shift_cut` would
    exceed 16, the output position lowered to `w + i` when it would be
    negative, and the bias position moved into the `shift_bias` range.
    Inputs enter through `quant.quantize`, results leave through
    `quant.dequantize`, so the function signature is unchanged.
  }];
  let options = [
    Option<"weightBit", "weight-bit", "unsigned", "8", "bit width of weights and biases">,
    Option<"method", "method", "unsigned", "1",
           "weight position selection: 0 non-overflow, 1 min-diffs">
  ];
  let dependentDialects = ["::vai::quant::QuantDialect"];
}

#endif // VAI_QUANT_PASSES

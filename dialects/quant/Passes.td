//===- Passes.td - quant passes ----------------------------*- tablegen -*-===//

#ifndef VAI_QUANT_PASSES
#define VAI_QUANT_PASSES

include "mlir/Pass/PassBase.td"

def QuantCalibrate : Pass<"quant-calibrate", "mlir::func::FuncOp"> {
  let summary = "Choose activation fix positions by running the float graph on calibration data";
  let description = [{
    Runs the float interpreter over calibration batches and records, on
    every `tfg` op and on each function argument, the attribute
    `quant.fix_point`: the fix
    position of its output. Per batch the position is chosen with `method`
    (0 = non-overflow, 1 = min-diffs: the position minimising the squared
    quantization error); the final position is the mode over batches, as
    `vai_q` does. `batch-size` and `calib-iter` have `vai_q`'s meaning:
    `calib-iter` batches of `batch-size` images (0 = all images); asking
    for more than the data holds warns and uses what there is.

    `data` is one of:
    - a `.npy` file, first dimension = images, for a one-input function;
    - a `.npz` archive (`numpy.savez` or `savez_compressed`) with one array
      per argument, matched by the argument's `tfg.name` (a TF `:0` suffix
      may be left out) or, when the names do not all match, by order;
    - a folder of JPEG/PNG/BMP/PNM images, taken in file-name order, for a
      one-input NHWC function; each image is decoded with 1 or 3 channels
      as the input has, then preprocessed: bilinear resize (half-pixel
      centres), centre crop, channel order, `(pixel - mean) * scale` on
      0..255 pixels. The spec is a JSON file (`preprocess`, keys `resize`,
      `crop`, `mean`, `scale` or `std`, `channel_order`); the options
      `resize`, `crop`, `mean`, `scale`, `channel-order` override it.
      `include/vai/Support/ImageLoader.h` defines every step exactly.

    `save-inputs` writes the images actually fed (after preprocessing) to a
    `.npy` file so that a user can check them. A progress bar is drawn on
    stderr when stderr is a terminal.

    Requires a function whose ops are all `tfg` and whose arguments match
    the data's trailing shape. Leaves the IR otherwise unchanged.
  }];
  let options = [
    Option<"dataPath", "data", "std::string", "",
           "calibration inputs: a .npy file (images first), a .npz archive "
           "(one array per input) or a folder of images">,
    Option<"preprocessPath", "preprocess", "std::string", "",
           "JSON preprocessing spec for an image folder">,
    ListOption<"resize", "resize", "int64_t",
               "image resize: S (shorter side) or H,W">,
    ListOption<"crop", "crop", "int64_t", "image centre crop: S or H,W">,
    ListOption<"mean", "mean", "double",
               "per-channel (or one) mean subtracted from 0..255 pixels">,
    ListOption<"scale", "scale", "double",
               "per-channel (or one) factor applied after the mean">,
    Option<"channelOrder", "channel-order", "std::string", "",
           "image channel order: rgb (default) or bgr">,
    Option<"saveInputs", "save-inputs", "std::string", "",
           "write the calibration inputs as fed (one input) to this .npy">,
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

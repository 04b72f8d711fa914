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
    quantization error; 2 = as 1, method 2 differs in quant-quantize only);
    the final position is the mode over batches, as
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

    vai_q's options (docs/passes/quantizer-options.md): `activation-bit`
    (2..8; a width other than 8 is recorded as `quant.bit_width` next to
    `quant.fix_point`); `nodes-bit` / `nodes-method` (`name:value` per
    node; entries naming a conv, depthwise conv or matmul address its
    weights and are applied by `quant-quantize`, the others the node's
    output here); `simulate-dpu` (default on: the float run uses the DPU's
    leaky ReLU slope 26/256, average-pool factor m / 2^s and hard-sigmoid
    scale 2731/16384 so positions fit what the DPU computes); `arch-type`
    (`DPUCADF8H` chooses activation positions for the range [-127, 127]).

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
           "position selection: 0 non-overflow, 1 min-diffs, 2 min-diffs "
           "(method 2 differs only for depthwise weights)">,
    Option<"activationBit", "activation-bit", "unsigned", "8",
           "bit width of activations, 2..8">,
    Option<"batchSize", "batch-size", "unsigned", "32",
           "images per calibration batch">,
    Option<"calibIter", "calib-iter", "unsigned", "0",
           "number of batches to run (0 = every batch the data holds)">,
    ListOption<"nodesBit", "nodes-bit", "std::string",
               "per-node bit width, name:bits (outputs here; weights of "
               "conv/depthwise/matmul nodes in quant-quantize)">,
    ListOption<"nodesMethod", "nodes-method", "std::string",
               "per-node method, name:method (as nodes-bit)">,
    Option<"simulateDpu", "simulate-dpu", "bool", "true",
           "calibrate with the DPU's leaky ReLU, average pool and "
           "hard-sigmoid arithmetic">,
    Option<"archType", "arch-type", "std::string", "\"DEFAULT\"",
           "DEFAULT (activations in [-128, 127]) or DPUCADF8H ([-127, 127])">
  ];
  let dependentDialects = ["::vai::tfg::TfgDialect"];
}

def QuantQuantize : Pass<"quant-quantize", "mlir::func::FuncOp"> {
  let summary = "Rewrite calibrated tfg into fixed-point quant ops";
  let description = [{
    Requires every `tfg` op (except constants) and every function argument
    to carry `quant.fix_point` (from `quant-calibrate`) and the fused form
    of `tfg-fuse-bias-activation`. Weights and biases are quantized to
    `weight-bit` with their own positions, chosen by `method`: 0
    non-overflow, 1 min-diffs, 2 min-diffs except for depthwise weights,
    which take the position with the smallest mean per-channel relative
    error (`fixPosDepthwise` in `include/vai/Support/FixedPoint.h`; vai_q
    does not publish its depthwise strategy). Positions are then
    adjusted so that every conv/matmul satisfies the DPU's shift rules
    (DESIGN.md §5): the weight position is lowered when `shift_cut` would
    exceed 16, the output position lowered to `w + i` when it would be
    negative, and the bias position moved into the `shift_bias` range.
    Inputs enter through `quant.quantize`, results leave through
    `quant.dequantize`, so the function signature is unchanged.
    A `tfg.relu` that is the only user of a `tfg.add` (a ResNet block's
    tail) is fused here into `quant.add` with `nonlinear = relu` at the
    ReLU's position (XIR `eltwise-fix` applies it); `tfg.add` itself has no
    activation attribute. `tfg.conv2d_transpose` becomes
    `quant.conv2d_transpose` with the layer rules of a convolution, its
    `output_padding` rows taken from the end crop (an error when they
    exceed it: XIR's `transposed-conv2d` has no output padding).
    Weight and bias positions recorded on a layer by
    `quant-bias-correction` or `quant-fast-finetune`
    (`quant.weight_fix_point`, `quant.bias_fix_point`) replace the measured
    ones; the shift rules still apply to them.

    vai_q's options (docs/passes/quantizer-options.md):
    - `weight-bit` 2..8 (weights and biases; `nodes-bit` / `nodes-method`
      entries naming a conv, depthwise conv or matmul override its
      weights; entries naming other nodes belong to `quant-calibrate`).
      Narrow values are stored in i8 and the kernels clamp to the type's
      width.
    - `ignore-nodes`: these ops stay float `tfg` ops (marked
      `quant.ignored`); their quantized inputs go through
      `quant.dequantize`, their output re-enters fixed point through
      `quant.quantize` at the op's calibrated position. `input-nodes` /
      `output-nodes` quantize only the ops strictly after the inputs and
      up to the outputs; the rest stays float the same way.
    - `align-concat` (0: the producers of a concat's inputs take the
      coarsest position so the concat moves no bits; 1: the output takes
      the coarsest input position and the concat requantizes the others;
      2: the output keeps its calibrated position) and `align-pool` (0:
      a pool's input and output take the coarser of the two; 1: only the
      average pool's output; 2: off; a max pool always keeps its input's
      position).
    - `adjust-shift-cut` / `adjust-shift-bias` (default on) enable the
      shift adjustments above; off, the raw positions are kept and the
      quant verifier rejects a layer outside the DPU's ranges.
    - `float-fallback` (default on): an op with no fixed-point form
      (softmax, sigmoid, tanh, swish, sub, div, transpose, batch matmul,
      a transposed matmul, a mean over other axes, `tfg.node`, ...) stays
      float like an ignored node, marked `quant.ignored` and
      `quant.float_reason = "no fixed-point form"`, as vai_q leaves it
      and vai_c runs it on the CPU; an op that feeds only the results
      needs no requantize. Off, such an op is an error. `bias_add`,
      `relu` and batch norm remain errors: they mean a missing
      `vai-float-prepare` pass.

    `tfg.pad` (non-negative pads; `edge` only by one element, as XIR's
    SYMMETRIC) and nearest `tfg.resize` by integer factors become
    `quant.pad` / `quant.upsample` at their input's position; bilinear
    and bicubic resize, crops and other nearest mappings are errors.
    `tfg.hard_sigmoid` must be the DPU's form (alpha 1/6, beta 1/2, e.g.
    ONNX from PyTorch's Hardsigmoid or `tfg-replace-activations`); it
    becomes `quant.hard_sigmoid` with its calibrated output position
    raised to at least 7 and at most `14 + i` (vai_q's
    `adjust_hard_sigmoid`); an input position outside [0, 15] is an
    error. Calibration runs the float `relu6(x + 3) / 6`, not the DPU's
    `2731 / 2^14` slope: the two differ by 1.2e-4 at most, 1/60 of the
    output step 2^-7, too little to move a position.
  }];
  let options = [
    Option<"weightBit", "weight-bit", "unsigned", "8",
           "bit width of weights and biases, 2..8">,
    Option<"method", "method", "unsigned", "1",
           "weight position selection: 0 non-overflow, 1 min-diffs, 2 "
           "min-diffs with the depthwise strategy">,
    ListOption<"nodesBit", "nodes-bit", "std::string",
               "per-node bit width, name:bits (weights of conv/depthwise/"
               "matmul nodes; other nodes are quant-calibrate's)">,
    ListOption<"nodesMethod", "nodes-method", "std::string",
               "per-node weight method, name:method (as nodes-bit)">,
    ListOption<"ignoreNodes", "ignore-nodes", "std::string",
               "nodes left in float">,
    ListOption<"inputNodes", "input-nodes", "std::string",
               "quantize only after these nodes">,
    ListOption<"outputNodes", "output-nodes", "std::string",
               "quantize only up to these nodes">,
    Option<"alignConcat", "align-concat", "unsigned", "0",
           "concat alignment: 0 inputs and output, 1 output only, 2 off">,
    Option<"alignPool", "align-pool", "unsigned", "0",
           "pool alignment: 0 input and output, 1 output only, 2 off">,
    Option<"adjustShiftCut", "adjust-shift-cut", "bool", "true",
           "move positions into the DPU's shift_cut range">,
    Option<"adjustShiftBias", "adjust-shift-bias", "bool", "true",
           "move bias positions into the DPU's shift_bias range">,
    Option<"floatFallback", "float-fallback", "bool", "true",
           "leave ops with no fixed-point form float (for the CPU) instead "
           "of failing">
  ];
  let dependentDialects = ["::vai::quant::QuantDialect"];
}

def QuantBiasCorrection
    : Pass<"quant-bias-correction", "mlir::func::FuncOp"> {
  let summary = "Correct conv/matmul biases for the mean error quantization adds";
  let description = [{
    Runs between `quant-calibrate` and `quant-quantize` on the calibrated
    `tfg` function (fused form). The calibration images (option `data`,
    the forms of `quant-calibrate`; `batch-size` x `calib-iter` images, 0 =
    all) go through the function twice side by side, op by op: in float,
    and fake-quantized as `quant-quantize` will quantize it (every input and
    op output rounded half up and saturated at its `quant.fix_point`,
    weights and biases at the positions `quant-quantize` chooses for
    `method` after the DPU's shift rules, leaky ReLU with slope 26/256,
    average pools with the DPU's factor). Layers are corrected in order, so
    the input of a layer comes from the model whose earlier layers are
    already corrected.

    For each `conv2d`, `depthwise_conv2d` and `matmul` (output channel c):

        bias[c] += mean over N, H, W of (x_f * w + b - (x_q * Q(w) + b))

    where `x_f` is the layer's float input, `x_q` its fake-quantized input
    and `Q(w)` the weights quantized at their position: the empirical mean
    error of the quantized pre-activation output. A layer without a bias
    gets one.

    Each corrected layer records the weight and bias positions it was
    corrected for as `quant.weight_fix_point` and `quant.bias_fix_point`;
    `quant-quantize` uses recorded positions instead of measuring the
    constants (the shift rules still apply), so run it with the same
    `method` and its default shift rules, and without ignored nodes.
  }];
  let options = [
    Option<"dataPath", "data", "std::string", "",
           "calibration inputs, as quant-calibrate's data">,
    Option<"preprocessPath", "preprocess", "std::string", "",
           "JSON preprocessing spec for an image folder">,
    Option<"method", "method", "unsigned", "1",
           "weight position selection as quant-quantize: 0 non-overflow, 1 "
           "min-diffs, 2 min-diffs with the depthwise strategy">,
    Option<"batchSize", "batch-size", "unsigned", "32",
           "images per calibration batch">,
    Option<"calibIter", "calib-iter", "unsigned", "0",
           "number of batches to use (0 = every image the data holds)">
  ];
  let dependentDialects = ["::vai::tfg::TfgDialect"];
}

def QuantFastFinetune : Pass<"quant-fast-finetune", "mlir::func::FuncOp"> {
  let summary = "AdaQuant: optimise each layer's weights and bias against the float layer";
  let description = [{
    Runs between `quant-calibrate` and `quant-quantize`, on the same
    side-by-side float and fake-quantized runs as `quant-bias-correction`
    (same `data`, `method`, `batch-size`, `calib-iter`). Layer by layer, in
    order, the float weights and bias of each `conv2d`, `depthwise_conv2d`
    and `matmul` are optimised to minimise the mean squared error between
    the float layer's output (after its activation, from the float input)
    and the fake-quantized layer's output computed from the fake-quantized
    input (AdaQuant, Hubara et al. 2020). The weight rounding uses a
    straight-through estimator (gradient 1 inside the representable range,
    0 where weights saturate); the training loss takes the layer's output
    before its own rounding (whose error no weight can remove) and is 0
    where the output saturates. The weight position is held at the one
    `quant-quantize` would choose for the initial weights. Adam runs
    `iterations` steps on minibatches of `batch-size` images drawn from the
    first `images` images (0 = all); `learning-rate` is the step in units
    of the weights' quantization step (the bias: of the output's), decaying
    linearly to 0. The result is kept only if it lowers the layer's error
    (fully fake-quantized output against float) over all the calibration
    images; `report` prints that error before and after for each layer.

    Positions are recorded as by `quant-bias-correction`
    (`quant.weight_fix_point`, `quant.bias_fix_point`), so that
    `quant-quantize` quantizes the finetuned weights at the position they
    were optimised for.
  }];
  let options = [
    Option<"dataPath", "data", "std::string", "",
           "calibration inputs, as quant-calibrate's data">,
    Option<"preprocessPath", "preprocess", "std::string", "",
           "JSON preprocessing spec for an image folder">,
    Option<"method", "method", "unsigned", "1",
           "weight position selection as quant-quantize: 0 non-overflow, 1 "
           "min-diffs, 2 min-diffs with the depthwise strategy">,
    Option<"batchSize", "batch-size", "unsigned", "32",
           "images per calibration batch and per training minibatch">,
    Option<"calibIter", "calib-iter", "unsigned", "0",
           "number of batches to use (0 = every image the data holds)">,
    Option<"iterations", "iterations", "unsigned", "100",
           "Adam steps per layer">,
    Option<"learningRate", "learning-rate", "double", "0.05",
           "Adam step in quantization steps of the weights (bias: output)">,
    Option<"images", "images", "unsigned", "0",
           "images minibatches are drawn from (0 = all loaded)">,
    Option<"report", "report", "bool", "false",
           "print each layer's error before and after on stderr">
  ];
  let dependentDialects = ["::vai::tfg::TfgDialect"];
}

#endif // VAI_QUANT_PASSES

//===- Passes.td - tfg passes ------------------------------*- tablegen -*-===//

#ifndef VAI_TFG_PASSES
#define VAI_TFG_PASSES

include "mlir/Pass/PassBase.td"

def TfgCleanup : Pass<"tfg-cleanup", "mlir::func::FuncOp"> {
  let summary = "Remove identities and dead ops, fold constant subgraphs";
  let description = [{
    Importers keep every framework node, including those that do nothing at
    inference: TF `Identity`, `StopGradient`, single-input `AddN`, Keras and
    ONNX `Dropout` (and the other noise layers), Caffe `Dropout` all become
    `tfg.identity`. This pass

    - replaces each `tfg.identity` by its input, except one that carries
      `quant.hint_*` attributes (an ONNX QuantizeLinear/DequantizeLinear
      pair): that identity is kept, as the hints describe the tensor at
      that point and a block argument or a producer that a later pass
      rewrites could not hold them;
    - folds constant subgraphs with the ops' folders: `transpose`,
      `reshape`, `pad` of a constant, `concat` of constants, and `add`,
      `sub`, `mul`, `div`, `maximum`, `minimum` of two constants, computed
      with the float interpreter's kernels. The new `tfg.const` keeps the
      folded op's node name. A result of more than 65536 elements is made
      only when the constants it reads have no other user (so no large
      constant is held twice), and a constant with quantization hints is
      never folded. No-op forms (identity permutation, zero pads, reshape
      to the same type, single-input concat) fold to their input;
    - erases ops whose results are unused and that have no side effects.

    `tfg.node` (a framework node kept verbatim) is never folded or erased,
    so what it reads stays computed. Node names of the remaining ops and the
    function's signature are unchanged.

    Guarantees: no `tfg.identity` without hints remains, and the float
    interpreter's results are unchanged exactly (folding runs the same
    kernels as the interpreter).
  }];
  let dependentDialects = ["::vai::tfg::TfgDialect"];
}

def TfgFoldBatchNorm : Pass<"tfg-fold-batchnorm", "mlir::func::FuncOp"> {
  let summary = "Fold inference batch normalization into the producing convolution or matmul";
  let description = [{
    Rewrites `fused_batch_norm(conv2d(x, W[, b]))` into `conv2d(x, W', b')`
    with, per output channel `c`, `s = scale[c] / sqrt(var[c] + eps)`,
    `W'[..., c] = W[..., c] * s` and `b'[c] = (b[c] - mean[c]) * s +
    offset[c]` (an absent bias counts as zero). The producer may be a
    `conv2d` (HWIO, channel = dimension 3), a `depthwise_conv2d` (filter
    `[kh, kw, C, M]`, channel `c * M + m`), a `conv2d_transpose` (filter
    `[kh, kw, out, in]`, channel = dimension 2) or a `matmul` (channel = the
    last dimension of `b`, the first with `transpose_b`). A `bias_add`
    between the producer and the batch norm is folded through. The producer
    must have no activation fused and no other user; its weights and the
    batch-norm parameters must be constants. Everything is computed in
    double with exactly the op's `epsilon` (0 allowed: exporters that fold
    epsilon into the variance) and rounded to f32 once.

    A batch norm with constant parameters and no foldable producer (after
    an add, a pool, an activation, a concat, a graph input, or a producer
    with other users) becomes `add(mul(x, s), t)` with constant per-channel
    vectors `s = scale / sqrt(var + eps)`, `t = offset - mean * s`
    broadcast on the last dimension; the `add` keeps the batch norm's node
    name. Every batch norm not folded into a producer is reported with a
    remark naming the node and the reason; one whose parameters are not
    constant, or whose `var + eps` is not positive, stays as it is.

    Guarantees: the float interpreter's results are unchanged up to float
    rounding of the folded weights; with `scale-offset` (the default) no
    `fused_batch_norm` with constant, valid parameters remains.
  }];
  let options = [
    Option<"scaleOffset", "scale-offset", "bool", "true",
           "Rewrite batch norms that cannot be folded into a per-channel "
           "mul and add">,
  ];
  let dependentDialects = ["::vai::tfg::TfgDialect"];
}

def TfgFuseBiasActivation : Pass<"tfg-fuse-bias-activation", "mlir::func::FuncOp"> {
  let summary = "Fuse bias_add and relu/relu6/leaky_relu into the producing convolution or matmul";
  let description = [{
    The DPU computes convolution, bias and nonlinearity as one layer. This
    pass moves a constant `bias_add` into the producer's `bias` operand
    (adding to an existing constant bias) and then a `relu`, `relu6` or
    `leaky_relu` into its `activation` (the leaky slope into `alpha`), when
    the producer has no other user. Producers are `conv2d`,
    `depthwise_conv2d`, `conv2d_transpose` and `matmul`. A `prelu` whose
    slope is one constant value everywhere is a leaky ReLU and fuses as one;
    a per-channel `prelu` has no DPU form as a conv nonlinearity and stays a
    separate op (reported with a remark naming the node). The result is the
    form `quant-quantize` expects.

    Guarantees: the float interpreter's results are unchanged up to the
    rounding of summed biases.
  }];
  let dependentDialects = ["::vai::tfg::TfgDialect"];
}

def TfgFusePad : Pass<"tfg-fuse-pad", "mlir::func::FuncOp"> {
  let summary = "Merge an explicit zero tfg.pad into the padding of the convolution it feeds";
  let description = [{
    Importers keep a framework `Pad` node (e.g. TF's explicit padding before
    a strided conv, or ONNX `Pad`) as `tfg.pad`. When the pad is a
    `constant` pad with value 0, pads only H and W (dimensions 1 and 2 of
    NHWC) by non-negative amounts, has no other user and feeds the input of
    a `conv2d` or `depthwise_conv2d`, its amounts are added to the conv's
    `pad` and the pad is removed: a convolution's padding is zeros.

    Pools are left alone: `avg_pool` does not count padded positions, so a
    zero pad before it changes the averages at the border; `max_pool`
    padding never wins, which equals a pad only when its value is below
    every input. `conv2d_transpose` padding crops and is not a pad either.

    With `kernel-limit` (the default) a pad is merged only when every side
    of the merged padding stays within `(k - 1) * dilation`, the DPU's
    limit (UG1414); a larger pad would make the convolution unsupported.
    Pads before a convolution that stay are reported with a remark.

    Guarantees: the float interpreter's results are unchanged exactly.
  }];
  let options = [
    Option<"kernelLimit", "kernel-limit", "bool", "true",
           "Merge only when the padding stays within (k - 1) * dilation">,
  ];
  let dependentDialects = ["::vai::tfg::TfgDialect"];
}

def TfgCancelTransposes : Pass<"tfg-cancel-transposes", "mlir::func::FuncOp"> {
  let summary = "Remove transposes that cancel, are identities or only move size-1 dimensions";
  let description = [{
    The ONNX importer keeps NCHW values that meet layout-insensitive ops in
    ONNX's layout and converts with `tfg.transpose` (`<value>/nchw`,
    `<value>/nhwc`); many of those pairs meet again and cancel. Rewrites:

    - `transpose(transpose(x, p1), p2)` -> `transpose(x, p1 o p2)`, and
      nothing at all when that composition is the identity;
    - a transpose with the identity permutation -> its input;
    - `transpose(f_n(... f_1(transpose(x, p), c_1) ..., c_n), inverse(p))`
      -> `f_n(... f_1(x, c_1') ..., c_n')`, where each `f_i` is
      `add`/`sub`/`mul`/`div`/`maximum`/`minimum`/`prelu` with one constant
      operand `c_i` (any rank that broadcasts into the value without
      changing its shape) or a unary elementwise op (`relu`, `relu6`,
      `leaky_relu`, `sigmoid`, `tanh`, `swish`, `hard_swish`,
      `hard_sigmoid`, `clip`, `identity`); `c_i'` is `c_i` padded to the
      full rank and permuted back. Every `f_i` result must have no other
      user;
    - a transpose of a constant -> the permuted constant.

    Then, in a second round (so that a pair of size-1 transposes still
    cancels first), a transpose that only moves size-1 dimensions (the
    relative order of the others kept) becomes `tfg.reshape`, and
    `reshape(reshape(x))` becomes one reshape, or `x` when the types agree.

    Guarantees: the float interpreter's results are unchanged exactly
    (no arithmetic is changed, only data movement removed).
  }];
  let dependentDialects = ["::vai::tfg::TfgDialect"];
}

def TfgFoldConstantAffine : Pass<"tfg-fold-constant-affine", "mlir::func::FuncOp"> {
  let summary = "Fold a per-channel constant mul/add after a convolution into its weights and bias";
  let description = [{
    Rewrites `mul(conv(x, W, b), s)` into `conv(x, W * s, b * s)`,
    `add(conv(x, W, b), t)` into `conv(x, W, b + t)` and `sub(conv(x, W,
    b), t)` into `conv(x, W, b - t)` (the constant of `mul` and `add` may be
    either operand; `t - conv` is left alone), and a `bias_add` likewise
    (so that a scale behind it is reached), where `s`/`t` is a
    constant scalar or a per-output-channel vector (shape `[C]`, or
    `[1, ..., 1, C]`) that broadcasts over the result without changing its
    type. The producer is a `conv2d`, `depthwise_conv2d`,
    `conv2d_transpose` or `matmul` with constant weights (and bias), no
    activation and no other user. ONNX graphs exported from frameworks
    that lower normalization or scaling to `Mul`/`Add` by initializers
    leave these.

    Guarantees: each output value gets one more rounding at most: the
    folded weights and bias are rounded to f32 once, so the float
    interpreter's results agree to float precision (not bit-exactly).
  }];
  let dependentDialects = ["::vai::tfg::TfgDialect"];
}

def TfgReplaceActivations : Pass<"tfg-replace-activations", "mlir::func::FuncOp"> {
  let summary = "Replace activations by the forms the DPU executes (vai_q options)";
  let description = [{
    Each option mirrors a `vai_q` switch and is off by default; every
    replacement changes the float model's numbers (that is its purpose: the
    float graph then computes what the DPU computes).

    - `relu6-to-relu`: `tfg.relu6` and a fused `relu6` activation become
      `relu` (vai_q `replace_relu6`, usually together with cross-layer
      equalization, which cannot scale through a clip at 6).
    - `sigmoid-to-hard-sigmoid`: `tfg.sigmoid` becomes `tfg.hard_sigmoid`
      with alpha 1/6, beta 1/2, i.e. `relu6(x + 3) / 6` (vai_q
      `replace_sigmoid`).
    - `swish-to-hard-swish`: `tfg.swish` becomes `tfg.hard_swish`,
      `x * relu6(x + 3) / 6`.
    - `softmax-to-hard-softmax`: `tfg.softmax` becomes `tfg.hard_softmax`,
      the DPU's bfloat16 softmax (vai_q `replace_softmax`; see the op).
  }];
  let options = [
    Option<"relu6ToRelu", "relu6-to-relu", "bool", "false",
           "Replace relu6 (standalone or fused) by relu">,
    Option<"sigmoidToHardSigmoid", "sigmoid-to-hard-sigmoid", "bool", "false",
           "Replace sigmoid by hard_sigmoid(alpha = 1/6, beta = 1/2)">,
    Option<"swishToHardSwish", "swish-to-hard-swish", "bool", "false",
           "Replace swish by hard_swish">,
    Option<"softmaxToHardSoftmax", "softmax-to-hard-softmax", "bool", "false",
           "Replace softmax by the DPU's hard_softmax">,
  ];
  let dependentDialects = ["::vai::tfg::TfgDialect"];
}

def TfgCrossLayerEqualization : Pass<"tfg-cross-layer-equalization", "mlir::func::FuncOp"> {
  let summary = "Equalize per-channel weight ranges of consecutive convolutions";
  let description = [{
    Data-free cross-layer equalization (Nagel et al. 2019, "Data-Free
    Quantization Through Weight Equalization and Bias Correction", §4.1).
    For a pair `conv1 -> act -> conv2` (`conv2d` or `depthwise_conv2d`
    each, so depthwise-separable blocks form two pairs) where `act` is
    none, `relu` or `leaky_relu` (positively homogeneous: `act(x / s) =
    act(x) / s` for `s > 0`), with `r1[i]` the max |weight| of output
    channel `i` of conv1 and `r2[i]` that of input channel `i` of conv2,
    `s[i] = sqrt(r1[i] * r2[i]) / r2[i]`, conv1's filter and bias of
    channel `i` are divided by `s[i]` and conv2's filter of input channel
    `i` is multiplied by it. Both ranges become `sqrt(r1[i] * r2[i])`.
    A layer in two pairs is balanced by sweeping all pairs repeatedly until
    every scale is within `tolerance` of 1 or `iterations` sweeps are done.

    Requires: every value between the two convolutions has exactly one user;
    only ops that commute with a positive per-channel scale may sit in
    between (`relu`, `leaky_relu`, `max_pool`, `avg_pool`, a `pad` with
    zeros on the spatial dimensions), so no `bias_add` (run
    `tfg-fuse-bias-activation` first); constant filters and bias. Channels
    with a zero range keep scale 1.

    `relu6` is not homogeneous (`relu6(x / s) * s` clips at `6 s`), so no
    scale other than 1 keeps it exact. `relu6=skip` (default) leaves such
    pairs alone; `relu6=replace` turns their relu6 into relu and equalizes
    (vai_q's `cle_to_relu6 = False` behaviour): this changes the float model
    wherever an activation exceeds 6.

    Guarantees: with `relu6=skip` the float interpreter's results are
    unchanged up to float rounding. With `report`, every pair gets a remark
    giving the spread (max / min over channels) of the two layers' ranges
    before and after.
  }];
  let options = [
    Option<"iterations", "iterations", "unsigned", "20",
           "Maximum number of sweeps over all pairs">,
    Option<"tolerance", "tolerance", "double", "1e-4",
           "Stop when every scale of a sweep is within this of 1">,
    Option<"relu6", "relu6", "std::string", "\"skip\"",
           "Pairs joined by relu6: 'skip' them or 'replace' relu6 by relu">,
    Option<"report", "report", "bool", "false",
           "Emit a remark per pair with the range spread before and after">,
  ];
  let dependentDialects = ["::vai::tfg::TfgDialect"];
}

#endif // VAI_TFG_PASSES

//===- QuantOps.td - quant operations ----------------------*- tablegen -*-===//

#ifndef VAI_QUANT_OPS
#define VAI_QUANT_OPS

include "quant/QuantDialect.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/IR/BuiltinAttributeInterfaces.td"

def Quant_FixTensor : RankedTensorOf<[Quant_FixType]>;

def Quant_ConstOp : Quant_Op<"const", [ConstantLike, Pure]> {
  let summary = "Constant fixed-point tensor (XIR `const-fix`)";
  let description = [{
    `value` holds the integers; the result type gives their fix position.

    ```mlir
    %w = quant.const dense<[[1, -3]]> : tensor<1x2xi8> -> tensor<1x2x!quant.fix<s8, 7>>
    ```
  }];
  let arguments = (ins AnyIntElementsAttr:$value);
  let results = (outs Quant_FixTensor:$output);
  let assemblyFormat = "$value attr-dict `->` type($output)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Quant_QuantizeOp : Quant_Op<"quantize", [Pure]> {
  let summary = "Float to fixed point (XIR `fix` / `float2fix`)";
  let description = [{
    `q = clamp(round(x * 2^fix_point))` with the result type's round mode.
    A model's inputs enter the fixed-point graph through this op.

    ```mlir
    %q = quant.quantize %x : tensor<?x28x28x1xf32> -> tensor<?x28x28x1x!quant.fix<s8, 7>>
    ```
  }];
  let arguments = (ins RankedTensorOf<[F32]>:$input);
  let results = (outs Quant_FixTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
}

def Quant_DequantizeOp : Quant_Op<"dequantize", [Pure]> {
  let summary = "Fixed point to float (XIR `fix2float`)";
  let description = [{
    `x = q * 2^-fix_point`.

    ```mlir
    %x = quant.dequantize %q : tensor<?x10x!quant.fix<s8, 3>> -> tensor<?x10xf32>
    ```
  }];
  let arguments = (ins Quant_FixTensor:$input);
  let results = (outs RankedTensorOf<[F32]>:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
}

def Quant_Conv2DOp : Quant_Op<"conv2d", [Pure]> {
  let summary = "Fixed-point 2-D convolution with bias and nonlinearity (XIR `conv2d-fix`)";
  let description = [{
    NHWC input, HWIO weights, optional per-channel bias. The DPU computes
    `acc = sum(x * w)` exactly, adds `bias * 2^shift_bias`, rounds
    `acc / 2^shift_cut` half up, applies the nonlinearity and saturates,
    where `shift_cut = w + i - o` and `shift_bias = w + i - b` come from the
    operand and result types. The verifier rejects positions the DPU cannot
    shift by.

    ```mlir
    %y = quant.conv2d %x, %w, %b {strides = array<i64: 1, 1>,
           dilations = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>,
           nonlinear = #quant.nonlinear<relu>}
         : (tensor<?x28x28x1x!quant.fix<s8, 7>>, tensor<3x3x1x8x!quant.fix<s8, 6>>,
            tensor<8x!quant.fix<s8, 6>>) -> tensor<?x28x28x8x!quant.fix<s8, 4>>
    ```
  }];
  let arguments = (ins Quant_FixTensor:$input, Quant_FixTensor:$weights,
      Optional<Quant_FixTensor>:$bias,
      DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$dilations,
      DenseI64ArrayAttr:$pad,
      DefaultValuedAttr<Quant_NonlinearAttr, "Nonlinear::none">:$nonlinear);
  let results = (outs Quant_FixTensor:$output);
  let assemblyFormat = [{
    $input `,` $weights (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    int getShiftCut();
    int getShiftBias();
  }];
}

def Quant_MatMulOp : Quant_Op<"matmul", [Pure]> {
  let summary = "Fixed-point inner product with bias and nonlinearity";
  let description = [{
    `[M, K] x [K, N] (+ bias[N])`, requantized like `quant.conv2d` with the
    same shift rules. The DPU runs it as a 1x1 convolution.

    ```mlir
    %y = quant.matmul %x, %w, %b : (tensor<?x16x!quant.fix<s8, 5>>,
           tensor<16x10x!quant.fix<s8, 7>>, tensor<10x!quant.fix<s8, 8>>)
         -> tensor<?x10x!quant.fix<s8, 3>>
    ```
  }];
  let arguments = (ins Quant_FixTensor:$input, Quant_FixTensor:$weights,
      Optional<Quant_FixTensor>:$bias,
      DefaultValuedAttr<Quant_NonlinearAttr, "Nonlinear::none">:$nonlinear);
  let results = (outs Quant_FixTensor:$output);
  let assemblyFormat = [{
    $input `,` $weights (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    int getShiftCut();
    int getShiftBias();
  }];
}

def Quant_DepthwiseConv2DOp : Quant_Op<"depthwise_conv2d", [Pure]> {
  let summary = "Fixed-point depthwise 2-D convolution (XIR `depthwise-conv2d-fix`)";
  let description = [{
    NHWC input, weights `[kh, kw, C, M]` (TF layout), optional bias of
    `C * M`; output channel `c * M + m` sees input channel `c` only. The
    requantization, its shift rules and nonlinearities are those of
    `quant.conv2d`.

    ```mlir
    %y = quant.depthwise_conv2d %x, %w, %b {strides = array<i64: 1, 1>,
           dilations = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>,
           nonlinear = #quant.nonlinear<relu6>}
         : (tensor<?x8x8x4x!quant.fix<s8, 4>>, tensor<3x3x4x1x!quant.fix<s8, 6>>,
            tensor<4x!quant.fix<s8, 6>>) -> tensor<?x8x8x4x!quant.fix<s8, 4>>
    ```
  }];
  let arguments = (ins Quant_FixTensor:$input, Quant_FixTensor:$weights,
      Optional<Quant_FixTensor>:$bias,
      DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$dilations,
      DenseI64ArrayAttr:$pad,
      DefaultValuedAttr<Quant_NonlinearAttr, "Nonlinear::none">:$nonlinear);
  let results = (outs Quant_FixTensor:$output);
  let assemblyFormat = [{
    $input `,` $weights (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    int getShiftCut();
    int getShiftBias();
  }];
}

def Quant_Conv2DTransposeOp : Quant_Op<"conv2d_transpose", [Pure]> {
  let summary = "Fixed-point transposed 2-D convolution (XIR `transposed-conv2d-fix`)";
  let description = [{
    NHWC input `[N, H, W, C]`, weights `[kh, kw, C, OC]` (input channels
    third, as `quant.conv2d`'s HWIO, so XIR's `[OC, kh, kw, C]` is the same
    transposition), optional bias `[OC]`. Input element `(y, x)` adds
    `in * w[ky, kx]` to output element `(y * sh + ky * dh - pad_top,
    x * sw + kx * dw - pad_left)`; `pad` (`[top, bottom, left, right]`,
    non-negative) crops the full output of `(H - 1) * sh + (kh - 1) * dh + 1`
    rows, which gives exactly the output size (XIR's `pad_mode` FLOOR).
    The requantization, shift rules and nonlinearities are those of
    `quant.conv2d`. `quant-quantize` makes it from `tfg.conv2d_transpose`,
    folding ONNX's `output_padding` rows into a smaller end crop.

    ```mlir
    %y = quant.conv2d_transpose %x, %w, %b {strides = array<i64: 2, 2>,
           dilations = array<i64: 1, 1>, pad = array<i64: 1, 0, 1, 0>,
           nonlinear = #quant.nonlinear<relu>}
         : (tensor<?x4x4x8x!quant.fix<s8, 5>>, tensor<3x3x8x4x!quant.fix<s8, 7>>,
            tensor<4x!quant.fix<s8, 6>>) -> tensor<?x8x8x4x!quant.fix<s8, 4>>
    ```
  }];
  let arguments = (ins Quant_FixTensor:$input, Quant_FixTensor:$weights,
      Optional<Quant_FixTensor>:$bias,
      DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$dilations,
      DenseI64ArrayAttr:$pad,
      DefaultValuedAttr<Quant_NonlinearAttr, "Nonlinear::none">:$nonlinear);
  let results = (outs Quant_FixTensor:$output);
  let assemblyFormat = [{
    $input `,` $weights (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    int getShiftCut();
    int getShiftBias();
  }];
}

class Quant_PoolOp<string mnemonic, string what> : Quant_Op<mnemonic, [Pure]> {
  let summary = "Fixed-point " # what # " pooling (XIR `pool-fix`)";
  let arguments = (ins Quant_FixTensor:$input, DenseI64ArrayAttr:$kernel,
      DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$pad);
  let results = (outs Quant_FixTensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def Quant_MaxPoolOp : Quant_PoolOp<"max_pool", "max"> {
  let description = [{
    Maximum over the window; input and output positions are equal.

    ```mlir
    %y = quant.max_pool %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>,
                            pad = array<i64: 0, 0, 0, 0>}
         : (tensor<?x28x28x8x!quant.fix<s8, 4>>) -> tensor<?x14x14x8x!quant.fix<s8, 4>>
    ```
  }];
}

def Quant_AvgPoolOp : Quant_PoolOp<"avg_pool", "average"> {
  let description = [{
    The DPU's average: the window sum times a kernel-dependent multiplier
    `m / 2^s` (3x3: 7/64, 14x14: 21/4096, ...; DESIGN.md §5), rounded half
    up at the output position.

    ```mlir
    %y = quant.avg_pool %x {kernel = array<i64: 14, 14>, strides = array<i64: 1, 1>,
                            pad = array<i64: 0, 0, 0, 0>}
         : (tensor<?x14x14x16x!quant.fix<s8, 4>>) -> tensor<?x1x1x16x!quant.fix<s8, 4>>
    ```
  }];
}

def Quant_AddOp : Quant_Op<"add", [Pure, Commutative]> {
  let summary = "Fixed-point elementwise sum (XIR `eltwise-fix`)";
  let description = [{
    Both operands are brought to the output position, summed exactly and
    rounded half up; `nonlinear` may be `relu`.

    ```mlir
    %y = quant.add %a, %b : (tensor<?x8x!quant.fix<s8, 4>>, tensor<?x8x!quant.fix<s8, 5>>)
         -> tensor<?x8x!quant.fix<s8, 4>>
    ```
  }];
  let arguments = (ins Quant_FixTensor:$lhs, Quant_FixTensor:$rhs,
      DefaultValuedAttr<Quant_NonlinearAttr, "Nonlinear::none">:$nonlinear);
  let results = (outs Quant_FixTensor:$output);
  let assemblyFormat = "$lhs `,` $rhs attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def Quant_MulOp : Quant_Op<"mul", [Pure, Commutative]> {
  let summary = "Fixed-point elementwise product (XIR `eltwise-fix` type MUL)";
  let description = [{
    The exact integer product `a * b` at position `pa + pb`, rounded half up
    to the output position (`shift = pa + pb - po`, in `[0, 16]`) and
    saturated. `rhs` may broadcast (NumPy rules), e.g. a per-channel scale.

    ```mlir
    %y = quant.mul %a, %b : (tensor<?x8x!quant.fix<s8, 4>>, tensor<?x8x!quant.fix<s8, 7>>)
         -> tensor<?x8x!quant.fix<s8, 6>>
    ```
  }];
  let arguments = (ins Quant_FixTensor:$lhs, Quant_FixTensor:$rhs);
  let results = (outs Quant_FixTensor:$output);
  let assemblyFormat = "$lhs `,` $rhs attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def Quant_ConcatOp : Quant_Op<"concat", [Pure]> {
  let summary = "Fixed-point concatenation (XIR `concat-fix`)";
  let description = [{
    The DPU concatenates tensors of one fix position by writing them side
    by side. An input at another position is first moved to the output's
    (`round_half_up(q * 2^(po - pi))`, saturated); quant-quantize picks the
    coarsest input position as the output's, so the move only drops bits
    and never saturates (vai_q's `align_concat` instead moves the producers).

    ```mlir
    %y = quant.concat %a, %b {axis = 3 : i64}
         : (tensor<?x8x8x4x!quant.fix<s8, 4>>, tensor<?x8x8x2x!quant.fix<s8, 5>>)
         -> tensor<?x8x8x6x!quant.fix<s8, 4>>
    ```
  }];
  let arguments = (ins Variadic<Quant_FixTensor>:$inputs, I64Attr:$axis);
  let results = (outs Quant_FixTensor:$output);
  let assemblyFormat = "$inputs attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def Quant_ReshapeOp : Quant_Op<"reshape", [Pure]> {
  let summary = "Reshape without changing values or position (XIR `reshape-fix`)";
  let description = [{
    ```mlir
    %y = quant.reshape %x : (tensor<?x1x1x10x!quant.fix<s8, 3>>) -> tensor<?x10x!quant.fix<s8, 3>>
    ```
  }];
  let arguments = (ins Quant_FixTensor:$input);
  let results = (outs Quant_FixTensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def Quant_PadMode : I32EnumAttr<"PadMode", "how quant.pad fills the border", [
      I32EnumAttrCase<"constant", 0>,
      // Mirror without repeating the edge (NumPy `reflect`, XIR REFLECT).
      I32EnumAttrCase<"reflect", 1>,
      // Mirror repeating the edge (NumPy `symmetric`, XIR SYMMETRIC).
      I32EnumAttrCase<"symmetric", 2>
    ]> {
  let cppNamespace = "::vai::quant";
  let genSpecializedAttr = 0;
}

def Quant_PadModeAttr : EnumAttr<Quant_Dialect, Quant_PadMode, "pad_mode"> {
  let assemblyFormat = "`<` $value `>`";
}

def Quant_PadOp : Quant_Op<"pad", [Pure]> {
  let summary = "Fixed-point padding (XIR `pad-fix`)";
  let description = [{
    Copies the input into the middle of the output; nothing is rounded and
    the output has the input's fixed-point type. `pads` lists the amounts
    before each dimension, then after each (ONNX order, as `tfg.pad`), all
    non-negative. The border is filled by `mode`:
    - `constant`: the integer `value` (the pad value quantized at the
      input's position; `tfg.pad` with 0.0 gives 0);
    - `reflect`: `x[-k] = x[k]` (edge not repeated), amounts below the
      dimension's size;
    - `symmetric`: `x[-k] = x[k - 1]` (edge repeated), amounts up to the
      dimension's size. A `tfg.pad` in `edge` mode by at most one element
      is this mode.

    ```mlir
    %y = quant.pad %x {pads = array<i64: 0, 1, 1, 0, 0, 1, 1, 0>,
                       mode = #quant.pad_mode<constant>, value = 0 : i64}
         : (tensor<?x8x8x4x!quant.fix<s8, 4>>) -> tensor<?x10x10x4x!quant.fix<s8, 4>>
    ```
  }];
  let arguments = (ins Quant_FixTensor:$input, DenseI64ArrayAttr:$pads,
      DefaultValuedAttr<Quant_PadModeAttr, "PadMode::constant">:$mode,
      DefaultValuedAttr<I64Attr, "0">:$value);
  let results = (outs Quant_FixTensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def Quant_UpsampleOp : Quant_Op<"upsample", [Pure]> {
  let summary = "Fixed-point nearest-neighbour upsampling by integer factors (XIR `upsample-fix`)";
  let description = [{
    NHWC; `scale` = `[sh, sw]`, integers >= 1. Output element `[n, y, x, c]`
    is input element `[n, floor(y / sh), floor(x / sw), c]`: the DPU's
    upsample (XIR `upsample-fix`, mode NEAREST, neither align_corners nor
    half_pixel_centers). Nothing is rounded and the output has the input's
    fixed-point type. `quant-quantize` makes it from a nearest `tfg.resize`
    whose mapping is this one (integer scale with `asymmetric` + `floor`,
    `tf_half_pixel_for_nn` + `floor`, or `half_pixel` /
    `pytorch_half_pixel` with any rounding). Bilinear resizing has no
    fixed-point form here: its DPU rounding is not documented.

    ```mlir
    %y = quant.upsample %x {scale = array<i64: 2, 2>}
         : (tensor<?x4x4x8x!quant.fix<s8, 4>>) -> tensor<?x8x8x8x!quant.fix<s8, 4>>
    ```
  }];
  let arguments = (ins Quant_FixTensor:$input, DenseI64ArrayAttr:$scale);
  let results = (outs Quant_FixTensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def Quant_HardSigmoidOp : Quant_Op<"hard_sigmoid", [Pure]> {
  let summary = "The DPU's hard sigmoid, relu6(x + 3) * 2731 / 2^14 (XIR `hard-sigmoid-fix`)";
  let description = [{
    With the input at position `i` and the output at `o`, each element is

        y = sat8(round_half_up(min(max(x * 2731 + 3 * 2731 * 2^i, 0),
                                   6 * 2731 * 2^i) / 2^(14 + i - o)))

    exactly in integers (2731 / 2^14 = 1/6 + 2e-5). XIR writes the two
    shifts as `hsigmoid_in = i` and `shift_hsigmoid = 14 + i - o`; Vitis
    AI's reference (cpu-runner `hard-sigmoid-fix`) clamps only at 0 and
    lets the output saturate, which is the same because `o >= 7` (a value
    of at least 1 saturates to 127). The sum is never negative, so DPU
    rounding is round half up.

    The verifier enforces the DPU compiler's constraints (vai_q's
    `adjust_hard_sigmoid`): `i` in [0, 15], `o >= 7`, and
    `shift_hsigmoid = 14 + i - o` in [0, 31].

    ```mlir
    %y = quant.hard_sigmoid %x
         : (tensor<?x8x!quant.fix<s8, 4>>) -> tensor<?x8x!quant.fix<s8, 7>>
    ```
  }];
  let arguments = (ins Quant_FixTensor:$input);
  let results = (outs Quant_FixTensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// 14 + i - o: the right shift of x * 2731 to the output position.
    int getShiftHsigmoid();
  }];
}

#endif // VAI_QUANT_OPS

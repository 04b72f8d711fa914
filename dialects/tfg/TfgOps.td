//===- TfgOps.td - tfg operations --------------------------*- tablegen -*-===//

#ifndef VAI_TFG_OPS
#define VAI_TFG_OPS

include "tfg/TfgDialect.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/IR/BuiltinAttributeInterfaces.td"

def Tfg_FloatTensor : RankedTensorOf<[F32]>;

// The slope of a fused `leaky_relu` activation (ignored otherwise); TF's
// default 0.2 when absent. A plain `float` so that ODS keeps the builders'
// trailing defaults.
def Tfg_SlopeAttr : FloatAttrBase<F32, "slope of a fused leaky_relu (f32)"> {
  let returnType = "float";
  let convertFromStorage = "float($_self.getValueAsDouble())";
}

//===----------------------------------------------------------------------===//
// Constants and plumbing
//===----------------------------------------------------------------------===//

def Tfg_ConstOp : Tfg_Op<"const", [ConstantLike, Pure,
    AllTypesMatch<["value", "output"]>]> {
  let summary = "A constant tensor (TF `Const`)";
  let description = [{
    Weights, biases and any other constant of the graph.

    ```mlir
    %w = tfg.const dense<1.0> : tensor<3x3x1x8xf32> loc("conv1/weights")
    ```
  }];
  let arguments = (ins ElementsAttr:$value);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = "$value attr-dict";
  let hasFolder = 1;
}

def Tfg_IdentityOp : Tfg_Op<"identity", [Pure, SameOperandsAndResultType]> {
  let summary = "Pass-through (TF `Identity`)";
  let description = [{
    Kept by the importer so that node names survive; folded away by
    `tfg-cleanup` and canonicalize, except when it carries `quant.hint_*`
    attributes (an ONNX QuantizeLinear/DequantizeLinear pair): then it is
    the tensor's only record of the framework's quantization.

    ```mlir
    %y = tfg.identity %x : tensor<1x10xf32>
    ```
  }];
  let arguments = (ins AnyTensor:$input);
  let results = (outs AnyTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($output)";
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Compute ops
//===----------------------------------------------------------------------===//

def Tfg_Conv2DOp : Tfg_Op<"conv2d", [Pure,
    InferTypeOpAdaptor]> {
  let summary = "2-D convolution, NHWC input and HWIO filter (TF `Conv2D`)";
  let description = [{
    Padding is explicit (`[top, bottom, left, right]`); importers resolve
    TF's `SAME`/`VALID` against the static spatial size. The optional `bias`
    (one per output channel) and `activation` are filled in by
    `tfg-fuse-bias-activation`; the DPU executes the three as one layer.

    ```mlir
    %y = tfg.conv2d %x, %w, %b {strides = array<i64: 1, 1>,
           dilations = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>,
           activation = #tfg.activation<relu>}
         : (tensor<?x28x28x1xf32>, tensor<3x3x1x8xf32>, tensor<8xf32>)
         -> tensor<?x28x28x8xf32>
    ```
  }];
  let arguments = (ins Tfg_FloatTensor:$input, Tfg_FloatTensor:$filter,
      Optional<Tfg_FloatTensor>:$bias,
      DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$dilations,
      DenseI64ArrayAttr:$pad,
      DefaultValuedAttr<Tfg_ActivationAttr, "Activation::none">:$activation,
      DefaultValuedAttr<Tfg_SlopeAttr, "0.2f">:$alpha);
  let results = (outs Tfg_FloatTensor:$output);
  let assemblyFormat = [{
    $input `,` $filter (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Tfg_BiasAddOp : Tfg_Op<"bias_add", [Pure,
    InferTypeOpAdaptor]> {
  let summary = "Adds a per-channel bias on the last dimension (TF `BiasAdd`)";
  let description = [{
    ```mlir
    %y = tfg.bias_add %x, %b : (tensor<?x10xf32>, tensor<10xf32>) -> tensor<?x10xf32>
    ```
  }];
  let arguments = (ins Tfg_FloatTensor:$input, Tfg_FloatTensor:$bias);
  let results = (outs Tfg_FloatTensor:$output);
  let assemblyFormat = "$input `,` $bias attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def Tfg_FusedBatchNormOp : Tfg_Op<"fused_batch_norm", [Pure,
    InferTypeOpAdaptor]> {
  let summary = "Inference-mode batch normalization (TF `FusedBatchNorm*`)";
  let description = [{
    `y = scale * (x - mean) / sqrt(variance + epsilon) + offset`, per channel
    of the last dimension. Only the inference form exists in `tfg`: the
    importer rejects `is_training = true`. `tfg-fold-batchnorm` folds it into
    the producing convolution or matmul.

    ```mlir
    %y = tfg.fused_batch_norm %x, %scale, %offset, %mean, %var {epsilon = 1.0e-3 : f32}
         : (tensor<?x28x28x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>,
            tensor<8xf32>) -> tensor<?x28x28x8xf32>
    ```
  }];
  let arguments = (ins Tfg_FloatTensor:$input, Tfg_FloatTensor:$scale,
      Tfg_FloatTensor:$offset, Tfg_FloatTensor:$mean,
      Tfg_FloatTensor:$variance, F32Attr:$epsilon);
  let results = (outs Tfg_FloatTensor:$output);
  let assemblyFormat = [{
    $input `,` $scale `,` $offset `,` $mean `,` $variance attr-dict `:`
    functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

class Tfg_UnaryOp<string mnemonic, string tfName> : Tfg_Op<mnemonic, [Pure,
    SameOperandsAndResultType]> {
  let summary = "Elementwise " # mnemonic # " (TF `" # tfName # "`)";
  let arguments = (ins Tfg_FloatTensor:$input);
  let results = (outs Tfg_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($output)";
}

def Tfg_ReluOp : Tfg_UnaryOp<"relu", "Relu"> {
  let description = [{
    `max(x, 0)`.

    ```mlir
    %y = tfg.relu %x : tensor<?x28x28x8xf32>
    ```
  }];
}

def Tfg_Relu6Op : Tfg_UnaryOp<"relu6", "Relu6"> {
  let description = [{
    `min(max(x, 0), 6)`.

    ```mlir
    %y = tfg.relu6 %x : tensor<?x28x28x8xf32>
    ```
  }];
}

class Tfg_PoolOp<string mnemonic, string tfName> : Tfg_Op<mnemonic, [Pure,
    InferTypeOpAdaptor]> {
  let summary = "2-D " # mnemonic # " over NHWC (TF `" # tfName # "`)";
  let arguments = (ins Tfg_FloatTensor:$input, DenseI64ArrayAttr:$kernel,
      DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$pad);
  let results = (outs Tfg_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def Tfg_MaxPoolOp : Tfg_PoolOp<"max_pool", "MaxPool"> {
  let description = [{
    `kernel` and `strides` are `[h, w]`; `pad` is `[top, bottom, left,
    right]`; padded positions never win.

    ```mlir
    %y = tfg.max_pool %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>,
                          pad = array<i64: 0, 0, 0, 0>}
         : (tensor<?x28x28x8xf32>) -> tensor<?x14x14x8xf32>
    ```
  }];
}

def Tfg_AvgPoolOp : Tfg_PoolOp<"avg_pool", "AvgPool"> {
  let description = [{
    Average over the window; as in TF, padded positions are not counted.

    ```mlir
    %y = tfg.avg_pool %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>,
                          pad = array<i64: 0, 0, 0, 0>}
         : (tensor<?x28x28x8xf32>) -> tensor<?x14x14x8xf32>
    ```
  }];
}

def Tfg_MeanOp : Tfg_Op<"mean", [Pure,
    InferTypeOpAdaptor]> {
  let summary = "Mean over constant axes (TF `Mean`)";
  let description = [{
    The axes are an attribute: the importer requires TF's
    `reduction_indices` input to be a constant. Over `[1, 2]` of an NHWC
    tensor this is global average pooling.

    ```mlir
    %y = tfg.mean %x {axes = array<i64: 1, 2>, keep_dims = false}
         : (tensor<?x14x14x16xf32>) -> tensor<?x16xf32>
    ```
  }];
  let arguments = (ins Tfg_FloatTensor:$input, DenseI64ArrayAttr:$axes,
      BoolAttr:$keep_dims);
  let results = (outs Tfg_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def Tfg_MatMulOp : Tfg_Op<"matmul", [Pure,
    InferTypeOpAdaptor]> {
  let summary = "Matrix product of rank-2 tensors (TF `MatMul`)";
  let description = [{
    `output = op(a) x op(b)` where `op` transposes when asked. The optional
    `bias` and `activation` are filled in by `tfg-fuse-bias-activation`.

    ```mlir
    %y = tfg.matmul %x, %w {transpose_a = false, transpose_b = false}
         : (tensor<?x16xf32>, tensor<16x10xf32>) -> tensor<?x10xf32>
    ```
  }];
  let arguments = (ins Tfg_FloatTensor:$a, Tfg_FloatTensor:$b,
      Optional<Tfg_FloatTensor>:$bias,
      DefaultValuedAttr<BoolAttr, "false">:$transpose_a,
      DefaultValuedAttr<BoolAttr, "false">:$transpose_b,
      DefaultValuedAttr<Tfg_ActivationAttr, "Activation::none">:$activation,
      DefaultValuedAttr<Tfg_SlopeAttr, "0.2f">:$alpha);
  let results = (outs Tfg_FloatTensor:$output);
  let assemblyFormat = [{
    $a `,` $b (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Tfg_BatchMatMulOp : Tfg_Op<"batch_matmul", [Pure, InferTypeOpAdaptor]> {
  let summary = "Batched matrix product (ONNX `MatMul` of rank > 2, TF `BatchMatMulV2`)";
  let description = [{
    `numpy.matmul` of operands of rank >= 2: `a [..., M, K] x b [..., K, N]
    -> [..., M, N]`, the leading (batch) dimensions broadcast as in NumPy.

    ```mlir
    %y = tfg.batch_matmul %a, %b
         : (tensor<2x3x4x5xf32>, tensor<2x3x5x6xf32>) -> tensor<2x3x4x6xf32>
    ```
  }];
  let arguments = (ins Tfg_FloatTensor:$a, Tfg_FloatTensor:$b);
  let results = (outs Tfg_FloatTensor:$output);
  let assemblyFormat = "$a `,` $b attr-dict `:` functional-type(operands, results)";
}

class Tfg_BinaryOp<string mnemonic, string tfNames, list<Trait> traits = []>
    : Tfg_Op<mnemonic, !listconcat([Pure, InferTypeOpAdaptor], traits)> {
  let summary = "Elementwise " # mnemonic # " with broadcasting (" # tfNames # ")";
  let description = [{
    Operands broadcast as in NumPy (aligned at the trailing dimension).

    ```mlir
    %y = tfg.}] # mnemonic # [{ %a, %b : (tensor<?x14x14x16xf32>, tensor<16xf32>)
         -> tensor<?x14x14x16xf32>
    ```
  }];
  let arguments = (ins Tfg_FloatTensor:$lhs, Tfg_FloatTensor:$rhs);
  let results = (outs Tfg_FloatTensor:$output);
  let assemblyFormat = "$lhs `,` $rhs attr-dict `:` functional-type(operands, results)";
  // Two constants fold to one (TfgFolds.cpp).
  let hasFolder = 1;
  // Every binary op infers its type by NumPy broadcasting (TfgOps.cpp).
  let extraClassDefinition = [{
    ::llvm::LogicalResult $cppClass::inferReturnTypes(
        ::mlir::MLIRContext *, ::std::optional<::mlir::Location> loc,
        Adaptor adaptor, ::llvm::SmallVectorImpl<::mlir::Type> &types) {
      return inferBroadcast(loc, adaptor.getLhs(), adaptor.getRhs(), types);
    }
  }];
}

def Tfg_AddOp : Tfg_BinaryOp<"add", "TF `AddV2`, `Add`; ONNX `Add`", [Commutative]>;
def Tfg_SubOp : Tfg_BinaryOp<"sub", "TF `Sub`; ONNX `Sub`">;
def Tfg_MulOp : Tfg_BinaryOp<"mul", "TF `Mul`; ONNX `Mul`", [Commutative]>;
def Tfg_DivOp : Tfg_BinaryOp<"div", "TF `RealDiv`; ONNX `Div`">;
def Tfg_MaximumOp : Tfg_BinaryOp<"maximum", "TF `Maximum`; ONNX `Max`", [Commutative]>;
def Tfg_MinimumOp : Tfg_BinaryOp<"minimum", "TF `Minimum`; ONNX `Min`", [Commutative]>;

def Tfg_PReluOp : Tfg_Op<"prelu", [Pure, AllTypesMatch<["input", "output"]>]> {
  let summary = "Parametric ReLU (Keras `PReLU`, ONNX `PRelu`)";
  let description = [{
    `x >= 0 ? x : slope * x`; `slope` broadcasts to the input (usually one
    value per channel, the last dimension).

    ```mlir
    %y = tfg.prelu %x, %slope : (tensor<?x8x8x4xf32>, tensor<4xf32>) -> tensor<?x8x8x4xf32>
    ```
  }];
  let arguments = (ins Tfg_FloatTensor:$input, Tfg_FloatTensor:$slope);
  let results = (outs Tfg_FloatTensor:$output);
  let assemblyFormat = "$input `,` $slope attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// More activations
//===----------------------------------------------------------------------===//

def Tfg_SigmoidOp : Tfg_UnaryOp<"sigmoid", "Sigmoid"> {
  let description = [{
    `1 / (1 + exp(-x))`.

    ```mlir
    %y = tfg.sigmoid %x : tensor<?x10xf32>
    ```
  }];
}

def Tfg_TanhOp : Tfg_UnaryOp<"tanh", "Tanh"> {
  let description = [{
    ```mlir
    %y = tfg.tanh %x : tensor<?x10xf32>
    ```
  }];
}

def Tfg_SwishOp : Tfg_UnaryOp<"swish", "Swish"> {
  let description = [{
    `x * sigmoid(x)` (TF `swish`, Keras `swish`/`silu`).

    ```mlir
    %y = tfg.swish %x : tensor<?x10xf32>
    ```
  }];
}

def Tfg_HardSwishOp : Tfg_UnaryOp<"hard_swish", "HardSwish"> {
  let description = [{
    `x * relu6(x + 3) / 6` (ONNX `HardSwish`, Keras `hard_swish`).

    ```mlir
    %y = tfg.hard_swish %x : tensor<?x10xf32>
    ```
  }];
}

def Tfg_HardSigmoidOp : Tfg_Op<"hard_sigmoid", [Pure, SameOperandsAndResultType]> {
  let summary = "Piecewise-linear sigmoid (ONNX `HardSigmoid`, Keras `hard_sigmoid`)";
  let description = [{
    `max(0, min(1, alpha * x + beta))`; ONNX and Keras default to 0.2, 0.5.
    The DPU's form is alpha = 1/6, beta = 1/2.

    ```mlir
    %y = tfg.hard_sigmoid %x {alpha = 0.2 : f32, beta = 0.5 : f32} : tensor<?x10xf32>
    ```
  }];
  let arguments = (ins Tfg_FloatTensor:$input,
      DefaultValuedAttr<F32Attr, "0.2f">:$alpha,
      DefaultValuedAttr<F32Attr, "0.5f">:$beta);
  let results = (outs Tfg_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($output)";
}

def Tfg_LeakyReluOp : Tfg_Op<"leaky_relu", [Pure, SameOperandsAndResultType]> {
  let summary = "Leaky ReLU (TF `LeakyRelu`, ONNX `LeakyRelu`)";
  let description = [{
    `x >= 0 ? x : alpha * x`. TF defaults alpha to 0.2, ONNX to 0.01: the
    importers always set it.

    ```mlir
    %y = tfg.leaky_relu %x {alpha = 0.1 : f32} : tensor<?x10xf32>
    ```
  }];
  let arguments = (ins Tfg_FloatTensor:$input, F32Attr:$alpha);
  let results = (outs Tfg_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($output)";
}

def Tfg_ClipOp : Tfg_Op<"clip", [Pure, SameOperandsAndResultType]> {
  let summary = "Clamp to [min, max] (ONNX `Clip`, TF `ClipByValue`)";
  let description = [{
    Either bound may be absent. `clip` to [0, 6] is `relu6`; the importers
    emit `tfg.relu6` for it.

    ```mlir
    %y = tfg.clip %x {min = -1.0 : f32, max = 1.0 : f32} : tensor<?x10xf32>
    ```
  }];
  let arguments = (ins Tfg_FloatTensor:$input, OptionalAttr<F32Attr>:$min,
      OptionalAttr<F32Attr>:$max);
  let results = (outs Tfg_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($output)";
  let hasVerifier = 1;
}

def Tfg_SoftmaxOp : Tfg_Op<"softmax", [Pure, SameOperandsAndResultType]> {
  let summary = "Softmax along one axis (TF `Softmax`, ONNX `Softmax` opset 13)";
  let description = [{
    ```mlir
    %y = tfg.softmax %x {axis = -1 : i64} : tensor<?x10xf32>
    ```
  }];
  let arguments = (ins Tfg_FloatTensor:$input, DefaultValuedAttr<I64Attr, "-1">:$axis);
  let results = (outs Tfg_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($output)";
  let hasVerifier = 1;
}

def Tfg_HardSoftmaxOp : Tfg_Op<"hard_softmax", [Pure, SameOperandsAndResultType]> {
  let summary = "Softmax as the DPU computes it, in bfloat16 (vai_q `replace_softmax`)";
  let description = [{
    Vitis AI's DPU softmax (vai_q_tensorflow `ReplaceSoftmaxWithDPUSoftmax`,
    decent_q/utils/replace_softmax.cc), without subtracting the maximum:
    `exp(x) = 2^n * p(r)` with `n = floor(x / ln 2)`, `r = x - n ln 2` and
    `p(r) = ((0.21875 r + 0.486328125) r + 1) r + 1`; the sum along `axis`
    is taken as 16 interleaved partial sums; `1 / sum` is a bit-trick seed
    `0x7eb5 - bits(sum)` refined by two Newton steps; intermediate values
    are rounded to bfloat16 where the reference rounds them. Relative error
    against `softmax` is up to about 2e-2 absolute (bfloat16).

    ```mlir
    %y = tfg.hard_softmax %x {axis = -1 : i64} : tensor<?x10xf32>
    ```
  }];
  let arguments = (ins Tfg_FloatTensor:$input, DefaultValuedAttr<I64Attr, "-1">:$axis);
  let results = (outs Tfg_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($output)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Depthwise and transposed convolution
//===----------------------------------------------------------------------===//

def Tfg_DepthwiseConv2DOp : Tfg_Op<"depthwise_conv2d", [Pure, InferTypeOpAdaptor]> {
  let summary = "Depthwise 2-D convolution (TF `DepthwiseConv2dNative`)";
  let description = [{
    NHWC input, filter `[kh, kw, in_channels, multiplier]`; output channel
    `c * multiplier + m` sees only input channel `c`. Optional `bias` and
    `activation` as for `tfg.conv2d`.

    ```mlir
    %y = tfg.depthwise_conv2d %x, %w {strides = array<i64: 1, 1>,
           dilations = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>}
         : (tensor<?x8x8x4xf32>, tensor<3x3x4x1xf32>) -> tensor<?x8x8x4xf32>
    ```
  }];
  let arguments = (ins Tfg_FloatTensor:$input, Tfg_FloatTensor:$filter,
      Optional<Tfg_FloatTensor>:$bias,
      DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$dilations,
      DenseI64ArrayAttr:$pad,
      DefaultValuedAttr<Tfg_ActivationAttr, "Activation::none">:$activation,
      DefaultValuedAttr<Tfg_SlopeAttr, "0.2f">:$alpha);
  let results = (outs Tfg_FloatTensor:$output);
  let assemblyFormat = [{
    $input `,` $filter (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Tfg_Conv2DTransposeOp : Tfg_Op<"conv2d_transpose", [Pure]> {
  let summary = "Transposed 2-D convolution (TF `Conv2DBackpropInput`, ONNX `ConvTranspose`)";
  let description = [{
    NHWC input, filter `[kh, kw, out_channels, in_channels]` (TF's layout).
    The full output of a transposed convolution has `(in - 1) * stride +
    (k - 1) * dilation + 1` rows; `pad` (`[top, bottom, left, right]`)
    crops it, and the result type fixes the final size, which may add up to
    `stride - 1` extra rows at the end (ONNX `output_padding`).

    ```mlir
    %y = tfg.conv2d_transpose %x, %w {strides = array<i64: 2, 2>,
           dilations = array<i64: 1, 1>, pad = array<i64: 0, 1, 0, 1>}
         : (tensor<?x4x4x8xf32>, tensor<3x3x4x8xf32>) -> tensor<?x8x8x4xf32>
    ```
  }];
  let arguments = (ins Tfg_FloatTensor:$input, Tfg_FloatTensor:$filter,
      Optional<Tfg_FloatTensor>:$bias,
      DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$dilations,
      DenseI64ArrayAttr:$pad,
      DefaultValuedAttr<Tfg_ActivationAttr, "Activation::none">:$activation,
      DefaultValuedAttr<Tfg_SlopeAttr, "0.2f">:$alpha);
  let results = (outs Tfg_FloatTensor:$output);
  let assemblyFormat = [{
    $input `,` $filter (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Shape and layout
//===----------------------------------------------------------------------===//

def Tfg_ReshapeOp : Tfg_Op<"reshape", [Pure]> {
  let summary = "Reshape (TF `Reshape`, `Squeeze`, `ExpandDims`; ONNX `Reshape`, `Flatten`, `Squeeze`, `Unsqueeze`)";
  let description = [{
    Row-major; the result type is the new shape. At most one unknown
    dimension on each side (the batch).

    ```mlir
    %y = tfg.reshape %x : (tensor<?x1x1x16xf32>) -> tensor<?x16xf32>
    ```
  }];
  let arguments = (ins Tfg_FloatTensor:$input);
  let results = (outs Tfg_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Tfg_TransposeOp : Tfg_Op<"transpose", [Pure, InferTypeOpAdaptor]> {
  let summary = "Permute dimensions (TF `Transpose`, ONNX `Transpose`)";
  let description = [{
    Output dimension `i` is input dimension `perm[i]`.

    ```mlir
    %y = tfg.transpose %x {perm = array<i64: 0, 3, 1, 2>}
         : (tensor<?x8x8x4xf32>) -> tensor<?x4x8x8xf32>
    ```
  }];
  let arguments = (ins Tfg_FloatTensor:$input, DenseI64ArrayAttr:$perm);
  let results = (outs Tfg_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Tfg_ConcatOp : Tfg_Op<"concat", [Pure, InferTypeOpAdaptor]> {
  let summary = "Concatenate along an axis (TF `ConcatV2`, ONNX `Concat`)";
  let description = [{
    ```mlir
    %y = tfg.concat %a, %b {axis = 3 : i64}
         : (tensor<?x8x8x4xf32>, tensor<?x8x8x2xf32>) -> tensor<?x8x8x6xf32>
    ```
  }];
  let arguments = (ins Variadic<Tfg_FloatTensor>:$inputs, I64Attr:$axis);
  let results = (outs Tfg_FloatTensor:$output);
  let assemblyFormat = "$inputs attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Tfg_PadMode : I32EnumAttr<"PadMode", "how padding is filled", [
      I32EnumAttrCase<"constant", 0>,
      I32EnumAttrCase<"reflect", 1>,
      I32EnumAttrCase<"edge", 2>
    ]> {
  let cppNamespace = "::vai::tfg";
  let genSpecializedAttr = 0;
}

def Tfg_PadModeAttr : EnumAttr<Tfg_Dialect, Tfg_PadMode, "pad_mode"> {
  let assemblyFormat = "`<` $value `>`";
}

def Tfg_PadOp : Tfg_Op<"pad", [Pure, InferTypeOpAdaptor]> {
  let summary = "Pad every dimension (TF `Pad`, `MirrorPad`; ONNX `Pad`)";
  let description = [{
    `pads` lists the amounts before each dimension, then after each (ONNX
    order); negative amounts crop.

    ```mlir
    %y = tfg.pad %x {pads = array<i64: 0, 1, 1, 0, 0, 1, 1, 0>,
                     mode = #tfg.pad_mode<constant>, value = 0.0 : f32}
         : (tensor<?x8x8x4xf32>) -> tensor<?x10x10x4xf32>
    ```
  }];
  let arguments = (ins Tfg_FloatTensor:$input, DenseI64ArrayAttr:$pads,
      DefaultValuedAttr<Tfg_PadModeAttr, "PadMode::constant">:$mode,
      DefaultValuedAttr<F32Attr, "0.0f">:$value);
  let results = (outs Tfg_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Tfg_ResizeMode : I32EnumAttr<"ResizeMode", "interpolation", [
      I32EnumAttrCase<"nearest", 0>,
      I32EnumAttrCase<"bilinear", 1>,
      I32EnumAttrCase<"bicubic", 2>
    ]> {
  let cppNamespace = "::vai::tfg";
  let genSpecializedAttr = 0;
}

def Tfg_ResizeModeAttr : EnumAttr<Tfg_Dialect, Tfg_ResizeMode, "resize_mode"> {
  let assemblyFormat = "`<` $value `>`";
}

def Tfg_ResizeOp : Tfg_Op<"resize", [Pure]> {
  let summary = "Spatial resize of NHWC (TF `ResizeBilinear`, `ResizeNearestNeighbor`; ONNX `Resize`, `Upsample`; Keras `UpSampling2D`)";
  let description = [{
    The result type gives the output height and width.
    `coordinate_mode` is ONNX's `coordinate_transformation_mode`
    (`half_pixel`, `pytorch_half_pixel`, `align_corners`, `asymmetric`,
    `tf_half_pixel_for_nn`), which also expresses TF's `align_corners` and
    `half_pixel_centers` flags; `nearest_mode` is ONNX's rounding of
    nearest (`round_prefer_floor`, `round_prefer_ceil`, `floor`, `ceil`).
    `bicubic` uses ONNX's cubic convolution with `cubic_coeff_a` (-0.75 as
    ONNX and PyTorch; TF uses -0.5) and `exclude_outside` (taps outside the
    input get weight 0 and the rest are renormalized).

    `scales` (H, W), when present, are the scale factors the framework gave
    (ONNX `Resize` by scales): the output size is floor(in * scale) and the
    coordinate mapping uses the scale itself, which differs from out / in
    when in * scale is fractional. Without it the scale is out / in.

    ```mlir
    %y = tfg.resize %x {mode = #tfg.resize_mode<nearest>,
                        coordinate_mode = "asymmetric", nearest_mode = "floor"}
         : (tensor<?x8x8x4xf32>) -> tensor<?x16x16x4xf32>
    ```
  }];
  let arguments = (ins Tfg_FloatTensor:$input, Tfg_ResizeModeAttr:$mode,
      DefaultValuedAttr<StrAttr, "\"half_pixel\"">:$coordinate_mode,
      DefaultValuedAttr<StrAttr, "\"round_prefer_floor\"">:$nearest_mode,
      OptionalAttr<DenseF32ArrayAttr>:$scales,
      DefaultValuedAttr<F32Attr, "-0.75f">:$cubic_coeff_a,
      DefaultValuedAttr<BoolAttr, "false">:$exclude_outside);
  let results = (outs Tfg_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def Tfg_DepthToSpaceOp : Tfg_Op<"depth_to_space", [Pure, InferTypeOpAdaptor]> {
  let summary = "Move channel blocks into space (TF `DepthToSpace`, ONNX `DepthToSpace`)";
  let description = [{
    NHWC. `mode` is `DCR` (TF's order, ONNX default) or `CRD` (ONNX,
    PyTorch's `PixelShuffle`).

    ```mlir
    %y = tfg.depth_to_space %x {block_size = 2 : i64, mode = "DCR"}
         : (tensor<?x4x4x16xf32>) -> tensor<?x8x8x4xf32>
    ```
  }];
  let arguments = (ins Tfg_FloatTensor:$input, I64Attr:$block_size,
      DefaultValuedAttr<StrAttr, "\"DCR\"">:$mode);
  let results = (outs Tfg_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Anything else
//===----------------------------------------------------------------------===//

def Tfg_NodeOp : Tfg_Op<"node", []> {
  let summary = "A framework node tfg has no op for, kept verbatim";
  let description = [{
    Importers keep an unsupported node as `tfg.node` rather than dropping it:
    its framework, op type and attributes (as a dictionary) survive, so an
    exporter can write it back and `inspect` can report it by name. No pass
    looks inside it, and the interpreters reject it with its name.

    ```mlir
    %y = tfg.node "tf" "Sin" (%x) {attrs = {T = "DT_FLOAT"}} : (tensor<?x4xf32>) -> tensor<?x4xf32>
    ```
  }];
  let arguments = (ins StrAttr:$framework, StrAttr:$op_type,
      Variadic<AnyType>:$operands, DefaultValuedAttr<DictionaryAttr, "{}">:$attrs);
  let results = (outs Variadic<AnyType>:$results);
  let assemblyFormat = [{
    $framework $op_type `(` $operands `)` attr-dict `:` functional-type($operands, results)
  }];
}

#endif // VAI_TFG_OPS

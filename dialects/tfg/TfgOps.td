//===- TfgOps.td - tfg operations --------------------------*- tablegen -*-===//

#ifndef VAI_TFG_OPS
#define VAI_TFG_OPS

include "tfg/TfgDialect.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/IR/BuiltinAttributeInterfaces.td"

def Tfg_FloatTensor : RankedTensorOf<[F32]>;

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
    Kept by the importer so that node names survive; removed by cleanup.

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
      DefaultValuedAttr<Tfg_ActivationAttr, "Activation::none">:$activation);
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
      DefaultValuedAttr<Tfg_ActivationAttr, "Activation::none">:$activation);
  let results = (outs Tfg_FloatTensor:$output);
  let assemblyFormat = [{
    $a `,` $b (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Tfg_AddOp : Tfg_Op<"add", [Pure, Commutative,
    InferTypeOpAdaptor]> {
  let summary = "Elementwise sum with broadcasting (TF `AddV2`, `Add`)";
  let description = [{
    Operands broadcast as in NumPy.

    ```mlir
    %y = tfg.add %a, %b : (tensor<?x14x14x16xf32>, tensor<?x14x14x16xf32>)
         -> tensor<?x14x14x16xf32>
    ```
  }];
  let arguments = (ins Tfg_FloatTensor:$lhs, Tfg_FloatTensor:$rhs);
  let results = (outs Tfg_FloatTensor:$output);
  let assemblyFormat = "$lhs `,` $rhs attr-dict `:` functional-type(operands, results)";
}

#endif // VAI_TFG_OPS

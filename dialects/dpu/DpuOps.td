//===- DpuOps.td - dpu operations --------------------------*- tablegen -*-===//

#ifndef VAI_DPU_OPS
#define VAI_DPU_OPS

include "dpu/DpuDialect.td"
include "quant/QuantDialect.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/IR/RegionKindInterface.td"
include "mlir/Interfaces/ControlFlowInterfaces.td"
include "dpu/DpuInstructions.td"

def Dpu_FixTensor : RankedTensorOf<[Quant_FixType]>;

def Dpu_SubgraphOp : Dpu_Op<"subgraph", [IsolatedFromAbove,
    SingleBlockImplicitTerminator<"YieldOp">]> {
  let summary = "A subgraph placed on one device (XIR subgraph)";
  let description = [{
    The body's block arguments are the subgraph's input tensors; `dpu.yield`
    gives its outputs. A `DPU` subgraph names its target
    (`target`, `fingerprint`) and holds only engine ops and `quant.const`;
    a `CPU` subgraph holds `quant` ops the DPU cannot run.

    Once DDR is allocated, a DPU subgraph lists its `regions` (XIR's
    `reg_id_to_*` maps), every tensor has a `dpu.placement` (the inputs in
    `input_placements`), and the parameter region's contents are the
    `quant.const` ops' data at their offsets. `mc_code` holds the program
    once there is one (read from a compiled xmodel, or generated).

    ```mlir
    %y = dpu.subgraph "subgraph_conv1" <DPU>(%x)
           {target = "DPUCZDX8G_ISA1_B4096", fingerprint = "0x101000016010407"}
           : (tensor<?x28x28x1x!quant.fix<s8, 7>>) -> tensor<?x28x28x8x!quant.fix<s8, 4>> {
    ^bb0(%in: tensor<?x28x28x1x!quant.fix<s8, 7>>):
      ...
      dpu.yield %r : tensor<?x28x28x8x!quant.fix<s8, 4>>
    }
    ```
  }];
  let arguments = (ins StrAttr:$sym_name, Dpu_DeviceAttr:$device,
      Variadic<AnyTensor>:$inputs, OptionalAttr<StrAttr>:$target,
      OptionalAttr<StrAttr>:$fingerprint,
      OptionalAttr<TypedArrayAttrBase<Dpu_RegionAttr, "DDR regions">>:$regions,
      OptionalAttr<TypedArrayAttrBase<Dpu_PlacementAttr,
                                      "input placements">>:$input_placements,
      OptionalAttr<ElementsAttr>:$mc_code);
  let results = (outs Variadic<AnyTensor>:$outputs);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = [{
    $sym_name $device `(` $inputs `)` attr-dict `:` functional-type($inputs, results) $body
  }];
  let hasVerifier = 1;
  let skipDefaultBuilders = 1;
  let builders = [
    OpBuilder<(ins "::llvm::StringRef":$name, "Device":$device,
                   "::mlir::ValueRange":$inputs, "::mlir::TypeRange":$resultTypes)>
  ];
}

def Dpu_YieldOp : Dpu_Op<"yield", [Pure, Terminator, HasParent<"SubgraphOp">,
    ReturnLike]> {
  let summary = "The outputs of a subgraph";
  let description = [{
    ```mlir
    dpu.yield %r : tensor<?x10x!quant.fix<s8, 3>>
    ```
  }];
  let arguments = (ins Variadic<AnyTensor>:$values);
  let builders = [OpBuilder<(ins), [{ /* nothing to yield */ }]>];
  let assemblyFormat = "($values^ `:` type($values))? attr-dict";
}

def Dpu_ConvOp : Dpu_Op<"conv", [Pure]> {
  let summary = "One layer on the convolution engine";
  let description = [{
    A convolution as the CONV engine executes it: `shift_cut` and
    `shift_bias` are the hardware's right and left shifts, equal to
    `w + i - o` and `w + i - b` of the operand and result positions (the
    verifier checks they agree). A dense layer is a 1x1 convolution.

    ```mlir
    %y = dpu.conv %x, %w, %b {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>,
           pad = array<i64: 1, 1, 1, 1>, nonlinear = #quant.nonlinear<relu>,
           shift_cut = 9 : si32, shift_bias = 4 : si32} : (...) -> ...
    ```
  }];
  let arguments = (ins Dpu_FixTensor:$input, Dpu_FixTensor:$weights,
      Optional<Dpu_FixTensor>:$bias,
      DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$dilations,
      DenseI64ArrayAttr:$pad, Quant_NonlinearAttr:$nonlinear,
      SI32Attr:$shift_cut, SI32Attr:$shift_bias);
  let results = (outs Dpu_FixTensor:$output);
  let assemblyFormat = [{
    $input `,` $weights (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Dpu_ConvTransposeOp : Dpu_Op<"conv_transpose", [Pure]> {
  let summary = "One transposed-convolution layer on the convolution engine";
  let description = [{
    `quant.conv2d_transpose` as the CONV engine executes it (XIR
    `transposed-conv2d-fix`): HWIO weights `[kh, kw, C, OC]`, `pad`
    (`[top, bottom, left, right]`) crops the full output, and `shift_cut` /
    `shift_bias` are the hardware's shifts, checked against the operand and
    result positions as for `dpu.conv`.

    ```mlir
    %y = dpu.conv_transpose %x, %w, %b {strides = array<i64: 2, 2>,
           dilations = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>,
           nonlinear = #quant.nonlinear<relu>, shift_cut = 8 : si32,
           shift_bias = 3 : si32} : (...) -> ...
    ```
  }];
  let arguments = (ins Dpu_FixTensor:$input, Dpu_FixTensor:$weights,
      Optional<Dpu_FixTensor>:$bias,
      DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$dilations,
      DenseI64ArrayAttr:$pad, Quant_NonlinearAttr:$nonlinear,
      SI32Attr:$shift_cut, SI32Attr:$shift_bias);
  let results = (outs Dpu_FixTensor:$output);
  let assemblyFormat = [{
    $input `,` $weights (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Dpu_PoolOp : Dpu_Op<"pool", [Pure]> {
  let summary = "One layer on the pooling (ALU) engine";
  let description = [{
    Max or DPU average pooling (see `quant.avg_pool` for the multiplier).

    ```mlir
    %y = dpu.pool %x {pool_type = #dpu.pool_type<max>, kernel = array<i64: 2, 2>,
           strides = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>} : (...) -> ...
    ```
  }];
  let arguments = (ins Dpu_FixTensor:$input, Dpu_PoolTypeAttr:$pool_type,
      DenseI64ArrayAttr:$kernel, DenseI64ArrayAttr:$strides,
      DenseI64ArrayAttr:$pad);
  let results = (outs Dpu_FixTensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def Dpu_ElewOp : Dpu_Op<"elew", [Pure, Commutative]> {
  let summary = "One layer on the elementwise engine (add)";
  let description = [{
    ```mlir
    %y = dpu.elew %a, %b {nonlinear = #quant.nonlinear<none>} : (...) -> ...
    ```
  }];
  let arguments = (ins Dpu_FixTensor:$lhs, Dpu_FixTensor:$rhs,
      Quant_NonlinearAttr:$nonlinear);
  let results = (outs Dpu_FixTensor:$output);
  let assemblyFormat = "$lhs `,` $rhs attr-dict `:` functional-type(operands, results)";
}

def Dpu_DwConvOp : Dpu_Op<"dwconv", [Pure]> {
  let summary = "One depthwise layer on the ALU engine";
  let description = [{
    `quant.depthwise_conv2d` with channel multiplier 1 (weights
    `[kh, kw, C, 1]`) as the ALU engine executes it; `shift_cut` and
    `shift_bias` as for `dpu.conv`.

    ```mlir
    %y = dpu.dwconv %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>,
           pad = array<i64: 1, 1, 1, 1>, nonlinear = #quant.nonlinear<relu6>,
           shift_cut = 8 : si32, shift_bias = 0 : si32} : (...) -> ...
    ```
  }];
  let arguments = (ins Dpu_FixTensor:$input, Dpu_FixTensor:$weights,
      Optional<Dpu_FixTensor>:$bias,
      DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$dilations,
      DenseI64ArrayAttr:$pad, Quant_NonlinearAttr:$nonlinear,
      SI32Attr:$shift_cut, SI32Attr:$shift_bias);
  let results = (outs Dpu_FixTensor:$output);
  let assemblyFormat = [{
    $input `,` $weights (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Dpu_ElewMulOp : Dpu_Op<"elew_mul", [Pure]> {
  let summary = "One layer on the elementwise engine (mult)";
  let description = [{
    `quant.mul`: two feature maps of one shape, or `rhs` a per-channel
    scale `1 x ... x 1 x C`.

    ```mlir
    %y = dpu.elew_mul %a, %s : (...) -> ...
    ```
  }];
  let arguments = (ins Dpu_FixTensor:$lhs, Dpu_FixTensor:$rhs);
  let results = (outs Dpu_FixTensor:$output);
  let assemblyFormat = "$lhs `,` $rhs attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def Dpu_ConcatOp : Dpu_Op<"concat", [Pure]> {
  let summary = "Channel concatenation by the save engine";
  let description = [{
    `quant.concat` along the channel (last) axis: each input is written at
    its channel offset of the output.

    ```mlir
    %y = dpu.concat %a, %b {axis = 3 : i64} : (...) -> ...
    ```
  }];
  let arguments = (ins Variadic<Dpu_FixTensor>:$inputs, I64Attr:$axis);
  let results = (outs Dpu_FixTensor:$output);
  let assemblyFormat = "$inputs attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

#endif // VAI_DPU_OPS

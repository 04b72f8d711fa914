//===- Passes.td - tfg passes ------------------------------*- tablegen -*-===//

#ifndef VAI_TFG_PASSES
#define VAI_TFG_PASSES

include "mlir/Pass/PassBase.td"

def TfgFoldBatchNorm : Pass<"tfg-fold-batchnorm", "mlir::func::FuncOp"> {
  let summary = "Fold inference batch normalization into the producing conv or matmul";
  let description = [{
    Rewrites `fused_batch_norm(conv2d(x, W[, b]))` into `conv2d(x, W', b')`
    with, per output channel `c`, `s = scale[c] / sqrt(var[c] + eps)`,
    `W'[..., c] = W[..., c] * s` and `b'[c] = (b[c] - mean[c]) * s +
    offset[c]` (an absent bias counts as zero); likewise for `matmul`, whose
    output channel is the last dimension of `b`. A `bias_add` between the
    producer and the batch norm is folded through. The producer must have
    no activation fused and no other user; its weights and batch-norm
    parameters must be constants. Batch norms that cannot be folded are left
    as they are and reported with a remark naming the node.

    Guarantees: the float interpreter's results are unchanged up to float
    rounding of the folded weights.
  }];
  let dependentDialects = ["::vai::tfg::TfgDialect"];
}

def TfgFuseBiasActivation : Pass<"tfg-fuse-bias-activation", "mlir::func::FuncOp"> {
  let summary = "Fuse bias_add and relu/relu6 into the producing conv2d or matmul";
  let description = [{
    The DPU computes convolution, bias and nonlinearity as one layer. This
    pass moves a constant `bias_add` into the producer's `bias` operand
    (adding to an existing constant bias) and then a `relu`/`relu6` into its
    `activation`, when the producer has no other user. The result is the
    form `quant-quantize` expects.
  }];
  let dependentDialects = ["::vai::tfg::TfgDialect"];
}

#endif // VAI_TFG_PASSES

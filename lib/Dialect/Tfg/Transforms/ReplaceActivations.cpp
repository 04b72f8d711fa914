//===- ReplaceActivations.cpp - tfg-replace-activations -------------------===//
//
// Swaps activations for the forms the DPU executes, as vai_q's
// replace_relu6 / replace_sigmoid / replace_softmax switches do.
//
//===----------------------------------------------------------------------===//

#include "mlir/Transforms/WalkPatternRewriteDriver.h"
#include "vai/Dialect/Tfg/Passes.h"
#include "vai/Dialect/Tfg/TfgUtils.h"

namespace vai::tfg {
#define GEN_PASS_DEF_TFGREPLACEACTIVATIONS
#include "vai/Dialect/Tfg/Passes.h.inc"
} // namespace vai::tfg

using namespace mlir;
using namespace vai::tfg;

namespace {

struct Relu6ToRelu : OpRewritePattern<Relu6Op> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(Relu6Op op,
                                PatternRewriter &rewriter) const override {
    rewriter.replaceOpWithNewOp<ReluOp>(op, op.getInput());
    return success();
  }
};

/// A relu6 fused into a conv-like op or matmul.
struct FusedRelu6ToRelu : RewritePattern {
  FusedRelu6ToRelu(MLIRContext *context)
      : RewritePattern(MatchAnyOpTypeTag(), /*benefit=*/1, context) {}
  LogicalResult matchAndRewrite(Operation *op,
                                PatternRewriter &rewriter) const override {
    if (!isa<Conv2DOp, DepthwiseConv2DOp, Conv2DTransposeOp, MatMulOp>(op))
      return failure();
    auto act = op->getAttrOfType<ActivationAttr>("activation");
    if (!act || act.getValue() != Activation::relu6)
      return failure();
    rewriter.modifyOpInPlace(op, [&] {
      op->setAttr("activation",
                  ActivationAttr::get(op->getContext(), Activation::relu));
    });
    return success();
  }
};

/// The DPU's hard sigmoid is relu6(x + 3) / 6 (vai_q replace_sigmoid).
struct SigmoidToHardSigmoid : OpRewritePattern<SigmoidOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(SigmoidOp op,
                                PatternRewriter &rewriter) const override {
    rewriter.replaceOpWithNewOp<HardSigmoidOp>(
        op, op.getType(), op.getInput(), rewriter.getF32FloatAttr(1.0f / 6),
        rewriter.getF32FloatAttr(0.5f));
    return success();
  }
};

struct SwishToHardSwish : OpRewritePattern<SwishOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(SwishOp op,
                                PatternRewriter &rewriter) const override {
    rewriter.replaceOpWithNewOp<HardSwishOp>(op, op.getInput());
    return success();
  }
};

struct SoftmaxToHardSoftmax : OpRewritePattern<SoftmaxOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(SoftmaxOp op,
                                PatternRewriter &rewriter) const override {
    rewriter.replaceOpWithNewOp<HardSoftmaxOp>(op, op.getInput(),
                                               op.getAxisAttr());
    return success();
  }
};

struct TfgReplaceActivationsPass
    : vai::tfg::impl::TfgReplaceActivationsBase<TfgReplaceActivationsPass> {
  using Base::Base;

  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    if (relu6ToRelu)
      patterns.add<Relu6ToRelu, FusedRelu6ToRelu>(&getContext());
    if (sigmoidToHardSigmoid)
      patterns.add<SigmoidToHardSigmoid>(&getContext());
    if (swishToHardSwish)
      patterns.add<SwishToHardSwish>(&getContext());
    if (softmaxToHardSoftmax)
      patterns.add<SoftmaxToHardSoftmax>(&getContext());
    // One walk, no folding or dead-code removal: only the replacements.
    walkAndApplyPatterns(getOperation(), std::move(patterns));
  }
};

} // namespace

//===- FuseBiasActivation.cpp - tfg-fuse-bias-activation ------------------===//
//
// Moves bias_add and relu/relu6 into the conv2d or matmul that produces
// their input: the DPU runs the three as one layer.
//
//===----------------------------------------------------------------------===//

#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "vai/Dialect/Tfg/Passes.h"
#include "vai/Dialect/Tfg/TfgUtils.h"

namespace vai::tfg {
#define GEN_PASS_DEF_TFGFUSEBIASACTIVATION
#include "vai/Dialect/Tfg/Passes.h.inc"
} // namespace vai::tfg

using namespace mlir;
using namespace vai::tfg;

namespace {

/// A conv2d or matmul with a single user and no activation yet.
static Operation *fusableProducer(Value value) {
  Operation *op = value.getDefiningOp();
  if (!op || !op->hasOneUse())
    return nullptr;
  if (auto conv = dyn_cast<Conv2DOp>(op))
    return conv.getActivation() == Activation::none ? op : nullptr;
  if (auto matmul = dyn_cast<MatMulOp>(op))
    return matmul.getActivation() == Activation::none ? op : nullptr;
  return nullptr;
}

struct FuseBiasAdd : OpRewritePattern<BiasAddOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(BiasAddOp biasAdd,
                                PatternRewriter &rewriter) const override {
    Operation *producer = fusableProducer(biasAdd.getInput());
    if (!producer)
      return rewriter.notifyMatchFailure(biasAdd, "no fusable producer");
    auto bias = getConstantFloats(biasAdd.getBias());
    if (!bias)
      return rewriter.notifyMatchFailure(biasAdd, "bias is not constant");
    MutableOperandRange operand =
        isa<Conv2DOp>(producer) ? cast<Conv2DOp>(producer).getBiasMutable()
                                : cast<MatMulOp>(producer).getBiasMutable();
    Value newBias = biasAdd.getBias();
    if (!operand.empty()) {
      auto existing = getConstantFloats(operand[0].get());
      if (!existing)
        return rewriter.notifyMatchFailure(biasAdd,
                                           "existing bias is not constant");
      for (auto [sum, v] : llvm::zip(*existing, *bias))
        sum += v;
      rewriter.setInsertionPoint(producer);
      newBias = createFloatConst(rewriter, biasAdd.getBias().getLoc(),
                                 cast<RankedTensorType>(newBias.getType()),
                                 *existing);
    }
    rewriter.modifyOpInPlace(producer, [&] { operand.assign(newBias); });
    // A constant defined after the producer must move above it.
    if (Operation *def = newBias.getDefiningOp();
        def && def->getBlock() == producer->getBlock() &&
        producer->isBeforeInBlock(def))
      rewriter.moveOpBefore(def, producer);
    rewriter.replaceOp(biasAdd, producer->getResult(0));
    return success();
  }
};

template <typename ActivationOp, Activation kind>
struct FuseActivation : OpRewritePattern<ActivationOp> {
  using OpRewritePattern<ActivationOp>::OpRewritePattern;
  LogicalResult matchAndRewrite(ActivationOp act,
                                PatternRewriter &rewriter) const override {
    Operation *producer = fusableProducer(act.getInput());
    if (!producer)
      return rewriter.notifyMatchFailure(act, "no fusable producer");
    rewriter.modifyOpInPlace(producer, [&] {
      producer->setAttr("activation",
                        ActivationAttr::get(rewriter.getContext(), kind));
    });
    rewriter.replaceOp(act, producer->getResult(0));
    return success();
  }
};

struct TfgFuseBiasActivationPass
    : vai::tfg::impl::TfgFuseBiasActivationBase<TfgFuseBiasActivationPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FuseBiasAdd, FuseActivation<ReluOp, Activation::relu>,
                 FuseActivation<Relu6Op, Activation::relu6>>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace

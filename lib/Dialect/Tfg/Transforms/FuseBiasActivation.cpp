//===- FuseBiasActivation.cpp - tfg-fuse-bias-activation ------------------===//
//
// Moves bias_add and relu/relu6/leaky_relu into the convolution or matmul
// that produces their input: the DPU runs the three as one layer.
//
//===----------------------------------------------------------------------===//

#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "vai/Dialect/Tfg/Passes.h"
#include "vai/Dialect/Tfg/TfgUtils.h"
#include "llvm/ADT/TypeSwitch.h"

namespace vai::tfg {
#define GEN_PASS_DEF_TFGFUSEBIASACTIVATION
#include "vai/Dialect/Tfg/Passes.h.inc"
} // namespace vai::tfg

using namespace mlir;
using namespace vai::tfg;

namespace {

/// The producers that carry `bias`, `activation` and `alpha`.
static bool isLayer(Operation *op) {
  return isa<Conv2DOp, DepthwiseConv2DOp, Conv2DTransposeOp, MatMulOp>(op);
}

static Activation activationOf(Operation *op) {
  return op->getAttrOfType<ActivationAttr>("activation").getValue();
}

static MutableOperandRange biasOperand(Operation *op) {
  return llvm::TypeSwitch<Operation *, MutableOperandRange>(op)
      .Case<Conv2DOp, DepthwiseConv2DOp, Conv2DTransposeOp, MatMulOp>(
          [](auto layer) { return layer.getBiasMutable(); });
}

/// A layer with a single user and no activation yet.
static Operation *fusableProducer(Value value) {
  Operation *op = value.getDefiningOp();
  if (!op || !op->hasOneUse() || !isLayer(op))
    return nullptr;
  return activationOf(op) == Activation::none ? op : nullptr;
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
    MutableOperandRange operand = biasOperand(producer);
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

/// Sets `kind` (and the leaky slope) on the producer of `act`'s input.
static LogicalResult fuseInto(Operation *act, Value input, Activation kind,
                              float alpha, PatternRewriter &rewriter) {
  Operation *producer = fusableProducer(input);
  if (!producer)
    return rewriter.notifyMatchFailure(act, "no fusable producer");
  rewriter.modifyOpInPlace(producer, [&] {
    producer->setAttr("activation",
                      ActivationAttr::get(rewriter.getContext(), kind));
    if (kind == Activation::leaky_relu)
      producer->setAttr("alpha", rewriter.getF32FloatAttr(alpha));
  });
  rewriter.replaceOp(act, producer->getResult(0));
  return success();
}

template <typename ActivationOp, Activation kind>
struct FuseActivation : OpRewritePattern<ActivationOp> {
  using OpRewritePattern<ActivationOp>::OpRewritePattern;
  LogicalResult matchAndRewrite(ActivationOp act,
                                PatternRewriter &rewriter) const override {
    return fuseInto(act, act.getInput(), kind, 0.0f, rewriter);
  }
};

struct FuseLeakyRelu : OpRewritePattern<LeakyReluOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(LeakyReluOp act,
                                PatternRewriter &rewriter) const override {
    return fuseInto(act, act.getInput(), Activation::leaky_relu,
                    act.getAlpha().convertToFloat(), rewriter);
  }
};

/// The slope of a prelu when it is one constant value everywhere.
static std::optional<float> uniformSlope(PReluOp prelu) {
  auto slope = getConstantFloats(prelu.getSlope());
  if (!slope || slope->empty() ||
      llvm::any_of(*slope, [&](float v) { return v != slope->front(); }))
    return std::nullopt;
  return slope->front();
}

/// A prelu with a single slope value is a leaky ReLU.
struct FuseUniformPRelu : OpRewritePattern<PReluOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(PReluOp prelu,
                                PatternRewriter &rewriter) const override {
    std::optional<float> slope = uniformSlope(prelu);
    if (!slope)
      return rewriter.notifyMatchFailure(prelu, "slope is per channel");
    return fuseInto(prelu, prelu.getInput(), Activation::leaky_relu, *slope,
                    rewriter);
  }
};

struct TfgFuseBiasActivationPass
    : vai::tfg::impl::TfgFuseBiasActivationBase<TfgFuseBiasActivationPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FuseBiasAdd, FuseActivation<ReluOp, Activation::relu>,
                 FuseActivation<Relu6Op, Activation::relu6>, FuseLeakyRelu,
                 FuseUniformPRelu>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
    // Only a per-channel prelu after a fusable layer is worth a word: the
    // DPU's conv nonlinearity has one slope.
    getOperation().walk([](PReluOp prelu) {
      if (fusableProducer(prelu.getInput()) && !uniformSlope(prelu))
        prelu.emitRemark() << "prelu not fused: its slope differs between "
                              "channels (or is not constant); the DPU's "
                              "leaky_relu has one slope";
    });
  }
};

} // namespace

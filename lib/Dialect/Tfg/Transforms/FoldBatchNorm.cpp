//===- FoldBatchNorm.cpp - tfg-fold-batchnorm -----------------------------===//
//
// Folds inference batch norm into the weights and bias of the conv2d or
// matmul that produces its input, so that the DPU sees one layer.
//
//===----------------------------------------------------------------------===//

#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "vai/Dialect/Tfg/Passes.h"
#include "vai/Dialect/Tfg/TfgUtils.h"
#include <cmath>

namespace vai::tfg {
#define GEN_PASS_DEF_TFGFOLDBATCHNORM
#include "vai/Dialect/Tfg/Passes.h.inc"
} // namespace vai::tfg

using namespace mlir;
using namespace vai::tfg;

namespace {

/// The parts of a foldable producer: weights, their output-channel axis and
/// the bias added before the batch norm (empty = zero).
struct Producer {
  Operation *op = nullptr;
  Value weights;
  int64_t channelAxis = 0;
  SmallVector<float> bias;
  Operation *biasAdd = nullptr;
};

/// Finds the conv2d/matmul (possibly behind a bias_add) feeding `input`.
static FailureOr<Producer> findProducer(Value input, std::string &why) {
  Producer p;
  if (auto biasAdd = input.getDefiningOp<BiasAddOp>()) {
    auto bias = getConstantFloats(biasAdd.getBias());
    if (!bias || !biasAdd->hasOneUse()) {
      why = "the bias_add before it has a non-constant bias or other users";
      return failure();
    }
    p.bias = *bias;
    p.biasAdd = biasAdd;
    input = biasAdd.getInput();
  }
  Operation *op = input.getDefiningOp();
  if (!op || !isa<Conv2DOp, MatMulOp>(op)) {
    why = "its input is not produced by a conv2d or matmul";
    return failure();
  }
  if (!op->hasOneUse()) {
    why = "its producer has other users";
    return failure();
  }
  Value bias;
  if (auto conv = dyn_cast<Conv2DOp>(op)) {
    if (conv.getActivation() != Activation::none) {
      why = "its producer already applies an activation";
      return failure();
    }
    p.weights = conv.getFilter();
    p.channelAxis = 3;
    bias = conv.getBias();
  } else {
    auto matmul = cast<MatMulOp>(op);
    if (matmul.getActivation() != Activation::none) {
      why = "its producer already applies an activation";
      return failure();
    }
    p.weights = matmul.getB();
    p.channelAxis = matmul.getTransposeB() ? 0 : 1;
    bias = matmul.getBias();
  }
  if (bias) {
    auto values = getConstantFloats(bias);
    if (!values) {
      why = "its producer's bias is not a constant";
      return failure();
    }
    if (p.bias.empty())
      p.bias = *values;
    else
      for (auto [sum, v] : llvm::zip(p.bias, *values))
        sum += v;
  }
  p.op = op;
  return p;
}

struct FoldIntoProducer : OpRewritePattern<FusedBatchNormOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(FusedBatchNormOp bn,
                                PatternRewriter &rewriter) const override {
    std::string why;
    FailureOr<Producer> producer = findProducer(bn.getInput(), why);
    if (failed(producer))
      return rewriter.notifyMatchFailure(bn, why);
    auto weights = getConstantFloats(producer->weights);
    auto scale = getConstantFloats(bn.getScale());
    auto offset = getConstantFloats(bn.getOffset());
    auto mean = getConstantFloats(bn.getMean());
    auto variance = getConstantFloats(bn.getVariance());
    if (!weights || !scale || !offset || !mean || !variance)
      return rewriter.notifyMatchFailure(
          bn, "weights or statistics are not constant");

    size_t channels = scale->size();
    SmallVector<float> factor(channels), bias(channels);
    float epsilon = bn.getEpsilon().convertToFloat();
    for (size_t c = 0; c < channels; ++c) {
      factor[c] = (*scale)[c] / std::sqrt((*variance)[c] + epsilon);
      float before = producer->bias.empty() ? 0.0f : producer->bias[c];
      bias[c] = (before - (*mean)[c]) * factor[c] + (*offset)[c];
    }
    auto weightType = cast<RankedTensorType>(producer->weights.getType());
    for (auto [i, w] : llvm::enumerate(*weights))
      w *= factor[channelOfElement(weightType, producer->channelAxis, i)];

    Operation *op = producer->op;
    rewriter.setInsertionPoint(op);
    Value newWeights = createFloatConst(
        rewriter, derivedNameLoc(op->getLoc(), "/weights_folded"), weightType,
        *weights);
    Value newBias = createFloatConst(
        rewriter, derivedNameLoc(op->getLoc(), "/bias_folded"),
        RankedTensorType::get({int64_t(channels)}, rewriter.getF32Type()),
        bias);
    rewriter.modifyOpInPlace(op, [&] {
      if (auto conv = dyn_cast<Conv2DOp>(op)) {
        conv.getFilterMutable().assign(newWeights);
        conv.getBiasMutable().assign(newBias);
      } else {
        auto matmul = cast<MatMulOp>(op);
        matmul.getBMutable().assign(newWeights);
        matmul.getBiasMutable().assign(newBias);
      }
    });
    rewriter.replaceOp(bn, op->getResult(0));
    if (producer->biasAdd)
      rewriter.eraseOp(producer->biasAdd);
    return success();
  }
};

struct TfgFoldBatchNormPass
    : vai::tfg::impl::TfgFoldBatchNormBase<TfgFoldBatchNormPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FoldIntoProducer>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
    // Say which batch norms stay and why, by node name.
    getOperation().walk([](FusedBatchNormOp bn) {
      std::string why;
      if (failed(findProducer(bn.getInput(), why)))
        bn.emitRemark() << "batch norm not folded: " << why;
      else
        bn.emitRemark() << "batch norm not folded: non-constant parameters";
    });
  }
};

} // namespace

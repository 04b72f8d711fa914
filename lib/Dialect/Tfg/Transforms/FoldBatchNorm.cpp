//===- FoldBatchNorm.cpp - tfg-fold-batchnorm -----------------------------===//
//
// Folds inference batch norm into the weights and bias of the convolution or
// matmul that produces its input, so that the DPU sees one layer. A batch
// norm with nothing to fold into becomes a per-channel multiply and add.
//
//===----------------------------------------------------------------------===//

#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "vai/Dialect/Tfg/Passes.h"
#include "vai/Dialect/Tfg/TfgUtils.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/TypeSwitch.h"
#include <cmath>

namespace vai::tfg {
#define GEN_PASS_DEF_TFGFOLDBATCHNORM
#include "vai/Dialect/Tfg/Passes.h.inc"
} // namespace vai::tfg

using namespace mlir;
using namespace vai::tfg;

namespace {

/// The parts of a foldable producer: its weights, where the output channel
/// sits in them, and the bias added before the batch norm (empty = zero).
struct Producer {
  Operation *op = nullptr;
  Value weights;
  /// Weight element `i` belongs to output channel `(i / inner) % channels`.
  int64_t inner = 1;
  int64_t channels = 0;
  SmallVector<float> bias;
  Operation *biasAdd = nullptr;
};

/// Weights, output-channel layout, bias and activation of an op whose
/// output channel `c` is linear in weight slice `c`.
struct WeightLayout {
  Value weights, bias;
  int64_t inner = 1, channels = 0;
  Activation activation = Activation::none;
};

static std::optional<WeightLayout> weightLayout(Operation *op) {
  auto dims = [](Value v) {
    return cast<RankedTensorType>(v.getType()).getShape();
  };
  return TypeSwitch<Operation *, std::optional<WeightLayout>>(op)
      .Case([&](Conv2DOp conv) -> std::optional<WeightLayout> {
        // HWIO: output channel is the last dimension.
        return WeightLayout{conv.getFilter(), conv.getBias(), 1,
                            dims(conv.getFilter())[3], conv.getActivation()};
      })
      .Case([&](DepthwiseConv2DOp conv) -> std::optional<WeightLayout> {
        // [kh, kw, C, M]: output channel c * M + m is the flattened last two.
        ArrayRef<int64_t> f = dims(conv.getFilter());
        int64_t channels =
            ShapedType::isDynamic(f[2]) || ShapedType::isDynamic(f[3])
                ? ShapedType::kDynamic
                : f[2] * f[3];
        return WeightLayout{conv.getFilter(), conv.getBias(), 1, channels,
                            conv.getActivation()};
      })
      .Case([&](Conv2DTransposeOp conv) -> std::optional<WeightLayout> {
        // [kh, kw, out, in]: output channel is dimension 2.
        ArrayRef<int64_t> f = dims(conv.getFilter());
        return WeightLayout{conv.getFilter(), conv.getBias(), f[3], f[2],
                            conv.getActivation()};
      })
      .Case([&](MatMulOp matmul) -> std::optional<WeightLayout> {
        // b is [K, N], or [N, K] with transpose_b.
        ArrayRef<int64_t> b = dims(matmul.getB());
        bool t = matmul.getTransposeB();
        return WeightLayout{matmul.getB(), matmul.getBias(), t ? b[1] : 1,
                            t ? b[0] : b[1], matmul.getActivation()};
      })
      .Default([](Operation *) { return std::nullopt; });
}

/// Finds the convolution or matmul (possibly behind a bias_add) feeding
/// `input` whose weights can absorb a per-channel affine map.
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
  std::optional<WeightLayout> layout =
      op ? weightLayout(op) : std::optional<WeightLayout>();
  if (!layout) {
    why = "its input is not produced by a conv2d, depthwise_conv2d, "
          "conv2d_transpose or matmul";
    return failure();
  }
  if (!op->hasOneUse()) {
    why = "its producer has other users";
    return failure();
  }
  // scale * relu(x) + offset is not relu(scale' * x + offset').
  if (layout->activation != Activation::none) {
    why = "its producer already applies an activation";
    return failure();
  }
  if (!getConstantFloats(layout->weights)) {
    why = "its producer's weights are not a constant";
    return failure();
  }
  if (layout->bias) {
    auto values = getConstantFloats(layout->bias);
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
  p.weights = layout->weights;
  p.inner = layout->inner;
  p.channels = layout->channels;
  return p;
}

/// The batch norm as `y = x * factor + shift` per channel, in double.
struct Affine {
  SmallVector<double> factor, shift;
};

/// Exactly the op's epsilon (exporters may have folded it into the
/// variance and set it to 0): no clamping, the sum formed in double.
static FailureOr<Affine> batchNormAffine(FusedBatchNormOp bn,
                                         std::string &why) {
  auto scale = getConstantFloats(bn.getScale());
  auto offset = getConstantFloats(bn.getOffset());
  auto mean = getConstantFloats(bn.getMean());
  auto variance = getConstantFloats(bn.getVariance());
  if (!scale || !offset || !mean || !variance) {
    why = "its scale, offset, mean or variance is not a constant";
    return failure();
  }
  double epsilon = bn.getEpsilon().convertToDouble();
  Affine affine;
  for (size_t c = 0, e = scale->size(); c < e; ++c) {
    double denominator = double((*variance)[c]) + epsilon;
    // Folding 1/0 or a NaN into weights would spread it over other terms.
    if (!(denominator > 0) || !std::isfinite(denominator)) {
      why = "variance + epsilon of channel " + std::to_string(c) +
            " is not positive";
      return failure();
    }
    double factor = double((*scale)[c]) / std::sqrt(denominator);
    affine.factor.push_back(factor);
    affine.shift.push_back(double((*offset)[c]) - double((*mean)[c]) * factor);
  }
  return affine;
}

struct FoldIntoProducer : OpRewritePattern<FusedBatchNormOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(FusedBatchNormOp bn,
                                PatternRewriter &rewriter) const override {
    std::string why;
    FailureOr<Producer> producer = findProducer(bn.getInput(), why);
    if (failed(producer))
      return rewriter.notifyMatchFailure(bn, why);
    FailureOr<Affine> affine = batchNormAffine(bn, why);
    if (failed(affine))
      return rewriter.notifyMatchFailure(bn, why);
    size_t channels = affine->factor.size();
    if (producer->channels != int64_t(channels))
      return rewriter.notifyMatchFailure(bn, "channel counts differ");

    // W' = W * factor, b' = b * factor + shift; rounded to f32 once.
    SmallVector<float> weights = *getConstantFloats(producer->weights);
    for (auto [i, w] : llvm::enumerate(weights))
      w = float(double(w) *
                affine->factor[(i / producer->inner) % producer->channels]);
    SmallVector<float> bias(channels);
    for (size_t c = 0; c < channels; ++c) {
      double before = producer->bias.empty() ? 0.0 : producer->bias[c];
      bias[c] = float(before * affine->factor[c] + affine->shift[c]);
    }

    Operation *op = producer->op;
    rewriter.setInsertionPoint(op);
    Value newWeights = createFloatConst(
        rewriter, derivedNameLoc(op->getLoc(), "/weights_folded"),
        cast<RankedTensorType>(producer->weights.getType()), weights);
    Value newBias = createFloatConst(
        rewriter, derivedNameLoc(op->getLoc(), "/bias_folded"),
        RankedTensorType::get({int64_t(channels)}, rewriter.getF32Type()),
        bias);
    rewriter.modifyOpInPlace(op, [&] {
      TypeSwitch<Operation *>(op)
          .Case<Conv2DOp, DepthwiseConv2DOp, Conv2DTransposeOp>([&](auto conv) {
            conv.getFilterMutable().assign(newWeights);
            conv.getBiasMutable().assign(newBias);
          })
          .Case([&](MatMulOp matmul) {
            matmul.getBMutable().assign(newWeights);
            matmul.getBiasMutable().assign(newBias);
          });
    });
    rewriter.replaceOp(bn, op->getResult(0));
    if (producer->biasAdd)
      rewriter.eraseOp(producer->biasAdd);
    return success();
  }
};

/// Replaces `bn` by `x * factor + shift` with constant per-channel vectors
/// (broadcast on the last dimension); the add keeps the batch norm's name.
static void rewriteAsScaleOffset(FusedBatchNormOp bn, const Affine &affine) {
  OpBuilder builder(bn);
  Location loc = bn.getLoc();
  auto type = cast<RankedTensorType>(bn.getType());
  auto vectorType = RankedTensorType::get({int64_t(affine.factor.size())},
                                          builder.getF32Type());
  auto toFloats = [](ArrayRef<double> values) {
    return SmallVector<float>(llvm::map_range(
        values, [](double v) { return static_cast<float>(v); }));
  };
  SmallVector<float> factor = toFloats(affine.factor);
  SmallVector<float> shift = toFloats(affine.shift);
  Value result = bn.getInput();
  if (llvm::any_of(factor, [](float v) { return v != 1.0f; })) {
    Value scale = createFloatConst(
        builder, derivedNameLoc(loc, "/scale_folded"), vectorType, factor);
    bool last = llvm::all_of(shift, [](float v) { return v == 0.0f; });
    result = MulOp::create(builder, last ? loc : derivedNameLoc(loc, "/mul"),
                           type, result, scale);
  }
  if (llvm::any_of(shift, [](float v) { return v != 0.0f; })) {
    Value offset = createFloatConst(
        builder, derivedNameLoc(loc, "/offset_folded"), vectorType, shift);
    result = AddOp::create(builder, loc, type, result, offset);
  }
  bn.replaceAllUsesWith(result);
  SmallPtrSet<Operation *, 4> params;
  for (Value param : bn->getOperands().drop_front())
    if (auto constant = param.getDefiningOp<ConstOp>())
      params.insert(constant);
  bn.erase();
  for (Operation *param : params)
    if (param->use_empty())
      param->erase();
}

struct TfgFoldBatchNormPass
    : vai::tfg::impl::TfgFoldBatchNormBase<TfgFoldBatchNormPass> {
  using TfgFoldBatchNormBase::TfgFoldBatchNormBase;

  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FoldIntoProducer>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
    // Only after every fold (a batch norm may feed another one): say which
    // batch norms stay and why, by node name, and apply the rest as a
    // scale and offset.
    SmallVector<FusedBatchNormOp> left;
    getOperation().walk([&](FusedBatchNormOp bn) { left.push_back(bn); });
    for (FusedBatchNormOp bn : left) {
      std::string why;
      FailureOr<Affine> affine = batchNormAffine(bn, why);
      if (failed(affine)) {
        bn.emitRemark() << "batch norm not folded: " << why;
        continue;
      }
      if (succeeded(findProducer(bn.getInput(), why)))
        why = "its producer's channels do not match";
      InFlightDiagnostic remark = bn.emitRemark()
                                  << "batch norm not folded: " << why;
      if (!scaleOffset)
        continue;
      remark << "; applied as a per-channel scale and offset";
      remark.report();
      rewriteAsScaleOffset(bn, *affine);
    }
  }
};

} // namespace

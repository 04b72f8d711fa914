//===- FoldConstantAffine.cpp - tfg-fold-constant-affine ------------------===//
//
// Folds a multiplication or addition by a per-output-channel constant that
// follows a convolution or matmul into that layer's weights and bias:
// (W * x + b) * s + t = (W * s) * x + (b * s + t). ONNX exporters leave
// such Mul/Add nodes for scaling and normalization.
//
//===----------------------------------------------------------------------===//

#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "vai/Dialect/Tfg/Passes.h"
#include "vai/Dialect/Tfg/TfgUtils.h"
#include "llvm/ADT/TypeSwitch.h"
#include <functional>
#include <type_traits>

namespace vai::tfg {
#define GEN_PASS_DEF_TFGFOLDCONSTANTAFFINE
#include "vai/Dialect/Tfg/Passes.h.inc"
} // namespace vai::tfg

using namespace mlir;
using namespace vai::tfg;

namespace {

/// A layer whose weights and bias can absorb a per-channel scale and shift.
struct Layer {
  Operation *op = nullptr;
  Value weights;
  MutableOperandRange weightsOperand;
  MutableOperandRange biasOperand;
  /// Output channel of each weight element.
  std::function<int64_t(int64_t)> channelOf;
};

static std::optional<Layer> foldableLayer(Value value) {
  Operation *op = value.getDefiningOp();
  if (!op || !op->hasOneUse())
    return std::nullopt;
  auto act = op->getAttrOfType<ActivationAttr>("activation");
  if (!act || act.getValue() != Activation::none)
    return std::nullopt;
  auto make = [&](Value weights, MutableOperandRange weightsOperand,
                  MutableOperandRange biasOperand, int64_t axis) {
    auto type = cast<RankedTensorType>(weights.getType());
    return Layer{
        op, weights, weightsOperand, biasOperand,
        [type, axis](int64_t i) { return channelOfElement(type, axis, i); }};
  };
  return llvm::TypeSwitch<Operation *, std::optional<Layer>>(op)
      .Case([&](Conv2DOp conv) {
        return make(conv.getFilter(), conv.getFilterMutable(),
                    conv.getBiasMutable(), 3);
      })
      .Case([&](DepthwiseConv2DOp conv) -> std::optional<Layer> {
        // Filter [kh, kw, C, M]: output channel c * M + m is the flat index
        // over the last two dimensions.
        auto type = cast<RankedTensorType>(conv.getFilter().getType());
        if (!type.hasStaticShape())
          return std::nullopt;
        int64_t channels = type.getDimSize(2) * type.getDimSize(3);
        return Layer{op, conv.getFilter(), conv.getFilterMutable(),
                     conv.getBiasMutable(),
                     [channels](int64_t i) { return i % channels; }};
      })
      .Case([&](Conv2DTransposeOp conv) {
        // Filter [kh, kw, out, in].
        return make(conv.getFilter(), conv.getFilterMutable(),
                    conv.getBiasMutable(), 2);
      })
      .Case([&](MatMulOp matmul) {
        return make(matmul.getB(), matmul.getBMutable(),
                    matmul.getBiasMutable(), matmul.getTransposeB() ? 0 : 1);
      })
      .Default([](Operation *) { return std::nullopt; });
}

/// The constant `value` as one number per output channel (of `channels`),
/// when it is a scalar or a vector on the last dimension.
static std::optional<SmallVector<float>> channelConstant(Value value,
                                                         int64_t channels) {
  auto floats = getConstantFloats(value);
  if (!floats)
    return std::nullopt;
  if (floats->size() == 1)
    return SmallVector<float>(channels, floats->front());
  auto type = cast<RankedTensorType>(value.getType());
  for (int64_t d = 0; d + 1 < type.getRank(); ++d)
    if (type.getDimSize(d) != 1)
      return std::nullopt;
  if (int64_t(floats->size()) != channels)
    return std::nullopt;
  return floats;
}

enum class Kind { Scale, Shift, NegativeShift };

/// The data and the constant operand, in the order written.
template <typename OpTy> static std::pair<Value, Value> operands(OpTy op) {
  if constexpr (std::is_same_v<OpTy, BiasAddOp>)
    return {op.getInput(), op.getBias()};
  else
    return {op.getLhs(), op.getRhs()};
}

template <typename OpTy, Kind kind>
struct FoldIntoLayer : OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;

  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    // The constant may be on either side of a commutative op.
    auto [data, constant] = operands(op);
    std::optional<Layer> layer = foldableLayer(data);
    if (!layer && kind != Kind::NegativeShift &&
        !std::is_same_v<OpTy, BiasAddOp>) {
      std::swap(data, constant);
      layer = foldableLayer(data);
    }
    if (!layer)
      return rewriter.notifyMatchFailure(op, "no foldable layer");
    auto resultType = cast<RankedTensorType>(op.getType());
    // The constant must not broadcast the layer's result to a new shape.
    if (data.getType() != resultType || resultType.getRank() < 1)
      return rewriter.notifyMatchFailure(op, "the constant broadcasts");
    int64_t channels = resultType.getDimSize(resultType.getRank() - 1);
    if (ShapedType::isDynamic(channels))
      return rewriter.notifyMatchFailure(op, "unknown channel count");
    auto values = channelConstant(constant, channels);
    if (!values)
      return rewriter.notifyMatchFailure(op, "not a per-channel constant");
    auto weights = getConstantFloats(layer->weights);
    if (!weights)
      return rewriter.notifyMatchFailure(op, "weights are not constant");
    SmallVector<float> bias(channels, 0.0f);
    bool hasBias = !layer->biasOperand.empty();
    if (hasBias) {
      auto existing = getConstantFloats(layer->biasOperand[0].get());
      if (!existing || int64_t(existing->size()) != channels)
        return rewriter.notifyMatchFailure(op, "bias is not constant");
      bias = *existing;
    }

    Operation *producer = layer->op;
    rewriter.setInsertionPoint(producer);
    auto biasType = RankedTensorType::get({channels}, rewriter.getF32Type());
    Value newWeights, newBias;
    if (kind == Kind::Scale) {
      for (auto [i, w] : llvm::enumerate(*weights))
        w *= (*values)[layer->channelOf(i)];
      newWeights = createFloatConst(
          rewriter, derivedNameLoc(producer->getLoc(), "/weights_scaled"),
          cast<RankedTensorType>(layer->weights.getType()), *weights);
      if (hasBias) {
        for (auto [b, s] : llvm::zip(bias, *values))
          b *= s;
        newBias = createFloatConst(
            rewriter, derivedNameLoc(producer->getLoc(), "/bias_scaled"),
            biasType, bias);
      }
    } else {
      for (auto [b, t] : llvm::zip(bias, *values))
        b += kind == Kind::Shift ? t : -t;
      newBias = createFloatConst(
          rewriter, derivedNameLoc(producer->getLoc(), "/bias_shifted"),
          biasType, bias);
    }
    rewriter.modifyOpInPlace(producer, [&] {
      if (newWeights)
        layer->weightsOperand.assign(newWeights);
      if (newBias)
        layer->biasOperand.assign(newBias);
    });
    rewriter.replaceOp(op, producer->getResult(0));
    return success();
  }
};

struct TfgFoldConstantAffinePass
    : vai::tfg::impl::TfgFoldConstantAffineBase<TfgFoldConstantAffinePass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FoldIntoLayer<MulOp, Kind::Scale>,
                 FoldIntoLayer<AddOp, Kind::Shift>,
                 FoldIntoLayer<BiasAddOp, Kind::Shift>,
                 FoldIntoLayer<SubOp, Kind::NegativeShift>>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace

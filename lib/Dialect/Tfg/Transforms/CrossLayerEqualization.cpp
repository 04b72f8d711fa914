//===- CrossLayerEqualization.cpp - tfg-cross-layer-equalization ----------===//
//
// Data-free cross-layer equalization (Nagel et al. 2019, §4.1): rescales the
// channels between two convolutions so that both layers' per-channel weight
// ranges become equal, which makes per-tensor weight quantization lose less.
//
//===----------------------------------------------------------------------===//

#include "vai/Dialect/Tfg/Passes.h"
#include "vai/Dialect/Tfg/TfgUtils.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/Support/Format.h"
#include <cmath>

namespace vai::tfg {
#define GEN_PASS_DEF_TFGCROSSLAYEREQUALIZATION
#include "vai/Dialect/Tfg/Passes.h.inc"
} // namespace vai::tfg

using namespace mlir;
using namespace vai::tfg;

namespace {

/// The constant weights of one conv2d or depthwise_conv2d, edited in place
/// during the sweeps and written back once at the end.
struct Layer {
  Operation *op;
  RankedTensorType filterType;
  SmallVector<float> filter, originalFilter;
  std::optional<SmallVector<float>> bias, originalBias;
  bool depthwise;

  int64_t dim(int d) const { return filterType.getDimSize(d); }
  /// Output channel of filter element `e`: HWIO's O, or c * M + m of a
  /// depthwise [kh, kw, C, M] filter.
  int64_t outChannel(int64_t e) const {
    return depthwise ? e % (dim(2) * dim(3)) : e % dim(3);
  }
  int64_t numOut() const { return depthwise ? dim(2) * dim(3) : dim(3); }
  /// Input channel of filter element `e` (I of HWIO, C of depthwise).
  int64_t inChannel(int64_t e) const { return (e / dim(3)) % dim(2); }
  int64_t numIn() const { return dim(2); }
};

/// conv1 -> [activation] -> conv2 with the activation kind between them.
struct Pair {
  Operation *head = nullptr, *tail = nullptr;
  /// Standalone relu6 ops to turn into relu (relu6=replace).
  SmallVector<Relu6Op> standaloneRelu6;
  bool fusedRelu6 = false;
};

static SmallVector<float> ranges(ArrayRef<float> w, int64_t channels,
                                 function_ref<int64_t(int64_t)> channelOf) {
  SmallVector<float> r(channels, 0.0f);
  for (auto [e, v] : llvm::enumerate(w))
    r[channelOf(e)] = std::max(r[channelOf(e)], std::fabs(v));
  return r;
}

/// max / min over the channels whose range is not zero (1 when none).
static double spread(ArrayRef<float> r) {
  float lo = INFINITY, hi = 0.0f;
  for (float v : r)
    if (v > 0.0f) {
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
  return hi > 0.0f ? double(hi) / double(lo) : 1.0;
}

static bool isConv(Operation *op) {
  return isa_and_nonnull<Conv2DOp, DepthwiseConv2DOp>(op);
}

static Activation fusedActivation(Operation *op) {
  if (auto conv = dyn_cast<Conv2DOp>(op))
    return conv.getActivation();
  return cast<DepthwiseConv2DOp>(op).getActivation();
}

/// Zero padding of the spatial dimensions only: it commutes with a
/// per-channel scale.
static bool isZeroSpatialPad(Operation *op) {
  auto pad = dyn_cast<PadOp>(op);
  if (!pad || pad.getMode() != PadMode::constant || !pad.getValue().isZero())
    return false;
  ArrayRef<int64_t> pads = pad.getPads();
  size_t rank = pads.size() / 2;
  return rank > 0 && pads[rank - 1] == 0 && pads[2 * rank - 1] == 0;
}

static Value filterOf(Operation *op) { return op->getOperand(1); }

static Value biasOf(Operation *op) {
  if (auto conv = dyn_cast<Conv2DOp>(op))
    return conv.getBias();
  return cast<DepthwiseConv2DOp>(op).getBias();
}

struct TfgCrossLayerEqualizationPass
    : vai::tfg::impl::TfgCrossLayerEqualizationBase<
          TfgCrossLayerEqualizationPass> {
  using Base::Base;

  void runOnOperation() override {
    if (relu6 != "skip" && relu6 != "replace") {
      getOperation().emitError()
          << "tfg-cross-layer-equalization: relu6 must be 'skip' or "
             "'replace', not '"
          << relu6 << "'";
      return signalPassFailure();
    }
    SmallVector<Pair> pairs;
    getOperation().walk([&](Operation *op) {
      if (isConv(op))
        if (std::optional<Pair> pair = matchPair(op))
          pairs.push_back(*pair);
    });

    llvm::MapVector<Operation *, Layer> layers;
    for (const Pair &pair : pairs)
      for (Operation *op : {pair.head, pair.tail})
        if (!layers.count(op))
          layers.insert({op, loadLayer(op)});

    unsigned sweeps = 0;
    for (; sweeps < iterations; ++sweeps) {
      double worst = 0.0;
      for (const Pair &pair : pairs)
        worst = std::max(worst, equalize(layers.find(pair.head)->second,
                                         layers.find(pair.tail)->second));
      if (worst <= tolerance) {
        ++sweeps;
        break;
      }
    }

    if (report)
      for (const Pair &pair : pairs)
        emitReport(pair, layers.find(pair.head)->second,
                   layers.find(pair.tail)->second, sweeps);
    for (const Pair &pair : pairs) {
      if (pair.fusedRelu6)
        pair.head->setAttr(
            "activation", ActivationAttr::get(&getContext(), Activation::relu));
      for (Relu6Op act : pair.standaloneRelu6) {
        OpBuilder builder(act);
        auto relu = ReluOp::create(builder, act.getLoc(), act.getInput());
        act.replaceAllUsesWith(relu.getOutput());
        act.erase();
      }
    }
    for (auto &entry : layers)
      storeLayer(entry.second);
  }

  /// The pair `head` starts, when it is one we may equalize.
  std::optional<Pair> matchPair(Operation *head) {
    Pair pair;
    pair.head = head;
    Value value = head->getResult(0);
    Activation fused = fusedActivation(head);
    if (fused == Activation::relu6)
      pair.fusedRelu6 = true;
    else if (fused != Activation::none && fused != Activation::relu &&
             fused != Activation::leaky_relu)
      return std::nullopt;
    // Walk through single-user ops that commute with a positive per-channel
    // scale; an unfused activation only when the conv has none of its own.
    Operation *user = nullptr;
    while (true) {
      if (!value.hasOneUse())
        return std::nullopt;
      user = *value.getUsers().begin();
      if (isConv(user))
        break;
      if (isa<ReluOp, Relu6Op, LeakyReluOp>(user)) {
        if (fused != Activation::none)
          return std::nullopt;
        if (auto act = dyn_cast<Relu6Op>(user))
          pair.standaloneRelu6.push_back(act);
      } else if (!isa<MaxPoolOp, AvgPoolOp>(user) && !isZeroSpatialPad(user)) {
        return std::nullopt;
      }
      value = user->getResult(0);
    }
    if (!isConv(user) || user->getOperand(0) != value)
      return std::nullopt;
    pair.tail = user;
    if (!getConstantFloats(filterOf(head)) ||
        !getConstantFloats(filterOf(user)) ||
        (biasOf(head) && !getConstantFloats(biasOf(head))))
      return std::nullopt;
    if (!cast<RankedTensorType>(filterOf(head).getType()).hasStaticShape() ||
        !cast<RankedTensorType>(filterOf(user).getType()).hasStaticShape())
      return std::nullopt;
    bool hasRelu6 = pair.fusedRelu6 || !pair.standaloneRelu6.empty();
    if (hasRelu6 && relu6 == "skip") {
      if (report)
        head->emitRemark() << "cle: skipped pair '" << nodeName(head->getLoc())
                           << "' -> '" << nodeName(user->getLoc())
                           << "': relu6 between them (relu6=skip)";
      return std::nullopt;
    }
    return pair;
  }

  Layer loadLayer(Operation *op) {
    Layer layer;
    layer.op = op;
    layer.filterType = cast<RankedTensorType>(filterOf(op).getType());
    layer.filter = *getConstantFloats(filterOf(op));
    layer.originalFilter = layer.filter;
    if (Value bias = biasOf(op))
      layer.bias = layer.originalBias = getConstantFloats(bias);
    layer.depthwise = isa<DepthwiseConv2DOp>(op);
    return layer;
  }

  /// One equalization step of a pair; returns max |s - 1|.
  static double equalize(Layer &head, Layer &tail) {
    int64_t channels = head.numOut();
    SmallVector<float> r1 = ranges(
        head.filter, channels, [&](int64_t e) { return head.outChannel(e); });
    SmallVector<float> r2 = ranges(
        tail.filter, channels, [&](int64_t e) { return tail.inChannel(e); });
    SmallVector<float> scale(channels, 1.0f);
    double worst = 0.0;
    for (int64_t i = 0; i < channels; ++i) {
      if (!(r1[i] > 0.0f) || !(r2[i] > 0.0f) || !std::isfinite(r1[i]) ||
          !std::isfinite(r2[i]))
        continue;
      // Nagel et al. eq. (6): s_i = sqrt(r1_i * r2_i) / r2_i.
      double s = std::sqrt(double(r1[i]) * double(r2[i])) / double(r2[i]);
      scale[i] = float(s);
      worst = std::max(worst, std::fabs(s - 1.0));
    }
    for (auto [e, v] : llvm::enumerate(head.filter))
      v /= scale[head.outChannel(e)];
    if (head.bias)
      for (auto [i, v] : llvm::enumerate(*head.bias))
        v /= scale[i];
    for (auto [e, v] : llvm::enumerate(tail.filter))
      v *= scale[tail.inChannel(e)];
    return worst;
  }

  void emitReport(const Pair &pair, const Layer &head, const Layer &tail,
                  unsigned sweeps) {
    int64_t channels = head.numOut();
    auto out = [&](int64_t e) { return head.outChannel(e); };
    auto in = [&](int64_t e) { return tail.inChannel(e); };
    double headBefore = spread(ranges(head.originalFilter, channels, out));
    double headAfter = spread(ranges(head.filter, channels, out));
    double tailBefore = spread(ranges(tail.originalFilter, channels, in));
    double tailAfter = spread(ranges(tail.filter, channels, in));
    std::string text;
    llvm::raw_string_ostream os(text);
    os << "cle: pair '" << nodeName(pair.head->getLoc()) << "' -> '"
       << nodeName(pair.tail->getLoc()) << "' channels " << channels
       << llvm::format(" head-spread %.4g -> %.4g tail-spread %.4g -> %.4g",
                       headBefore, headAfter, tailBefore, tailAfter)
       << " sweeps " << sweeps;
    pair.head->emitRemark() << text;
  }

  /// Writes the edited weights back as new constants where the old ones
  /// were (a constant may be shared, so it is replaced, not edited).
  void storeLayer(Layer &layer) {
    OpBuilder builder(layer.op);
    auto replace = [&](unsigned index, RankedTensorType type,
                       ArrayRef<float> values) {
      Value old = layer.op->getOperand(index);
      Operation *oldDef = old.getDefiningOp();
      builder.setInsertionPoint(
          oldDef && oldDef->getBlock() == layer.op->getBlock() ? oldDef
                                                               : layer.op);
      ConstOp fresh = createFloatConst(builder, old.getLoc(), type, values);
      layer.op->setOperand(index, fresh.getResult());
      if (Operation *def = old.getDefiningOp(); def && def->use_empty())
        def->erase();
    };
    if (layer.filter != layer.originalFilter)
      replace(1, layer.filterType, layer.filter);
    if (layer.bias && layer.bias != layer.originalBias)
      replace(2, cast<RankedTensorType>(biasOf(layer.op).getType()),
              *layer.bias);
  }
};

} // namespace

//===- LayerPositions.cpp - Fix positions of a conv/matmul layer ----------===//

#include "LayerPositions.h"
#include "vai/Dialect/Quant/QuantOps.h"
#include "vai/Dialect/Tfg/TfgOps.h"
#include "vai/Support/FixedPoint.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"

#include <algorithm>

using namespace mlir;

namespace vai::quant {

void LayerPositions::adjust(bool shiftCutRule, bool shiftBiasRule) {
  if (shiftCutRule && weights + input - output > kMaxShiftCut)
    weights = output + kMaxShiftCut - input;
  if (shiftCutRule && weights + input - output < 0)
    output = weights + input;
  if (!bias || !shiftBiasRule)
    return;
  int shiftCut = weights + input - output;
  auto [lo, hi] = shiftBiasRange(shiftCut);
  lo = std::max(lo, 0);
  int shiftBias = weights + input - *bias;
  if (shiftBias > hi)
    bias = weights + input - hi;
  else if (shiftBias < lo)
    bias = weights + input - lo;
}

int positionOf(ArrayRef<float> values, unsigned bitWidth, unsigned method) {
  return method == 0 ? fixPosNonOverflow(values.data(), values.size(), bitWidth)
                     : fixPosMinDiffs(values.data(), values.size(), bitWidth,
                                      vai::RoundMode::DpuRound);
}

int weightPositionOf(Operation *layer, Type weightsType, ArrayRef<float> values,
                     unsigned bitWidth, unsigned method) {
  // Method 2 gives depthwise weights their own measure; every other
  // tensor uses method 1 (DESIGN.md §5).
  if (method == 2 && isa<tfg::DepthwiseConv2DOp>(layer)) {
    auto shape = cast<ShapedType>(weightsType).getShape();
    size_t channels = shape.size() == 4 ? shape[2] * shape[3] : 0;
    return fixPosDepthwise(values.data(), values.size(), channels, bitWidth,
                           vai::RoundMode::DpuRound);
  }
  return positionOf(values, bitWidth, method);
}

std::optional<int> recordedPosition(Operation *layer, StringRef attr) {
  if (auto value = layer->getAttrOfType<IntegerAttr>(attr))
    return int(value.getInt());
  return std::nullopt;
}

} // namespace vai::quant

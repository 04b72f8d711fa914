//===- TfgUtils.cpp - Helpers shared by tfg passes ------------------------===//

#include "vai/Dialect/Tfg/TfgUtils.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;

namespace vai::tfg {

std::optional<SmallVector<float>> getConstantFloats(Value value) {
  DenseElementsAttr attr;
  if (!matchPattern(value, m_Constant(&attr)) || !attr.getElementType().isF32())
    return std::nullopt;
  auto values = attr.getValues<float>();
  return SmallVector<float>(values.begin(), values.end());
}

ConstOp createFloatConst(OpBuilder &builder, Location loc,
                         RankedTensorType type, ArrayRef<float> values) {
  auto attr = DenseElementsAttr::get(type, values);
  return ConstOp::create(builder, loc, attr);
}

std::string nodeName(Location loc) {
  if (auto name = dyn_cast<NameLoc>(loc))
    return name.getName().str();
  if (auto fused = dyn_cast<FusedLoc>(loc))
    for (Location inner : fused.getLocations())
      if (std::string name = nodeName(inner); !name.empty())
        return name;
  return "";
}

Location derivedNameLoc(Location base, StringRef suffix) {
  std::string name = nodeName(base);
  if (name.empty())
    return base;
  return NameLoc::get(StringAttr::get(base.getContext(), name + suffix.str()));
}

bool hasQuantHints(Operation *op) {
  return llvm::any_of(op->getDiscardableAttrs(), [](NamedAttribute attr) {
    return attr.getName().strref().starts_with("quant.hint_");
  });
}

int64_t channelOfElement(RankedTensorType type, int64_t axis, int64_t index) {
  int64_t inner = 1;
  for (int64_t d = axis + 1; d < type.getRank(); ++d)
    inner *= type.getDimSize(d);
  return (index / inner) % type.getDimSize(axis);
}

float fusedSlope(Operation *op) {
  auto alpha = op->getAttrOfType<FloatAttr>("alpha");
  return alpha ? static_cast<float>(alpha.getValueAsDouble()) : 0.2f;
}

} // namespace vai::tfg

//===- VerifierUtils.h - Checks shared by op verifiers ----------*- C++ -*-===//

#ifndef VAI_SUPPORT_VERIFIERUTILS_H
#define VAI_SUPPORT_VERIFIERUTILS_H

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Operation.h"

namespace vai {

/// Two sizes that are both known and differ.
inline bool sizesConflict(int64_t a, int64_t b) {
  return !mlir::ShapedType::isDynamic(a) && !mlir::ShapedType::isDynamic(b) &&
         a != b;
}

/// Checks that the window attribute `name` (strides, kernel, pad, ...) has
/// `size` entries, each positive (or non-negative when `allowZero`).
inline mlir::LogicalResult checkWindowArray(mlir::Operation *op,
                                            llvm::StringRef name,
                                            llvm::ArrayRef<int64_t> values,
                                            size_t size, bool allowZero) {
  if (values.size() != size)
    return op->emitOpError() << "expects '" << name << "' to have " << size
                             << " elements, got " << values.size();
  for (int64_t v : values)
    if (v < 0 || (!allowZero && v == 0))
      return op->emitOpError() << "expects '" << name << "' entries to be "
                               << (allowZero ? "non-negative" : "positive");
  return mlir::success();
}

/// Whether a row-major reshape from `input` to `output` can keep every
/// element: the known sizes must multiply to the same count when both have
/// the same number of unknown dimensions (an unknown batch on each side).
inline bool reshapeCompatible(mlir::RankedTensorType input,
                              mlir::RankedTensorType output) {
  auto staticCount = [](mlir::RankedTensorType t) {
    int64_t n = 1;
    for (int64_t d : t.getShape())
      if (!mlir::ShapedType::isDynamic(d))
        n *= d;
    return n;
  };
  if (input.getNumDynamicDims() != output.getNumDynamicDims())
    return true;
  return staticCount(input) == staticCount(output);
}

} // namespace vai

#endif // VAI_SUPPORT_VERIFIERUTILS_H

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

} // namespace vai

#endif // VAI_SUPPORT_VERIFIERUTILS_H

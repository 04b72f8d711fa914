//===- QuantOps.h - quant types and operations ------------------*- C++ -*-===//

#ifndef VAI_DIALECT_QUANT_QUANTOPS_H
#define VAI_DIALECT_QUANT_QUANTOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "vai/Dialect/Quant/QuantDialect.h"

#include "vai/Dialect/Quant/QuantEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "vai/Dialect/Quant/QuantAttrs.h.inc"

#define GET_TYPEDEF_CLASSES
#include "vai/Dialect/Quant/QuantTypes.h.inc"

#define GET_OP_CLASSES
#include "vai/Dialect/Quant/QuantOps.h.inc"

namespace vai::quant {

/// The fixed-point element type of a tensor value (null if it has none).
FixType getFixType(mlir::Value value);

/// Checks the DPU's shift ranges for a layer with input, weight, optional
/// bias and output positions (DESIGN.md §5). Emits at `op` on failure.
mlir::LogicalResult verifyShifts(mlir::Operation *op, int input, int weights,
                                 std::optional<int> bias, int output);

/// Checks a windowed NHWC op's result shape against its input, window and
/// output channel count. Emits at `op` on failure.
mlir::LogicalResult verifyWindowResult(
    mlir::Operation *op, mlir::RankedTensorType input,
    mlir::RankedTensorType output, llvm::ArrayRef<int64_t> kernel,
    llvm::ArrayRef<int64_t> strides, llvm::ArrayRef<int64_t> dilations,
    llvm::ArrayRef<int64_t> pad, int64_t channels);

/// Checks a transposed convolution's NHWC result shape: the full output
/// `(in - 1) * stride + (k - 1) * dilation + 1` less the `pad` crops
/// (`[top, bottom, left, right]`). Emits at `op` on failure.
mlir::LogicalResult verifyTransposedWindowResult(
    mlir::Operation *op, mlir::RankedTensorType input,
    mlir::RankedTensorType output, llvm::ArrayRef<int64_t> kernel,
    llvm::ArrayRef<int64_t> strides, llvm::ArrayRef<int64_t> dilations,
    llvm::ArrayRef<int64_t> pad, int64_t channels);

/// The allowed range of shift_bias for a given shift_cut (DESIGN.md §5).
std::pair<int, int> shiftBiasRange(int shiftCut);

constexpr int kMaxShiftCut = 16;

} // namespace vai::quant

#endif // VAI_DIALECT_QUANT_QUANTOPS_H

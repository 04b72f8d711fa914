//===- TfgUtils.h - Helpers shared by tfg passes ----------------*- C++ -*-===//

#ifndef VAI_DIALECT_TFG_TFGUTILS_H
#define VAI_DIALECT_TFG_TFGUTILS_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/PatternMatch.h"
#include "vai/Dialect/Tfg/TfgOps.h"
#include "llvm/ADT/SmallVector.h"

namespace vai::tfg {

/// The float values of `value` when it is produced by a constant.
std::optional<llvm::SmallVector<float>> getConstantFloats(mlir::Value value);

/// Creates a `tfg.const` of `type`'s shape holding `values`.
ConstOp createFloatConst(mlir::OpBuilder &builder, mlir::Location loc,
                         mlir::RankedTensorType type,
                         llvm::ArrayRef<float> values);

/// The location `name` derived from the node name of `base`, e.g.
/// "conv1" + "/bias" -> "conv1/bias".
mlir::Location derivedNameLoc(mlir::Location base, llvm::StringRef suffix);

/// The node name carried by `loc` ("" when it has none).
std::string nodeName(mlir::Location loc);

/// Whether `op` carries quantization hints (`quant.hint_*` discardable
/// attributes, set by the ONNX importer from QDQ pairs).
bool hasQuantHints(mlir::Operation *op);

/// The slope of a fused `leaky_relu` activation: the op's `alpha`
/// attribute, which every op carrying `activation` has (default 0.2).
float fusedSlope(mlir::Operation *op);

/// Index of the output channel of element `index` of a weight tensor of
/// `type` whose output-channel axis is `axis`.
int64_t channelOfElement(mlir::RankedTensorType type, int64_t axis,
                         int64_t index);

} // namespace vai::tfg

#endif // VAI_DIALECT_TFG_TFGUTILS_H

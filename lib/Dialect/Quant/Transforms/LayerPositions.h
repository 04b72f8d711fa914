//===- LayerPositions.h - Fix positions of a conv/matmul layer --*- C++ -*-===//
//
// The one place that decides the weight, bias and output positions of a
// conv2d, depthwise_conv2d or matmul layer: quant-quantize builds the quant
// ops with them, and quant-bias-correction / quant-fast-finetune simulate
// exactly those positions while they adjust the float weights. The
// corrections record the positions they optimised for as attributes on the
// op, which then replace the measured ones.
//
//===----------------------------------------------------------------------===//

#ifndef VAI_LIB_DIALECT_QUANT_TRANSFORMS_LAYERPOSITIONS_H
#define VAI_LIB_DIALECT_QUANT_TRANSFORMS_LAYERPOSITIONS_H

#include "mlir/IR/Operation.h"
#include "llvm/ADT/ArrayRef.h"

#include <optional>

namespace vai::quant {

/// Weight and bias positions chosen by quant-bias-correction or
/// quant-fast-finetune; quant-quantize uses them instead of measuring the
/// (corrected) constants. The shift rules of LayerPositions::adjust still
/// apply to them.
constexpr llvm::StringLiteral kWeightFixPointAttr = "quant.weight_fix_point";
constexpr llvm::StringLiteral kBiasFixPointAttr = "quant.bias_fix_point";

/// Positions of one conv/matmul layer before and after adjustment.
struct LayerPositions {
  int input, weights, output;
  std::optional<int> bias;

  /// Moves positions into the DPU's ranges (DESIGN.md §5). The weight
  /// position is lowered rather than the output raised: it costs precision
  /// where the weights have most of it, and never risks overflowing the
  /// output. The bias is kept no finer than w + i so that the hardware's
  /// unsigned shift field can encode shift_bias (ISA1.md §7).
  /// adjust-shift-cut / adjust-shift-bias off keep the raw positions.
  /// Idempotent: adjusting adjusted positions changes nothing.
  void adjust(bool shiftCutRule = true, bool shiftBiasRule = true);
};

/// The position of a weight or bias tensor: method 0 non-overflow,
/// otherwise min-diffs with DPU rounding.
int positionOf(llvm::ArrayRef<float> values, unsigned bitWidth,
               unsigned method);

/// The position of `layer`'s weights `values` (of type `weightsType`):
/// method 2 gives depthwise weights their own measure, every other case is
/// positionOf.
int weightPositionOf(mlir::Operation *layer, mlir::Type weightsType,
                     llvm::ArrayRef<float> values, unsigned bitWidth,
                     unsigned method);

/// The position recorded on `layer` under `attr` (kWeightFixPointAttr or
/// kBiasFixPointAttr), if any.
std::optional<int> recordedPosition(mlir::Operation *layer,
                                    llvm::StringRef attr);

} // namespace vai::quant

#endif // VAI_LIB_DIALECT_QUANT_TRANSFORMS_LAYERPOSITIONS_H

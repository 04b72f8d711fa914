//===- QuantOptions.h - vai_q options of the quant passes -------*- C++ -*-===//
//
// What quant-calibrate and quant-quantize share to implement vai_q's node
// options: node names, `name:value` lists (nodes_bit, nodes_method), the
// set of ops left float (ignore_nodes, input_nodes / output_nodes) and the
// concat / pool position alignment (align_concat, align_pool), which works
// on the `quant.fix_point` attributes before any quant op is built.
// docs/passes/quantizer-options.md maps every vai_q flag to ours.
//
//===----------------------------------------------------------------------===//

#ifndef VAI_LIB_DIALECT_QUANT_TRANSFORMS_QUANTOPTIONS_H
#define VAI_LIB_DIALECT_QUANT_TRANSFORMS_QUANTOPTIONS_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringMap.h"

#include <string>
#include <vector>

namespace vai::quant {

/// Activation bit width recorded by quant-calibrate next to
/// `quant.fix_point` when it is not 8 (on ops and function arguments).
constexpr llvm::StringLiteral kBitWidthAttr = "quant.bit_width";
/// Marks a tfg op that quant-quantize left in float (ignore-nodes or outside
/// input-nodes / output-nodes); dpu-partition places it on the CPU.
constexpr llvm::StringLiteral kIgnoredAttr = "quant.ignored";
/// Why quant-quantize left an op float without being asked to (an op with
/// no fixed-point form, under float-fallback).
constexpr llvm::StringLiteral kFloatReasonAttr = "quant.float_reason";

/// The ops whose node names in nodes-bit / nodes-method address their
/// weights rather than their output (vai_q: "When specifying the conv op
/// name, only vai_q will quantize the weights of conv op").
bool isWeightedLayer(mlir::Operation *op);

/// Node names of a function: each op's NameLoc, each argument's `tfg.name`.
class NodeNames {
public:
  explicit NodeNames(mlir::func::FuncOp func);
  /// The op named `name`, or null (also for arguments).
  mlir::Operation *op(llvm::StringRef name) const { return ops.lookup(name); }
  /// The argument index named `name`, or -1.
  int arg(llvm::StringRef name) const {
    auto it = args.find(name);
    return it == args.end() ? -1 : it->second;
  }
  bool contains(llvm::StringRef name) const {
    return op(name) || arg(name) >= 0;
  }
  /// Checks every name of `names` (option `option`); the error lists the
  /// unknown ones.
  bool checkKnown(llvm::ArrayRef<std::string> names, llvm::StringRef option,
                  std::string &error) const;

private:
  llvm::StringMap<mlir::Operation *> ops;
  llvm::StringMap<int> args;
};

/// Parses vai_q's `name:value` entries (the value after the last ':') into
/// `out`, checking each value against [lo, hi] and each name against
/// `names`.
bool parseNodeValues(llvm::ArrayRef<std::string> entries,
                     llvm::StringRef option, unsigned lo, unsigned hi,
                     const NodeNames &names, llvm::StringMap<unsigned> &out,
                     std::string &error);

/// The tfg ops (constants excluded) that quant-quantize leaves float: those
/// named in `ignore`, and, when `inputs` / `outputs` are given, every op
/// that is not strictly after an input node or not at or before an output
/// node. Unknown names are errors.
bool collectFloatOps(mlir::func::FuncOp func,
                     llvm::ArrayRef<std::string> ignore,
                     llvm::ArrayRef<std::string> inputs,
                     llvm::ArrayRef<std::string> outputs,
                     llvm::DenseSet<mlir::Operation *> &floatOps,
                     std::string &error);

/// vai_q's align_concat / align_pool on the calibrated positions (mode 0:
/// inputs and output share the coarsest position; 1: the output only; 2:
/// off). Mode 0 changes the positions of the ops (or arguments) that
/// produce the concat / pool inputs, so repeats until nothing moves.
void alignPositions(mlir::func::FuncOp func, unsigned alignConcat,
                    unsigned alignPool,
                    const llvm::DenseSet<mlir::Operation *> &floatOps);

} // namespace vai::quant

#endif // VAI_LIB_DIALECT_QUANT_TRANSFORMS_QUANTOPTIONS_H

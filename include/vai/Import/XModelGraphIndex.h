//===- XModelGraphIndex.h - Names and order of an XIR graph -----*- C++ -*-===//
//
// Both xmodel importers (the quant reading of XModelImporter.cpp and the
// dpu-level view of XModelDpuView.cpp) index an XIR graph's ops the same
// way and reject the same malformed graphs.
//
//===----------------------------------------------------------------------===//

#ifndef VAI_IMPORT_XMODELGRAPHINDEX_H
#define VAI_IMPORT_XMODELGRAPHINDEX_H

#include "mlir/IR/Location.h"
#include "mlir/Support/LogicalResult.h"
#include "vai/Dialect/Quant/QuantOps.h"
#include "vai/Proto/XModel.h"
#include "llvm/ADT/StringMap.h"
#include <optional>
#include <string>
#include <vector>

namespace vai {

struct XModelGraphIndex {
  llvm::StringMap<size_t> index;         ///< op name -> position in the file
  llvm::StringMap<std::string> tensorOf; ///< output tensor name -> op name
  /// Positions in file order where it is topological (XIR writes it so),
  /// else the first topological order in file order.
  std::vector<size_t> topo;

  /// Indexes `graph`. Emits an error (at `fileLoc`, or at the op's name
  /// located in it, as the importers locate ops) and fails on an op without
  /// a name, two ops of one name, an input naming no op, or a cycle.
  mlir::LogicalResult build(const proto::XGraph &graph, mlir::Location fileLoc);

  /// The op a return_ops entry means: an op name (quantized files) or, in
  /// compiled files whose ops are renamed, the name of an op's output
  /// tensor; empty if neither.
  std::string opOf(llvm::StringRef name) const;
};

/// XIR's round_mode names (DPU_ROUND, STD_ROUND, PY3_ROUND).
std::optional<quant::RoundMode> parseXirRoundMode(llvm::StringRef name);

} // namespace vai

#endif // VAI_IMPORT_XMODELGRAPHINDEX_H

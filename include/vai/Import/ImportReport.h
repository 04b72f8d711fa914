//===- ImportReport.h - What an import found, for `inspect` -----*- C++ -*-===//
//
// The job of `vai_q_tensorflow inspect`: a model's inputs and outputs, its
// op histogram, and every node the importer cannot take, with the reason.
// An importer given a report keeps going past a node it cannot convert: the
// node is recorded with its first error, nodes that read it are counted as
// depending on it, and the rest of the graph is still converted.
//
//===----------------------------------------------------------------------===//

#ifndef VAI_IMPORT_IMPORTREPORT_H
#define VAI_IMPORT_IMPORTREPORT_H

#include "mlir/IR/Block.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/Support/raw_ostream.h"
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace vai {

struct ImportReport {
  struct Tensor {
    std::string name;
    /// -1 for an unknown dimension; `shapeKnown` false for an unknown rank.
    std::vector<int64_t> shape;
    bool shapeKnown = true;
    std::string dtype;
  };
  struct Unsupported {
    std::string node, opType, reason;
  };

  std::string format;
  std::vector<Tensor> inputs, outputs;
  /// Framework op type -> number of nodes the outputs need.
  std::map<std::string, int64_t> opHistogram;
  std::vector<Unsupported> unsupported;
  /// Nodes not converted because they read an unsupported node's output.
  std::vector<std::string> dependents;

  /// Writes the report as text (the `inspect` translation's output).
  void print(llvm::raw_ostream &os) const;
};

/// Inspect mode: runs `convert` with its diagnostics captured. On failure,
/// returns the first error's message (without the location); the ops it
/// created stay, unused, in the block.
inline std::optional<std::string>
convertCapturingError(mlir::MLIRContext *context,
                      llvm::function_ref<mlir::LogicalResult()> convert) {
  std::string reason;
  mlir::LogicalResult result = mlir::success();
  {
    mlir::ScopedDiagnosticHandler handler(context, [&](mlir::Diagnostic &diag) {
      if (diag.getSeverity() == mlir::DiagnosticSeverity::Error &&
          reason.empty())
        reason = diag.str();
      return mlir::success();
    });
    result = convert();
  }
  if (mlir::succeeded(result))
    return std::nullopt;
  return reason.empty() ? std::string("the conversion failed") : reason;
}

} // namespace vai

#endif // VAI_IMPORT_IMPORTREPORT_H

//===- GraphDefImporter.h - TF1 frozen GraphDef to tfg ----------*- C++ -*-===//

#ifndef VAI_IMPORT_GRAPHDEFIMPORTER_H
#define VAI_IMPORT_GRAPHDEFIMPORTER_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/StringRef.h"
#include <string>
#include <vector>

namespace vai {
namespace proto {
struct TfGraph;
} // namespace proto

struct GraphDefImportOptions {
  /// Nodes whose outputs become the function's results; empty = every node
  /// nobody consumes (constants excepted).
  std::vector<std::string> outputNodes;
  /// Parse as protobuf text format (.pbtxt) instead of binary.
  bool text = false;
};

/// Imports a frozen TF1 GraphDef held in `bytes` (read from `fileName`) as a
/// module with one function `@main`: Placeholders become arguments, node
/// names become `NameLoc`s. Errors are emitted as diagnostics naming the
/// file and node; returns null after any error.
mlir::OwningOpRef<mlir::ModuleOp>
importGraphDef(llvm::StringRef bytes, llvm::StringRef fileName,
               mlir::MLIRContext *context,
               const GraphDefImportOptions &options);

/// Imports an already decoded graph, e.g. a TF.js graph model's topology
/// whose weights were turned into Const nodes. Same contract as
/// importGraphDef.
mlir::OwningOpRef<mlir::ModuleOp>
importTfGraph(const proto::TfGraph &graph, llvm::StringRef fileName,
              mlir::MLIRContext *context,
              const GraphDefImportOptions &options);

/// True when `fileName` looks like a text-format GraphDef (.pbtxt, .txt).
bool isTextGraphDefName(llvm::StringRef fileName);

} // namespace vai

#endif // VAI_IMPORT_GRAPHDEFIMPORTER_H

//===- GraphDefImporter.h - TF1 frozen GraphDef to tfg ----------*- C++ -*-===//

#ifndef VAI_IMPORT_GRAPHDEFIMPORTER_H
#define VAI_IMPORT_GRAPHDEFIMPORTER_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/StringRef.h"
#include <string>
#include <vector>

namespace vai {
struct ImportReport;
namespace proto {
struct TfGraph;
} // namespace proto

struct GraphDefImportOptions {
  /// Nodes whose outputs become the function's results; empty = every node
  /// nobody consumes (constants excepted).
  std::vector<std::string> outputNodes;
  /// Nodes that become the function's arguments, in this order, cutting the
  /// graph above them (vai_q_tensorflow's --input_nodes); empty = the
  /// Placeholders the outputs need.
  std::vector<std::string> inputNodes;
  /// One shape per input node (-1 = unknown, e.g. the batch), replacing the
  /// node's own (vai_q_tensorflow's --input_shapes). Empty = the nodes' own
  /// shapes; otherwise as many as inputNodes (or as the graph's
  /// Placeholders when inputNodes is empty).
  std::vector<std::vector<int64_t>> inputShapes;
  /// When set, the import keeps going past nodes it cannot convert and
  /// fills this report (see vai/Import/ImportReport.h); the module returned
  /// then holds only what converted and is meant for inspection.
  ImportReport *report = nullptr;
  /// Parse as protobuf text format (.pbtxt) instead of binary.
  bool text = false;
  /// Record on each op what tfg does not model of its node (op name,
  /// attributes, inputs: vai/Export/TfNodeRecord.h), so that the GraphDef
  /// exporter writes the file back node for node.
  bool recordTfNodes = false;
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

//===- TfjsGraphImporter.h - TF.js graph models to tfg ----------*- C++ -*-===//
//
// A TF.js graph model (`"format": "graph-model"`) is a model.json whose
// `modelTopology` is a GraphDef in protobuf's JSON mapping, plus weight
// shards named by `weightsManifest` that hold the values of its Const nodes.
//
//===----------------------------------------------------------------------===//

#ifndef VAI_IMPORT_TFJSGRAPHIMPORTER_H
#define VAI_IMPORT_TFJSGRAPHIMPORTER_H

#include "vai/Import/GraphDefImporter.h"
#include "llvm/Support/JSON.h"
#include <string>

namespace vai {

/// Converts a GraphDef in protobuf's JSON mapping (model.json's
/// `modelTopology`) to `graph`. Const nodes keep the tensor attr the file
/// gives, which in a TF.js model has a dtype and shape but no values. On
/// failure returns false with `error` naming the node and attr.
bool tfjsTopologyToTfGraph(const llvm::json::Object &topology,
                           proto::TfGraph &graph, std::string &error);

/// Imports the TF.js graph model whose model.json holds `json` and was read
/// from `fileName`; weight shards are read relative to its directory. The
/// weights become the values of their Const nodes, then the graph goes
/// through importTfGraph (same options and result). Errors are emitted as
/// diagnostics naming the file and the node, weight or shard; returns null
/// after any error.
mlir::OwningOpRef<mlir::ModuleOp>
importTfjsGraphModel(llvm::StringRef json, llvm::StringRef fileName,
                     mlir::MLIRContext *context,
                     const GraphDefImportOptions &options);

} // namespace vai

#endif // VAI_IMPORT_TFJSGRAPHIMPORTER_H

//===- GraphDefExporter.h - tfg to a TF1 GraphDef ----------------*- C++
//-*-===//

#ifndef VAI_EXPORT_GRAPHDEFEXPORTER_H
#define VAI_EXPORT_GRAPHDEFEXPORTER_H

#include "mlir/IR/BuiltinOps.h"
#include "vai/Proto/GraphDef.h"

namespace vai {

struct GraphDefExportOptions {
  /// Write protobuf text format (.pbtxt) instead of binary.
  bool text = false;
};

/// Builds the frozen GraphDef of the tfg function `@main` of `module`:
/// arguments become Placeholders (named by `tfg.name`), every op one node
/// named after its `NameLoc` (uniqued when absent or clashing) or a few
/// nodes where TF has no single op (a fused bias/activation, swish, clip,
/// prelu, hard sigmoid/swish), `tfg.const` a Const. Attributes tfg models
/// are regenerated as TF's op registry names them; what the GraphDef importer
/// recorded (vai/Export/TfNodeRecord.h) fills in the rest, so a GraphDef
/// round trip keeps every node, input and attribute. When a result is not
/// produced by a node of its `tfg.output_names` name, an Identity of that
/// name is added. Emits a diagnostic naming the op and fails on anything
/// GraphDef cannot express (quant/dpu ops, non-TF `tfg.node`s, ...).
mlir::LogicalResult buildGraphDef(mlir::ModuleOp module, proto::TfGraph &graph);

/// buildGraphDef + serialization, for `vai-translate --export-graphdef`.
/// Nothing is written to `os` unless the whole export succeeds.
mlir::LogicalResult exportGraphDef(mlir::ModuleOp module, llvm::raw_ostream &os,
                                   const GraphDefExportOptions &options);

} // namespace vai

#endif // VAI_EXPORT_GRAPHDEFEXPORTER_H

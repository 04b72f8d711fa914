//===- OnnxImporter.h - ONNX models to tfg ----------------------*- C++ -*-===//

#ifndef VAI_IMPORT_ONNXIMPORTER_H
#define VAI_IMPORT_ONNXIMPORTER_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/StringRef.h"

namespace vai {

struct ImportReport;

struct OnnxImportOptions {
  /// Keep nodes of op types the importer does not know (or from another
  /// domain) as `tfg.node "onnx" "<OpType>"`, their attributes in a
  /// dictionary, instead of failing. Their outputs take the types the graph
  /// declares (value_info or graph outputs); without one the import fails.
  bool keepUnsupported = false;
  /// When set, the import keeps going past nodes it cannot convert and
  /// fills this report (see vai/Import/ImportReport.h); the module returned
  /// then holds only what converted and is meant for inspection.
  ImportReport *report = nullptr;
};

/// Imports an ONNX model (binary ModelProto in `bytes`, read from
/// `fileName`; default domain, opsets 7 to 17) as a module with one
/// function `@main`. The signature is the graph's, in ONNX's layout:
/// arguments are the graph inputs that are not initializers (`tfg.name`),
/// results the graph outputs (`tfg.output_names`). Inside, layout-sensitive
/// ops run in NHWC with HWIO filters and the importer inserts the
/// transposes (the design is described at the top of
/// lib/Import/OnnxImporter.cpp). Node names become `NameLoc`s. Errors are
/// emitted as diagnostics naming the file and node; returns null after any
/// error.
mlir::OwningOpRef<mlir::ModuleOp> importOnnx(llvm::StringRef bytes,
                                             llvm::StringRef fileName,
                                             mlir::MLIRContext *context,
                                             const OnnxImportOptions &options);

} // namespace vai

#endif // VAI_IMPORT_ONNXIMPORTER_H

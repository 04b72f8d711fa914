//===- CaffeImporter.h - Caffe nets to tfg ----------------------*- C++ -*-===//

#ifndef VAI_IMPORT_CAFFEIMPORTER_H
#define VAI_IMPORT_CAFFEIMPORTER_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/StringRef.h"
#include <string>

namespace vai {

struct CaffeImportOptions {
  /// The .caffemodel holding the layers' blobs (binary NetParameter, blobs
  /// matched to the prototxt's layers by name). Required: there is no
  /// import without weights.
  std::string weightsPath;
};

/// Imports a Caffe deploy net (`prototxt`, protobuf text read from
/// `fileName`) with the weights of `options.weightsPath` as a module with
/// one function `@main`. The signature keeps Caffe's layout, as the ONNX
/// importer does: one argument per net input (`input:` fields and Input
/// layers, NCHW, named by `tfg.name`), one result per blob no layer consumes
/// (NCHW for rank 4, named by `tfg.output_names`). Inside, rank-4 values are
/// NHWC and weights are transposed once at import (the design is described
/// at the top of lib/Import/CaffeImporter.cpp). Layer names become
/// `NameLoc`s. Errors are emitted as diagnostics naming the file, layer and
/// reason; returns null after any error.
mlir::OwningOpRef<mlir::ModuleOp>
importCaffe(llvm::StringRef prototxt, llvm::StringRef fileName,
            mlir::MLIRContext *context, const CaffeImportOptions &options);

} // namespace vai

#endif // VAI_IMPORT_CAFFEIMPORTER_H

//===- Inspect.h - The inspect translation ----------------------*- C++ -*-===//

#ifndef VAI_DRIVER_INSPECT_H
#define VAI_DRIVER_INSPECT_H

#include "mlir/IR/MLIRContext.h"
#include "mlir/Support/LLVM.h"
#include "vai/Import/GraphDefImporter.h"
#include "llvm/Support/raw_ostream.h"
#include <string>

namespace llvm {
class MemoryBuffer;
} // namespace llvm

namespace vai {

struct InspectOptions {
  /// For GraphDef and TF.js graph models (--input-nodes, ...).
  GraphDefImportOptions graphDef;
  /// Keras architecture JSON's weights; a Caffe net's caffemodel.
  std::string kerasWeights, caffeWeights;
};

/// The `inspect` translation: detects the model format of `buffer` (by
/// extension and content), imports it in report mode where the importer has
/// one (GraphDef, TF.js graph, ONNX) and prints inputs, outputs, the op
/// histogram and every unsupported node with its reason. Other formats are
/// imported normally and described from the result. Fails (with a
/// diagnostic) only when no report can be made.
mlir::LogicalResult inspectModel(const llvm::MemoryBuffer &buffer,
                                 llvm::raw_ostream &os,
                                 mlir::MLIRContext *context,
                                 const InspectOptions &options);

} // namespace vai

#endif // VAI_DRIVER_INSPECT_H

//===- OnnxExporter.h - tfg to an ONNX model ---------------------*- C++
//-*-===//

#ifndef VAI_EXPORT_ONNXEXPORTER_H
#define VAI_EXPORT_ONNXEXPORTER_H

#include "mlir/IR/BuiltinOps.h"
#include "vai/Proto/Onnx.h"

namespace vai {

/// The operator set the exporter writes (default domain).
constexpr int64_t kOnnxExportOpset = 13;

/// Builds an ONNX model (opset 13, default domain) of the tfg function
/// `@main` of `module`. The model's inputs and outputs have the function's
/// signature: its types, layout and names (`tfg.name`, `tfg.output_names`),
/// so an ONNX-imported model goes back to its NCHW interface and a GraphDef
/// one keeps NHWC. Inside, window ops run in ONNX's NCHW: every tfg value
/// is held in whichever layout its producer made it, Transposes are added
/// only where a consumer needs another one (the importer's tfg.transpose ops
/// cancel out), and constant weights are written already transposed (HWIO
/// -> OIHW). Emits a diagnostic naming the op and fails on any op ONNX
/// cannot express.
mlir::LogicalResult buildOnnxModel(mlir::ModuleOp module,
                                   proto::OnnxModel &model);

/// buildOnnxModel + serialization, for `vai-translate --export-onnx`.
/// Nothing is written to `os` unless the whole export succeeds.
mlir::LogicalResult exportOnnx(mlir::ModuleOp module, llvm::raw_ostream &os);

} // namespace vai

#endif // VAI_EXPORT_ONNXEXPORTER_H

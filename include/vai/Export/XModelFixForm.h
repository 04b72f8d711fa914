//===- XModelFixForm.h - quant modules to XIR's quantized form --*- C++ -*-===//
//
// Writes a module in the form vai/Import/XModelImporter.h reads: XIR's
// quantized ("fix") form, float ops with `fix` ops between them, as
// Xilinx's quantizers write a quantized model before compilation.
//
//===----------------------------------------------------------------------===//

#ifndef VAI_EXPORT_XMODELFIXFORM_H
#define VAI_EXPORT_XMODELFIXFORM_H

#include "mlir/IR/BuiltinOps.h"
#include "vai/Proto/XModel.h"

namespace vai {

/// Whether \p module came from an xmodel in the fix form (the importer
/// marks it with `xir.graph_name`), so --export-xmodel writes it back so.
bool isFixFormModule(mlir::ModuleOp module);

/// Builds the XIR graph of @main: arguments become `data` ops, a
/// `quant.const` a float32 `const` plus its `fix` (convolution weights in
/// XIR's [O, kh, kw, I]), `quant.quantize` a `fix`, `tfg.node "xir"` the op
/// it carries, the other quant ops their float XIR op (conv2d,
/// depthwise-conv2d, matmul, maxpool2d, avgpool2d, add, mul, concat,
/// reshape), an activation op for their nonlinearity and a `fix` with the
/// result's position; `quant.dequantize` writes nothing. Graph attributes,
/// subgraphs and op definitions kept by the importer (`xir.*` on the module)
/// are written back verbatim. Emits a diagnostic naming the op and fails on
/// anything else.
mlir::LogicalResult buildFixFormXModel(mlir::ModuleOp module,
                                       proto::XGraph &graph);

/// buildFixFormXModel + serialization (`vai-translate --export-xmodel`
/// of an imported module, or of any module with --xmodel-fix-form).
mlir::LogicalResult exportFixFormXModel(mlir::ModuleOp module,
                                        llvm::raw_ostream &os);

} // namespace vai

#endif // VAI_EXPORT_XMODELFIXFORM_H

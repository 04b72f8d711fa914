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
namespace quant {
class FixType;
} // namespace quant

/// XIR tensor dims of a shaped type (XIR graphs are batch 1: a dynamic
/// dimension is written as 1).
std::vector<int64_t> xirDims(mlir::Type type);

/// The attributes both XIR forms give a fixed-point value, on the `fix` op
/// or on the tensor: bit_width, fix_point, if_signed, round_mode.
void setXirFixAttrs(proto::XAttrMap &attrs, quant::FixType fix);

/// Whether \p weights are read as the weights of a transposed convolution
/// (quant or dpu), whose XIR kernel is ours rotated (hwioToXirWeights).
bool feedsTransposedConv(mlir::Value weights);

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

/// The leaky-relu slope the DPU computes (26/256, DESIGN.md §5), written
/// as the `alpha` of a `leaky-relu` and the only one read back as
/// `#quant.nonlinear<leaky_relu>`.
constexpr float kFixFormLeakyAlpha = 26.0f / 256.0f;

/// The XIR op type and attributes the writer gives the float op of the
/// quant compute op \p op (conv2d -> "conv2d" with kernel, stride,
/// dilation, pad_mode, pad, ...); "" for ops without one. The importer
/// compares a file's attributes with these and keeps only the difference.
std::string fixFormFloatOp(mlir::Operation *op, proto::XAttrMap &attrs);

/// Sets XIR's `paddings` ({before_0, after_0, ...}) and `mode` attributes
/// of a `quant.pad` (built_in_ops.cpp: pad and pad-fix share them).
void setXirPadAttrs(mlir::Operation *padOp, proto::XAttrMap &attrs);

/// Applies what an imported quant op kept of its XIR op: `xir.omit` lists
/// attributes of \p attrs the file did not have, `xir.attrs` the ones it
/// had in addition or with another value. So the writer puts back, for a
/// recognized pattern (float op [+ activation] + fix), exactly the file's
/// attributes; `xir.names` ("activation", "fix") keeps the names of the
/// ops the quant op stands for, `xir.type` another XIR type of the same
/// meaning (`flatten` for a reshape). The writer also honours `xir.no_fix`
/// (no `fix` after the op: the concat reading it is fixed) and a
/// quant.quantize's `xir.implicit` (no `fix` at all: a transposed fixed
/// tensor).
mlir::LogicalResult applyKeptXirAttrs(mlir::Operation *op,
                                      proto::XAttrMap &attrs,
                                      std::string &error);

/// buildFixFormXModel + serialization (`vai-translate --export-xmodel`
/// of an imported module, or of any module with --xmodel-fix-form).
mlir::LogicalResult exportFixFormXModel(mlir::ModuleOp module,
                                        llvm::raw_ostream &os);

} // namespace vai

#endif // VAI_EXPORT_XMODELFIXFORM_H

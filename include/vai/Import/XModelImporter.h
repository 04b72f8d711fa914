//===- XModelImporter.h - Quantized XIR graphs to quant ---------*- C++ -*-===//
//
// Reads an .xmodel in XIR's "fix" form -- float ops (conv2d, relu, ...) with
// `fix` ops carrying bit_width / fix_point / if_signed / round_mode between
// them, as vai_q_pytorch writes a quantized model -- into a module the
// fix-form writer (vai/Export/XModelFixForm.h) writes back op for op.
//
//===----------------------------------------------------------------------===//

#ifndef VAI_IMPORT_XMODELIMPORTER_H
#define VAI_IMPORT_XMODELIMPORTER_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "vai/Proto/XModel.h"
#include "llvm/ADT/StringRef.h"

namespace vai {

/// Imports the XIR graph in `bytes` (read from `fileName`) as a module with
/// one function `@main`:
/// - `data` ops become the arguments (`tfg.name`, their attributes in
///   `xir.attrs`);
/// - a float `const` read only by a `fix` whose values are exactly integers
///   at that fix point becomes `quant.const` (int8 values, the fix point in
///   the `!quant.fix` type, XIR's own layout, e.g. OHWI weights);
/// - a float op with a quant form whose inputs are fixed-point, read only
///   by an optional activation read only by a `fix` -- conv2d,
///   depthwise-conv2d, matmul (+ relu / relu6 / leaky-relu 26/256), add
///   (+ relu), mul, concat, maxpool2d, avgpool2d, reshape, flatten --
///   becomes one quant op (quant.conv2d, ..., weights transposed to HWIO)
///   when its verifier accepts the positions and sizes; what the quant op
///   does not say is kept on it for the writer (`xir.attrs`, `xir.omit`,
///   `xir.names`, `xir.type`, see vai/Export/XModelFixForm.h). A
///   convolution in this form whose weights are not a const is an error;
/// - a conv-like op (+ activation) read only by concats whose output is
///   fixed (vai_q writes no fix there) takes the concat's position and
///   `xir.no_fix`; the concat + fix is then quant.concat;
/// - reduction_max over H and/or W with keep_dims + fix is a
///   quant.max_pool whose window is the reduced extent (stride 1);
/// - a `transpose` of a fixed value read by such a pattern is followed by
///   a quant.quantize at that position marked `xir.implicit` (written as
///   nothing: the transposed values are exact there);
/// - any other `fix` becomes `quant.quantize`, and one without exactly one
///   input is an error;
/// - every other op becomes `tfg.node "xir" "<op_type>"`, carrying its
///   attributes verbatim (`attrs`), its input argument names
///   (`xir.args`, `xir.arg_sizes`) and anything of its output tensor the
///   result type does not say (`xir.tensor`).
/// Graph attributes, the subgraph tree and the op definitions are kept on
/// the module (`xir.graph_name`, `xir.graph_attrs`, `xir.subgraphs`,
/// `xir.op_defs`). The function returns the graph's `return_ops`, which
/// name ops or (in compiled files, whose ops are renamed) output tensors.
///
/// Compiled files (vai_c_xir's DPU view: data-fix, upload, const-fix with
/// empty `data`, conv2d-fix, pool-fix, download, fix2float, ...) read the
/// same way: their ops are generic `tfg.node "xir"` ops with tensor
/// attributes such as reg_id / ddr_addr / location / stride in
/// `xir.tensor`, and `xir.subgraphs` holds the tree root -> USER/DPU/CPU ->
/// DPU leaves with every attribute typed (dpu_fingerprint ui64, reg_id_to_*
/// maps tagged with their XIR kind, mc_code and parameters as dense i8).
///
/// Errors (unreadable file, duplicate op names, inputs naming no op,
/// cycles, a subgraph naming no op, an op in two leaves, a non-root
/// subgraph with both or neither of ops and children, return_ops naming
/// nothing) are emitted naming the file and op or subgraph; returns null
/// after any error.
mlir::OwningOpRef<mlir::ModuleOp> importXModel(llvm::StringRef bytes,
                                               llvm::StringRef fileName,
                                               mlir::MLIRContext *context);

/// Parses \p bytes into \p graph, emitting "cannot read the xmodel: ..."
/// at \p fileName on failure (both xmodel importers start so).
bool readXModelOrEmit(llvm::StringRef bytes, llvm::StringRef fileName,
                      mlir::MLIRContext *context, proto::XGraph &graph);

} // namespace vai

#endif // VAI_IMPORT_XMODELIMPORTER_H

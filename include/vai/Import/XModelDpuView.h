//===- XModelDpuView.h - Compiled xmodels as dpu subgraphs ------*- C++ -*-===//
//
// The dpu-level view of a compiled .xmodel (vai_c_xir's output, e.g.
// ../shared/data/xilinx/pointpillars_DPUCZDX8G.xmodel): the root's children
// become `dpu.subgraph` ops whose DPU bodies are engine ops the fixed-point
// interpreter runs, with the file's DDR allocation (regions, placements)
// and code bytes attached. `importXModel` (XModelImporter.h) stays the
// lossless generic reading of the same files.
//
//===----------------------------------------------------------------------===//

#ifndef VAI_IMPORT_XMODELDPUVIEW_H
#define VAI_IMPORT_XMODELDPUVIEW_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/StringRef.h"

namespace vai {

/// Imports the compiled XIR graph in `bytes` (read from `fileName`) as a
/// module with one function `@main` whose body is the root's children, in
/// dependence order (file order where it allows), each a `dpu.subgraph`:
/// - `data` and `data-fix` ops are the function's arguments (float; a
///   data-fix is then a `quant.quantize` to its tensor's fix type) and are
///   passed into the subgraph holding them;
/// - DPU subgraphs hold engine ops: conv2d-fix -> dpu.conv,
///   transposed-conv2d-fix -> dpu.conv_transpose, depthwise-conv2d-fix ->
///   dpu.dwconv, pool-fix -> dpu.pool, concat-fix -> dpu.concat,
///   eltwise-fix -> dpu.elew / dpu.elew_mul, reshape-fix -> quant.reshape;
///   const-fix -> quant.const with the values of its `data`, or when that is
///   empty (compiled files) of reg_id_to_parameter_value[REG_<reg_id>] at
///   its ddr_addr; conv weights in HWIO (XIR stores OHWI). upload and
///   download are the subgraph's boundary. Shifts come from the tensors'
///   fix points. The subgraph carries `target`, `fingerprint`, `regions`,
///   `input_placements`, `mc_code`, each DDR tensor's `dpu.placement`, and
///   the attributes without a home in `xir.attrs`;
/// - CPU subgraphs: fix2float -> quant.dequantize, float2fix and fix of a
///   float -> quant.quantize, anything else (transpose, PPScatterV2, ...) a
///   generic `tfg.node "xir" "<type>"` with its attributes;
/// - every subgraph records the XIR names of its inputs' producers and of
///   its outputs (`xir.inputs`, `xir.outputs`: for a DPU subgraph the
///   download ops).
/// Errors (unreadable file, dangling input, cycle, an op in no or two
/// subgraphs, a child without a device, a DPU op type with no engine op, a
/// missing parameter map, a const-fix outside its parameter value, ...)
/// are emitted naming the file and the op or subgraph; returns null after
/// any error.
mlir::OwningOpRef<mlir::ModuleOp>
importXModelDpuView(llvm::StringRef bytes, llvm::StringRef fileName,
                    mlir::MLIRContext *context);

} // namespace vai

#endif // VAI_IMPORT_XMODELDPUVIEW_H

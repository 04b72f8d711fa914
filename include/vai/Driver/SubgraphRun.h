//===- SubgraphRun.h - Run one dpu.subgraph of a module ---------*- C++ -*-===//
//
// `vai-translate --interpret-fixed --subgraph=NAME`: runs a single
// `dpu.subgraph` of @main (e.g. one DPU subgraph of --import-xmodel-dpu's
// view of a compiled xmodel) on given inputs, in the fixed-point
// interpreter.
//
//===----------------------------------------------------------------------===//

#ifndef VAI_DRIVER_SUBGRAPHRUN_H
#define VAI_DRIVER_SUBGRAPHRUN_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/Support/raw_ostream.h"
#include <string>
#include <vector>

namespace vai {

struct SubgraphRunOptions {
  std::string name;                ///< the subgraph's sym_name
  std::vector<std::string> inputs; ///< one .npy per subgraph input
  std::string outputDir;           ///< write every output here, if set
  unsigned outputIndex = 0;        ///< else the output written to `os`
};

/// Runs the subgraph `options.name` of @main in `module`. Fixed-point
/// inputs are read as int8 .npy files holding the codes (q, the value being
/// q * 2^-fix_point); float inputs as float .npy. Fixed-point outputs are
/// written as int8 codes, float outputs as float32. With an output
/// directory every output i goes to `<dir>/output_<i>.npy` and `os` gets
/// one line per output (`output <i> <XIR name> <shape> fix_point=<n>
/// <path>`); otherwise output `outputIndex` is written to `os` as .npy.
mlir::LogicalResult runSubgraph(mlir::ModuleOp module,
                                const SubgraphRunOptions &options,
                                llvm::raw_ostream &os);

/// A scratch module whose function @run calls a copy of `subgraph` on its
/// arguments and returns its results, so the interpreter (which runs
/// functions) can run one subgraph: it checks the inputs against the
/// signature and runs the body. `func` and `copy` are set to the function
/// and the copied subgraph op.
mlir::OwningOpRef<mlir::ModuleOp>
wrapSubgraphInFunction(mlir::Operation *subgraph, mlir::func::FuncOp &func,
                       mlir::Operation *&copy);

} // namespace vai

#endif // VAI_DRIVER_SUBGRAPHRUN_H

//===- XModelRun.h - Run a compiled xmodel end to end -----------*- C++ -*-===//
//
// `vai-translate --run-xmodel F.xmodel --input=... --output-dir=DIR`: runs
// every child of the root subgraph in dependence order, as VART's graph
// runner would: USER subgraphs take the inputs, CPU subgraphs run in the
// fixed-point interpreter, DPU subgraphs in the instruction-level simulator
// (their mc_code) or in the interpreter (their op graph). Tensors pass
// between subgraphs by XIR name. docs/run-xmodel.md describes it.
//
//===----------------------------------------------------------------------===//

#ifndef VAI_DRIVER_XMODELRUN_H
#define VAI_DRIVER_XMODELRUN_H

#include "mlir/IR/MLIRContext.h"
#include "mlir/Support/LLVM.h"
#include "llvm/Support/raw_ostream.h"
#include <string>
#include <vector>

namespace vai {

struct XModelRunOptions {
  /// One .npy per `data`/`data-fix` op, in file order (the view's @main
  /// arguments). A `data` input is a float .npy; a `data-fix` input is an
  /// int8 .npy of codes (used as they are) or a float .npy (quantized as
  /// the data-fix op says, DPU_ROUND).
  std::vector<std::string> inputs;
  /// Every final output is written here as output_<i>.npy.
  std::string outputDir;
  /// DPU subgraphs: the simulator on mc_code, or the interpreter.
  bool simulateDpu = true;
};

/// Runs the compiled xmodel `bytes` (read from `fileName`). `os` gets one
/// line per subgraph run and one per output (`output <i> <XIR name>
/// [shape] fix_point=<n>|float32 <path>`): first the graph's return_ops
/// (int8 codes), then the values nobody reads, in subgraph order: subgraph
/// results no later subgraph reads (e.g. the final fix2float ops) and
/// results of ops inside CPU and USER subgraphs without users. Errors name
/// the file and the subgraph, op or input.
mlir::LogicalResult runXModel(llvm::StringRef bytes, llvm::StringRef fileName,
                              const XModelRunOptions &options,
                              llvm::raw_ostream &os,
                              mlir::MLIRContext *context);

} // namespace vai

#endif // VAI_DRIVER_XMODELRUN_H

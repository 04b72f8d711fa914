//===- QuantDump.h - Per-node dumps and SQNR report -------------*- C++ -*-===//
//
// `vai-translate --quant-dump` writes every op result of a quantized
// function as vai_q_tensorflow's dump does; `--quant-report` compares a
// quantized function with its float source node by node (matched by
// NameLoc) so that a user sees which layer loses accuracy.
//
//===----------------------------------------------------------------------===//

#ifndef VAI_DRIVER_QUANTDUMP_H
#define VAI_DRIVER_QUANTDUMP_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "vai/Simulator/NDArray.h"
#include "llvm/Support/raw_ostream.h"

namespace vai {

/// The file stem vai_q_tensorflow gives a node: its name with '/' as '_'.
std::string dumpFileStem(llvm::StringRef nodeName);

/// Runs `func` on `inputs` and writes into `dir` (created if missing), per
/// named non-constant op, `<stem>_int8.bin/.txt` and `<stem>_float.bin/.txt`
/// for fixed-point results, `<stem>_float.bin/.txt` for float ones. Each
/// file is written atomically. Lists the written stems on `os`.
mlir::LogicalResult dumpQuantized(mlir::func::FuncOp func,
                                  llvm::ArrayRef<FloatArray> inputs,
                                  llvm::StringRef dir, llvm::raw_ostream &os);

/// Runs `floatFunc` and `quantFunc` on `inputs` and prints, in the quantized
/// function's order, each fixed-point op whose node name has a float
/// counterpart of the same size: node, op, fix point, SQNR (dB), max abs
/// error; the lowest SQNR is flagged.
mlir::LogicalResult reportQuantization(mlir::func::FuncOp floatFunc,
                                       mlir::func::FuncOp quantFunc,
                                       llvm::ArrayRef<FloatArray> inputs,
                                       llvm::raw_ostream &os);

} // namespace vai

#endif // VAI_DRIVER_QUANTDUMP_H

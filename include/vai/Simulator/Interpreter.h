//===- Interpreter.h - Executes tfg, quant and dpu functions ----*- C++ -*-===//
//
// One interpreter for every level: `tfg` ops compute in float, `quant` and
// `dpu` ops in the DPU's exact integer arithmetic (FixedKernels). A function
// may mix levels, as it does between quantize and dequantize.
//
//===----------------------------------------------------------------------===//

#ifndef VAI_SIMULATOR_INTERPRETER_H
#define VAI_SIMULATOR_INTERPRETER_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "vai/Simulator/NDArray.h"
#include "llvm/ADT/DenseMap.h"
#include <functional>

namespace vai {

/// A tensor during interpretation: float, or int8 with its fix position.
struct RuntimeValue {
  bool isFixed = false;
  FloatArray floats;
  Int8Array ints;
  int fixPoint = 0;

  static RuntimeValue ofFloat(FloatArray array);
  static RuntimeValue ofFixed(Int8Array array, int fixPoint);
  const std::vector<int64_t> &shape() const {
    return isFixed ? ints.shape : floats.shape;
  }
  /// The real values this tensor stands for.
  FloatArray toFloat() const;
};

/// Called after each op with its results (calibration, dumps).
using OpObserver =
    std::function<void(mlir::Operation *, llvm::ArrayRef<RuntimeValue>)>;

class Interpreter {
public:
  explicit Interpreter(mlir::func::FuncOp func) : func(func) {}

  /// Runs the function. Errors are emitted as diagnostics at the failing
  /// op's location (its node name) and yield failure.
  mlir::FailureOr<std::vector<RuntimeValue>>
  run(llvm::ArrayRef<RuntimeValue> inputs, const OpObserver &observer = {});

  /// Evaluates one op of the function (not a terminator or dpu.subgraph),
  /// its operands taken from `env`, its results added to `env`. For
  /// drivers that run ops one at a time, such as quant-bias-correction's
  /// float and fake-quantized runs side by side.
  mlir::LogicalResult step(mlir::Operation *op,
                           llvm::DenseMap<mlir::Value, RuntimeValue> &env);

  /// Float (tfg) ops compute what the DPU will: leaky ReLU with slope
  /// 26/256, average pools as sum * m / 2^s (avgPoolDpuFactor), hard sigmoid
  /// scaled by 6 * 2731 / 2^14 (quant-calibrate's simulate-dpu).
  void setDpuFloat(bool on) { dpuFloat = on; }

private:
  mlir::LogicalResult runBlock(mlir::Block &block,
                               llvm::ArrayRef<RuntimeValue> arguments,
                               std::vector<RuntimeValue> &results,
                               const OpObserver &observer);

  mlir::func::FuncOp func;
  bool dpuFloat = false;
  /// Constants converted once and reused across runs (calibration batches).
  llvm::DenseMap<mlir::Operation *, RuntimeValue> constants;
};

/// Runs `func` (float inputs, float outputs) on `inputs`; the entry point
/// of `vai-translate --interpret-float/--interpret-fixed`.
mlir::FailureOr<std::vector<FloatArray>>
interpretFunction(mlir::func::FuncOp func, llvm::ArrayRef<FloatArray> inputs);

} // namespace vai

#endif // VAI_SIMULATOR_INTERPRETER_H

//===- XirNodeKernels.h - CPU ops of compiled xmodels -----------*- C++ -*-===//
//
// The --import-xmodel-dpu view keeps the CPU ops of a compiled xmodel that
// have no quant form as generic `tfg.node "xir" "<type>"` ops. The
// interpreter runs the types a whole-model run needs (pointpillars:
// `transpose` and the custom `PPScatterV2`) here; any other type is an error
// naming the op and its type.
//
//===----------------------------------------------------------------------===//

#ifndef VAI_SIMULATOR_XIRNODEKERNELS_H
#define VAI_SIMULATOR_XIRNODEKERNELS_H

#include "vai/Dialect/Tfg/TfgOps.h"
#include "vai/Simulator/Interpreter.h"
#include "vai/Simulator/NDArray.h"
#include <string>

namespace vai {

/// PPScatterV2 (pointpillars' pillar scatter): `features` [N, C, P, 1] and
/// `coords` [N, P, K >= 4] give `out` [N, C, ny, nx], zero except
/// out[n, c, y, x] = features[n, c, p, 0] for each pillar p with
/// y = int(coords[n, p, 2]), x = int(coords[n, p, 3]) (truncated toward
/// zero); the pillars end at the first x < 0 and a later pillar overwrites
/// an earlier one at the same cell. A coordinate outside the grid or not
/// finite is an error.
bool ppScatterV2(const FloatArray &features, const FloatArray &coords,
                 int64_t ny, int64_t nx, FloatArray &out, std::string &error);

/// True for the XIR op types evaluateXirNode runs.
bool hasXirNodeKernel(llvm::StringRef type);

/// Runs a `tfg.node "xir"` op on `inputs` (one per operand). Emits an error
/// at the op (its XIR name) and fails for an op type without a kernel or
/// bad operands.
mlir::LogicalResult evaluateXirNode(tfg::NodeOp op,
                                    llvm::ArrayRef<const RuntimeValue *> inputs,
                                    RuntimeValue &out);

} // namespace vai

#endif // VAI_SIMULATOR_XIRNODEKERNELS_H

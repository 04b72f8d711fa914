//===- Registration.h - Everything vai registers ----------------*- C++ -*-===//

#ifndef VAI_DRIVER_REGISTRATION_H
#define VAI_DRIVER_REGISTRATION_H

#include "mlir/IR/DialectRegistry.h"

namespace vai {

/// Our four dialects plus the upstream ones our IR uses (func, arith,
/// tensor). Not upstream `quant`: ours replaces it.
void registerAllDialects(mlir::DialectRegistry &registry);

/// Every vai pass and pipeline, and the upstream cleanup passes.
void registerAllPasses();

} // namespace vai

#endif // VAI_DRIVER_REGISTRATION_H

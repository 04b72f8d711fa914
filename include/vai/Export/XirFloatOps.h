//===- XirFloatOps.h - XIR float ops for tfg ops left float -----*- C++ -*-===//
//
// quant-quantize leaves ops without a fixed-point form (and ignore-nodes)
// as float tfg ops; both xmodel writers emit them as XIR's float ops.
//
//===----------------------------------------------------------------------===//

#ifndef VAI_EXPORT_XIRFLOATOPS_H
#define VAI_EXPORT_XIRFLOATOPS_H

#include "mlir/IR/Operation.h"
#include "vai/Proto/XModel.h"
#include <optional>
#include <string>
#include <vector>

namespace vai {

/// An XIR float op: its type, attributes and, per operand of the tfg op,
/// the XIR argument it feeds (consecutive equal names form one repeated
/// argument).
struct XirFloatOp {
  std::string type;
  proto::XAttrMap attrs;
  std::vector<std::string> argNames;
};

/// XIR's float op for `op` (a tfg op, not a constant), or nullopt if XIR
/// has none we write.
std::optional<XirFloatOp> getXirFloatOp(mlir::Operation *op);

/// The values of a tfg.const as little-endian float32 bytes (XIR `const`
/// data), or nullopt if `op` is not a float tfg.const.
std::optional<std::string> getXirFloatConstBytes(mlir::Operation *op);

} // namespace vai

#endif // VAI_EXPORT_XIRFLOATOPS_H

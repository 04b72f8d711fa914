//===- ImportUtils.h - Helpers shared by the importers ----------*- C++ -*-===//

#ifndef VAI_IMPORT_IMPORTUTILS_H
#define VAI_IMPORT_IMPORTUTILS_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Operation.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/SmallVector.h"
#include <functional>
#include <queue>
#include <utility>
#include <vector>

namespace vai {

/// Creates an op whose result type is inferred, reporting an inference
/// failure (bad input shapes) as a diagnostic rather than aborting as the
/// generated builders do.
template <typename OpT, typename... Args>
mlir::FailureOr<mlir::Operation *>
createInferred(mlir::OpBuilder &builder, mlir::Location loc, Args &&...args) {
  auto placeholder = mlir::UnrankedTensorType::get(builder.getF32Type());
  mlir::Operation *op =
      OpT::create(builder, loc, placeholder, std::forward<Args>(args)...);
  llvm::SmallVector<mlir::Type> types;
  if (mlir::failed(OpT::inferReturnTypes(
          builder.getContext(), loc, op->getOperands(),
          op->getRawDictionaryAttrs(), op->getPropertiesStorage(),
          op->getRegions(), types))) {
    op->erase();
    return mlir::failure();
  }
  op->getResult(0).setType(types[0]);
  return op;
}

/// Ends an imported `@main`: returns `results`, gives the function its final
/// signature, records the framework's output names (`tfg.output_names`) and
/// verifies the module the function lives in.
inline mlir::LogicalResult
finishMainFunction(mlir::OpBuilder &builder, mlir::func::FuncOp func,
                   mlir::Location loc, mlir::ValueRange results,
                   llvm::ArrayRef<std::string> outputNames) {
  mlir::func::ReturnOp::create(builder, loc, results);
  func.setType(
      builder.getFunctionType(func.getArgumentTypes(), results.getTypes()));
  llvm::SmallVector<mlir::Attribute> names;
  for (const std::string &name : outputNames)
    names.push_back(builder.getStringAttr(name));
  func->setAttr("tfg.output_names", builder.getArrayAttr(names));
  return mlir::verify(func->getParentOp());
}

/// The topological order of nodes 0..n-1 that takes the lowest-numbered
/// ready node first, so file order is kept wherever it is already
/// topological. `users[i]` lists the nodes reading node i (once per edge;
/// `pending[i]` counts node i's incoming edges). Nodes on a cycle are left
/// out: the result is shorter than n, and `pending` is non-zero on them.
inline std::vector<size_t>
stableTopologicalOrder(const std::vector<std::vector<size_t>> &users,
                       std::vector<size_t> &pending) {
  std::vector<size_t> order;
  std::priority_queue<size_t, std::vector<size_t>, std::greater<size_t>> ready;
  for (size_t i = 0; i < pending.size(); ++i)
    if (!pending[i])
      ready.push(i);
  while (!ready.empty()) {
    size_t i = ready.top();
    ready.pop();
    order.push_back(i);
    for (size_t user : users[i])
      if (--pending[user] == 0)
        ready.push(user);
  }
  return order;
}

} // namespace vai

#endif // VAI_IMPORT_IMPORTUTILS_H

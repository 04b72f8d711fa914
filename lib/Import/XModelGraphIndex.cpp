//===- XModelGraphIndex.cpp - Names and order of an XIR graph -------------===//

#include "vai/Import/XModelGraphIndex.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Diagnostics.h"
#include "vai/Import/ImportUtils.h"

using namespace mlir;

namespace vai {

LogicalResult XModelGraphIndex::build(const proto::XGraph &graph,
                                      Location fileLoc) {
  auto nameLoc = [&](const std::string &name) -> Location {
    return NameLoc::get(StringAttr::get(fileLoc->getContext(), name), fileLoc);
  };
  size_t n = graph.ops.size();
  for (size_t i = 0; i < n; ++i) {
    const proto::XOp &op = graph.ops[i];
    if (op.name.empty())
      return emitError(fileLoc)
             << "op #" << i << " (" << op.type << ") has no name";
    if (!index.try_emplace(op.name, i).second)
      return emitError(nameLoc(op.name))
             << "two ops are named '" << op.name << "'";
    tensorOf.try_emplace(op.outputTensor.name, op.name);
  }
  std::vector<size_t> pending(n, 0);
  std::vector<std::vector<size_t>> users(n);
  for (size_t i = 0; i < n; ++i) {
    const proto::XOp &op = graph.ops[i];
    for (const proto::XOpArg &arg : op.args)
      for (const std::string &input : arg.argOps) {
        auto it = index.find(input);
        if (it == index.end())
          return emitError(nameLoc(op.name))
                 << "op '" << op.name << "' (" << op.type << ") input '"
                 << arg.argName << "' names '" << input
                 << "', which is not an op of the graph";
        users[it->second].push_back(i);
        ++pending[i];
      }
  }
  topo = stableTopologicalOrder(users, pending);
  if (topo.size() == n)
    return success();
  for (size_t i = 0; i < n; ++i)
    if (pending[i])
      return emitError(nameLoc(graph.ops[i].name))
             << "op '" << graph.ops[i].name << "' (" << graph.ops[i].type
             << ") is on a cycle of the graph";
  return failure();
}

std::string XModelGraphIndex::opOf(StringRef name) const {
  if (index.count(name))
    return name.str();
  return tensorOf.lookup(name);
}

std::optional<quant::RoundMode> parseXirRoundMode(StringRef name) {
  if (name == "DPU_ROUND")
    return quant::RoundMode::dpu_round;
  if (name == "STD_ROUND")
    return quant::RoundMode::std_round;
  if (name == "PY3_ROUND")
    return quant::RoundMode::py3_round;
  return std::nullopt;
}

} // namespace vai

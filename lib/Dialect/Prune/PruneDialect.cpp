//===- PruneDialect.cpp - prune dialect and verifiers ---------------------===//

#include "vai/Dialect/Prune/PruneDialect.h"
#include "mlir/IR/Builders.h"
#include "vai/Dialect/Prune/PruneOps.h"
#include "llvm/ADT/StringSet.h"

using namespace mlir;
using namespace vai::prune;

#include "vai/Dialect/Prune/PruneDialect.cpp.inc"

void PruneDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "vai/Dialect/Prune/PruneOps.cpp.inc"
      >();
}

LogicalResult ChannelGroupOp::verify() {
  if (getChannelsAttr().getInt() <= 0)
    return emitOpError() << "expects a positive channel count";
  if (getMembers().empty())
    return emitOpError() << "expects at least one member node";
  llvm::StringSet<> seen;
  for (Attribute member : getMembers())
    if (!seen.insert(cast<StringAttr>(member).getValue()).second)
      return emitOpError() << "lists member '"
                           << cast<StringAttr>(member).getValue() << "' twice";
  return success();
}

LogicalResult MaskOp::verify() {
  auto type = cast<RankedTensorType>(getInput().getType());
  if (type.getRank() < 1)
    return emitOpError() << "expects a tensor with a channel dimension";
  int64_t channels = type.getDimSize(type.getRank() - 1);
  if (!ShapedType::isDynamic(channels) && int64_t(getKeep().size()) != channels)
    return emitOpError() << "has " << getKeep().size() << " keep flags for "
                         << channels << " channels";
  if (llvm::none_of(getKeep(), [](bool keep) { return keep; }))
    return emitOpError() << "drops every channel";
  return success();
}

LogicalResult MaskOp::verifySymbolUses(SymbolTableCollection &symbols) {
  auto group =
      symbols.lookupNearestSymbolFrom<ChannelGroupOp>(*this, getGroupAttr());
  if (!group)
    return emitOpError() << "refers to an unknown channel group "
                         << getGroupAttr();
  if (int64_t(getKeep().size()) != group.getChannelsAttr().getInt())
    return emitOpError() << "has " << getKeep().size()
                         << " keep flags but group " << getGroupAttr()
                         << " has " << group.getChannelsAttr().getInt()
                         << " channels";
  return success();
}

#define GET_OP_CLASSES
#include "vai/Dialect/Prune/PruneOps.cpp.inc"

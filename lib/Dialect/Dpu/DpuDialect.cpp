//===- DpuDialect.cpp - dpu dialect and op verifiers ----------------------===//

#include "vai/Dialect/Dpu/DpuDialect.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "vai/Dialect/Dpu/DpuOps.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace vai::dpu;
using vai::quant::getFixType;

#include "vai/Dialect/Dpu/DpuDialect.cpp.inc"
#include "vai/Dialect/Dpu/DpuEnums.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "vai/Dialect/Dpu/DpuAttrs.cpp.inc"

void DpuDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "vai/Dialect/Dpu/DpuOps.cpp.inc"
      >();
  addAttributes<
#define GET_ATTRDEF_LIST
#include "vai/Dialect/Dpu/DpuAttrs.cpp.inc"
      >();
}

//===----------------------------------------------------------------------===//
// SubgraphOp
//===----------------------------------------------------------------------===//

void SubgraphOp::build(OpBuilder &builder, OperationState &state,
                       StringRef name, Device device, ValueRange inputs,
                       TypeRange resultTypes) {
  state.addAttribute(getSymNameAttrName(state.name),
                     builder.getStringAttr(name));
  state.addAttribute(getDeviceAttrName(state.name),
                     DeviceAttr::get(builder.getContext(), device));
  state.addOperands(inputs);
  state.addTypes(resultTypes);
  Region *body = state.addRegion();
  Block *block = new Block();
  body->push_back(block);
  for (Value input : inputs)
    block->addArgument(input.getType(), input.getLoc());
  OpBuilder::InsertionGuard guard(builder);
  builder.setInsertionPointToEnd(block);
  // The caller fills the body and replaces this empty terminator.
}

LogicalResult SubgraphOp::verify() {
  Block &body = getBody().front();
  if (body.getNumArguments() != getInputs().size())
    return emitOpError() << "expects one block argument per input";
  for (auto [arg, input] : llvm::zip(body.getArguments(), getInputs()))
    if (arg.getType() != input.getType())
      return emitOpError() << "block argument types must match the inputs";
  auto yield = cast<YieldOp>(body.getTerminator());
  if (yield.getValues().getTypes() != getOutputs().getTypes())
    return emitOpError() << "yielded types must match the results";
  if (getDevice() == Device::DPU) {
    if (!getTarget())
      return emitOpError() << "a DPU subgraph must name its target";
    for (Operation &op : body.without_terminator())
      if (!isa<ConvOp, PoolOp, ElewOp, vai::quant::ConstOp,
               vai::quant::ReshapeOp>(op))
        return op.emitOpError()
               << "is not an engine op and cannot run in a DPU subgraph";
  }
  return success();
}

//===----------------------------------------------------------------------===//
// Engine ops
//===----------------------------------------------------------------------===//

LogicalResult ConvOp::verify() {
  int input = getFixType(getInput()).getFixPoint();
  int weights = getFixType(getWeights()).getFixPoint();
  int output = getFixType(getOutput()).getFixPoint();
  if (getShiftCut() != weights + input - output)
    return emitOpError() << "shift_cut " << getShiftCut()
                         << " does not match w + i - o = "
                         << weights + input - output;
  if (Value bias = getBias()) {
    int expected = weights + input - getFixType(bias).getFixPoint();
    if (getShiftBias() != expected)
      return emitOpError() << "shift_bias " << getShiftBias()
                           << " does not match w + i - b = " << expected;
  }
  auto weightType = cast<RankedTensorType>(getWeights().getType());
  if (weightType.getRank() != 4 || getStrides().size() != 2 ||
      getDilations().size() != 2 || getPad().size() != 4)
    return emitOpError() << "expects HWIO weights, 2 strides, 2 dilations "
                            "and 4 pads";
  if (failed(vai::quant::verifyWindowResult(
          *this, cast<RankedTensorType>(getInput().getType()),
          cast<RankedTensorType>(getOutput().getType()),
          weightType.getShape().take_front(2), getStrides(), getDilations(),
          getPad(), weightType.getDimSize(3))))
    return failure();
  return vai::quant::verifyShifts(
      *this, input, weights,
      getBias() ? std::optional<int>(getFixType(getBias()).getFixPoint())
                : std::nullopt,
      output);
}

LogicalResult PoolOp::verify() {
  if (getKernel().size() != 2 || getStrides().size() != 2 ||
      getPad().size() != 4)
    return emitOpError() << "expects 2 kernel sizes, 2 strides and 4 pads";
  auto input = cast<RankedTensorType>(getInput().getType());
  int64_t dilations[2] = {1, 1};
  if (failed(vai::quant::verifyWindowResult(
          *this, input, cast<RankedTensorType>(getOutput().getType()),
          getKernel(), getStrides(), dilations, getPad(),
          input.getRank() == 4 ? input.getDimSize(3) : 0)))
    return failure();
  if (getPoolType() == PoolType::max &&
      getFixType(getInput()) != getFixType(getOutput()))
    return emitOpError() << "max pooling keeps the fixed-point type";
  return success();
}

#define GET_OP_CLASSES
#include "vai/Dialect/Dpu/DpuOps.cpp.inc"

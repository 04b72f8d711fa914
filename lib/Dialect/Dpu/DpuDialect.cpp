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

/// Regions have distinct ids, and every DDR placement names one of them and
/// fits inside it.
static LogicalResult verifyPlacements(SubgraphOp op) {
  ArrayAttr regions = op.getRegionsAttr();
  ArrayAttr inputs = op.getInputPlacementsAttr();
  if (inputs && inputs.size() != op.getInputs().size())
    return op.emitOpError()
           << "has " << inputs.size() << " input placements for "
           << op.getInputs().size() << " inputs";
  if (!regions)
    return success();
  llvm::SmallDenseMap<int64_t, int64_t> sizeOf;
  for (auto region : regions.getAsRange<RegionAttr>())
    if (!sizeOf.try_emplace(region.getId(), region.getSize()).second)
      return op.emitOpError() << "lists region " << region.getId() << " twice";
  auto check = [&](PlacementAttr placement, Type type,
                   Operation *at) -> LogicalResult {
    // A tensor kept in the banks occupies no DDR; its reg/addr are only the
    // compiler's bookkeeping (vai_c gives PFN's conv output REG_1 without
    // listing REG_1).
    if (placement.getOnChip())
      return success();
    auto it = sizeOf.find(placement.getReg());
    if (it == sizeOf.end())
      return at->emitOpError() << "is placed in region " << placement.getReg()
                               << ", which its subgraph does not list";
    auto shaped = dyn_cast<RankedTensorType>(type);
    int64_t bytes = shaped && shaped.hasStaticShape()
                        ? shaped.getNumElements()
                        : 0; // one byte per fixed-point element
    if (placement.getAddr() < 0 || placement.getAddr() + bytes > it->second)
      return at->emitOpError()
             << "is placed at [" << placement.getAddr() << ", "
             << placement.getAddr() + bytes << ") outside region "
             << placement.getReg() << " of " << it->second << " bytes";
    return success();
  };
  if (inputs)
    for (auto [placement, input] :
         llvm::zip(inputs.getAsRange<PlacementAttr>(), op.getInputs()))
      if (failed(check(placement, input.getType(), op)))
        return failure();
  for (Operation &inner : op.getBody().front().without_terminator())
    if (auto placement =
            inner.getAttrOfType<PlacementAttr>(DpuDialect::kPlacementAttrName))
      if (inner.getNumResults() != 1 ||
          failed(check(placement, inner.getResult(0).getType(), &inner)))
        return failure();
  return success();
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
      // quant.hard_sigmoid is the ALU's hsigmoid (XIR hard-sigmoid-fix).
      if (!isa<ConvOp, ConvTransposeOp, DwConvOp, PoolOp, ElewOp, ElewMulOp,
               ConcatOp, vai::quant::ConstOp, vai::quant::ReshapeOp,
               vai::quant::HardSigmoidOp>(op))
        return op.emitOpError()
               << "is not an engine op and cannot run in a DPU subgraph";
  }
  return verifyPlacements(*this);
}

//===----------------------------------------------------------------------===//
// Engine ops
//===----------------------------------------------------------------------===//

/// A convolution-like engine op's shift_cut and shift_bias agree with the
/// fix points of its operands and lie in the DPU's ranges (DESIGN.md §5).
template <typename ConvLikeOp>
static LogicalResult verifyShiftFields(ConvLikeOp op) {
  int input = getFixType(op.getInput()).getFixPoint();
  int weights = getFixType(op.getWeights()).getFixPoint();
  int output = getFixType(op.getOutput()).getFixPoint();
  if (op.getShiftCut() != weights + input - output)
    return op.emitOpError()
           << "shift_cut " << op.getShiftCut()
           << " does not match w + i - o = " << weights + input - output;
  std::optional<int> biasPoint;
  if (Value bias = op.getBias()) {
    biasPoint = getFixType(bias).getFixPoint();
    int expected = weights + input - *biasPoint;
    if (op.getShiftBias() != expected)
      return op.emitOpError() << "shift_bias " << op.getShiftBias()
                              << " does not match w + i - b = " << expected;
  }
  return vai::quant::verifyShifts(op, input, weights, biasPoint, output);
}

/// The shifts and window attributes dpu.conv and dpu.conv_transpose share.
template <typename ConvLikeOp>
static LogicalResult verifyHwioLayer(ConvLikeOp op) {
  if (failed(verifyShiftFields(op)))
    return failure();
  auto weightType = cast<RankedTensorType>(op.getWeights().getType());
  if (weightType.getRank() != 4 || op.getStrides().size() != 2 ||
      op.getDilations().size() != 2 || op.getPad().size() != 4)
    return op.emitOpError() << "expects HWIO weights, 2 strides, 2 dilations "
                               "and 4 pads";
  return success();
}

LogicalResult ConvOp::verify() {
  if (failed(verifyHwioLayer(*this)))
    return failure();
  auto weightType = cast<RankedTensorType>(getWeights().getType());
  return vai::quant::verifyWindowResult(
      *this, cast<RankedTensorType>(getInput().getType()),
      cast<RankedTensorType>(getOutput().getType()),
      weightType.getShape().take_front(2), getStrides(), getDilations(),
      getPad(), weightType.getDimSize(3));
}

LogicalResult ConvTransposeOp::verify() {
  if (failed(verifyHwioLayer(*this)))
    return failure();
  auto weightType = cast<RankedTensorType>(getWeights().getType());
  return vai::quant::verifyTransposedWindowResult(
      *this, cast<RankedTensorType>(getInput().getType()),
      cast<RankedTensorType>(getOutput().getType()),
      weightType.getShape().take_front(2), getStrides(), getDilations(),
      getPad(), weightType.getDimSize(3));
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

LogicalResult DwConvOp::verify() {
  if (failed(verifyShiftFields(*this)))
    return failure();
  auto weightType = cast<RankedTensorType>(getWeights().getType());
  if (weightType.getRank() != 4 || weightType.getDimSize(3) != 1 ||
      getStrides().size() != 2 || getDilations().size() != 2 ||
      getPad().size() != 4)
    return emitOpError() << "expects [kh, kw, C, 1] weights, 2 strides, 2 "
                            "dilations and 4 pads";
  if (failed(vai::quant::verifyWindowResult(
          *this, cast<RankedTensorType>(getInput().getType()),
          cast<RankedTensorType>(getOutput().getType()),
          weightType.getShape().take_front(2), getStrides(), getDilations(),
          getPad(), weightType.getDimSize(2))))
    return failure();
  return success();
}

LogicalResult ElewMulOp::verify() {
  auto lhs = cast<RankedTensorType>(getLhs().getType());
  auto rhs = cast<RankedTensorType>(getRhs().getType());
  ArrayRef<int64_t> r = rhs.getShape();
  bool perChannel =
      !r.empty() && r.back() == lhs.getShape().back() &&
      llvm::all_of(r.drop_back(), [](int64_t d) { return d == 1; });
  if (lhs.getShape() != rhs.getShape() && !perChannel)
    return emitOpError() << "expects operands of one shape or a per-channel "
                            "rhs";
  if (cast<RankedTensorType>(getOutput().getType()).getShape() !=
      lhs.getShape())
    return emitOpError() << "expects the output shape of lhs";
  int shift = getFixType(getLhs()).getFixPoint() +
              getFixType(getRhs()).getFixPoint() -
              getFixType(getOutput()).getFixPoint();
  if (shift < 0 || shift > 16)
    return emitOpError() << "shift = a + b - o = " << shift
                         << " is outside [0, 16]";
  return success();
}

LogicalResult ConcatOp::verify() {
  auto output = cast<RankedTensorType>(getOutput().getType());
  if (getInputs().empty() || int64_t(getAxis()) != output.getRank() - 1)
    return emitOpError() << "expects inputs concatenated along the channel "
                            "(last) axis";
  int64_t channels = 0;
  for (Value v : getInputs()) {
    auto type = cast<RankedTensorType>(v.getType());
    if (type.getShape().drop_back() != output.getShape().drop_back())
      return emitOpError() << "expects inputs that differ only in channels";
    channels += type.getShape().back();
  }
  if (channels != output.getShape().back())
    return emitOpError() << "output has " << output.getShape().back()
                         << " channels, inputs " << channels;
  return success();
}

#define GET_OP_CLASSES
#include "vai/Dialect/Dpu/DpuOps.cpp.inc"

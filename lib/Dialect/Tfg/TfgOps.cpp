//===- TfgOps.cpp - tfg verifiers and shape inference ---------------------===//

#include "vai/Dialect/Tfg/TfgOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "vai/Support/VerifierUtils.h"
#include "vai/Support/WindowShape.h"

using namespace mlir;
using namespace vai::tfg;
using vai::checkWindowArray;
using vai::sizesConflict;

static_assert(vai::kDynamicSize == ShapedType::kDynamic,
              "window helpers and MLIR must agree on unknown sizes");

/// Reports a shape-inference error at `loc` when there is one.
static LogicalResult inferError(std::optional<Location> loc, const Twine &msg) {
  if (loc)
    return emitError(*loc) << msg;
  return failure();
}

/// Shape of an NHWC window op's output with `channels` output channels.
static Type windowResultType(RankedTensorType input, ArrayRef<int64_t> kernel,
                             ArrayRef<int64_t> strides,
                             ArrayRef<int64_t> dilations, ArrayRef<int64_t> pad,
                             int64_t channels) {
  ArrayRef<int64_t> in = input.getShape();
  int64_t h = vai::windowOutputSize(in[1], kernel[0], strides[0], dilations[0],
                                    pad[0], pad[1]);
  int64_t w = vai::windowOutputSize(in[2], kernel[1], strides[1], dilations[1],
                                    pad[2], pad[3]);
  return RankedTensorType::get({in[0], h, w, channels}, input.getElementType());
}

//===----------------------------------------------------------------------===//
// ConstOp / IdentityOp
//===----------------------------------------------------------------------===//

OpFoldResult ConstOp::fold(FoldAdaptor) { return getValue(); }

OpFoldResult IdentityOp::fold(FoldAdaptor) { return getInput(); }

//===----------------------------------------------------------------------===//
// Conv2DOp
//===----------------------------------------------------------------------===//

LogicalResult Conv2DOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  auto input = dyn_cast<RankedTensorType>(adaptor.getInput().getType());
  auto filter = dyn_cast<RankedTensorType>(adaptor.getFilter().getType());
  if (!input || !filter || input.getRank() != 4 || filter.getRank() != 4)
    return inferError(loc, "conv2d expects a rank-4 NHWC input and a rank-4 "
                           "HWIO filter");
  if (adaptor.getStrides().size() != 2 || adaptor.getDilations().size() != 2 ||
      adaptor.getPad().size() != 4)
    return inferError(loc, "conv2d expects 2 strides, 2 dilations and 4 pads");
  if (llvm::any_of(adaptor.getStrides(), [](int64_t s) { return s <= 0; }))
    return inferError(loc, "conv2d expects positive strides");
  types.push_back(windowResultType(input, filter.getShape().take_front(2),
                                   adaptor.getStrides(), adaptor.getDilations(),
                                   adaptor.getPad(), filter.getDimSize(3)));
  return success();
}

LogicalResult Conv2DOp::verify() {
  if (failed(checkWindowArray(*this, "strides", getStrides(), 2, false)) ||
      failed(checkWindowArray(*this, "dilations", getDilations(), 2, false)) ||
      failed(checkWindowArray(*this, "pad", getPad(), 4, true)))
    return failure();
  auto input = cast<RankedTensorType>(getInput().getType());
  auto filter = cast<RankedTensorType>(getFilter().getType());
  if (input.getRank() != 4 || filter.getRank() != 4)
    return emitOpError() << "expects a rank-4 NHWC input and a rank-4 HWIO "
                            "filter";
  if (sizesConflict(input.getDimSize(3), filter.getDimSize(2)))
    return emitOpError() << "input has " << input.getDimSize(3)
                         << " channels but the filter expects "
                         << filter.getDimSize(2);
  if (Value bias = getBias()) {
    auto biasType = cast<RankedTensorType>(bias.getType());
    if (biasType.getRank() != 1 ||
        sizesConflict(biasType.getDimSize(0), filter.getDimSize(3)))
      return emitOpError() << "expects a bias of " << filter.getDimSize(3)
                           << " elements, one per output channel";
  }
  return success();
}

//===----------------------------------------------------------------------===//
// BiasAddOp / FusedBatchNormOp
//===----------------------------------------------------------------------===//

/// Per-channel vectors must be rank 1 and match the last dimension.
static LogicalResult verifyChannelVector(Operation *op, StringRef name,
                                         Value vector, int64_t channels) {
  auto type = cast<RankedTensorType>(vector.getType());
  if (type.getRank() != 1 || sizesConflict(type.getDimSize(0), channels))
    return op->emitOpError() << "expects '" << name << "' to be a vector of "
                             << channels << " elements (one per channel)";
  return success();
}

LogicalResult BiasAddOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location>,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &types) {
  types.push_back(adaptor.getInput().getType());
  return success();
}

LogicalResult BiasAddOp::verify() {
  auto input = cast<RankedTensorType>(getInput().getType());
  if (input.getRank() < 1)
    return emitOpError() << "expects an input of rank >= 1";
  return verifyChannelVector(*this, "bias", getBias(),
                             input.getDimSize(input.getRank() - 1));
}

LogicalResult FusedBatchNormOp::inferReturnTypes(MLIRContext *,
                                                 std::optional<Location>,
                                                 Adaptor adaptor,
                                                 SmallVectorImpl<Type> &types) {
  types.push_back(adaptor.getInput().getType());
  return success();
}

LogicalResult FusedBatchNormOp::verify() {
  auto input = cast<RankedTensorType>(getInput().getType());
  // Channels are the last dimension: NHWC maps, or [N, C] after a dense.
  if (input.getRank() < 2)
    return emitOpError() << "expects an input of rank >= 2, channels last";
  int64_t channels = input.getDimSize(input.getRank() - 1);
  for (auto [name, value] : {std::pair<StringRef, Value>{"scale", getScale()},
                             {"offset", getOffset()},
                             {"mean", getMean()},
                             {"variance", getVariance()}})
    if (failed(verifyChannelVector(*this, name, value, channels)))
      return failure();
  if (getEpsilon().convertToFloat() < 0)
    return emitOpError() << "expects a non-negative epsilon";
  return success();
}

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

template <typename PoolOp>
static LogicalResult inferPool(std::optional<Location> loc,
                               typename PoolOp::Adaptor adaptor,
                               SmallVectorImpl<Type> &types) {
  auto input = dyn_cast<RankedTensorType>(adaptor.getInput().getType());
  if (!input || input.getRank() != 4)
    return inferError(loc, "pooling expects a rank-4 NHWC input");
  if (adaptor.getKernel().size() != 2 || adaptor.getStrides().size() != 2 ||
      adaptor.getPad().size() != 4)
    return inferError(loc, "pooling expects 2 kernel sizes, 2 strides, 4 pads");
  if (llvm::any_of(adaptor.getStrides(), [](int64_t s) { return s <= 0; }))
    return inferError(loc, "pooling expects positive strides");
  int64_t dil[2] = {1, 1};
  types.push_back(windowResultType(input, adaptor.getKernel(),
                                   adaptor.getStrides(), dil, adaptor.getPad(),
                                   input.getDimSize(3)));
  return success();
}

template <typename PoolOp> static LogicalResult verifyPool(PoolOp op) {
  if (failed(checkWindowArray(op, "kernel", op.getKernel(), 2, false)) ||
      failed(checkWindowArray(op, "strides", op.getStrides(), 2, false)) ||
      failed(checkWindowArray(op, "pad", op.getPad(), 4, true)))
    return failure();
  if (cast<RankedTensorType>(op.getInput().getType()).getRank() != 4)
    return op.emitOpError() << "expects a rank-4 NHWC input";
  ArrayRef<int64_t> k = op.getKernel(), pad = op.getPad();
  // A pad as large as the window would make windows of padding only.
  if (pad[0] >= k[0] || pad[1] >= k[0] || pad[2] >= k[1] || pad[3] >= k[1])
    return op.emitOpError() << "expects each pad to be smaller than the kernel";
  return success();
}

LogicalResult MaxPoolOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &types) {
  return inferPool<MaxPoolOp>(loc, adaptor, types);
}
LogicalResult MaxPoolOp::verify() { return verifyPool(*this); }

LogicalResult AvgPoolOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &types) {
  return inferPool<AvgPoolOp>(loc, adaptor, types);
}
LogicalResult AvgPoolOp::verify() { return verifyPool(*this); }

//===----------------------------------------------------------------------===//
// MeanOp
//===----------------------------------------------------------------------===//

LogicalResult MeanOp::inferReturnTypes(MLIRContext *,
                                       std::optional<Location> loc,
                                       Adaptor adaptor,
                                       SmallVectorImpl<Type> &types) {
  auto input = dyn_cast<RankedTensorType>(adaptor.getInput().getType());
  if (!input)
    return inferError(loc, "mean expects a ranked input");
  int64_t rank = input.getRank();
  llvm::SmallVector<bool> reduced(rank, false);
  for (int64_t axis : adaptor.getAxes()) {
    int64_t a = axis < 0 ? axis + rank : axis;
    if (a < 0 || a >= rank)
      return inferError(loc, "mean axis " + Twine(axis) + " is out of range");
    reduced[a] = true;
  }
  SmallVector<int64_t> shape;
  for (int64_t d = 0; d < rank; ++d) {
    if (!reduced[d])
      shape.push_back(input.getDimSize(d));
    else if (adaptor.getKeepDims())
      shape.push_back(1);
  }
  types.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

LogicalResult MeanOp::verify() {
  llvm::SmallDenseSet<int64_t> seen;
  int64_t rank = cast<RankedTensorType>(getInput().getType()).getRank();
  for (int64_t axis : getAxes())
    if (!seen.insert(axis < 0 ? axis + rank : axis).second)
      return emitOpError() << "repeats axis " << axis;
  return success();
}

//===----------------------------------------------------------------------===//
// MatMulOp
//===----------------------------------------------------------------------===//

LogicalResult MatMulOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  auto a = dyn_cast<RankedTensorType>(adaptor.getA().getType());
  auto b = dyn_cast<RankedTensorType>(adaptor.getB().getType());
  if (!a || !b || a.getRank() != 2 || b.getRank() != 2)
    return inferError(loc, "matmul expects rank-2 operands");
  int64_t m = a.getDimSize(adaptor.getTransposeA() ? 1 : 0);
  int64_t n = b.getDimSize(adaptor.getTransposeB() ? 0 : 1);
  types.push_back(RankedTensorType::get({m, n}, a.getElementType()));
  return success();
}

LogicalResult MatMulOp::verify() {
  auto a = cast<RankedTensorType>(getA().getType());
  auto b = cast<RankedTensorType>(getB().getType());
  if (a.getRank() != 2 || b.getRank() != 2)
    return emitOpError() << "expects rank-2 operands";
  int64_t ka = a.getDimSize(getTransposeA() ? 0 : 1);
  int64_t kb = b.getDimSize(getTransposeB() ? 1 : 0);
  if (sizesConflict(ka, kb))
    return emitOpError() << "inner dimensions differ: " << ka << " vs " << kb;
  if (Value bias = getBias())
    return verifyChannelVector(*this, "bias", bias,
                               b.getDimSize(getTransposeB() ? 0 : 1));
  return success();
}

//===----------------------------------------------------------------------===//
// AddOp
//===----------------------------------------------------------------------===//

LogicalResult AddOp::inferReturnTypes(MLIRContext *,
                                      std::optional<Location> loc,
                                      Adaptor adaptor,
                                      SmallVectorImpl<Type> &types) {
  auto lhs = dyn_cast<RankedTensorType>(adaptor.getLhs().getType());
  auto rhs = dyn_cast<RankedTensorType>(adaptor.getRhs().getType());
  if (!lhs || !rhs)
    return inferError(loc, "add expects ranked operands");
  // NumPy broadcasting, aligned at the trailing dimension.
  int64_t rank = std::max(lhs.getRank(), rhs.getRank());
  SmallVector<int64_t> shape(rank);
  for (int64_t i = 0; i < rank; ++i) {
    int64_t l = i < rank - lhs.getRank()
                    ? 1
                    : lhs.getDimSize(i - (rank - lhs.getRank()));
    int64_t r = i < rank - rhs.getRank()
                    ? 1
                    : rhs.getDimSize(i - (rank - rhs.getRank()));
    if (l == 1)
      shape[i] = r;
    else if (r == 1 || r == l)
      shape[i] = l;
    else if (ShapedType::isDynamic(l) || ShapedType::isDynamic(r))
      shape[i] = ShapedType::isDynamic(l) ? r : l;
    else
      return inferError(loc, "add operands do not broadcast: dimension " +
                                 Twine(i) + " is " + Twine(l) + " vs " +
                                 Twine(r));
  }
  types.push_back(RankedTensorType::get(shape, lhs.getElementType()));
  return success();
}

#define GET_OP_CLASSES
#include "vai/Dialect/Tfg/TfgOps.cpp.inc"

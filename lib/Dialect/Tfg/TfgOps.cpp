//===- TfgOps.cpp - tfg verifiers and shape inference ---------------------===//

#include "vai/Dialect/Tfg/TfgOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "vai/Dialect/Tfg/TfgUtils.h"
#include "vai/Support/VerifierUtils.h"
#include "vai/Support/WindowShape.h"
#include <cmath>

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

OpFoldResult IdentityOp::fold(FoldAdaptor) {
  // A hinted identity stays: hints cannot move to a block argument or to a
  // producer that a later pass replaces.
  if (hasQuantHints(*this))
    return {};
  return getInput();
}

//===----------------------------------------------------------------------===//
// Conv2DOp
//===----------------------------------------------------------------------===//

/// Result type of a convolution over NHWC with a rank-4 filter whose first
/// two dimensions are the window; `channels` maps the filter to the output
/// channel count.
template <typename Adaptor>
static LogicalResult
inferConvolution(std::optional<Location> loc, StringRef name, Adaptor adaptor,
                 SmallVectorImpl<Type> &types,
                 function_ref<int64_t(RankedTensorType)> channels) {
  auto input = dyn_cast<RankedTensorType>(adaptor.getInput().getType());
  auto filter = dyn_cast<RankedTensorType>(adaptor.getFilter().getType());
  if (!input || !filter || input.getRank() != 4 || filter.getRank() != 4)
    return inferError(loc, name + " expects a rank-4 NHWC input and a rank-4 "
                                  "filter");
  if (adaptor.getStrides().size() != 2 || adaptor.getDilations().size() != 2 ||
      adaptor.getPad().size() != 4 ||
      llvm::any_of(adaptor.getStrides(), [](int64_t s) { return s <= 0; }))
    return inferError(loc, name + " expects 2 positive strides, 2 dilations "
                                  "and 4 pads");
  types.push_back(windowResultType(input, filter.getShape().take_front(2),
                                   adaptor.getStrides(), adaptor.getDilations(),
                                   adaptor.getPad(), channels(filter)));
  return success();
}

/// The checks conv2d and depthwise_conv2d share: window attributes, ranks,
/// and input channels against filter dimension 2.
template <typename ConvOp> static LogicalResult verifyConvolution(ConvOp op) {
  if (failed(checkWindowArray(op, "strides", op.getStrides(), 2, false)) ||
      failed(checkWindowArray(op, "dilations", op.getDilations(), 2, false)) ||
      failed(checkWindowArray(op, "pad", op.getPad(), 4, true)))
    return failure();
  auto input = cast<RankedTensorType>(op.getInput().getType());
  auto filter = cast<RankedTensorType>(op.getFilter().getType());
  if (input.getRank() != 4 || filter.getRank() != 4)
    return op.emitOpError() << "expects a rank-4 NHWC input and a rank-4 "
                               "filter";
  if (sizesConflict(input.getDimSize(3), filter.getDimSize(2)))
    return op.emitOpError()
           << "input has " << input.getDimSize(3)
           << " channels but the filter expects " << filter.getDimSize(2);
  if (Value bias = op.getBias()) {
    auto biasType = cast<RankedTensorType>(bias.getType());
    auto output = cast<RankedTensorType>(op.getOutput().getType());
    if (biasType.getRank() != 1 ||
        sizesConflict(biasType.getDimSize(0), output.getDimSize(3)))
      return op.emitOpError() << "expects a bias of " << output.getDimSize(3)
                              << " elements, one per output channel";
  }
  return success();
}

LogicalResult Conv2DOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  return inferConvolution(loc, "conv2d", adaptor, types,
                          [](RankedTensorType f) { return f.getDimSize(3); });
}

LogicalResult Conv2DOp::verify() { return verifyConvolution(*this); }

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
// Broadcasting binary ops
//===----------------------------------------------------------------------===//

/// NumPy broadcasting of two shapes, aligned at the trailing dimension.
static LogicalResult broadcastShapes(std::optional<Location> loc,
                                     ArrayRef<int64_t> lhs,
                                     ArrayRef<int64_t> rhs,
                                     SmallVectorImpl<int64_t> &shape) {
  int64_t lRank = lhs.size(), rRank = rhs.size();
  int64_t rank = std::max(lRank, rRank);
  shape.assign(rank, 1);
  for (int64_t i = 0; i < rank; ++i) {
    int64_t l = i < rank - lRank ? 1 : lhs[i - (rank - lRank)];
    int64_t r = i < rank - rRank ? 1 : rhs[i - (rank - rRank)];
    if (l == 1)
      shape[i] = r;
    else if (r == 1 || r == l)
      shape[i] = l;
    else if (ShapedType::isDynamic(l) || ShapedType::isDynamic(r))
      shape[i] = ShapedType::isDynamic(l) ? r : l;
    else
      return inferError(loc, "operands do not broadcast: dimension " +
                                 Twine(i) + " is " + Twine(l) + " vs " +
                                 Twine(r));
  }
  return success();
}

/// NumPy broadcasting, aligned at the trailing dimension.
static LogicalResult inferBroadcast(std::optional<Location> loc, Value lhsValue,
                                    Value rhsValue,
                                    SmallVectorImpl<Type> &types) {
  auto lhs = dyn_cast<RankedTensorType>(lhsValue.getType());
  auto rhs = dyn_cast<RankedTensorType>(rhsValue.getType());
  if (!lhs || !rhs)
    return inferError(loc, "elementwise ops expect ranked operands");
  SmallVector<int64_t> shape;
  if (failed(broadcastShapes(loc, lhs.getShape(), rhs.getShape(), shape)))
    return failure();
  types.push_back(RankedTensorType::get(shape, lhs.getElementType()));
  return success();
}

LogicalResult BatchMatMulOp::inferReturnTypes(MLIRContext *,
                                              std::optional<Location> loc,
                                              Adaptor adaptor,
                                              SmallVectorImpl<Type> &types) {
  auto a = dyn_cast<RankedTensorType>(adaptor.getA().getType());
  auto b = dyn_cast<RankedTensorType>(adaptor.getB().getType());
  if (!a || !b || a.getRank() < 2 || b.getRank() < 2)
    return inferError(loc, "batch_matmul expects operands of rank >= 2");
  int64_t ka = a.getShape().back(), kb = b.getShape().drop_back().back();
  if (sizesConflict(ka, kb))
    return inferError(loc, "batch_matmul inner dimensions differ: " +
                               Twine(ka) + " vs " + Twine(kb));
  SmallVector<int64_t> shape;
  if (failed(broadcastShapes(loc, a.getShape().drop_back(2),
                             b.getShape().drop_back(2), shape)))
    return failure();
  shape.push_back(a.getShape().drop_back().back());
  shape.push_back(b.getShape().back());
  types.push_back(RankedTensorType::get(shape, a.getElementType()));
  return success();
}

LogicalResult PReluOp::verify() {
  // ONNX unidirectional broadcasting: the slope stretches to the input.
  auto input = cast<RankedTensorType>(getInput().getType());
  auto slope = cast<RankedTensorType>(getSlope().getType());
  if (slope.getRank() > input.getRank())
    return emitOpError() << "slope has a higher rank than the input";
  int64_t offset = input.getRank() - slope.getRank();
  for (int64_t d = 0; d < slope.getRank(); ++d) {
    int64_t s = slope.getDimSize(d), x = input.getDimSize(d + offset);
    if (s != 1 && sizesConflict(s, x))
      return emitOpError() << "slope dimension " << d << " (" << s
                           << ") does not broadcast to " << x;
  }
  return success();
}

//===----------------------------------------------------------------------===//
// Activations
//===----------------------------------------------------------------------===//

LogicalResult ClipOp::verify() {
  if (getMin() && getMax() &&
      getMin()->convertToFloat() > getMax()->convertToFloat())
    return emitOpError() << "has min " << getMin()->convertToFloat()
                         << " > max " << getMax()->convertToFloat();
  return success();
}

/// Checks that `axis` (negative counts from the end) names a dimension.
static LogicalResult verifyAxis(Operation *op, int64_t axis, int64_t rank) {
  if (axis < -rank || axis >= rank)
    return op->emitOpError()
           << "axis " << axis << " is out of range for rank " << rank;
  return success();
}

LogicalResult SoftmaxOp::verify() {
  return verifyAxis(*this, getAxisAttr().getInt(),
                    cast<RankedTensorType>(getInput().getType()).getRank());
}

LogicalResult HardSoftmaxOp::verify() {
  return verifyAxis(*this, getAxisAttr().getInt(),
                    cast<RankedTensorType>(getInput().getType()).getRank());
}

//===----------------------------------------------------------------------===//
// Depthwise and transposed convolution
//===----------------------------------------------------------------------===//

LogicalResult
DepthwiseConv2DOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                    Adaptor adaptor,
                                    SmallVectorImpl<Type> &types) {
  return inferConvolution(
      loc, "depthwise_conv2d", adaptor, types, [](RankedTensorType f) {
        return ShapedType::isDynamic(f.getDimSize(2)) ||
                       ShapedType::isDynamic(f.getDimSize(3))
                   ? ShapedType::kDynamic
                   : f.getDimSize(2) * f.getDimSize(3);
      });
}

LogicalResult DepthwiseConv2DOp::verify() { return verifyConvolution(*this); }

LogicalResult Conv2DTransposeOp::verify() {
  if (failed(checkWindowArray(*this, "strides", getStrides(), 2, false)) ||
      failed(checkWindowArray(*this, "dilations", getDilations(), 2, false)) ||
      failed(checkWindowArray(*this, "pad", getPad(), 4, true)))
    return failure();
  auto input = cast<RankedTensorType>(getInput().getType());
  auto filter = cast<RankedTensorType>(getFilter().getType());
  auto output = cast<RankedTensorType>(getOutput().getType());
  if (input.getRank() != 4 || filter.getRank() != 4 || output.getRank() != 4)
    return emitOpError() << "expects rank-4 NHWC input and output and a "
                            "rank-4 [kh, kw, out, in] filter";
  if (sizesConflict(input.getDimSize(3), filter.getDimSize(3)))
    return emitOpError() << "input has " << input.getDimSize(3)
                         << " channels but the filter expects "
                         << filter.getDimSize(3);
  if (sizesConflict(output.getDimSize(3), filter.getDimSize(2)))
    return emitOpError() << "output has " << output.getDimSize(3)
                         << " channels but the filter makes "
                         << filter.getDimSize(2);
  // Output size = full size - pads + extra, with 0 <= extra < stride.
  for (int d = 0; d < 2; ++d) {
    int64_t in = input.getDimSize(1 + d), out = output.getDimSize(1 + d);
    if (ShapedType::isDynamic(in) || ShapedType::isDynamic(out))
      continue;
    int64_t full = (in - 1) * getStrides()[d] +
                   (filter.getDimSize(d) - 1) * getDilations()[d] + 1;
    int64_t base = full - getPad()[2 * d] - getPad()[2 * d + 1];
    if (out < base || out >= base + getStrides()[d])
      return emitOpError() << "output dimension " << 1 + d << " is " << out
                           << " but the input, kernel, stride and pads give "
                           << base << " (up to " << getStrides()[d] - 1
                           << " more)";
  }
  return success();
}

//===----------------------------------------------------------------------===//
// Shape and layout
//===----------------------------------------------------------------------===//

LogicalResult ReshapeOp::verify() {
  if (!vai::reshapeCompatible(cast<RankedTensorType>(getInput().getType()),
                              cast<RankedTensorType>(getOutput().getType())))
    return emitOpError() << "changes the number of elements";
  return success();
}

LogicalResult TransposeOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  auto input = dyn_cast<RankedTensorType>(adaptor.getInput().getType());
  ArrayRef<int64_t> perm = adaptor.getPerm();
  if (!input || int64_t(perm.size()) != input.getRank())
    return inferError(loc, "transpose expects one perm entry per dimension");
  SmallVector<int64_t> shape;
  for (int64_t p : perm) {
    if (p < 0 || p >= input.getRank())
      return inferError(loc, "transpose perm entry " + Twine(p) +
                                 " is out of range");
    shape.push_back(input.getDimSize(p));
  }
  types.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

LogicalResult TransposeOp::verify() {
  llvm::SmallDenseSet<int64_t> seen;
  for (int64_t p : getPerm())
    if (!seen.insert(p).second)
      return emitOpError() << "perm repeats dimension " << p;
  return success();
}

LogicalResult ConcatOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  if (adaptor.getInputs().empty())
    return inferError(loc, "concat expects at least one input");
  auto first = cast<RankedTensorType>(adaptor.getInputs()[0].getType());
  int64_t rank = first.getRank(), axis = adaptor.getAxisAttr().getInt();
  if (axis < -rank || axis >= rank)
    return inferError(loc, "concat axis " + Twine(axis) + " is out of range");
  if (axis < 0)
    axis += rank;
  SmallVector<int64_t> shape(first.getShape());
  for (Value v : adaptor.getInputs().drop_front()) {
    auto type = cast<RankedTensorType>(v.getType());
    if (type.getRank() != rank)
      return inferError(loc, "concat inputs differ in rank");
    int64_t size = type.getDimSize(axis);
    shape[axis] =
        ShapedType::isDynamic(shape[axis]) || ShapedType::isDynamic(size)
            ? ShapedType::kDynamic
            : shape[axis] + size;
  }
  types.push_back(RankedTensorType::get(shape, first.getElementType()));
  return success();
}

LogicalResult ConcatOp::verify() {
  auto first = cast<RankedTensorType>(getInputs()[0].getType());
  int64_t rank = first.getRank();
  int64_t axis = getAxisAttr().getInt();
  if (axis < 0)
    axis += rank;
  for (Value v : getInputs().drop_front()) {
    auto type = cast<RankedTensorType>(v.getType());
    for (int64_t d = 0; d < rank; ++d)
      if (d != axis && sizesConflict(type.getDimSize(d), first.getDimSize(d)))
        return emitOpError() << "inputs differ in dimension " << d
                             << ", which is not the concat axis";
  }
  return success();
}

LogicalResult PadOp::inferReturnTypes(MLIRContext *,
                                      std::optional<Location> loc,
                                      Adaptor adaptor,
                                      SmallVectorImpl<Type> &types) {
  auto input = dyn_cast<RankedTensorType>(adaptor.getInput().getType());
  ArrayRef<int64_t> pads = adaptor.getPads();
  if (!input || int64_t(pads.size()) != 2 * input.getRank())
    return inferError(loc, "pad expects 2 pads per dimension");
  SmallVector<int64_t> shape;
  for (int64_t d = 0; d < input.getRank(); ++d) {
    int64_t size = input.getDimSize(d);
    if (!ShapedType::isDynamic(size)) {
      size += pads[d] + pads[d + input.getRank()];
      if (size < 0)
        return inferError(loc,
                          "pad crops dimension " + Twine(d) + " below zero");
    }
    shape.push_back(size);
  }
  types.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

LogicalResult PadOp::verify() {
  auto input = cast<RankedTensorType>(getInput().getType());
  int64_t rank = input.getRank();
  for (int64_t d = 0; d < rank; ++d) {
    int64_t size = input.getDimSize(d);
    if (ShapedType::isDynamic(size))
      continue;
    int64_t before = getPads()[d], after = getPads()[d + rank];
    if (size + before + after < 0)
      return emitOpError() << "crops dimension " << d << " below zero";
    // Reflection mirrors without repeating the edge: at most size - 1.
    if (getMode() == PadMode::reflect && (before >= size || after >= size))
      return emitOpError() << "reflect padding of dimension " << d
                           << " must be smaller than its size " << size;
  }
  return success();
}

LogicalResult ResizeOp::verify() {
  auto input = cast<RankedTensorType>(getInput().getType());
  auto output = cast<RankedTensorType>(getOutput().getType());
  if (input.getRank() != 4 || output.getRank() != 4)
    return emitOpError() << "expects rank-4 NHWC input and output";
  if (sizesConflict(input.getDimSize(0), output.getDimSize(0)) ||
      sizesConflict(input.getDimSize(3), output.getDimSize(3)))
    return emitOpError() << "changes the batch or channel dimension";
  if (!llvm::is_contained({"half_pixel", "pytorch_half_pixel", "align_corners",
                           "asymmetric", "tf_half_pixel_for_nn"},
                          getCoordinateMode()))
    return emitOpError() << "unknown coordinate_mode '" << getCoordinateMode()
                         << "'";
  if (!llvm::is_contained(
          {"round_prefer_floor", "round_prefer_ceil", "floor", "ceil"},
          getNearestMode()))
    return emitOpError() << "unknown nearest_mode '" << getNearestMode() << "'";
  if (std::optional<ArrayRef<float>> scales = getScales()) {
    if (scales->size() != 2)
      return emitOpError() << "expects 2 scales (H, W), got " << scales->size();
    for (int i = 0; i < 2; ++i) {
      float scale = (*scales)[i];
      if (!(scale > 0) || !std::isfinite(scale))
        return emitOpError() << "scale " << scale << " is not positive";
      int64_t in = input.getDimSize(1 + i), out = output.getDimSize(1 + i);
      if (!ShapedType::isDynamic(in) && !ShapedType::isDynamic(out) &&
          out != static_cast<int64_t>(std::floor(in * double(scale))))
        return emitOpError() << "output size " << out << " is not floor(" << in
                             << " * " << scale << ")";
    }
  }
  return success();
}

LogicalResult DepthToSpaceOp::inferReturnTypes(MLIRContext *,
                                               std::optional<Location> loc,
                                               Adaptor adaptor,
                                               SmallVectorImpl<Type> &types) {
  auto input = dyn_cast<RankedTensorType>(adaptor.getInput().getType());
  int64_t b = adaptor.getBlockSize();
  if (!input || input.getRank() != 4 || b <= 0)
    return inferError(loc, "depth_to_space expects a rank-4 NHWC input and a "
                           "positive block size");
  auto scale = [](int64_t d, int64_t f) {
    return ShapedType::isDynamic(d) ? d : d * f;
  };
  int64_t c = input.getDimSize(3);
  types.push_back(
      RankedTensorType::get({input.getDimSize(0), scale(input.getDimSize(1), b),
                             scale(input.getDimSize(2), b),
                             ShapedType::isDynamic(c) ? c : c / (b * b)},
                            input.getElementType()));
  return success();
}

LogicalResult DepthToSpaceOp::verify() {
  int64_t c = cast<RankedTensorType>(getInput().getType()).getDimSize(3);
  int64_t b = getBlockSize();
  if (!ShapedType::isDynamic(c) && c % (b * b))
    return emitOpError() << c << " channels do not divide into blocks of " << b
                         << "x" << b;
  if (getMode() != "DCR" && getMode() != "CRD")
    return emitOpError() << "mode must be DCR or CRD, got '" << getMode()
                         << "'";
  return success();
}

#define GET_OP_CLASSES
#include "vai/Dialect/Tfg/TfgOps.cpp.inc"

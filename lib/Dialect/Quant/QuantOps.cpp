//===- QuantOps.cpp - quant verifiers -------------------------------------===//

#include "vai/Dialect/Quant/QuantOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "vai/Support/VerifierUtils.h"
#include "vai/Support/WindowShape.h"

using namespace mlir;
using namespace vai::quant;
using vai::checkWindowArray;
using vai::sizesConflict;

namespace vai::quant {

FixType getFixType(Value value) {
  auto type = dyn_cast<ShapedType>(value.getType());
  return type ? dyn_cast<FixType>(type.getElementType()) : FixType();
}

std::pair<int, int> shiftBiasRange(int shiftCut) {
  // DESIGN.md §5 (vai_q_pytorch fix_pos_adjust.py): the bias may be shifted
  // right by up to 24 - (8 + shift_cut) and left by up to 16.
  return {std::min(0, -(24 - (8 + shiftCut))), 16};
}

LogicalResult verifyShifts(Operation *op, int input, int weights,
                           std::optional<int> bias, int output) {
  int shiftCut = weights + input - output;
  if (shiftCut < 0 || shiftCut > kMaxShiftCut)
    return op->emitOpError() << "shift_cut = w + i - o = " << weights << " + "
                             << input << " - " << output << " = " << shiftCut
                             << " is outside [0, " << kMaxShiftCut << "]";
  if (!bias)
    return success();
  int shiftBias = weights + input - *bias;
  auto [lo, hi] = shiftBiasRange(shiftCut);
  if (shiftBias < lo || shiftBias > hi)
    return op->emitOpError()
           << "shift_bias = w + i - b = " << weights << " + " << input << " - "
           << *bias << " = " << shiftBias << " is outside [" << lo << ", " << hi
           << "] (shift_cut = " << shiftCut << ")";
  return success();
}

} // namespace vai::quant

LogicalResult vai::quant::verifyWindowResult(
    Operation *op, RankedTensorType input, RankedTensorType output,
    ArrayRef<int64_t> kernel, ArrayRef<int64_t> strides,
    ArrayRef<int64_t> dilations, ArrayRef<int64_t> pad, int64_t channels) {
  if (input.getRank() != 4 || output.getRank() != 4)
    return op->emitOpError() << "expects rank-4 NHWC input and output";
  int64_t expected[4] = {
      input.getDimSize(0),
      vai::windowOutputSize(input.getDimSize(1), kernel[0], strides[0],
                            dilations[0], pad[0], pad[1]),
      vai::windowOutputSize(input.getDimSize(2), kernel[1], strides[1],
                            dilations[1], pad[2], pad[3]),
      channels};
  for (int d = 0; d < 4; ++d)
    if (sizesConflict(expected[d], output.getDimSize(d)))
      return op->emitOpError()
             << "expects output dimension " << d << " to be " << expected[d]
             << ", got " << output.getDimSize(d);
  return success();
}

LogicalResult vai::quant::verifyTransposedWindowResult(
    Operation *op, RankedTensorType input, RankedTensorType output,
    ArrayRef<int64_t> kernel, ArrayRef<int64_t> strides,
    ArrayRef<int64_t> dilations, ArrayRef<int64_t> pad, int64_t channels) {
  if (input.getRank() != 4 || output.getRank() != 4)
    return op->emitOpError() << "expects rank-4 NHWC input and output";
  // XIR's transposed-conv2d size with pad_mode FLOOR.
  int64_t expected[4] = {input.getDimSize(0), 0, 0, channels};
  for (int i = 0; i < 2; ++i) {
    int64_t in = input.getDimSize(1 + i), k = kernel[i];
    expected[1 + i] = ShapedType::isDynamic(in) || ShapedType::isDynamic(k)
                          ? ShapedType::kDynamic
                          : (in - 1) * strides[i] + (k - 1) * dilations[i] + 1 -
                                pad[2 * i] - pad[2 * i + 1];
    if (!ShapedType::isDynamic(expected[1 + i]) && expected[1 + i] < 1)
      return op->emitOpError()
             << "crops " << pad[2 * i] << " + " << pad[2 * i + 1]
             << " leave no output along dimension " << 1 + i;
  }
  for (int i = 0; i < 4; ++i)
    if (sizesConflict(expected[i], output.getDimSize(i)))
      return op->emitOpError()
             << "expects output dimension " << i << " to be " << expected[i]
             << ", got " << output.getDimSize(i);
  return success();
}

/// Requires `bias` (when present) to be a vector of `channels` elements.
static LogicalResult verifyBias(Operation *op, Value bias, int64_t channels) {
  if (!bias)
    return success();
  auto type = cast<RankedTensorType>(bias.getType());
  if (type.getRank() != 1 || sizesConflict(type.getDimSize(0), channels))
    return op->emitOpError() << "expects a bias of " << channels
                             << " elements, one per output channel";
  return success();
}

static std::optional<int> biasFixPoint(Value bias) {
  if (!bias)
    return std::nullopt;
  return getFixType(bias).getFixPoint();
}

//===----------------------------------------------------------------------===//
// Constants and conversions
//===----------------------------------------------------------------------===//

LogicalResult ConstOp::verify() {
  auto type = cast<RankedTensorType>(getOutput().getType());
  auto fix = cast<FixType>(type.getElementType());
  auto value = getValue();
  if (value.getType().getShape() != type.getShape())
    return emitOpError() << "value shape does not match the result shape";
  unsigned storage = value.getElementType().getIntOrFloatBitWidth();
  // A signed type narrower than 8 bits (weight-bit < 8) is held in i8, as
  // the kernels hold it; its values must fit the narrow range.
  if (storage == 8 && fix.getBitWidth() < 8 && fix.getIsSigned()) {
    for (const APInt &v : value.getValues<APInt>()) {
      int64_t q = v.getSExtValue();
      if (q < fix.getMinInt() || q > fix.getMaxInt())
        return emitOpError() << "value " << q << " does not fit "
                             << fix.getBitWidth() << " signed bits";
    }
    return success();
  }
  if (storage != fix.getBitWidth())
    return emitOpError() << "value has " << storage
                         << "-bit integers but the result type has "
                         << fix.getBitWidth() << " bits";
  // The integers are raw bit patterns of the stated width: for an unsigned
  // type, i8 storage of -1 is 255. Any pattern is a valid value.
  return success();
}

OpFoldResult ConstOp::fold(FoldAdaptor) { return getValue(); }

static LogicalResult verifySameShape(Operation *op, Type a, Type b) {
  auto lhs = cast<ShapedType>(a), rhs = cast<ShapedType>(b);
  if (lhs.getRank() != rhs.getRank())
    return op->emitOpError() << "expects input and output of the same rank";
  for (int64_t d = 0; d < lhs.getRank(); ++d)
    if (sizesConflict(lhs.getDimSize(d), rhs.getDimSize(d)))
      return op->emitOpError() << "expects input and output of the same shape";
  return success();
}

LogicalResult QuantizeOp::verify() {
  return verifySameShape(*this, getInput().getType(), getOutput().getType());
}

LogicalResult DequantizeOp::verify() {
  return verifySameShape(*this, getInput().getType(), getOutput().getType());
}

//===----------------------------------------------------------------------===//
// Conv2DOp / MatMulOp
//===----------------------------------------------------------------------===//

/// The shifts of a layer with weights (conv, depthwise, matmul), from its
/// operands' fix points (DESIGN.md §5): shift_cut = w + i - o,
/// shift_bias = w + i - b.
template <typename LayerOp> static int layerShiftCut(LayerOp op) {
  return getFixType(op.getWeights()).getFixPoint() +
         getFixType(op.getInput()).getFixPoint() -
         getFixType(op.getOutput()).getFixPoint();
}
template <typename LayerOp> static int layerShiftBias(LayerOp op) {
  assert(op.getBias() && "shift_bias of a layer without bias");
  return getFixType(op.getWeights()).getFixPoint() +
         getFixType(op.getInput()).getFixPoint() -
         getFixType(op.getBias()).getFixPoint();
}
template <typename LayerOp> static LogicalResult verifyLayerShifts(LayerOp op) {
  return verifyShifts(op, getFixType(op.getInput()).getFixPoint(),
                      getFixType(op.getWeights()).getFixPoint(),
                      biasFixPoint(op.getBias()),
                      getFixType(op.getOutput()).getFixPoint());
}

/// Window attributes, rank-4 weights (`layout` names them in the message)
/// and input channels matching the weights' third dimension.
template <typename ConvOp>
static LogicalResult verifyConvAttrs(ConvOp op, StringRef layout) {
  if (failed(checkWindowArray(op, "strides", op.getStrides(), 2, false)) ||
      failed(checkWindowArray(op, "dilations", op.getDilations(), 2, false)) ||
      failed(checkWindowArray(op, "pad", op.getPad(), 4, true)))
    return failure();
  auto input = cast<RankedTensorType>(op.getInput().getType());
  auto weights = cast<RankedTensorType>(op.getWeights().getType());
  if (weights.getRank() != 4)
    return op.emitOpError() << "expects rank-4 " << layout << " weights";
  if (input.getRank() == 4 &&
      sizesConflict(input.getDimSize(3), weights.getDimSize(2)))
    return op.emitOpError()
           << "input has " << input.getDimSize(3)
           << " channels but the weights expect " << weights.getDimSize(2);
  return success();
}

int Conv2DOp::getShiftCut() { return layerShiftCut(*this); }

int Conv2DOp::getShiftBias() { return layerShiftBias(*this); }

LogicalResult Conv2DOp::verify() {
  if (failed(verifyConvAttrs(*this, "HWIO")))
    return failure();
  auto input = cast<RankedTensorType>(getInput().getType());
  auto weights = cast<RankedTensorType>(getWeights().getType());
  auto output = cast<RankedTensorType>(getOutput().getType());
  if (failed(verifyWindowResult(
          *this, input, output, weights.getShape().take_front(2), getStrides(),
          getDilations(), getPad(), weights.getDimSize(3))) ||
      failed(verifyBias(*this, getBias(), weights.getDimSize(3))))
    return failure();
  return verifyLayerShifts(*this);
}

int MatMulOp::getShiftCut() { return layerShiftCut(*this); }

int MatMulOp::getShiftBias() { return layerShiftBias(*this); }

LogicalResult MatMulOp::verify() {
  auto input = cast<RankedTensorType>(getInput().getType());
  auto weights = cast<RankedTensorType>(getWeights().getType());
  auto output = cast<RankedTensorType>(getOutput().getType());
  if (input.getRank() != 2 || weights.getRank() != 2 || output.getRank() != 2)
    return emitOpError() << "expects rank-2 input, weights and output";
  if (sizesConflict(input.getDimSize(1), weights.getDimSize(0)))
    return emitOpError() << "inner dimensions differ: " << input.getDimSize(1)
                         << " vs " << weights.getDimSize(0);
  if (sizesConflict(output.getDimSize(0), input.getDimSize(0)) ||
      sizesConflict(output.getDimSize(1), weights.getDimSize(1)))
    return emitOpError() << "expects output shape [M, N] of [M, K] x [K, N]";
  if (failed(verifyBias(*this, getBias(), weights.getDimSize(1))))
    return failure();
  return verifyLayerShifts(*this);
}

int DepthwiseConv2DOp::getShiftCut() { return layerShiftCut(*this); }

int DepthwiseConv2DOp::getShiftBias() { return layerShiftBias(*this); }

LogicalResult DepthwiseConv2DOp::verify() {
  if (failed(verifyConvAttrs(*this, "[kh, kw, C, M]")))
    return failure();
  auto input = cast<RankedTensorType>(getInput().getType());
  auto weights = cast<RankedTensorType>(getWeights().getType());
  auto output = cast<RankedTensorType>(getOutput().getType());
  int64_t channels = ShapedType::isDynamic(weights.getDimSize(2)) ||
                             ShapedType::isDynamic(weights.getDimSize(3))
                         ? ShapedType::kDynamic
                         : weights.getDimSize(2) * weights.getDimSize(3);
  if (failed(verifyWindowResult(*this, input, output,
                                weights.getShape().take_front(2), getStrides(),
                                getDilations(), getPad(), channels)) ||
      failed(verifyBias(*this, getBias(), channels)))
    return failure();
  return verifyLayerShifts(*this);
}

int Conv2DTransposeOp::getShiftCut() { return layerShiftCut(*this); }

int Conv2DTransposeOp::getShiftBias() { return layerShiftBias(*this); }

LogicalResult Conv2DTransposeOp::verify() {
  if (failed(verifyConvAttrs(*this, "[kh, kw, C, OC]")))
    return failure();
  auto weights = cast<RankedTensorType>(getWeights().getType());
  if (failed(verifyTransposedWindowResult(
          *this, cast<RankedTensorType>(getInput().getType()),
          cast<RankedTensorType>(getOutput().getType()),
          weights.getShape().take_front(2), getStrides(), getDilations(),
          getPad(), weights.getDimSize(3))))
    return failure();
  if (failed(verifyBias(*this, getBias(), weights.getDimSize(3))))
    return failure();
  return verifyLayerShifts(*this);
}

//===----------------------------------------------------------------------===//
// Pooling, add, reshape
//===----------------------------------------------------------------------===//

template <typename PoolOp> static LogicalResult verifyPool(PoolOp op) {
  if (failed(checkWindowArray(op, "kernel", op.getKernel(), 2, false)) ||
      failed(checkWindowArray(op, "strides", op.getStrides(), 2, false)) ||
      failed(checkWindowArray(op, "pad", op.getPad(), 4, true)))
    return failure();
  auto input = cast<RankedTensorType>(op.getInput().getType());
  auto output = cast<RankedTensorType>(op.getOutput().getType());
  int64_t dil[2] = {1, 1};
  return verifyWindowResult(op, input, output, op.getKernel(), op.getStrides(),
                            dil, op.getPad(),
                            input.getRank() == 4 ? input.getDimSize(3) : 0);
}

LogicalResult MaxPoolOp::verify() {
  if (getFixType(getInput()) != getFixType(getOutput()))
    return emitOpError() << "expects the same fixed-point type in and out";
  return verifyPool(*this);
}

LogicalResult AvgPoolOp::verify() { return verifyPool(*this); }

LogicalResult AddOp::verify() {
  if (failed(
          verifySameShape(*this, getLhs().getType(), getOutput().getType())) ||
      failed(verifySameShape(*this, getRhs().getType(), getOutput().getType())))
    return failure();
  if (getNonlinear() != Nonlinear::none && getNonlinear() != Nonlinear::relu)
    return emitOpError() << "supports only 'none' or 'relu' as nonlinearity";
  return success();
}

LogicalResult MulOp::verify() {
  // rhs may broadcast (a per-channel scale); the output has lhs's shape.
  if (failed(verifySameShape(*this, getLhs().getType(), getOutput().getType())))
    return failure();
  auto lhs = cast<RankedTensorType>(getLhs().getType());
  auto rhs = cast<RankedTensorType>(getRhs().getType());
  if (rhs.getRank() > lhs.getRank())
    return emitOpError() << "expects rhs to broadcast to lhs";
  for (int64_t d = 1; d <= rhs.getRank(); ++d) {
    int64_t r = rhs.getDimSize(rhs.getRank() - d);
    if (r != 1 && sizesConflict(r, lhs.getDimSize(lhs.getRank() - d)))
      return emitOpError() << "expects rhs to broadcast to lhs";
  }
  int shift = getFixType(getLhs()).getFixPoint() +
              getFixType(getRhs()).getFixPoint() -
              getFixType(getOutput()).getFixPoint();
  if (shift < 0 || shift > kMaxShiftCut)
    return emitOpError() << "shift = a + b - o = " << shift
                         << " is outside [0, " << kMaxShiftCut << "]";
  return success();
}

LogicalResult ConcatOp::verify() {
  if (getInputs().empty())
    return emitOpError() << "expects at least one input";
  auto output = cast<RankedTensorType>(getOutput().getType());
  int64_t rank = output.getRank(), axis = getAxis();
  if (axis < 0 || axis >= rank)
    return emitOpError() << "axis " << axis << " is outside [0, " << rank
                         << ")";
  int64_t total = 0;
  for (Value v : getInputs()) {
    auto type = cast<RankedTensorType>(v.getType());
    if (type.getRank() != rank)
      return emitOpError() << "expects inputs of the output's rank " << rank;
    for (int64_t d = 0; d < rank; ++d)
      if (d != axis && sizesConflict(type.getDimSize(d), output.getDimSize(d)))
        return emitOpError()
               << "input dimension " << d << " is " << type.getDimSize(d)
               << ", output has " << output.getDimSize(d);
    if (total != ShapedType::kDynamic)
      total = type.isDynamicDim(axis) ? ShapedType::kDynamic
                                      : total + type.getDimSize(axis);
  }
  if (sizesConflict(total, output.getDimSize(axis)))
    return emitOpError() << "output dimension " << axis << " should be "
                         << total << ", got " << output.getDimSize(axis);
  return success();
}

LogicalResult ReshapeOp::verify() {
  auto input = cast<RankedTensorType>(getInput().getType());
  auto output = cast<RankedTensorType>(getOutput().getType());
  if (input.getElementType() != output.getElementType())
    return emitOpError() << "expects the same fixed-point type in and out";
  if (!vai::reshapeCompatible(input, output))
    return emitOpError() << "changes the number of elements";
  return success();
}

//===----------------------------------------------------------------------===//
// Pad, upsample, hard sigmoid
//===----------------------------------------------------------------------===//

LogicalResult PadOp::verify() {
  auto input = cast<RankedTensorType>(getInput().getType());
  auto output = cast<RankedTensorType>(getOutput().getType());
  if (input.getElementType() != output.getElementType())
    return emitOpError() << "expects the same fixed-point type in and out";
  int64_t rank = input.getRank();
  ArrayRef<int64_t> pads = getPads();
  if (output.getRank() != rank || int64_t(pads.size()) != 2 * rank)
    return emitOpError() << "expects output of the input's rank and 2 x "
                            "rank = "
                         << 2 * rank << " pads, got " << pads.size();
  for (int64_t d = 0; d < rank; ++d) {
    int64_t before = pads[d], after = pads[d + rank];
    if (before < 0 || after < 0)
      return emitOpError() << "pads of dimension " << d
                           << " are negative (crops have no pad-fix form)";
    int64_t in = input.getDimSize(d);
    int64_t expected = ShapedType::isDynamic(in) ? in : in + before + after;
    if (sizesConflict(expected, output.getDimSize(d)))
      return emitOpError() << "expects output dimension " << d << " to be "
                           << expected << ", got " << output.getDimSize(d);
    // One mirror image at most, as XIR's REFLECT / SYMMETRIC define them.
    int64_t limit = getMode() == PadMode::reflect ? in - 1
                    : getMode() == PadMode::symmetric
                        ? in
                        : std::numeric_limits<int64_t>::max();
    if (!ShapedType::isDynamic(in) && std::max(before, after) > limit)
      return emitOpError() << stringifyPadMode(getMode()) << " pad of "
                           << std::max(before, after) << " exceeds dimension "
                           << d << " of size " << in;
  }
  auto fix = cast<FixType>(input.getElementType());
  auto value = static_cast<int64_t>(getValue());
  if (value < fix.getMinInt() || value > fix.getMaxInt())
    return emitOpError() << "pad value " << value << " is outside ["
                         << fix.getMinInt() << ", " << fix.getMaxInt() << "]";
  return success();
}

LogicalResult UpsampleOp::verify() {
  auto input = cast<RankedTensorType>(getInput().getType());
  auto output = cast<RankedTensorType>(getOutput().getType());
  if (input.getElementType() != output.getElementType())
    return emitOpError() << "expects the same fixed-point type in and out";
  if (input.getRank() != 4 || output.getRank() != 4)
    return emitOpError() << "expects rank-4 NHWC input and output";
  ArrayRef<int64_t> scale = getScale();
  if (scale.size() != 2 || scale[0] < 1 || scale[1] < 1)
    return emitOpError() << "expects scale = [sh, sw], integers >= 1";
  for (int64_t d = 0; d < 4; ++d) {
    int64_t in = input.getDimSize(d);
    int64_t factor = d == 1 ? scale[0] : d == 2 ? scale[1] : 1;
    int64_t expected = ShapedType::isDynamic(in) ? in : in * factor;
    if (sizesConflict(expected, output.getDimSize(d)))
      return emitOpError() << "expects output dimension " << d << " to be "
                           << expected << ", got " << output.getDimSize(d);
  }
  return success();
}

int HardSigmoidOp::getShiftHsigmoid() {
  return 14 + getFixType(getInput()).getFixPoint() -
         getFixType(getOutput()).getFixPoint();
}

LogicalResult HardSigmoidOp::verify() {
  if (failed(
          verifySameShape(*this, getInput().getType(), getOutput().getType())))
    return failure();
  // The DPU compiler's constraints (vai_q adjust_hard_sigmoid).
  int in = getFixType(getInput()).getFixPoint();
  int out = getFixType(getOutput()).getFixPoint();
  if (in < 0 || in > 15)
    return emitOpError() << "input position " << in
                         << " is outside [0, 15] (hsigmoid_in)";
  if (out < 7)
    return emitOpError() << "output position " << out
                         << " is below 7: the DPU clips at 1 only by "
                            "saturating at 127 / 2^o";
  int shift = getShiftHsigmoid();
  if (shift < 0 || shift > 31)
    return emitOpError() << "shift_hsigmoid = 14 + i - o = 14 + " << in << " - "
                         << out << " = " << shift << " is outside [0, 31]";
  return success();
}

#define GET_OP_CLASSES
#include "vai/Dialect/Quant/QuantOps.cpp.inc"

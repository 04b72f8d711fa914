//===- TfgFolds.cpp - tfg folders -----------------------------------------===//
//
// Folders of the layout and elementwise ops: no-op forms fold to their input,
// constant operands to a constant. The arithmetic is the float interpreter's
// own kernels (FloatKernels), so a folded constant holds exactly what the
// interpreter would have computed at run time.
//
//===----------------------------------------------------------------------===//

#include "mlir/IR/BuiltinAttributes.h"
#include "vai/Dialect/Tfg/TfgOps.h"
#include "vai/Dialect/Tfg/TfgUtils.h"
#include "vai/Simulator/FloatKernels.h"

using namespace mlir;
using namespace vai::tfg;
using vai::FloatArray;

namespace {

/// A folded result of more elements than this is made only when the
/// constants it reads die with the folded op; otherwise the graph would hold
/// the data twice (e.g. a transposed copy of a weight that is also used
/// untransposed).
constexpr int64_t kMaxDuplicatedElements = 1 << 16;

/// The f32 data of a constant operand's attribute.
std::optional<FloatArray> toArray(Attribute attr) {
  auto dense = dyn_cast_or_null<DenseElementsAttr>(attr);
  if (!dense || !dense.getElementType().isF32() ||
      !dense.getType().hasStaticShape())
    return std::nullopt;
  auto values = dense.getValues<float>();
  return FloatArray(std::vector<int64_t>(dense.getType().getShape().begin(),
                                         dense.getType().getShape().end()),
                    std::vector<float>(values.begin(), values.end()));
}

/// Whether `op`'s constant result may be made: its type is static, no operand
/// carries quantization hints (which a transpose or arithmetic would
/// invalidate), and it duplicates no large constant.
bool mayFold(Operation *op) {
  auto type = cast<RankedTensorType>(op->getResult(0).getType());
  if (!type.hasStaticShape())
    return false;
  for (Value v : op->getOperands())
    if (Operation *def = v.getDefiningOp(); def && hasQuantHints(def))
      return false;
  if (type.getNumElements() <= kMaxDuplicatedElements)
    return true;
  return llvm::all_of(op->getOperands(), [&](Value v) {
    return llvm::all_of(v.getUsers(), [&](Operation *u) { return u == op; });
  });
}

/// `array` as the constant result of `op`, when its shape is the result's.
OpFoldResult toAttr(Operation *op, const FloatArray &array) {
  auto type = cast<RankedTensorType>(op->getResult(0).getType());
  if (!llvm::equal(type.getShape(), array.shape))
    return {};
  return DenseElementsAttr::get(type, ArrayRef<float>(array.data));
}

using BinaryKernel = bool (*)(const FloatArray &, const FloatArray &,
                              FloatArray &, std::string &);

/// An elementwise op of two constants.
OpFoldResult foldBinary(Operation *op, Attribute lhs, Attribute rhs,
                        BinaryKernel kernel) {
  auto a = toArray(lhs), b = toArray(rhs);
  if (!a || !b || !mayFold(op))
    return {};
  FloatArray out;
  std::string error;
  if (!kernel(*a, *b, out, error))
    return {};
  return toAttr(op, out);
}

} // namespace

OpFoldResult AddOp::fold(FoldAdaptor adaptor) {
  return foldBinary(*this, adaptor.getLhs(), adaptor.getRhs(), vai::add);
}
OpFoldResult SubOp::fold(FoldAdaptor adaptor) {
  return foldBinary(*this, adaptor.getLhs(), adaptor.getRhs(), vai::sub);
}
OpFoldResult MulOp::fold(FoldAdaptor adaptor) {
  return foldBinary(*this, adaptor.getLhs(), adaptor.getRhs(), vai::mul);
}
OpFoldResult DivOp::fold(FoldAdaptor adaptor) {
  return foldBinary(*this, adaptor.getLhs(), adaptor.getRhs(), vai::div);
}
OpFoldResult MaximumOp::fold(FoldAdaptor adaptor) {
  return foldBinary(*this, adaptor.getLhs(), adaptor.getRhs(), vai::maximum);
}
OpFoldResult MinimumOp::fold(FoldAdaptor adaptor) {
  return foldBinary(*this, adaptor.getLhs(), adaptor.getRhs(), vai::minimum);
}

OpFoldResult ReshapeOp::fold(FoldAdaptor adaptor) {
  if (getInput().getType() == getType())
    return getInput();
  auto dense = dyn_cast_or_null<DenseElementsAttr>(adaptor.getInput());
  if (!dense || !mayFold(*this))
    return {};
  return dense.reshape(cast<ShapedType>(getType()));
}

OpFoldResult TransposeOp::fold(FoldAdaptor adaptor) {
  ArrayRef<int64_t> perm = getPerm();
  bool identity = llvm::all_of(llvm::enumerate(perm), [](auto p) {
    return int64_t(p.index()) == p.value();
  });
  if (identity && getInput().getType() == getType())
    return getInput();
  auto input = toArray(adaptor.getInput());
  if (!input || !mayFold(*this))
    return {};
  FloatArray out;
  std::string error;
  if (!vai::transpose(*input, std::vector<int64_t>(perm.begin(), perm.end()),
                      out, error))
    return {};
  return toAttr(*this, out);
}

OpFoldResult ConcatOp::fold(FoldAdaptor adaptor) {
  if (getInputs().size() == 1 && getInputs()[0].getType() == getType())
    return getInputs()[0];
  SmallVector<FloatArray> inputs;
  for (Attribute attr : adaptor.getInputs()) {
    auto array = toArray(attr);
    if (!array)
      return {};
    inputs.push_back(std::move(*array));
  }
  if (!mayFold(*this))
    return {};
  std::vector<const FloatArray *> pointers;
  for (const FloatArray &a : inputs)
    pointers.push_back(&a);
  FloatArray out;
  std::string error;
  if (!vai::concat(pointers, getAxis(), out, error))
    return {};
  return toAttr(*this, out);
}

OpFoldResult PadOp::fold(FoldAdaptor adaptor) {
  ArrayRef<int64_t> pads = getPads();
  if (llvm::all_of(pads, [](int64_t p) { return p == 0; }) &&
      getInput().getType() == getType())
    return getInput();
  auto input = toArray(adaptor.getInput());
  if (!input || !mayFold(*this))
    return {};
  vai::PadMode mode = getMode() == PadMode::reflect ? vai::PadMode::Reflect
                      : getMode() == PadMode::edge  ? vai::PadMode::Edge
                                                    : vai::PadMode::Constant;
  FloatArray out;
  std::string error;
  if (!vai::pad(*input, std::vector<int64_t>(pads.begin(), pads.end()), mode,
                getValue().convertToFloat(), out, error))
    return {};
  return toAttr(*this, out);
}

//===- CancelTransposes.cpp - tfg-cancel-transposes -----------------------===//
//
// Removes the layout changes the ONNX importer leaves between ops that meet
// in different layouts (see OnnxImporter.cpp): transposes that cancel, that
// are identities, or that only move size-1 dimensions. Data movement only:
// no arithmetic changes, so results are bit-identical.
//
//===----------------------------------------------------------------------===//

#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "vai/Dialect/Tfg/Passes.h"
#include "vai/Dialect/Tfg/TfgUtils.h"

namespace vai::tfg {
#define GEN_PASS_DEF_TFGCANCELTRANSPOSES
#include "vai/Dialect/Tfg/Passes.h.inc"
} // namespace vai::tfg

using namespace mlir;
using namespace vai::tfg;

namespace {

static bool isIdentity(ArrayRef<int64_t> perm) {
  for (auto [i, p] : llvm::enumerate(perm))
    if (p != int64_t(i))
      return false;
  return true;
}

/// `transpose(transpose(x, inner), outer)` is `transpose(x, result)`.
static SmallVector<int64_t> compose(ArrayRef<int64_t> inner,
                                    ArrayRef<int64_t> outer) {
  SmallVector<int64_t> result;
  for (int64_t p : outer)
    result.push_back(inner[p]);
  return result;
}

/// The type of `transpose(value of type, perm)`.
static RankedTensorType permuteType(RankedTensorType type,
                                    ArrayRef<int64_t> perm) {
  SmallVector<int64_t> shape;
  for (int64_t p : perm)
    shape.push_back(type.getDimSize(p));
  return type.clone(shape);
}

/// The elements of `attr` transposed by `perm` (row-major).
static DenseElementsAttr permuteConstant(DenseElementsAttr attr,
                                         ArrayRef<int64_t> perm) {
  auto type = cast<RankedTensorType>(attr.getType());
  auto outType = permuteType(type, perm);
  int64_t rank = type.getRank();
  SmallVector<int64_t> inStrides(rank, 1);
  for (int64_t d = rank - 2; d >= 0; --d)
    inStrides[d] = inStrides[d + 1] * type.getDimSize(d + 1);
  auto values = llvm::to_vector(attr.getValues<Attribute>());
  SmallVector<Attribute> out(values.size());
  SmallVector<int64_t> index(rank, 0);
  for (int64_t flat = 0, e = values.size(); flat < e; ++flat) {
    // `index` counts through the output; input dimension perm[d] is at
    // output dimension d.
    int64_t source = 0;
    for (int64_t d = 0; d < rank; ++d)
      source += index[d] * inStrides[perm[d]];
    out[flat] = values[source];
    for (int64_t d = rank - 1; d >= 0; --d) {
      if (++index[d] < outType.getDimSize(d))
        break;
      index[d] = 0;
    }
  }
  return DenseElementsAttr::get(outType, out);
}

/// transpose(x, identity) -> x.
struct RemoveIdentity : OpRewritePattern<TransposeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(TransposeOp op,
                                PatternRewriter &rewriter) const override {
    if (!isIdentity(op.getPerm()) || op.getInput().getType() != op.getType())
      return rewriter.notifyMatchFailure(op, "not an identity");
    rewriter.replaceOp(op, op.getInput());
    return success();
  }
};

/// transpose(transpose(x, p1), p2) -> x or transpose(x, p1 o p2).
struct ComposeTransposes : OpRewritePattern<TransposeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(TransposeOp op,
                                PatternRewriter &rewriter) const override {
    auto inner = op.getInput().getDefiningOp<TransposeOp>();
    if (!inner)
      return rewriter.notifyMatchFailure(op, "input is not a transpose");
    SmallVector<int64_t> perm = compose(inner.getPerm(), op.getPerm());
    Value x = inner.getInput();
    if (isIdentity(perm) && x.getType() == op.getType()) {
      rewriter.replaceOp(op, x);
      return success();
    }
    if (permuteType(cast<RankedTensorType>(x.getType()), perm) != op.getType())
      return rewriter.notifyMatchFailure(op, "types differ");
    rewriter.replaceOpWithNewOp<TransposeOp>(
        op, op.getType(), x, rewriter.getDenseI64ArrayAttr(perm));
    return success();
  }
};

/// transpose(const) -> const.
struct FoldConstant : OpRewritePattern<TransposeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(TransposeOp op,
                                PatternRewriter &rewriter) const override {
    DenseElementsAttr attr;
    if (!matchPattern(op.getInput(), m_Constant(&attr)))
      return rewriter.notifyMatchFailure(op, "input is not a constant");
    DenseElementsAttr permuted = permuteConstant(attr, op.getPerm());
    if (permuted.getType() != op.getType())
      return rewriter.notifyMatchFailure(op, "types differ");
    rewriter.replaceOpWithNewOp<ConstOp>(op, permuted);
    return success();
  }
};

/// Ops that act on each element alone (a constant operand aside).
static bool isUnaryElementwise(Operation *op) {
  return isa<ReluOp, Relu6Op, LeakyReluOp, SigmoidOp, TanhOp, SwishOp,
             HardSwishOp, HardSigmoidOp, ClipOp, IdentityOp>(op);
}
static bool isBinaryElementwise(Operation *op) {
  return isa<AddOp, SubOp, MulOp, DivOp, MaximumOp, MinimumOp, PReluOp>(op);
}

/// The operand of an elementwise `op` that carries the data, when every
/// other operand is a constant; -1 otherwise.
static int dataOperand(Operation *op) {
  if (isUnaryElementwise(op))
    return 0;
  if (!isBinaryElementwise(op))
    return -1;
  bool lhsConst = matchPattern(op->getOperand(0), m_Constant());
  bool rhsConst = matchPattern(op->getOperand(1), m_Constant());
  if (lhsConst == rhsConst)
    return -1;
  // prelu's slope (operand 1) is the constant one.
  if (isa<PReluOp>(op) && lhsConst)
    return -1;
  return lhsConst ? 1 : 0;
}

/// transpose(f_n(...f_1(transpose(x, p), c_1)..., c_n), inverse(p)) ->
/// f_n(...f_1(x, c_1')..., c_n') with elementwise f_i and constants c_i
/// permuted back into x's layout.
struct CancelAroundElementwise : OpRewritePattern<TransposeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(TransposeOp op,
                                PatternRewriter &rewriter) const override {
    SmallVector<Operation *> chain; // outermost first
    Value value = op.getInput();
    while (Operation *def = value.getDefiningOp()) {
      int data = dataOperand(def);
      if (data < 0 || !value.hasOneUse() ||
          def->getOperand(data).getType() != value.getType())
        break;
      chain.push_back(def);
      value = def->getOperand(data);
    }
    auto inner = value.getDefiningOp<TransposeOp>();
    if (chain.empty() || !inner)
      return rewriter.notifyMatchFailure(op, "no elementwise chain");
    ArrayRef<int64_t> perm = op.getPerm();
    Value x = inner.getInput();
    if (!isIdentity(compose(inner.getPerm(), perm)) ||
        x.getType() != op.getType())
      return rewriter.notifyMatchFailure(op, "transposes do not cancel");
    int64_t rank = perm.size();

    IRMapping mapping;
    mapping.map(value, x);
    for (Operation *def : llvm::reverse(chain)) {
      rewriter.setInsertionPoint(def);
      for (Value operand : def->getOperands()) {
        DenseElementsAttr attr;
        if (!matchPattern(operand, m_Constant(&attr)) ||
            attr.getNumElements() == 1)
          continue;
        // Broadcasting aligns trailing dimensions: pad the constant to the
        // full rank before permuting it.
        auto type = cast<RankedTensorType>(attr.getType());
        SmallVector<int64_t> shape(rank - type.getRank(), 1);
        llvm::append_range(shape, type.getShape());
        DenseElementsAttr permuted =
            permuteConstant(attr.reshape(type.clone(shape)), perm);
        mapping.map(
            operand,
            ConstOp::create(rewriter, operand.getLoc(), permuted).getResult());
      }
      Operation *clone = rewriter.clone(*def, mapping);
      clone->getResult(0).setType(permuteType(
          cast<RankedTensorType>(def->getResult(0).getType()), perm));
    }
    rewriter.replaceOp(op, mapping.lookup(chain.front()->getResult(0)));
    return success();
  }
};

/// A transpose that keeps the order of the dimensions of size > 1 only
/// moves size-1 dimensions: the same row-major data, so a reshape.
struct UnitTransposeToReshape : OpRewritePattern<TransposeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(TransposeOp op,
                                PatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(op.getInput().getType());
    int64_t last = -1;
    for (int64_t p : op.getPerm()) {
      if (type.getDimSize(p) == 1)
        continue;
      if (p < last)
        return rewriter.notifyMatchFailure(op, "moves a dimension > 1");
      last = p;
    }
    rewriter.replaceOpWithNewOp<ReshapeOp>(op, op.getType(), op.getInput());
    return success();
  }
};

/// reshape(reshape(x)) -> reshape(x), or x when the types agree.
struct CollapseReshapes : OpRewritePattern<ReshapeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ReshapeOp op,
                                PatternRewriter &rewriter) const override {
    auto inner = op.getInput().getDefiningOp<ReshapeOp>();
    if (!inner)
      return rewriter.notifyMatchFailure(op, "input is not a reshape");
    Value x = inner.getInput();
    if (x.getType() == op.getType())
      rewriter.replaceOp(op, x);
    else
      rewriter.modifyOpInPlace(op, [&] { op.getInputMutable().assign(x); });
    return success();
  }
};

struct TfgCancelTransposesPass
    : vai::tfg::impl::TfgCancelTransposesBase<TfgCancelTransposesPass> {
  void runOnOperation() override {
    // Cancel first: a transpose turned into a reshape no longer cancels
    // with its partner.
    RewritePatternSet cancel(&getContext());
    cancel.add<RemoveIdentity, ComposeTransposes, FoldConstant,
               CancelAroundElementwise>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(cancel))))
      return signalPassFailure();
    RewritePatternSet reshape(&getContext());
    reshape.add<UnitTransposeToReshape, CollapseReshapes>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(reshape))))
      return signalPassFailure();
  }
};

} // namespace

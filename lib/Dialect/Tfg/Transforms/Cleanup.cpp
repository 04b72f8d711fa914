//===- Cleanup.cpp - tfg-cleanup ------------------------------------------===//
//
// Removes inference no-ops and dead ops and folds constant subgraphs. The
// folding itself is the ops' folders (TfgFolds.cpp), shared with
// canonicalize; this pass applies them so that a folded constant keeps the
// node name of the op it replaces (the greedy driver's own folding gives
// materialized constants an unknown location and merges equal ones).
//
//===----------------------------------------------------------------------===//

#include "mlir/IR/Matchers.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "vai/Dialect/Tfg/Passes.h"

namespace vai::tfg {
#define GEN_PASS_DEF_TFGCLEANUP
#include "vai/Dialect/Tfg/Passes.h.inc"
} // namespace vai::tfg

using namespace mlir;
using namespace vai::tfg;

namespace {

/// Folds any single-result tfg op except constants and `tfg.node`; a
/// constant result becomes a `tfg.const` at the op's location.
struct FoldNamed : RewritePattern {
  explicit FoldNamed(MLIRContext *context)
      : RewritePattern(MatchAnyOpTypeTag(), /*benefit=*/1, context) {}

  LogicalResult matchAndRewrite(Operation *op,
                                PatternRewriter &rewriter) const override {
    if (!isa<TfgDialect>(op->getDialect()) || isa<NodeOp>(op) ||
        op->hasTrait<OpTrait::ConstantLike>() || op->getNumResults() != 1)
      return failure();
    SmallVector<Attribute> operands(op->getNumOperands());
    for (auto [attr, value] : llvm::zip(operands, op->getOperands()))
      matchPattern(value, m_Constant(&attr));
    SmallVector<OpFoldResult> results;
    if (failed(op->fold(operands, results)))
      return failure();
    if (results.empty()) {
      // Folded in place.
      rewriter.modifyOpInPlace(op, [] {});
      return success();
    }
    if (auto value = dyn_cast<Value>(results[0])) {
      rewriter.replaceOp(op, value);
      return success();
    }
    Type type = op->getResult(0).getType();
    Operation *constant = op->getDialect()->materializeConstant(
        rewriter, cast<Attribute>(results[0]), type, op->getLoc());
    if (!constant)
      return failure();
    rewriter.replaceOp(op, constant->getResults());
    return success();
  }
};

struct TfgCleanupPass : vai::tfg::impl::TfgCleanupBase<TfgCleanupPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FoldNamed>(&getContext());
    // The driver erases trivially dead ops (tfg ops are Pure; tfg.node has
    // unknown effects and stays). Its own folding and constant merging are
    // off so that constants keep their names.
    GreedyRewriteConfig config;
    config.enableFolding(false)
        .enableConstantCSE(false)
        .setRegionSimplificationLevel(GreedySimplifyRegionLevel::Disabled);
    if (failed(
            applyPatternsGreedily(getOperation(), std::move(patterns), config)))
      signalPassFailure();
  }
};

} // namespace

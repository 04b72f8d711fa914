//===- FusePad.cpp - tfg-fuse-pad -----------------------------------------===//
//
// Merges an explicit zero pad into the padding of the convolution it feeds:
// a convolution pads with zeros, so the two compute the same thing, and the
// DPU pads for free while a separate pad is a layer of its own.
//
//===----------------------------------------------------------------------===//

#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "vai/Dialect/Tfg/Passes.h"
#include "vai/Dialect/Tfg/TfgUtils.h"

namespace vai::tfg {
#define GEN_PASS_DEF_TFGFUSEPAD
#include "vai/Dialect/Tfg/Passes.h.inc"
} // namespace vai::tfg

using namespace mlir;
using namespace vai::tfg;

namespace {

/// The amounts `[top, bottom, left, right]` of a constant-zero pad of the H
/// and W dimensions of an NHWC tensor, or a reason why `pad` is not one.
static FailureOr<SmallVector<int64_t, 4>> spatialZeroPad(PadOp pad,
                                                         std::string &why) {
  ArrayRef<int64_t> pads = pad.getPads();
  if (pad.getMode() != PadMode::constant ||
      pad.getValue().convertToFloat() != 0.0f) {
    why = "it is not a constant pad with value 0";
    return failure();
  }
  if (pads.size() != 8) {
    why = "it is not of rank 4";
    return failure();
  }
  // ONNX order: all befores, then all afters (N, H, W, C).
  if (pads[0] || pads[3] || pads[4] || pads[7]) {
    why = "it pads the batch or channel dimension";
    return failure();
  }
  SmallVector<int64_t, 4> spatial = {pads[1], pads[5], pads[2], pads[6]};
  if (llvm::any_of(spatial, [](int64_t p) { return p < 0; })) {
    why = "it crops (negative amount)";
    return failure();
  }
  return spatial;
}

template <typename ConvOp> struct FuseIntoConv : OpRewritePattern<ConvOp> {
  FuseIntoConv(MLIRContext *context, bool kernelLimit)
      : OpRewritePattern<ConvOp>(context), kernelLimit(kernelLimit) {}

  LogicalResult matchAndRewrite(ConvOp conv,
                                PatternRewriter &rewriter) const override {
    auto pad = conv.getInput().template getDefiningOp<PadOp>();
    if (!pad)
      return rewriter.notifyMatchFailure(conv, "input is not a pad");
    if (!pad->hasOneUse())
      return rewriter.notifyMatchFailure(conv, "the pad has other users");
    std::string why;
    auto amounts = spatialZeroPad(pad, why);
    if (failed(amounts))
      return rewriter.notifyMatchFailure(conv, why);
    SmallVector<int64_t, 4> merged(conv.getPad());
    for (auto [m, p] : llvm::zip(merged, *amounts))
      m += p;
    if (kernelLimit && !withinKernel(conv, merged))
      return rewriter.notifyMatchFailure(conv, "merged pad exceeds the kernel");
    rewriter.modifyOpInPlace(conv, [&] {
      conv.getInputMutable().assign(pad.getInput());
      conv.setPad(merged);
    });
    rewriter.eraseOp(pad);
    return success();
  }

  /// The DPU pads by at most (k - 1) * dilation on each side (UG1414).
  static bool withinKernel(ConvOp conv, ArrayRef<int64_t> pad) {
    auto filter = cast<RankedTensorType>(conv.getFilter().getType());
    for (int d = 0; d < 2; ++d) {
      int64_t k = filter.getDimSize(d);
      if (ShapedType::isDynamic(k))
        return false;
      int64_t limit = (k - 1) * conv.getDilations()[d];
      if (pad[2 * d] > limit || pad[2 * d + 1] > limit)
        return false;
    }
    return true;
  }

  bool kernelLimit;
};

struct TfgFusePadPass : vai::tfg::impl::TfgFusePadBase<TfgFusePadPass> {
  using TfgFusePadBase::TfgFusePadBase;

  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FuseIntoConv<Conv2DOp>, FuseIntoConv<DepthwiseConv2DOp>>(
        &getContext(), kernelLimit.getValue());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
    // Say which pads before a convolution stay and why.
    getOperation().walk([&](PadOp pad) {
      for (Operation *user : pad->getUsers()) {
        if (!isa<Conv2DOp, DepthwiseConv2DOp>(user) ||
            user->getOperand(0) != pad.getResult())
          continue;
        std::string why = "the merged padding would exceed (k - 1) * dilation";
        if (!pad->hasOneUse())
          why = "it has other users";
        else
          (void)spatialZeroPad(pad, why);
        pad.emitRemark() << "pad not merged into the convolution: " << why;
        return;
      }
    });
  }
};

} // namespace

//===- XModelViewTranslations.cpp - vai-translate --xmodel-* --------------===//

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Location.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "vai/Driver/XModelViews.h"
#include "llvm/Support/SourceMgr.h"

using namespace mlir;

namespace {

/// The whole view is rendered before anything is written, so a bad file
/// leaves no partial output (and mlir-translate removes the -o file).
TranslateFunction viewFunction(vai::XModelView view) {
  return [view](const std::shared_ptr<llvm::SourceMgr> &sourceMgr,
                llvm::raw_ostream &os, MLIRContext *context) -> LogicalResult {
    const llvm::MemoryBuffer *buffer =
        sourceMgr->getMemoryBuffer(sourceMgr->getMainFileID());
    std::string text, error;
    if (!vai::renderXModelFile(buffer->getBuffer().str(),
                               buffer->getBufferIdentifier().str(), view, text,
                               error))
      return emitError(UnknownLoc::get(context)) << error;
    os << text;
    return success();
  };
}

} // namespace

void vai::registerXModelViewTranslations() {
  static TranslateRegistration summary(
      "xmodel-summary",
      "print an .xmodel's op count per type and subgraph tree (device, I/O "
      "tensors, decoded DPU fingerprint, registers, code size)",
      viewFunction(XModelView::Summary));
  static TranslateRegistration dumpTxt(
      "xmodel-dump-txt",
      "print an .xmodel one line per op (as `xir dump_txt`, bytes as md5)",
      viewFunction(XModelView::DumpTxt));
  static TranslateRegistration dot(
      "xmodel-dot",
      "print an .xmodel as Graphviz DOT, ops colored by device, a cluster "
      "per subgraph",
      viewFunction(XModelView::Dot));
}

//===- Translations.cpp - vai-translate's translations --------------------===//

#include "vai/Driver/Translations.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "vai/Driver/Registration.h"
#include "vai/Export/XModelExporter.h"
#include "vai/Import/GraphDefImporter.h"
#include "vai/Simulator/Interpreter.h"
#include "vai/Simulator/Npy.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/SourceMgr.h"

using namespace mlir;

namespace vai {
namespace {

llvm::cl::OptionCategory category("vai-translate options");

llvm::cl::list<std::string> outputNodes(
    "output-nodes", llvm::cl::CommaSeparated, llvm::cl::cat(category),
    llvm::cl::desc("import-graphdef: nodes whose outputs are the results "
                   "(default: nodes nobody consumes)"));
llvm::cl::opt<bool> graphdefText(
    "graphdef-text", llvm::cl::cat(category),
    llvm::cl::desc("import-graphdef: read text format even without a .pbtxt "
                   "extension"));
llvm::cl::opt<std::string>
    inputNpy("input", llvm::cl::cat(category), llvm::cl::value_desc("file.npy"),
             llvm::cl::desc("interpret-*: the input tensor (.npy, float)"));

/// Runs @main of `op` on the --input tensor and writes its first result.
LogicalResult interpret(Operation *op, llvm::raw_ostream &os, bool fixed) {
  auto module = dyn_cast<ModuleOp>(op);
  auto func = module ? module.lookupSymbol<func::FuncOp>("main") : nullptr;
  if (!func)
    return op->emitError() << "no function @main to interpret";
  bool quantized = false;
  func.walk([&](Operation *inner) {
    StringRef ns =
        inner->getDialect() ? inner->getDialect()->getNamespace() : "";
    quantized |= ns == "quant" || ns == "dpu";
  });
  if (fixed && !quantized)
    return func.emitError() << "interpret-fixed expects a quantized function "
                               "(quant or dpu ops); use --interpret-float";
  if (!fixed && quantized)
    return func.emitError() << "interpret-float expects a float (tfg) "
                               "function; this one is quantized, use "
                               "--interpret-fixed";
  if (inputNpy.empty())
    return func.emitError() << "no input tensor: pass --input=<file.npy>";
  FloatArray input;
  std::string error;
  if (!readNpyFloat(inputNpy, input, error))
    return func.emitError() << error;
  auto outputs = interpretFunction(func, {input});
  if (failed(outputs))
    return failure();
  if (outputs->empty())
    return func.emitError() << "the function returns nothing";
  std::string bytes;
  if (!serializeNpy(outputs->front(), bytes, error))
    return func.emitError() << error;
  os << bytes;
  return success();
}

} // namespace

void registerAllTranslations() {
  TranslateToMLIRRegistration importGraphDefTranslation(
      "import-graphdef", "TF1 frozen GraphDef (.pb binary, .pbtxt text) to tfg",
      [](llvm::SourceMgr &sourceMgr,
         MLIRContext *context) -> OwningOpRef<Operation *> {
        const llvm::MemoryBuffer *buffer =
            sourceMgr.getMemoryBuffer(sourceMgr.getMainFileID());
        StringRef name = buffer->getBufferIdentifier();
        GraphDefImportOptions options;
        options.outputNodes.assign(outputNodes.begin(), outputNodes.end());
        options.text = graphdefText || isTextGraphDefName(name);
        OwningOpRef<ModuleOp> module =
            importGraphDef(buffer->getBuffer(), name, context, options);
        return OwningOpRef<Operation *>(module.release());
      },
      [](DialectRegistry &registry) { registerAllDialects(registry); });

  auto dialects = [](DialectRegistry &registry) {
    registerAllDialects(registry);
  };
  TranslateFromMLIRRegistration exportXModelTranslation(
      "export-xmodel",
      "dpu-level module to an XIR .xmodel (serial_v2 protobuf)",
      [](Operation *op, llvm::raw_ostream &os) -> LogicalResult {
        auto module = dyn_cast<ModuleOp>(op);
        if (!module)
          return op->emitError() << "expects a module";
        return vai::exportXModel(module, os);
      },
      dialects);
  TranslateFromMLIRRegistration interpretFloat(
      "interpret-float",
      "run the float (tfg) interpreter on --input and write the output .npy",
      [](Operation *op, llvm::raw_ostream &os) {
        return interpret(op, os, false);
      },
      dialects);
  TranslateFromMLIRRegistration interpretFixed(
      "interpret-fixed",
      "run the bit-exact fixed-point (quant/dpu) interpreter on --input and "
      "write the dequantized output .npy",
      [](Operation *op, llvm::raw_ostream &os) {
        return interpret(op, os, true);
      },
      dialects);
}

} // namespace vai

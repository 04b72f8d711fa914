//===- Translations.cpp - vai-translate's translations --------------------===//

#include "vai/Driver/Translations.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "vai/Driver/Registration.h"
#include "vai/Export/XModelExporter.h"
#include "vai/Import/GraphDefImporter.h"
#include "vai/Import/OnnxImporter.h"
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
llvm::cl::opt<bool> onnxKeepUnsupported(
    "onnx-keep-unsupported", llvm::cl::cat(category),
    llvm::cl::desc("import-onnx: keep ops the importer does not know as "
                   "tfg.node \"onnx\" \"<OpType>\" instead of failing"));
llvm::cl::list<std::string> inputNpy(
    "input", llvm::cl::cat(category), llvm::cl::CommaSeparated,
    llvm::cl::value_desc("a.npy,b.npy"),
    llvm::cl::desc("interpret-*: the input tensors (.npy, float), one per "
                   "function argument"));
llvm::cl::opt<unsigned> outputIndex(
    "output-index", llvm::cl::cat(category), llvm::cl::init(0),
    llvm::cl::desc("interpret-*: which result to write (default: the first)"));

/// Runs @main of `op` on the --input tensors and writes one result.
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
  if (inputNpy.size() != func.getNumArguments())
    return func.emitError() << "the function takes " << func.getNumArguments()
                            << " inputs but --input names " << inputNpy.size();
  std::vector<FloatArray> inputs(inputNpy.size());
  std::string error;
  for (auto [path, input] : llvm::zip(inputNpy, inputs))
    if (!readNpyFloat(path, input, error))
      return func.emitError() << error;
  auto outputs = interpretFunction(func, inputs);
  if (failed(outputs))
    return failure();
  if (outputIndex >= outputs->size())
    return func.emitError() << "the function has " << outputs->size()
                            << " results; --output-index " << outputIndex
                            << " names none";
  std::string bytes;
  if (!serializeNpy((*outputs)[outputIndex], bytes, error))
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

  TranslateToMLIRRegistration importOnnxTranslation(
      "import-onnx", "ONNX model (.onnx, opsets 7-17) to tfg",
      [](llvm::SourceMgr &sourceMgr,
         MLIRContext *context) -> OwningOpRef<Operation *> {
        const llvm::MemoryBuffer *buffer =
            sourceMgr.getMemoryBuffer(sourceMgr.getMainFileID());
        OnnxImportOptions options;
        options.keepUnsupported = onnxKeepUnsupported;
        OwningOpRef<ModuleOp> module =
            importOnnx(buffer->getBuffer(), buffer->getBufferIdentifier(),
                       context, options);
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

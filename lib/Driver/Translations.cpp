//===- Translations.cpp - vai-translate's translations --------------------===//

#include "vai/Driver/Translations.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "vai/Driver/Inspect.h"
#include "vai/Driver/IsaTranslations.h"
#include "vai/Driver/QuantDump.h"
#include "vai/Driver/Registration.h"
#include "vai/Driver/SubgraphRun.h"
#include "vai/Driver/XModelRun.h"
#include "vai/Driver/XModelViews.h"
#include "vai/Export/GraphDefExporter.h"
#include "vai/Export/OnnxExporter.h"
#include "vai/Export/XModelExporter.h"
#include "vai/Export/XModelFixForm.h"
#include "vai/Import/CaffeImporter.h"
#include "vai/Import/GraphDefImporter.h"
#include "vai/Import/KerasImporter.h"
#include "vai/Import/OnnxImporter.h"
#include "vai/Import/TfjsGraphImporter.h"
#include "vai/Import/XModelDpuView.h"
#include "vai/Import/XModelImporter.h"
#include "vai/Simulator/Interpreter.h"
#include "vai/Simulator/Npy.h"
#include "vai/Target/Target.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/SourceMgr.h"

using namespace mlir;

namespace vai {
namespace {

llvm::cl::OptionCategory category("vai-translate options");

llvm::cl::list<std::string> outputNodes(
    "output-nodes", llvm::cl::CommaSeparated, llvm::cl::cat(category),
    llvm::cl::desc("import-graphdef, import-tfjs-graph: nodes whose outputs "
                   "are the results (default: nodes nobody consumes)"));
llvm::cl::list<std::string> inputNodes(
    "input-nodes", llvm::cl::CommaSeparated, llvm::cl::cat(category),
    llvm::cl::desc("import-graphdef/-tfjs-graph: nodes that become the "
                   "inputs, cutting the graph above them (default: the "
                   "Placeholders)"));
llvm::cl::opt<std::string> inputShapes(
    "input-shapes", llvm::cl::cat(category),
    llvm::cl::value_desc("?,224,224,3[:...]"),
    llvm::cl::desc("import-graphdef/-tfjs-graph: the shape of each input, "
                   "':'-separated, '?' for an unknown dim (as "
                   "vai_q_tensorflow's --input_shapes)"));
llvm::cl::opt<bool> graphdefText(
    "graphdef-text", llvm::cl::cat(category),
    llvm::cl::desc("import-graphdef: read text format even without a .pbtxt "
                   "extension; export-graphdef: write text format"));
llvm::cl::opt<bool> graphdefRoundTrip(
    "graphdef-round-trip", llvm::cl::cat(category),
    llvm::cl::desc("import-graphdef: record on each op what tfg does not "
                   "model of its node (tfg.tf_op, tfg.tf_attrs, "
                   "tfg.tf_inputs) so that --export-graphdef writes the "
                   "file back node for node"));
llvm::cl::opt<bool> onnxKeepUnsupported(
    "onnx-keep-unsupported", llvm::cl::cat(category),
    llvm::cl::desc("import-onnx: keep ops the importer does not know as "
                   "tfg.node \"onnx\" \"<OpType>\" instead of failing"));
llvm::cl::opt<std::string> caffeWeights(
    "caffe-weights", llvm::cl::cat(category),
    llvm::cl::value_desc("model.caffemodel"),
    llvm::cl::desc("import-caffe: the trained weights of the prototxt input "
                   "(required)"));
llvm::cl::opt<std::string> kerasWeights(
    "keras-weights", llvm::cl::cat(category), llvm::cl::value_desc("w.h5"),
    llvm::cl::desc("import-keras: the weights .h5 (save_weights) for an "
                   "architecture .json input"));
llvm::cl::list<std::string> inputNpy(
    "input", llvm::cl::cat(category), llvm::cl::CommaSeparated,
    llvm::cl::value_desc("a.npy,b.npy"),
    llvm::cl::desc("interpret-*: the input tensors (.npy, float), one per "
                   "function argument"));
llvm::cl::opt<unsigned> outputIndex(
    "output-index", llvm::cl::cat(category), llvm::cl::init(0),
    llvm::cl::desc("interpret-*: which result to write (default: the first)"));
llvm::cl::opt<std::string> subgraphName(
    "subgraph", llvm::cl::cat(category), llvm::cl::value_desc("name"),
    llvm::cl::desc("interpret-fixed: run only this dpu.subgraph of @main; "
                   "its fixed-point inputs are int8 .npy codes, its "
                   "fixed-point outputs are written as int8 codes"));
llvm::cl::opt<std::string> outputDir(
    "output-dir", llvm::cl::cat(category), llvm::cl::value_desc("dir"),
    llvm::cl::desc("interpret-fixed --subgraph: write every output to "
                   "<dir>/output_<i>.npy and list them on the output"));
llvm::cl::opt<bool> xmodelFixForm(
    "xmodel-fix-form", llvm::cl::cat(category),
    llvm::cl::desc("export-xmodel: write XIR's quantized form (float ops "
                   "and fix ops, as --import-xmodel reads) instead of a "
                   "compiled graph; implied for modules --import-xmodel "
                   "made"));

llvm::cl::opt<std::string> dumpDir(
    "dump-dir", llvm::cl::cat(category), llvm::cl::value_desc("dir"),
    llvm::cl::desc("quant-dump: the directory to write into (required)"));
llvm::cl::opt<std::string> floatModule(
    "float-module", llvm::cl::cat(category), llvm::cl::value_desc("f.mlir"),
    llvm::cl::desc("quant-report: the float (tfg) module the quantized one "
                   "came from, printed with --mlir-print-debuginfo"));
llvm::cl::opt<std::string> runDpu(
    "dpu", llvm::cl::cat(category), llvm::cl::init("sim"),
    llvm::cl::value_desc("sim|interp"),
    llvm::cl::desc("run-xmodel: run DPU subgraphs in the instruction-level "
                   "simulator (sim, default) or the fixed-point interpreter "
                   "(interp)"));

/// @main of `op` and its --input tensors, for quant-dump/-report.
func::FuncOp mainAndInputs(Operation *op, std::vector<FloatArray> &inputs) {
  auto module = dyn_cast<ModuleOp>(op);
  auto func = module ? module.lookupSymbol<func::FuncOp>("main") : nullptr;
  if (!func) {
    op->emitError() << "no function @main to run";
    return nullptr;
  }
  if (inputNpy.size() != func.getNumArguments()) {
    func.emitError() << "the function takes " << func.getNumArguments()
                     << " inputs but --input names " << inputNpy.size();
    return nullptr;
  }
  inputs.resize(inputNpy.size());
  std::string error;
  for (auto [path, input] : llvm::zip(inputNpy, inputs))
    if (!readNpyFloat(path, input, error)) {
      func.emitError() << error;
      return nullptr;
    }
  return func;
}

LogicalResult quantDump(Operation *op, llvm::raw_ostream &os) {
  if (dumpDir.empty())
    return op->emitError() << "quant-dump needs --dump-dir";
  std::vector<FloatArray> inputs;
  func::FuncOp func = mainAndInputs(op, inputs);
  if (!func)
    return failure();
  return dumpQuantized(func, inputs, dumpDir, os);
}

LogicalResult quantReport(Operation *op, llvm::raw_ostream &os) {
  if (floatModule.empty())
    return op->emitError() << "quant-report needs --float-module";
  std::vector<FloatArray> inputs;
  func::FuncOp func = mainAndInputs(op, inputs);
  if (!func)
    return failure();
  OwningOpRef<ModuleOp> floatOp =
      parseSourceFile<ModuleOp>(floatModule, op->getContext());
  if (!floatOp)
    return op->emitError() << "quant-report: cannot read the float module '"
                           << floatModule << "'";
  auto floatFunc = floatOp->lookupSymbol<func::FuncOp>("main");
  if (!floatFunc)
    return op->emitError() << "quant-report: '" << floatModule
                           << "' has no function @main";
  return reportQuantization(floatFunc, func, inputs, os);
}

/// Runs @main of `op` on the --input tensors and writes one result.
LogicalResult interpret(Operation *op, llvm::raw_ostream &os, bool fixed) {
  auto module = dyn_cast<ModuleOp>(op);
  if (!subgraphName.empty()) {
    if (!fixed || !module)
      return op->emitError() << "--subgraph needs --interpret-fixed and a "
                                "module";
    SubgraphRunOptions options;
    options.name = subgraphName;
    options.inputs.assign(inputNpy.begin(), inputNpy.end());
    options.outputDir = outputDir;
    options.outputIndex = outputIndex;
    return runSubgraph(module, options, os);
  }
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

/// The GraphDef importers' options from the command line; false with an
/// error emitted at the file when --input-shapes does not parse.
bool graphDefOptions(MLIRContext *context, StringRef fileName,
                     GraphDefImportOptions &options) {
  options.outputNodes.assign(outputNodes.begin(), outputNodes.end());
  options.inputNodes.assign(inputNodes.begin(), inputNodes.end());
  if (inputShapes.empty())
    return true;
  SmallVector<StringRef> shapes;
  StringRef(inputShapes).split(shapes, ':');
  for (StringRef shape : shapes) {
    std::vector<int64_t> dims;
    SmallVector<StringRef> parts;
    shape.split(parts, ',');
    for (StringRef part : parts) {
      part = part.trim();
      int64_t dim = 0;
      if (part == "?" || part == "-1" || part == "None")
        dim = -1;
      else if (part.getAsInteger(10, dim) || dim <= 0) {
        emitError(FileLineColLoc::get(context, fileName, 0, 0))
            << "--input-shapes: '" << part << "' in '" << shape
            << "' is not a dimension (a positive number or '?')";
        return false;
      }
      dims.push_back(dim);
    }
    options.inputShapes.push_back(std::move(dims));
  }
  return true;
}

} // namespace

void registerAllTranslations() {
  registerXModelViewTranslations();
  registerIsaTranslations();
  registerSimulatorTranslations();
  TranslateToMLIRRegistration importGraphDefTranslation(
      "import-graphdef", "TF1 frozen GraphDef (.pb binary, .pbtxt text) to tfg",
      [](llvm::SourceMgr &sourceMgr,
         MLIRContext *context) -> OwningOpRef<Operation *> {
        const llvm::MemoryBuffer *buffer =
            sourceMgr.getMemoryBuffer(sourceMgr.getMainFileID());
        StringRef name = buffer->getBufferIdentifier();
        GraphDefImportOptions options;
        if (!graphDefOptions(context, name, options))
          return nullptr;
        options.text = graphdefText || isTextGraphDefName(name);
        options.recordTfNodes = graphdefRoundTrip;
        OwningOpRef<ModuleOp> module =
            importGraphDef(buffer->getBuffer(), name, context, options);
        return OwningOpRef<Operation *>(module.release());
      },
      [](DialectRegistry &registry) { registerAllDialects(registry); });

  TranslateRegistration inspectTranslation(
      "inspect",
      "print a model's inputs, outputs, op histogram and unsupported nodes "
      "(GraphDef, TF.js, Keras, ONNX or Caffe; as vai_q_tensorflow inspect)",
      [](const std::shared_ptr<llvm::SourceMgr> &sourceMgr,
         llvm::raw_ostream &os, MLIRContext *context) -> LogicalResult {
        DialectRegistry registry;
        registerAllDialects(registry);
        context->appendDialectRegistry(registry);
        const llvm::MemoryBuffer *buffer =
            sourceMgr->getMemoryBuffer(sourceMgr->getMainFileID());
        InspectOptions options;
        if (!graphDefOptions(context, buffer->getBufferIdentifier(),
                             options.graphDef))
          return failure();
        options.graphDef.text = graphdefText;
        options.kerasWeights = kerasWeights;
        options.caffeWeights = caffeWeights;
        return inspectModel(*buffer, os, context, options);
      });

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

  TranslateToMLIRRegistration importCaffeTranslation(
      "import-caffe",
      "Caffe deploy prototxt (+ --caffe-weights=model.caffemodel) to tfg",
      [](llvm::SourceMgr &sourceMgr,
         MLIRContext *context) -> OwningOpRef<Operation *> {
        const llvm::MemoryBuffer *buffer =
            sourceMgr.getMemoryBuffer(sourceMgr.getMainFileID());
        CaffeImportOptions options;
        options.weightsPath = caffeWeights;
        OwningOpRef<ModuleOp> module =
            importCaffe(buffer->getBuffer(), buffer->getBufferIdentifier(),
                        context, options);
        return OwningOpRef<Operation *>(module.release());
      },
      [](DialectRegistry &registry) { registerAllDialects(registry); });

  TranslateToMLIRRegistration importTfjsGraphTranslation(
      "import-tfjs-graph",
      "TF.js graph model (model.json + weight shards beside it) to tfg",
      [](llvm::SourceMgr &sourceMgr,
         MLIRContext *context) -> OwningOpRef<Operation *> {
        const llvm::MemoryBuffer *buffer =
            sourceMgr.getMemoryBuffer(sourceMgr.getMainFileID());
        GraphDefImportOptions options;
        if (!graphDefOptions(context, buffer->getBufferIdentifier(), options))
          return nullptr;
        OwningOpRef<ModuleOp> module = importTfjsGraphModel(
            buffer->getBuffer(), buffer->getBufferIdentifier(), context,
            options);
        return OwningOpRef<Operation *>(module.release());
      },
      [](DialectRegistry &registry) { registerAllDialects(registry); });

  TranslateToMLIRRegistration importKerasTranslation(
      "import-keras",
      "Keras model (.h5 full model or checkpoint, or .json architecture "
      "with --keras-weights) to tfg",
      [](llvm::SourceMgr &sourceMgr,
         MLIRContext *context) -> OwningOpRef<Operation *> {
        const llvm::MemoryBuffer *buffer =
            sourceMgr.getMemoryBuffer(sourceMgr.getMainFileID());
        KerasImportOptions options;
        options.weightsFile = kerasWeights;
        OwningOpRef<ModuleOp> module =
            importKeras(buffer->getBuffer(), buffer->getBufferIdentifier(),
                        context, options);
        return OwningOpRef<Operation *>(module.release());
      },
      [](DialectRegistry &registry) { registerAllDialects(registry); });

  TranslateToMLIRRegistration importXModelTranslation(
      "import-xmodel",
      "quantized XIR graph (.xmodel with fix ops) to quant and "
      "tfg.node \"xir\" ops",
      [](llvm::SourceMgr &sourceMgr,
         MLIRContext *context) -> OwningOpRef<Operation *> {
        const llvm::MemoryBuffer *buffer =
            sourceMgr.getMemoryBuffer(sourceMgr.getMainFileID());
        OwningOpRef<ModuleOp> module = importXModel(
            buffer->getBuffer(), buffer->getBufferIdentifier(), context);
        return OwningOpRef<Operation *>(module.release());
      },
      [](DialectRegistry &registry) { registerAllDialects(registry); });

  TranslateToMLIRRegistration importXModelDpuTranslation(
      "import-xmodel-dpu",
      "compiled XIR graph (.xmodel from vai_c_xir) to its dpu-level view: "
      "one dpu.subgraph per root child, DPU subgraphs as engine ops",
      [](llvm::SourceMgr &sourceMgr,
         MLIRContext *context) -> OwningOpRef<Operation *> {
        const llvm::MemoryBuffer *buffer =
            sourceMgr.getMemoryBuffer(sourceMgr.getMainFileID());
        OwningOpRef<ModuleOp> module = importXModelDpuView(
            buffer->getBuffer(), buffer->getBufferIdentifier(), context);
        return OwningOpRef<Operation *>(module.release());
      },
      [](DialectRegistry &registry) { registerAllDialects(registry); });

  TranslateToMLIRRegistration importTfjsLayersTranslation(
      "import-tfjs-layers",
      "TF.js layers model (model.json + weight shards beside it) to tfg",
      [](llvm::SourceMgr &sourceMgr,
         MLIRContext *context) -> OwningOpRef<Operation *> {
        const llvm::MemoryBuffer *buffer =
            sourceMgr.getMemoryBuffer(sourceMgr.getMainFileID());
        OwningOpRef<ModuleOp> module = importTfjsLayers(
            buffer->getBuffer(), buffer->getBufferIdentifier(), context);
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
        if (xmodelFixForm)
          return vai::exportFixFormXModel(module, os);
        return vai::exportXModel(module, os);
      },
      dialects);
  TranslateFromMLIRRegistration exportGraphDefTranslation(
      "export-graphdef",
      "tfg module to a TF1 frozen GraphDef (binary; --graphdef-text for text)",
      [](Operation *op, llvm::raw_ostream &os) -> LogicalResult {
        auto module = dyn_cast<ModuleOp>(op);
        if (!module)
          return op->emitError() << "expects a module";
        GraphDefExportOptions options;
        options.text = graphdefText;
        return vai::exportGraphDef(module, os, options);
      },
      dialects);
  TranslateFromMLIRRegistration exportOnnxTranslation(
      "export-onnx", "tfg module to an ONNX model (opset 13)",
      [](Operation *op, llvm::raw_ostream &os) -> LogicalResult {
        auto module = dyn_cast<ModuleOp>(op);
        if (!module)
          return op->emitError() << "expects a module";
        return vai::exportOnnx(module, os);
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
  TranslateFromMLIRRegistration quantDumpTranslation(
      "quant-dump",
      "run the fixed-point interpreter on --input and write every node's "
      "int8 and float result into --dump-dir (vai_q_tensorflow dump names)",
      [](Operation *op, llvm::raw_ostream &os) { return quantDump(op, os); },
      dialects);
  TranslateFromMLIRRegistration quantReportTranslation(
      "quant-report",
      "per-layer SQNR (dB) of a quantized module against --float-module "
      "on --input, nodes matched by name",
      [](Operation *op, llvm::raw_ostream &os) { return quantReport(op, os); },
      dialects);
  TranslateRegistration runXModelTranslation(
      "run-xmodel",
      "run a compiled .xmodel end to end on --input (USER data ops in file "
      "order), writing every final output into --output-dir "
      "(docs/run-xmodel.md)",
      [](const std::shared_ptr<llvm::SourceMgr> &sourceMgr,
         llvm::raw_ostream &os, MLIRContext *context) -> LogicalResult {
        const llvm::MemoryBuffer *buffer =
            sourceMgr->getMemoryBuffer(sourceMgr->getMainFileID());
        Location loc =
            FileLineColLoc::get(context, buffer->getBufferIdentifier(), 0, 0);
        if (runDpu != "sim" && runDpu != "interp")
          return emitError(loc)
                 << "--dpu must be sim or interp, not '" << runDpu << "'";
        XModelRunOptions options;
        options.inputs.assign(inputNpy.begin(), inputNpy.end());
        options.outputDir = outputDir;
        options.simulateDpu = runDpu == "sim";
        return runXModel(buffer->getBuffer(), buffer->getBufferIdentifier(),
                         options, os, context);
      });
  TranslateRegistration describeArchTranslation(
      "describe-arch",
      "validate an arch.json (docs/arch-json.md) and print the target it "
      "selects, with its fingerprint decoded field by field",
      [](const std::shared_ptr<llvm::SourceMgr> &sourceMgr,
         llvm::raw_ostream &os, MLIRContext *) -> LogicalResult {
        const llvm::MemoryBuffer *buffer =
            sourceMgr->getMemoryBuffer(sourceMgr->getMainFileID());
        std::string error;
        std::optional<Target> target =
            parseArchJson(buffer->getBuffer().str(),
                          buffer->getBufferIdentifier().str(), error);
        if (!target) {
          llvm::errs() << "error: " << error << "\n";
          return failure();
        }
        os << target->summary();
        if (target->fingerprint)
          os << describeFingerprint(target->fingerprint);
        return success();
      });
}

} // namespace vai

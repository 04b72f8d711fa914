//===- vai-compile.cpp - Model to .xmodel in one command ------------------===//
//
// The job of vai_q + vai_c: import a frozen GraphDef, prepare the float
// graph, calibrate and quantize, partition for the target and write the
// .xmodel, printing a compile summary.
//
//===----------------------------------------------------------------------===//

#include "mlir/IR/AsmState.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "vai/Driver/Pipelines.h"
#include "vai/Driver/Registration.h"
#include "vai/Export/XModelExporter.h"
#include "vai/Import/GraphDefImporter.h"
#include "vai/Support/FileIO.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;

static llvm::cl::OptionCategory compileCategory("vai-compile options");

static llvm::cl::opt<std::string> modelPath(llvm::cl::Positional,
                                            llvm::cl::cat(compileCategory),
                                            llvm::cl::desc("<model.pb|.pbtxt>"),
                                            llvm::cl::Required);
static llvm::cl::opt<std::string>
    archPath("arch", llvm::cl::Required, llvm::cl::cat(compileCategory),
             llvm::cl::desc("arch.json of the target DPU"));
static llvm::cl::opt<std::string>
    calibPath("calib", llvm::cl::Required, llvm::cl::cat(compileCategory),
              llvm::cl::desc("calibration inputs: .npy (one image per row), "
                             ".npz (one array per input) or image folder"));
static llvm::cl::opt<std::string> preprocessPath(
    "preprocess", llvm::cl::cat(compileCategory),
    llvm::cl::desc("JSON preprocessing spec for an image folder (resize, "
                   "crop, mean, scale/std, channel_order)"));
static llvm::cl::opt<std::string> outputPath("o", llvm::cl::Required,
                                             llvm::cl::cat(compileCategory),
                                             llvm::cl::desc("output .xmodel"));
static llvm::cl::opt<std::string>
    mlirOutput("emit-mlir", llvm::cl::cat(compileCategory),
               llvm::cl::desc("also write the partitioned module as MLIR"));
static llvm::cl::list<std::string>
    outputNodes("output-nodes", llvm::cl::CommaSeparated,
                llvm::cl::cat(compileCategory),
                llvm::cl::desc("nodes whose outputs are the model outputs"));
static llvm::cl::opt<unsigned>
    method("method", llvm::cl::init(1), llvm::cl::cat(compileCategory),
           llvm::cl::desc("position selection: 0 non-overflow, 1 min-diffs, "
                          "2 min-diffs with the depthwise strategy"));
static llvm::cl::opt<unsigned>
    batchSize("batch-size", llvm::cl::init(32), llvm::cl::cat(compileCategory),
              llvm::cl::desc("calibration batch size"));
static llvm::cl::opt<unsigned>
    calibIter("calib-iter", llvm::cl::init(0), llvm::cl::cat(compileCategory),
              llvm::cl::desc("calibration batches (0 = all)"));

static llvm::cl::opt<unsigned>
    weightBit("weight-bit", llvm::cl::init(8), llvm::cl::cat(compileCategory),
              llvm::cl::desc("bit width of weights and biases (2..8)"));
static llvm::cl::opt<unsigned>
    activationBit("activation-bit", llvm::cl::init(8),
                  llvm::cl::cat(compileCategory),
                  llvm::cl::desc("bit width of activations (2..8)"));
static llvm::cl::list<std::string>
    nodesBit("nodes-bit", llvm::cl::CommaSeparated,
             llvm::cl::cat(compileCategory),
             llvm::cl::desc("per-node bit widths, name:bits,..."));
static llvm::cl::list<std::string>
    nodesMethod("nodes-method", llvm::cl::CommaSeparated,
                llvm::cl::cat(compileCategory),
                llvm::cl::desc("per-node methods, name:method,..."));
static llvm::cl::list<std::string>
    ignoreNodes("ignore-nodes", llvm::cl::CommaSeparated,
                llvm::cl::cat(compileCategory),
                llvm::cl::desc("nodes left float, run on the CPU"));
static llvm::cl::opt<bool> simulateDpu(
    "simulate-dpu", llvm::cl::init(true), llvm::cl::cat(compileCategory),
    llvm::cl::desc("calibrate with the DPU's leaky-relu, avgpool and "
                   "hard-sigmoid approximations"));
static llvm::cl::opt<bool>
    cle("cle", llvm::cl::cat(compileCategory),
        llvm::cl::desc("cross-layer equalization before calibration"));
static llvm::cl::opt<bool>
    biasCorrection("bias-correction", llvm::cl::cat(compileCategory),
                   llvm::cl::desc("correct biases for the quantization's mean "
                                  "error on the calibration data"));
static llvm::cl::opt<bool> fastFinetune(
    "fast-finetune", llvm::cl::cat(compileCategory),
    llvm::cl::desc("AdaQuant: optimise each layer's weights and bias "
                   "against the float outputs on the calibration data"));

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  registerMLIRContextCLOptions();
  registerPassManagerCLOptions();
  // LLVM's codegen options mean nothing here; MLIR's (--mlir-timing, ...)
  // still work, listed by --help-hidden.
  llvm::cl::HideUnrelatedOptions(compileCategory);
  llvm::cl::ParseCommandLineOptions(
      argc, argv, "vai-compile: frozen GraphDef to DPU .xmodel\n");

  DialectRegistry registry;
  vai::registerAllDialects(registry);
  MLIRContext context(registry);
  context.loadAllAvailableDialects();
  llvm::SourceMgr sourceMgr;
  SourceMgrDiagnosticHandler diagnostics(sourceMgr, &context);

  std::string error;
  auto buffer = openInputFile(modelPath, &error);
  if (!buffer) {
    llvm::errs() << "vai-compile: " << error << "\n";
    return 1;
  }
  vai::GraphDefImportOptions importOptions;
  importOptions.outputNodes.assign(outputNodes.begin(), outputNodes.end());
  importOptions.text = vai::isTextGraphDefName(modelPath);
  OwningOpRef<ModuleOp> module = vai::importGraphDef(
      buffer->getBuffer(), modelPath, &context, importOptions);
  if (!module)
    return 1;

  PassManager pm(&context);
  if (failed(applyPassManagerCLOptions(pm)))
    return 1;
  vai::CompileOptions options;
  options.archPath = archPath;
  options.calibrationData = calibPath;
  options.preprocessPath = preprocessPath;
  options.method = method;
  options.batchSize = batchSize;
  options.calibIter = calibIter;
  options.weightBit = weightBit;
  options.activationBit = activationBit;
  options.nodesBit.assign(nodesBit.begin(), nodesBit.end());
  options.nodesMethod.assign(nodesMethod.begin(), nodesMethod.end());
  options.ignoreNodes.assign(ignoreNodes.begin(), ignoreNodes.end());
  options.simulateDpu = simulateDpu;
  options.cle = cle;
  options.biasCorrection = biasCorrection;
  options.fastFinetune = fastFinetune;
  vai::buildCompilePipeline(pm, options);
  if (failed(pm.run(*module)))
    return 1;

  vai::proto::XGraph graph;
  vai::CompileSummary summary;
  if (failed(vai::buildXModel(*module, graph, &summary)))
    return 1;
  std::string bytes;
  if (!vai::proto::writeXModel(graph, bytes, error) ||
      !vai::writeFileAtomically(outputPath, bytes, error)) {
    llvm::errs() << "vai-compile: " << error << "\n";
    return 1;
  }
  if (!mlirOutput.empty()) {
    std::string text;
    llvm::raw_string_ostream os(text);
    module->print(os);
    if (!vai::writeFileAtomically(mlirOutput, text, error)) {
      llvm::errs() << "vai-compile: " << error << "\n";
      return 1;
    }
  }
  llvm::outs() << "vai-compile: " << modelPath << " -> " << outputPath << " ("
               << bytes.size() << " bytes)\n";
  summary.print(llvm::outs());
  return 0;
}

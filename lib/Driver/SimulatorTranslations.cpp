//===- SimulatorTranslations.cpp - vai-translate --simulate-xmodel --------===//
//
// Runs one DPU subgraph of a compiled xmodel in the instruction-level
// simulator. The report (instructions executed, unverified ones, output
// bytes) goes to -o and names the boundary tensors; their int8 codes are
// written into --sim-output-dir as input_<i>.npy (random inputs only) and
// output_<i>.npy, in the order of the subgraph's upload and download ops.
//
//===----------------------------------------------------------------------===//

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Location.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "vai/Driver/Translations.h"
#include "vai/Proto/XModel.h"
#include "vai/Simulator/DpuSimulator.h"
#include "vai/Simulator/Npy.h"
#include "vai/Support/FileIO.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"

using namespace mlir;

namespace {

llvm::cl::opt<std::string>
    simSubgraph("sim-subgraph",
                llvm::cl::desc("--simulate-xmodel: the DPU subgraph to run"),
                llvm::cl::init(""));
llvm::cl::opt<uint64_t>
    simSeed("sim-seed",
            llvm::cl::desc("--simulate-xmodel: seed of the random int8 inputs"),
            llvm::cl::init(0));
llvm::cl::list<std::string> simInputs(
    "sim-input",
    llvm::cl::desc("--simulate-xmodel: int8 .npy input codes, one per upload "
                   "op in file order (default: random from --sim-seed)"));
llvm::cl::opt<std::string> simOutputDir(
    "sim-output-dir",
    llvm::cl::desc("--simulate-xmodel: directory for the input and output "
                   "tensors as int8 .npy"),
    llvm::cl::init(""));
llvm::cl::opt<bool> simCheckDeps(
    "sim-check-deps",
    llvm::cl::desc("--simulate-xmodel: check that the dependency flags order "
                   "every conflicting access between engines; hazards and "
                   "semaphore underflows make the run fail"),
    llvm::cl::init(false));
llvm::cl::opt<std::string> simCode(
    "sim-mc",
    llvm::cl::desc("--simulate-xmodel: run this machine-code file instead of "
                   "the subgraph's mc_code (e.g. from --assemble-mc)"),
    llvm::cl::init(""));
llvm::cl::opt<bool> simDumpDdr(
    "sim-dump-ddr",
    llvm::cl::desc("--simulate-xmodel: also write each DDR register as the "
                   "program left it to --sim-output-dir/REG_<n>.bin"),
    llvm::cl::init(false));

LogicalResult simulate(const std::shared_ptr<llvm::SourceMgr> &sourceMgr,
                       llvm::raw_ostream &os, MLIRContext *context) {
  const llvm::MemoryBuffer *buffer =
      sourceMgr->getMemoryBuffer(sourceMgr->getMainFileID());
  std::string file = buffer->getBufferIdentifier().str();
  Location loc = FileLineColLoc::get(context, file, 0, 0);
  if (simSubgraph.empty())
    return emitError(loc) << "--simulate-xmodel needs --sim-subgraph=NAME";
  vai::proto::XGraph graph;
  std::string error;
  if (!vai::proto::readXModel(buffer->getBuffer().str(), graph, error))
    return emitError(loc) << error;
  std::vector<vai::dpusim::BoundaryTensor> inputs, outputs;
  for (const std::string &path : simInputs) {
    vai::dpusim::BoundaryTensor in;
    in.name = path;
    if (!vai::readNpyInt8(path, in.value, error))
      return emitError(loc) << error;
    inputs.push_back(std::move(in));
  }
  vai::dpusim::RunStats stats;
  vai::dpusim::Ddr ddr;
  vai::dpusim::HazardReport hazards;
  vai::dpusim::SubgraphRunOptions options;
  options.seed = simSeed;
  options.finalDdr = &ddr;
  if (simCheckDeps)
    options.hazards = &hazards;
  std::string code;
  if (!simCode.empty()) {
    if (!vai::readWholeFile(simCode, code, error))
      return emitError(loc) << error;
    options.code = &code;
  }
  if (!vai::dpusim::runXModelSubgraph(graph, simSubgraph, inputs, outputs,
                                      stats, error, options))
    return emitError(loc) << error;
  if (!simOutputDir.empty()) {
    if (std::error_code ec = llvm::sys::fs::create_directories(simOutputDir))
      return emitError(loc)
             << "cannot create '" << simOutputDir << "': " << ec.message();
    auto write = [&](const char *kind,
                     const std::vector<vai::dpusim::BoundaryTensor> &tensors)
        -> LogicalResult {
      for (auto [i, t] : llvm::enumerate(tensors)) {
        llvm::SmallString<256> path(simOutputDir);
        llvm::sys::path::append(path, kind + llvm::Twine(i) + ".npy");
        if (!vai::writeNpy(path.str().str(), t.value, error))
          return emitError(loc) << error;
      }
      return success();
    };
    if (!simInputs.empty() || succeeded(write("input_", inputs)))
      if (failed(write("output_", outputs)))
        return failure();
    for (const auto &[reg, bytes] : ddr) {
      if (!simDumpDdr)
        break;
      llvm::SmallString<256> path(simOutputDir);
      llvm::sys::path::append(path, "REG_" + llvm::Twine(reg) + ".bin");
      if (!vai::writeFileAtomically(
              path.str().str(), std::string(bytes.begin(), bytes.end()), error))
        return emitError(loc) << error;
    }
  }
  os << "subgraph " << simSubgraph << "\n";
  for (auto [i, t] : llvm::enumerate(inputs))
    os << "input " << i << " " << t.name << " " << t.value.data.size()
       << " bytes\n";
  for (auto [i, t] : llvm::enumerate(outputs))
    os << "output " << i << " " << t.name << " " << t.value.data.size()
       << " bytes\n";
  for (const auto &[mnemonic, count] : stats.executed)
    os << "executed " << mnemonic << " " << count << "\n";
  for (const auto &[what, count] : stats.unverified)
    os << "unverified " << what << " " << count << "\n";
  os << "saved " << stats.outputBytes << " bytes\n";
  os << llvm::format("simulated in %.3f s\n", stats.seconds);
  if (!simCheckDeps)
    return success();
  os << "dependency check: " << hazards.instructions << " instructions, "
     << hazards.hazards << " hazards, " << hazards.underflows
     << " semaphore underflows\n";
  for (const std::string &example : hazards.examples)
    os << "  " << example << "\n";
  if (hazards.hazards || hazards.underflows) {
    InFlightDiagnostic diag = emitError(loc)
                              << "subgraph " << simSubgraph << ": "
                              << hazards.hazards << " hazards and "
                              << hazards.underflows << " semaphore underflows";
    for (const std::string &example : hazards.examples)
      diag.attachNote() << example;
    return diag;
  }
  return success();
}

} // namespace

void vai::registerSimulatorTranslations() {
  static TranslateRegistration simulateXModel(
      "simulate-xmodel",
      "run one DPU subgraph of a compiled .xmodel (--sim-subgraph) in the "
      "instruction-level simulator",
      simulate);
}

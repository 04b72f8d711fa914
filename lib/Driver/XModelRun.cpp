//===- XModelRun.cpp - Run a compiled xmodel end to end -------------------===//
//
// The order, the subgraphs' bodies and their boundary names come from the
// --import-xmodel-dpu view; a DPU subgraph run in the simulator also needs
// the decoded file itself (its mc_code, registers and upload/download ops).
//
//===----------------------------------------------------------------------===//

#include "vai/Driver/XModelRun.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/IRMapping.h"
#include "vai/Dialect/Dpu/DpuOps.h"
#include "vai/Dialect/Quant/QuantOps.h"
#include "vai/Driver/SubgraphRun.h"
#include "vai/Import/XModelDpuView.h"
#include "vai/Proto/XModel.h"
#include "vai/Simulator/DpuSimulator.h"
#include "vai/Simulator/Interpreter.h"
#include "vai/Simulator/Npy.h"
#include "vai/Simulator/XirNodeKernels.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include <cmath>
#include <set>

using namespace mlir;

namespace vai {
namespace {

/// A value leaving a subgraph that nobody reads, or a return op.
struct FinalOutput {
  std::string name;
  RuntimeValue value;
};

std::string nameOf(Location loc) {
  if (auto name = dyn_cast<NameLoc>(loc))
    return name.getName().str();
  return "-";
}

std::string stringAt(ArrayAttr array, size_t i) {
  if (array && i < array.size())
    if (auto s = dyn_cast<StringAttr>(array[i]))
      return s.str();
  return "";
}

/// The dtype of a .npy file (its header's 'descr'), "" if unreadable: an
/// int8 file holds codes, anything else values.
std::string npyDescr(const std::string &path) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!buffer)
    return "";
  StringRef head = (*buffer)->getBuffer().take_front(512);
  size_t key = head.find("'descr'");
  if (key == StringRef::npos)
    return "";
  size_t open = head.find('\'', head.find(':', key));
  size_t close = head.find('\'', open + 1);
  if (open == StringRef::npos || close == StringRef::npos)
    return "";
  return head.slice(open + 1, close).str();
}

void collectOpNames(const proto::XSubgraph &sg, std::set<std::string> &ops) {
  ops.insert(sg.opNames.begin(), sg.opNames.end());
  for (const proto::XSubgraph &child : sg.children)
    collectOpNames(child, ops);
}

class XModelRunner {
public:
  XModelRunner(StringRef fileName, const XModelRunOptions &options,
               MLIRContext *context)
      : fileName(fileName.str()), options(options), context(context),
        fileLoc(FileLineColLoc::get(context, fileName, 0, 0)) {}

  LogicalResult run(StringRef bytes, llvm::raw_ostream &os);

private:
  LogicalResult readInputs(func::FuncOp main);
  LogicalResult runInterpreted(dpu::SubgraphOp subgraph,
                               std::vector<RuntimeValue> &inputs,
                               std::vector<RuntimeValue> &results);
  LogicalResult runSimulated(dpu::SubgraphOp subgraph,
                             std::vector<RuntimeValue> &inputs,
                             std::vector<RuntimeValue> &results,
                             llvm::raw_ostream &os);
  LogicalResult writeOutputs(llvm::raw_ostream &os);

  std::string fileName;
  const XModelRunOptions &options;
  MLIRContext *context;
  Location fileLoc;
  proto::XGraph graph;
  /// Tensors by the XIR name of the op producing them.
  llvm::StringMap<RuntimeValue> env;
  std::vector<FinalOutput> returns, leaves;
};

LogicalResult XModelRunner::readInputs(func::FuncOp main) {
  size_t count = main.getNumArguments();
  auto argName = [&](unsigned i) {
    auto name = main.getArgAttrOfType<StringAttr>(i, "tfg.name");
    return name ? name.str() : "arg" + std::to_string(i);
  };
  auto argShape = [&](unsigned i) {
    auto type = cast<RankedTensorType>(main.getArgumentTypes()[i]);
    return std::vector<int64_t>(type.getShape().begin(), type.getShape().end());
  };
  // A data-fix input: its USER subgraph quantizes the argument.
  auto dataFix = [&](unsigned i) {
    for (Operation *user : main.getArgument(i).getUsers())
      if (auto sg = dyn_cast<dpu::SubgraphOp>(user))
        if (sg.getDevice() == dpu::Device::USER && sg.getNumResults() == 1)
          if (quant::FixType fix = quant::getFixType(sg.getResult(0)))
            return fix;
    return quant::FixType();
  };
  if (options.inputs.size() != count) {
    auto diag = emitError(fileLoc)
                << "the model takes " << count << " inputs but --input names "
                << options.inputs.size() << "; its inputs, in order:";
    for (unsigned i = 0; i < count; ++i)
      diag << (i ? ", " : " ") << argName(i) << " " << shapeString(argShape(i))
           << (dataFix(i) ? " (data-fix: int8 codes or float)"
                          : " (data: float)");
    return diag;
  }
  std::string error;
  for (unsigned i = 0; i < count; ++i) {
    const std::string &path = options.inputs[i];
    std::string name = argName(i);
    quant::FixType fix = dataFix(i);
    RuntimeValue value;
    std::string descr = npyDescr(path);
    if (descr == "|i1" || descr == "<i1" || descr == "i1") {
      if (!fix)
        return emitError(fileLoc)
               << "input '" << name << "' is a float `data` op: " << path
               << " must hold float values, not int8";
      Int8Array codes;
      if (!readNpyInt8(path, codes, error))
        return emitError(fileLoc) << "input '" << name << "': " << error;
      value = RuntimeValue::ofFixed(std::move(codes), fix.getFixPoint());
    } else {
      FloatArray floats;
      if (!readNpyFloat(path, floats, error))
        return emitError(fileLoc) << "input '" << name << "': " << error;
      // Quantizing NaN or infinity has no defined code.
      if (fix &&
          !llvm::all_of(floats.data, [](float x) { return std::isfinite(x); }))
        return emitError(fileLoc) << "input '" << name << "': " << path
                                  << " holds non-finite values";
      value = RuntimeValue::ofFloat(std::move(floats));
    }
    if (argShape(i) != value.shape())
      return emitError(fileLoc)
             << "input '" << name << "': " << path << " has shape "
             << shapeString(value.shape()) << ", the model expects "
             << shapeString(argShape(i));
    env[name] = std::move(value);
  }
  return success();
}

LogicalResult XModelRunner::runInterpreted(dpu::SubgraphOp subgraph,
                                           std::vector<RuntimeValue> &inputs,
                                           std::vector<RuntimeValue> &results) {
  // A data-fix given as codes: the USER subgraph's quantize is done.
  if (subgraph.getDevice() == dpu::Device::USER && inputs.size() == 1 &&
      inputs[0].isFixed && subgraph.getNumResults() == 1) {
    results = {inputs[0]};
    return success();
  }
  // A scratch function calling a copy of the subgraph, so the interpreter
  // runs its body; the observer keeps the values nobody reads.
  func::FuncOp func;
  Operation *copy;
  OwningOpRef<ModuleOp> scratch = wrapSubgraphInFunction(subgraph, func, copy);

  bool keepLeaves = subgraph.getDevice() != dpu::Device::DPU;
  auto observer = [&](Operation *op, ArrayRef<RuntimeValue> values) {
    if (!keepLeaves || op == copy)
      return;
    for (auto [result, value] : llvm::zip(op->getResults(), values))
      if (result.use_empty())
        leaves.push_back({nameOf(op->getLoc()), value});
  };
  Interpreter interpreter(func);
  auto outs = interpreter.run(inputs, observer);
  if (failed(outs))
    return failure();
  results = std::move(*outs);
  return success();
}

LogicalResult XModelRunner::runSimulated(dpu::SubgraphOp subgraph,
                                         std::vector<RuntimeValue> &inputs,
                                         std::vector<RuntimeValue> &results,
                                         llvm::raw_ostream &os) {
  std::string name = subgraph.getSymName().str();
  auto inNames = subgraph->getAttrOfType<ArrayAttr>("xir.inputs");
  auto outNames = subgraph->getAttrOfType<ArrayAttr>("xir.outputs");
  const proto::XSubgraph *child = nullptr;
  for (const proto::XSubgraph &c : graph.root.children)
    if (c.name == name)
      child = &c;
  if (!child)
    return emitError(subgraph.getLoc())
           << "DPU subgraph '" << name << "' is not a child of the root";
  std::set<std::string> members;
  collectOpNames(*child, members);
  // The simulator takes one tensor per upload and returns one per
  // download, both in file order; the view names them by the upload's
  // producer and by the download.
  std::vector<dpusim::BoundaryTensor> simInputs, simOutputs;
  std::vector<std::string> downloads;
  for (const proto::XOp &op : graph.ops) {
    if (!members.count(op.name))
      continue;
    if (op.type == "download") {
      downloads.push_back(op.name);
      continue;
    }
    if (op.type != "upload")
      continue;
    std::string producer = op.args.empty() || op.args[0].argOps.empty()
                               ? ""
                               : op.args[0].argOps[0];
    size_t index = 0;
    while (index < inputs.size() && stringAt(inNames, index) != producer)
      ++index;
    if (index == inputs.size())
      return emitError(subgraph.getLoc())
             << "upload '" << op.name << "' of DPU subgraph '" << name
             << "' reads '" << producer << "', which is not an input";
    const RuntimeValue &value = inputs[index];
    if (!value.isFixed)
      return emitError(subgraph.getLoc())
             << "upload '" << op.name << "' of DPU subgraph '" << name
             << "' gets a float tensor from '" << producer
             << "'; the DPU reads int8 codes";
    auto fp = op.outputTensor.attrs.find("fix_point");
    if (fp != op.outputTensor.attrs.end() &&
        (fp->second.kind == proto::XAttr::Int32 ||
         fp->second.kind == proto::XAttr::Int64) &&
        fp->second.i != value.fixPoint)
      return emitError(subgraph.getLoc())
             << "upload '" << op.name << "' has fix_point " << fp->second.i
             << " but '" << producer << "' has " << value.fixPoint;
    simInputs.push_back({producer, value.ints});
  }
  dpusim::RunStats stats;
  std::string error;
  if (!dpusim::runXModelSubgraph(graph, name, simInputs, simOutputs, stats,
                                 error))
    return emitError(subgraph.getLoc()) << error;
  results.assign(subgraph.getNumResults(), RuntimeValue());
  std::vector<bool> seen(results.size(), false);
  for (auto [download, tensor] : llvm::zip(downloads, simOutputs)) {
    for (size_t i = 0; i < results.size(); ++i) {
      if (stringAt(outNames, i) != download)
        continue;
      quant::FixType fix = quant::getFixType(subgraph.getResult(i));
      if (!fix)
        return emitError(subgraph.getLoc())
               << "output '" << download << "' is not fixed point";
      results[i] = RuntimeValue::ofFixed(tensor.value, fix.getFixPoint());
      seen[i] = true;
    }
  }
  for (size_t i = 0; i < results.size(); ++i)
    if (!seen[i])
      return emitError(subgraph.getLoc())
             << "DPU subgraph '" << name << "' has no download '"
             << stringAt(outNames, i) << "'";
  int64_t executed = 0;
  for (const auto &[mnemonic, n] : stats.executed)
    executed += n;
  os << "  simulated " << executed << " instructions, saved "
     << stats.outputBytes << " bytes\n";
  for (const auto &[what, n] : stats.unverified)
    os << "  unverified " << what << " " << n << "\n";
  return success();
}

LogicalResult XModelRunner::writeOutputs(llvm::raw_ostream &os) {
  if (std::error_code ec = llvm::sys::fs::create_directories(options.outputDir))
    return emitError(fileLoc) << "cannot create --output-dir '"
                              << options.outputDir << "': " << ec.message();
  std::string error;
  size_t index = 0;
  for (std::vector<FinalOutput> *list : {&returns, &leaves}) {
    for (const FinalOutput &out : *list) {
      llvm::SmallString<128> path(options.outputDir);
      llvm::sys::path::append(path, "output_" + std::to_string(index) + ".npy");
      const RuntimeValue &v = out.value;
      bool ok = v.isFixed ? writeNpy(path.str().str(), v.ints, error)
                          : writeNpy(path.str().str(), v.floats, error);
      if (!ok)
        return emitError(fileLoc) << error;
      os << "output " << index << " " << out.name << " "
         << shapeString(v.shape());
      if (v.isFixed)
        os << " fix_point=" << v.fixPoint;
      else
        os << " float32";
      os << " " << path << "\n";
      ++index;
    }
  }
  return success();
}

LogicalResult XModelRunner::run(StringRef bytes, llvm::raw_ostream &os) {
  if (options.outputDir.empty())
    return emitError(fileLoc) << "--run-xmodel needs --output-dir=DIR";
  OwningOpRef<ModuleOp> module = importXModelDpuView(bytes, fileName, context);
  if (!module)
    return failure();
  std::string error;
  if (options.simulateDpu && !proto::readXModel(bytes.str(), graph, error))
    return emitError(fileLoc) << error;
  auto main = module->lookupSymbol<func::FuncOp>("main");
  if (!main)
    return emitError(fileLoc) << "the dpu view has no @main";
  // An op the interpreter cannot run stops the run before anything runs.
  WalkResult unknown = main.walk([&](tfg::NodeOp node) {
    if (node.getFramework() == "xir" && hasXirNodeKernel(node.getOpType()))
      return WalkResult::advance();
    auto sg = node->getParentOfType<dpu::SubgraphOp>();
    emitError(node.getLoc())
        << "op '" << nameOf(node.getLoc()) << "' of type '" << node.getOpType()
        << "' in subgraph '" << (sg ? sg.getSymName() : StringRef("?"))
        << "' has no kernel (generic XIR ops that run: transpose, "
           "PPScatterV2)";
    return WalkResult::interrupt();
  });
  if (unknown.wasInterrupted())
    return failure();
  if (failed(readInputs(main)))
    return failure();
  // Function arguments stand for the data ops, under the same names.
  llvm::DenseMap<Value, std::string> argNames;
  for (BlockArgument arg : main.getArguments())
    if (auto name =
            main.getArgAttrOfType<StringAttr>(arg.getArgNumber(), "tfg.name"))
      argNames[arg] = name.str();

  for (Operation &op : main.getBody().front()) {
    if (auto ret = dyn_cast<func::ReturnOp>(op)) {
      auto names = main->getAttrOfType<ArrayAttr>("tfg.output_names");
      for (auto [i, v] : llvm::enumerate(ret.getOperands())) {
        std::string key;
        if (auto result = dyn_cast<OpResult>(v))
          key = stringAt(
              result.getOwner()->getAttrOfType<ArrayAttr>("xir.outputs"),
              result.getResultNumber());
        else
          key = argNames.lookup(v);
        auto it = env.find(key);
        if (it == env.end())
          return emitError(fileLoc) << "return value " << i << " ('" << key
                                    << "') was never computed";
        std::string name = stringAt(names, i);
        returns.push_back({name.empty() ? key : name, it->second});
      }
      break;
    }
    auto subgraph = dyn_cast<dpu::SubgraphOp>(op);
    if (!subgraph)
      return op.emitError() << "--run-xmodel expects only dpu.subgraph ops "
                               "in the view's @main";
    std::string name = subgraph.getSymName().str();
    auto inNames = subgraph->getAttrOfType<ArrayAttr>("xir.inputs");
    auto outNames = subgraph->getAttrOfType<ArrayAttr>("xir.outputs");
    std::vector<RuntimeValue> inputs;
    for (size_t i = 0; i < subgraph.getInputs().size(); ++i) {
      std::string in = stringAt(inNames, i);
      auto it = env.find(in);
      if (it == env.end())
        return emitError(subgraph.getLoc())
               << "subgraph '" << name << "' reads '" << in
               << "', which no earlier subgraph produced";
      inputs.push_back(it->second);
    }
    bool simulate =
        subgraph.getDevice() == dpu::Device::DPU && options.simulateDpu;
    os << "subgraph " << name << " "
       << dpu::stringifyDevice(subgraph.getDevice()) << " "
       << (subgraph.getDevice() == dpu::Device::USER ? "input"
           : simulate                                ? "simulator"
                                                     : "interpreter")
       << "\n";
    std::vector<RuntimeValue> results;
    if (failed(simulate ? runSimulated(subgraph, inputs, results, os)
                        : runInterpreted(subgraph, inputs, results)))
      return failure();
    for (auto [i, value] : llvm::enumerate(results)) {
      std::string out = stringAt(outNames, i);
      if (out.empty())
        return emitError(subgraph.getLoc())
               << "subgraph '" << name << "' has no XIR name for output " << i;
      // A result nobody reads and @main does not return: a final output.
      if (subgraph.getResult(i).use_empty())
        leaves.push_back({out, value});
      env[out] = std::move(value);
    }
  }
  return writeOutputs(os);
}

} // namespace

LogicalResult runXModel(StringRef bytes, StringRef fileName,
                        const XModelRunOptions &options, llvm::raw_ostream &os,
                        MLIRContext *context) {
  XModelRunner runner(fileName, options, context);
  return runner.run(bytes, os);
}

} // namespace vai

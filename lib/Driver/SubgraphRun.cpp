//===- SubgraphRun.cpp - Run one dpu.subgraph of a module -----------------===//

#include "vai/Driver/SubgraphRun.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"
#include "vai/Dialect/Dpu/DpuOps.h"
#include "vai/Dialect/Quant/QuantOps.h"
#include "vai/Simulator/Interpreter.h"
#include "vai/Simulator/Npy.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

using namespace mlir;

namespace vai {

OwningOpRef<ModuleOp> wrapSubgraphInFunction(Operation *op, func::FuncOp &func,
                                             Operation *&copy) {
  auto subgraph = cast<dpu::SubgraphOp>(op);
  OpBuilder builder(op->getContext());
  OwningOpRef<ModuleOp> scratch = ModuleOp::create(subgraph.getLoc());
  builder.setInsertionPointToEnd(scratch->getBody());
  func = func::FuncOp::create(
      builder, subgraph.getLoc(), "run",
      builder.getFunctionType(subgraph.getInputs().getTypes(),
                              subgraph.getResultTypes()));
  Block *entry = func.addEntryBlock();
  builder.setInsertionPointToEnd(entry);
  IRMapping mapping;
  mapping.map(subgraph.getInputs(), entry->getArguments());
  copy = builder.clone(*subgraph, mapping);
  func::ReturnOp::create(builder, subgraph.getLoc(), copy->getResults());
  return scratch;
}

LogicalResult runSubgraph(ModuleOp module, const SubgraphRunOptions &options,
                          llvm::raw_ostream &os) {
  auto main = module.lookupSymbol<func::FuncOp>("main");
  if (!main)
    return emitError(module.getLoc()) << "no function @main to take subgraph '"
                                      << options.name << "' from";
  dpu::SubgraphOp subgraph;
  std::string names;
  main.walk([&](dpu::SubgraphOp op) {
    if (op.getSymName() == options.name)
      subgraph = op;
    names += (names.empty() ? "" : ", ") + op.getSymName().str();
  });
  if (!subgraph)
    return emitError(main.getLoc())
           << "--subgraph: @main has no dpu.subgraph named '" << options.name
           << "'; it has: " << (names.empty() ? "none" : names);
  // Diagnostics at the subgraph's location, without printing the op.
  Location loc = subgraph.getLoc();
  size_t count = subgraph.getInputs().size();
  if (options.inputs.size() != count)
    return emitError(loc) << "subgraph '" << options.name << "' takes " << count
                          << " inputs but --input names "
                          << options.inputs.size();

  std::vector<RuntimeValue> inputs;
  std::string error;
  for (auto [path, value] : llvm::zip(options.inputs, subgraph.getInputs())) {
    auto checkShape = [&, &path = path,
                       value = value](const std::vector<int64_t> &shape) {
      auto type = cast<ShapedType>(value.getType());
      bool ok = type.getRank() == int64_t(shape.size());
      for (int64_t d = 0; ok && d < type.getRank(); ++d)
        ok = type.isDynamicDim(d) || type.getDimSize(d) == shape[d];
      if (ok)
        return success();
      std::string dims;
      for (int64_t d : shape)
        dims += (dims.empty() ? "" : ",") + std::to_string(d);
      return LogicalResult(emitError(loc)
                           << path << ": shape [" << dims << "], but subgraph '"
                           << options.name << "' expects " << type);
    };
    if (quant::FixType fix = quant::getFixType(value)) {
      Int8Array codes;
      if (!readNpyInt8(path, codes, error))
        return emitError(loc)
               << error << " (a fixed-point input is an int8 .npy of codes)";
      if (failed(checkShape(codes.shape)))
        return failure();
      inputs.push_back(
          RuntimeValue::ofFixed(std::move(codes), fix.getFixPoint()));
    } else {
      FloatArray floats;
      if (!readNpyFloat(path, floats, error))
        return emitError(loc) << error;
      if (failed(checkShape(floats.shape)))
        return failure();
      inputs.push_back(RuntimeValue::ofFloat(std::move(floats)));
    }
  }

  // A scratch function that calls a copy of the subgraph: the interpreter
  // checks the inputs' shapes against its signature and runs the body.
  func::FuncOp func;
  Operation *copy;
  OwningOpRef<ModuleOp> scratch = wrapSubgraphInFunction(subgraph, func, copy);

  Interpreter interpreter(func);
  auto results = interpreter.run(inputs);
  if (failed(results))
    return failure();

  auto serialize = [&](const RuntimeValue &v, std::string &bytes) {
    return v.isFixed ? serializeNpy(v.ints, bytes, error)
                     : serializeNpy(v.floats, bytes, error);
  };
  auto outputNames = subgraph->getAttrOfType<ArrayAttr>("xir.outputs");
  if (options.outputDir.empty()) {
    if (options.outputIndex >= results->size())
      return emitError(loc) << "subgraph '" << options.name << "' has "
                            << results->size() << " outputs; --output-index "
                            << options.outputIndex << " names none";
    std::string bytes;
    if (!serialize((*results)[options.outputIndex], bytes))
      return emitError(loc) << error;
    os << bytes;
    return success();
  }
  if (std::error_code ec = llvm::sys::fs::create_directories(options.outputDir))
    return emitError(loc) << "cannot create --output-dir '" << options.outputDir
                          << "': " << ec.message();
  for (auto [i, value] : llvm::enumerate(*results)) {
    llvm::SmallString<128> path(options.outputDir);
    llvm::sys::path::append(path, "output_" + std::to_string(i) + ".npy");
    bool ok = value.isFixed ? writeNpy(path.str().str(), value.ints, error)
                            : writeNpy(path.str().str(), value.floats, error);
    if (!ok)
      return emitError(loc) << error;
    std::string name = "-";
    if (outputNames && i < outputNames.size())
      if (auto s = dyn_cast<StringAttr>(outputNames[i]))
        name = s.str();
    os << "output " << i << " " << name << " [";
    for (auto [d, dim] : llvm::enumerate(value.shape()))
      os << (d ? "," : "") << dim;
    os << "]";
    if (value.isFixed)
      os << " fix_point=" << value.fixPoint;
    os << " " << path << "\n";
  }
  return success();
}

} // namespace vai

//===- QuantDump.cpp - Per-node dumps and SQNR report ---------------------===//
//
// File naming follows vai_q_tensorflow's `dump` command as its users show
// it (the DNNDK GPU-DPU cross-check tutorial lists `decent_q dump` output
// such as `resnet_v1_50_pool1_MaxPool_aquant_int8.bin`; the Vitis AI
// quantizer README lists `<name>_float.bin/.txt` for non-quantized nodes):
// the node name with '/' replaced by '_', then `_int8.bin` (raw int8,
// row-major) or `_float.bin` (raw little-endian float32), each with a
// `.txt` twin holding one value per line. Non-quantized nodes get only the
// `_float` files.
//
//===----------------------------------------------------------------------===//

#include "vai/Driver/QuantDump.h"
#include "vai/Dialect/Tfg/TfgUtils.h"
#include "vai/Simulator/Interpreter.h"
#include "vai/Support/FileIO.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/Path.h"
#include <cmath>
#include <cstring>

using namespace mlir;

namespace vai {

std::string dumpFileStem(StringRef nodeName) {
  std::string stem = nodeName.str();
  std::replace(stem.begin(), stem.end(), '/', '_');
  return stem;
}

namespace {

/// Ops whose results are dumped and compared: named computations, not
/// constants (weights) or containers (dpu.subgraph, whose body is visited).
std::string dumpedName(Operation *op) {
  if (op->getNumRegions() || op->getName().getStringRef().ends_with(".const"))
    return {};
  return tfg::nodeName(op->getLoc());
}

std::vector<RuntimeValue> toRuntime(ArrayRef<FloatArray> inputs) {
  std::vector<RuntimeValue> values;
  for (const FloatArray &input : inputs)
    values.push_back(RuntimeValue::ofFloat(input));
  return values;
}

bool writeInt8(const std::string &base, const Int8Array &a,
               std::string &error) {
  std::string bin(a.data.size(), '\0'), txt;
  llvm::raw_string_ostream os(txt);
  for (auto [i, v] : llvm::enumerate(a.data)) {
    bin[i] = char(v);
    os << int(v) << '\n';
  }
  return writeFileAtomically(base + "_int8.bin", bin, error) &&
         writeFileAtomically(base + "_int8.txt", txt, error);
}

bool writeFloat(const std::string &base, const FloatArray &a,
                std::string &error) {
  // The hosts vai runs on are little-endian, as the format asks.
  std::string bin(a.data.size() * sizeof(float), '\0'), txt;
  if (!a.data.empty())
    std::memcpy(bin.data(), a.data.data(), bin.size());
  llvm::raw_string_ostream os(txt);
  for (float v : a.data)
    os << llvm::format("%.9g", v) << '\n';
  return writeFileAtomically(base + "_float.bin", bin, error) &&
         writeFileAtomically(base + "_float.txt", txt, error);
}

} // namespace

LogicalResult dumpQuantized(func::FuncOp func, ArrayRef<FloatArray> inputs,
                            StringRef dir, llvm::raw_ostream &os) {
  if (std::error_code ec = llvm::sys::fs::create_directories(dir))
    return func.emitError() << "quant-dump: cannot create directory '" << dir
                            << "': " << ec.message();
  std::string error;
  llvm::StringSet<> written;
  Interpreter interpreter(func);
  auto observer = [&](Operation *op, ArrayRef<RuntimeValue> results) {
    std::string name = dumpedName(op);
    if (name.empty() || results.size() != 1 || !error.empty())
      return;
    // Two ops may carry one node name (a layer and its requantization);
    // later ones get a counter rather than overwrite the first.
    std::string stem = dumpFileStem(name);
    for (int n = 1; written.contains(stem); ++n)
      stem = dumpFileStem(name) + "_" + std::to_string(n);
    written.insert(stem);
    llvm::SmallString<256> base(dir);
    llvm::sys::path::append(base, stem);
    const RuntimeValue &v = results[0];
    if (v.isFixed && !writeInt8(base.str().str(), v.ints, error))
      return;
    if (!writeFloat(base.str().str(), v.toFloat(), error))
      return;
    os << stem << (v.isFixed ? " int8 fix_point=" : " float")
       << (v.isFixed ? std::to_string(v.fixPoint) : std::string()) << "\n";
  };
  auto results = interpreter.run(toRuntime(inputs), observer);
  if (failed(results))
    return failure();
  if (!error.empty())
    return func.emitError() << "quant-dump: " << error;
  return success();
}

LogicalResult reportQuantization(func::FuncOp floatFunc, func::FuncOp quantFunc,
                                 ArrayRef<FloatArray> inputs,
                                 llvm::raw_ostream &os) {
  llvm::StringMap<FloatArray> reference;
  Interpreter floatInterpreter(floatFunc);
  auto floatResults = floatInterpreter.run(
      toRuntime(inputs), [&](Operation *op, ArrayRef<RuntimeValue> results) {
        std::string name = dumpedName(op);
        if (!name.empty() && results.size() == 1 && !results[0].isFixed)
          reference[name] = results[0].floats;
      });
  if (failed(floatResults))
    return failure();

  struct Row {
    std::string node, op;
    int fixPoint;
    double sqnr, maxError;
  };
  std::vector<Row> rows;
  Interpreter quantInterpreter(quantFunc);
  auto quantResults = quantInterpreter.run(
      toRuntime(inputs), [&](Operation *op, ArrayRef<RuntimeValue> results) {
        std::string name = dumpedName(op);
        if (name.empty() || results.size() != 1 || !results[0].isFixed)
          return;
        auto it = reference.find(name);
        // Reshapes change the shape, never the row-major order, so
        // layers are compared element for element.
        if (it == reference.end() ||
            it->second.data.size() != results[0].ints.data.size())
          return;
        FloatArray q = results[0].toFloat();
        double signal = 0, noise = 0, maxError = 0;
        for (auto [f, x] : llvm::zip(it->second.data, q.data)) {
          double d = double(f) - double(x);
          signal += double(f) * f;
          noise += d * d;
          maxError = std::max(maxError, std::fabs(d));
        }
        double sqnr = noise == 0 ? INFINITY : 10 * std::log10(signal / noise);
        rows.push_back({name, op->getName().getStringRef().str(),
                        results[0].fixPoint, sqnr, maxError});
      });
  if (failed(quantResults))
    return failure();
  if (rows.empty())
    return quantFunc.emitError()
           << "quant-report: no quantized op has a float counterpart of the "
              "same node name and size; was the float module printed with "
              "--mlir-print-debuginfo?";

  size_t worst = 0;
  for (auto [i, row] : llvm::enumerate(rows))
    if (row.sqnr < rows[worst].sqnr)
      worst = i;
  size_t nodeWidth = 4;
  for (const Row &row : rows)
    nodeWidth = std::max(nodeWidth, row.node.size());
  os << llvm::left_justify("node", nodeWidth) << "  "
     << llvm::left_justify("op", 20) << "  fix  sqnr_db    max_abs_err\n";
  for (auto [i, row] : llvm::enumerate(rows)) {
    os << llvm::left_justify(row.node, nodeWidth) << "  "
       << llvm::left_justify(row.op, 20) << "  "
       << llvm::format("%3d  %9.4f  %.6g", row.fixPoint, row.sqnr,
                       row.maxError);
    if (i == worst)
      os << "  <-- worst";
    os << "\n";
  }
  return success();
}

} // namespace vai

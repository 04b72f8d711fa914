//===- XModelFixForm.cpp - quant modules to XIR's quantized form ----------===//
//
// Op types and attributes as in Xilinx's quantized xmodels
// (../shared/data/xilinx/voxelnet_quantized.xmodel): `data` (data_type,
// shape), `const` (data: little-endian float32 bytes, data_type "float32",
// shape), `fix` (bit_width, fix_point, if_signed, round_mode); every tensor
// FLOAT32.
//
//===----------------------------------------------------------------------===//

#include "vai/Export/XModelFixForm.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "vai/Dialect/Quant/QuantOps.h"
#include "vai/Dialect/Tfg/TfgOps.h"
#include "vai/Dialect/Tfg/TfgUtils.h"
#include "vai/Export/XirAttributes.h"
#include "llvm/ADT/StringSet.h"
#include <algorithm>
#include <cmath>
#include <cstring>

using namespace mlir;
using vai::proto::XAttr;
using vai::proto::XOp;

namespace vai {
namespace {

const char *roundModeName(quant::RoundMode mode) {
  switch (mode) {
  case quant::RoundMode::dpu_round:
    return "DPU_ROUND";
  case quant::RoundMode::std_round:
    return "STD_ROUND";
  case quant::RoundMode::py3_round:
    return "PY3_ROUND";
  }
  return "DPU_ROUND";
}

std::vector<int64_t> dimsOf(Type type) {
  std::vector<int64_t> dims;
  for (int64_t d : cast<ShapedType>(type).getShape())
    dims.push_back(ShapedType::isDynamic(d) ? 1 : d); // XIR graphs are batch 1
  return dims;
}

class Writer {
public:
  explicit Writer(proto::XGraph &graph) : graph(graph) {}
  LogicalResult run(ModuleOp module, func::FuncOp func);

private:
  std::string uniqueName(std::string base, StringRef fallback);
  XOp &addOp(std::string name, StringRef type);
  LogicalResult setTensor(Operation *where, XOp &op, Type type,
                          DictionaryAttr extras);
  void addFix(XOp &op, quant::FixType fix);
  LogicalResult writeOp(Operation *op);
  LogicalResult decodeSubgraph(Operation *where, DictionaryAttr dict,
                               proto::XSubgraph &out);
  LogicalResult decodeOpDef(Operation *where, DictionaryAttr dict,
                            proto::XOpDef &out);

  proto::XGraph &graph;
  llvm::StringSet<> used;
  llvm::DenseMap<Value, std::string> names;
};

std::string Writer::uniqueName(std::string base, StringRef fallback) {
  if (base.empty())
    base = fallback.str();
  std::string name = base;
  for (int i = 1; used.contains(name); ++i)
    name = base + "_" + std::to_string(i);
  used.insert(name);
  return name;
}

XOp &Writer::addOp(std::string name, StringRef type) {
  graph.ops.emplace_back();
  XOp &x = graph.ops.back();
  x.name = std::move(name);
  x.type = type.str();
  x.outputTensor.name = x.name;
  return x;
}

/// Dims and data type from \p type, then what `xir.tensor` overrides.
LogicalResult Writer::setTensor(Operation *where, XOp &op, Type type,
                                DictionaryAttr extras) {
  proto::XTensor &t = op.outputTensor;
  for (int64_t d : dimsOf(type))
    t.dims.push_back(int32_t(d));
  xirDataTypeOf(cast<ShapedType>(type).getElementType(), t.dataType,
                t.bitWidth);
  if (!extras)
    return success();
  if (auto name = extras.getAs<StringAttr>("name"))
    t.name = name.str();
  if (auto dataType = extras.getAs<IntegerAttr>("data_type"))
    t.dataType = int32_t(dataType.getInt());
  if (auto bits = extras.getAs<IntegerAttr>("bit_width"))
    t.bitWidth = int32_t(bits.getInt());
  std::string error;
  if (!decodeXirAttrs(extras.getAs<DictionaryAttr>("attrs"), t.attrs, error))
    return where->emitError() << "xir.tensor of '" << op.name << "': " << error;
  return success();
}

void Writer::addFix(XOp &op, quant::FixType fix) {
  op.attrs["bit_width"] = XAttr::int32(int32_t(fix.getBitWidth()));
  op.attrs["fix_point"] = XAttr::int32(fix.getFixPoint());
  op.attrs["if_signed"] = XAttr::boolean(fix.getIsSigned());
  op.attrs["round_mode"] = XAttr::string(roundModeName(fix.getRoundMode()));
}

LogicalResult Writer::writeOp(Operation *op) {
  std::string locName = tfg::nodeName(op->getLoc());
  if (auto c = dyn_cast<quant::ConstOp>(op)) {
    // A float32 `const` holding q * 2^-fix_point, read by its `fix`.
    auto fix = quant::getFixType(c.getResult());
    std::string constName, fixName;
    if (auto kept = op->getAttrOfType<StringAttr>("xir.const_name")) {
      constName = uniqueName(kept.str(), "const");
      fixName = uniqueName(locName, "fix");
    } else {
      constName = uniqueName(locName, "const");
      fixName = uniqueName(constName + "_fix", "fix");
    }
    XOp &x = addOp(constName, "const");
    auto values = c.getValue().getValues<APInt>();
    std::string bytes;
    bytes.reserve(size_t(c.getValue().getNumElements()) * 4);
    for (const APInt &v : values) {
      int64_t q =
          fix.getIsSigned() ? v.getSExtValue() : int64_t(v.getZExtValue());
      float f = float(std::ldexp(double(q), -fix.getFixPoint()));
      char raw[4];
      std::memcpy(raw, &f, 4); // little-endian hosts only
      bytes.append(raw, 4);
    }
    std::vector<int64_t> dims = dimsOf(c.getType());
    x.attrs["data"] = XAttr::bytes(std::move(bytes));
    x.attrs["data_type"] = XAttr::string("float32");
    x.attrs["shape"] = XAttr::int32Vec(dims);
    if (failed(setTensor(op, x, c.getType(), {})))
      return failure();
    XOp &f = addOp(fixName, "fix");
    addFix(f, fix);
    f.args.push_back({"input", {constName}});
    names[c.getResult()] = fixName;
    return setTensor(op, f, c.getType(), {});
  }
  if (auto q = dyn_cast<quant::QuantizeOp>(op)) {
    XOp &x = addOp(uniqueName(locName, "fix"), "fix");
    addFix(x, quant::getFixType(q.getResult()));
    x.args.push_back({"input", {names.lookup(q.getInput())}});
    names[q.getResult()] = x.name;
    return setTensor(op, x, q.getType(), {});
  }
  auto node = dyn_cast<tfg::NodeOp>(op);
  if (!node || node.getFramework() != "xir")
    return op->emitError()
           << "cannot be written in XIR's quantized form: no XIR op for '"
           << op->getName()
           << "' (written: quant.const, quant.quantize, tfg.node \"xir\")";
  if (node.getNumResults() != 1)
    return op->emitError() << "an XIR op has exactly one output tensor, this "
                           << node.getOpType() << " has "
                           << node.getNumResults();
  XOp &x = addOp(uniqueName(locName, node.getOpType()), node.getOpType());
  std::string error;
  if (!decodeXirAttrs(node.getAttrs(), x.attrs, error))
    return op->emitError() << "XIR op '" << x.name << "': " << error;
  auto argNames = op->getAttrOfType<ArrayAttr>("xir.args");
  auto argSizes = op->getAttrOfType<DenseI32ArrayAttr>("xir.arg_sizes");
  if (!argNames && !argSizes && node.getNumOperands()) {
    x.args.push_back({"input", {}});
    for (Value v : node.getOperands())
      x.args.back().argOps.push_back(names.lookup(v));
  } else if (argNames || argSizes) {
    int64_t total = 0;
    if (argSizes)
      for (int32_t n : argSizes.asArrayRef())
        total += n;
    if (!argNames || !argSizes || int64_t(argNames.size()) != argSizes.size() ||
        total != int64_t(node.getNumOperands()) ||
        llvm::any_of(argNames, [](Attribute a) { return !isa<StringAttr>(a); }))
      return op->emitError() << "XIR op '" << x.name
                             << "': xir.args (names) and xir.arg_sizes must "
                                "have one entry per argument and sizes "
                                "summing to the "
                             << node.getNumOperands() << " operands";
    unsigned next = 0;
    for (auto [name, size] : llvm::zip(argNames, argSizes.asArrayRef())) {
      x.args.push_back({cast<StringAttr>(name).str(), {}});
      for (int32_t i = 0; i < size; ++i)
        x.args.back().argOps.push_back(names.lookup(node.getOperand(next++)));
    }
  }
  names[node.getResult(0)] = x.name;
  return setTensor(op, x, node.getResult(0).getType(),
                   op->getAttrOfType<DictionaryAttr>("xir.tensor"));
}

LogicalResult Writer::decodeSubgraph(Operation *where, DictionaryAttr dict,
                                     proto::XSubgraph &out) {
  auto name = dict.getAs<StringAttr>("name");
  auto opNames = dict.getAs<ArrayAttr>("op_names");
  auto attrs = dict.getAs<DictionaryAttr>("attrs");
  auto children = dict.getAs<ArrayAttr>("children");
  std::string error = "needs name, op_names, attrs and children";
  if (!name || !opNames || !attrs || !children ||
      !decodeXirAttrs(attrs, out.attrs, error))
    return where->emitError() << "malformed xir.subgraphs: " << error;
  out.name = name.str();
  for (Attribute a : opNames)
    if (auto s = dyn_cast<StringAttr>(a))
      out.opNames.push_back(s.str());
  for (Attribute a : children) {
    auto child = dyn_cast<DictionaryAttr>(a);
    out.children.emplace_back();
    if (!child || failed(decodeSubgraph(where, child, out.children.back())))
      return where->emitError()
             << "malformed xir.subgraphs child of '" << out.name << "'";
  }
  return success();
}

LogicalResult Writer::decodeOpDef(Operation *where, DictionaryAttr dict,
                                  proto::XOpDef &out) {
  auto str = [](DictionaryAttr d, StringRef key) {
    auto s = d.getAs<StringAttr>(key);
    return s ? s.str() : std::string();
  };
  auto i32 = [](DictionaryAttr d, StringRef key) {
    auto i = d.getAs<IntegerAttr>(key);
    return i ? int32_t(i.getInt()) : 0;
  };
  out.name = str(dict, "name");
  out.annotation = str(dict, "annotation");
  auto inputs = dict.getAs<ArrayAttr>("input_args");
  auto attrs = dict.getAs<ArrayAttr>("attrs");
  if (!inputs || !attrs)
    return where->emitError() << "malformed xir.op_defs entry '" << out.name
                              << "': needs input_args and attrs";
  for (auto arg : inputs.getAsRange<DictionaryAttr>())
    out.inputArgs.push_back({str(arg, "name"), i32(arg, "occur_type"),
                             i32(arg, "data_type"), str(arg, "annotation")});
  for (auto attr : attrs.getAsRange<DictionaryAttr>()) {
    proto::XAttrDef def;
    def.name = str(attr, "name");
    def.occurType = i32(attr, "occur_type");
    def.listLength = i32(attr, "list_length");
    def.annotation = str(attr, "annotation");
    if (Attribute value = attr.get("default_value")) {
      std::string error;
      def.hasDefaultValue = true;
      if (!decodeXirAttr(value, def.defaultValue, error))
        return where->emitError() << "xir.op_defs '" << out.name << "' attr '"
                                  << def.name << "': " << error;
    }
    out.attrs.push_back(std::move(def));
  }
  return success();
}

LogicalResult Writer::run(ModuleOp module, func::FuncOp func) {
  Operation *m = module.getOperation();
  auto graphName = m->getAttrOfType<StringAttr>("xir.graph_name");
  graph.name = graphName ? graphName.str() : func.getName().str();

  for (BlockArgument arg : func.getArguments()) {
    unsigned i = arg.getArgNumber();
    auto name = func.getArgAttrOfType<StringAttr>(i, "tfg.name");
    XOp &x =
        addOp(uniqueName(name ? name.str() : "", "input_" + std::to_string(i)),
              "data");
    if (auto attrs = func.getArgAttrOfType<DictionaryAttr>(i, "xir.attrs")) {
      std::string error;
      if (!decodeXirAttrs(attrs, x.attrs, error))
        return func.emitError() << "input '" << x.name << "': " << error;
    } else {
      x.attrs["data_type"] = XAttr::string("FLOAT32");
      x.attrs["shape"] = XAttr::int32Vec(dimsOf(arg.getType()));
    }
    names[arg] = x.name;
    if (failed(
            setTensor(func, x, arg.getType(),
                      func.getArgAttrOfType<DictionaryAttr>(i, "xir.tensor"))))
      return failure();
  }

  std::vector<std::string> returned;
  for (Operation &op : func.getBody().front()) {
    if (auto ret = dyn_cast<func::ReturnOp>(op)) {
      for (Value v : ret.getOperands())
        returned.push_back(names.lookup(v));
      continue;
    }
    if (failed(writeOp(&op)))
      return failure();
  }
  // Inputs the importer saw further down the file go back to their place.
  std::vector<std::pair<int64_t, XOp>> moved;
  for (unsigned i = func.getNumArguments(); i-- > 0;)
    if (auto position = func.getArgAttrOfType<IntegerAttr>(i, "xir.position")) {
      moved.emplace_back(position.getInt(), std::move(graph.ops[i]));
      graph.ops.erase(graph.ops.begin() + i);
    }
  llvm::sort(moved, [](auto &a, auto &b) { return a.first < b.first; });
  for (auto &[position, op] : moved)
    graph.ops.insert(graph.ops.begin() +
                         std::clamp<int64_t>(position, 0, graph.ops.size()),
                     std::move(op));

  std::string error;
  if (auto attrs = m->getAttrOfType<DictionaryAttr>("xir.graph_attrs")) {
    if (!decodeXirAttrs(attrs, graph.attrs, error))
      return module.emitError() << "xir.graph_attrs: " << error;
  } else {
    graph.attrs["return_ops"] = XAttr::stringVec(returned);
  }
  if (auto root = m->getAttrOfType<DictionaryAttr>("xir.subgraphs")) {
    if (failed(decodeSubgraph(m, root, graph.root)))
      return failure();
  } else {
    graph.root.name = "root";
    for (const XOp &x : graph.ops)
      graph.root.opNames.push_back(x.name);
  }
  if (auto defs = m->getAttrOfType<ArrayAttr>("xir.op_defs"))
    for (Attribute def : defs) {
      graph.opDefs.emplace_back();
      auto dict = dyn_cast<DictionaryAttr>(def);
      if (!dict)
        return module.emitError() << "xir.op_defs holds a non-dictionary";
      if (failed(decodeOpDef(m, dict, graph.opDefs.back())))
        return failure();
    }
  return success();
}

} // namespace

bool isFixFormModule(ModuleOp module) {
  return module->hasAttr("xir.graph_name");
}

LogicalResult buildFixFormXModel(ModuleOp module, proto::XGraph &graph) {
  auto func = module.lookupSymbol<func::FuncOp>("main");
  if (!func)
    return module.emitError() << "no function @main to export";
  return Writer(graph).run(module, func);
}

LogicalResult exportFixFormXModel(ModuleOp module, llvm::raw_ostream &os) {
  proto::XGraph graph;
  if (failed(buildFixFormXModel(module, graph)))
    return failure();
  std::string bytes, error;
  if (!proto::writeXModel(graph, bytes, error))
    return module.emitError() << "cannot serialize the xmodel: " << error;
  os << bytes;
  return success();
}

} // namespace vai

//===- XModelFixForm.cpp - quant modules to XIR's quantized form ----------===//
//
// Op types and attributes as in Xilinx's quantized xmodels
// (../shared/data/xilinx/voxelnet_quantized.xmodel): `data` (data_type,
// shape), `const` (data: little-endian float32 bytes, data_type "float32",
// shape), `fix` (bit_width, fix_point, if_signed, round_mode); every tensor
// FLOAT32. Our quant ops become the float ops of the op definitions stored in
// that file (conv2d weights [O, kh, kw, I]; kernel, stride and dilation
// {w, h}; pad {left, right, top, bottom}); activations are ops of their own
// (conv2d -> relu -> fix there), the output position a `fix` after them.
//
//===----------------------------------------------------------------------===//

#include "vai/Export/XModelFixForm.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "vai/Dialect/Dpu/DpuOps.h"
#include "vai/Dialect/Quant/QuantOps.h"
#include "vai/Dialect/Tfg/TfgOps.h"
#include "vai/Dialect/Tfg/TfgUtils.h"
#include "vai/Export/XModelExporter.h"
#include "vai/Export/XirAttributes.h"
#include "vai/Export/XirFloatOps.h"
#include "vai/Support/TransposeData.h"
#include "llvm/ADT/StringSet.h"
#include <algorithm>
#include <cmath>
#include <cstring>

using namespace mlir;
using vai::proto::XAttr;
using vai::proto::XOp;

namespace vai {
namespace {

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
  LogicalResult writeComputeOp(Operation *op, const std::string &locName);
  XOp &addFloatOp(const std::string &locName, StringRef type, Value result);
  void addInputs(XOp &x, StringRef argName, ValueRange values);
  std::string addNonlinear(std::string producer, quant::Nonlinear n,
                           Value result, StringRef keptName);
  void addOutputFix(std::string producer, Value result, StringRef keptName);
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
  for (int64_t d : xirDims(type))
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
  setXirFixAttrs(op.attrs, fix);
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
    // Convolution weights: ours are HWIO (depthwise [kh, kw, C, M]), XIR's
    // conv2d and depthwise-conv2d read [O, kh, kw, I] (their op_defs).
    unsigned weightUses = 0, uses = 0;
    for (OpOperand &use : c.getResult().getUses()) {
      ++uses;
      Operation *user = use.getOwner();
      if (isa<quant::Conv2DOp, quant::DepthwiseConv2DOp,
              quant::Conv2DTransposeOp>(user) &&
          use.getOperandNumber() == 1)
        ++weightUses;
    }
    if (weightUses && weightUses != uses)
      return op->emitError() << "cannot be written in XIR's quantized form: "
                                "convolution weights also read as another "
                                "operand need two layouts";
    bool toOHWI = weightUses && c.getType().getRank() == 4;
    XOp &x = addOp(constName, "const");
    SmallVector<int64_t> q;
    for (const APInt &v : c.getValue().getValues<APInt>())
      q.push_back(fix.getIsSigned() ? v.getSExtValue()
                                    : int64_t(v.getZExtValue()));
    std::vector<int64_t> dims = xirDims(c.getType());
    if (toOHWI) {
      std::vector<int64_t> xir = hwioToXirWeights<int64_t>(
          dims, q, feedsTransposedConv(c.getResult()));
      q.assign(xir.begin(), xir.end());
      dims = {dims[3], dims[0], dims[1], dims[2]};
    }
    std::string bytes;
    bytes.reserve(q.size() * 4);
    for (int64_t v : q) {
      float f = float(std::ldexp(double(v), -fix.getFixPoint()));
      char raw[4];
      std::memcpy(raw, &f, 4); // little-endian hosts only
      bytes.append(raw, 4);
    }
    x.attrs["data"] = XAttr::bytes(std::move(bytes));
    x.attrs["data_type"] = XAttr::string("float32");
    x.attrs["shape"] = XAttr::int32Vec(dims);
    Type tensorType = c.getType();
    if (toOHWI)
      tensorType = c.getType().clone(ArrayRef<int64_t>(dims));
    if (failed(setTensor(op, x, tensorType, {})))
      return failure();
    XOp &f = addOp(fixName, "fix");
    addFix(f, fix);
    f.args.push_back({"input", {constName}});
    names[c.getResult()] = fixName;
    return setTensor(op, f, tensorType, {});
  }
  if (auto q = dyn_cast<quant::QuantizeOp>(op)) {
    // The importer's position of a transpose of fixed values: the file has
    // no fix there.
    if (q->hasAttr("xir.implicit")) {
      names[q.getResult()] = names.lookup(q.getInput());
      return success();
    }
    // Named like vai_q's `<input>_fix` when the location names nothing new
    // (our quantize carries the name of the input it reads).
    std::string input = names.lookup(q.getInput());
    if (locName.empty() || used.contains(locName))
      locName = input + "_fix";
    XOp &x = addOp(uniqueName(locName, "fix"), "fix");
    addFix(x, quant::getFixType(q.getResult()));
    x.args.push_back({"input", {input}});
    names[q.getResult()] = x.name;
    return setTensor(op, x, q.getType(), {});
  }
  if (isa<quant::Conv2DOp, quant::DepthwiseConv2DOp, quant::Conv2DTransposeOp,
          quant::MatMulOp, quant::MaxPoolOp, quant::AvgPoolOp, quant::AddOp,
          quant::MulOp, quant::ConcatOp, quant::ReshapeOp, quant::DequantizeOp,
          quant::PadOp, quant::UpsampleOp, quant::HardSigmoidOp>(op))
    return writeComputeOp(op, locName);
  // Ops quant-quantize left float: XIR's float ops (XirFloatOps.h), their
  // float constants `const` like the quantized ones before their `fix`.
  if (auto bytes = getXirFloatConstBytes(op)) {
    XOp &x = addOp(uniqueName(locName, "const"), "const");
    x.attrs["data"] = XAttr::bytes(std::move(*bytes));
    x.attrs["data_type"] = XAttr::string("float32");
    x.attrs["shape"] = XAttr::int32Vec(xirDims(op->getResult(0).getType()));
    names[op->getResult(0)] = x.name;
    return setTensor(op, x, op->getResult(0).getType(), {});
  }
  if (std::optional<XirFloatOp> def = getXirFloatOp(op)) {
    XOp &x = addOp(uniqueName(locName, def->type), def->type);
    x.attrs = def->attrs;
    for (auto [argName, operand] :
         llvm::zip(def->argNames, op->getOperands())) {
      if (x.args.empty() || x.args.back().argName != argName)
        x.args.push_back({argName, {}});
      x.args.back().argOps.push_back(names.lookup(operand));
    }
    names[op->getResult(0)] = x.name;
    return setTensor(op, x, op->getResult(0).getType(), {});
  }
  auto node = dyn_cast<tfg::NodeOp>(op);
  if (!node || node.getFramework() != "xir")
    return op->emitError()
           << "cannot be written in XIR's quantized form: no XIR op for '"
           << op->getName()
           << "' (written: the quant ops and tfg.node \"xir\")";
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

/// A float op named after the quant op, with \p result's shape.
XOp &Writer::addFloatOp(const std::string &locName, StringRef type,
                        Value result) {
  XOp &x = addOp(uniqueName(locName, type), type);
  for (int64_t d : xirDims(result.getType()))
    x.outputTensor.dims.push_back(int32_t(d));
  x.outputTensor.dataType = int32_t(proto::XDataType::Float);
  x.outputTensor.bitWidth = 32;
  return x;
}

void Writer::addInputs(XOp &x, StringRef argName, ValueRange values) {
  x.args.push_back({argName.str(), {}});
  for (Value v : values)
    x.args.back().argOps.push_back(names.lookup(v));
}

/// XIR's float graphs apply activations as ops of their own (voxelnet:
/// conv2d -> relu -> fix); returns the op the output fix reads. The op is
/// named \p keptName when the importer kept one, else `<producer>_<type>`.
std::string Writer::addNonlinear(std::string producer, quant::Nonlinear n,
                                 Value result, StringRef keptName) {
  const char *type = nullptr;
  switch (n) {
  case quant::Nonlinear::none:
    return producer;
  case quant::Nonlinear::relu:
    type = "relu";
    break;
  case quant::Nonlinear::relu6:
    type = "relu6";
    break;
  case quant::Nonlinear::leaky_relu:
    type = "leaky-relu";
    break;
  }
  XOp &x = addFloatOp(keptName.empty() ? producer + "_" + type : keptName.str(),
                      type, result);
  if (n == quant::Nonlinear::leaky_relu)
    x.attrs["alpha"] = XAttr::float32(kFixFormLeakyAlpha);
  x.args.push_back({"input", {producer}});
  return x.name;
}

/// The `fix` carrying \p result's position, named `<producer>_fix` as
/// vai_q names them (or \p keptName).
void Writer::addOutputFix(std::string producer, Value result,
                          StringRef keptName) {
  XOp &f = addFloatOp(keptName.empty() ? producer + "_fix" : keptName.str(),
                      "fix", result);
  addFix(f, quant::getFixType(result));
  f.args.push_back({"input", {producer}});
  names[result] = f.name;
}

/// [top, bottom, left, right] (ours) -> XIR's {left, right, top, bottom};
/// kernel, stride and dilation go {w, h}.
static XAttr padAttr(ArrayRef<int64_t> p) {
  return XAttr::int32Vec({p[2], p[3], p[0], p[1]});
}
static XAttr whAttr(ArrayRef<int64_t> hw) {
  return XAttr::int32Vec({hw[1], hw[0]});
}

/// A name the importer kept in `xir.names` (key "activation" or "fix").
static StringRef keptName(Operation *op, StringRef key) {
  auto kept = op->getAttrOfType<DictionaryAttr>("xir.names");
  auto name = kept ? kept.getAs<StringAttr>(key) : StringAttr();
  return name ? name.getValue() : StringRef();
}

LogicalResult Writer::writeComputeOp(Operation *op,
                                     const std::string &locName) {
  if (auto dq = dyn_cast<quant::DequantizeOp>(op)) {
    // The fix form has no dequantize: the producing `fix` is the output.
    names[dq.getResult()] = names.lookup(dq.getInput());
    return success();
  }
  Value result = op->getResult(0);
  proto::XAttrMap attrs;
  std::string type = fixFormFloatOp(op, attrs);
  std::string error;
  if (failed(applyKeptXirAttrs(op, attrs, error)))
    return op->emitError() << error;
  if (auto kept = op->getAttrOfType<StringAttr>("xir.type"))
    type = kept.str();
  XOp &x = addFloatOp(locName, type, result);
  x.attrs = std::move(attrs);
  quant::Nonlinear nonlinear = quant::Nonlinear::none;
  if (auto c = dyn_cast<quant::Conv2DOp>(op)) {
    addInputs(x, "input", c.getInput());
    addInputs(x, "weights", c.getWeights());
    if (c.getBias())
      addInputs(x, "bias", c.getBias());
    nonlinear = c.getNonlinear();
  } else if (auto c = dyn_cast<quant::DepthwiseConv2DOp>(op)) {
    addInputs(x, "input", c.getInput());
    addInputs(x, "weights", c.getWeights());
    if (c.getBias())
      addInputs(x, "bias", c.getBias());
    nonlinear = c.getNonlinear();
  } else if (auto c = dyn_cast<quant::Conv2DTransposeOp>(op)) {
    addInputs(x, "input", c.getInput());
    addInputs(x, "weights", c.getWeights());
    if (c.getBias())
      addInputs(x, "bias", c.getBias());
    nonlinear = c.getNonlinear();
  } else if (auto m = dyn_cast<quant::MatMulOp>(op)) {
    // XIR's matmul: input[0] x input[1] (+ bias), weights stay [K, N].
    addInputs(x, "input", ArrayRef<Value>{m.getInput(), m.getWeights()});
    if (m.getBias())
      addInputs(x, "bias", m.getBias());
    nonlinear = m.getNonlinear();
  } else if (auto a = dyn_cast<quant::AddOp>(op)) {
    addInputs(x, "input", ArrayRef<Value>{a.getLhs(), a.getRhs()});
    nonlinear = a.getNonlinear();
  } else if (auto m = dyn_cast<quant::MulOp>(op)) {
    addInputs(x, "input", ArrayRef<Value>{m.getLhs(), m.getRhs()});
  } else if (auto c = dyn_cast<quant::ConcatOp>(op)) {
    addInputs(x, "input", c.getInputs());
  } else {
    // max_pool, avg_pool, reshape: one input.
    addInputs(x, "input", op->getOperand(0));
  }
  std::string last =
      addNonlinear(x.name, nonlinear, result, keptName(op, "activation"));
  // vai_q's conv (+ relu) read only by a concat that is fixed has no fix
  // of its own (the importer marks it xir.no_fix).
  if (op->hasAttr("xir.no_fix")) {
    names[result] = last;
    return success();
  }
  addOutputFix(last, result, keptName(op, "fix"));
  return success();
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
      x.attrs["shape"] = XAttr::int32Vec(xirDims(arg.getType()));
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

bool feedsTransposedConv(Value weights) {
  return llvm::any_of(weights.getUses(), [](OpOperand &use) {
    return isa<quant::Conv2DTransposeOp, dpu::ConvTransposeOp>(
               use.getOwner()) &&
           use.getOperandNumber() == 1;
  });
}

std::vector<int64_t> xirDims(Type type) {
  std::vector<int64_t> dims;
  for (int64_t d : cast<ShapedType>(type).getShape())
    dims.push_back(ShapedType::isDynamic(d) ? 1 : d);
  return dims;
}

void setXirFixAttrs(proto::XAttrMap &attrs, quant::FixType fix) {
  const char *round = "DPU_ROUND";
  switch (fix.getRoundMode()) {
  case quant::RoundMode::dpu_round:
    break;
  case quant::RoundMode::std_round:
    round = "STD_ROUND";
    break;
  case quant::RoundMode::py3_round:
    round = "PY3_ROUND";
    break;
  }
  attrs["bit_width"] = XAttr::int32(int32_t(fix.getBitWidth()));
  attrs["fix_point"] = XAttr::int32(fix.getFixPoint());
  attrs["if_signed"] = XAttr::boolean(fix.getIsSigned());
  attrs["round_mode"] = XAttr::string(round);
}

void setXirPadAttrs(Operation *padOp, proto::XAttrMap &attrs) {
  auto pad = cast<quant::PadOp>(padOp);
  ArrayRef<int64_t> pads = pad.getPads();
  size_t rank = pads.size() / 2;
  std::vector<int64_t> paddings;
  for (size_t d = 0; d < rank; ++d) {
    paddings.push_back(pads[d]);
    paddings.push_back(pads[d + rank]);
  }
  attrs["paddings"] = proto::XAttr::int32Vec(paddings);
  attrs["mode"] = proto::XAttr::string(
      pad.getMode() == quant::PadMode::reflect     ? "REFLECT"
      : pad.getMode() == quant::PadMode::symmetric ? "SYMMETRIC"
                                                   : "CONSTANT");
}

std::string fixFormFloatOp(Operation *op, proto::XAttrMap &attrs) {
  auto conv = [&](auto c, bool depthwise) {
    auto w = cast<RankedTensorType>(c.getWeights().getType());
    attrs["kernel"] = XAttr::int32Vec({w.getDimSize(1), w.getDimSize(0)});
    attrs["stride"] = whAttr(c.getStrides());
    attrs["dilation"] = whAttr(c.getDilations());
    attrs["pad_mode"] = XAttr::string("FLOOR");
    attrs["pad"] = padAttr(c.getPad());
    if (!depthwise) { // voxelnet's conv2d carries these too
      attrs["bias_term"] = XAttr::boolean(bool(c.getBias()));
      attrs["group"] = XAttr::int32(1);
      attrs["in_dim"] = XAttr::int32(int32_t(w.getDimSize(2)));
      attrs["out_dim"] = XAttr::int32(int32_t(w.getDimSize(3)));
    }
  };
  auto pool = [&](auto p) {
    attrs["kernel"] = whAttr(p.getKernel());
    attrs["stride"] = whAttr(p.getStrides());
    attrs["pad_mode"] = XAttr::string("FLOOR");
    attrs["pad"] = padAttr(p.getPad());
  };
  if (auto c = dyn_cast<quant::Conv2DOp>(op)) {
    conv(c, false);
    return "conv2d";
  }
  if (auto c = dyn_cast<quant::DepthwiseConv2DOp>(op)) {
    conv(c, true);
    return "depthwise-conv2d";
  }
  if (auto c = dyn_cast<quant::Conv2DTransposeOp>(op)) {
    // Weights [OC, kh, kw, C] as conv2d's; pad crops the full output.
    conv(c, true);
    attrs["bias_term"] = XAttr::boolean(bool(c.getBias()));
    return "transposed-conv2d";
  }
  if (isa<quant::MatMulOp>(op)) {
    attrs["transpose_a"] = XAttr::boolean(false);
    attrs["transpose_b"] = XAttr::boolean(false);
    return "matmul";
  }
  if (auto p = dyn_cast<quant::MaxPoolOp>(op)) {
    pool(p);
    return "maxpool2d";
  }
  if (auto p = dyn_cast<quant::AvgPoolOp>(op)) {
    pool(p);
    attrs["count_include_pad"] = XAttr::boolean(true);
    attrs["count_include_invalid"] = XAttr::boolean(true);
    return "avgpool2d";
  }
  if (isa<quant::AddOp>(op))
    return "add";
  if (isa<quant::MulOp>(op))
    return "mul";
  if (auto c = dyn_cast<quant::ConcatOp>(op)) {
    attrs["axis"] = XAttr::int32(int32_t(c.getAxis()));
    return "concat";
  }
  if (auto r = dyn_cast<quant::ReshapeOp>(op)) {
    attrs["shape"] = XAttr::int32Vec(xirDims(r.getType()));
    return "reshape";
  }
  if (auto p = dyn_cast<quant::PadOp>(op)) {
    // XIR pad: float constant_values.
    setXirPadAttrs(p, attrs);
    size_t entries = p.getPads().size();
    double value = std::ldexp(double(int64_t(p.getValue())),
                              -quant::getFixType(p.getInput()).getFixPoint());
    attrs["constant_values"] =
        XAttr::floatVec(std::vector<double>(entries, value));
    return "pad";
  }
  if (auto u = dyn_cast<quant::UpsampleOp>(op)) {
    // XIR resize NEAREST without align_corners / half_pixel_centers reads
    // floor(y * in / out); scale {w, h} as upsample-fix has it.
    attrs["mode"] = XAttr::string("NEAREST");
    attrs["scale"] =
        XAttr::floatVec({double(u.getScale()[1]), double(u.getScale()[0])});
    attrs["align_corners"] = XAttr::boolean(false);
    attrs["half_pixel_centers"] = XAttr::boolean(false);
    return "resize";
  }
  if (isa<quant::HardSigmoidOp>(op))
    return "hard-sigmoid";
  return "";
}

LogicalResult applyKeptXirAttrs(Operation *op, proto::XAttrMap &attrs,
                                std::string &error) {
  if (auto omit = op->getAttrOfType<ArrayAttr>("xir.omit"))
    for (Attribute key : omit) {
      auto name = dyn_cast<StringAttr>(key);
      if (!name) {
        error = "xir.omit must list attribute names";
        return failure();
      }
      attrs.erase(name.str());
    }
  proto::XAttrMap kept;
  if (!decodeXirAttrs(op->getAttrOfType<DictionaryAttr>("xir.attrs"), kept,
                      error)) {
    error = "xir.attrs: " + error;
    return failure();
  }
  for (auto &[key, value] : kept)
    attrs[key] = value;
  return success();
}

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
  return writeXModelTo(module, graph, os);
}

} // namespace vai

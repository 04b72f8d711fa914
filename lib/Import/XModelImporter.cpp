//===- XModelImporter.cpp - Quantized XIR graphs to quant -----------------===//
//
// The inverse of lib/Export/XModelFixForm.cpp; the module form is described
// in vai/Import/XModelImporter.h. Op types and attribute names are the ones
// in Xilinx's quantized xmodels (../shared/data/xilinx/
// voxelnet_quantized.xmodel): `const` with float32 `data`, `fix` with
// bit_width (int32), fix_point (int32), if_signed (bool) and round_mode
// (DPU_ROUND, STD_ROUND, PY3_ROUND).
//
//===----------------------------------------------------------------------===//

#include "vai/Import/XModelImporter.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "vai/Dialect/Quant/QuantOps.h"
#include "vai/Dialect/Tfg/TfgOps.h"
#include "vai/Export/XirAttributes.h"
#include "vai/Import/ImportUtils.h"
#include "vai/Proto/XModel.h"
#include "llvm/ADT/StringMap.h"
#include <cmath>
#include <cstring>
#include <queue>
#include <set>

using namespace mlir;
using vai::proto::XAttr;
using vai::proto::XOp;
using vai::proto::XTensor;

namespace vai {
namespace {

/// The element type XIR's (data_type, bit_width) maps to; what it does not
/// say exactly (XUINT, odd widths) is kept in `xir.tensor`.
Type elementTypeOf(MLIRContext *context, int32_t dataType, int32_t bits) {
  using proto::XDataType;
  auto type = XDataType(dataType);
  if (type == XDataType::Float && bits == 16)
    return Float16Type::get(context);
  if (type == XDataType::Float && bits == 64)
    return Float64Type::get(context);
  if (type == XDataType::BFloat && bits == 16)
    return BFloat16Type::get(context);
  if (bits >= 1 && bits <= 64) {
    if (type == XDataType::Int)
      return IntegerType::get(context, bits, IntegerType::Signed);
    if (type == XDataType::UInt)
      return IntegerType::get(context, bits, IntegerType::Unsigned);
    if (type == XDataType::XInt)
      return IntegerType::get(context, bits);
  }
  return Float32Type::get(context);
}

/// The XIR pieces of a tensor its MLIR type does not carry, or null.
DictionaryAttr tensorExtras(Builder &b, const XTensor &t,
                            const std::string &opName, Type elementType) {
  SmallVector<NamedAttribute> extras;
  if (t.name != opName)
    extras.push_back(b.getNamedAttr("name", b.getStringAttr(t.name)));
  int32_t dataType = 0, bits = 0;
  xirDataTypeOf(elementType, dataType, bits);
  if (dataType != t.dataType || bits != t.bitWidth) {
    extras.push_back(
        b.getNamedAttr("data_type", b.getI32IntegerAttr(t.dataType)));
    extras.push_back(
        b.getNamedAttr("bit_width", b.getI32IntegerAttr(t.bitWidth)));
  }
  if (!t.attrs.empty())
    extras.push_back(
        b.getNamedAttr("attrs", encodeXirAttrs(b.getContext(), t.attrs)));
  return extras.empty() ? DictionaryAttr() : b.getDictionaryAttr(extras);
}

RankedTensorType tensorTypeOf(MLIRContext *context, const XTensor &t) {
  SmallVector<int64_t> dims(t.dims.begin(), t.dims.end());
  return RankedTensorType::get(dims,
                               elementTypeOf(context, t.dataType, t.bitWidth));
}

bool isPlainFloatTensor(const XTensor &t, const XOp &op) {
  return t.name == op.name && t.dataType == int32_t(proto::XDataType::Float) &&
         t.bitWidth == 32 && t.attrs.empty();
}

/// The fixed-point type a `fix` op stands for, when its attributes are
/// exactly XIR's four and name a type quant has.
quant::FixType fixTypeOf(MLIRContext *context, const XOp &op) {
  if (op.attrs.size() != 4)
    return {};
  auto get = [&](const char *key, XAttr::Kind kind) -> const XAttr * {
    auto it = op.attrs.find(key);
    return it != op.attrs.end() && it->second.kind == kind ? &it->second
                                                           : nullptr;
  };
  const XAttr *bits = get("bit_width", XAttr::Int32);
  const XAttr *point = get("fix_point", XAttr::Int32);
  const XAttr *isSigned = get("if_signed", XAttr::Bool);
  const XAttr *round = get("round_mode", XAttr::String);
  if (!bits || !point || !isSigned || !round)
    return {};
  std::optional<quant::RoundMode> mode;
  if (round->s == "DPU_ROUND")
    mode = quant::RoundMode::dpu_round;
  else if (round->s == "STD_ROUND")
    mode = quant::RoundMode::std_round;
  else if (round->s == "PY3_ROUND")
    mode = quant::RoundMode::py3_round;
  if (!mode || bits->i < 2 || bits->i > 32 || point->i < -64 || point->i > 64)
    return {};
  return quant::FixType::get(context, unsigned(bits->i), int(point->i),
                             isSigned->b, *mode);
}

class Importer {
public:
  Importer(MLIRContext *context, StringRef fileName)
      : context(context), builder(context),
        fileLoc(FileLineColLoc::get(context, fileName, 0, 0)) {}
  OwningOpRef<ModuleOp> run(const proto::XGraph &graph);

private:
  Location nameLoc(const std::string &name) {
    return NameLoc::get(builder.getStringAttr(name), fileLoc);
  }
  LogicalResult checkGraph(const proto::XGraph &graph);
  LogicalResult order(const proto::XGraph &graph, std::vector<size_t> &out);
  void findFusedConsts(const proto::XGraph &graph);
  Value fusedConst(const XOp &constOp, const XOp &fixOp);
  LogicalResult importOp(const XOp &op);
  Attribute subgraphAttr(const proto::XSubgraph &s);
  Attribute opDefAttr(const proto::XOpDef &def);

  MLIRContext *context;
  OpBuilder builder;
  Location fileLoc;
  llvm::StringMap<size_t> index;         // op name -> position in the file
  llvm::StringMap<Value> values;         // op name -> its result
  llvm::StringMap<std::string> fusedFix; // const name -> the fix reading it
  llvm::StringMap<const XOp *> fusedIn;  // fix name -> its fused const
};

LogicalResult Importer::checkGraph(const proto::XGraph &graph) {
  for (size_t i = 0; i < graph.ops.size(); ++i) {
    const XOp &op = graph.ops[i];
    if (op.name.empty())
      return emitError(fileLoc)
             << "op #" << i << " (" << op.type << ") has no name";
    if (!index.try_emplace(op.name, i).second)
      return emitError(nameLoc(op.name))
             << "two ops are named '" << op.name << "'";
  }
  for (const XOp &op : graph.ops)
    for (const proto::XOpArg &arg : op.args)
      for (const std::string &input : arg.argOps)
        if (!index.count(input))
          return emitError(nameLoc(op.name))
                 << "op '" << op.name << "' (" << op.type << ") input '"
                 << arg.argName << "' names '" << input
                 << "', which is not an op of the graph";
  return success();
}

/// File order when it is topological (XIR writes it so), else the first
/// topological order in file order. A cycle is an error.
LogicalResult Importer::order(const proto::XGraph &graph,
                              std::vector<size_t> &out) {
  size_t n = graph.ops.size();
  std::vector<size_t> pending(n, 0);
  std::vector<std::vector<size_t>> users(n);
  for (size_t i = 0; i < n; ++i)
    for (const proto::XOpArg &arg : graph.ops[i].args)
      for (const std::string &input : arg.argOps) {
        users[index.lookup(input)].push_back(i);
        ++pending[i];
      }
  std::priority_queue<size_t, std::vector<size_t>, std::greater<size_t>> ready;
  for (size_t i = 0; i < n; ++i)
    if (!pending[i])
      ready.push(i);
  while (!ready.empty()) {
    size_t i = ready.top();
    ready.pop();
    out.push_back(i);
    for (size_t user : users[i])
      if (--pending[user] == 0)
        ready.push(user);
  }
  if (out.size() == n)
    return success();
  for (size_t i = 0; i < n; ++i)
    if (pending[i])
      return emitError(nameLoc(graph.ops[i].name))
             << "op '" << graph.ops[i].name << "' (" << graph.ops[i].type
             << ") is on a cycle of the graph";
  return failure();
}

/// A float `const` read by exactly one `fix` (and nothing else) becomes one
/// `quant.const`; decided here, converted when the fix is reached.
void Importer::findFusedConsts(const proto::XGraph &graph) {
  llvm::StringMap<int> uses;
  for (const XOp &op : graph.ops)
    for (const proto::XOpArg &arg : op.args)
      for (const std::string &input : arg.argOps)
        ++uses[input];
  std::set<std::string> returned;
  if (auto it = graph.attrs.find("return_ops");
      it != graph.attrs.end() && it->second.kind == XAttr::StringVec)
    returned.insert(it->second.strs.begin(), it->second.strs.end());
  for (const XOp &fix : graph.ops) {
    if (fix.type != "fix" || fix.args.size() != 1 ||
        fix.args[0].argName != "input" || fix.args[0].argOps.size() != 1)
      continue;
    const XOp &c = graph.ops[index.lookup(fix.args[0].argOps[0])];
    if (c.type != "const" || uses.lookup(c.name) != 1 ||
        returned.count(c.name) || !c.args.empty() || c.attrs.size() != 3 ||
        !isPlainFloatTensor(c.outputTensor, c) ||
        !isPlainFloatTensor(fix.outputTensor, fix) ||
        fix.outputTensor.dims != c.outputTensor.dims)
      continue;
    auto data = c.attrs.find("data");
    auto dataType = c.attrs.find("data_type");
    auto shape = c.attrs.find("shape");
    if (data == c.attrs.end() || data->second.kind != XAttr::Bytes ||
        dataType == c.attrs.end() || dataType->second.kind != XAttr::String ||
        dataType->second.s != "float32" || shape == c.attrs.end() ||
        shape->second.kind != XAttr::Int32Vec ||
        !std::equal(shape->second.ints.begin(), shape->second.ints.end(),
                    c.outputTensor.dims.begin(), c.outputTensor.dims.end()))
      continue;
    quant::FixType fixType = fixTypeOf(context, fix);
    if (!fixType)
      continue;
    int64_t count = 1;
    for (int32_t d : c.outputTensor.dims)
      count *= d;
    const std::string &bytes = data->second.s;
    if (int64_t(bytes.size()) != 4 * count)
      continue;
    // Lossless only when every float is an integer of the fix type at its
    // position (-0.0 and NaN are not).
    bool exact = true;
    for (int64_t i = 0; i < count && exact; ++i) {
      float f;
      std::memcpy(&f, bytes.data() + 4 * i, 4); // little-endian hosts only
      double q = std::ldexp(double(f), fixType.getFixPoint());
      exact = std::isfinite(q) && q == std::nearbyint(q) &&
              q >= double(fixType.getMinInt()) &&
              q <= double(fixType.getMaxInt()) && !(f == 0 && std::signbit(f));
    }
    if (!exact)
      continue;
    fusedFix[c.name] = fix.name;
    fusedIn[fix.name] = &c;
  }
}

Value Importer::fusedConst(const XOp &c, const XOp &fix) {
  quant::FixType fixType = fixTypeOf(context, fix);
  const std::string &bytes = c.attrs.at("data").s;
  unsigned bits = fixType.getBitWidth();
  SmallVector<APInt> ints;
  for (size_t i = 0; i + 4 <= bytes.size(); i += 4) {
    float f;
    std::memcpy(&f, bytes.data() + i, 4);
    auto q = int64_t(std::ldexp(double(f), fixType.getFixPoint()));
    ints.push_back(APInt(bits, uint64_t(q), /*isSigned=*/true,
                         /*implicitTrunc=*/true));
  }
  SmallVector<int64_t> dims(c.outputTensor.dims.begin(),
                            c.outputTensor.dims.end());
  auto valueType = RankedTensorType::get(dims, builder.getIntegerType(bits));
  auto op = quant::ConstOp::create(
      builder, nameLoc(fix.name), RankedTensorType::get(dims, fixType),
      cast<DenseIntElementsAttr>(DenseElementsAttr::get(valueType, ints)));
  op->setAttr("xir.const_name", builder.getStringAttr(c.name));
  return op.getResult();
}

LogicalResult Importer::importOp(const XOp &op) {
  if (fusedFix.count(op.name))
    return success(); // converted together with its fix
  if (const XOp *c = fusedIn.lookup(op.name)) {
    values[op.name] = fusedConst(*c, op);
    return success();
  }
  SmallVector<Value> operands;
  SmallVector<Attribute> argNames;
  SmallVector<int32_t> argSizes;
  for (const proto::XOpArg &arg : op.args) {
    argNames.push_back(builder.getStringAttr(arg.argName));
    argSizes.push_back(int32_t(arg.argOps.size()));
    for (const std::string &input : arg.argOps)
      operands.push_back(values.lookup(input));
  }
  RankedTensorType type = tensorTypeOf(context, op.outputTensor);
  if (op.type == "fix" && operands.size() == 1 &&
      op.args[0].argName == "input" &&
      isPlainFloatTensor(op.outputTensor, op)) {
    auto inputType = dyn_cast<RankedTensorType>(operands[0].getType());
    quant::FixType fixType = fixTypeOf(context, op);
    if (fixType && inputType && inputType.getElementType().isF32() &&
        inputType.getShape() == type.getShape()) {
      values[op.name] =
          quant::QuantizeOp::create(builder, nameLoc(op.name),
                                    type.clone(fixType), operands[0])
              .getResult();
      return success();
    }
  }
  auto node = tfg::NodeOp::create(builder, nameLoc(op.name), TypeRange{type},
                                  builder.getStringAttr("xir"),
                                  builder.getStringAttr(op.type), operands,
                                  encodeXirAttrs(context, op.attrs));
  if (!op.args.empty()) {
    node->setAttr("xir.args", builder.getArrayAttr(argNames));
    node->setAttr("xir.arg_sizes", builder.getDenseI32ArrayAttr(argSizes));
  }
  if (DictionaryAttr extras = tensorExtras(builder, op.outputTensor, op.name,
                                           type.getElementType()))
    node->setAttr("xir.tensor", extras);
  values[op.name] = node.getResult(0);
  return success();
}

Attribute Importer::subgraphAttr(const proto::XSubgraph &s) {
  SmallVector<Attribute> names, children;
  for (const std::string &name : s.opNames)
    names.push_back(builder.getStringAttr(name));
  for (const proto::XSubgraph &child : s.children)
    children.push_back(subgraphAttr(child));
  NamedAttribute entries[] = {
      builder.getNamedAttr("name", builder.getStringAttr(s.name)),
      builder.getNamedAttr("op_names", builder.getArrayAttr(names)),
      builder.getNamedAttr("attrs", encodeXirAttrs(context, s.attrs)),
      builder.getNamedAttr("children", builder.getArrayAttr(children))};
  return builder.getDictionaryAttr(entries);
}

Attribute Importer::opDefAttr(const proto::XOpDef &def) {
  auto str = [&](const std::string &s) { return builder.getStringAttr(s); };
  auto i32 = [&](int32_t v) { return builder.getI32IntegerAttr(v); };
  SmallVector<Attribute> inputs, attrs;
  for (const proto::XOpArgDef &arg : def.inputArgs) {
    NamedAttribute entries[] = {
        builder.getNamedAttr("name", str(arg.name)),
        builder.getNamedAttr("occur_type", i32(arg.occurType)),
        builder.getNamedAttr("data_type", i32(arg.dataType)),
        builder.getNamedAttr("annotation", str(arg.annotation))};
    inputs.push_back(builder.getDictionaryAttr(entries));
  }
  for (const proto::XAttrDef &attr : def.attrs) {
    SmallVector<NamedAttribute> entries = {
        builder.getNamedAttr("name", str(attr.name)),
        builder.getNamedAttr("occur_type", i32(attr.occurType)),
        builder.getNamedAttr("list_length", i32(attr.listLength)),
        builder.getNamedAttr("annotation", str(attr.annotation))};
    if (attr.hasDefaultValue)
      entries.push_back(builder.getNamedAttr(
          "default_value", encodeXirAttr(context, attr.defaultValue)));
    attrs.push_back(builder.getDictionaryAttr(entries));
  }
  NamedAttribute entries[] = {
      builder.getNamedAttr("name", str(def.name)),
      builder.getNamedAttr("input_args", builder.getArrayAttr(inputs)),
      builder.getNamedAttr("attrs", builder.getArrayAttr(attrs)),
      builder.getNamedAttr("annotation", str(def.annotation))};
  return builder.getDictionaryAttr(entries);
}

OwningOpRef<ModuleOp> Importer::run(const proto::XGraph &graph) {
  if (failed(checkGraph(graph)))
    return nullptr;
  std::vector<size_t> topo;
  if (failed(order(graph, topo)))
    return nullptr;
  findFusedConsts(graph);

  OwningOpRef<ModuleOp> module = ModuleOp::create(fileLoc);
  module->getOperation()->setAttr("xir.graph_name",
                                  builder.getStringAttr(graph.name));
  module->getOperation()->setAttr("xir.graph_attrs",
                                  encodeXirAttrs(context, graph.attrs));
  module->getOperation()->setAttr("xir.subgraphs", subgraphAttr(graph.root));
  SmallVector<Attribute> defs;
  for (const proto::XOpDef &def : graph.opDefs)
    defs.push_back(opDefAttr(def));
  module->getOperation()->setAttr("xir.op_defs", builder.getArrayAttr(defs));

  // The `data` ops are the inputs, in file order.
  SmallVector<Type> argTypes;
  std::vector<const XOp *> inputs;
  for (const XOp &op : graph.ops)
    if (op.type == "data" && op.args.empty()) {
      inputs.push_back(&op);
      argTypes.push_back(tensorTypeOf(context, op.outputTensor));
    }
  builder.setInsertionPointToEnd(module->getBody());
  auto func = func::FuncOp::create(builder, fileLoc, "main",
                                   builder.getFunctionType(argTypes, {}));
  Block *body = func.addEntryBlock();
  for (auto [i, op] : llvm::enumerate(inputs)) {
    BlockArgument arg = body->getArgument(i);
    values[op->name] = arg;
    func.setArgAttr(i, "tfg.name", builder.getStringAttr(op->name));
    func.setArgAttr(i, "xir.attrs", encodeXirAttrs(context, op->attrs));
    if (DictionaryAttr extras =
            tensorExtras(builder, op->outputTensor, op->name,
                         cast<ShapedType>(arg.getType()).getElementType()))
      func.setArgAttr(i, "xir.tensor", extras);
    // Where the data op stood among the ops, so that the writer puts it
    // back there (the files then compare byte for byte).
    if (index.lookup(op->name) != i)
      func.setArgAttr(
          i, "xir.position",
          builder.getI64IntegerAttr(int64_t(index.lookup(op->name))));
  }
  builder.setInsertionPointToEnd(body);
  for (size_t i : topo) {
    const XOp &op = graph.ops[i];
    if (op.type == "data" && op.args.empty())
      continue;
    if (failed(importOp(op)))
      return nullptr;
  }

  // Results: the graph's return_ops, else the ops nobody reads.
  std::vector<std::string> outputs;
  if (auto it = graph.attrs.find("return_ops");
      it != graph.attrs.end() && it->second.kind == XAttr::StringVec) {
    outputs = it->second.strs;
  } else {
    llvm::StringMap<bool> read;
    for (const XOp &op : graph.ops)
      for (const proto::XOpArg &arg : op.args)
        for (const std::string &input : arg.argOps)
          read[input] = true;
    for (const XOp &op : graph.ops)
      if (!read.count(op.name) && !fusedFix.count(op.name))
        outputs.push_back(op.name);
  }
  SmallVector<Value> results;
  for (const std::string &name : outputs) {
    Value v = values.lookup(name);
    if (!v) {
      emitError(fileLoc) << "graph attribute return_ops names '" << name
                         << "', which is not an op";
      return nullptr;
    }
    results.push_back(v);
  }
  if (failed(finishMainFunction(builder, func, fileLoc, results, outputs)))
    return nullptr;
  return module;
}

} // namespace

OwningOpRef<ModuleOp> importXModel(StringRef bytes, StringRef fileName,
                                   MLIRContext *context) {
  context
      ->loadDialect<func::FuncDialect, tfg::TfgDialect, quant::QuantDialect>();
  proto::XGraph graph;
  std::string error;
  if (!proto::readXModel(bytes.str(), graph, error)) {
    emitError(FileLineColLoc::get(context, fileName, 0, 0))
        << "cannot read the xmodel: " << error;
    return nullptr;
  }
  return Importer(context, fileName).run(graph);
}

} // namespace vai

//===- XModelDpuView.cpp - Compiled xmodels as dpu subgraphs --------------===//
//
// The module form is described in vai/Import/XModelDpuView.h. Facts about
// compiled files (../shared/data/xilinx/pointpillars_DPUCZDX8G*.xmodel,
// written by vai_c_xir 2.5 and 3.0):
// - the root's children are USER / DPU / CPU subgraphs (`device`); a DPU
//   child's leaves split it per layer but do not change what it computes;
// - const-fix `data` is empty; the values are in the DPU subgraph's
//   reg_id_to_parameter_value["REG_<reg_id>"] at the tensor's `ddr_addr`,
//   unmodified XIR layout (weights OHWI, one byte per XINT8 element);
// - DDR tensors carry reg_id, ddr_addr, location (1 = DDR, 0 = on chip)
//   and stride (NHWC byte strides);
// - op attributes follow XIR's op definitions (Vitis-AI src/vai_runtime/
//   xir/src/xir/op/built_in_ops.cpp): kernel / stride / dilation {w, h},
//   pad {left, right, top, bottom}; a transposed conv's pad crops its full
//   output.
//
//===----------------------------------------------------------------------===//

#include "vai/Import/XModelDpuView.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"
#include "vai/Dialect/Dpu/DpuDialect.h"
#include "vai/Dialect/Dpu/DpuOps.h"
#include "vai/Dialect/Quant/QuantOps.h"
#include "vai/Dialect/Tfg/TfgOps.h"
#include "vai/Export/XirAttributes.h"
#include "vai/Import/ImportUtils.h"
#include "vai/Import/XModelGraphIndex.h"
#include "vai/Import/XModelImporter.h"
#include "vai/Proto/XModel.h"
#include "vai/Support/TransposeData.h"
#include "vai/Target/Target.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/ADT/StringSwitch.h"
#include <functional>
#include <queue>
#include <set>

using namespace mlir;
using vai::proto::XAttr;
using vai::proto::XOp;
using vai::proto::XSubgraph;

namespace vai {
namespace {

bool isDataOp(const XOp &op) {
  return (op.type == "data" || op.type == "data-fix") && op.args.empty();
}

/// One child of the root and the ops of its leaves.
struct Child {
  const XSubgraph *subgraph = nullptr;
  dpu::Device device = dpu::Device::CPU;
  std::vector<size_t> ops; // positions in topological order
};

class DpuViewImporter {
public:
  DpuViewImporter(MLIRContext *context, StringRef fileName)
      : context(context), builder(context), fileName(fileName.str()),
        fileLoc(FileLineColLoc::get(context, fileName, 0, 0)) {}
  OwningOpRef<ModuleOp> run(const proto::XGraph &graph);

private:
  Location nameLoc(const std::string &name) {
    return NameLoc::get(builder.getStringAttr(name), fileLoc);
  }
  InFlightDiagnostic opError(const XOp &op) {
    return emitError(nameLoc(op.name))
           << "op '" << op.name << "' (" << op.type << "): ";
  }

  LogicalResult collectChildren();
  LogicalResult collectLeafOps(const XSubgraph &s, size_t child);
  LogicalResult orderOps();
  LogicalResult orderChildren(std::vector<size_t> &order);
  LogicalResult buildChild(Child &child);
  LogicalResult convertOp(const XOp &op, Child &child);
  LogicalResult convertDpuOp(const XOp &op, Child &child);
  LogicalResult convertConvLike(const XOp &op, Child &child);
  Value generic(const XOp &op, ArrayRef<Value> operands);
  void setDpuAttrs(dpu::SubgraphOp sg, const Child &child);
  FailureOr<ArrayAttr> regionsOf(const Child &child);
  void place(Operation *op, const XOp &xop);

  FailureOr<Value> input(const XOp &op, StringRef arg, bool required);
  FailureOr<SmallVector<Value>> inputs(const XOp &op, StringRef arg);
  FailureOr<Value> constValue(const XOp &c, const Child &child, bool hwio,
                              bool transposedConv = false);
  FailureOr<Type> tensorType(const XOp &op);
  FailureOr<quant::FixType> fixTypeOfTensor(const XOp &op);

  MLIRContext *context;
  OpBuilder builder;
  std::string fileName;
  Location fileLoc;
  const proto::XGraph *graph = nullptr;
  func::FuncOp func;
  XModelGraphIndex graphIndex; // op names, tensor names, order
  std::vector<size_t> rank;    // file position -> topological position
  std::vector<Child> children;
  llvm::StringMap<size_t> childOf; // op name -> child index
  llvm::StringSet<> exported;      // ops read by another child or returned
  llvm::StringMap<Value> outer;    // op name -> function-level value
  llvm::StringMap<Value> funcArg;  // data op name -> function argument
  // Per child being built.
  llvm::StringMap<Value> inner;    // op name -> value in the body
  llvm::StringMap<Value> external; // outside name -> block argument
  llvm::StringMap<Value> consts;   // const name (+ "#hwio") -> value
};

/// Indexes the ops (XModelGraphIndex) and ranks them topologically.
LogicalResult DpuViewImporter::orderOps() {
  if (failed(graphIndex.build(*graph, fileLoc)))
    return failure();
  rank.assign(graph->ops.size(), 0);
  for (size_t r = 0; r < graphIndex.topo.size(); ++r)
    rank[graphIndex.topo[r]] = r;
  return success();
}

LogicalResult DpuViewImporter::collectLeafOps(const XSubgraph &s,
                                              size_t child) {
  if (s.opNames.empty() == s.children.empty())
    return emitError(fileLoc)
           << "subgraph '" << s.name << "' has "
           << (s.children.empty() ? "neither ops nor child subgraphs"
                                  : "both ops and child subgraphs");
  for (const std::string &name : s.opNames) {
    if (!graphIndex.index.count(name))
      return emitError(fileLoc) << "subgraph '" << s.name << "' names op '"
                                << name << "', which is not an op of the graph";
    auto [it, inserted] = childOf.try_emplace(name, child);
    if (!inserted)
      return emitError(nameLoc(name))
             << "op '" << name << "' is in two subgraphs, '"
             << children[it->second].subgraph->name << "' and '"
             << children[child].subgraph->name << "'";
    children[child].ops.push_back(graphIndex.index.lookup(name));
  }
  for (const XSubgraph &leaf : s.children)
    if (failed(collectLeafOps(leaf, child)))
      return failure();
  return success();
}

/// The root's children with their devices and ops; every op must be in
/// one of them (the dpu view has no place for ops outside).
LogicalResult DpuViewImporter::collectChildren() {
  const XSubgraph &root = graph->root;
  if (root.children.empty())
    return emitError(fileLoc)
           << "the root subgraph '" << root.name
           << "' has no children: not a compiled xmodel (read a quantized "
              "graph with --import-xmodel)";
  children.resize(root.children.size());
  for (auto [i, s] : llvm::enumerate(root.children)) {
    Child &child = children[i];
    child.subgraph = &s;
    const XAttr *device = proto::findXAttr(s.attrs, "device", XAttr::String);
    std::optional<dpu::Device> parsed;
    if (device)
      parsed = llvm::StringSwitch<std::optional<dpu::Device>>(device->s)
                   .Case("USER", dpu::Device::USER)
                   .Case("DPU", dpu::Device::DPU)
                   .Case("CPU", dpu::Device::CPU)
                   .Default(std::nullopt);
    if (!parsed)
      return emitError(nameLoc(s.name))
             << "subgraph '" << s.name << "' has "
             << (device ? "device '" + device->s + "'"
                        : std::string("no device attribute"))
             << "; expected USER, DPU or CPU";
    child.device = *parsed;
    if (failed(collectLeafOps(s, i)))
      return failure();
  }
  for (const XOp &op : graph->ops)
    if (!childOf.count(op.name))
      return opError(op) << "is in no subgraph of the root";
  for (Child &child : children)
    llvm::sort(child.ops,
               [&](size_t a, size_t b) { return rank[a] < rank[b]; });
  return success();
}

/// Children in dependence order, file order where it allows.
LogicalResult DpuViewImporter::orderChildren(std::vector<size_t> &order) {
  size_t n = children.size();
  std::vector<std::set<size_t>> users(n);
  std::vector<size_t> pending(n, 0);
  for (const XOp &op : graph->ops) {
    size_t to = childOf.lookup(op.name);
    for (const proto::XOpArg &arg : op.args)
      for (const std::string &in : arg.argOps) {
        size_t from = childOf.lookup(in);
        if (from != to && users[from].insert(to).second)
          ++pending[to];
      }
  }
  std::vector<std::vector<size_t>> userLists;
  for (const std::set<size_t> &u : users)
    userLists.emplace_back(u.begin(), u.end());
  order = stableTopologicalOrder(userLists, pending);
  if (order.size() != n)
    for (size_t i = 0; i < n; ++i)
      if (pending[i])
        return emitError(nameLoc(children[i].subgraph->name))
               << "subgraph '" << children[i].subgraph->name
               << "' is on a cycle of subgraphs (each reads the other)";
  return success();
}

FailureOr<quant::FixType> DpuViewImporter::fixTypeOfTensor(const XOp &op) {
  const proto::XAttrMap &t = op.outputTensor.attrs;
  const XAttr *point = proto::findXAttr(t, "fix_point", XAttr::Int32);
  if (!point)
    return opError(op) << "its fixed-point tensor '" << op.outputTensor.name
                       << "' has no int32 fix_point";
  const XAttr *bits = proto::findXAttr(t, "bit_width", XAttr::Int32);
  const XAttr *isSigned = proto::findXAttr(t, "if_signed", XAttr::Bool);
  const XAttr *round = proto::findXAttr(t, "round_mode", XAttr::String);
  int64_t width = bits ? bits->i : op.outputTensor.bitWidth;
  std::optional<quant::RoundMode> mode =
      round ? parseXirRoundMode(round->s) : quant::RoundMode::dpu_round;
  if (!mode)
    return opError(op) << "unknown round_mode '" << round->s << "'";
  if (width != 8 || point->i < -64 || point->i > 64)
    return opError(op) << "tensor '" << op.outputTensor.name << "' is " << width
                       << "-bit with fix_point " << point->i
                       << "; the dpu view models 8-bit fixed point";
  return quant::FixType::get(context, unsigned(width), int(point->i),
                             isSigned ? isSigned->b : true, *mode);
}

/// The MLIR type of an op's output tensor: fixed-point XINT tensors as
/// `!quant.fix`, FLOAT32 as f32, other integers as plain integers.
FailureOr<Type> DpuViewImporter::tensorType(const XOp &op) {
  const proto::XTensor &t = op.outputTensor;
  SmallVector<int64_t> dims(t.dims.begin(), t.dims.end());
  Type element;
  switch (proto::XDataType(t.dataType)) {
  case proto::XDataType::XInt:
  case proto::XDataType::XUInt: {
    FailureOr<quant::FixType> fix = fixTypeOfTensor(op);
    if (failed(fix))
      return failure();
    element = *fix;
    break;
  }
  case proto::XDataType::Float:
    element = t.bitWidth == 64   ? Type(builder.getF64Type())
              : t.bitWidth == 16 ? Type(builder.getF16Type())
                                 : Type(builder.getF32Type());
    break;
  default:
    element = builder.getIntegerType(t.bitWidth > 0 ? t.bitWidth : 32);
  }
  return Type(RankedTensorType::get(dims, element));
}

/// The single producer of argument `arg`; null when absent and optional.
FailureOr<Value> DpuViewImporter::input(const XOp &op, StringRef arg,
                                        bool required) {
  FailureOr<SmallVector<Value>> all = inputs(op, arg);
  if (failed(all))
    return failure();
  if (all->size() > 1 || (required && all->empty()))
    return opError(op) << "expects " << (required ? "one" : "at most one")
                       << " '" << arg << "' input, it has " << all->size();
  return all->empty() ? Value() : (*all)[0];
}

FailureOr<SmallVector<Value>> DpuViewImporter::inputs(const XOp &op,
                                                      StringRef arg) {
  SmallVector<Value> values;
  for (const proto::XOpArg &a : op.args) {
    if (a.argName != arg)
      continue;
    for (const std::string &name : a.argOps) {
      Value v = inner.lookup(name);
      if (!v)
        v = external.lookup(name);
      if (!v)
        return opError(op) << "input '" << name
                           << "' has no value here (a const-fix read as "
                              "something other than weights or bias?)";
      values.push_back(v);
    }
  }
  return values;
}

/// A const-fix as `quant.const`, built at first use. Its values are the op's
/// `data` or, in compiled files, the DPU subgraph's parameter bytes at the
/// tensor's ddr_addr. `hwio` turns XIR's [O, kh, kw, I] weights into ours,
/// rotating a transposed convolution's kernels (xirToHwioWeights).
FailureOr<Value> DpuViewImporter::constValue(const XOp &c, const Child &child,
                                             bool hwio, bool transposedConv) {
  std::string key =
      c.name + (hwio ? (transposedConv ? "#hwio-rotated" : "#hwio") : "");
  if (Value v = consts.lookup(key))
    return v;
  FailureOr<quant::FixType> fix = fixTypeOfTensor(c);
  if (failed(fix))
    return failure();
  const std::vector<int32_t> &dims = c.outputTensor.dims;
  int64_t count = 1;
  for (int32_t d : dims)
    count *= d;
  const XAttr *data = proto::findXAttr(c.attrs, "data", XAttr::Bytes);
  StringRef bytes;
  if (data && !data->s.empty()) {
    bytes = data->s;
  } else {
    const proto::XAttrMap &t = c.outputTensor.attrs;
    const XAttr *reg = proto::findXAttr(t, "reg_id", XAttr::Int32);
    const XAttr *addr = proto::findXAttr(t, "ddr_addr", XAttr::Int32);
    if (!reg || !addr)
      return opError(c) << "has no data and its tensor no reg_id / ddr_addr "
                           "to find it in the parameters";
    const XAttr *params = proto::findXAttr(
        child.subgraph->attrs, "reg_id_to_parameter_value", XAttr::MapBytes);
    if (!params)
      return opError(c) << "has no data, and subgraph '" << child.subgraph->name
                        << "' has no reg_id_to_parameter_value to read it "
                           "from";
    std::string regName = proto::xirRegKey(reg->i);
    auto it = params->strMap.find(regName);
    if (it == params->strMap.end())
      return opError(c) << "has no data, and reg_id_to_parameter_value of "
                        << "subgraph '" << child.subgraph->name << "' has no "
                        << regName;
    if (addr->i < 0 || addr->i + count > int64_t(it->second.size()))
      return opError(c) << "bytes [" << addr->i << ", " << addr->i + count
                        << ") at ddr_addr " << addr->i << " lie outside "
                        << regName << "'s parameter value of "
                        << it->second.size() << " bytes";
    bytes = StringRef(it->second).substr(addr->i, count);
  }
  if (int64_t(bytes.size()) != count)
    return opError(c) << "has " << bytes.size() << " bytes of data for "
                      << count << " elements";
  SmallVector<int64_t> shape(dims.begin(), dims.end());
  std::vector<int8_t> values(bytes.begin(), bytes.end());
  if (hwio) {
    values = xirToHwioWeights<int8_t>(shape, values, transposedConv);
    shape = {shape[1], shape[2], shape[3], shape[0]};
  }
  auto valueType = RankedTensorType::get(shape, builder.getIntegerType(8));
  auto attr = DenseIntElementsAttr::get(valueType, ArrayRef<int8_t>(values));
  auto op = quant::ConstOp::create(builder, nameLoc(c.name),
                                   RankedTensorType::get(shape, *fix), attr);
  place(op, c);
  consts[key] = op.getResult();
  return Value(op.getResult());
}

/// `dpu.placement` of a DDR tensor; on-chip tensors (location 0) keep their
/// XIR attributes in `xir.tensor` instead, since they occupy no region.
void DpuViewImporter::place(Operation *op, const XOp &xop) {
  const proto::XAttrMap &t = xop.outputTensor.attrs;
  const XAttr *reg = proto::findXAttr(t, "reg_id", XAttr::Int32);
  const XAttr *addr = proto::findXAttr(t, "ddr_addr", XAttr::Int32);
  if (!reg || !addr)
    return;
  const XAttr *location = proto::findXAttr(t, "location", XAttr::Int32);
  DenseI64ArrayAttr stride;
  if (const XAttr *s = proto::findXAttr(t, "stride", XAttr::Int32Vec))
    stride = builder.getDenseI64ArrayAttr(s->ints);
  op->setAttr(dpu::DpuDialect::kPlacementAttrName,
              dpu::PlacementAttr::get(context, reg->i, addr->i,
                                      /*on_chip=*/location && location->i == 0,
                                      stride));
}

Value DpuViewImporter::generic(const XOp &op, ArrayRef<Value> operands) {
  SmallVector<Attribute> argNames;
  SmallVector<int32_t> argSizes;
  for (const proto::XOpArg &arg : op.args) {
    argNames.push_back(builder.getStringAttr(arg.argName));
    argSizes.push_back(int32_t(arg.argOps.size()));
  }
  FailureOr<Type> type = tensorType(op);
  if (failed(type))
    return nullptr;
  auto node = tfg::NodeOp::create(builder, nameLoc(op.name), TypeRange{*type},
                                  builder.getStringAttr("xir"),
                                  builder.getStringAttr(op.type), operands,
                                  encodeXirAttrs(context, op.attrs));
  if (!op.args.empty()) {
    node->setAttr("xir.args", builder.getArrayAttr(argNames));
    node->setAttr("xir.arg_sizes", builder.getDenseI32ArrayAttr(argSizes));
  }
  if (!op.outputTensor.attrs.empty())
    node->setAttr("xir.tensor", encodeXirAttrs(context, op.outputTensor.attrs));
  return node.getResult(0);
}

/// XIR's {w, h} pair as our {h, w}, default when absent.
static std::optional<SmallVector<int64_t>>
pairOf(const XOp &op, const char *key, std::optional<int64_t> fallback) {
  const XAttr *a = proto::findXAttr(op.attrs, key, XAttr::Int32Vec);
  if (!a) {
    if (!fallback || op.attrs.count(key))
      return std::nullopt;
    return SmallVector<int64_t>{*fallback, *fallback};
  }
  if (a->ints.size() != 2)
    return std::nullopt;
  return SmallVector<int64_t>{a->ints[1], a->ints[0]};
}

/// XIR's pad {left, right, top, bottom} as our {top, bottom, left, right}.
static std::optional<SmallVector<int64_t>> padOf(const XOp &op) {
  const XAttr *a = proto::findXAttr(op.attrs, "pad", XAttr::Int32Vec);
  if (!a)
    return op.attrs.count("pad") ? std::nullopt
                                 : std::optional(SmallVector<int64_t>(4, 0));
  if (a->ints.size() != 4)
    return std::nullopt;
  return SmallVector<int64_t>{a->ints[2], a->ints[3], a->ints[0], a->ints[1]};
}

/// Explicit padding only: SAME / VALID would compute their own.
static bool floorPadMode(const XOp &op) {
  const XAttr *mode = proto::findXAttr(op.attrs, "pad_mode", XAttr::String);
  return !op.attrs.count("pad_mode") || (mode && mode->s == "FLOOR");
}

static std::optional<quant::Nonlinear> nonlinearOf(const XOp &op) {
  if (!op.attrs.count("nonlinear"))
    return quant::Nonlinear::none;
  const XAttr *a = proto::findXAttr(op.attrs, "nonlinear", XAttr::String);
  if (!a)
    return std::nullopt;
  return llvm::StringSwitch<std::optional<quant::Nonlinear>>(a->s)
      .Cases({"NONE", ""}, quant::Nonlinear::none)
      .Case("RELU", quant::Nonlinear::relu)
      .Case("RELU6", quant::Nonlinear::relu6)
      .Case("LEAKYRELU", quant::Nonlinear::leaky_relu)
      .Default(std::nullopt);
}

LogicalResult DpuViewImporter::convertConvLike(const XOp &op, Child &child) {
  StringRef type = op.type;
  bool depthwise = type == "depthwise-conv2d-fix";
  bool transposed = type == "transposed-conv2d-fix";
  FailureOr<Value> in = input(op, "input", true);
  if (failed(in))
    return failure();
  const XOp *consts[2] = {nullptr, nullptr};
  const char *argNames[2] = {"weights", "bias"};
  for (auto [i, arg] : llvm::enumerate(argNames)) {
    for (const proto::XOpArg &a : op.args)
      if (a.argName == arg) {
        if (a.argOps.size() != 1)
          return opError(op) << "expects one '" << arg << "' input, it has "
                             << a.argOps.size();
        const XOp &c = graph->ops[graphIndex.index.lookup(a.argOps[0])];
        if (c.type != "const-fix" ||
            childOf.lookup(c.name) != childOf.lookup(op.name))
          return opError(op) << "its " << arg << " '" << c.name
                             << "' is not a const-fix of the same subgraph";
        consts[i] = &c;
      }
  }
  if (!consts[0])
    return opError(op) << "has no weights";
  if (consts[0]->outputTensor.dims.size() != 4)
    return opError(op) << "expects 4-D [O, kh, kw, I] weights";
  if (consts[1] && consts[1]->outputTensor.dims.size() != 1)
    return opError(op) << "expects a 1-D bias";
  auto kernel = pairOf(op, "kernel", std::nullopt);
  auto strides = pairOf(op, "stride", std::nullopt);
  auto dilations = pairOf(op, "dilation", 1);
  auto pad = padOf(op);
  auto nonlinear = nonlinearOf(op);
  if (!kernel || !strides || !dilations || !pad)
    return opError(op) << "needs kernel and stride {w, h}, and a valid "
                          "dilation {w, h} and pad {l, r, t, b} if given";
  if (!nonlinear) {
    const XAttr *n = proto::findXAttr(op.attrs, "nonlinear", XAttr::String);
    return opError(op) << "nonlinear '" << (n ? n->s : "(not a string)")
                       << "' has no dpu engine op";
  }
  if (!floorPadMode(op))
    return opError(op) << "only pad_mode FLOOR (explicit padding) is "
                          "supported";
  const XAttr *group = proto::findXAttr(op.attrs, "group", XAttr::Int32);
  if (!depthwise && group && group->i != 1)
    return opError(op) << "group " << group->i
                       << " has no dpu engine op (dpu.conv is group 1)";
  const std::vector<int32_t> &wd = consts[0]->outputTensor.dims;
  if (wd[1] != (*kernel)[0] || wd[2] != (*kernel)[1])
    return opError(op) << "kernel {w " << (*kernel)[1] << ", h " << (*kernel)[0]
                       << "} but weights [" << wd[0] << ", " << wd[1] << ", "
                       << wd[2] << ", " << wd[3] << "]";
  if (depthwise && wd[0] != 1)
    return opError(op) << "channel multiplier " << wd[0]
                       << " has no dpu engine op (dpu.dwconv needs 1)";
  FailureOr<Value> weights =
      constValue(*consts[0], child, /*hwio=*/true, transposed);
  if (failed(weights))
    return failure();
  Value bias;
  if (consts[1]) {
    FailureOr<Value> b = constValue(*consts[1], child, /*hwio=*/false);
    if (failed(b))
      return failure();
    bias = *b;
  }
  FailureOr<Type> resultType = tensorType(op);
  if (failed(resultType))
    return failure();
  auto fix = [](Value v) { return quant::getFixType(v); };
  if (!fix(*in) ||
      !isa<quant::FixType>(cast<ShapedType>(*resultType).getElementType()))
    return opError(op) << "expects fixed-point input and output tensors";
  int fi = fix(*in).getFixPoint(), fw = fix(*weights).getFixPoint();
  int fo = cast<quant::FixType>(cast<ShapedType>(*resultType).getElementType())
               .getFixPoint();
  int32_t shiftCut = fi + fw - fo;
  int32_t shiftBias = bias ? fi + fw - fix(bias).getFixPoint() : 0;
  Location loc = nameLoc(op.name);
  Operation *result;
  if (transposed)
    result = dpu::ConvTransposeOp::create(
        builder, loc, *resultType, *in, *weights, bias, *strides, *dilations,
        *pad, *nonlinear, shiftCut, shiftBias);
  else if (depthwise)
    result = dpu::DwConvOp::create(builder, loc, *resultType, *in, *weights,
                                   bias, *strides, *dilations, *pad, *nonlinear,
                                   shiftCut, shiftBias);
  else
    result = dpu::ConvOp::create(builder, loc, *resultType, *in, *weights, bias,
                                 *strides, *dilations, *pad, *nonlinear,
                                 shiftCut, shiftBias);
  place(result, op);
  inner[op.name] = result->getResult(0);
  return success();
}

LogicalResult DpuViewImporter::convertDpuOp(const XOp &op, Child &child) {
  StringRef type = op.type;
  if (type == "const-fix")
    return success(); // built where it is read
  if (type == "upload" || type == "download") {
    FailureOr<Value> in = input(op, "input", true);
    if (failed(in))
      return failure();
    inner[op.name] = *in; // the subgraph's boundary
    return success();
  }
  if (type == "conv2d-fix" || type == "depthwise-conv2d-fix" ||
      type == "transposed-conv2d-fix")
    return convertConvLike(op, child);
  FailureOr<Type> resultType = tensorType(op);
  if (failed(resultType))
    return failure();
  Location loc = nameLoc(op.name);
  Operation *result = nullptr;
  if (type == "pool-fix") {
    FailureOr<Value> in = input(op, "input", true);
    auto kernel = pairOf(op, "kernel", std::nullopt);
    auto strides = pairOf(op, "stride", std::nullopt);
    auto pad = padOf(op);
    const XAttr *kind = proto::findXAttr(op.attrs, "type", XAttr::String);
    if (failed(in))
      return failure();
    if (!kernel || !strides || !pad || !kind ||
        (kind->s != "MAX" && kind->s != "AVG"))
      return opError(op) << "needs kernel and stride {w, h}, type MAX or "
                            "AVG, and a valid pad {l, r, t, b} if given";
    if (!floorPadMode(op))
      return opError(op) << "only pad_mode FLOOR (explicit padding) is "
                            "supported";
    result = dpu::PoolOp::create(builder, loc, *resultType, *in,
                                 kind->s == "MAX" ? dpu::PoolType::max
                                                  : dpu::PoolType::avg,
                                 *kernel, *strides, *pad);
  } else if (type == "concat-fix") {
    FailureOr<SmallVector<Value>> ins = inputs(op, "input");
    const XAttr *axis = proto::findXAttr(op.attrs, "axis", XAttr::Int32);
    if (failed(ins))
      return failure();
    int64_t rank = int64_t(op.outputTensor.dims.size());
    int64_t a = axis ? (axis->i < 0 ? axis->i + rank : axis->i) : -1;
    if (a < 0 || a >= rank)
      return opError(op) << "needs an int32 axis within the output's rank";
    result =
        dpu::ConcatOp::create(builder, loc, *resultType, *ins, uint64_t(a));
  } else if (type == "eltwise-fix") {
    FailureOr<SmallVector<Value>> ins = inputs(op, "input");
    const XAttr *kind = proto::findXAttr(op.attrs, "type", XAttr::String);
    auto nonlinear = nonlinearOf(op);
    if (failed(ins))
      return failure();
    if (ins->size() != 2)
      return opError(op) << "has " << ins->size()
                         << " inputs; the dpu engine ops take 2";
    if (!kind || kind->s == "ADD") {
      if (!nonlinear)
        return opError(op) << "has a nonlinear with no dpu engine op";
      result =
          dpu::ElewOp::create(builder, loc, *resultType, (*ins)[0], (*ins)[1],
                              quant::NonlinearAttr::get(context, *nonlinear));
    } else if (kind->s == "MUL") {
      result = dpu::ElewMulOp::create(builder, loc, *resultType, (*ins)[0],
                                      (*ins)[1]);
    } else {
      return opError(op) << "type '" << kind->s << "' has no dpu engine op";
    }
  } else if (type == "reshape-fix") {
    FailureOr<Value> in = input(op, "input", true);
    if (failed(in))
      return failure();
    result = quant::ReshapeOp::create(builder, loc, *resultType, *in);
  } else {
    return opError(op) << "is in DPU subgraph '" << child.subgraph->name
                       << "' but has no dpu engine op in the dpu view";
  }
  place(result, op);
  inner[op.name] = result->getResult(0);
  return success();
}

LogicalResult DpuViewImporter::convertOp(const XOp &op, Child &child) {
  if (isDataOp(op)) {
    Value arg = external.lookup(op.name);
    if (op.type == "data-fix") {
      FailureOr<Type> type = tensorType(op);
      if (failed(type))
        return failure();
      if (!isa<quant::FixType>(cast<ShapedType>(*type).getElementType()))
        return opError(op) << "expects a fixed-point (XINT) tensor";
      arg = quant::QuantizeOp::create(builder, nameLoc(op.name), *type, arg);
    }
    inner[op.name] = arg;
    return success();
  }
  if (child.device == dpu::Device::DPU)
    return convertDpuOp(op, child);
  SmallVector<Value> operands;
  for (const proto::XOpArg &arg : op.args) {
    FailureOr<SmallVector<Value>> values = inputs(op, arg.argName);
    if (failed(values))
      return failure();
    // inputs() collects every argument of this name; take each name once.
    if (llvm::any_of(op.args, [&](const proto::XOpArg &a) {
          return &a < &arg && a.argName == arg.argName;
        }))
      continue;
    operands.append(values->begin(), values->end());
  }
  auto isF32 = [](Value v) {
    auto t = dyn_cast<RankedTensorType>(v.getType());
    return t && t.getElementType().isF32();
  };
  Location loc = nameLoc(op.name);
  FailureOr<Type> type = tensorType(op);
  if (failed(type))
    return failure();
  if (operands.size() == 1 && op.args.size() == 1) {
    if (op.type == "fix2float" && quant::getFixType(operands[0]) &&
        cast<ShapedType>(*type).getElementType().isF32()) {
      inner[op.name] =
          quant::DequantizeOp::create(builder, loc, *type, operands[0]);
      return success();
    }
    if (op.type == "float2fix" && isF32(operands[0]) &&
        isa<quant::FixType>(cast<ShapedType>(*type).getElementType())) {
      inner[op.name] =
          quant::QuantizeOp::create(builder, loc, *type, operands[0]);
      return success();
    }
    if (op.type == "fix" && isF32(operands[0])) {
      // XIR's fix keeps a float tensor; its attributes give the type.
      XOp asTensor = op;
      asTensor.outputTensor.attrs = op.attrs;
      FailureOr<quant::FixType> fix = fixTypeOfTensor(asTensor);
      if (failed(fix))
        return failure();
      inner[op.name] = quant::QuantizeOp::create(
          builder, loc, cast<RankedTensorType>(*type).clone(*fix), operands[0]);
      return success();
    }
  }
  Value v = generic(op, operands);
  if (!v)
    return failure();
  inner[op.name] = v;
  return success();
}

/// `reg_id_to_size` with the kind of each register: CONST, or for DATA
/// registers WORKSPACE / INTERFACE from reg_id_to_context_type_v2 (xcompiler
/// 3.0) or, without it, from whether an upload reads into it.
FailureOr<ArrayAttr> DpuViewImporter::regionsOf(const Child &child) {
  const proto::XAttrMap &attrs = child.subgraph->attrs;
  const XAttr *sizes = nullptr;
  for (XAttr::Kind kind : {XAttr::MapInt32, XAttr::MapInt64})
    if (!sizes)
      sizes = proto::findXAttr(attrs, "reg_id_to_size", kind);
  if (!sizes)
    return ArrayAttr();
  const XAttr *v1 =
      proto::findXAttr(attrs, "reg_id_to_context_type", XAttr::MapString);
  const XAttr *v2 =
      proto::findXAttr(attrs, "reg_id_to_context_type_v2", XAttr::MapString);
  std::set<int64_t> uploadRegs;
  for (size_t i : child.ops)
    if (graph->ops[i].type == "upload")
      if (const XAttr *r = proto::findXAttr(graph->ops[i].outputTensor.attrs,
                                            "reg_id", XAttr::Int32))
        uploadRegs.insert(r->i);
  auto fail = [&]() -> InFlightDiagnostic {
    return emitError(nameLoc(child.subgraph->name))
           << "subgraph '" << child.subgraph->name << "': ";
  };
  SmallVector<Attribute> regions;
  for (auto &[name, size] : sizes->intMap) {
    int64_t id = 0;
    if (!proto::parseXirRegKey(name, id))
      return fail() << "reg_id_to_size key '" << name
                    << "' is not REG_<number>";
    std::string kindName;
    if (v2 && v2->strMap.count(name))
      kindName = v2->strMap.at(name);
    else if (v1 && v1->strMap.count(name))
      kindName = v1->strMap.at(name);
    else
      return fail() << "register " << name << " has no context type";
    dpu::RegionKind kind;
    if (kindName == "CONST")
      kind = dpu::RegionKind::Const;
    else if (kindName == "WORKSPACE")
      kind = dpu::RegionKind::Workspace;
    else if (kindName == "INTERFACE")
      kind = dpu::RegionKind::Interface;
    else if (kindName == "DATA")
      kind = uploadRegs.count(id) ? dpu::RegionKind::Interface
                                  : dpu::RegionKind::Workspace;
    else
      return fail() << "register " << name << " has context type '" << kindName
                    << "'";
    regions.push_back(dpu::RegionAttr::get(context, id, kind, size));
  }
  return builder.getArrayAttr(regions);
}

void DpuViewImporter::setDpuAttrs(dpu::SubgraphOp sg, const Child &child) {
  const proto::XAttrMap &attrs = child.subgraph->attrs;
  const XAttr *fp = proto::findXAttr(attrs, "dpu_fingerprint", XAttr::UInt64);
  const XAttr *name = proto::findXAttr(attrs, "dpu_name", XAttr::String);
  std::string target;
  if (fp) {
    std::string error;
    std::optional<Target> t = targetFromFingerprint(fp->u, error);
    if (t && lookupTarget(t->name, error))
      target = t->name;
    sg.setFingerprintAttr(
        builder.getStringAttr("0x" + llvm::utohexstr(fp->u, true)));
    if (target.empty() && !name && t)
      target = t->name;
  }
  if (target.empty() && name)
    target = name->s;
  if (!target.empty())
    sg.setTargetAttr(builder.getStringAttr(target));
  if (const XAttr *code = proto::findXAttr(attrs, "mc_code", XAttr::Bytes);
      code && !code->s.empty()) {
    auto type = RankedTensorType::get({int64_t(code->s.size())},
                                      builder.getIntegerType(8));
    sg.setMcCodeAttr(DenseElementsAttr::getFromRawBuffer(
        type, ArrayRef<char>(code->s.data(), code->s.size())));
  }
  // Everything without a home in the op, and the leaves.
  proto::XAttrMap rest;
  for (auto &[key, value] : attrs)
    if (key != "device" && key != "dpu_fingerprint" && key != "mc_code" &&
        key != "reg_id_to_parameter_value")
      rest[key] = value;
  if (!rest.empty())
    sg->setAttr("xir.attrs", encodeXirAttrs(context, rest));
}

LogicalResult DpuViewImporter::buildChild(Child &child) {
  inner.clear();
  external.clear();
  consts.clear();
  const XSubgraph &s = *child.subgraph;
  llvm::StringSet<> mine;
  for (size_t i : child.ops)
    mine.insert(graph->ops[i].name);

  // Values from outside, in the order their first reader appears.
  auto *body = new Block();
  SmallVector<Value> outerValues;
  SmallVector<Attribute> inputNames, placements;
  bool allPlaced = true;
  auto addExternal = [&](const std::string &name, Value v) {
    if (external.count(name))
      return;
    external[name] = body->addArgument(v.getType(), v.getLoc());
    outerValues.push_back(v);
    inputNames.push_back(builder.getStringAttr(name));
  };
  for (size_t i : child.ops) {
    const XOp &op = graph->ops[i];
    if (isDataOp(op)) {
      addExternal(op.name, funcArg.lookup(op.name));
      continue;
    }
    for (const proto::XOpArg &arg : op.args)
      for (const std::string &in : arg.argOps) {
        if (mine.count(in))
          continue;
        bool fresh = !external.count(in);
        addExternal(in, outer.lookup(in));
        if (!fresh || child.device != dpu::Device::DPU)
          continue;
        // A DPU subgraph's input lives where its upload puts it.
        dpu::PlacementAttr placement;
        if (op.type == "upload") {
          const proto::XAttrMap &t = op.outputTensor.attrs;
          const XAttr *reg = proto::findXAttr(t, "reg_id", XAttr::Int32);
          const XAttr *addr = proto::findXAttr(t, "ddr_addr", XAttr::Int32);
          const XAttr *stride = proto::findXAttr(t, "stride", XAttr::Int32Vec);
          if (reg && addr)
            placement = dpu::PlacementAttr::get(
                context, reg->i, addr->i, false,
                stride ? builder.getDenseI64ArrayAttr(stride->ints)
                       : DenseI64ArrayAttr());
        }
        allPlaced &= bool(placement);
        placements.push_back(placement);
      }
  }

  builder.setInsertionPointToEnd(body);
  for (size_t i : child.ops)
    if (failed(convertOp(graph->ops[i], child))) {
      delete body;
      return failure();
    }

  SmallVector<Value> yields;
  SmallVector<Attribute> outputNames;
  SmallVector<std::string> outputOps;
  for (size_t i : child.ops) {
    const XOp &op = graph->ops[i];
    if (!exported.count(op.name))
      continue;
    Value v = inner.lookup(op.name);
    if (!v) {
      delete body;
      return opError(op) << "is read outside subgraph '" << s.name
                         << "' but has no value inside it";
    }
    yields.push_back(v);
    outputNames.push_back(builder.getStringAttr(op.name));
    outputOps.push_back(op.name);
  }

  builder.setInsertionPointToEnd(&func.getBody().front());
  auto sg =
      dpu::SubgraphOp::create(builder, nameLoc(s.name), s.name, child.device,
                              outerValues, ValueRange(yields).getTypes());
  Block &sgBody = sg.getBody().front();
  for (Value &v : yields) // an input handed straight on
    if (auto arg = dyn_cast<BlockArgument>(v); arg && arg.getOwner() == body)
      v = sgBody.getArgument(arg.getArgNumber());
  for (auto [from, to] : llvm::zip(body->getArguments(), sgBody.getArguments()))
    from.replaceAllUsesWith(to);
  sgBody.getOperations().splice(sgBody.end(), body->getOperations());
  delete body;
  builder.setInsertionPointToEnd(&sgBody);
  dpu::YieldOp::create(builder, nameLoc(s.name), yields);
  sg->setAttr("xir.inputs", builder.getArrayAttr(inputNames));
  sg->setAttr("xir.outputs", builder.getArrayAttr(outputNames));
  if (child.device == dpu::Device::DPU) {
    setDpuAttrs(sg, child);
    FailureOr<ArrayAttr> regions = regionsOf(child);
    if (failed(regions))
      return failure();
    if (*regions)
      sg.setRegionsAttr(*regions);
    if (allPlaced && !placements.empty())
      sg.setInputPlacementsAttr(builder.getArrayAttr(placements));
  } else if (!s.attrs.empty()) {
    proto::XAttrMap rest = s.attrs;
    rest.erase("device");
    if (!rest.empty())
      sg->setAttr("xir.attrs", encodeXirAttrs(context, rest));
  }
  // The leaves (per-layer children of a DPU subgraph) with their attributes.
  if (!s.children.empty()) {
    SmallVector<Attribute> leaves;
    std::function<Attribute(const XSubgraph &)> leafAttr =
        [&](const XSubgraph &leaf) -> Attribute {
      SmallVector<Attribute> names, nested;
      for (const std::string &n : leaf.opNames)
        names.push_back(builder.getStringAttr(n));
      for (const XSubgraph &c : leaf.children)
        nested.push_back(leafAttr(c));
      NamedAttribute entries[] = {
          builder.getNamedAttr("name", builder.getStringAttr(leaf.name)),
          builder.getNamedAttr("op_names", builder.getArrayAttr(names)),
          builder.getNamedAttr("attrs", encodeXirAttrs(context, leaf.attrs)),
          builder.getNamedAttr("children", builder.getArrayAttr(nested))};
      return builder.getDictionaryAttr(entries);
    };
    for (const XSubgraph &leaf : s.children)
      leaves.push_back(leafAttr(leaf));
    sg->setAttr("xir.children", builder.getArrayAttr(leaves));
  }
  for (auto [name, result] : llvm::zip(outputOps, sg.getResults()))
    outer[name] = result;
  return success();
}

OwningOpRef<ModuleOp> DpuViewImporter::run(const proto::XGraph &g) {
  graph = &g;
  if (failed(orderOps()) || failed(collectChildren()))
    return nullptr;
  std::vector<size_t> order;
  if (failed(orderChildren(order)))
    return nullptr;

  // What each child hands on: ops read by another child, ops nobody reads
  // (such as the fix2float after each output) and the graph's return_ops.
  llvm::StringSet<> read;
  for (const XOp &op : g.ops)
    for (const proto::XOpArg &arg : op.args)
      for (const std::string &in : arg.argOps) {
        read.insert(in);
        if (childOf.lookup(in) != childOf.lookup(op.name))
          exported.insert(in);
      }
  for (const XOp &op : g.ops)
    if (!read.count(op.name) && op.type != "const-fix")
      exported.insert(op.name);
  std::vector<std::string> outputs;
  if (const XAttr *ret =
          proto::findXAttr(g.attrs, "return_ops", XAttr::StringVec))
    outputs = ret->strs;
  for (const std::string &name : outputs) {
    std::string op = graphIndex.opOf(name);
    if (op.empty()) {
      emitError(fileLoc) << "graph attribute return_ops names '" << name
                         << "', which is neither an op nor an op's output "
                            "tensor";
      return nullptr;
    }
    exported.insert(op);
  }

  OwningOpRef<ModuleOp> module = ModuleOp::create(fileLoc);
  module->getOperation()->setAttr("xir.graph_name",
                                  builder.getStringAttr(g.name));
  module->getOperation()->setAttr("xir.graph_attrs",
                                  encodeXirAttrs(context, g.attrs));
  if (!g.root.attrs.empty())
    module->getOperation()->setAttr("xir.root_attrs",
                                    encodeXirAttrs(context, g.root.attrs));

  // data and data-fix ops are the inputs, float, in file order.
  SmallVector<Type> argTypes;
  std::vector<const XOp *> dataOps;
  for (const XOp &op : g.ops)
    if (isDataOp(op)) {
      SmallVector<int64_t> dims(op.outputTensor.dims.begin(),
                                op.outputTensor.dims.end());
      argTypes.push_back(RankedTensorType::get(dims, builder.getF32Type()));
      dataOps.push_back(&op);
    }
  builder.setInsertionPointToEnd(module->getBody());
  func = func::FuncOp::create(builder, fileLoc, "main",
                              builder.getFunctionType(argTypes, {}));
  Block *entry = func.addEntryBlock();
  for (auto [i, op] : llvm::enumerate(dataOps)) {
    funcArg[op->name] = entry->getArgument(i);
    func.setArgAttr(i, "tfg.name", builder.getStringAttr(op->name));
  }
  for (size_t c : order)
    if (failed(buildChild(children[c])))
      return nullptr;

  builder.setInsertionPointToEnd(entry);
  SmallVector<Value> results;
  for (const std::string &name : outputs)
    results.push_back(outer.lookup(graphIndex.opOf(name)));
  if (failed(finishMainFunction(builder, func, fileLoc, results, outputs)))
    return nullptr;
  return module;
}

} // namespace

OwningOpRef<ModuleOp> importXModelDpuView(StringRef bytes, StringRef fileName,
                                          MLIRContext *context) {
  context->loadDialect<func::FuncDialect, tfg::TfgDialect, quant::QuantDialect,
                       dpu::DpuDialect>();
  proto::XGraph graph;
  if (!readXModelOrEmit(bytes, fileName, context, graph))
    return nullptr;
  return DpuViewImporter(context, fileName).run(graph);
}

} // namespace vai

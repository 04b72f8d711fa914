//===- OnnxExporter.cpp - tfg to an ONNX model ----------------------------===//
//
// Operator names, attributes and input orders follow ONNX's operator
// specification at opset 13 (onnx/docs/Operators.md); layouts are the
// inverse of OnnxImporter.cpp's.
//
// Layout. A tfg value is held in ONNX as one or more "forms": the tfg value
// transposed by a permutation `perm` (ONNX dimension i is tfg dimension
// perm[i]). Window ops (Conv, ConvTranspose, pools, BatchNormalization,
// Resize, DepthToSpace) need channels first, i.e. perm [0, r-1, 1, ..., r-2]
// of tfg's channels-last value, and produce that form. Elementwise ops work
// in the form of their first operand; Concat, Pad, Softmax and ReduceMean
// renumber their axes through it; tfg.transpose only changes the perm of the
// form, so the importer's NCHW <-> NHWC transposes cancel. A form that does
// not exist yet is made by one Transpose node, or, for a constant, by a
// transposed initializer. Function arguments and results are in the
// identity form: the model has the tfg function's own signature.
//
//===----------------------------------------------------------------------===//

#include "vai/Export/OnnxExporter.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "vai/Dialect/Tfg/TfgOps.h"
#include "vai/Dialect/Tfg/TfgUtils.h"
#include "vai/Support/TransposeData.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/ADT/TypeSwitch.h"
#include <numeric>

using namespace mlir;
using vai::proto::OnnxAttr;
using vai::proto::OnnxDType;
using vai::proto::OnnxNode;
using vai::proto::OnnxTensor;
using vai::proto::OnnxValueInfo;

namespace vai {
namespace {

using Perm = SmallVector<int64_t, 4>;

Perm identityPerm(int64_t rank) {
  Perm p(rank);
  std::iota(p.begin(), p.end(), 0);
  return p;
}

/// tfg's channels-last to ONNX's channels-first: [0, r-1, 1, ..., r-2].
Perm channelsFirst(int64_t rank) {
  if (rank < 3)
    return identityPerm(rank);
  Perm p{0, rank - 1};
  for (int64_t d = 1; d < rank - 1; ++d)
    p.push_back(d);
  return p;
}

Perm inversePerm(ArrayRef<int64_t> p) {
  Perm inv(p.size());
  for (auto [i, v] : llvm::enumerate(p))
    inv[v] = i;
  return inv;
}

bool isIdentity(ArrayRef<int64_t> p) {
  for (auto [i, v] : llvm::enumerate(p))
    if (v != int64_t(i))
      return false;
  return true;
}

OnnxAttr intAttr(StringRef name, int64_t v) {
  OnnxAttr a;
  a.name = name.str();
  a.kind = OnnxAttr::Int;
  a.i = v;
  return a;
}
OnnxAttr floatAttr(StringRef name, float v) {
  OnnxAttr a;
  a.name = name.str();
  a.kind = OnnxAttr::Float;
  a.f = v;
  return a;
}
OnnxAttr intsAttr(StringRef name, ArrayRef<int64_t> v) {
  OnnxAttr a;
  a.name = name.str();
  a.kind = OnnxAttr::Ints;
  a.ints.assign(v.begin(), v.end());
  return a;
}
OnnxAttr strAttr(StringRef name, StringRef v) {
  OnnxAttr a;
  a.name = name.str();
  a.kind = OnnxAttr::String;
  a.s = v.str();
  return a;
}

/// tfg's [top, bottom, left, right] as ONNX's [top, left, bottom, right].
SmallVector<int64_t> onnxPads(ArrayRef<int64_t> pad) {
  return {pad[0], pad[2], pad[1], pad[3]};
}

OnnxValueInfo valueInfo(StringRef name, RankedTensorType type) {
  OnnxValueInfo v;
  v.name = name.str();
  v.kind = OnnxValueInfo::Tensor;
  v.elemType = OnnxDType::Float;
  v.hasShape = true;
  for (int64_t d : type.getShape())
    v.dims.push_back(ShapedType::isDynamic(d) ? -1 : d);
  return v;
}

class Exporter {
public:
  explicit Exporter(func::FuncOp func) : func(func) {}
  LogicalResult run(proto::OnnxGraph &graph);

private:
  struct Form {
    Perm perm;
    std::string name;
  };

  std::string unique(StringRef base);
  OnnxNode &node(StringRef opType, std::vector<std::string> inputs,
                 StringRef output, std::vector<OnnxAttr> attrs = {});
  std::string define(Value v, ArrayRef<int64_t> perm, StringRef base);
  FailureOr<std::string> get(Value v, ArrayRef<int64_t> perm);
  FailureOr<std::string> initializer(Value v, ArrayRef<int64_t> perm,
                                     ArrayRef<int64_t> dims, StringRef base);
  std::string floats(StringRef base, ArrayRef<int64_t> dims,
                     ArrayRef<float> values);
  std::string int64s(StringRef base, ArrayRef<int64_t> values);
  Perm formOf(Value v) {
    auto it = forms.find(v);
    if (it != forms.end() && !it->second.empty())
      return it->second.front().perm;
    return identityPerm(cast<RankedTensorType>(v.getType()).getRank());
  }
  /// The constant `v` is, through identities (the importers keep TF's
  /// `weights/read`); null when it is not one.
  tfg::ConstOp constOf(Value v) {
    while (auto id = v.getDefiningOp<tfg::IdentityOp>())
      v = id.getInput();
    return v.getDefiningOp<tfg::ConstOp>();
  }
  bool isConst(Value v) { return constOf(v) != nullptr; }
  FailureOr<Perm> elementwise(Operation *op, ValueRange operands,
                              std::vector<std::string> &names);
  LogicalResult activation(Operation *op, StringRef in, tfg::Activation act,
                           Value result, ArrayRef<int64_t> perm);
  LogicalResult convert(Operation *op);
  bool rename(const std::string &from, const std::string &to);

  func::FuncOp func;
  proto::OnnxGraph *graph = nullptr;
  llvm::StringSet<> used;
  llvm::DenseMap<Value, SmallVector<Form, 1>> forms;
  /// Results' ONNX names, given to their identity forms.
  llvm::DenseMap<Value, std::string> outputNames;
  std::string name; ///< of the op being converted
};

std::string Exporter::unique(StringRef base) {
  std::string n = base.empty() ? "value" : base.str();
  if (used.insert(n).second)
    return n;
  for (unsigned i = 1;; ++i) {
    std::string candidate = n + "_" + std::to_string(i);
    if (used.insert(candidate).second)
      return candidate;
  }
}

OnnxNode &Exporter::node(StringRef opType, std::vector<std::string> inputs,
                         StringRef output, std::vector<OnnxAttr> attrs) {
  OnnxNode n;
  n.name = output.str();
  n.opType = opType.str();
  n.inputs = std::move(inputs);
  n.outputs = {output.str()};
  n.attrs = std::move(attrs);
  graph->nodes.push_back(std::move(n));
  return graph->nodes.back();
}

/// Names the ONNX tensor holding `v` in form `perm`; a function result in
/// the identity form gets its output name.
std::string Exporter::define(Value v, ArrayRef<int64_t> perm, StringRef base) {
  std::string n;
  auto out = outputNames.find(v);
  if (isIdentity(perm) && out != outputNames.end() && !out->second.empty()) {
    n = out->second;
    out->second.clear();
  } else {
    n = unique(base);
  }
  forms[v].push_back({Perm(perm.begin(), perm.end()), n});
  return n;
}

std::string Exporter::floats(StringRef base, ArrayRef<int64_t> dims,
                             ArrayRef<float> values) {
  OnnxTensor t;
  t.name = unique(base);
  t.dtype = OnnxDType::Float;
  t.dims.assign(dims.begin(), dims.end());
  t.floats.assign(values.begin(), values.end());
  graph->initializers.push_back(t);
  return t.name;
}

std::string Exporter::int64s(StringRef base, ArrayRef<int64_t> values) {
  OnnxTensor t;
  t.name = unique(base);
  t.dtype = OnnxDType::Int64;
  t.dims = {int64_t(values.size())};
  t.ints.assign(values.begin(), values.end());
  graph->initializers.push_back(t);
  return t.name;
}

/// The constant `v` as an initializer of shape `dims` (its own shape, or
/// with leading 1s for broadcasting), transposed by `perm`.
FailureOr<std::string> Exporter::initializer(Value v, ArrayRef<int64_t> perm,
                                             ArrayRef<int64_t> dims,
                                             StringRef base) {
  tfg::ConstOp c = constOf(v);
  auto data = dyn_cast<DenseElementsAttr>(c.getValue());
  if (!data || !data.getElementType().isF32())
    return c.emitError() << "constant of type " << c.getValue().getType()
                         << " has no ONNX form here (f32 data only)";
  SmallVector<float> values(data.getValues<float>());
  std::vector<float> moved = transposeData<float>(dims, values, perm);
  SmallVector<int64_t> outDims;
  for (int64_t p : perm)
    outDims.push_back(dims[p]);
  return floats(base, outDims, moved);
}

FailureOr<std::string> Exporter::get(Value v, ArrayRef<int64_t> perm) {
  for (const Form &f : forms[v])
    if (ArrayRef<int64_t>(f.perm) == perm)
      return f.name;
  if (isConst(v)) {
    auto type = cast<RankedTensorType>(v.getType());
    std::string base = tfg::nodeName(v.getLoc());
    if (!isIdentity(perm))
      base += "/transposed";
    auto n = initializer(v, perm, type.getShape(), base);
    if (failed(n))
      return failure();
    forms[v].push_back({Perm(perm.begin(), perm.end()), *n});
    return *n;
  }
  if (forms[v].empty())
    return emitError(v.getLoc()) << "value used before it is defined";
  Form from = forms[v].front();
  // Transpose(X, t) has dim j = X dim t[j] = tfg dim from.perm[t[j]].
  Perm inv = inversePerm(from.perm), t;
  for (int64_t p : perm)
    t.push_back(inv[p]);
  std::string out = define(v, perm, from.name + "/transpose");
  node("Transpose", {from.name}, out, {intsAttr("perm", t)});
  return out;
}

/// Operands of an elementwise op (NumPy broadcasting, as in ONNX) in one
/// form: that of the first full-rank non-constant operand when every other
/// operand can follow it, else the identity.
FailureOr<Perm> Exporter::elementwise(Operation *op, ValueRange operands,
                                      std::vector<std::string> &names) {
  int64_t rank = cast<RankedTensorType>(op->getResult(0).getType()).getRank();
  Perm perm = identityPerm(rank);
  bool follow = true;
  for (Value v : operands)
    if (!isConst(v) && cast<RankedTensorType>(v.getType()).getRank() == rank) {
      perm = formOf(v);
      break;
    }
  for (Value v : operands)
    if (!isConst(v) && cast<RankedTensorType>(v.getType()).getRank() != rank)
      follow = false;
  if (!follow)
    perm = identityPerm(rank);
  names.clear();
  for (Value v : operands) {
    auto type = cast<RankedTensorType>(v.getType());
    if (type.getRank() == rank || isIdentity(perm)) {
      auto n = get(v, type.getRank() == rank ? ArrayRef<int64_t>(perm)
                                             : identityPerm(type.getRank()));
      if (failed(n))
        return failure();
      names.push_back(*n);
      continue;
    }
    // A lower-rank constant broadcast against a permuted value: give it
    // the full rank (leading 1s), then the same permutation.
    SmallVector<int64_t> dims(rank - type.getRank(), 1);
    dims.append(type.getShape().begin(), type.getShape().end());
    auto n = initializer(v, perm, dims,
                         tfg::nodeName(v.getLoc()) + "/" + "broadcast");
    if (failed(n))
      return failure();
    names.push_back(*n);
  }
  return perm;
}

/// Writes `act` of the tensor `in` as the ONNX value of `result`.
LogicalResult Exporter::activation(Operation *op, StringRef in,
                                   tfg::Activation act, Value result,
                                   ArrayRef<int64_t> perm) {
  switch (act) {
  case tfg::Activation::none:
    forms[result].push_back({Perm(perm.begin(), perm.end()), in.str()});
    return success();
  case tfg::Activation::relu:
    node("Relu", {in.str()}, define(result, perm, name));
    return success();
  case tfg::Activation::relu6:
    node("Clip",
         {in.str(), floats(name + "/min", {}, {0.0f}),
          floats(name + "/max", {}, {6.0f})},
         define(result, perm, name));
    return success();
  case tfg::Activation::leaky_relu:
    node("LeakyRelu", {in.str()}, define(result, perm, name),
         {floatAttr("alpha", tfg::fusedSlope(op))});
    return success();
  }
  return success();
}

LogicalResult Exporter::convert(Operation *op) {
  name = tfg::nodeName(op->getLoc());
  if (name.empty())
    name = op->getName().stripDialect().str();
  auto in = [&](Value v, ArrayRef<int64_t> perm) { return get(v, perm); };
  Value result = op->getNumResults() ? op->getResult(0) : Value();
  auto resultType = result ? dyn_cast<RankedTensorType>(result.getType())
                           : RankedTensorType();
  int64_t rank = resultType ? resultType.getRank() : 0;
  // A unary op that keeps its operand's form.
  auto unary = [&](StringRef opType, Value x, std::vector<OnnxAttr> attrs = {},
                   std::vector<std::string> extra = {}) -> LogicalResult {
    Perm perm = formOf(x);
    auto a = in(x, perm);
    if (failed(a))
      return failure();
    std::vector<std::string> ins{*a};
    ins.insert(ins.end(), extra.begin(), extra.end());
    node(opType, ins, define(result, perm, name), std::move(attrs));
    return success();
  };
  auto binary = [&](StringRef opType, ValueRange operands) -> LogicalResult {
    std::vector<std::string> names;
    auto perm = elementwise(op, operands, names);
    if (failed(perm))
      return failure();
    node(opType, names, define(result, *perm, name));
    return success();
  };
  // Convolutions: X in channels-first, W already in ONNX's layout, bias.
  auto conv = [&](StringRef opType, Value x, std::string w, Value bias,
                  std::vector<OnnxAttr> attrs,
                  tfg::Activation act) -> LogicalResult {
    Perm nchw = channelsFirst(rank);
    auto a = in(x, nchw);
    if (failed(a))
      return failure();
    std::vector<std::string> ins{*a, w};
    if (bias) {
      auto b = in(bias, {0});
      if (failed(b))
        return failure();
      ins.push_back(*b);
    }
    std::string out = act == tfg::Activation::none
                          ? define(result, nchw, name)
                          : unique(name + "/" + opType.str());
    node(opType, ins, out, std::move(attrs));
    if (act == tfg::Activation::none)
      return success();
    return activation(op, out, act, result, nchw);
  };

  return llvm::TypeSwitch<Operation *, LogicalResult>(op)
      .Case<tfg::ConstOp>([&](auto) { return success(); }) // made when used
      .Case<tfg::IdentityOp>([&](auto o) -> LogicalResult {
        if (isConst(o.getInput()))
          return success(); // an initializer when used
        SmallVector<Form, 1> same = forms[o.getInput()];
        forms[result] = same;
        return success();
      })
      .Case<tfg::ReluOp>([&](auto o) { return unary("Relu", o.getInput()); })
      .Case<tfg::SigmoidOp>(
          [&](auto o) { return unary("Sigmoid", o.getInput()); })
      .Case<tfg::TanhOp>([&](auto o) { return unary("Tanh", o.getInput()); })
      .Case<tfg::Relu6Op>([&](auto o) {
        return unary("Clip", o.getInput(), {},
                     {floats(name + "/min", {}, {0.0f}),
                      floats(name + "/max", {}, {6.0f})});
      })
      .Case<tfg::ClipOp>([&](auto o) {
        std::vector<std::string> bounds{
            o.getMin()
                ? floats(name + "/min", {}, {o.getMin()->convertToFloat()})
                : "",
            o.getMax()
                ? floats(name + "/max", {}, {o.getMax()->convertToFloat()})
                : ""};
        if (bounds.back().empty())
          bounds.pop_back();
        return unary("Clip", o.getInput(), {}, bounds);
      })
      .Case<tfg::LeakyReluOp>([&](auto o) {
        return unary("LeakyRelu", o.getInput(),
                     {floatAttr("alpha", o.getAlpha().convertToFloat())});
      })
      .Case<tfg::HardSigmoidOp>([&](auto o) {
        return unary("HardSigmoid", o.getInput(),
                     {floatAttr("alpha", o.getAlpha().convertToFloat()),
                      floatAttr("beta", o.getBeta().convertToFloat())});
      })
      .Case<tfg::HardSwishOp, tfg::SwishOp>([&](auto o) -> LogicalResult {
        // HardSwish is opset 14: x * HardSigmoid(x, 1/6, 1/2) at 13; swish
        // is x * Sigmoid(x).
        Perm perm = formOf(o.getInput());
        auto x = in(o.getInput(), perm);
        if (failed(x))
          return failure();
        std::string gate = unique(name + "/gate");
        if (isa<tfg::HardSwishOp>(op))
          node("HardSigmoid", {*x}, gate,
               {floatAttr("alpha", 1.0f / 6.0f), floatAttr("beta", 0.5f)});
        else
          node("Sigmoid", {*x}, gate);
        node("Mul", {*x, gate}, define(result, perm, name));
        return success();
      })
      .Case<tfg::SoftmaxOp>([&](auto o) -> LogicalResult {
        // Opset 13's Softmax normalizes one axis, as tfg's.
        Perm perm = formOf(o.getInput());
        int64_t axis = o.getAxis() < 0 ? int64_t(o.getAxis()) + rank
                                       : int64_t(o.getAxis());
        auto x = in(o.getInput(), perm);
        if (failed(x))
          return failure();
        node("Softmax", {*x}, define(result, perm, name),
             {intAttr("axis", inversePerm(perm)[axis])});
        return success();
      })
      .Case<tfg::AddOp, tfg::BiasAddOp>(
          [&](auto) { return binary("Add", op->getOperands()); })
      .Case<tfg::SubOp>([&](auto) { return binary("Sub", op->getOperands()); })
      .Case<tfg::MulOp>([&](auto) { return binary("Mul", op->getOperands()); })
      .Case<tfg::DivOp>([&](auto) { return binary("Div", op->getOperands()); })
      .Case<tfg::MaximumOp>(
          [&](auto) { return binary("Max", op->getOperands()); })
      .Case<tfg::MinimumOp>(
          [&](auto) { return binary("Min", op->getOperands()); })
      .Case<tfg::PReluOp>(
          [&](auto) { return binary("PRelu", op->getOperands()); })
      .Case<tfg::Conv2DOp>([&](auto o) -> LogicalResult {
        auto filter = cast<RankedTensorType>(o.getFilter().getType());
        auto w = in(o.getFilter(), {3, 2, 0, 1}); // HWIO -> OIHW
        if (failed(w))
          return failure();
        return conv("Conv", o.getInput(), *w, o.getBias(),
                    {intsAttr("dilations", o.getDilations()),
                     intAttr("group", 1),
                     intsAttr("kernel_shape", filter.getShape().take_front(2)),
                     intsAttr("pads", onnxPads(o.getPad())),
                     intsAttr("strides", o.getStrides())},
                    o.getActivation());
      })
      .Case<tfg::DepthwiseConv2DOp>([&](auto o) -> LogicalResult {
        // [kh, kw, C, m] -> [C * m, 1, kh, kw]: output channel c * m + j.
        auto filter = cast<RankedTensorType>(o.getFilter().getType());
        int64_t kh = filter.getDimSize(0), kw = filter.getDimSize(1),
                c = filter.getDimSize(2), m = filter.getDimSize(3);
        std::string w;
        if (isConst(o.getFilter())) {
          auto n = initializer(o.getFilter(), {2, 3, 0, 1}, filter.getShape(),
                               tfg::nodeName(o.getFilter().getLoc()));
          if (failed(n))
            return failure();
          graph->initializers.back().dims = {c * m, 1, kh, kw};
          w = *n;
        } else {
          auto t = in(o.getFilter(), {2, 3, 0, 1});
          if (failed(t))
            return failure();
          w = unique(name + "/filter");
          node("Reshape",
               {*t, int64s(name + "/filter_shape", {c * m, 1, kh, kw})}, w);
        }
        return conv("Conv", o.getInput(), w, o.getBias(),
                    {intsAttr("dilations", o.getDilations()),
                     intAttr("group", c), intsAttr("kernel_shape", {kh, kw}),
                     intsAttr("pads", onnxPads(o.getPad())),
                     intsAttr("strides", o.getStrides())},
                    o.getActivation());
      })
      .Case<tfg::Conv2DTransposeOp>([&](auto o) -> LogicalResult {
        // [kh, kw, out, in] -> [in, out, kh, kw].
        auto filter = cast<RankedTensorType>(o.getFilter().getType());
        auto input = cast<RankedTensorType>(o.getInput().getType());
        auto w = in(o.getFilter(), {3, 2, 0, 1});
        if (failed(w))
          return failure();
        ArrayRef<int64_t> pad = o.getPad(), s = o.getStrides(),
                          d = o.getDilations();
        SmallVector<int64_t> outputPadding;
        for (int i = 0; i < 2; ++i) {
          int64_t inSize = input.getDimSize(1 + i),
                  outSize = resultType.getDimSize(1 + i);
          if (ShapedType::isDynamic(inSize) || ShapedType::isDynamic(outSize))
            return op->emitError() << "conv2d_transpose needs static spatial "
                                      "sizes for ONNX's output_padding";
          int64_t full =
              (inSize - 1) * s[i] + (filter.getDimSize(i) - 1) * d[i] + 1;
          outputPadding.push_back(outSize -
                                  (full - pad[2 * i] - pad[2 * i + 1]));
        }
        return conv("ConvTranspose", o.getInput(), *w, o.getBias(),
                    {intsAttr("dilations", d), intAttr("group", 1),
                     intsAttr("kernel_shape", filter.getShape().take_front(2)),
                     intsAttr("output_padding", outputPadding),
                     intsAttr("pads", onnxPads(pad)), intsAttr("strides", s)},
                    o.getActivation());
      })
      .Case<tfg::MaxPoolOp, tfg::AvgPoolOp>([&](auto o) -> LogicalResult {
        Perm nchw = channelsFirst(rank);
        auto x = in(o.getInput(), nchw);
        if (failed(x))
          return failure();
        std::vector<OnnxAttr> attrs{intsAttr("kernel_shape", o.getKernel()),
                                    intsAttr("pads", onnxPads(o.getPad())),
                                    intsAttr("strides", o.getStrides())};
        // tfg's average leaves padding out of the count.
        if (isa<tfg::AvgPoolOp>(op))
          attrs.push_back(intAttr("count_include_pad", 0));
        node(isa<tfg::MaxPoolOp>(op) ? "MaxPool" : "AveragePool", {*x},
             define(result, nchw, name), attrs);
        return success();
      })
      .Case<tfg::FusedBatchNormOp>([&](auto o) -> LogicalResult {
        Perm nchw = channelsFirst(rank);
        std::vector<std::string> ins;
        auto x = in(o.getInput(), nchw);
        if (failed(x))
          return failure();
        ins.push_back(*x);
        for (Value v :
             {o.getScale(), o.getOffset(), o.getMean(), o.getVariance()}) {
          auto n = in(v, {0});
          if (failed(n))
            return failure();
          ins.push_back(*n);
        }
        node("BatchNormalization", ins, define(result, nchw, name),
             {floatAttr("epsilon", o.getEpsilon().convertToFloat())});
        return success();
      })
      .Case<tfg::MeanOp>([&](auto o) -> LogicalResult {
        Perm perm = formOf(o.getInput());
        auto x = in(o.getInput(), perm);
        if (failed(x))
          return failure();
        int64_t inRank = perm.size();
        llvm::SmallDenseSet<int64_t> reduced;
        for (int64_t a : o.getAxes())
          reduced.insert(a < 0 ? a + inRank : a);
        SmallVector<int64_t> axes;
        Perm outPerm;
        // The kept dims keep their order; numbered among themselves.
        SmallVector<int64_t> renumber(inRank, -1);
        int64_t next = 0;
        for (int64_t d = 0; d < inRank; ++d)
          if (!reduced.count(d))
            renumber[d] = next++;
        for (auto [i, p] : llvm::enumerate(perm)) {
          if (reduced.count(p))
            axes.push_back(i);
          if (o.getKeepDims())
            outPerm.push_back(p);
          else if (!reduced.count(p))
            outPerm.push_back(renumber[p]);
        }
        // The mean over all spatial dims of channels-first data, kept, is
        // GlobalAveragePool (what the importer read it from, usually).
        SmallVector<int64_t> spatial;
        for (int64_t d = 2; d < inRank; ++d)
          spatial.push_back(d);
        if (inRank > 2 &&
            ArrayRef<int64_t>(axes) == ArrayRef<int64_t>(spatial)) {
          if (o.getKeepDims()) {
            node("GlobalAveragePool", {*x}, define(result, outPerm, name));
            return success();
          }
          // [N, C, 1, 1] -> [N, C].
          std::string pooled = unique(name + "/pool");
          node("GlobalAveragePool", {*x}, pooled);
          node("Flatten", {pooled}, define(result, outPerm, name),
               {intAttr("axis", 1)});
          return success();
        }
        node("ReduceMean", {*x}, define(result, outPerm, name),
             {intsAttr("axes", axes),
              intAttr("keepdims", o.getKeepDims() ? 1 : 0)});
        return success();
      })
      .Case<tfg::MatMulOp>([&](auto o) -> LogicalResult {
        if (rank != 2)
          return op->emitError()
                 << "matmul of rank " << rank << " has no Gemm form";
        auto a = in(o.getA(), {0, 1}), b = in(o.getB(), {0, 1});
        if (failed(a) || failed(b))
          return failure();
        std::vector<std::string> ins{*a, *b};
        if (o.getBias()) {
          auto c = in(o.getBias(), {0});
          if (failed(c))
            return failure();
          ins.push_back(*c);
        }
        bool plain = o.getActivation() == tfg::Activation::none;
        std::string out =
            plain ? define(result, {0, 1}, name) : unique(name + "/Gemm");
        node("Gemm", ins, out,
             {intAttr("transA", o.getTransposeA()),
              intAttr("transB", o.getTransposeB())});
        if (plain)
          return success();
        return activation(op, out, o.getActivation(), result, {0, 1});
      })
      .Case<tfg::BatchMatMulOp>([&](auto o) -> LogicalResult {
        auto a = in(
            o.getA(),
            identityPerm(cast<RankedTensorType>(o.getA().getType()).getRank()));
        auto b = in(
            o.getB(),
            identityPerm(cast<RankedTensorType>(o.getB().getType()).getRank()));
        if (failed(a) || failed(b))
          return failure();
        node("MatMul", {*a, *b}, define(result, identityPerm(rank), name));
        return success();
      })
      .Case<tfg::TransposeOp>([&](auto o) -> LogicalResult {
        // out = in transposed by q: a form P of in is the form of out
        // with perm inv(q)[P].
        Value x = o.getInput();
        if (isConst(x))
          return unary("Transpose", x, {intsAttr("perm", o.getPerm())});
        Perm inv = inversePerm(o.getPerm());
        for (const Form &f : SmallVector<Form, 1>(forms[x])) {
          Perm p;
          for (int64_t v : f.perm)
            p.push_back(inv[v]);
          forms[result].push_back({p, f.name});
        }
        return success();
      })
      .Case<tfg::ReshapeOp>([&](auto o) -> LogicalResult {
        auto inType = cast<RankedTensorType>(o.getInput().getType());
        // A form that moves only size-1 dims has the row-major order of the
        // identity form ([N, C, 1, 1] for [N, 1, 1, C]): reshape it as is.
        FailureOr<std::string> x = failure();
        for (const Form &f : forms[o.getInput()]) {
          int64_t last = -1;
          bool sameOrder = true;
          for (int64_t p : f.perm) {
            if (inType.getDimSize(p) == 1)
              continue;
            sameOrder &= p > last;
            last = p;
          }
          if (sameOrder) {
            x = f.name;
            break;
          }
        }
        if (failed(x))
          x = in(o.getInput(), identityPerm(inType.getRank()));
        if (failed(x))
          return failure();
        SmallVector<int64_t> shape;
        for (int64_t d : resultType.getShape())
          shape.push_back(ShapedType::isDynamic(d) ? -1 : d);
        if (llvm::count(shape, -1) > 1)
          return op->emitError() << "reshape to " << resultType
                                 << " has more than one unknown dimension";
        node("Reshape", {*x, int64s(name + "/shape", shape)},
             define(result, identityPerm(rank), name));
        return success();
      })
      .Case<tfg::ConcatOp>([&](auto o) -> LogicalResult {
        Perm perm = identityPerm(rank);
        for (Value v : o.getInputs())
          if (!isConst(v)) {
            perm = formOf(v);
            break;
          }
        std::vector<std::string> ins;
        for (Value v : o.getInputs()) {
          auto n = in(v, perm);
          if (failed(n))
            return failure();
          ins.push_back(*n);
        }
        int64_t axis = int64_t(o.getAxis()) < 0 ? int64_t(o.getAxis()) + rank
                                                : int64_t(o.getAxis());
        node("Concat", ins, define(result, perm, name),
             {intAttr("axis", inversePerm(perm)[axis])});
        return success();
      })
      .Case<tfg::PadOp>([&](auto o) -> LogicalResult {
        Perm perm = formOf(o.getInput());
        auto x = in(o.getInput(), perm);
        if (failed(x))
          return failure();
        ArrayRef<int64_t> pads = o.getPads();
        SmallVector<int64_t> onnx(2 * rank);
        for (int64_t i = 0; i < rank; ++i) {
          onnx[i] = pads[perm[i]];
          onnx[i + rank] = pads[perm[i] + rank];
        }
        StringRef mode = o.getMode() == tfg::PadMode::constant  ? "constant"
                         : o.getMode() == tfg::PadMode::reflect ? "reflect"
                                                                : "edge";
        std::vector<std::string> ins{*x, int64s(name + "/pads", onnx)};
        if (o.getMode() == tfg::PadMode::constant)
          ins.push_back(
              floats(name + "/value", {}, {o.getValue().convertToFloat()}));
        node("Pad", ins, define(result, perm, name), {strAttr("mode", mode)});
        return success();
      })
      .Case<tfg::ResizeOp>([&](auto o) -> LogicalResult {
        Perm nchw = channelsFirst(rank);
        auto inType = cast<RankedTensorType>(o.getInput().getType());
        auto x = in(o.getInput(), nchw);
        if (failed(x))
          return failure();
        StringRef mode = o.getMode() == tfg::ResizeMode::nearest    ? "nearest"
                         : o.getMode() == tfg::ResizeMode::bilinear ? "linear"
                                                                    : "cubic";
        std::vector<std::string> ins{*x, ""};
        // Sizes when every dim is known; else the scales, which are out /
        // in unless the framework gave its own.
        if (resultType.hasStaticShape() && !o.getScales()) {
          SmallVector<int64_t> sizes;
          for (int64_t p : nchw)
            sizes.push_back(resultType.getDimSize(p));
          ins.push_back("");
          ins.push_back(int64s(name + "/sizes", sizes));
        } else {
          SmallVector<float> scales(rank, 1.0f);
          for (int i = 0; i < 2; ++i) {
            if (o.getScales()) {
              scales[2 + i] = (*o.getScales())[i];
              continue;
            }
            int64_t a = inType.getDimSize(1 + i),
                    b = resultType.getDimSize(1 + i);
            if (ShapedType::isDynamic(a) || ShapedType::isDynamic(b))
              return op->emitError() << "resize needs static spatial sizes";
            scales[2 + i] = float(b) / float(a);
            if (int64_t(std::floor(float(a) * scales[2 + i])) != b)
              return op->emitError()
                     << "resize from " << a << " to " << b
                     << " has no exact ONNX scale; give the batch size";
          }
          ins.push_back(floats(name + "/scales", {rank}, scales));
        }
        node("Resize", ins, define(result, nchw, name),
             {strAttr("coordinate_transformation_mode", o.getCoordinateMode()),
              floatAttr("cubic_coeff_a", o.getCubicCoeffA().convertToFloat()),
              intAttr("exclude_outside", o.getExcludeOutside()),
              strAttr("mode", mode),
              strAttr("nearest_mode", o.getNearestMode())});
        return success();
      })
      .Case<tfg::DepthToSpaceOp>([&](auto o) -> LogicalResult {
        Perm nchw = channelsFirst(rank);
        auto x = in(o.getInput(), nchw);
        if (failed(x))
          return failure();
        node("DepthToSpace", {*x}, define(result, nchw, name),
             {intAttr("blocksize", o.getBlockSize()),
              strAttr("mode", o.getMode())});
        return success();
      })
      .Case<tfg::NodeOp>([&](auto o) -> LogicalResult {
        StringRef type = o.getOpType();
        if (o.getFramework() != "onnx" || type.contains('.'))
          return op->emitError()
                 << "tfg.node '" << o.getFramework() << "' '" << type
                 << "' has no ONNX form (only default-domain nodes kept from "
                    "an ONNX model can be written back)";
        std::vector<std::string> ins;
        for (Value v : o.getOperands()) {
          auto t = dyn_cast<RankedTensorType>(v.getType());
          auto n = t ? in(v, identityPerm(t.getRank()))
                     : FailureOr<std::string>(failure());
          if (failed(n))
            return failure();
          ins.push_back(*n);
        }
        std::vector<OnnxAttr> attrs;
        for (NamedAttribute a : o.getAttrs()) {
          OnnxAttr x;
          x.name = a.getName().str();
          Attribute v = a.getValue();
          if (auto i = dyn_cast<IntegerAttr>(v)) {
            x.kind = OnnxAttr::Int;
            x.i = i.getInt();
          } else if (auto f = dyn_cast<FloatAttr>(v)) {
            x.kind = OnnxAttr::Float;
            x.f = f.getValueAsDouble();
          } else if (auto s = dyn_cast<StringAttr>(v)) {
            x.kind = OnnxAttr::String;
            x.s = s.str();
          } else if (auto is = dyn_cast<DenseI64ArrayAttr>(v)) {
            x.kind = OnnxAttr::Ints;
            x.ints.assign(is.asArrayRef().begin(), is.asArrayRef().end());
          } else if (auto fs = dyn_cast<DenseF32ArrayAttr>(v)) {
            x.kind = OnnxAttr::Floats;
            x.floats.assign(fs.asArrayRef().begin(), fs.asArrayRef().end());
          } else {
            return op->emitError() << "tfg.node '" << type << "' attribute '"
                                   << x.name << "' has no ONNX form here";
          }
          attrs.push_back(x);
        }
        OnnxNode &n = node(type, ins, name, attrs);
        n.outputs.clear();
        for (Value r : op->getResults()) {
          auto t = dyn_cast<RankedTensorType>(r.getType());
          if (!t)
            return op->emitError() << "tfg.node result of type " << r.getType()
                                   << " has no ONNX form";
          n.outputs.push_back(define(r, identityPerm(t.getRank()), name));
        }
        graph->nodes.back().name = unique(name + "/node");
        return success();
      })
      .Default([&](Operation *) {
        return op->emitError()
               << "'" << op->getName()
               << "' has no ONNX equivalent: export the float (tfg) module, "
                  "before quantization";
      });
}

/// Renames the node output `from` to the graph output name `to`, unless
/// `from` is a graph input or output or an initializer.
bool Exporter::rename(const std::string &from, const std::string &to) {
  auto named = [&](const auto &list) {
    return llvm::any_of(list, [&](const auto &v) { return v.name == from; });
  };
  if (named(graph->inputs) || named(graph->outputs) ||
      named(graph->initializers))
    return false;
  for (OnnxNode &n : graph->nodes) {
    for (std::string &s : n.inputs)
      if (s == from)
        s = to;
    for (std::string &s : n.outputs)
      if (s == from)
        s = to;
  }
  for (auto &[value, list] : forms)
    for (Form &f : list)
      if (f.name == from)
        f.name = to;
  return true;
}

LogicalResult Exporter::run(proto::OnnxGraph &out) {
  graph = &out;
  graph->name = "main";
  Block &body = func.getBody().front();
  auto ret = cast<func::ReturnOp>(body.getTerminator());
  auto outputAttr = func->getAttrOfType<ArrayAttr>("tfg.output_names");

  for (BlockArgument arg : body.getArguments()) {
    auto type = dyn_cast<RankedTensorType>(arg.getType());
    if (!type || !type.getElementType().isF32())
      return emitError(arg.getLoc())
             << "input " << arg.getArgNumber() << " of type " << arg.getType()
             << " has no ONNX form here (ranked f32 tensors only)";
    auto n = func.getArgAttrOfType<StringAttr>(arg.getArgNumber(), "tfg.name");
    std::string argName = unique(
        n ? n.getValue() : "input_" + std::to_string(arg.getArgNumber()));
    forms[arg].push_back({identityPerm(type.getRank()), argName});
    graph->inputs.push_back(valueInfo(argName, type));
  }
  // Output names are taken before any other value can take them.
  std::vector<std::string> wanted;
  for (auto [i, v] : llvm::enumerate(ret.getOperands())) {
    auto s = outputAttr && i < outputAttr.size()
                 ? dyn_cast<StringAttr>(outputAttr[i])
                 : StringAttr();
    std::string n = s ? s.str() : "output_" + std::to_string(i);
    n = unique(n);
    wanted.push_back(n);
    if (!outputNames.count(v))
      outputNames[v] = n;
  }

  for (Operation &op : body.without_terminator())
    if (failed(convert(&op)))
      return failure();

  for (auto [i, v] : llvm::enumerate(ret.getOperands())) {
    auto type = dyn_cast<RankedTensorType>(v.getType());
    if (!type || !type.getElementType().isF32())
      return ret.emitError() << "result " << i << " of type " << v.getType()
                             << " has no ONNX form here";
    auto n = get(v, identityPerm(type.getRank()));
    if (failed(n))
      return failure();
    if (*n != wanted[i] && !rename(*n, wanted[i]))
      node("Identity", {*n}, wanted[i]);
    graph->outputs.push_back(valueInfo(wanted[i], type));
  }
  return success();
}

} // namespace

LogicalResult buildOnnxModel(ModuleOp module, proto::OnnxModel &model) {
  auto func = module.lookupSymbol<func::FuncOp>("main");
  if (!func || func.isExternal())
    return module.emitError() << "no function @main to export";
  model = proto::OnnxModel();
  model.irVersion = 7; // the IR version of opset 13 (onnx/docs/Versioning.md)
  model.opsetImports[""] = kOnnxExportOpset;
  model.producerName = "vai";
  return Exporter(func).run(model.graph);
}

LogicalResult exportOnnx(ModuleOp module, llvm::raw_ostream &os) {
  proto::OnnxModel model;
  if (failed(buildOnnxModel(module, model)))
    return failure();
  std::string bytes, error;
  if (!proto::writeOnnxModel(model, bytes, error))
    return module.emitError() << "cannot write ONNX model: " << error;
  os << bytes;
  return success();
}

} // namespace vai

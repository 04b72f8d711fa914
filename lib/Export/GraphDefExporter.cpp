//===- GraphDefExporter.cpp - tfg to a TF1 GraphDef -----------------------===//
//
// Op names, attribute names and defaults follow TensorFlow's op registry
// (tensorflow/core/ops/nn_ops.cc, math_ops.cc, array_ops.cc,
// image_ops.cc), which is also what GraphDefImporter.cpp reads.
//
//===----------------------------------------------------------------------===//

#include "vai/Export/GraphDefExporter.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "vai/Dialect/Tfg/TfgOps.h"
#include "vai/Dialect/Tfg/TfgUtils.h"
#include "vai/Export/TfNodeRecord.h"
#include "vai/Support/WindowShape.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/ADT/TypeSwitch.h"
#include <map>

using namespace mlir;
using vai::proto::TfAttr;
using vai::proto::TfDType;
using vai::proto::TfNode;

namespace vai {
namespace {

TfAttr typeAttr(TfDType t) {
  TfAttr a;
  a.kind = TfAttr::Type;
  a.type = t;
  return a;
}
TfAttr strAttr(StringRef s) {
  TfAttr a;
  a.kind = TfAttr::String;
  a.s = s.str();
  return a;
}
TfAttr intAttr(int64_t i) {
  TfAttr a;
  a.kind = TfAttr::Int;
  a.i = i;
  return a;
}
TfAttr floatAttr(float f) {
  TfAttr a;
  a.kind = TfAttr::Float;
  a.f = f;
  return a;
}
TfAttr boolAttr(bool b) {
  TfAttr a;
  a.kind = TfAttr::Bool;
  a.b = b;
  return a;
}
TfAttr intsAttr(ArrayRef<int64_t> v) {
  TfAttr a;
  a.kind = v.empty() ? TfAttr::ListEmpty : TfAttr::ListInt;
  a.listI.assign(v.begin(), v.end());
  return a;
}
/// [1, h, w, 1] from tfg's [h, w].
TfAttr nhwcAttr(ArrayRef<int64_t> hw) { return intsAttr({1, hw[0], hw[1], 1}); }

std::string stripOutputZero(StringRef input) {
  if (input.ends_with(":0"))
    return input.drop_back(2).str();
  return input.str();
}

/// TF's op for a tfg op with one TF counterpart and only a T attribute.
StringRef elementwiseTfOp(Operation *op) {
  return llvm::TypeSwitch<Operation *, StringRef>(op)
      .Case<tfg::ReluOp>([](auto) { return "Relu"; })
      .Case<tfg::Relu6Op>([](auto) { return "Relu6"; })
      .Case<tfg::SigmoidOp>([](auto) { return "Sigmoid"; })
      .Case<tfg::TanhOp>([](auto) { return "Tanh"; })
      .Case<tfg::SubOp>([](auto) { return "Sub"; })
      .Case<tfg::MulOp>([](auto) { return "Mul"; })
      .Case<tfg::DivOp>([](auto) { return "RealDiv"; })
      .Case<tfg::MaximumOp>([](auto) { return "Maximum"; })
      .Case<tfg::MinimumOp>([](auto) { return "Minimum"; })
      .Default([](auto) { return ""; });
}

bool sameAttr(const TfAttr &a, const TfAttr &b) {
  auto isEmptyList = [](const TfAttr &x) {
    return x.kind == TfAttr::ListEmpty ||
           (x.kind == TfAttr::ListInt && x.listI.empty());
  };
  if (isEmptyList(a) && isEmptyList(b))
    return true;
  if (a.kind != b.kind)
    return false;
  switch (a.kind) {
  case TfAttr::String:
    return a.s == b.s;
  case TfAttr::Int:
    return a.i == b.i;
  case TfAttr::Float:
    return a.f == b.f;
  case TfAttr::Bool:
    return a.b == b.b;
  case TfAttr::ListInt:
    return a.listI == b.listI;
  default:
    return false;
  }
}

/// Optional attributes with TF's registered defaults: a node whose record
/// lacks one of them gets none when the value is the default.
const std::map<std::string, TfAttr> &tfDefaults() {
  static const std::map<std::string, TfAttr> defaults = {
      {"dilations", intsAttr({1, 1, 1, 1})},
      {"data_format", strAttr("NHWC")},
      {"explicit_paddings", intsAttr({})},
      {"keep_dims", boolAttr(false)},
      {"transpose_a", boolAttr(false)},
      {"transpose_b", boolAttr(false)},
      {"align_corners", boolAttr(false)},
      {"half_pixel_centers", boolAttr(false)},
      {"epsilon", floatAttr(0.0001f)},
      {"alpha", floatAttr(0.2f)},
  };
  return defaults;
}

class Exporter {
public:
  explicit Exporter(func::FuncOp func) : func(func) {}
  LogicalResult run(proto::TfGraph &graph);

private:
  std::string unique(StringRef base);
  TfNode &add(Operation *op, StringRef name, StringRef tfOp,
              std::vector<std::string> inputs);
  std::string input(Value v) { return names.lookup(v); }
  std::string
  recordedConst(Operation *op, unsigned slot,
                llvm::function_ref<bool(const proto::TfTensor &)> fits);
  std::string constNode(Operation *op, unsigned slot, StringRef suffix,
                        TfDType dtype, ArrayRef<int64_t> shape,
                        ArrayRef<int64_t> ints, ArrayRef<float> floats = {});
  std::string scalar(Operation *op, StringRef suffix, float value) {
    return constNode(op, ~0u, suffix, TfDType::Float, {}, {}, {value});
  }
  LogicalResult padding(Operation *op, TfNode &node, Value input,
                        ArrayRef<int64_t> kernel, ArrayRef<int64_t> strides,
                        ArrayRef<int64_t> dilations, ArrayRef<int64_t> pads,
                        bool explicitAllowed);
  std::string activation(Operation *op, StringRef name, std::string in,
                         tfg::Activation act);
  LogicalResult convert(Operation *op);
  LogicalResult convertConst(tfg::ConstOp op);
  void replay(Operation *op, TfNode &node);
  StringAttr recordedOp(Operation *op) {
    return op->getAttrOfType<StringAttr>(kTfOpAttr);
  }
  StringRef tfOpOr(Operation *op, ArrayRef<StringRef> allowed) {
    if (StringAttr r = recordedOp(op))
      if (llvm::is_contained(allowed, r.getValue()))
        return r.getValue();
    return allowed.front();
  }

  func::FuncOp func;
  proto::TfGraph *graph = nullptr;
  llvm::StringSet<> used;
  llvm::DenseMap<Value, std::string> names;
  llvm::DenseMap<Operation *, std::string> opNames;
  llvm::StringMap<Operation *> byName;
  /// Node index per op, for replaying its record once it is complete.
  llvm::DenseMap<Operation *, size_t> primary;
};

std::string Exporter::unique(StringRef base) {
  std::string name = base.empty() ? "node" : base.str();
  if (used.insert(name).second)
    return name;
  for (unsigned i = 1;; ++i) {
    std::string candidate = name + "_" + std::to_string(i);
    if (used.insert(candidate).second)
      return candidate;
  }
}

TfNode &Exporter::add(Operation *op, StringRef name, StringRef tfOp,
                      std::vector<std::string> inputs) {
  TfNode node;
  node.name = name.str();
  node.op = tfOp.str();
  node.inputs = std::move(inputs);
  graph->nodes.push_back(std::move(node));
  // The first node made for an op is the one its record describes.
  if (op)
    primary.try_emplace(op, graph->nodes.size() - 1);
  return graph->nodes.back();
}

/// The recorded input `slot` of `op` when it names a constant that is still
/// exported and `fits`; "" otherwise.
std::string Exporter::recordedConst(
    Operation *op, unsigned slot,
    llvm::function_ref<bool(const proto::TfTensor &)> fits) {
  auto inputs = op->getAttrOfType<ArrayAttr>(kTfInputsAttr);
  if (!inputs || slot >= inputs.size())
    return "";
  auto recorded = dyn_cast<StringAttr>(inputs[slot]);
  std::string name = recorded ? stripOutputZero(recorded.getValue()) : "";
  auto c = dyn_cast_or_null<tfg::ConstOp>(byName.lookup(name));
  proto::TfTensor t;
  if (c && isa<DenseElementsAttr>(c.getValue()) &&
      attrToTfTensor(cast<DenseElementsAttr>(c.getValue()), t) && fits(t))
    return recorded.str();
  return "";
}

/// A constant input that tfg keeps as an attribute (Mean's axes, Reshape's
/// shape, ...). The node the importer read it from is reused when it is still
/// exported with the same values; otherwise a new Const is made.
std::string Exporter::constNode(Operation *op, unsigned slot, StringRef suffix,
                                TfDType dtype, ArrayRef<int64_t> shape,
                                ArrayRef<int64_t> ints,
                                ArrayRef<float> floats) {
  std::string recorded = recordedConst(op, slot, [&](const auto &t) {
    return t.shape == std::vector<int64_t>(shape.begin(), shape.end()) &&
           t.ints == std::vector<int64_t>(ints.begin(), ints.end()) &&
           t.floats == std::vector<float>(floats.begin(), floats.end());
  });
  if (!recorded.empty())
    return recorded;
  std::string name = unique(opNames.lookup(op) + "/" + suffix.str());
  TfNode &node = add(nullptr, name, "Const", {});
  TfAttr value;
  value.kind = TfAttr::Tensor;
  value.tensor.dtype = dtype;
  value.tensor.shape.assign(shape.begin(), shape.end());
  value.tensor.ints.assign(ints.begin(), ints.end());
  value.tensor.floats.assign(floats.begin(), floats.end());
  node.attrs["dtype"] = typeAttr(dtype);
  node.attrs["value"] = value;
  return name;
}

/// TF's padding attribute for explicit tfg pads: the recorded mode when it
/// still gives these pads, else VALID, SAME or (where the op allows it)
/// EXPLICIT.
LogicalResult Exporter::padding(Operation *op, TfNode &node, Value input,
                                ArrayRef<int64_t> kernel,
                                ArrayRef<int64_t> strides,
                                ArrayRef<int64_t> dilations,
                                ArrayRef<int64_t> pads, bool explicitAllowed) {
  auto type = cast<RankedTensorType>(input.getType());
  SmallVector<int64_t> same;
  if (type.getRank() == 4 && !type.isDynamicDim(1) && !type.isDynamicDim(2)) {
    for (int d = 0; d < 2; ++d) {
      auto [before, after] = samePadding(type.getDimSize(1 + d), kernel[d],
                                         strides[d], dilations[d]);
      same.push_back(before);
      same.push_back(after);
    }
  }
  bool isValid = llvm::all_of(pads, [](int64_t p) { return p == 0; });
  bool isSame = !same.empty() && ArrayRef<int64_t>(same) == pads;
  StringRef recorded;
  if (auto attrs = op->getAttrOfType<DictionaryAttr>(kTfAttrsAttr))
    if (auto p = attrs.getAs<StringAttr>("padding"))
      recorded = p.getValue();
  StringRef mode;
  if (recorded == "SAME" && isSame)
    mode = "SAME";
  else if (isValid)
    mode = "VALID";
  else if (isSame)
    mode = "SAME";
  else if (explicitAllowed)
    mode = "EXPLICIT";
  else
    return op->emitError() << "'" << op->getName() << "' pads ["
                           << llvm::make_range(pads.begin(), pads.end())
                           << "] are neither TF's SAME nor VALID";
  node.attrs["padding"] = strAttr(mode);
  if (!explicitAllowed)
    return success();
  if (mode == "EXPLICIT")
    node.attrs["explicit_paddings"] =
        intsAttr({0, 0, pads[0], pads[1], pads[2], pads[3], 0, 0});
  else
    node.attrs["explicit_paddings"] = intsAttr({});
  return success();
}

std::string Exporter::activation(Operation *op, StringRef name, std::string in,
                                 tfg::Activation act) {
  auto unary = [&](StringRef tfOp) {
    TfNode &n = add(op, name, tfOp, {in});
    n.attrs["T"] = typeAttr(TfDType::Float);
    return &n;
  };
  switch (act) {
  case tfg::Activation::none:
    return in;
  case tfg::Activation::relu:
    unary("Relu");
    break;
  case tfg::Activation::relu6:
    unary("Relu6");
    break;
  case tfg::Activation::leaky_relu:
    unary("LeakyRelu")->attrs["alpha"] = floatAttr(tfg::fusedSlope(op));
    break;
  }
  return name.str();
}

/// Adds what the importer recorded for `op` to its primary node: attributes
/// the node lacks, type attributes (whose tfg form is always f32/i32), the
/// recorded spelling of equal inputs ("x:0") and control inputs.
void Exporter::replay(Operation *op, TfNode &node) {
  static const llvm::StringSet<> typeAttrs = {
      "T", "U", "Tidx", "Tshape", "Tpaddings", "Tperm", "Tdim", "dtype"};
  if (auto attrs = op->getAttrOfType<DictionaryAttr>(kTfAttrsAttr)) {
    for (const auto &[key, value] : tfDefaults()) {
      auto it = node.attrs.find(key);
      if (it != node.attrs.end() && !attrs.get(key) &&
          sameAttr(it->second, value))
        node.attrs.erase(it);
    }
    for (NamedAttribute a : attrs) {
      auto value = decodeTfAttr(a.getValue());
      if (!value)
        continue;
      std::string key = a.getName().str();
      if (!node.attrs.count(key) || typeAttrs.contains(key))
        node.attrs[key] = *value;
    }
  }
  auto inputs = op->getAttrOfType<ArrayAttr>(kTfInputsAttr);
  if (!inputs)
    return;
  for (auto [i, attr] : llvm::enumerate(inputs)) {
    auto s = dyn_cast<StringAttr>(attr);
    if (!s)
      continue;
    if (s.getValue().starts_with("^")) {
      if (used.contains(s.getValue().drop_front()))
        node.inputs.push_back(s.str());
      continue;
    }
    if (i < node.inputs.size() &&
        stripOutputZero(node.inputs[i]) == stripOutputZero(s.getValue()))
      node.inputs[i] = s.str();
  }
}

LogicalResult Exporter::convertConst(tfg::ConstOp op) {
  auto value = dyn_cast<DenseElementsAttr>(op.getValue());
  proto::TfTensor t;
  if (!value || !attrToTfTensor(value, t))
    return op.emitError() << "constant of type " << op.getValue().getType()
                          << " has no GraphDef tensor form";
  // tfg holds every integer constant as i32; the recorded dtype (e.g.
  // int64 shapes) says what the file had.
  if (auto attrs = op->getAttrOfType<DictionaryAttr>(kTfAttrsAttr))
    if (auto dtype = attrs.getAs<TypeAttr>("dtype"))
      if (!t.ints.empty() || t.floats.empty())
        if (dtype.getValue().isInteger() && t.dtype == TfDType::Int32)
          t.dtype = typeToTfDType(dtype.getValue());
  TfNode &node = add(op, opNames.lookup(op), "Const", {});
  node.attrs["dtype"] = typeAttr(t.dtype);
  TfAttr v;
  v.kind = TfAttr::Tensor;
  v.tensor = std::move(t);
  node.attrs["value"] = std::move(v);
  names[op.getResult()] = node.name;
  return success();
}

LogicalResult Exporter::convert(Operation *op) {
  std::string name = opNames.lookup(op);
  auto withT = [](TfNode &n) -> TfNode & {
    n.attrs["T"] = typeAttr(TfDType::Float);
    return n;
  };
  // A single node named after the op, with T = float.
  auto simple = [&](StringRef tfOp, std::vector<std::string> ins) -> TfNode & {
    TfNode &n = withT(add(op, name, tfOp, std::move(ins)));
    names[op->getResult(0)] = name;
    return n;
  };
  auto sub = [&](StringRef suffix) {
    return unique(name + "/" + suffix.str());
  };
  auto isLast = [](tfg::Activation a) { return a == tfg::Activation::none; };
  // A layer's fused tail: BiasAdd (named `name` when it is the last node),
  // then the activation; the layer's result gets the last node's name.
  auto finishLayer = [&](Value result, std::string out, Value bias,
                         tfg::Activation act) {
    if (bias) {
      std::string biasName = isLast(act) ? name : sub("BiasAdd");
      TfNode &b = withT(add(op, biasName, "BiasAdd", {out, input(bias)}));
      b.attrs["data_format"] = strAttr("NHWC");
      out = biasName;
    }
    names[result] = activation(op, name, out, act);
    return success();
  };

  return llvm::TypeSwitch<Operation *, LogicalResult>(op)
      .Case<tfg::ConstOp>([&](auto c) { return convertConst(c); })
      .Case<tfg::IdentityOp>([&](auto o) {
        simple(tfOpOr(op, {"Identity", "StopGradient"}), {input(o.getInput())});
        return success();
      })
      .Case<tfg::ReluOp, tfg::Relu6Op, tfg::SigmoidOp, tfg::TanhOp>(
          [&](auto o) {
            simple(elementwiseTfOp(op), {input(o.getInput())});
            return success();
          })
      .Case<tfg::LeakyReluOp>([&](auto o) {
        simple("LeakyRelu", {input(o.getInput())}).attrs["alpha"] =
            floatAttr(o.getAlpha().convertToFloat());
        return success();
      })
      .Case<tfg::AddOp, tfg::SubOp, tfg::MulOp, tfg::DivOp, tfg::MaximumOp,
            tfg::MinimumOp>([&](auto o) {
        StringRef tfOp = isa<tfg::AddOp>(op) ? tfOpOr(op, {"AddV2", "Add"})
                                             : elementwiseTfOp(op);
        simple(tfOp, {input(o.getLhs()), input(o.getRhs())});
        return success();
      })
      .Case<tfg::BiasAddOp>([&](auto o) {
        StringRef tfOp = tfOpOr(op, {"BiasAdd", "BiasAddV1"});
        TfNode &n = simple(tfOp, {input(o.getInput()), input(o.getBias())});
        if (tfOp == "BiasAdd")
          n.attrs["data_format"] = strAttr("NHWC");
        return success();
      })
      .Case<tfg::FusedBatchNormOp>([&](auto o) {
        StringRef tfOp = tfOpOr(
            op, {"FusedBatchNormV3", "FusedBatchNorm", "FusedBatchNormV2"});
        TfNode &n = simple(tfOp, {input(o.getInput()), input(o.getScale()),
                                  input(o.getOffset()), input(o.getMean()),
                                  input(o.getVariance())});
        n.attrs["epsilon"] = floatAttr(o.getEpsilon().convertToFloat());
        n.attrs["data_format"] = strAttr("NHWC");
        n.attrs["is_training"] = boolAttr(false);
        if (tfOp != "FusedBatchNorm")
          n.attrs["U"] = typeAttr(TfDType::Float);
        return success();
      })
      .Case<tfg::Conv2DOp, tfg::DepthwiseConv2DOp>([&](auto o) {
        bool depthwise = isa<tfg::DepthwiseConv2DOp>(op);
        bool last = !o.getBias() && isLast(o.getActivation());
        std::string convName =
            last ? name : sub(depthwise ? "depthwise" : "Conv2D");
        TfNode &n = withT(add(op, convName,
                              depthwise ? "DepthwiseConv2dNative" : "Conv2D",
                              {input(o.getInput()), input(o.getFilter())}));
        auto filter = cast<RankedTensorType>(o.getFilter().getType());
        n.attrs["strides"] = nhwcAttr(o.getStrides());
        n.attrs["dilations"] = nhwcAttr(o.getDilations());
        n.attrs["data_format"] = strAttr("NHWC");
        if (failed(padding(op, n, o.getInput(), filter.getShape().take_front(2),
                           o.getStrides(), o.getDilations(), o.getPad(),
                           /*explicitAllowed=*/true)))
          return failure();
        std::string out = convName;
        return finishLayer(o.getResult(), out, o.getBias(), o.getActivation());
      })
      .Case<tfg::Conv2DTransposeOp>([&](auto o) -> LogicalResult {
        auto result = cast<RankedTensorType>(o.getType());
        auto filter = cast<RankedTensorType>(o.getFilter().getType());
        // TF's output size is fixed by input_sizes and padding; tfg's pads
        // must be what SAME or VALID gives for that size. The recorded
        // input_sizes may fix a batch tfg leaves unknown.
        std::string sizes = recordedConst(op, 0, [&](const auto &t) {
          if (t.ints.size() != 4)
            return false;
          for (int d = 0; d < 4; ++d)
            if (!result.isDynamicDim(d) && result.getDimSize(d) != t.ints[d])
              return false;
          return true;
        });
        if (sizes.empty()) {
          if (!result.hasStaticShape())
            return op->emitError()
                   << "Conv2DBackpropInput needs a static output shape, got "
                   << result;
          sizes = constNode(op, 0, "input_sizes", TfDType::Int32, {4},
                            result.getShape());
        }
        bool last = !o.getBias() && isLast(o.getActivation());
        std::string convName = last ? name : sub("conv2d_transpose");
        TfNode &n =
            withT(add(op, convName, "Conv2DBackpropInput",
                      {sizes, input(o.getFilter()), input(o.getInput())}));
        n.attrs["strides"] = nhwcAttr(o.getStrides());
        n.attrs["dilations"] = nhwcAttr(o.getDilations());
        n.attrs["data_format"] = strAttr("NHWC");
        // SAME/VALID of a transposed conv are judged on its output.
        SmallVector<int64_t> same;
        for (int d = 0; d < 2; ++d) {
          auto [b, a] =
              samePadding(result.getDimSize(1 + d), filter.getDimSize(d),
                          o.getStrides()[d], o.getDilations()[d]);
          same.append({b, a});
        }
        auto in = cast<RankedTensorType>(o.getInput().getType());
        auto outSize = [&](int d, int64_t before, int64_t after) {
          return windowOutputSize(result.getDimSize(1 + d),
                                  filter.getDimSize(d), o.getStrides()[d],
                                  o.getDilations()[d], before, after);
        };
        ArrayRef<int64_t> pads = o.getPad();
        bool valid = llvm::all_of(pads, [](int64_t p) { return p == 0; }) &&
                     outSize(0, 0, 0) == in.getDimSize(1) &&
                     outSize(1, 0, 0) == in.getDimSize(2);
        if (ArrayRef<int64_t>(same) == pads)
          n.attrs["padding"] = strAttr("SAME");
        else if (valid)
          n.attrs["padding"] = strAttr("VALID");
        else
          return op->emitError() << "conv2d_transpose pads ["
                                 << llvm::make_range(pads.begin(), pads.end())
                                 << "] are neither TF's SAME nor VALID";
        n.attrs["explicit_paddings"] = intsAttr({});
        std::string out = convName;
        return finishLayer(o.getResult(), out, o.getBias(), o.getActivation());
      })
      .Case<tfg::MaxPoolOp, tfg::AvgPoolOp>([&](auto o) {
        TfNode &n = simple(isa<tfg::MaxPoolOp>(op) ? "MaxPool" : "AvgPool",
                           {input(o.getInput())});
        n.attrs["ksize"] = nhwcAttr(o.getKernel());
        n.attrs["strides"] = nhwcAttr(o.getStrides());
        n.attrs["data_format"] = strAttr("NHWC");
        SmallVector<int64_t> ones{1, 1};
        return padding(op, n, o.getInput(), o.getKernel(), o.getStrides(), ones,
                       o.getPad(), /*explicitAllowed=*/false);
      })
      .Case<tfg::MeanOp>([&](auto o) {
        ArrayRef<int64_t> axes = o.getAxes();
        std::string idx = constNode(op, 1, "reduction_indices", TfDType::Int32,
                                    {int64_t(axes.size())}, axes);
        TfNode &n = simple("Mean", {input(o.getInput()), idx});
        n.attrs["keep_dims"] = boolAttr(o.getKeepDims());
        n.attrs["Tidx"] = typeAttr(TfDType::Int32);
        return success();
      })
      .Case<tfg::MatMulOp>([&](auto o) {
        bool last = !o.getBias() && isLast(o.getActivation());
        std::string mmName = last ? name : sub("MatMul");
        TfNode &n = withT(
            add(op, mmName, "MatMul", {input(o.getA()), input(o.getB())}));
        n.attrs["transpose_a"] = boolAttr(o.getTransposeA());
        n.attrs["transpose_b"] = boolAttr(o.getTransposeB());
        std::string out = mmName;
        return finishLayer(o.getResult(), out, o.getBias(), o.getActivation());
      })
      .Case<tfg::BatchMatMulOp>([&](auto o) {
        TfNode &n = simple("BatchMatMulV2", {input(o.getA()), input(o.getB())});
        n.attrs["adj_x"] = boolAttr(false);
        n.attrs["adj_y"] = boolAttr(false);
        return success();
      })
      .Case<tfg::SoftmaxOp>([&](auto o) -> LogicalResult {
        int64_t rank = cast<RankedTensorType>(o.getType()).getRank();
        int64_t axis = o.getAxis();
        if (axis != -1 && axis != rank - 1)
          return op->emitError() << "softmax over axis " << axis
                                 << " has no GraphDef form (TF's Softmax "
                                    "works on the last axis)";
        simple("Softmax", {input(o.getInput())});
        return success();
      })
      .Case<tfg::SwishOp>([&](auto o) {
        std::string x = input(o.getInput());
        std::string sig = sub("Sigmoid");
        withT(add(op, sig, "Sigmoid", {x}));
        simple("Mul", {x, sig});
        return success();
      })
      .Case<tfg::HardSigmoidOp, tfg::HardSwishOp>([&](auto o) {
        // max(0, min(1, a*x + b)) = relu6(6a*x + 6b) / 6.
        float alpha = 1.0f / 6.0f, beta = 0.5f;
        if (auto h = dyn_cast<tfg::HardSigmoidOp>(op)) {
          alpha = h.getAlpha().convertToFloat();
          beta = h.getBeta().convertToFloat();
        }
        std::string x = input(o.getInput());
        std::string scaled = sub("mul");
        withT(add(op, scaled, "Mul", {x, scalar(op, "six_alpha", 6 * alpha)}));
        std::string shifted = sub("add");
        withT(add(op, shifted, "AddV2",
                  {scaled, scalar(op, "six_beta", 6 * beta)}));
        std::string clipped = sub("Relu6");
        withT(add(op, clipped, "Relu6", {shifted}));
        if (isa<tfg::HardSigmoidOp>(op)) {
          simple("Mul", {clipped, scalar(op, "one_sixth", 1.0f / 6.0f)});
          return success();
        }
        std::string gate = sub("gate");
        withT(add(op, gate, "Mul",
                  {clipped, scalar(op, "one_sixth", 1.0f / 6.0f)}));
        simple("Mul", {x, gate});
        return success();
      })
      .Case<tfg::ClipOp>([&](auto o) -> LogicalResult {
        std::string x = input(o.getInput());
        if (!o.getMin() && !o.getMax()) {
          simple("Identity", {x});
          return success();
        }
        if (o.getMin() && o.getMax()) {
          simple("ClipByValue",
                 {x, scalar(op, "clip_value_min", o.getMin()->convertToFloat()),
                  scalar(op, "clip_value_max", o.getMax()->convertToFloat())});
          return success();
        }
        if (o.getMin())
          simple("Maximum",
                 {x, scalar(op, "min", o.getMin()->convertToFloat())});
        else
          simple("Minimum",
                 {x, scalar(op, "max", o.getMax()->convertToFloat())});
        return success();
      })
      .Case<tfg::PReluOp>([&](auto o) {
        // relu(x) - slope * relu(-x), as Keras writes PReLU to a GraphDef.
        std::string x = input(o.getInput());
        std::string pos = sub("Relu");
        withT(add(op, pos, "Relu", {x}));
        std::string neg = sub("Neg");
        withT(add(op, neg, "Neg", {x}));
        std::string negRelu = sub("Relu_neg");
        withT(add(op, negRelu, "Relu", {neg}));
        std::string scaled = sub("mul");
        withT(add(op, scaled, "Mul", {input(o.getSlope()), negRelu}));
        simple("Sub", {pos, scaled});
        return success();
      })
      .Case<tfg::ReshapeOp>([&](auto o) -> LogicalResult {
        auto in = cast<RankedTensorType>(o.getInput().getType());
        auto out = cast<RankedTensorType>(o.getType());
        StringRef tfOp = tfOpOr(op, {"Reshape", "Squeeze", "ExpandDims"});
        // A squeeze drops size-1 dims, an expand inserts one; otherwise (or
        // when a pass changed the shapes) it is a Reshape.
        SmallVector<int64_t> dropped;
        int64_t inserted = -1;
        if (tfOp == "Squeeze") {
          size_t j = 0;
          for (int64_t d = 0; d < in.getRank(); ++d) {
            if (j < size_t(out.getRank()) &&
                in.getDimSize(d) == out.getDimSize(j))
              ++j;
            else if (in.getDimSize(d) == 1)
              dropped.push_back(d);
            else
              break;
          }
          if (j != size_t(out.getRank()) ||
              dropped.size() + j != size_t(in.getRank()))
            tfOp = "Reshape";
        } else if (tfOp == "ExpandDims") {
          for (int64_t a = 0; a < out.getRank() && inserted < 0; ++a) {
            SmallVector<int64_t> shape(in.getShape());
            shape.insert(shape.begin() + a, 1);
            if (ArrayRef<int64_t>(shape) == out.getShape())
              inserted = a;
          }
          if (inserted < 0)
            tfOp = "Reshape";
        }
        if (tfOp == "Squeeze") {
          TfNode &n = simple("Squeeze", {input(o.getInput())});
          // No squeeze_dims means every size-1 dim; keep that form when the
          // file had it and it still holds.
          auto rec = op->getAttrOfType<DictionaryAttr>(kTfAttrsAttr);
          bool allOnes =
              int64_t(dropped.size()) == llvm::count(in.getShape(), 1);
          if (!(rec && !rec.get("squeeze_dims") && allOnes))
            n.attrs["squeeze_dims"] = intsAttr(dropped);
          return success();
        }
        if (tfOp == "ExpandDims") {
          // The file's axis may have been negative.
          std::string dim = recordedConst(op, 1, [&](const auto &t) {
            return t.ints.size() == 1 &&
                   (t.ints[0] == inserted ||
                    t.ints[0] == inserted - out.getRank());
          });
          if (dim.empty())
            dim = constNode(op, 1, "dim", TfDType::Int32, {}, {inserted});
          TfNode &n = simple("ExpandDims", {input(o.getInput()), dim});
          n.attrs["Tdim"] = typeAttr(TfDType::Int32);
          return success();
        }
        SmallVector<int64_t> shape;
        int dynamic = 0;
        for (int64_t d : out.getShape()) {
          dynamic += ShapedType::isDynamic(d);
          shape.push_back(ShapedType::isDynamic(d) ? -1 : d);
        }
        if (dynamic > 1)
          return op->emitError() << "reshape to " << out
                                 << " has more than one unknown dimension";
        std::string target =
            constNode(op, 1, "shape", TfDType::Int32, {out.getRank()}, shape);
        TfNode &n = simple("Reshape", {input(o.getInput()), target});
        n.attrs["Tshape"] = typeAttr(TfDType::Int32);
        return success();
      })
      .Case<tfg::TransposeOp>([&](auto o) {
        ArrayRef<int64_t> perm = o.getPerm();
        std::string p = constNode(op, 1, "perm", TfDType::Int32,
                                  {int64_t(perm.size())}, perm);
        simple("Transpose", {input(o.getInput()), p}).attrs["Tperm"] =
            typeAttr(TfDType::Int32);
        return success();
      })
      .Case<tfg::ConcatOp>([&](auto o) {
        std::vector<std::string> ins;
        for (Value v : o.getInputs())
          ins.push_back(input(v));
        unsigned slot = ins.size();
        ins.push_back(constNode(op, slot, "axis", TfDType::Int32, {},
                                {int64_t(o.getAxis())}));
        TfNode &n = simple("ConcatV2", ins);
        n.attrs["N"] = intAttr(o.getInputs().size());
        n.attrs["Tidx"] = typeAttr(TfDType::Int32);
        return success();
      })
      .Case<tfg::PadOp>([&](auto o) -> LogicalResult {
        ArrayRef<int64_t> pads = o.getPads();
        int64_t rank = pads.size() / 2;
        SmallVector<int64_t> tfPads;
        for (int64_t d = 0; d < rank; ++d)
          tfPads.append({pads[d], pads[d + rank]});
        std::string paddings =
            constNode(op, 1, "paddings", TfDType::Int32, {rank, 2}, tfPads);
        float value = o.getValue().convertToFloat();
        switch (o.getMode()) {
        case tfg::PadMode::edge:
          return op->emitError()
                 << "edge padding has no GraphDef op (MirrorPad has REFLECT "
                    "and SYMMETRIC only)";
        case tfg::PadMode::reflect: {
          TfNode &n = simple("MirrorPad", {input(o.getInput()), paddings});
          n.attrs["mode"] = strAttr("REFLECT");
          n.attrs["Tpaddings"] = typeAttr(TfDType::Int32);
          return success();
        }
        case tfg::PadMode::constant:
          break;
        }
        if (value == 0.0f && tfOpOr(op, {"Pad", "PadV2"}) == "Pad") {
          simple("Pad", {input(o.getInput()), paddings}).attrs["Tpaddings"] =
              typeAttr(TfDType::Int32);
          return success();
        }
        std::string cv = constNode(op, 2, "constant_values", TfDType::Float, {},
                                   {}, {value});
        simple("PadV2", {input(o.getInput()), paddings, cv})
            .attrs["Tpaddings"] = typeAttr(TfDType::Int32);
        return success();
      })
      .Case<tfg::ResizeOp>([&](auto o) -> LogicalResult {
        auto out = cast<RankedTensorType>(o.getType());
        if (o.getMode() == tfg::ResizeMode::bicubic || o.getScales())
          return op->emitError()
                 << "resize (bicubic, or with framework scales) has no "
                    "GraphDef form here (TF's resizes take the output size)";
        bool nearest = o.getMode() == tfg::ResizeMode::nearest;
        StringRef coord = o.getCoordinateMode(), round = o.getNearestMode();
        // The inverse of the importer's mapping of TF's two flags.
        bool alignCorners = false, halfPixel = false;
        if (coord == "align_corners" &&
            (!nearest || round == "round_prefer_ceil"))
          alignCorners = true;
        else if (coord == (nearest ? "tf_half_pixel_for_nn" : "half_pixel") &&
                 (!nearest || round == "floor"))
          halfPixel = true;
        else if (coord != "asymmetric" || (nearest && round != "floor"))
          return op->emitError()
                 << "resize with coordinate_mode '" << coord
                 << "' and nearest_mode '" << round
                 << "' has no GraphDef form (TF's align_corners and "
                    "half_pixel_centers cover fewer cases)";
        if (out.isDynamicDim(1) || out.isDynamicDim(2))
          return op->emitError() << "resize needs a static output size";
        std::string size = constNode(op, 1, "size", TfDType::Int32, {2},
                                     {out.getDimSize(1), out.getDimSize(2)});
        TfNode &n = simple(nearest ? "ResizeNearestNeighbor" : "ResizeBilinear",
                           {input(o.getInput()), size});
        n.attrs["align_corners"] = boolAttr(alignCorners);
        n.attrs["half_pixel_centers"] = boolAttr(halfPixel);
        return success();
      })
      .Case<tfg::DepthToSpaceOp>([&](auto o) -> LogicalResult {
        if (o.getMode() != "DCR")
          return op->emitError() << "depth_to_space mode '" << o.getMode()
                                 << "' has no GraphDef form (TF uses DCR)";
        TfNode &n = simple("DepthToSpace", {input(o.getInput())});
        n.attrs["block_size"] = intAttr(o.getBlockSize());
        n.attrs["data_format"] = strAttr("NHWC");
        return success();
      })
      .Case<tfg::NodeOp>([&](auto o) -> LogicalResult {
        if (o.getFramework() != "tf")
          return op->emitError()
                 << "tfg.node '" << o.getFramework() << "' '" << o.getOpType()
                 << "' has no GraphDef form (only nodes kept from a TF graph "
                    "can be written back)";
        std::vector<std::string> ins;
        for (Value v : o.getOperands())
          ins.push_back(input(v));
        TfNode &n = add(op, name, o.getOpType(), ins);
        for (NamedAttribute a : o.getAttrs()) {
          auto value = decodeTfAttr(a.getValue());
          if (!value)
            return op->emitError()
                   << "tfg.node '" << o.getOpType() << "' attribute '"
                   << a.getName().getValue() << "' has no GraphDef form";
          n.attrs[a.getName().str()] = *value;
        }
        for (auto [i, r] : llvm::enumerate(op->getResults()))
          names[r] = i == 0 ? name : name + ":" + std::to_string(i);
        return success();
      })
      .Default([&](Operation *) {
        return op->emitError()
               << "'" << op->getName()
               << "' has no GraphDef equivalent: export the float (tfg) "
                  "module, before quantization";
      });
}

LogicalResult Exporter::run(proto::TfGraph &out) {
  graph = &out;
  Block &body = func.getBody().front();
  // Names first, so that nodes made up later (fused parts, constant inputs)
  // never take a name the graph uses.
  for (BlockArgument arg : body.getArguments()) {
    auto n = func.getArgAttrOfType<StringAttr>(arg.getArgNumber(), "tfg.name");
    names[arg] = unique(n ? n.getValue()
                          : "input_" + std::to_string(arg.getArgNumber()));
  }
  for (Operation &op : body.without_terminator()) {
    std::string n = tfg::nodeName(op.getLoc());
    if (n.empty())
      n = op.getName().stripDialect().str();
    opNames[&op] = unique(n);
    byName[opNames[&op]] = &op;
  }

  for (BlockArgument arg : body.getArguments()) {
    auto type = dyn_cast<RankedTensorType>(arg.getType());
    if (!type || !type.getElementType().isF32())
      return emitError(arg.getLoc())
             << "input '" << names[arg] << "' of type " << arg.getType()
             << " has no Placeholder form (ranked f32 tensors only)";
    TfNode &node = add(nullptr, names[arg], "Placeholder", {});
    node.attrs["dtype"] = typeAttr(TfDType::Float);
    TfAttr shape;
    shape.kind = TfAttr::Shape;
    for (int64_t d : type.getShape())
      shape.shape.dims.push_back(ShapedType::isDynamic(d) ? -1 : d);
    node.attrs["shape"] = shape;
    if (auto rec = func.getArgAttrOfType<DictionaryAttr>(arg.getArgNumber(),
                                                         kTfAttrsAttr))
      for (NamedAttribute a : rec)
        if (auto v = decodeTfAttr(a.getValue()))
          node.attrs.try_emplace(a.getName().str(), *v);
  }

  for (Operation &op : body.without_terminator()) {
    for (Value v : op.getOperands())
      if (!names.count(v))
        return op.emitError() << "operand defined outside @main's body";
    if (failed(convert(&op)))
      return failure();
  }
  for (auto [op, index] : primary)
    replay(op, graph->nodes[index]);

  // Results: the node named by tfg.output_names, through an Identity when
  // the value's producer has another name.
  auto ret = cast<func::ReturnOp>(body.getTerminator());
  auto outputNames = func->getAttrOfType<ArrayAttr>("tfg.output_names");
  for (auto [i, v] : llvm::enumerate(ret.getOperands())) {
    auto wanted = outputNames && i < outputNames.size()
                      ? dyn_cast<StringAttr>(outputNames[i])
                      : StringAttr();
    if (!wanted || names[v] == wanted.getValue())
      continue;
    TfNode &node =
        add(nullptr, unique(wanted.getValue()), "Identity", {names[v]});
    node.attrs["T"] = typeAttr(TfDType::Float);
  }
  return success();
}

} // namespace

LogicalResult buildGraphDef(ModuleOp module, proto::TfGraph &graph) {
  auto func = module.lookupSymbol<func::FuncOp>("main");
  if (!func || func.isExternal())
    return module.emitError() << "no function @main to export";
  return Exporter(func).run(graph);
}

LogicalResult exportGraphDef(ModuleOp module, llvm::raw_ostream &os,
                             const GraphDefExportOptions &options) {
  proto::TfGraph graph;
  if (failed(buildGraphDef(module, graph)))
    return failure();
  std::string bytes, error;
  if (!proto::writeGraphDef(graph, options.text, bytes, error))
    return module.emitError() << "cannot write GraphDef: " << error;
  os << bytes;
  return success();
}

} // namespace vai

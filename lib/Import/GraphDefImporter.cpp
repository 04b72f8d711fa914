//===- GraphDefImporter.cpp - TF1 frozen GraphDef to tfg ------------------===//
//
// Attribute names and defaults follow TensorFlow's op registry
// (tensorflow/core/ops/nn_ops.cc, math_ops.cc, array_ops.cc).
//
//===----------------------------------------------------------------------===//

#include "vai/Import/GraphDefImporter.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Verifier.h"
#include "vai/Dialect/Tfg/TfgOps.h"
#include "vai/Dialect/Tfg/TfgUtils.h"
#include "vai/Export/TfNodeRecord.h"
#include "vai/Import/ImportReport.h"
#include "vai/Import/ImportUtils.h"
#include "vai/Proto/GraphDef.h"
#include "vai/Support/WindowShape.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Path.h"

using namespace mlir;
using vai::proto::TfAttr;
using vai::proto::TfDType;
using vai::proto::TfNode;

namespace vai {

bool isTextGraphDefName(StringRef fileName) {
  StringRef ext = llvm::sys::path::extension(fileName);
  return ext == ".pbtxt" || ext == ".txt" || ext == ".prototxt";
}

namespace {

/// A node input "name:index" or a control input "^name".
struct InputRef {
  std::string node;
  unsigned index = 0;
  bool control = false;
};

InputRef parseInput(StringRef input) {
  InputRef ref;
  if (input.consume_front("^"))
    ref.control = true;
  auto [name, index] = input.rsplit(':');
  unsigned value = 0;
  if (!index.empty() && !index.getAsInteger(10, value)) {
    ref.node = name.str();
    ref.index = value;
  } else {
    ref.node = input.str();
  }
  return ref;
}

class Importer {
public:
  Importer(MLIRContext *context, StringRef fileName,
           const proto::TfGraph &graph)
      : context(context), builder(context), fileName(fileName), graph(graph) {}

  OwningOpRef<ModuleOp> run(const GraphDefImportOptions &options);

private:
  Location nodeLoc(const TfNode &node) {
    return NameLoc::get(StringAttr::get(context, node.name),
                        FileLineColLoc::get(context, fileName, 0, 0));
  }
  InFlightDiagnostic nodeError(const TfNode &node) {
    return emitError(nodeLoc(node))
           << "node '" << node.name << "' (" << node.op << "): ";
  }
  const TfAttr *attr(const TfNode &node, StringRef name) {
    auto it = node.attrs.find(name.str());
    return it == node.attrs.end() ? nullptr : &it->second;
  }

  LogicalResult collect(const std::vector<std::string> &outputs,
                        std::vector<const TfNode *> &order);
  FailureOr<Value> operand(const TfNode &node, unsigned i);
  FailureOr<Value> constant(const TfNode &node);
  LogicalResult convert(const TfNode &node);
  void startReport(ImportReport &report, ArrayRef<const TfNode *> inputs,
                   ArrayRef<Type> types,
                   const std::vector<const TfNode *> &order);
  /// The nodes that become the function's arguments and their types.
  LogicalResult arguments(const GraphDefImportOptions &options,
                          const std::vector<const TfNode *> &order,
                          SmallVectorImpl<const TfNode *> &nodes,
                          SmallVectorImpl<Type> &types);
  FailureOr<SmallVector<int64_t>> window(const TfNode &node, StringRef name,
                                         int64_t defaultValue);
  FailureOr<SmallVector<int64_t>> padding(const TfNode &node, Value input,
                                          ArrayRef<int64_t> kernel,
                                          ArrayRef<int64_t> strides,
                                          ArrayRef<int64_t> dilations);
  LogicalResult checkNhwc(const TfNode &node);
  /// A convolution's strides, dilations and explicit pads from the node's
  /// attributes and its rank-4 HWIO filter `w`.
  struct ConvWindow {
    DenseI64ArrayAttr strides, dilations, pad;
  };
  FailureOr<ConvWindow> convWindow(const TfNode &node, Value x, Value w);
  FailureOr<SmallVector<int64_t>> constInts(const TfNode &node, unsigned i);
  FailureOr<SmallVector<float>> constFloats(const TfNode &node, unsigned i);
  LogicalResult convertReshape(const TfNode &node);
  LogicalResult convertConvTranspose(const TfNode &node);

  MLIRContext *context;
  OpBuilder builder;
  std::string fileName;
  const proto::TfGraph &graph;
  llvm::StringMap<const TfNode *> byName;
  llvm::StringMap<Value> values;
  /// --input-nodes: the graph is cut above them.
  llvm::StringSet<> inputNodes;
};

LogicalResult Importer::collect(const std::vector<std::string> &outputs,
                                std::vector<const TfNode *> &order) {
  // Iterative DFS in post-order; `onStack` catches cycles.
  llvm::StringMap<int> state; // 1 = on stack, 2 = done
  for (const std::string &output : outputs) {
    std::vector<std::pair<const TfNode *, size_t>> stack;
    stack.push_back({byName.lookup(output), 0});
    while (!stack.empty()) {
      auto &[node, next] = stack.back();
      if (next == 0) {
        int &s = state[node->name];
        if (s == 2) {
          stack.pop_back();
          continue;
        }
        s = 1;
      }
      if (next < node->inputs.size() && !inputNodes.contains(node->name)) {
        InputRef ref = parseInput(node->inputs[next++]);
        if (ref.control)
          continue;
        const TfNode *producer = byName.lookup(ref.node);
        if (!producer)
          return nodeError(*node)
                 << "input '" << ref.node << "' names no node in the graph";
        int s = state.lookup(producer->name);
        if (s == 1)
          return nodeError(*node)
                 << "is part of a cycle through '" << producer->name << "'";
        if (s == 0)
          stack.push_back({producer, 0});
        continue;
      }
      state[node->name] = 2;
      order.push_back(node);
      stack.pop_back();
    }
  }
  return success();
}

FailureOr<Value> Importer::constant(const TfNode &node) {
  const TfAttr *value = attr(node, "value");
  if (!value || value->kind != TfAttr::Tensor)
    return nodeError(node) << "has no tensor 'value'";
  const proto::TfTensor &t = value->tensor;
  auto type = RankedTensorType::get(t.shape, builder.getF32Type());
  if (t.numElements() < 0)
    return nodeError(node) << "has a constant of unknown shape";
  size_t count = size_t(t.numElements());
  DenseElementsAttr data;
  switch (t.dtype) {
  case TfDType::Float:
  case TfDType::Half:
  case TfDType::Double:
    if (t.floats.size() != count)
      return nodeError(node) << "holds " << t.floats.size()
                             << " values for a shape of " << count;
    data = DenseElementsAttr::get(type, ArrayRef<float>(t.floats));
    break;
  case TfDType::Int32:
  case TfDType::Int64: {
    if (t.ints.size() != count)
      return nodeError(node)
             << "holds " << t.ints.size() << " values for a shape of " << count;
    SmallVector<int32_t> ints(t.ints.begin(), t.ints.end());
    data = DenseElementsAttr::get(
        RankedTensorType::get(t.shape, builder.getI32Type()),
        ArrayRef<int32_t>(ints));
    break;
  }
  default:
    return nodeError(node) << "has a constant of unsupported dtype "
                           << int(t.dtype);
  }
  return tfg::ConstOp::create(builder, nodeLoc(node), data).getResult();
}

FailureOr<Value> Importer::operand(const TfNode &node, unsigned i) {
  unsigned seen = 0;
  for (const std::string &input : node.inputs) {
    InputRef ref = parseInput(input);
    if (ref.control)
      continue;
    if (seen++ != i)
      continue;
    if (ref.index != 0)
      return nodeError(node) << "uses output " << ref.index << " of '"
                             << ref.node << "'; only output 0 is supported";
    Value v = values.lookup(ref.node);
    if (!v)
      return nodeError(node) << "input '" << ref.node << "' was not imported";
    return v;
  }
  return nodeError(node) << "expects at least " << i + 1 << " inputs";
}

FailureOr<SmallVector<int64_t>>
Importer::window(const TfNode &node, StringRef name, int64_t defaultValue) {
  const TfAttr *a = attr(node, name);
  if (!a)
    return SmallVector<int64_t>{defaultValue, defaultValue};
  if (a->kind != TfAttr::ListInt || a->listI.size() != 4 || a->listI[0] != 1 ||
      a->listI[3] != 1)
    return nodeError(node) << "'" << name << "' must be [1, h, w, 1] for NHWC";
  if (a->listI[1] <= 0 || a->listI[2] <= 0)
    return nodeError(node) << "'" << name << "' must be positive";
  return SmallVector<int64_t>{a->listI[1], a->listI[2]};
}

LogicalResult Importer::checkNhwc(const TfNode &node) {
  const TfAttr *format = attr(node, "data_format");
  if (format && format->kind == TfAttr::String && format->s != "NHWC")
    return nodeError(node) << "data_format '" << format->s
                           << "' is not supported (NHWC only)";
  return success();
}

FailureOr<Importer::ConvWindow> Importer::convWindow(const TfNode &node,
                                                     Value x, Value w) {
  auto filter = cast<RankedTensorType>(w.getType());
  auto strides = window(node, "strides", 1);
  auto dilations = window(node, "dilations", 1);
  if (filter.getRank() != 4 || failed(strides) || failed(dilations))
    return nodeError(node) << "expects a rank-4 filter, strides and dilations";
  auto pad =
      padding(node, x, filter.getShape().take_front(2), *strides, *dilations);
  if (failed(pad))
    return failure();
  return ConvWindow{builder.getDenseI64ArrayAttr(*strides),
                    builder.getDenseI64ArrayAttr(*dilations),
                    builder.getDenseI64ArrayAttr(*pad)};
}

FailureOr<SmallVector<int64_t>>
Importer::padding(const TfNode &node, Value input, ArrayRef<int64_t> kernel,
                  ArrayRef<int64_t> strides, ArrayRef<int64_t> dilations) {
  const TfAttr *a = attr(node, "padding");
  std::string mode = a && a->kind == TfAttr::String ? a->s : "";
  if (mode == "VALID")
    return SmallVector<int64_t>{0, 0, 0, 0};
  if (mode == "EXPLICIT") {
    const TfAttr *pads = attr(node, "explicit_paddings");
    if (!pads || pads->listI.size() != 8)
      return nodeError(node) << "EXPLICIT padding needs 8 explicit_paddings";
    return SmallVector<int64_t>{pads->listI[2], pads->listI[3], pads->listI[4],
                                pads->listI[5]};
  }
  if (mode != "SAME")
    return nodeError(node) << "unknown padding '" << mode << "'";
  auto type = cast<RankedTensorType>(input.getType());
  if (type.getRank() != 4 || type.isDynamicDim(1) || type.isDynamicDim(2))
    return nodeError(node) << "SAME padding needs a static NHWC height and "
                              "width (set the input shape)";
  auto [top, bottom] =
      samePadding(type.getDimSize(1), kernel[0], strides[0], dilations[0]);
  auto [left, right] =
      samePadding(type.getDimSize(2), kernel[1], strides[1], dilations[1]);
  return SmallVector<int64_t>{top, bottom, left, right};
}

LogicalResult Importer::convert(const TfNode &node) {
  Location loc = nodeLoc(node);
  StringRef op = node.op;
  auto in = [&](unsigned i) { return operand(node, i); };
  auto boolAttr = [&](StringRef name, bool defaultValue) {
    const TfAttr *a = attr(node, name);
    return a && a->kind == TfAttr::Bool ? a->b : defaultValue;
  };
  // Creating an op whose types do not fit reports through its verifier.
  auto finish = [&](FailureOr<Operation *> created) -> LogicalResult {
    if (failed(created) || failed(verify(*created)))
      return nodeError(node) << "has operands of incompatible shapes";
    values[node.name] = (*created)->getResult(0);
    return success();
  };

  if (op == "Const") {
    auto c = constant(node);
    if (failed(c))
      return failure();
    values[node.name] = *c;
    return success();
  }
  if (op == "Identity" || op == "StopGradient") {
    auto x = in(0);
    if (failed(x))
      return failure();
    return finish(tfg::IdentityOp::create(builder, loc, *x).getOperation());
  }
  if (op == "Relu" || op == "Relu6") {
    auto x = in(0);
    if (failed(x))
      return failure();
    if (op == "Relu")
      return finish(tfg::ReluOp::create(builder, loc, *x).getOperation());
    return finish(tfg::Relu6Op::create(builder, loc, *x).getOperation());
  }
  if (op == "Conv2D") {
    auto x = in(0), w = in(1);
    if (failed(x) || failed(w) || failed(checkNhwc(node)))
      return failure();
    auto win = convWindow(node, *x, *w);
    if (failed(win))
      return failure();
    return finish(createInferred<tfg::Conv2DOp>(
        builder, loc, *x, *w, Value(), win->strides, win->dilations, win->pad,
        tfg::ActivationAttr::get(context, tfg::Activation::none)));
  }
  if (op == "BiasAdd" || op == "BiasAddV1") {
    auto x = in(0), b = in(1);
    if (failed(x) || failed(b) || failed(checkNhwc(node)))
      return failure();
    return finish(createInferred<tfg::BiasAddOp>(builder, loc, *x, *b));
  }
  if (op == "FusedBatchNorm" || op == "FusedBatchNormV2" ||
      op == "FusedBatchNormV3") {
    if (failed(checkNhwc(node)))
      return failure();
    // TF's default for is_training is true: a frozen graph must say false.
    if (boolAttr("is_training", true))
      return nodeError(node) << "is in training mode (is_training = true); "
                                "freeze the graph for inference";
    SmallVector<Value> args;
    for (unsigned i = 0; i < 5; ++i) {
      auto v = in(i);
      if (failed(v))
        return failure();
      args.push_back(*v);
    }
    const TfAttr *eps = attr(node, "epsilon");
    float epsilon = eps && eps->kind == TfAttr::Float ? eps->f : 1e-4f;
    return finish(createInferred<tfg::FusedBatchNormOp>(
        builder, loc, args[0], args[1], args[2], args[3], args[4],
        builder.getF32FloatAttr(epsilon)));
  }
  if (op == "MaxPool" || op == "AvgPool") {
    auto x = in(0);
    if (failed(x) || failed(checkNhwc(node)))
      return failure();
    auto kernel = window(node, "ksize", 1);
    auto strides = window(node, "strides", 1);
    if (failed(kernel) || failed(strides))
      return failure();
    SmallVector<int64_t> ones{1, 1};
    auto pad = padding(node, *x, *kernel, *strides, ones);
    if (failed(pad))
      return failure();
    auto k = builder.getDenseI64ArrayAttr(*kernel);
    auto s = builder.getDenseI64ArrayAttr(*strides);
    auto p = builder.getDenseI64ArrayAttr(*pad);
    if (op == "MaxPool")
      return finish(createInferred<tfg::MaxPoolOp>(builder, loc, *x, k, s, p));
    return finish(createInferred<tfg::AvgPoolOp>(builder, loc, *x, k, s, p));
  }
  if (op == "Mean") {
    auto x = in(0), axes = in(1);
    if (failed(x) || failed(axes))
      return failure();
    DenseElementsAttr axesAttr;
    auto axesConst = (*axes).getDefiningOp<tfg::ConstOp>();
    if (!axesConst ||
        !(axesAttr = dyn_cast<DenseElementsAttr>(axesConst.getValue())) ||
        !axesAttr.getElementType().isInteger())
      return nodeError(node) << "needs constant integer reduction_indices";
    SmallVector<int64_t> list;
    for (const APInt &a : axesAttr.getValues<APInt>())
      list.push_back(a.getSExtValue());
    return finish(createInferred<tfg::MeanOp>(
        builder, loc, *x, builder.getDenseI64ArrayAttr(list),
        builder.getBoolAttr(boolAttr("keep_dims", false))));
  }
  if (op == "MatMul") {
    auto a = in(0), b = in(1);
    if (failed(a) || failed(b))
      return failure();
    return finish(createInferred<tfg::MatMulOp>(
        builder, loc, *a, *b, Value(),
        builder.getBoolAttr(boolAttr("transpose_a", false)),
        builder.getBoolAttr(boolAttr("transpose_b", false)),
        tfg::ActivationAttr::get(context, tfg::Activation::none)));
  }
  if (op == "AddV2" || op == "Add" || op == "Sub" || op == "Mul" ||
      op == "RealDiv" || op == "Maximum" || op == "Minimum") {
    auto a = in(0), b = in(1);
    if (failed(a) || failed(b))
      return failure();
    if (op == "Sub")
      return finish(createInferred<tfg::SubOp>(builder, loc, *a, *b));
    if (op == "Mul")
      return finish(createInferred<tfg::MulOp>(builder, loc, *a, *b));
    if (op == "RealDiv")
      return finish(createInferred<tfg::DivOp>(builder, loc, *a, *b));
    if (op == "Maximum")
      return finish(createInferred<tfg::MaximumOp>(builder, loc, *a, *b));
    if (op == "Minimum")
      return finish(createInferred<tfg::MinimumOp>(builder, loc, *a, *b));
    return finish(createInferred<tfg::AddOp>(builder, loc, *a, *b));
  }
  if (op == "Sigmoid" || op == "Tanh") {
    auto x = in(0);
    if (failed(x))
      return failure();
    if (op == "Sigmoid")
      return finish(tfg::SigmoidOp::create(builder, loc, *x).getOperation());
    return finish(tfg::TanhOp::create(builder, loc, *x).getOperation());
  }
  if (op == "LeakyRelu") {
    auto x = in(0);
    if (failed(x))
      return failure();
    const TfAttr *alpha = attr(node, "alpha");
    // TF's registered default (nn_ops.cc).
    float value = alpha && alpha->kind == TfAttr::Float ? alpha->f : 0.2f;
    return finish(tfg::LeakyReluOp::create(builder, loc, *x,
                                           builder.getF32FloatAttr(value))
                      .getOperation());
  }
  if (op == "Softmax") {
    auto x = in(0);
    if (failed(x))
      return failure();
    return finish(
        tfg::SoftmaxOp::create(builder, loc, *x, builder.getI64IntegerAttr(-1))
            .getOperation());
  }
  if (op == "DepthwiseConv2dNative") {
    auto x = in(0), w = in(1);
    if (failed(x) || failed(w) || failed(checkNhwc(node)))
      return failure();
    auto win = convWindow(node, *x, *w);
    if (failed(win))
      return failure();
    return finish(createInferred<tfg::DepthwiseConv2DOp>(
        builder, loc, *x, *w, Value(), win->strides, win->dilations, win->pad,
        tfg::ActivationAttr::get(context, tfg::Activation::none)));
  }
  if (op == "_FusedConv2D" || op == "FusedDepthwiseConv2dNative" ||
      op == "_FusedMatMul") {
    // Grappler's remapper (and tfjs-converter) fuse `fused_ops` into the
    // conv or matmul: inputs are x, the filter, then `num_args` args used
    // in order: BiasAdd takes [bias] (and Prelu one more, its slope),
    // FusedBatchNorm takes [scale, offset, mean, variance]. A relu or relu6
    // goes into the op's activation; other activations become their own
    // op. Intermediate ops are named `<node>/<part>`, the last one `<node>`.
    auto x = in(0), w = in(1);
    if (failed(x) || failed(w) || failed(checkNhwc(node)))
      return failure();
    const TfAttr *numArgsAttr = attr(node, "num_args");
    int64_t numArgs = numArgsAttr ? numArgsAttr->i : 0;
    SmallVector<Value> args;
    for (int64_t i = 0; i < numArgs; ++i) {
      auto v = in(2 + i);
      if (failed(v))
        return failure();
      args.push_back(*v);
    }
    const TfAttr *fusedAttr = attr(node, "fused_ops");
    std::vector<std::string> fused;
    if (fusedAttr)
      fused = fusedAttr->listS;
    std::string fusedList;
    for (const std::string &f : fused)
      fusedList += (fusedList.empty() ? "" : ", ") + f;
    fusedList = "[" + fusedList + "]";
    bool biasAdd = !fused.empty() && fused[0] == "BiasAdd";
    bool batchNorm = !fused.empty() && fused[0] == "FusedBatchNorm";
    size_t next = biasAdd || batchNorm;
    std::string activation = next < fused.size() ? fused[next++] : "";
    size_t wantArgs = biasAdd ? 1 : batchNorm ? 4 : 0;
    wantArgs += activation == "Prelu";
    if (next != fused.size() ||
        !llvm::is_contained(
            {"", "Relu", "Relu6", "LeakyRelu", "Sigmoid", "Tanh", "Prelu"},
            activation))
      return nodeError(node) << "unsupported fused_ops " << fusedList;
    if (args.size() != wantArgs)
      return nodeError(node)
             << "fused_ops " << fusedList << " take " << wantArgs
             << " args but num_args is " << args.size();
    // Relu/Relu6 fold into the op unless a batch norm comes between.
    tfg::Activation fusedAct = tfg::Activation::none;
    if (!batchNorm && activation == "Relu")
      fusedAct = tfg::Activation::relu;
    if (!batchNorm && activation == "Relu6")
      fusedAct = tfg::Activation::relu6;
    // Whether the conv/matmul (or the batch norm after it) ends the node.
    bool last = fusedAct != tfg::Activation::none || activation.empty();
    auto partLoc = [&](StringRef part, bool isLast) -> Location {
      if (isLast)
        return loc;
      return NameLoc::get(builder.getStringAttr(node.name + "/" + part.str()),
                          FileLineColLoc::get(context, fileName, 0, 0));
    };
    Value bias = biasAdd ? args[0] : Value();
    auto actAttr = tfg::ActivationAttr::get(context, fusedAct);
    FailureOr<Operation *> base;
    StringRef basePart = op == "_FusedMatMul"   ? "MatMul"
                         : op == "_FusedConv2D" ? "Conv2D"
                                                : "DepthwiseConv2dNative";
    Location baseLoc = partLoc(basePart, last && !batchNorm);
    if (op == "_FusedMatMul") {
      base = createInferred<tfg::MatMulOp>(
          builder, baseLoc, *x, *w, bias,
          builder.getBoolAttr(boolAttr("transpose_a", false)),
          builder.getBoolAttr(boolAttr("transpose_b", false)), actAttr);
    } else {
      auto win = convWindow(node, *x, *w);
      if (failed(win))
        return failure();
      auto s = win->strides, d = win->dilations, p = win->pad;
      if (op == "_FusedConv2D")
        base = createInferred<tfg::Conv2DOp>(builder, baseLoc, *x, *w, bias, s,
                                             d, p, actAttr);
      else
        base = createInferred<tfg::DepthwiseConv2DOp>(builder, baseLoc, *x, *w,
                                                      bias, s, d, p, actAttr);
    }
    if (failed(base) || failed(verify(*base)))
      return nodeError(node) << "has operands of incompatible shapes";
    Value result = (*base)->getResult(0);
    if (batchNorm) {
      const TfAttr *eps = attr(node, "epsilon");
      float epsilon = eps && eps->kind == TfAttr::Float ? eps->f : 1e-4f;
      auto bn = createInferred<tfg::FusedBatchNormOp>(
          builder, partLoc("FusedBatchNorm", activation.empty()), result,
          args[0], args[1], args[2], args[3], builder.getF32FloatAttr(epsilon));
      if (failed(bn) || failed(verify(*bn)))
        return nodeError(node) << "has batch norm args of incompatible shapes";
      result = (*bn)->getResult(0);
    }
    if (last) {
      values[node.name] = result;
      return success();
    }
    if (activation == "Relu")
      return finish(tfg::ReluOp::create(builder, loc, result).getOperation());
    if (activation == "Relu6")
      return finish(tfg::Relu6Op::create(builder, loc, result).getOperation());
    if (activation == "Sigmoid")
      return finish(
          tfg::SigmoidOp::create(builder, loc, result).getOperation());
    if (activation == "Tanh")
      return finish(tfg::TanhOp::create(builder, loc, result).getOperation());
    if (activation == "Prelu")
      return finish(tfg::PReluOp::create(builder, loc, result, args.back())
                        .getOperation());
    const TfAttr *alpha = attr(node, "leakyrelu_alpha");
    // TF's registered default for leakyrelu_alpha (nn_ops.cc).
    float alphaValue = alpha && alpha->kind == TfAttr::Float ? alpha->f : 0.2f;
    return finish(tfg::LeakyReluOp::create(builder, loc, result,
                                           builder.getF32FloatAttr(alphaValue))
                      .getOperation());
  }
  if (op == "Prelu") { // tfjs-converter's op: Prelu(x, alpha)
    auto x = in(0), slope = in(1);
    if (failed(x) || failed(slope))
      return failure();
    return finish(
        tfg::PReluOp::create(builder, loc, *x, *slope).getOperation());
  }
  if (op == "AddN") {
    SmallVector<Value> inputs;
    for (const std::string &input : node.inputs) {
      if (parseInput(input).control)
        continue;
      auto v = in(inputs.size());
      if (failed(v))
        return failure();
      inputs.push_back(*v);
    }
    if (inputs.empty())
      return nodeError(node) << "has no inputs";
    if (inputs.size() == 1)
      return finish(
          tfg::IdentityOp::create(builder, loc, inputs[0]).getOperation());
    // A chain of adds; the partial sums are `<node>/add<i>`.
    Value sum = inputs[0];
    for (size_t i = 1; i < inputs.size(); ++i) {
      Location partLoc =
          i + 1 == inputs.size()
              ? loc
              : NameLoc::get(builder.getStringAttr(node.name + "/add" +
                                                   std::to_string(i)),
                             FileLineColLoc::get(context, fileName, 0, 0));
      auto add = createInferred<tfg::AddOp>(builder, partLoc, sum, inputs[i]);
      if (failed(add) || failed(verify(*add)))
        return nodeError(node) << "has operands of incompatible shapes";
      sum = (*add)->getResult(0);
    }
    values[node.name] = sum;
    return success();
  }
  if (op == "Conv2DBackpropInput")
    return convertConvTranspose(node);
  if (op == "Pad" || op == "PadV2" || op == "MirrorPad") {
    auto x = in(0);
    auto paddings = constInts(node, 1);
    if (failed(x) || failed(paddings))
      return failure();
    int64_t rank = cast<RankedTensorType>((*x).getType()).getRank();
    if (int64_t(paddings->size()) != 2 * rank)
      return nodeError(node) << "expects paddings of shape [" << rank << ", 2]";
    // TF lists [before, after] per dimension; tfg lists befores then afters.
    SmallVector<int64_t> pads(2 * rank);
    for (int64_t d = 0; d < rank; ++d) {
      pads[d] = (*paddings)[2 * d];
      pads[d + rank] = (*paddings)[2 * d + 1];
    }
    tfg::PadMode mode = tfg::PadMode::constant;
    float value = 0.0f;
    if (op == "MirrorPad") {
      const TfAttr *m = attr(node, "mode");
      if (!m || m->s != "REFLECT")
        return nodeError(node) << "MirrorPad mode '" << (m ? m->s : "")
                               << "' is not supported (REFLECT only)";
      mode = tfg::PadMode::reflect;
    } else if (op == "PadV2") {
      auto v = constFloats(node, 2);
      if (failed(v) || v->size() != 1)
        return nodeError(node) << "needs a scalar constant_values";
      value = (*v)[0];
    }
    return finish(createInferred<tfg::PadOp>(
        builder, loc, *x, builder.getDenseI64ArrayAttr(pads),
        tfg::PadModeAttr::get(context, mode), builder.getF32FloatAttr(value)));
  }
  if (op == "ConcatV2") {
    SmallVector<Value> inputs;
    unsigned count = 0;
    for (const std::string &input : node.inputs)
      count += !parseInput(input).control;
    if (count < 2)
      return nodeError(node) << "expects inputs and an axis";
    for (unsigned i = 0; i + 1 < count; ++i) {
      auto v = in(i);
      if (failed(v))
        return failure();
      inputs.push_back(*v);
    }
    auto axis = constInts(node, count - 1);
    if (failed(axis) || axis->size() != 1)
      return nodeError(node) << "needs a scalar constant axis";
    return finish(createInferred<tfg::ConcatOp>(
        builder, loc, inputs, builder.getI64IntegerAttr((*axis)[0])));
  }
  if (op == "Transpose") {
    auto x = in(0);
    auto perm = constInts(node, 1);
    if (failed(x) || failed(perm))
      return failure();
    return finish(createInferred<tfg::TransposeOp>(
        builder, loc, *x, builder.getDenseI64ArrayAttr(*perm)));
  }
  if (op == "Reshape" || op == "Squeeze" || op == "ExpandDims")
    return convertReshape(node);
  if (op == "ResizeBilinear" || op == "ResizeNearestNeighbor") {
    auto x = in(0);
    auto size = constInts(node, 1);
    if (failed(x) || failed(size) || size->size() != 2)
      return nodeError(node) << "needs a constant size [height, width]";
    auto type = cast<RankedTensorType>((*x).getType());
    if (type.getRank() != 4)
      return nodeError(node) << "expects a rank-4 NHWC input";
    bool alignCorners = boolAttr("align_corners", false);
    bool halfPixel = boolAttr("half_pixel_centers", false);
    bool nearest = op == "ResizeNearestNeighbor";
    // TF's coordinate rules (image_resizer_state.h) in ONNX's terms.
    StringRef coordinates =
        alignCorners ? "align_corners"
        : halfPixel  ? (nearest ? "tf_half_pixel_for_nn" : "half_pixel")
                     : "asymmetric";
    StringRef rounding =
        nearest && alignCorners ? "round_prefer_ceil" : "floor";
    auto resultType = RankedTensorType::get(
        {type.getDimSize(0), (*size)[0], (*size)[1], type.getDimSize(3)},
        type.getElementType());
    return finish(
        tfg::ResizeOp::create(
            builder, loc, resultType, *x,
            tfg::ResizeModeAttr::get(context, nearest
                                                  ? tfg::ResizeMode::nearest
                                                  : tfg::ResizeMode::bilinear),
            builder.getStringAttr(coordinates), builder.getStringAttr(rounding),
            /*scales=*/DenseF32ArrayAttr(), builder.getF32FloatAttr(-0.75f),
            builder.getBoolAttr(false))
            .getOperation());
  }
  if (op == "DepthToSpace") {
    auto x = in(0);
    if (failed(x) || failed(checkNhwc(node)))
      return failure();
    const TfAttr *block = attr(node, "block_size");
    if (!block || block->kind != TfAttr::Int)
      return nodeError(node) << "has no block_size";
    return finish(createInferred<tfg::DepthToSpaceOp>(
        builder, loc, *x, builder.getI64IntegerAttr(block->i),
        builder.getStringAttr("DCR")));
  }
  return nodeError(node) << "unsupported op '" << op << "'";
}

FailureOr<SmallVector<int64_t>> Importer::constInts(const TfNode &node,
                                                    unsigned i) {
  auto v = operand(node, i);
  if (failed(v))
    return failure();
  DenseElementsAttr attr;
  auto c = (*v).getDefiningOp<tfg::ConstOp>();
  if (!c || !(attr = dyn_cast<DenseElementsAttr>(c.getValue())) ||
      !attr.getElementType().isInteger())
    return nodeError(node) << "input " << i << " must be an integer constant";
  SmallVector<int64_t> values;
  for (const APInt &a : attr.getValues<APInt>())
    values.push_back(a.getSExtValue());
  return values;
}

FailureOr<SmallVector<float>> Importer::constFloats(const TfNode &node,
                                                    unsigned i) {
  auto v = operand(node, i);
  if (failed(v))
    return failure();
  auto values = tfg::getConstantFloats(*v);
  if (!values)
    return nodeError(node) << "input " << i << " must be a float constant";
  return *values;
}

LogicalResult Importer::convertReshape(const TfNode &node) {
  auto x = operand(node, 0);
  if (failed(x))
    return failure();
  auto type = cast<RankedTensorType>((*x).getType());
  SmallVector<int64_t> shape;
  if (node.op == "Reshape") {
    auto target = constInts(node, 1);
    if (failed(target))
      return failure();
    // -1 takes what is left; with an unknown batch it stays unknown.
    int64_t known = 1, count = 1;
    bool dynamic = false;
    for (int64_t d : type.getShape()) {
      if (ShapedType::isDynamic(d))
        dynamic = true;
      else
        count *= d;
    }
    int64_t wildcard = -1;
    for (auto [i, d] : llvm::enumerate(*target)) {
      if (d == -1) {
        if (wildcard >= 0)
          return nodeError(node) << "has more than one -1 in its shape";
        wildcard = i;
      }
      if (d >= 0)
        known *= d;
      shape.push_back(d < 0 ? ShapedType::kDynamic : d);
    }
    if (wildcard >= 0 && !dynamic) {
      if (known == 0 || count % known)
        return nodeError(node) << "cannot reshape " << count
                               << " elements to the requested shape";
      shape[wildcard] = count / known;
    }
  } else if (node.op == "Squeeze") {
    const TfAttr *dims = attr(node, "squeeze_dims");
    llvm::SmallDenseSet<int64_t> squeeze;
    if (dims)
      for (int64_t d : dims->listI)
        squeeze.insert(d < 0 ? d + type.getRank() : d);
    for (int64_t d = 0; d < type.getRank(); ++d) {
      bool drop = squeeze.empty() ? type.getDimSize(d) == 1 : squeeze.count(d);
      if (drop && type.getDimSize(d) != 1)
        return nodeError(node) << "cannot squeeze dimension " << d
                               << " of size " << type.getDimSize(d);
      if (!drop)
        shape.push_back(type.getDimSize(d));
    }
  } else { // ExpandDims
    auto axis = constInts(node, 1);
    if (failed(axis) || axis->size() != 1)
      return nodeError(node) << "needs a scalar constant axis";
    int64_t a = (*axis)[0] < 0 ? (*axis)[0] + type.getRank() + 1 : (*axis)[0];
    shape.assign(type.getShape().begin(), type.getShape().end());
    if (a < 0 || a > type.getRank())
      return nodeError(node) << "axis " << (*axis)[0] << " is out of range";
    shape.insert(shape.begin() + a, 1);
  }
  Operation *op = tfg::ReshapeOp::create(
      builder, nodeLoc(node),
      RankedTensorType::get(shape, type.getElementType()), *x);
  if (failed(verify(op)))
    return nodeError(node) << "has an impossible target shape";
  values[node.name] = op->getResult(0);
  return success();
}

LogicalResult Importer::convertConvTranspose(const TfNode &node) {
  // Conv2DBackpropInput(input_sizes, filter, out_backprop): the gradient of
  // a Conv2D, i.e. a transposed convolution of out_backprop.
  auto sizes = constInts(node, 0);
  auto w = operand(node, 1), x = operand(node, 2);
  if (failed(sizes) || failed(w) || failed(x) || failed(checkNhwc(node)))
    return failure();
  auto filter = cast<RankedTensorType>((*w).getType());
  auto input = cast<RankedTensorType>((*x).getType());
  auto strides = window(node, "strides", 1);
  auto dilations = window(node, "dilations", 1);
  if (failed(strides) || failed(dilations))
    return failure();
  if (sizes->size() != 4 || filter.getRank() != 4 || input.getRank() != 4)
    return nodeError(node) << "expects input_sizes of 4 and rank-4 tensors";
  SmallVector<int64_t> pads(4, 0);
  const TfAttr *mode = attr(node, "padding");
  for (int d = 0; d < 2; ++d) {
    int64_t out = (*sizes)[1 + d];
    if (mode && mode->s == "SAME") {
      auto [before, after] = samePadding(out, filter.getDimSize(d),
                                         (*strides)[d], (*dilations)[d]);
      pads[2 * d] = before;
      pads[2 * d + 1] = after;
    } else if (!mode || mode->s != "VALID") {
      return nodeError(node) << "padding must be SAME or VALID";
    }
  }
  auto resultType = RankedTensorType::get(
      {input.getDimSize(0), (*sizes)[1], (*sizes)[2], (*sizes)[3]},
      input.getElementType());
  Operation *op = tfg::Conv2DTransposeOp::create(
      builder, nodeLoc(node), resultType, *x, *w, Value(),
      builder.getDenseI64ArrayAttr(*strides),
      builder.getDenseI64ArrayAttr(*dilations),
      builder.getDenseI64ArrayAttr(pads),
      tfg::ActivationAttr::get(context, tfg::Activation::none));
  if (failed(verify(op)))
    return nodeError(node) << "has inconsistent sizes";
  values[node.name] = op->getResult(0);
  return success();
}

/// Leaves what tfg does not model of `node` on the op that became it, for
/// the GraphDef exporter (vai/Export/TfNodeRecord.h).
void recordOnOp(Value value, const TfNode &node) {
  Operation *op = value ? value.getDefiningOp() : nullptr;
  auto name = op ? dyn_cast<NameLoc>(op->getLoc()) : nullptr;
  if (name && name.getName() == node.name)
    for (NamedAttribute a : recordTfNode(op->getContext(), node))
      op->setAttr(a.getName(), a.getValue());
}

LogicalResult Importer::arguments(const GraphDefImportOptions &options,
                                  const std::vector<const TfNode *> &order,
                                  SmallVectorImpl<const TfNode *> &nodes,
                                  SmallVectorImpl<Type> &types) {
  // --input-nodes in their order, else the Placeholders the outputs need.
  if (!inputNodes.empty()) {
    for (StringRef input : options.inputNodes) {
      input.consume_back(":0");
      nodes.push_back(byName.lookup(input));
    }
  }
  for (const TfNode *node : order)
    if (node->op == "Placeholder" && !inputNodes.contains(node->name)) {
      if (!inputNodes.empty())
        return nodeError(*node)
               << "is a Placeholder the outputs need but not one of "
                  "--input-nodes";
      nodes.push_back(node);
    }
  if (!options.inputShapes.empty() &&
      options.inputShapes.size() != nodes.size())
    return emitError(FileLineColLoc::get(context, fileName, 0, 0))
           << "--input-shapes gives " << options.inputShapes.size()
           << " shapes for " << nodes.size() << " inputs";
  for (auto [i, node] : llvm::enumerate(nodes)) {
    const TfAttr *dtype = attr(*node, "dtype");
    if (!dtype)
      dtype = attr(*node, "T");
    if (dtype && dtype->type != TfDType::Float)
      return nodeError(*node) << "only float inputs are supported";
    std::vector<int64_t> dims;
    if (!options.inputShapes.empty()) {
      dims = options.inputShapes[i];
    } else if (const TfAttr *shape = attr(*node, "shape");
               shape && shape->kind == TfAttr::Shape &&
               !shape->shape.unknownRank) {
      dims = shape->shape.dims;
    } else if (const TfAttr *shapes = attr(*node, "_output_shapes");
               shapes && !shapes->listShape.empty() &&
               !shapes->listShape[0].unknownRank) {
      dims = shapes->listShape[0].dims;
    } else {
      return nodeError(*node) << "has no known shape: give it with "
                                 "--input-shapes";
    }
    SmallVector<int64_t> shape;
    for (int64_t d : dims)
      shape.push_back(d < 0 ? ShapedType::kDynamic : d);
    types.push_back(RankedTensorType::get(shape, builder.getF32Type()));
  }
  return success();
}

OwningOpRef<ModuleOp> Importer::run(const GraphDefImportOptions &options) {
  Location fileLoc = FileLineColLoc::get(context, fileName, 0, 0);
  for (const TfNode &node : graph.nodes) {
    if (node.name.empty()) {
      emitError(fileLoc) << "a node of op '" << node.op << "' has no name";
      return nullptr;
    }
    if (!byName.try_emplace(node.name, &node).second) {
      nodeError(node) << "is defined twice";
      return nullptr;
    }
  }
  std::vector<std::string> outputs = options.outputNodes;
  if (outputs.empty()) {
    llvm::StringSet<> consumed;
    for (const TfNode &node : graph.nodes)
      for (const std::string &input : node.inputs)
        consumed.insert(parseInput(input).node);
    for (const TfNode &node : graph.nodes)
      if (!consumed.contains(node.name) && node.op != "Const" &&
          node.op != "NoOp")
        outputs.push_back(node.name);
  }
  if (outputs.empty()) {
    emitError(fileLoc) << "the graph has no output node";
    return nullptr;
  }
  for (const std::string &output : outputs)
    if (!byName.count(output)) {
      emitError(fileLoc) << "output node '" << output
                         << "' is not in the graph";
      return nullptr;
    }
  for (std::string input : options.inputNodes) {
    // "name:0" names the node's only output.
    StringRef name = input;
    name.consume_back(":0");
    if (!byName.count(name)) {
      emitError(fileLoc) << "input node '" << input << "' is not in the graph";
      return nullptr;
    }
    inputNodes.insert(name);
  }
  std::vector<const TfNode *> order;
  if (failed(collect(outputs, order)))
    return nullptr;

  OwningOpRef<ModuleOp> module = ModuleOp::create(fileLoc);
  builder.setInsertionPointToEnd(module->getBody());
  SmallVector<Type> argTypes;
  SmallVector<const TfNode *> placeholders;
  if (failed(arguments(options, order, placeholders, argTypes)))
    return nullptr;
  auto func = func::FuncOp::create(builder, fileLoc, "main",
                                   builder.getFunctionType(argTypes, {}));
  Block *body = func.addEntryBlock();
  for (auto [i, node] : llvm::enumerate(placeholders)) {
    values[node->name] = body->getArgument(i);
    body->getArgument(i).setLoc(nodeLoc(*node));
    func.setArgAttr(i, "tfg.name", builder.getStringAttr(node->name));
    if (options.recordTfNodes && node->op == "Placeholder")
      for (NamedAttribute a : recordTfNode(context, *node))
        if (a.getName() == kTfAttrsAttr)
          func.setArgAttr(i, a.getName(), a.getValue());
  }
  builder.setInsertionPointToEnd(body);
  ImportReport *report = options.report;
  if (report)
    startReport(*report, placeholders, argTypes, order);
  llvm::StringSet<> failedNodes;
  for (const TfNode *node : order) {
    if (values.count(node->name))
      continue; // an argument
    if (!report) {
      if (failed(convert(*node)))
        return nullptr;
      if (options.recordTfNodes)
        recordOnOp(values.lookup(node->name), *node);
      continue;
    }
    // Inspect: record what cannot be converted and carry on.
    auto reads = llvm::find_if(node->inputs, [&](const std::string &input) {
      return failedNodes.contains(parseInput(input).node);
    });
    if (reads != node->inputs.end()) {
      report->dependents.push_back(node->name);
      failedNodes.insert(node->name);
      continue;
    }
    if (std::optional<std::string> reason =
            convertCapturingError(context, [&] { return convert(*node); })) {
      StringRef why = *reason;
      // The node is reported on its own; drop the message's own prefix.
      std::string prefix = "node '" + node->name + "' (" + node->op + "): ";
      why.consume_front(prefix);
      report->unsupported.push_back({node->name, node->op, why.str()});
      failedNodes.insert(node->name);
    }
  }
  SmallVector<Value> results;
  std::vector<std::string> resultNames;
  for (const std::string &output : outputs) {
    Value v = values.lookup(output);
    if (report) {
      ImportReport::Tensor t{output, {}, false, "float32"};
      if (auto type = v ? dyn_cast<RankedTensorType>(v.getType()) : nullptr) {
        t.shapeKnown = true;
        for (int64_t d : type.getShape())
          t.shape.push_back(ShapedType::isDynamic(d) ? -1 : d);
      }
      report->outputs.push_back(t);
      if (!v)
        continue;
    }
    results.push_back(v);
    resultNames.push_back(output);
  }
  if (report) {
    // What converted may not verify on its own; the report is the result.
    (void)convertCapturingError(context, [&] {
      return finishMainFunction(builder, func, fileLoc, results, resultNames);
    });
    return module;
  }
  if (failed(finishMainFunction(builder, func, fileLoc, results, outputs)))
    return nullptr;
  return module;
}

void Importer::startReport(ImportReport &report,
                           ArrayRef<const TfNode *> inputs,
                           ArrayRef<Type> types,
                           const std::vector<const TfNode *> &order) {
  report.format = "TensorFlow GraphDef";
  for (auto [node, type] : llvm::zip(inputs, types)) {
    ImportReport::Tensor t{node->name, {}, true, "float32"};
    for (int64_t d : cast<RankedTensorType>(type).getShape())
      t.shape.push_back(ShapedType::isDynamic(d) ? -1 : d);
    report.inputs.push_back(t);
  }
  for (const TfNode *node : order)
    ++report.opHistogram[node->op];
}

} // namespace

OwningOpRef<ModuleOp> importGraphDef(StringRef bytes, StringRef fileName,
                                     MLIRContext *context,
                                     const GraphDefImportOptions &options) {
  context->loadDialect<tfg::TfgDialect, func::FuncDialect>();
  proto::TfGraph graph;
  std::string error;
  if (!proto::parseGraphDef(bytes.str(), options.text, graph, error)) {
    emitError(FileLineColLoc::get(context, fileName, 0, 0))
        << "cannot read GraphDef: " << error;
    return nullptr;
  }
  return importTfGraph(graph, fileName, context, options);
}

OwningOpRef<ModuleOp> importTfGraph(const proto::TfGraph &graph,
                                    StringRef fileName, MLIRContext *context,
                                    const GraphDefImportOptions &options) {
  context->loadDialect<tfg::TfgDialect, func::FuncDialect>();
  return Importer(context, fileName, graph).run(options);
}

} // namespace vai

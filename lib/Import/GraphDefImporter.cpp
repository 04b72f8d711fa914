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

/// Creates an op whose result type is inferred, reporting an inference
/// failure (bad input shapes) as a diagnostic rather than aborting as the
/// generated builders do.
template <typename OpT, typename... Args>
FailureOr<Operation *> createInferred(OpBuilder &builder, Location loc,
                                      Args &&...args) {
  auto placeholder = UnrankedTensorType::get(builder.getF32Type());
  Operation *op =
      OpT::create(builder, loc, placeholder, std::forward<Args>(args)...);
  SmallVector<Type> types;
  if (failed(OpT::inferReturnTypes(builder.getContext(), loc, op->getOperands(),
                                   op->getRawDictionaryAttrs(),
                                   op->getPropertiesStorage(), op->getRegions(),
                                   types))) {
    op->erase();
    return failure();
  }
  op->getResult(0).setType(types[0]);
  return op;
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
  FailureOr<SmallVector<int64_t>> window(const TfNode &node, StringRef name,
                                         int64_t defaultValue);
  FailureOr<SmallVector<int64_t>> padding(const TfNode &node, Value input,
                                          ArrayRef<int64_t> kernel,
                                          ArrayRef<int64_t> strides,
                                          ArrayRef<int64_t> dilations);
  LogicalResult checkNhwc(const TfNode &node);

  MLIRContext *context;
  OpBuilder builder;
  std::string fileName;
  const proto::TfGraph &graph;
  llvm::StringMap<const TfNode *> byName;
  llvm::StringMap<Value> values;
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
      if (next < node->inputs.size()) {
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
    auto filter = cast<RankedTensorType>((*w).getType());
    if (filter.getRank() != 4)
      return nodeError(node) << "expects a rank-4 HWIO filter";
    auto strides = window(node, "strides", 1);
    auto dilations = window(node, "dilations", 1);
    if (failed(strides) || failed(dilations))
      return failure();
    auto pad = padding(node, *x, filter.getShape().take_front(2), *strides,
                       *dilations);
    if (failed(pad))
      return failure();
    auto conv = createInferred<tfg::Conv2DOp>(
        builder, loc, *x, *w, Value(), builder.getDenseI64ArrayAttr(*strides),
        builder.getDenseI64ArrayAttr(*dilations),
        builder.getDenseI64ArrayAttr(*pad),
        tfg::ActivationAttr::get(context, tfg::Activation::none));
    return finish(conv);
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
  if (op == "AddV2" || op == "Add") {
    auto a = in(0), b = in(1);
    if (failed(a) || failed(b))
      return failure();
    return finish(createInferred<tfg::AddOp>(builder, loc, *a, *b));
  }
  return nodeError(node) << "unsupported op '" << op << "'";
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
  std::vector<const TfNode *> order;
  if (failed(collect(outputs, order)))
    return nullptr;

  OwningOpRef<ModuleOp> module = ModuleOp::create(fileLoc);
  builder.setInsertionPointToEnd(module->getBody());
  SmallVector<Type> argTypes;
  SmallVector<const TfNode *> placeholders;
  for (const TfNode *node : order) {
    if (node->op != "Placeholder")
      continue;
    const TfAttr *dtype = attr(*node, "dtype");
    if (dtype && dtype->type != TfDType::Float) {
      nodeError(*node) << "only float inputs are supported";
      return nullptr;
    }
    const TfAttr *shape = attr(*node, "shape");
    if (!shape || shape->kind != TfAttr::Shape || shape->shape.unknownRank) {
      nodeError(*node) << "has no known rank: give its shape";
      return nullptr;
    }
    SmallVector<int64_t> dims;
    for (int64_t d : shape->shape.dims)
      dims.push_back(d < 0 ? ShapedType::kDynamic : d);
    argTypes.push_back(RankedTensorType::get(dims, builder.getF32Type()));
    placeholders.push_back(node);
  }
  auto func = func::FuncOp::create(builder, fileLoc, "main",
                                   builder.getFunctionType(argTypes, {}));
  Block *body = func.addEntryBlock();
  for (auto [i, node] : llvm::enumerate(placeholders)) {
    values[node->name] = body->getArgument(i);
    body->getArgument(i).setLoc(nodeLoc(*node));
    func.setArgAttr(i, "tfg.name", builder.getStringAttr(node->name));
  }
  builder.setInsertionPointToEnd(body);
  for (const TfNode *node : order)
    if (node->op != "Placeholder" && failed(convert(*node)))
      return nullptr;
  SmallVector<Value> results;
  for (const std::string &output : outputs)
    results.push_back(values.lookup(output));
  func::ReturnOp::create(builder, fileLoc, results);
  func.setType(
      builder.getFunctionType(argTypes, ValueRange(results).getTypes()));
  SmallVector<Attribute> names;
  for (const std::string &output : outputs)
    names.push_back(builder.getStringAttr(output));
  func->setAttr("tfg.output_names", builder.getArrayAttr(names));
  if (failed(verify(*module)))
    return nullptr;
  return module;
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
  return Importer(context, fileName, graph).run(options);
}

} // namespace vai

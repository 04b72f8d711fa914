//===- OnnxImporter.cpp - ONNX models to tfg ------------------------------===//
//
// Attribute names, defaults and opset differences follow ONNX's operator
// specification (onnx/docs/Operators.md and Changelog.md, opsets 7 to 17).
//
// Signature. @main keeps the graph's interface exactly: one argument per
// graph input that is not also an initializer (an initializer named like an
// input, as IR version < 4 files have, is a constant), in ONNX's layout and
// shape (`?` for unnamed or symbolic dims), named by `tfg.name`; one result
// per graph output, in ONNX's layout, named by `tfg.output_names`.
//
// Layout. ONNX is NCHW, tfg's window ops are NHWC with HWIO filters. Every
// ONNX value is tracked as a tfg value plus a permutation `perm`: the tfg
// value is the ONNX tensor transposed by perm (tfg dimension i is ONNX
// dimension perm[i]); perm is the identity for most values and [0, 2, 3, 1]
// for the rank-4 outputs of layout-sensitive ops.
//  - Layout-sensitive ops (Conv, ConvTranspose, MaxPool, AveragePool,
//    GlobalAveragePool, GlobalMaxPool, BatchNormalization, Resize, Upsample,
//    DepthToSpace, Pad of rank 4, PRelu with a per-channel slope) take their
//    input in NHWC (channels last for BatchNormalization of other ranks) and
//    produce NHWC.
//  - Elementwise ops (Add, Sub, Mul, Div, Max, Min, PRelu otherwise, and the
//    unary activations, Identity, Dropout) keep the layout of their inputs.
//    Binary operands are brought to one layout, that of the first
//    non-constant operand of the highest rank; a constant operand is
//    transposed at import with ONNX's broadcasting respected (a [C, 1, 1]
//    constant against an NCHW value held as NHWC becomes a [C] vector), a
//    lower-rank non-constant one is reshaped to the full rank and transposed.
//  - Concat and Softmax (opset >= 13, or over the last axis) remap their axis
//    through the layout. Reshape, Flatten, Squeeze, Unsqueeze, Transpose,
//    Gemm, MatMul and Softmax (opset < 13, which flattens) first bring their
//    input back to ONNX's layout.
//  - A change of layout is a `tfg.transpose`, or a `tfg.reshape` when only
//    size-1 dimensions move (e.g. [N, 1, 1, C] -> [N, C, 1, 1]). It is made
//    once per value and layout, named `<value>/nhwc`, `<value>/nchw` (rank 4)
//    or `<value>/transpose`.
//  - Constants (initializers, Constant nodes, and Identity/Reshape/Flatten/
//    Squeeze/Unsqueeze/Transpose/DequantizeLinear applied to constants, which
//    are folded) become `tfg.const` only when used, already in the layout
//    the user needs: Conv weights OIHW -> HWIO, depthwise weights
//    [C*m, 1, kh, kw] -> [kh, kw, C, m], ConvTranspose weights
//    [C_in, C_out, kh, kw] -> [kh, kw, C_out, C_in], Gemm's B with transB ->
//    [K, N]. Non-constant weights get a `tfg.transpose` (and `tfg.reshape`).
//    A constant's `tfg.const` carries the initializer's name.
//
// Quantization. QuantizeLinear followed by DequantizeLinear on a float tensor
// is an identity: it becomes a `tfg.identity` named after the
// DequantizeLinear node (or, when the tensor is a constant, the constant
// itself) that records the DequantizeLinear's parameters as discardable
// attributes: `quant.hint_scale` (f32, or a tensor<Kxf32> per axis),
// `quant.hint_zero_point` (an integer of the zero point's storage type, e.g.
// `0 : si8`, `128 : ui8`, or a tensor per axis) and, per axis,
// `quant.hint_axis` (the axis in the tfg value's layout). DequantizeLinear of
// an integer constant (quantized weights) is folded to a float constant with
// the same hints. The integer output of a QuantizeLinear may feed only
// DequantizeLinear.
//
// Anything else is an error naming the file and node; with
// `keepUnsupported`, unknown op types become `tfg.node "onnx" "<OpType>"`
// (`"<domain>.<OpType>"` outside the default domain) with their attributes,
// operands in ONNX's layout, and result types from the graph's value_info.
//
//===----------------------------------------------------------------------===//

#include "vai/Import/OnnxImporter.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Verifier.h"
#include "vai/Dialect/Tfg/TfgOps.h"
#include "vai/Import/ImportReport.h"
#include "vai/Import/ImportUtils.h"
#include "vai/Proto/Onnx.h"
#include "vai/Support/TransposeData.h"
#include "vai/Support/WindowShape.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include <cmath>
#include <limits>
#include <map>
#include <memory>
#include <numeric>

using namespace mlir;
using vai::proto::OnnxAttr;
using vai::proto::OnnxDType;
using vai::proto::OnnxGraph;
using vai::proto::OnnxModel;
using vai::proto::OnnxNode;
using vai::proto::OnnxTensor;
using vai::proto::OnnxValueInfo;

namespace vai {
namespace {

constexpr int64_t kMinOpset = 7, kMaxOpset = 17;
constexpr int64_t kDynamic = ShapedType::kDynamic;

//===----------------------------------------------------------------------===//
// Permutations
//===----------------------------------------------------------------------===//

using Perm = SmallVector<int64_t, 4>;

Perm identityPerm(int64_t rank) {
  Perm p(rank);
  std::iota(p.begin(), p.end(), 0);
  return p;
}

bool isIdentity(ArrayRef<int64_t> p) {
  for (auto [i, v] : llvm::enumerate(p))
    if (v != int64_t(i))
      return false;
  return true;
}

Perm inversePerm(ArrayRef<int64_t> p) {
  Perm inv(p.size());
  for (auto [i, v] : llvm::enumerate(p))
    inv[v] = i;
  return inv;
}

/// ONNX's channels-first to channels-last: [0, 2, ..., rank - 1, 1].
Perm channelsLast(int64_t rank) {
  if (rank < 3)
    return identityPerm(rank);
  Perm p{0};
  for (int64_t d = 2; d < rank; ++d)
    p.push_back(d);
  p.push_back(1);
  return p;
}

/// out[i] = dims[perm[i]].
SmallVector<int64_t> permuteDims(ArrayRef<int64_t> dims,
                                 ArrayRef<int64_t> perm) {
  SmallVector<int64_t> out;
  for (int64_t p : perm)
    out.push_back(dims[p]);
  return out;
}

/// The tfg.transpose perm taking a value held in layout `from` to layout `to`.
Perm relativePerm(ArrayRef<int64_t> from, ArrayRef<int64_t> to) {
  Perm inv = inversePerm(from), t;
  for (int64_t p : to)
    t.push_back(inv[p]);
  return t;
}

bool isPerm(ArrayRef<int64_t> p) {
  SmallVector<bool> seen(p.size(), false);
  for (int64_t v : p) {
    if (v < 0 || v >= int64_t(p.size()) || seen[v])
      return false;
    seen[v] = true;
  }
  return true;
}

std::string permKey(ArrayRef<int64_t> p) {
  std::string s;
  for (int64_t v : p)
    s += std::to_string(v) + ",";
  return s;
}

/// Whether transposing `type` by `t` keeps the row-major order of the
/// elements: only size-1 dimensions move. Then it is a reshape, which the
/// DPU does for free (when at most one size is unknown, so a reshape can
/// tell the sizes).
bool isReshape(RankedTensorType type, ArrayRef<int64_t> t) {
  if (type.getNumDynamicDims() > 1)
    return false;
  int64_t last = -1;
  for (int64_t p : t) {
    if (type.getDimSize(p) == 1)
      continue;
    if (p < last)
      return false;
    last = p;
  }
  return true;
}

int64_t product(ArrayRef<int64_t> dims) {
  int64_t n = 1;
  for (int64_t d : dims)
    n *= d;
  return n;
}

bool anyDynamic(ArrayRef<int64_t> dims) {
  return llvm::any_of(dims, ShapedType::isDynamic);
}

//===----------------------------------------------------------------------===//
// Values
//===----------------------------------------------------------------------===//

/// A QuantizeLinear/DequantizeLinear's parameters, recorded as
/// `quant.hint_*` attributes.
struct QuantHint {
  std::vector<float> scales;
  std::vector<int64_t> zeroPoints;
  OnnxDType storage = OnnxDType::UInt8;
  /// The ONNX axis of a per-axis hint (>= 0), -1 per tensor.
  int64_t axis = -1;
};

/// A tensor known at import time, in ONNX's layout.
struct ConstData {
  bool isFloat = true;
  OnnxDType dtype = OnnxDType::Float;
  SmallVector<int64_t> dims;
  std::vector<float> floats;
  std::vector<int64_t> ints;
  std::optional<QuantHint> hint;
};

/// What an ONNX value name stands for.
struct Entry {
  std::string name;
  /// The tfg value and its layout (null for a constant not used yet).
  Value value;
  Perm perm;
  /// The same value in other layouts (or, for constants, forms), made once.
  std::map<std::string, Value> forms;
  std::shared_ptr<const ConstData> constant;
  /// The integer output of a QuantizeLinear: the float value it quantizes
  /// and the node, for DequantizeLinear to turn into an identity.
  std::string quantSource, quantNode;
  /// A graph input of an integer type, held as f32 (exact for the 8- and
  /// 16-bit types it may be); only DequantizeLinear may read it.
  bool integerInput = false;
};

/// ONNX's integer storage types for quantization parameters.
std::optional<IntegerType> storageType(MLIRContext *context, OnnxDType t) {
  switch (t) {
  case OnnxDType::Int8:
    return IntegerType::get(context, 8, IntegerType::Signed);
  case OnnxDType::UInt8:
    return IntegerType::get(context, 8, IntegerType::Unsigned);
  case OnnxDType::Int16:
    return IntegerType::get(context, 16, IntegerType::Signed);
  case OnnxDType::UInt16:
    return IntegerType::get(context, 16, IntegerType::Unsigned);
  case OnnxDType::Int32:
    return IntegerType::get(context, 32, IntegerType::Signed);
  default:
    return std::nullopt;
  }
}

bool isFloatType(OnnxDType t) {
  return t == OnnxDType::Float || t == OnnxDType::Float16 ||
         t == OnnxDType::BFloat16 || t == OnnxDType::Double;
}

bool isIntType(OnnxDType t) {
  switch (t) {
  case OnnxDType::Int8:
  case OnnxDType::UInt8:
  case OnnxDType::Int16:
  case OnnxDType::UInt16:
  case OnnxDType::Int32:
  case OnnxDType::UInt32:
  case OnnxDType::Int64:
  case OnnxDType::UInt64:
  case OnnxDType::Bool:
    return true;
  default:
    return false;
  }
}

/// The MLIR element type of an ONNX type (for tfg.node and int constants).
Type elementType(MLIRContext *context, OnnxDType t) {
  Builder b(context);
  switch (t) {
  case OnnxDType::Float:
    return b.getF32Type();
  case OnnxDType::Float16:
    return b.getF16Type();
  case OnnxDType::BFloat16:
    return b.getBF16Type();
  case OnnxDType::Double:
    return b.getF64Type();
  case OnnxDType::Bool:
    return b.getI1Type();
  case OnnxDType::Int8:
    return b.getI8Type();
  case OnnxDType::Int16:
    return b.getI16Type();
  case OnnxDType::Int32:
    return b.getI32Type();
  case OnnxDType::Int64:
    return b.getI64Type();
  case OnnxDType::UInt8:
    return IntegerType::get(context, 8, IntegerType::Unsigned);
  case OnnxDType::UInt16:
    return IntegerType::get(context, 16, IntegerType::Unsigned);
  case OnnxDType::UInt32:
    return IntegerType::get(context, 32, IntegerType::Unsigned);
  case OnnxDType::UInt64:
    return IntegerType::get(context, 64, IntegerType::Unsigned);
  default:
    return nullptr;
  }
}

/// Decodes a TensorProto into a constant; on failure returns null and sets
/// `error`.
std::shared_ptr<ConstData> decodeTensor(const OnnxTensor &t,
                                        std::string &error) {
  if (t.hasExternalData) {
    error = "stores its data in an external file, which is not supported";
    return nullptr;
  }
  auto data = std::make_shared<ConstData>();
  data->dtype = t.dtype;
  data->dims.assign(t.dims.begin(), t.dims.end());
  size_t count = size_t(t.numElements());
  if (isFloatType(t.dtype)) {
    if (t.floats.size() != count) {
      error = "holds " + std::to_string(t.floats.size()) +
              " values for a shape of " + std::to_string(count);
      return nullptr;
    }
    data->floats = t.floats;
  } else if (isIntType(t.dtype)) {
    if (t.ints.size() != count) {
      error = "holds " + std::to_string(t.ints.size()) +
              " values for a shape of " + std::to_string(count);
      return nullptr;
    }
    data->isFloat = false;
    data->ints = t.ints;
  } else {
    error = "has unsupported data type " + proto::onnxDTypeName(t.dtype);
    return nullptr;
  }
  return data;
}

//===----------------------------------------------------------------------===//
// The importer
//===----------------------------------------------------------------------===//

struct Window {
  SmallVector<int64_t> strides, dilations;
  /// tfg order: [top, bottom, left, right].
  SmallVector<int64_t> pad;
};

class Importer {
public:
  Importer(MLIRContext *context, StringRef fileName, const OnnxModel &model,
           const OnnxImportOptions &options)
      : context(context), builder(context), fileName(fileName),
        fileLoc(FileLineColLoc::get(context, fileName, 0, 0)), model(model),
        graph(model.graph), options(options) {}

  OwningOpRef<ModuleOp> run();

private:
  //--- Names, locations, errors -------------------------------------------//

  static std::string displayName(const OnnxNode &node) {
    if (!node.name.empty())
      return node.name;
    for (const std::string &out : node.outputs)
      if (!out.empty())
        return out;
    return node.opType;
  }
  Location nameLoc(const Twine &name) {
    return NameLoc::get(StringAttr::get(context, name), fileLoc);
  }
  Location nodeLoc(const OnnxNode &node) { return nameLoc(displayName(node)); }
  /// Helper ops a node needs besides its main one: "<node>/<suffix>".
  Location auxLoc(const OnnxNode &node, StringRef suffix) {
    return nameLoc(displayName(node) + "/" + suffix);
  }
  InFlightDiagnostic nodeError(const OnnxNode &node) {
    return emitError(nodeLoc(node))
           << "node '" << displayName(node) << "' (" << node.opType << "): ";
  }

  //--- Attributes ---------------------------------------------------------//

  int64_t intAttr(const OnnxNode &node, StringRef name, int64_t def) {
    const OnnxAttr *a = node.attr(name.str());
    return a && a->kind == OnnxAttr::Int ? a->i : def;
  }
  float floatAttr(const OnnxNode &node, StringRef name, float def) {
    const OnnxAttr *a = node.attr(name.str());
    if (a && a->kind == OnnxAttr::Float)
      return a->f;
    if (a && a->kind == OnnxAttr::Int)
      return float(a->i);
    return def;
  }
  std::string strAttr(const OnnxNode &node, StringRef name, StringRef def) {
    const OnnxAttr *a = node.attr(name.str());
    return a && a->kind == OnnxAttr::String ? a->s : def.str();
  }
  std::optional<SmallVector<int64_t>> intsAttr(const OnnxNode &node,
                                               StringRef name) {
    const OnnxAttr *a = node.attr(name.str());
    if (!a || a->kind != OnnxAttr::Ints)
      return std::nullopt;
    return SmallVector<int64_t>(a->ints.begin(), a->ints.end());
  }

  //--- Operands -----------------------------------------------------------//

  static bool has(const OnnxNode &node, unsigned i) {
    return i < node.inputs.size() && !node.inputs[i].empty();
  }
  FailureOr<Entry *> input(const OnnxNode &node, unsigned i);
  /// The constant behind input `i`, or null.
  const ConstData *constant(const OnnxNode &node, unsigned i) {
    if (!has(node, i))
      return nullptr;
    auto it = entries.find(node.inputs[i]);
    return it == entries.end() ? nullptr : it->second.constant.get();
  }
  FailureOr<SmallVector<int64_t>> constInts(const OnnxNode &node, unsigned i,
                                            StringRef what);
  FailureOr<SmallVector<float>> constFloats(const OnnxNode &node, unsigned i,
                                            StringRef what);
  FailureOr<float> constScalar(const OnnxNode &node, unsigned i,
                               StringRef what);

  int64_t rankOf(const Entry &e) {
    if (e.constant)
      return e.constant->dims.size();
    return cast<RankedTensorType>(e.value.getType()).getRank();
  }
  /// The shape of `e` in ONNX's layout.
  SmallVector<int64_t> onnxShape(const Entry &e) {
    if (e.constant)
      return e.constant->dims;
    auto shape = cast<RankedTensorType>(e.value.getType()).getShape();
    SmallVector<int64_t> out(shape.size());
    for (auto [i, p] : llvm::enumerate(e.perm))
      out[p] = shape[i];
    return out;
  }

  /// `e` in layout `perm` (a full permutation of its rank).
  FailureOr<Value> inLayout(const OnnxNode &node, Entry &e,
                            ArrayRef<int64_t> perm, bool requireFloat = true);
  /// Input `i` in layout `perm`; an empty perm means ONNX's layout.
  FailureOr<Value> valueIn(const OnnxNode &node, unsigned i,
                           ArrayRef<int64_t> perm = {},
                           bool requireFloat = true);
  /// Input `i` in the layout it has (ONNX's for constants).
  FailureOr<std::pair<Value, Perm>> valueAsIs(const OnnxNode &node, unsigned i);
  /// A constant in a form: aligned to its rank plus `prepend` leading 1s,
  /// transposed by `perm`, then reshaped to `finalDims` when given.
  FailureOr<Value> constForm(const OnnxNode &node, Entry &e,
                             ArrayRef<int64_t> perm, int64_t prepend,
                             std::optional<SmallVector<int64_t>> finalDims,
                             bool requireFloat = true);
  /// A weight (input `i`) transposed by `perm` and reshaped to `finalDims`:
  /// at import for constants, by ops otherwise.
  FailureOr<Value> weight(const OnnxNode &node, unsigned i,
                          ArrayRef<int64_t> perm,
                          std::optional<SmallVector<int64_t>> finalDims);
  /// tfg.transpose (or tfg.reshape when only size-1 dims move) from layout
  /// `from` to `to`.
  FailureOr<Value> relayout(const OnnxNode &node, Value v,
                            ArrayRef<int64_t> from, ArrayRef<int64_t> to,
                            Location loc);
  FailureOr<Value> reshape(const OnnxNode &node, Value v,
                           ArrayRef<int64_t> shape, Location loc);
  /// Brings the inputs `indices` to one layout for an elementwise op.
  FailureOr<std::pair<SmallVector<Value>, Perm>>
  alignOperands(const OnnxNode &node, ArrayRef<unsigned> indices,
                std::optional<Perm> forced = std::nullopt);

  //--- Results ------------------------------------------------------------//

  /// Checks a new op (inference and verifier) and returns its result.
  FailureOr<Value> check(const OnnxNode &node, FailureOr<Operation *> created) {
    if (failed(created) || failed(verify(*created)))
      return nodeError(node) << "has operands of incompatible shapes";
    return (*created)->getResult(0);
  }
  template <typename OpT, typename... Args>
  FailureOr<Value> inferred(const OnnxNode &node, Location loc,
                            Args &&...args) {
    return check(
        node, createInferred<OpT>(builder, loc, std::forward<Args>(args)...));
  }
  template <typename OpT, typename... Args>
  FailureOr<Value> plain(const OnnxNode &node, Location loc, Args &&...args) {
    return check(
        node,
        OpT::create(builder, loc, std::forward<Args>(args)...).getOperation());
  }
  LogicalResult define(const OnnxNode &node, unsigned i, FailureOr<Value> v,
                       ArrayRef<int64_t> perm = {}) {
    if (failed(v))
      return failure();
    Entry &e = entries[node.outputs[i]];
    e.name = node.outputs[i];
    e.value = *v;
    int64_t rank = cast<RankedTensorType>(v->getType()).getRank();
    e.perm = perm.empty() ? identityPerm(rank) : Perm(perm);
    return success();
  }
  LogicalResult defineConst(const OnnxNode &node, unsigned i,
                            std::shared_ptr<const ConstData> data) {
    Entry &e = entries[node.outputs[i]];
    e.name = node.outputs[i];
    e.constant = std::move(data);
    return success();
  }
  /// Fails when output `i` (beyond those the importer produces) is used.
  LogicalResult checkUnused(const OnnxNode &node, unsigned i, StringRef what) {
    if (i < node.outputs.size() && !node.outputs[i].empty() &&
        used.contains(node.outputs[i]))
      return nodeError(node)
             << "output " << i << " ('" << node.outputs[i] << "', " << what
             << ") is used; it is not supported";
    return success();
  }
  void attachHint(Operation *op, const QuantHint &hint, int64_t axis);

  //--- Conversion ---------------------------------------------------------//

  LogicalResult collect(std::vector<const OnnxNode *> &order);
  LogicalResult convert(const OnnxNode &node);
  LogicalResult convertUnary(const OnnxNode &node);
  LogicalResult convertBinary(const OnnxNode &node);
  LogicalResult convertClip(const OnnxNode &node);
  LogicalResult convertPRelu(const OnnxNode &node);
  LogicalResult convertConv(const OnnxNode &node);
  LogicalResult convertConvTranspose(const OnnxNode &node);
  LogicalResult convertBatchNorm(const OnnxNode &node);
  LogicalResult convertPool(const OnnxNode &node);
  LogicalResult convertGlobalPool(const OnnxNode &node);
  LogicalResult convertGemm(const OnnxNode &node);
  LogicalResult convertMatMul(const OnnxNode &node);
  LogicalResult convertPad(const OnnxNode &node);
  LogicalResult convertResize(const OnnxNode &node);
  LogicalResult convertConcat(const OnnxNode &node);
  LogicalResult convertSoftmax(const OnnxNode &node);
  LogicalResult convertShapeOp(const OnnxNode &node);
  LogicalResult convertTranspose(const OnnxNode &node);
  LogicalResult convertDepthToSpace(const OnnxNode &node);
  LogicalResult convertConstant(const OnnxNode &node);
  LogicalResult convertIdentity(const OnnxNode &node);
  LogicalResult convertQuantize(const OnnxNode &node);
  LogicalResult convertDequantize(const OnnxNode &node);
  LogicalResult convertUnsupported(const OnnxNode &node);
  FailureOr<QuantHint> quantParams(const OnnxNode &node, int64_t rank);
  FailureOr<Window> window(const OnnxNode &node, RankedTensorType nhwc,
                           ArrayRef<int64_t> kernel, bool hasDilations);
  FailureOr<SmallVector<int64_t>> reshapeTarget(const OnnxNode &node,
                                                ArrayRef<int64_t> in);
  FailureOr<Value> graphOutput(const OnnxValueInfo &info);
  /// run() in inspect mode: convert what can be, fill the report.
  OwningOpRef<ModuleOp>
  runForReport(ImportReport &report, OwningOpRef<ModuleOp> &module,
               func::FuncOp func, ArrayRef<const OnnxValueInfo *> args,
               ArrayRef<Type> argTypes,
               const std::vector<const OnnxNode *> &order);

  MLIRContext *context;
  OpBuilder builder;
  std::string fileName;
  Location fileLoc;
  const OnnxModel &model;
  const OnnxGraph &graph;
  OnnxImportOptions options;
  int64_t opset = 0;
  std::map<std::string, Entry> entries;
  /// Graph outputs and value_info, for tfg.node result types.
  llvm::StringMap<const OnnxValueInfo *> declared;
  /// Value name -> index of the node producing it.
  llvm::StringMap<size_t> producer;
  llvm::StringSet<> graphInputs;
  /// Graph inputs of integer types (see Entry::integerInput).
  llvm::StringSet<> integerInputs;
  /// Values some imported node or a graph output uses.
  llvm::StringSet<> used;
};

//===----------------------------------------------------------------------===//
// Operands and layouts
//===----------------------------------------------------------------------===//

FailureOr<Entry *> Importer::input(const OnnxNode &node, unsigned i) {
  if (!has(node, i))
    return nodeError(node) << "expects input " << i;
  auto it = entries.find(node.inputs[i]);
  if (it == entries.end())
    return nodeError(node) << "input '" << node.inputs[i]
                           << "' was not imported";
  return &it->second;
}

FailureOr<SmallVector<int64_t>>
Importer::constInts(const OnnxNode &node, unsigned i, StringRef what) {
  const ConstData *c = constant(node, i);
  if (!c || c->isFloat)
    return nodeError(node) << what << " (input " << i
                           << ") must be an integer constant";
  return SmallVector<int64_t>(c->ints.begin(), c->ints.end());
}

FailureOr<SmallVector<float>>
Importer::constFloats(const OnnxNode &node, unsigned i, StringRef what) {
  const ConstData *c = constant(node, i);
  if (!c || !c->isFloat)
    return nodeError(node) << what << " (input " << i
                           << ") must be a float constant";
  return SmallVector<float>(c->floats.begin(), c->floats.end());
}

FailureOr<float> Importer::constScalar(const OnnxNode &node, unsigned i,
                                       StringRef what) {
  const ConstData *c = constant(node, i);
  if (!c || product(c->dims) != 1)
    return nodeError(node) << what << " (input " << i
                           << ") must be a scalar constant";
  return c->isFloat ? c->floats[0] : float(c->ints[0]);
}

FailureOr<Value> Importer::reshape(const OnnxNode &node, Value v,
                                   ArrayRef<int64_t> shape, Location loc) {
  auto type = cast<RankedTensorType>(v.getType());
  if (type.getShape() == shape)
    return v;
  return plain<tfg::ReshapeOp>(
      node, loc, RankedTensorType::get(shape, type.getElementType()), v);
}

FailureOr<Value> Importer::relayout(const OnnxNode &node, Value v,
                                    ArrayRef<int64_t> from,
                                    ArrayRef<int64_t> to, Location loc) {
  Perm t = relativePerm(from, to);
  if (isIdentity(t))
    return v;
  auto type = cast<RankedTensorType>(v.getType());
  SmallVector<int64_t> shape = permuteDims(type.getShape(), t);
  if (isReshape(type, t))
    return reshape(node, v, shape, loc);
  return inferred<tfg::TransposeOp>(node, loc, v,
                                    builder.getDenseI64ArrayAttr(t));
}

FailureOr<Value> Importer::inLayout(const OnnxNode &node, Entry &e,
                                    ArrayRef<int64_t> perm, bool requireFloat) {
  if (!e.quantSource.empty())
    return nodeError(node) << "input '" << e.name
                           << "' is the integer output of QuantizeLinear '"
                           << e.quantNode
                           << "'; only QuantizeLinear -> DequantizeLinear "
                              "pairs are supported";
  if (e.constant)
    return constForm(node, e, perm, 0, std::nullopt, requireFloat);
  if (e.integerInput && requireFloat)
    return nodeError(node) << "input '" << e.name
                           << "' is an integer graph input; only "
                              "DequantizeLinear may read it";
  if (requireFloat &&
      !cast<RankedTensorType>(e.value.getType()).getElementType().isF32())
    return nodeError(node) << "input '" << e.name << "' is not a float tensor";
  if (ArrayRef<int64_t>(e.perm) == perm)
    return e.value;
  std::string key = permKey(perm);
  if (Value v = e.forms[key])
    return v;
  int64_t rank = perm.size();
  StringRef suffix = rank == 4 && isIdentity(perm) ? "nchw"
                     : rank == 4 && perm == ArrayRef<int64_t>(channelsLast(4))
                         ? "nhwc"
                         : "transpose";
  auto v =
      relayout(node, e.value, e.perm, perm, nameLoc(e.name + "/" + suffix));
  if (failed(v))
    return failure();
  e.forms[key] = *v;
  return *v;
}

FailureOr<Value> Importer::valueIn(const OnnxNode &node, unsigned i,
                                   ArrayRef<int64_t> perm, bool requireFloat) {
  auto e = input(node, i);
  if (failed(e))
    return failure();
  Perm p = perm.empty() ? identityPerm(rankOf(**e)) : Perm(perm);
  if (int64_t(p.size()) != rankOf(**e))
    return nodeError(node) << "input '" << (*e)->name << "' has rank "
                           << rankOf(**e) << ", expected " << p.size();
  return inLayout(node, **e, p, requireFloat);
}

FailureOr<std::pair<Value, Perm>> Importer::valueAsIs(const OnnxNode &node,
                                                      unsigned i) {
  auto e = input(node, i);
  if (failed(e))
    return failure();
  Perm p = (*e)->constant ? identityPerm(rankOf(**e)) : (*e)->perm;
  auto v = inLayout(node, **e, p);
  if (failed(v))
    return failure();
  return std::make_pair(*v, p);
}

FailureOr<Value> Importer::constForm(
    const OnnxNode &node, Entry &e, ArrayRef<int64_t> perm, int64_t prepend,
    std::optional<SmallVector<int64_t>> finalDims, bool requireFloat) {
  const ConstData &c = *e.constant;
  if (requireFloat && !c.isFloat)
    return nodeError(node) << "input '" << e.name << "' is an "
                           << proto::onnxDTypeName(c.dtype)
                           << " constant; float data is expected";
  std::string key = "p" + permKey(perm) + "+" + std::to_string(prepend);
  if (finalDims)
    key += "r" + permKey(*finalDims);
  if (Value v = e.forms[key])
    return v;

  SmallVector<int64_t> aligned(prepend, 1);
  aligned.append(c.dims.begin(), c.dims.end());
  SmallVector<int64_t> dims = permuteDims(aligned, perm);
  SmallVector<int64_t> shape = finalDims ? *finalDims : dims;
  DenseElementsAttr attr;
  if (c.isFloat) {
    auto type = RankedTensorType::get(shape, builder.getF32Type());
    attr = DenseElementsAttr::get(
        type, ArrayRef<float>(transposeData<float>(aligned, c.floats, perm)));
  } else {
    Type elem = elementType(context, c.dtype);
    auto type = RankedTensorType::get(shape, elem);
    std::vector<int64_t> ints = transposeData<int64_t>(aligned, c.ints, perm);
    SmallVector<APInt> values;
    unsigned width = elem.getIntOrFloatBitWidth();
    for (int64_t v : ints)
      values.push_back(APInt(width, uint64_t(v), /*isSigned=*/true,
                             /*implicitTrunc=*/true));
    attr = DenseElementsAttr::get(type, values);
  }
  auto op = tfg::ConstOp::create(builder, nameLoc(e.name), attr);
  if (c.hint) {
    // Per axis: follow the axis through alignment, transpose and a reshape
    // that only drops leading 1s; any other reshape loses the axis, and
    // then the hint (a per-axis hint without its axis would mislead).
    int64_t axis = -1;
    bool keep = true;
    if (c.hint->axis >= 0) {
      axis = inversePerm(perm)[c.hint->axis + prepend];
      int64_t dropped = int64_t(dims.size()) - int64_t(shape.size());
      keep = dropped >= 0 && axis >= dropped &&
             ArrayRef<int64_t>(dims).drop_front(dropped) ==
                 ArrayRef<int64_t>(shape) &&
             llvm::all_of(ArrayRef<int64_t>(dims).take_front(dropped),
                          [](int64_t d) { return d == 1; });
      axis -= dropped;
    }
    if (keep)
      attachHint(op, *c.hint, axis);
  }
  e.forms[key] = op.getResult();
  return op.getResult();
}

FailureOr<Value>
Importer::weight(const OnnxNode &node, unsigned i, ArrayRef<int64_t> perm,
                 std::optional<SmallVector<int64_t>> finalDims) {
  auto e = input(node, i);
  if (failed(e))
    return failure();
  if ((*e)->constant)
    return constForm(node, **e, perm, 0, finalDims);
  auto v = valueIn(node, i);
  if (failed(v))
    return failure();
  auto t = inferred<tfg::TransposeOp>(node, auxLoc(node, "filter"), *v,
                                      builder.getDenseI64ArrayAttr(perm));
  if (failed(t) || !finalDims)
    return t;
  return reshape(node, *t, *finalDims, auxLoc(node, "filter_reshape"));
}

FailureOr<std::pair<SmallVector<Value>, Perm>>
Importer::alignOperands(const OnnxNode &node, ArrayRef<unsigned> indices,
                        std::optional<Perm> forced) {
  SmallVector<Entry *> es;
  int64_t rank = 0;
  for (unsigned i : indices) {
    auto e = input(node, i);
    if (failed(e))
      return failure();
    es.push_back(*e);
    rank = std::max(rank, rankOf(**e));
  }
  Perm target = forced ? *forced : identityPerm(rank);
  if (!forced)
    for (Entry *e : es)
      if (!e->constant && rankOf(*e) == rank && !isIdentity(e->perm)) {
        target = e->perm;
        break;
      }
  SmallVector<Value> values;
  for (Entry *e : es) {
    int64_t r = rankOf(*e);
    FailureOr<Value> v;
    if (e->constant && (isIdentity(target) || r == 0)) {
      v = inLayout(node, *e, identityPerm(r));
    } else if (e->constant) {
      // Align at the trailing dimension (ONNX broadcasting), transpose, and
      // drop the leading 1s: [C, 1, 1] against NHWC becomes [C].
      SmallVector<int64_t> aligned(rank - r, 1);
      aligned.append(e->constant->dims.begin(), e->constant->dims.end());
      SmallVector<int64_t> dims = permuteDims(aligned, target);
      ArrayRef<int64_t> kept = dims;
      while (kept.size() > 1 && kept.front() == 1)
        kept = kept.drop_front();
      v = constForm(node, *e, target, rank - r, SmallVector<int64_t>(kept));
    } else if (r == rank) {
      v = inLayout(node, *e, target);
    } else {
      v = inLayout(node, *e, identityPerm(r));
      if (succeeded(v) && !isIdentity(target)) {
        SmallVector<int64_t> shape(rank - r, 1);
        auto type = cast<RankedTensorType>(v->getType());
        shape.append(type.getShape().begin(), type.getShape().end());
        v = reshape(node, *v, shape, nameLoc(e->name + "/rank" + Twine(rank)));
        if (succeeded(v))
          v = relayout(node, *v, identityPerm(rank), target,
                       nameLoc(e->name + "/transpose"));
      }
    }
    if (failed(v))
      return failure();
    values.push_back(*v);
  }
  return std::make_pair(values, target);
}

void Importer::attachHint(Operation *op, const QuantHint &hint, int64_t axis) {
  IntegerType storage = *storageType(context, hint.storage);
  auto zero = [&](int64_t v) {
    return APInt(storage.getWidth(), uint64_t(v), storage.isSigned(),
                 /*implicitTrunc=*/true);
  };
  if (axis < 0) {
    op->setAttr("quant.hint_scale", builder.getF32FloatAttr(hint.scales[0]));
    op->setAttr("quant.hint_zero_point",
                IntegerAttr::get(storage, zero(hint.zeroPoints[0])));
    return;
  }
  int64_t n = hint.scales.size();
  op->setAttr(
      "quant.hint_scale",
      DenseElementsAttr::get(RankedTensorType::get({n}, builder.getF32Type()),
                             ArrayRef<float>(hint.scales)));
  SmallVector<APInt> zeros;
  for (int64_t z : hint.zeroPoints)
    zeros.push_back(zero(z));
  op->setAttr(
      "quant.hint_zero_point",
      DenseElementsAttr::get(RankedTensorType::get({n}, storage), zeros));
  op->setAttr("quant.hint_axis", builder.getI64IntegerAttr(axis));
}

//===----------------------------------------------------------------------===//
// Ops
//===----------------------------------------------------------------------===//

LogicalResult Importer::convert(const OnnxNode &node) {
  if (!node.domain.empty()) {
    if (options.keepUnsupported)
      return convertUnsupported(node);
    return nodeError(node) << "unsupported op '" << node.opType
                           << "' from domain '" << node.domain << "'";
  }
  // The integer output of a QuantizeLinear only feeds DequantizeLinear.
  if (node.opType != "DequantizeLinear")
    for (const std::string &name : node.inputs) {
      auto it = entries.find(name);
      if (it != entries.end() && !it->second.quantSource.empty())
        return nodeError(node)
               << "input '" << name
               << "' is the integer output of QuantizeLinear '"
               << it->second.quantNode
               << "'; only QuantizeLinear -> DequantizeLinear pairs are "
                  "supported";
    }
  StringRef op = node.opType;
  if (op == "Relu" || op == "LeakyRelu" || op == "Sigmoid" || op == "Tanh" ||
      op == "HardSigmoid" || op == "HardSwish")
    return convertUnary(node);
  if (op == "Add" || op == "Sub" || op == "Mul" || op == "Div" || op == "Max" ||
      op == "Min")
    return convertBinary(node);
  if (op == "Clip")
    return convertClip(node);
  if (op == "PRelu")
    return convertPRelu(node);
  if (op == "Conv")
    return convertConv(node);
  if (op == "ConvTranspose")
    return convertConvTranspose(node);
  if (op == "BatchNormalization")
    return convertBatchNorm(node);
  if (op == "MaxPool" || op == "AveragePool")
    return convertPool(node);
  if (op == "GlobalAveragePool" || op == "GlobalMaxPool")
    return convertGlobalPool(node);
  if (op == "Gemm")
    return convertGemm(node);
  if (op == "MatMul")
    return convertMatMul(node);
  if (op == "Pad")
    return convertPad(node);
  if (op == "Resize" || op == "Upsample")
    return convertResize(node);
  if (op == "Concat")
    return convertConcat(node);
  if (op == "Softmax")
    return convertSoftmax(node);
  if (op == "Reshape" || op == "Flatten" || op == "Squeeze" ||
      op == "Unsqueeze")
    return convertShapeOp(node);
  if (op == "Transpose")
    return convertTranspose(node);
  if (op == "DepthToSpace")
    return convertDepthToSpace(node);
  if (op == "Constant")
    return convertConstant(node);
  if (op == "Identity" || op == "Dropout")
    return convertIdentity(node);
  if (op == "QuantizeLinear")
    return convertQuantize(node);
  if (op == "DequantizeLinear")
    return convertDequantize(node);
  if (options.keepUnsupported)
    return convertUnsupported(node);
  return nodeError(node) << "unsupported op '" << node.opType << "'";
}

LogicalResult Importer::convertUnary(const OnnxNode &node) {
  auto x = valueAsIs(node, 0);
  if (failed(x))
    return failure();
  auto [v, perm] = *x;
  Location loc = nodeLoc(node);
  StringRef op = node.opType;
  FailureOr<Value> result;
  if (op == "Relu")
    result = plain<tfg::ReluOp>(node, loc, v);
  else if (op == "Sigmoid")
    result = plain<tfg::SigmoidOp>(node, loc, v);
  else if (op == "Tanh")
    result = plain<tfg::TanhOp>(node, loc, v);
  else if (op == "HardSwish")
    result = plain<tfg::HardSwishOp>(node, loc, v);
  else if (op == "LeakyRelu")
    result = plain<tfg::LeakyReluOp>(
        node, loc, v, builder.getF32FloatAttr(floatAttr(node, "alpha", 0.01f)));
  else // HardSigmoid
    result = plain<tfg::HardSigmoidOp>(
        node, loc, v, builder.getF32FloatAttr(floatAttr(node, "alpha", 0.2f)),
        builder.getF32FloatAttr(floatAttr(node, "beta", 0.5f)));
  return define(node, 0, result, perm);
}

LogicalResult Importer::convertBinary(const OnnxNode &node) {
  StringRef op = node.opType;
  unsigned count = node.inputs.size();
  if (count == 0 || ((op != "Max" && op != "Min") && count != 2))
    return nodeError(node) << "expects 2 inputs, got " << count;
  SmallVector<unsigned> indices(count);
  std::iota(indices.begin(), indices.end(), 0);
  auto aligned = alignOperands(node, indices);
  if (failed(aligned))
    return failure();
  auto &[values, perm] = *aligned;
  if (values.size() == 1) // Max/Min of one input
    return define(node, 0,
                  plain<tfg::IdentityOp>(node, nodeLoc(node), values[0]), perm);
  // Max and Min of more than two inputs chain pairwise.
  Value acc = values[0];
  for (size_t i = 1; i < values.size(); ++i) {
    Location loc = i + 1 == values.size() ? nodeLoc(node)
                                          : auxLoc(node, (op + Twine(i)).str());
    FailureOr<Value> r;
    if (op == "Add")
      r = inferred<tfg::AddOp>(node, loc, acc, values[i]);
    else if (op == "Sub")
      r = inferred<tfg::SubOp>(node, loc, acc, values[i]);
    else if (op == "Mul")
      r = inferred<tfg::MulOp>(node, loc, acc, values[i]);
    else if (op == "Div")
      r = inferred<tfg::DivOp>(node, loc, acc, values[i]);
    else if (op == "Max")
      r = inferred<tfg::MaximumOp>(node, loc, acc, values[i]);
    else
      r = inferred<tfg::MinimumOp>(node, loc, acc, values[i]);
    if (failed(r))
      return failure();
    acc = *r;
  }
  return define(node, 0, acc, perm);
}

LogicalResult Importer::convertClip(const OnnxNode &node) {
  auto x = valueAsIs(node, 0);
  if (failed(x))
    return failure();
  float inf = std::numeric_limits<float>::infinity();
  float lo = -inf, hi = inf;
  if (opset < 11) {
    lo = floatAttr(node, "min", -inf);
    hi = floatAttr(node, "max", inf);
  } else {
    if (has(node, 1)) {
      auto v = constScalar(node, 1, "min");
      if (failed(v))
        return failure();
      lo = *v;
    }
    if (has(node, 2)) {
      auto v = constScalar(node, 2, "max");
      if (failed(v))
        return failure();
      hi = *v;
    }
  }
  // Opset 6 wrote the defaults as +-FLT_MAX.
  float big = std::numeric_limits<float>::max();
  bool noLo = lo <= -big, noHi = hi >= big;
  auto [v, perm] = *x;
  Location loc = nodeLoc(node);
  if (lo == 0.0f && hi == 6.0f)
    return define(node, 0, plain<tfg::Relu6Op>(node, loc, v), perm);
  if (lo == 0.0f && noHi)
    return define(node, 0, plain<tfg::ReluOp>(node, loc, v), perm);
  return define(
      node, 0,
      plain<tfg::ClipOp>(node, loc, v,
                         noLo ? FloatAttr() : builder.getF32FloatAttr(lo),
                         noHi ? FloatAttr() : builder.getF32FloatAttr(hi)),
      perm);
}

LogicalResult Importer::convertPRelu(const OnnxNode &node) {
  auto x = input(node, 0), slope = input(node, 1);
  if (failed(x) || failed(slope))
    return failure();
  int64_t rank = rankOf(**x);
  SmallVector<int64_t> s = onnxShape(**slope);
  if (int64_t(s.size()) > rank)
    return nodeError(node) << "slope has a higher rank than the input";
  // A per-channel slope ([C, 1, 1] or [1, C, 1, 1]) runs in NHWC as [C].
  std::optional<Perm> forced;
  SmallVector<int64_t> aligned(rank - s.size(), 1);
  aligned.append(s);
  if (rank == 4 && aligned[0] == 1 && aligned[1] != 1 && aligned[2] == 1 &&
      aligned[3] == 1)
    forced = channelsLast(4);
  else
    forced = (*x)->constant ? identityPerm(rank) : (*x)->perm;
  auto values = alignOperands(node, {0, 1}, forced);
  if (failed(values))
    return failure();
  return define(node, 0,
                plain<tfg::PReluOp>(node, nodeLoc(node), values->first[0],
                                    values->first[1]),
                values->second);
}

FailureOr<Window> Importer::window(const OnnxNode &node, RankedTensorType nhwc,
                                   ArrayRef<int64_t> kernel,
                                   bool hasDilations) {
  Window w;
  // A 1-D op runs as 2-D with a unit height; its attributes have one entry
  // per spatial dimension, so the height's are prepended.
  const bool oneD = kernel.size() == 2 && kernel[0] == 1 &&
                    intsAttr(node, "kernel_shape") &&
                    intsAttr(node, "kernel_shape")->size() == 1;
  auto spatial = [&](StringRef name, int64_t unit) {
    SmallVector<int64_t> v =
        intsAttr(node, name)
            .value_or(oneD ? SmallVector<int64_t>{unit}
                           : SmallVector<int64_t>{unit, unit});
    if (oneD && v.size() == 1)
      v.insert(v.begin(), unit);
    return v;
  };
  w.strides = spatial("strides", 1);
  w.dilations =
      hasDilations ? spatial("dilations", 1) : SmallVector<int64_t>{1, 1};
  if (w.strides.size() != 2 || w.dilations.size() != 2)
    return nodeError(node) << "expects 2 strides and 2 dilations (2-D only)";
  if (llvm::any_of(w.strides, [](int64_t s) { return s <= 0; }) ||
      llvm::any_of(w.dilations, [](int64_t d) { return d <= 0; }))
    return nodeError(node) << "expects positive strides and dilations";
  std::string autoPad = strAttr(node, "auto_pad", "NOTSET");
  if (autoPad == "NOTSET") {
    SmallVector<int64_t> pads =
        intsAttr(node, "pads").value_or(SmallVector<int64_t>{0, 0, 0, 0});
    if (oneD && pads.size() == 2)
      pads = {0, pads[0], 0, pads[1]};
    if (pads.size() != 4)
      return nodeError(node) << "expects 4 pads, got " << pads.size();
    // ONNX: [top, left, bottom, right].
    w.pad = {pads[0], pads[2], pads[1], pads[3]};
  } else if (autoPad == "VALID") {
    w.pad = {0, 0, 0, 0};
  } else if (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER") {
    if (nhwc.isDynamicDim(1) || nhwc.isDynamicDim(2))
      return nodeError(node)
             << "auto_pad " << autoPad << " needs a static height and width";
    for (int d = 0; d < 2; ++d) {
      auto [before, after] = samePadding(nhwc.getDimSize(1 + d), kernel[d],
                                         w.strides[d], w.dilations[d]);
      // SAME_UPPER puts the odd pixel at the end (as TF), SAME_LOWER first.
      if (autoPad == "SAME_LOWER")
        std::swap(before, after);
      w.pad.push_back(before);
      w.pad.push_back(after);
    }
  } else {
    return nodeError(node) << "unknown auto_pad '" << autoPad << "'";
  }
  return w;
}

LogicalResult Importer::convertConv(const OnnxNode &node) {
  auto xe = input(node, 0), we = input(node, 1);
  if (failed(xe) || failed(we))
    return failure();
  if (rankOf(**xe) != 4)
    return nodeError(node) << "only 2-D convolution (a rank-4 NCHW input) is "
                              "supported, got rank "
                           << rankOf(**xe);
  SmallVector<int64_t> w = onnxShape(**we);
  if (w.size() != 4 || anyDynamic(w))
    return nodeError(node) << "expects a rank-4 OIHW weight of static shape";
  if (auto kernel = intsAttr(node, "kernel_shape"))
    if (ArrayRef<int64_t>(*kernel) != ArrayRef<int64_t>(w).drop_front(2))
      return nodeError(node) << "kernel_shape does not match the weight";
  auto x = valueIn(node, 0, channelsLast(4));
  if (failed(x))
    return failure();
  auto win = window(node, cast<RankedTensorType>(x->getType()),
                    ArrayRef<int64_t>(w).drop_front(2), true);
  if (failed(win))
    return failure();
  int64_t group = intAttr(node, "group", 1);
  bool depthwise = false;
  FailureOr<Value> filter;
  if (group == 1) {
    filter = weight(node, 1, {2, 3, 1, 0}, std::nullopt); // OIHW -> HWIO
  } else if (group > 1 && w[1] == 1 && w[0] % group == 0) {
    // One input channel per group: depthwise, multiplier O / group; output
    // channel g * m + k is tfg's c * multiplier + m.
    depthwise = true;
    filter = weight(node, 1, {2, 3, 0, 1},
                    SmallVector<int64_t>{w[2], w[3], group, w[0] / group});
  } else {
    return nodeError(node) << "unsupported: grouped convolution with " << group
                           << " groups";
  }
  if (failed(filter))
    return failure();
  Value bias;
  if (has(node, 2)) {
    auto b = valueIn(node, 2);
    if (failed(b))
      return failure();
    bias = *b;
  }
  auto strides = builder.getDenseI64ArrayAttr(win->strides);
  auto dilations = builder.getDenseI64ArrayAttr(win->dilations);
  auto pad = builder.getDenseI64ArrayAttr(win->pad);
  auto none = tfg::ActivationAttr::get(context, tfg::Activation::none);
  if (depthwise)
    return define(node, 0,
                  inferred<tfg::DepthwiseConv2DOp>(node, nodeLoc(node), *x,
                                                   *filter, bias, strides,
                                                   dilations, pad, none),
                  channelsLast(4));
  return define(node, 0,
                inferred<tfg::Conv2DOp>(node, nodeLoc(node), *x, *filter, bias,
                                        strides, dilations, pad, none),
                channelsLast(4));
}

LogicalResult Importer::convertConvTranspose(const OnnxNode &node) {
  auto xe = input(node, 0), we = input(node, 1);
  if (failed(xe) || failed(we))
    return failure();
  const int64_t rank = rankOf(**xe);
  if (rank != 3 && rank != 4)
    return nodeError(node) << "only 1-D and 2-D transposed convolution (a "
                              "rank-3 or rank-4 channels-first input) is "
                              "supported";
  // 1-D runs as 2-D over [N, 1, L, C] with a [C_in, C_out, 1, k] weight;
  // each spatial attribute gets the unit height prepended.
  const bool oneD = rank == 3;
  SmallVector<int64_t> w = onnxShape(**we);
  if (oneD && w.size() == 3)
    w.insert(w.begin() + 2, 1);
  if (w.size() != 4 || anyDynamic(w))
    return nodeError(node) << "expects a rank-" << rank
                           << " [C_in, C_out, kernel...] weight of static "
                              "shape";
  int64_t group = intAttr(node, "group", 1);
  if (group != 1)
    return nodeError(node) << "unsupported: grouped convolution with " << group
                           << " groups";
  auto x = valueIn(node, 0, channelsLast(rank));
  if (failed(x))
    return failure();
  if (oneD) {
    auto nlc = cast<RankedTensorType>(x->getType()).getShape();
    x = reshape(node, *x, {nlc[0], 1, nlc[1], nlc[2]}, auxLoc(node, "2d"));
    if (failed(x))
      return failure();
  }
  auto in = cast<RankedTensorType>(x->getType());
  auto spatial = [&](StringRef name, int64_t unit, size_t perDim = 1) {
    std::optional<SmallVector<int64_t>> v = intsAttr(node, name);
    if (!v)
      return SmallVector<int64_t>(2 * perDim, unit);
    if (oneD && v->size() == perDim)
      for (size_t i = 0; i < perDim; ++i)
        v->insert(v->begin() + 2 * i, unit);
    return *v;
  };
  SmallVector<int64_t> strides = spatial("strides", 1);
  SmallVector<int64_t> dilations = spatial("dilations", 1);
  SmallVector<int64_t> outPad = spatial("output_padding", 0);
  if (strides.size() != 2 || dilations.size() != 2 || outPad.size() != 2)
    return nodeError(node) << "expects 2 strides, dilations and "
                              "output_padding (2-D only)";
  std::string autoPad = strAttr(node, "auto_pad", "NOTSET");
  std::optional<SmallVector<int64_t>> outputShape =
      intsAttr(node, "output_shape");
  if (outputShape && outputShape->size() > 2) // some writers give N, C too
    outputShape =
        SmallVector<int64_t>(outputShape->end() - 2, outputShape->end());
  if (oneD && outputShape && outputShape->size() == 1)
    outputShape->insert(outputShape->begin(), 1);
  // ONNX order [h_begin, w_begin, h_end, w_end]; 1-D [begin, end].
  SmallVector<int64_t> pads = spatial("pads", 0, 2);
  if (pads.size() != 4)
    return nodeError(node) << "expects 4 pads, got " << pads.size();
  SmallVector<int64_t> pad(4), out(2);
  for (int d = 0; d < 2; ++d) {
    int64_t size = in.getDimSize(1 + d);
    int64_t full =
        ShapedType::isDynamic(size)
            ? kDynamic
            : (size - 1) * strides[d] + (w[2 + d] - 1) * dilations[d] + 1;
    bool same = autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER";
    if (outputShape || same) {
      // ONNX: total = full + output_padding - output; SAME_UPPER puts the
      // smaller half first, anything else the larger half.
      if (ShapedType::isDynamic(full))
        return nodeError(node) << "output_shape/auto_pad need a static input "
                                  "height and width";
      int64_t target = outputShape ? (*outputShape)[d] : size * strides[d];
      int64_t total = full + outPad[d] - target;
      int64_t small = total / 2, large = total - total / 2;
      bool upper = autoPad == "SAME_UPPER";
      pad[2 * d] = std::max<int64_t>(0, upper ? small : large);
      pad[2 * d + 1] = std::max<int64_t>(0, upper ? large : small);
      out[d] = target;
    } else if (autoPad == "VALID" || autoPad == "NOTSET") {
      if (autoPad == "NOTSET") {
        pad[2 * d] = pads[d];
        pad[2 * d + 1] = pads[2 + d];
      }
      out[d] = ShapedType::isDynamic(full)
                   ? kDynamic
                   : full + outPad[d] - pad[2 * d] - pad[2 * d + 1];
    } else {
      return nodeError(node) << "unknown auto_pad '" << autoPad << "'";
    }
  }
  // [C_in, C_out, kh, kw] -> [kh, kw, C_out, C_in].
  // 1-D: [C_in, C_out, k] -> [k, C_out, C_in] -> [1, k, C_out, C_in].
  FailureOr<Value> filter =
      oneD ? weight(node, 1, {2, 1, 0},
                    SmallVector<int64_t>{1, w[3], w[1], w[0]})
           : weight(node, 1, {2, 3, 1, 0}, std::nullopt);
  if (failed(filter))
    return failure();
  Value bias;
  if (has(node, 2)) {
    auto b = valueIn(node, 2);
    if (failed(b))
      return failure();
    bias = *b;
  }
  auto type = RankedTensorType::get({in.getDimSize(0), out[0], out[1], w[1]},
                                    in.getElementType());
  auto y = plain<tfg::Conv2DTransposeOp>(
      node, oneD ? auxLoc(node, "2d_conv") : nodeLoc(node), type, *x, *filter,
      bias, builder.getDenseI64ArrayAttr(strides),
      builder.getDenseI64ArrayAttr(dilations),
      builder.getDenseI64ArrayAttr(pad),
      tfg::ActivationAttr::get(context, tfg::Activation::none));
  if (succeeded(y) && oneD)
    y = reshape(node, *y, {type.getDimSize(0), out[1], w[1]}, nodeLoc(node));
  return define(node, 0, y, channelsLast(rank));
}

LogicalResult Importer::convertBatchNorm(const OnnxNode &node) {
  if (intAttr(node, "training_mode", 0) != 0)
    return nodeError(node) << "is in training mode (training_mode = 1); "
                              "export the model for inference";
  // Opsets 7 and 8: spatial = 0 normalizes every element separately.
  if (opset < 9 && intAttr(node, "spatial", 1) == 0)
    return nodeError(node) << "spatial = 0 is not supported";
  for (unsigned i = 1; i < node.outputs.size(); ++i)
    if (failed(checkUnused(node, i, "a training statistic")))
      return failure();
  auto xe = input(node, 0);
  if (failed(xe))
    return failure();
  int64_t rank = rankOf(**xe);
  if (rank < 2)
    return nodeError(node) << "expects an input of rank >= 2";
  Perm perm = channelsLast(rank);
  auto x = valueIn(node, 0, perm);
  if (failed(x))
    return failure();
  SmallVector<Value> params;
  for (unsigned i = 1; i < 5; ++i) {
    auto v = valueIn(node, i);
    if (failed(v))
      return failure();
    params.push_back(*v);
  }
  return define(node, 0,
                inferred<tfg::FusedBatchNormOp>(
                    node, nodeLoc(node), *x, params[0], params[1], params[2],
                    params[3],
                    builder.getF32FloatAttr(floatAttr(node, "epsilon", 1e-5f))),
                perm);
}

LogicalResult Importer::convertPool(const OnnxNode &node) {
  bool isMax = node.opType == "MaxPool";
  if (isMax && failed(checkUnused(node, 1, "Indices")))
    return failure();
  auto xe = input(node, 0);
  if (failed(xe))
    return failure();
  const int64_t rank = rankOf(**xe);
  if (rank != 3 && rank != 4)
    return nodeError(node) << "only 1-D and 2-D pooling (a rank-3 or rank-4 "
                              "channels-first input) is supported";
  const bool oneD = rank == 3;
  auto kernelAttr = intsAttr(node, "kernel_shape");
  if (!kernelAttr || static_cast<int64_t>(kernelAttr->size()) != rank - 2)
    return nodeError(node) << "expects a kernel_shape of " << rank - 2
                           << " entries";
  // 1-D pools run as 2-D over [N, 1, L, C].
  SmallVector<int64_t> kernel =
      oneD ? SmallVector<int64_t>{1, (*kernelAttr)[0]} : *kernelAttr;
  auto x = valueIn(node, 0, channelsLast(rank));
  if (failed(x))
    return failure();
  if (oneD) {
    auto nlc = cast<RankedTensorType>(x->getType()).getShape();
    x = reshape(node, *x, {nlc[0], 1, nlc[1], nlc[2]}, auxLoc(node, "2d"));
    if (failed(x))
      return failure();
  }
  auto type = cast<RankedTensorType>(x->getType());
  auto win = window(node, type, kernel, isMax);
  if (failed(win))
    return failure();
  if (llvm::any_of(win->dilations, [](int64_t d) { return d != 1; }))
    return nodeError(node) << "dilated pooling is not supported";
  // Padding added at the end so that the floor output size of tfg's pools
  // is ONNX's ceil_mode size. It is never counted by avg_pool, as ONNX
  // Runtime does not count the part of a ceil-mode window past the pads.
  SmallVector<int64_t> ceilExtra(2, 0);
  if (intAttr(node, "ceil_mode", 0) != 0) {
    for (int d = 0; d < 2; ++d) {
      int64_t size = type.getDimSize(1 + d);
      if (ShapedType::isDynamic(size))
        return nodeError(node) << "ceil_mode = 1 needs a static input size";
      int64_t before = win->pad[2 * d], after = win->pad[2 * d + 1];
      int64_t span = size + before + after - kernel[d];
      if (span < 0)
        return nodeError(node) << "the window is larger than the input";
      int64_t stride = win->strides[d];
      int64_t out = (span + stride - 1) / stride + 1;
      // The last window must start inside the input or its leading pad.
      if ((out - 1) * stride >= size + before)
        --out;
      ceilExtra[d] = std::max<int64_t>(0, (out - 1) * stride - span);
    }
  }
  Location loc = nodeLoc(node);
  auto k = builder.getDenseI64ArrayAttr(kernel);
  auto s = builder.getDenseI64ArrayAttr(win->strides);
  auto finish = [&](FailureOr<Value> pooled) -> LogicalResult {
    if (failed(pooled) || !oneD)
      return define(node, 0, pooled, channelsLast(rank));
    auto nhwc = cast<RankedTensorType>(pooled->getType()).getShape();
    return define(node, 0,
                  reshape(node, *pooled, {nhwc[0], nhwc[2], nhwc[3]}, loc),
                  channelsLast(rank));
  };
  SmallVector<int64_t> pad = win->pad;
  auto withCeil = [&](SmallVector<int64_t> p) {
    p[1] += ceilExtra[0];
    p[3] += ceilExtra[1];
    return builder.getDenseI64ArrayAttr(p);
  };
  if (isMax)
    return finish(inferred<tfg::MaxPoolOp>(
        node, oneD ? auxLoc(node, "2d_pool") : loc, *x, k, s, withCeil(pad)));
  Value pooled = *x;
  if (intAttr(node, "count_include_pad", 0) != 0 &&
      llvm::any_of(pad, [](int64_t p) { return p != 0; })) {
    // tfg.avg_pool does not count padding: pad explicitly with zeros.
    auto padded = inferred<tfg::PadOp>(
        node, auxLoc(node, "pad"), *x,
        builder.getDenseI64ArrayAttr(
            {0, pad[0], pad[2], 0, 0, pad[1], pad[3], 0}),
        tfg::PadModeAttr::get(context, tfg::PadMode::constant),
        builder.getF32FloatAttr(0.0f));
    if (failed(padded))
      return failure();
    pooled = *padded;
    pad.assign(4, 0);
  }
  return finish(inferred<tfg::AvgPoolOp>(
      node, oneD ? auxLoc(node, "2d_pool") : loc, pooled, k, s, withCeil(pad)));
}

LogicalResult Importer::convertGlobalPool(const OnnxNode &node) {
  auto xe = input(node, 0);
  if (failed(xe))
    return failure();
  int64_t rank = rankOf(**xe);
  bool isMax = node.opType == "GlobalMaxPool";
  if (rank < 3 || (isMax && rank != 4))
    return nodeError(node) << "expects a rank-" << (isMax ? "4" : ">=3")
                           << " channels-first input";
  Perm perm = channelsLast(rank);
  auto x = valueIn(node, 0, perm);
  if (failed(x))
    return failure();
  Location loc = nodeLoc(node);
  if (!isMax) {
    SmallVector<int64_t> axes;
    for (int64_t d = 1; d + 1 < rank; ++d)
      axes.push_back(d);
    return define(node, 0,
                  inferred<tfg::MeanOp>(node, loc, *x,
                                        builder.getDenseI64ArrayAttr(axes),
                                        builder.getBoolAttr(true)),
                  perm);
  }
  auto type = cast<RankedTensorType>(x->getType());
  if (type.isDynamicDim(1) || type.isDynamicDim(2))
    return nodeError(node) << "needs a static height and width";
  return define(
      node, 0,
      inferred<tfg::MaxPoolOp>(node, loc, *x,
                               builder.getDenseI64ArrayAttr(
                                   {type.getDimSize(1), type.getDimSize(2)}),
                               builder.getDenseI64ArrayAttr({1, 1}),
                               builder.getDenseI64ArrayAttr({0, 0, 0, 0})),
      perm);
}

LogicalResult Importer::convertGemm(const OnnxNode &node) {
  auto ae = input(node, 0), be = input(node, 1);
  if (failed(ae) || failed(be))
    return failure();
  if (rankOf(**ae) != 2 || rankOf(**be) != 2)
    return nodeError(node) << "expects rank-2 A and B";
  float alpha = floatAttr(node, "alpha", 1.0f);
  float beta = floatAttr(node, "beta", 1.0f);
  bool transA = intAttr(node, "transA", 0) != 0;
  bool transB = intAttr(node, "transB", 0) != 0;
  // Constant operands are transposed at import; others by the matmul.
  FailureOr<Value> a = (*ae)->constant && transA
                           ? constForm(node, **ae, {1, 0}, 0, std::nullopt)
                           : valueIn(node, 0);
  FailureOr<Value> b = (*be)->constant && transB
                           ? constForm(node, **be, {1, 0}, 0, std::nullopt)
                           : valueIn(node, 1);
  if (failed(a) || failed(b))
    return failure();
  transA &= !(*ae)->constant;
  transB &= !(*be)->constant;
  int64_t n = cast<RankedTensorType>(b->getType()).getDimSize(transB ? 0 : 1);
  // C becomes the matmul's bias when it is a constant vector of N and
  // alpha = 1 (beta is folded into it).
  const ConstData *c = constant(node, 2);
  bool cIsBias = c && c->isFloat && alpha == 1.0f &&
                 !ShapedType::isDynamic(n) && product(c->dims) == n &&
                 c->dims.size() <= 2 && (c->dims.size() < 2 || c->dims[0] == 1);
  bool last = !has(node, 2) && alpha == 1.0f;
  Value bias;
  if (cIsBias) {
    last = true;
    std::vector<float> values = c->floats;
    for (float &v : values)
      v *= beta;
    bias = tfg::ConstOp::create(
        builder, nameLoc(node.inputs[2]),
        DenseElementsAttr::get(RankedTensorType::get({n}, builder.getF32Type()),
                               ArrayRef<float>(values)));
  }
  auto y = inferred<tfg::MatMulOp>(
      node, last ? nodeLoc(node) : auxLoc(node, "matmul"), *a, *b, bias,
      builder.getBoolAttr(transA), builder.getBoolAttr(transB),
      tfg::ActivationAttr::get(context, tfg::Activation::none));
  if (failed(y) || last)
    return define(node, 0, y);
  auto scalar = [&](float v, Location loc) {
    return tfg::ConstOp::create(
               builder, loc,
               DenseElementsAttr::get(
                   RankedTensorType::get({1}, builder.getF32Type()),
                   ArrayRef<float>(v)))
        .getResult();
  };
  if (alpha != 1.0f) {
    bool final = !has(node, 2);
    y = inferred<tfg::MulOp>(node,
                             final ? nodeLoc(node) : auxLoc(node, "alpha_mul"),
                             *y, scalar(alpha, auxLoc(node, "alpha")));
    if (failed(y) || final)
      return define(node, 0, y);
  }
  FailureOr<Value> cv;
  if (c && c->isFloat) {
    // beta * C at import.
    auto data = std::make_shared<ConstData>(*c);
    for (float &v : data->floats)
      v *= beta;
    data->hint.reset();
    Entry scaled;
    scaled.name = node.inputs[2];
    scaled.constant = data;
    cv = constForm(node, scaled, identityPerm(data->dims.size()), 0,
                   std::nullopt);
  } else {
    cv = valueIn(node, 2);
    if (succeeded(cv) && beta != 1.0f)
      cv = inferred<tfg::MulOp>(node, auxLoc(node, "beta_mul"), *cv,
                                scalar(beta, auxLoc(node, "beta")));
  }
  if (failed(cv))
    return failure();
  return define(node, 0, inferred<tfg::AddOp>(node, nodeLoc(node), *y, *cv));
}

LogicalResult Importer::convertMatMul(const OnnxNode &node) {
  auto ae = input(node, 0), be = input(node, 1);
  if (failed(ae) || failed(be))
    return failure();
  if (rankOf(**ae) < 2 || rankOf(**be) < 2)
    return nodeError(node) << "MatMul of rank-" << rankOf(**ae) << " and rank-"
                           << rankOf(**be)
                           << " operands is not supported (rank >= 2 only)";
  auto a = valueIn(node, 0), b = valueIn(node, 1);
  if (failed(a) || failed(b))
    return failure();
  if (rankOf(**ae) > 2 || rankOf(**be) > 2)
    return define(node, 0,
                  inferred<tfg::BatchMatMulOp>(node, nodeLoc(node), *a, *b));
  return define(node, 0,
                inferred<tfg::MatMulOp>(
                    node, nodeLoc(node), *a, *b, Value(),
                    builder.getBoolAttr(false), builder.getBoolAttr(false),
                    tfg::ActivationAttr::get(context, tfg::Activation::none)));
}

LogicalResult Importer::convertPad(const OnnxNode &node) {
  auto xe = input(node, 0);
  if (failed(xe))
    return failure();
  int64_t rank = rankOf(**xe);
  SmallVector<int64_t> pads;
  float value = 0.0f;
  if (opset < 11) {
    pads = intsAttr(node, "pads").value_or(SmallVector<int64_t>{});
    value = floatAttr(node, "value", 0.0f);
  } else {
    auto p = constInts(node, 1, "pads");
    if (failed(p))
      return failure();
    pads = *p;
    if (has(node, 2)) {
      auto v = constScalar(node, 2, "constant_value");
      if (failed(v))
        return failure();
      value = *v;
    }
    if (has(node, 3))
      return nodeError(node) << "the axes input is not supported";
  }
  if (int64_t(pads.size()) != 2 * rank)
    return nodeError(node) << "expects " << 2 * rank << " pads, got "
                           << pads.size();
  std::string modeName = strAttr(node, "mode", "constant");
  tfg::PadMode mode;
  if (modeName == "constant")
    mode = tfg::PadMode::constant;
  else if (modeName == "reflect")
    mode = tfg::PadMode::reflect;
  else if (modeName == "edge")
    mode = tfg::PadMode::edge;
  else
    return nodeError(node) << "mode '" << modeName << "' is not supported";
  // Rank 4 pads in NHWC (it usually feeds a convolution); other ranks keep
  // their layout. Pads follow the layout either way.
  Perm perm = rank == 4         ? channelsLast(4)
              : (*xe)->constant ? identityPerm(rank)
                                : (*xe)->perm;
  auto x = valueIn(node, 0, perm);
  if (failed(x))
    return failure();
  SmallVector<int64_t> tfgPads(2 * rank);
  for (int64_t i = 0; i < rank; ++i) {
    tfgPads[i] = pads[perm[i]];
    tfgPads[rank + i] = pads[rank + perm[i]];
  }
  return define(node, 0,
                inferred<tfg::PadOp>(node, nodeLoc(node), *x,
                                     builder.getDenseI64ArrayAttr(tfgPads),
                                     tfg::PadModeAttr::get(context, mode),
                                     builder.getF32FloatAttr(value)),
                perm);
}

LogicalResult Importer::convertResize(const OnnxNode &node) {
  auto xe = input(node, 0);
  if (failed(xe))
    return failure();
  if (rankOf(**xe) != 4)
    return nodeError(node) << "expects a rank-4 NCHW input";
  bool isUpsample = node.opType == "Upsample";
  // Upsample and opset-10 Resize have no coordinate modes: asymmetric, floor.
  bool legacy = isUpsample || opset < 11;
  std::string modeName = strAttr(node, "mode", "nearest");
  tfg::ResizeMode mode;
  if (modeName == "nearest")
    mode = tfg::ResizeMode::nearest;
  else if (modeName == "linear" || modeName == "bilinear")
    mode = tfg::ResizeMode::bilinear;
  else if (modeName == "cubic" && !legacy)
    mode = tfg::ResizeMode::bicubic;
  else
    return nodeError(node) << "mode '" << modeName
                           << "' is not supported (nearest, linear, cubic)";
  std::string coordinates =
      legacy ? "asymmetric"
             : strAttr(node, "coordinate_transformation_mode", "half_pixel");
  if (coordinates == "tf_crop_and_resize")
    return nodeError(node) << "coordinate_transformation_mode "
                              "'tf_crop_and_resize' is not supported";
  std::string rounding =
      legacy ? "floor" : strAttr(node, "nearest_mode", "round_prefer_floor");

  SmallVector<float> scales;
  SmallVector<int64_t> sizes;
  if (isUpsample && opset < 9) {
    const OnnxAttr *a = node.attr("scales");
    if (!a || a->kind != OnnxAttr::Floats)
      return nodeError(node) << "has no scales";
    scales.assign(a->floats.begin(), a->floats.end());
  } else if (legacy) {
    auto s = constFloats(node, 1, "scales");
    if (failed(s))
      return failure();
    scales = *s;
  } else {
    const ConstData *sz = constant(node, 3);
    const ConstData *sc = constant(node, 2);
    if (has(node, 3) && !(sz && product(sz->dims) == 0)) {
      auto s = constInts(node, 3, "sizes");
      if (failed(s))
        return failure();
      sizes = *s;
    } else if (has(node, 2) && !(sc && product(sc->dims) == 0)) {
      auto s = constFloats(node, 2, "scales");
      if (failed(s))
        return failure();
      scales = *s;
    } else {
      return nodeError(node) << "needs constant scales or sizes";
    }
  }
  auto x = valueIn(node, 0, channelsLast(4));
  if (failed(x))
    return failure();
  auto type = cast<RankedTensorType>(x->getType());
  // ONNX order (N, C, H, W) -> tfg's (N, H, W, C).
  SmallVector<int64_t> inOnnx = onnxShape(**xe);
  SmallVector<int64_t> out(4);
  bool fractional = false;
  if (!sizes.empty()) {
    if (sizes.size() != 4)
      return nodeError(node) << "expects 4 sizes, got " << sizes.size();
    for (int d = 0; d < 2; ++d)
      if (!ShapedType::isDynamic(inOnnx[d]) && sizes[d] != inOnnx[d])
        return nodeError(node)
               << "resizes dimension " << d
               << "; only the two spatial dimensions may change";
    out = {sizes[0], sizes[2], sizes[3], sizes[1]};
    out[0] = inOnnx[0];
    out[3] = inOnnx[1];
  } else {
    if (scales.size() != 4)
      return nodeError(node) << "expects 4 scales, got " << scales.size();
    if (scales[0] != 1.0f || scales[1] != 1.0f)
      return nodeError(node)
             << "scales dimension " << (scales[0] != 1.0f ? 0 : 1)
             << "; only the two spatial dimensions may change";
    for (int d = 0; d < 2; ++d) {
      int64_t size = inOnnx[2 + d];
      if (scales[2 + d] <= 0.0f)
        return nodeError(node) << "expects positive scales";
      if (ShapedType::isDynamic(size)) {
        out[1 + d] = kDynamic;
        continue;
      }
      // ONNX maps coordinates with the scale itself; tfg.resize with
      // output / input unless it is given the scales. They agree when the
      // scaled size is whole.
      double exact = double(size) * scales[2 + d];
      if (std::abs(exact - std::round(exact)) > 1e-4 * std::max(1.0, exact)) {
        fractional = true;
        out[1 + d] = int64_t(std::floor(exact));
      } else {
        out[1 + d] = int64_t(std::llround(exact));
      }
    }
    out[0] = inOnnx[0];
    out[3] = inOnnx[1];
  }
  return define(
      node, 0,
      plain<tfg::ResizeOp>(
          node, nodeLoc(node),
          RankedTensorType::get(out, type.getElementType()), *x,
          tfg::ResizeModeAttr::get(context, mode),
          builder.getStringAttr(coordinates), builder.getStringAttr(rounding),
          fractional ? builder.getDenseF32ArrayAttr({scales[2], scales[3]})
                     : DenseF32ArrayAttr(),
          builder.getF32FloatAttr(floatAttr(node, "cubic_coeff_a", -0.75f)),
          builder.getBoolAttr(intAttr(node, "exclude_outside", 0) != 0)),
      channelsLast(4));
}

LogicalResult Importer::convertConcat(const OnnxNode &node) {
  const OnnxAttr *axisAttr = node.attr("axis");
  if (!axisAttr || axisAttr->kind != OnnxAttr::Int)
    return nodeError(node) << "has no axis";
  if (node.inputs.empty())
    return nodeError(node) << "has no inputs";
  SmallVector<Entry *> es;
  for (unsigned i = 0; i < node.inputs.size(); ++i) {
    auto e = input(node, i);
    if (failed(e))
      return failure();
    es.push_back(*e);
  }
  int64_t rank = rankOf(*es[0]);
  for (Entry *e : es)
    if (rankOf(*e) != rank)
      return nodeError(node) << "inputs differ in rank";
  int64_t axis = axisAttr->i < 0 ? axisAttr->i + rank : axisAttr->i;
  if (axis < 0 || axis >= rank)
    return nodeError(node) << "axis " << axisAttr->i << " is out of range";
  // The layout of the first non-constant input; the axis follows it.
  Perm perm = identityPerm(rank);
  for (Entry *e : es)
    if (!e->constant) {
      perm = e->perm;
      break;
    }
  SmallVector<Value> values;
  for (Entry *e : es) {
    auto v = inLayout(node, *e, perm);
    if (failed(v))
      return failure();
    values.push_back(*v);
  }
  if (values.size() == 1)
    return define(node, 0,
                  plain<tfg::IdentityOp>(node, nodeLoc(node), values[0]), perm);
  return define(node, 0,
                inferred<tfg::ConcatOp>(
                    node, nodeLoc(node), values,
                    builder.getI64IntegerAttr(inversePerm(perm)[axis])),
                perm);
}

LogicalResult Importer::convertSoftmax(const OnnxNode &node) {
  auto xe = input(node, 0);
  if (failed(xe))
    return failure();
  int64_t rank = rankOf(**xe);
  int64_t axis = intAttr(node, "axis", opset < 13 ? 1 : -1);
  if (axis < -rank || axis >= rank)
    return nodeError(node) << "axis " << axis << " is out of range";
  if (axis < 0)
    axis += rank;
  if (opset >= 13 || axis == rank - 1) {
    // One axis (opset 13's meaning, and the old one on the last axis).
    auto x = valueAsIs(node, 0);
    if (failed(x))
      return failure();
    return define(node, 0,
                  plain<tfg::SoftmaxOp>(
                      node, nodeLoc(node), x->first,
                      builder.getI64IntegerAttr(inversePerm(x->second)[axis])),
                  x->second);
  }
  // Before opset 13: softmax of the input flattened to 2-D at `axis`.
  auto x = valueIn(node, 0);
  if (failed(x))
    return failure();
  auto shape = cast<RankedTensorType>(x->getType()).getShape();
  auto group = [&](ArrayRef<int64_t> dims) {
    return anyDynamic(dims) ? kDynamic : product(dims);
  };
  SmallVector<int64_t> flat{group(shape.take_front(axis)),
                            group(shape.drop_front(axis))};
  if (ShapedType::isDynamic(flat[0]) && ShapedType::isDynamic(flat[1]))
    return nodeError(node) << "cannot flatten a shape with unknown sizes on "
                              "both sides of the axis";
  auto in = reshape(node, *x, flat, auxLoc(node, "flatten"));
  if (failed(in))
    return failure();
  auto s = plain<tfg::SoftmaxOp>(node, auxLoc(node, "softmax"), *in,
                                 builder.getI64IntegerAttr(1));
  if (failed(s))
    return failure();
  return define(node, 0, reshape(node, *s, shape, nodeLoc(node)));
}

FailureOr<SmallVector<int64_t>> Importer::reshapeTarget(const OnnxNode &node,
                                                        ArrayRef<int64_t> in) {
  StringRef op = node.opType;
  int64_t rank = in.size();
  SmallVector<int64_t> out;
  if (op == "Reshape") {
    auto target = constInts(node, 1, "shape");
    if (failed(target))
      return failure();
    bool allowZero = intAttr(node, "allowzero", 0) != 0;
    SmallVector<bool> copied(rank, false);
    int64_t wildcard = -1;
    for (auto [i, d] : llvm::enumerate(*target)) {
      if (d == 0 && !allowZero) {
        if (int64_t(i) >= rank)
          return nodeError(node) << "shape entry " << i
                                 << " copies a dimension the input lacks";
        copied[i] = true;
        out.push_back(in[i]);
      } else if (d == -1) {
        if (wildcard >= 0)
          return nodeError(node) << "has more than one -1 in its shape";
        wildcard = i;
        out.push_back(kDynamic);
      } else if (d < 0) {
        return nodeError(node)
               << "has a negative size " << d << " in its shape";
      } else {
        out.push_back(d);
      }
    }
    if (wildcard >= 0) {
      // Copied dims cancel out, even unknown ones (the batch).
      int64_t rest = 1;
      bool unknown = false;
      for (int64_t d = 0; d < rank; ++d) {
        if (copied[d])
          continue;
        if (ShapedType::isDynamic(in[d]))
          unknown = true;
        else
          rest *= in[d];
      }
      int64_t known = 1;
      for (auto [i, d] : llvm::enumerate(out))
        if (int64_t(i) != wildcard && !(i < copied.size() && copied[i]))
          known *= d;
      if (!unknown) {
        if (known == 0 || rest % known)
          return nodeError(node) << "cannot reshape " << rest
                                 << " elements to the requested shape";
        out[wildcard] = rest / known;
      }
    }
    return out;
  }
  if (op == "Flatten") {
    int64_t axis = intAttr(node, "axis", 1);
    if (axis < -rank || axis > rank)
      return nodeError(node) << "axis " << axis << " is out of range";
    if (axis < 0)
      axis += rank;
    auto group = [&](ArrayRef<int64_t> dims) {
      return anyDynamic(dims) ? kDynamic : product(dims);
    };
    return SmallVector<int64_t>{group(in.take_front(axis)),
                                group(in.drop_front(axis))};
  }
  // Squeeze / Unsqueeze: axes from the attribute before opset 13, then an
  // input (optional for Squeeze).
  std::optional<SmallVector<int64_t>> axes;
  if (opset < 13) {
    axes = intsAttr(node, "axes");
  } else if (has(node, 1)) {
    auto a = constInts(node, 1, "axes");
    if (failed(a))
      return failure();
    axes = *a;
  }
  if (op == "Squeeze") {
    SmallVector<bool> drop(rank, false);
    if (axes) {
      for (int64_t a : *axes) {
        int64_t d = a < 0 ? a + rank : a;
        if (d < 0 || d >= rank)
          return nodeError(node) << "axis " << a << " is out of range";
        if (in[d] != 1)
          return nodeError(node)
                 << "cannot squeeze dimension " << d << " of size "
                 << (ShapedType::isDynamic(in[d]) ? std::string("?")
                                                  : std::to_string(in[d]));
        drop[d] = true;
      }
    } else {
      for (int64_t d = 0; d < rank; ++d)
        drop[d] = in[d] == 1;
    }
    for (int64_t d = 0; d < rank; ++d)
      if (!drop[d])
        out.push_back(in[d]);
    return out;
  }
  if (!axes)
    return nodeError(node) << "needs axes";
  int64_t outRank = rank + axes->size();
  SmallVector<bool> inserted(outRank, false);
  for (int64_t a : *axes) {
    int64_t d = a < 0 ? a + outRank : a;
    if (d < 0 || d >= outRank || inserted[d])
      return nodeError(node) << "axis " << a << " is out of range or repeated";
    inserted[d] = true;
  }
  for (int64_t d = 0, next = 0; d < outRank; ++d)
    out.push_back(inserted[d] ? 1 : in[next++]);
  return out;
}

LogicalResult Importer::convertShapeOp(const OnnxNode &node) {
  auto xe = input(node, 0);
  if (failed(xe))
    return failure();
  SmallVector<int64_t> in = onnxShape(**xe);
  auto shape = reshapeTarget(node, in);
  if (failed(shape))
    return failure();
  if (const ConstData *c = (*xe)->constant.get()) {
    // Reshaping a constant is free: fold it.
    if (anyDynamic(*shape) || product(*shape) != product(c->dims))
      return nodeError(node) << "cannot reshape a constant of "
                             << product(c->dims) << " elements to that shape";
    auto data = std::make_shared<ConstData>(*c);
    data->dims = *shape;
    data->hint.reset();
    return defineConst(node, 0, data);
  }
  // Reshape from the value as it is when bringing it to ONNX's layout would
  // itself be a reshape (e.g. [N, 1, 1, C] after a global pool).
  Entry &e = **xe;
  FailureOr<Value> x;
  if (!e.quantSource.empty() || !isa<RankedTensorType>(e.value.getType()) ||
      !isReshape(cast<RankedTensorType>(e.value.getType()),
                 relativePerm(e.perm, identityPerm(e.perm.size()))))
    x = valueIn(node, 0);
  else if (!cast<RankedTensorType>(e.value.getType()).getElementType().isF32())
    return nodeError(node) << "input '" << e.name << "' is not a float tensor";
  else
    x = e.value;
  if (failed(x))
    return failure();
  auto type = cast<RankedTensorType>(x->getType());
  return define(node, 0,
                plain<tfg::ReshapeOp>(
                    node, nodeLoc(node),
                    RankedTensorType::get(*shape, type.getElementType()), *x));
}

LogicalResult Importer::convertTranspose(const OnnxNode &node) {
  auto xe = input(node, 0);
  if (failed(xe))
    return failure();
  int64_t rank = rankOf(**xe);
  Perm perm;
  if (auto p = intsAttr(node, "perm"))
    perm.assign(p->begin(), p->end());
  else
    for (int64_t d = rank - 1; d >= 0; --d)
      perm.push_back(d);
  if (int64_t(perm.size()) != rank || !isPerm(perm))
    return nodeError(node) << "perm is not a permutation of " << rank
                           << " dimensions";
  if (const ConstData *c = (*xe)->constant.get()) {
    auto data = std::make_shared<ConstData>(*c);
    data->dims = permuteDims(c->dims, perm);
    data->floats = transposeData<float>(c->dims, c->floats, perm);
    data->ints = transposeData<int64_t>(c->dims, c->ints, perm);
    data->hint.reset();
    return defineConst(node, 0, data);
  }
  // The result in ONNX's layout, composing with the input's layout: after a
  // convolution, Transpose(perm = [0, 2, 3, 1]) is an identity.
  Entry &e = **xe;
  if (!cast<RankedTensorType>(e.value.getType()).getElementType().isF32())
    return nodeError(node) << "input '" << e.name << "' is not a float tensor";
  Perm t = relativePerm(e.perm, perm);
  if (isIdentity(t))
    return define(node, 0,
                  plain<tfg::IdentityOp>(node, nodeLoc(node), e.value));
  return define(node, 0,
                inferred<tfg::TransposeOp>(node, nodeLoc(node), e.value,
                                           builder.getDenseI64ArrayAttr(t)));
}

LogicalResult Importer::convertDepthToSpace(const OnnxNode &node) {
  auto xe = input(node, 0);
  if (failed(xe))
    return failure();
  if (rankOf(**xe) != 4)
    return nodeError(node) << "expects a rank-4 NCHW input";
  const OnnxAttr *block = node.attr("blocksize");
  if (!block || block->kind != OnnxAttr::Int)
    return nodeError(node) << "has no blocksize";
  std::string mode = strAttr(node, "mode", "DCR");
  if (mode != "DCR" && mode != "CRD")
    return nodeError(node) << "mode '" << mode << "' is not supported";
  auto x = valueIn(node, 0, channelsLast(4));
  if (failed(x))
    return failure();
  return define(
      node, 0,
      inferred<tfg::DepthToSpaceOp>(node, nodeLoc(node), *x,
                                    builder.getI64IntegerAttr(block->i),
                                    builder.getStringAttr(mode)),
      channelsLast(4));
}

LogicalResult Importer::convertConstant(const OnnxNode &node) {
  if (node.attrs.size() != 1)
    return nodeError(node) << "expects exactly one value attribute";
  const OnnxAttr &a = node.attrs[0];
  auto data = std::make_shared<ConstData>();
  if (a.name == "value" && a.kind == OnnxAttr::Tensor) {
    std::string error;
    auto decoded = decodeTensor(a.t, error);
    if (!decoded)
      return nodeError(node) << "value " << error;
    data = decoded;
  } else if (a.name == "value_float" && a.kind == OnnxAttr::Float) {
    data->floats = {a.f};
  } else if (a.name == "value_floats" && a.kind == OnnxAttr::Floats) {
    data->floats = a.floats;
    data->dims = {int64_t(a.floats.size())};
  } else if (a.name == "value_int" && a.kind == OnnxAttr::Int) {
    data->isFloat = false;
    data->dtype = OnnxDType::Int64;
    data->ints = {a.i};
  } else if (a.name == "value_ints" && a.kind == OnnxAttr::Ints) {
    data->isFloat = false;
    data->dtype = OnnxDType::Int64;
    data->ints = a.ints;
    data->dims = {int64_t(a.ints.size())};
  } else {
    return nodeError(node) << "'" << a.name << "' constants are not supported";
  }
  return defineConst(node, 0, data);
}

LogicalResult Importer::convertIdentity(const OnnxNode &node) {
  if (node.opType == "Dropout") {
    if (failed(checkUnused(node, 1, "the dropout mask")))
      return failure();
    if (has(node, 2)) {
      const ConstData *mode = constant(node, 2);
      if (!mode || product(mode->dims) != 1)
        return nodeError(node) << "training_mode must be a constant";
      // In training mode a ratio of 0 keeps every element unscaled.
      const ConstData *ratio = has(node, 1) ? constant(node, 1) : nullptr;
      bool zeroRatio =
          ratio && product(ratio->dims) == 1 &&
          (ratio->isFloat ? ratio->floats[0] : float(ratio->ints[0])) == 0.0f;
      if ((mode->isFloat ? mode->floats[0] : float(mode->ints[0])) != 0.0f &&
          !zeroRatio)
        return nodeError(node) << "is in training mode (random, ratio > 0); "
                                  "export the model for inference";
    }
  }
  auto xe = input(node, 0);
  if (failed(xe))
    return failure();
  if ((*xe)->constant)
    return defineConst(node, 0, (*xe)->constant);
  auto x = valueAsIs(node, 0);
  if (failed(x))
    return failure();
  return define(node, 0, plain<tfg::IdentityOp>(node, nodeLoc(node), x->first),
                x->second);
}

FailureOr<QuantHint> Importer::quantParams(const OnnxNode &node, int64_t rank) {
  QuantHint hint;
  auto scales = constFloats(node, 1, "scale");
  if (failed(scales))
    return failure();
  hint.scales.assign(scales->begin(), scales->end());
  if (has(node, 2)) {
    const ConstData *zp = constant(node, 2);
    if (!zp || zp->isFloat)
      return nodeError(node) << "zero_point (input 2) must be an integer "
                                "constant";
    if (!storageType(context, zp->dtype))
      return nodeError(node)
             << "zero points of type " << proto::onnxDTypeName(zp->dtype)
             << " are not supported";
    hint.storage = zp->dtype;
    hint.zeroPoints = zp->ints;
  } else {
    hint.zeroPoints.assign(hint.scales.size(), 0);
  }
  if (hint.scales.empty() || hint.scales.size() != hint.zeroPoints.size())
    return nodeError(node) << "scale and zero_point differ in size";
  if (hint.scales.size() > 1) {
    int64_t axis = intAttr(node, "axis", 1);
    if (axis < 0)
      axis += rank;
    if (axis < 0 || axis >= rank)
      return nodeError(node) << "axis is out of range";
    hint.axis = axis;
  }
  return hint;
}

LogicalResult Importer::convertQuantize(const OnnxNode &node) {
  auto xe = input(node, 0);
  if (failed(xe))
    return failure();
  if (!(*xe)->quantSource.empty() ||
      ((*xe)->constant && !(*xe)->constant->isFloat))
    return nodeError(node) << "expects a float input";
  // Nothing to emit: the matching DequantizeLinear makes the identity.
  Entry &e = entries[node.outputs[0]];
  e.name = node.outputs[0];
  e.quantSource = (*xe)->name;
  e.quantNode = displayName(node);
  return success();
}

LogicalResult Importer::convertDequantize(const OnnxNode &node) {
  auto xe = input(node, 0);
  if (failed(xe))
    return failure();
  int64_t rank = (*xe)->quantSource.empty()
                     ? rankOf(**xe)
                     : rankOf(entries[(*xe)->quantSource]);
  auto hint = quantParams(node, rank);
  if (failed(hint))
    return failure();
  if ((*xe)->quantSource.empty() && (*xe)->integerInput) {
    // Quantized data from outside: (x - zero_point) * scale, per axis.
    Entry &x = **xe;
    auto perAxis = [&](const auto &values, StringRef suffix) {
      Entry c;
      c.name = node.outputs[0] + "/" + suffix.str();
      auto data = std::make_shared<ConstData>();
      data->dims.assign(rank, 1);
      if (hint->axis >= 0)
        data->dims[hint->axis] = values.size();
      for (auto v : values)
        data->floats.push_back(static_cast<float>(v));
      c.constant = data;
      return inLayout(node, c, x.perm);
    };
    auto zeroPoint = perAxis(hint->zeroPoints, "zero_point");
    auto scale = perAxis(hint->scales, "scale");
    if (failed(zeroPoint) || failed(scale))
      return failure();
    auto shifted =
        inferred<tfg::SubOp>(node, auxLoc(node, "sub"), x.value, *zeroPoint);
    if (failed(shifted))
      return failure();
    return define(node, 0,
                  inferred<tfg::MulOp>(node, nodeLoc(node), *shifted, *scale),
                  x.perm);
  }
  if ((*xe)->quantSource.empty()) {
    // Quantized weights: dequantize at import.
    const ConstData *c = (*xe)->constant.get();
    if (!c || c->isFloat)
      return nodeError(node) << "expects the output of a QuantizeLinear or "
                                "an integer constant";
    auto data = std::make_shared<ConstData>();
    data->dims = c->dims;
    int64_t inner = 1, channels = 1;
    if (hint->axis >= 0) {
      channels = c->dims[hint->axis];
      inner = product(ArrayRef<int64_t>(c->dims).drop_front(hint->axis + 1));
      if (channels != int64_t(hint->scales.size()))
        return nodeError(node) << "has " << hint->scales.size()
                               << " scales for " << channels << " channels";
    }
    for (size_t i = 0; i < c->ints.size(); ++i) {
      size_t k = hint->axis >= 0 ? (i / inner) % channels : 0;
      data->floats.push_back(float(c->ints[i] - hint->zeroPoints[k]) *
                             hint->scales[k]);
    }
    data->hint = *hint;
    return defineConst(node, 0, data);
  }
  Entry &source = entries[(*xe)->quantSource];
  if (source.constant) {
    auto data = std::make_shared<ConstData>(*source.constant);
    data->hint = *hint;
    return defineConst(node, 0, data);
  }
  auto op = tfg::IdentityOp::create(builder, nodeLoc(node), source.value);
  attachHint(op, *hint,
             hint->axis >= 0 ? inversePerm(source.perm)[hint->axis] : -1);
  return define(node, 0, op.getResult(), source.perm);
}

LogicalResult Importer::convertUnsupported(const OnnxNode &node) {
  // Operands in ONNX's layout; optional inputs may be left out only at the
  // end (tfg.node's operands have no holes).
  SmallVector<Value> operands;
  unsigned count = node.inputs.size();
  while (count > 0 && node.inputs[count - 1].empty())
    --count;
  for (unsigned i = 0; i < count; ++i) {
    if (!has(node, i))
      return nodeError(node) << "omits optional input " << i
                             << " before others; tfg.node cannot keep that";
    auto v = valueIn(node, i, {}, /*requireFloat=*/false);
    if (failed(v))
      return failure();
    operands.push_back(*v);
  }
  SmallVector<Type> types;
  SmallVector<unsigned> outputs;
  for (auto [i, name] : llvm::enumerate(node.outputs)) {
    if (name.empty())
      continue;
    const OnnxValueInfo *info = declared.lookup(name);
    Type elem = info ? elementType(context, info->elemType) : Type();
    if (!info || info->kind != OnnxValueInfo::Tensor || !info->hasShape ||
        !elem)
      return nodeError(node) << "unsupported op '" << node.opType
                             << "' cannot be kept: output '" << name
                             << "' has no tensor type in the graph's "
                                "value_info";
    SmallVector<int64_t> dims;
    for (int64_t d : info->dims)
      dims.push_back(d < 0 ? kDynamic : d);
    types.push_back(RankedTensorType::get(dims, elem));
    outputs.push_back(i);
  }
  SmallVector<NamedAttribute> attrs;
  llvm::StringSet<> seen;
  for (const OnnxAttr &a : node.attrs) {
    Attribute value;
    switch (a.kind) {
    case OnnxAttr::Float:
      value = builder.getF32FloatAttr(a.f);
      break;
    case OnnxAttr::Int:
      value = builder.getI64IntegerAttr(a.i);
      break;
    case OnnxAttr::String:
      value = builder.getStringAttr(a.s);
      break;
    case OnnxAttr::Floats:
      value = builder.getDenseF32ArrayAttr(a.floats);
      break;
    case OnnxAttr::Ints:
      value = builder.getDenseI64ArrayAttr(a.ints);
      break;
    case OnnxAttr::Strings: {
      SmallVector<Attribute> list;
      for (const std::string &s : a.strings)
        list.push_back(builder.getStringAttr(s));
      value = builder.getArrayAttr(list);
      break;
    }
    case OnnxAttr::Tensor: {
      std::string error;
      auto data = decodeTensor(a.t, error);
      if (!data)
        return nodeError(node) << "attribute '" << a.name << "' " << error;
      Entry tmp;
      tmp.name = a.name;
      tmp.constant = data;
      // Build the attribute the way constants are built, then drop the op.
      auto c = constForm(node, tmp, identityPerm(data->dims.size()), 0,
                         std::nullopt, /*requireFloat=*/false);
      if (failed(c))
        return failure();
      value = cast<tfg::ConstOp>(c->getDefiningOp()).getValue();
      c->getDefiningOp()->erase();
      break;
    }
    default:
      return nodeError(node) << "attribute '" << a.name
                             << "' (a graph, sparse tensor or type) cannot be "
                                "kept in a tfg.node";
    }
    if (!seen.insert(a.name).second)
      return nodeError(node) << "repeats attribute '" << a.name << "'";
    attrs.push_back(builder.getNamedAttr(a.name, value));
  }
  std::string opType =
      node.domain.empty() ? node.opType : node.domain + "." + node.opType;
  auto op = tfg::NodeOp::create(builder, nodeLoc(node), types,
                                builder.getStringAttr("onnx"),
                                builder.getStringAttr(opType), operands,
                                builder.getDictionaryAttr(attrs));
  if (failed(verify(op)))
    return nodeError(node) << "cannot be kept as a tfg.node";
  for (auto [result, i] : llvm::enumerate(outputs))
    if (failed(define(node, i, op->getResult(result))))
      return failure();
  return success();
}

//===----------------------------------------------------------------------===//
// The graph
//===----------------------------------------------------------------------===//

LogicalResult Importer::collect(std::vector<const OnnxNode *> &order) {
  // Iterative DFS in post-order from the graph outputs; state 1 = on the
  // stack (a cycle when met again), 2 = done.
  std::vector<int> state(graph.nodes.size(), 0);
  auto known = [&](const std::string &name) {
    return entries.count(name) || graphInputs.contains(name);
  };
  for (const OnnxValueInfo &output : graph.outputs) {
    auto it = producer.find(output.name);
    if (it == producer.end()) {
      if (!known(output.name))
        return emitError(fileLoc) << "graph output '" << output.name
                                  << "' is not produced by any node";
      continue;
    }
    std::vector<std::pair<size_t, size_t>> stack{{it->second, 0}};
    while (!stack.empty()) {
      auto &[index, next] = stack.back();
      const OnnxNode &node = graph.nodes[index];
      if (next == 0) {
        if (state[index] == 2) {
          stack.pop_back();
          continue;
        }
        state[index] = 1;
      }
      if (next < node.inputs.size()) {
        const std::string &name = node.inputs[next++];
        if (name.empty())
          continue;
        auto p = producer.find(name);
        if (p == producer.end()) {
          if (!known(name))
            return nodeError(node)
                   << "input '" << name << "' names no value in the graph";
          continue;
        }
        if (state[p->second] == 1)
          return nodeError(node) << "is part of a cycle through '"
                                 << displayName(graph.nodes[p->second]) << "'";
        if (state[p->second] == 0)
          stack.push_back({p->second, 0});
        continue;
      }
      state[index] = 2;
      order.push_back(&node);
      stack.pop_back();
    }
  }
  for (const OnnxNode *node : order)
    for (const std::string &name : node->inputs)
      if (!name.empty())
        used.insert(name);
  for (const OnnxValueInfo &output : graph.outputs)
    used.insert(output.name);
  return success();
}

FailureOr<Value> Importer::graphOutput(const OnnxValueInfo &info) {
  Entry &e = entries[info.name];
  auto outputError = [&]() {
    return emitError(fileLoc) << "graph output '" << info.name << "' ";
  };
  if (!e.quantSource.empty())
    return outputError() << "is the integer output of QuantizeLinear '"
                         << e.quantNode << "', which is not supported";
  if (!e.value && !e.constant)
    return outputError() << "was not imported";
  if (info.kind != OnnxValueInfo::None &&
      (info.kind != OnnxValueInfo::Tensor || info.elemType != OnnxDType::Float))
    return outputError() << "is not a float tensor";
  Value v;
  if (e.constant) {
    if (!e.constant->isFloat)
      return outputError() << "is not a float tensor";
    OnnxNode fake;
    fake.name = info.name;
    fake.opType = "output";
    auto c = constForm(fake, e, identityPerm(e.constant->dims.size()), 0,
                       std::nullopt);
    if (failed(c))
      return failure();
    v = *c;
  } else {
    if (!cast<RankedTensorType>(e.value.getType()).getElementType().isF32())
      return outputError() << "is not a float tensor";
    v = e.value;
    if (!isIdentity(e.perm)) {
      OnnxNode fake;
      fake.name = info.name;
      fake.opType = "output";
      auto back = inLayout(fake, e, identityPerm(e.perm.size()));
      if (failed(back))
        return failure();
      v = *back;
    }
  }
  if (!info.hasShape)
    return v;
  // The declared type is the signature; a compatible computed type that
  // differs (more or less static) is adapted by a reshape.
  SmallVector<int64_t> dims;
  for (int64_t d : info.dims)
    dims.push_back(d < 0 ? kDynamic : d);
  auto declaredType = RankedTensorType::get(dims, builder.getF32Type());
  auto type = cast<RankedTensorType>(v.getType());
  if (type == declaredType)
    return v;
  bool compatible = type.getRank() == declaredType.getRank();
  for (int64_t d = 0; compatible && d < type.getRank(); ++d)
    compatible = !(!type.isDynamicDim(d) && !declaredType.isDynamicDim(d) &&
                   type.getDimSize(d) != declaredType.getDimSize(d));
  if (!compatible)
    return outputError() << "is declared as " << declaredType
                         << " but the graph computes " << type;
  auto op = tfg::ReshapeOp::create(builder, nameLoc(info.name + "/declared"),
                                   declaredType, v);
  return op.getResult();
}

OwningOpRef<ModuleOp> Importer::run() {
  auto it = model.opsetImports.find("");
  if (it == model.opsetImports.end()) {
    emitError(fileLoc) << "the model does not import the default ONNX "
                          "operator set (ai.onnx)";
    return nullptr;
  }
  opset = it->second;
  if (opset < kMinOpset || opset > kMaxOpset) {
    emitError(fileLoc) << "ONNX opset " << opset << " is not supported ("
                       << kMinOpset << " to " << kMaxOpset << ")";
    return nullptr;
  }
  for (const OnnxTensor &t : graph.initializers) {
    std::string error;
    auto data = decodeTensor(t, error);
    if (!data) {
      emitError(fileLoc) << "initializer '" << t.name << "' " << error;
      return nullptr;
    }
    Entry &e = entries[t.name];
    e.name = t.name;
    e.constant = data;
  }
  for (const OnnxValueInfo &v : graph.inputs)
    if (!entries.count(v.name))
      graphInputs.insert(v.name);
  for (const OnnxValueInfo &v : graph.valueInfo)
    declared[v.name] = &v;
  for (const OnnxValueInfo &v : graph.outputs)
    declared[v.name] = &v;
  for (auto [index, node] : llvm::enumerate(graph.nodes)) {
    for (const std::string &out : node.outputs) {
      if (out.empty())
        continue;
      if (entries.count(out) || graphInputs.contains(out)) {
        nodeError(node) << "output '" << out
                        << "' is also a graph input or initializer";
        return nullptr;
      }
      auto [prev, inserted] = producer.try_emplace(out, index);
      if (!inserted) {
        nodeError(node) << "output '" << out << "' is also produced by node '"
                        << displayName(graph.nodes[prev->second]) << "'";
        return nullptr;
      }
    }
  }
  if (graph.outputs.empty()) {
    emitError(fileLoc) << "the graph has no output";
    return nullptr;
  }
  std::vector<const OnnxNode *> order;
  if (failed(collect(order)))
    return nullptr;

  OwningOpRef<ModuleOp> module = ModuleOp::create(fileLoc);
  builder.setInsertionPointToEnd(module->getBody());
  SmallVector<Type> argTypes;
  SmallVector<const OnnxValueInfo *> args;
  for (const OnnxValueInfo &v : graph.inputs) {
    if (!graphInputs.contains(v.name))
      continue;
    // Integer inputs are quantized data for a DequantizeLinear; they are
    // held as f32, which is exact for these types.
    bool integer = v.kind == OnnxValueInfo::Tensor &&
                   llvm::is_contained({OnnxDType::UInt8, OnnxDType::Int8,
                                       OnnxDType::UInt16, OnnxDType::Int16},
                                      v.elemType);
    if (integer)
      integerInputs.insert(v.name);
    if (v.kind != OnnxValueInfo::Tensor ||
        (v.elemType != OnnxDType::Float && !integer)) {
      emitError(nameLoc(v.name))
          << "graph input '" << v.name << "': only float tensor inputs are "
          << "supported, got "
          << (v.kind == OnnxValueInfo::Tensor ? proto::onnxDTypeName(v.elemType)
                                              : std::string("a non-tensor"));
      return nullptr;
    }
    if (!v.hasShape) {
      emitError(nameLoc(v.name))
          << "graph input '" << v.name << "' has no known rank";
      return nullptr;
    }
    SmallVector<int64_t> dims;
    for (int64_t d : v.dims)
      dims.push_back(d < 0 ? kDynamic : d);
    argTypes.push_back(RankedTensorType::get(dims, builder.getF32Type()));
    args.push_back(&v);
  }
  auto func = func::FuncOp::create(builder, fileLoc, "main",
                                   builder.getFunctionType(argTypes, {}));
  Block *body = func.addEntryBlock();
  for (auto [i, v] : llvm::enumerate(args)) {
    BlockArgument arg = body->getArgument(i);
    arg.setLoc(nameLoc(v->name));
    func.setArgAttr(i, "tfg.name", builder.getStringAttr(v->name));
    if (integerInputs.contains(v->name))
      func.setArgAttr(i, "tfg.dtype",
                      builder.getStringAttr(proto::onnxDTypeName(v->elemType)));
    Entry &e = entries[v->name];
    e.name = v->name;
    e.integerInput = integerInputs.contains(v->name);
    e.value = arg;
    e.perm = identityPerm(cast<RankedTensorType>(argTypes[i]).getRank());
  }
  builder.setInsertionPointToEnd(body);
  if (ImportReport *report = options.report)
    return runForReport(*report, module, func, args, argTypes, order);
  for (const OnnxNode *node : order)
    if (failed(convert(*node)))
      return nullptr;
  SmallVector<Value> results;
  std::vector<std::string> names;
  for (const OnnxValueInfo &output : graph.outputs) {
    auto v = graphOutput(output);
    if (failed(v))
      return nullptr;
    results.push_back(*v);
    names.push_back(output.name);
  }
  if (failed(finishMainFunction(builder, func, fileLoc, results, names)))
    return nullptr;
  return module;
}

OwningOpRef<ModuleOp>
Importer::runForReport(ImportReport &report, OwningOpRef<ModuleOp> &module,
                       func::FuncOp func, ArrayRef<const OnnxValueInfo *> args,
                       ArrayRef<Type> argTypes,
                       const std::vector<const OnnxNode *> &order) {
  report.format = "ONNX (opset " + std::to_string(opset) + ")";
  auto tensorOf = [](const std::string &name, Type type, std::string dtype) {
    ImportReport::Tensor t{name, {}, false, std::move(dtype)};
    if (auto ranked = dyn_cast_or_null<RankedTensorType>(type)) {
      t.shapeKnown = true;
      for (int64_t d : ranked.getShape())
        t.shape.push_back(ShapedType::isDynamic(d) ? -1 : d);
    }
    return t;
  };
  // "float32", "uint8", ... as the other formats' reports say.
  auto dtypeName = [](OnnxDType t) {
    return t == OnnxDType::Float ? std::string("float32")
                                 : StringRef(proto::onnxDTypeName(t)).lower();
  };
  for (auto [v, type] : llvm::zip(args, argTypes))
    report.inputs.push_back(tensorOf(v->name, type, dtypeName(v->elemType)));
  llvm::StringSet<> failedValues;
  for (const OnnxNode *node : order) {
    std::string name = node->domain.empty() || node->domain == "ai.onnx"
                           ? node->opType
                           : node->domain + "." + node->opType;
    ++report.opHistogram[name];
    bool dependent = llvm::any_of(node->inputs, [&](const std::string &in) {
      return failedValues.contains(in);
    });
    std::optional<std::string> reason;
    if (!dependent)
      reason = convertCapturingError(context, [&] { return convert(*node); });
    if (dependent || reason) {
      for (const std::string &out : node->outputs)
        failedValues.insert(out);
      if (dependent) {
        report.dependents.push_back(displayName(*node));
        continue;
      }
      StringRef why = *reason;
      why.consume_front("node '" + displayName(*node) + "' (" + node->opType +
                        "): ");
      report.unsupported.push_back({displayName(*node), name, why.str()});
    }
  }
  SmallVector<Value> results;
  std::vector<std::string> names;
  for (const OnnxValueInfo &output : graph.outputs) {
    Value v;
    if (!failedValues.contains(output.name))
      (void)convertCapturingError(context, [&] {
        auto r = graphOutput(output);
        if (succeeded(r))
          v = *r;
        return success(succeeded(r));
      });
    report.outputs.push_back(tensorOf(output.name, v ? v.getType() : Type(),
                                      dtypeName(output.elemType)));
    if (v) {
      results.push_back(v);
      names.push_back(output.name);
    }
  }
  // What converted may not verify on its own; the report is the result.
  (void)convertCapturingError(context, [&] {
    return finishMainFunction(builder, func, fileLoc, results, names);
  });
  return std::move(module);
}

} // namespace

OwningOpRef<ModuleOp> importOnnx(StringRef bytes, StringRef fileName,
                                 MLIRContext *context,
                                 const OnnxImportOptions &options) {
  context->loadDialect<tfg::TfgDialect, func::FuncDialect>();
  proto::OnnxModel model;
  std::string error;
  if (!proto::parseOnnxModel(bytes.str(), model, error)) {
    emitError(FileLineColLoc::get(context, fileName, 0, 0))
        << "cannot read ONNX model: " << error;
    return nullptr;
  }
  return Importer(context, fileName, model, options).run();
}

} // namespace vai

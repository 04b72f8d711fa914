//===- XModelImporter.cpp - Quantized XIR graphs to quant -----------------===//
//
// The inverse of lib/Export/XModelFixForm.cpp; the module form is described
// in vai/Import/XModelImporter.h. Op types and attribute names are the ones
// in Xilinx's quantized xmodels (../shared/data/xilinx/
// voxelnet_quantized.xmodel): `const` with float32 `data`, `fix` with
// bit_width (int32), fix_point (int32), if_signed (bool) and round_mode
// (DPU_ROUND, STD_ROUND, PY3_ROUND). Compiled xmodels (../shared/data/
// xilinx/pointpillars_DPUCZDX8G*.xmodel) read into generic ops plus the
// subgraph tree; their return_ops name output tensors.
//
//===----------------------------------------------------------------------===//

#include "vai/Import/XModelImporter.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"
#include "vai/Dialect/Quant/QuantOps.h"
#include "vai/Dialect/Tfg/TfgOps.h"
#include "vai/Export/XModelFixForm.h"
#include "vai/Export/XirAttributes.h"
#include "vai/Import/ImportUtils.h"
#include "vai/Import/XModelGraphIndex.h"
#include "vai/Proto/XModel.h"
#include "vai/Support/TransposeData.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
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
  const XAttr *bits = proto::findXAttr(op.attrs, "bit_width", XAttr::Int32);
  const XAttr *point = proto::findXAttr(op.attrs, "fix_point", XAttr::Int32);
  const XAttr *isSigned = proto::findXAttr(op.attrs, "if_signed", XAttr::Bool);
  const XAttr *round = proto::findXAttr(op.attrs, "round_mode", XAttr::String);
  if (!bits || !point || !isSigned || !round)
    return {};
  std::optional<quant::RoundMode> mode = parseXirRoundMode(round->s);
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
  /// A float op, the activation after it if any, and the `fix` giving
  /// its output position: vai_q's form of one quant compute op.
  struct FixPattern {
    const XOp *main = nullptr, *activation = nullptr, *fix = nullptr;
    /// vai_q wrote no fix after it: \p fix is the one of the concat that
    /// reads it, which the chain's output takes.
    bool viaConcat = false;
  };

  LogicalResult checkGraph(const proto::XGraph &graph);
  LogicalResult checkSubgraphs(const proto::XSubgraph &s, bool isRoot,
                               llvm::StringMap<std::string> &leafOf);
  void countUses(const proto::XGraph &graph);
  void findFusedConsts(const proto::XGraph &graph);
  void findPatterns(const proto::XGraph &graph);
  Value fusedConst(const XOp &constOp, const XOp &fixOp);
  Value carriedFix(const std::string &name, Value v);
  FailureOr<Value> importPattern(const FixPattern &p);
  FailureOr<Operation *> buildQuantOp(const FixPattern &p, Type resultType,
                                      Operation *&transposed,
                                      Operation *&original);
  LogicalResult checkConstWeights(const XOp &op, StringRef weights);
  void keepXirForm(Operation *op, const FixPattern &p);
  LogicalResult importOp(const XOp &op);
  Attribute subgraphAttr(const proto::XSubgraph &s);
  Attribute opDefAttr(const proto::XOpDef &def);

  MLIRContext *context;
  OpBuilder builder;
  Location fileLoc;
  XModelGraphIndex graphIndex;           // op names, tensor names, order
  llvm::StringMap<Value> values;         // op name -> its result
  llvm::StringMap<std::string> fusedFix; // const name -> the fix reading it
  llvm::StringMap<const XOp *> fusedIn;  // fix name -> its fused const
  const proto::XGraph *graph = nullptr;
  llvm::StringMap<int> uses;            // op name -> inputs naming it
  std::set<std::string> returned;       // the graph's return_ops
  llvm::StringMap<FixPattern> patterns; // main op name -> its pattern
  llvm::StringSet<> absorbed;     // activations and fixes inside a quant op
  llvm::StringSet<> unfixed;      // last ops of viaConcat patterns
  llvm::StringMap<Value> carried; // transpose name -> its xir.implicit fix
};

LogicalResult Importer::checkGraph(const proto::XGraph &graph) {
  if (failed(graphIndex.build(graph, fileLoc)))
    return failure();
  for (const XOp &op : graph.ops) {
    // XIR's fix op definition: one REQUIRED input (built_in_ops.cpp).
    size_t inputs = 0;
    for (const proto::XOpArg &arg : op.args)
      inputs += arg.argOps.size();
    if (op.type == "fix" && (op.args.size() != 1 || inputs != 1))
      return emitError(nameLoc(op.name))
             << "fix op '" << op.name << "' needs exactly one input, it has "
             << inputs;
  }
  return success();
}

/// XIR's rules for the subgraph tree (serialize_v2.cpp, create_subgraphs):
/// below the root a subgraph lists ops or children, not both and not
/// neither; every op a subgraph lists exists and belongs to one leaf only.
/// The root's own op list is ignored by XIR but must still name ops.
LogicalResult Importer::checkSubgraphs(const proto::XSubgraph &s, bool isRoot,
                                       llvm::StringMap<std::string> &leafOf) {
  if (!isRoot && s.opNames.empty() == s.children.empty())
    return emitError(fileLoc)
           << "subgraph '" << s.name << "' has "
           << (s.children.empty() ? "neither ops nor child subgraphs"
                                  : "both ops and child subgraphs");
  for (const std::string &name : s.opNames) {
    if (!graphIndex.index.count(name))
      return emitError(fileLoc) << "subgraph '" << s.name << "' names op '"
                                << name << "', which is not an op of the graph";
    if (isRoot)
      continue;
    auto [it, inserted] = leafOf.try_emplace(name, s.name);
    if (!inserted)
      return emitError(fileLoc) << "op '" << name << "' is in two subgraphs, '"
                                << it->second << "' and '" << s.name << "'";
  }
  for (const proto::XSubgraph &child : s.children)
    if (failed(checkSubgraphs(child, /*isRoot=*/false, leafOf)))
      return failure();
  return success();
}

/// How often each op is read, and which ops the graph returns.
void Importer::countUses(const proto::XGraph &graph) {
  for (const XOp &op : graph.ops)
    for (const proto::XOpArg &arg : op.args)
      for (const std::string &input : arg.argOps)
        ++uses[input];
  if (auto it = graph.attrs.find("return_ops");
      it != graph.attrs.end() && it->second.kind == XAttr::StringVec)
    for (const std::string &name : it->second.strs)
      returned.insert(graphIndex.opOf(name));
}

/// A float `const` read by exactly one `fix` (and nothing else) becomes one
/// `quant.const`; decided here, converted when the fix is reached.
void Importer::findFusedConsts(const proto::XGraph &graph) {
  for (const XOp &fix : graph.ops) {
    if (fix.type != "fix" || fix.args.size() != 1 ||
        fix.args[0].argName != "input" || fix.args[0].argOps.size() != 1)
      continue;
    const XOp &c = graph.ops[graphIndex.index.lookup(fix.args[0].argOps[0])];
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

//===----------------------------------------------------------------------===//
// vai_q's patterns -> quant compute ops
//
// Attribute meanings from XIR's op definitions (Vitis-AI src/vai_runtime/
// xir/src/xir/op/built_in_ops.cpp): conv2d / depthwise-conv2d / maxpool2d /
// avgpool2d take kernel, stride and dilation as {w, h}, pad as {left,
// right, top, bottom} (default 0, dilation default 1), a REQUIRED pad_mode
// (FLOOR: out = floor((in + pad - (k - 1) * d - 1) / s) + 1); conv2d
// weights are [O, kh, kw, I], depthwise-conv2d's [M, kh, kw, C] with output
// channel c * M + m; transposed-conv2d's weights are [O, kh, kw, I] and
// its pad crops the full output (FLOOR: out = (in - 1) * s + (k - 1) * d +
// 1 - pad); conv2d's group defaults to 1; matmul multiplies
// input[0] by input[1] (transpose_a / transpose_b) plus an optional bias;
// add and mul broadcast input[0] with input[1]; concat joins along axis;
// avgpool2d's count_include_pad defaults to true; global pooling sets the
// window to the input. leaky-relu's alpha is the slope below 0.
//===----------------------------------------------------------------------===//

/// Whether \p op reads exactly \p input, as its one `input` argument.
static bool readsOnly(const XOp &op, const XOp &input) {
  return op.args.size() == 1 && op.args[0].argName == "input" &&
         op.args[0].argOps.size() == 1 && op.args[0].argOps[0] == input.name;
}

/// The activations quant's compute ops apply, as XIR ops: relu and relu6
/// without attributes, leaky-relu with the DPU's slope 26/256 only.
static std::optional<quant::Nonlinear> nonlinearOf(const XOp &op) {
  if (op.type == "relu" && op.attrs.empty())
    return quant::Nonlinear::relu;
  if (op.type == "relu6" && op.attrs.empty())
    return quant::Nonlinear::relu6;
  if (op.type == "leaky-relu" && op.attrs.size() == 1) {
    auto it = op.attrs.find("alpha");
    if (it != op.attrs.end() && it->second.kind == XAttr::Float &&
        float(it->second.d) == kFixFormLeakyAlpha)
      return quant::Nonlinear::leaky_relu;
  }
  return std::nullopt;
}

void Importer::findPatterns(const proto::XGraph &graph) {
  llvm::StringMap<const XOp *> reader; // op name -> an op reading it
  llvm::StringMap<SmallVector<const XOp *, 1>> readers; // all of them
  for (const XOp &op : graph.ops)
    for (const proto::XOpArg &arg : op.args)
      for (const std::string &input : arg.argOps) {
        reader[input] = &op;
        readers[input].push_back(&op);
      }
  auto soleReader = [&](const XOp &op) -> const XOp * {
    if (uses.lookup(op.name) != 1 || returned.count(op.name))
      return nullptr;
    return reader.lookup(op.name);
  };
  auto samePlainTensor = [](const XOp &op, const XOp &main) {
    return isPlainFloatTensor(op.outputTensor, op) &&
           op.outputTensor.dims == main.outputTensor.dims;
  };
  // vai_q writes no fix between a convolution (+ activation) and a concat
  // whose output it fixes (voxelnet's deconv1..3 + relu -> concat -> fix):
  // the DPU writes each input at its channel offset of the one fixed
  // output, so the concat's fix is each input's position. The fix of the
  // concat(s) reading \p last, when every reader is such a concat.
  auto concatFix = [&](const XOp &last) -> const XOp * {
    auto it = readers.find(last.name);
    if (it == readers.end() || returned.count(last.name))
      return nullptr;
    const XOp *fix = nullptr;
    for (const XOp *concat : it->second) {
      if (concat->type != "concat" ||
          !isPlainFloatTensor(concat->outputTensor, *concat))
        return nullptr;
      const XOp *f = soleReader(*concat);
      if (!f || f->type != "fix" || !readsOnly(*f, *concat) ||
          !samePlainTensor(*f, *concat) || !fixTypeOf(context, *f) ||
          (fix && fixTypeOf(context, *f) != fixTypeOf(context, *fix)))
        return nullptr;
      fix = f;
    }
    return fix;
  };
  for (const XOp &op : graph.ops) {
    StringRef type = op.type;
    bool convLike = type == "conv2d" || type == "depthwise-conv2d" ||
                    type == "transposed-conv2d" || type == "matmul";
    if (!convLike && type != "add" && type != "mul" && type != "concat" &&
        type != "maxpool2d" && type != "avgpool2d" && type != "reshape" &&
        type != "flatten" && type != "reduction_max")
      continue;
    if (!isPlainFloatTensor(op.outputTensor, op))
      continue;
    FixPattern p;
    p.main = &op;
    const XOp *next = soleReader(op);
    if (next && readsOnly(*next, op) && samePlainTensor(*next, op)) {
      std::optional<quant::Nonlinear> n = nonlinearOf(*next);
      if (n && (convLike || (type == "add" && *n == quant::Nonlinear::relu))) {
        p.activation = next;
        next = soleReader(*next);
      }
    }
    const XOp &last = p.activation ? *p.activation : op;
    if (!next || next->type != "fix" || !readsOnly(*next, last) ||
        !samePlainTensor(*next, op) || !fixTypeOf(context, *next)) {
      if (!convLike || !(p.fix = concatFix(last)))
        continue;
      p.viaConcat = true;
      patterns[op.name] = p;
      continue;
    }
    p.fix = next;
    patterns[op.name] = p;
  }
}

/// vai_q fixes a tensor before a `transpose` and not after it (voxelnet's
/// PPScatterV2 output before the conv2d of block1): the transpose moves
/// fixed values, so its output is exact at the same position, which vai_c
/// states with a float2fix after it. The quantize saying so carries
/// xir.implicit, and the fix-form writer writes nothing for it.
Value Importer::carriedFix(const std::string &name, Value v) {
  if (Value q = carried.lookup(name))
    return q;
  auto node = v.getDefiningOp<tfg::NodeOp>();
  auto type = dyn_cast<RankedTensorType>(v.getType());
  if (!node || node.getFramework() != "xir" ||
      node.getOpType() != "transpose" || node.getNumOperands() != 1 || !type ||
      !type.getElementType().isF32())
    return Value();
  quant::FixType fix = quant::getFixType(node.getOperand(0));
  if (!fix)
    return Value();
  OpBuilder::InsertionGuard guard(builder);
  builder.setInsertionPointAfter(node);
  auto q =
      quant::QuantizeOp::create(builder, node.getLoc(), type.clone(fix), v);
  q->setAttr("xir.implicit", builder.getUnitAttr());
  carried[name] = q.getResult();
  return q.getResult();
}

/// The int32 vector attribute \p key with \p size entries, \p fallback
/// (XIR's default) when absent, nullopt when malformed.
static std::optional<std::vector<int64_t>>
intsOf(const XOp &op, const char *key, size_t size,
       std::optional<std::vector<int64_t>> fallback = std::nullopt) {
  auto it = op.attrs.find(key);
  if (it == op.attrs.end())
    return fallback;
  if (it->second.kind != XAttr::Int32Vec || it->second.ints.size() != size)
    return std::nullopt;
  return it->second.ints;
}

/// A bool attribute, \p fallback when absent, nullopt when malformed.
static std::optional<bool> boolOf(const XOp &op, const char *key,
                                  bool fallback) {
  auto it = op.attrs.find(key);
  if (it == op.attrs.end())
    return fallback;
  if (it->second.kind != XAttr::Bool)
    return std::nullopt;
  return it->second.b;
}

/// A sliding window in our order: {h, w} and pad {top, bottom, left,
/// right}.
struct Window {
  SmallVector<int64_t> kernel, strides, dilations, pad;
};

/// XIR's window attributes as ours. Only explicit padding with FLOOR's or
/// CEIL's rounding (the op verifier then holds the output size to
/// FLOOR's): SAME and VALID compute their own padding.
static bool windowOf(const XOp &op, Window &w) {
  auto kernel = intsOf(op, "kernel", 2);
  auto stride = intsOf(op, "stride", 2);
  auto dilation = intsOf(op, "dilation", 2, std::vector<int64_t>{1, 1});
  auto pad = intsOf(op, "pad", 4, std::vector<int64_t>{0, 0, 0, 0});
  auto mode = op.attrs.find("pad_mode");
  if (!kernel || !stride || !dilation || !pad || mode == op.attrs.end() ||
      mode->second.kind != XAttr::String ||
      (mode->second.s != "FLOOR" && mode->second.s != "CEIL"))
    return false;
  w.kernel = {(*kernel)[1], (*kernel)[0]};
  w.strides = {(*stride)[1], (*stride)[0]};
  w.dilations = {(*dilation)[1], (*dilation)[0]};
  w.pad = {(*pad)[2], (*pad)[3], (*pad)[0], (*pad)[1]};
  return llvm::all_of(w.kernel, [](int64_t v) { return v > 0; }) &&
         llvm::all_of(w.strides, [](int64_t v) { return v > 0; }) &&
         llvm::all_of(w.dilations, [](int64_t v) { return v > 0; }) &&
         llvm::all_of(w.pad, [](int64_t v) { return v >= 0; });
}

/// The producers of \p op's arguments, when they are exactly \p names in
/// order, each with one producer (`*` any number, at least one); the last
/// name may be missing when \p lastOptional.
static std::optional<std::vector<std::string>>
argsOf(const XOp &op, ArrayRef<StringRef> names, bool lastOptional) {
  size_t n = op.args.size();
  if (n != names.size() && !(lastOptional && n + 1 == names.size()))
    return std::nullopt;
  std::vector<std::string> producers;
  for (size_t i = 0; i < n; ++i) {
    StringRef name = names[i];
    bool many = name.consume_back("*");
    const proto::XOpArg &arg = op.args[i];
    if (arg.argName != name || arg.argOps.empty() ||
        (!many && arg.argOps.size() != 1))
      return std::nullopt;
    producers.insert(producers.end(), arg.argOps.begin(), arg.argOps.end());
  }
  return producers;
}

/// XIR's [O, kh, kw, I] weights (depthwise [M, kh, kw, C]) as our HWIO
/// ([kh, kw, C, M]), the layout the fix-form writer turns back; a
/// transposed convolution's kernel is also rotated (hwioToXirWeights).
static quant::ConstOp toHWIO(OpBuilder &b, quant::ConstOp c,
                             bool transposedConv) {
  auto type = cast<RankedTensorType>(c.getResult().getType());
  SmallVector<int64_t> ohwi(type.getShape());
  SmallVector<APInt> src(c.getValue().getValues<APInt>());
  std::vector<APInt> dst = xirToHwioWeights<APInt>(ohwi, src, transposedConv);
  SmallVector<int64_t> shape = {ohwi[1], ohwi[2], ohwi[3], ohwi[0]};
  auto valueType = RankedTensorType::get(
      shape, cast<ShapedType>(c.getValue().getType()).getElementType());
  auto op = quant::ConstOp::create(
      b, c.getLoc(), type.clone(ArrayRef<int64_t>(shape)),
      cast<DenseIntElementsAttr>(DenseElementsAttr::get(valueType, dst)));
  for (NamedAttribute a : c->getDiscardableAttrs())
    op->setAttr(a.getName(), a.getValue());
  return op;
}

/// A convolution's weights must be a `const` (read directly or through its
/// `fix`): the DPU keeps them in its parameter memory.
LogicalResult Importer::checkConstWeights(const XOp &op, StringRef weights) {
  const XOp *source = &graph->ops[graphIndex.index.lookup(weights)];
  if (source->type == "fix")
    source = &graph->ops[graphIndex.index.lookup(source->args[0].argOps[0])];
  if (source->type == "const")
    return success();
  return emitError(nameLoc(op.name))
         << "op '" << op.name << "' (" << op.type << "): weights '" << weights
         << "' come from '" << source->name << "' (" << source->type
         << "), not from a const; a quantized " << op.type
         << " needs constant weights";
}

/// The quant op for \p p, or null when its operands or attributes have no
/// quant form. Convolution weights get a transposed copy (\p transposed)
/// of their const (\p original).
FailureOr<Operation *> Importer::buildQuantOp(const FixPattern &p,
                                              Type resultType,
                                              Operation *&transposed,
                                              Operation *&original) {
  const XOp &m = *p.main;
  Location loc = nameLoc(m.name);
  quant::Nonlinear nonlinear =
      p.activation ? *nonlinearOf(*p.activation) : quant::Nonlinear::none;
  auto fixed = [&](const std::string &name) -> Value {
    Value v = values.lookup(name);
    if (!v || quant::getFixType(v))
      return v;
    return carriedFix(name, v);
  };
  auto allFixed = [&](const std::vector<std::string> &names,
                      SmallVector<Value> &out) {
    for (const std::string &name : names)
      out.push_back(fixed(name));
    return llvm::all_of(out, [](Value v) { return bool(v); });
  };
  StringRef type = m.type;
  SmallVector<Value> in;

  if (type == "conv2d" || type == "depthwise-conv2d" ||
      type == "transposed-conv2d") {
    auto args = argsOf(m, {"input", "weights", "bias"}, true);
    if (!args)
      return nullptr;
    if (failed(checkConstWeights(m, (*args)[1])))
      return failure();
    bool depthwise = type == "depthwise-conv2d";
    bool transposedConv = type == "transposed-conv2d";
    auto group = m.attrs.find("group");
    if (!depthwise && group != m.attrs.end() &&
        (group->second.kind != XAttr::Int32 || group->second.i != 1))
      return nullptr;
    Window w;
    if (!allFixed(*args, in) || !windowOf(m, w) || uses.lookup((*args)[1]) != 1)
      return nullptr;
    // transposed-conv2d's pad crops the full output only under FLOOR
    // (shape_infer_transposed_conv2d); CEIL has no quant form.
    if (transposedConv && m.attrs.at("pad_mode").s != "FLOOR")
      return nullptr;
    auto weights = in[1].getDefiningOp<quant::ConstOp>();
    auto wType = cast<RankedTensorType>(in[1].getType());
    if (!weights || wType.getRank() != 4 ||
        w.kernel[0] != wType.getDimSize(1) ||
        w.kernel[1] != wType.getDimSize(2))
      return nullptr;
    {
      OpBuilder::InsertionGuard guard(builder);
      builder.setInsertionPointAfter(weights);
      transposed = toHWIO(builder, weights, transposedConv).getOperation();
      original = weights.getOperation();
    }
    Value bias = in.size() > 2 ? in[2] : Value();
    if (transposedConv) // XIR [OC, kh, kw, C] -> [kh, kw, C, OC], as conv2d
      return quant::Conv2DTransposeOp::create(
                 builder, loc, resultType, in[0], transposed->getResult(0),
                 bias, w.strides, w.dilations, w.pad, nonlinear)
          .getOperation();
    if (depthwise)
      return quant::DepthwiseConv2DOp::create(
                 builder, loc, resultType, in[0], transposed->getResult(0),
                 bias, w.strides, w.dilations, w.pad, nonlinear)
          .getOperation();
    return quant::Conv2DOp::create(builder, loc, resultType, in[0],
                                   transposed->getResult(0), bias, w.strides,
                                   w.dilations, w.pad, nonlinear)
        .getOperation();
  }
  if (type == "matmul") {
    auto args = argsOf(m, {"input*", "bias"}, true);
    auto ta = boolOf(m, "transpose_a", false);
    auto tb = boolOf(m, "transpose_b", false);
    if (!args || !ta || !tb || *ta || *tb ||
        args->size() != (m.args.size() == 2 ? 3u : 2u) ||
        !allFixed(*args, in) || !in[1].getDefiningOp<quant::ConstOp>())
      return nullptr;
    return quant::MatMulOp::create(builder, loc, resultType, in[0], in[1],
                                   in.size() > 2 ? in[2] : Value(), nonlinear)
        .getOperation();
  }
  if (type == "add" || type == "mul") {
    auto args = argsOf(m, {"input*"}, false);
    if (!args || args->size() != 2 || !allFixed(*args, in))
      return nullptr;
    if (type == "add")
      return quant::AddOp::create(builder, loc, resultType, in[0], in[1],
                                  nonlinear)
          .getOperation();
    return quant::MulOp::create(builder, loc, resultType, in[0], in[1])
        .getOperation();
  }
  if (type == "concat") {
    auto args = argsOf(m, {"input*"}, false);
    auto axis = m.attrs.find("axis");
    if (!args || !allFixed(*args, in) || axis == m.attrs.end() ||
        axis->second.kind != XAttr::Int32)
      return nullptr;
    int64_t rank = cast<RankedTensorType>(resultType).getRank();
    int64_t a = axis->second.i < 0 ? axis->second.i + rank : axis->second.i;
    if (a < 0 || a >= rank)
      return nullptr;
    return quant::ConcatOp::create(builder, loc, resultType, in, uint64_t(a))
        .getOperation();
  }
  if (type == "maxpool2d" || type == "avgpool2d") {
    auto args = argsOf(m, {"input"}, false);
    Window w;
    if (!args || !allFixed(*args, in) || !windowOf(m, w) ||
        w.dilations != SmallVector<int64_t>{1, 1} || m.attrs.count("dilation"))
      return nullptr;
    auto inType = cast<RankedTensorType>(in[0].getType());
    auto global = boolOf(m, "global", false);
    if (!global || (*global && (inType.getRank() != 4 ||
                                w.kernel[0] != inType.getDimSize(1) ||
                                w.kernel[1] != inType.getDimSize(2))))
      return nullptr;
    if (type == "maxpool2d")
      return quant::MaxPoolOp::create(builder, loc, resultType, in[0], w.kernel,
                                      w.strides, w.pad)
          .getOperation();
    // The DPU's average counts padding (count_include_pad's default).
    auto countPad = boolOf(m, "count_include_pad", true);
    if (!countPad ||
        (!*countPad && llvm::any_of(w.pad, [](int64_t v) { return v; })))
      return nullptr;
    return quant::AvgPoolOp::create(builder, loc, resultType, in[0], w.kernel,
                                    w.strides, w.pad)
        .getOperation();
  }
  if (type == "reduction_max") {
    // A max over H and/or W of an NHWC tensor, dims kept, is a max pool
    // whose window is the reduced extent, stride 1 (how vai_c compiles
    // voxelnet's max over the 100 points of a pillar: pool-fix kernel
    // [100, 1] in pointpillars_DPUCZDX8G.xmodel). Other axes stay generic.
    auto args = argsOf(m, {"input"}, false);
    auto keep = boolOf(m, "keep_dims", false);
    auto axis = m.attrs.find("axis");
    if (!args || !keep || !*keep || m.attrs.size() != 2 ||
        axis == m.attrs.end() || axis->second.kind != XAttr::Int32Vec ||
        axis->second.ints.empty() || !allFixed(*args, in))
      return nullptr;
    auto inType = cast<RankedTensorType>(in[0].getType());
    if (inType.getRank() != 4 || !inType.hasStaticShape())
      return nullptr;
    SmallVector<int64_t> kernel = {1, 1};
    for (int64_t a : axis->second.ints) {
      a = a < 0 ? a + 4 : a;
      if ((a != 1 && a != 2) || kernel[a - 1] != 1)
        return nullptr; // not a spatial axis, or named twice
      kernel[a - 1] = inType.getDimSize(a);
    }
    return quant::MaxPoolOp::create(builder, loc, resultType, in[0], kernel,
                                    ArrayRef<int64_t>{1, 1},
                                    ArrayRef<int64_t>{0, 0, 0, 0})
        .getOperation();
  }
  // reshape (without the optional `shape` input) and flatten: the output
  // tensor's dims are the new shape.
  auto args = argsOf(m, {"input"}, false);
  if (!args || !allFixed(*args, in))
    return nullptr;
  return quant::ReshapeOp::create(builder, loc, resultType, in[0])
      .getOperation();
}

/// What the fix-form writer needs to write \p op back as the ops of \p p:
/// the XIR attributes it would not derive from the quant op, and the names
/// of the activation and fix ops where they differ from its own.
void Importer::keepXirForm(Operation *op, const FixPattern &p) {
  const XOp &m = *p.main;
  proto::XAttrMap derived, kept;
  std::string type = fixFormFloatOp(op, derived);
  SmallVector<Attribute> omit;
  for (auto &[key, value] : m.attrs) {
    auto it = derived.find(key);
    if (it == derived.end() || it->second != value)
      kept[key] = value;
  }
  for (auto &[key, value] : derived)
    if (!m.attrs.count(key))
      omit.push_back(builder.getStringAttr(key));
  if (!kept.empty())
    op->setAttr("xir.attrs", encodeXirAttrs(context, kept));
  if (!omit.empty())
    op->setAttr("xir.omit", builder.getArrayAttr(omit));
  if (type != m.type)
    op->setAttr("xir.type", builder.getStringAttr(m.type));
  SmallVector<NamedAttribute> names;
  std::string last = m.name;
  if (p.activation) {
    if (p.activation->name != m.name + "_" + p.activation->type)
      names.push_back(builder.getNamedAttr(
          "activation", builder.getStringAttr(p.activation->name)));
    last = p.activation->name;
  }
  if (p.viaConcat)
    op->setAttr("xir.no_fix", builder.getUnitAttr());
  else if (p.fix->name != last + "_fix")
    names.push_back(
        builder.getNamedAttr("fix", builder.getStringAttr(p.fix->name)));
  if (!names.empty())
    op->setAttr("xir.names", builder.getDictionaryAttr(names));
}

/// The quant op standing for \p p, or null to import its ops one by one.
FailureOr<Value> Importer::importPattern(const FixPattern &p) {
  quant::FixType fixType = fixTypeOf(context, *p.fix);
  Type resultType = tensorTypeOf(context, p.main->outputTensor).clone(fixType);
  Operation *transposed = nullptr, *original = nullptr;
  FailureOr<Operation *> op = buildQuantOp(p, resultType, transposed, original);
  if (failed(op))
    return failure();
  bool valid = false;
  if (*op) {
    // Positions the DPU cannot shift by, or sizes that do not match, leave
    // the ops generic (quietly: they are still imported without loss).
    ScopedDiagnosticHandler quiet(context,
                                  [](Diagnostic &) { return success(); });
    valid = succeeded(verify(*op));
  }
  if (!valid) {
    if (*op)
      (*op)->erase();
    if (transposed)
      transposed->erase();
    for (auto it = carried.begin(); it != carried.end();) {
      auto cur = it++;
      if (cur->second.use_empty()) {
        cur->second.getDefiningOp()->erase();
        carried.erase(cur);
      }
    }
    return Value();
  }
  if (original)
    original->erase(); // read by this op only (checked), now transposed
  keepXirForm(*op, p);
  if (p.activation)
    absorbed.insert(p.activation->name);
  if (!p.viaConcat) // else the concat's own pattern takes its fix
    absorbed.insert(p.fix->name);
  return (*op)->getResult(0);
}

LogicalResult Importer::importOp(const XOp &op) {
  if (fusedFix.count(op.name) || absorbed.count(op.name))
    return success(); // converted together with its fix or its float op
  if (auto it = patterns.find(op.name); it != patterns.end()) {
    FailureOr<Value> result = importPattern(it->second);
    if (failed(result))
      return failure();
    if (*result) {
      const FixPattern &p = it->second;
      if (p.viaConcat) {
        const XOp &last = p.activation ? *p.activation : *p.main;
        values[last.name] = *result;
        unfixed.insert(last.name);
      } else {
        values[p.fix->name] = *result;
      }
      return success();
    }
  }
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
    for (const std::string &input : arg.argOps) {
      Value v = values.lookup(input);
      // A concat that did not become quant.concat reads the float values
      // of the chains that took its fix; writing the dequantize writes
      // nothing.
      if (unfixed.contains(input))
        v = quant::DequantizeOp::create(
            builder, nameLoc(input),
            cast<RankedTensorType>(v.getType()).clone(builder.getF32Type()), v);
      operands.push_back(v);
    }
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
  llvm::StringMap<std::string> leafOf;
  if (failed(checkSubgraphs(graph.root, /*isRoot=*/true, leafOf)))
    return nullptr;
  const std::vector<size_t> &topo = graphIndex.topo;
  this->graph = &graph;
  countUses(graph);
  findFusedConsts(graph);
  findPatterns(graph);

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
    if (graphIndex.index.lookup(op->name) != i)
      func.setArgAttr(i, "xir.position",
                      builder.getI64IntegerAttr(
                          int64_t(graphIndex.index.lookup(op->name))));
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
    Value v = values.lookup(graphIndex.opOf(name));
    if (!v) {
      emitError(fileLoc) << "graph attribute return_ops names '" << name
                         << "', which is neither an op nor an op's output "
                            "tensor";
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
  if (!readXModelOrEmit(bytes, fileName, context, graph))
    return nullptr;
  return Importer(context, fileName).run(graph);
}

bool readXModelOrEmit(StringRef bytes, StringRef fileName, MLIRContext *context,
                      proto::XGraph &graph) {
  std::string error;
  if (proto::readXModel(bytes.str(), graph, error))
    return true;
  emitError(FileLineColLoc::get(context, fileName, 0, 0))
      << "cannot read the xmodel: " << error;
  return false;
}

} // namespace vai

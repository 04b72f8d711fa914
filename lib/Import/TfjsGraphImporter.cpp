//===- TfjsGraphImporter.cpp - TF.js graph models to tfg ------------------===//
//
// The topology is a GraphDef in protobuf's JSON mapping
// (https://protobuf.dev/programming-guides/json/): field names in
// lowerCamelCase, int64 as decimal strings, bytes as base64, enums by name
// (`"DT_FLOAT"`), and default values may be omitted. The model.json layout
// (format, modelTopology, weightsManifest) is tfjs-converter's.
//
//===----------------------------------------------------------------------===//

#include "vai/Import/TfjsGraphImporter.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Location.h"
#include "vai/Import/TfjsWeights.h"
#include "vai/Proto/GraphDef.h"
#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Base64.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/Path.h"
#include <cmath>
#include <limits>

using namespace llvm;
using vai::proto::TfAttr;
using vai::proto::TfDType;
using vai::proto::TfShape;
using vai::proto::TfTensor;

namespace vai {
namespace {

/// Collects the first error of a conversion; later ones are dropped.
struct Errors {
  std::string message;
  bool fail(const Twine &msg) {
    if (message.empty())
      message = msg.str();
    return false;
  }
};

std::optional<TfDType> parseDType(const json::Value &v) {
  if (std::optional<int64_t> n = v.getAsInteger())
    return TfDType(*n);
  std::optional<StringRef> s = v.getAsString();
  if (!s)
    return std::nullopt;
  // Enumerate TF's numbering (types.proto) instead of keeping a second
  // table of names.
  for (int n = 0; n <= 132; ++n)
    if (s->drop_front(3) == proto::tfDTypeName(TfDType(n)) &&
        s->starts_with("DT_"))
      return TfDType(n);
  return std::nullopt;
}

/// int64/uint64 fields are JSON strings, the others numbers; accept both.
std::optional<int64_t> parseInt(const json::Value &v) {
  if (std::optional<int64_t> n = v.getAsInteger())
    return n;
  if (std::optional<StringRef> s = v.getAsString()) {
    int64_t n;
    if (!s->getAsInteger(10, n))
      return n;
    uint64_t u; // uint64 beyond int64's range: keep the bits
    if (!s->getAsInteger(10, u))
      return int64_t(u);
  }
  return std::nullopt;
}

std::optional<float> parseFloat(const json::Value &v) {
  if (std::optional<double> d = v.getAsNumber())
    return float(*d);
  std::optional<StringRef> s = v.getAsString();
  if (!s)
    return std::nullopt;
  if (*s == "NaN")
    return std::numeric_limits<float>::quiet_NaN();
  if (*s == "Infinity")
    return std::numeric_limits<float>::infinity();
  if (*s == "-Infinity")
    return -std::numeric_limits<float>::infinity();
  return std::nullopt;
}

bool parseBase64(const json::Value &v, std::string &bytes) {
  std::optional<StringRef> s = v.getAsString();
  if (!s)
    return false;
  std::vector<char> out;
  if (Error e = decodeBase64(*s, out)) {
    consumeError(std::move(e));
    return false;
  }
  bytes.assign(out.begin(), out.end());
  return true;
}

bool parseShape(const json::Object &obj, TfShape &shape, Errors &errors) {
  shape.unknownRank = obj.getBoolean("unknownRank").value_or(false);
  if (const json::Array *dims = obj.getArray("dim")) {
    for (const json::Value &d : *dims) {
      const json::Object *dim = d.getAsObject();
      // An omitted size is proto3's default, 0.
      const json::Value *size = dim ? dim->get("size") : nullptr;
      std::optional<int64_t> n = size ? parseInt(*size) : int64_t(0);
      if (!dim || !n)
        return errors.fail("has a malformed shape dim");
      shape.dims.push_back(*n);
    }
  }
  return true;
}

/// A 16- or 32-bit float from its raw bits.
float floatFromBits(const fltSemantics &semantics, uint64_t bits) {
  return APFloat(semantics,
                 APInt(APFloat::semanticsSizeInBits(semantics), bits))
      .convertToFloat();
}

size_t contentBytes(TfDType type) {
  switch (type) {
  case TfDType::Int8:
  case TfDType::UInt8:
  case TfDType::Bool:
  case TfDType::QInt8:
  case TfDType::QUInt8:
    return 1;
  case TfDType::Half:
  case TfDType::BFloat16:
  case TfDType::Int16:
  case TfDType::UInt16:
    return 2;
  case TfDType::Float:
  case TfDType::Int32:
  case TfDType::UInt32:
  case TfDType::QInt32:
    return 4;
  case TfDType::Double:
  case TfDType::Int64:
  case TfDType::UInt64:
    return 8;
  default:
    return 0;
  }
}

bool isFloatType(TfDType t) {
  return t == TfDType::Float || t == TfDType::Double || t == TfDType::Half ||
         t == TfDType::BFloat16;
}

/// Decodes tensor_content: raw little-endian elements (tensor.proto).
bool decodeContent(TfTensor &t, StringRef bytes, uint64_t count,
                   Errors &errors) {
  size_t size = contentBytes(t.dtype);
  if (size == 0)
    return errors.fail("has tensor_content of unsupported dtype DT_" +
                       proto::tfDTypeName(t.dtype));
  if (bytes.size() / size != count || bytes.size() % size != 0)
    return errors.fail("has " + Twine(bytes.size()) +
                       " bytes of tensor_content for " + Twine(count) +
                       " elements");
  const auto *p = reinterpret_cast<const uint8_t *>(bytes.data());
  namespace endian = support::endian;
  for (size_t i = 0; i < count; ++i) {
    const uint8_t *e = p + i * size;
    switch (t.dtype) {
    case TfDType::Float:
      t.floats.push_back(
          floatFromBits(APFloat::IEEEsingle(), endian::read32le(e)));
      break;
    case TfDType::Double:
      t.floats.push_back(
          float(APFloat(APFloat::IEEEdouble(), APInt(64, endian::read64le(e)))
                    .convertToDouble()));
      break;
    case TfDType::Half:
      t.floats.push_back(
          floatFromBits(APFloat::IEEEhalf(), endian::read16le(e)));
      break;
    case TfDType::BFloat16:
      t.floats.push_back(floatFromBits(APFloat::BFloat(), endian::read16le(e)));
      break;
    case TfDType::Int8:
    case TfDType::QInt8:
      t.ints.push_back(int8_t(*e));
      break;
    case TfDType::UInt8:
    case TfDType::QUInt8:
      t.ints.push_back(*e);
      break;
    case TfDType::Bool:
      t.ints.push_back(*e != 0);
      break;
    case TfDType::Int16:
      t.ints.push_back(int16_t(endian::read16le(e)));
      break;
    case TfDType::UInt16:
      t.ints.push_back(endian::read16le(e));
      break;
    case TfDType::Int32:
    case TfDType::QInt32:
      t.ints.push_back(int32_t(endian::read32le(e)));
      break;
    case TfDType::UInt32:
      t.ints.push_back(endian::read32le(e));
      break;
    default: // Int64, UInt64
      t.ints.push_back(int64_t(endian::read64le(e)));
      break;
    }
  }
  return true;
}

/// Reads a TensorProto. `hasValues` says whether the JSON held any value
/// field: TF.js keeps Const values in the weight shards instead.
bool parseTensor(const json::Object &obj, TfTensor &t, bool &hasValues,
                 Errors &errors) {
  hasValues = false;
  if (const json::Value *dtype = obj.get("dtype")) {
    std::optional<TfDType> type = parseDType(*dtype);
    if (!type)
      return errors.fail("has an unknown tensor dtype");
    t.dtype = *type;
  }
  if (const json::Object *shape = obj.getObject("tensorShape")) {
    TfShape s;
    if (!parseShape(*shape, s, errors))
      return false;
    t.shape = s.dims;
    t.unknownRank = s.unknownRank;
  }
  if (t.unknownRank || llvm::any_of(t.shape, [](int64_t d) { return d < 0; }))
    return true;
  uint64_t count = 1;
  for (int64_t d : t.shape)
    count = SaturatingMultiply(count, uint64_t(d));
  if (const json::Value *content = obj.get("tensorContent")) {
    std::string bytes;
    if (!parseBase64(*content, bytes))
      return errors.fail("has tensor_content that is not base64");
    hasValues = true;
    return decodeContent(t, bytes, count, errors);
  }
  // The typed *_val lists: a shorter list repeats its last value and an
  // absent one means zeros (tensor_util's MakeNdarray).
  static constexpr StringLiteral listNames[] = {
      "floatVal", "doubleVal", "halfVal",   "intVal",    "int64Val",
      "boolVal",  "uint32Val", "uint64Val", "stringVal",
  };
  for (StringLiteral name : listNames) {
    const json::Array *list = obj.getArray(name);
    if (!list || list->empty())
      continue;
    hasValues = true;
    if (list->size() > count)
      return errors.fail("has " + Twine(list->size()) + " values in " + name +
                         " for " + Twine(count) + " elements");
    for (const json::Value &v : *list) {
      if (name == "stringVal") {
        std::string s;
        if (!parseBase64(v, s))
          return errors.fail("has a string value that is not base64");
        t.strings.push_back(s);
      } else if (name == "boolVal") {
        std::optional<bool> b = v.getAsBoolean();
        if (!b)
          return errors.fail("has a malformed boolVal");
        t.ints.push_back(*b);
      } else if (name == "halfVal") {
        // half_val holds the raw 16 bits of each half or bfloat16.
        std::optional<int64_t> bits = parseInt(v);
        if (!bits)
          return errors.fail("has a malformed halfVal");
        t.floats.push_back(floatFromBits(t.dtype == TfDType::BFloat16
                                             ? APFloat::BFloat()
                                             : APFloat::IEEEhalf(),
                                         uint64_t(*bits) & 0xffff));
      } else if (name == "floatVal" || name == "doubleVal") {
        std::optional<float> f = parseFloat(v);
        if (!f)
          return errors.fail("has a malformed " + name);
        t.floats.push_back(*f);
      } else {
        std::optional<int64_t> n = parseInt(v);
        if (!n)
          return errors.fail("has a malformed " + name);
        t.ints.push_back(*n);
      }
    }
    break;
  }
  // Expanding a short list is bounded so that a bad shape cannot exhaust
  // memory; a tensor without values (a TF.js Const, whose value is a
  // weight) is zero-filled only when small.
  constexpr uint64_t kMaxExpanded = uint64_t(1) << 24;
  constexpr uint64_t kMaxZeroFilled = uint64_t(1) << 16;
  if (hasValues && count > kMaxExpanded)
    return errors.fail("has " + Twine(count) +
                       " elements, too many to expand from a value list");
  if (!hasValues && count > kMaxZeroFilled)
    return true;
  auto pad = [&](auto &values, auto zero) {
    if (values.empty())
      values.assign(count, zero);
    else
      values.resize(count, values.back());
  };
  if (isFloatType(t.dtype))
    pad(t.floats, 0.0f);
  else if (t.dtype == TfDType::String)
    pad(t.strings, std::string());
  else if (contentBytes(t.dtype) != 0)
    pad(t.ints, int64_t(0));
  return true;
}

bool parseAttr(const json::Object &obj, TfAttr &a, Errors &errors);

std::optional<bool> parseBool(const json::Value &v) { return v.getAsBoolean(); }

bool parseList(const json::Object &list, TfAttr &a, Errors &errors) {
  a.kind = TfAttr::ListEmpty;
  auto each = [&](StringRef key, TfAttr::Kind kind, auto fn) {
    const json::Array *values = list.getArray(key);
    if (!values || values->empty() || a.kind != TfAttr::ListEmpty)
      return true;
    a.kind = kind;
    for (const json::Value &v : *values)
      if (!fn(v))
        return errors.fail("has a malformed list entry in '" + key + "'");
    return true;
  };
  // An entry function appending what `parse` reads (an optional) to `out`.
  auto into = [](auto &out, auto parse) {
    return [&out, parse](const json::Value &v) {
      auto parsed = parse(v);
      if (parsed)
        out.push_back(*parsed);
      return parsed.has_value();
    };
  };
  return each("s", TfAttr::ListString,
              [&](const json::Value &v) {
                std::string s;
                if (!parseBase64(v, s))
                  return false;
                a.listS.push_back(s);
                return true;
              }) &&
         each("i", TfAttr::ListInt, into(a.listI, parseInt)) &&
         each("f", TfAttr::ListFloat, into(a.listF, parseFloat)) &&
         each("b", TfAttr::ListBool, into(a.listB, parseBool)) &&
         each("type", TfAttr::ListType, into(a.listType, parseDType)) &&
         each("shape", TfAttr::ListShape,
              [&](const json::Value &v) {
                const json::Object *o = v.getAsObject();
                a.listShape.emplace_back();
                return o && parseShape(*o, a.listShape.back(), errors);
              }) &&
         each("tensor", TfAttr::ListTensor,
              [&](const json::Value &v) {
                const json::Object *o = v.getAsObject();
                a.listTensor.emplace_back();
                bool hasValues;
                return o &&
                       parseTensor(*o, a.listTensor.back(), hasValues, errors);
              }) &&
         each("func", TfAttr::ListFunc, [&](const json::Value &v) {
           const json::Object *o = v.getAsObject();
           json::Object wrapped;
           if (o)
             wrapped["func"] = json::Value(json::Object(*o));
           a.listFunc.emplace_back();
           return o && parseAttr(wrapped, a.listFunc.back(), errors);
         });
}

bool parseAttr(const json::Object &obj, TfAttr &a, Errors &errors) {
  if (const json::Value *v = obj.get("s")) {
    a.kind = TfAttr::String;
    return parseBase64(*v, a.s) || errors.fail("has a string not in base64");
  }
  // A scalar field: `field` gets what `parse` reads, or its zero value
  // when that is malformed (and reported).
  auto scalar = [&](const json::Value &v, TfAttr::Kind kind, auto &field,
                    auto parse, const char *malformed) {
    a.kind = kind;
    auto parsed = parse(v);
    field = parsed.value_or(std::decay_t<decltype(field)>());
    return parsed.has_value() || errors.fail(malformed);
  };
  if (const json::Value *v = obj.get("i"))
    return scalar(*v, TfAttr::Int, a.i, parseInt, "has a malformed int");
  if (const json::Value *v = obj.get("f"))
    return scalar(*v, TfAttr::Float, a.f, parseFloat, "has a malformed float");
  if (const json::Value *v = obj.get("b"))
    return scalar(*v, TfAttr::Bool, a.b, parseBool, "has a malformed bool");
  if (const json::Value *v = obj.get("type"))
    return scalar(*v, TfAttr::Type, a.type, parseDType, "has an unknown dtype");
  if (const json::Object *v = obj.getObject("shape")) {
    a.kind = TfAttr::Shape;
    return parseShape(*v, a.shape, errors);
  }
  if (const json::Object *v = obj.getObject("tensor")) {
    a.kind = TfAttr::Tensor;
    bool hasValues;
    return parseTensor(*v, a.tensor, hasValues, errors);
  }
  if (const json::Object *v = obj.getObject("list"))
    return parseList(*v, a, errors);
  if (const json::Object *v = obj.getObject("func")) {
    a.kind = TfAttr::Func;
    a.s = v->getString("name").value_or("").str();
    if (const json::Object *attrs = v->getObject("attr"))
      for (const auto &[name, value] : *attrs) {
        const json::Object *o = value.getAsObject();
        if (!o || !parseAttr(*o, a.funcAttrs[name.str()], errors))
          return errors.fail("has a malformed function attr");
      }
    return true;
  }
  if (std::optional<StringRef> v = obj.getString("placeholder")) {
    a.kind = TfAttr::Placeholder;
    a.s = v->str();
  }
  return true;
}

/// The conversion behind tfjsTopologyToTfGraph; also lists the Const nodes
/// whose tensor holds no value of its own.
bool convertTopology(const json::Object &topology, proto::TfGraph &graph,
                     StringSet<> &valueless, std::string &error) {
  const json::Array *nodes = topology.getArray("node");
  if (!nodes) {
    error = topology.get("model_config") || topology.get("class_name")
                ? "modelTopology is a Keras model: this is a TF.js layers "
                  "model, not a graph model"
                : "modelTopology has no 'node' list";
    return false;
  }
  for (auto [index, value] : llvm::enumerate(*nodes)) {
    const json::Object *obj = value.getAsObject();
    if (!obj) {
      error =
          "modelTopology node " + std::to_string(index) + " is not an object";
      return false;
    }
    proto::TfNode node;
    node.name = obj->getString("name").value_or("").str();
    node.op = obj->getString("op").value_or("").str();
    node.device = obj->getString("device").value_or("").str();
    std::string where = "node '" + node.name + "' (" + node.op + ")";
    if (const json::Array *inputs = obj->getArray("input"))
      for (const json::Value &input : *inputs) {
        std::optional<StringRef> s = input.getAsString();
        if (!s) {
          error = where + ": has an input that is not a string";
          return false;
        }
        node.inputs.push_back(s->str());
      }
    if (const json::Object *attrs = obj->getObject("attr"))
      for (const auto &[name, attrValue] : *attrs) {
        Errors errors;
        const json::Object *a = attrValue.getAsObject();
        if (!a)
          errors.fail("is not an object");
        else if (name == "value" && node.op == "Const") {
          TfAttr &attr = node.attrs["value"];
          bool hasValues = false;
          if (const json::Object *t = a->getObject("tensor")) {
            attr.kind = TfAttr::Tensor;
            if (parseTensor(*t, attr.tensor, hasValues, errors) && !hasValues &&
                attr.tensor.numElements() != 0)
              valueless.insert(node.name);
          } else {
            parseAttr(*a, attr, errors);
          }
        } else {
          parseAttr(*a, node.attrs[name.str()], errors);
        }
        if (!errors.message.empty()) {
          error = where + ": attr '" + name.str() + "' " + errors.message;
          return false;
        }
      }
    graph.nodes.push_back(std::move(node));
  }
  if (const json::Object *versions = topology.getObject("versions")) {
    auto field = [&](StringRef key) {
      const json::Value *v = versions->get(key);
      return v ? int(parseInt(*v).value_or(0)) : 0;
    };
    graph.producer = field("producer");
    graph.minConsumer = field("minConsumer");
  }
  if (const json::Object *library = topology.getObject("library"))
    if (const json::Array *functions = library->getArray("function"))
      graph.numLibraryFunctions = int(functions->size());
  return true;
}

/// Makes `weight` the value of its Const node.
bool attachWeight(TfjsWeight &weight, proto::TfNode &node, std::string &error) {
  std::string where = "node '" + node.name + "' (" + node.op + ")";
  if (node.op != "Const") {
    error = "weight '" + weight.name + "' names " + where +
            ", which is not a Const";
    return false;
  }
  TfAttr &value = node.attrs["value"];
  TfTensor &t = value.tensor;
  if (value.kind == TfAttr::Tensor && !t.unknownRank && !t.shape.empty()) {
    int64_t declared = t.numElements();
    int64_t count = 1;
    for (int64_t d : weight.shape)
      count *= d;
    if (declared >= 0 && declared != count) {
      error = "weight '" + weight.name + "' has " + std::to_string(count) +
              " elements but " + where + " declares " +
              std::to_string(declared);
      return false;
    }
  }
  value.kind = TfAttr::Tensor;
  t = TfTensor();
  t.shape = weight.shape;
  if (weight.dtype == "float32") {
    t.dtype = TfDType::Float;
    t.floats = std::move(weight.floats);
  } else {
    t.dtype = weight.dtype == "bool" ? TfDType::Bool : TfDType::Int32;
    t.ints = std::move(weight.ints);
  }
  return true;
}

} // namespace

bool tfjsTopologyToTfGraph(const json::Object &topology, proto::TfGraph &graph,
                           std::string &error) {
  StringSet<> valueless;
  return convertTopology(topology, graph, valueless, error);
}

mlir::OwningOpRef<mlir::ModuleOp>
importTfjsGraphModel(StringRef json, StringRef fileName,
                     mlir::MLIRContext *context,
                     const GraphDefImportOptions &options) {
  mlir::Location loc = mlir::FileLineColLoc::get(context, fileName, 0, 0);
  Expected<json::Value> parsed = json::parse(json);
  if (!parsed) {
    mlir::emitError(loc) << "cannot parse model.json: "
                         << toString(parsed.takeError());
    return nullptr;
  }
  const json::Object *model = parsed->getAsObject();
  if (!model) {
    mlir::emitError(loc) << "model.json is not a JSON object";
    return nullptr;
  }
  std::optional<StringRef> format = model->getString("format");
  if (format && *format != "graph-model") {
    mlir::emitError(loc) << "model.json has format '" << *format
                         << "', not a TF.js graph model";
    return nullptr;
  }
  const json::Object *topology = model->getObject("modelTopology");
  if (!topology) {
    mlir::emitError(loc) << "model.json has no 'modelTopology'";
    return nullptr;
  }
  proto::TfGraph graph;
  StringSet<> valueless;
  std::string error;
  if (!convertTopology(*topology, graph, valueless, error)) {
    mlir::emitError(loc) << error;
    return nullptr;
  }

  std::vector<TfjsWeight> weights;
  if (const json::Value *manifest = model->get("weightsManifest")) {
    const json::Array *groups = manifest->getAsArray();
    if (!groups) {
      mlir::emitError(loc) << "'weightsManifest' is not a list";
      return nullptr;
    }
    StringRef baseDir = sys::path::parent_path(fileName);
    if (!readTfjsWeights(*groups, baseDir, weights, error)) {
      mlir::emitError(loc) << error;
      return nullptr;
    }
  }
  StringMap<proto::TfNode *> byName;
  for (proto::TfNode &node : graph.nodes)
    byName[node.name] = &node;
  // Weights of nodes the topology lacks are skipped, as TF.js does.
  for (TfjsWeight &weight : weights) {
    proto::TfNode *node = byName.lookup(weight.name);
    if (!node)
      continue;
    if (!attachWeight(weight, *node, error)) {
      mlir::emitError(loc) << error;
      return nullptr;
    }
    valueless.erase(weight.name);
  }
  for (const proto::TfNode &node : graph.nodes)
    if (valueless.contains(node.name)) {
      mlir::emitError(loc) << "node '" << node.name
                           << "' (Const): has no value and no weight in "
                              "the weightsManifest";
      return nullptr;
    }
  return importTfGraph(graph, fileName, context, options);
}

} // namespace vai

//===- GraphDef.cpp - TensorFlow GraphDef <-> plain structs ---------------===//
//
// Converts between tensorflow.GraphDef (tf_graph.proto) and the std-only
// structs of vai/Proto/GraphDef.h, decoding tensor values on the way in.
// Built with -fexceptions: every public entry point catches everything so
// nothing escapes into the -fno-exceptions code that calls it.
//
//===----------------------------------------------------------------------===//

#include "vai/Proto/GraphDef.h"

#include "tf_graph.pb.h"

#include <google/protobuf/text_format.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <utility>

#include "ProtoSupport.h"

using namespace vai::proto;

namespace tf = tensorflow;

namespace {

//===----------------------------------------------------------------------===//
// Tensor decoding
//===----------------------------------------------------------------------===//

/// How a dtype's values are stored: which TfTensor vector, the byte width of
/// one value in tensor_content, and values per element (2 for complex).
enum class Store { None, Floats, Ints, Strings };
struct Layout {
  Store store = Store::None;
  size_t width = 0;
  int64_t group = 1;
};

Layout layoutOf(TfDType type) {
  switch (type) {
  case TfDType::Float:
    return {Store::Floats, 4, 1};
  case TfDType::Double:
    return {Store::Floats, 8, 1};
  case TfDType::Half:
  case TfDType::BFloat16:
    return {Store::Floats, 2, 1};
  case TfDType::Complex64:
    return {Store::Floats, 4, 2};
  case TfDType::Complex128:
    return {Store::Floats, 8, 2};
  case TfDType::Int8:
  case TfDType::UInt8:
  case TfDType::QInt8:
  case TfDType::QUInt8:
  case TfDType::Bool:
    return {Store::Ints, 1, 1};
  case TfDType::Int16:
  case TfDType::UInt16:
  case TfDType::QInt16:
  case TfDType::QUInt16:
    return {Store::Ints, 2, 1};
  case TfDType::Int32:
  case TfDType::UInt32:
  case TfDType::QInt32:
    return {Store::Ints, 4, 1};
  case TfDType::Int64:
  case TfDType::UInt64:
    return {Store::Ints, 8, 1};
  case TfDType::String:
    return {Store::Strings, 0, 1};
  default:
    return {};
  }
}

template <typename T> T loadRaw(const char *p) {
  T v;
  std::memcpy(&v, p, sizeof(T));
  return v;
}

/// One value of tensor_content, widened to float (host byte order is
/// little-endian on every target vai runs on, as in TensorFlow's files).
float loadFloat(TfDType type, const char *p) {
  switch (type) {
  case TfDType::Double:
  case TfDType::Complex128:
    return static_cast<float>(loadRaw<double>(p));
  case TfDType::Half:
    return halfToFloat(loadRaw<uint16_t>(p));
  case TfDType::BFloat16:
    return bf16ToFloat(loadRaw<uint16_t>(p));
  default:
    return loadRaw<float>(p);
  }
}

int64_t loadInt(TfDType type, const char *p) {
  switch (type) {
  case TfDType::Int8:
  case TfDType::QInt8:
    return loadRaw<int8_t>(p);
  case TfDType::UInt8:
  case TfDType::QUInt8:
    return loadRaw<uint8_t>(p);
  case TfDType::Bool:
    return loadRaw<uint8_t>(p) != 0;
  case TfDType::Int16:
  case TfDType::QInt16:
    return loadRaw<int16_t>(p);
  case TfDType::UInt16:
  case TfDType::QUInt16:
    return loadRaw<uint16_t>(p);
  case TfDType::Int32:
  case TfDType::QInt32:
    return loadRaw<int32_t>(p);
  case TfDType::UInt32:
    return loadRaw<uint32_t>(p);
  default: // Int64, UInt64 (kept as its bits)
    return loadRaw<int64_t>(p);
  }
}

/// Copies a typed *_val list into `out`, applying TensorFlow's fill rule:
/// no values -> zeros, fewer values than elements -> repeat the last element
/// (for complex types the last pair), more -> error.
template <typename Out, typename Repeated, typename Conv>
bool fillFromVals(const Repeated &vals, int64_t count, int64_t group,
                  std::vector<Out> &out, Conv conv, std::string &error) {
  int64_t have = vals.size();
  if (have > count) {
    error = "has " + std::to_string(have / group) + " values for " +
            std::to_string(count / group) + " elements";
    return false;
  }
  if (have % group != 0) {
    error = "has an odd number of complex components";
    return false;
  }
  out.clear();
  out.reserve(count);
  for (const auto &v : vals)
    out.push_back(conv(v));
  if (have == 0) {
    out.resize(count, Out());
    return true;
  }
  while (static_cast<int64_t>(out.size()) < count)
    for (int64_t k = 0; k < group; ++k)
      out.push_back(out[have - group + k]);
  return true;
}

bool decodeTensor(const tf::TensorProto &p, TfTensor &t, std::string &error) {
  t = TfTensor();
  t.dtype = static_cast<TfDType>(p.dtype());
  t.unknownRank = p.tensor_shape().unknown_rank();
  for (const auto &dim : p.tensor_shape().dim()) {
    if (dim.size() < 0) {
      error = "tensor has unknown dimension " + std::to_string(dim.size());
      return false;
    }
    t.shape.push_back(dim.size());
  }
  // Reject absurd sizes before the zero-fill rule allocates them.
  int64_t n = 1;
  for (int64_t dim : t.shape) {
    if (dim != 0 && n > (int64_t(1) << 34) / dim) {
      error = "tensor is too large";
      return false;
    }
    n *= dim;
  }

  Layout layout = layoutOf(t.dtype);
  int64_t count = n * layout.group;
  const std::string &content = p.tensor_content();
  if (layout.store == Store::None)
    return true; // resource, variant, float8, int4, refs: values not decoded

  if (!content.empty()) {
    if (layout.store == Store::Strings) {
      error = "string tensor_content is not supported";
      return false;
    }
    if (content.size() != static_cast<uint64_t>(count) * layout.width) {
      error = "tensor_content has " + std::to_string(content.size()) +
              " bytes, expected " +
              std::to_string(static_cast<uint64_t>(count) * layout.width);
      return false;
    }
    const char *data = content.data();
    if (layout.store == Store::Floats) {
      t.floats.resize(count);
      for (int64_t k = 0; k < count; ++k)
        t.floats[k] = loadFloat(t.dtype, data + k * layout.width);
    } else {
      t.ints.resize(count);
      for (int64_t k = 0; k < count; ++k)
        t.ints[k] = loadInt(t.dtype, data + k * layout.width);
    }
    return true;
  }

  auto same = [](auto v) { return v; };
  auto toFloat = [](auto v) { return static_cast<float>(v); };
  auto toInt = [](auto v) { return static_cast<int64_t>(v); };
  switch (t.dtype) {
  case TfDType::Float:
    return fillFromVals(p.float_val(), count, 1, t.floats, same, error);
  case TfDType::Double:
    return fillFromVals(p.double_val(), count, 1, t.floats, toFloat, error);
  case TfDType::Half:
    return fillFromVals(
        p.half_val(), count, 1, t.floats,
        [](int32_t v) { return halfToFloat(static_cast<uint16_t>(v)); }, error);
  case TfDType::BFloat16:
    return fillFromVals(
        p.half_val(), count, 1, t.floats,
        [](int32_t v) { return bf16ToFloat(static_cast<uint16_t>(v)); }, error);
  case TfDType::Complex64:
    return fillFromVals(p.scomplex_val(), count, 2, t.floats, same, error);
  case TfDType::Complex128:
    return fillFromVals(p.dcomplex_val(), count, 2, t.floats, toFloat, error);
  case TfDType::Int64:
    return fillFromVals(p.int64_val(), count, 1, t.ints, toInt, error);
  case TfDType::UInt32:
    return fillFromVals(p.uint32_val(), count, 1, t.ints, toInt, error);
  case TfDType::UInt64:
    return fillFromVals(p.uint64_val(), count, 1, t.ints, toInt, error);
  case TfDType::Bool:
    return fillFromVals(p.bool_val(), count, 1, t.ints, toInt, error);
  case TfDType::String:
    return fillFromVals(
        p.string_val(), count, 1, t.strings,
        [](const std::string &s) { return s; }, error);
  default: // int32/16/8, uint16/8 and the quantized ints use int_val
    return fillFromVals(p.int_val(), count, 1, t.ints, toInt, error);
  }
}

//===----------------------------------------------------------------------===//
// Tensor encoding
//===----------------------------------------------------------------------===//

template <typename T> void storeRaw(std::string &out, T v) {
  char buf[sizeof(T)];
  std::memcpy(buf, &v, sizeof(T));
  out.append(buf, sizeof(T));
}

void storeFloat(std::string &out, TfDType type, float v) {
  switch (type) {
  case TfDType::Double:
  case TfDType::Complex128:
    return storeRaw<double>(out, v);
  case TfDType::Half:
    return storeRaw<uint16_t>(out, floatToHalf(v));
  case TfDType::BFloat16:
    return storeRaw<uint16_t>(out, floatToBf16(v));
  default:
    return storeRaw<float>(out, v);
  }
}

void storeInt(std::string &out, size_t width, int64_t v) {
  switch (width) {
  case 1:
    return storeRaw<uint8_t>(out, static_cast<uint8_t>(v));
  case 2:
    return storeRaw<uint16_t>(out, static_cast<uint16_t>(v));
  case 4:
    return storeRaw<uint32_t>(out, static_cast<uint32_t>(v));
  default:
    return storeRaw<int64_t>(out, v);
  }
}

/// Writes the single element `t` holds as a one-entry *_val list, which
/// TensorFlow repeats over the whole shape.
void encodeSplat(const TfTensor &t, tf::TensorProto &p) {
  switch (t.dtype) {
  case TfDType::Float:
    p.add_float_val(t.floats[0]);
    return;
  case TfDType::Double:
    p.add_double_val(t.floats[0]);
    return;
  case TfDType::Half:
    p.add_half_val(floatToHalf(t.floats[0]));
    return;
  case TfDType::BFloat16:
    p.add_half_val(floatToBf16(t.floats[0]));
    return;
  case TfDType::Complex64:
    p.add_scomplex_val(t.floats[0]);
    p.add_scomplex_val(t.floats[1]);
    return;
  case TfDType::Complex128:
    p.add_dcomplex_val(t.floats[0]);
    p.add_dcomplex_val(t.floats[1]);
    return;
  case TfDType::Int64:
    p.add_int64_val(t.ints[0]);
    return;
  case TfDType::UInt32:
    p.add_uint32_val(static_cast<uint32_t>(t.ints[0]));
    return;
  case TfDType::UInt64:
    p.add_uint64_val(static_cast<uint64_t>(t.ints[0]));
    return;
  case TfDType::Bool:
    p.add_bool_val(t.ints[0] != 0);
    return;
  case TfDType::String:
    p.add_string_val(t.strings[0]);
    return;
  default:
    p.add_int_val(static_cast<int32_t>(t.ints[0]));
    return;
  }
}

bool encodeTensor(const TfTensor &t, tf::TensorProto &p, std::string &error) {
  p.set_dtype(static_cast<tf::DataType>(t.dtype));
  tf::TensorShapeProto *shape = p.mutable_tensor_shape();
  if (t.unknownRank)
    shape->set_unknown_rank(true);
  for (int64_t dim : t.shape)
    shape->add_dim()->set_size(dim);

  Layout layout = layoutOf(t.dtype);
  if (layout.store == Store::None)
    return true;
  int64_t count = t.numElements() * layout.group;
  size_t have = layout.store == Store::Floats ? t.floats.size()
                : layout.store == Store::Ints ? t.ints.size()
                                              : t.strings.size();
  if (have == 0)
    return true; // no values: TensorFlow reads zeros
  if (static_cast<int64_t>(have) != count) {
    if (static_cast<int64_t>(have) == layout.group && count > 0) {
      encodeSplat(t, p);
      return true;
    }
    error = tfDTypeName(t.dtype) + " tensor has " + std::to_string(have) +
            " values for " + std::to_string(count) + " elements";
    return false;
  }
  if (layout.store == Store::Strings) {
    for (const std::string &s : t.strings)
      p.add_string_val(s);
    return true;
  }
  std::string content;
  content.reserve(count * layout.width);
  if (layout.store == Store::Floats) {
    for (float v : t.floats)
      storeFloat(content, t.dtype, v);
  } else {
    for (int64_t v : t.ints)
      storeInt(content, layout.width, v);
  }
  p.set_tensor_content(std::move(content));
  return true;
}

//===----------------------------------------------------------------------===//
// Shapes and attributes
//===----------------------------------------------------------------------===//

TfShape decodeShape(const tf::TensorShapeProto &p) {
  TfShape s;
  s.unknownRank = p.unknown_rank();
  for (const auto &dim : p.dim())
    s.dims.push_back(dim.size());
  return s;
}

void encodeShape(const TfShape &s, tf::TensorShapeProto &p) {
  if (s.unknownRank)
    p.set_unknown_rank(true);
  for (int64_t dim : s.dims)
    p.add_dim()->set_size(dim);
}

bool decodeAttr(const tf::AttrValue &v, TfAttr &a, std::string &error);

bool decodeFunc(const tf::NameAttrList &f, TfAttr &a, std::string &error) {
  a.kind = TfAttr::Func;
  a.s = f.name();
  for (const auto &entry : f.attr()) {
    TfAttr sub;
    if (!decodeAttr(entry.second, sub, error)) {
      prefixAttrError("function '" + f.name() + "'", entry.first, error);
      return false;
    }
    a.funcAttrs.emplace(entry.first, std::move(sub));
  }
  return true;
}

bool decodeList(const tf::AttrValue::ListValue &l, TfAttr &a,
                std::string &error) {
  // The wire form does not name the element type: take the first non-empty
  // field, as a list attr only ever uses one.
  if (l.s_size()) {
    a.kind = TfAttr::ListString;
    a.listS.assign(l.s().begin(), l.s().end());
  } else if (l.i_size()) {
    a.kind = TfAttr::ListInt;
    a.listI.assign(l.i().begin(), l.i().end());
  } else if (l.f_size()) {
    a.kind = TfAttr::ListFloat;
    a.listF.assign(l.f().begin(), l.f().end());
  } else if (l.b_size()) {
    a.kind = TfAttr::ListBool;
    a.listB.assign(l.b().begin(), l.b().end());
  } else if (l.type_size()) {
    a.kind = TfAttr::ListType;
    for (int type : l.type())
      a.listType.push_back(static_cast<TfDType>(type));
  } else if (l.shape_size()) {
    a.kind = TfAttr::ListShape;
    for (const auto &shape : l.shape())
      a.listShape.push_back(decodeShape(shape));
  } else if (l.tensor_size()) {
    a.kind = TfAttr::ListTensor;
    for (const auto &tensor : l.tensor()) {
      a.listTensor.emplace_back();
      if (!decodeTensor(tensor, a.listTensor.back(), error))
        return false;
    }
  } else if (l.func_size()) {
    a.kind = TfAttr::ListFunc;
    for (const auto &func : l.func()) {
      a.listFunc.emplace_back();
      if (!decodeFunc(func, a.listFunc.back(), error))
        return false;
    }
  } else {
    a.kind = TfAttr::ListEmpty;
  }
  return true;
}

bool decodeAttr(const tf::AttrValue &v, TfAttr &a, std::string &error) {
  switch (v.value_case()) {
  case tf::AttrValue::VALUE_NOT_SET:
    a.kind = TfAttr::None;
    return true;
  case tf::AttrValue::kS:
    a.kind = TfAttr::String;
    a.s = v.s();
    return true;
  case tf::AttrValue::kI:
    a.kind = TfAttr::Int;
    a.i = v.i();
    return true;
  case tf::AttrValue::kF:
    a.kind = TfAttr::Float;
    a.f = v.f();
    return true;
  case tf::AttrValue::kB:
    a.kind = TfAttr::Bool;
    a.b = v.b();
    return true;
  case tf::AttrValue::kType:
    a.kind = TfAttr::Type;
    a.type = static_cast<TfDType>(v.type());
    return true;
  case tf::AttrValue::kShape:
    a.kind = TfAttr::Shape;
    a.shape = decodeShape(v.shape());
    return true;
  case tf::AttrValue::kTensor:
    a.kind = TfAttr::Tensor;
    return decodeTensor(v.tensor(), a.tensor, error);
  case tf::AttrValue::kList:
    return decodeList(v.list(), a, error);
  case tf::AttrValue::kFunc:
    return decodeFunc(v.func(), a, error);
  case tf::AttrValue::kPlaceholder:
    a.kind = TfAttr::Placeholder;
    a.s = v.placeholder();
    return true;
  }
  a.kind = TfAttr::None;
  return true;
}

bool encodeAttr(const TfAttr &a, tf::AttrValue &v, std::string &error);

bool encodeFunc(const TfAttr &a, tf::NameAttrList &f, std::string &error) {
  f.set_name(a.s);
  for (const auto &entry : a.funcAttrs)
    if (!encodeAttr(entry.second, (*f.mutable_attr())[entry.first], error))
      return false;
  return true;
}

bool encodeAttr(const TfAttr &a, tf::AttrValue &v, std::string &error) {
  switch (a.kind) {
  case TfAttr::None:
    return true;
  case TfAttr::String:
    v.set_s(a.s);
    return true;
  case TfAttr::Int:
    v.set_i(a.i);
    return true;
  case TfAttr::Float:
    v.set_f(a.f);
    return true;
  case TfAttr::Bool:
    v.set_b(a.b);
    return true;
  case TfAttr::Type:
    v.set_type(static_cast<tf::DataType>(a.type));
    return true;
  case TfAttr::Shape:
    encodeShape(a.shape, *v.mutable_shape());
    return true;
  case TfAttr::Tensor:
    return encodeTensor(a.tensor, *v.mutable_tensor(), error);
  case TfAttr::Func:
    return encodeFunc(a, *v.mutable_func(), error);
  case TfAttr::Placeholder:
    v.set_placeholder(a.s);
    return true;
  default:
    break;
  }
  // Lists.
  tf::AttrValue::ListValue *l = v.mutable_list();
  switch (a.kind) {
  case TfAttr::ListString:
    for (const std::string &s : a.listS)
      l->add_s(s);
    break;
  case TfAttr::ListInt:
    for (int64_t i : a.listI)
      l->add_i(i);
    break;
  case TfAttr::ListFloat:
    for (float f : a.listF)
      l->add_f(f);
    break;
  case TfAttr::ListBool:
    for (bool b : a.listB)
      l->add_b(b);
    break;
  case TfAttr::ListType:
    for (TfDType type : a.listType)
      l->add_type(static_cast<tf::DataType>(type));
    break;
  case TfAttr::ListShape:
    for (const TfShape &shape : a.listShape)
      encodeShape(shape, *l->add_shape());
    break;
  case TfAttr::ListTensor:
    for (const TfTensor &tensor : a.listTensor)
      if (!encodeTensor(tensor, *l->add_tensor(), error))
        return false;
    break;
  case TfAttr::ListFunc:
    for (const TfAttr &func : a.listFunc)
      if (!encodeFunc(func, *l->add_func(), error))
        return false;
    break;
  case TfAttr::ListEmpty:
    break;
  default:
    error = "invalid TfAttr kind " + std::to_string(static_cast<int>(a.kind));
    return false;
  }
  return true;
}

/// TensorFlow's DataType names, indexed by value (0..32).
const char *const kDTypeNames[] = {
    "INVALID",
    "FLOAT",
    "DOUBLE",
    "INT32",
    "UINT8",
    "INT16",
    "INT8",
    "STRING",
    "COMPLEX64",
    "INT64",
    "BOOL",
    "QINT8",
    "QUINT8",
    "QINT32",
    "BFLOAT16",
    "QINT16",
    "QUINT16",
    "UINT16",
    "COMPLEX128",
    "HALF",
    "RESOURCE",
    "VARIANT",
    "UINT32",
    "UINT64",
    "FLOAT8_E5M2",
    "FLOAT8_E4M3FN",
    "FLOAT8_E4M3FNUZ",
    "FLOAT8_E4M3B11FNUZ",
    "FLOAT8_E5M2FNUZ",
    "INT4",
    "UINT4",
    "INT2",
    "UINT2",
};
constexpr int kNumDTypeNames = sizeof(kDTypeNames) / sizeof(kDTypeNames[0]);

} // namespace

//===----------------------------------------------------------------------===//
// Entry points
//===----------------------------------------------------------------------===//

std::string vai::proto::tfDTypeName(TfDType type) {
  int value = static_cast<int>(type);
  if (value >= 0 && value < kNumDTypeNames)
    return kDTypeNames[value];
  if (value > 100 && value - 100 < kNumDTypeNames)
    return std::string(kDTypeNames[value - 100]) + "_REF";
  return "UNKNOWN(" + std::to_string(value) + ")";
}

int64_t TfTensor::numElements() const {
  int64_t n = 1;
  for (int64_t dim : shape)
    n *= dim;
  return n;
}

bool vai::proto::parseGraphDef(const std::string &bytes, bool text,
                               TfGraph &graph, std::string &error) {
  return runGuarded("GraphDef parse", error, [&] {
    tf::GraphDef gd;
    // TensorFlow's schema has fields this subset leaves out; the text parser
    // skips them as the binary parser does. Positions read "line 3:7", as
    // TensorFlow prints them.
    if (text) {
      if (!parseTextSkippingUnknown(bytes, gd, ":", error)) {
        error = "text-format GraphDef: " + error;
        return false;
      }
    } else if (!gd.ParseFromString(bytes)) {
      error = "truncated or malformed binary GraphDef";
      return false;
    }

    TfGraph out;
    out.producer = gd.versions().producer();
    out.minConsumer = gd.versions().min_consumer();
    out.numLibraryFunctions = gd.library().function_size();
    out.nodes.reserve(gd.node_size());
    for (const tf::NodeDef &nd : gd.node()) {
      TfNode node;
      node.name = nd.name();
      node.op = nd.op();
      node.device = nd.device();
      node.inputs.assign(nd.input().begin(), nd.input().end());
      for (const auto &entry : nd.attr()) {
        TfAttr attr;
        if (!decodeAttr(entry.second, attr, error)) {
          prefixAttrError("node '" + nd.name() + "'", entry.first, error);
          return false;
        }
        node.attrs.emplace(entry.first, std::move(attr));
      }
      out.nodes.push_back(std::move(node));
    }
    graph = std::move(out);
    return true;
  });
}

bool vai::proto::writeGraphDef(const TfGraph &graph, bool text,
                               std::string &bytes, std::string &error) {
  return runGuarded("GraphDef write", error, [&] {
    tf::GraphDef gd;
    for (const TfNode &node : graph.nodes) {
      tf::NodeDef *nd = gd.add_node();
      nd->set_name(node.name);
      nd->set_op(node.op);
      for (const std::string &input : node.inputs)
        nd->add_input(input);
      if (!node.device.empty())
        nd->set_device(node.device);
      for (const auto &entry : node.attrs) {
        if (!encodeAttr(entry.second, (*nd->mutable_attr())[entry.first],
                        error)) {
          prefixAttrError("node '" + node.name + "'", entry.first, error);
          return false;
        }
      }
    }
    if (graph.producer || graph.minConsumer) {
      gd.mutable_versions()->set_producer(graph.producer);
      gd.mutable_versions()->set_min_consumer(graph.minConsumer);
    }
    if (text) {
      // The text printer sorts map entries by key, so this is deterministic.
      if (!google::protobuf::TextFormat::PrintToString(gd, &bytes)) {
        error = "text-format GraphDef printing failed";
        return false;
      }
      return true;
    }
    if (!serializeDeterministic(gd, bytes)) {
      error = "GraphDef serialization failed";
      return false;
    }
    return true;
  });
}

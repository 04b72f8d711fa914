//===- Onnx.cpp - ONNX ModelProto <-> plain structs -----------------------===//
//
// Converts between onnx.ModelProto / onnx.TensorProto (onnx.proto) and the
// std-only structs of vai/Proto/Onnx.h, decoding tensor values on the way
// in. Built with -fexceptions: every public entry point catches everything
// so nothing escapes into the -fno-exceptions code that calls it.
//
//===----------------------------------------------------------------------===//

#include "vai/Proto/Onnx.h"

#include "onnx.pb.h"

#include <cmath>
#include <cstring>
#include <utility>

#include "ProtoSupport.h"

using namespace vai::proto;

namespace {

/// Element counts above this are rejected before anything is allocated
/// (protobuf caps a message at 2 GiB, so no real tensor comes near it).
constexpr int64_t kMaxElements = int64_t(1) << 40;

//===----------------------------------------------------------------------===//
// Half and bfloat16
//===----------------------------------------------------------------------===//

//===----------------------------------------------------------------------===//
// Tensor layout
//===----------------------------------------------------------------------===//

/// Which OnnxTensor vector a dtype's values go to, the byte width of one
/// value in raw_data, and values per element (2 for complex).
enum class Store { None, Floats, Doubles, Ints, Strings };
struct Layout {
  Store store = Store::None;
  size_t width = 0;
  int64_t group = 1;
};

Layout layoutOf(OnnxDType type) {
  switch (type) {
  case OnnxDType::Float:
    return {Store::Floats, 4, 1};
  case OnnxDType::Float16:
  case OnnxDType::BFloat16:
    return {Store::Floats, 2, 1};
  case OnnxDType::Complex64:
    return {Store::Floats, 4, 2};
  case OnnxDType::Double:
    return {Store::Doubles, 8, 1};
  case OnnxDType::Complex128:
    return {Store::Doubles, 8, 2};
  case OnnxDType::Int8:
  case OnnxDType::UInt8:
  case OnnxDType::Bool:
    return {Store::Ints, 1, 1};
  case OnnxDType::Int16:
  case OnnxDType::UInt16:
    return {Store::Ints, 2, 1};
  case OnnxDType::Int32:
  case OnnxDType::UInt32:
    return {Store::Ints, 4, 1};
  case OnnxDType::Int64:
  case OnnxDType::UInt64:
    return {Store::Ints, 8, 1};
  case OnnxDType::String:
    return {Store::Strings, 0, 1};
  default:
    return {};
  }
}

/// The typed field that holds a dtype's values when raw_data is not used.
enum class Field {
  None,
  FloatData,
  Int32Data,
  StringData,
  Int64Data,
  DoubleData,
  UInt64Data
};

Field fieldOf(OnnxDType type) {
  switch (type) {
  case OnnxDType::Float:
  case OnnxDType::Complex64:
    return Field::FloatData;
  case OnnxDType::Double:
  case OnnxDType::Complex128:
    return Field::DoubleData;
  case OnnxDType::Int64:
    return Field::Int64Data;
  case OnnxDType::UInt32:
  case OnnxDType::UInt64:
    return Field::UInt64Data;
  case OnnxDType::String:
    return Field::StringData;
  case OnnxDType::Undefined:
    return Field::None;
  default: // 8/16/32-bit ints, bool, half types, float8, 4-bit, 2-bit
    return Field::Int32Data;
  }
}

/// Wraps \p v into the range of an integer dtype, as a cast would.
int64_t narrowInt(OnnxDType type, int64_t v) {
  switch (type) {
  case OnnxDType::Int8:
    return static_cast<int8_t>(v);
  case OnnxDType::UInt8:
    return static_cast<uint8_t>(v);
  case OnnxDType::Int16:
    return static_cast<int16_t>(v);
  case OnnxDType::UInt16:
    return static_cast<uint16_t>(v);
  case OnnxDType::Int32:
    return static_cast<int32_t>(v);
  case OnnxDType::UInt32:
    return static_cast<uint32_t>(v);
  case OnnxDType::Bool:
    return v != 0;
  default:
    return v;
  }
}

template <typename T> T loadRaw(const char *p) {
  T v;
  std::memcpy(&v, p, sizeof(T));
  return v;
}

/// One value of raw_data (little endian, which is the host byte order on
/// every target vai runs on).
float loadFloat(OnnxDType type, const char *p) {
  switch (type) {
  case OnnxDType::Float16:
    return halfToFloat(loadRaw<uint16_t>(p));
  case OnnxDType::BFloat16:
    return bf16ToFloat(loadRaw<uint16_t>(p));
  default:
    return loadRaw<float>(p);
  }
}

int64_t loadInt(OnnxDType type, const char *p) {
  switch (type) {
  case OnnxDType::Int8:
    return loadRaw<int8_t>(p);
  case OnnxDType::UInt8:
    return loadRaw<uint8_t>(p);
  case OnnxDType::Bool:
    return loadRaw<uint8_t>(p) != 0;
  case OnnxDType::Int16:
    return loadRaw<int16_t>(p);
  case OnnxDType::UInt16:
    return loadRaw<uint16_t>(p);
  case OnnxDType::Int32:
    return loadRaw<int32_t>(p);
  case OnnxDType::UInt32:
    return loadRaw<uint32_t>(p);
  default: // Int64, UInt64 (kept as its bits)
    return loadRaw<int64_t>(p);
  }
}

template <typename T> void storeRaw(std::string &out, T v) {
  char bytes[sizeof(T)];
  std::memcpy(bytes, &v, sizeof(T));
  out.append(bytes, sizeof(T));
}

void storeFloat(std::string &out, OnnxDType type, float v) {
  switch (type) {
  case OnnxDType::Float16:
    storeRaw(out, floatToHalf(v));
    break;
  case OnnxDType::BFloat16:
    storeRaw(out, floatToBf16(v));
    break;
  default:
    storeRaw(out, v);
    break;
  }
}

void storeInt(std::string &out, OnnxDType type, size_t width, int64_t v) {
  if (type == OnnxDType::Bool)
    v = v != 0;
  // Little endian: the low `width` bytes of the two's-complement value.
  uint64_t bits = static_cast<uint64_t>(v);
  for (size_t k = 0; k < width; ++k)
    out.push_back(static_cast<char>((bits >> (8 * k)) & 0xff));
}

/// Element count of \p dims; false for a negative or absurd one.
bool countElements(const std::vector<int64_t> &dims, int64_t &n,
                   std::string &error) {
  n = 1;
  for (int64_t dim : dims) {
    if (dim < 0) {
      error = "tensor has negative dimension " + std::to_string(dim);
      return false;
    }
    if (dim != 0 && n > kMaxElements / dim) {
      error = "tensor is too large";
      return false;
    }
    n *= dim;
  }
  return true;
}

//===----------------------------------------------------------------------===//
// Tensor decoding
//===----------------------------------------------------------------------===//

const char *fieldName(Field field) {
  switch (field) {
  case Field::FloatData:
    return "float_data";
  case Field::Int32Data:
    return "int32_data";
  case Field::StringData:
    return "string_data";
  case Field::Int64Data:
    return "int64_data";
  case Field::DoubleData:
    return "double_data";
  case Field::UInt64Data:
    return "uint64_data";
  case Field::None:
    break;
  }
  return "none";
}

int64_t fieldSize(const onnx::TensorProto &p, Field field) {
  switch (field) {
  case Field::FloatData:
    return p.float_data_size();
  case Field::Int32Data:
    return p.int32_data_size();
  case Field::StringData:
    return p.string_data_size();
  case Field::Int64Data:
    return p.int64_data_size();
  case Field::DoubleData:
    return p.double_data_size();
  case Field::UInt64Data:
    return p.uint64_data_size();
  case Field::None:
    break;
  }
  return 0;
}

constexpr Field kAllFields[] = {Field::FloatData,  Field::Int32Data,
                                Field::StringData, Field::Int64Data,
                                Field::DoubleData, Field::UInt64Data};

bool decodeRaw(const onnx::TensorProto &p, const Layout &layout, int64_t count,
               OnnxTensor &t, std::string &error) {
  const std::string &raw = p.raw_data();
  uint64_t expected = static_cast<uint64_t>(count) * layout.width;
  if (raw.size() != expected) {
    error = onnxDTypeName(t.dtype) + " tensor has " +
            std::to_string(raw.size()) + " bytes of raw_data, expected " +
            std::to_string(expected);
    return false;
  }
  const char *data = raw.data();
  switch (layout.store) {
  case Store::Floats:
    t.floats.resize(count);
    for (int64_t k = 0; k < count; ++k)
      t.floats[k] = loadFloat(t.dtype, data + k * layout.width);
    break;
  case Store::Doubles:
    t.doubles.resize(count);
    t.floats.resize(count);
    for (int64_t k = 0; k < count; ++k) {
      t.doubles[k] = loadRaw<double>(data + k * 8);
      t.floats[k] = static_cast<float>(t.doubles[k]);
    }
    break;
  case Store::Ints:
    t.ints.resize(count);
    for (int64_t k = 0; k < count; ++k)
      t.ints[k] = loadInt(t.dtype, data + k * layout.width);
    break;
  default:
    break;
  }
  return true;
}

bool decodeTyped(const onnx::TensorProto &p, const Layout &layout,
                 int64_t count, OnnxTensor &t, std::string &error) {
  Field field = fieldOf(t.dtype);
  int64_t have = fieldSize(p, field);
  if (have != count) {
    error = onnxDTypeName(t.dtype) + " tensor has " + std::to_string(have) +
            " values, expected " + std::to_string(count);
    return false;
  }
  switch (layout.store) {
  case Store::Floats:
    if (field == Field::FloatData) {
      t.floats.assign(p.float_data().begin(), p.float_data().end());
    } else { // FLOAT16 / BFLOAT16 bit patterns in int32_data
      t.floats.reserve(count);
      for (int32_t bits : p.int32_data()) {
        uint16_t h = static_cast<uint16_t>(bits);
        t.floats.push_back(t.dtype == OnnxDType::Float16 ? halfToFloat(h)
                                                         : bf16ToFloat(h));
      }
    }
    break;
  case Store::Doubles:
    t.doubles.assign(p.double_data().begin(), p.double_data().end());
    t.floats.reserve(count);
    for (double v : t.doubles)
      t.floats.push_back(static_cast<float>(v));
    break;
  case Store::Ints:
    t.ints.reserve(count);
    if (field == Field::Int64Data) {
      t.ints.assign(p.int64_data().begin(), p.int64_data().end());
    } else if (field == Field::UInt64Data) {
      for (uint64_t v : p.uint64_data())
        t.ints.push_back(narrowInt(t.dtype, static_cast<int64_t>(v)));
    } else {
      for (int32_t v : p.int32_data())
        t.ints.push_back(narrowInt(t.dtype, v));
    }
    break;
  case Store::Strings:
    t.strings.assign(p.string_data().begin(), p.string_data().end());
    break;
  case Store::None:
    break;
  }
  return true;
}

bool decodeTensor(const onnx::TensorProto &p, OnnxTensor &t,
                  std::string &error) {
  t = OnnxTensor();
  t.name = p.name();
  t.dtype = static_cast<OnnxDType>(p.data_type());
  t.dims.assign(p.dims().begin(), p.dims().end());
  for (const onnx::StringStringEntryProto &entry : p.external_data())
    t.externalData.emplace(entry.key(), entry.value());

  int64_t n;
  if (!countElements(t.dims, n, error))
    return false;
  if (t.dtype == OnnxDType::Undefined) {
    error = "tensor has no data type";
    return false;
  }
  if (p.has_segment()) {
    error = "segmented tensors are not supported";
    return false;
  }
  if (p.data_location() == onnx::TensorProto::EXTERNAL) {
    if (!t.externalData.count("location")) {
      error = "external tensor has no location";
      return false;
    }
    t.hasExternalData = true;
    return true;
  }

  // The values must sit in raw_data or in the dtype's own typed field.
  Field own = fieldOf(t.dtype);
  for (Field field : kAllFields) {
    if (!fieldSize(p, field))
      continue;
    if (p.has_raw_data()) {
      error = onnxDTypeName(t.dtype) + " tensor has both raw_data and " +
              fieldName(field);
      return false;
    }
    if (field != own) {
      error =
          onnxDTypeName(t.dtype) + " tensor has values in " + fieldName(field);
      return false;
    }
  }

  Layout layout = layoutOf(t.dtype);
  if (layout.store == Store::None)
    return true; // float8, 4-bit, 2-bit, unknown: values not decoded
  int64_t count = n * layout.group;
  if (p.has_raw_data()) {
    if (layout.store == Store::Strings) {
      error = "STRING tensor uses raw_data";
      return false;
    }
    return decodeRaw(p, layout, count, t, error);
  }
  return decodeTyped(p, layout, count, t, error);
}

//===----------------------------------------------------------------------===//
// Tensor encoding
//===----------------------------------------------------------------------===//

bool encodeTensor(const OnnxTensor &t, onnx::TensorProto &p,
                  std::string &error) {
  if (!t.name.empty())
    p.set_name(t.name);
  p.set_data_type(static_cast<int>(t.dtype));
  for (int64_t dim : t.dims)
    p.add_dims(dim);
  int64_t n;
  if (!countElements(t.dims, n, error))
    return false;
  if (t.dtype == OnnxDType::Undefined) {
    error = "tensor has no data type";
    return false;
  }
  bool hasValues = !t.floats.empty() || !t.ints.empty() || !t.doubles.empty() ||
                   !t.strings.empty();
  if (t.hasExternalData) {
    if (hasValues) {
      error = "external tensor also has values";
      return false;
    }
    if (!t.externalData.count("location")) {
      error = "external tensor has no location";
      return false;
    }
    p.set_data_location(onnx::TensorProto::EXTERNAL);
    for (const auto &entry : t.externalData) {
      onnx::StringStringEntryProto *e = p.add_external_data();
      e->set_key(entry.first);
      e->set_value(entry.second);
    }
    return true;
  }

  Layout layout = layoutOf(t.dtype);
  int64_t count = n * layout.group;
  if (layout.store == Store::None) {
    if (n == 0 && !hasValues)
      return true;
    error = "cannot write values of " + onnxDTypeName(t.dtype) + " tensors";
    return false;
  }
  auto checkCount = [&](size_t have) {
    if (static_cast<int64_t>(have) == count)
      return true;
    error = onnxDTypeName(t.dtype) + " tensor has " + std::to_string(have) +
            " values, expected " + std::to_string(count);
    return false;
  };
  if (count == 0)
    return checkCount(t.floats.size() + t.ints.size() + t.doubles.size() +
                      t.strings.size());

  // DOUBLE and COMPLEX128 take `doubles` when it is full, else `floats`.
  bool fromDoubles = layout.store == Store::Doubles &&
                     static_cast<int64_t>(t.doubles.size()) == count;
  size_t have = 0;
  switch (layout.store) {
  case Store::Strings:
    have = t.strings.size();
    break;
  case Store::Floats:
    have = t.floats.size();
    break;
  case Store::Doubles:
    have = t.doubles.empty() ? t.floats.size() : t.doubles.size();
    break;
  case Store::Ints:
    have = t.ints.size();
    break;
  case Store::None:
    break;
  }
  if (!checkCount(have))
    return false;

  if (layout.store == Store::Strings) {
    for (const std::string &s : t.strings)
      p.add_string_data(s);
    return true;
  }
  std::string raw;
  raw.reserve(count * layout.width);
  if (fromDoubles) {
    for (double v : t.doubles)
      storeRaw(raw, v);
  } else if (layout.store == Store::Doubles) {
    for (float v : t.floats)
      storeRaw(raw, static_cast<double>(v));
  } else if (layout.store == Store::Floats) {
    for (float v : t.floats)
      storeFloat(raw, t.dtype, v);
  } else {
    for (int64_t v : t.ints)
      storeInt(raw, t.dtype, layout.width, v);
  }
  p.set_raw_data(std::move(raw));
  return true;
}

//===----------------------------------------------------------------------===//
// Types
//===----------------------------------------------------------------------===//

void decodeShape(const onnx::TensorShapeProto &shape, OnnxValueInfo &v) {
  v.hasShape = true;
  for (const onnx::TensorShapeProto::Dimension &dim : shape.dim()) {
    // Some exporters write dim_value -1 for an unknown dim; read it as such.
    if (dim.has_dim_value() && dim.dim_value() >= 0)
      v.dims.push_back(dim.dim_value());
    else
      v.dims.push_back(-1);
    v.dimParams.push_back(dim.has_dim_param() ? dim.dim_param() : "");
  }
}

void decodeType(const onnx::TypeProto &p, OnnxValueInfo &v) {
  switch (p.value_case()) {
  case onnx::TypeProto::kTensorType:
    v.kind = OnnxValueInfo::Tensor;
    v.elemType = static_cast<OnnxDType>(p.tensor_type().elem_type());
    if (p.tensor_type().has_shape())
      decodeShape(p.tensor_type().shape(), v);
    return;
  case onnx::TypeProto::kSparseTensorType:
    v.kind = OnnxValueInfo::SparseTensor;
    v.elemType = static_cast<OnnxDType>(p.sparse_tensor_type().elem_type());
    if (p.sparse_tensor_type().has_shape())
      decodeShape(p.sparse_tensor_type().shape(), v);
    return;
  case onnx::TypeProto::kSequenceType:
    v.kind = OnnxValueInfo::Sequence;
    if (p.sequence_type().has_elem_type()) {
      v.elem.emplace_back();
      decodeType(p.sequence_type().elem_type(), v.elem.back());
    }
    return;
  case onnx::TypeProto::kOptionalType:
    v.kind = OnnxValueInfo::Optional;
    if (p.optional_type().has_elem_type()) {
      v.elem.emplace_back();
      decodeType(p.optional_type().elem_type(), v.elem.back());
    }
    return;
  case onnx::TypeProto::kMapType:
    v.kind = OnnxValueInfo::Map;
    v.elemType = static_cast<OnnxDType>(p.map_type().key_type());
    if (p.map_type().has_value_type()) {
      v.elem.emplace_back();
      decodeType(p.map_type().value_type(), v.elem.back());
    }
    return;
  case onnx::TypeProto::kOpaqueType:
    v.kind = OnnxValueInfo::Opaque;
    return;
  case onnx::TypeProto::VALUE_NOT_SET:
    break;
  }
  v.kind = OnnxValueInfo::None;
}

void encodeShape(const OnnxValueInfo &v, onnx::TensorShapeProto &shape) {
  for (size_t k = 0; k < v.dims.size(); ++k) {
    onnx::TensorShapeProto::Dimension *dim = shape.add_dim();
    if (k < v.dimParams.size() && !v.dimParams[k].empty())
      dim->set_dim_param(v.dimParams[k]);
    else if (v.dims[k] >= 0)
      dim->set_dim_value(v.dims[k]);
  }
}

bool encodeType(const OnnxValueInfo &v, onnx::TypeProto &p,
                std::string &error) {
  bool shaped = v.hasShape || !v.dims.empty();
  switch (v.kind) {
  case OnnxValueInfo::None:
    return true;
  case OnnxValueInfo::Tensor: {
    onnx::TypeProto::Tensor *t = p.mutable_tensor_type();
    t->set_elem_type(static_cast<int>(v.elemType));
    if (shaped)
      encodeShape(v, *t->mutable_shape());
    return true;
  }
  case OnnxValueInfo::SparseTensor: {
    onnx::TypeProto::SparseTensor *t = p.mutable_sparse_tensor_type();
    t->set_elem_type(static_cast<int>(v.elemType));
    if (shaped)
      encodeShape(v, *t->mutable_shape());
    return true;
  }
  case OnnxValueInfo::Sequence: {
    onnx::TypeProto::Sequence *s = p.mutable_sequence_type();
    return v.elem.empty() ||
           encodeType(v.elem[0], *s->mutable_elem_type(), error);
  }
  case OnnxValueInfo::Optional: {
    onnx::TypeProto::Optional *o = p.mutable_optional_type();
    return v.elem.empty() ||
           encodeType(v.elem[0], *o->mutable_elem_type(), error);
  }
  case OnnxValueInfo::Map: {
    onnx::TypeProto::Map *m = p.mutable_map_type();
    m->set_key_type(static_cast<int>(v.elemType));
    return v.elem.empty() ||
           encodeType(v.elem[0], *m->mutable_value_type(), error);
  }
  case OnnxValueInfo::Opaque:
    p.mutable_opaque_type();
    return true;
  }
  error = "invalid OnnxValueInfo kind " + std::to_string(int(v.kind));
  return false;
}

//===----------------------------------------------------------------------===//
// Attributes, nodes, graphs
//===----------------------------------------------------------------------===//

bool decodeGraph(const onnx::GraphProto &p, OnnxGraph &g, std::string &error);
bool encodeGraph(const OnnxGraph &g, onnx::GraphProto &p, std::string &error);

/// \p name with control characters as \xNN, so that names taken from a
/// (possibly corrupt) file keep error messages on one line.
std::string printable(const std::string &name) {
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (char c : name) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) {
      out += "\\x";
      out += kHex[u >> 4];
      out += kHex[u & 15];
    } else {
      out += c;
    }
  }
  return out;
}

std::string graphLabel(const std::string &name) {
  return name.empty() ? std::string("graph")
                      : "graph '" + printable(name) + "'";
}

std::string nodeLabel(const std::string &name, const std::string &opType,
                      size_t index) {
  if (!name.empty())
    return "node '" + printable(name) + "'";
  return "node " + std::to_string(index) + " (" + printable(opType) + ")";
}

/// The kind an attribute without a `type` field (IR version 1) has, from
/// the value field it sets.
OnnxAttr::Kind inferKind(const onnx::AttributeProto &p) {
  if (p.has_f())
    return OnnxAttr::Float;
  if (p.has_i())
    return OnnxAttr::Int;
  if (p.has_s())
    return OnnxAttr::String;
  if (p.has_t())
    return OnnxAttr::Tensor;
  if (p.has_g())
    return OnnxAttr::Graph;
  if (p.has_sparse_tensor())
    return OnnxAttr::SparseTensor;
  if (p.has_tp())
    return OnnxAttr::TypeProto;
  if (p.floats_size())
    return OnnxAttr::Floats;
  if (p.ints_size())
    return OnnxAttr::Ints;
  if (p.strings_size())
    return OnnxAttr::Strings;
  if (p.tensors_size())
    return OnnxAttr::Tensors;
  if (p.graphs_size())
    return OnnxAttr::Graphs;
  if (p.sparse_tensors_size())
    return OnnxAttr::SparseTensors;
  if (p.type_protos_size())
    return OnnxAttr::TypeProtos;
  return OnnxAttr::Undefined;
}

bool serializeOpaque(const google::protobuf::MessageLite &msg, std::string &out,
                     std::string &error) {
  if (serializeDeterministic(msg, out))
    return true;
  error = "serialization failed";
  return false;
}

bool decodeAttr(const onnx::AttributeProto &p, OnnxAttr &a,
                std::string &error) {
  a.name = p.name();
  a.refAttrName = p.ref_attr_name();
  a.kind = p.has_type() ? static_cast<OnnxAttr::Kind>(p.type()) : inferKind(p);
  if (!a.refAttrName.empty())
    return true; // a reference carries no value
  switch (a.kind) {
  case OnnxAttr::Undefined:
    return true;
  case OnnxAttr::Float:
    a.f = p.f();
    return true;
  case OnnxAttr::Int:
    a.i = p.i();
    return true;
  case OnnxAttr::String:
    a.s = p.s();
    return true;
  case OnnxAttr::Tensor:
    return decodeTensor(p.t(), a.t, error);
  case OnnxAttr::Graph:
    a.graphs.resize(1);
    return decodeGraph(p.g(), a.graphs[0], error);
  case OnnxAttr::SparseTensor:
    return serializeOpaque(p.sparse_tensor(), a.s, error);
  case OnnxAttr::TypeProto:
    return serializeOpaque(p.tp(), a.s, error);
  case OnnxAttr::Floats:
    a.floats.assign(p.floats().begin(), p.floats().end());
    return true;
  case OnnxAttr::Ints:
    a.ints.assign(p.ints().begin(), p.ints().end());
    return true;
  case OnnxAttr::Strings:
    a.strings.assign(p.strings().begin(), p.strings().end());
    return true;
  case OnnxAttr::Tensors:
    a.tensors.resize(p.tensors_size());
    for (int k = 0; k < p.tensors_size(); ++k) {
      if (!decodeTensor(p.tensors(k), a.tensors[k], error)) {
        error = "tensor " + std::to_string(k) + ": " + error;
        return false;
      }
    }
    return true;
  case OnnxAttr::Graphs:
    a.graphs.resize(p.graphs_size());
    for (int k = 0; k < p.graphs_size(); ++k)
      if (!decodeGraph(p.graphs(k), a.graphs[k], error))
        return false;
    return true;
  case OnnxAttr::SparseTensors:
    a.strings.resize(p.sparse_tensors_size());
    for (int k = 0; k < p.sparse_tensors_size(); ++k)
      if (!serializeOpaque(p.sparse_tensors(k), a.strings[k], error))
        return false;
    return true;
  case OnnxAttr::TypeProtos:
    a.strings.resize(p.type_protos_size());
    for (int k = 0; k < p.type_protos_size(); ++k)
      if (!serializeOpaque(p.type_protos(k), a.strings[k], error))
        return false;
    return true;
  }
  error = "unknown attribute type " + std::to_string(int(a.kind));
  return false;
}

template <typename Msg>
bool parseOpaque(const std::string &bytes, Msg &msg, const char *what,
                 std::string &error) {
  if (msg.ParseFromString(bytes))
    return true;
  error = std::string("holds an invalid serialized ") + what;
  return false;
}

bool encodeAttr(const OnnxAttr &a, onnx::AttributeProto &p,
                std::string &error) {
  p.set_name(a.name);
  if (!onnx::AttributeProto::AttributeType_IsValid(a.kind)) {
    error = "invalid OnnxAttr kind " + std::to_string(int(a.kind));
    return false;
  }
  p.set_type(static_cast<onnx::AttributeProto::AttributeType>(a.kind));
  if (!a.refAttrName.empty()) {
    p.set_ref_attr_name(a.refAttrName);
    return true;
  }
  switch (a.kind) {
  case OnnxAttr::Undefined:
    return true;
  case OnnxAttr::Float:
    p.set_f(a.f);
    return true;
  case OnnxAttr::Int:
    p.set_i(a.i);
    return true;
  case OnnxAttr::String:
    p.set_s(a.s);
    return true;
  case OnnxAttr::Tensor:
    return encodeTensor(a.t, *p.mutable_t(), error);
  case OnnxAttr::Graph:
    if (a.graphs.size() != 1) {
      error = "GRAPH attribute has " + std::to_string(a.graphs.size()) +
              " graphs, expected 1";
      return false;
    }
    return encodeGraph(a.graphs[0], *p.mutable_g(), error);
  case OnnxAttr::SparseTensor:
    return parseOpaque(a.s, *p.mutable_sparse_tensor(), "SparseTensorProto",
                       error);
  case OnnxAttr::TypeProto:
    return parseOpaque(a.s, *p.mutable_tp(), "TypeProto", error);
  case OnnxAttr::Floats:
    for (float f : a.floats)
      p.add_floats(f);
    return true;
  case OnnxAttr::Ints:
    for (int64_t i : a.ints)
      p.add_ints(i);
    return true;
  case OnnxAttr::Strings:
    for (const std::string &s : a.strings)
      p.add_strings(s);
    return true;
  case OnnxAttr::Tensors:
    for (size_t k = 0; k < a.tensors.size(); ++k) {
      if (!encodeTensor(a.tensors[k], *p.add_tensors(), error)) {
        error = "tensor " + std::to_string(k) + ": " + error;
        return false;
      }
    }
    return true;
  case OnnxAttr::Graphs:
    for (const OnnxGraph &g : a.graphs)
      if (!encodeGraph(g, *p.add_graphs(), error))
        return false;
    return true;
  case OnnxAttr::SparseTensors:
    for (const std::string &s : a.strings)
      if (!parseOpaque(s, *p.add_sparse_tensors(), "SparseTensorProto", error))
        return false;
    return true;
  case OnnxAttr::TypeProtos:
    for (const std::string &s : a.strings)
      if (!parseOpaque(s, *p.add_type_protos(), "TypeProto", error))
        return false;
    return true;
  }
  return true;
}

/// "ai.onnx" and "" both name the default operator set; the view uses "".
std::string normalizeDomain(const std::string &domain) {
  return domain == "ai.onnx" ? std::string() : domain;
}

void decodeValueInfos(
    const google::protobuf::RepeatedPtrField<onnx::ValueInfoProto> &protos,
    std::vector<OnnxValueInfo> &out) {
  out.resize(protos.size());
  for (int k = 0; k < protos.size(); ++k) {
    out[k].name = protos[k].name();
    if (protos[k].has_type())
      decodeType(protos[k].type(), out[k]);
  }
}

bool decodeGraph(const onnx::GraphProto &p, OnnxGraph &g, std::string &error) {
  g.name = p.name();
  std::string where = graphLabel(p.name());
  g.nodes.resize(p.node_size());
  for (int k = 0; k < p.node_size(); ++k) {
    const onnx::NodeProto &np = p.node(k);
    OnnxNode &node = g.nodes[k];
    node.name = np.name();
    node.opType = np.op_type();
    node.domain = normalizeDomain(np.domain());
    node.inputs.assign(np.input().begin(), np.input().end());
    node.outputs.assign(np.output().begin(), np.output().end());
    node.attrs.resize(np.attribute_size());
    for (int j = 0; j < np.attribute_size(); ++j) {
      if (!decodeAttr(np.attribute(j), node.attrs[j], error)) {
        prefixAttrError(where + " " + nodeLabel(np.name(), np.op_type(), k),
                        printable(np.attribute(j).name()), error);
        return false;
      }
    }
  }
  g.initializers.resize(p.initializer_size());
  for (int k = 0; k < p.initializer_size(); ++k) {
    if (!decodeTensor(p.initializer(k), g.initializers[k], error)) {
      error = where + " initializer '" + printable(p.initializer(k).name()) +
              "': " + error;
      return false;
    }
  }
  decodeValueInfos(p.input(), g.inputs);
  decodeValueInfos(p.output(), g.outputs);
  decodeValueInfos(p.value_info(), g.valueInfo);
  g.numSparseInitializers = p.sparse_initializer_size();
  return true;
}

bool encodeValueInfos(
    const std::vector<OnnxValueInfo> &values,
    google::protobuf::RepeatedPtrField<onnx::ValueInfoProto> &protos,
    const std::string &where, std::string &error) {
  for (const OnnxValueInfo &v : values) {
    onnx::ValueInfoProto *p = protos.Add();
    p->set_name(v.name);
    if (v.kind == OnnxValueInfo::None)
      continue;
    if (!encodeType(v, *p->mutable_type(), error)) {
      error = where + " value '" + printable(v.name) + "': " + error;
      return false;
    }
  }
  return true;
}

bool encodeGraph(const OnnxGraph &g, onnx::GraphProto &p, std::string &error) {
  std::string where = graphLabel(g.name);
  p.set_name(g.name);
  for (size_t k = 0; k < g.nodes.size(); ++k) {
    const OnnxNode &node = g.nodes[k];
    onnx::NodeProto *np = p.add_node();
    for (const std::string &input : node.inputs)
      np->add_input(input);
    for (const std::string &output : node.outputs)
      np->add_output(output);
    if (!node.name.empty())
      np->set_name(node.name);
    np->set_op_type(node.opType);
    if (!node.domain.empty())
      np->set_domain(node.domain);
    for (const OnnxAttr &attr : node.attrs) {
      if (!encodeAttr(attr, *np->add_attribute(), error)) {
        prefixAttrError(where + " " + nodeLabel(node.name, node.opType, k),
                        printable(attr.name), error);
        return false;
      }
    }
  }
  for (const OnnxTensor &t : g.initializers) {
    if (!encodeTensor(t, *p.add_initializer(), error)) {
      error = where + " initializer '" + printable(t.name) + "': " + error;
      return false;
    }
  }
  return encodeValueInfos(g.inputs, *p.mutable_input(), where, error) &&
         encodeValueInfos(g.outputs, *p.mutable_output(), where, error) &&
         encodeValueInfos(g.valueInfo, *p.mutable_value_info(), where, error);
}

/// ONNX's DataType names, indexed by value (0..26).
const char *const kDTypeNames[] = {
    "UNDEFINED",      "FLOAT",        "UINT8",          "INT8",
    "UINT16",         "INT16",        "INT32",          "INT64",
    "STRING",         "BOOL",         "FLOAT16",        "DOUBLE",
    "UINT32",         "UINT64",       "COMPLEX64",      "COMPLEX128",
    "BFLOAT16",       "FLOAT8E4M3FN", "FLOAT8E4M3FNUZ", "FLOAT8E5M2",
    "FLOAT8E5M2FNUZ", "UINT4",        "INT4",           "FLOAT4E2M1",
    "FLOAT8E8M0",     "UINT2",        "INT2",
};
constexpr int kNumDTypeNames = sizeof(kDTypeNames) / sizeof(kDTypeNames[0]);

} // namespace

//===----------------------------------------------------------------------===//
// Entry points
//===----------------------------------------------------------------------===//

std::string vai::proto::onnxDTypeName(OnnxDType type) {
  int value = static_cast<int>(type);
  if (value >= 0 && value < kNumDTypeNames)
    return kDTypeNames[value];
  return "UNKNOWN(" + std::to_string(value) + ")";
}

int64_t OnnxTensor::numElements() const {
  int64_t n = 1;
  for (int64_t dim : dims)
    n *= dim;
  return n;
}

const OnnxAttr *OnnxNode::attr(const std::string &n) const {
  for (const OnnxAttr &a : attrs)
    if (a.name == n)
      return &a;
  return nullptr;
}

bool vai::proto::parseOnnxModel(const std::string &bytes, OnnxModel &model,
                                std::string &error) {
  return runGuarded("ONNX model parse", error, [&] {
    onnx::ModelProto m;
    if (!m.ParseFromString(bytes)) {
      error = "truncated or malformed ONNX model";
      return false;
    }
    // Every ONNX writer sets these; their absence means the bytes are not a
    // model, or were cut between two fields.
    if (!m.has_ir_version()) {
      error = "ONNX model has no ir_version";
      return false;
    }
    if (!m.has_graph()) {
      error = "ONNX model has no graph";
      return false;
    }
    if (m.ir_version() >= 3 && m.opset_import_size() == 0) {
      error = "ONNX model has no opset_import";
      return false;
    }

    OnnxModel out;
    out.irVersion = m.ir_version();
    for (const onnx::OperatorSetIdProto &opset : m.opset_import()) {
      std::string domain = normalizeDomain(opset.domain());
      auto inserted = out.opsetImports.emplace(domain, opset.version());
      if (!inserted.second && inserted.first->second != opset.version()) {
        error = "ONNX model imports operator set '" + printable(domain) +
                "' twice, as versions " +
                std::to_string(inserted.first->second) + " and " +
                std::to_string(opset.version());
        return false;
      }
    }
    out.producerName = m.producer_name();
    out.producerVersion = m.producer_version();
    out.domain = m.domain();
    out.modelVersion = m.model_version();
    for (const onnx::StringStringEntryProto &entry : m.metadata_props())
      out.metadataProps.emplace(entry.key(), entry.value());
    out.numFunctions = m.functions_size();
    if (!decodeGraph(m.graph(), out.graph, error))
      return false;
    model = std::move(out);
    return true;
  });
}

bool vai::proto::parseOnnxTensor(const std::string &bytes, OnnxTensor &tensor,
                                 std::string &error) {
  return runGuarded("ONNX tensor parse", error, [&] {
    onnx::TensorProto p;
    if (!p.ParseFromString(bytes)) {
      error = "truncated or malformed ONNX TensorProto";
      return false;
    }
    OnnxTensor out;
    if (!decodeTensor(p, out, error)) {
      if (!p.name().empty())
        error = "tensor '" + printable(p.name()) + "': " + error;
      return false;
    }
    tensor = std::move(out);
    return true;
  });
}

bool vai::proto::writeOnnxModel(const OnnxModel &model, std::string &bytes,
                                std::string &error) {
  return runGuarded("ONNX model write", error, [&] {
    onnx::ModelProto m;
    m.set_ir_version(model.irVersion);
    for (const auto &opset : model.opsetImports) {
      onnx::OperatorSetIdProto *p = m.add_opset_import();
      p->set_domain(opset.first);
      p->set_version(opset.second);
    }
    if (!model.producerName.empty())
      m.set_producer_name(model.producerName);
    if (!model.producerVersion.empty())
      m.set_producer_version(model.producerVersion);
    if (!model.domain.empty())
      m.set_domain(model.domain);
    if (model.modelVersion)
      m.set_model_version(model.modelVersion);
    for (const auto &entry : model.metadataProps) {
      onnx::StringStringEntryProto *p = m.add_metadata_props();
      p->set_key(entry.first);
      p->set_value(entry.second);
    }
    if (!encodeGraph(model.graph, *m.mutable_graph(), error))
      return false;
    if (!serializeDeterministic(m, bytes)) {
      error = "ONNX model serialization failed";
      return false;
    }
    return true;
  });
}

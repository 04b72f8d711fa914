//===- XirAttributes.cpp - XIR attribute values as MLIR attributes --------===//

#include "vai/Export/XirAttributes.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/StringSwitch.h"

using namespace mlir;
using vai::proto::XAttr;

namespace vai {
namespace {

constexpr llvm::StringLiteral kKindKey = "xir.kind";

// Tag names are the serial_v2.AttrValue field names without "_value".
const char *tagName(XAttr::Kind kind) {
  switch (kind) {
  case XAttr::None:
    return "none";
  case XAttr::BytesVec:
    return "bytes_vec";
  case XAttr::MapInt32:
    return "map_string_2_int32";
  case XAttr::MapUInt32:
    return "map_string_2_uint32";
  case XAttr::MapInt64:
    return "map_string_2_int64";
  case XAttr::MapUInt64:
    return "map_string_2_uint64";
  case XAttr::MapString:
    return "map_string_2_string";
  case XAttr::MapBytes:
    return "map_string_2_bytes";
  case XAttr::MapInt32Vec:
    return "map_string_2_int32_vec";
  case XAttr::MapUInt32Vec:
    return "map_string_2_uint32_vec";
  case XAttr::MapInt64Vec:
    return "map_string_2_int64_vec";
  case XAttr::MapUInt64Vec:
    return "map_string_2_uint64_vec";
  case XAttr::MapStringVec:
    return "map_string_2_string_vec";
  default:
    return nullptr;
  }
}

Attribute bytesAttr(MLIRContext *context, const std::string &bytes) {
  auto type = RankedTensorType::get({int64_t(bytes.size())},
                                    IntegerType::get(context, 8));
  return DenseElementsAttr::getFromRawBuffer(
      type, ArrayRef<char>(bytes.data(), bytes.size()));
}

Attribute unsignedVecAttr(MLIRContext *context,
                          const std::vector<uint64_t> &values, unsigned width) {
  auto type = RankedTensorType::get(
      {int64_t(values.size())},
      IntegerType::get(context, width, IntegerType::Unsigned));
  SmallVector<APInt> ints;
  for (uint64_t v : values)
    ints.push_back(APInt(width, v, /*isSigned=*/false, /*implicitTrunc=*/true));
  return DenseElementsAttr::get(type, ints);
}

Attribute stringsAttr(MLIRContext *context,
                      const std::vector<std::string> &values) {
  SmallVector<Attribute> strs;
  for (const std::string &s : values)
    strs.push_back(StringAttr::get(context, s));
  return ArrayAttr::get(context, strs);
}

SmallVector<int32_t> narrow32(const std::vector<int64_t> &values) {
  return SmallVector<int32_t>(values.begin(), values.end());
}

} // namespace

Attribute encodeXirAttr(MLIRContext *context, const XAttr &v) {
  Builder b(context);
  auto ui = [&](unsigned width, uint64_t x) -> Attribute {
    return IntegerAttr::get(
        IntegerType::get(context, width, IntegerType::Unsigned),
        APInt(width, x, false, true));
  };
  auto tagged = [&](Attribute value) -> Attribute {
    NamedAttribute entries[] = {
        b.getNamedAttr(kKindKey, b.getStringAttr(tagName(v.kind))),
        b.getNamedAttr("value", value ? value : b.getUnitAttr())};
    return b.getDictionaryAttr(entries);
  };
  auto map = [&](auto &&entries, auto &&make) -> Attribute {
    SmallVector<NamedAttribute> out;
    for (auto &[key, value] : entries)
      out.push_back(b.getNamedAttr(key, make(value)));
    return tagged(b.getDictionaryAttr(out));
  };
  switch (v.kind) {
  case XAttr::None:
    return tagged(nullptr);
  case XAttr::Bool:
    return b.getBoolAttr(v.b);
  case XAttr::Int32:
    return b.getI32IntegerAttr(int32_t(v.i));
  case XAttr::Int64:
    return b.getI64IntegerAttr(v.i);
  case XAttr::UInt32:
    return ui(32, v.u);
  case XAttr::UInt64:
    return ui(64, v.u);
  case XAttr::Float:
    return b.getF32FloatAttr(float(v.d));
  case XAttr::Double:
    return b.getF64FloatAttr(v.d);
  case XAttr::String:
    return b.getStringAttr(v.s);
  case XAttr::Bytes:
    return bytesAttr(context, v.s);
  case XAttr::BoolVec: {
    SmallVector<bool> bools(v.bools.begin(), v.bools.end());
    return b.getDenseBoolArrayAttr(bools);
  }
  case XAttr::Int32Vec:
    return b.getDenseI32ArrayAttr(narrow32(v.ints));
  case XAttr::Int64Vec:
    return b.getDenseI64ArrayAttr(v.ints);
  case XAttr::UInt32Vec:
    return unsignedVecAttr(context, v.uints, 32);
  case XAttr::UInt64Vec:
    return unsignedVecAttr(context, v.uints, 64);
  case XAttr::FloatVec: {
    SmallVector<float> reals(v.reals.begin(), v.reals.end());
    return b.getDenseF32ArrayAttr(reals);
  }
  case XAttr::DoubleVec:
    return b.getDenseF64ArrayAttr(v.reals);
  case XAttr::StringVec:
    return stringsAttr(context, v.strs);
  case XAttr::BytesVec: {
    SmallVector<Attribute> items;
    for (const std::string &s : v.strs)
      items.push_back(bytesAttr(context, s));
    return tagged(b.getArrayAttr(items));
  }
  case XAttr::MapInt32:
    return map(v.intMap, [&](int64_t x) -> Attribute {
      return b.getI32IntegerAttr(int32_t(x));
    });
  case XAttr::MapInt64:
    return map(v.intMap,
               [&](int64_t x) -> Attribute { return b.getI64IntegerAttr(x); });
  case XAttr::MapUInt32:
    return map(v.uintMap, [&](uint64_t x) { return ui(32, x); });
  case XAttr::MapUInt64:
    return map(v.uintMap, [&](uint64_t x) { return ui(64, x); });
  case XAttr::MapString:
    return map(v.strMap, [&](const std::string &x) -> Attribute {
      return b.getStringAttr(x);
    });
  case XAttr::MapBytes:
    return map(v.strMap,
               [&](const std::string &x) { return bytesAttr(context, x); });
  case XAttr::MapInt32Vec:
    return map(v.intVecMap, [&](const std::vector<int64_t> &x) -> Attribute {
      return b.getDenseI32ArrayAttr(narrow32(x));
    });
  case XAttr::MapInt64Vec:
    return map(v.intVecMap, [&](const std::vector<int64_t> &x) -> Attribute {
      return b.getDenseI64ArrayAttr(x);
    });
  case XAttr::MapUInt32Vec:
    return map(v.uintVecMap, [&](const std::vector<uint64_t> &x) {
      return unsignedVecAttr(context, x, 32);
    });
  case XAttr::MapUInt64Vec:
    return map(v.uintVecMap, [&](const std::vector<uint64_t> &x) {
      return unsignedVecAttr(context, x, 64);
    });
  case XAttr::MapStringVec:
    return map(v.strVecMap, [&](const std::vector<std::string> &x) {
      return stringsAttr(context, x);
    });
  }
  return tagged(nullptr);
}

DictionaryAttr encodeXirAttrs(MLIRContext *context,
                              const proto::XAttrMap &attrs) {
  Builder b(context);
  SmallVector<NamedAttribute> entries;
  for (auto &[key, value] : attrs)
    entries.push_back(b.getNamedAttr(key, encodeXirAttr(context, value)));
  return b.getDictionaryAttr(entries);
}

namespace {

bool decodeBytes(Attribute attr, std::string &out) {
  auto dense = dyn_cast<DenseElementsAttr>(attr);
  if (!dense || dense.getType().getRank() != 1 ||
      !dense.getElementType().isSignlessInteger(8))
    return false;
  if (dense.isSplat()) {
    out.assign(size_t(dense.getNumElements()),
               char(dense.getSplatValue<APInt>().getZExtValue()));
    return true;
  }
  ArrayRef<char> raw = dense.getRawData();
  out.assign(raw.begin(), raw.end());
  return true;
}

bool decodeUnsignedVec(Attribute attr, unsigned width,
                       std::vector<uint64_t> &out) {
  auto dense = dyn_cast<DenseIntElementsAttr>(attr);
  if (!dense || dense.getType().getRank() != 1 ||
      !dense.getElementType().isUnsignedInteger(width))
    return false;
  for (const APInt &v : dense.getValues<APInt>())
    out.push_back(v.getZExtValue());
  return true;
}

bool decodeStrings(Attribute attr, std::vector<std::string> &out) {
  auto array = dyn_cast<ArrayAttr>(attr);
  if (!array)
    return false;
  for (Attribute item : array) {
    auto s = dyn_cast<StringAttr>(item);
    if (!s)
      return false;
    out.push_back(s.str());
  }
  return true;
}

bool decodeTagged(DictionaryAttr dict, XAttr &v, std::string &error) {
  auto tag = dict.getAs<StringAttr>(kKindKey);
  Attribute value = dict.get("value");
  if (!tag || !value || dict.size() != 2) {
    error = "a dictionary needs the keys 'xir.kind' (a string) and 'value'";
    return false;
  }
  XAttr::Kind kind = llvm::StringSwitch<XAttr::Kind>(tag.getValue())
                         .Case("none", XAttr::None)
                         .Case("bytes_vec", XAttr::BytesVec)
                         .Case("map_string_2_int32", XAttr::MapInt32)
                         .Case("map_string_2_uint32", XAttr::MapUInt32)
                         .Case("map_string_2_int64", XAttr::MapInt64)
                         .Case("map_string_2_uint64", XAttr::MapUInt64)
                         .Case("map_string_2_string", XAttr::MapString)
                         .Case("map_string_2_bytes", XAttr::MapBytes)
                         .Case("map_string_2_int32_vec", XAttr::MapInt32Vec)
                         .Case("map_string_2_uint32_vec", XAttr::MapUInt32Vec)
                         .Case("map_string_2_int64_vec", XAttr::MapInt64Vec)
                         .Case("map_string_2_uint64_vec", XAttr::MapUInt64Vec)
                         .Case("map_string_2_string_vec", XAttr::MapStringVec)
                         .Default(XAttr::Bool); // Bool: not a tag
  if (kind == XAttr::Bool) {
    error = "unknown xir.kind '" + tag.str() + "'";
    return false;
  }
  v.kind = kind;
  if (kind == XAttr::None)
    return true;
  auto bad = [&]() {
    error = "the value of an xir.kind '" + tag.str() + "' is malformed";
    return false;
  };
  if (kind == XAttr::BytesVec) {
    auto array = dyn_cast<ArrayAttr>(value);
    if (!array)
      return bad();
    for (Attribute item : array) {
      v.strs.emplace_back();
      if (!decodeBytes(item, v.strs.back()))
        return bad();
    }
    return true;
  }
  auto entries = dyn_cast<DictionaryAttr>(value);
  if (!entries)
    return bad();
  for (NamedAttribute entry : entries) {
    std::string key = entry.getName().str();
    Attribute a = entry.getValue();
    auto intOf = [&](unsigned width, bool isUnsigned) -> IntegerAttr {
      auto i = dyn_cast<IntegerAttr>(a);
      if (!i || !i.getType().isInteger(width) ||
          i.getType().isUnsignedInteger() != isUnsigned)
        return nullptr;
      return i;
    };
    switch (kind) {
    case XAttr::MapInt32:
    case XAttr::MapInt64: {
      auto i = intOf(kind == XAttr::MapInt32 ? 32 : 64, false);
      if (!i)
        return bad();
      v.intMap[key] = i.getValue().getSExtValue();
      break;
    }
    case XAttr::MapUInt32:
    case XAttr::MapUInt64: {
      auto i = intOf(kind == XAttr::MapUInt32 ? 32 : 64, true);
      if (!i)
        return bad();
      v.uintMap[key] = i.getValue().getZExtValue();
      break;
    }
    case XAttr::MapString: {
      auto s = dyn_cast<StringAttr>(a);
      if (!s)
        return bad();
      v.strMap[key] = s.str();
      break;
    }
    case XAttr::MapBytes:
      if (!decodeBytes(a, v.strMap[key]))
        return bad();
      break;
    case XAttr::MapInt32Vec:
      if (auto arr = dyn_cast<DenseI32ArrayAttr>(a))
        v.intVecMap[key].assign(arr.asArrayRef().begin(),
                                arr.asArrayRef().end());
      else
        return bad();
      break;
    case XAttr::MapInt64Vec:
      if (auto arr = dyn_cast<DenseI64ArrayAttr>(a))
        v.intVecMap[key].assign(arr.asArrayRef().begin(),
                                arr.asArrayRef().end());
      else
        return bad();
      break;
    case XAttr::MapUInt32Vec:
    case XAttr::MapUInt64Vec:
      if (!decodeUnsignedVec(a, kind == XAttr::MapUInt32Vec ? 32 : 64,
                             v.uintVecMap[key]))
        return bad();
      break;
    case XAttr::MapStringVec:
      if (!decodeStrings(a, v.strVecMap[key]))
        return bad();
      break;
    default:
      return bad();
    }
  }
  return true;
}

} // namespace

bool decodeXirAttr(Attribute attr, XAttr &v, std::string &error) {
  v = XAttr();
  if (auto b = dyn_cast<BoolAttr>(attr)) {
    v.kind = XAttr::Bool;
    v.b = b.getValue();
    return true;
  }
  if (auto i = dyn_cast<IntegerAttr>(attr)) {
    auto type = dyn_cast<IntegerType>(i.getType());
    unsigned width = type ? type.getWidth() : 0;
    if (width != 32 && width != 64) {
      error = "integers must be 32 or 64 bits wide";
      return false;
    }
    if (type.isUnsigned()) {
      v.kind = width == 32 ? XAttr::UInt32 : XAttr::UInt64;
      v.u = i.getValue().getZExtValue();
    } else {
      v.kind = width == 32 ? XAttr::Int32 : XAttr::Int64;
      v.i = i.getValue().getSExtValue();
    }
    return true;
  }
  if (auto f = dyn_cast<FloatAttr>(attr)) {
    if (!f.getType().isF32() && !f.getType().isF64()) {
      error = "floats must be f32 or f64";
      return false;
    }
    v.kind = f.getType().isF32() ? XAttr::Float : XAttr::Double;
    v.d = f.getValueAsDouble();
    return true;
  }
  if (auto s = dyn_cast<StringAttr>(attr)) {
    v.kind = XAttr::String;
    v.s = s.str();
    return true;
  }
  if (auto a = dyn_cast<DenseBoolArrayAttr>(attr)) {
    v.kind = XAttr::BoolVec;
    v.bools.assign(a.asArrayRef().begin(), a.asArrayRef().end());
    return true;
  }
  if (auto a = dyn_cast<DenseI32ArrayAttr>(attr)) {
    v.kind = XAttr::Int32Vec;
    v.ints.assign(a.asArrayRef().begin(), a.asArrayRef().end());
    return true;
  }
  if (auto a = dyn_cast<DenseI64ArrayAttr>(attr)) {
    v.kind = XAttr::Int64Vec;
    v.ints.assign(a.asArrayRef().begin(), a.asArrayRef().end());
    return true;
  }
  if (auto a = dyn_cast<DenseF32ArrayAttr>(attr)) {
    v.kind = XAttr::FloatVec;
    v.reals.assign(a.asArrayRef().begin(), a.asArrayRef().end());
    return true;
  }
  if (auto a = dyn_cast<DenseF64ArrayAttr>(attr)) {
    v.kind = XAttr::DoubleVec;
    v.reals.assign(a.asArrayRef().begin(), a.asArrayRef().end());
    return true;
  }
  if (isa<DenseElementsAttr>(attr)) {
    if (decodeBytes(attr, v.s)) {
      v.kind = XAttr::Bytes;
      return true;
    }
    if (decodeUnsignedVec(attr, 32, v.uints)) {
      v.kind = XAttr::UInt32Vec;
      return true;
    }
    if (decodeUnsignedVec(attr, 64, v.uints)) {
      v.kind = XAttr::UInt64Vec;
      return true;
    }
    error = "dense elements must be a vector of i8 (bytes), ui32 or ui64";
    return false;
  }
  if (auto a = dyn_cast<ArrayAttr>(attr)) {
    v.kind = XAttr::StringVec;
    if (decodeStrings(a, v.strs))
      return true;
    error = "an array must hold strings only";
    return false;
  }
  if (auto d = dyn_cast<DictionaryAttr>(attr))
    return decodeTagged(d, v, error);
  error = "no XIR attribute kind for this attribute";
  return false;
}

bool decodeXirAttrs(DictionaryAttr dict, proto::XAttrMap &attrs,
                    std::string &error) {
  if (!dict)
    return true;
  for (NamedAttribute entry : dict) {
    XAttr value;
    if (!decodeXirAttr(entry.getValue(), value, error)) {
      error = "attribute '" + entry.getName().str() + "': " + error;
      return false;
    }
    attrs[entry.getName().str()] = std::move(value);
  }
  return true;
}

void xirDataTypeOf(Type elementType, int32_t &dataType, int32_t &bitWidth) {
  using proto::XDataType;
  XDataType type = XDataType::Float;
  bitWidth = 32;
  if (isa<BFloat16Type>(elementType)) {
    type = XDataType::BFloat;
    bitWidth = 16;
  } else if (auto f = dyn_cast<FloatType>(elementType)) {
    bitWidth = int32_t(f.getWidth());
  } else if (auto i = dyn_cast<IntegerType>(elementType)) {
    type = i.isSigned()     ? XDataType::Int
           : i.isUnsigned() ? XDataType::UInt
                            : XDataType::XInt;
    bitWidth = int32_t(i.getWidth());
  }
  dataType = int32_t(type);
}

} // namespace vai

//===- GraphDef.h - TensorFlow GraphDef without protobuf --------*- C++ -*-===//
//
// Plain C++ mirror of the parts of TensorFlow's GraphDef that vai reads and
// writes. This header deliberately includes only the standard library: the
// protobuf-generated code lives inside VAIProto (built with RTTI and
// exceptions), while the rest of vai builds with LLVM's flags
// (-fno-exceptions, -fno-rtti). No function here throws or aborts.
//
//===----------------------------------------------------------------------===//

#ifndef VAI_PROTO_GRAPHDEF_H
#define VAI_PROTO_GRAPHDEF_H

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace vai {
namespace proto {

/// TensorFlow's DataType numbering (tensorflow/core/framework/types.proto).
/// The *Ref values are the plain value + 100.
enum class TfDType : int {
  Invalid = 0,
  Float = 1,
  Double = 2,
  Int32 = 3,
  UInt8 = 4,
  Int16 = 5,
  Int8 = 6,
  String = 7,
  Complex64 = 8,
  Int64 = 9,
  Bool = 10,
  QInt8 = 11,
  QUInt8 = 12,
  QInt32 = 13,
  BFloat16 = 14,
  QInt16 = 15,
  QUInt16 = 16,
  UInt16 = 17,
  Complex128 = 18,
  Half = 19,
  Resource = 20,
  Variant = 21,
  UInt32 = 22,
  UInt64 = 23,
  Float8E5M2 = 24,
  Float8E4M3FN = 25,
  Float8E4M3FNUZ = 26,
  Float8E4M3B11FNUZ = 27,
  Float8E5M2FNUZ = 28,
  Int4 = 29,
  UInt4 = 30,
  Int2 = 31,
  UInt2 = 32,
  FloatRef = 101,
  DoubleRef = 102,
  Int32Ref = 103,
  UInt8Ref = 104,
  Int16Ref = 105,
  Int8Ref = 106,
  StringRef = 107,
  Complex64Ref = 108,
  Int64Ref = 109,
  BoolRef = 110,
  QInt8Ref = 111,
  QUInt8Ref = 112,
  QInt32Ref = 113,
  BFloat16Ref = 114,
  QInt16Ref = 115,
  QUInt16Ref = 116,
  UInt16Ref = 117,
  Complex128Ref = 118,
  HalfRef = 119,
  ResourceRef = 120,
  VariantRef = 121,
  UInt32Ref = 122,
  UInt64Ref = 123,
  Float8E5M2Ref = 124,
  Float8E4M3FNRef = 125,
  Float8E4M3FNUZRef = 126,
  Float8E4M3B11FNUZRef = 127,
  Float8E5M2FNUZRef = 128,
  Int4Ref = 129,
  UInt4Ref = 130,
  Int2Ref = 131,
  UInt2Ref = 132,
};

/// TensorFlow's name for \p type without the "DT_" prefix, e.g. "FLOAT",
/// "INT32_REF"; "UNKNOWN(<n>)" for numbers TensorFlow does not define.
std::string tfDTypeName(TfDType type);

/// A decoded TensorProto. Exactly one of the value vectors is used, chosen by
/// the dtype; it holds one entry per element in row-major order (two for
/// complex types: real, imaginary), whichever of tensor_content or the typed
/// *_val fields the file used. A *_val list shorter than the element count is
/// padded with its last value and an absent one means all zeros, as in
/// TensorFlow. Types without a decoding here (resource, variant, float8,
/// int4/int2) keep all vectors empty.
struct TfTensor {
  TfDType dtype = TfDType::Invalid;
  std::vector<int64_t> shape;
  bool unknownRank = false;
  /// float, double, half, bfloat16, complex64, complex128.
  std::vector<float> floats;
  /// int8/16/32/64, uint8/16/32/64 (uint64 as its two's-complement bits),
  /// the quantized ints, and bool (0 or 1).
  std::vector<int64_t> ints;
  /// string (bytes, not necessarily UTF-8).
  std::vector<std::string> strings;

  /// Product of the shape's dims (1 for a scalar).
  int64_t numElements() const;
};

/// A TensorShapeProto; -1 marks an unknown dim.
struct TfShape {
  std::vector<int64_t> dims;
  bool unknownRank = false;
};

/// One AttrValue. `kind` says which member holds the value.
struct TfAttr {
  enum Kind {
    None,        // no value set
    String,      // s
    Int,         // i
    Float,       // f
    Bool,        // b
    Type,        // type
    Shape,       // shape
    Tensor,      // tensor
    ListString,  // listS
    ListInt,     // listI
    ListFloat,   // listF
    ListBool,    // listB
    ListType,    // listType
    ListShape,   // listShape
    Func,        // s = function name, funcAttrs = its attrs
    Placeholder, // s = name of the function attr to substitute
    ListTensor,  // listTensor
    ListFunc,    // listFunc, each a Func attr
    // `list {}`: the wire form of an empty list does not say the element
    // type, so it gets its own kind; every list member is empty.
    ListEmpty,
  };
  Kind kind = None;

  std::string s;
  int64_t i = 0;
  float f = 0.0f;
  bool b = false;
  TfDType type = TfDType::Invalid;
  TfShape shape;
  TfTensor tensor;
  std::vector<std::string> listS;
  std::vector<int64_t> listI;
  std::vector<float> listF;
  std::vector<bool> listB;
  std::vector<TfDType> listType;
  std::vector<TfShape> listShape;
  std::vector<TfTensor> listTensor;
  std::vector<TfAttr> listFunc;
  std::map<std::string, TfAttr> funcAttrs;

  bool isList() const {
    return (kind >= ListString && kind <= ListShape) || kind >= ListTensor;
  }
};

struct TfNode {
  std::string name, op, device;
  /// "node", "node:1" or control inputs "^node", as in the file.
  std::vector<std::string> inputs;
  std::map<std::string, TfAttr> attrs;
};

struct TfGraph {
  std::vector<TfNode> nodes;
  /// versions.producer / versions.min_consumer (0 when absent).
  int producer = 0;
  int minConsumer = 0;
  /// Number of functions in the graph's library (not decoded further).
  int numLibraryFunctions = 0;
};

/// Parses a binary (text=false) or text-format (text=true) GraphDef into
/// \p graph. On failure returns false and sets \p error to a one-line reason,
/// e.g. "truncated or malformed binary GraphDef" or, for text, the parser's
/// "line L:C: ..." message. Never throws, never aborts.
bool parseGraphDef(const std::string &bytes, bool text, TfGraph &graph,
                   std::string &error);

/// Serializes \p graph as a binary or text-format GraphDef into \p bytes.
/// Tensors are written as tensor_content (strings as string_val); a tensor
/// with a single value and more elements is written as a one-entry *_val
/// list. Returns false with \p error set when a tensor's value count does not
/// fit its shape. Output is deterministic (attrs sorted by name).
bool writeGraphDef(const TfGraph &graph, bool text, std::string &bytes,
                   std::string &error);

} // namespace proto
} // namespace vai

#endif // VAI_PROTO_GRAPHDEF_H

//===- Onnx.h - ONNX models without protobuf --------------------*- C++ -*-===//
//
// Plain C++ mirror of the parts of an ONNX model (lib/Proto/onnx.proto) that
// vai reads and writes, with tensor values decoded. This header deliberately
// includes only the standard library: the protobuf-generated code lives
// inside VAIProto (built with RTTI and exceptions), while the rest of vai
// builds with LLVM's flags (-fno-exceptions, -fno-rtti). No function here
// throws or aborts.
//
//===----------------------------------------------------------------------===//

#ifndef VAI_PROTO_ONNX_H
#define VAI_PROTO_ONNX_H

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace vai {
namespace proto {

/// ONNX's TensorProto.DataType numbering (onnx/onnx.proto). Values a file
/// uses beyond these are kept as their number.
enum class OnnxDType : int {
  Undefined = 0,
  Float = 1,
  UInt8 = 2,
  Int8 = 3,
  UInt16 = 4,
  Int16 = 5,
  Int32 = 6,
  Int64 = 7,
  String = 8,
  Bool = 9,
  Float16 = 10,
  Double = 11,
  UInt32 = 12,
  UInt64 = 13,
  Complex64 = 14,
  Complex128 = 15,
  BFloat16 = 16,
  Float8E4M3FN = 17,
  Float8E4M3FNUZ = 18,
  Float8E5M2 = 19,
  Float8E5M2FNUZ = 20,
  UInt4 = 21,
  Int4 = 22,
  Float4E2M1 = 23,
  Float8E8M0 = 24,
  UInt2 = 25,
  Int2 = 26,
};

/// ONNX's name for \p type, e.g. "FLOAT", "FLOAT16", "INT64";
/// "UNKNOWN(<n>)" for numbers ONNX does not define.
std::string onnxDTypeName(OnnxDType type);

/// A decoded TensorProto, whichever of raw_data (little endian) or the typed
/// *_data fields the file used. Values are row-major, one per element (two
/// for complex types: real, imaginary), in these vectors by dtype:
///   floats:  FLOAT, FLOAT16, BFLOAT16, COMPLEX64, and also DOUBLE and
///            COMPLEX128 (rounded to float);
///   doubles: DOUBLE, COMPLEX128;
///   ints:    INT8/16/32/64, UINT8/16/32/64 (UINT64 as its two's-complement
///            bits), BOOL (0 or 1);
///   strings: STRING (bytes, UTF-8 by convention).
/// The float8, 4-bit, 2-bit and unknown types, and tensors whose data lives
/// in an external file, keep every value vector empty.
struct OnnxTensor {
  std::string name;
  OnnxDType dtype = OnnxDType::Undefined;
  std::vector<int64_t> dims;
  std::vector<float> floats;
  std::vector<int64_t> ints;
  std::vector<double> doubles;
  std::vector<std::string> strings;
  /// data_location is EXTERNAL: the values are in the file `externalData`
  /// describes ("location", "offset", "length", "checksum"), not decoded.
  bool hasExternalData = false;
  std::map<std::string, std::string> externalData;

  /// Product of the dims (1 for a scalar).
  int64_t numElements() const;
};

struct OnnxGraph;

/// One AttributeProto. `kind` says which member holds the value; the
/// numbering is ONNX's AttributeType.
struct OnnxAttr {
  enum Kind {
    Undefined = 0,
    Float = 1,          // f
    Int = 2,            // i
    String = 3,         // s
    Tensor = 4,         // t
    Graph = 5,          // graphs (one entry)
    Floats = 6,         // floats
    Ints = 7,           // ints
    Strings = 8,        // strings
    Tensors = 9,        // tensors
    Graphs = 10,        // graphs
    SparseTensor = 11,  // s = the serialized SparseTensorProto (not decoded)
    SparseTensors = 12, // strings = serialized SparseTensorProtos
    TypeProto = 13,     // s = the serialized TypeProto (not decoded)
    TypeProtos = 14,    // strings = serialized TypeProtos
  };
  std::string name;
  Kind kind = Undefined;
  float f = 0.0f;
  int64_t i = 0;
  std::string s;
  OnnxTensor t;
  std::vector<float> floats;
  std::vector<int64_t> ints;
  std::vector<std::string> strings;
  std::vector<OnnxTensor> tensors;
  std::vector<OnnxGraph> graphs;
  /// Inside a function body: the name of the function attribute this one
  /// stands for; then `kind` is the declared type and no value is set.
  std::string refAttrName;
};

/// The type of a graph input, output or value_info entry. For tensors
/// (kind Tensor or SparseTensor), `dims` has one entry per dimension, -1 when
/// it is not a number; `dimParams` is parallel to it and names the symbolic
/// dims ("" for the others). `hasShape` is false when the rank is unknown.
struct OnnxValueInfo {
  enum TypeKind { None, Tensor, SparseTensor, Sequence, Optional, Map, Opaque };
  std::string name;
  TypeKind kind = None;
  /// Tensor/SparseTensor: the element type; Map: the key type.
  OnnxDType elemType = OnnxDType::Undefined;
  std::vector<int64_t> dims;
  std::vector<std::string> dimParams;
  bool hasShape = false;
  /// Sequence, Optional: the element type; Map: the value type. One entry
  /// (none when the file leaves it out), with an empty name.
  std::vector<OnnxValueInfo> elem;
};

struct OnnxNode {
  std::string name, opType;
  /// "" for the default operator set ("ai.onnx" in a file reads as "").
  std::string domain;
  /// Value names as in the file; "" marks an omitted optional input/output.
  std::vector<std::string> inputs, outputs;
  /// In file order.
  std::vector<OnnxAttr> attrs;

  /// The attribute named \p n, or nullptr.
  const OnnxAttr *attr(const std::string &n) const;
};

struct OnnxGraph {
  std::string name;
  std::vector<OnnxNode> nodes;
  std::vector<OnnxTensor> initializers;
  /// Graph inputs (which may include initializers, as in IR version < 4),
  /// outputs, and the shapes of intermediate values.
  std::vector<OnnxValueInfo> inputs, outputs, valueInfo;
  /// Number of sparse_initializer entries (not decoded, not written).
  int numSparseInitializers = 0;
};

struct OnnxModel {
  int64_t irVersion = 0;
  /// Operator set versions by domain; "" is the default set (ai.onnx).
  std::map<std::string, int64_t> opsetImports;
  std::string producerName, producerVersion, domain;
  int64_t modelVersion = 0;
  std::map<std::string, std::string> metadataProps;
  OnnxGraph graph;
  /// Number of model-local functions (not decoded, not written).
  int numFunctions = 0;
};

/// Parses a binary ModelProto (.onnx file) into \p model. On failure returns
/// false and sets \p error to a one-line reason, e.g. "truncated or malformed
/// ONNX model" or "graph 'g' node 3 (Constant) attr 'value': FLOAT tensor has
/// 3 values, expected 4". A model must have ir_version, a graph and, from IR
/// version 3 on, an opset_import (so a file cut between two top-level fields
/// is rejected too). Never throws, never aborts.
bool parseOnnxModel(const std::string &bytes, OnnxModel &model,
                    std::string &error);

/// Parses one binary TensorProto, such as the input_N.pb / output_N.pb files
/// of ONNX's backend tests. Fails like parseOnnxModel, and also for a tensor
/// without a data type.
bool parseOnnxTensor(const std::string &bytes, OnnxTensor &tensor,
                     std::string &error);

/// Serializes \p model as a binary ModelProto into \p bytes. Tensor values
/// go to raw_data (FLOAT16/BFLOAT16 rounded to nearest even; DOUBLE and
/// COMPLEX128 from `doubles` when it is full, else from `floats`), strings
/// to string_data, external tensors as their external_data references. A
/// tensor type gets a shape when `hasShape` is set or `dims` is non-empty.
/// Returns false with \p error set when a tensor's value count does not fit
/// its dims, or it has values of a type this view does not decode. Output is
/// deterministic.
bool writeOnnxModel(const OnnxModel &model, std::string &bytes,
                    std::string &error);

} // namespace proto
} // namespace vai

#endif // VAI_PROTO_ONNX_H

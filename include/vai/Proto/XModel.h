//===- XModel.h - XIR xmodel files without protobuf -------------*- C++ -*-===//
//
// Plain C++ mirror of XIR's serial_v2.Graph ("xmodel" files), complete enough
// that read -> write -> read of real xmodels loses nothing. Like GraphDef.h
// this header includes only the standard library, so code built with LLVM's
// flags can use it; the protobuf code stays inside VAIProto. No function here
// throws or aborts.
//
//===----------------------------------------------------------------------===//

#ifndef VAI_PROTO_XMODEL_H
#define VAI_PROTO_XMODEL_H

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace vai {
namespace proto {

/// One serial_v2.AttrValue. `kind` names the oneof alternative; values of the
/// same family share a member (all signed ints in `i`, float and double in
/// `d`, ...) and the writer narrows them back to the kind's type.
struct XAttr {
  enum Kind {
    None,         // no alternative set
    Bool,         // b
    Int32,        // i
    UInt32,       // u
    Int64,        // i
    UInt64,       // u
    Float,        // d
    Double,       // d
    String,       // s
    Bytes,        // s (raw bytes)
    BoolVec,      // bools
    Int32Vec,     // ints
    UInt32Vec,    // uints
    Int64Vec,     // ints
    UInt64Vec,    // uints
    FloatVec,     // reals
    DoubleVec,    // reals
    StringVec,    // strs
    BytesVec,     // strs
    MapInt32,     // intMap
    MapUInt32,    // uintMap
    MapInt64,     // intMap
    MapUInt64,    // uintMap
    MapString,    // strMap
    MapBytes,     // strMap
    MapInt32Vec,  // intVecMap
    MapUInt32Vec, // uintVecMap
    MapInt64Vec,  // intVecMap
    MapUInt64Vec, // uintVecMap
    MapStringVec, // strVecMap
  };
  Kind kind = None;

  bool b = false;
  int64_t i = 0;
  uint64_t u = 0;
  double d = 0.0;
  std::string s;
  std::vector<bool> bools;
  std::vector<int64_t> ints;
  std::vector<uint64_t> uints;
  std::vector<double> reals;
  std::vector<std::string> strs;
  std::map<std::string, int64_t> intMap;
  std::map<std::string, uint64_t> uintMap;
  std::map<std::string, std::string> strMap;
  std::map<std::string, std::vector<int64_t>> intVecMap;
  std::map<std::string, std::vector<uint64_t>> uintVecMap;
  std::map<std::string, std::vector<std::string>> strVecMap;

  // Convenience constructors for the common kinds.
  static XAttr boolean(bool v);
  static XAttr int32(int32_t v);
  static XAttr int64(int64_t v);
  static XAttr uint64(uint64_t v);
  static XAttr float32(float v);
  static XAttr float64(double v);
  static XAttr string(std::string v);
  static XAttr bytes(std::string v);
  static XAttr int32Vec(std::vector<int64_t> v);
  static XAttr stringVec(std::vector<std::string> v);
  static XAttr floatVec(std::vector<double> v);

  bool operator==(const XAttr &other) const;
  bool operator!=(const XAttr &other) const { return !(*this == other); }

  /// The value of an integer kind, signed or not (u for the unsigned kinds).
  int64_t integer() const {
    return kind == UInt32 || kind == UInt64 ? int64_t(u) : i;
  }
};

using XAttrMap = std::map<std::string, XAttr>;

/// The attribute `name` of `attrs`, or null; with a `kind` other than None,
/// only an attribute of that kind.
const XAttr *findXAttr(const XAttrMap &attrs, const std::string &name,
                       XAttr::Kind kind = XAttr::None);

/// The keys of a DPU subgraph's reg_id_to_* maps: "REG_<id>".
std::string xirRegKey(int64_t id);
/// The id of a "REG_<id>" key; false for any other key.
bool parseXirRegKey(const std::string &key, int64_t &id);

/// xir::DataType::Type numbering (xir/util/data_type.hpp), stored in
/// XTensor::dataType together with a bit width: XINT8 = {XInt, 8}.
enum class XDataType : int32_t {
  Int = 0,
  UInt = 1,
  XInt = 2,
  XUInt = 3,
  Float = 4,
  BFloat = 5,
  Unknown = 6,
};

/// serial_v2.Tensor, the output tensor of an op.
struct XTensor {
  std::string name;
  std::vector<int32_t> dims;
  int32_t dataType = 0; // an XDataType value
  int32_t bitWidth = 0;
  XAttrMap attrs;

  bool operator==(const XTensor &other) const;
};

/// serial_v2.OpArg: one named input of an op and the producers feeding it.
struct XOpArg {
  std::string argName;
  std::vector<std::string> argOps;

  bool operator==(const XOpArg &other) const;
};

/// serial_v2.OPNode.
struct XOp {
  std::string name;
  std::string type;
  XAttrMap attrs;
  std::vector<XOpArg> args;
  XTensor outputTensor;

  bool operator==(const XOp &other) const;
};

/// serial_v2.SubGraph: a leaf lists op names, an inner node its children.
struct XSubgraph {
  std::string name;
  std::vector<std::string> opNames;
  XAttrMap attrs;
  std::vector<XSubgraph> children;

  /// Number of subgraphs in this tree, this one included.
  size_t count() const;
  bool operator==(const XSubgraph &other) const;
};

/// serial_v2.OpArgDef.
struct XOpArgDef {
  std::string name;
  int32_t occurType = 0; // REQUIRED, OPTIONAL, REPEATED, REQUIRED_AND_REPEATED
  int32_t dataType = 0;  // an XDataType value
  std::string annotation;

  bool operator==(const XOpArgDef &other) const;
};

/// serial_v2.AttrDef.
struct XAttrDef {
  std::string name;
  int32_t occurType = 0; // REQUIRED, OPTIONAL
  bool hasDefaultValue = false;
  XAttr defaultValue;
  int32_t listLength = 0;
  std::string annotation;

  bool operator==(const XAttrDef &other) const;
};

/// serial_v2.OpDef: the op type registry XIR embeds in every xmodel.
struct XOpDef {
  std::string name;
  std::vector<XOpArgDef> inputArgs;
  std::vector<XAttrDef> attrs;
  std::string annotation;

  bool operator==(const XOpDef &other) const;
};

/// serial_v2.Graph. Ops are in file order (XIR writes them topologically).
struct XGraph {
  std::string name;
  std::vector<XOp> ops;
  XSubgraph root;
  XAttrMap attrs;
  std::vector<XOpDef> opDefs;

  bool operator==(const XGraph &other) const;
};

/// Parses the bytes of an .xmodel file. On failure returns false and sets
/// \p error to a one-line reason.
bool readXModel(const std::string &bytes, XGraph &g, std::string &error);

/// Serializes \p g. The output is byte-deterministic: maps are written in key
/// order, so writing the result of reading it back gives identical bytes.
bool writeXModel(const XGraph &g, std::string &bytes, std::string &error);

} // namespace proto
} // namespace vai

#endif // VAI_PROTO_XMODEL_H

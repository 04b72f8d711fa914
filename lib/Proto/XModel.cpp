//===- XModel.cpp - XIR xmodel <-> plain structs --------------------------===//
//
// Converts between serial_v2 protobuf messages (xir_graph.proto) and the
// std-only structs of vai/Proto/XModel.h. Built with -fexceptions: every
// public entry point catches everything so nothing escapes into the
// -fno-exceptions code that calls it.
//
//===----------------------------------------------------------------------===//

#include "vai/Proto/XModel.h"

#include "xir_graph.pb.h"

#include <utility>

#include "ProtoSupport.h"

using namespace vai::proto;

namespace pb = serial_v2;

//===----------------------------------------------------------------------===//
// XAttr helpers
//===----------------------------------------------------------------------===//

XAttr XAttr::boolean(bool v) {
  XAttr a;
  a.kind = Bool;
  a.b = v;
  return a;
}
XAttr XAttr::int32(int32_t v) {
  XAttr a;
  a.kind = Int32;
  a.i = v;
  return a;
}
XAttr XAttr::int64(int64_t v) {
  XAttr a;
  a.kind = Int64;
  a.i = v;
  return a;
}
XAttr XAttr::uint64(uint64_t v) {
  XAttr a;
  a.kind = UInt64;
  a.u = v;
  return a;
}
XAttr XAttr::float32(float v) {
  XAttr a;
  a.kind = Float;
  a.d = v;
  return a;
}
XAttr XAttr::float64(double v) {
  XAttr a;
  a.kind = Double;
  a.d = v;
  return a;
}
XAttr XAttr::string(std::string v) {
  XAttr a;
  a.kind = String;
  a.s = std::move(v);
  return a;
}
XAttr XAttr::bytes(std::string v) {
  XAttr a;
  a.kind = Bytes;
  a.s = std::move(v);
  return a;
}
XAttr XAttr::int32Vec(std::vector<int64_t> v) {
  XAttr a;
  a.kind = Int32Vec;
  a.ints = std::move(v);
  return a;
}
XAttr XAttr::stringVec(std::vector<std::string> v) {
  XAttr a;
  a.kind = StringVec;
  a.strs = std::move(v);
  return a;
}
XAttr XAttr::floatVec(std::vector<double> v) {
  XAttr a;
  a.kind = FloatVec;
  a.reals = std::move(v);
  return a;
}

// Compares only the member the kind uses, so stray data in unused members
// does not make two equal attributes differ.
const XAttr *vai::proto::findXAttr(const XAttrMap &attrs,
                                   const std::string &name, XAttr::Kind kind) {
  auto it = attrs.find(name);
  if (it == attrs.end() || (kind != XAttr::None && it->second.kind != kind))
    return nullptr;
  return &it->second;
}

std::string vai::proto::xirRegKey(int64_t id) {
  return "REG_" + std::to_string(id);
}

bool vai::proto::parseXirRegKey(const std::string &key, int64_t &id) {
  if (key.size() < 5 || key.compare(0, 4, "REG_") != 0 || key.size() > 22)
    return false;
  id = 0;
  for (size_t i = 4; i < key.size(); ++i) {
    if (key[i] < '0' || key[i] > '9')
      return false;
    id = id * 10 + (key[i] - '0');
  }
  return true;
}

bool XAttr::operator==(const XAttr &o) const {
  if (kind != o.kind)
    return false;
  switch (kind) {
  case None:
    return true;
  case Bool:
    return b == o.b;
  case Int32:
  case Int64:
    return i == o.i;
  case UInt32:
  case UInt64:
    return u == o.u;
  case Float:
  case Double:
    return d == o.d;
  case String:
  case Bytes:
    return s == o.s;
  case BoolVec:
    return bools == o.bools;
  case Int32Vec:
  case Int64Vec:
    return ints == o.ints;
  case UInt32Vec:
  case UInt64Vec:
    return uints == o.uints;
  case FloatVec:
  case DoubleVec:
    return reals == o.reals;
  case StringVec:
  case BytesVec:
    return strs == o.strs;
  case MapInt32:
  case MapInt64:
    return intMap == o.intMap;
  case MapUInt32:
  case MapUInt64:
    return uintMap == o.uintMap;
  case MapString:
  case MapBytes:
    return strMap == o.strMap;
  case MapInt32Vec:
  case MapInt64Vec:
    return intVecMap == o.intVecMap;
  case MapUInt32Vec:
  case MapUInt64Vec:
    return uintVecMap == o.uintVecMap;
  case MapStringVec:
    return strVecMap == o.strVecMap;
  }
  return false;
}

bool XTensor::operator==(const XTensor &o) const {
  return name == o.name && dims == o.dims && dataType == o.dataType &&
         bitWidth == o.bitWidth && attrs == o.attrs;
}

bool XOpArg::operator==(const XOpArg &o) const {
  return argName == o.argName && argOps == o.argOps;
}

bool XOp::operator==(const XOp &o) const {
  return name == o.name && type == o.type && attrs == o.attrs &&
         args == o.args && outputTensor == o.outputTensor;
}

size_t XSubgraph::count() const {
  size_t n = 1;
  for (const XSubgraph &child : children)
    n += child.count();
  return n;
}

bool XSubgraph::operator==(const XSubgraph &o) const {
  return name == o.name && opNames == o.opNames && attrs == o.attrs &&
         children == o.children;
}

bool XOpArgDef::operator==(const XOpArgDef &o) const {
  return name == o.name && occurType == o.occurType && dataType == o.dataType &&
         annotation == o.annotation;
}

bool XAttrDef::operator==(const XAttrDef &o) const {
  return name == o.name && occurType == o.occurType &&
         hasDefaultValue == o.hasDefaultValue &&
         defaultValue == o.defaultValue && listLength == o.listLength &&
         annotation == o.annotation;
}

bool XOpDef::operator==(const XOpDef &o) const {
  return name == o.name && inputArgs == o.inputArgs && attrs == o.attrs &&
         annotation == o.annotation;
}

bool XGraph::operator==(const XGraph &o) const {
  return name == o.name && ops == o.ops && root == o.root && attrs == o.attrs &&
         opDefs == o.opDefs;
}

//===----------------------------------------------------------------------===//
// protobuf -> structs
//===----------------------------------------------------------------------===//

namespace {

template <typename To, typename Repeated>
std::vector<To> toVector(const Repeated &values) {
  return std::vector<To>(values.begin(), values.end());
}

template <typename To, typename PbMap>
std::map<std::string, To> toMap(const PbMap &values) {
  std::map<std::string, To> out;
  for (const auto &entry : values)
    out.emplace(entry.first, To(entry.second));
  return out;
}

template <typename To, typename PbMap>
std::map<std::string, std::vector<To>> toVecMap(const PbMap &values) {
  std::map<std::string, std::vector<To>> out;
  for (const auto &entry : values)
    out.emplace(entry.first, toVector<To>(entry.second.value()));
  return out;
}

XAttr fromPb(const pb::AttrValue &v) {
  XAttr a;
  switch (v.value_case()) {
  case pb::AttrValue::VALUE_NOT_SET:
    break;
  case pb::AttrValue::kBoolValue:
    a.kind = XAttr::Bool;
    a.b = v.bool_value();
    break;
  case pb::AttrValue::kInt32Value:
    a.kind = XAttr::Int32;
    a.i = v.int32_value();
    break;
  case pb::AttrValue::kUint32Value:
    a.kind = XAttr::UInt32;
    a.u = v.uint32_value();
    break;
  case pb::AttrValue::kInt64Value:
    a.kind = XAttr::Int64;
    a.i = v.int64_value();
    break;
  case pb::AttrValue::kUint64Value:
    a.kind = XAttr::UInt64;
    a.u = v.uint64_value();
    break;
  case pb::AttrValue::kFloatValue:
    a.kind = XAttr::Float;
    a.d = v.float_value();
    break;
  case pb::AttrValue::kDoubleValue:
    a.kind = XAttr::Double;
    a.d = v.double_value();
    break;
  case pb::AttrValue::kStringValue:
    a.kind = XAttr::String;
    a.s = v.string_value();
    break;
  case pb::AttrValue::kBytesValue:
    a.kind = XAttr::Bytes;
    a.s = v.bytes_value().value();
    break;
  case pb::AttrValue::kBoolVecValue:
    a.kind = XAttr::BoolVec;
    a.bools = toVector<bool>(v.bool_vec_value().value());
    break;
  case pb::AttrValue::kInt32VecValue:
    a.kind = XAttr::Int32Vec;
    a.ints = toVector<int64_t>(v.int32_vec_value().value());
    break;
  case pb::AttrValue::kUint32VecValue:
    a.kind = XAttr::UInt32Vec;
    a.uints = toVector<uint64_t>(v.uint32_vec_value().value());
    break;
  case pb::AttrValue::kInt64VecValue:
    a.kind = XAttr::Int64Vec;
    a.ints = toVector<int64_t>(v.int64_vec_value().value());
    break;
  case pb::AttrValue::kUint64VecValue:
    a.kind = XAttr::UInt64Vec;
    a.uints = toVector<uint64_t>(v.uint64_vec_value().value());
    break;
  case pb::AttrValue::kFloatVecValue:
    a.kind = XAttr::FloatVec;
    a.reals = toVector<double>(v.float_vec_value().value());
    break;
  case pb::AttrValue::kDoubleVecValue:
    a.kind = XAttr::DoubleVec;
    a.reals = toVector<double>(v.double_vec_value().value());
    break;
  case pb::AttrValue::kStringVecValue:
    a.kind = XAttr::StringVec;
    a.strs = toVector<std::string>(v.string_vec_value().value());
    break;
  case pb::AttrValue::kBytesVecValue:
    a.kind = XAttr::BytesVec;
    for (const pb::Bytes &item : v.bytes_vec_value().value())
      a.strs.push_back(item.value());
    break;
  case pb::AttrValue::kMapString2Int32Value:
    a.kind = XAttr::MapInt32;
    a.intMap = toMap<int64_t>(v.map_string_2_int32_value().value());
    break;
  case pb::AttrValue::kMapString2Uint32Value:
    a.kind = XAttr::MapUInt32;
    a.uintMap = toMap<uint64_t>(v.map_string_2_uint32_value().value());
    break;
  case pb::AttrValue::kMapString2Int64Value:
    a.kind = XAttr::MapInt64;
    a.intMap = toMap<int64_t>(v.map_string_2_int64_value().value());
    break;
  case pb::AttrValue::kMapString2Uint64Value:
    a.kind = XAttr::MapUInt64;
    a.uintMap = toMap<uint64_t>(v.map_string_2_uint64_value().value());
    break;
  case pb::AttrValue::kMapString2StringValue:
    a.kind = XAttr::MapString;
    a.strMap = toMap<std::string>(v.map_string_2_string_value().value());
    break;
  case pb::AttrValue::kMapString2BytesValue:
    a.kind = XAttr::MapBytes;
    for (const auto &entry : v.map_string_2_bytes_value().value())
      a.strMap.emplace(entry.first, entry.second.value());
    break;
  case pb::AttrValue::kMapString2Int32VecValue:
    a.kind = XAttr::MapInt32Vec;
    a.intVecMap = toVecMap<int64_t>(v.map_string_2_int32_vec_value().value());
    break;
  case pb::AttrValue::kMapString2Uint32VecValue:
    a.kind = XAttr::MapUInt32Vec;
    a.uintVecMap =
        toVecMap<uint64_t>(v.map_string_2_uint32_vec_value().value());
    break;
  case pb::AttrValue::kMapString2Int64VecValue:
    a.kind = XAttr::MapInt64Vec;
    a.intVecMap = toVecMap<int64_t>(v.map_string_2_int64_vec_value().value());
    break;
  case pb::AttrValue::kMapString2Uint64VecValue:
    a.kind = XAttr::MapUInt64Vec;
    a.uintVecMap =
        toVecMap<uint64_t>(v.map_string_2_uint64_vec_value().value());
    break;
  case pb::AttrValue::kMapString2StringVecValue:
    a.kind = XAttr::MapStringVec;
    a.strVecMap =
        toVecMap<std::string>(v.map_string_2_string_vec_value().value());
    break;
  }
  return a;
}

template <typename PbMap> XAttrMap fromPbAttrs(const PbMap &attrs) {
  XAttrMap out;
  for (const auto &entry : attrs)
    out.emplace(entry.first, fromPb(entry.second));
  return out;
}

XTensor fromPb(const pb::Tensor &t) {
  XTensor out;
  out.name = t.tensor_name();
  // The file stores dims as uint32; XIR itself uses int, so cast back.
  for (uint32_t dim : t.tensor_dim())
    out.dims.push_back(static_cast<int32_t>(dim));
  out.dataType = t.data_type();
  out.bitWidth = t.tensor_bit_width();
  out.attrs = fromPbAttrs(t.tensor_attr());
  return out;
}

XOp fromPb(const pb::OPNode &n) {
  XOp op;
  op.name = n.op_name();
  op.type = n.op_type();
  op.attrs = fromPbAttrs(n.op_attr());
  for (const pb::OpArg &arg : n.args())
    op.args.push_back({arg.arg_name(), toVector<std::string>(arg.arg_ops())});
  op.outputTensor = fromPb(n.output_tensor());
  return op;
}

XSubgraph fromPb(const pb::SubGraph &s) {
  XSubgraph out;
  out.name = s.subgraph_name();
  out.opNames = toVector<std::string>(s.op_name());
  out.attrs = fromPbAttrs(s.subg_attr());
  for (const pb::SubGraph &child : s.subg_child())
    out.children.push_back(fromPb(child));
  return out;
}

XOpDef fromPb(const pb::OpDef &d) {
  XOpDef out;
  out.name = d.name();
  out.annotation = d.annotation();
  for (const pb::OpArgDef &arg : d.input_args())
    out.inputArgs.push_back(
        {arg.name(), arg.occur_type(), arg.data_type(), arg.annotation()});
  for (const pb::AttrDef &attr : d.attrs()) {
    XAttrDef def;
    def.name = attr.name();
    def.occurType = attr.occur_type();
    def.hasDefaultValue = attr.has_default_value();
    if (def.hasDefaultValue)
      def.defaultValue = fromPb(attr.default_value());
    def.listLength = attr.list_length();
    def.annotation = attr.annotation();
    out.attrs.push_back(std::move(def));
  }
  return out;
}

//===----------------------------------------------------------------------===//
// structs -> protobuf
//===----------------------------------------------------------------------===//

template <typename T, typename Repeated, typename From>
void fillRepeated(Repeated *out, const std::vector<From> &values) {
  out->Reserve(static_cast<int>(values.size()));
  for (const From &v : values)
    out->Add(static_cast<T>(v));
}

template <typename T, typename PbMap, typename From>
void fillMap(PbMap *out, const std::map<std::string, From> &values) {
  for (const auto &entry : values)
    (*out)[entry.first] = static_cast<T>(entry.second);
}

template <typename T, typename PbMap, typename From>
void fillVecMap(PbMap *out,
                const std::map<std::string, std::vector<From>> &values) {
  for (const auto &entry : values)
    fillRepeated<T>((*out)[entry.first].mutable_value(), entry.second);
}

bool toPb(const XAttr &a, pb::AttrValue &v, std::string &error) {
  switch (a.kind) {
  case XAttr::None:
    return true;
  case XAttr::Bool:
    v.set_bool_value(a.b);
    return true;
  case XAttr::Int32:
    v.set_int32_value(static_cast<int32_t>(a.i));
    return true;
  case XAttr::UInt32:
    v.set_uint32_value(static_cast<uint32_t>(a.u));
    return true;
  case XAttr::Int64:
    v.set_int64_value(a.i);
    return true;
  case XAttr::UInt64:
    v.set_uint64_value(a.u);
    return true;
  case XAttr::Float:
    v.set_float_value(static_cast<float>(a.d));
    return true;
  case XAttr::Double:
    v.set_double_value(a.d);
    return true;
  case XAttr::String:
    v.set_string_value(a.s);
    return true;
  case XAttr::Bytes:
    v.mutable_bytes_value()->set_value(a.s);
    return true;
  case XAttr::BoolVec:
    fillRepeated<bool>(v.mutable_bool_vec_value()->mutable_value(), a.bools);
    return true;
  case XAttr::Int32Vec:
    fillRepeated<int32_t>(v.mutable_int32_vec_value()->mutable_value(), a.ints);
    return true;
  case XAttr::UInt32Vec:
    fillRepeated<uint32_t>(v.mutable_uint32_vec_value()->mutable_value(),
                           a.uints);
    return true;
  case XAttr::Int64Vec:
    fillRepeated<int64_t>(v.mutable_int64_vec_value()->mutable_value(), a.ints);
    return true;
  case XAttr::UInt64Vec:
    fillRepeated<uint64_t>(v.mutable_uint64_vec_value()->mutable_value(),
                           a.uints);
    return true;
  case XAttr::FloatVec:
    fillRepeated<float>(v.mutable_float_vec_value()->mutable_value(), a.reals);
    return true;
  case XAttr::DoubleVec:
    fillRepeated<double>(v.mutable_double_vec_value()->mutable_value(),
                         a.reals);
    return true;
  case XAttr::StringVec: {
    auto *out = v.mutable_string_vec_value()->mutable_value();
    for (const std::string &s : a.strs)
      out->Add()->assign(s);
    return true;
  }
  case XAttr::BytesVec: {
    auto *out = v.mutable_bytes_vec_value()->mutable_value();
    for (const std::string &s : a.strs)
      out->Add()->set_value(s);
    return true;
  }
  case XAttr::MapInt32:
    fillMap<int32_t>(v.mutable_map_string_2_int32_value()->mutable_value(),
                     a.intMap);
    return true;
  case XAttr::MapUInt32:
    fillMap<uint32_t>(v.mutable_map_string_2_uint32_value()->mutable_value(),
                      a.uintMap);
    return true;
  case XAttr::MapInt64:
    fillMap<int64_t>(v.mutable_map_string_2_int64_value()->mutable_value(),
                     a.intMap);
    return true;
  case XAttr::MapUInt64:
    fillMap<uint64_t>(v.mutable_map_string_2_uint64_value()->mutable_value(),
                      a.uintMap);
    return true;
  case XAttr::MapString: {
    auto *out = v.mutable_map_string_2_string_value()->mutable_value();
    for (const auto &entry : a.strMap)
      (*out)[entry.first] = entry.second;
    return true;
  }
  case XAttr::MapBytes: {
    auto *out = v.mutable_map_string_2_bytes_value()->mutable_value();
    for (const auto &entry : a.strMap)
      (*out)[entry.first].set_value(entry.second);
    return true;
  }
  case XAttr::MapInt32Vec:
    fillVecMap<int32_t>(
        v.mutable_map_string_2_int32_vec_value()->mutable_value(), a.intVecMap);
    return true;
  case XAttr::MapUInt32Vec:
    fillVecMap<uint32_t>(
        v.mutable_map_string_2_uint32_vec_value()->mutable_value(),
        a.uintVecMap);
    return true;
  case XAttr::MapInt64Vec:
    fillVecMap<int64_t>(
        v.mutable_map_string_2_int64_vec_value()->mutable_value(), a.intVecMap);
    return true;
  case XAttr::MapUInt64Vec:
    fillVecMap<uint64_t>(
        v.mutable_map_string_2_uint64_vec_value()->mutable_value(),
        a.uintVecMap);
    return true;
  case XAttr::MapStringVec: {
    auto *out = v.mutable_map_string_2_string_vec_value()->mutable_value();
    for (const auto &entry : a.strVecMap) {
      auto *vec = (*out)[entry.first].mutable_value();
      for (const std::string &s : entry.second)
        vec->Add()->assign(s);
    }
    return true;
  }
  }
  error = "invalid XAttr kind " + std::to_string(static_cast<int>(a.kind));
  return false;
}

template <typename PbMap>
bool toPbAttrs(const XAttrMap &attrs, PbMap *out, const std::string &owner,
               std::string &error) {
  for (const auto &entry : attrs) {
    if (!toPb(entry.second, (*out)[entry.first], error)) {
      prefixAttrError(owner, entry.first, error);
      return false;
    }
  }
  return true;
}

bool toPb(const XTensor &t, pb::Tensor &out, std::string &error) {
  out.set_tensor_name(t.name);
  for (int32_t dim : t.dims)
    out.add_tensor_dim(static_cast<uint32_t>(dim));
  out.set_data_type(t.dataType);
  out.set_tensor_bit_width(t.bitWidth);
  return toPbAttrs(t.attrs, out.mutable_tensor_attr(),
                   "tensor '" + t.name + "'", error);
}

bool toPb(const XOp &op, pb::OPNode &out, std::string &error) {
  out.set_op_name(op.name);
  out.set_op_type(op.type);
  if (!toPbAttrs(op.attrs, out.mutable_op_attr(), "op '" + op.name + "'",
                 error))
    return false;
  for (const XOpArg &arg : op.args) {
    pb::OpArg *pbArg = out.add_args();
    pbArg->set_arg_name(arg.argName);
    for (const std::string &producer : arg.argOps)
      pbArg->add_arg_ops(producer);
  }
  return toPb(op.outputTensor, *out.mutable_output_tensor(), error);
}

bool toPb(const XSubgraph &s, pb::SubGraph &out, std::string &error) {
  out.set_subgraph_name(s.name);
  for (const std::string &name : s.opNames)
    out.add_op_name(name);
  if (!toPbAttrs(s.attrs, out.mutable_subg_attr(), "subgraph '" + s.name + "'",
                 error))
    return false;
  for (const XSubgraph &child : s.children)
    if (!toPb(child, *out.add_subg_child(), error))
      return false;
  return true;
}

bool toPb(const XOpDef &d, pb::OpDef &out, std::string &error) {
  out.set_name(d.name);
  for (const XOpArgDef &arg : d.inputArgs) {
    pb::OpArgDef *pbArg = out.add_input_args();
    pbArg->set_name(arg.name);
    pbArg->set_occur_type(static_cast<pb::OpArgDef::OccurType>(arg.occurType));
    pbArg->set_data_type(arg.dataType);
    pbArg->set_annotation(arg.annotation);
  }
  for (const XAttrDef &attr : d.attrs) {
    pb::AttrDef *pbAttr = out.add_attrs();
    pbAttr->set_name(attr.name);
    pbAttr->set_occur_type(static_cast<pb::AttrDef::OccurType>(attr.occurType));
    if (attr.hasDefaultValue &&
        !toPb(attr.defaultValue, *pbAttr->mutable_default_value(), error)) {
      prefixAttrError("op def '" + d.name + "'", attr.name, error);
      return false;
    }
    pbAttr->set_list_length(attr.listLength);
    pbAttr->set_annotation(attr.annotation);
  }
  out.set_annotation(d.annotation);
  return true;
}

} // namespace

//===----------------------------------------------------------------------===//
// Entry points
//===----------------------------------------------------------------------===//

bool vai::proto::readXModel(const std::string &bytes, XGraph &g,
                            std::string &error) {
  return runGuarded("xmodel read", error, [&] {
    pb::Graph graph;
    if (!graph.ParseFromString(bytes)) {
      error = "truncated or malformed xmodel (serial_v2.Graph)";
      return false;
    }
    XGraph out;
    out.name = graph.graph_name();
    out.ops.reserve(graph.op_node_size());
    for (const pb::OPNode &node : graph.op_node())
      out.ops.push_back(fromPb(node));
    out.root = fromPb(graph.subg_root());
    out.attrs = fromPbAttrs(graph.graph_attr());
    for (const pb::OpDef &def : graph.op_defs())
      out.opDefs.push_back(fromPb(def));
    g = std::move(out);
    return true;
  });
}

bool vai::proto::writeXModel(const XGraph &g, std::string &bytes,
                             std::string &error) {
  return runGuarded("xmodel write", error, [&] {
    pb::Graph graph;
    graph.set_graph_name(g.name);
    for (const XOp &op : g.ops)
      if (!toPb(op, *graph.add_op_node(), error))
        return false;
    if (!toPb(g.root, *graph.mutable_subg_root(), error))
      return false;
    if (!toPbAttrs(g.attrs, graph.mutable_graph_attr(), "graph", error))
      return false;
    for (const XOpDef &def : g.opDefs)
      if (!toPb(def, *graph.add_op_defs(), error))
        return false;
    if (!serializeDeterministic(graph, bytes)) {
      error = "xmodel serialization failed";
      return false;
    }
    return true;
  });
}

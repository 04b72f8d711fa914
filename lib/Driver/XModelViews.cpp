//===- XModelViews.cpp - xir-like views of .xmodel files ------------------===//
//
// The formats follow Vitis AI's `xir` tools where that helps reading them side
// by side (src/vai_runtime/xir/tools/cmd_subgraph.cpp prints 4 spaces per
// tree level, cmd_dump_txt.cpp summarizes bytes by size and md5, and
// subgraph_imp.cpp colors CPU red, DPU blue and other devices green), but
// every view is line oriented so that scripts can check it.
//
//===----------------------------------------------------------------------===//

#include "vai/Driver/XModelViews.h"
#include "vai/Target/Target.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/MD5.h"
#include "llvm/Support/raw_ostream.h"
#include <functional>
#include <map>
#include <optional>
#include <set>

using namespace vai;
using proto::XAttr;
using proto::XAttrMap;
using proto::XGraph;
using proto::XOp;
using proto::XSubgraph;
using proto::XTensor;

namespace {

std::string quoted(const std::string &s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\')
      out += '\\';
    out += c;
  }
  return out + "\"";
}

/// Bytes as `xir dump_txt` shows them: size and md5, not the contents.
std::string bytesSummary(const std::string &s) {
  llvm::MD5 md5;
  md5.update(llvm::StringRef(s));
  llvm::MD5::MD5Result result;
  md5.final(result);
  return "<" + std::to_string(s.size()) + " bytes md5 " +
         std::string(result.digest().str()) + ">";
}

template <typename T, typename F>
std::string list(const std::vector<T> &values, F format) {
  std::string out = "[";
  for (size_t i = 0; i < values.size(); ++i)
    out += (i ? "," : "") + format(values[i]);
  return out + "]";
}

template <typename M, typename F> std::string map(const M &values, F format) {
  std::string out = "{";
  bool first = true;
  for (const auto &[key, value] : values) {
    out += (first ? "" : ", ") + quoted(key) + ": " + format(value);
    first = false;
  }
  return out + "}";
}

std::string real(double d) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << llvm::format("%g", d);
  return s;
}

std::string formatAttr(const XAttr &a) {
  auto num = [](auto v) { return std::to_string(v); };
  auto boolean = [](bool b) { return std::string(b ? "true" : "false"); };
  switch (a.kind) {
  case XAttr::None:
    return "<none>";
  case XAttr::Bool:
    return boolean(a.b);
  case XAttr::Int32:
  case XAttr::Int64:
    return num(a.i);
  case XAttr::UInt32:
  case XAttr::UInt64:
    return num(a.u);
  case XAttr::Float:
  case XAttr::Double:
    return real(a.d);
  case XAttr::String:
    return quoted(a.s);
  case XAttr::Bytes:
    return bytesSummary(a.s);
  case XAttr::BoolVec: {
    std::vector<bool> v = a.bools;
    std::string out = "[";
    for (size_t i = 0; i < v.size(); ++i)
      out += (i ? "," : "") + boolean(v[i]);
    return out + "]";
  }
  case XAttr::Int32Vec:
  case XAttr::Int64Vec:
    return list(a.ints, num);
  case XAttr::UInt32Vec:
  case XAttr::UInt64Vec:
    return list(a.uints, num);
  case XAttr::FloatVec:
  case XAttr::DoubleVec:
    return list(a.reals, real);
  case XAttr::StringVec:
    return list(a.strs, quoted);
  case XAttr::BytesVec:
    return list(a.strs, bytesSummary);
  case XAttr::MapInt32:
  case XAttr::MapInt64:
    return map(a.intMap, num);
  case XAttr::MapUInt32:
  case XAttr::MapUInt64:
    return map(a.uintMap, num);
  case XAttr::MapString:
    return map(a.strMap, quoted);
  case XAttr::MapBytes:
    return map(a.strMap, bytesSummary);
  case XAttr::MapInt32Vec:
  case XAttr::MapInt64Vec:
    return map(a.intVecMap,
               [&](const std::vector<int64_t> &v) { return list(v, num); });
  case XAttr::MapUInt32Vec:
  case XAttr::MapUInt64Vec:
    return map(a.uintVecMap,
               [&](const std::vector<uint64_t> &v) { return list(v, num); });
  case XAttr::MapStringVec:
    return map(a.strVecMap, [&](const std::vector<std::string> &v) {
      return list(v, quoted);
    });
  }
  return "<?>";
}

std::string formatAttrs(const XAttrMap &attrs) {
  std::string out = "{";
  bool first = true;
  for (const auto &[key, value] : attrs) {
    out += (first ? "" : ", ") + key + "=" + formatAttr(value);
    first = false;
  }
  return out + "}";
}

/// XIR's type names (xir/util/data_type.cpp): XINT8, FLOAT32, ...
std::string dataTypeName(const XTensor &t) {
  static const char *names[] = {"INT",   "UINT",  "XINT",
                                "XUINT", "FLOAT", "BFLOAT"};
  std::string base = t.dataType >= 0 && t.dataType < 6
                         ? names[t.dataType]
                         : "TYPE" + std::to_string(t.dataType) + "_";
  return base + std::to_string(t.bitWidth);
}

std::string dims(const XTensor &t) {
  return list(t.dims, [](int32_t d) { return std::to_string(d); });
}

/// `name [1,12000,100,4] XINT8 fix_point=0` (fix point only when set).
std::string tensorLine(const XTensor &t) {
  std::string out = t.name + " " + dims(t) + " " + dataTypeName(t);
  auto it = t.attrs.find("fix_point");
  if (it != t.attrs.end())
    out += " fix_point=" + formatAttr(it->second);
  return out;
}

std::string stringAttr(const XAttrMap &attrs, llvm::StringRef name) {
  const XAttr *a = findXAttr(attrs, name.str());
  return a && a->kind == XAttr::String ? a->s : std::string();
}

/// Index of the graph: ops by name, consumers per op, subgraph op sets.
struct GraphIndex {
  const XGraph &g;
  std::map<std::string, size_t> opIndex;
  std::vector<std::vector<size_t>> consumers;

  explicit GraphIndex(const XGraph &g) : g(g) {
    for (size_t i = 0; i < g.ops.size(); ++i)
      opIndex.emplace(g.ops[i].name, i);
    consumers.resize(g.ops.size());
    for (size_t i = 0; i < g.ops.size(); ++i)
      for (const proto::XOpArg &arg : g.ops[i].args)
        for (const std::string &in : arg.argOps)
          consumers[opIndex.at(in)].push_back(i);
  }

  /// The ops of \p sg: its own op names for a leaf, its children's for an
  /// inner subgraph (XIR ignores the op names of a subgraph with children).
  void collect(const XSubgraph &sg, std::set<size_t> &ops) const {
    if (sg.children.empty()) {
      for (const std::string &name : sg.opNames)
        ops.insert(opIndex.at(name));
      return;
    }
    for (const XSubgraph &child : sg.children)
      collect(child, ops);
  }
};

//===----------------------------------------------------------------------===//
// Summary
//===----------------------------------------------------------------------===//

/// Fields of the decoded fingerprint, one line a script can recompute from
/// the bits; the multi-line describeFingerprint() follows, marked with "| ".
void printFingerprint(llvm::raw_ostream &os, const std::string &indent,
                      const XAttr &fp) {
  uint64_t value = uint64_t(fp.integer());
  os << indent << "fingerprint 0x" << llvm::utohexstr(value, true) << "\n";
  std::string error;
  std::optional<Target> t = decodeFingerprint(value, error);
  if (!t) {
    os << indent << "decoded (not decodable: " << error << ")\n";
  } else {
    os << indent << "decoded " << t->name << " PP=" << t->pixelParallel
       << " ICP=" << t->inputChannelParallel
       << " OCP=" << t->outputChannelParallel
       << " ALU_PP=" << t->aluPixelParallel << " IMG_BG=" << t->imageBankGroups
       << " LD_AUGM=" << t->channelAugmentation
       << " CV_LKRL=" << t->supportsConvNonlinear("leaky_relu")
       << " DW_LKRL=" << t->supportsAluNonlinear("leaky_relu")
       << " SV_AM=" << t->saveArgmax << " CV_WP=" << t->convWriteParallel
       << " ALU_WP=" << t->aluWriteParallel
       << " peak_ops=" << t->peakOpsPerCycle() << "\n";
  }
  std::string description = describeFingerprint(value);
  llvm::SmallVector<llvm::StringRef> lines;
  llvm::StringRef(description).trim().split(lines, '\n');
  for (llvm::StringRef line : lines)
    os << indent << "| " << line << "\n";
}

void printRegisters(llvm::raw_ostream &os, const std::string &indent,
                    const XAttrMap &attrs) {
  const XAttr *context = findXAttr(attrs, "reg_id_to_context_type");
  const XAttr *sizes = findXAttr(attrs, "reg_id_to_size");
  const XAttr *params = findXAttr(attrs, "reg_id_to_parameter_value");
  std::set<std::string> regs;
  if (context)
    for (const auto &kv : context->strMap)
      regs.insert(kv.first);
  if (sizes)
    for (const auto &kv : sizes->intMap)
      regs.insert(kv.first);
  for (const std::string &reg : regs) {
    os << indent << "reg " << reg;
    if (context && context->strMap.count(reg))
      os << " context=" << context->strMap.at(reg);
    if (sizes && sizes->intMap.count(reg))
      os << " size=" << sizes->intMap.at(reg);
    if (params && params->strMap.count(reg))
      os << " parameter_bytes=" << params->strMap.at(reg).size();
    os << "\n";
  }
}

void printSubgraph(llvm::raw_ostream &os, const GraphIndex &index,
                   const XSubgraph &sg, unsigned depth) {
  std::string indent(4 * depth, ' ');
  std::string inner = indent + "    ";
  std::set<size_t> ops;
  index.collect(sg, ops);
  std::string device = stringAttr(sg.attrs, "device");
  os << indent << sg.name << " [device=" << (device.empty() ? "-" : device)
     << ", ops=" << ops.size() << ", children=" << sg.children.size() << "]\n";

  // Inputs: tensors made outside and read inside, in op then arg order.
  // Outputs: tensors made inside and read outside or by nobody.
  std::set<size_t> seen;
  for (size_t i : ops)
    for (const proto::XOpArg &arg : index.g.ops[i].args)
      for (const std::string &in : arg.argOps) {
        size_t producer = index.opIndex.at(in);
        if (!ops.count(producer) && seen.insert(producer).second)
          os << inner << "input "
             << tensorLine(index.g.ops[producer].outputTensor) << "\n";
      }
  for (size_t i : ops) {
    const std::vector<size_t> &users = index.consumers[i];
    bool escapes = users.empty() ||
                   llvm::any_of(users, [&](size_t u) { return !ops.count(u); });
    if (escapes)
      os << inner << "output " << tensorLine(index.g.ops[i].outputTensor)
         << "\n";
  }

  if (const XAttr *name = findXAttr(sg.attrs, "dpu_name"))
    os << inner << "dpu_name " << formatAttr(*name) << "\n";
  if (const XAttr *fp = findXAttr(sg.attrs, "dpu_fingerprint"))
    printFingerprint(os, inner, *fp);
  if (device == "DPU")
    if (const XAttr *w = findXAttr(sg.attrs, "workload"))
      os << inner << "workload " << formatAttr(*w) << "\n";
  printRegisters(os, inner, sg.attrs);
  if (const XAttr *code = findXAttr(sg.attrs, "mc_code"))
    os << inner << "mc_code " << code->s.size() << " bytes\n";

  for (const XSubgraph &child : sg.children)
    printSubgraph(os, index, child, depth + 1);
}

void printSummary(llvm::raw_ostream &os, const XGraph &g) {
  GraphIndex index(g);
  std::map<std::string, size_t> perType;
  for (const XOp &op : g.ops)
    ++perType[op.type];
  os << "graph " << g.name << "\n";
  os << "ops " << g.ops.size() << "\n";
  os << "op_types " << perType.size() << "\n";
  for (const auto &[type, count] : perType)
    os << "    " << type << " " << count << "\n";
  os << "subgraphs " << g.root.count() << "\n";
  printSubgraph(os, index, g.root, 0);
}

//===----------------------------------------------------------------------===//
// dump_txt
//===----------------------------------------------------------------------===//

void printDumpTxt(llvm::raw_ostream &os, const XGraph &g) {
  os << "graph " << quoted(g.name) << "\n";
  for (const auto &[key, value] : g.attrs)
    os << "graph_attr " << key << "=" << formatAttr(value) << "\n";
  for (const XOp &op : g.ops) {
    os << "op " << op.name << " : " << op.type << " (";
    for (size_t a = 0; a < op.args.size(); ++a) {
      os << (a ? "; " : "") << op.args[a].argName << "=";
      for (size_t i = 0; i < op.args[a].argOps.size(); ++i)
        os << (i ? "," : "") << op.args[a].argOps[i];
    }
    os << ") " << formatAttrs(op.attrs) << " -> " << op.outputTensor.name << " "
       << dims(op.outputTensor) << " " << dataTypeName(op.outputTensor) << " "
       << formatAttrs(op.outputTensor.attrs) << "\n";
  }
  // The subgraph tree, attributes included, 4 spaces per level.
  std::function<void(const XSubgraph &, unsigned)> tree =
      [&](const XSubgraph &sg, unsigned depth) {
        os << std::string(4 * depth, ' ') << "subgraph " << sg.name << " "
           << formatAttrs(sg.attrs);
        if (sg.children.empty())
          os << " ops="
             << list(sg.opNames, [](const std::string &s) { return s; });
        os << "\n";
        for (const XSubgraph &child : sg.children)
          tree(child, depth + 1);
      };
  tree(g.root, 0);
  os << "op_defs " << g.opDefs.size() << "\n";
}

//===----------------------------------------------------------------------===//
// DOT
//===----------------------------------------------------------------------===//

/// XIR's cluster colors (subgraph_imp.cpp): CPU red, DPU blue, else green.
const char *deviceColor(const std::string &device) {
  if (device == "CPU")
    return "#f4a6a6";
  if (device == "DPU")
    return "#a6c8f4";
  if (device.empty())
    return "#dddddd";
  return "#b6e3a8";
}

std::string dotString(const std::string &s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '\n') {
      out += "\\n"; // DOT's line break inside a label
      continue;
    }
    if (c == '"' || c == '\\')
      out += '\\';
    out += c;
  }
  return out + "\"";
}

void printDot(llvm::raw_ostream &os, const XGraph &g) {
  GraphIndex index(g);
  // A leaf's device is its own or, for the leaves inside a DPU subgraph
  // (which carry none), the nearest ancestor's.
  std::vector<std::string> opDevice(g.ops.size());
  std::vector<bool> placed(g.ops.size(), false);
  unsigned clusterId = 0;
  auto node = [&](size_t i, const std::string &indent) {
    const XOp &op = g.ops[i];
    os << indent << "n" << i << " [label="
       << dotString(op.name + "\n" + op.type + " " + dims(op.outputTensor) +
                    " " + dataTypeName(op.outputTensor))
       << ", fillcolor=" << dotString(deviceColor(opDevice[i])) << "];\n";
    placed[i] = true;
  };
  std::function<void(const XSubgraph &, const std::string &, unsigned)> walk =
      [&](const XSubgraph &sg, const std::string &inherited, unsigned depth) {
        std::string device = stringAttr(sg.attrs, "device");
        if (device.empty())
          device = inherited;
        std::string indent(2 * depth + 2, ' ');
        bool cluster = depth > 0;
        if (cluster) {
          os << std::string(2 * depth, ' ') << "subgraph cluster_"
             << clusterId++ << " {\n"
             << indent << "label=" << dotString(sg.name) << ";\n"
             << indent << "color=" << dotString(deviceColor(device)) << ";\n";
        }
        if (sg.children.empty()) {
          for (const std::string &name : sg.opNames) {
            size_t i = index.opIndex.at(name);
            if (placed[i])
              continue;
            opDevice[i] = device;
            node(i, indent);
          }
        }
        for (const XSubgraph &child : sg.children)
          walk(child, device, depth + 1);
        if (cluster)
          os << std::string(2 * depth, ' ') << "}\n";
      };
  os << "digraph " << dotString(g.name) << " {\n"
     << "  node [shape=box, style=\"rounded,filled\", fontsize=10];\n";
  if (g.root.children.empty()) {
    // A fix-form graph: no partition, every op on the root.
    for (size_t i = 0; i < g.ops.size(); ++i)
      node(i, "  ");
  } else {
    walk(g.root, "", 0);
    for (size_t i = 0; i < g.ops.size(); ++i)
      if (!placed[i])
        node(i, "  ");
  }
  for (size_t i = 0; i < g.ops.size(); ++i)
    for (const proto::XOpArg &arg : g.ops[i].args)
      for (const std::string &in : arg.argOps)
        os << "  n" << index.opIndex.at(in) << " -> n" << i << ";\n";
  os << "}\n";
}

} // namespace

bool vai::verifyXGraphForViews(const XGraph &g, std::string &error) {
  std::set<std::string> names;
  for (const XOp &op : g.ops)
    if (!names.insert(op.name).second) {
      error = "duplicate op name '" + op.name + "'";
      return false;
    }
  for (const XOp &op : g.ops)
    for (const proto::XOpArg &arg : op.args)
      for (const std::string &in : arg.argOps)
        if (!names.count(in)) {
          error = "op '" + op.name + "' (" + op.type + ") reads '" + in +
                  "' through its '" + arg.argName + "' argument, which is " +
                  "not an op of the graph";
          return false;
        }
  std::function<bool(const XSubgraph &)> check = [&](const XSubgraph &sg) {
    for (const std::string &name : sg.opNames)
      if (!names.count(name)) {
        error = "subgraph '" + sg.name + "' names op '" + name +
                "', which is not an op of the graph";
        return false;
      }
    return llvm::all_of(sg.children, check);
  };
  return check(g.root);
}

bool vai::renderXModelView(const XGraph &g, XModelView view, std::string &out,
                           std::string &error) {
  out.clear();
  if (!verifyXGraphForViews(g, error))
    return false;
  llvm::raw_string_ostream os(out);
  switch (view) {
  case XModelView::Summary:
    printSummary(os, g);
    break;
  case XModelView::DumpTxt:
    printDumpTxt(os, g);
    break;
  case XModelView::Dot:
    printDot(os, g);
    break;
  }
  return true;
}

bool vai::renderXModelFile(const std::string &bytes,
                           const std::string &fileName, XModelView view,
                           std::string &out, std::string &error) {
  XGraph g;
  std::string reason;
  if (bytes.empty()) {
    error = fileName + ": empty file, not an xmodel";
    return false;
  }
  if (!proto::readXModel(bytes, g, reason) ||
      !renderXModelView(g, view, out, reason)) {
    error = fileName + ": " + reason;
    out.clear();
    return false;
  }
  return true;
}

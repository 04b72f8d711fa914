//===- XModelExporter.cpp - dpu-level module to .xmodel -------------------===//
//
// Op types, attribute names and layouts follow the files Xilinx's tools
// write (../shared/data/xilinx/*.xmodel): kernel/stride as [w, h], pad as
// [left, right, top, bottom], const-fix weights OHWI, XINT8 data.
//
//===----------------------------------------------------------------------===//

#include "vai/Export/XModelExporter.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "vai/Dialect/Dpu/DpuOps.h"
#include "vai/Dialect/Tfg/TfgUtils.h"
#include "vai/Export/XModelFixForm.h"
#include "vai/Export/XirFloatOps.h"
#include "vai/Support/TransposeData.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/Format.h"

using namespace mlir;
using vai::proto::XAttr;
using vai::proto::XOp;
using vai::proto::XSubgraph;

namespace vai {

void CompileSummary::print(llvm::raw_ostream &os) const {
  int64_t total = 0;
  for (auto &[type, count] : opsPerType)
    total += count;
  os << "target: " << target << "\n";
  os << "ops: " << total << " (";
  bool first = true;
  for (auto &[type, count] : opsPerType) {
    os << (first ? "" : ", ") << type << " " << count;
    first = false;
  }
  os << ")\n";
  int dpu = 0, cpu = 0;
  for (const Subgraph &s : subgraphs) {
    dpu += s.device == "DPU";
    cpu += s.device == "CPU";
  }
  os << "subgraphs: " << dpu << " DPU, " << cpu << " CPU\n";
  for (const Subgraph &s : subgraphs) {
    os << "  " << s.device << "  " << s.name << ": " << s.ops << " ops";
    if (s.device == "DPU")
      os << ", " << s.macs << " MACs";
    os << "\n";
    auto list = [&](StringRef what, const std::vector<std::string> &names) {
      if (names.empty())
        return;
      os << "      " << what << ":";
      for (const std::string &n : names)
        os << " " << n;
      os << "\n";
    };
    list("in ", s.inputs);
    list("out", s.outputs);
  }
  os << "workload: " << macs << " MACs ("
     << llvm::format("%.3f", 2.0 * double(macs) / 1e6) << " MOPs) per image\n";
  os << "parameters: " << parameterBytes << " bytes\n";
}

namespace {

const char *nonlinearName(quant::Nonlinear n) {
  switch (n) {
  case quant::Nonlinear::none:
    return "NONE";
  case quant::Nonlinear::relu:
    return "RELU";
  case quant::Nonlinear::relu6:
    return "RELU6";
  case quant::Nonlinear::leaky_relu:
    return "LEAKYRELU";
  }
  return "NONE";
}

class Exporter {
public:
  Exporter(proto::XGraph &graph, CompileSummary *summary)
      : graph(graph), summary(summary) {}
  LogicalResult run(func::FuncOp func);

private:
  std::string uniqueName(Operation *op, StringRef fallback);
  XOp &addOp(Operation *op, StringRef type, Value result, StringRef device);
  LogicalResult exportOp(Operation *op, StringRef device, XSubgraph &subgraph,
                         int64_t &macs);
  /// A tfg op quant-quantize left float, as XIR's float op; null if XIR has
  /// none we write.
  XOp *exportFloatOp(Operation *op, StringRef device);
  void addArg(XOp &op, StringRef name, Value value) {
    op.args.push_back({name.str(), {names.lookup(value)}});
  }

  proto::XGraph &graph;
  CompileSummary *summary;
  llvm::StringSet<> used;
  llvm::DenseMap<Value, std::string> names;
  /// The const region's bytes (reg_id_to_parameter_value) of the DPU
  /// subgraph being written, and its region id; null outside one.
  std::string *parameters = nullptr;
  int64_t parameterReg = 0;
};

/// XIR's tensor attributes for a DDR placement (vai_c's compiled files:
/// reg_id, ddr_addr, location as int32; stride as int32 vec).
static void setPlacementAttrs(proto::XAttrMap &attrs,
                              dpu::PlacementAttr placement) {
  attrs["reg_id"] = XAttr::int32(int32_t(placement.getReg()));
  attrs["ddr_addr"] = XAttr::int32(int32_t(placement.getAddr()));
  attrs["location"] = XAttr::int32(placement.getOnChip() ? 0 : 1);
  if (DenseI64ArrayAttr stride = placement.getStride())
    attrs["stride"] = XAttr::int32Vec(std::vector<int64_t>(
        stride.asArrayRef().begin(), stride.asArrayRef().end()));
}

/// The reg_id_to_* maps of a DPU subgraph with allocated regions; the const
/// region's contents are filled in while its constants are written.
static void setRegionAttrs(proto::XAttrMap &attrs, ArrayAttr regions,
                           std::string *&parameters, int64_t &parameterReg) {
  XAttr contextType, contextTypeV2, segment, size, values;
  contextType.kind = contextTypeV2.kind = segment.kind = XAttr::MapString;
  size.kind = XAttr::MapInt32;
  values.kind = XAttr::MapBytes;
  for (auto region : regions.getAsRange<dpu::RegionAttr>()) {
    std::string key = proto::xirRegKey(region.getId());
    bool isConst = region.getKind() == dpu::RegionKind::Const;
    contextType.strMap[key] = isConst ? "CONST" : "DATA";
    contextTypeV2.strMap[key] = isConst ? "CONST"
                                : region.getKind() == dpu::RegionKind::Workspace
                                    ? "WORKSPACE"
                                    : "INTERFACE";
    segment.strMap[key] = isConst ? "W0" : "D0";
    size.intMap[key] = region.getSize();
    if (isConst)
      values.strMap[key] = std::string(size_t(region.getSize()), '\0');
  }
  attrs["reg_id_to_context_type"] = std::move(contextType);
  attrs["reg_id_to_context_type_v2"] = std::move(contextTypeV2);
  attrs["reg_id_to_hw_segment"] = std::move(segment);
  attrs["reg_id_to_size"] = std::move(size);
  if (!values.strMap.empty()) {
    attrs["reg_id_to_parameter_value"] = std::move(values);
    // One const region in practice (REG_0); the map owns the bytes.
    auto &entry = *attrs["reg_id_to_parameter_value"].strMap.begin();
    parameters = &entry.second;
    proto::parseXirRegKey(entry.first, parameterReg);
  }
}

std::string Exporter::uniqueName(Operation *op, StringRef fallback) {
  std::string base = tfg::nodeName(op->getLoc());
  if (base.empty())
    base = fallback.str();
  std::string name = base;
  for (int i = 1; used.contains(name); ++i)
    name = base + "_" + std::to_string(i);
  used.insert(name);
  return name;
}

XOp &Exporter::addOp(Operation *op, StringRef type, Value result,
                     StringRef device) {
  graph.ops.emplace_back();
  XOp &x = graph.ops.back();
  x.name = uniqueName(op, type);
  x.type = type.str();
  x.attrs["device"] = XAttr::string(device.str());
  proto::XTensor &t = x.outputTensor;
  t.name = x.name;
  for (int64_t d : xirDims(result.getType()))
    t.dims.push_back(int32_t(d));
  if (auto fix = quant::getFixType(result)) {
    t.dataType = int32_t(fix.getIsSigned() ? proto::XDataType::XInt
                                           : proto::XDataType::XUInt);
    t.bitWidth = int32_t(fix.getBitWidth());
    setXirFixAttrs(t.attrs, fix);
  } else {
    t.dataType = int32_t(proto::XDataType::Float);
    t.bitWidth = 32;
  }
  names[result] = x.name;
  if (summary)
    ++summary->opsPerType[x.type];
  return x;
}

LogicalResult Exporter::exportOp(Operation *op, StringRef device,
                                 XSubgraph &subgraph, int64_t &macs) {
  auto vec = [](std::initializer_list<int64_t> v) {
    return XAttr::int32Vec(std::vector<int64_t>(v));
  };
  // The window, layer attributes and arguments every conv-like -fix op
  // shares (XIR orders kernel/stride/dilation {w, h}, pad {l, r, t, b}).
  auto setWindowAttrs = [&](XOp &x, auto c) {
    auto w = cast<RankedTensorType>(c.getWeights().getType());
    ArrayRef<int64_t> s = c.getStrides(), d = c.getDilations(), p = c.getPad();
    x.attrs["kernel"] = vec({w.getDimSize(1), w.getDimSize(0)});
    x.attrs["stride"] = vec({s[1], s[0]});
    x.attrs["dilation"] = vec({d[1], d[0]});
    x.attrs["pad"] = vec({p[2], p[3], p[0], p[1]});
    x.attrs["pad_mode"] = XAttr::string("FLOOR");
  };
  auto setLayerAttrs = [](XOp &x, auto c) {
    x.attrs["bias_term"] = XAttr::boolean(bool(c.getBias()));
    x.attrs["nonlinear"] = XAttr::string(nonlinearName(c.getNonlinear()));
  };
  XOp *created = nullptr;
  // A conv-like layer's workload (2 ops per multiply-accumulate), its
  // input/weights/bias arguments, and its share of the subgraph's MACs.
  auto finishLayer = [&](XOp &x, auto c, int64_t layerMacs) {
    x.attrs["workload"] = XAttr::uint64(uint64_t(2 * layerMacs));
    macs += layerMacs;
    addArg(x, "input", c.getInput());
    addArg(x, "weights", c.getWeights());
    if (c.getBias())
      addArg(x, "bias", c.getBias());
    created = &x;
  };
  LogicalResult result =
      llvm::TypeSwitch<Operation *, LogicalResult>(op)
          .Case([&](quant::ConstOp c) {
            XOp &x = addOp(op, "const-fix", c.getResult(), device);
            // XIR keeps weights OHWI; ours are HWIO.
            auto type = cast<RankedTensorType>(c.getType());
            auto values = c.getValue().getValues<APInt>();
            std::vector<int64_t> shape(type.getShape().begin(),
                                       type.getShape().end());
            std::string bytes(values.size(), '\0');
            if (shape.size() == 4) {
              int64_t kh = shape[0], kw = shape[1], ic = shape[2],
                      oc = shape[3];
              std::vector<char> hwio;
              for (const APInt &v : values)
                hwio.push_back(char(v.getSExtValue()));
              std::vector<char> xir = hwioToXirWeights<char>(
                  shape, hwio, feedsTransposedConv(c.getResult()));
              bytes.assign(xir.begin(), xir.end());
              shape = {oc, kh, kw, ic};
              x.outputTensor.dims = {int32_t(oc), int32_t(kh), int32_t(kw),
                                     int32_t(ic)};
            } else {
              size_t i = 0;
              for (const APInt &v : values)
                bytes[i++] = char(v.getSExtValue());
            }
            if (summary)
              summary->parameterBytes += int64_t(bytes.size());
            // The parameter blob holds the same XIR-layout bytes at the
            // constant's ddr_addr (ISA1.md §3.5). const-fix keeps its data
            // too, unlike vai_c's files, so the op stays self-contained.
            if (auto placement = op->getAttrOfType<dpu::PlacementAttr>(
                    dpu::DpuDialect::kPlacementAttrName);
                placement && parameters && placement.getReg() == parameterReg) {
              if (placement.getAddr() + int64_t(bytes.size()) >
                  int64_t(parameters->size())) {
                op->emitError()
                    << "is placed outside its subgraph's const region";
                return failure();
              }
              parameters->replace(size_t(placement.getAddr()), bytes.size(),
                                  bytes);
            }
            x.attrs["data"] = XAttr::bytes(std::move(bytes));
            x.attrs["data_type"] = XAttr::string("XINT8");
            x.attrs["shape"] = XAttr::int32Vec(shape);
            created = &x;
            return success();
          })
          .Case([&](dpu::ConvOp c) {
            auto w = cast<RankedTensorType>(c.getWeights().getType());
            auto out = xirDims(c.getType());
            XOp &x = addOp(op, "conv2d-fix", c.getResult(), device);
            setWindowAttrs(x, c);
            x.attrs["group"] = XAttr::int32(1);
            x.attrs["in_dim"] = XAttr::int32(int32_t(w.getDimSize(2)));
            x.attrs["out_dim"] = XAttr::int32(int32_t(w.getDimSize(3)));
            setLayerAttrs(x, c);
            int64_t layerMacs = out[0] * out[1] * out[2] * out[3] *
                                w.getDimSize(0) * w.getDimSize(1) *
                                w.getDimSize(2);
            finishLayer(x, c, layerMacs);
            return success();
          })
          .Case([&](dpu::PoolOp p) {
            XOp &x = addOp(op, "pool-fix", p.getResult(), device);
            ArrayRef<int64_t> k = p.getKernel(), s = p.getStrides(),
                              pad = p.getPad();
            x.attrs["type"] = XAttr::string(
                p.getPoolType() == dpu::PoolType::max ? "MAX" : "AVG");
            x.attrs["kernel"] = vec({k[1], k[0]});
            x.attrs["stride"] = vec({s[1], s[0]});
            x.attrs["pad"] = vec({pad[2], pad[3], pad[0], pad[1]});
            x.attrs["pad_mode"] = XAttr::string("FLOOR");
            auto out = xirDims(p.getType());
            int64_t work = out[0] * out[1] * out[2] * out[3] * k[0] * k[1];
            x.attrs["workload"] = XAttr::uint64(uint64_t(work));
            addArg(x, "input", p.getInput());
            created = &x;
            return success();
          })
          .Case([&](dpu::ElewOp e) {
            XOp &x = addOp(op, "eltwise-fix", e.getResult(), device);
            x.attrs["type"] = XAttr::string("ADD");
            x.attrs["nonlinear"] =
                XAttr::string(nonlinearName(e.getNonlinear()));
            x.args.push_back(
                {"input",
                 {names.lookup(e.getLhs()), names.lookup(e.getRhs())}});
            created = &x;
            return success();
          })
          .Case<quant::Conv2DTransposeOp, dpu::ConvTransposeOp>([&](auto c) {
            // Weights leave as const-fix [OC, kh, kw, C] (XIR's
            // transposed-conv2d layout) by the generic HWIO->OHWI; pad
            // crops the full output (shape_infer_transposed_conv2d FLOOR).
            auto w = cast<RankedTensorType>(c.getWeights().getType());
            XOp &x = addOp(op, "transposed-conv2d-fix", c.getResult(), device);
            setWindowAttrs(x, c);
            setLayerAttrs(x, c);
            auto in = xirDims(c.getInput().getType());
            int64_t layerMacs = in[0] * in[1] * in[2] * in[3] *
                                w.getDimSize(0) * w.getDimSize(1) *
                                w.getDimSize(3);
            finishLayer(x, c, layerMacs);
            return success();
          })
          .Case<quant::DepthwiseConv2DOp, dpu::DwConvOp>([&](auto c) {
            // Weights leave as const-fix [M, kh, kw, C], XIR's depthwise
            // layout (channel_multiplier first), by the generic HWIO->OHWI.
            auto w = cast<RankedTensorType>(c.getWeights().getType());
            auto out = xirDims(c.getType());
            XOp &x = addOp(op, "depthwise-conv2d-fix", c.getResult(), device);
            setWindowAttrs(x, c);
            setLayerAttrs(x, c);
            int64_t layerMacs = out[0] * out[1] * out[2] * out[3] *
                                w.getDimSize(0) * w.getDimSize(1);
            finishLayer(x, c, layerMacs);
            return success();
          })
          .Case<quant::MulOp, dpu::ElewMulOp>([&](auto m) {
            XOp &x = addOp(op, "eltwise-fix", m.getResult(), device);
            x.attrs["type"] = XAttr::string("MUL");
            x.attrs["nonlinear"] = XAttr::string("NONE");
            x.args.push_back(
                {"input",
                 {names.lookup(m.getLhs()), names.lookup(m.getRhs())}});
            created = &x;
            return success();
          })
          .Case<quant::ConcatOp, dpu::ConcatOp>([&](auto c) {
            XOp &x = addOp(op, "concat-fix", c.getResult(), device);
            x.attrs["axis"] = XAttr::int32(int32_t(c.getAxis()));
            std::vector<std::string> inputs;
            for (Value v : c.getInputs())
              inputs.push_back(names.lookup(v));
            x.args.push_back({"input", inputs});
            created = &x;
            return success();
          })
          .Case([&](quant::ReshapeOp r) {
            XOp &x = addOp(op, "reshape-fix", r.getResult(), device);
            x.attrs["shape"] = XAttr::int32Vec(xirDims(r.getType()));
            addArg(x, "input", r.getInput());
            created = &x;
            return success();
          })
          .Case([&](quant::PadOp p) {
            // XIR pad-fix (built_in_ops.cpp): paddings interleaved per
            // dimension {before_0, after_0, ...}; constant_values one int8
            // per entry of paddings.
            XOp &x = addOp(op, "pad-fix", p.getResult(), device);
            setXirPadAttrs(p, x.attrs);
            x.attrs["constant_values"] = XAttr::bytes(
                std::string(p.getPads().size(), char(int8_t(p.getValue()))));
            addArg(x, "input", p.getInput());
            created = &x;
            return success();
          })
          .Case([&](quant::UpsampleOp u) {
            // XIR upsample-fix: NEAREST reads floor(out * in / out_size),
            // i.e. floor(y / scale) without align_corners/half_pixel.
            XOp &x = addOp(op, "upsample-fix", u.getResult(), device);
            ArrayRef<int64_t> s = u.getScale();
            x.attrs["mode"] = XAttr::string("NEAREST");
            x.attrs["scale"] = XAttr::floatVec({double(s[1]), double(s[0])});
            x.attrs["align_corners"] = XAttr::boolean(false);
            x.attrs["half_pixel_centers"] = XAttr::boolean(false);
            addArg(x, "input", u.getInput());
            created = &x;
            return success();
          })
          .Case([&](quant::HardSigmoidOp h) {
            // Vitis AI cpu-runner hard-sigmoid-fix reads these two shifts.
            XOp &x = addOp(op, "hard-sigmoid-fix", h.getResult(), device);
            x.attrs["hsigmoid_in"] =
                XAttr::int32(quant::getFixType(h.getInput()).getFixPoint());
            x.attrs["shift_hsigmoid"] = XAttr::int32(h.getShiftHsigmoid());
            addArg(x, "input", h.getInput());
            created = &x;
            return success();
          })
          .Case([&](quant::DequantizeOp dq) {
            XOp &x = addOp(op, "fix2float", dq.getResult(), device);
            setXirFixAttrs(x.attrs, quant::getFixType(dq.getInput()));
            addArg(x, "input", dq.getInput());
            created = &x;
            return success();
          })
          .Case([&](quant::QuantizeOp q) {
            XOp &x = addOp(op, "float2fix", q.getResult(), device);
            setXirFixAttrs(x.attrs, quant::getFixType(q.getResult()));
            addArg(x, "input", q.getInput());
            created = &x;
            return success();
          })
          .Default([&](Operation *other) -> LogicalResult {
            if ((created = exportFloatOp(other, device)))
              return success();
            return other->emitError()
                   << "cannot be written to an xmodel: no XIR op for '"
                   << other->getName() << "' in a " << device << " subgraph";
          });
  if (succeeded(result) && created) {
    subgraph.opNames.push_back(created->name);
    if (auto placement = op->getAttrOfType<dpu::PlacementAttr>(
            dpu::DpuDialect::kPlacementAttrName))
      setPlacementAttrs(created->outputTensor.attrs, placement);
  }
  return result;
}

XOp *Exporter::exportFloatOp(Operation *op, StringRef device) {
  if (op->getNumResults() != 1)
    return nullptr;
  Value result = op->getResult(0);
  if (auto bytes = getXirFloatConstBytes(op)) {
    XOp &x = addOp(op, "const", result, device);
    if (summary)
      summary->parameterBytes += int64_t(bytes->size());
    x.attrs["data"] = XAttr::bytes(std::move(*bytes));
    x.attrs["data_type"] = XAttr::string("FLOAT32");
    x.attrs["shape"] = XAttr::int32Vec(xirDims(result.getType()));
    return &x;
  }
  std::optional<XirFloatOp> def = getXirFloatOp(op);
  if (!def)
    return nullptr;
  XOp &x = addOp(op, def->type, result, device);
  for (auto &[key, value] : def->attrs)
    x.attrs[key] = value;
  for (auto [argName, operand] : llvm::zip(def->argNames, op->getOperands())) {
    if (x.args.empty() || x.args.back().argName != argName)
      x.args.push_back({argName, {}});
    x.args.back().argOps.push_back(names.lookup(operand));
  }
  return &x;
}

LogicalResult Exporter::run(func::FuncOp func) {
  graph.name = func.getName().str();
  graph.root.name = "root";
  graph.root.attrs["device"] = XAttr::string("USER");
  int64_t totalMacs = 0;
  for (Operation &op : func.getBody().front()) {
    if (auto ret = dyn_cast<func::ReturnOp>(op)) {
      std::vector<std::string> returned;
      for (Value v : ret.getOperands())
        returned.push_back(names.lookup(v));
      graph.attrs["return_ops"] = XAttr::stringVec(returned);
      continue;
    }
    if (auto q = dyn_cast<quant::QuantizeOp>(op);
        q && isa<BlockArgument>(q.getInput())) {
      // A model input: XIR's data-fix op, alone in a USER subgraph.
      XSubgraph user;
      auto arg = cast<BlockArgument>(q.getInput());
      XOp &x = addOp(&op, "data-fix", q.getResult(), "USER");
      if (auto name = func.getArgAttrOfType<StringAttr>(arg.getArgNumber(),
                                                        "tfg.name")) {
        used.erase(x.name);
        x.name = x.outputTensor.name = name.str();
        used.insert(x.name);
        names[q.getResult()] = x.name;
      }
      x.attrs["data_type"] = XAttr::string("XINT8");
      x.attrs["shape"] = XAttr::int32Vec(xirDims(q.getType()));
      user.name = "subgraph_" + x.name;
      user.attrs["device"] = XAttr::string("USER");
      user.opNames.push_back(x.name);
      graph.root.children.push_back(std::move(user));
      if (summary)
        summary->subgraphs.push_back(
            {graph.root.children.back().name, "USER", 1, 0, {}, {x.name}});
      continue;
    }
    auto sub = dyn_cast<dpu::SubgraphOp>(op);
    if (!sub)
      return op.emitError() << "cannot be written to an xmodel outside a "
                               "subgraph: run dpu-partition first";
    std::string device = dpu::stringifyDevice(sub.getDevice()).str();
    XSubgraph child;
    child.name = sub.getSymName().str();
    child.attrs["device"] = XAttr::string(device);
    CompileSummary::Subgraph info{child.name, device, 0, 0, {}, {}};
    Block &body = sub.getBody().front();
    for (auto [arg, input] : llvm::zip(body.getArguments(), sub.getInputs())) {
      names[arg] = names.lookup(input);
      info.inputs.push_back(names.lookup(input));
    }
    int64_t macs = 0;
    if (ArrayAttr regions = sub.getRegionsAttr();
        regions && sub.getDevice() == dpu::Device::DPU)
      setRegionAttrs(child.attrs, regions, parameters, parameterReg);
    for (Operation &inner : body.without_terminator())
      if (failed(exportOp(&inner, device, child, macs)))
        return failure();
    parameters = nullptr;
    // No upload ops here: a DPU input's placement goes on the tensor of its
    // producer outside DPU subgraphs (a USER data-fix or a CPU op), unless
    // an earlier subgraph placed it already.
    if (ArrayAttr placements = sub.getInputPlacementsAttr())
      for (auto [placement, input] : llvm::zip(
               placements.getAsRange<dpu::PlacementAttr>(), sub.getInputs())) {
        std::string producer = names.lookup(input);
        for (XOp &x : graph.ops)
          if (x.name == producer && !x.outputTensor.attrs.count("reg_id") &&
              x.attrs["device"].s != "DPU")
            setPlacementAttrs(x.outputTensor.attrs, placement);
      }
    if (auto code = sub.getMcCodeAttr()) {
      auto values = code.tryGetValues<APInt>();
      if (!values)
        return sub.emitError() << "mc_code is not integer bytes";
      std::string bytes;
      for (const APInt &v : *values)
        bytes.push_back(char(v.getZExtValue()));
      child.attrs["mc_code"] = XAttr::bytes(std::move(bytes));
    }
    auto yield = cast<dpu::YieldOp>(body.getTerminator());
    for (auto [value, result] :
         llvm::zip(yield.getValues(), sub.getResults())) {
      names[result] = names.lookup(value);
      info.outputs.push_back(names.lookup(value));
    }
    if (sub.getDevice() == dpu::Device::DPU) {
      child.attrs["dpu_name"] = XAttr::string(sub.getTarget()->str());
      uint64_t fingerprint = 0;
      StringRef hex = *sub.getFingerprint();
      hex.consume_front("0x");
      if (hex.getAsInteger(16, fingerprint))
        return sub.emitError()
               << "malformed fingerprint " << *sub.getFingerprint();
      child.attrs["dpu_fingerprint"] = XAttr::uint64(fingerprint);
      child.attrs["workload"] = XAttr::uint64(uint64_t(2 * macs));
      if (summary)
        summary->target = sub.getTarget()->str();
    }
    info.ops = int64_t(child.opNames.size());
    info.macs = macs;
    totalMacs += macs;
    if (summary)
      summary->subgraphs.push_back(info);
    graph.root.children.push_back(std::move(child));
  }
  for (const XOp &x : graph.ops)
    graph.root.opNames.push_back(x.name);
  if (summary)
    summary->macs = totalMacs;
  return success();
}

} // namespace

LogicalResult buildXModel(ModuleOp module, proto::XGraph &graph,
                          CompileSummary *summary) {
  auto func = module.lookupSymbol<func::FuncOp>("main");
  if (!func)
    return module.emitError() << "no function @main to export";
  return Exporter(graph, summary).run(func);
}

LogicalResult exportXModel(ModuleOp module, llvm::raw_ostream &os) {
  // A module read from a quantized xmodel goes back in that form.
  if (isFixFormModule(module))
    return exportFixFormXModel(module, os);
  proto::XGraph graph;
  if (failed(buildXModel(module, graph)))
    return failure();
  return writeXModelTo(module, graph, os);
}

LogicalResult writeXModelTo(ModuleOp module, const proto::XGraph &graph,
                            llvm::raw_ostream &os) {
  std::string bytes, error;
  if (!proto::writeXModel(graph, bytes, error))
    return module.emitError() << "cannot serialize the xmodel: " << error;
  os << bytes;
  return success();
}

} // namespace vai

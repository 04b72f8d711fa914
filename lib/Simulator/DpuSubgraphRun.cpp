//===- DpuSubgraphRun.cpp - run one DPU subgraph of a compiled xmodel -----===//
//
// Sets up DDR the way VART does for a DPU subgraph (one buffer per register
// of `reg_id_to_size`, the CONST registers filled from
// `reg_id_to_parameter_value`; Vitis-AI vart/dpu-runner dpu_kernel.cpp), puts
// the inputs at their tensors' `ddr_addr`, runs `mc_code` and reads the
// outputs back (ISA1.md §3.4).
//
//===----------------------------------------------------------------------===//

#include "vai/Simulator/DpuSimulator.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include <random>
#include <set>

using namespace vai;
using namespace vai::dpusim;
using proto::XAttr;
using proto::XGraph;
using proto::XOp;
using proto::XSubgraph;
using proto::XTensor;

namespace {

const XSubgraph *findSubgraph(const XSubgraph &root, const std::string &name) {
  if (root.name == name)
    return &root;
  for (const XSubgraph &child : root.children)
    if (const XSubgraph *found = findSubgraph(child, name))
      return found;
  return nullptr;
}

void collectOps(const XSubgraph &sg, std::set<std::string> &ops) {
  ops.insert(sg.opNames.begin(), sg.opNames.end());
  for (const XSubgraph &child : sg.children)
    collectOps(child, ops);
}

/// Where a tensor lives in DDR: register, offset and NHWC byte strides.
struct DdrView {
  int reg = 0;
  int64_t addr = 0;
  std::vector<int64_t> dims, strides;
};

bool locate(const XTensor &t, DdrView &view, std::string &error) {
  const XAttr *reg = findXAttr(t.attrs, "reg_id");
  const XAttr *addr = findXAttr(t.attrs, "ddr_addr");
  if (!reg || !addr) {
    error = "tensor '" + t.name + "' has no reg_id/ddr_addr";
    return false;
  }
  if (t.bitWidth != 8) {
    error = "tensor '" + t.name + "' is not 8-bit";
    return false;
  }
  view.reg = int(reg->integer());
  view.addr = addr->integer();
  view.dims.assign(t.dims.begin(), t.dims.end());
  view.strides.assign(view.dims.size(), 1);
  for (int i = int(view.dims.size()) - 2; i >= 0; --i)
    view.strides[i] = view.strides[i + 1] * view.dims[i + 1];
  if (const XAttr *stride = findXAttr(t.attrs, "stride")) {
    if (stride->ints.size() != view.dims.size()) {
      error = "tensor '" + t.name + "' has " +
              std::to_string(stride->ints.size()) + " strides for " +
              std::to_string(view.dims.size()) + " dimensions";
      return false;
    }
    view.strides = stride->ints;
  }
  return true;
}

/// Calls `fn(flatIndex, byteOffset, count, stride)` for every innermost
/// row of `view`: `count` elements `stride` bytes apart.
void forEachRow(
    const DdrView &view,
    llvm::function_ref<void(int64_t, int64_t, int64_t, int64_t)> fn) {
  size_t rank = view.dims.size();
  int64_t inner = rank ? view.dims.back() : 1;
  int64_t stride = rank ? view.strides.back() : 1;
  int64_t rows = 1;
  for (size_t d = 0; d + 1 < rank; ++d)
    rows *= view.dims[d];
  std::vector<int64_t> index(rank ? rank - 1 : 0, 0);
  for (int64_t row = 0; row < rows; ++row) {
    int64_t off = view.addr;
    for (size_t d = 0; d < index.size(); ++d)
      off += index[d] * view.strides[d];
    fn(row * inner, off, inner, stride);
    for (int d = int(index.size()) - 1; d >= 0; --d) {
      if (++index[d] < view.dims[d])
        break;
      index[d] = 0;
    }
  }
}

bool checkSpan(const DdrView &view, const Ddr &ddr, const std::string &tensor,
               std::string &error) {
  auto it = ddr.find(view.reg);
  if (it == ddr.end()) {
    error = "tensor '" + tensor + "' is in REG_" + std::to_string(view.reg) +
            ", which the subgraph's reg_id_to_size does not list";
    return false;
  }
  int64_t last = view.addr;
  for (size_t d = 0; d < view.dims.size(); ++d)
    last += (view.dims[d] - 1) * view.strides[d];
  if (view.addr < 0 || last >= int64_t(it->second.size())) {
    error = "tensor '" + tensor + "' at REG_" + std::to_string(view.reg) +
            " + " + std::to_string(view.addr) + " does not fit in its " +
            std::to_string(it->second.size()) + " bytes";
    return false;
  }
  return true;
}

} // namespace

bool vai::dpusim::runXModelSubgraph(const XGraph &graph,
                                    const std::string &name,
                                    std::vector<BoundaryTensor> &inputs,
                                    std::vector<BoundaryTensor> &outputs,
                                    RunStats &stats, std::string &error,
                                    const SubgraphRunOptions &options) {
  const XSubgraph *sg = findSubgraph(graph.root, name);
  if (!sg) {
    error = "no subgraph named '" + name + "'";
    return false;
  }
  const XAttr *code = findXAttr(sg->attrs, "mc_code");
  const XAttr *fp = findXAttr(sg->attrs, "dpu_fingerprint");
  const XAttr *sizes = findXAttr(sg->attrs, "reg_id_to_size");
  if (!code || !fp || !sizes) {
    error = "subgraph '" + name +
            "' is not a compiled DPU subgraph (it needs mc_code, "
            "dpu_fingerprint and reg_id_to_size)";
    return false;
  }
  std::string targetError;
  std::optional<Target> target =
      targetFromFingerprint(uint64_t(fp->integer()), targetError);
  if (!target) {
    error = "subgraph '" + name + "': " + targetError;
    return false;
  }
  std::optional<dpu::isa::Isa> isa =
      dpu::isa::isaFromFingerprint(uint64_t(fp->integer()));
  MachineModel model;
  if (!isa) {
    error = "subgraph '" + name + "': no instruction set for target " +
            target->name;
    return false;
  }
  if (!MachineModel::fromTarget(*target, model, error))
    return false;

  // DDR as VART allocates it.
  Ddr ddr;
  for (const auto &[key, size] : sizes->intMap) {
    int64_t reg;
    if (!proto::parseXirRegKey(key, reg) || size < 0) {
      error = "subgraph '" + name + "': bad reg_id_to_size entry '" + key + "'";
      return false;
    }
    ddr[int(reg)].assign(size_t(size), 0);
  }
  if (const XAttr *params = findXAttr(sg->attrs, "reg_id_to_parameter_value"))
    for (const auto &[key, bytes] : params->strMap) {
      int64_t reg;
      if (!proto::parseXirRegKey(key, reg) || !ddr.count(int(reg)) ||
          bytes.size() > ddr[int(reg)].size()) {
        error = "subgraph '" + name + "': parameter value of '" + key +
                "' does not fit its reg_id_to_size";
        return false;
      }
      std::copy(bytes.begin(), bytes.end(), ddr[int(reg)].begin());
    }

  // Boundary tensors: upload outputs in, download inputs out.
  std::set<std::string> members;
  collectOps(*sg, members);
  std::map<std::string, const XOp *> byName;
  for (const XOp &op : graph.ops)
    byName[op.name] = &op;
  std::vector<const XOp *> uploads, downloads;
  for (const XOp &op : graph.ops) {
    if (!members.count(op.name))
      continue;
    if (op.type == "upload")
      uploads.push_back(&op);
    if (op.type == "download")
      downloads.push_back(&op);
  }
  bool random = inputs.empty();
  if (!random && inputs.size() != uploads.size()) {
    error = "subgraph '" + name + "' has " + std::to_string(uploads.size()) +
            " inputs, " + std::to_string(inputs.size()) + " given";
    return false;
  }
  std::mt19937_64 rng(options.seed);
  for (size_t i = 0; i < uploads.size(); ++i) {
    const XTensor &t = uploads[i]->outputTensor;
    DdrView view;
    if (!locate(t, view, error) || !checkSpan(view, ddr, t.name, error))
      return false;
    if (random) {
      BoundaryTensor in{t.name, Int8Array(view.dims)};
      for (int8_t &v : in.value.data)
        v = int8_t(rng() & 0xff);
      inputs.push_back(std::move(in));
    }
    const Int8Array &value = inputs[i].value;
    if (value.shape != view.dims) {
      error = "input " + std::to_string(i) + " of subgraph '" + name +
              "' has the wrong shape for tensor '" + t.name + "'";
      return false;
    }
    std::vector<uint8_t> &mem = ddr[view.reg];
    forEachRow(view, [&](int64_t flat, int64_t off, int64_t n, int64_t step) {
      for (int64_t e = 0; e < n; ++e)
        mem[size_t(off + e * step)] = uint8_t(value.data[size_t(flat + e)]);
    });
  }

  Simulator sim(model, *isa);
  const std::string &program = options.code ? *options.code : code->s;
  std::vector<uint8_t> bytes(program.begin(), program.end());
  if (!sim.run(bytes, ddr, stats, error, options.hazards)) {
    error = "subgraph '" + name + "': " + error;
    return false;
  }

  for (const XOp *download : downloads) {
    if (download->args.empty() || download->args[0].argOps.size() != 1) {
      error = "download '" + download->name + "' has no single input";
      return false;
    }
    auto producer = byName.find(download->args[0].argOps[0]);
    if (producer == byName.end()) {
      error = "download '" + download->name + "' reads a missing op";
      return false;
    }
    const XTensor &t = producer->second->outputTensor;
    DdrView view;
    if (!locate(t, view, error) || !checkSpan(view, ddr, t.name, error))
      return false;
    BoundaryTensor out{t.name, Int8Array(view.dims)};
    const std::vector<uint8_t> &mem = ddr[view.reg];
    forEachRow(view, [&](int64_t flat, int64_t off, int64_t n, int64_t step) {
      for (int64_t e = 0; e < n; ++e)
        out.value.data[size_t(flat + e)] = int8_t(mem[size_t(off + e * step)]);
    });
    outputs.push_back(std::move(out));
  }
  if (options.finalDdr)
    *options.finalDdr = std::move(ddr);
  return true;
}

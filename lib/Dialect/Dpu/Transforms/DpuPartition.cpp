//===- DpuPartition.cpp - dpu-partition -----------------------------------===//
//
// Places quant ops on the DPU or the CPU for a target, groups runs of ops
// with the same device into dpu.subgraph ops, and lowers DPU layers to
// engine ops.
//
//===----------------------------------------------------------------------===//

#include "mlir/IR/IRMapping.h"
#include "vai/Dialect/Dpu/Capabilities.h"
#include "vai/Dialect/Dpu/Passes.h"
#include "vai/Dialect/Tfg/TfgUtils.h"
#include "vai/Support/FileIO.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/TypeSwitch.h"

namespace vai::dpu {
#define GEN_PASS_DEF_DPUPARTITION
#include "vai/Dialect/Dpu/Passes.h.inc"
} // namespace vai::dpu

using namespace mlir;
using namespace vai;
using namespace vai::dpu;

namespace {

/// A run of consecutive ops placed on one device.
struct Run {
  Device device;
  SmallVector<Operation *> ops;
};

/// Lowers one DPU-placed quant op into the subgraph body.
static LogicalResult lowerToEngine(OpBuilder &b, Operation *op,
                                   IRMapping &map) {
  auto v = [&](Value x) { return x ? map.lookupOrDefault(x) : Value(); };
  auto shifts = [&](Value in, Value w, Value bias, Value out) {
    int i = quant::getFixType(in).getFixPoint();
    int wf = quant::getFixType(w).getFixPoint();
    int o = quant::getFixType(out).getFixPoint();
    int sb = bias ? wf + i - quant::getFixType(bias).getFixPoint() : 0;
    return std::pair<int, int>(wf + i - o, sb);
  };
  Location loc = op->getLoc();
  Value result =
      llvm::TypeSwitch<Operation *, Value>(op)
          .Case([&](quant::Conv2DOp c) {
            auto [sc, sb] = shifts(c.getInput(), c.getWeights(), c.getBias(),
                                   c.getOutput());
            return ConvOp::create(
                       b, loc, c.getType(), v(c.getInput()), v(c.getWeights()),
                       v(c.getBias()), c.getStridesAttr(), c.getDilationsAttr(),
                       c.getPadAttr(), c.getNonlinearAttr(),
                       b.getSI32IntegerAttr(sc), b.getSI32IntegerAttr(sb))
                .getResult();
          })
          .Case([&](quant::Conv2DTransposeOp c) {
            auto [sc, sb] = shifts(c.getInput(), c.getWeights(), c.getBias(),
                                   c.getOutput());
            return ConvTransposeOp::create(
                       b, loc, c.getType(), v(c.getInput()), v(c.getWeights()),
                       v(c.getBias()), c.getStridesAttr(), c.getDilationsAttr(),
                       c.getPadAttr(), c.getNonlinearAttr(),
                       b.getSI32IntegerAttr(sc), b.getSI32IntegerAttr(sb))
                .getResult();
          })
          .Case([&](quant::DepthwiseConv2DOp c) {
            auto [sc, sb] = shifts(c.getInput(), c.getWeights(), c.getBias(),
                                   c.getOutput());
            return DwConvOp::create(
                       b, loc, c.getType(), v(c.getInput()), v(c.getWeights()),
                       v(c.getBias()), c.getStridesAttr(), c.getDilationsAttr(),
                       c.getPadAttr(), c.getNonlinearAttr(),
                       b.getSI32IntegerAttr(sc), b.getSI32IntegerAttr(sb))
                .getResult();
          })
          .Case([&](quant::MulOp m) {
            return ElewMulOp::create(b, loc, m.getType(), v(m.getLhs()),
                                     v(m.getRhs()))
                .getResult();
          })
          .Case([&](quant::ConcatOp c) {
            SmallVector<Value> inputs;
            for (Value in : c.getInputs())
              inputs.push_back(v(in));
            return ConcatOp::create(b, loc, c.getType(), inputs,
                                    c.getAxisAttr())
                .getResult();
          })
          .Case([&](quant::MatMulOp m) {
            // [M, K] x [K, N] is a 1x1 convolution over [M, 1, 1, K]; the
            // reshapes move no data in NHWC memory.
            auto in = cast<RankedTensorType>(m.getInput().getType());
            auto w = cast<RankedTensorType>(m.getWeights().getType());
            auto out = cast<RankedTensorType>(m.getType());
            auto as4d = [](RankedTensorType t) {
              return RankedTensorType::get(
                  {t.getDimSize(0), 1, 1, t.getDimSize(1)}, t.getElementType());
            };
            Value input4d = quant::ReshapeOp::create(
                b, tfg::derivedNameLoc(loc, "/reshape_in"), as4d(in),
                v(m.getInput()));
            auto wConst = m.getWeights().getDefiningOp<quant::ConstOp>();
            auto wType = RankedTensorType::get(
                {1, 1, w.getDimSize(0), w.getDimSize(1)}, w.getElementType());
            Value weights4d = quant::ConstOp::create(
                b, wConst.getLoc(), wType,
                cast<DenseIntElementsAttr>(
                    wConst.getValue().reshape(RankedTensorType::get(
                        wType.getShape(),
                        wConst.getValue().getElementType()))));
            auto [sc, sb] = shifts(m.getInput(), m.getWeights(), m.getBias(),
                                   m.getOutput());
            Value conv = ConvOp::create(
                b, loc, as4d(out), input4d, weights4d, v(m.getBias()),
                b.getDenseI64ArrayAttr({1, 1}), b.getDenseI64ArrayAttr({1, 1}),
                b.getDenseI64ArrayAttr({0, 0, 0, 0}), m.getNonlinearAttr(),
                b.getSI32IntegerAttr(sc), b.getSI32IntegerAttr(sb));
            return quant::ReshapeOp::create(
                       b, tfg::derivedNameLoc(loc, "/reshape_out"), out, conv)
                .getResult();
          })
          .Case([&](quant::MaxPoolOp p) {
            return PoolOp::create(
                       b, loc, p.getType(), v(p.getInput()),
                       PoolTypeAttr::get(b.getContext(), PoolType::max),
                       p.getKernelAttr(), p.getStridesAttr(), p.getPadAttr())
                .getResult();
          })
          .Case([&](quant::AvgPoolOp p) {
            return PoolOp::create(
                       b, loc, p.getType(), v(p.getInput()),
                       PoolTypeAttr::get(b.getContext(), PoolType::avg),
                       p.getKernelAttr(), p.getStridesAttr(), p.getPadAttr())
                .getResult();
          })
          .Case([&](quant::AddOp a) {
            return ElewOp::create(b, loc, a.getType(), v(a.getLhs()),
                                  v(a.getRhs()), a.getNonlinearAttr())
                .getResult();
          })
          .Default([&](Operation *other) {
            return b.clone(*other, map)->getResult(0);
          });
  map.map(op->getResult(0), result);
  return success();
}

/// Replaces the ops of `run` by one dpu.subgraph.
static LogicalResult outline(const Run &run, StringRef name,
                             const Target &target) {
  llvm::SmallPtrSet<Operation *, 16> inRun(run.ops.begin(), run.ops.end());
  llvm::SetVector<Value> inputs, outputs;
  llvm::SetVector<Operation *> constants;
  for (Operation *op : run.ops) {
    for (Value operand : op->getOperands()) {
      Operation *def = operand.getDefiningOp();
      if (def && isa<quant::ConstOp, tfg::ConstOp>(def))
        constants.insert(def);
      else if (!def || !inRun.contains(def))
        inputs.insert(operand);
    }
    for (Value result : op->getResults())
      for (Operation *user : result.getUsers())
        if (!inRun.contains(user))
          outputs.insert(result);
  }

  Operation *last = run.ops.back();
  OpBuilder b(last->getContext());
  b.setInsertionPointAfter(last);
  auto subgraph = SubgraphOp::create(
      b, run.ops.front()->getLoc(), name, run.device, inputs.getArrayRef(),
      ValueRange(outputs.getArrayRef()).getTypes());
  if (run.device == Device::DPU) {
    subgraph.setTargetAttr(b.getStringAttr(target.name));
    subgraph.setFingerprintAttr(b.getStringAttr(target.fingerprintHex()));
  }
  Block &body = subgraph.getBody().front();
  IRMapping map;
  for (auto [input, arg] : llvm::zip(inputs, body.getArguments()))
    map.map(input, arg);
  b.setInsertionPointToStart(&body);
  for (Operation *c : constants)
    b.clone(*c, map);
  for (Operation *op : run.ops) {
    if (run.device == Device::DPU) {
      if (failed(lowerToEngine(b, op, map)))
        return failure();
    } else {
      b.clone(*op, map);
    }
  }
  SmallVector<Value> yielded;
  for (Value out : outputs)
    yielded.push_back(map.lookup(out));
  YieldOp::create(b, last->getLoc(), yielded);
  // Constants a lowering replaced (2-D matmul weights) are dead now.
  for (Operation &op : llvm::make_early_inc_range(body))
    if (isa<quant::ConstOp>(op) && op.use_empty())
      op.erase();

  for (auto [output, result] : llvm::zip(outputs, subgraph.getResults()))
    Value(output).replaceUsesWithIf(result, [&](OpOperand &use) {
      return use.getOwner() != subgraph.getOperation();
    });
  for (Operation *op : llvm::reverse(run.ops))
    op->erase();
  for (Operation *c : constants)
    if (c->use_empty())
      c->erase();
  return success();
}

struct DpuPartitionPass : vai::dpu::impl::DpuPartitionBase<DpuPartitionPass> {
  using DpuPartitionBase::DpuPartitionBase;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    std::string error;
    if (archPath.empty()) {
      func.emitError() << "dpu-partition: no target (option 'arch')";
      return signalPassFailure();
    }
    std::optional<Target> target = loadArchJson(archPath, error);
    if (!target) {
      func.emitError() << "dpu-partition: " << error;
      return signalPassFailure();
    }

    // Place every op, then group: an op's phase is the number of device
    // changes on its longest input path, and the ops of one (phase,
    // device) form one subgraph. Independent branches on one device merge
    // however the block orders them, and no subgraph can feed a subgraph of
    // an earlier phase, so the groups stay acyclic.
    llvm::DenseMap<Operation *, Device> device;
    llvm::DenseMap<Operation *, unsigned> phase;
    llvm::DenseMap<Operation *, std::string> cpuReasons;
    SmallVector<Operation *> placed;
    Block &body = func.getBody().front();
    for (Operation &op : body.without_terminator()) {
      std::string reason;
      Placement placement = placeOp(&op, *target, reason);
      Device d = Device::CPU;
      switch (placement) {
      case Placement::Constant:
      case Placement::User:
        continue;
      case Placement::FollowInput: {
        Operation *def = op.getOperand(0).getDefiningOp();
        auto it = def ? device.find(def) : device.end();
        d = it != device.end() ? it->second : Device::CPU;
        break;
      }
      case Placement::Dpu:
        d = Device::DPU;
        break;
      case Placement::Cpu:
        d = Device::CPU;
        if (!reason.empty()) {
          op.emitRemark() << "runs on the CPU: " << reason;
          cpuReasons[&op] = reason;
        }
        break;
      }
      device[&op] = d;
      unsigned p = 0;
      for (Value operand : op.getOperands())
        if (Operation *def = operand.getDefiningOp(); def && device.count(def))
          p = std::max(p, phase[def] + (device[def] != d ? 1u : 0u));
      phase[&op] = p;
      placed.push_back(&op);
    }
    // Only constants and quantized inputs, which read no placed op, stay
    // where they are; the placed ops move after them in group order.
    llvm::stable_sort(placed, [&](Operation *a, Operation *b) {
      return std::make_pair(phase[a], device[a] == Device::CPU) <
             std::make_pair(phase[b], device[b] == Device::CPU);
    });
    SmallVector<Run> runs;
    for (Operation *op : placed) {
      op->moveBefore(body.getTerminator());
      if (runs.empty() || runs.back().device != device[op])
        runs.push_back({device[op], {}});
      runs.back().ops.push_back(op);
    }

    std::string report;
    llvm::raw_string_ostream os(report);
    os << "dpu-partition: " << func.getName() << " for " << target->name << ": "
       << runs.size() << " subgraphs ("
       << llvm::count_if(runs,
                         [](const Run &r) { return r.device == Device::DPU; })
       << " DPU)\n";
    unsigned index = 0;
    for (const Run &run : runs) {
      // A CPU run around a float op starts with the dequantize named after
      // its producer (on the DPU): name the run after the float op.
      auto named = llvm::find_if(
          run.ops, [](Operation *op) { return !isa<quant::DequantizeOp>(op); });
      std::string first = tfg::nodeName(
          (named != run.ops.end() ? *named : run.ops.front())->getLoc());
      std::string name =
          "subgraph_" + (first.empty() ? std::to_string(index) : first);
      ++index;
      os << "  " << name << ": " << (run.device == Device::DPU ? "DPU" : "CPU")
         << ", " << run.ops.size() << " ops\n";
      for (Operation *op : run.ops)
        if (auto it = cpuReasons.find(op); it != cpuReasons.end())
          os << "    " << tfg::nodeName(op->getLoc()) << " ("
             << op->getName().getStringRef() << "): " << it->second << "\n";
      if (failed(outline(run, name, *target)))
        return signalPassFailure();
    }
    if (reportPath == "-") {
      llvm::outs() << report;
    } else if (!reportPath.empty() &&
               !writeFileAtomically(reportPath, report, error)) {
      func.emitError() << "dpu-partition: " << error;
      return signalPassFailure();
    }
  }
};

} // namespace

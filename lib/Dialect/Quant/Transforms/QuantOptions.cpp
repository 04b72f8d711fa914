//===- QuantOptions.cpp - vai_q options of the quant passes ---------------===//

#include "QuantOptions.h"

#include "vai/Dialect/Quant/Passes.h"
#include "vai/Dialect/Tfg/TfgUtils.h"
#include "llvm/ADT/STLExtras.h"

using namespace mlir;

namespace vai::quant {

bool isWeightedLayer(Operation *op) {
  return isa<tfg::Conv2DOp, tfg::DepthwiseConv2DOp, tfg::Conv2DTransposeOp,
             tfg::MatMulOp>(op);
}

NodeNames::NodeNames(func::FuncOp func) {
  for (unsigned i = 0; i < func.getNumArguments(); ++i)
    if (auto name = func.getArgAttrOfType<StringAttr>(i, "tfg.name"))
      args.try_emplace(name.getValue(), int(i));
  func.walk([&](Operation *op) {
    if (std::string name = tfg::nodeName(op->getLoc()); !name.empty())
      ops.try_emplace(name, op);
  });
}

bool NodeNames::checkKnown(ArrayRef<std::string> names, StringRef option,
                           std::string &error) const {
  std::string unknown;
  for (const std::string &name : names)
    if (!contains(name))
      unknown += (unknown.empty() ? "'" : ", '") + name + "'";
  if (unknown.empty())
    return true;
  error = option.str() + ": no node named " + unknown + " in the function";
  return false;
}

bool parseNodeValues(ArrayRef<std::string> entries, StringRef option,
                     unsigned lo, unsigned hi, const NodeNames &names,
                     llvm::StringMap<unsigned> &out, std::string &error) {
  std::vector<std::string> seen;
  for (StringRef entry : entries) {
    // Node names may hold ':' themselves; the value follows the last one.
    auto [name, value] = entry.rsplit(':');
    unsigned v = 0;
    if (value.empty() || name == entry || value.getAsInteger(10, v)) {
      error =
          option.str() + ": expected 'name:value', got '" + entry.str() + "'";
      return false;
    }
    if (v < lo || v > hi) {
      error = option.str() + ": value " + value.str() + " for '" + name.str() +
              "' is outside [" + std::to_string(lo) + ", " +
              std::to_string(hi) + "]";
      return false;
    }
    out[name] = v;
    seen.push_back(name.str());
  }
  return names.checkKnown(seen, option, error);
}

bool collectFloatOps(func::FuncOp func, ArrayRef<std::string> ignore,
                     ArrayRef<std::string> inputs,
                     ArrayRef<std::string> outputs,
                     llvm::DenseSet<Operation *> &floatOps,
                     std::string &error) {
  NodeNames names(func);
  if (!names.checkKnown(ignore, "ignore-nodes", error) ||
      !names.checkKnown(inputs, "input-nodes", error) ||
      !names.checkKnown(outputs, "output-nodes", error))
    return false;
  auto requireOps = [&](ArrayRef<std::string> list, StringRef option) {
    for (const std::string &name : list)
      if (!names.op(name)) {
        error =
            option.str() + ": '" + name + "' is a function input, not an op";
        return false;
      }
    return true;
  };
  if (!requireOps(ignore, "ignore-nodes") ||
      !requireOps(outputs, "output-nodes"))
    return false;

  Block &body = func.getBody().front();
  // Values at which quantization starts; ops strictly after them are in
  // scope (vai_q: "Input nodes and output nodes are the start and end
  // points of quantization").
  llvm::DenseSet<Value> after;
  llvm::DenseSet<Operation *> inputOps;
  for (const std::string &name : inputs) {
    if (Operation *op = names.op(name))
      inputOps.insert(op);
    else
      after.insert(body.getArgument(names.arg(name)));
  }
  llvm::DenseSet<Operation *> inScope;
  for (Operation &op : body) {
    bool isAfter = inputs.empty() ||
                   llvm::any_of(op.getOperands(),
                                [&](Value v) { return after.contains(v); });
    if (isAfter && !inputOps.contains(&op))
      inScope.insert(&op);
    if (isAfter || inputOps.contains(&op))
      for (Value r : op.getResults())
        after.insert(r);
  }
  if (!outputs.empty()) {
    llvm::DenseSet<Operation *> outputOps, before;
    for (const std::string &name : outputs)
      outputOps.insert(names.op(name));
    for (Operation &op : llvm::reverse(body)) {
      bool feeds = outputOps.contains(&op) ||
                   llvm::any_of(op.getUsers(), [&](Operation *user) {
                     return before.contains(user);
                   });
      if (feeds)
        before.insert(&op);
      else
        inScope.erase(&op);
    }
  }
  for (Operation &op : body)
    if (op.getDialect() &&
        op.getDialect()->getNamespace() ==
            tfg::TfgDialect::getDialectNamespace() &&
        !isa<tfg::ConstOp>(op) && !inScope.contains(&op))
      floatOps.insert(&op);
  for (const std::string &name : ignore)
    floatOps.insert(names.op(name));
  return true;
}

namespace {

/// The calibrated positions as quant-quantize will use them.
class Positions {
public:
  Positions(func::FuncOp func, unsigned alignConcat,
            const llvm::DenseSet<Operation *> &floatOps)
      : func(func), alignConcat(alignConcat), floatOps(floatOps) {}

  /// The value whose position `v` takes: quant-quantize gives identity,
  /// reshape, max pool, pad and (nearest) resize their input's position.
  Value source(Value v) const {
    while (Operation *def = v.getDefiningOp()) {
      if (floatOps.contains(def) ||
          !isa<tfg::IdentityOp, tfg::ReshapeOp, tfg::MaxPoolOp, tfg::PadOp,
               tfg::ResizeOp>(def))
        break;
      v = def->getOperand(0);
    }
    return v;
  }

  /// A concat whose output quant-quantize sets to its inputs' minimum.
  tfg::ConcatOp derivedConcat(Value v) {
    auto concat = v.getDefiningOp<tfg::ConcatOp>();
    return concat && alignConcat != 2 && !floatOps.contains(concat) ? concat
                                                                    : nullptr;
  }

  std::optional<int> get(Value v) {
    v = source(v);
    if (auto concat = derivedConcat(v)) {
      std::optional<int> p;
      for (Value in : concat.getInputs())
        if (auto q = get(in))
          p = p ? std::min(*p, *q) : *q;
      return p;
    }
    IntegerAttr attr;
    if (auto arg = dyn_cast<BlockArgument>(v))
      attr =
          func.getArgAttrOfType<IntegerAttr>(arg.getArgNumber(), kFixPointAttr);
    else
      attr = v.getDefiningOp()->getAttrOfType<IntegerAttr>(kFixPointAttr);
    if (!attr)
      return std::nullopt;
    return int(attr.getInt());
  }

  /// Lowers the position of `v` (never raises it) to `p`.
  void lower(Value v, int p) {
    v = source(v);
    if (auto concat = derivedConcat(v)) {
      for (Value in : concat.getInputs())
        lower(in, p);
      return;
    }
    std::optional<int> old = get(v);
    if (!old || *old <= p)
      return;
    changed = true;
    auto attr = IntegerAttr::get(IntegerType::get(func.getContext(), 32), p);
    if (auto arg = dyn_cast<BlockArgument>(v))
      func.setArgAttr(arg.getArgNumber(), kFixPointAttr, attr);
    else
      v.getDefiningOp()->setAttr(kFixPointAttr, attr);
  }

  /// The op's own calibrated position.
  static std::optional<int> own(Operation *op) {
    if (auto attr = op->getAttrOfType<IntegerAttr>(kFixPointAttr))
      return int(attr.getInt());
    return std::nullopt;
  }

  bool changed = false;

private:
  func::FuncOp func;
  unsigned alignConcat;
  const llvm::DenseSet<Operation *> &floatOps;
};

} // namespace

void alignPositions(func::FuncOp func, unsigned alignConcat, unsigned alignPool,
                    const llvm::DenseSet<Operation *> &floatOps) {
  Positions pos(func, alignConcat, floatOps);
  // Positions only go down, so this ends; the bound guards against a bug.
  for (int round = 0; round < 64; ++round) {
    pos.changed = false;
    func.walk([&](Operation *op) {
      if (floatOps.contains(op))
        return;
      if (auto concat = dyn_cast<tfg::ConcatOp>(op);
          concat && alignConcat == 0) {
        // The coarsest of the inputs and the concat's own calibration.
        std::optional<int> p = Positions::own(op);
        for (Value in : concat.getInputs())
          if (auto q = pos.get(in))
            p = p ? std::min(*p, *q) : *q;
        if (p)
          for (Value in : concat.getInputs())
            pos.lower(in, *p);
        return;
      }
      if (!isa<tfg::AvgPoolOp, tfg::MeanOp, tfg::MaxPoolOp>(op) ||
          alignPool == 2)
        return;
      std::optional<int> in = pos.get(op->getOperand(0));
      std::optional<int> out = Positions::own(op);
      if (!in || !out)
        return;
      int p = std::min(*in, *out);
      // A max pool has no position of its own in quant: only mode 0 moves
      // its input.
      if (alignPool == 0)
        pos.lower(op->getOperand(0), p);
      if (!isa<tfg::MaxPoolOp>(op) && *out != p) {
        op->setAttr(
            kFixPointAttr,
            IntegerAttr::get(IntegerType::get(op->getContext(), 32), p));
        pos.changed = true;
      }
    });
    if (!pos.changed)
      break;
  }
}

} // namespace vai::quant

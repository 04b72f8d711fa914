//===- DdrAllocation.cpp - dpu-allocate-ddr -------------------------------===//
//
// Gives every tensor of a DPU subgraph a DDR placement and the subgraph its
// regions, following vai_c's conventions as seen in Xilinx's compiled
// pointpillars files (ISA1.md §3.4-3.5): REG_0 parameters, REG_1 workspace,
// REG_2 input interface, REG_3 output interface.
//
//===----------------------------------------------------------------------===//

#include "vai/Dialect/Dpu/Passes.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/Support/MathExtras.h"

namespace vai::dpu {
#define GEN_PASS_DEF_DPUALLOCATEDDR
#include "vai/Dialect/Dpu/Passes.h.inc"
} // namespace vai::dpu

using namespace mlir;
using namespace vai;
using namespace vai::dpu;

namespace {

// vai_c's register numbering (reg_id_to_context_type_v2 of pointpillars).
constexpr int64_t kConstReg = 0;
constexpr int64_t kWorkspaceReg = 1;
constexpr int64_t kInputReg = 2;
constexpr int64_t kOutputReg = 3;
// LOAD/SAVE carry a 29-bit ddr_addr (ISA1.md §4.1); reg_id_to_size is int32.
constexpr int64_t kMaxRegionBytes = int64_t(1) << 29;

/// The shape a tensor is allocated with: a dynamic batch counts as 1.
static FailureOr<SmallVector<int64_t>> allocShape(Value value, Operation *at) {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  if (!type)
    return at->emitError() << "dpu-allocate-ddr: tensor of type "
                           << value.getType() << " has no static shape";
  if (auto fix = quant::getFixType(value); fix && fix.getBitWidth() > 8)
    return at->emitError() << "dpu-allocate-ddr: " << fix.getBitWidth()
                           << "-bit elements; DDR holds one byte per element";
  SmallVector<int64_t> shape(type.getShape());
  for (auto [i, d] : llvm::enumerate(shape)) {
    if (!ShapedType::isDynamic(d))
      continue;
    if (i != 0)
      return at->emitError() << "dpu-allocate-ddr: dimension " << i << " of "
                             << type << " is dynamic; only the batch may be";
    d = 1;
  }
  return shape;
}

static int64_t numBytes(ArrayRef<int64_t> shape) {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

/// Row-major (NHWC) byte strides of a buffer of one byte per element.
static SmallVector<int64_t> byteStrides(ArrayRef<int64_t> shape) {
  SmallVector<int64_t> strides(shape.size(), 1);
  for (int i = int(shape.size()) - 2; i >= 0; --i)
    strides[i] = strides[i + 1] * shape[i + 1];
  if (!strides.empty())
    strides[0] = numBytes(shape);
  return strides;
}

/// A DDR buffer: a tensor, the tensors written into it (concat inputs) and
/// the tensors viewing it (reshapes).
struct Buffer {
  Value root;
  SmallVector<int64_t> shape;
  int64_t reg = kWorkspaceReg;
  int64_t addr = 0;
  int64_t start = 0, end = 0; // op indices of the first write and last read
};

/// Where a tensor lives inside its buffer.
struct Slot {
  unsigned buffer;
  int64_t offset;
};

class SubgraphAllocator {
public:
  SubgraphAllocator(SubgraphOp sub, int64_t paramAlign)
      : sub(sub), body(sub.getBody().front()), paramAlign(paramAlign) {}
  LogicalResult run();

private:
  LogicalResult placeConstants(int64_t &constBytes);
  void mergeConcats();
  LogicalResult assignBuffers();
  int64_t firstFit();
  LogicalResult checkSize(int64_t reg, int64_t bytes);

  SubgraphOp sub;
  Block &body;
  int64_t paramAlign;
  llvm::DenseMap<Operation *, int64_t> index;
  /// Concat inputs written straight into their concat: the concat result
  /// and the byte offset of the input's first channel.
  llvm::DenseMap<Value, std::pair<Value, int64_t>> intoConcat;
  SmallVector<Buffer> buffers;
  llvm::MapVector<Value, Slot> slots;
};

LogicalResult SubgraphAllocator::checkSize(int64_t reg, int64_t bytes) {
  if (bytes <= kMaxRegionBytes)
    return success();
  return sub.emitError() << "dpu-allocate-ddr: subgraph '" << sub.getSymName()
                         << "' needs " << bytes << " bytes in REG_" << reg
                         << ", more than the " << kMaxRegionBytes
                         << " a 29-bit ddr_addr reaches";
}

/// REG_0: each layer's constants in turn, bias before weights (reverse
/// operand order) as vai_c 3.0 does, each at a `paramAlign` boundary.
LogicalResult SubgraphAllocator::placeConstants(int64_t &constBytes) {
  Builder b(sub.getContext());
  int64_t cursor = 0, end = 0;
  llvm::SmallPtrSet<Operation *, 16> placed;
  auto place = [&](quant::ConstOp c) -> LogicalResult {
    if (!placed.insert(c).second)
      return success();
    FailureOr<SmallVector<int64_t>> shape = allocShape(c.getResult(), c);
    if (failed(shape))
      return failure();
    int64_t addr = llvm::alignTo(cursor, paramAlign);
    c->setAttr(DpuDialect::kPlacementAttrName,
               PlacementAttr::get(b.getContext(), kConstReg, addr,
                                  /*on_chip=*/false, nullptr));
    cursor = end = addr + numBytes(*shape);
    return success();
  };
  for (Operation &op : body.without_terminator()) {
    for (Value operand : llvm::reverse(op.getOperands()))
      if (auto c = operand.getDefiningOp<quant::ConstOp>())
        if (failed(place(c)))
          return failure();
  }
  // Constants no layer reads still belong to the parameter blob.
  for (auto c : body.getOps<quant::ConstOp>())
    if (failed(place(c)))
      return failure();
  constBytes = end ? int64_t(llvm::alignTo(end, paramAlign)) : 0;
  return checkSize(kConstReg, constBytes);
}

/// Concat inputs are written straight into the concat's buffer at their
/// channel offset with the concat's pixel stride (ISA1.md §3.4), so the
/// concat costs no copy. Walking backwards settles an outer concat before
/// the inner ones that feed it.
void SubgraphAllocator::mergeConcats() {
  for (Operation &op : llvm::reverse(body.without_terminator())) {
    auto concat = dyn_cast<ConcatOp>(op);
    if (!concat)
      continue;
    auto type = cast<RankedTensorType>(concat.getType());
    if (int64_t(concat.getAxis()) != type.getRank() - 1)
      continue; // Only the channel axis interleaves with a pixel stride.
    int64_t channel = 0;
    for (Value input : concat.getInputs()) {
      int64_t width = cast<RankedTensorType>(input.getType()).getShape().back();
      Operation *def = input.getDefiningOp();
      // Only a layer's own output can be redirected, once, and only if no
      // one needs it contiguous (the output interface, a reshape view,
      // another concat).
      bool movable =
          def && !isa<quant::ConstOp, quant::ReshapeOp>(def) &&
          !intoConcat.count(input) &&
          llvm::all_of(input.getUsers(),
                       [&](Operation *user) {
                         return !isa<YieldOp, quant::ReshapeOp, ConcatOp>(
                                    user) ||
                                user == concat.getOperation();
                       }) &&
          llvm::count(concat.getInputs(), input) == 1;
      if (movable)
        intoConcat[input] = {concat.getResult(), channel};
      channel += width;
    }
  }
}

/// Groups tensors into buffers (concat inputs join their concat, reshapes
/// view their input) and computes each buffer's live range.
LogicalResult SubgraphAllocator::assignBuffers() {
  auto newBuffer = [&](Value root, Operation *at) -> FailureOr<unsigned> {
    FailureOr<SmallVector<int64_t>> shape = allocShape(root, at);
    if (failed(shape))
      return failure();
    Buffer buffer;
    buffer.root = root;
    buffer.shape = std::move(*shape);
    buffers.push_back(std::move(buffer));
    return unsigned(buffers.size() - 1);
  };
  for (BlockArgument arg : body.getArguments()) {
    FailureOr<unsigned> id = newBuffer(arg, sub);
    if (failed(id))
      return failure();
    buffers[*id].reg = kInputReg;
    slots[arg] = {*id, 0};
  }
  // Concat results before their inputs: an input's slot is its concat's.
  for (Operation &op : llvm::reverse(body.without_terminator())) {
    if (!isa<ConcatOp>(op))
      continue;
    Value result = op.getResult(0);
    auto into = intoConcat.find(result);
    if (into != intoConcat.end())
      continue; // Placed with its own concat's inputs below.
    FailureOr<unsigned> id = newBuffer(result, &op);
    if (failed(id))
      return failure();
    slots[result] = {*id, 0};
    // Every input written into this buffer, nested concats included.
    SmallVector<std::pair<Value, int64_t>> work{{result, 0}};
    while (!work.empty()) {
      auto [outer, base] = work.pop_back_val();
      for (Value input : cast<ConcatOp>(outer.getDefiningOp()).getInputs()) {
        auto it = intoConcat.find(input);
        if (it == intoConcat.end() || it->second.first != outer)
          continue;
        slots[input] = {*id, base + it->second.second};
        if (isa<ConcatOp>(input.getDefiningOp()))
          work.push_back({input, base + it->second.second});
      }
    }
  }
  for (Operation &op : body.without_terminator()) {
    if (isa<quant::ConstOp>(op) || op.getNumResults() != 1)
      continue;
    Value result = op.getResult(0);
    if (slots.count(result))
      continue;
    // A reshape of a contiguous tensor is a view of the same bytes.
    if (auto reshape = dyn_cast<quant::ReshapeOp>(op)) {
      auto it = slots.find(reshape.getInput());
      if (it != slots.end() && it->second.offset == 0 &&
          numBytes(buffers[it->second.buffer].shape) ==
              numBytes(*allocShape(reshape.getInput(), &op))) {
        slots[result] = it->second;
        continue;
      }
    }
    FailureOr<unsigned> id = newBuffer(result, &op);
    if (failed(id))
      return failure();
    slots[result] = {*id, 0};
  }

  // Live ranges over the block's op order; the yield reads last.
  int64_t n = 0;
  for (Operation &op : body)
    index[&op] = ++n;
  for (Buffer &buffer : buffers) {
    buffer.start = std::numeric_limits<int64_t>::max();
    buffer.end = 0;
  }
  auto *yield = body.getTerminator();
  for (auto &[value, slot] : slots) {
    Buffer &buffer = buffers[slot.buffer];
    Operation *def = value.getDefiningOp();
    buffer.start = std::min(buffer.start, def ? index[def] : 0);
    for (Operation *user : value.getUsers()) {
      buffer.end = std::max(buffer.end, index[user]);
      if (user == yield && buffer.reg != kInputReg)
        buffer.reg = kOutputReg;
    }
  }
  return success();
}

/// REG_1: buffers in order of their first write, each at the lowest offset
/// free of every buffer still live then (first fit), so memory of dead
/// tensors is reused. Returns the workspace size.
int64_t SubgraphAllocator::firstFit() {
  SmallVector<Buffer *> live;
  int64_t size = 0;
  SmallVector<Buffer *> order;
  for (Buffer &buffer : buffers)
    if (buffer.reg == kWorkspaceReg)
      order.push_back(&buffer);
  llvm::stable_sort(order,
                    [](Buffer *a, Buffer *b) { return a->start < b->start; });
  for (Buffer *buffer : order) {
    // A tensor read by the op that writes this one is still live.
    llvm::erase_if(live, [&](Buffer *b) { return b->end < buffer->start; });
    llvm::sort(live, [](Buffer *a, Buffer *b) { return a->addr < b->addr; });
    int64_t bytes = numBytes(buffer->shape), addr = 0;
    for (Buffer *other : live) {
      if (addr + bytes <= other->addr)
        break;
      addr = std::max(addr, other->addr + numBytes(other->shape));
    }
    buffer->addr = addr;
    size = std::max(size, addr + bytes);
    live.push_back(buffer);
  }
  return size;
}

LogicalResult SubgraphAllocator::run() {
  MLIRContext *ctx = sub.getContext();
  int64_t constBytes = 0;
  if (failed(placeConstants(constBytes)))
    return failure();
  mergeConcats();
  if (failed(assignBuffers()))
    return failure();
  int64_t workspace = firstFit();
  // The interfaces are packed in input and output order, as in vai_c's
  // RPN subgraph (REG_3 = the three head outputs back to back).
  int64_t inputs = 0, outputs = 0;
  for (Buffer &buffer : buffers) {
    if (buffer.reg == kInputReg) {
      buffer.addr = inputs;
      inputs += numBytes(buffer.shape);
    }
  }
  auto yield = cast<YieldOp>(body.getTerminator());
  llvm::SmallDenseSet<unsigned> placed;
  for (Value value : yield.getValues()) {
    auto it = slots.find(value);
    if (it == slots.end())
      continue;
    Buffer &buffer = buffers[it->second.buffer];
    if (buffer.reg != kOutputReg || !placed.insert(it->second.buffer).second)
      continue;
    buffer.addr = outputs;
    outputs += numBytes(buffer.shape);
  }
  if (failed(checkSize(kWorkspaceReg, workspace)) ||
      failed(checkSize(kInputReg, inputs)) ||
      failed(checkSize(kOutputReg, outputs)))
    return failure();

  // Each tensor: its buffer's region and offset; the strides are those of
  // the buffer when the tensor is written into a concat, else its own.
  auto placement = [&](Value value, const Slot &slot) {
    const Buffer &buffer = buffers[slot.buffer];
    bool inConcat = slot.offset != 0 || intoConcat.count(value);
    SmallVector<int64_t> shape =
        inConcat ? buffer.shape : *allocShape(value, sub);
    return PlacementAttr::get(ctx, buffer.reg, buffer.addr + slot.offset,
                              /*on_chip=*/false,
                              DenseI64ArrayAttr::get(ctx, byteStrides(shape)));
  };
  SmallVector<Attribute> inputPlacements;
  for (auto &[value, slot] : slots) {
    if (isa<BlockArgument>(value)) {
      inputPlacements.push_back(placement(value, slot));
      continue;
    }
    value.getDefiningOp()->setAttr(DpuDialect::kPlacementAttrName,
                                   placement(value, slot));
  }

  SmallVector<Attribute> regions;
  auto addRegion = [&](int64_t id, dpu::RegionKind kind, int64_t size) {
    if (size > 0)
      regions.push_back(RegionAttr::get(ctx, id, kind, size));
  };
  addRegion(kConstReg, dpu::RegionKind::Const, constBytes);
  addRegion(kWorkspaceReg, dpu::RegionKind::Workspace, workspace);
  addRegion(kInputReg, dpu::RegionKind::Interface, inputs);
  addRegion(kOutputReg, dpu::RegionKind::Interface, outputs);
  sub.setRegionsAttr(ArrayAttr::get(ctx, regions));
  sub.setInputPlacementsAttr(ArrayAttr::get(ctx, inputPlacements));
  return success();
}

struct DpuAllocateDdrPass
    : vai::dpu::impl::DpuAllocateDdrBase<DpuAllocateDdrPass> {
  using DpuAllocateDdrBase::DpuAllocateDdrBase;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (paramAlign == 0 || !llvm::isPowerOf2_64(paramAlign) ||
        paramAlign > uint64_t(kMaxRegionBytes)) {
      func.emitError() << "dpu-allocate-ddr: param-align must be a power of "
                          "two between 1 and "
                       << kMaxRegionBytes << ", not " << uint64_t(paramAlign);
      return signalPassFailure();
    }
    for (auto sub : func.getBody().getOps<SubgraphOp>()) {
      if (sub.getDevice() != Device::DPU)
        continue;
      if (failed(SubgraphAllocator(sub, int64_t(paramAlign)).run()))
        return signalPassFailure();
    }
  }
};

} // namespace

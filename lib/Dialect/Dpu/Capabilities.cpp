//===- Capabilities.cpp - What a target's DPU can execute -----------------===//
//
// Operator limits: UG1414 (kw*kh*ceil(ic/icp) <= bank depth, oc <= 256*ocp,
// pad <= (k-1)*dilation) and the target's conv/ALU/eltwise descriptions.
//
//===----------------------------------------------------------------------===//

#include "vai/Dialect/Dpu/Capabilities.h"
#include "mlir/IR/BuiltinTypes.h"
#include "vai/Dialect/Quant/QuantOps.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;

namespace vai::dpu {

static std::string nonlinearName(quant::Nonlinear n) {
  return quant::stringifyNonlinear(n).str();
}

/// Checks a window (kernel, stride, pad) against the engine's ranges.
static bool windowFits(ArrayRef<int64_t> kernel, ArrayRef<int64_t> strides,
                       ArrayRef<int64_t> pad, ArrayRef<int64_t> dilations,
                       const Range &kernelRange, const Range &strideRange,
                       const Target &target, std::string &reason) {
  const std::string on = " on " + target.name;
  for (int64_t k : kernel)
    if (!kernelRange.contains(k)) {
      reason = "kernel " + std::to_string(k) +
               (k > kernelRange.max ? " > " + std::to_string(kernelRange.max)
                                    : " < " + std::to_string(kernelRange.min)) +
               on;
      return false;
    }
  for (int64_t s : strides)
    if (!strideRange.contains(s)) {
      reason = "stride " + std::to_string(s) + " outside [" +
               std::to_string(strideRange.min) + ", " +
               std::to_string(strideRange.max) + "]" + on;
      return false;
    }
  for (int i = 0; i < 4; ++i)
    if (!Target::padFitsKernel(pad[i], kernel[i / 2], dilations[i / 2])) {
      reason = "padding " + std::to_string(pad[i]) +
               " exceeds (kernel - 1) * dilation" + on;
      return false;
    }
  return true;
}

static Placement placeConv(ArrayRef<int64_t> kernel, ArrayRef<int64_t> strides,
                           ArrayRef<int64_t> pad, ArrayRef<int64_t> dilations,
                           int64_t inChannels, int64_t outChannels,
                           quant::Nonlinear nonlinear, const Target &target,
                           std::string &reason) {
  if (!windowFits(kernel, strides, pad, dilations, target.convKernel,
                  target.convStride, target, reason))
    return Placement::Cpu;
  if (nonlinear != quant::Nonlinear::none &&
      !target.supportsConvNonlinear(nonlinearName(nonlinear))) {
    reason = "nonlinearity " + nonlinearName(nonlinear) +
             " is not supported by the conv engine of " + target.name;
    return Placement::Cpu;
  }
  if (!target.convWeightsFit(kernel[1], kernel[0], inChannels)) {
    reason = "weights of " + std::to_string(kernel[0]) + "x" +
             std::to_string(kernel[1]) + "x" + std::to_string(inChannels) +
             " exceed the weight bank depth of " + target.name;
    return Placement::Cpu;
  }
  if (outChannels > target.maxConvOutputChannels()) {
    reason = std::to_string(outChannels) + " output channels > " +
             std::to_string(target.maxConvOutputChannels()) + " on " +
             target.name;
    return Placement::Cpu;
  }
  return Placement::Dpu;
}

template <typename PoolOp>
static Placement placePool(PoolOp pool, StringRef kind, const Target &target,
                           std::string &reason) {
  if (!target.supportsAluType(kind.str())) {
    reason = kind.str() + " is not supported by the ALU of " + target.name;
    return Placement::Cpu;
  }
  int64_t dilations[2] = {1, 1};
  return windowFits(pool.getKernel(), pool.getStrides(), pool.getPad(),
                    dilations, target.aluKernel, target.aluStride, target,
                    reason)
             ? Placement::Dpu
             : Placement::Cpu;
}

Placement placeOp(Operation *op, const Target &target, std::string &reason) {
  return llvm::TypeSwitch<Operation *, Placement>(op)
      .Case([&](quant::ConstOp) { return Placement::Constant; })
      .Case([&](quant::QuantizeOp q) {
        // Quantizing a model input is the USER subgraph's data-fix op.
        return isa<BlockArgument>(q.getInput()) ? Placement::User
                                                : Placement::Cpu;
      })
      .Case([&](quant::Conv2DOp conv) {
        auto w = cast<RankedTensorType>(conv.getWeights().getType());
        return placeConv(w.getShape().take_front(2), conv.getStrides(),
                         conv.getPad(), conv.getDilations(), w.getDimSize(2),
                         w.getDimSize(3), conv.getNonlinear(), target, reason);
      })
      .Case([&](quant::MatMulOp matmul) {
        auto w = cast<RankedTensorType>(matmul.getWeights().getType());
        int64_t one[2] = {1, 1}, zero[4] = {0, 0, 0, 0};
        return placeConv(one, one, zero, one, w.getDimSize(0), w.getDimSize(1),
                         matmul.getNonlinear(), target, reason);
      })
      .Case([&](quant::MaxPoolOp pool) {
        return placePool(pool, "max_pool", target, reason);
      })
      .Case([&](quant::AvgPoolOp pool) {
        return placePool(pool, "avg_pool", target, reason);
      })
      .Case([&](quant::AddOp addOp) {
        if (!target.supportsEltwiseType("add")) {
          reason = "elementwise add is not supported by " + target.name;
          return Placement::Cpu;
        }
        if (addOp.getNonlinear() != quant::Nonlinear::none &&
            !target.supportsEltwiseNonlinear(
                nonlinearName(addOp.getNonlinear()))) {
          reason = "nonlinearity " + nonlinearName(addOp.getNonlinear()) +
                   " is not supported by the eltwise engine of " + target.name;
          return Placement::Cpu;
        }
        return Placement::Dpu;
      })
      // Leaving fixed point is the CPU's job; nothing is missing on the DPU.
      .Case([&](quant::DequantizeOp) { return Placement::Cpu; })
      // A reshape moves no data in NHWC memory: it goes where its input is.
      .Case([&](quant::ReshapeOp) { return Placement::FollowInput; })
      .Default([&](Operation *other) {
        reason = "'" + other->getName().getStringRef().str() +
                 "' has no DPU implementation";
        return Placement::Cpu;
      });
}

} // namespace vai::dpu

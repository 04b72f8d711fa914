//===- Capabilities.cpp - What a target's DPU can execute -----------------===//
//
// Operator limits: UG1414 (kw*kh*ceil(ic/icp) <= bank depth, oc <= 256*ocp,
// pad <= (k-1)*dilation, for convolutions and transposed convolutions;
// depthwise conv on the ALU with channel multiplier 1; concat along
// channels) and the target's conv/ALU/eltwise descriptions.
//
//===----------------------------------------------------------------------===//

#include "vai/Dialect/Dpu/Capabilities.h"
#include "mlir/IR/BuiltinTypes.h"
#include "vai/Dialect/Quant/QuantOps.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/TypeSwitch.h"
#include <algorithm>

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

/// Depthwise conv runs on the ALU engine ("dwconv"): one output channel per
/// input channel, the ALU window ranges (pad begin and end separately), an
/// ALU nonlinearity, and kh * kw * ceil(C / width) lines of its weight bank.
static Placement placeDepthwise(quant::DepthwiseConv2DOp conv,
                                const Target &target, std::string &reason) {
  const std::string on = " on " + target.name;
  if (!target.supportsAluType("dwconv")) {
    reason =
        "depthwise convolution is not supported by the ALU of " + target.name;
    return Placement::Cpu;
  }
  auto w = cast<RankedTensorType>(conv.getWeights().getType());
  if (w.getDimSize(3) != 1) {
    reason = "depthwise channel multiplier " + std::to_string(w.getDimSize(3)) +
             " != 1" + on;
    return Placement::Cpu;
  }
  ArrayRef<int64_t> kernel = w.getShape().take_front(2);
  if (!windowFits(kernel, conv.getStrides(), conv.getPad(), conv.getDilations(),
                  target.aluKernel, target.aluStride, target, reason))
    return Placement::Cpu;
  // pad is [top, bottom, left, right].
  ArrayRef<int64_t> pad = conv.getPad();
  for (int i = 0; i < 4; ++i) {
    const Range &range = i % 2 == 0 ? target.aluPad : target.aluPadEnd;
    if (!range.contains(pad[i])) {
      reason = "depthwise padding " + std::to_string(pad[i]) + " outside [" +
               std::to_string(range.min) + ", " + std::to_string(range.max) +
               "]" + on;
      return Placement::Cpu;
    }
  }
  if (conv.getNonlinear() != quant::Nonlinear::none &&
      !target.supportsAluNonlinear(nonlinearName(conv.getNonlinear()))) {
    reason = "nonlinearity " + nonlinearName(conv.getNonlinear()) +
             " is not supported by the ALU of " + target.name;
    return Placement::Cpu;
  }
  int64_t channels = w.getDimSize(2);
  int64_t width = std::max(target.aluWeightBankWidth, 1);
  int64_t lines = kernel[0] * kernel[1] * ((channels + width - 1) / width);
  if (lines > target.aluWeightBankDepth) {
    reason = "depthwise weights of " + std::to_string(kernel[0]) + "x" +
             std::to_string(kernel[1]) + "x" + std::to_string(channels) +
             " exceed the ALU weight bank depth of " + target.name;
    return Placement::Cpu;
  }
  return Placement::Dpu;
}

/// The eltwise engine multiplies two feature maps of one shape, or scales
/// each channel (rhs 1 x ... x 1 x C, NumPy broadcast).
static Placement placeMul(quant::MulOp mul, const Target &target,
                          std::string &reason) {
  if (!target.supportsEltwiseType("mult")) {
    reason = "elementwise multiply is not supported by " + target.name;
    return Placement::Cpu;
  }
  auto lhs = cast<RankedTensorType>(mul.getLhs().getType());
  auto rhs = cast<RankedTensorType>(mul.getRhs().getType());
  if (lhs.getShape() == rhs.getShape())
    return Placement::Dpu;
  ArrayRef<int64_t> r = rhs.getShape();
  bool perChannel =
      !r.empty() && r.back() == lhs.getShape().back() &&
      llvm::all_of(r.drop_back(), [](int64_t d) { return d == 1; });
  if (!perChannel) {
    reason = "elementwise multiply broadcasts other than per channel on " +
             target.name;
    return Placement::Cpu;
  }
  return Placement::Dpu;
}

Placement placeOp(Operation *op, const Target &target, std::string &reason) {
  // quant-quantize left it in float (ignore-nodes, input/output-nodes).
  if (op->hasAttr("quant.ignored")) {
    // quant.float_reason: float-fallback left it float on its own.
    reason = op->hasAttr("quant.float_reason")
                 ? "no fixed-point form (left float)"
                 : "ignored by quantizer";
    return Placement::Cpu;
  }
  // Float constants of ops left float are copied in like quant.const.
  if (op->getName().getStringRef() == "tfg.const")
    return Placement::Constant;
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
      .Case([&](quant::DepthwiseConv2DOp conv) {
        return placeDepthwise(conv, target, reason);
      })
      .Case([&](quant::MulOp mul) { return placeMul(mul, target, reason); })
      .Case([&](quant::ConcatOp concat) {
        // The save engine writes each input at its channel offset of the
        // output (UG1414: concat along channels only).
        int64_t rank = cast<RankedTensorType>(concat.getType()).getRank();
        if (int64_t(concat.getAxis()) != rank - 1) {
          reason = "concat along axis " + std::to_string(concat.getAxis()) +
                   " (not channels) on " + target.name;
          return Placement::Cpu;
        }
        return Placement::Dpu;
      })
      .Case([&](quant::HardSigmoidOp) {
        // The ALU's "hsigmoid" (XIR hard-sigmoid-fix) when the target has it.
        if (!target.supportsAluType("hsigmoid")) {
          reason = "hard sigmoid is not supported by the ALU of " + target.name;
          return Placement::Cpu;
        }
        return Placement::Dpu;
      })
      .Case([&](quant::Conv2DTransposeOp conv) {
        // The conv engine runs transposed-conv2d-fix (vai_c places
        // pointpillars' k = s = 1, 2, 4 deconvs there) as a convolution
        // over the zero-upsampled input: the conv engine's kernel, stride
        // (the upsampling factor), nonlinearity, weight bank and output
        // channel limits apply, and the crop stays within the kernel.
        auto w = cast<RankedTensorType>(conv.getWeights().getType());
        Placement placement =
            placeConv(w.getShape().take_front(2), conv.getStrides(),
                      conv.getPad(), conv.getDilations(), w.getDimSize(2),
                      w.getDimSize(3), conv.getNonlinear(), target, reason);
        if (placement == Placement::Cpu)
          reason = "transposed convolution: " + reason;
        return placement;
      })
      .Case([&](quant::UpsampleOp) {
        reason = "upsample-fix has no engine in the description of " +
                 target.name + " (no upsample ALU type)";
        return Placement::Cpu;
      })
      .Case([&](quant::PadOp) {
        reason = "a pad not merged into a convolution (tfg-fuse-pad merges "
                 "zero pads) has no engine on " +
                 target.name;
        return Placement::Cpu;
      })
      // Leaving fixed point is the CPU's job; nothing is missing on the DPU.
      .Case([&](quant::DequantizeOp) { return Placement::Cpu; })
      // A reshape moves no data in NHWC memory: it goes where its input is.
      .Case([&](quant::ReshapeOp) { return Placement::FollowInput; })
      .Default([&](Operation *other) {
        // A generic op (an imported XIR or TF op) is named by its own type.
        std::string what = other->getName().getStringRef().str();
        if (auto type = other->getAttrOfType<StringAttr>("op_type"))
          if (auto framework = other->getAttrOfType<StringAttr>("framework"))
            what = framework.str() + " op " + type.str();
        reason = "'" + what + "' has no DPU implementation";
        return Placement::Cpu;
      });
}

} // namespace vai::dpu

//===- FixedKernels.cpp - Bit-exact DPU integer kernels -------------------===//
//
// Sources of the arithmetic: ../shared/ISA1.md §5 (checked bit-exactly
// against Xilinx-compiled DPU code), Vitis-AI XIR cpu_task conv2d-fix,
// pool-fix and eltwise-fix (the integer reference Xilinx compares the DPU
// with), DESIGN.md §5.
//
//===----------------------------------------------------------------------===//

#include "vai/Simulator/FixedKernels.h"

#include "WindowLoops.h"

#include <algorithm>
#include <cmath>
#include <limits>

using namespace vai;

namespace {

// |x * w| <= 2^14, so an int32 accumulator is exact up to this many taps;
// beyond it we accumulate in int64.
const int64_t kMaxInt32Taps = (int64_t(1) << 31) / (int64_t(1) << 14) - 1;
// Keeps |acc| < 2^38 so the requantization arithmetic cannot overflow int64.
const int64_t kMaxTaps = int64_t(1) << 24;

bool checkBias(const Int8Array *bias, int64_t channels, const char *op,
               std::string &error) {
  return !bias || detail::checkVector(*bias, channels, op, "bias", error);
}

/// floor(v / 2^s) for s >= 0, without relying on the sign behaviour of >>.
int64_t floorShiftRight(int64_t v, int s) {
  if (s <= 0)
    return v;
  if (s >= 63)
    return v < 0 ? -1 : 0;
  int64_t d = int64_t(1) << s;
  int64_t q = v / d;
  return (v % d != 0 && v < 0) ? q - 1 : q;
}

/// The largest output code of ReLU6: round_half_up(6 * 2^outFix).
int64_t relu6Threshold(int outFix) { return roundHalfUpShift(6, -outFix); }

/// Applies the nonlinearity to the exact value num / 2^shift, rounds half up
/// once and saturates to int8. Shared by conv/matmul and eltwise so both
/// round the same way (XIR applies the activation before rounding).
int8_t finish(int64_t num, int shift, Nonlinear nonlinear, int outFix) {
  int64_t y = 0;
  switch (nonlinear) {
  case Nonlinear::None:
    y = roundHalfUpShift(num, shift);
    break;
  case Nonlinear::Relu:
    y = std::max<int64_t>(roundHalfUpShift(num, shift), 0);
    break;
  case Nonlinear::Relu6:
    // Rounding is monotone, so clamping before or after it is the same.
    y = std::min(std::max<int64_t>(roundHalfUpShift(num, shift), 0),
                 relu6Threshold(outFix));
    break;
  case Nonlinear::LeakyRelu:
    y = num < 0 ? roundHalfUpShift(num * kLeakyReluNumerator,
                                   shift + kLeakyReluShift)
                : roundHalfUpShift(num, shift);
    break;
  }
  return static_cast<int8_t>(saturate(y, 8, true));
}

/// The requantized multiply-accumulate of a validated conv.
template <typename Acc>
Int8Array convFixLoops(const Int8Array &input, const Int8Array &weights,
                       const Int8Array *bias, const Requant &rq,
                       const detail::ConvShape &s) {
  const int64_t OC = s.outChannels;
  return detail::convWindows<Acc, /*SkipZeroInputs=*/true>(
      input, weights, s, [&](const Acc *acc, int64_t, int8_t *o) {
        for (int64_t oc = 0; oc < OC; ++oc)
          o[oc] = requantize(acc[oc], bias ? bias->data[oc] : 0, bias, rq);
      });
}

/// conv2dFix and depthwiseConv2dFix: validation, then the integer loops with
/// the narrowest accumulator that is exact for the number of taps.
bool convFix(const Int8Array &input, const Int8Array &weights,
             const Int8Array *bias, const Conv2DAttrs &attrs, const Requant &rq,
             bool depthwise, Int8Array &out, std::string &error) {
  const char *op = depthwise ? "depthwiseConv2dFix" : "conv2dFix";
  const detail::FilterNames names = {"weights", "weight", "rank 4"};
  detail::ConvShape s;
  if (!checkConsistent(input, op, "input", error) ||
      !checkConsistent(weights, op, "weights", error) ||
      !checkRequant(rq, bias != nullptr, op, error) ||
      !detail::checkConvFilter(input.shape, weights.shape, attrs, depthwise, op,
                               names, s, error))
    return false;
  const int64_t kernelTaps = s.window.kernel.h * s.window.kernel.w;
  if (kernelTaps * weights.shape[2] > kMaxTaps) {
    error = std::string(op) + ": more than 2^24 taps per output";
    return false;
  }
  if (!detail::checkConvChannels(weights.shape, attrs, op, names, s, error) ||
      !checkBias(bias, s.outChannels, op, error))
    return false;
  // A depthwise output sums one input channel per tap.
  const int64_t taps =
      depthwise ? kernelTaps : kernelTaps * s.inChannelsPerGroup;
  if (taps <= kMaxInt32Taps)
    out = convFixLoops<int32_t>(input, weights, bias, rq, s);
  else
    out = convFixLoops<int64_t>(input, weights, bias, rq, s);
  return true;
}

/// detail::checkPool, plus the bound that keeps the window sum exact.
bool checkPoolFix(const Int8Array &input, const Pool2DAttrs &attrs,
                  const char *op, WindowGeometry &g, std::string &error) {
  if (!detail::checkPool(input, attrs, op, g, error))
    return false;
  if (attrs.kernel.h * attrs.kernel.w > kMaxTaps) {
    error = std::string(op) + ": kernel is too large";
    return false;
  }
  return true;
}

} // namespace

//===----------------------------------------------------------------------===//
// Requantization
//===----------------------------------------------------------------------===//

Requant vai::makeRequant(int inFix, int weightFix, int biasFix, int outFix,
                         Nonlinear nonlinear) {
  Requant rq;
  rq.shiftCut = inFix + weightFix - outFix;
  rq.shiftBias = inFix + weightFix - biasFix;
  rq.nonlinear = nonlinear;
  rq.outFixPoint = outFix;
  return rq;
}

bool vai::checkRequant(const Requant &rq, bool hasBias, const char *opName,
                       std::string &error) {
  if (rq.shiftCut < 0 || rq.shiftCut > 32) {
    error = std::string(opName) + ": shiftCut " + std::to_string(rq.shiftCut) +
            " is out of the supported range [0, 32]";
    return false;
  }
  // Without a bias the shift is never used (and often meaningless).
  if (hasBias && (rq.shiftBias < -16 || rq.shiftBias > 32)) {
    error = std::string(opName) + ": shiftBias " +
            std::to_string(rq.shiftBias) +
            " is out of the supported range [-16, 32]";
    return false;
  }
  return true;
}

int8_t vai::requantize(int64_t acc, int64_t bias, bool hasBias,
                       const Requant &rq) {
  // ISA1.md §5: y = (2*acc + bias*2^(shiftBias+1) + 2^shiftCut) >>
  // (shiftCut+1), i.e. everything at scale 2^1. A shiftBias below -1 needs a
  // finer common scale 2^k for the bias term to stay an integer; the value
  // (and so the rounding) is the same.
  int k = (hasBias && rq.shiftBias < -1) ? -rq.shiftBias : 1;
  int64_t num = acc * (int64_t(1) << k);
  if (hasBias)
    num += bias * (int64_t(1) << (rq.shiftBias + k));
  return finish(num, rq.shiftCut + k, rq.nonlinear, rq.outFixPoint);
}

//===----------------------------------------------------------------------===//
// Conv-like kernels
//===----------------------------------------------------------------------===//

bool vai::conv2dFix(const Int8Array &input, const Int8Array &weights,
                    const Int8Array *bias, const Conv2DAttrs &attrs,
                    const Requant &rq, Int8Array &out, std::string &error) {
  return convFix(input, weights, bias, attrs, rq, /*depthwise=*/false, out,
                 error);
}

bool vai::depthwiseConv2dFix(const Int8Array &input, const Int8Array &weights,
                             const Int8Array *bias, const Conv2DAttrs &attrs,
                             const Requant &rq, Int8Array &out,
                             std::string &error) {
  return convFix(input, weights, bias, attrs, rq, /*depthwise=*/true, out,
                 error);
}

bool vai::conv2dTransposeFix(const Int8Array &input, const Int8Array &weights,
                             const Int8Array *bias,
                             const Conv2DTransposeAttrs &attrs,
                             const Requant &rq, Int8Array &out,
                             std::string &error) {
  const char *op = "conv2dTransposeFix";
  if (!checkConsistent(input, op, "input", error) ||
      !checkConsistent(weights, op, "weights", error) ||
      !checkRequant(rq, bias != nullptr, op, error))
    return false;
  if (input.rank() != 4 || weights.rank() != 4 ||
      weights.shape[2] != input.shape[3]) {
    error = std::string(op) + ": expects input [N,H,W,C] and weights " +
            "[KH,KW,C,OC], got " + shapeString(input.shape) + " and " +
            shapeString(weights.shape);
    return false;
  }
  const Dims2 s = attrs.strides, d = attrs.dilations;
  const Pads2 &p = attrs.pads;
  if (s.h <= 0 || s.w <= 0 || d.h <= 0 || d.w <= 0 || p.top < 0 ||
      p.bottom < 0 || p.left < 0 || p.right < 0 || attrs.groups != 1 ||
      attrs.outputPadding.h != 0 || attrs.outputPadding.w != 0) {
    error = std::string(op) + ": expects positive strides and dilations, "
                              "non-negative crops, one group and no output "
                              "padding";
    return false;
  }
  const int64_t N = input.shape[0], H = input.shape[1], W = input.shape[2],
                C = input.shape[3];
  const int64_t KH = weights.shape[0], KW = weights.shape[1],
                OC = weights.shape[3];
  const int64_t OH = (H - 1) * s.h + (KH - 1) * d.h + 1 - p.top - p.bottom;
  const int64_t OW = (W - 1) * s.w + (KW - 1) * d.w + 1 - p.left - p.right;
  if (H <= 0 || W <= 0 || KH <= 0 || KW <= 0 || OH <= 0 || OW <= 0) {
    error = std::string(op) + ": input " + shapeString(input.shape) +
            " and weights " + shapeString(weights.shape) +
            " give an empty output";
    return false;
  }
  if (KH * KW * C > kMaxTaps) {
    error = std::string(op) + ": more than 2^24 taps per output";
    return false;
  }
  if (!checkBias(bias, OC, op, error))
    return false;
  // Scatter each input pixel into the exact int64 accumulators, then
  // requantize every output once.
  std::vector<int64_t> acc(size_t(N * OH * OW * OC), 0);
  for (int64_t n = 0; n < N; ++n)
    for (int64_t y = 0; y < H; ++y)
      for (int64_t x = 0; x < W; ++x) {
        const int8_t *in = &input.data[((n * H + y) * W + x) * C];
        for (int64_t ky = 0; ky < KH; ++ky) {
          int64_t oy = y * s.h + ky * d.h - p.top;
          if (oy < 0 || oy >= OH)
            continue;
          for (int64_t kx = 0; kx < KW; ++kx) {
            int64_t ox = x * s.w + kx * d.w - p.left;
            if (ox < 0 || ox >= OW)
              continue;
            int64_t *a = &acc[((n * OH + oy) * OW + ox) * OC];
            const int8_t *w = &weights.data[(ky * KW + kx) * C * OC];
            for (int64_t c = 0; c < C; ++c) {
              if (!in[c])
                continue;
              for (int64_t o = 0; o < OC; ++o)
                a[o] += int64_t(in[c]) * w[c * OC + o];
            }
          }
        }
      }
  out = Int8Array({N, OH, OW, OC});
  for (size_t i = 0; i < acc.size(); ++i) {
    int64_t o = int64_t(i) % OC;
    out.data[i] = requantize(acc[i], bias ? bias->data[o] : 0, bias, rq);
  }
  return true;
}

bool vai::matmulFix(const Int8Array &a, const Int8Array &b,
                    const Int8Array *bias, const Requant &rq, bool transposeA,
                    bool transposeB, Int8Array &out, std::string &error) {
  if (!checkConsistent(a, "matmulFix", "lhs", error) ||
      !checkConsistent(b, "matmulFix", "rhs", error) ||
      !checkRequant(rq, bias != nullptr, "matmulFix", error))
    return false;
  int64_t M, K, N;
  if (!detail::checkMatmul(a.shape, b.shape, transposeA, transposeB,
                           "matmulFix", M, K, N, error))
    return false;
  if (K > kMaxTaps) {
    error = "matmulFix: more than 2^24 taps per output";
    return false;
  }
  if (!checkBias(bias, N, "matmulFix", error))
    return false;
  Int8Array at, bt;
  const Int8Array &A = detail::maybeTransposed(a, transposeA, at);
  const Int8Array &B = detail::maybeTransposed(b, transposeB, bt);
  Int8Array result({M, N});
  std::vector<int64_t> acc(static_cast<size_t>(N));
  for (int64_t i = 0; i < M; ++i) {
    std::fill(acc.begin(), acc.end(), 0);
    for (int64_t k = 0; k < K; ++k) {
      int64_t av = A.data[i * K + k];
      const int8_t *brow = &B.data[k * N];
      for (int64_t j = 0; j < N; ++j)
        acc[j] += av * brow[j];
    }
    for (int64_t j = 0; j < N; ++j)
      result.data[i * N + j] =
          requantize(acc[j], bias ? bias->data[j] : 0, bias, rq);
  }
  out = std::move(result);
  return true;
}

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

bool vai::maxPoolFix(const Int8Array &input, const Pool2DAttrs &attrs,
                     int inFix, int outFix, Int8Array &out,
                     std::string &error) {
  WindowGeometry g;
  if (!checkPoolFix(input, attrs, "maxPoolFix", g, error))
    return false;
  // XIR pool-fix: out = round(max * 2^(outFix - inFix)), DPU rounding.
  const int shift = inFix - outFix;
  out = detail::poolWindows(
      input, g, attrs, std::numeric_limits<int8_t>::min(),
      [](int8_t acc, int8_t x) { return std::max(acc, x); },
      [&](int8_t acc, int64_t) {
        return static_cast<int8_t>(
            saturate(roundHalfUpShift(acc, shift), 8, true));
      });
  return true;
}

AvgPoolFactor vai::avgPoolDpuFactor(int64_t kernelH, int64_t kernelW) {
  // The table and the search are those of XIR pool-fix
  // (get_avgpool_dpu_factors) and vai_q_pytorch get_avgpool_dpu_coeff.
  AvgPoolFactor f;
  if (kernelH == 3 && kernelW == 3)
    return {7, 6};
  if (kernelH == 5 && kernelW == 5)
    return {10, 8};
  if (kernelH == 6 && kernelW == 6)
    return {7, 8};
  if (kernelH == 7 && kernelW == 7)
    return {21, 10};
  if (kernelH == 14 && kernelW == 14)
    return {21, 12};
  // The reference mixes float and double (1.f / rec, a float `diff` that
  // stores a double); we keep the same types so near-ties agree.
  const int64_t rec = kernelH * kernelW;
  float diff = 1.0f;
  const double maxShift = std::ceil(std::log2(static_cast<double>(rec * 128)));
  for (int s = 0; s < maxShift; ++s) {
    double factor = std::round(std::exp2(s) / static_cast<double>(rec));
    double d = std::abs(factor / std::exp2(s) -
                        static_cast<double>(1.0f / static_cast<float>(rec)));
    if (d < diff) {
      f.multiplier = static_cast<int64_t>(factor);
      f.shift = s;
      diff = static_cast<float>(d);
    }
  }
  return f;
}

bool vai::avgPoolFix(const Int8Array &input, const Pool2DAttrs &attrs,
                     int inFix, int outFix, Int8Array &out,
                     std::string &error) {
  WindowGeometry g;
  if (!checkPoolFix(input, attrs, "avgPoolFix", g, error))
    return false;
  const AvgPoolFactor f = avgPoolDpuFactor(attrs.kernel.h, attrs.kernel.w);
  // y = sum * m / 2^s * 2^(outFix - inFix): one exact shift, rounded half up
  // (XIR pool-fix evaluates the same product in float, exactly for int8 data).
  const int shift = f.shift + inFix - outFix;
  out = detail::poolWindows(
      input, g, attrs, int64_t(0),
      [](int64_t acc, int8_t x) { return acc + x; },
      [&](int64_t acc, int64_t) {
        return static_cast<int8_t>(
            saturate(roundHalfUpShift(acc * f.multiplier, shift), 8, true));
      });
  return true;
}

bool vai::globalAvgPoolFix(const Int8Array &input, int inFix, int outFix,
                           Int8Array &out, std::string &error) {
  if (input.rank() != 4) {
    error = "globalAvgPoolFix: input must be NHWC (rank 4), got shape " +
            shapeString(input.shape);
    return false;
  }
  Pool2DAttrs attrs;
  attrs.kernel = {input.shape[1], input.shape[2]};
  return avgPoolFix(input, attrs, inFix, outFix, out, error);
}

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

bool vai::addFix(const Int8Array &a, int aFix, const Int8Array &b, int bFix,
                 int outFix, Nonlinear nonlinear, Int8Array &out,
                 std::string &error) {
  // XIR eltwise-fix (ADD): shift_read_i = p_i - pMin, each input read as
  // floor(x * 4 / 2^shift_read_i); shift_write = pMin - outFix, then / 4.
  const int pMin = std::min(aFix, bFix);
  const int readA = aFix - pMin, readB = bFix - pMin;
  const int writeShift = pMin - outFix + 2;
  return detail::elementwiseBinary(
      a, b, "addFix",
      [&](int8_t x, int8_t y) {
        int64_t sum = floorShiftRight(int64_t(x) * 4, readA) +
                      floorShiftRight(int64_t(y) * 4, readB);
        return finish(sum, writeShift, nonlinear, outFix);
      },
      out, error);
}

bool vai::mulFix(const Int8Array &a, int aFix, const Int8Array &b, int bFix,
                 int outFix, Int8Array &out, std::string &error) {
  // |a * b| <= 2^14: exact; one rounding at the output position.
  const int shift = aFix + bFix - outFix;
  return detail::elementwiseBinary(
      a, b, "mulFix",
      [&](int8_t x, int8_t y) {
        return static_cast<int8_t>(saturate(
            roundHalfUpShift(int64_t(x) * int64_t(y), shift), 8, true));
      },
      out, error);
}

bool vai::concatFix(const std::vector<const Int8Array *> &inputs,
                    const std::vector<int> &fixPoints, int64_t axis, int outFix,
                    Int8Array &out, std::string &error) {
  if (inputs.empty() || inputs.size() != fixPoints.size()) {
    error = "concatFix: expects one fix point per input and at least one input";
    return false;
  }
  const std::vector<int64_t> &first = inputs[0]->shape;
  const int64_t rank = int64_t(first.size());
  if (axis < 0 || axis >= rank) {
    error = "concatFix: axis " + std::to_string(axis) + " is outside [0, " +
            std::to_string(rank) + ")";
    return false;
  }
  std::vector<int64_t> shape = first;
  shape[axis] = 0;
  for (const Int8Array *in : inputs) {
    if (!checkConsistent(*in, "concatFix", "input", error))
      return false;
    bool same = int64_t(in->shape.size()) == rank;
    for (int64_t d = 0; same && d < rank; ++d)
      same = d == axis || in->shape[d] == first[d];
    if (!same) {
      error = "concatFix: input shape " + shapeString(in->shape) +
              " does not match " + shapeString(first) + " off axis " +
              std::to_string(axis);
      return false;
    }
    shape[axis] += in->shape[axis];
  }
  // Rows before the axis, and each input's contiguous block per row.
  int64_t outer = 1;
  for (int64_t d = 0; d < axis; ++d)
    outer *= shape[d];
  Int8Array result(shape);
  int64_t outBlock = result.numElements() / std::max<int64_t>(outer, 1);
  int64_t offset = 0;
  for (size_t i = 0; i < inputs.size(); ++i) {
    const Int8Array &in = *inputs[i];
    int64_t block = outer ? in.numElements() / outer : 0;
    const int shift = fixPoints[i] - outFix;
    for (int64_t r = 0; r < outer; ++r)
      for (int64_t j = 0; j < block; ++j)
        result.data[r * outBlock + offset + j] = static_cast<int8_t>(
            saturate(roundHalfUpShift(in.data[r * block + j], shift), 8, true));
    offset += block;
  }
  out = std::move(result);
  return true;
}

//===----------------------------------------------------------------------===//
// Data movement and hard sigmoid
//===----------------------------------------------------------------------===//

bool vai::padFix(const Int8Array &input, const std::vector<int64_t> &pads,
                 PadFixMode mode, int8_t value, Int8Array &out,
                 std::string &error) {
  if (!checkConsistent(input, "padFix", "input", error))
    return false;
  const size_t rank = input.rank();
  if (pads.size() != 2 * rank) {
    error = "padFix: pads must have 2 x rank = " + std::to_string(2 * rank) +
            " entries, got " + std::to_string(pads.size());
    return false;
  }
  // One index map per dimension: -1 reads `value`.
  std::vector<std::vector<int64_t>> maps(rank);
  for (size_t d = 0; d < rank; ++d) {
    const int64_t len = input.shape[d], before = pads[d],
                  after = pads[d + rank];
    const int64_t limit = mode == PadFixMode::Reflect     ? len - 1
                          : mode == PadFixMode::Symmetric ? len
                                                          : before + after;
    if (before < 0 || after < 0 || std::max(before, after) > limit) {
      error = "padFix: pads " + std::to_string(before) + ", " +
              std::to_string(after) + " are negative or too large for " +
              "dimension " + std::to_string(d) + " of " +
              shapeString(input.shape);
      return false;
    }
    for (int64_t j = -before; j < len + after; ++j) {
      int64_t t = j;
      if (j < 0 || j >= len) {
        if (mode == PadFixMode::Constant)
          t = -1;
        else if (mode == PadFixMode::Reflect)
          t = j < 0 ? -j : 2 * (len - 1) - j;
        else
          t = j < 0 ? -j - 1 : 2 * len - 1 - j;
      }
      maps[d].push_back(t);
    }
  }
  out = detail::gatherDims(input, maps, value);
  return true;
}

bool vai::upsampleFix(const Int8Array &input, int64_t scaleH, int64_t scaleW,
                      Int8Array &out, std::string &error) {
  if (!checkConsistent(input, "upsampleFix", "input", error))
    return false;
  if (input.rank() != 4 || scaleH < 1 || scaleW < 1) {
    error = "upsampleFix: expects NHWC input (rank 4) and integer scales >= "
            "1, got shape " +
            shapeString(input.shape);
    return false;
  }
  std::vector<std::vector<int64_t>> maps(4);
  const int64_t scale[4] = {1, scaleH, scaleW, 1};
  for (int d = 0; d < 4; ++d)
    for (int64_t j = 0; j < input.shape[d] * scale[d]; ++j)
      maps[d].push_back(j / scale[d]);
  out = detail::gatherDims(input, maps, int8_t(0));
  return true;
}

bool vai::hardSigmoidFix(const Int8Array &input, int inFix, int outFix,
                         Int8Array &out, std::string &error) {
  if (!checkConsistent(input, "hardSigmoidFix", "input", error))
    return false;
  const int shift = kHardSigmoidShift + inFix - outFix;
  if (inFix < 0 || inFix > 15 || shift < 0 || shift > 31) {
    error =
        "hardSigmoidFix: input position " + std::to_string(inFix) +
        " (must be in [0, 15]) or shift 14 + i - o = " + std::to_string(shift) +
        " (must be in [0, 31]) out of range";
    return false;
  }
  // relu6(x + 3) at position inFix, times 2731: every term an integer.
  const int64_t three = int64_t(3) << inFix;
  const int64_t six = int64_t(6) << inFix;
  out = Int8Array(input.shape);
  for (size_t k = 0; k < input.data.size(); ++k) {
    int64_t r6 = std::min(std::max<int64_t>(input.data[k] + three, 0), six);
    out.data[k] = static_cast<int8_t>(
        saturate(roundHalfUpShift(r6 * kHardSigmoidNumerator, shift), 8, true));
  }
  return true;
}

//===----------------------------------------------------------------------===//
// Conversions
//===----------------------------------------------------------------------===//

Int8Array vai::quantizeArray(const FloatArray &x, int fixPoint, int bitWidth,
                             RoundMode mode) {
  bitWidth = std::min(std::max(bitWidth, 1), 8);
  Int8Array q;
  q.shape = x.shape;
  q.data.resize(x.data.size());
  for (size_t i = 0; i < x.data.size(); ++i)
    q.data[i] = static_cast<int8_t>(
        quantizeValue(x.data[i], fixPoint, bitWidth, true, mode));
  return q;
}

FloatArray vai::dequantizeArray(const Int8Array &q, int fixPoint) {
  FloatArray x;
  x.shape = q.shape;
  x.data.resize(q.data.size());
  const float scale = std::ldexp(1.0f, -fixPoint);
  for (size_t i = 0; i < q.data.size(); ++i)
    x.data[i] = static_cast<float>(q.data[i]) * scale;
  return x;
}

//===- FixedKernels.cpp - Bit-exact DPU integer kernels -------------------===//
//
// Sources of the arithmetic: ../shared/ISA1.md §5 (checked bit-exactly
// against Xilinx-compiled DPU code), Vitis-AI XIR cpu_task conv2d-fix,
// pool-fix and eltwise-fix (the integer reference Xilinx compares the DPU
// with), DESIGN.md §5.
//
//===----------------------------------------------------------------------===//

#include "vai/Simulator/FixedKernels.h"

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
  if (!bias)
    return true;
  if (!checkConsistent(*bias, op, "bias", error))
    return false;
  if (bias->rank() == 1 && bias->shape[0] == channels)
    return true;
  error = std::string(op) + ": bias must have shape [" +
          std::to_string(channels) + "], got " + shapeString(bias->shape);
  return false;
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

/// Geometry and weights of a conv-like op, validated once.
struct ConvSetup {
  WindowGeometry g;
  int64_t KH = 0, KW = 0;
};

template <typename Acc>
void convLoops(const Int8Array &input, const Int8Array &weights,
               const Int8Array *bias, const Conv2DAttrs &attrs,
               const Requant &rq, const ConvSetup &s, int64_t groups,
               Int8Array &result) {
  const WindowGeometry &g = s.g;
  const int64_t C = g.channels, ICg = weights.shape[2], OC = weights.shape[3];
  const int64_t OCg = OC / groups;
  std::vector<Acc> acc(static_cast<size_t>(OC));
  for (int64_t n = 0; n < g.batch; ++n) {
    for (int64_t oh = 0; oh < g.outH; ++oh) {
      for (int64_t ow = 0; ow < g.outW; ++ow) {
        std::fill(acc.begin(), acc.end(), Acc(0));
        for (int64_t ky = 0; ky < s.KH; ++ky) {
          int64_t iy =
              oh * attrs.strides.h - attrs.pads.top + ky * attrs.dilations.h;
          if (iy < 0 || iy >= g.inH)
            continue;
          for (int64_t kx = 0; kx < s.KW; ++kx) {
            int64_t ix =
                ow * attrs.strides.w - attrs.pads.left + kx * attrs.dilations.w;
            if (ix < 0 || ix >= g.inW)
              continue;
            const int8_t *x = &input.data[((n * g.inH + iy) * g.inW + ix) * C];
            const int8_t *wTap = &weights.data[(ky * s.KW + kx) * ICg * OC];
            for (int64_t grp = 0; grp < groups; ++grp) {
              Acc *ag = acc.data() + grp * OCg;
              for (int64_t ic = 0; ic < ICg; ++ic) {
                Acc xv = x[grp * ICg + ic];
                if (xv == 0)
                  continue; // Common after ReLU; saves the whole row.
                const int8_t *w = wTap + ic * OC + grp * OCg;
                for (int64_t oc = 0; oc < OCg; ++oc)
                  ag[oc] += xv * static_cast<Acc>(w[oc]);
              }
            }
          }
        }
        int8_t *o = &result.data[((n * g.outH + oh) * g.outW + ow) * OC];
        for (int64_t oc = 0; oc < OC; ++oc)
          o[oc] = requantize(acc[oc], bias ? bias->data[oc] : 0, bias, rq);
      }
    }
  }
}

template <typename Acc>
void depthwiseLoops(const Int8Array &input, const Int8Array &weights,
                    const Int8Array *bias, const Conv2DAttrs &attrs,
                    const Requant &rq, const ConvSetup &s, Int8Array &result) {
  const WindowGeometry &g = s.g;
  const int64_t C = g.channels, M = weights.shape[3], OC = C * M;
  std::vector<Acc> acc(static_cast<size_t>(OC));
  for (int64_t n = 0; n < g.batch; ++n) {
    for (int64_t oh = 0; oh < g.outH; ++oh) {
      for (int64_t ow = 0; ow < g.outW; ++ow) {
        std::fill(acc.begin(), acc.end(), Acc(0));
        for (int64_t ky = 0; ky < s.KH; ++ky) {
          int64_t iy =
              oh * attrs.strides.h - attrs.pads.top + ky * attrs.dilations.h;
          if (iy < 0 || iy >= g.inH)
            continue;
          for (int64_t kx = 0; kx < s.KW; ++kx) {
            int64_t ix =
                ow * attrs.strides.w - attrs.pads.left + kx * attrs.dilations.w;
            if (ix < 0 || ix >= g.inW)
              continue;
            const int8_t *x = &input.data[((n * g.inH + iy) * g.inW + ix) * C];
            const int8_t *w = &weights.data[(ky * s.KW + kx) * OC];
            for (int64_t c = 0; c < C; ++c)
              for (int64_t m = 0; m < M; ++m)
                acc[c * M + m] +=
                    static_cast<Acc>(x[c]) * static_cast<Acc>(w[c * M + m]);
          }
        }
        int8_t *o = &result.data[((n * g.outH + oh) * g.outW + ow) * OC];
        for (int64_t oc = 0; oc < OC; ++oc)
          o[oc] = requantize(acc[oc], bias ? bias->data[oc] : 0, bias, rq);
      }
    }
  }
}

bool setupConv(const Int8Array &input, const Int8Array &weights,
               const Int8Array *bias, const Conv2DAttrs &attrs,
               const Requant &rq, const char *op, ConvSetup &s,
               std::string &error) {
  if (!checkConsistent(input, op, "input", error) ||
      !checkConsistent(weights, op, "weights", error) ||
      !checkRequant(rq, bias != nullptr, op, error))
    return false;
  if (weights.rank() != 4) {
    error = std::string(op) + ": weights must be rank 4, got shape " +
            shapeString(weights.shape);
    return false;
  }
  s.KH = weights.shape[0];
  s.KW = weights.shape[1];
  if (!computeWindowGeometry(input.shape, {s.KH, s.KW}, attrs.strides,
                             attrs.dilations, attrs.pads, op, s.g, error))
    return false;
  if (s.KH * s.KW * weights.shape[2] > kMaxTaps) {
    error = std::string(op) + ": more than 2^24 taps per output";
    return false;
  }
  return true;
}

bool setupPool(const Int8Array &input, const Pool2DAttrs &attrs, const char *op,
               WindowGeometry &g, std::string &error) {
  if (!checkConsistent(input, op, "input", error))
    return false;
  if (!computeWindowGeometry(input.shape, attrs.kernel, attrs.strides, Dims2(),
                             attrs.pads, op, g, error))
    return false;
  if (attrs.pads.top >= attrs.kernel.h || attrs.pads.bottom >= attrs.kernel.h ||
      attrs.pads.left >= attrs.kernel.w || attrs.pads.right >= attrs.kernel.w) {
    error = std::string(op) +
            ": padding must be smaller than the kernel (a window would lie "
            "entirely in the padding)";
    return false;
  }
  if (attrs.kernel.h * attrs.kernel.w > kMaxTaps) {
    error = std::string(op) + ": kernel is too large";
    return false;
  }
  return true;
}

Int8Array transpose2D(const Int8Array &a) {
  int64_t r = a.shape[0], c = a.shape[1];
  Int8Array t({c, r});
  for (int64_t i = 0; i < r; ++i)
    for (int64_t j = 0; j < c; ++j)
      t.data[j * r + i] = a.data[i * c + j];
  return t;
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
  ConvSetup s;
  if (!setupConv(input, weights, bias, attrs, rq, "conv2dFix", s, error))
    return false;
  const int64_t ICg = weights.shape[2], OC = weights.shape[3];
  const int64_t groups = attrs.groups;
  if (groups <= 0 || s.g.channels != ICg * groups || OC % groups != 0) {
    error = "conv2dFix: input channels " + std::to_string(s.g.channels) +
            " do not match weight input channels " + std::to_string(ICg) +
            " x groups " + std::to_string(groups) + " (weights " +
            shapeString(weights.shape) + ")";
    return false;
  }
  if (!checkBias(bias, OC, "conv2dFix", error))
    return false;
  Int8Array result({s.g.batch, s.g.outH, s.g.outW, OC});
  if (s.KH * s.KW * ICg <= kMaxInt32Taps)
    convLoops<int32_t>(input, weights, bias, attrs, rq, s, groups, result);
  else
    convLoops<int64_t>(input, weights, bias, attrs, rq, s, groups, result);
  out = std::move(result);
  return true;
}

bool vai::depthwiseConv2dFix(const Int8Array &input, const Int8Array &weights,
                             const Int8Array *bias, const Conv2DAttrs &attrs,
                             const Requant &rq, Int8Array &out,
                             std::string &error) {
  ConvSetup s;
  if (!setupConv(input, weights, bias, attrs, rq, "depthwiseConv2dFix", s,
                 error))
    return false;
  if (weights.shape[2] != s.g.channels) {
    error = "depthwiseConv2dFix: input channels " +
            std::to_string(s.g.channels) + " do not match weight channels " +
            std::to_string(weights.shape[2]);
    return false;
  }
  const int64_t OC = s.g.channels * weights.shape[3];
  if (!checkBias(bias, OC, "depthwiseConv2dFix", error))
    return false;
  Int8Array result({s.g.batch, s.g.outH, s.g.outW, OC});
  if (s.KH * s.KW <= kMaxInt32Taps)
    depthwiseLoops<int32_t>(input, weights, bias, attrs, rq, s, result);
  else
    depthwiseLoops<int64_t>(input, weights, bias, attrs, rq, s, result);
  out = std::move(result);
  return true;
}

bool vai::matmulFix(const Int8Array &a, const Int8Array &b,
                    const Int8Array *bias, const Requant &rq, bool transposeA,
                    bool transposeB, Int8Array &out, std::string &error) {
  if (!checkConsistent(a, "matmulFix", "lhs", error) ||
      !checkConsistent(b, "matmulFix", "rhs", error) ||
      !checkRequant(rq, bias != nullptr, "matmulFix", error))
    return false;
  if (a.rank() != 2 || b.rank() != 2) {
    error = "matmulFix: operands must be rank 2, got " + shapeString(a.shape) +
            " and " + shapeString(b.shape);
    return false;
  }
  Int8Array at, bt;
  const Int8Array &A = transposeA ? (at = transpose2D(a)) : a;
  const Int8Array &B = transposeB ? (bt = transpose2D(b)) : b;
  const int64_t M = A.shape[0], K = A.shape[1], N = B.shape[1];
  if (B.shape[0] != K) {
    error = "matmulFix: inner dimensions differ: " + shapeString(A.shape) +
            " x " + shapeString(B.shape) + " (after transposes)";
    return false;
  }
  if (K > kMaxTaps) {
    error = "matmulFix: more than 2^24 taps per output";
    return false;
  }
  if (!checkBias(bias, N, "matmulFix", error))
    return false;
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
  if (!setupPool(input, attrs, "maxPoolFix", g, error))
    return false;
  const int64_t C = g.channels;
  // XIR pool-fix: out = round(max * 2^(outFix - inFix)), DPU rounding.
  const int shift = inFix - outFix;
  Int8Array result({g.batch, g.outH, g.outW, C});
  std::vector<int8_t> acc(static_cast<size_t>(C));
  for (int64_t n = 0; n < g.batch; ++n) {
    for (int64_t oh = 0; oh < g.outH; ++oh) {
      for (int64_t ow = 0; ow < g.outW; ++ow) {
        std::fill(acc.begin(), acc.end(), std::numeric_limits<int8_t>::min());
        for (int64_t ky = 0; ky < attrs.kernel.h; ++ky) {
          int64_t iy = oh * attrs.strides.h - attrs.pads.top + ky;
          if (iy < 0 || iy >= g.inH)
            continue;
          for (int64_t kx = 0; kx < attrs.kernel.w; ++kx) {
            int64_t ix = ow * attrs.strides.w - attrs.pads.left + kx;
            if (ix < 0 || ix >= g.inW)
              continue;
            const int8_t *x = &input.data[((n * g.inH + iy) * g.inW + ix) * C];
            for (int64_t c = 0; c < C; ++c)
              acc[c] = std::max(acc[c], x[c]);
          }
        }
        int8_t *o = &result.data[((n * g.outH + oh) * g.outW + ow) * C];
        for (int64_t c = 0; c < C; ++c)
          o[c] = static_cast<int8_t>(
              saturate(roundHalfUpShift(acc[c], shift), 8, true));
      }
    }
  }
  out = std::move(result);
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
  if (!setupPool(input, attrs, "avgPoolFix", g, error))
    return false;
  const AvgPoolFactor f = avgPoolDpuFactor(attrs.kernel.h, attrs.kernel.w);
  // y = sum * m / 2^s * 2^(outFix - inFix): one exact shift, rounded half up
  // (XIR pool-fix evaluates the same product in float, exactly for int8 data).
  const int shift = f.shift + inFix - outFix;
  const int64_t C = g.channels;
  Int8Array result({g.batch, g.outH, g.outW, C});
  std::vector<int64_t> acc(static_cast<size_t>(C));
  for (int64_t n = 0; n < g.batch; ++n) {
    for (int64_t oh = 0; oh < g.outH; ++oh) {
      for (int64_t ow = 0; ow < g.outW; ++ow) {
        std::fill(acc.begin(), acc.end(), 0);
        for (int64_t ky = 0; ky < attrs.kernel.h; ++ky) {
          int64_t iy = oh * attrs.strides.h - attrs.pads.top + ky;
          if (iy < 0 || iy >= g.inH)
            continue;
          for (int64_t kx = 0; kx < attrs.kernel.w; ++kx) {
            int64_t ix = ow * attrs.strides.w - attrs.pads.left + kx;
            if (ix < 0 || ix >= g.inW)
              continue;
            const int8_t *x = &input.data[((n * g.inH + iy) * g.inW + ix) * C];
            for (int64_t c = 0; c < C; ++c)
              acc[c] += x[c];
          }
        }
        int8_t *o = &result.data[((n * g.outH + oh) * g.outW + ow) * C];
        for (int64_t c = 0; c < C; ++c)
          o[c] = static_cast<int8_t>(saturate(
              roundHalfUpShift(acc[c] * f.multiplier, shift), 8, true));
      }
    }
  }
  out = std::move(result);
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
  if (!checkConsistent(a, "addFix", "lhs", error) ||
      !checkConsistent(b, "addFix", "rhs", error))
    return false;
  std::vector<int64_t> shape;
  if (!broadcastShapes(a.shape, b.shape, shape, error)) {
    error = "addFix: " + error;
    return false;
  }
  // XIR eltwise-fix (ADD): shift_read_i = p_i - pMin, each input read as
  // floor(x * 4 / 2^shift_read_i); shift_write = pMin - outFix, then / 4.
  const int pMin = std::min(aFix, bFix);
  const int readA = aFix - pMin, readB = bFix - pMin;
  const int writeShift = pMin - outFix + 2;
  auto one = [&](int8_t x, int8_t y) {
    int64_t sum = floorShiftRight(int64_t(x) * 4, readA) +
                  floorShiftRight(int64_t(y) * 4, readB);
    return finish(sum, writeShift, nonlinear, outFix);
  };
  Int8Array result(shape);
  size_t n = result.data.size();
  if (a.shape == shape && b.shape == shape) {
    for (size_t i = 0; i < n; ++i)
      result.data[i] = one(a.data[i], b.data[i]);
  } else {
    std::vector<int64_t> ia = broadcastSourceOffsets(a.shape, shape);
    std::vector<int64_t> ib = broadcastSourceOffsets(b.shape, shape);
    for (size_t i = 0; i < n; ++i)
      result.data[i] = one(a.data[ia[i]], b.data[ib[i]]);
  }
  out = std::move(result);
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

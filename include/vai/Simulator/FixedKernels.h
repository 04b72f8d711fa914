//===- FixedKernels.h - Bit-exact DPU integer kernels ------------*- C++
//-*-===//
//
// The compute kernels of the fixed-point (quant) interpreter: int8 NHWC in,
// int8 out, exact integer accumulation, and the DPU's requantization. The DPU
// simulator must reproduce these bit for bit, so every rounding step is
// written in integers; sources are cited at each rule.
//
// Conventions: a tensor's fix point p means real = q * 2^-p. Shifts use the
// XIR op attributes (conv2d-fix): shiftCut = p_in + p_w - p_out and
// shiftBias = p_in + p_w - p_bias (the CONVINIT hardware field is
// shiftBias + 1, ISA1.md §5).
//
//===----------------------------------------------------------------------===//

#ifndef VAI_SIMULATOR_FIXEDKERNELS_H
#define VAI_SIMULATOR_FIXEDKERNELS_H

#include "vai/Simulator/FloatKernels.h"
#include "vai/Simulator/NDArray.h"
#include "vai/Support/FixedPoint.h"

#include <string>

namespace vai {

/// The activation fused into a DPU conv / eltwise (XIR `nonlinear`).
enum class Nonlinear { None, Relu, Relu6, LeakyRelu };

/// DPU leaky-ReLU slope: alpha is fixed at 26/256 (vai_q replaces any alpha,
/// XIR eltwise-fix uses 26.f/256.f).
constexpr int kLeakyReluNumerator = 26;
constexpr int kLeakyReluShift = 8;

/// Requantization of a conv / depthwise / matmul accumulator.
struct Requant {
  int shiftCut = 0;
  int shiftBias = 0;
  Nonlinear nonlinear = Nonlinear::None;
  /// Output fix point; only ReLU6 needs it (its threshold is 6 * 2^p_out).
  int outFixPoint = 0;
};

/// The XIR shifts for the given fix points.
Requant makeRequant(int inFix, int weightFix, int biasFix, int outFix,
                    Nonlinear nonlinear = Nonlinear::None);

/// Checks the shift ranges the exact integer formula supports:
/// shiftCut in [0, 32], and shiftBias in [-16, 32] when there is a bias
/// (DESIGN.md §5 allows [0, 16] and [min(0, -(24 - (8 + shiftCut))), 16]).
bool checkRequant(const Requant &rq, bool hasBias, const char *opName,
                  std::string &error);

/// One output value. y = round_half_up((acc + bias * 2^shiftBias) /
/// 2^shiftCut), computed exactly as ISA1.md §5 / XIR conv2d-fix do:
///   (2*acc + bias * 2^(shiftBias+1) + 2^shiftCut) >> (shiftCut + 1)
/// (scaled by a further 2^k when shiftBias < -1 so every term stays an
/// integer). The nonlinearity is applied to the unrounded value as XIR
/// conv2d-fix does (for ReLU/ReLU6 the order does not matter), LeakyReLU
/// multiplying by 26 and shifting 8 more bits before the single rounding;
/// then saturation to int8.
int8_t requantize(int64_t acc, int64_t bias, bool hasBias, const Requant &rq);

/// input [N,H,W,C] int8, weights [KH,KW,C/groups,OC] int8 (HWIO), optional
/// bias [OC] int8 -> [N,OH,OW,OC] int8. Padding contributes zeros.
bool conv2dFix(const Int8Array &input, const Int8Array &weights,
               const Int8Array *bias, const Conv2DAttrs &attrs,
               const Requant &rq, Int8Array &out, std::string &error);

/// input [N,H,W,C], weights [KH,KW,C,M], optional bias [C*M] -> C*M channels
/// (output channel c*M + m). attrs.groups is ignored.
bool depthwiseConv2dFix(const Int8Array &input, const Int8Array &weights,
                        const Int8Array *bias, const Conv2DAttrs &attrs,
                        const Requant &rq, Int8Array &out, std::string &error);

/// XIR transposed-conv2d-fix: input [N,H,W,C], weights [KH,KW,C,OC],
/// optional bias [OC]. Input (y, x) adds in * w[ky, kx] to output
/// (y*sh + ky*dh - top, x*sw + kx*dw - left); the output is the full
/// (H-1)*sh + (KH-1)*dh + 1 rows less attrs.pads (non-negative; groups and
/// outputPadding must be 1 and 0), requantized as conv2dFix.
bool conv2dTransposeFix(const Int8Array &input, const Int8Array &weights,
                        const Int8Array *bias,
                        const Conv2DTransposeAttrs &attrs, const Requant &rq,
                        Int8Array &out, std::string &error);

/// a [M,K] (or [K,M] with transposeA), b [K,N] (or [N,K]), optional bias [N].
bool matmulFix(const Int8Array &a, const Int8Array &b, const Int8Array *bias,
               const Requant &rq, bool transposeA, bool transposeB,
               Int8Array &out, std::string &error);

/// Max over the window (padding never wins), then a move from inFix to outFix:
/// exact when outFix >= inFix, else round half up (XIR pool-fix); saturated.
bool maxPoolFix(const Int8Array &input, const Pool2DAttrs &attrs, int inFix,
                int outFix, Int8Array &out, std::string &error);

/// The DPU average-pool multiplier: the window sum is multiplied by
/// `multiplier` and shifted right by `shift` instead of divided by kh*kw.
struct AvgPoolFactor {
  int64_t multiplier = 1;
  int shift = 0;
};

/// XIR pool-fix / vai_q dpu_utils get_avgpool_dpu_coeff: fixed values for
/// 3x3 (7/2^6), 5x5 (10/2^8), 6x6 (7/2^8), 7x7 (21/2^10), 14x14 (21/2^12);
/// otherwise, for n = kh*kw, the first shift s in [0, ceil(log2(128 n)))
/// whose m = round(2^s / n) gives the smallest |m/2^s - 1/n| (evaluated in
/// the same float/double mix as the reference, so ties resolve identically).
AvgPoolFactor avgPoolDpuFactor(int64_t kernelH, int64_t kernelW);

/// Average pool as the DPU computes it: y = round_half_up(sum * m / 2^s *
/// 2^(outFix - inFix)), saturated. The sum covers the valid input elements
/// (padding is zero) but the factor is always that of the full kernel, so
/// attrs.countIncludePad is ignored.
bool avgPoolFix(const Int8Array &input, const Pool2DAttrs &attrs, int inFix,
                int outFix, Int8Array &out, std::string &error);

/// avgPoolFix with kernel = H x W, stride 1, no padding: [N,1,1,C].
bool globalAvgPoolFix(const Int8Array &input, int inFix, int outFix,
                      Int8Array &out, std::string &error);

/// Elementwise add as XIR eltwise-fix: with pMin = min(aFix, bFix), each
/// input is aligned to pMin with two guard bits, floor(x * 4 / 2^(p - pMin)),
/// the sum is scaled by 2^(outFix - pMin - 2) with round half up, then the
/// nonlinearity and saturation. When |aFix - bFix| <= 2 this equals
/// round_half_up(a * 2^(outFix - aFix) + b * 2^(outFix - bFix)) exactly;
/// beyond that the finer input loses its low bits, as on the DPU.
/// Shapes: equal, or NumPy-broadcastable (e.g. b a [C] vector).
bool addFix(const Int8Array &a, int aFix, const Int8Array &b, int bFix,
            int outFix, Nonlinear nonlinear, Int8Array &out,
            std::string &error);

/// Elementwise product as XIR eltwise-fix (MUL): the exact product at
/// position aFix + bFix, rounded half up to outFix and saturated. b may
/// broadcast to a.
bool mulFix(const Int8Array &a, int aFix, const Int8Array &b, int bFix,
            int outFix, Int8Array &out, std::string &error);

/// Concatenation along `axis` (XIR concat-fix). Input i is first moved from
/// fixPoints[i] to outFix: round_half_up(q * 2^(outFix - p_i)), saturated
/// (a copy when the positions agree, as the DPU requires).
bool concatFix(const std::vector<const Int8Array *> &inputs,
               const std::vector<int> &fixPoints, int64_t axis, int outFix,
               Int8Array &out, std::string &error);

/// How padFix fills the border (XIR pad-fix `mode`).
enum class PadFixMode {
  Constant,
  /// x[-k] = x[k]: mirror without repeating the edge; pads < dimension.
  Reflect,
  /// x[-k] = x[k - 1]: mirror repeating the edge; pads <= dimension.
  Symmetric,
};

/// XIR pad-fix: pads = [begin_0, ..., begin_{r-1}, end_0, ..., end_{r-1}]
/// (ONNX order), all >= 0. A copy: the fix point does not change.
bool padFix(const Int8Array &input, const std::vector<int64_t> &pads,
            PadFixMode mode, int8_t value, Int8Array &out, std::string &error);

/// XIR upsample-fix (NEAREST, integer scale): NHWC out[n, y, x, c] =
/// in[n, floor(y / scaleH), floor(x / scaleW), c].
bool upsampleFix(const Int8Array &input, int64_t scaleH, int64_t scaleW,
                 Int8Array &out, std::string &error);

/// The DPU's hard sigmoid multiplier 2731 / 2^14 (~1/6; XIR
/// hard-sigmoid-fix, vai_q hardsigmoid).
constexpr int kHardSigmoidNumerator = 2731;
constexpr int kHardSigmoidShift = 14;

/// XIR hard-sigmoid-fix: y = sat8(round_half_up(clamp(x * 2731 + 3 * 2731
/// * 2^inFix, 0, 6 * 2731 * 2^inFix) / 2^(14 + inFix - outFix))). Needs
/// inFix in [0, 15] and 14 + inFix - outFix in [0, 31].
bool hardSigmoidFix(const Int8Array &input, int inFix, int outFix,
                    Int8Array &out, std::string &error);

/// Elementwise quantizeValue / dequantizeValue. bitWidth must be <= 8.
Int8Array quantizeArray(const FloatArray &x, int fixPoint, int bitWidth = 8,
                        RoundMode mode = RoundMode::DpuRound);
FloatArray dequantizeArray(const Int8Array &q, int fixPoint);

} // namespace vai

#endif // VAI_SIMULATOR_FIXEDKERNELS_H

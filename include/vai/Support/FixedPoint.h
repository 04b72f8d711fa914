//===- FixedPoint.h - DPU power-of-two fixed-point rules ---------*- C++
//-*-===//
//
// The numeric contract of the quant level (DESIGN.md §5): a tensor element is
// q = clamp(round(x * 2^fixPoint)) in bitWidth bits, per tensor, symmetric.
// Sources: Vitis-AI vai_q_tensorflow1.x fix_neuron_op, vai_q_pytorch
// nndct_fix_kernels (cpu_diff_S), XIR built_in_ops.cpp / cpu_task round modes.
//
// Shared by the quantizer (calibration), the fixed-point interpreter and the
// DPU simulator so that every level rounds the same way.
//
//===----------------------------------------------------------------------===//

#ifndef VAI_SUPPORT_FIXEDPOINT_H
#define VAI_SUPPORT_FIXEDPOINT_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace vai {

/// XIR / vai_q round modes.
enum class RoundMode {
  /// DPU_ROUND: halves toward +inf (2.5 -> 3, -2.5 -> -2). What the DPU does
  /// for activations and every requantization.
  DpuRound,
  /// STD_ROUND: halves away from zero (std::round).
  StdRound,
  /// PY3_ROUND: halves to even (Python 3 round, numpy.round).
  Py3Round,
};

/// "DPU_ROUND", "STD_ROUND", "PY3_ROUND" (the XIR attribute spelling).
const char *roundModeName(RoundMode mode);
/// Parses the XIR spelling; false for anything else.
bool parseRoundMode(const std::string &name, RoundMode &mode);

/// Rounds to an integer-valued double with the given mode. Exact for every
/// finite double (no x + 0.5 double-rounding trap).
double roundWith(RoundMode mode, double x);

/// Smallest and largest code of a bitWidth-bit integer.
int64_t fixMin(int bitWidth, bool isSigned);
int64_t fixMax(int bitWidth, bool isSigned);

/// Clamps v to the bitWidth-bit range.
int64_t saturate(int64_t v, int bitWidth, bool isSigned = true);

/// round_half_up(v / 2^shift) exactly, with an arithmetic (floor) shift, as
/// the DPU does: (v + 2^(shift-1)) >> shift. shift <= 0 multiplies by
/// 2^-shift; results beyond +-2^61 are clamped there (they saturate to any
/// DPU width anyway).
int64_t roundHalfUpShift(int64_t v, int shift);

/// q = clamp(round(x * 2^fixPoint), min, max) for the bitWidth-bit range
/// ([-2^(bw-1), 2^(bw-1)-1], or [0, 2^bw-1] unsigned). NaN gives 0.
int64_t quantizeValue(float x, int fixPoint, int bitWidth, bool isSigned,
                      RoundMode mode);

/// q * 2^-fixPoint.
float dequantizeValue(int64_t q, int fixPoint);

/// The position used for data that is all zero (or empty, or not finite):
/// any position is exact, so pick bitWidth - 1, which represents [-1, 1) and
/// keeps the conv shifts of the neighbours in range. (vai_q_pytorch uses 18
/// here; that breaks shift_cut <= 16 for a following layer.)
int defaultFixPos(int bitWidth);

/// Method 0, non-overflow: the largest position at which the extremes of the
/// data do not clip. As vai_q (cpu_diff_S): step = max(min / (-2^(bw-1) -
/// 0.5), max / (2^(bw-1) - 0.5)), pos = floor(log2(1 / step)). Non-finite
/// values are ignored.
int fixPosNonOverflow(const float *data, size_t n, int bitWidth);

/// Method 1, min-diffs (the vai_q default): scans positions p0 .. p0+range-1
/// from the non-overflow position p0 and returns the one with the smallest
/// sum((dequant(quant(x)) - x)^2); ties go to the smaller position (less
/// clipping). vai_q uses range = 5.
int fixPosMinDiffs(const float *data, size_t n, int bitWidth, RoundMode mode,
                   int range = 5);

/// Method 2's strategy for depthwise weights (`data` laid out with the
/// output channel innermost, `channels` of them). vai_q documents only "a
/// special strategy for depthwise weights", so this is ours: a depthwise
/// channel feeds the next layer on its own, so a channel whose weights all
/// round to zero is lost however small the tensor-wide error is. Among the
/// same candidate positions as method 1, pick the one with the smallest
/// mean over channels of the channel's relative error
/// sum((dequant(quant(w)) - w)^2) / sum(w^2); ties go to the smaller
/// position. All-zero channels are skipped.
int fixPosDepthwise(const float *data, size_t n, size_t channels, int bitWidth,
                    RoundMode mode, int range = 5);

/// L2 quantization error sum((dequant(quant(x)) - x)^2) at one position.
double quantizationError(const float *data, size_t n, int fixPoint,
                         int bitWidth, RoundMode mode);

/// The most frequent value (the per-tensor position over calibration
/// batches); ties go to the smaller position. 0 for an empty list.
int modeOfPositions(const std::vector<int> &positions);

} // namespace vai

#endif // VAI_SUPPORT_FIXEDPOINT_H

//===- HardSoftmax.cpp - The DPU's bfloat16 softmax -----------------------===//
//
// The graph vai_q_tensorflow builds for `replace_softmax`
// (Xilinx/Vitis-AI src/vai_quantizer/vai_q_tensorflow1.x/tensorflow/contrib/
// decent_q/utils/replace_softmax.cc, ReplaceSoftmaxWithDPUSoftmax), evaluated
// element by element: a bfloat16 op is the float op rounded to bfloat16, a
// float op between casts is not rounded. The constants are that graph's.
//
//===----------------------------------------------------------------------===//

#include "vai/Simulator/HardSoftmax.h"
#include <cmath>
#include <cstring>

using namespace vai;

float vai::roundToBFloat16(float v) {
  if (std::isnan(v))
    return v;
  uint32_t bits;
  std::memcpy(&bits, &v, sizeof bits);
  bits += 0x7fffu + ((bits >> 16) & 1u);
  bits &= 0xffff0000u;
  std::memcpy(&v, &bits, sizeof v);
  return v;
}

namespace {

float bf(float v) { return roundToBFloat16(v); }

/// exp(x) = 2^n * p(r), n = floor(x / ln 2), r = x - n ln 2, p a cubic.
float dpuExp(float input) {
  static const float rcpLn2 = bf(1.4426950408889634f);
  static const float ln2 = bf(0.6931471805599453f);
  float x = bf(input);
  float n = bf(std::floor(bf(x * rcpLn2)));
  float r = bf(x - bf(n * ln2));
  // Separate statements: the reference adds after rounding each product to
  // float, so no fused multiply-add.
  float t = r * 0.21875f;
  float p = bf(t + 0.486328125f);
  t = r * p;
  p = bf(t + 1.0f);
  t = r * p;
  p = bf(t + 1.0f);
  return bf(bf(std::pow(2.0f, n)) * p);
}

/// 1 / sum: seed 0x7eb5 - bits(sum) on the bfloat16 pattern, then two
/// Newton-style steps with the reference's constants.
float dpuReciprocal(float sum) {
  static const float k1 = bf(1.9395974f);
  static const float k2 = bf(1.436142f);
  uint32_t bits;
  std::memcpy(&bits, &sum, sizeof bits);
  uint16_t seedBits = static_cast<uint16_t>(0x7eb5u - (bits >> 16));
  bits = static_cast<uint32_t>(seedBits) << 16;
  float y0;
  std::memcpy(&y0, &bits, sizeof y0);
  float scaled = bf(y0 * k1);
  float t = y0 * sum;
  float y1 = bf(scaled * bf(k2 - t));
  t = y1 * sum;
  float residual = bf(1.0f - t);
  t = residual * y1;
  return bf(t + y1);
}

} // namespace

bool vai::hardSoftmax(const FloatArray &x, int64_t axis, FloatArray &out,
                      std::string &error) {
  if (!x.isConsistent()) {
    error = "hard_softmax: input holds " + std::to_string(x.data.size()) +
            " values for shape " + shapeString(x.shape);
    return false;
  }
  int64_t rank = static_cast<int64_t>(x.rank());
  int64_t a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank) {
    error = "hard_softmax: axis " + std::to_string(axis) +
            " is out of range for rank " + std::to_string(rank);
    return false;
  }
  int64_t outer = 1, len = x.shape[a], inner = 1;
  for (int64_t d = 0; d < a; ++d)
    outer *= x.shape[d];
  for (int64_t d = a + 1; d < rank; ++d)
    inner *= x.shape[d];
  // The reference sums 16 interleaved lanes (UnsortedSegmentSum over
  // k % 16), rounds each lane to bfloat16, then adds the lanes.
  constexpr int64_t lanes = 16;
  FloatArray result(x.shape);
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t i = 0; i < inner; ++i) {
      const float *src = &x.data[o * len * inner + i];
      float *dst = &result.data[o * len * inner + i];
      float lane[lanes] = {};
      for (int64_t k = 0; k < len; ++k) {
        dst[k * inner] = dpuExp(src[k * inner]);
        lane[k % lanes] += dst[k * inner];
      }
      float sum = 0.0f;
      for (float v : lane)
        sum += bf(v);
      float reciprocal = dpuReciprocal(bf(sum));
      for (int64_t k = 0; k < len; ++k)
        dst[k * inner] = bf(dst[k * inner] * reciprocal);
    }
  }
  out = std::move(result);
  return true;
}

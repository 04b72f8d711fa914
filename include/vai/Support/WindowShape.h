//===- WindowShape.h - Output sizes of windowed ops -------------*- C++ -*-===//
//
// One definition of how a sliding window (convolution, pooling) maps input
// sizes to output sizes, shared by shape inference, verifiers and importers.
//
//===----------------------------------------------------------------------===//

#ifndef VAI_SUPPORT_WINDOWSHAPE_H
#define VAI_SUPPORT_WINDOWSHAPE_H

#include <cstdint>
#include <utility>

namespace vai {

/// Marker for an unknown size; equal to mlir::ShapedType::kDynamic.
constexpr int64_t kDynamicSize = INT64_MIN;

/// Output size of a window of `kernel` taps spaced `dilation` apart, moved by
/// `stride` over `in` elements padded by `padBefore`/`padAfter`. Unknown in
/// gives unknown out; a window larger than the padded input gives 0.
inline int64_t windowOutputSize(int64_t in, int64_t kernel, int64_t stride,
                                int64_t dilation, int64_t padBefore,
                                int64_t padAfter) {
  if (in == kDynamicSize)
    return kDynamicSize;
  int64_t effective = (kernel - 1) * dilation + 1;
  int64_t span = in + padBefore + padAfter - effective;
  return span < 0 ? 0 : span / stride + 1;
}

/// TensorFlow's SAME padding: the output has ceil(in / stride) elements and
/// the extra padding goes after (tensorflow/core/framework/kernel_shape_util).
inline std::pair<int64_t, int64_t>
samePadding(int64_t in, int64_t kernel, int64_t stride, int64_t dilation) {
  int64_t effective = (kernel - 1) * dilation + 1;
  int64_t out = (in + stride - 1) / stride;
  int64_t total = (out - 1) * stride + effective - in;
  if (total < 0)
    total = 0;
  return {total / 2, total - total / 2};
}

} // namespace vai

#endif // VAI_SUPPORT_WINDOWSHAPE_H

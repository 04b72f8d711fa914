//===- FloatKernels.h - Float32 reference kernels (NHWC) ---------*- C++
//-*-===//
//
// The compute kernels of the float interpreter for the tfg level. Layouts are
// TensorFlow's (the DPU's): activations NHWC, conv filters HWIO, depthwise
// filters HW-I-multiplier. Accumulation is in float, in the natural order, so
// results match TF/onnxruntime to float tolerance, not bit for bit.
//
// Every kernel validates shapes and returns false with a message naming the
// kernel and the mismatch; on success `out` is fully overwritten.
//
//===----------------------------------------------------------------------===//

#ifndef VAI_SIMULATOR_FLOATKERNELS_H
#define VAI_SIMULATOR_FLOATKERNELS_H

#include "vai/Simulator/NDArray.h"

#include <string>
#include <utility>
#include <vector>

namespace vai {

/// A (height, width) pair: strides, dilations, kernel sizes.
struct Dims2 {
  int64_t h = 1;
  int64_t w = 1;
};

/// Explicit spatial padding.
struct Pads2 {
  int64_t top = 0;
  int64_t bottom = 0;
  int64_t left = 0;
  int64_t right = 0;
};

struct Conv2DAttrs {
  Dims2 strides;
  Dims2 dilations;
  Pads2 pads;
  /// Grouped convolution: filter input channels = input channels / groups.
  int64_t groups = 1;
};

struct Pool2DAttrs {
  Dims2 kernel;
  Dims2 strides;
  Pads2 pads;
  /// Average pooling only: divide by the full window (ONNX/Caffe
  /// count_include_pad) instead of by the valid elements (TF).
  bool countIncludePad = false;
};

//===----------------------------------------------------------------------===//
// Geometry helpers (shared with the importers and the fixed-point kernels)
//===----------------------------------------------------------------------===//

/// TF "SAME" padding of one spatial dimension: total = max((ceil(in/stride)
/// - 1) * stride + (kernel - 1) * dilation + 1 - in, 0); the extra odd pixel
/// goes after. Returns {before, after}.
std::pair<int64_t, int64_t> computeSamePadding(int64_t inSize, int64_t kernel,
                                               int64_t stride,
                                               int64_t dilation = 1);

/// SAME padding for both spatial dimensions.
Pads2 computeSamePads2(int64_t inH, int64_t inW, Dims2 kernel, Dims2 strides,
                       Dims2 dilations = Dims2());

/// floor((in + padBefore + padAfter - effectiveKernel) / stride) + 1, or 0
/// when the padded input is smaller than the dilated kernel.
int64_t convOutputSize(int64_t inSize, int64_t kernel, int64_t stride,
                       int64_t dilation, int64_t padBefore, int64_t padAfter);

/// TF output sizes: SAME = ceil(in / stride), VALID = ceil((in - (k-1)*d) /
/// stride) (0 if negative).
int64_t sameOutputSize(int64_t inSize, int64_t stride);
int64_t validOutputSize(int64_t inSize, int64_t kernel, int64_t stride,
                        int64_t dilation = 1);

/// Validated output geometry of a 2-D window op over an NHWC input.
struct WindowGeometry {
  int64_t batch = 0, inH = 0, inW = 0, channels = 0, outH = 0, outW = 0;
};

/// Checks rank 4, positive kernel/stride/dilation, non-negative pads and a
/// non-empty output; `opName` prefixes the error.
bool computeWindowGeometry(const std::vector<int64_t> &inputShape, Dims2 kernel,
                           Dims2 strides, Dims2 dilations, const Pads2 &pads,
                           const char *opName, WindowGeometry &geometry,
                           std::string &error);

/// NumPy broadcasting of two shapes; false with a message if incompatible.
bool broadcastShapes(const std::vector<int64_t> &a,
                     const std::vector<int64_t> &b,
                     std::vector<int64_t> &result, std::string &error);

/// For every element of a tensor of shape `to` (row-major), the flat offset
/// of the element it reads in an operand of shape `from` broadcast to `to`.
/// `from` must be broadcast-compatible with `to`.
std::vector<int64_t> broadcastSourceOffsets(const std::vector<int64_t> &from,
                                            const std::vector<int64_t> &to);

//===----------------------------------------------------------------------===//
// Kernels
//===----------------------------------------------------------------------===//

/// input [N,H,W,C], filter [KH,KW,C/groups,OC] -> [N,OH,OW,OC].
bool conv2d(const FloatArray &input, const FloatArray &filter,
            const Conv2DAttrs &attrs, FloatArray &out, std::string &error);

/// input [N,H,W,C], filter [KH,KW,C,M] -> [N,OH,OW,C*M]; output channel
/// c*M + m (TF DepthwiseConv2dNative). attrs.groups is ignored.
bool depthwiseConv2d(const FloatArray &input, const FloatArray &filter,
                     const Conv2DAttrs &attrs, FloatArray &out,
                     std::string &error);

/// Padding never wins a max; every window must touch the input
/// (pads < kernel).
bool maxPool(const FloatArray &input, const Pool2DAttrs &attrs, FloatArray &out,
             std::string &error);
bool avgPool(const FloatArray &input, const Pool2DAttrs &attrs, FloatArray &out,
             std::string &error);

/// a [M,K] (or [K,M] with transposeA), b [K,N] (or [N,K]) -> [M,N].
bool matmul(const FloatArray &a, const FloatArray &b, bool transposeA,
            bool transposeB, FloatArray &out, std::string &error);

/// x + bias over the last dimension (bias [C]).
bool biasAdd(const FloatArray &x, const FloatArray &bias, FloatArray &out,
             std::string &error);

/// Inference batch norm over the last dimension (all parameters [C]):
/// (x - mean) * scale / sqrt(variance + epsilon) + offset.
bool batchNormInference(const FloatArray &x, const FloatArray &scale,
                        const FloatArray &offset, const FloatArray &mean,
                        const FloatArray &variance, float epsilon,
                        FloatArray &out, std::string &error);

FloatArray relu(const FloatArray &x);
FloatArray relu6(const FloatArray &x);
/// x for x >= 0, alpha * x otherwise.
FloatArray leakyRelu(const FloatArray &x, float alpha);

/// Elementwise with NumPy broadcasting (same shape and a [C] vector over the
/// last dimension are the common cases).
bool add(const FloatArray &a, const FloatArray &b, FloatArray &out,
         std::string &error);
bool mul(const FloatArray &a, const FloatArray &b, FloatArray &out,
         std::string &error);

/// Mean over `axes` (negative axes count from the end; empty = all axes).
bool meanReduce(const FloatArray &x, const std::vector<int64_t> &axes,
                bool keepDims, FloatArray &out, std::string &error);

} // namespace vai

#endif // VAI_SIMULATOR_FLOATKERNELS_H

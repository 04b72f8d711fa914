//===- FloatKernels.h - Float32 reference kernels (NHWC) ---------*- C++
//-*-===//
//
// The compute kernels of the float interpreter for the tfg level. Layouts are
// TensorFlow's (the DPU's): activations NHWC, conv filters HWIO, depthwise
// filters HW-I-multiplier. Accumulation is in float, in the natural order, so
// results match TF/onnxruntime to float tolerance, not bit for bit. Kernels
// without a layout (elementwise, softmax, transpose, concat, pad, resize,
// batched matmul, reductions) are rank-general with ONNX semantics.
//
// Every kernel validates shapes and returns false with a message naming the
// kernel and the mismatch; on success `out` is fully overwritten.
//
//===----------------------------------------------------------------------===//

#ifndef VAI_SIMULATOR_FLOATKERNELS_H
#define VAI_SIMULATOR_FLOATKERNELS_H

#include "vai/Simulator/NDArray.h"

#include <limits>
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

/// Transposed convolution (ONNX ConvTranspose, TF Conv2DBackpropInput).
struct Conv2DTransposeAttrs {
  Dims2 strides;
  Dims2 dilations;
  /// Cropped from each side of the full output (ONNX pads).
  Pads2 pads;
  /// Extra rows/columns after the full output (ONNX output_padding).
  Dims2 outputPadding = {0, 0};
  /// Input and output channels split into this many independent groups.
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

// conv2d, depthwiseConv2d, conv2dTranspose, matmul and batchMatmul run on
// oneDNN (lib/Simulator/DnnlKernels.h); the conv-like ones and matmul take
// an optional bias [OC] (or [N]) added in the same pass.

/// input [N,H,W,C], filter [KH,KW,C/groups,OC] -> [N,OH,OW,OC].
bool conv2d(const FloatArray &input, const FloatArray &filter,
            const Conv2DAttrs &attrs, FloatArray &out, std::string &error,
            const FloatArray *bias = nullptr);

/// input [N,H,W,C], filter [KH,KW,C,M] -> [N,OH,OW,C*M]; output channel
/// c*M + m (TF DepthwiseConv2dNative). attrs.groups is ignored.
bool depthwiseConv2d(const FloatArray &input, const FloatArray &filter,
                     const Conv2DAttrs &attrs, FloatArray &out,
                     std::string &error, const FloatArray *bias = nullptr);

/// Padding never wins a max; every window must touch the input
/// (pads < kernel).
bool maxPool(const FloatArray &input, const Pool2DAttrs &attrs, FloatArray &out,
             std::string &error);
bool avgPool(const FloatArray &input, const Pool2DAttrs &attrs, FloatArray &out,
             std::string &error);

/// a [M,K] (or [K,M] with transposeA), b [K,N] (or [N,K]) -> [M,N].
bool matmul(const FloatArray &a, const FloatArray &b, bool transposeA,
            bool transposeB, FloatArray &out, std::string &error,
            const FloatArray *bias = nullptr);

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

/// Reductions over `axes` (negative axes count from the end; empty = all
/// axes), ONNX ReduceMean/Sum/Max/Min. Over an empty set the mean is NaN,
/// the sum 0, the max -inf and the min +inf. Mean and sum accumulate in
/// double.
bool meanReduce(const FloatArray &x, const std::vector<int64_t> &axes,
                bool keepDims, FloatArray &out, std::string &error);
bool sumReduce(const FloatArray &x, const std::vector<int64_t> &axes,
               bool keepDims, FloatArray &out, std::string &error);
bool maxReduce(const FloatArray &x, const std::vector<int64_t> &axes,
               bool keepDims, FloatArray &out, std::string &error);
bool minReduce(const FloatArray &x, const std::vector<int64_t> &axes,
               bool keepDims, FloatArray &out, std::string &error);

//===----------------------------------------------------------------------===//
// Elementwise unary (ONNX definitions; no shape to check)
//===----------------------------------------------------------------------===//

FloatArray sigmoid(const FloatArray &x);
FloatArray tanh(const FloatArray &x);
FloatArray exp(const FloatArray &x);
FloatArray log(const FloatArray &x);
FloatArray sqrt(const FloatArray &x);
FloatArray abs(const FloatArray &x);
FloatArray neg(const FloatArray &x);
/// max(0, min(1, alpha * x + beta)); ONNX defaults alpha 0.2, beta 0.5.
FloatArray hardSigmoid(const FloatArray &x, float alpha = 0.2f,
                       float beta = 0.5f);
/// x * max(0, min(1, x / 6 + 0.5)).
FloatArray hardSwish(const FloatArray &x);
/// x * sigmoid(x) (TF swish/SiLU).
FloatArray swish(const FloatArray &x);
/// min(max(x, lo), hi): an absent ONNX bound is an infinity; lo > hi gives
/// hi everywhere, as ONNX specifies.
FloatArray clip(const FloatArray &x,
                float lo = -std::numeric_limits<float>::infinity(),
                float hi = std::numeric_limits<float>::infinity());
/// x for x >= 0, alpha * (exp(x) - 1) otherwise.
FloatArray elu(const FloatArray &x, float alpha = 1.0f);
/// log(1 + exp(x)), without overflow for large x.
FloatArray softplus(const FloatArray &x);

//===----------------------------------------------------------------------===//
// Elementwise binary, NumPy broadcasting (add and mul are above)
//===----------------------------------------------------------------------===//

bool sub(const FloatArray &a, const FloatArray &b, FloatArray &out,
         std::string &error);
bool div(const FloatArray &a, const FloatArray &b, FloatArray &out,
         std::string &error);
bool maximum(const FloatArray &a, const FloatArray &b, FloatArray &out,
             std::string &error);
bool minimum(const FloatArray &a, const FloatArray &b, FloatArray &out,
             std::string &error);
/// a ^ b (std::pow).
bool pow(const FloatArray &a, const FloatArray &b, FloatArray &out,
         std::string &error);
/// x for x >= 0, slope * x otherwise; slope must broadcast to x's shape
/// (ONNX unidirectional broadcasting), so the output has x's shape.
bool prelu(const FloatArray &x, const FloatArray &slope, FloatArray &out,
           std::string &error);

//===----------------------------------------------------------------------===//
// Softmax
//===----------------------------------------------------------------------===//

/// Softmax along `axis` (ONNX opset >= 13, default -1). With flattenTo2D, the
/// opset < 13 form (default axis 1): x viewed as [prod(dims before axis),
/// prod(dims from axis)] and normalized over each row.
bool softmax(const FloatArray &x, int64_t axis, bool flattenTo2D,
             FloatArray &out, std::string &error);
/// log(softmax(x)), computed as x - max - log(sum(exp(x - max))).
bool logSoftmax(const FloatArray &x, int64_t axis, bool flattenTo2D,
                FloatArray &out, std::string &error);

//===----------------------------------------------------------------------===//
// Layout (reshape needs no kernel: the row-major data is unchanged)
//===----------------------------------------------------------------------===//

/// out.shape[i] = x.shape[perm[i]]; an empty perm reverses the dimensions.
bool transpose(const FloatArray &x, const std::vector<int64_t> &perm,
               FloatArray &out, std::string &error);

/// Concatenation along `axis` (negative counts from the end). Pointers, so
/// that large activations are not copied into a vector first.
bool concat(const std::vector<const FloatArray *> &inputs, int64_t axis,
            FloatArray &out, std::string &error);

enum class PadMode { Constant, Reflect, Edge, Wrap };

/// ONNX Pad: `pads` = [begin_0, ..., begin_{r-1}, end_0, ..., end_{r-1}].
/// Negative pads crop; as in onnxruntime the crop comes first, so reflect,
/// edge and wrap use the cropped extent. Reflect mirrors without repeating
/// the edge and, like NumPy, keeps reflecting when a pad exceeds the
/// dimension.
bool pad(const FloatArray &x, const std::vector<int64_t> &pads, PadMode mode,
         float value, FloatArray &out, std::string &error);

enum class DepthToSpaceMode {
  /// Depth is split as (block row, block column, channel): ONNX default, TF.
  DCR,
  /// Depth is split as (channel, block row, block column).
  CRD,
};

/// ONNX DepthToSpace. channelsFirst: x is [N,C,H,W] (ONNX's layout) and the
/// output [N,C/b^2,H*b,W*b]; otherwise x is [N,H,W,C] (TF's layout) and the
/// output [N,H*b,W*b,C/b^2], element for element the same op transposed.
bool depthToSpace(const FloatArray &x, int64_t blockSize, DepthToSpaceMode mode,
                  bool channelsFirst, FloatArray &out, std::string &error);

//===----------------------------------------------------------------------===//
// Resize
//===----------------------------------------------------------------------===//

enum class ResizeMode { Nearest, Linear, Cubic };

/// How output coordinate x maps to input coordinate x_in (ONNX
/// coordinate_transformation_mode); scale = output / input length.
enum class ResizeCoordinateMode {
  /// (x + 0.5) / scale - 0.5.
  HalfPixel,
  /// HalfPixel, or 0 when the output length is 1.
  PytorchHalfPixel,
  /// x * (in - 1) / (out - 1), or 0 when the output length is 1.
  AlignCorners,
  /// x / scale.
  Asymmetric,
  /// (x + 0.5) / scale (ONNX opset 11-17; TF nearest with
  /// half_pixel_centers).
  TfHalfPixelForNN,
};

/// Rounding of x_in for ResizeMode::Nearest (ONNX nearest_mode).
enum class ResizeNearestMode { RoundPreferFloor, RoundPreferCeil, Floor, Ceil };

/// ONNX Resize without roi (no tf_crop_and_resize) or antialias.
/// Exactly one of `scales` and `sizes` is given, one entry per resized
/// dimension. With scales, the output length is floor(in * scale) and the
/// coordinate mapping uses the given scale; align_corners and
/// pytorch_half_pixel then use in * scale, possibly fractional, as the
/// output length, as ONNX's reference implementation does. With sizes,
/// scale = size / in exactly. Input coordinates are clamped to the input
/// (edge values extend it). Linear and Cubic are separable over the
/// dimensions that change; a dimension with scale 1 (or size = in) is copied
/// unchanged.
struct ResizeAttrs {
  ResizeMode mode = ResizeMode::Nearest;
  ResizeCoordinateMode coordinateMode = ResizeCoordinateMode::HalfPixel;
  ResizeNearestMode nearestMode = ResizeNearestMode::RoundPreferFloor;
  std::vector<float> scales;
  std::vector<int64_t> sizes;
  /// Cubic: the kernel's `a` (ONNX cubic_coeff_a) and whether taps outside
  /// the input are dropped and the others renormalized (exclude_outside)
  /// rather than reading the edge value.
  float cubicCoeffA = -0.75f;
  bool excludeOutside = false;
  /// resizeSpatial only: with `sizes`, the scales (H, W) the coordinate
  /// mapping uses instead of size / in; empty for size / in.
  std::vector<float> mappingScales;
};

/// Resize every dimension of x: scales/sizes have rank(x) entries.
bool resize(const FloatArray &x, const ResizeAttrs &attrs, FloatArray &out,
            std::string &error);

/// Resize H and W of an NHWC x: scales/sizes have 2 entries (H, W).
bool resizeSpatial(const FloatArray &x, const ResizeAttrs &attrs,
                   FloatArray &out, std::string &error);

/// TF ResizeBilinear (bilinear) / ResizeNearestNeighbor of an NHWC x to
/// [N, outH, outW, C], through resize(): bilinear is Linear with
/// align_corners -> AlignCorners, half_pixel_centers -> HalfPixel, neither
/// -> Asymmetric; nearest is AlignCorners + RoundPreferCeil (TF's roundf),
/// TfHalfPixelForNN + Floor, or Asymmetric + Floor.
bool resizeTF(const FloatArray &x, int64_t outH, int64_t outW, bool bilinear,
              bool alignCorners, bool halfPixelCenters, FloatArray &out,
              std::string &error);

//===----------------------------------------------------------------------===//
// Transposed convolution and batched matmul
//===----------------------------------------------------------------------===//

/// input [N,H,W,C], filter [KH,KW,OC/groups,C] (TF Conv2DBackpropInput's
/// layout; ONNX ConvTranspose's [C,OC/groups,KH,KW] transposed by (2,3,1,0))
/// -> [N,OH,OW,OC]. Input pixel (iy, ix) adds x * w[ky][kx] to the full
/// output at (iy*sh + ky*dh, ix*sw + kx*dw); the output is that full map,
/// extended by outputPadding at the bottom/right and cropped by pads:
///   OH = (H - 1) * sh + (KH - 1) * dh + 1 + outputPadding.h - top - bottom
/// and likewise OW. Group g maps input channels [g*C/G, (g+1)*C/G) to output
/// channels [g*OC/G, (g+1)*OC/G). For TF's explicit output shape with SAME or
/// VALID: pads = the forward conv's padding of OH, outputPadding = OH - the
/// formula with outputPadding 0.
bool conv2dTranspose(const FloatArray &input, const FloatArray &filter,
                     const Conv2DTransposeAttrs &attrs, FloatArray &out,
                     std::string &error, const FloatArray *bias = nullptr);

/// ONNX MatMul (numpy.matmul): a [..., M, K] x b [..., K, N] -> [..., M, N]
/// with the batch dimensions broadcast; a 1-D a is [1, K] and a 1-D b is
/// [K, 1], and that dimension is dropped from the output.
bool batchMatmul(const FloatArray &a, const FloatArray &b, FloatArray &out,
                 std::string &error);

} // namespace vai

#endif // VAI_SIMULATOR_FLOATKERNELS_H

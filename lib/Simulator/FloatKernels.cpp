//===- FloatKernels.cpp - Float32 reference kernels (NHWC) ----------------===//
//
// Straightforward loops with the channel dimension innermost so that the
// compiler vectorizes the multiply-accumulate over output channels. The
// window ops' loops and checks are in WindowLoops.h, shared with the
// fixed-point kernels. Convolutions and matmuls are checked here and run on
// oneDNN (DnnlKernels.h).
//
//===----------------------------------------------------------------------===//

#include "vai/Simulator/FloatKernels.h"

#include "DnnlKernels.h"
#include "WindowLoops.h"

#include <algorithm>
#include <cmath>
#include <limits>

using namespace vai;

namespace {

/// An optional bias must be a consistent [size] vector.
bool checkBias(const FloatArray *bias, int64_t size, const char *op,
               std::string &error) {
  return !bias || detail::checkVector(*bias, size, op, "bias", error);
}

/// conv2d and depthwiseConv2d: validation, then oneDNN.
bool convFloat(const FloatArray &input, const FloatArray &filter,
               const FloatArray *bias, const Conv2DAttrs &attrs, bool depthwise,
               const char *op, FloatArray &out, std::string &error) {
  const detail::FilterNames names = {
      "filter", "filter", depthwise ? "[KH,KW,C,M] (rank 4)" : "HWIO (rank 4)"};
  detail::ConvShape s;
  if (!checkConsistent(input, op, "input", error) ||
      !checkConsistent(filter, op, "filter", error) ||
      !detail::checkConvFilter(input.shape, filter.shape, attrs, depthwise, op,
                               names, s, error) ||
      !detail::checkConvChannels(filter.shape, attrs, op, names, s, error) ||
      !checkBias(bias, s.outChannels, op, error))
    return false;
  return detail::dnnlConv2d(input, filter, bias, s, op, out, error);
}

/// The reductions: every element is folded into the accumulator of its
/// output element by `combine`, starting from `init`; `finish(acc, count)`
/// then gives the output value from the accumulator and the number of
/// elements reduced into it.
template <typename Acc, typename Combine, typename Finish>
bool reduceAxes(const FloatArray &x, const std::vector<int64_t> &axes,
                bool keepDims, const char *op, Acc init, Combine combine,
                Finish finish, FloatArray &out, std::string &error) {
  if (!checkConsistent(x, op, "input", error))
    return false;
  const int64_t rank = static_cast<int64_t>(x.rank());
  std::vector<bool> reduced(static_cast<size_t>(rank), axes.empty());
  for (int64_t axis : axes) {
    int64_t a;
    if (!detail::normalizeAxis(axis, rank, op, a, error))
      return false;
    if (reduced[a]) {
      error =
          std::string(op) + ": axis " + std::to_string(axis) + " is repeated";
      return false;
    }
    reduced[a] = true;
  }
  std::vector<int64_t> keptShape(x.shape);
  int64_t count = 1;
  for (int64_t d = 0; d < rank; ++d) {
    if (reduced[d]) {
      count *= x.shape[d];
      keptShape[d] = 1;
    }
  }
  std::vector<int64_t> dst = broadcastSourceOffsets(keptShape, x.shape);
  std::vector<Acc> accs(static_cast<size_t>(shapeNumElements(keptShape)), init);
  for (size_t i = 0; i < x.data.size(); ++i)
    accs[dst[i]] = combine(accs[dst[i]], x.data[i]);
  std::vector<int64_t> outShape;
  for (int64_t d = 0; d < rank; ++d)
    if (!reduced[d] || keepDims)
      outShape.push_back(keptShape[d]);
  FloatArray result(outShape);
  for (size_t i = 0; i < accs.size(); ++i)
    result.data[i] = finish(accs[i], count);
  out = std::move(result);
  return true;
}

/// max and min that propagate NaN, as NumPy's maximum/minimum do.
float maxNaN(float a, float b) { return a > b || std::isnan(a) ? a : b; }
float minNaN(float a, float b) { return a < b || std::isnan(a) ? a : b; }

/// The one loop of the elementwise unary kernels.
template <typename Fn> FloatArray mapUnary(const FloatArray &x, Fn fn) {
  FloatArray r = x;
  for (float &v : r.data)
    v = fn(v);
  return r;
}

float sigmoidOf(float v) { return 1.0f / (1.0f + std::exp(-v)); }

float hardSigmoidOf(float v, float alpha, float beta) {
  return std::max(0.0f, std::min(1.0f, alpha * v + beta));
}

} // namespace

//===----------------------------------------------------------------------===//
// Geometry helpers
//===----------------------------------------------------------------------===//

std::pair<int64_t, int64_t> vai::computeSamePadding(int64_t inSize,
                                                    int64_t kernel,
                                                    int64_t stride,
                                                    int64_t dilation) {
  int64_t outSize = sameOutputSize(inSize, stride);
  int64_t effective = (kernel - 1) * dilation + 1;
  int64_t total =
      std::max<int64_t>((outSize - 1) * stride + effective - inSize, 0);
  return {total / 2, total - total / 2};
}

Pads2 vai::computeSamePads2(int64_t inH, int64_t inW, Dims2 kernel,
                            Dims2 strides, Dims2 dilations) {
  auto ph = computeSamePadding(inH, kernel.h, strides.h, dilations.h);
  auto pw = computeSamePadding(inW, kernel.w, strides.w, dilations.w);
  Pads2 p;
  p.top = ph.first;
  p.bottom = ph.second;
  p.left = pw.first;
  p.right = pw.second;
  return p;
}

int64_t vai::convOutputSize(int64_t inSize, int64_t kernel, int64_t stride,
                            int64_t dilation, int64_t padBefore,
                            int64_t padAfter) {
  int64_t padded = inSize + padBefore + padAfter;
  int64_t effective = (kernel - 1) * dilation + 1;
  if (padded < effective || stride <= 0)
    return 0;
  return (padded - effective) / stride + 1;
}

int64_t vai::sameOutputSize(int64_t inSize, int64_t stride) {
  return stride <= 0 ? 0 : (inSize + stride - 1) / stride;
}

int64_t vai::validOutputSize(int64_t inSize, int64_t kernel, int64_t stride,
                             int64_t dilation) {
  int64_t span = inSize - (kernel - 1) * dilation;
  if (span <= 0 || stride <= 0)
    return 0;
  return (span + stride - 1) / stride;
}

bool vai::computeWindowGeometry(const std::vector<int64_t> &inputShape,
                                Dims2 kernel, Dims2 strides, Dims2 dilations,
                                const Pads2 &pads, const char *opName,
                                WindowGeometry &geometry, std::string &error) {
  std::string op = opName;
  if (inputShape.size() != 4) {
    error = op + ": input must be NHWC (rank 4), got shape " +
            shapeString(inputShape);
    return false;
  }
  if (kernel.h <= 0 || kernel.w <= 0 || strides.h <= 0 || strides.w <= 0 ||
      dilations.h <= 0 || dilations.w <= 0) {
    error = op + ": kernel, strides and dilations must be positive";
    return false;
  }
  if (pads.top < 0 || pads.bottom < 0 || pads.left < 0 || pads.right < 0) {
    error = op + ": pads must be non-negative";
    return false;
  }
  geometry.batch = inputShape[0];
  geometry.inH = inputShape[1];
  geometry.inW = inputShape[2];
  geometry.channels = inputShape[3];
  geometry.outH = convOutputSize(geometry.inH, kernel.h, strides.h, dilations.h,
                                 pads.top, pads.bottom);
  geometry.outW = convOutputSize(geometry.inW, kernel.w, strides.w, dilations.w,
                                 pads.left, pads.right);
  if (geometry.outH <= 0 || geometry.outW <= 0) {
    error = op + ": the dilated kernel " + std::to_string(kernel.h) + "x" +
            std::to_string(kernel.w) + " does not fit the padded input " +
            shapeString(inputShape);
    return false;
  }
  return true;
}

bool vai::broadcastShapes(const std::vector<int64_t> &a,
                          const std::vector<int64_t> &b,
                          std::vector<int64_t> &result, std::string &error) {
  size_t rank = std::max(a.size(), b.size());
  result.assign(rank, 1);
  for (size_t i = 0; i < rank; ++i) {
    int64_t da = i < rank - a.size() ? 1 : a[i - (rank - a.size())];
    int64_t db = i < rank - b.size() ? 1 : b[i - (rank - b.size())];
    if (da != db && da != 1 && db != 1) {
      error = "shapes " + shapeString(a) + " and " + shapeString(b) +
              " cannot be broadcast together";
      return false;
    }
    result[i] = da == 1 ? db : da;
  }
  return true;
}

std::vector<int64_t>
vai::broadcastSourceOffsets(const std::vector<int64_t> &from,
                            const std::vector<int64_t> &to) {
  size_t rank = to.size();
  size_t lead = rank - from.size();
  // Stride 0 on broadcast dimensions makes the odometer reread them.
  std::vector<int64_t> stride(rank, 0);
  int64_t s = 1;
  for (size_t i = from.size(); i > 0; --i) {
    if (from[i - 1] != 1)
      stride[lead + i - 1] = s;
    s *= from[i - 1];
  }
  return detail::stridedOffsets(to, stride);
}

//===----------------------------------------------------------------------===//
// Kernels
//===----------------------------------------------------------------------===//

bool vai::conv2d(const FloatArray &input, const FloatArray &filter,
                 const Conv2DAttrs &attrs, FloatArray &out, std::string &error,
                 const FloatArray *bias) {
  return convFloat(input, filter, bias, attrs, /*depthwise=*/false, "conv2d",
                   out, error);
}

bool vai::depthwiseConv2d(const FloatArray &input, const FloatArray &filter,
                          const Conv2DAttrs &attrs, FloatArray &out,
                          std::string &error, const FloatArray *bias) {
  return convFloat(input, filter, bias, attrs, /*depthwise=*/true,
                   "depthwiseConv2d", out, error);
}

bool vai::maxPool(const FloatArray &input, const Pool2DAttrs &attrs,
                  FloatArray &out, std::string &error) {
  WindowGeometry g;
  if (!detail::checkPool(input, attrs, "maxPool", g, error))
    return false;
  // Padding is never visited, so it cannot win the max.
  out = detail::poolWindows(
      input, g, attrs, -std::numeric_limits<float>::infinity(),
      [](float acc, float x) { return std::max(acc, x); },
      [](float acc, int64_t) { return acc; });
  return true;
}

bool vai::avgPool(const FloatArray &input, const Pool2DAttrs &attrs,
                  FloatArray &out, std::string &error) {
  WindowGeometry g;
  if (!detail::checkPool(input, attrs, "avgPool", g, error))
    return false;
  const int64_t fullWindow = attrs.kernel.h * attrs.kernel.w;
  out = detail::poolWindows(
      input, g, attrs, 0.0f, [](float acc, float x) { return acc + x; },
      [&](float acc, int64_t taps) {
        return acc /
               static_cast<float>(attrs.countIncludePad ? fullWindow : taps);
      });
  return true;
}

bool vai::matmul(const FloatArray &a, const FloatArray &b, bool transposeA,
                 bool transposeB, FloatArray &out, std::string &error,
                 const FloatArray *bias) {
  if (!checkConsistent(a, "matmul", "lhs", error) ||
      !checkConsistent(b, "matmul", "rhs", error))
    return false;
  int64_t M, K, N;
  if (!detail::checkMatmul(a.shape, b.shape, transposeA, transposeB, "matmul",
                           M, K, N, error) ||
      !checkBias(bias, N, "matmul", error))
    return false;
  // A transpose is the stored matrix read with swapped strides.
  detail::MatrixView av{{M, K},
                        transposeA ? std::vector<int64_t>{1, M}
                                   : std::vector<int64_t>{K, 1}};
  detail::MatrixView bv{{K, N},
                        transposeB ? std::vector<int64_t>{1, K}
                                   : std::vector<int64_t>{N, 1}};
  FloatArray result({M, N});
  if (!detail::dnnlMatmul(a.data.data(), av, b.data.data(), bv,
                          bias ? bias->data.data() : nullptr, result.shape,
                          result.data.data(), "matmul", error))
    return false;
  out = std::move(result);
  return true;
}

bool vai::biasAdd(const FloatArray &x, const FloatArray &bias, FloatArray &out,
                  std::string &error) {
  if (!checkConsistent(x, "biasAdd", "input", error))
    return false;
  if (x.rank() == 0) {
    error = "biasAdd: input must have rank >= 1";
    return false;
  }
  if (!detail::checkVector(bias, x.shape.back(), "biasAdd", "bias", error))
    return false;
  return detail::elementwiseBinary(
      x, bias, "biasAdd", [](float p, float q) { return p + q; }, out, error);
}

bool vai::batchNormInference(const FloatArray &x, const FloatArray &scale,
                             const FloatArray &offset, const FloatArray &mean,
                             const FloatArray &variance, float epsilon,
                             FloatArray &out, std::string &error) {
  const char *op = "batchNormInference";
  if (!checkConsistent(x, op, "input", error))
    return false;
  if (x.rank() == 0) {
    error = "batchNormInference: input must have rank >= 1";
    return false;
  }
  int64_t C = x.shape.back();
  if (!detail::checkVector(scale, C, op, "scale", error) ||
      !detail::checkVector(offset, C, op, "offset", error) ||
      !detail::checkVector(mean, C, op, "mean", error) ||
      !detail::checkVector(variance, C, op, "variance", error))
    return false;
  // Fold into one multiply-add per element, as TF's fused kernel does.
  std::vector<float> mul(static_cast<size_t>(C)), add(static_cast<size_t>(C));
  for (int64_t c = 0; c < C; ++c) {
    mul[c] = scale.data[c] / std::sqrt(variance.data[c] + epsilon);
    add[c] = offset.data[c] - mean.data[c] * mul[c];
  }
  FloatArray result(x.shape);
  size_t n = x.data.size();
  for (size_t i = 0; i < n; ++i) {
    size_t c = C ? i % static_cast<size_t>(C) : 0;
    result.data[i] = x.data[i] * mul[c] + add[c];
  }
  out = std::move(result);
  return true;
}

FloatArray vai::relu(const FloatArray &x) {
  return mapUnary(x, [](float v) { return v > 0.0f ? v : 0.0f; });
}

FloatArray vai::relu6(const FloatArray &x) {
  return mapUnary(x, [](float v) { return std::min(std::max(v, 0.0f), 6.0f); });
}

FloatArray vai::leakyRelu(const FloatArray &x, float alpha) {
  return mapUnary(x, [=](float v) { return v >= 0.0f ? v : alpha * v; });
}

bool vai::add(const FloatArray &a, const FloatArray &b, FloatArray &out,
              std::string &error) {
  return detail::elementwiseBinary(
      a, b, "add", [](float p, float q) { return p + q; }, out, error);
}

bool vai::mul(const FloatArray &a, const FloatArray &b, FloatArray &out,
              std::string &error) {
  return detail::elementwiseBinary(
      a, b, "mul", [](float p, float q) { return p * q; }, out, error);
}

bool vai::meanReduce(const FloatArray &x, const std::vector<int64_t> &axes,
                     bool keepDims, FloatArray &out, std::string &error) {
  // Sum in double: a global pool over a large map loses precision in float.
  return reduceAxes(
      x, axes, keepDims, "meanReduce", 0.0,
      [](double acc, float v) { return acc + v; },
      [](double acc, int64_t count) {
        return count > 0 ? static_cast<float>(acc / count)
                         : std::numeric_limits<float>::quiet_NaN();
      },
      out, error);
}

bool vai::sumReduce(const FloatArray &x, const std::vector<int64_t> &axes,
                    bool keepDims, FloatArray &out, std::string &error) {
  return reduceAxes(
      x, axes, keepDims, "sumReduce", 0.0,
      [](double acc, float v) { return acc + v; },
      [](double acc, int64_t) { return static_cast<float>(acc); }, out, error);
}

bool vai::maxReduce(const FloatArray &x, const std::vector<int64_t> &axes,
                    bool keepDims, FloatArray &out, std::string &error) {
  return reduceAxes(
      x, axes, keepDims, "maxReduce", -std::numeric_limits<float>::infinity(),
      maxNaN, [](float acc, int64_t) { return acc; }, out, error);
}

bool vai::minReduce(const FloatArray &x, const std::vector<int64_t> &axes,
                    bool keepDims, FloatArray &out, std::string &error) {
  return reduceAxes(
      x, axes, keepDims, "minReduce", std::numeric_limits<float>::infinity(),
      minNaN, [](float acc, int64_t) { return acc; }, out, error);
}

//===----------------------------------------------------------------------===//
// Elementwise unary
//===----------------------------------------------------------------------===//

FloatArray vai::sigmoid(const FloatArray &x) { return mapUnary(x, sigmoidOf); }

FloatArray vai::tanh(const FloatArray &x) {
  return mapUnary(x, [](float v) { return std::tanh(v); });
}

FloatArray vai::exp(const FloatArray &x) {
  return mapUnary(x, [](float v) { return std::exp(v); });
}

FloatArray vai::log(const FloatArray &x) {
  return mapUnary(x, [](float v) { return std::log(v); });
}

FloatArray vai::sqrt(const FloatArray &x) {
  return mapUnary(x, [](float v) { return std::sqrt(v); });
}

FloatArray vai::abs(const FloatArray &x) {
  return mapUnary(x, [](float v) { return std::fabs(v); });
}

FloatArray vai::neg(const FloatArray &x) {
  return mapUnary(x, [](float v) { return -v; });
}

FloatArray vai::hardSigmoid(const FloatArray &x, float alpha, float beta) {
  return mapUnary(x, [=](float v) { return hardSigmoidOf(v, alpha, beta); });
}

FloatArray vai::hardSwish(const FloatArray &x) {
  return mapUnary(x, [](float v) {
    return v * std::max(0.0f, std::min(1.0f, v / 6.0f + 0.5f));
  });
}

FloatArray vai::swish(const FloatArray &x) {
  return mapUnary(x, [](float v) { return v * sigmoidOf(v); });
}

FloatArray vai::clip(const FloatArray &x, float lo, float hi) {
  return mapUnary(x, [=](float v) { return std::min(std::max(v, lo), hi); });
}

FloatArray vai::elu(const FloatArray &x, float alpha) {
  // expm1 keeps the precision of exp(x) - 1 near 0.
  return mapUnary(
      x, [=](float v) { return v >= 0.0f ? v : alpha * std::expm1(v); });
}

FloatArray vai::softplus(const FloatArray &x) {
  // log(1 + e^v) = max(v, 0) + log1p(e^-|v|): e^v never overflows.
  return mapUnary(x, [](float v) {
    return std::max(v, 0.0f) + std::log1p(std::exp(-std::fabs(v)));
  });
}

//===----------------------------------------------------------------------===//
// Elementwise binary
//===----------------------------------------------------------------------===//

bool vai::sub(const FloatArray &a, const FloatArray &b, FloatArray &out,
              std::string &error) {
  return detail::elementwiseBinary(
      a, b, "sub", [](float p, float q) { return p - q; }, out, error);
}

bool vai::div(const FloatArray &a, const FloatArray &b, FloatArray &out,
              std::string &error) {
  return detail::elementwiseBinary(
      a, b, "div", [](float p, float q) { return p / q; }, out, error);
}

bool vai::maximum(const FloatArray &a, const FloatArray &b, FloatArray &out,
                  std::string &error) {
  return detail::elementwiseBinary(a, b, "maximum", maxNaN, out, error);
}

bool vai::minimum(const FloatArray &a, const FloatArray &b, FloatArray &out,
                  std::string &error) {
  return detail::elementwiseBinary(a, b, "minimum", minNaN, out, error);
}

bool vai::pow(const FloatArray &a, const FloatArray &b, FloatArray &out,
              std::string &error) {
  return detail::elementwiseBinary(
      a, b, "pow", [](float p, float q) { return std::pow(p, q); }, out, error);
}

bool vai::prelu(const FloatArray &x, const FloatArray &slope, FloatArray &out,
                std::string &error) {
  if (!checkConsistent(x, "prelu", "input", error) ||
      !checkConsistent(slope, "prelu", "slope", error))
    return false;
  // Unidirectional: broadcasting must not grow x.
  std::vector<int64_t> shape;
  if (!broadcastShapes(x.shape, slope.shape, shape, error) ||
      shape != x.shape) {
    error = "prelu: slope shape " + shapeString(slope.shape) +
            " does not broadcast to the input shape " + shapeString(x.shape);
    return false;
  }
  return detail::elementwiseBinary(
      x, slope, "prelu", [](float v, float s) { return v >= 0.0f ? v : s * v; },
      out, error);
}

//===----------------------------------------------------------------------===//
// Softmax
//===----------------------------------------------------------------------===//

namespace {

/// softmax and logSoftmax: x viewed as [outer, len, inner] and normalized
/// along len, after subtracting the maximum so that exp cannot overflow.
bool softmaxImpl(const FloatArray &x, int64_t axis, bool flattenTo2D,
                 bool logOutput, const char *op, FloatArray &out,
                 std::string &error) {
  if (!checkConsistent(x, op, "input", error))
    return false;
  int64_t a;
  if (!detail::normalizeAxis(axis, static_cast<int64_t>(x.rank()), op, a,
                             error))
    return false;
  int64_t outer = 1, len = x.shape[a], inner = 1;
  for (int64_t d = 0; d < a; ++d)
    outer *= x.shape[d];
  for (size_t d = a + 1; d < x.rank(); ++d)
    inner *= x.shape[d];
  if (flattenTo2D) {
    len *= inner;
    inner = 1;
  }
  FloatArray result(x.shape);
  // An empty dimension anywhere leaves nothing to normalize.
  for (int64_t o = 0; o < outer && len > 0; ++o) {
    for (int64_t i = 0; i < inner; ++i) {
      const float *src = &x.data[o * len * inner + i];
      float *dst = &result.data[o * len * inner + i];
      float maxValue = -std::numeric_limits<float>::infinity();
      for (int64_t k = 0; k < len; ++k)
        maxValue = std::max(maxValue, src[k * inner]);
      float sum = 0.0f;
      for (int64_t k = 0; k < len; ++k) {
        float e = std::exp(src[k * inner] - maxValue);
        dst[k * inner] = e;
        sum += e;
      }
      if (logOutput) {
        float logSum = std::log(sum);
        for (int64_t k = 0; k < len; ++k)
          dst[k * inner] = src[k * inner] - maxValue - logSum;
      } else {
        for (int64_t k = 0; k < len; ++k)
          dst[k * inner] /= sum;
      }
    }
  }
  out = std::move(result);
  return true;
}

} // namespace

bool vai::softmax(const FloatArray &x, int64_t axis, bool flattenTo2D,
                  FloatArray &out, std::string &error) {
  return softmaxImpl(x, axis, flattenTo2D, /*logOutput=*/false, "softmax", out,
                     error);
}

bool vai::logSoftmax(const FloatArray &x, int64_t axis, bool flattenTo2D,
                     FloatArray &out, std::string &error) {
  return softmaxImpl(x, axis, flattenTo2D, /*logOutput=*/true, "logSoftmax",
                     out, error);
}

//===----------------------------------------------------------------------===//
// Layout
//===----------------------------------------------------------------------===//

bool vai::transpose(const FloatArray &x, const std::vector<int64_t> &perm,
                    FloatArray &out, std::string &error) {
  return detail::transposeArray(x, perm, "transpose", out, error);
}

bool vai::concat(const std::vector<const FloatArray *> &inputs, int64_t axis,
                 FloatArray &out, std::string &error) {
  return detail::concatArrays(inputs, axis, "concat", out, error);
}

namespace {

/// Where a padding position t (outside [0, len)) of a dimension reads in
/// [0, len), or -1 for the constant.
int64_t padSource(int64_t t, int64_t len, PadMode mode) {
  switch (mode) {
  case PadMode::Constant:
    return -1;
  case PadMode::Edge:
    return std::min(std::max<int64_t>(t, 0), len - 1);
  case PadMode::Reflect: {
    if (len == 1)
      return 0;
    // Mirroring at both ends repeats with period 2 * (len - 1).
    int64_t period = 2 * (len - 1);
    int64_t m = ((t % period) + period) % period;
    return m < len ? m : period - m;
  }
  case PadMode::Wrap:
    return ((t % len) + len) % len;
  }
  return -1;
}

} // namespace

bool vai::pad(const FloatArray &x, const std::vector<int64_t> &pads,
              PadMode mode, float value, FloatArray &out, std::string &error) {
  if (!checkConsistent(x, "pad", "input", error))
    return false;
  const size_t rank = x.rank();
  if (pads.size() != 2 * rank) {
    error = "pad: pads must have 2 x rank = " + std::to_string(2 * rank) +
            " entries, got " + std::to_string(pads.size());
    return false;
  }
  std::vector<std::vector<int64_t>> maps(rank);
  for (size_t d = 0; d < rank; ++d) {
    const int64_t begin = pads[d], end = pads[d + rank];
    // Crop first (negative pads), then pad what is left.
    const int64_t lo = std::max<int64_t>(-begin, 0);
    const int64_t len = x.shape[d] - lo - std::max<int64_t>(-end, 0);
    const int64_t before = std::max<int64_t>(begin, 0);
    const int64_t after = std::max<int64_t>(end, 0);
    if (len < 0) {
      error = "pad: pads " + std::to_string(begin) + ", " +
              std::to_string(end) + " crop more than dimension " +
              std::to_string(d) + " of " + shapeString(x.shape);
      return false;
    }
    if (len == 0 && mode != PadMode::Constant && before + after > 0) {
      error = "pad: only constant padding can extend the empty dimension " +
              std::to_string(d) + " of " + shapeString(x.shape);
      return false;
    }
    std::vector<int64_t> &map = maps[d];
    map.resize(static_cast<size_t>(before + len + after));
    for (int64_t j = 0; j < static_cast<int64_t>(map.size()); ++j) {
      int64_t t = j - before;
      if (t < 0 || t >= len)
        t = padSource(t, len, mode);
      map[j] = t < 0 ? -1 : lo + t;
    }
  }
  out = detail::gatherDims(x, maps, value);
  return true;
}

bool vai::depthToSpace(const FloatArray &x, int64_t blockSize,
                       DepthToSpaceMode mode, bool channelsFirst,
                       FloatArray &out, std::string &error) {
  const char *op = "depthToSpace";
  if (!checkConsistent(x, op, "input", error))
    return false;
  if (x.rank() != 4) {
    error = std::string(op) + ": input must be " +
            (channelsFirst ? "NCHW" : "NHWC") + " (rank 4), got shape " +
            shapeString(x.shape);
    return false;
  }
  const int64_t b = blockSize;
  const int64_t N = x.shape[0];
  const int64_t C = channelsFirst ? x.shape[1] : x.shape[3];
  const int64_t H = channelsFirst ? x.shape[2] : x.shape[1];
  const int64_t W = channelsFirst ? x.shape[3] : x.shape[2];
  if (b <= 0 || C % (b * b) != 0) {
    error = std::string(op) + ": " + std::to_string(C) +
            " channels are not a multiple of blockSize^2 (blockSize " +
            std::to_string(b) + ")";
    return false;
  }
  const int64_t Cb = C / (b * b);
  // Split the depth into (block row, block column, channel) or (channel,
  // block row, block column), move the block factors after H and W, merge.
  const bool dcr = mode == DepthToSpaceMode::DCR;
  std::vector<int64_t> split, perm, shape;
  if (channelsFirst) {
    split = dcr ? std::vector<int64_t>{N, b, b, Cb, H, W}
                : std::vector<int64_t>{N, Cb, b, b, H, W};
    perm = dcr ? std::vector<int64_t>{0, 3, 4, 1, 5, 2}
               : std::vector<int64_t>{0, 1, 4, 2, 5, 3};
    shape = {N, Cb, H * b, W * b};
  } else {
    split = dcr ? std::vector<int64_t>{N, H, W, b, b, Cb}
                : std::vector<int64_t>{N, H, W, Cb, b, b};
    perm = dcr ? std::vector<int64_t>{0, 1, 3, 2, 4, 5}
               : std::vector<int64_t>{0, 1, 4, 2, 5, 3};
    shape = {N, H * b, W * b, Cb};
  }
  if (!detail::transposeArray(FloatArray(split, x.data), perm, op, out, error))
    return false;
  out.shape = shape;
  return true;
}

//===----------------------------------------------------------------------===//
// Resize
//===----------------------------------------------------------------------===//

namespace {

/// One resized dimension, in -> out elements. num / den is 1 / scale, kept
/// as in / out when sizes are given so that coordinates such as
/// (j + 0.5) * in / out are exact when they are integers or halves (which
/// nearest rounding must see exactly).
struct ResizeDim {
  int64_t in = 0, out = 0;
  double num = 1, den = 1;
  /// The output length the coordinate modes see: in * scale, maybe
  /// fractional.
  double outLength = 0;
  /// Scale 1: copied, whatever the mode.
  bool identity = false;
};

double sourceCoordinate(const ResizeDim &r, ResizeCoordinateMode mode,
                        int64_t j) {
  switch (mode) {
  case ResizeCoordinateMode::HalfPixel:
    return (j + 0.5) * r.num / r.den - 0.5;
  case ResizeCoordinateMode::PytorchHalfPixel:
    return r.outLength > 1 ? (j + 0.5) * r.num / r.den - 0.5 : 0.0;
  case ResizeCoordinateMode::AlignCorners:
    return r.outLength > 1 ? j * double(r.in - 1) / (r.outLength - 1) : 0.0;
  case ResizeCoordinateMode::Asymmetric:
    return j * r.num / r.den;
  case ResizeCoordinateMode::TfHalfPixelForNN:
    return (j + 0.5) * r.num / r.den;
  }
  return 0.0;
}

int64_t clampIndex(double i, int64_t in) {
  return static_cast<int64_t>(
      std::min(std::max(i, 0.0), static_cast<double>(in - 1)));
}

int64_t nearestIndex(double c, ResizeNearestMode mode, int64_t in) {
  switch (mode) {
  case ResizeNearestMode::RoundPreferFloor:
    return clampIndex(std::ceil(c - 0.5), in);
  case ResizeNearestMode::RoundPreferCeil:
    return clampIndex(std::floor(c + 0.5), in);
  case ResizeNearestMode::Floor:
    return clampIndex(std::floor(c), in);
  case ResizeNearestMode::Ceil:
    return clampIndex(std::ceil(c), in);
  }
  return 0;
}

/// Interpolation along dimension d with `taps` input elements per output:
/// output j is the sum over t of weight[j * taps + t] times input element
/// index[j * taps + t].
FloatArray interpolateAlong(const FloatArray &x, size_t d, int64_t out,
                            int64_t taps, const std::vector<int64_t> &index,
                            const std::vector<double> &weight) {
  std::vector<int64_t> shape = x.shape;
  const int64_t in = shape[d];
  shape[d] = out;
  int64_t outer = 1, inner = 1;
  for (size_t k = 0; k < d; ++k)
    outer *= shape[k];
  for (size_t k = d + 1; k < shape.size(); ++k)
    inner *= shape[k];
  FloatArray result(shape);
  if (result.data.empty())
    return result;
  std::vector<double> acc(static_cast<size_t>(inner));
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t j = 0; j < out; ++j) {
      std::fill(acc.begin(), acc.end(), 0.0);
      for (int64_t t = 0; t < taps; ++t) {
        const double w = weight[j * taps + t];
        const float *src = &x.data[(o * in + index[j * taps + t]) * inner];
        for (int64_t k = 0; k < inner; ++k)
          acc[k] += w * src[k];
      }
      float *dst = &result.data[(o * out + j) * inner];
      for (int64_t k = 0; k < inner; ++k)
        dst[k] = static_cast<float>(acc[k]);
    }
  }
  return result;
}

/// Keys' cubic convolution kernel with parameter a, at distance s >= 0
/// (the weights ONNX's Resize reference uses).
double cubicWeight(double s, double a) {
  if (s <= 1)
    return ((a + 2) * s - (a + 3)) * s * s + 1;
  if (s < 2)
    return ((a * s - 5 * a) * s + 8 * a) * s - 4 * a;
  return 0;
}

bool resizeImpl(const FloatArray &x, const ResizeAttrs &attrs, const char *op,
                FloatArray &out, std::string &error) {
  if (!checkConsistent(x, op, "input", error))
    return false;
  const size_t rank = x.rank();
  const bool byScales = !attrs.scales.empty();
  const size_t given = byScales ? attrs.scales.size() : attrs.sizes.size();
  if (byScales == !attrs.sizes.empty() || given != rank) {
    error = std::string(op) +
            ": give exactly one of scales and sizes, one entry per "
            "dimension of " +
            shapeString(x.shape);
    return false;
  }
  std::vector<ResizeDim> dims(rank);
  for (size_t d = 0; d < rank; ++d) {
    ResizeDim &r = dims[d];
    r.in = x.shape[d];
    if (byScales) {
      double scale = attrs.scales[d];
      if (!(scale > 0) || !std::isfinite(scale)) {
        error = std::string(op) + ": scale " + std::to_string(scale) +
                " of dimension " + std::to_string(d) + " is not positive";
        return false;
      }
      r.outLength = r.in * scale;
      r.out = static_cast<int64_t>(std::floor(r.outLength));
      r.den = scale;
      r.identity = scale == 1.0;
    } else {
      r.out = attrs.sizes[d];
      r.outLength = static_cast<double>(r.out);
      r.num = static_cast<double>(r.in);
      r.den = static_cast<double>(r.out);
      r.identity = r.out == r.in;
    }
    if (r.out < 0 || (r.out == 0) != (r.in == 0)) {
      error = std::string(op) + ": dimension " + std::to_string(d) +
              " cannot be resized from " + std::to_string(r.in) + " to " +
              std::to_string(r.out);
      return false;
    }
  }
  if (attrs.mode == ResizeMode::Nearest) {
    std::vector<std::vector<int64_t>> maps(rank);
    for (size_t d = 0; d < rank; ++d) {
      const ResizeDim &r = dims[d];
      maps[d].resize(static_cast<size_t>(r.out));
      for (int64_t j = 0; j < r.out; ++j)
        maps[d][j] =
            r.identity
                ? j
                : nearestIndex(sourceCoordinate(r, attrs.coordinateMode, j),
                               attrs.nearestMode, r.in);
    }
    out = detail::gatherDims(x, maps, 0.0f);
    return true;
  }
  // Linear and cubic are separable: one pass per changed dimension.
  FloatArray result = x;
  for (size_t d = 0; d < rank; ++d) {
    const ResizeDim &r = dims[d];
    if (r.identity)
      continue;
    const bool cubic = attrs.mode == ResizeMode::Cubic;
    const int64_t taps = cubic ? 4 : 2;
    std::vector<int64_t> index(r.out * taps);
    std::vector<double> weight(r.out * taps);
    for (int64_t j = 0; j < r.out; ++j) {
      double c = sourceCoordinate(r, attrs.coordinateMode, j);
      double f = std::floor(c), frac = c - f;
      int64_t *idx = &index[j * taps];
      double *w = &weight[j * taps];
      if (!cubic) {
        idx[0] = clampIndex(f, r.in);
        idx[1] = clampIndex(f + 1, r.in);
        w[0] = 1.0 - frac;
        w[1] = frac;
        continue;
      }
      double sum = 0;
      for (int64_t t = 0; t < 4; ++t) {
        double at = f - 1 + t;
        w[t] = cubicWeight(std::fabs(frac - (t - 1)), attrs.cubicCoeffA);
        if (attrs.excludeOutside && (at < 0 || at > r.in - 1))
          w[t] = 0;
        sum += w[t];
        idx[t] = clampIndex(at, r.in);
      }
      if (attrs.excludeOutside && sum != 0)
        for (int64_t t = 0; t < 4; ++t)
          w[t] /= sum;
    }
    result = interpolateAlong(result, d, r.out, taps, index, weight);
  }
  out = std::move(result);
  return true;
}

} // namespace

bool vai::resize(const FloatArray &x, const ResizeAttrs &attrs, FloatArray &out,
                 std::string &error) {
  return resizeImpl(x, attrs, "resize", out, error);
}

bool vai::resizeSpatial(const FloatArray &x, const ResizeAttrs &attrs,
                        FloatArray &out, std::string &error) {
  const char *op = "resizeSpatial";
  if (x.rank() != 4) {
    error = std::string(op) + ": input must be NHWC (rank 4), got shape " +
            shapeString(x.shape);
    return false;
  }
  if (attrs.scales.size() + attrs.sizes.size() != 2) {
    error =
        std::string(op) + ": give exactly one of scales and sizes, for H and W";
    return false;
  }
  // The same resize with N and C unchanged.
  ResizeAttrs full = attrs;
  if (!attrs.scales.empty())
    full.scales = {1.0f, attrs.scales[0], attrs.scales[1], 1.0f};
  else
    full.sizes = {x.shape[0], attrs.sizes[0], attrs.sizes[1], x.shape[3]};
  if (!attrs.mappingScales.empty()) {
    if (attrs.mappingScales.size() != 2 || attrs.sizes.size() != 2) {
      error = std::string(op) + ": mapping scales go with sizes, for H and W";
      return false;
    }
    // floor(in * scale) must be the size asked for; then resizing by the
    // scales is the same resize, with the framework's coordinate mapping.
    for (int i = 0; i < 2; ++i)
      if (static_cast<int64_t>(std::floor(
              x.shape[1 + i] * static_cast<double>(attrs.mappingScales[i]))) !=
          attrs.sizes[i]) {
        error = std::string(op) + ": scale " +
                std::to_string(attrs.mappingScales[i]) +
                " does not give size " + std::to_string(attrs.sizes[i]);
        return false;
      }
    full.sizes.clear();
    full.scales = {1.0f, attrs.mappingScales[0], attrs.mappingScales[1], 1.0f};
  }
  return resizeImpl(x, full, op, out, error);
}

bool vai::resizeTF(const FloatArray &x, int64_t outH, int64_t outW,
                   bool bilinear, bool alignCorners, bool halfPixelCenters,
                   FloatArray &out, std::string &error) {
  const char *op = "resizeTF";
  if (x.rank() != 4) {
    error = std::string(op) + ": input must be NHWC (rank 4), got shape " +
            shapeString(x.shape);
    return false;
  }
  if (alignCorners && halfPixelCenters) {
    error = std::string(op) +
            ": align_corners and half_pixel_centers are exclusive";
    return false;
  }
  ResizeAttrs attrs;
  attrs.sizes = {x.shape[0], outH, outW, x.shape[3]};
  if (bilinear) {
    attrs.mode = ResizeMode::Linear;
    attrs.coordinateMode = alignCorners ? ResizeCoordinateMode::AlignCorners
                           : halfPixelCenters
                               ? ResizeCoordinateMode::HalfPixel
                               : ResizeCoordinateMode::Asymmetric;
  } else {
    attrs.mode = ResizeMode::Nearest;
    // TF rounds align_corners coordinates with roundf (half away from zero,
    // and coordinates are >= 0) and floors the others.
    attrs.coordinateMode = alignCorners ? ResizeCoordinateMode::AlignCorners
                           : halfPixelCenters
                               ? ResizeCoordinateMode::TfHalfPixelForNN
                               : ResizeCoordinateMode::Asymmetric;
    attrs.nearestMode = alignCorners ? ResizeNearestMode::RoundPreferCeil
                                     : ResizeNearestMode::Floor;
  }
  return resizeImpl(x, attrs, op, out, error);
}

//===----------------------------------------------------------------------===//
// Transposed convolution and batched matmul
//===----------------------------------------------------------------------===//

bool vai::conv2dTranspose(const FloatArray &input, const FloatArray &filter,
                          const Conv2DTransposeAttrs &attrs, FloatArray &out,
                          std::string &error, const FloatArray *bias) {
  const char *op = "conv2dTranspose";
  if (!checkConsistent(input, op, "input", error) ||
      !checkConsistent(filter, op, "filter", error))
    return false;
  if (input.rank() != 4 || filter.rank() != 4) {
    error = std::string(op) +
            ": input must be NHWC and filter [KH,KW,OC/groups,C] (rank 4), "
            "got " +
            shapeString(input.shape) + " and " + shapeString(filter.shape);
    return false;
  }
  const Dims2 s = attrs.strides, d = attrs.dilations;
  const Dims2 extra = attrs.outputPadding;
  const Pads2 &p = attrs.pads;
  if (s.h <= 0 || s.w <= 0 || d.h <= 0 || d.w <= 0) {
    error = std::string(op) + ": strides and dilations must be positive";
    return false;
  }
  if (p.top < 0 || p.bottom < 0 || p.left < 0 || p.right < 0 || extra.h < 0 ||
      extra.w < 0) {
    error = std::string(op) + ": pads and output padding must be non-negative";
    return false;
  }
  const int64_t N = input.shape[0], H = input.shape[1], W = input.shape[2],
                C = input.shape[3];
  const int64_t KH = filter.shape[0], KW = filter.shape[1],
                OCg = filter.shape[2];
  const int64_t G = attrs.groups;
  if (G <= 0 || filter.shape[3] != C || C % G != 0) {
    error = std::string(op) + ": input channels " + std::to_string(C) +
            " do not match filter input channels " +
            std::to_string(filter.shape[3]) + " split into groups " +
            std::to_string(G);
    return false;
  }
  const int64_t effH = (KH - 1) * d.h + 1, effW = (KW - 1) * d.w + 1;
  const int64_t OH = (H - 1) * s.h + effH + extra.h - p.top - p.bottom;
  const int64_t OW = (W - 1) * s.w + effW + extra.w - p.left - p.right;
  if (H <= 0 || W <= 0 || KH <= 0 || KW <= 0 || OH <= 0 || OW <= 0) {
    error = std::string(op) + ": input " + shapeString(input.shape) +
            " and filter " + shapeString(filter.shape) +
            " give an empty output";
    return false;
  }
  if (!checkBias(bias, OCg * G, op, error))
    return false;
  detail::DeconvShape shape;
  shape.batch = N;
  shape.inH = H;
  shape.inW = W;
  shape.inChannels = C;
  shape.kernelH = KH;
  shape.kernelW = KW;
  shape.outH = OH;
  shape.outW = OW;
  shape.outChannels = OCg * G;
  shape.groups = G;
  shape.strides = s;
  shape.dilations = d;
  shape.pads = p;
  shape.outputPadding = extra;
  return detail::dnnlConv2dTranspose(input, filter, bias, shape, op, out,
                                     error);
}

bool vai::batchMatmul(const FloatArray &a, const FloatArray &b, FloatArray &out,
                      std::string &error) {
  const char *op = "batchMatmul";
  if (!checkConsistent(a, op, "lhs", error) ||
      !checkConsistent(b, op, "rhs", error))
    return false;
  if (a.rank() == 0 || b.rank() == 0) {
    error = std::string(op) + ": operands must have rank >= 1, got " +
            shapeString(a.shape) + " and " + shapeString(b.shape);
    return false;
  }
  // NumPy's promotion of vectors to matrices.
  std::vector<int64_t> as = a.shape, bs = b.shape;
  const bool vectorA = as.size() == 1, vectorB = bs.size() == 1;
  if (vectorA)
    as.insert(as.begin(), 1);
  if (vectorB)
    bs.push_back(1);
  const int64_t M = as[as.size() - 2], K = as.back();
  const int64_t N = bs.back();
  if (bs[bs.size() - 2] != K) {
    error = std::string(op) +
            ": inner dimensions differ: " + shapeString(a.shape) + " x " +
            shapeString(b.shape);
    return false;
  }
  std::vector<int64_t> batchA(as.begin(), as.end() - 2);
  std::vector<int64_t> batchB(bs.begin(), bs.end() - 2);
  std::vector<int64_t> batch;
  if (!broadcastShapes(batchA, batchB, batch, error)) {
    error = std::string(op) + ": batch dimensions: " + error;
    return false;
  }
  // oneDNN broadcasts a batch dimension of size 1 once both operands have
  // the output's rank.
  as.insert(as.begin(), batch.size() - batchA.size(), 1);
  bs.insert(bs.begin(), batch.size() - batchB.size(), 1);
  detail::MatrixView av{as, detail::rowMajorStrides(as)};
  detail::MatrixView bv{bs, detail::rowMajorStrides(bs)};
  std::vector<int64_t> shape = batch;
  shape.push_back(M);
  shape.push_back(N);
  FloatArray result(shape);
  if (!detail::dnnlMatmul(a.data.data(), av, b.data.data(), bv, nullptr,
                          result.shape, result.data.data(), op, error))
    return false;
  if (vectorB)
    result.shape.pop_back();
  if (vectorA)
    result.shape.erase(result.shape.end() - (vectorB ? 1 : 2));
  out = std::move(result);
  return true;
}

//===- FloatKernels.cpp - Float32 reference kernels (NHWC) ----------------===//
//
// Straightforward loops with the channel dimension innermost so that the
// compiler vectorizes the multiply-accumulate over output channels. The
// window ops' loops and checks are in WindowLoops.h, shared with the
// fixed-point kernels.
//
//===----------------------------------------------------------------------===//

#include "vai/Simulator/FloatKernels.h"

#include "WindowLoops.h"

#include <algorithm>
#include <cmath>
#include <limits>

using namespace vai;

namespace {

/// conv2d and depthwiseConv2d: validation, then the float multiply-add.
bool convFloat(const FloatArray &input, const FloatArray &filter,
               const Conv2DAttrs &attrs, bool depthwise, FloatArray &out,
               std::string &error) {
  const char *op = depthwise ? "depthwiseConv2d" : "conv2d";
  const detail::FilterNames names = {
      "filter", "filter", depthwise ? "[KH,KW,C,M] (rank 4)" : "HWIO (rank 4)"};
  detail::ConvShape s;
  if (!checkConsistent(input, op, "input", error) ||
      !checkConsistent(filter, op, "filter", error) ||
      !detail::checkConvFilter(input.shape, filter.shape, attrs, depthwise, op,
                               names, s, error) ||
      !detail::checkConvChannels(filter.shape, attrs, op, names, s, error))
    return false;
  // Float accumulates in the output pixel itself (acc == o), so this copies
  // only if the accumulator type ever changes.
  const int64_t OC = s.outChannels;
  out = detail::convWindows<float, /*SkipZeroInputs=*/false>(
      input, filter, s, [&](const float *acc, int64_t, float *o) {
        if (acc != o)
          std::copy(acc, acc + OC, o);
      });
  return true;
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
  // Stride 0 on broadcast dimensions makes the odometer below reread them.
  std::vector<int64_t> stride(rank, 0);
  int64_t s = 1;
  for (size_t i = from.size(); i > 0; --i) {
    if (from[i - 1] != 1)
      stride[lead + i - 1] = s;
    s *= from[i - 1];
  }
  int64_t total = shapeNumElements(to);
  std::vector<int64_t> offsets(
      static_cast<size_t>(std::max<int64_t>(total, 0)));
  std::vector<int64_t> index(rank, 0);
  int64_t off = 0;
  for (int64_t i = 0; i < total; ++i) {
    offsets[i] = off;
    for (size_t d = rank; d > 0; --d) {
      size_t k = d - 1;
      ++index[k];
      off += stride[k];
      if (index[k] < to[k])
        break;
      off -= stride[k] * index[k];
      index[k] = 0;
    }
  }
  return offsets;
}

//===----------------------------------------------------------------------===//
// Kernels
//===----------------------------------------------------------------------===//

bool vai::conv2d(const FloatArray &input, const FloatArray &filter,
                 const Conv2DAttrs &attrs, FloatArray &out,
                 std::string &error) {
  return convFloat(input, filter, attrs, /*depthwise=*/false, out, error);
}

bool vai::depthwiseConv2d(const FloatArray &input, const FloatArray &filter,
                          const Conv2DAttrs &attrs, FloatArray &out,
                          std::string &error) {
  return convFloat(input, filter, attrs, /*depthwise=*/true, out, error);
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
                 bool transposeB, FloatArray &out, std::string &error) {
  if (!checkConsistent(a, "matmul", "lhs", error) ||
      !checkConsistent(b, "matmul", "rhs", error))
    return false;
  int64_t M, K, N;
  if (!detail::checkMatmul(a.shape, b.shape, transposeA, transposeB, "matmul",
                           M, K, N, error))
    return false;
  FloatArray at, bt;
  const FloatArray &A = detail::maybeTransposed(a, transposeA, at);
  const FloatArray &B = detail::maybeTransposed(b, transposeB, bt);
  FloatArray result({M, N});
  for (int64_t i = 0; i < M; ++i) {
    float *o = &result.data[i * N];
    for (int64_t k = 0; k < K; ++k) {
      float av = A.data[i * K + k];
      const float *brow = &B.data[k * N];
      for (int64_t j = 0; j < N; ++j)
        o[j] += av * brow[j];
    }
  }
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
  FloatArray r = x;
  for (float &v : r.data)
    v = v > 0.0f ? v : 0.0f;
  return r;
}

FloatArray vai::relu6(const FloatArray &x) {
  FloatArray r = x;
  for (float &v : r.data)
    v = std::min(std::max(v, 0.0f), 6.0f);
  return r;
}

FloatArray vai::leakyRelu(const FloatArray &x, float alpha) {
  FloatArray r = x;
  for (float &v : r.data)
    v = v >= 0.0f ? v : alpha * v;
  return r;
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
  if (!checkConsistent(x, "meanReduce", "input", error))
    return false;
  const int64_t rank = static_cast<int64_t>(x.rank());
  std::vector<bool> reduced(static_cast<size_t>(rank), axes.empty());
  for (int64_t axis : axes) {
    int64_t a = axis < 0 ? axis + rank : axis;
    if (a < 0 || a >= rank) {
      error = "meanReduce: axis " + std::to_string(axis) +
              " is out of range for rank " + std::to_string(rank);
      return false;
    }
    if (reduced[a]) {
      error = "meanReduce: axis " + std::to_string(axis) + " is repeated";
      return false;
    }
    reduced[a] = true;
  }
  // Sum in double: a global pool over a large map loses precision in float.
  std::vector<int64_t> keptShape(x.shape);
  int64_t count = 1;
  for (int64_t d = 0; d < rank; ++d) {
    if (reduced[d]) {
      count *= x.shape[d];
      keptShape[d] = 1;
    }
  }
  std::vector<int64_t> dst = broadcastSourceOffsets(keptShape, x.shape);
  std::vector<double> sums(static_cast<size_t>(shapeNumElements(keptShape)),
                           0.0);
  for (size_t i = 0; i < x.data.size(); ++i)
    sums[dst[i]] += x.data[i];
  std::vector<int64_t> outShape;
  for (int64_t d = 0; d < rank; ++d)
    if (!reduced[d] || keepDims)
      outShape.push_back(keptShape[d]);
  FloatArray result(outShape);
  for (size_t i = 0; i < sums.size(); ++i)
    result.data[i] = count > 0 ? static_cast<float>(sums[i] / count)
                               : std::numeric_limits<float>::quiet_NaN();
  out = std::move(result);
  return true;
}

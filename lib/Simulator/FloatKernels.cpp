//===- FloatKernels.cpp - Float32 reference kernels (NHWC) ----------------===//
//
// Straightforward loops with the channel dimension innermost so that the
// compiler vectorizes the multiply-accumulate over output channels.
//
//===----------------------------------------------------------------------===//

#include "vai/Simulator/FloatKernels.h"

#include <algorithm>
#include <cmath>
#include <limits>

using namespace vai;

namespace {

bool checkVector(const FloatArray &v, int64_t size, const char *op,
                 const char *what, std::string &error) {
  if (!checkConsistent(v, op, what, error))
    return false;
  if (v.rank() == 1 && v.shape[0] == size)
    return true;
  error = std::string(op) + ": " + what + " must have shape [" +
          std::to_string(size) + "], got " + shapeString(v.shape);
  return false;
}

/// Transposes a rank-2 array.
FloatArray transpose2D(const FloatArray &a) {
  int64_t r = a.shape[0], c = a.shape[1];
  FloatArray t({c, r});
  for (int64_t i = 0; i < r; ++i)
    for (int64_t j = 0; j < c; ++j)
      t.data[j * r + i] = a.data[i * c + j];
  return t;
}

template <typename Fn>
bool elementwiseBinary(const FloatArray &a, const FloatArray &b, const char *op,
                       Fn fn, FloatArray &out, std::string &error) {
  if (!checkConsistent(a, op, "lhs", error) ||
      !checkConsistent(b, op, "rhs", error))
    return false;
  std::vector<int64_t> shape;
  if (!broadcastShapes(a.shape, b.shape, shape, error)) {
    error = std::string(op) + ": " + error;
    return false;
  }
  FloatArray result(shape);
  size_t n = result.data.size();
  if (a.shape == shape && b.shape == shape) {
    for (size_t i = 0; i < n; ++i)
      result.data[i] = fn(a.data[i], b.data[i]);
  } else if (a.shape == shape && b.rank() == 1 && !shape.empty() &&
             b.shape[0] == shape.back()) {
    // The bias-like case: a vector over the last dimension.
    size_t c = static_cast<size_t>(b.shape[0]);
    for (size_t i = 0; i < n; ++i)
      result.data[i] = fn(a.data[i], b.data[c ? i % c : 0]);
  } else {
    std::vector<int64_t> ia = broadcastSourceOffsets(a.shape, shape);
    std::vector<int64_t> ib = broadcastSourceOffsets(b.shape, shape);
    for (size_t i = 0; i < n; ++i)
      result.data[i] = fn(a.data[ia[i]], b.data[ib[i]]);
  }
  out = std::move(result);
  return true;
}

enum class PoolKind { Max, Avg };

bool pool(const FloatArray &input, const Pool2DAttrs &attrs, PoolKind kind,
          FloatArray &out, std::string &error) {
  const char *op = kind == PoolKind::Max ? "maxPool" : "avgPool";
  if (!checkConsistent(input, op, "input", error))
    return false;
  WindowGeometry g;
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
  const int64_t C = g.channels;
  FloatArray result({g.batch, g.outH, g.outW, C});
  std::vector<float> acc(static_cast<size_t>(C));
  for (int64_t n = 0; n < g.batch; ++n) {
    for (int64_t oh = 0; oh < g.outH; ++oh) {
      for (int64_t ow = 0; ow < g.outW; ++ow) {
        std::fill(acc.begin(), acc.end(),
                  kind == PoolKind::Max
                      ? -std::numeric_limits<float>::infinity()
                      : 0.0f);
        int64_t count = 0;
        for (int64_t ky = 0; ky < attrs.kernel.h; ++ky) {
          int64_t iy = oh * attrs.strides.h - attrs.pads.top + ky;
          if (iy < 0 || iy >= g.inH)
            continue;
          for (int64_t kx = 0; kx < attrs.kernel.w; ++kx) {
            int64_t ix = ow * attrs.strides.w - attrs.pads.left + kx;
            if (ix < 0 || ix >= g.inW)
              continue;
            const float *x = &input.data[((n * g.inH + iy) * g.inW + ix) * C];
            ++count;
            if (kind == PoolKind::Max) {
              for (int64_t c = 0; c < C; ++c)
                acc[c] = std::max(acc[c], x[c]);
            } else {
              for (int64_t c = 0; c < C; ++c)
                acc[c] += x[c];
            }
          }
        }
        float *o = &result.data[((n * g.outH + oh) * g.outW + ow) * C];
        if (kind == PoolKind::Max) {
          std::copy(acc.begin(), acc.end(), o);
        } else {
          float div = static_cast<float>(
              attrs.countIncludePad ? attrs.kernel.h * attrs.kernel.w : count);
          for (int64_t c = 0; c < C; ++c)
            o[c] = acc[c] / div;
        }
      }
    }
  }
  out = std::move(result);
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
  if (!checkConsistent(input, "conv2d", "input", error) ||
      !checkConsistent(filter, "conv2d", "filter", error))
    return false;
  if (filter.rank() != 4) {
    error = "conv2d: filter must be HWIO (rank 4), got shape " +
            shapeString(filter.shape);
    return false;
  }
  const int64_t KH = filter.shape[0], KW = filter.shape[1];
  const int64_t ICg = filter.shape[2], OC = filter.shape[3];
  WindowGeometry g;
  if (!computeWindowGeometry(input.shape, {KH, KW}, attrs.strides,
                             attrs.dilations, attrs.pads, "conv2d", g, error))
    return false;
  const int64_t groups = attrs.groups;
  if (groups <= 0 || g.channels != ICg * groups || OC % groups != 0) {
    error = "conv2d: input channels " + std::to_string(g.channels) +
            " do not match filter input channels " + std::to_string(ICg) +
            " x groups " + std::to_string(groups) + " (filter " +
            shapeString(filter.shape) + ")";
    return false;
  }
  const int64_t C = g.channels, OCg = OC / groups;
  FloatArray result({g.batch, g.outH, g.outW, OC});
  for (int64_t n = 0; n < g.batch; ++n) {
    for (int64_t oh = 0; oh < g.outH; ++oh) {
      for (int64_t ow = 0; ow < g.outW; ++ow) {
        float *o = &result.data[((n * g.outH + oh) * g.outW + ow) * OC];
        for (int64_t ky = 0; ky < KH; ++ky) {
          int64_t iy =
              oh * attrs.strides.h - attrs.pads.top + ky * attrs.dilations.h;
          if (iy < 0 || iy >= g.inH)
            continue;
          for (int64_t kx = 0; kx < KW; ++kx) {
            int64_t ix =
                ow * attrs.strides.w - attrs.pads.left + kx * attrs.dilations.w;
            if (ix < 0 || ix >= g.inW)
              continue;
            const float *x = &input.data[((n * g.inH + iy) * g.inW + ix) * C];
            const float *wTap = &filter.data[(ky * KW + kx) * ICg * OC];
            for (int64_t grp = 0; grp < groups; ++grp) {
              float *og = o + grp * OCg;
              for (int64_t ic = 0; ic < ICg; ++ic) {
                float xv = x[grp * ICg + ic];
                const float *w = wTap + ic * OC + grp * OCg;
                for (int64_t oc = 0; oc < OCg; ++oc)
                  og[oc] += xv * w[oc];
              }
            }
          }
        }
      }
    }
  }
  out = std::move(result);
  return true;
}

bool vai::depthwiseConv2d(const FloatArray &input, const FloatArray &filter,
                          const Conv2DAttrs &attrs, FloatArray &out,
                          std::string &error) {
  if (!checkConsistent(input, "depthwiseConv2d", "input", error) ||
      !checkConsistent(filter, "depthwiseConv2d", "filter", error))
    return false;
  if (filter.rank() != 4) {
    error = "depthwiseConv2d: filter must be [KH,KW,C,M] (rank 4), got "
            "shape " +
            shapeString(filter.shape);
    return false;
  }
  const int64_t KH = filter.shape[0], KW = filter.shape[1];
  const int64_t M = filter.shape[3];
  WindowGeometry g;
  if (!computeWindowGeometry(input.shape, {KH, KW}, attrs.strides,
                             attrs.dilations, attrs.pads, "depthwiseConv2d", g,
                             error))
    return false;
  const int64_t C = g.channels;
  if (filter.shape[2] != C) {
    error = "depthwiseConv2d: input channels " + std::to_string(C) +
            " do not match filter channels " + std::to_string(filter.shape[2]);
    return false;
  }
  const int64_t OC = C * M;
  FloatArray result({g.batch, g.outH, g.outW, OC});
  for (int64_t n = 0; n < g.batch; ++n) {
    for (int64_t oh = 0; oh < g.outH; ++oh) {
      for (int64_t ow = 0; ow < g.outW; ++ow) {
        float *o = &result.data[((n * g.outH + oh) * g.outW + ow) * OC];
        for (int64_t ky = 0; ky < KH; ++ky) {
          int64_t iy =
              oh * attrs.strides.h - attrs.pads.top + ky * attrs.dilations.h;
          if (iy < 0 || iy >= g.inH)
            continue;
          for (int64_t kx = 0; kx < KW; ++kx) {
            int64_t ix =
                ow * attrs.strides.w - attrs.pads.left + kx * attrs.dilations.w;
            if (ix < 0 || ix >= g.inW)
              continue;
            const float *x = &input.data[((n * g.inH + iy) * g.inW + ix) * C];
            const float *w = &filter.data[(ky * KW + kx) * OC];
            if (M == 1) {
              for (int64_t c = 0; c < C; ++c)
                o[c] += x[c] * w[c];
            } else {
              for (int64_t c = 0; c < C; ++c)
                for (int64_t m = 0; m < M; ++m)
                  o[c * M + m] += x[c] * w[c * M + m];
            }
          }
        }
      }
    }
  }
  out = std::move(result);
  return true;
}

bool vai::maxPool(const FloatArray &input, const Pool2DAttrs &attrs,
                  FloatArray &out, std::string &error) {
  return pool(input, attrs, PoolKind::Max, out, error);
}

bool vai::avgPool(const FloatArray &input, const Pool2DAttrs &attrs,
                  FloatArray &out, std::string &error) {
  return pool(input, attrs, PoolKind::Avg, out, error);
}

bool vai::matmul(const FloatArray &a, const FloatArray &b, bool transposeA,
                 bool transposeB, FloatArray &out, std::string &error) {
  if (!checkConsistent(a, "matmul", "lhs", error) ||
      !checkConsistent(b, "matmul", "rhs", error))
    return false;
  if (a.rank() != 2 || b.rank() != 2) {
    error = "matmul: operands must be rank 2, got " + shapeString(a.shape) +
            " and " + shapeString(b.shape);
    return false;
  }
  FloatArray at, bt;
  const FloatArray &A = transposeA ? (at = transpose2D(a)) : a;
  const FloatArray &B = transposeB ? (bt = transpose2D(b)) : b;
  const int64_t M = A.shape[0], K = A.shape[1], N = B.shape[1];
  if (B.shape[0] != K) {
    error = "matmul: inner dimensions differ: " + shapeString(A.shape) + " x " +
            shapeString(B.shape) + " (after transposes)";
    return false;
  }
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
  if (!checkVector(bias, x.shape.back(), "biasAdd", "bias", error))
    return false;
  return elementwiseBinary(
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
  if (!checkVector(scale, C, op, "scale", error) ||
      !checkVector(offset, C, op, "offset", error) ||
      !checkVector(mean, C, op, "mean", error) ||
      !checkVector(variance, C, op, "variance", error))
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
  return elementwiseBinary(
      a, b, "add", [](float p, float q) { return p + q; }, out, error);
}

bool vai::mul(const FloatArray &a, const FloatArray &b, FloatArray &out,
              std::string &error) {
  return elementwiseBinary(
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

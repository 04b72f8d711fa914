//===- WindowLoops.h - Window walks shared by the kernels -------*- C++ -*-===//
//
// Internal to lib/Simulator: the validation and loop nests of the 2-D window
// ops (conv, depthwise conv, pooling) that FloatKernels.cpp and
// FixedKernels.cpp share. Both interpreters must agree on which input pixels
// a window reads, so that logic lives here once; the kernels only supply
// what differs: the accumulator type, the per-tap arithmetic and how an
// output pixel is finished (copy, divide, requantize). Matmul's operand
// checks, the elementwise ops' broadcasting loop and the type-independent
// data movement (transpose, concat, per-dimension gathers) are shared the
// same way at the end.
//
//===----------------------------------------------------------------------===//

#ifndef VAI_LIB_SIMULATOR_WINDOWLOOPS_H
#define VAI_LIB_SIMULATOR_WINDOWLOOPS_H

#include "vai/Simulator/FloatKernels.h"
#include "vai/Simulator/NDArray.h"

#include <algorithm>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace vai::detail {

/// Where a window op's windows sit over its input.
struct Window {
  Dims2 kernel;
  Dims2 strides;
  Dims2 dilations;
  Pads2 pads;
};

inline Window convWindow(const Conv2DAttrs &attrs, int64_t kh, int64_t kw) {
  return {{kh, kw}, attrs.strides, attrs.dilations, attrs.pads};
}

inline Window poolWindow(const Pool2DAttrs &attrs) {
  return {attrs.kernel, attrs.strides, Dims2(), attrs.pads};
}

/// For every output pixel of an NHWC window op: `outChannels` accumulators
/// start at `init`, `tap(acc, x, k)` takes in each in-bounds input pixel `x`
/// (its C values) at kernel tap k = ky * kernel.w + kx, and then
/// `finish(acc, taps, o)` writes the output pixel `o` from the accumulators
/// and the number of in-bounds taps. Padding is never visited. When Acc is
/// the element type the accumulators are the output pixel itself (acc == o):
/// a separate scratch row measured slower for the float kernels.
template <typename Acc, typename T, typename Tap, typename Finish>
NDArray<T> reduceWindows(const NDArray<T> &input, const WindowGeometry &g,
                         const Window &w, int64_t outChannels, Acc init,
                         Tap tap, Finish finish) {
  constexpr bool inPlace = std::is_same<Acc, T>::value;
  const int64_t C = g.channels;
  // In place, the accumulators start out right; filling them per pixel
  // instead costs a memset call each.
  NDArray<T> result({g.batch, g.outH, g.outW, outChannels},
                    inPlace ? static_cast<T>(init) : T());
  std::vector<Acc> scratch(inPlace ? 0 : static_cast<size_t>(outChannels));
  for (int64_t n = 0; n < g.batch; ++n) {
    for (int64_t oh = 0; oh < g.outH; ++oh) {
      for (int64_t ow = 0; ow < g.outW; ++ow) {
        T *o = &result.data[((n * g.outH + oh) * g.outW + ow) * outChannels];
        Acc *acc;
        if constexpr (inPlace) {
          acc = o;
        } else {
          acc = scratch.data();
          std::fill(acc, acc + outChannels, init);
        }
        int64_t taps = 0;
        for (int64_t ky = 0; ky < w.kernel.h; ++ky) {
          int64_t iy = oh * w.strides.h - w.pads.top + ky * w.dilations.h;
          if (iy < 0 || iy >= g.inH)
            continue;
          for (int64_t kx = 0; kx < w.kernel.w; ++kx) {
            int64_t ix = ow * w.strides.w - w.pads.left + kx * w.dilations.w;
            if (ix < 0 || ix >= g.inW)
              continue;
            ++taps;
            tap(acc, &input.data[((n * g.inH + iy) * g.inW + ix) * C],
                ky * w.kernel.w + kx);
          }
        }
        finish(static_cast<const Acc *>(acc), taps, o);
      }
    }
  }
  return result;
}

/// Channel-wise pooling: acc = combine(acc, x) over each window, then
/// o = finish(acc, taps).
template <typename Acc, typename T, typename Combine, typename Finish>
NDArray<T> poolWindows(const NDArray<T> &input, const WindowGeometry &g,
                       const Pool2DAttrs &attrs, Acc init, Combine combine,
                       Finish finish) {
  const int64_t C = g.channels;
  return reduceWindows<Acc>(
      input, g, poolWindow(attrs), C, init,
      [&](Acc *acc, const T *x, int64_t) {
        for (int64_t c = 0; c < C; ++c)
          acc[c] = combine(acc[c], x[c]);
      },
      [&](const Acc *acc, int64_t taps, T *o) {
        for (int64_t c = 0; c < C; ++c)
          o[c] = finish(acc[c], taps);
      });
}

/// Checks a pooling op's input and window: consistent NHWC input, a valid
/// geometry, and pads smaller than the kernel so that every window touches
/// the input (an all-padding window has no max and no average).
template <typename T>
bool checkPool(const NDArray<T> &input, const Pool2DAttrs &attrs,
               const char *op, WindowGeometry &g, std::string &error) {
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
  return true;
}

/// A validated conv or depthwise conv: its geometry and filter dimensions.
struct ConvShape {
  WindowGeometry g;
  Window window;
  bool depthwise = false;
  /// Grouped conv only.
  int64_t groups = 1;
  int64_t inChannelsPerGroup = 0;
  /// Depthwise only: output channels per input channel.
  int64_t multiplier = 1;
  int64_t outChannels = 0;
};

/// How a kernel names its filter in messages: `filter` ("filter"/"weights")
/// with rank rule `rankRule`, and `perChannel` ("filter"/"weight") in the
/// channel mismatch messages.
struct FilterNames {
  const char *filter;
  const char *perChannel;
  const char *rankRule;
};

/// First half of the conv checks: a rank-4 filter and the window geometry
/// it gives over `inputShape`. Kernels check their operands' consistency
/// (and anything else) before this.
inline bool checkConvFilter(const std::vector<int64_t> &inputShape,
                            const std::vector<int64_t> &filterShape,
                            const Conv2DAttrs &attrs, bool depthwise,
                            const char *op, const FilterNames &names,
                            ConvShape &s, std::string &error) {
  if (filterShape.size() != 4) {
    error = std::string(op) + ": " + names.filter + " must be " +
            names.rankRule + ", got shape " + shapeString(filterShape);
    return false;
  }
  s.depthwise = depthwise;
  s.window = convWindow(attrs, filterShape[0], filterShape[1]);
  return computeWindowGeometry(inputShape, s.window.kernel, attrs.strides,
                               attrs.dilations, attrs.pads, op, s.g, error);
}

/// Second half: the filter's channels against the input's (grouped:
/// C = ICg * groups and OC divisible by groups; depthwise: C equal).
inline bool checkConvChannels(const std::vector<int64_t> &filterShape,
                              const Conv2DAttrs &attrs, const char *op,
                              const FilterNames &names, ConvShape &s,
                              std::string &error) {
  const int64_t C = s.g.channels;
  if (s.depthwise) {
    if (filterShape[2] != C) {
      error = std::string(op) + ": input channels " + std::to_string(C) +
              " do not match " + names.perChannel + " channels " +
              std::to_string(filterShape[2]);
      return false;
    }
    s.multiplier = filterShape[3];
    s.outChannels = C * s.multiplier;
    return true;
  }
  const int64_t ICg = filterShape[2], OC = filterShape[3];
  const int64_t groups = attrs.groups;
  if (groups <= 0 || C != ICg * groups || OC % groups != 0) {
    error = std::string(op) + ": input channels " + std::to_string(C) +
            " do not match " + names.perChannel + " input channels " +
            std::to_string(ICg) + " x groups " + std::to_string(groups) + " (" +
            names.filter + " " + shapeString(filterShape) + ")";
    return false;
  }
  s.groups = groups;
  s.inChannelsPerGroup = ICg;
  s.outChannels = OC;
  return true;
}

/// acc[i] += x * w[i]. The rows never overlap; saying so (__restrict) spares
/// GCC a runtime overlap check whose register spills made conv2dFix 2x
/// slower.
template <typename Acc, typename T>
void macRow(Acc *__restrict acc, Acc x, const T *__restrict w, int64_t n) {
  for (int64_t i = 0; i < n; ++i)
    acc[i] += x * static_cast<Acc>(w[i]);
}

/// The multiply-accumulate of a validated conv in accumulator type Acc;
/// `finish(acc, taps, o)` writes each output pixel. SkipZeroInputs skips the
/// weight row of a zero input value: exact for integers and a large saving
/// after ReLU, but not for floats (0 * inf is NaN).
template <typename Acc, bool SkipZeroInputs, typename T, typename Finish>
NDArray<T> convWindows(const NDArray<T> &input, const NDArray<T> &filter,
                       const ConvShape &s, Finish finish) {
  const int64_t C = s.g.channels, OC = s.outChannels;
  if (s.depthwise) {
    // Output channel c*M + m reads input channel c (TF's layout).
    const int64_t M = s.multiplier;
    return reduceWindows<Acc>(
        input, s.g, s.window, OC, Acc(0),
        [&](Acc *acc, const T *x, int64_t k) {
          const T *w = &filter.data[k * OC];
          if (M == 1) {
            for (int64_t c = 0; c < C; ++c)
              acc[c] += static_cast<Acc>(x[c]) * static_cast<Acc>(w[c]);
            return;
          }
          for (int64_t c = 0; c < C; ++c)
            for (int64_t m = 0; m < M; ++m)
              acc[c * M + m] +=
                  static_cast<Acc>(x[c]) * static_cast<Acc>(w[c * M + m]);
        },
        finish);
  }
  const int64_t groups = s.groups, ICg = s.inChannelsPerGroup;
  const int64_t OCg = OC / groups;
  return reduceWindows<Acc>(
      input, s.g, s.window, OC, Acc(0),
      [&](Acc *acc, const T *x, int64_t k) {
        // Output channels innermost, so the compiler vectorizes this loop.
        const T *wTap = &filter.data[k * ICg * OC];
        for (int64_t grp = 0; grp < groups; ++grp) {
          Acc *ag = acc + grp * OCg;
          for (int64_t ic = 0; ic < ICg; ++ic) {
            Acc xv = x[grp * ICg + ic];
            if (SkipZeroInputs && xv == 0)
              continue;
            macRow(ag, xv, wTap + ic * OC + grp * OCg, OCg);
          }
        }
      },
      finish);
}

//===----------------------------------------------------------------------===//
// Not window ops, but the same float / fixed-point split
//===----------------------------------------------------------------------===//

/// Checks that `v` is a consistent vector of `size` elements; `what` names
/// it in the message.
template <typename T>
bool checkVector(const NDArray<T> &v, int64_t size, const char *op,
                 const char *what, std::string &error) {
  if (!checkConsistent(v, op, what, error))
    return false;
  if (v.rank() == 1 && v.shape[0] == size)
    return true;
  error = std::string(op) + ": " + what + " must have shape [" +
          std::to_string(size) + "], got " + shapeString(v.shape);
  return false;
}

/// For every element of a tensor of shape `shape` (row-major), the flat
/// offset sum(index[d] * stride[d]) of what it reads: the odometer behind
/// broadcasting (stride 0 rereads a dimension) and transposition (permuted
/// strides).
inline std::vector<int64_t> stridedOffsets(const std::vector<int64_t> &shape,
                                           const std::vector<int64_t> &stride) {
  const size_t rank = shape.size();
  int64_t total = shapeNumElements(shape);
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
      if (index[k] < shape[k])
        break;
      off -= stride[k] * index[k];
      index[k] = 0;
    }
  }
  return offsets;
}

/// out = fn(a, b) elementwise with NumPy broadcasting.
template <typename T, typename Fn>
bool elementwiseBinary(const NDArray<T> &a, const NDArray<T> &b, const char *op,
                       Fn fn, NDArray<T> &out, std::string &error) {
  if (!checkConsistent(a, op, "lhs", error) ||
      !checkConsistent(b, op, "rhs", error))
    return false;
  std::vector<int64_t> shape;
  if (!broadcastShapes(a.shape, b.shape, shape, error)) {
    error = std::string(op) + ": " + error;
    return false;
  }
  NDArray<T> result(shape);
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

/// Checks the ranks and inner dimension of a matmul, a [M,K] (or [K,M] with
/// transposeA) times b [K,N] (or [N,K]); sets M, K and N.
inline bool checkMatmul(const std::vector<int64_t> &a,
                        const std::vector<int64_t> &b, bool transposeA,
                        bool transposeB, const char *op, int64_t &M, int64_t &K,
                        int64_t &N, std::string &error) {
  if (a.size() != 2 || b.size() != 2) {
    error = std::string(op) + ": operands must be rank 2, got " +
            shapeString(a) + " and " + shapeString(b);
    return false;
  }
  std::vector<int64_t> A = a, B = b;
  if (transposeA)
    std::swap(A[0], A[1]);
  if (transposeB)
    std::swap(B[0], B[1]);
  if (B[0] != A[1]) {
    error = std::string(op) + ": inner dimensions differ: " + shapeString(A) +
            " x " + shapeString(B) + " (after transposes)";
    return false;
  }
  M = A[0];
  K = A[1];
  N = B[1];
  return true;
}

/// a, or its transpose (stored in `scratch`) when `transpose` is set.
template <typename T>
const NDArray<T> &maybeTransposed(const NDArray<T> &a, bool transpose,
                                  NDArray<T> &scratch) {
  if (!transpose)
    return a;
  int64_t r = a.shape[0], c = a.shape[1];
  scratch = NDArray<T>({c, r});
  for (int64_t i = 0; i < r; ++i)
    for (int64_t j = 0; j < c; ++j)
      scratch.data[j * r + i] = a.data[i * c + j];
  return scratch;
}

//===----------------------------------------------------------------------===//
// Data movement: type-independent, so the fixed-point kernels can reuse it
//===----------------------------------------------------------------------===//

/// `axis` in [-rank, rank) made non-negative; false with "<op>: axis A is out
/// of range for rank R" otherwise.
inline bool normalizeAxis(int64_t axis, int64_t rank, const char *op,
                          int64_t &result, std::string &error) {
  result = axis < 0 ? axis + rank : axis;
  if (result >= 0 && result < rank)
    return true;
  error = std::string(op) + ": axis " + std::to_string(axis) +
          " is out of range for rank " + std::to_string(rank);
  return false;
}

/// out.shape[i] = x.shape[perm[i]] (ONNX Transpose; an empty perm reverses
/// the dimensions, ONNX's default).
template <typename T>
bool transposeArray(const NDArray<T> &x, std::vector<int64_t> perm,
                    const char *op, NDArray<T> &out, std::string &error) {
  if (!checkConsistent(x, op, "input", error))
    return false;
  const size_t rank = x.rank();
  if (perm.empty())
    for (size_t i = rank; i > 0; --i)
      perm.push_back(static_cast<int64_t>(i - 1));
  std::vector<bool> seen(rank, false);
  bool valid = perm.size() == rank;
  for (size_t i = 0; valid && i < rank; ++i) {
    valid =
        perm[i] >= 0 && perm[i] < static_cast<int64_t>(rank) && !seen[perm[i]];
    if (valid)
      seen[perm[i]] = true;
  }
  if (!valid) {
    error = std::string(op) + ": perm " + shapeString(perm) +
            " is not a permutation of the " + std::to_string(rank) +
            " dimensions of " + shapeString(x.shape);
    return false;
  }
  std::vector<int64_t> shape(rank), stride(rank);
  const std::vector<int64_t> inStride = x.strides();
  for (size_t i = 0; i < rank; ++i) {
    shape[i] = x.shape[perm[i]];
    stride[i] = inStride[perm[i]];
  }
  NDArray<T> result(shape);
  std::vector<int64_t> src = stridedOffsets(shape, stride);
  for (size_t i = 0; i < src.size(); ++i)
    result.data[i] = x.data[src[i]];
  out = std::move(result);
  return true;
}

/// Concatenation along `axis` (negative counts from the end); every input
/// has the same rank (>= 1) and the same dimensions off the axis.
template <typename T>
bool concatArrays(const std::vector<const NDArray<T> *> &inputs, int64_t axis,
                  const char *op, NDArray<T> &out, std::string &error) {
  if (inputs.empty()) {
    error = std::string(op) + ": needs at least one input";
    return false;
  }
  for (const NDArray<T> *in : inputs) {
    if (!in) {
      error = std::string(op) + ": null input";
      return false;
    }
    if (!checkConsistent(*in, op, "input", error))
      return false;
  }
  const std::vector<int64_t> &first = inputs[0]->shape;
  const int64_t rank = static_cast<int64_t>(first.size());
  int64_t a;
  if (!normalizeAxis(axis, rank, op, a, error))
    return false;
  std::vector<int64_t> shape = first;
  shape[a] = 0;
  for (const NDArray<T> *in : inputs) {
    bool match = in->rank() == first.size();
    for (int64_t d = 0; match && d < rank; ++d)
      match = d == a || in->shape[d] == first[d];
    if (!match) {
      error = std::string(op) + ": input shapes " + shapeString(first) +
              " and " + shapeString(in->shape) + " differ off axis " +
              std::to_string(a);
      return false;
    }
    shape[a] += in->shape[a];
  }
  // Each input contributes one contiguous chunk per index of the dimensions
  // before the axis.
  int64_t outer = 1;
  for (int64_t d = 0; d < a; ++d)
    outer *= shape[d];
  NDArray<T> result(shape);
  T *dst = result.data.data();
  for (int64_t o = 0; o < outer; ++o) {
    for (const NDArray<T> *in : inputs) {
      size_t chunk = outer ? in->data.size() / static_cast<size_t>(outer) : 0;
      const T *src = in->data.data() + o * chunk;
      dst = std::copy(src, src + chunk, dst);
    }
  }
  out = std::move(result);
  return true;
}

template <typename T>
void gatherDimsFrom(const T *src, const std::vector<std::vector<int64_t>> &maps,
                    const std::vector<int64_t> &srcStride,
                    const std::vector<int64_t> &dstBlock, size_t d, T *dst) {
  const std::vector<int64_t> &map = maps[d];
  if (d + 1 == maps.size()) {
    for (size_t j = 0; j < map.size(); ++j)
      if (map[j] >= 0)
        dst[j] = src[map[j] * srcStride[d]];
    return;
  }
  for (size_t j = 0; j < map.size(); ++j)
    if (map[j] >= 0)
      gatherDimsFrom(src + map[j] * srcStride[d], maps, srcStride, dstBlock,
                     d + 1, dst + j * dstBlock[d]);
}

/// out[i0, i1, ...] = x[maps[0][i0], maps[1][i1], ...], or `fill` where an
/// index is -1: an independent index map per dimension, which is what pad,
/// crop and nearest-neighbour resize are. The maps must index within x.
template <typename T>
NDArray<T> gatherDims(const NDArray<T> &x,
                      const std::vector<std::vector<int64_t>> &maps, T fill) {
  std::vector<int64_t> shape;
  for (const std::vector<int64_t> &map : maps)
    shape.push_back(static_cast<int64_t>(map.size()));
  NDArray<T> result(shape, fill);
  if (result.data.empty())
    return result;
  if (maps.empty()) {
    result.data[0] = x.data[0];
    return result;
  }
  gatherDimsFrom(x.data.data(), maps, x.strides(), result.strides(), 0,
                 result.data.data());
  return result;
}

} // namespace vai::detail

#endif // VAI_LIB_SIMULATOR_WINDOWLOOPS_H

//===- DnnlKernelsTest.cpp - oneDNN conv/matmul against naive loops -------===//
//
// conv2d, depthwiseConv2d, conv2dTranspose, matmul and batchMatmul run on
// oneDNN. Each is compared here, over a sweep of shapes and attributes,
// with a reference written straight from the definitions in FloatKernels.h:
// explicit index arithmetic, double accumulation, nothing shared with the
// library. The tolerance is relative to the sum of |products| feeding each
// output, which bounds float summation error whatever the order.
//
//===----------------------------------------------------------------------===//

#include "vai/Simulator/FloatKernels.h"

#include <cmath>
#include <cstring>
#include <random>
#include <sstream>

#include "gtest/gtest.h"

using namespace vai;

namespace {

using Shape = std::vector<int64_t>;

FloatArray randomArray(Shape shape, std::mt19937 &rng) {
  FloatArray a(std::move(shape));
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  for (float &v : a.data)
    v = dist(rng);
  return a;
}

/// A reference result: each output's exact-ish value and the sum of the
/// magnitudes of the terms that made it.
struct Reference {
  Shape shape;
  std::vector<double> value, magnitude;

  explicit Reference(Shape s) : shape(std::move(s)) {
    int64_t n = 1;
    for (int64_t d : shape)
      n *= d;
    value.assign(static_cast<size_t>(n), 0.0);
    magnitude.assign(static_cast<size_t>(n), 0.0);
  }
  void add(size_t i, double term) {
    value[i] += term;
    magnitude[i] += std::fabs(term);
  }
  void addBias(const FloatArray *bias) {
    if (!bias)
      return;
    for (size_t i = 0; i < value.size(); ++i)
      add(i, bias->data[i % bias->data.size()]);
  }
};

::testing::AssertionResult matches(const FloatArray &actual,
                                   const Reference &ref) {
  if (actual.shape != ref.shape)
    return ::testing::AssertionFailure()
           << "shape " << shapeString(actual.shape) << " != reference "
           << shapeString(ref.shape);
  for (size_t i = 0; i < ref.value.size(); ++i) {
    double tol = 1e-5 * std::max(ref.magnitude[i], 1e-3);
    if (!(std::fabs(actual.data[i] - ref.value[i]) <= tol))
      return ::testing::AssertionFailure()
             << "flat index " << i << ": " << actual.data[i] << " != reference "
             << ref.value[i] << " (tolerance " << tol << ")";
  }
  return ::testing::AssertionSuccess();
}

int64_t outSize(int64_t in, int64_t k, int64_t s, int64_t d, int64_t before,
                int64_t after) {
  int64_t span = in + before + after - ((k - 1) * d + 1);
  return span < 0 ? 0 : span / s + 1;
}

/// Grouped conv (filter [KH,KW,C/G,OC]) or, with `depthwise`, TF's
/// depthwise conv (filter [KH,KW,C,M], output channel c*M + m).
Reference referenceConv(const FloatArray &x, const FloatArray &w,
                        const FloatArray *bias, const Conv2DAttrs &a,
                        bool depthwise) {
  const int64_t N = x.shape[0], H = x.shape[1], W = x.shape[2], C = x.shape[3];
  const int64_t KH = w.shape[0], KW = w.shape[1];
  const int64_t OC = depthwise ? C * w.shape[3] : w.shape[3];
  const int64_t OH =
      outSize(H, KH, a.strides.h, a.dilations.h, a.pads.top, a.pads.bottom);
  const int64_t OW =
      outSize(W, KW, a.strides.w, a.dilations.w, a.pads.left, a.pads.right);
  Reference r({N, OH, OW, OC});
  for (int64_t n = 0; n < N; ++n)
    for (int64_t oh = 0; oh < OH; ++oh)
      for (int64_t ow = 0; ow < OW; ++ow)
        for (int64_t oc = 0; oc < OC; ++oc) {
          size_t o = static_cast<size_t>(((n * OH + oh) * OW + ow) * OC + oc);
          for (int64_t kh = 0; kh < KH; ++kh)
            for (int64_t kw = 0; kw < KW; ++kw) {
              int64_t ih = oh * a.strides.h - a.pads.top + kh * a.dilations.h;
              int64_t iw = ow * a.strides.w - a.pads.left + kw * a.dilations.w;
              if (ih < 0 || ih >= H || iw < 0 || iw >= W)
                continue;
              const float *px = &x.data[((n * H + ih) * W + iw) * C];
              if (depthwise) {
                const int64_t M = w.shape[3];
                int64_t c = oc / M, m = oc % M;
                r.add(o,
                      double(px[c]) * w.data[((kh * KW + kw) * C + c) * M + m]);
                continue;
              }
              const int64_t ICg = w.shape[2], OCg = OC / a.groups;
              const int64_t g = oc / OCg;
              for (int64_t ic = 0; ic < ICg; ++ic)
                r.add(o, double(px[g * ICg + ic]) *
                             w.data[((kh * KW + kw) * ICg + ic) * OC + oc]);
            }
        }
  r.addBias(bias);
  return r;
}

/// Straight from conv2dTranspose's definition: scatter every input pixel
/// into the full output, extend by outputPadding, crop by pads.
Reference referenceConvTranspose(const FloatArray &x, const FloatArray &w,
                                 const FloatArray *bias,
                                 const Conv2DTransposeAttrs &a) {
  const int64_t N = x.shape[0], H = x.shape[1], W = x.shape[2], C = x.shape[3];
  const int64_t KH = w.shape[0], KW = w.shape[1], OCg = w.shape[2];
  const int64_t G = a.groups, Cg = C / G, OC = OCg * G;
  const int64_t FH =
      (H - 1) * a.strides.h + (KH - 1) * a.dilations.h + 1 + a.outputPadding.h;
  const int64_t FW =
      (W - 1) * a.strides.w + (KW - 1) * a.dilations.w + 1 + a.outputPadding.w;
  Reference full({N, FH, FW, OC});
  for (int64_t n = 0; n < N; ++n)
    for (int64_t iy = 0; iy < H; ++iy)
      for (int64_t ix = 0; ix < W; ++ix)
        for (int64_t ky = 0; ky < KH; ++ky)
          for (int64_t kx = 0; kx < KW; ++kx)
            for (int64_t g = 0; g < G; ++g)
              for (int64_t ic = 0; ic < Cg; ++ic)
                for (int64_t m = 0; m < OCg; ++m) {
                  int64_t fy = iy * a.strides.h + ky * a.dilations.h;
                  int64_t fx = ix * a.strides.w + kx * a.dilations.w;
                  double v = x.data[((n * H + iy) * W + ix) * C + g * Cg + ic];
                  double k =
                      w.data[((ky * KW + kx) * OCg + m) * C + g * Cg + ic];
                  full.add(static_cast<size_t>(((n * FH + fy) * FW + fx) * OC +
                                               g * OCg + m),
                           v * k);
                }
  const int64_t OH = FH - a.pads.top - a.pads.bottom;
  const int64_t OW = FW - a.pads.left - a.pads.right;
  Reference r({N, OH, OW, OC});
  for (int64_t n = 0; n < N; ++n)
    for (int64_t oy = 0; oy < OH; ++oy)
      for (int64_t ox = 0; ox < OW; ++ox)
        for (int64_t oc = 0; oc < OC; ++oc) {
          size_t from = static_cast<size_t>(
              ((n * FH + oy + a.pads.top) * FW + ox + a.pads.left) * OC + oc);
          size_t to = static_cast<size_t>(((n * OH + oy) * OW + ox) * OC + oc);
          r.value[to] = full.value[from];
          r.magnitude[to] = full.magnitude[from];
        }
  r.addBias(bias);
  return r;
}

/// a [M,K] (or [K,M]) x b [K,N] (or [N,K]).
Reference referenceMatmul(const FloatArray &a, const FloatArray &b, bool ta,
                          bool tb, const FloatArray *bias) {
  const int64_t M = ta ? a.shape[1] : a.shape[0];
  const int64_t K = ta ? a.shape[0] : a.shape[1];
  const int64_t N = tb ? b.shape[0] : b.shape[1];
  Reference r({M, N});
  for (int64_t i = 0; i < M; ++i)
    for (int64_t j = 0; j < N; ++j)
      for (int64_t k = 0; k < K; ++k)
        r.add(static_cast<size_t>(i * N + j),
              double(ta ? a.data[k * M + i] : a.data[i * K + k]) *
                  (tb ? b.data[j * K + k] : b.data[k * N + j]));
  r.addBias(bias);
  return r;
}

std::string describe(const Shape &x, const Shape &w, Dims2 s, Dims2 d,
                     const Pads2 &p, int64_t groups, bool bias) {
  std::ostringstream os;
  os << "input " << shapeString(x) << " filter " << shapeString(w)
     << " strides " << s.h << "x" << s.w << " dilations " << d.h << "x" << d.w
     << " pads " << p.top << "," << p.bottom << "," << p.left << "," << p.right
     << " groups " << groups << (bias ? " bias" : "");
  return os.str();
}

//===----------------------------------------------------------------------===//
// Convolution
//===----------------------------------------------------------------------===//

const Dims2 kStrides[] = {{1, 1}, {2, 1}, {2, 3}};
const Dims2 kDilations[] = {{1, 1}, {2, 1}, {1, 3}};
const Pads2 kPads[] = {{0, 0, 0, 0}, {1, 0, 2, 1}, {2, 2, 0, 3}};

TEST(DnnlKernelsTest, Conv2dSweep) {
  std::mt19937 rng(7);
  const int64_t C = 6;
  const Shape kernels[] = {{1, 1}, {3, 3}, {2, 3}};
  int checked = 0;
  for (int64_t batch : {1, 3})
    for (int64_t groups : {int64_t(1), int64_t(2), C})
      for (const Shape &k : kernels)
        for (Dims2 s : kStrides)
          for (Dims2 d : kDilations)
            for (const Pads2 &p : kPads)
              for (bool withBias : {false, true}) {
                const int64_t OC = groups * 2;
                FloatArray x = randomArray({batch, 7, 9, C}, rng);
                FloatArray w = randomArray({k[0], k[1], C / groups, OC}, rng);
                FloatArray b = randomArray({OC}, rng);
                Conv2DAttrs attrs;
                attrs.strides = s;
                attrs.dilations = d;
                attrs.pads = p;
                attrs.groups = groups;
                SCOPED_TRACE(
                    describe(x.shape, w.shape, s, d, p, groups, withBias));
                FloatArray out;
                std::string error;
                const FloatArray *bias = withBias ? &b : nullptr;
                ASSERT_TRUE(conv2d(x, w, attrs, out, error, bias)) << error;
                EXPECT_TRUE(matches(out, referenceConv(x, w, bias, attrs,
                                                       /*depthwise=*/false)));
                ++checked;
              }
  EXPECT_EQ(checked, 2 * 3 * 3 * 3 * 3 * 3 * 2);
}

TEST(DnnlKernelsTest, DepthwiseConv2dSweep) {
  std::mt19937 rng(11);
  for (int64_t batch : {1, 3})
    for (int64_t multiplier : {1, 3})
      for (Dims2 s : kStrides)
        for (Dims2 d : kDilations)
          for (const Pads2 &p : kPads)
            for (bool withBias : {false, true}) {
              const int64_t C = 5;
              FloatArray x = randomArray({batch, 8, 7, C}, rng);
              FloatArray w = randomArray({3, 2, C, multiplier}, rng);
              FloatArray b = randomArray({C * multiplier}, rng);
              Conv2DAttrs attrs;
              attrs.strides = s;
              attrs.dilations = d;
              attrs.pads = p;
              SCOPED_TRACE(describe(x.shape, w.shape, s, d, p, C, withBias));
              FloatArray out;
              std::string error;
              const FloatArray *bias = withBias ? &b : nullptr;
              ASSERT_TRUE(depthwiseConv2d(x, w, attrs, out, error, bias))
                  << error;
              EXPECT_TRUE(matches(
                  out, referenceConv(x, w, bias, attrs, /*depthwise=*/true)));
            }
}

TEST(DnnlKernelsTest, Conv2dResNetSizedLayer) {
  // Big enough for oneDNN's blocked JIT kernels rather than a reference
  // fallback: 64 -> 64 channels, 3x3, SAME, batch 2.
  std::mt19937 rng(3);
  FloatArray x = randomArray({2, 14, 14, 64}, rng);
  FloatArray w = randomArray({3, 3, 64, 64}, rng);
  FloatArray b = randomArray({64}, rng);
  Conv2DAttrs attrs;
  attrs.pads = {1, 1, 1, 1};
  FloatArray out;
  std::string error;
  ASSERT_TRUE(conv2d(x, w, attrs, out, error, &b)) << error;
  EXPECT_TRUE(matches(out, referenceConv(x, w, &b, attrs, false)));
  // Same bits on a second run (the primitive now comes from the cache).
  FloatArray again;
  ASSERT_TRUE(conv2d(x, w, attrs, again, error, &b)) << error;
  ASSERT_EQ(out.data.size(), again.data.size());
  EXPECT_EQ(0, std::memcmp(out.data.data(), again.data.data(),
                           out.data.size() * sizeof(float)));
}

TEST(DnnlKernelsTest, Conv2dExtremeGeometry) {
  // Windows mostly in the padding, strides past the kernel, a dilated kernel
  // wider than the input row: all legal in ONNX, none common.
  struct Case {
    Shape x, w;
    Dims2 s, d;
    Pads2 p;
  };
  const Case cases[] = {
      {{2, 1, 1, 3}, {3, 3, 3, 4}, {1, 1}, {1, 1}, {2, 2, 2, 2}},
      {{1, 9, 11, 2}, {2, 2, 2, 3}, {5, 4}, {1, 1}, {0, 0, 0, 0}},
      {{1, 9, 5, 2}, {3, 3, 2, 2}, {1, 1}, {4, 3}, {0, 0, 3, 3}},
      {{3, 4, 4, 2}, {4, 4, 2, 2}, {3, 3}, {1, 1}, {3, 0, 0, 3}},
  };
  std::mt19937 rng(23);
  for (const Case &c : cases) {
    FloatArray x = randomArray(c.x, rng), w = randomArray(c.w, rng);
    FloatArray b = randomArray({c.w[3]}, rng);
    Conv2DAttrs attrs;
    attrs.strides = c.s;
    attrs.dilations = c.d;
    attrs.pads = c.p;
    SCOPED_TRACE(describe(c.x, c.w, c.s, c.d, c.p, 1, true));
    FloatArray out;
    std::string error;
    ASSERT_TRUE(conv2d(x, w, attrs, out, error, &b)) << error;
    EXPECT_TRUE(matches(out, referenceConv(x, w, &b, attrs, false)));
  }
}

TEST(DnnlKernelsTest, Conv2dTransposeStrideBeyondKernel) {
  // Stride 3 > kernel 2 leaves rows and columns no input reaches; output
  // padding past the pads adds more (oneDNN cannot express those).
  std::mt19937 rng(29);
  FloatArray x = randomArray({2, 3, 4, 2}, rng);
  FloatArray w = randomArray({2, 2, 3, 2}, rng);
  FloatArray b = randomArray({3}, rng);
  Conv2DTransposeAttrs attrs;
  attrs.strides = {3, 3};
  attrs.pads = {1, 0, 0, 1};
  attrs.outputPadding = {2, 2};
  FloatArray out;
  std::string error;
  ASSERT_TRUE(conv2dTranspose(x, w, attrs, out, error, &b)) << error;
  EXPECT_TRUE(matches(out, referenceConvTranspose(x, w, &b, attrs)));
  // Cropped to nothing but unreachable rows: the bias alone.
  attrs.pads = {9, 0, 0, 0};
  attrs.strides = {1, 1};
  attrs.outputPadding = {7, 0};
  ASSERT_TRUE(conv2dTranspose(x, w, attrs, out, error, &b)) << error;
  EXPECT_TRUE(matches(out, referenceConvTranspose(x, w, &b, attrs)));
}

TEST(DnnlKernelsTest, Conv2dEmptyInputGivesBias) {
  // Zero input channels: every output is the bias alone.
  FloatArray x({2, 3, 3, 0});
  FloatArray w({1, 1, 0, 4});
  FloatArray b({4}, std::vector<float>{1, 2, 3, 4});
  FloatArray out;
  std::string error;
  ASSERT_TRUE(conv2d(x, w, Conv2DAttrs(), out, error, &b)) << error;
  ASSERT_EQ(out.shape, (Shape{2, 3, 3, 4}));
  for (size_t i = 0; i < out.data.size(); ++i)
    EXPECT_EQ(out.data[i], float(i % 4 + 1));
}

TEST(DnnlKernelsTest, BiasOfWrongSizeIsAnError) {
  FloatArray x({1, 4, 4, 2}), w({3, 3, 2, 5}), b({4});
  FloatArray out;
  std::string error;
  EXPECT_FALSE(conv2d(x, w, Conv2DAttrs(), out, error, &b));
  EXPECT_EQ(error, "conv2d: bias must have shape [5], got [4]");
  FloatArray a({2, 3}), m({3, 6});
  EXPECT_FALSE(matmul(a, m, false, false, out, error, &b));
  EXPECT_EQ(error, "matmul: bias must have shape [6], got [4]");
}

//===----------------------------------------------------------------------===//
// Transposed convolution
//===----------------------------------------------------------------------===//

TEST(DnnlKernelsTest, Conv2dTransposeSweep) {
  std::mt19937 rng(5);
  const Pads2 pads[] = {{0, 0, 0, 0}, {1, 0, 0, 2}, {2, 1, 1, 1}};
  const Dims2 extras[] = {{0, 0}, {1, 0}, {1, 2}};
  int checked = 0;
  for (int64_t batch : {1, 3})
    for (int64_t groups : {1, 2})
      for (Dims2 s : {Dims2{1, 1}, Dims2{2, 3}})
        for (Dims2 d : {Dims2{1, 1}, Dims2{2, 1}})
          for (const Pads2 &p : pads)
            for (Dims2 extra : extras)
              for (bool withBias : {false, true}) {
                const int64_t C = 4, OCg = 3;
                FloatArray x = randomArray({batch, 5, 4, C}, rng);
                FloatArray w = randomArray({3, 2, OCg, C}, rng);
                FloatArray b = randomArray({OCg * groups}, rng);
                Conv2DTransposeAttrs attrs;
                attrs.strides = s;
                attrs.dilations = d;
                attrs.pads = p;
                attrs.outputPadding = extra;
                attrs.groups = groups;
                SCOPED_TRACE(
                    describe(x.shape, w.shape, s, d, p, groups, withBias) +
                    " output padding " + std::to_string(extra.h) + "x" +
                    std::to_string(extra.w));
                FloatArray out;
                std::string error;
                const FloatArray *bias = withBias ? &b : nullptr;
                ASSERT_TRUE(conv2dTranspose(x, w, attrs, out, error, bias))
                    << error;
                EXPECT_TRUE(
                    matches(out, referenceConvTranspose(x, w, bias, attrs)));
                ++checked;
              }
  EXPECT_EQ(checked, 2 * 2 * 2 * 2 * 3 * 3 * 2);
}

//===----------------------------------------------------------------------===//
// Matmul
//===----------------------------------------------------------------------===//

TEST(DnnlKernelsTest, MatmulSweep) {
  std::mt19937 rng(13);
  for (int64_t M : {1, 3, 17})
    for (int64_t K : {1, 5, 64})
      for (int64_t N : {1, 7, 33})
        for (bool ta : {false, true})
          for (bool tb : {false, true})
            for (bool withBias : {false, true}) {
              FloatArray a = randomArray(ta ? Shape{K, M} : Shape{M, K}, rng);
              FloatArray b = randomArray(tb ? Shape{N, K} : Shape{K, N}, rng);
              FloatArray bias = randomArray({N}, rng);
              SCOPED_TRACE(
                  "M " + std::to_string(M) + " K " + std::to_string(K) + " N " +
                  std::to_string(N) + (ta ? " transposeA" : "") +
                  (tb ? " transposeB" : "") + (withBias ? " bias" : ""));
              FloatArray out;
              std::string error;
              const FloatArray *bp = withBias ? &bias : nullptr;
              ASSERT_TRUE(matmul(a, b, ta, tb, out, error, bp)) << error;
              EXPECT_TRUE(matches(out, referenceMatmul(a, b, ta, tb, bp)));
            }
}

TEST(DnnlKernelsTest, MatmulEmptyInnerDimension) {
  FloatArray a({2, 0}), b({0, 3}), bias({3}, std::vector<float>{1, 2, 3});
  FloatArray out;
  std::string error;
  ASSERT_TRUE(matmul(a, b, false, false, out, error, &bias)) << error;
  EXPECT_EQ(out, FloatArray({2, 3}, std::vector<float>{1, 2, 3, 1, 2, 3}));
}

/// numpy.matmul by the definition: promote vectors, broadcast the batch
/// dimensions by explicit index arithmetic, drop the promoted dimensions.
Reference referenceBatchMatmul(const FloatArray &a, const FloatArray &b) {
  Shape as = a.shape, bs = b.shape;
  bool va = as.size() == 1, vb = bs.size() == 1;
  if (va)
    as.insert(as.begin(), 1);
  if (vb)
    bs.push_back(1);
  const int64_t M = as[as.size() - 2], K = as.back(), N = bs.back();
  size_t rank = std::max(as.size(), bs.size());
  as.insert(as.begin(), rank - as.size(), 1);
  bs.insert(bs.begin(), rank - bs.size(), 1);
  Shape batch(rank - 2);
  for (size_t i = 0; i + 2 < rank; ++i)
    batch[i] = std::max(as[i], bs[i]);
  Shape outShape = batch;
  outShape.push_back(M);
  outShape.push_back(N);
  Reference full(outShape);
  int64_t batches = 1;
  for (int64_t d : batch)
    batches *= d;
  for (int64_t bi = 0; bi < batches; ++bi) {
    // Offsets of this batch element in a and b, reading index 0 of a size-1
    // (broadcast) dimension.
    int64_t rem = bi, offA = 0, offB = 0, strideA = M * K, strideB = K * N;
    for (size_t d = batch.size(); d > 0; --d) {
      int64_t idx = rem % batch[d - 1];
      rem /= batch[d - 1];
      offA += (as[d - 1] == 1 ? 0 : idx) * strideA;
      offB += (bs[d - 1] == 1 ? 0 : idx) * strideB;
      strideA *= as[d - 1];
      strideB *= bs[d - 1];
    }
    for (int64_t i = 0; i < M; ++i)
      for (int64_t j = 0; j < N; ++j)
        for (int64_t k = 0; k < K; ++k)
          full.add(static_cast<size_t>((bi * M + i) * N + j),
                   double(a.data[offA + i * K + k]) * b.data[offB + k * N + j]);
  }
  Shape shape(batch);
  if (!va)
    shape.push_back(M);
  if (!vb)
    shape.push_back(N);
  full.shape = shape;
  return full;
}

TEST(DnnlKernelsTest, BatchMatmulBroadcasting) {
  std::mt19937 rng(17);
  const std::pair<Shape, Shape> cases[] = {{{3, 5, 7}, {7, 4}},
                                           {{5, 7}, {3, 7, 4}},
                                           {{2, 1, 3, 5}, {4, 5, 2}},
                                           {{3, 1, 4, 6}, {1, 2, 6, 5}},
                                           {{7}, {3, 7, 2}},
                                           {{3, 4, 7}, {7}},
                                           {{7}, {7}},
                                           {{1, 3, 4}, {3, 4, 2}},
                                           {{2, 3, 33, 17}, {2, 3, 17, 9}}};
  for (const auto &[sa, sb] : cases) {
    FloatArray a = randomArray(sa, rng), b = randomArray(sb, rng);
    SCOPED_TRACE(shapeString(sa) + " x " + shapeString(sb));
    FloatArray out;
    std::string error;
    ASSERT_TRUE(batchMatmul(a, b, out, error)) << error;
    EXPECT_TRUE(matches(out, referenceBatchMatmul(a, b)));
  }
}

} // namespace

//===- FloatKernelsTest.cpp - Float32 NHWC kernels ------------------------===//
//
// Each kernel is compared with a naive double-precision loop written here
// from the definition (explicit index arithmetic, no shared helpers).
//
//===----------------------------------------------------------------------===//

#include "vai/Simulator/FloatKernels.h"

#include <cmath>
#include <random>

#include "gtest/gtest.h"

using namespace vai;

namespace {

FloatArray randomArray(std::vector<int64_t> shape, std::mt19937 &rng) {
  FloatArray a(std::move(shape));
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  for (float &v : a.data)
    v = dist(rng);
  return a;
}

void expectNear(const FloatArray &actual, const FloatArray &expected,
                float tol = 1e-4f) {
  ASSERT_EQ(actual.shape, expected.shape);
  ASSERT_EQ(actual.data.size(), expected.data.size());
  for (size_t i = 0; i < actual.data.size(); ++i)
    ASSERT_NEAR(actual.data[i], expected.data[i], tol) << "at flat index " << i;
}

/// Grouped conv from the definition, with explicit strides, dilations and
/// pads (top, bottom, left, right).
FloatArray naiveConv(const FloatArray &x, const FloatArray &w, int64_t sh,
                     int64_t sw, int64_t dh, int64_t dw, int64_t pt, int64_t pb,
                     int64_t pl, int64_t pr, int64_t groups) {
  int64_t N = x.shape[0], H = x.shape[1], W = x.shape[2];
  int64_t KH = w.shape[0], KW = w.shape[1], ICg = w.shape[2], OC = w.shape[3];
  int64_t OH = (H + pt + pb - dh * (KH - 1) - 1) / sh + 1;
  int64_t OW = (W + pl + pr - dw * (KW - 1) - 1) / sw + 1;
  int64_t OCg = OC / groups;
  FloatArray y({N, OH, OW, OC});
  for (int64_t n = 0; n < N; ++n)
    for (int64_t oh = 0; oh < OH; ++oh)
      for (int64_t ow = 0; ow < OW; ++ow)
        for (int64_t oc = 0; oc < OC; ++oc) {
          double acc = 0;
          int64_t g = oc / OCg;
          for (int64_t ky = 0; ky < KH; ++ky)
            for (int64_t kx = 0; kx < KW; ++kx) {
              int64_t iy = oh * sh + ky * dh - pt, ix = ow * sw + kx * dw - pl;
              if (iy < 0 || iy >= H || ix < 0 || ix >= W)
                continue;
              for (int64_t ic = 0; ic < ICg; ++ic)
                acc += double(x.at({n, iy, ix, g * ICg + ic})) *
                       w.at({ky, kx, ic, oc});
            }
          y.at({n, oh, ow, oc}) = static_cast<float>(acc);
        }
  return y;
}

TEST(FloatKernelsTest, SamePaddingAndOutputSizes) {
  using P = std::pair<int64_t, int64_t>;
  EXPECT_EQ(computeSamePadding(224, 3, 2), P(0, 1));
  EXPECT_EQ(computeSamePadding(225, 3, 2), P(1, 1));
  EXPECT_EQ(computeSamePadding(5, 3, 1), P(1, 1));
  EXPECT_EQ(computeSamePadding(7, 4, 1), P(1, 2));
  EXPECT_EQ(computeSamePadding(10, 3, 1, 2), P(2, 2));
  EXPECT_EQ(computeSamePadding(2, 5, 3), P(1, 2));
  EXPECT_EQ(computeSamePadding(8, 1, 2), P(0, 0));
  EXPECT_EQ(computeSamePadding(4, 2, 2), P(0, 0));
  EXPECT_EQ(sameOutputSize(224, 2), 112);
  EXPECT_EQ(sameOutputSize(7, 2), 4);
  EXPECT_EQ(validOutputSize(7, 3, 2), 3);
  EXPECT_EQ(validOutputSize(10, 3, 1, 4), 2);
  EXPECT_EQ(validOutputSize(2, 3, 1), 0);
  EXPECT_EQ(convOutputSize(224, 3, 2, 1, 0, 1), 112);
  EXPECT_EQ(convOutputSize(10, 3, 1, 2, 0, 0), 6);
  EXPECT_EQ(convOutputSize(2, 5, 1, 1, 0, 0), 0);
  Pads2 p = computeSamePads2(224, 225, {3, 3}, {2, 2});
  EXPECT_EQ(p.top, 0);
  EXPECT_EQ(p.bottom, 1);
  EXPECT_EQ(p.left, 1);
  EXPECT_EQ(p.right, 1);
}

TEST(FloatKernelsTest, Conv2dSameStride2) {
  std::mt19937 rng(3);
  FloatArray x = randomArray({2, 11, 10, 3}, rng);
  FloatArray w = randomArray({3, 3, 3, 8}, rng);
  Conv2DAttrs attrs;
  attrs.strides = {2, 2};
  attrs.pads = computeSamePads2(11, 10, {3, 3}, attrs.strides);
  FloatArray y;
  std::string error;
  ASSERT_TRUE(conv2d(x, w, attrs, y, error)) << error;
  // TF SAME: output ceil(in / stride); 11 -> pad (1, 1), 10 -> pad (0, 1).
  EXPECT_EQ(y.shape, (std::vector<int64_t>{2, 6, 5, 8}));
  expectNear(y, naiveConv(x, w, 2, 2, 1, 1, 1, 1, 0, 1, 1));

  // An even kernel puts the odd padding pixel after (4x4 on 9x9, stride 1).
  FloatArray w4 = randomArray({4, 4, 3, 2}, rng);
  FloatArray x9 = randomArray({1, 9, 9, 3}, rng);
  attrs.strides = {1, 1};
  attrs.pads = computeSamePads2(9, 9, {4, 4}, attrs.strides);
  ASSERT_TRUE(conv2d(x9, w4, attrs, y, error)) << error;
  EXPECT_EQ(y.shape, (std::vector<int64_t>{1, 9, 9, 2}));
  expectNear(y, naiveConv(x9, w4, 1, 1, 1, 1, 1, 2, 1, 2, 1));
}

TEST(FloatKernelsTest, Conv2dDilationsAndGroups) {
  std::mt19937 rng(4);
  FloatArray x = randomArray({1, 12, 13, 6}, rng);
  FloatArray w = randomArray({3, 2, 2, 9}, rng);
  Conv2DAttrs attrs;
  attrs.dilations = {2, 3};
  attrs.strides = {1, 2};
  attrs.pads = {2, 1, 0, 3};
  attrs.groups = 3;
  FloatArray y;
  std::string error;
  ASSERT_TRUE(conv2d(x, w, attrs, y, error)) << error;
  expectNear(y, naiveConv(x, w, 1, 2, 2, 3, 2, 1, 0, 3, 3));

  // Mismatched channels are reported, not computed.
  attrs.groups = 1;
  EXPECT_FALSE(conv2d(x, w, attrs, y, error));
  EXPECT_NE(error.find("input channels 6 do not match filter input channels 2"),
            std::string::npos)
      << error;
}

TEST(FloatKernelsTest, DepthwiseConv2d) {
  std::mt19937 rng(5);
  FloatArray x = randomArray({2, 8, 7, 4}, rng);
  for (int64_t mult : {1, 3}) {
    FloatArray w = randomArray({3, 3, 4, mult}, rng);
    Conv2DAttrs attrs;
    attrs.strides = {2, 1};
    attrs.pads = {1, 1, 1, 1};
    FloatArray y;
    std::string error;
    ASSERT_TRUE(depthwiseConv2d(x, w, attrs, y, error)) << error;
    // Output channel c*M + m reads input channel c only.
    FloatArray expected({2, 4, 7, 4 * mult});
    for (int64_t n = 0; n < 2; ++n)
      for (int64_t oh = 0; oh < 4; ++oh)
        for (int64_t ow = 0; ow < 7; ++ow)
          for (int64_t c = 0; c < 4; ++c)
            for (int64_t m = 0; m < mult; ++m) {
              double acc = 0;
              for (int64_t ky = 0; ky < 3; ++ky)
                for (int64_t kx = 0; kx < 3; ++kx) {
                  int64_t iy = oh * 2 + ky - 1, ix = ow + kx - 1;
                  if (iy >= 0 && iy < 8 && ix >= 0 && ix < 7)
                    acc += double(x.at({n, iy, ix, c})) * w.at({ky, kx, c, m});
                }
              expected.at({n, oh, ow, c * mult + m}) = float(acc);
            }
    expectNear(y, expected);
  }
}

TEST(FloatKernelsTest, Pools) {
  FloatArray x({1, 3, 3, 1},
               std::vector<float>{-1, -2, -3, -4, -5, -6, -7, -8, -9});
  Pool2DAttrs attrs;
  attrs.kernel = {2, 2};
  attrs.pads = computeSamePads2(3, 3, attrs.kernel, attrs.strides);
  FloatArray y;
  std::string error;
  ASSERT_TRUE(maxPool(x, attrs, y, error)) << error;
  // The padding (bottom/right) never wins, even against negative values.
  EXPECT_EQ(y.data, (std::vector<float>{-1, -2, -3, -4, -5, -6, -7, -8, -9}));

  ASSERT_TRUE(avgPool(x, attrs, y, error)) << error;
  // TF: divide by the valid elements only.
  EXPECT_EQ(y.data, (std::vector<float>{-3, -4, -4.5f, -6, -7, -7.5f, -7.5f,
                                        -8.5f, -9}));
  attrs.countIncludePad = true;
  ASSERT_TRUE(avgPool(x, attrs, y, error)) << error;
  EXPECT_EQ(y.data, (std::vector<float>{-3, -4, -2.25f, -6, -7, -3.75f, -3.75f,
                                        -4.25f, -2.25f}));

  // Strided 3x3 max over a random multi-channel map.
  std::mt19937 rng(6);
  FloatArray r = randomArray({2, 7, 8, 5}, rng);
  Pool2DAttrs p3;
  p3.kernel = {3, 3};
  p3.strides = {2, 2};
  ASSERT_TRUE(maxPool(r, p3, y, error)) << error;
  ASSERT_EQ(y.shape, (std::vector<int64_t>{2, 3, 3, 5}));
  for (int64_t n = 0; n < 2; ++n)
    for (int64_t oh = 0; oh < 3; ++oh)
      for (int64_t ow = 0; ow < 3; ++ow)
        for (int64_t c = 0; c < 5; ++c) {
          float m = -INFINITY;
          for (int64_t ky = 0; ky < 3; ++ky)
            for (int64_t kx = 0; kx < 3; ++kx)
              m = std::max(m, r.at({n, oh * 2 + ky, ow * 2 + kx, c}));
          EXPECT_EQ(y.at({n, oh, ow, c}), m);
        }

  attrs.pads = {2, 0, 0, 0};
  EXPECT_FALSE(maxPool(x, attrs, y, error));
  EXPECT_NE(error.find("padding must be smaller than the kernel"),
            std::string::npos);
}

TEST(FloatKernelsTest, MatmulWithTransposes) {
  std::mt19937 rng(8);
  const int64_t M = 4, K = 6, N = 3;
  FloatArray a = randomArray({M, K}, rng), b = randomArray({K, N}, rng);
  FloatArray expected({M, N});
  for (int64_t i = 0; i < M; ++i)
    for (int64_t j = 0; j < N; ++j) {
      double acc = 0;
      for (int64_t k = 0; k < K; ++k)
        acc += double(a.at({i, k})) * b.at({k, j});
      expected.at({i, j}) = float(acc);
    }
  FloatArray at({K, M}), bt({N, K});
  for (int64_t i = 0; i < M; ++i)
    for (int64_t k = 0; k < K; ++k)
      at.at({k, i}) = a.at({i, k});
  for (int64_t k = 0; k < K; ++k)
    for (int64_t j = 0; j < N; ++j)
      bt.at({j, k}) = b.at({k, j});
  FloatArray y;
  std::string error;
  ASSERT_TRUE(matmul(a, b, false, false, y, error)) << error;
  expectNear(y, expected, 1e-5f);
  ASSERT_TRUE(matmul(at, b, true, false, y, error)) << error;
  expectNear(y, expected, 1e-5f);
  ASSERT_TRUE(matmul(a, bt, false, true, y, error)) << error;
  expectNear(y, expected, 1e-5f);
  ASSERT_TRUE(matmul(at, bt, true, true, y, error)) << error;
  expectNear(y, expected, 1e-5f);
  EXPECT_FALSE(matmul(a, a, false, false, y, error));
  EXPECT_NE(error.find("inner dimensions differ"), std::string::npos);
}

TEST(FloatKernelsTest, BatchNormBiasAndActivations) {
  FloatArray x({1, 1, 2, 2}, std::vector<float>{1, 2, 3, 4});
  FloatArray scale({2}, std::vector<float>{2, 0.5f});
  FloatArray offset({2}, std::vector<float>{1, -1});
  FloatArray mean({2}, std::vector<float>{1, 2});
  FloatArray var({2}, std::vector<float>{3.99f, 0.24f});
  FloatArray y;
  std::string error;
  ASSERT_TRUE(batchNormInference(x, scale, offset, mean, var, 0.01f, y, error))
      << error;
  // Channel 0: (x - 1) * 2 / 2 + 1; channel 1: (x - 2) * 0.5 / 0.5 - 1.
  expectNear(y, FloatArray({1, 1, 2, 2}, std::vector<float>{1, -1, 3, 1}),
             1e-5f);
  FloatArray shortVec({3});
  EXPECT_FALSE(
      batchNormInference(x, shortVec, offset, mean, var, 0.01f, y, error));
  EXPECT_NE(error.find("scale must have shape [2]"), std::string::npos);

  FloatArray bias({2}, std::vector<float>{10, -10});
  ASSERT_TRUE(biasAdd(x, bias, y, error)) << error;
  EXPECT_EQ(y.data, (std::vector<float>{11, -8, 13, -6}));

  FloatArray z({5}, std::vector<float>{-3, -0.5f, 0, 4, 7});
  EXPECT_EQ(relu(z).data, (std::vector<float>{0, 0, 0, 4, 7}));
  EXPECT_EQ(relu6(z).data, (std::vector<float>{0, 0, 0, 4, 6}));
  EXPECT_EQ(leakyRelu(z, 0.1f).data,
            (std::vector<float>{-0.3f, -0.05f, 0, 4, 7}));
}

TEST(FloatKernelsTest, AddBroadcastAndMeanReduce) {
  FloatArray a({2, 3}, std::vector<float>{1, 2, 3, 4, 5, 6});
  FloatArray b({2, 3}, std::vector<float>{10, 20, 30, 40, 50, 60});
  FloatArray c({3}, std::vector<float>{100, 200, 300});
  FloatArray col({2, 1}, std::vector<float>{-1, -2});
  FloatArray y;
  std::string error;
  ASSERT_TRUE(add(a, b, y, error)) << error;
  EXPECT_EQ(y.data, (std::vector<float>{11, 22, 33, 44, 55, 66}));
  ASSERT_TRUE(add(a, c, y, error)) << error;
  EXPECT_EQ(y.data, (std::vector<float>{101, 202, 303, 104, 205, 306}));
  ASSERT_TRUE(add(c, a, y, error)) << error;
  EXPECT_EQ(y.data, (std::vector<float>{101, 202, 303, 104, 205, 306}));
  ASSERT_TRUE(add(col, c, y, error)) << error;
  EXPECT_EQ(y.shape, (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(y.data, (std::vector<float>{99, 199, 299, 98, 198, 298}));
  ASSERT_TRUE(mul(a, col, y, error)) << error;
  EXPECT_EQ(y.data, (std::vector<float>{-1, -2, -3, -8, -10, -12}));
  FloatArray bad({2});
  EXPECT_FALSE(add(a, bad, y, error));
  EXPECT_NE(error.find("cannot be broadcast"), std::string::npos);

  // Global average pool as Mean over H and W.
  FloatArray x({2, 2, 3, 2});
  for (size_t i = 0; i < x.data.size(); ++i)
    x.data[i] = static_cast<float>(i);
  ASSERT_TRUE(meanReduce(x, {1, 2}, true, y, error)) << error;
  EXPECT_EQ(y.shape, (std::vector<int64_t>{2, 1, 1, 2}));
  EXPECT_EQ(y.data, (std::vector<float>{5, 6, 17, 18}));
  ASSERT_TRUE(meanReduce(x, {-1}, false, y, error)) << error;
  EXPECT_EQ(y.shape, (std::vector<int64_t>{2, 2, 3}));
  EXPECT_FLOAT_EQ(y.data[0], 0.5f);
  EXPECT_FLOAT_EQ(y.data[11], 22.5f);
  ASSERT_TRUE(meanReduce(x, {}, false, y, error)) << error;
  EXPECT_EQ(y.rank(), 0u);
  EXPECT_FLOAT_EQ(y.data[0], 11.5f);
  EXPECT_FALSE(meanReduce(x, {4}, false, y, error));
  EXPECT_FALSE(meanReduce(x, {1, -3}, false, y, error));
  EXPECT_NE(error.find("repeated"), std::string::npos);
}

} // namespace

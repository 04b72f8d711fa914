//===- FloatKernels2Test.cpp - Float32 kernels for ONNX and TF ops --------===//
//
// The rank-general kernels the ONNX and TF importers need. References are
// either values from the ONNX operator documentation (docs/Operators.md
// examples, NCHW with N = C = 1 so that they read the same in NHWC), values
// worked out by hand from the definition, or naive loops written here with
// explicit index arithmetic (no helper shared with the kernels).
//
//===----------------------------------------------------------------------===//

#include "vai/Simulator/FloatKernels.h"

#include <cmath>
#include <limits>
#include <random>

#include "gtest/gtest.h"

using namespace vai;

namespace {

using Shape = std::vector<int64_t>;
using Values = std::vector<float>;

FloatArray randomArray(Shape shape, std::mt19937 &rng, float lo = -1.0f,
                       float hi = 1.0f) {
  FloatArray a(std::move(shape));
  std::uniform_real_distribution<float> dist(lo, hi);
  for (float &v : a.data)
    v = dist(rng);
  return a;
}

FloatArray iota(Shape shape, float start = 0.0f) {
  FloatArray a(std::move(shape));
  for (size_t i = 0; i < a.data.size(); ++i)
    a.data[i] = start + static_cast<float>(i);
  return a;
}

void expectNear(const FloatArray &actual, const FloatArray &expected,
                float tol = 1e-5f) {
  ASSERT_EQ(actual.shape, expected.shape);
  ASSERT_EQ(actual.data.size(), expected.data.size());
  for (size_t i = 0; i < actual.data.size(); ++i)
    ASSERT_NEAR(actual.data[i], expected.data[i], tol) << "at flat index " << i;
}

/// Multi-index of flat offset `i` in `shape`.
Shape unflat(const Shape &shape, int64_t i) {
  Shape index(shape.size());
  for (size_t d = shape.size(); d > 0; --d) {
    index[d - 1] = i % shape[d - 1];
    i /= shape[d - 1];
  }
  return index;
}

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

TEST(FloatKernelsOnnxTest, UnaryOps) {
  const Values v = {-3, -1, -0.5f, 0, 0.5f, 1, 3};
  FloatArray x({7}, v);
  auto check = [&](const FloatArray &y, double (*f)(double)) {
    ASSERT_EQ(y.shape, x.shape);
    for (size_t i = 0; i < v.size(); ++i)
      EXPECT_NEAR(y.data[i], f(v[i]), 1e-6) << "x = " << v[i];
  };
  check(sigmoid(x), [](double a) { return 1 / (1 + std::exp(-a)); });
  check(vai::tanh(x), [](double a) { return std::tanh(a); });
  check(vai::exp(x), [](double a) { return std::exp(a); });
  check(neg(x), [](double a) { return -a; });
  check(vai::abs(x), [](double a) { return a < 0 ? -a : a; });
  check(swish(x), [](double a) { return a / (1 + std::exp(-a)); });
  FloatArray pos({4}, Values{0.25f, 1, 4, 9});
  EXPECT_EQ(vai::sqrt(pos).data, (Values{0.5f, 1, 2, 3}));
  Values logs = vai::log(pos).data;
  EXPECT_NEAR(logs[0], std::log(0.25), 1e-6);
  EXPECT_EQ(logs[1], 0.0f);
  EXPECT_NEAR(logs[3], std::log(9.0), 1e-6);
  // log(0) = -inf, sqrt(-1) = NaN, as in NumPy.
  EXPECT_EQ(vai::log(FloatArray({1}, Values{0})).data[0], -INFINITY);
  EXPECT_TRUE(std::isnan(vai::sqrt(FloatArray({1}, Values{-1})).data[0]));

  // ONNX examples: hardsigmoid (alpha 0.5, beta 0.6), elu (alpha 2),
  // softplus.
  FloatArray m({3}, Values{-1, 0, 1});
  expectNear(hardSigmoid(m, 0.5f, 0.6f),
             FloatArray({3}, Values{0.1f, 0.6f, 1}));
  // Defaults 0.2 and 0.5; saturation at both ends.
  expectNear(hardSigmoid(FloatArray({3}, Values{-5, 1, 5})),
             FloatArray({3}, Values{0, 0.7f, 1}));
  expectNear(elu(m, 2.0f), FloatArray({3}, Values{-1.2642411f, 0, 1}));
  expectNear(elu(m), FloatArray({3}, Values{-0.63212056f, 0, 1}));
  expectNear(softplus(m),
             FloatArray({3}, Values{0.31326166f, 0.69314718f, 1.31326163f}));
  // No overflow of exp(x) for large x.
  Values big = softplus(FloatArray({2}, Values{100, -100})).data;
  EXPECT_EQ(big[0], 100.0f);
  EXPECT_NEAR(big[1], 0.0f, 1e-30f);

  // x * max(0, min(1, x / 6 + 0.5)): 0 below -3, x above 3.
  expectNear(hardSwish(FloatArray({7}, Values{-4, -3, -1, 0, 1, 3, 4})),
             FloatArray({7}, Values{0, 0, -1.0f / 3, 0, 2.0f / 3, 3, 4}));

  // ONNX clip examples: both bounds, one bound, min > max gives max.
  FloatArray c({3}, Values{-2, 0, 2});
  EXPECT_EQ(clip(c, -1, 1).data, (Values{-1, 0, 1}));
  EXPECT_EQ(clip(c, 0).data, (Values{0, 0, 2}));
  EXPECT_EQ(clip(c, -INFINITY, 1).data, (Values{-2, 0, 1}));
  EXPECT_EQ(clip(c).data, c.data);
  EXPECT_EQ(clip(c, 2, 1).data, (Values{1, 1, 1}));

  // Shapes, including rank 0, pass through.
  FloatArray s({}, Values{-2});
  EXPECT_EQ(neg(s).shape, Shape{});
  EXPECT_EQ(neg(s).data, Values{2});
  EXPECT_EQ(relu(FloatArray({2, 1}, Values{-1, 1})).shape, (Shape{2, 1}));
}

TEST(FloatKernelsOnnxTest, BinaryOpsBroadcast) {
  std::mt19937 rng(11);
  // [2,1,3] against [4,1] -> [2,4,3]: both operands are broadcast.
  FloatArray a = randomArray({2, 1, 3}, rng, 0.5f, 2.0f);
  FloatArray b = randomArray({4, 1}, rng, -2.0f, 2.0f);
  using Kernel = bool (*)(const FloatArray &, const FloatArray &, FloatArray &,
                          std::string &);
  struct Case {
    Kernel kernel;
    double (*ref)(double, double);
  };
  const Case cases[] = {
      {add, [](double p, double q) { return p + q; }},
      {sub, [](double p, double q) { return p - q; }},
      {mul, [](double p, double q) { return p * q; }},
      {vai::div, [](double p, double q) { return p / q; }},
      {maximum, [](double p, double q) { return p > q ? p : q; }},
      {minimum, [](double p, double q) { return p < q ? p : q; }},
      {vai::pow, [](double p, double q) { return std::pow(p, q); }},
  };
  for (const Case &c : cases) {
    FloatArray y;
    std::string error;
    ASSERT_TRUE(c.kernel(a, b, y, error)) << error;
    ASSERT_EQ(y.shape, (Shape{2, 4, 3}));
    for (int64_t i = 0; i < 2; ++i)
      for (int64_t j = 0; j < 4; ++j)
        for (int64_t k = 0; k < 3; ++k)
          EXPECT_NEAR(y.at({i, j, k}), c.ref(a.at({i, 0, k}), b.at({j, 0})),
                      1e-5);
  }

  FloatArray y;
  std::string error;
  // A rank-0 operand broadcasts everywhere, on either side.
  FloatArray two({}, Values{2});
  FloatArray v({3}, Values{1, 2, 3});
  ASSERT_TRUE(sub(two, v, y, error)) << error;
  EXPECT_EQ(y.data, (Values{1, 0, -1}));
  ASSERT_TRUE(vai::pow(v, two, y, error)) << error;
  EXPECT_EQ(y.data, (Values{1, 4, 9}));
  ASSERT_TRUE(vai::div(v, two, y, error)) << error;
  EXPECT_EQ(y.data, (Values{0.5f, 1, 1.5f}));

  // NaN propagates through maximum and minimum (NumPy).
  FloatArray n({2}, Values{NAN, 1});
  FloatArray z({2}, Values{0, NAN});
  ASSERT_TRUE(maximum(n, z, y, error)) << error;
  EXPECT_TRUE(std::isnan(y.data[0]) && std::isnan(y.data[1]));
  ASSERT_TRUE(minimum(z, n, y, error)) << error;
  EXPECT_TRUE(std::isnan(y.data[0]) && std::isnan(y.data[1]));

  EXPECT_FALSE(sub(a, FloatArray({2}), y, error));
  EXPECT_NE(error.find("sub: shapes [2,1,3] and [2] cannot be broadcast"),
            std::string::npos)
      << error;
}

TEST(FloatKernelsOnnxTest, PRelu) {
  std::mt19937 rng(12);
  // ONNX prelu_broadcast: x [3,4,5], slope [5].
  FloatArray x = randomArray({3, 4, 5}, rng);
  FloatArray slope = randomArray({5}, rng);
  FloatArray y;
  std::string error;
  ASSERT_TRUE(prelu(x, slope, y, error)) << error;
  ASSERT_EQ(y.shape, x.shape);
  for (int64_t i = 0; i < 3; ++i)
    for (int64_t j = 0; j < 4; ++j)
      for (int64_t k = 0; k < 5; ++k) {
        float v = x.at({i, j, k});
        EXPECT_FLOAT_EQ(y.at({i, j, k}), v < 0 ? slope.at({k}) * v : v);
      }
  // A slope per middle dimension ([4,1]), and one of x's own shape.
  FloatArray mid = randomArray({4, 1}, rng);
  ASSERT_TRUE(prelu(x, mid, y, error)) << error;
  for (int64_t i = 0; i < 3; ++i)
    for (int64_t j = 0; j < 4; ++j)
      for (int64_t k = 0; k < 5; ++k) {
        float v = x.at({i, j, k});
        EXPECT_FLOAT_EQ(y.at({i, j, k}), v < 0 ? mid.at({j, 0}) * v : v);
      }
  ASSERT_TRUE(prelu(x, x, y, error)) << error;
  EXPECT_FLOAT_EQ(y.data[0], x.data[0] < 0 ? x.data[0] * x.data[0] : x.data[0]);

  // Unidirectional: the slope may not grow x.
  EXPECT_FALSE(prelu(x, FloatArray({2, 3, 4, 5}), y, error));
  EXPECT_NE(error.find("does not broadcast to the input shape [3,4,5]"),
            std::string::npos)
      << error;
  EXPECT_FALSE(prelu(x, FloatArray({4}), y, error));
}

//===----------------------------------------------------------------------===//
// Softmax
//===----------------------------------------------------------------------===//

/// Softmax of x over the flat elements {base + k * step : k < len}.
void naiveSoftmax(const FloatArray &x, int64_t base, int64_t step, int64_t len,
                  std::vector<double> &out) {
  double m = -INFINITY, sum = 0;
  for (int64_t k = 0; k < len; ++k)
    m = std::max(m, double(x.data[base + k * step]));
  for (int64_t k = 0; k < len; ++k)
    sum += std::exp(x.data[base + k * step] - m);
  for (int64_t k = 0; k < len; ++k)
    out[base + k * step] = std::exp(x.data[base + k * step] - m) / sum;
}

TEST(FloatKernelsOnnxTest, Softmax) {
  FloatArray y;
  std::string error;
  // ONNX softmax_example.
  FloatArray e({1, 3}, Values{-1, 0, 1});
  ASSERT_TRUE(softmax(e, -1, false, y, error)) << error;
  expectNear(y,
             FloatArray({1, 3}, Values{0.09003058f, 0.24472848f, 0.66524094f}));
  // Large inputs do not overflow.
  ASSERT_TRUE(softmax(FloatArray({2}, Values{1000, 1001}), 0, false, y, error));
  EXPECT_NEAR(y.data[0], 0.26894142f, 1e-6f);
  EXPECT_NEAR(y.data[1], 0.73105858f, 1e-6f);

  std::mt19937 rng(13);
  const Shape shape = {2, 3, 4};
  FloatArray x = randomArray(shape, rng, -3, 3);
  const int64_t strides[] = {12, 4, 1};
  for (int64_t axis = -3; axis < 3; ++axis) {
    int64_t a = axis < 0 ? axis + 3 : axis;
    std::vector<double> ref(x.data.size());
    for (int64_t i = 0; i < 24; ++i)
      if (unflat(shape, i)[a] == 0)
        naiveSoftmax(x, i, strides[a], shape[a], ref);
    ASSERT_TRUE(softmax(x, axis, false, y, error)) << error;
    ASSERT_EQ(y.shape, shape);
    for (size_t i = 0; i < ref.size(); ++i)
      EXPECT_NEAR(y.data[i], ref[i], 1e-6) << "axis " << axis << " at " << i;
    ASSERT_TRUE(logSoftmax(x, axis, false, y, error)) << error;
    for (size_t i = 0; i < ref.size(); ++i)
      EXPECT_NEAR(y.data[i], std::log(ref[i]), 1e-5)
          << "axis " << axis << " at " << i;
  }

  // Opset < 13: axis 1 of [2,3,4] normalizes each batch's 12 values at once.
  std::vector<double> ref(x.data.size());
  naiveSoftmax(x, 0, 1, 12, ref);
  naiveSoftmax(x, 12, 1, 12, ref);
  ASSERT_TRUE(softmax(x, 1, true, y, error)) << error;
  for (size_t i = 0; i < ref.size(); ++i)
    EXPECT_NEAR(y.data[i], ref[i], 1e-6);
  ASSERT_TRUE(logSoftmax(x, -2, true, y, error)) << error;
  for (size_t i = 0; i < ref.size(); ++i)
    EXPECT_NEAR(y.data[i], std::log(ref[i]), 1e-5);
  // Axis 0 flattens everything into one row.
  ASSERT_TRUE(softmax(x, 0, true, y, error)) << error;
  double total = 0;
  for (float v : y.data)
    total += v;
  EXPECT_NEAR(total, 1.0, 1e-5);

  EXPECT_FALSE(softmax(x, 3, false, y, error));
  EXPECT_NE(error.find("softmax: axis 3 is out of range for rank 3"),
            std::string::npos)
      << error;
  EXPECT_FALSE(logSoftmax(FloatArray({}, Values{1}), 0, false, y, error));
}

//===----------------------------------------------------------------------===//
// Layout
//===----------------------------------------------------------------------===//

TEST(FloatKernelsOnnxTest, Transpose) {
  FloatArray x = iota({2, 3, 4, 5});
  FloatArray y;
  std::string error;
  ASSERT_TRUE(transpose(x, {0, 3, 1, 2}, y, error)) << error;
  ASSERT_EQ(y.shape, (Shape{2, 5, 3, 4}));
  for (int64_t n = 0; n < 2; ++n)
    for (int64_t c = 0; c < 5; ++c)
      for (int64_t h = 0; h < 3; ++h)
        for (int64_t w = 0; w < 4; ++w)
          EXPECT_EQ(y.at({n, c, h, w}), x.at({n, h, w, c}));
  // Empty perm reverses (ONNX default).
  ASSERT_TRUE(transpose(x, {}, y, error)) << error;
  ASSERT_EQ(y.shape, (Shape{5, 4, 3, 2}));
  EXPECT_EQ(y.at({4, 3, 2, 1}), x.at({1, 2, 3, 4}));
  EXPECT_EQ(y.at({1, 0, 2, 0}), x.at({0, 2, 0, 1}));
  // 2-D and rank 0.
  ASSERT_TRUE(transpose(FloatArray({2, 3}, Values{1, 2, 3, 4, 5, 6}), {1, 0}, y,
                        error));
  EXPECT_EQ(y.data, (Values{1, 4, 2, 5, 3, 6}));
  ASSERT_TRUE(transpose(FloatArray({}, Values{7}), {}, y, error)) << error;
  EXPECT_EQ(y.data, Values{7});

  for (const Shape &bad : {Shape{0, 1, 2}, Shape{0, 1, 2, 2}, Shape{0, 1, 2, 4},
                           Shape{0, 1, 2, -1}}) {
    EXPECT_FALSE(transpose(x, bad, y, error));
    EXPECT_NE(error.find("is not a permutation"), std::string::npos) << error;
  }
}

TEST(FloatKernelsOnnxTest, Concat) {
  FloatArray a = iota({2, 1, 3}, 0), b = iota({2, 2, 3}, 100);
  FloatArray empty({2, 0, 3});
  FloatArray y;
  std::string error;
  ASSERT_TRUE(concat({&a, &b, &empty}, -2, y, error)) << error;
  ASSERT_EQ(y.shape, (Shape{2, 3, 3}));
  for (int64_t n = 0; n < 2; ++n)
    for (int64_t k = 0; k < 3; ++k) {
      EXPECT_EQ(y.at({n, 0, k}), a.at({n, 0, k}));
      EXPECT_EQ(y.at({n, 1, k}), b.at({n, 0, k}));
      EXPECT_EQ(y.at({n, 2, k}), b.at({n, 1, k}));
    }
  // Axis 0 appends, the last axis interleaves rows.
  FloatArray c = iota({1, 2}, 10), d = iota({1, 2}, 20);
  ASSERT_TRUE(concat({&c, &d}, 0, y, error)) << error;
  EXPECT_EQ(y.shape, (Shape{2, 2}));
  EXPECT_EQ(y.data, (Values{10, 11, 20, 21}));
  ASSERT_TRUE(concat({&c, &d, &c}, 1, y, error)) << error;
  EXPECT_EQ(y.shape, (Shape{1, 6}));
  EXPECT_EQ(y.data, (Values{10, 11, 20, 21, 10, 11}));
  ASSERT_TRUE(concat({&a}, 2, y, error)) << error;
  EXPECT_EQ(y, a);

  EXPECT_FALSE(concat({&a, &b}, 0, y, error));
  EXPECT_NE(error.find("differ off axis 0"), std::string::npos) << error;
  EXPECT_FALSE(concat({&a, &c}, 1, y, error));
  EXPECT_FALSE(concat({&a, &b}, 3, y, error));
  EXPECT_NE(error.find("axis 3 is out of range for rank 3"), std::string::npos);
  EXPECT_FALSE(concat({}, 0, y, error));
}

TEST(FloatKernelsOnnxTest, PadOnnxExamples) {
  // The four examples of the ONNX Pad documentation.
  FloatArray x({3, 2}, Values{1.0f, 1.2f, 2.3f, 3.4f, 4.5f, 5.7f});
  FloatArray y;
  std::string error;
  ASSERT_TRUE(pad(x, {0, 2, 0, 0}, PadMode::Constant, 0, y, error)) << error;
  EXPECT_EQ(y, FloatArray({3, 4}, Values{0, 0, 1.0f, 1.2f, 0, 0, 2.3f, 3.4f, 0,
                                         0, 4.5f, 5.7f}));
  ASSERT_TRUE(pad(x, {0, 2, 0, 0}, PadMode::Reflect, 0, y, error)) << error;
  EXPECT_EQ(y, FloatArray({3, 4}, Values{1.0f, 1.2f, 1.0f, 1.2f, 2.3f, 3.4f,
                                         2.3f, 3.4f, 4.5f, 5.7f, 4.5f, 5.7f}));
  ASSERT_TRUE(pad(x, {0, 2, 0, 0}, PadMode::Edge, 0, y, error)) << error;
  EXPECT_EQ(y, FloatArray({3, 4}, Values{1.0f, 1.0f, 1.0f, 1.2f, 2.3f, 2.3f,
                                         2.3f, 3.4f, 4.5f, 4.5f, 4.5f, 5.7f}));
  ASSERT_TRUE(pad(x, {2, 1, 1, 1}, PadMode::Wrap, 0, y, error)) << error;
  EXPECT_EQ(y, FloatArray({6, 4}, Values{3.4f, 2.3f, 3.4f, 2.3f, 5.7f, 4.5f,
                                         5.7f, 4.5f, 1.2f, 1.0f, 1.2f, 1.0f,
                                         3.4f, 2.3f, 3.4f, 2.3f, 5.7f, 4.5f,
                                         5.7f, 4.5f, 1.2f, 1.0f, 1.2f, 1.0f}));
}

TEST(FloatKernelsOnnxTest, PadModesAndCrops) {
  FloatArray y;
  std::string error;
  FloatArray v({3}, Values{1, 2, 3});
  // Reflect does not repeat the edge, and keeps mirroring past the length
  // (NumPy's np.pad([1, 2, 3], 5, 'reflect')).
  ASSERT_TRUE(pad(v, {5, 5}, PadMode::Reflect, 0, y, error)) << error;
  EXPECT_EQ(y.data, (Values{2, 1, 2, 3, 2, 1, 2, 3, 2, 1, 2, 3, 2}));
  ASSERT_TRUE(pad(v, {2, 3}, PadMode::Edge, 0, y, error)) << error;
  EXPECT_EQ(y.data, (Values{1, 1, 1, 2, 3, 3, 3, 3}));
  ASSERT_TRUE(pad(v, {4, 4}, PadMode::Wrap, 0, y, error)) << error;
  EXPECT_EQ(y.data, (Values{3, 1, 2, 3, 1, 2, 3, 1, 2, 3, 1}));
  ASSERT_TRUE(pad(v, {1, 2}, PadMode::Constant, -7.5f, y, error)) << error;
  EXPECT_EQ(y.data, (Values{-7.5f, 1, 2, 3, -7.5f, -7.5f}));
  // A length-1 dimension reflects onto itself.
  ASSERT_TRUE(
      pad(FloatArray({1}, Values{4}), {2, 1}, PadMode::Reflect, 0, y, error));
  EXPECT_EQ(y.data, (Values{4, 4, 4, 4}));

  // Negative pads crop; the crop comes first, so reflect mirrors the cropped
  // row ([b c d] -> [b c d c b], not [b c d c b a]).
  FloatArray r({4}, Values{10, 11, 12, 13});
  ASSERT_TRUE(pad(r, {-1, 2}, PadMode::Reflect, 0, y, error)) << error;
  EXPECT_EQ(y.data, (Values{11, 12, 13, 12, 11}));
  ASSERT_TRUE(pad(r, {-2, 2}, PadMode::Reflect, 0, y, error)) << error;
  EXPECT_EQ(y.data, (Values{12, 13, 12, 13}));
  ASSERT_TRUE(pad(r, {2, -3}, PadMode::Edge, 0, y, error)) << error;
  EXPECT_EQ(y.data, (Values{10, 10, 10}));
  ASSERT_TRUE(pad(r, {-4, 0}, PadMode::Constant, 0, y, error)) << error;
  EXPECT_EQ(y.shape, Shape{0});

  // Rank 3, every dimension padded or cropped, against a naive loop.
  FloatArray x = iota({2, 3, 4});
  const Shape pads = {1, -1, 2, 0, 2, -1};
  for (PadMode mode : {PadMode::Constant, PadMode::Edge}) {
    ASSERT_TRUE(pad(x, pads, mode, 9, y, error)) << error;
    ASSERT_EQ(y.shape, (Shape{3, 4, 5}));
    for (int64_t i = 0; i < 3; ++i)
      for (int64_t j = 0; j < 4; ++j)
        for (int64_t k = 0; k < 5; ++k) {
          // Source in the cropped input (dim 1 starts at 1, dim 2 ends at 3).
          int64_t si = i - 1, sj = j + 1, sk = k - 2;
          bool inside = si >= 0 && si < 2 && sj < 3 && sk >= 0 && sk < 3;
          float expected;
          if (mode == PadMode::Constant)
            expected = inside ? x.at({si, sj, sk}) : 9.0f;
          else
            expected = x.at({std::min<int64_t>(std::max<int64_t>(si, 0), 1),
                             std::min<int64_t>(sj, 2),
                             std::min<int64_t>(std::max<int64_t>(sk, 0), 2)});
          EXPECT_EQ(y.at({i, j, k}), expected) << i << "," << j << "," << k;
        }
  }

  EXPECT_FALSE(pad(x, {1, 1, 1}, PadMode::Constant, 0, y, error));
  EXPECT_NE(error.find("pads must have 2 x rank = 6 entries, got 3"),
            std::string::npos)
      << error;
  EXPECT_FALSE(pad(r, {-3, -2}, PadMode::Constant, 0, y, error));
  EXPECT_NE(error.find("crop more than dimension 0"), std::string::npos);
  EXPECT_FALSE(pad(r, {-4, 1}, PadMode::Reflect, 0, y, error));
  EXPECT_NE(error.find("only constant padding"), std::string::npos);
}

TEST(FloatKernelsOnnxTest, DepthToSpace) {
  // The ONNX examples: (1, 8, 2, 3) NCHW, blocksize 2.
  FloatArray x({1, 8, 2, 3});
  for (int64_t c = 0; c < 8; ++c)
    for (int64_t i = 0; i < 6; ++i)
      x.data[c * 6 + i] = static_cast<float>(c * 9 + (i / 3) * 3 + i % 3);
  FloatArray y;
  std::string error;
  ASSERT_TRUE(depthToSpace(x, 2, DepthToSpaceMode::DCR, true, y, error))
      << error;
  EXPECT_EQ(y,
            FloatArray({1, 2, 4, 6},
                       Values{0,  18, 1,  19, 2,  20, 36, 54, 37, 55, 38, 56,
                              3,  21, 4,  22, 5,  23, 39, 57, 40, 58, 41, 59,
                              9,  27, 10, 28, 11, 29, 45, 63, 46, 64, 47, 65,
                              12, 30, 13, 31, 14, 32, 48, 66, 49, 67, 50, 68}));
  ASSERT_TRUE(depthToSpace(x, 2, DepthToSpaceMode::CRD, true, y, error))
      << error;
  EXPECT_EQ(y,
            FloatArray({1, 2, 4, 6},
                       Values{0,  9,  1,  10, 2,  11, 18, 27, 19, 28, 20, 29,
                              3,  12, 4,  13, 5,  14, 21, 30, 22, 31, 23, 32,
                              36, 45, 37, 46, 38, 47, 54, 63, 55, 64, 56, 65,
                              39, 48, 40, 49, 41, 50, 57, 66, 58, 67, 59, 68}));

  // NHWC against TF's definition: output[n, h*b + i, w*b + j, c] reads input
  // channel (i*b + j)*C' + c (DCR) or c*b*b + i*b + j (CRD).
  const int64_t b = 3, N = 2, H = 2, W = 3, Cb = 2, C = Cb * b * b;
  FloatArray z = iota({N, H, W, C});
  for (DepthToSpaceMode mode : {DepthToSpaceMode::DCR, DepthToSpaceMode::CRD}) {
    ASSERT_TRUE(depthToSpace(z, b, mode, false, y, error)) << error;
    ASSERT_EQ(y.shape, (Shape{N, H * b, W * b, Cb}));
    for (int64_t n = 0; n < N; ++n)
      for (int64_t h = 0; h < H; ++h)
        for (int64_t w = 0; w < W; ++w)
          for (int64_t i = 0; i < b; ++i)
            for (int64_t j = 0; j < b; ++j)
              for (int64_t c = 0; c < Cb; ++c) {
                int64_t ic = mode == DepthToSpaceMode::DCR
                                 ? (i * b + j) * Cb + c
                                 : c * b * b + i * b + j;
                EXPECT_EQ(y.at({n, h * b + i, w * b + j, c}),
                          z.at({n, h, w, ic}));
              }
    // The NCHW op, transposed around, agrees.
    FloatArray zc, yc, back;
    ASSERT_TRUE(transpose(z, {0, 3, 1, 2}, zc, error));
    ASSERT_TRUE(depthToSpace(zc, b, mode, true, yc, error)) << error;
    ASSERT_TRUE(transpose(yc, {0, 2, 3, 1}, back, error));
    EXPECT_EQ(back, y);
  }

  EXPECT_FALSE(depthToSpace(z, 4, DepthToSpaceMode::DCR, false, y, error));
  EXPECT_NE(error.find("18 channels are not a multiple of blockSize^2"),
            std::string::npos)
      << error;
  EXPECT_FALSE(depthToSpace(FloatArray({4, 4}), 2, DepthToSpaceMode::DCR, true,
                            y, error));
  EXPECT_NE(error.find("NCHW (rank 4)"), std::string::npos);
}

//===----------------------------------------------------------------------===//
// Resize
//===----------------------------------------------------------------------===//

/// Runs `attrs` on the ONNX example `data` ([1,1,H,W]) with the rank-general
/// kernel, and with resizeSpatial on the same data as [1,H,W,1].
void expectResize(const FloatArray &data, ResizeAttrs attrs,
                  const FloatArray &expected, float tol = 1e-5f) {
  FloatArray y;
  std::string error;
  ASSERT_TRUE(resize(data, attrs, y, error)) << error;
  expectNear(y, expected, tol);
  if (!attrs.scales.empty())
    attrs.scales = {attrs.scales[2], attrs.scales[3]};
  else
    attrs.sizes = {attrs.sizes[2], attrs.sizes[3]};
  FloatArray nhwc({1, data.shape[2], data.shape[3], 1}, data.data);
  ASSERT_TRUE(resizeSpatial(nhwc, attrs, y, error)) << error;
  FloatArray expectedNhwc({1, expected.shape[2], expected.shape[3], 1},
                          expected.data);
  expectNear(y, expectedNhwc, tol);
}

ResizeAttrs
scalesAttrs(ResizeMode mode, ResizeCoordinateMode coord,
            std::vector<float> scales,
            ResizeNearestMode nearest = ResizeNearestMode::RoundPreferFloor) {
  ResizeAttrs a;
  a.mode = mode;
  a.coordinateMode = coord;
  a.nearestMode = nearest;
  a.scales = std::move(scales);
  return a;
}

ResizeAttrs
sizesAttrs(ResizeMode mode, ResizeCoordinateMode coord,
           std::vector<int64_t> sizes,
           ResizeNearestMode nearest = ResizeNearestMode::RoundPreferFloor) {
  ResizeAttrs a;
  a.mode = mode;
  a.coordinateMode = coord;
  a.nearestMode = nearest;
  a.sizes = std::move(sizes);
  return a;
}

const auto Nearest = ResizeMode::Nearest;
const auto Linear = ResizeMode::Linear;
const auto HalfPixel = ResizeCoordinateMode::HalfPixel;

TEST(FloatKernelsOnnxTest, ResizeNearestOnnxExamples) {
  FloatArray d22({1, 1, 2, 2}, Values{1, 2, 3, 4});
  FloatArray d24({1, 1, 2, 4}, Values{1, 2, 3, 4, 5, 6, 7, 8});
  FloatArray d44 = iota({1, 1, 4, 4}, 1);
  // resize_upsample_scales_nearest.
  expectResize(
      d22, scalesAttrs(Nearest, HalfPixel, {1, 1, 2, 3}),
      FloatArray({1, 1, 4, 6}, Values{1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2,
                                      3, 3, 3, 4, 4, 4, 3, 3, 3, 4, 4, 4}));
  // resize_downsample_scales_nearest.
  expectResize(d24, scalesAttrs(Nearest, HalfPixel, {1, 1, 0.6f, 0.6f}),
               FloatArray({1, 1, 1, 2}, Values{1, 3}));
  // resize_downsample_sizes_nearest.
  expectResize(d24, sizesAttrs(Nearest, HalfPixel, {1, 1, 1, 3}),
               FloatArray({1, 1, 1, 3}, Values{1, 2, 4}));
  // resize_upsample_sizes_nearest.
  Values up78;
  for (int64_t r = 0; r < 7; ++r)
    for (int64_t c = 0; c < 8; ++c)
      up78.push_back((r < 4 ? 1.0f : 3.0f) + (c < 4 ? 0.0f : 1.0f));
  expectResize(d22, sizesAttrs(Nearest, HalfPixel, {1, 1, 7, 8}),
               FloatArray({1, 1, 7, 8}, up78));
  // resize_upsample_sizes_nearest_ceil_half_pixel.
  const Values ceilRows[] = {
      {1, 2, 2, 3, 3, 4, 4, 4},         {5, 6, 6, 7, 7, 8, 8, 8},
      {5, 6, 6, 7, 7, 8, 8, 8},         {9, 10, 10, 11, 11, 12, 12, 12},
      {9, 10, 10, 11, 11, 12, 12, 12},  {13, 14, 14, 15, 15, 16, 16, 16},
      {13, 14, 14, 15, 15, 16, 16, 16}, {13, 14, 14, 15, 15, 16, 16, 16}};
  Values ceil88;
  for (const Values &row : ceilRows)
    ceil88.insert(ceil88.end(), row.begin(), row.end());
  expectResize(
      d44,
      sizesAttrs(Nearest, HalfPixel, {1, 1, 8, 8}, ResizeNearestMode::Ceil),
      FloatArray({1, 1, 8, 8}, ceil88));
  // resize_upsample_sizes_nearest_round_prefer_ceil_asymmetric: the same
  // values through another mapping.
  expectResize(d44,
               sizesAttrs(Nearest, ResizeCoordinateMode::Asymmetric,
                          {1, 1, 8, 8}, ResizeNearestMode::RoundPreferCeil),
               FloatArray({1, 1, 8, 8}, ceil88));
  // resize_upsample_sizes_nearest_floor_align_corners.
  const Values floorRows[] = {
      {1, 1, 1, 2, 2, 3, 3, 4},      {1, 1, 1, 2, 2, 3, 3, 4},
      {1, 1, 1, 2, 2, 3, 3, 4},      {5, 5, 5, 6, 6, 7, 7, 8},
      {5, 5, 5, 6, 6, 7, 7, 8},      {9, 9, 9, 10, 10, 11, 11, 12},
      {9, 9, 9, 10, 10, 11, 11, 12}, {13, 13, 13, 14, 14, 15, 15, 16}};
  Values floor88;
  for (const Values &row : floorRows)
    floor88.insert(floor88.end(), row.begin(), row.end());
  expectResize(d44,
               sizesAttrs(Nearest, ResizeCoordinateMode::AlignCorners,
                          {1, 1, 8, 8}, ResizeNearestMode::Floor),
               FloatArray({1, 1, 8, 8}, floor88));
}

TEST(FloatKernelsOnnxTest, ResizeLinearOnnxExamples) {
  FloatArray d22({1, 1, 2, 2}, Values{1, 2, 3, 4});
  FloatArray d24({1, 1, 2, 4}, Values{1, 2, 3, 4, 5, 6, 7, 8});
  FloatArray d44 = iota({1, 1, 4, 4}, 1);
  // resize_upsample_scales_linear.
  expectResize(d22, scalesAttrs(Linear, HalfPixel, {1, 1, 2, 2}),
               FloatArray({1, 1, 4, 4}, Values{1, 1.25f, 1.75f, 2, 1.5f, 1.75f,
                                               2.25f, 2.5f, 2.5f, 2.75f, 3.25f,
                                               3.5f, 3, 3.25f, 3.75f, 4}));
  // resize_upsample_scales_linear_align_corners.
  const float t = 1.0f / 3;
  expectResize(
      d22,
      scalesAttrs(Linear, ResizeCoordinateMode::AlignCorners, {1, 1, 2, 2}),
      FloatArray({1, 1, 4, 4},
                 Values{1, 1 + t, 1 + 2 * t, 2, 1 + 2 * t, 2, 2 + t, 2 + 2 * t,
                        2 + t, 2 + 2 * t, 3, 3 + t, 3, 3 + t, 3 + 2 * t, 4}));
  // resize_downsample_scales_linear.
  expectResize(d24, scalesAttrs(Linear, HalfPixel, {1, 1, 0.6f, 0.6f}),
               FloatArray({1, 1, 1, 2}, Values{2.6666665f, 4.3333331f}));
  // resize_downsample_scales_linear_align_corners: ONNX uses the fractional
  // output length 4 * 0.6 = 2.4, hence 3.142857 and not 4.
  expectResize(d24,
               scalesAttrs(Linear, ResizeCoordinateMode::AlignCorners,
                           {1, 1, 0.6f, 0.6f}),
               FloatArray({1, 1, 1, 2}, Values{1, 3.142857f}));
  // resize_downsample_sizes_linear_pytorch_half_pixel: width 1 reads
  // column 0.
  expectResize(
      d44,
      sizesAttrs(Linear, ResizeCoordinateMode::PytorchHalfPixel, {1, 1, 3, 1}),
      FloatArray({1, 1, 3, 1}, Values{1.6666666f, 7, 12.333333f}));
}

TEST(FloatKernelsOnnxTest, ResizeCoordinateModesByHand) {
  // [1,2,3,4] to 3 elements; coordinates worked out from the ONNX formulas.
  FloatArray v({4}, Values{1, 2, 3, 4});
  FloatArray y;
  std::string error;
  auto run = [&](ResizeMode mode, ResizeCoordinateMode coord,
                 ResizeNearestMode nearest) {
    EXPECT_TRUE(resize(v, sizesAttrs(mode, coord, {3}, nearest), y, error))
        << error;
    return y.data;
  };
  const auto prefFloor = ResizeNearestMode::RoundPreferFloor;
  // tf_half_pixel_for_nn: (j + 0.5) * 4/3 = 0.667, 2, 3.333.
  EXPECT_EQ(run(Nearest, ResizeCoordinateMode::TfHalfPixelForNN, prefFloor),
            (Values{2, 3, 4}));
  EXPECT_EQ(run(Nearest, ResizeCoordinateMode::TfHalfPixelForNN,
                ResizeNearestMode::Floor),
            (Values{1, 3, 4}));
  // half_pixel: 0.167, 1.5, 2.833; the tie 1.5 goes down or up.
  EXPECT_EQ(run(Nearest, HalfPixel, prefFloor), (Values{1, 2, 4}));
  EXPECT_EQ(run(Nearest, HalfPixel, ResizeNearestMode::RoundPreferCeil),
            (Values{1, 3, 4}));
  EXPECT_EQ(run(Nearest, HalfPixel, ResizeNearestMode::Ceil),
            (Values{2, 3, 4}));
  Values lin = run(Linear, HalfPixel, prefFloor);
  EXPECT_NEAR(lin[0], 1 + 1.0f / 6, 1e-6f);
  EXPECT_NEAR(lin[1], 2.5f, 1e-6f);
  EXPECT_NEAR(lin[2], 3 + 5.0f / 6, 1e-6f);
  // pytorch_half_pixel equals half_pixel unless the output length is 1.
  EXPECT_EQ(run(Linear, ResizeCoordinateMode::PytorchHalfPixel, prefFloor),
            lin);
  // asymmetric: 0, 1.333, 2.667.
  lin = run(Linear, ResizeCoordinateMode::Asymmetric, prefFloor);
  EXPECT_NEAR(lin[1], 2 + 1.0f / 3, 1e-6f);
  EXPECT_NEAR(lin[2], 3 + 2.0f / 3, 1e-6f);
  // align_corners: 0, 1.5, 3.
  EXPECT_EQ(run(Linear, ResizeCoordinateMode::AlignCorners, prefFloor),
            (Values{1, 2.5f, 4}));
  // Output length 1: half_pixel reads the middle, pytorch_half_pixel and
  // align_corners element 0.
  ASSERT_TRUE(resize(v, sizesAttrs(Linear, HalfPixel, {1}), y, error));
  EXPECT_EQ(y.data, Values{2.5f});
  ASSERT_TRUE(
      resize(v, sizesAttrs(Linear, ResizeCoordinateMode::PytorchHalfPixel, {1}),
             y, error));
  EXPECT_EQ(y.data, Values{1});
  ASSERT_TRUE(
      resize(v, sizesAttrs(Linear, ResizeCoordinateMode::AlignCorners, {1}), y,
             error));
  EXPECT_EQ(y.data, Values{1});
}

/// Input coordinate of output index j (half_pixel, sizes given).
double halfPixel(int64_t j, int64_t in, int64_t out) {
  return (j + 0.5) * in / out - 0.5;
}

TEST(FloatKernelsOnnxTest, ResizeLinearRankGeneral) {
  // Bilinear over dims 0 and 1 of a rank-3 tensor (dim 2 kept), against the
  // tensor product of the two 1-D interpolations.
  std::mt19937 rng(14);
  FloatArray x = randomArray({3, 5, 4}, rng);
  FloatArray y;
  std::string error;
  ASSERT_TRUE(resize(x, sizesAttrs(Linear, HalfPixel, {7, 2, 4}), y, error))
      << error;
  ASSERT_EQ(y.shape, (Shape{7, 2, 4}));
  auto taps = [](double c, int64_t in, int64_t &lo, int64_t &hi, double &w) {
    c = std::min(std::max(c, 0.0), double(in - 1));
    lo = static_cast<int64_t>(std::floor(c));
    hi = std::min(lo + 1, in - 1);
    w = c - lo;
  };
  for (int64_t i = 0; i < 7; ++i)
    for (int64_t j = 0; j < 2; ++j)
      for (int64_t k = 0; k < 4; ++k) {
        int64_t i0, i1, j0, j1;
        double wi, wj;
        taps(halfPixel(i, 3, 7), 3, i0, i1, wi);
        taps(halfPixel(j, 5, 2), 5, j0, j1, wj);
        double ref = (1 - wi) * (1 - wj) * x.at({i0, j0, k}) +
                     (1 - wi) * wj * x.at({i0, j1, k}) +
                     wi * (1 - wj) * x.at({i1, j0, k}) +
                     wi * wj * x.at({i1, j1, k});
        EXPECT_NEAR(y.at({i, j, k}), ref, 1e-5) << i << "," << j << "," << k;
      }

  // NHWC with channels: resizeSpatial leaves N and C alone; scale 2
  // nearest (asymmetric, floor) repeats every pixel twice.
  FloatArray img = randomArray({2, 3, 2, 3}, rng);
  ResizeAttrs a = scalesAttrs(Nearest, ResizeCoordinateMode::Asymmetric, {2, 2},
                              ResizeNearestMode::Floor);
  ASSERT_TRUE(resizeSpatial(img, a, y, error)) << error;
  ASSERT_EQ(y.shape, (Shape{2, 6, 4, 3}));
  for (int64_t n = 0; n < 2; ++n)
    for (int64_t h = 0; h < 6; ++h)
      for (int64_t w = 0; w < 4; ++w)
        for (int64_t c = 0; c < 3; ++c)
          EXPECT_EQ(y.at({n, h, w, c}), img.at({n, h / 2, w / 2, c}));

  // Scale 1 dimensions are copies, whatever the mode: rank 5, one dim
  // linearly upsampled.
  FloatArray r5 = randomArray({2, 1, 3, 2, 2}, rng);
  ASSERT_TRUE(resize(r5,
                     scalesAttrs(Linear, ResizeCoordinateMode::TfHalfPixelForNN,
                                 {1, 1, 1, 1, 1}),
                     y, error))
      << error;
  EXPECT_EQ(y, r5);

  // Errors: both or neither of scales and sizes, wrong count, bad scale.
  ResizeAttrs both = sizesAttrs(Linear, HalfPixel, {3, 5, 4});
  both.scales = {1, 1, 1};
  EXPECT_FALSE(resize(x, both, y, error));
  EXPECT_NE(error.find("exactly one of scales and sizes"), std::string::npos);
  EXPECT_FALSE(resize(x, ResizeAttrs(), y, error));
  EXPECT_FALSE(resize(x, sizesAttrs(Linear, HalfPixel, {3, 5}), y, error));
  EXPECT_FALSE(resize(x, scalesAttrs(Linear, HalfPixel, {1, 0, 1}), y, error));
  EXPECT_NE(error.find("is not positive"), std::string::npos) << error;
  EXPECT_FALSE(
      resize(x, scalesAttrs(Linear, HalfPixel, {1, 0.1f, 1}), y, error));
  EXPECT_NE(error.find("dimension 1 cannot be resized from 5 to 0"),
            std::string::npos)
      << error;
  EXPECT_FALSE(resizeSpatial(x, a, y, error));
  EXPECT_NE(error.find("resizeSpatial: input must be NHWC"), std::string::npos);
}

TEST(FloatKernelsOnnxTest, ResizeTF) {
  FloatArray y;
  std::string error;
  // Bilinear [1, 2] to width 4 under TF's three conventions.
  FloatArray row({1, 1, 2, 1}, Values{1, 2});
  ASSERT_TRUE(resizeTF(row, 1, 4, true, false, false, y, error)) << error;
  EXPECT_EQ(y.shape, (Shape{1, 1, 4, 1}));
  EXPECT_EQ(y.data, (Values{1, 1.5f, 2, 2}));
  ASSERT_TRUE(resizeTF(row, 1, 4, true, false, true, y, error)) << error;
  EXPECT_EQ(y.data, (Values{1, 1.25f, 1.75f, 2}));
  ASSERT_TRUE(resizeTF(row, 1, 4, true, true, false, y, error)) << error;
  expectNear(y, FloatArray({1, 1, 4, 1}, Values{1, 4.0f / 3, 5.0f / 3, 2}));
  // tf.image.resize_bilinear([[1, 2], [3, 4]], [4, 4]) (legacy).
  FloatArray sq({1, 2, 2, 1}, Values{1, 2, 3, 4});
  ASSERT_TRUE(resizeTF(sq, 4, 4, true, false, false, y, error)) << error;
  EXPECT_EQ(y.data, (Values{1, 1.5f, 2, 2, 2, 2.5f, 3, 3, 3, 3.5f, 4, 4, 3,
                            3.5f, 4, 4}));

  // Nearest: floor(j * in/out), floor((j + 0.5) * in/out), roundf(j *
  // (in-1)/(out-1)).
  FloatArray three({1, 1, 3, 1}, Values{1, 2, 3});
  ASSERT_TRUE(resizeTF(three, 1, 2, false, false, false, y, error)) << error;
  EXPECT_EQ(y.data, (Values{1, 2}));
  ASSERT_TRUE(resizeTF(three, 1, 2, false, false, true, y, error)) << error;
  EXPECT_EQ(y.data, (Values{1, 3}));
  ASSERT_TRUE(resizeTF(three, 1, 2, false, true, false, y, error)) << error;
  EXPECT_EQ(y.data, (Values{1, 3}));
  ASSERT_TRUE(resizeTF(row, 1, 3, false, false, false, y, error)) << error;
  EXPECT_EQ(y.data, (Values{1, 1, 2}));
  ASSERT_TRUE(resizeTF(row, 1, 3, false, false, true, y, error)) << error;
  EXPECT_EQ(y.data, (Values{1, 2, 2}));
  ASSERT_TRUE(resizeTF(row, 1, 3, false, true, false, y, error)) << error;
  EXPECT_EQ(y.data, (Values{1, 2, 2}));

  // Half-pixel bilinear, multi-channel, against TF's
  // compute_interpolation_weights written out.
  std::mt19937 rng(15);
  FloatArray img = randomArray({1, 3, 4, 2}, rng);
  ASSERT_TRUE(resizeTF(img, 5, 3, true, false, true, y, error)) << error;
  ASSERT_EQ(y.shape, (Shape{1, 5, 3, 2}));
  auto weights = [](int64_t j, int64_t in, int64_t out, int64_t &lo,
                    int64_t &hi, double &lerp) {
    double c = (j + 0.5) * (double(in) / out) - 0.5;
    double f = std::floor(c);
    lo = std::max<int64_t>(static_cast<int64_t>(f), 0);
    hi = std::min<int64_t>(static_cast<int64_t>(std::ceil(c)), in - 1);
    lerp = c - f;
  };
  for (int64_t h = 0; h < 5; ++h)
    for (int64_t w = 0; w < 3; ++w)
      for (int64_t c = 0; c < 2; ++c) {
        int64_t y0, y1, x0, x1;
        double ly, lx;
        weights(h, 3, 5, y0, y1, ly);
        weights(w, 4, 3, x0, x1, lx);
        double top = img.at({0, y0, x0, c}) +
                     (img.at({0, y0, x1, c}) - img.at({0, y0, x0, c})) * lx;
        double bottom = img.at({0, y1, x0, c}) +
                        (img.at({0, y1, x1, c}) - img.at({0, y1, x0, c})) * lx;
        EXPECT_NEAR(y.at({0, h, w, c}), top + (bottom - top) * ly, 1e-5);
      }

  EXPECT_FALSE(resizeTF(img, 2, 2, true, true, true, y, error));
  EXPECT_NE(error.find("exclusive"), std::string::npos);
  EXPECT_FALSE(
      resizeTF(FloatArray({2, 2}), 2, 2, true, false, false, y, error));
}

//===----------------------------------------------------------------------===//
// Transposed convolution
//===----------------------------------------------------------------------===//

/// Transposed conv by scattering every input pixel (NHWC, filter
/// [KH,KW,OC/G,C]).
FloatArray naiveConvTranspose(const FloatArray &x, const FloatArray &w,
                              const Conv2DTransposeAttrs &a) {
  int64_t N = x.shape[0], H = x.shape[1], W = x.shape[2], C = x.shape[3];
  int64_t KH = w.shape[0], KW = w.shape[1], OCg = w.shape[2];
  int64_t G = a.groups, Cg = C / G;
  int64_t OH = (H - 1) * a.strides.h + (KH - 1) * a.dilations.h + 1 +
               a.outputPadding.h - a.pads.top - a.pads.bottom;
  int64_t OW = (W - 1) * a.strides.w + (KW - 1) * a.dilations.w + 1 +
               a.outputPadding.w - a.pads.left - a.pads.right;
  std::vector<double> acc(N * OH * OW * OCg * G, 0.0);
  for (int64_t n = 0; n < N; ++n)
    for (int64_t iy = 0; iy < H; ++iy)
      for (int64_t ix = 0; ix < W; ++ix)
        for (int64_t ic = 0; ic < C; ++ic)
          for (int64_t ky = 0; ky < KH; ++ky)
            for (int64_t kx = 0; kx < KW; ++kx)
              for (int64_t m = 0; m < OCg; ++m) {
                int64_t oy = iy * a.strides.h + ky * a.dilations.h - a.pads.top;
                int64_t ox =
                    ix * a.strides.w + kx * a.dilations.w - a.pads.left;
                if (oy < 0 || oy >= OH || ox < 0 || ox >= OW)
                  continue;
                int64_t oc = (ic / Cg) * OCg + m;
                acc[((n * OH + oy) * OW + ox) * OCg * G + oc] +=
                    double(x.at({n, iy, ix, ic})) * w.at({ky, kx, m, ic});
              }
  FloatArray y({N, OH, OW, OCg * G});
  for (size_t i = 0; i < acc.size(); ++i)
    y.data[i] = static_cast<float>(acc[i]);
  return y;
}

/// An ONNX example output with 2 identical channels, as NHWC.
FloatArray twoChannels(int64_t h, int64_t w, const Values &plane) {
  FloatArray y({1, h, w, 2});
  for (size_t i = 0; i < plane.size(); ++i)
    y.data[2 * i] = y.data[2 * i + 1] = plane[i];
  return y;
}

TEST(FloatKernelsOnnxTest, Conv2dTransposeOnnxExamples) {
  // x (1,1,3,3) = 0..8; W (1,2,3,3) of ones -> filter [3,3,2,1] of ones.
  FloatArray x = iota({1, 3, 3, 1});
  FloatArray ones({3, 3, 2, 1}, 1.0f);
  FloatArray y;
  std::string error;
  Conv2DTransposeAttrs a;
  // convtranspose.
  ASSERT_TRUE(conv2dTranspose(x, ones, a, y, error)) << error;
  EXPECT_EQ(y, twoChannels(5, 5, Values{0,  1,  3,  3,  2,  3,  8, 15, 12,
                                        7,  9,  21, 36, 27, 15, 9, 20, 33,
                                        24, 13, 6,  13, 21, 15, 8}));
  // convtranspose_pads: strides [3,2], pads [1,2,1,2].
  a.strides = {3, 2};
  a.pads = {1, 1, 2, 2};
  ASSERT_TRUE(conv2dTranspose(x, ones, a, y, error)) << error;
  EXPECT_EQ(y, twoChannels(7, 3, Values{1, 1, 3, 1, 1,  3, 7,  4,  9, 7, 4,
                                        9, 7, 4, 9, 13, 7, 15, 13, 7, 15}));
  // convtranspose_attributes: strides [3,2], output_padding [1,1].
  a.pads = Pads2();
  a.outputPadding = {1, 1};
  ASSERT_TRUE(conv2dTranspose(x, ones, a, y, error)) << error;
  const Values rowA = {0, 0, 1, 1, 3, 2, 2, 0}, rowB = {3, 3, 7, 4, 9, 5, 5, 0},
               rowC = {6, 6, 13, 7, 15, 8, 8, 0}, rowZ(8, 0.0f);
  Values plane;
  for (const Values *r :
       {&rowA, &rowA, &rowA, &rowB, &rowB, &rowB, &rowC, &rowC, &rowC, &rowZ})
    plane.insert(plane.end(), r->begin(), r->end());
  EXPECT_EQ(y, twoChannels(10, 8, plane));

  // convtranspose_dilations.
  FloatArray xd({1, 3, 3, 1}, Values{3, 8, 1, 9, 5, 7, 3, 2, 6});
  FloatArray wd({2, 2, 1, 1}, Values{7, 2, 1, 9});
  Conv2DTransposeAttrs ad;
  ad.dilations = {2, 2};
  ASSERT_TRUE(conv2dTranspose(xd, wd, ad, y, error)) << error;
  EXPECT_EQ(y,
            FloatArray({1, 5, 5, 1}, Values{21, 56, 13, 16, 2,  63, 35, 67, 10,
                                            14, 24, 22, 76, 76, 21, 9,  5,  88,
                                            45, 63, 3,  2,  33, 18, 54}));

  // convtranspose_group_2: channels 0..8 and 9..17, one output per group.
  FloatArray xg({1, 3, 3, 2});
  for (int64_t i = 0; i < 9; ++i) {
    xg.data[2 * i] = static_cast<float>(i);
    xg.data[2 * i + 1] = static_cast<float>(9 + i);
  }
  Conv2DTransposeAttrs ag;
  ag.groups = 2;
  ASSERT_TRUE(conv2dTranspose(xg, FloatArray({3, 3, 1, 2}, 1.0f), ag, y, error))
      << error;
  const Values g0 = {0,  1,  3, 3,  2,  3,  8,  15, 12, 7,  9,  21, 36,
                     27, 15, 9, 20, 33, 24, 13, 6,  13, 21, 15, 8};
  const Values g1 = {9,  19, 30, 21, 11, 21, 44, 69, 48, 25, 36, 75, 117,
                     81, 42, 27, 56, 87, 60, 31, 15, 31, 48, 33, 17};
  FloatArray expected({1, 5, 5, 2});
  for (size_t i = 0; i < 25; ++i) {
    expected.data[2 * i] = g0[i];
    expected.data[2 * i + 1] = g1[i];
  }
  EXPECT_EQ(y, expected);
}

TEST(FloatKernelsOnnxTest, Conv2dTransposeBruteForce) {
  std::mt19937 rng(16);
  FloatArray y;
  std::string error;
  struct Case {
    Dims2 strides, dilations;
    Pads2 pads;
    Dims2 outputPadding;
    int64_t groups, outChannelsPerGroup;
  };
  const Case cases[] = {
      {{2, 2}, {1, 1}, {0, 0, 0, 0}, {0, 0}, 1, 4},
      {{2, 3}, {1, 2}, {1, 2, 0, 1}, {1, 2}, 1, 5},
      {{1, 2}, {2, 1}, {3, 0, 2, 2}, {0, 1}, 3, 2},
      // Pads beyond the dilated kernel crop input rows entirely.
      {{3, 1}, {1, 1}, {4, 3, 1, 0}, {2, 0}, 1, 3},
  };
  for (const Case &c : cases) {
    Conv2DTransposeAttrs a;
    a.strides = c.strides;
    a.dilations = c.dilations;
    a.pads = c.pads;
    a.outputPadding = c.outputPadding;
    a.groups = c.groups;
    FloatArray x = randomArray({2, 4, 3, 6}, rng);
    FloatArray w = randomArray({3, 2, c.outChannelsPerGroup, 6}, rng);
    ASSERT_TRUE(conv2dTranspose(x, w, a, y, error)) << error;
    expectNear(y, naiveConvTranspose(x, w, a), 1e-4f);
  }

  FloatArray x = randomArray({1, 3, 3, 4}, rng);
  Conv2DTransposeAttrs a;
  a.groups = 3;
  EXPECT_FALSE(conv2dTranspose(x, FloatArray({2, 2, 1, 4}), a, y, error));
  EXPECT_NE(error.find("input channels 4 do not match filter input channels 4 "
                       "split into groups 3"),
            std::string::npos)
      << error;
  a.groups = 1;
  EXPECT_FALSE(conv2dTranspose(x, FloatArray({2, 2, 1, 3}), a, y, error));
  a.pads = {3, 2, 0, 0};
  EXPECT_FALSE(conv2dTranspose(x, FloatArray({2, 2, 1, 4}), a, y, error));
  EXPECT_NE(error.find("give an empty output"), std::string::npos) << error;
  a.pads = Pads2();
  a.outputPadding = {-1, 0};
  EXPECT_FALSE(conv2dTranspose(x, FloatArray({2, 2, 1, 4}), a, y, error));
}

//===----------------------------------------------------------------------===//
// Batched matmul and reductions
//===----------------------------------------------------------------------===//

TEST(FloatKernelsOnnxTest, BatchMatmul) {
  std::mt19937 rng(17);
  // Batch dims [2,1] and [5] broadcast to [2,5].
  FloatArray a = randomArray({2, 1, 3, 4}, rng);
  FloatArray b = randomArray({5, 4, 2}, rng);
  FloatArray y;
  std::string error;
  ASSERT_TRUE(batchMatmul(a, b, y, error)) << error;
  ASSERT_EQ(y.shape, (Shape{2, 5, 3, 2}));
  for (int64_t i = 0; i < 2; ++i)
    for (int64_t j = 0; j < 5; ++j)
      for (int64_t m = 0; m < 3; ++m)
        for (int64_t n = 0; n < 2; ++n) {
          double acc = 0;
          for (int64_t k = 0; k < 4; ++k)
            acc += double(a.at({i, 0, m, k})) * b.at({j, k, n});
          EXPECT_NEAR(y.at({i, j, m, n}), acc, 1e-5);
        }

  // 1-D operands: the promoted dimension is dropped.
  FloatArray v = randomArray({4}, rng);
  FloatArray bm = randomArray({2, 4, 3}, rng);
  ASSERT_TRUE(batchMatmul(v, bm, y, error)) << error;
  ASSERT_EQ(y.shape, (Shape{2, 3}));
  for (int64_t i = 0; i < 2; ++i)
    for (int64_t n = 0; n < 3; ++n) {
      double acc = 0;
      for (int64_t k = 0; k < 4; ++k)
        acc += double(v.at({k})) * bm.at({i, k, n});
      EXPECT_NEAR(y.at({i, n}), acc, 1e-5);
    }
  FloatArray am = randomArray({2, 3, 4}, rng);
  ASSERT_TRUE(batchMatmul(am, v, y, error)) << error;
  ASSERT_EQ(y.shape, (Shape{2, 3}));
  for (int64_t i = 0; i < 2; ++i)
    for (int64_t m = 0; m < 3; ++m) {
      double acc = 0;
      for (int64_t k = 0; k < 4; ++k)
        acc += double(am.at({i, m, k})) * v.at({k});
      EXPECT_NEAR(y.at({i, m}), acc, 1e-5);
    }
  ASSERT_TRUE(batchMatmul(v, v, y, error)) << error;
  ASSERT_EQ(y.shape, Shape{});
  double dot = 0;
  for (float e : v.data)
    dot += double(e) * e;
  EXPECT_NEAR(y.data[0], dot, 1e-5);

  // Rank 2 agrees with matmul.
  FloatArray p = randomArray({3, 4}, rng), q = randomArray({4, 5}, rng), r;
  ASSERT_TRUE(batchMatmul(p, q, y, error)) << error;
  ASSERT_TRUE(matmul(p, q, false, false, r, error)) << error;
  EXPECT_EQ(y, r);

  EXPECT_FALSE(batchMatmul(a, am, y, error));
  EXPECT_NE(error.find("inner dimensions differ"), std::string::npos) << error;
  EXPECT_FALSE(
      batchMatmul(FloatArray({3, 2, 4}), FloatArray({2, 4, 2}), y, error));
  EXPECT_NE(error.find("batch dimensions"), std::string::npos) << error;
  EXPECT_FALSE(batchMatmul(FloatArray({}, Values{1}), v, y, error));
}

TEST(FloatKernelsOnnxTest, Reductions) {
  std::mt19937 rng(18);
  const Shape shape = {2, 3, 4};
  FloatArray x = randomArray(shape, rng);
  FloatArray y;
  std::string error;
  // Axes 0 and -1 reduced, dim 1 kept.
  std::vector<double> sums(3, 0.0), maxs(3, -INFINITY), mins(3, INFINITY);
  for (int64_t i = 0; i < 24; ++i) {
    Shape idx = unflat(shape, i);
    double v = x.data[i];
    sums[idx[1]] += v;
    maxs[idx[1]] = std::max(maxs[idx[1]], v);
    mins[idx[1]] = std::min(mins[idx[1]], v);
  }
  ASSERT_TRUE(sumReduce(x, {0, -1}, true, y, error)) << error;
  ASSERT_EQ(y.shape, (Shape{1, 3, 1}));
  for (int64_t j = 0; j < 3; ++j)
    EXPECT_NEAR(y.data[j], sums[j], 1e-5);
  ASSERT_TRUE(maxReduce(x, {-1, 0}, false, y, error)) << error;
  ASSERT_EQ(y.shape, Shape{3});
  for (int64_t j = 0; j < 3; ++j)
    EXPECT_EQ(y.data[j], static_cast<float>(maxs[j]));
  ASSERT_TRUE(minReduce(x, {2, 0}, false, y, error)) << error;
  for (int64_t j = 0; j < 3; ++j)
    EXPECT_EQ(y.data[j], static_cast<float>(mins[j]));
  ASSERT_TRUE(meanReduce(x, {0, 2}, false, y, error)) << error;
  for (int64_t j = 0; j < 3; ++j)
    EXPECT_NEAR(y.data[j], sums[j] / 8, 1e-6);

  // Empty axes reduce everything.
  FloatArray small({2, 2}, Values{1, -5, 7, 2});
  ASSERT_TRUE(sumReduce(small, {}, true, y, error)) << error;
  EXPECT_EQ(y, FloatArray({1, 1}, Values{5}));
  ASSERT_TRUE(maxReduce(small, {}, false, y, error)) << error;
  EXPECT_EQ(y, FloatArray({}, Values{7}));
  ASSERT_TRUE(minReduce(small, {1}, false, y, error)) << error;
  EXPECT_EQ(y, FloatArray({2}, Values{-5, 2}));
  // NaN wins a max, as in NumPy.
  ASSERT_TRUE(
      maxReduce(FloatArray({3}, Values{1, NAN, 2}), {0}, false, y, error));
  EXPECT_TRUE(std::isnan(y.data[0]));
  // Over an empty dimension: sum 0, max -inf, min +inf.
  FloatArray none({0, 2});
  ASSERT_TRUE(sumReduce(none, {0}, false, y, error)) << error;
  EXPECT_EQ(y, FloatArray({2}, Values{0, 0}));
  ASSERT_TRUE(maxReduce(none, {0}, false, y, error)) << error;
  EXPECT_EQ(y.data, (Values{-INFINITY, -INFINITY}));
  ASSERT_TRUE(minReduce(none, {0}, true, y, error)) << error;
  EXPECT_EQ(y, FloatArray({1, 2}, Values{INFINITY, INFINITY}));

  EXPECT_FALSE(sumReduce(x, {3}, false, y, error));
  EXPECT_NE(error.find("sumReduce: axis 3 is out of range for rank 3"),
            std::string::npos)
      << error;
  EXPECT_FALSE(maxReduce(x, {1, -2}, false, y, error));
  EXPECT_NE(error.find("maxReduce: axis -2 is repeated"), std::string::npos)
      << error;
}

} // namespace

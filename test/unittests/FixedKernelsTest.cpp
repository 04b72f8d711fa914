//===- FixedKernelsTest.cpp - DPU fixed-point rules and integer kernels ---===//
//
// The integer kernels are checked against independent references written
// here in real-valued double arithmetic (exact for these magnitudes), i.e.
// against what the fix points mean rather than against the shift formulas.
//
//===----------------------------------------------------------------------===//

#include "vai/Simulator/FixedKernels.h"
#include "vai/Support/FixedPoint.h"

#include <algorithm>
#include <cmath>
#include <random>

#include "gtest/gtest.h"

using namespace vai;

namespace {

Int8Array randomInt8(std::vector<int64_t> shape, std::mt19937 &rng) {
  Int8Array a(std::move(shape));
  std::uniform_int_distribution<int> dist(-128, 127);
  for (int8_t &v : a.data)
    v = static_cast<int8_t>(dist(rng));
  return a;
}

/// Round half up at output fix point, then the activation, then int8
/// saturation, all on the real value `v` (XIR conv2d-fix order: activation
/// on the unrounded value).
int64_t referenceOutput(double v, int outFix, Nonlinear nl) {
  double scaled = std::ldexp(v, outFix);
  double y = 0;
  switch (nl) {
  case Nonlinear::None:
    y = std::floor(scaled + 0.5);
    break;
  case Nonlinear::Relu:
    y = std::max(0.0, std::floor(scaled + 0.5));
    break;
  case Nonlinear::Relu6:
    y = std::min(std::max(0.0, std::floor(scaled + 0.5)),
                 std::floor(6.0 * std::ldexp(1.0, outFix) + 0.5));
    break;
  case Nonlinear::LeakyRelu:
    y = scaled < 0 ? std::floor(scaled * 26.0 / 256.0 + 0.5)
                   : std::floor(scaled + 0.5);
    break;
  }
  return static_cast<int64_t>(std::min(127.0, std::max(-128.0, y)));
}

struct FixPoints {
  int in, w, bias, out;
};

/// Brute-force conv (grouped) over explicit indices; bias optional.
Int8Array referenceConv(const Int8Array &x, const Int8Array &w,
                        const Int8Array *b, const Conv2DAttrs &at, FixPoints fp,
                        Nonlinear nl) {
  int64_t N = x.shape[0], H = x.shape[1], W = x.shape[2];
  int64_t KH = w.shape[0], KW = w.shape[1], ICg = w.shape[2], OC = w.shape[3];
  int64_t OCg = OC / at.groups;
  int64_t OH =
      (H + at.pads.top + at.pads.bottom - (KH - 1) * at.dilations.h - 1) /
          at.strides.h +
      1;
  int64_t OW =
      (W + at.pads.left + at.pads.right - (KW - 1) * at.dilations.w - 1) /
          at.strides.w +
      1;
  Int8Array y({N, OH, OW, OC});
  for (int64_t n = 0; n < N; ++n)
    for (int64_t oh = 0; oh < OH; ++oh)
      for (int64_t ow = 0; ow < OW; ++ow)
        for (int64_t oc = 0; oc < OC; ++oc) {
          int64_t g = oc / OCg;
          int64_t acc = 0;
          for (int64_t ky = 0; ky < KH; ++ky)
            for (int64_t kx = 0; kx < KW; ++kx)
              for (int64_t ic = 0; ic < ICg; ++ic) {
                int64_t iy =
                    oh * at.strides.h + ky * at.dilations.h - at.pads.top;
                int64_t ix =
                    ow * at.strides.w + kx * at.dilations.w - at.pads.left;
                if (iy < 0 || iy >= H || ix < 0 || ix >= W)
                  continue;
                acc += int64_t(x.at({n, iy, ix, g * ICg + ic})) *
                       w.at({ky, kx, ic, oc});
              }
          double v = std::ldexp(static_cast<double>(acc), -(fp.in + fp.w));
          if (b)
            v += std::ldexp(static_cast<double>(b->data[oc]), -fp.bias);
          y.at({n, oh, ow, oc}) =
              static_cast<int8_t>(referenceOutput(v, fp.out, nl));
        }
  return y;
}

TEST(FixedPointTest, RoundModes) {
  const double xs[] = {2.5, -2.5, 1.5, -1.5, 0.5, -0.5, 2.4, -2.6};
  const double dpu[] = {3, -2, 2, -1, 1, 0, 2, -3};
  const double stdr[] = {3, -3, 2, -2, 1, -1, 2, -3};
  const double py3[] = {2, -2, 2, -2, 0, -0.0, 2, -3};
  for (size_t i = 0; i < sizeof(xs) / sizeof(xs[0]); ++i) {
    EXPECT_EQ(roundWith(RoundMode::DpuRound, xs[i]), dpu[i]) << xs[i];
    EXPECT_EQ(roundWith(RoundMode::StdRound, xs[i]), stdr[i]) << xs[i];
    EXPECT_EQ(roundWith(RoundMode::Py3Round, xs[i]), py3[i]) << xs[i];
  }
  // The largest double below 0.5: floor(x + 0.5) would give 1.
  EXPECT_EQ(roundWith(RoundMode::DpuRound, 0.49999999999999994), 0.0);

  RoundMode m;
  ASSERT_TRUE(parseRoundMode("PY3_ROUND", m));
  EXPECT_EQ(m, RoundMode::Py3Round);
  EXPECT_STREQ(roundModeName(RoundMode::DpuRound), "DPU_ROUND");
  EXPECT_FALSE(parseRoundMode("ROUND", m));

  // Integer round-half-up shifts, including negative halves.
  EXPECT_EQ(roundHalfUpShift(5, 1), 3);
  EXPECT_EQ(roundHalfUpShift(-5, 1), -2);
  EXPECT_EQ(roundHalfUpShift(-6, 2), -1); // -1.5 -> -1
  EXPECT_EQ(roundHalfUpShift(-7, 2), -2); // -1.75 -> -2
  EXPECT_EQ(roundHalfUpShift(3, -2), 12);
  EXPECT_EQ(roundHalfUpShift(-3, 70), 0);
}

TEST(FixedPointTest, QuantizeClampsAndRounds) {
  // 2^-6 * 2^7 = 2: exact. 0.01953125 * 128 = 2.5: a tie.
  EXPECT_EQ(quantizeValue(0.015625f, 7, 8, true, RoundMode::DpuRound), 2);
  EXPECT_EQ(quantizeValue(0.01953125f, 7, 8, true, RoundMode::DpuRound), 3);
  EXPECT_EQ(quantizeValue(-0.01953125f, 7, 8, true, RoundMode::DpuRound), -2);
  EXPECT_EQ(quantizeValue(-0.01953125f, 7, 8, true, RoundMode::StdRound), -3);
  EXPECT_EQ(quantizeValue(0.01953125f, 7, 8, true, RoundMode::Py3Round), 2);
  // Clamping to [-128, 127] and to [0, 255].
  EXPECT_EQ(quantizeValue(1.0f, 7, 8, true, RoundMode::DpuRound), 127);
  EXPECT_EQ(quantizeValue(-1.0f, 7, 8, true, RoundMode::DpuRound), -128);
  EXPECT_EQ(quantizeValue(-5.0f, 7, 8, true, RoundMode::DpuRound), -128);
  EXPECT_EQ(quantizeValue(300.0f, 0, 8, false, RoundMode::DpuRound), 255);
  EXPECT_EQ(quantizeValue(-0.3f, 0, 8, false, RoundMode::DpuRound), 0);
  EXPECT_EQ(quantizeValue(100.0f, -2, 4, true, RoundMode::DpuRound), 7);
  EXPECT_EQ(quantizeValue(NAN, 3, 8, true, RoundMode::DpuRound), 0);
  EXPECT_EQ(quantizeValue(INFINITY, 3, 8, true, RoundMode::DpuRound), 127);
  EXPECT_FLOAT_EQ(dequantizeValue(3, 2), 0.75f);
  EXPECT_FLOAT_EQ(dequantizeValue(-128, 7), -1.0f);
  EXPECT_FLOAT_EQ(dequantizeValue(5, -3), 40.0f);

  FloatArray x({2, 2}, std::vector<float>{0.3f, -0.7f, 2.0f, -3.0f});
  Int8Array q = quantizeArray(x, 6);
  EXPECT_EQ(q.shape, x.shape);
  EXPECT_EQ(q.data, (std::vector<int8_t>{19, -45, 127, -128}));
  FloatArray back = dequantizeArray(q, 6);
  EXPECT_EQ(back.data,
            (std::vector<float>{19 / 64.0f, -45 / 64.0f, 127 / 64.0f, -2.0f}));
}

TEST(FixedPointTest, NonOverflowPosition) {
  auto pos = [](std::vector<float> v, int bw = 8) {
    return fixPosNonOverflow(v.data(), v.size(), bw);
  };
  // 1.0 * 2^7 = 128 would clip; 0.99 * 2^7 = 126.7 does not.
  EXPECT_EQ(pos({0.5f, 1.0f}), 6);
  EXPECT_EQ(pos({0.5f, 0.99f}), 7);
  // The negative side has one more code: -1.0 * 2^7 = -128 fits.
  EXPECT_EQ(pos({-1.0f, 0.25f}), 7);
  EXPECT_EQ(pos({3.0f, -0.1f}), 5);
  EXPECT_EQ(pos({0.01f}), 13);
  EXPECT_EQ(pos({1.0f}, 4), 2);
  EXPECT_EQ(pos({200.0f}), -1);
  // All-zero data gets the documented default.
  EXPECT_EQ(pos({0.0f, 0.0f}), defaultFixPos(8));
  EXPECT_EQ(pos({}), 7);
}

/// Independent min-diffs: DPU rounding written as floor(v + 0.5) on values
/// that are not near the double-rounding edge.
int bruteForceMinDiffs(const std::vector<float> &v, int from, int to) {
  int best = from;
  double bestErr = INFINITY;
  for (int p = from; p < to; ++p) {
    double err = 0;
    for (float x : v) {
      double q = std::floor(x * std::pow(2.0, p) + 0.5);
      q = std::min(127.0, std::max(-128.0, q));
      double d = q / std::pow(2.0, p) - x;
      err += d * d;
    }
    if (err < bestErr) {
      bestErr = err;
      best = p;
    }
  }
  return best;
}

TEST(FixedPointTest, MinDiffsPosition) {
  // 1000 values in [-0.25, 0.25) and one outlier at 1.0: clipping the
  // outlier at position 7 costs (1/128)^2, halving the step for the rest
  // saves far more; position 8 would clip the outlier to 0.5.
  std::vector<float> data;
  for (int i = 0; i < 1000; ++i)
    data.push_back(-0.25f + 0.5f * (static_cast<float>(i) + 0.37f) / 1000.0f);
  data.push_back(1.0f);
  EXPECT_EQ(fixPosNonOverflow(data.data(), data.size(), 8), 6);
  EXPECT_EQ(fixPosMinDiffs(data.data(), data.size(), 8, RoundMode::DpuRound),
            7);
  // With a scan range of 1 only the non-overflow position is tried.
  EXPECT_EQ(fixPosMinDiffs(data.data(), data.size(), 8, RoundMode::DpuRound, 1),
            6);

  // Data exactly representable at the non-overflow position: any larger
  // position clips, so it stays.
  std::vector<float> exact = {-1.0f, -0.5f, 0.25f, 63.0f / 64.0f};
  EXPECT_EQ(fixPosMinDiffs(exact.data(), exact.size(), 8, RoundMode::DpuRound),
            7);

  std::vector<float> zeros(10, 0.0f);
  EXPECT_EQ(fixPosMinDiffs(zeros.data(), zeros.size(), 8, RoundMode::DpuRound),
            defaultFixPos(8));

  // Random heavy-tailed tensors against the brute force over the same range.
  std::mt19937 rng(7);
  for (int trial = 0; trial < 20; ++trial) {
    std::student_t_distribution<float> dist(2.0f + trial % 3);
    float scale = std::ldexp(1.0f, trial % 7 - 3);
    std::vector<float> v(500);
    for (float &x : v)
      x = dist(rng) * scale;
    int p0 = fixPosNonOverflow(v.data(), v.size(), 8);
    EXPECT_EQ(fixPosMinDiffs(v.data(), v.size(), 8, RoundMode::DpuRound),
              bruteForceMinDiffs(v, p0, p0 + 5))
        << "trial " << trial;
    int withFull =
        fixPosMinDiffs(v.data(), v.size(), 8, RoundMode::DpuRound, 8);
    EXPECT_EQ(withFull, bruteForceMinDiffs(v, p0, p0 + 8)) << "trial " << trial;
  }
}

TEST(FixedPointTest, DepthwiseStrategy) {
  // Channel 0 spans [-4, 4], channel 1 holds values near 0.01: one tensor
  // position cannot serve both. Method 1 keeps channel 0 (position 5,
  // channel 1 rounds to 0 or 1 step); the depthwise measure prefers a
  // position where channel 1 survives even though channel 0 clips.
  std::vector<float> w;
  for (int i = 0; i < 9; ++i) {
    w.push_back(-4.0f + i);          // channel 0
    w.push_back(0.01f + 0.001f * i); // channel 1
  }
  int p0 = fixPosNonOverflow(w.data(), w.size(), 8);
  EXPECT_EQ(p0, 4);
  int m1 = fixPosMinDiffs(w.data(), w.size(), 8, RoundMode::DpuRound);
  int m2 = fixPosDepthwise(w.data(), w.size(), 2, 8, RoundMode::DpuRound);
  EXPECT_EQ(m1, p0);
  // Independent check: the mean relative per-channel error, by brute force.
  auto measure = [&](int pos) {
    double err[2] = {0, 0}, energy[2] = {0, 0};
    for (size_t i = 0; i < w.size(); ++i) {
      double q = std::clamp(std::floor(w[i] * std::ldexp(1.0, pos) + 0.5),
                            -128.0, 127.0) *
                 std::ldexp(1.0, -pos);
      err[i % 2] += (q - w[i]) * (q - w[i]);
      energy[i % 2] += double(w[i]) * w[i];
    }
    return err[0] / energy[0] + err[1] / energy[1];
  };
  int best = p0;
  for (int pos = p0; pos < p0 + 5; ++pos)
    if (measure(pos) < measure(best))
      best = pos;
  EXPECT_EQ(m2, best);
  EXPECT_GT(m2, m1);
  // One channel: the same measure as min-diffs up to a constant factor.
  std::vector<float> one = {0.3f, -0.7f, 0.05f, 0.9f, -0.01f};
  EXPECT_EQ(fixPosDepthwise(one.data(), one.size(), 1, 8, RoundMode::DpuRound),
            fixPosMinDiffs(one.data(), one.size(), 8, RoundMode::DpuRound));
  // All zero: the default position; a bad channel count: method 1.
  std::vector<float> zeros(8, 0.0f);
  EXPECT_EQ(fixPosDepthwise(zeros.data(), 8, 4, 8, RoundMode::DpuRound),
            fixPosNonOverflow(zeros.data(), 8, 8));
  EXPECT_EQ(fixPosDepthwise(one.data(), one.size(), 3, 8, RoundMode::DpuRound),
            fixPosMinDiffs(one.data(), one.size(), 8, RoundMode::DpuRound));
}

TEST(FixedPointTest, ModeOfPositions) {
  EXPECT_EQ(modeOfPositions({3, 4, 4, 5, 5}), 4);
  EXPECT_EQ(modeOfPositions({5, 5, 4, 4, 3}), 4);
  EXPECT_EQ(modeOfPositions({9, 2, 2}), 2);
  EXPECT_EQ(modeOfPositions({6, 7, 7, 7, 6}), 7);
  EXPECT_EQ(modeOfPositions({-1}), -1);
  EXPECT_EQ(modeOfPositions({}), 0);
}

TEST(FixedKernelsTest, RequantizeFormula) {
  Requant rq;
  // shift_cut = 0: no rounding at all.
  rq.shiftCut = 0;
  rq.shiftBias = 2;
  EXPECT_EQ(requantize(-17, 3, true, rq), -17 + 12);
  // shift_bias = -1: the bias counts half (ISA1.md §5, tf2 dense layer).
  rq.shiftCut = 1;
  rq.shiftBias = -1;
  EXPECT_EQ(requantize(3, 1, true, rq), 2);   // (3 + 0.5) / 2 = 1.75
  EXPECT_EQ(requantize(3, -1, true, rq), 1);  // (3 - 0.5) / 2 = 1.25
  EXPECT_EQ(requantize(-5, 0, true, rq), -2); // -2.5 rounds up
  EXPECT_EQ(requantize(-5, 0, false, rq), -2);
  // A more negative shift_bias (DESIGN.md §5 allows down to -16): a bias of
  // -1 is worth -1/16 and still decides a tie.
  rq.shiftBias = -4;
  EXPECT_EQ(requantize(9, 0, true, rq), 5);  // 4.5
  EXPECT_EQ(requantize(9, -1, true, rq), 4); // 4.46875
  EXPECT_EQ(requantize(11, 8, true, rq), 6); // 5.75
  // Saturation.
  rq.shiftCut = 0;
  rq.shiftBias = 0;
  EXPECT_EQ(requantize(1000, 0, true, rq), 127);
  EXPECT_EQ(requantize(-1000, 0, true, rq), -128);
}

TEST(FixedKernelsTest, Activations) {
  Requant rq;
  rq.shiftCut = 2;
  rq.shiftBias = 0;
  rq.nonlinear = Nonlinear::Relu;
  EXPECT_EQ(requantize(-2, 0, false, rq), 0); // -0.5 -> 0 either way
  EXPECT_EQ(requantize(-3, 0, false, rq), 0);
  EXPECT_EQ(requantize(6, 0, false, rq), 2); // 1.5 -> 2

  // ReLU6 caps at 6 * 2^outFix: 96 at fix 4, 24 at fix 2, 3 at fix -1 and
  // round(1.5) = 2 at fix -2.
  rq.nonlinear = Nonlinear::Relu6;
  rq.shiftCut = 0;
  const int fixes[] = {4, 2, -1, -2, 5};
  const int caps[] = {96, 24, 3, 2, 127};
  for (int i = 0; i < 5; ++i) {
    rq.outFixPoint = fixes[i];
    EXPECT_EQ(requantize(120, 0, false, rq), std::min(caps[i], 120))
        << fixes[i];
    EXPECT_EQ(requantize(-7, 0, false, rq), 0);
  }

  // LeakyReLU: alpha = 26/256, one rounding of the exact product.
  rq.nonlinear = Nonlinear::LeakyRelu;
  rq.shiftCut = 0;
  EXPECT_EQ(requantize(-100, 0, false, rq), -10); // -10.16
  EXPECT_EQ(requantize(-128, 0, false, rq), -13); // -13.0
  EXPECT_EQ(requantize(50, 0, false, rq), 50);
  rq.shiftCut = 3;
  // -37/8 = -4.625; * 26/256 = -0.4697 -> 0 (rounding -4.625 to -5 first
  // would give -0.5078 -> -1: the DPU rounds once, as XIR conv2d-fix).
  EXPECT_EQ(requantize(-37, 0, false, rq), 0);
  EXPECT_EQ(requantize(-2000, 0, false, rq), -25); // -250 * 0.1015625
}

struct ConvCase {
  std::vector<int64_t> inShape;
  int64_t kh, kw, oc;
  Dims2 strides, dilations;
  Pads2 pads;
  int64_t groups;
  int shiftCut, shiftBias;
  Nonlinear nl;
  bool bias;
};

TEST(FixedKernelsTest, Conv2dFixMatchesRealValuedReference) {
  const ConvCase cases[] = {
      {{1, 5, 5, 3},
       3,
       3,
       4,
       {1, 1},
       {1, 1},
       {1, 1, 1, 1},
       1,
       7,
       3,
       Nonlinear::None,
       true},
      {{2, 9, 8, 5},
       3,
       3,
       6,
       {2, 2},
       {1, 1},
       {0, 1, 0, 1},
       1,
       9,
       -1,
       Nonlinear::Relu,
       true},
      {{1, 7, 7, 4},
       1,
       1,
       8,
       {1, 1},
       {1, 1},
       {0, 0, 0, 0},
       1,
       0,
       0,
       Nonlinear::None,
       true},
      {{1, 6, 7, 2},
       5,
       5,
       3,
       {1, 2},
       {1, 1},
       {2, 2, 2, 2},
       1,
       12,
       16,
       Nonlinear::LeakyRelu,
       true},
      {{1, 10, 10, 3},
       3,
       3,
       4,
       {1, 1},
       {2, 2},
       {2, 2, 2, 2},
       1,
       8,
       5,
       Nonlinear::Relu6,
       true},
      {{1, 6, 6, 8},
       3,
       3,
       4,
       {1, 1},
       {1, 1},
       {1, 1, 1, 1},
       2,
       6,
       -6,
       Nonlinear::None,
       true},
      {{1, 4, 4, 16},
       2,
       2,
       10,
       {2, 2},
       {1, 1},
       {0, 0, 0, 0},
       1,
       16,
       2,
       Nonlinear::Relu,
       false},
      {{1, 8, 8, 1},
       7,
       1,
       32,
       {1, 1},
       {1, 1},
       {3, 3, 0, 0},
       1,
       0,
       -1,
       Nonlinear::LeakyRelu,
       true},
  };
  std::mt19937 rng(1234);
  int caseIndex = 0;
  for (const ConvCase &c : cases) {
    SCOPED_TRACE("case " + std::to_string(caseIndex++));
    Int8Array x = randomInt8(c.inShape, rng);
    Int8Array w = randomInt8({c.kh, c.kw, c.inShape[3] / c.groups, c.oc}, rng);
    Int8Array b = randomInt8({c.oc}, rng);
    Conv2DAttrs attrs;
    attrs.strides = c.strides;
    attrs.dilations = c.dilations;
    attrs.pads = c.pads;
    attrs.groups = c.groups;
    // Fix points that produce the requested shifts.
    FixPoints fp;
    fp.in = 3;
    fp.w = 6;
    fp.out = fp.in + fp.w - c.shiftCut;
    fp.bias = fp.in + fp.w - c.shiftBias;
    Requant rq = makeRequant(fp.in, fp.w, fp.bias, fp.out, c.nl);
    ASSERT_EQ(rq.shiftCut, c.shiftCut);
    ASSERT_EQ(rq.shiftBias, c.shiftBias);
    Int8Array y;
    std::string error;
    ASSERT_TRUE(conv2dFix(x, w, c.bias ? &b : nullptr, attrs, rq, y, error))
        << error;
    Int8Array expected =
        referenceConv(x, w, c.bias ? &b : nullptr, attrs, fp, c.nl);
    EXPECT_EQ(y.shape, expected.shape);
    EXPECT_EQ(y.data, expected.data);
  }
}

TEST(FixedKernelsTest, Conv2dFixRejectsBadInput) {
  Int8Array x({1, 4, 4, 3}), w({3, 3, 2, 4}), b({5});
  Conv2DAttrs attrs;
  Requant rq;
  Int8Array y;
  std::string error;
  EXPECT_FALSE(conv2dFix(x, w, nullptr, attrs, rq, y, error));
  EXPECT_NE(error.find("input channels 3 do not match"), std::string::npos)
      << error;
  Int8Array w3({3, 3, 3, 4});
  EXPECT_FALSE(conv2dFix(x, w3, &b, attrs, rq, y, error));
  EXPECT_NE(error.find("bias must have shape [4]"), std::string::npos) << error;
  rq.shiftCut = 40;
  EXPECT_FALSE(conv2dFix(x, w3, nullptr, attrs, rq, y, error));
  EXPECT_NE(error.find("shiftCut 40"), std::string::npos) << error;
  // shiftBias only matters (and is only checked) when there is a bias.
  Int8Array b4({4});
  rq.shiftCut = 8;
  rq.shiftBias = 40;
  EXPECT_TRUE(conv2dFix(x, w3, nullptr, attrs, rq, y, error)) << error;
  EXPECT_FALSE(conv2dFix(x, w3, &b4, attrs, rq, y, error));
  EXPECT_NE(error.find("shiftBias 40"), std::string::npos) << error;
}

TEST(FixedKernelsTest, DepthwiseConv2dFixMatchesReference) {
  std::mt19937 rng(99);
  for (int64_t mult : {1, 2}) {
    Int8Array x = randomInt8({2, 7, 6, 5}, rng);
    Int8Array w = randomInt8({3, 3, 5, mult}, rng);
    Int8Array b = randomInt8({5 * mult}, rng);
    Conv2DAttrs attrs;
    attrs.strides = {2, 1};
    attrs.pads = {1, 1, 0, 2};
    FixPoints fp{4, 7, 9, 5};
    Requant rq = makeRequant(fp.in, fp.w, fp.bias, fp.out, Nonlinear::Relu);
    Int8Array y;
    std::string error;
    ASSERT_TRUE(depthwiseConv2dFix(x, w, &b, attrs, rq, y, error)) << error;
    // Depthwise = grouped conv with one group per input channel, once the
    // weights are laid out as [KH, KW, 1, C*M].
    Int8Array wg({3, 3, 1, 5 * mult});
    for (size_t i = 0; i < w.data.size(); ++i)
      wg.data[i] = w.data[i];
    attrs.groups = 5;
    Int8Array expected = referenceConv(x, wg, &b, attrs, fp, Nonlinear::Relu);
    EXPECT_EQ(y.shape, expected.shape);
    EXPECT_EQ(y.data, expected.data);
  }
}

TEST(FixedKernelsTest, MatmulFixMatchesReference) {
  std::mt19937 rng(5);
  const int64_t M = 3, K = 37, N = 10;
  Int8Array a = randomInt8({M, K}, rng);
  Int8Array b = randomInt8({K, N}, rng);
  Int8Array bias = randomInt8({N}, rng);
  FixPoints fp{2, 8, 11, 3}; // shiftBias = -1, as in the tf2 dense layer.
  Requant rq = makeRequant(fp.in, fp.w, fp.bias, fp.out);
  Int8Array expected({M, N});
  for (int64_t i = 0; i < M; ++i)
    for (int64_t j = 0; j < N; ++j) {
      int64_t acc = 0;
      for (int64_t k = 0; k < K; ++k)
        acc += int64_t(a.at({i, k})) * b.at({k, j});
      double v = std::ldexp(double(acc), -(fp.in + fp.w)) +
                 std::ldexp(double(bias.data[j]), -fp.bias);
      expected.at({i, j}) =
          static_cast<int8_t>(referenceOutput(v, fp.out, Nonlinear::None));
    }
  Int8Array y;
  std::string error;
  ASSERT_TRUE(matmulFix(a, b, &bias, rq, false, false, y, error)) << error;
  EXPECT_EQ(y, expected);

  // The same product from transposed operands.
  Int8Array at({K, M}), bt({N, K});
  for (int64_t i = 0; i < M; ++i)
    for (int64_t k = 0; k < K; ++k)
      at.at({k, i}) = a.at({i, k});
  for (int64_t k = 0; k < K; ++k)
    for (int64_t j = 0; j < N; ++j)
      bt.at({j, k}) = b.at({k, j});
  ASSERT_TRUE(matmulFix(at, bt, &bias, rq, true, true, y, error)) << error;
  EXPECT_EQ(y, expected);
  EXPECT_FALSE(matmulFix(a, a, nullptr, rq, false, false, y, error));
}

TEST(FixedKernelsTest, AvgPoolDpuFactors) {
  auto factor = [](int64_t h, int64_t w) {
    AvgPoolFactor f = avgPoolDpuFactor(h, w);
    return std::make_pair(f.multiplier, f.shift);
  };
  // DESIGN.md §5 / XIR pool-fix table.
  EXPECT_EQ(factor(3, 3), std::make_pair<int64_t>(7, 6));
  EXPECT_EQ(factor(5, 5), std::make_pair<int64_t>(10, 8));
  EXPECT_EQ(factor(6, 6), std::make_pair<int64_t>(7, 8));
  EXPECT_EQ(factor(7, 7), std::make_pair<int64_t>(21, 10));
  EXPECT_EQ(factor(14, 14), std::make_pair<int64_t>(21, 12));
  // The search (values from vai_q_pytorch get_avgpool_dpu_coeff).
  EXPECT_EQ(factor(1, 1), std::make_pair<int64_t>(1, 0));
  EXPECT_EQ(factor(2, 2), std::make_pair<int64_t>(1, 2));
  EXPECT_EQ(factor(4, 4), std::make_pair<int64_t>(1, 4));
  EXPECT_EQ(factor(8, 8), std::make_pair<int64_t>(1, 6));
  EXPECT_EQ(factor(2, 3), std::make_pair<int64_t>(85, 9));
  EXPECT_EQ(factor(10, 10), std::make_pair<int64_t>(41, 12));
  EXPECT_EQ(factor(13, 13), std::make_pair<int64_t>(97, 14));
}

TEST(FixedKernelsTest, AvgPoolFixUsesDpuFactor) {
  std::string error;
  Int8Array y;
  // 3x3 of 127: the exact mean is 127, the DPU gives 1143 * 7 / 64 = 125.02.
  Int8Array x({1, 3, 3, 1}, int8_t(127));
  Pool2DAttrs p3;
  p3.kernel = {3, 3};
  ASSERT_TRUE(avgPoolFix(x, p3, 4, 4, y, error)) << error;
  EXPECT_EQ(y.data, std::vector<int8_t>{125});
  // 14x14 of 100: 19600 * 21 / 4096 = 100.49 -> 100; of 127 it saturates.
  Int8Array x14({1, 14, 14, 2}, int8_t(100));
  for (int64_t i = 0; i < 14 * 14; ++i)
    x14.data[2 * i + 1] = 127;
  ASSERT_TRUE(globalAvgPoolFix(x14, 2, 2, y, error)) << error;
  EXPECT_EQ(y.shape, (std::vector<int64_t>{1, 1, 1, 2}));
  EXPECT_EQ(y.data, (std::vector<int8_t>{100, 127}));

  // Random data, strides and padding against sum * m / 2^s in doubles.
  std::mt19937 rng(11);
  struct Case {
    Dims2 kernel, strides;
    Pads2 pads;
    int inFix, outFix;
  };
  const Case cases[] = {{{3, 3}, {1, 1}, {1, 1, 1, 1}, 5, 5},
                        {{3, 3}, {2, 2}, {0, 1, 0, 1}, 6, 4},
                        {{2, 2}, {2, 2}, {0, 0, 0, 0}, 3, 5},
                        {{5, 5}, {1, 1}, {2, 2, 2, 2}, 4, 4},
                        {{2, 3}, {1, 2}, {0, 0, 1, 1}, 7, 6}};
  for (const Case &c : cases) {
    Int8Array in = randomInt8({2, 9, 10, 3}, rng);
    Pool2DAttrs attrs;
    attrs.kernel = c.kernel;
    attrs.strides = c.strides;
    attrs.pads = c.pads;
    ASSERT_TRUE(avgPoolFix(in, attrs, c.inFix, c.outFix, y, error)) << error;
    AvgPoolFactor f = avgPoolDpuFactor(c.kernel.h, c.kernel.w);
    int64_t OH = y.shape[1], OW = y.shape[2];
    for (int64_t n = 0; n < 2; ++n)
      for (int64_t oh = 0; oh < OH; ++oh)
        for (int64_t ow = 0; ow < OW; ++ow)
          for (int64_t ch = 0; ch < 3; ++ch) {
            double sum = 0;
            for (int64_t ky = 0; ky < c.kernel.h; ++ky)
              for (int64_t kx = 0; kx < c.kernel.w; ++kx) {
                int64_t iy = oh * c.strides.h - c.pads.top + ky;
                int64_t ix = ow * c.strides.w - c.pads.left + kx;
                if (iy >= 0 && iy < 9 && ix >= 0 && ix < 10)
                  sum += in.at({n, iy, ix, ch});
              }
            double v = sum * f.multiplier / std::ldexp(1.0, f.shift) *
                       std::ldexp(1.0, c.outFix - c.inFix);
            double r = std::min(127.0, std::max(-128.0, std::floor(v + 0.5)));
            ASSERT_EQ(y.at({n, oh, ow, ch}), static_cast<int8_t>(r))
                << "at " << n << "," << oh << "," << ow << "," << ch;
          }
  }
}

TEST(FixedKernelsTest, MaxPoolFix) {
  Int8Array x({1, 4, 4, 1}, std::vector<int8_t>{1, 5, -3, 2,    //
                                                7, -8, 9, 0,    //
                                                -1, -2, -3, -4, //
                                                6, 3, -128, -5});
  Pool2DAttrs attrs;
  attrs.kernel = {2, 2};
  attrs.strides = {2, 2};
  Int8Array y;
  std::string error;
  ASSERT_TRUE(maxPoolFix(x, attrs, 3, 3, y, error)) << error;
  EXPECT_EQ(y.data, (std::vector<int8_t>{7, 9, 6, -3}));
  // Coarser output: /4 with round half up (7/4 = 1.75, 9/4 = 2.25,
  // 6/4 = 1.5, -3/4 = -0.75).
  ASSERT_TRUE(maxPoolFix(x, attrs, 5, 3, y, error)) << error;
  EXPECT_EQ(y.data, (std::vector<int8_t>{2, 2, 2, -1}));
  // Finer output: exact, saturating.
  ASSERT_TRUE(maxPoolFix(x, attrs, 3, 7, y, error)) << error;
  EXPECT_EQ(y.data, (std::vector<int8_t>{112, 127, 96, -48}));
  // SAME padding never wins the max, even over negative values.
  Pool2DAttrs same;
  same.kernel = {3, 3};
  same.pads = {1, 1, 1, 1};
  ASSERT_TRUE(maxPoolFix(x, same, 0, 0, y, error)) << error;
  EXPECT_EQ(y.at({0, 3, 3, 0}), -3);
  EXPECT_EQ(y.at({0, 0, 0, 0}), 7);
}

/// XIR eltwise-fix ADD in doubles, as the reference describes it.
int64_t xirAdd(int8_t a, int aFix, int8_t b, int bFix, int outFix,
               Nonlinear nl) {
  int pMin = std::min(aFix, bFix);
  double t = std::floor(a * 4.0 / std::ldexp(1.0, aFix - pMin)) +
             std::floor(b * 4.0 / std::ldexp(1.0, bFix - pMin));
  double v = t / std::ldexp(1.0, pMin - outFix) / 4.0;
  return referenceOutput(std::ldexp(v, -outFix), outFix, nl);
}

TEST(FixedKernelsTest, AddFixMatchesReference) {
  std::mt19937 rng(21);
  struct Case {
    int aFix, bFix, outFix;
    Nonlinear nl;
  };
  // |aFix - bFix| <= 2: the DPU result is the exactly rounded real sum.
  const Case exactCases[] = {{5, 5, 4, Nonlinear::None},
                             {6, 4, 4, Nonlinear::Relu},
                             {3, 5, 6, Nonlinear::None},
                             {7, 6, 7, Nonlinear::LeakyRelu},
                             {2, 2, -1, Nonlinear::Relu}};
  for (const Case &c : exactCases) {
    Int8Array a = randomInt8({2, 3, 4, 5}, rng);
    Int8Array b = randomInt8({2, 3, 4, 5}, rng);
    Int8Array y;
    std::string error;
    ASSERT_TRUE(addFix(a, c.aFix, b, c.bFix, c.outFix, c.nl, y, error))
        << error;
    for (size_t i = 0; i < a.data.size(); ++i) {
      double real = std::ldexp(double(a.data[i]), -c.aFix) +
                    std::ldexp(double(b.data[i]), -c.bFix);
      ASSERT_EQ(y.data[i], referenceOutput(real, c.outFix, c.nl))
          << "a=" << int(a.data[i]) << " b=" << int(b.data[i]);
    }
  }

  // Far-apart positions: the finer input keeps only two guard bits (XIR
  // eltwise-fix), which is visible against the real-valued sum.
  Int8Array a = randomInt8({1000}, rng);
  Int8Array b = randomInt8({1000}, rng);
  Int8Array y;
  std::string error;
  ASSERT_TRUE(addFix(a, 7, b, 2, 4, Nonlinear::None, y, error)) << error;
  int differsFromReal = 0;
  for (size_t i = 0; i < a.data.size(); ++i) {
    ASSERT_EQ(y.data[i],
              xirAdd(a.data[i], 7, b.data[i], 2, 4, Nonlinear::None));
    double real =
        std::ldexp(double(a.data[i]), -7) + std::ldexp(double(b.data[i]), -2);
    differsFromReal += y.data[i] != referenceOutput(real, 4, Nonlinear::None);
  }
  EXPECT_GT(differsFromReal, 0);

  // Broadcast of a per-channel vector over the last dimension.
  Int8Array x = randomInt8({1, 2, 2, 3}, rng);
  Int8Array v({3}, std::vector<int8_t>{-100, 0, 100});
  ASSERT_TRUE(addFix(x, 4, v, 5, 4, Nonlinear::Relu, y, error)) << error;
  EXPECT_EQ(y.shape, x.shape);
  for (size_t i = 0; i < x.data.size(); ++i) {
    double real = std::ldexp(double(x.data[i]), -4) +
                  std::ldexp(double(v.data[i % 3]), -5);
    EXPECT_EQ(y.data[i], referenceOutput(real, 4, Nonlinear::Relu));
  }
  Int8Array bad({4});
  EXPECT_FALSE(addFix(x, 4, bad, 4, 4, Nonlinear::None, y, error));
  EXPECT_NE(error.find("cannot be broadcast"), std::string::npos) << error;
}

} // namespace

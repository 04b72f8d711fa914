//===- FixedPoint.cpp - DPU power-of-two fixed-point rules ----------------===//

#include "vai/Support/FixedPoint.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

using namespace vai;

const char *vai::roundModeName(RoundMode mode) {
  switch (mode) {
  case RoundMode::DpuRound:
    return "DPU_ROUND";
  case RoundMode::StdRound:
    return "STD_ROUND";
  case RoundMode::Py3Round:
    return "PY3_ROUND";
  }
  return "DPU_ROUND";
}

bool vai::parseRoundMode(const std::string &name, RoundMode &mode) {
  if (name == "DPU_ROUND")
    mode = RoundMode::DpuRound;
  else if (name == "STD_ROUND")
    mode = RoundMode::StdRound;
  else if (name == "PY3_ROUND")
    mode = RoundMode::Py3Round;
  else
    return false;
  return true;
}

double vai::roundWith(RoundMode mode, double x) {
  if (!std::isfinite(x))
    return x;
  // x - floor(x) is exact in binary floating point, so comparing it with 0.5
  // decides ties exactly; floor(x + 0.5) would misround 0.49999999999999994.
  double f = std::floor(x);
  double frac = x - f;
  if (frac > 0.5)
    return f + 1.0;
  if (frac < 0.5)
    return f;
  switch (mode) {
  case RoundMode::DpuRound:
    return f + 1.0;
  case RoundMode::StdRound:
    return x < 0 ? f : f + 1.0;
  case RoundMode::Py3Round:
    return std::fmod(f, 2.0) == 0.0 ? f : f + 1.0;
  }
  return f + 1.0;
}

int64_t vai::fixMin(int bitWidth, bool isSigned) {
  if (!isSigned)
    return 0;
  return -(int64_t(1) << (std::min(bitWidth, 63) - 1));
}

int64_t vai::fixMax(int bitWidth, bool isSigned) {
  if (isSigned)
    return (int64_t(1) << (std::min(bitWidth, 63) - 1)) - 1;
  if (bitWidth >= 63)
    return std::numeric_limits<int64_t>::max();
  return (int64_t(1) << bitWidth) - 1;
}

int64_t vai::saturate(int64_t v, int bitWidth, bool isSigned) {
  return std::min(std::max(v, fixMin(bitWidth, isSigned)),
                  fixMax(bitWidth, isSigned));
}

int64_t vai::roundHalfUpShift(int64_t v, int shift) {
  const int64_t limit = int64_t(1) << 61;
  v = std::min(std::max(v, -limit), limit);
  if (shift > 0) {
    if (shift >= 62)
      return 0; // |v| <= 2^61 < 2^(shift-1): rounds to 0 either way.
    return (v + (int64_t(1) << (shift - 1))) >> shift;
  }
  int left = -shift;
  if (v == 0 || left == 0)
    return v;
  if (left >= 61 || (v > 0 ? v > (limit >> left) : -v > (limit >> left)))
    return v > 0 ? limit : -limit;
  // Multiply rather than shift: left-shifting a negative value is UB in C++17.
  return v * (int64_t(1) << left);
}

int64_t vai::quantizeValue(float x, int fixPoint, int bitWidth, bool isSigned,
                           RoundMode mode) {
  if (std::isnan(x))
    return 0;
  // Scaling a float by a power of two is exact in double for any fixPoint
  // we meet, so the only rounding is the one the mode asks for.
  double scaled = std::ldexp(static_cast<double>(x), fixPoint);
  double r = roundWith(mode, scaled);
  double lo = static_cast<double>(fixMin(bitWidth, isSigned));
  double hi = static_cast<double>(fixMax(bitWidth, isSigned));
  if (r <= lo)
    return fixMin(bitWidth, isSigned);
  if (r >= hi)
    return fixMax(bitWidth, isSigned);
  return static_cast<int64_t>(r);
}

float vai::dequantizeValue(int64_t q, int fixPoint) {
  return static_cast<float>(std::ldexp(static_cast<double>(q), -fixPoint));
}

int vai::defaultFixPos(int bitWidth) { return bitWidth - 1; }

int vai::fixPosNonOverflow(const float *data, size_t n, int bitWidth) {
  double lo = 0.0, hi = 0.0;
  for (size_t i = 0; i < n; ++i) {
    if (!std::isfinite(data[i]))
      continue;
    lo = std::min(lo, static_cast<double>(data[i]));
    hi = std::max(hi, static_cast<double>(data[i]));
  }
  // Half a step of guard: a value that rounds onto the range limit does not
  // clip (vai_q cpu_diff_S).
  double lowerBound = -std::ldexp(1.0, bitWidth - 1) - 0.5;
  double upperBound = std::ldexp(1.0, bitWidth - 1) - 0.5;
  double step = std::max(lo / lowerBound, hi / upperBound);
  if (!(step > 0.0))
    return defaultFixPos(bitWidth);
  return static_cast<int>(std::floor(std::log2(1.0 / step)));
}

double vai::quantizationError(const float *data, size_t n, int fixPoint,
                              int bitWidth, RoundMode mode) {
  double sum = 0.0;
  for (size_t i = 0; i < n; ++i) {
    if (!std::isfinite(data[i]))
      continue;
    double q = static_cast<double>(
        quantizeValue(data[i], fixPoint, bitWidth, true, mode));
    double d = std::ldexp(q, -fixPoint) - static_cast<double>(data[i]);
    sum += d * d;
  }
  return sum;
}

int vai::fixPosMinDiffs(const float *data, size_t n, int bitWidth,
                        RoundMode mode, int range) {
  int start = fixPosNonOverflow(data, n, bitWidth);
  bool anyNonZero = false;
  for (size_t i = 0; i < n && !anyNonZero; ++i)
    anyNonZero = std::isfinite(data[i]) && data[i] != 0.0f;
  if (!anyNonZero)
    return start;
  int best = start;
  double bestErr = std::numeric_limits<double>::infinity();
  for (int pos = start; pos < start + std::max(range, 1); ++pos) {
    double err = quantizationError(data, n, pos, bitWidth, mode);
    // Strictly smaller: ties keep the smaller position.
    if (err < bestErr) {
      bestErr = err;
      best = pos;
    }
  }
  return best;
}

int vai::fixPosDepthwise(const float *data, size_t n, size_t channels,
                         int bitWidth, RoundMode mode, int range) {
  int start = fixPosNonOverflow(data, n, bitWidth);
  if (channels == 0 || n % channels != 0)
    return fixPosMinDiffs(data, n, bitWidth, mode, range);
  std::vector<double> energy(channels, 0.0);
  for (size_t i = 0; i < n; ++i)
    if (std::isfinite(data[i]))
      energy[i % channels] += double(data[i]) * double(data[i]);
  if (std::none_of(energy.begin(), energy.end(),
                   [](double e) { return e > 0.0; }))
    return start;
  int best = start;
  double bestErr = std::numeric_limits<double>::infinity();
  std::vector<double> error(channels);
  for (int pos = start; pos < start + std::max(range, 1); ++pos) {
    std::fill(error.begin(), error.end(), 0.0);
    for (size_t i = 0; i < n; ++i) {
      if (!std::isfinite(data[i]))
        continue;
      double q = std::ldexp(
          double(quantizeValue(data[i], pos, bitWidth, true, mode)), -pos);
      double d = q - double(data[i]);
      error[i % channels] += d * d;
    }
    double mean = 0.0;
    for (size_t c = 0; c < channels; ++c)
      if (energy[c] > 0.0)
        mean += error[c] / energy[c];
    if (mean < bestErr) {
      bestErr = mean;
      best = pos;
    }
  }
  return best;
}

int vai::modeOfPositions(const std::vector<int> &positions) {
  std::map<int, size_t> counts;
  for (int p : positions)
    ++counts[p];
  int best = 0;
  size_t bestCount = 0;
  // std::map iterates in increasing order, so '>' keeps the smaller on ties.
  for (const auto &entry : counts) {
    if (entry.second > bestCount) {
      best = entry.first;
      bestCount = entry.second;
    }
  }
  return best;
}

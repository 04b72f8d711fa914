//===- ImageLoader.cpp - Calibration images, preprocessed -----------------===//
//
// Decoding is Debian's libstb-dev stb_image (header-only, compiled here with
// static linkage so it cannot clash with another copy). The preprocessing
// formulas are documented in the header; tests reimplement them in NumPy.
//
//===----------------------------------------------------------------------===//

#include "vai/Support/ImageLoader.h"
#include "vai/Support/FileIO.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>

#define STB_IMAGE_IMPLEMENTATION
#define STB_IMAGE_STATIC
#define STBI_NO_STDIO
#define STBI_ONLY_JPEG
#define STBI_ONLY_PNG
#define STBI_ONLY_BMP
#define STBI_ONLY_PNM
// Rejects absurd headers before allocating (an 8k x 8k RGB image is 192 MiB).
#define STBI_MAX_DIMENSIONS (1 << 14)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function"
#pragma GCC diagnostic ignored "-Wsign-compare"
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#include <stb/stb_image.h>
#pragma GCC diagnostic pop

using namespace vai;

namespace {

bool fail(std::string &error, const std::string &message) {
  error = message;
  return false;
}

/// A JSON number or list of numbers.
bool readNumbers(const llvm::json::Value &value, std::vector<double> &out) {
  out.clear();
  if (auto n = value.getAsNumber()) {
    out.push_back(*n);
    return true;
  }
  const llvm::json::Array *array = value.getAsArray();
  if (!array || array->empty())
    return false;
  for (const llvm::json::Value &v : *array) {
    auto n = v.getAsNumber();
    if (!n)
      return false;
    out.push_back(*n);
  }
  return true;
}

/// A JSON integer or list of one or two integers.
bool readSize(const llvm::json::Value &value, std::vector<int64_t> &out) {
  out.clear();
  if (auto n = value.getAsInteger()) {
    out.push_back(*n);
    return true;
  }
  const llvm::json::Array *array = value.getAsArray();
  if (!array || array->empty() || array->size() > 2)
    return false;
  for (const llvm::json::Value &v : *array) {
    auto n = v.getAsInteger();
    if (!n)
      return false;
    out.push_back(*n);
  }
  return true;
}

/// Separable bilinear resize with half-pixel centres (see the header).
struct Taps {
  std::vector<int64_t> i0, i1;
  std::vector<float> f;
};

Taps computeTaps(int64_t in, int64_t out) {
  Taps taps;
  double ratio = double(in) / double(out);
  for (int64_t d = 0; d < out; ++d) {
    double src = std::max(0.0, (double(d) + 0.5) * ratio - 0.5);
    int64_t i0 = std::min<int64_t>(int64_t(std::floor(src)), in - 1);
    taps.i0.push_back(i0);
    taps.i1.push_back(std::min<int64_t>(i0 + 1, in - 1));
    taps.f.push_back(float(src - double(i0)));
  }
  return taps;
}

void resizeBilinear(const std::vector<float> &in, int64_t inH, int64_t inW,
                    int64_t c, int64_t outH, int64_t outW,
                    std::vector<float> &out) {
  Taps ty = computeTaps(inH, outH), tx = computeTaps(inW, outW);
  out.assign(outH * outW * c, 0.0f);
  for (int64_t y = 0; y < outH; ++y) {
    const float *r0 = &in[ty.i0[y] * inW * c];
    const float *r1 = &in[ty.i1[y] * inW * c];
    float fy = ty.f[y];
    for (int64_t x = 0; x < outW; ++x) {
      int64_t a = tx.i0[x] * c, b = tx.i1[x] * c;
      float fx = tx.f[x];
      float *o = &out[(y * outW + x) * c];
      for (int64_t k = 0; k < c; ++k) {
        float top = (1 - fx) * r0[a + k] + fx * r0[b + k];
        float bottom = (1 - fx) * r1[a + k] + fx * r1[b + k];
        o[k] = (1 - fy) * top + fy * bottom;
      }
    }
  }
}

} // namespace

bool vai::parsePreprocessSpec(const std::string &json,
                              const std::string &source, PreprocessSpec &spec,
                              std::string &error) {
  llvm::Expected<llvm::json::Value> parsed = llvm::json::parse(json);
  if (!parsed)
    return fail(error, source + ": invalid JSON: " +
                           llvm::toString(parsed.takeError()));
  const llvm::json::Object *object = parsed->getAsObject();
  if (!object)
    return fail(error, source + ": expected a JSON object");
  bool haveScale = false, haveStd = false;
  for (const auto &[key, value] : *object) {
    std::string where = source + ": '" + key.str() + "' ";
    if (key == "resize" || key == "crop") {
      std::vector<int64_t> &size = key == "resize" ? spec.resize : spec.crop;
      if (!readSize(value, size))
        return fail(error,
                    where + "must be an integer or a list [height, width]");
    } else if (key == "mean") {
      if (!readNumbers(value, spec.mean))
        return fail(error, where + "must be a number or a list of numbers");
    } else if (key == "scale" || key == "std") {
      (key == "scale" ? haveScale : haveStd) = true;
      if (!readNumbers(value, spec.scale))
        return fail(error, where + "must be a number or a list of numbers");
      if (key == "std") {
        for (double &s : spec.scale) {
          if (s == 0)
            return fail(error, where + "must not contain 0");
          s = 1.0 / s;
        }
      }
    } else if (key == "channel_order") {
      std::optional<llvm::StringRef> order = value.getAsString();
      if (order && order->equals_insensitive("rgb"))
        spec.bgr = false;
      else if (order && order->equals_insensitive("bgr"))
        spec.bgr = true;
      else
        return fail(error, where + "must be \"RGB\" or \"BGR\"");
    } else {
      return fail(error, where + "is not a preprocessing key (resize, crop, "
                                 "mean, scale, std, channel_order)");
    }
  }
  if (haveScale && haveStd)
    return fail(error, source + ": give either 'scale' or 'std', not both");
  return true;
}

bool vai::validatePreprocessSpec(const PreprocessSpec &spec, int64_t channels,
                                 std::string &error) {
  auto checkSize = [&](const std::vector<int64_t> &size, const char *name) {
    if (size.size() > 2)
      return fail(error, std::string(name) + " takes one or two sizes");
    for (int64_t s : size)
      if (s <= 0)
        return fail(error, std::string(name) + " sizes must be positive");
    return true;
  };
  auto checkCount = [&](const std::vector<double> &values, const char *name) {
    if (values.size() > 1 && int64_t(values.size()) != channels)
      return fail(error, std::string(name) + " has " +
                             std::to_string(values.size()) +
                             " values but the input has " +
                             std::to_string(channels) + " channels");
    return true;
  };
  if (channels != 1 && channels != 3)
    return fail(error, "images need an input with 1 or 3 channels, not " +
                           std::to_string(channels));
  return checkSize(spec.resize, "resize") && checkSize(spec.crop, "crop") &&
         checkCount(spec.mean, "mean") && checkCount(spec.scale, "scale");
}

bool vai::listImageFiles(const std::string &dir,
                         std::vector<std::string> &files, std::string &error) {
  if (!llvm::sys::fs::is_directory(dir))
    return fail(error, dir + ": no such folder");
  files.clear();
  std::error_code ec;
  for (llvm::sys::fs::directory_iterator it(dir, ec), end; it != end && !ec;
       it.increment(ec)) {
    llvm::StringRef path = it->path();
    std::string ext = llvm::sys::path::extension(path).lower();
    if (ext != ".jpg" && ext != ".jpeg" && ext != ".png" && ext != ".bmp" &&
        ext != ".pgm" && ext != ".ppm" && ext != ".pnm")
      continue;
    if (llvm::sys::fs::is_regular_file(path))
      files.push_back(path.str());
  }
  if (ec)
    return fail(error, dir + ": cannot list: " + ec.message());
  if (files.empty())
    return fail(error, dir + ": holds no images (.jpg, .jpeg, .png, .bmp, "
                             ".pgm, .ppm, .pnm)");
  // All paths share the folder prefix, so this is the order of file names.
  std::sort(files.begin(), files.end());
  return true;
}

bool vai::loadImage(const std::string &path, const PreprocessSpec &spec,
                    int64_t channels, FloatArray &out, std::string &error) {
  std::string bytes;
  if (!readWholeFile(path, bytes, error))
    return false;
  if (bytes.size() > size_t(std::numeric_limits<int>::max()))
    return fail(error, path + ": file too large");
  int width = 0, height = 0, fileChannels = 0;
  stbi_uc *pixels = stbi_load_from_memory(
      reinterpret_cast<const stbi_uc *>(bytes.data()), int(bytes.size()),
      &width, &height, &fileChannels, int(channels));
  if (!pixels)
    return fail(error,
                path + ": cannot decode image: " + stbi_failure_reason());
  int64_t h = height, w = width, c = channels;
  std::vector<float> image(pixels, pixels + h * w * c);
  stbi_image_free(pixels);

  if (!spec.resize.empty()) {
    int64_t outH, outW;
    if (spec.resize.size() == 2) {
      outH = spec.resize[0];
      outW = spec.resize[1];
    } else if (h <= w) {
      outH = spec.resize[0];
      outW = spec.resize[0] * w / h;
    } else {
      outW = spec.resize[0];
      outH = spec.resize[0] * h / w;
    }
    if (outH <= 0 || outW <= 0)
      return fail(error, path + ": resize to " + std::to_string(outH) + "x" +
                             std::to_string(outW) + " is empty");
    std::vector<float> resized;
    resizeBilinear(image, h, w, c, outH, outW, resized);
    image.swap(resized);
    h = outH;
    w = outW;
  }

  if (!spec.crop.empty()) {
    int64_t ch = spec.crop[0], cw = spec.crop.back();
    if (ch > h || cw > w)
      return fail(error, path + ": crop " + std::to_string(ch) + "x" +
                             std::to_string(cw) + " is larger than the " +
                             std::to_string(h) + "x" + std::to_string(w) +
                             " image");
    int64_t top = (h - ch) / 2, left = (w - cw) / 2;
    std::vector<float> cropped;
    cropped.reserve(ch * cw * c);
    for (int64_t y = 0; y < ch; ++y) {
      const float *row = &image[((top + y) * w + left) * c];
      cropped.insert(cropped.end(), row, row + cw * c);
    }
    image.swap(cropped);
    h = ch;
    w = cw;
  }

  for (int64_t p = 0; p < h * w; ++p) {
    float *px = &image[p * c];
    if (spec.bgr && c == 3)
      std::swap(px[0], px[2]);
    for (int64_t k = 0; k < c; ++k) {
      double mean =
          spec.mean.empty() ? 0.0 : spec.mean[spec.mean.size() == 1 ? 0 : k];
      double scale =
          spec.scale.empty() ? 1.0 : spec.scale[spec.scale.size() == 1 ? 0 : k];
      px[k] = float((double(px[k]) - mean) * scale);
    }
  }
  out.shape = {h, w, c};
  out.data = std::move(image);
  return true;
}

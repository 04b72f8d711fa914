//===- ImageLoader.h - Calibration images, preprocessed --------*- C++ -*-===//
//
// Loads a folder of images (JPEG, PNG, BMP, PNM, via stb_image) as float
// HWC tensors ready for a model's NHWC input. The preprocessing is fixed in
// this order, every step optional:
//
//   1. decode to 8-bit, 1 channel (grey) or 3 (RGB) as the model wants;
//   2. resize, bilinear with half-pixel centres and no antialiasing:
//        src = (dst + 0.5) * in / out - 0.5, clamped below at 0;
//        i0 = min(floor(src), in - 1), i1 = min(i0 + 1, in - 1),
//        f = src - i0, v = (1 - f) * p[i0] + f * p[i1]
//      along y then x (the same formula as OpenCV's INTER_LINEAR and
//      TensorFlow's half_pixel_centers). The result stays float: no
//      rounding back to 8 bits. A single size S resizes the shorter side to
//      S and the longer side L to floor(S * L / shorter), as torchvision;
//   3. centre crop to h x w, top = floor((H - h) / 2), left likewise;
//   4. channel order: RGB (decoded order) or BGR (reversed);
//   5. out = (pixel - mean[c]) * scale[c], pixels in 0..255, c indexing the
//      channels after step 4; one value applies to every channel.
//
//===----------------------------------------------------------------------===//

#ifndef VAI_SUPPORT_IMAGELOADER_H
#define VAI_SUPPORT_IMAGELOADER_H

#include "vai/Simulator/NDArray.h"

#include <cstdint>
#include <string>
#include <vector>

namespace vai {

struct PreprocessSpec {
  /// Empty: no resize; {s}: shorter side to s; {h, w}: exact size.
  std::vector<int64_t> resize;
  /// Empty: no crop; {s}: s x s; {h, w}.
  std::vector<int64_t> crop;
  /// One value or one per channel; empty means 0.
  std::vector<double> mean;
  /// One value or one per channel; empty means 1.
  std::vector<double> scale;
  bool bgr = false;
};

/// Parses a JSON object with the optional keys "resize" (int or [h, w]),
/// "crop" (int or [h, w]), "mean", "scale" or "std" (a number or a list;
/// std s means scale 1/s), "channel_order" ("RGB" or "BGR"). Unknown keys
/// are errors so that a typo is not silently ignored. `source` names the
/// text in messages.
bool parsePreprocessSpec(const std::string &json, const std::string &source,
                         PreprocessSpec &spec, std::string &error);

/// Checks sizes and value counts against the channel count.
bool validatePreprocessSpec(const PreprocessSpec &spec, int64_t channels,
                            std::string &error);

/// The image files of `dir` (by extension, case-insensitive: jpg, jpeg,
/// png, bmp, pgm, ppm, pnm), full paths sorted by file name. Other files
/// are ignored; a missing folder or one without images is an error.
bool listImageFiles(const std::string &dir, std::vector<std::string> &files,
                    std::string &error);

/// Decodes `path` with `channels` (1 or 3) channels and applies `spec`;
/// `out` has shape {H, W, channels}. Errors name the file.
bool loadImage(const std::string &path, const PreprocessSpec &spec,
               int64_t channels, FloatArray &out, std::string &error);

} // namespace vai

#endif // VAI_SUPPORT_IMAGELOADER_H

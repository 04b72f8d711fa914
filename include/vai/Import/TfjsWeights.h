//===- TfjsWeights.h - TF.js weight manifests and shards --------*- C++ -*-===//
//
// Both kinds of TF.js model (graph models and Keras layers models) keep
// their weights the same way: model.json has a `weightsManifest`, a list of
// groups, each naming shard files (`paths`, relative to model.json) whose
// concatenated bytes hold the group's `weights` in order. A weight may be
// quantized (`quantization`: uint8/uint16 with scale and min, or float16);
// reading dequantizes it, as tf.io.decodeWeights does.
//
//===----------------------------------------------------------------------===//

#ifndef VAI_IMPORT_TFJSWEIGHTS_H
#define VAI_IMPORT_TFJSWEIGHTS_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/JSON.h"
#include <cstdint>
#include <string>
#include <vector>

namespace vai {

/// One decoded weight. Float weights (float32, and quantized or float16 ones
/// after dequantization) fill `floats`; int32 and bool fill `ints`.
struct TfjsWeight {
  std::string name;
  std::vector<int64_t> shape;
  /// The dtype after dequantization: "float32", "int32" or "bool".
  std::string dtype;
  std::vector<float> floats;
  std::vector<int64_t> ints;
  /// The manifest's quantization dtype ("uint8", "uint16", "float16"), or
  /// empty when the weight was stored unquantized.
  std::string quantizedFrom;
};

/// Reads every weight of `manifest` (model.json's `weightsManifest` array)
/// from shard files found relative to `baseDir`. On failure returns false
/// with `error` naming the shard file or weight and the reason (a missing
/// or short shard, an unknown dtype, a bad manifest entry).
bool readTfjsWeights(const llvm::json::Array &manifest, llvm::StringRef baseDir,
                     std::vector<TfjsWeight> &weights, std::string &error);

} // namespace vai

#endif // VAI_IMPORT_TFJSWEIGHTS_H

//===- TfjsWeights.cpp - TF.js weight manifests and shards ----------------===//
//
// The manifest format and the dequantization rules follow tfjs-core's
// io/types.ts (WeightsManifestEntry) and io/io_utils.ts (decodeWeights):
// a group's shards are concatenated and its weights laid out back to back,
// little-endian; uint8/uint16 values become `v * scale + min` (computed in
// double, as JavaScript does, then stored as float32, or rounded for int32
// weights); float16 values widen to float32.
//
//===----------------------------------------------------------------------===//

#include "vai/Import/TfjsWeights.h"
#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/APInt.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include <cmath>

using namespace llvm;

namespace vai {
namespace {

/// Bytes per element of a stored dtype; 0 when the dtype is unknown.
/// String weights (length-prefixed) are not supported: no graph op of ours
/// consumes them.
size_t storedBytes(StringRef dtype) {
  return StringSwitch<size_t>(dtype)
      .Cases({"float32", "int32"}, 4)
      .Cases({"uint16", "float16"}, 2)
      .Cases({"uint8", "bool"}, 1)
      .Default(0);
}

/// Reads the concatenated shards of one manifest group.
bool readGroup(const json::Object &group, size_t index, StringRef baseDir,
               std::string &bytes, std::string &error) {
  const json::Array *paths = group.getArray("paths");
  if (!paths) {
    error = "weightsManifest group " + std::to_string(index) +
            " has no 'paths' list";
    return false;
  }
  for (const json::Value &p : *paths) {
    std::optional<StringRef> rel = p.getAsString();
    if (!rel) {
      error = "weightsManifest group " + std::to_string(index) +
              " has a path that is not a string";
      return false;
    }
    SmallString<256> path(baseDir);
    sys::path::append(path, *rel);
    auto buffer = MemoryBuffer::getFile(path, /*IsText=*/false,
                                        /*RequiresNullTerminator=*/false);
    if (!buffer) {
      error = "cannot read weight shard '" + std::string(path) +
              "': " + buffer.getError().message();
      return false;
    }
    bytes += (*buffer)->getBuffer();
  }
  return true;
}

bool readShape(const json::Object &entry, const std::string &name,
               std::vector<int64_t> &shape, std::string &error) {
  const json::Array *dims = entry.getArray("shape");
  if (!dims) {
    error = "weight '" + name + "' has no 'shape'";
    return false;
  }
  for (const json::Value &d : *dims) {
    std::optional<int64_t> v = d.getAsInteger();
    if (!v || *v < 0) {
      error = "weight '" + name + "' has a bad shape entry";
      return false;
    }
    shape.push_back(*v);
  }
  return true;
}

/// Decodes one weight from `data` (exactly its stored bytes).
bool decodeWeight(TfjsWeight &w, StringRef stored, const json::Object *quant,
                  StringRef data, size_t count, std::string &error) {
  const auto *p = reinterpret_cast<const uint8_t *>(data.data());
  double scale = 1.0, min = 0.0;
  if (stored == "uint8" || stored == "uint16") {
    std::optional<double> s = quant->getNumber("scale");
    std::optional<double> m = quant->getNumber("min");
    if (!s || !m) {
      error = "weight '" + w.name + "' is " + stored.str() +
              "-quantized without 'scale' and 'min'";
      return false;
    }
    scale = *s;
    min = *m;
  }
  auto storedValue = [&](size_t i) -> double {
    if (stored == "uint8")
      return p[i] * scale + min;
    if (stored == "uint16")
      return support::endian::read16le(p + 2 * i) * scale + min;
    if (stored == "float16")
      return APFloat(APFloat::IEEEhalf(),
                     APInt(16, support::endian::read16le(p + 2 * i)))
          .convertToFloat();
    if (stored == "float32")
      return APFloat(APFloat::IEEEsingle(),
                     APInt(32, support::endian::read32le(p + 4 * i)))
          .convertToFloat();
    if (stored == "int32")
      return int32_t(support::endian::read32le(p + 4 * i));
    return p[i] != 0; // bool
  };
  if (w.dtype == "float32") {
    if (stored == "int32" || stored == "bool") {
      error =
          "weight '" + w.name + "' is float32 but stored as " + stored.str();
      return false;
    }
    w.floats.resize(count);
    for (size_t i = 0; i < count; ++i)
      w.floats[i] = float(storedValue(i));
    return true;
  }
  if (w.dtype == "int32" || w.dtype == "bool") {
    if (stored == "float32" || stored == "float16" ||
        (w.dtype == "bool" && stored != "bool")) {
      error = "weight '" + w.name + "' is " + w.dtype + " but stored as " +
              stored.str();
      return false;
    }
    w.ints.resize(count);
    for (size_t i = 0; i < count; ++i)
      w.ints[i] = int64_t(std::floor(storedValue(i) + 0.5)); // Math.round
    return true;
  }
  error = "weight '" + w.name + "' has unsupported dtype '" + w.dtype + "'";
  return false;
}

} // namespace

bool readTfjsWeights(const json::Array &manifest, StringRef baseDir,
                     std::vector<TfjsWeight> &weights, std::string &error) {
  for (auto [index, groupValue] : llvm::enumerate(manifest)) {
    const json::Object *group = groupValue.getAsObject();
    if (!group) {
      error = "weightsManifest group " + std::to_string(index) +
              " is not an object";
      return false;
    }
    std::string bytes;
    if (!readGroup(*group, index, baseDir, bytes, error))
      return false;
    const json::Array *entries = group->getArray("weights");
    if (!entries) {
      error = "weightsManifest group " + std::to_string(index) +
              " has no 'weights' list";
      return false;
    }
    size_t offset = 0;
    for (const json::Value &entryValue : *entries) {
      const json::Object *entry = entryValue.getAsObject();
      std::optional<StringRef> name =
          entry ? entry->getString("name") : std::nullopt;
      if (!name) {
        error = "weightsManifest group " + std::to_string(index) +
                " has a weight without a name";
        return false;
      }
      TfjsWeight w;
      w.name = name->str();
      if (!readShape(*entry, w.name, w.shape, error))
        return false;
      std::optional<StringRef> dtype = entry->getString("dtype");
      if (!dtype) {
        error = "weight '" + w.name + "' has no 'dtype'";
        return false;
      }
      w.dtype = dtype->str();
      StringRef stored = *dtype;
      const json::Object *quant = entry->getObject("quantization");
      if (quant) {
        std::optional<StringRef> q = quant->getString("dtype");
        if (!q) {
          error = "weight '" + w.name + "' has a quantization without 'dtype'";
          return false;
        }
        stored = *q;
        w.quantizedFrom = q->str();
        if (stored != "uint8" && stored != "uint16" && stored != "float16") {
          error = "weight '" + w.name + "' has unknown quantization dtype '" +
                  stored.str() + "'";
          return false;
        }
      }
      bool knownDtype =
          w.dtype == "float32" || w.dtype == "int32" || w.dtype == "bool";
      size_t elemBytes = storedBytes(stored);
      if (!knownDtype || elemBytes == 0) {
        error = "weight '" + w.name + "' has unknown dtype '" +
                (knownDtype ? stored.str() : w.dtype) + "'";
        return false;
      }
      // Saturating, so absurd shapes in a bad manifest read as "too short".
      uint64_t count = 1;
      for (int64_t d : w.shape)
        count = SaturatingMultiply(count, uint64_t(d));
      uint64_t size = SaturatingMultiply(count, uint64_t(elemBytes));
      if (size > bytes.size() - offset) {
        std::string shards;
        for (const json::Value &p : *group->getArray("paths"))
          shards += (shards.empty() ? "'" : ", '") +
                    p.getAsString().value_or("").str() + "'";
        error = "weight '" + w.name + "' needs bytes " +
                std::to_string(offset) + " to " +
                std::to_string(offset + size) + " of weight group " +
                std::to_string(index) + " but its shards (" + shards +
                ") hold " + std::to_string(bytes.size());
        return false;
      }
      if (!decodeWeight(w, stored, quant, StringRef(bytes).substr(offset, size),
                        count, error))
        return false;
      offset += size;
      weights.push_back(std::move(w));
    }
  }
  return true;
}

} // namespace vai

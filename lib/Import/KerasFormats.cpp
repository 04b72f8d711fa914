//===- KerasFormats.cpp - The files a Keras model is stored in ------------===//
//
// Layouts written by tf.keras 2.x (keras/saving/hdf5_format.py):
// - model.save / ModelCheckpoint: root attributes `model_config` (JSON),
//   `keras_version`, `backend`; weights under group `model_weights`, whose
//   attribute `layer_names` lists one group per layer, each with attribute
//   `weight_names` naming its datasets (`conv2d/kernel:0`, a path below the
//   layer group).
// - save_weights / ModelCheckpoint(save_weights_only): the same layer
//   groups at the root, `layer_names` a root attribute.
// An attribute too large for an HDF5 object header is split into `name0`,
// `name1`, ... . TF.js layers models keep the Keras config in model.json's
// `modelTopology` (either the config itself or under `model_config`).
//
//===----------------------------------------------------------------------===//

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "vai/Dialect/Tfg/TfgOps.h"
#include "vai/Import/Hdf5File.h"
#include "vai/Import/KerasImporter.h"
#include "vai/Import/TfjsWeights.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Path.h"

using namespace mlir;
namespace json = llvm::json;

namespace vai {
namespace {

/// Reads a string-list attribute, also when Keras split it into chunks.
bool readChunkedStrings(const Hdf5File &file, StringRef object, StringRef name,
                        std::vector<std::string> &values, std::string &error) {
  if (file.hasAttribute(object, name))
    return file.readStrings(object, name, values, error);
  values.clear();
  for (int i = 0;; ++i) {
    std::string chunk = (name + llvm::Twine(i)).str();
    if (!file.hasAttribute(object, chunk))
      return true;
    std::vector<std::string> part;
    if (!file.readStrings(object, chunk, part, error))
      return false;
    values.insert(values.end(), part.begin(), part.end());
  }
}

class Hdf5Weights : public KerasWeightSource {
public:
  Hdf5Weights(std::unique_ptr<Hdf5File> file, std::string group)
      : file(std::move(file)), group(std::move(group)) {}

  std::string fileName() const override { return file->name(); }

  bool layerWeights(StringRef layer, std::vector<KerasTensor> &weights,
                    std::string &error) override {
    std::string path = group.empty() ? layer.str() : group + "/" + layer.str();
    if (!file->hasObject(path))
      return true;
    std::vector<std::string> names;
    if (!readChunkedStrings(*file, path, "weight_names", names, error))
      return false;
    for (const std::string &name : names) {
      KerasTensor t;
      t.name = name;
      if (!file->readFloats(path + "/" + name, t.data, t.shape, error))
        return false;
      weights.push_back(std::move(t));
    }
    return true;
  }

  /// Where the layer groups are: `model_weights` in a full model, the root
  /// in a weights-only file. Empty string with `found` false if neither.
  static std::string findGroup(const Hdf5File &file, bool &found) {
    found = true;
    if (file.hasAttribute("model_weights", "layer_names") ||
        file.hasAttribute("model_weights", "layer_names0"))
      return "model_weights";
    found = file.hasAttribute("/", "layer_names") ||
            file.hasAttribute("/", "layer_names0");
    return "";
  }

private:
  std::unique_ptr<Hdf5File> file;
  std::string group;
};

class TfjsLayersWeights : public KerasWeightSource {
public:
  TfjsLayersWeights(std::string file, std::vector<TfjsWeight> all)
      : file(std::move(file)), all(std::move(all)) {
    // `layer/weight`; models nested in name scopes add prefixes, so the
    // component before the weight name also finds the layer.
    for (auto [i, w] : llvm::enumerate(this->all)) {
      auto [prefix, last] = StringRef(w.name).rsplit('/');
      if (last.empty())
        continue;
      byLayer[prefix].push_back(i);
      StringRef inner = prefix.rsplit('/').second;
      if (!inner.empty())
        byInnerName[inner].push_back(i);
    }
  }

  std::string fileName() const override { return file; }

  bool layerWeights(StringRef layer, std::vector<KerasTensor> &weights,
                    std::string &error) override {
    auto it = byLayer.find(layer);
    if (it == byLayer.end()) {
      it = byInnerName.find(layer);
      if (it == byInnerName.end())
        return true;
    }
    for (size_t i : it->second) {
      const TfjsWeight &w = all[i];
      if (w.dtype != "float32") {
        error = file + ": weight '" + w.name + "' has dtype " + w.dtype +
                ", expected float32";
        return false;
      }
      weights.push_back({w.name, w.shape, w.floats});
    }
    return true;
  }

private:
  std::string file;
  std::vector<TfjsWeight> all;
  llvm::StringMap<std::vector<size_t>> byLayer, byInnerName;
};

InFlightDiagnostic fileError(MLIRContext *context, StringRef fileName) {
  return emitError(FileLineColLoc::get(context, fileName, 0, 0));
}

std::optional<json::Value> parseJson(MLIRContext *context, StringRef text,
                                     StringRef fileName) {
  auto parsed = json::parse(text);
  if (!parsed) {
    fileError(context, fileName)
        << "is not valid JSON: " << llvm::toString(parsed.takeError());
    return std::nullopt;
  }
  return std::move(*parsed);
}

std::unique_ptr<KerasWeightSource>
openWeightsFile(MLIRContext *context, std::unique_ptr<Hdf5File> file) {
  bool found;
  std::string group = Hdf5Weights::findGroup(*file, found);
  if (!found) {
    fileError(context, file->name())
        << "holds no Keras weights (no 'layer_names' attribute at the root "
           "or in 'model_weights')";
    return nullptr;
  }
  return std::make_unique<Hdf5Weights>(std::move(file), group);
}

} // namespace

OwningOpRef<ModuleOp> importKeras(StringRef bytes, StringRef fileName,
                                  MLIRContext *context,
                                  const KerasImportOptions &options) {
  context->loadDialect<tfg::TfgDialect, func::FuncDialect>();
  KerasModelInfo info;
  info.fileName = fileName.str();
  std::string error;
  std::optional<json::Value> config;
  std::unique_ptr<KerasWeightSource> weights;

  if (!Hdf5File::hasSignature(bytes) && bytes.ltrim().starts_with("{")) {
    // model.to_json(): the architecture alone.
    config = parseJson(context, bytes, fileName);
    if (!config)
      return nullptr;
    if (options.weightsFile.empty()) {
      fileError(context, fileName)
          << "is a Keras architecture without weights: give the weights .h5 "
             "(save_weights) with --keras-weights=FILE";
      return nullptr;
    }
    if (const json::Object *o = config->getAsObject())
      info.kerasVersion = o->getString("keras_version").value_or("").str();
  } else {
    auto file = Hdf5File::openImage(bytes, fileName, error);
    if (!file) {
      emitError(FileLineColLoc::get(context, fileName, 0, 0)) << error;
      return nullptr;
    }
    if (!file->hasAttribute("/", "model_config")) {
      fileError(context, fileName)
          << "has no model_config: it holds only weights; give the "
             "architecture JSON (model.to_json()) as the input and this file "
             "as --keras-weights="
          << fileName;
      return nullptr;
    }
    std::string text;
    if (!file->readString("/", "model_config", text, error)) {
      emitError(FileLineColLoc::get(context, fileName, 0, 0)) << error;
      return nullptr;
    }
    config = parseJson(context, text, (fileName + " (model_config)").str());
    if (!config)
      return nullptr;
    if (file->hasAttribute("/", "keras_version") &&
        !file->readString("/", "keras_version", info.kerasVersion, error)) {
      emitError(FileLineColLoc::get(context, fileName, 0, 0)) << error;
      return nullptr;
    }
    if (options.weightsFile.empty()) {
      weights = openWeightsFile(context, std::move(file));
      if (!weights)
        return nullptr;
    }
  }
  if (!weights) {
    auto file = Hdf5File::open(options.weightsFile, error);
    if (!file) {
      emitError(FileLineColLoc::get(context, options.weightsFile, 0, 0))
          << error;
      return nullptr;
    }
    weights = openWeightsFile(context, std::move(file));
    if (!weights)
      return nullptr;
  }
  return lowerKerasModel(*config, *weights, info, context);
}

OwningOpRef<ModuleOp> importTfjsLayers(StringRef bytes, StringRef fileName,
                                       MLIRContext *context) {
  context->loadDialect<tfg::TfgDialect, func::FuncDialect>();
  std::optional<json::Value> model = parseJson(context, bytes, fileName);
  if (!model)
    return nullptr;
  const json::Object *root = model->getAsObject();
  if (!root) {
    fileError(context, fileName) << "is not a TF.js model (not an object)";
    return nullptr;
  }
  std::optional<StringRef> format = root->getString("format");
  if (format && *format != "layers-model") {
    fileError(context, fileName)
        << "is a TF.js '" << *format
        << "', not a layers model (use --import-tfjs-graph for graph models)";
    return nullptr;
  }
  const json::Object *topology = root->getObject("modelTopology");
  if (!topology) {
    fileError(context, fileName) << "has no modelTopology";
    return nullptr;
  }
  if (topology->get("node")) {
    fileError(context, fileName)
        << "holds a TF graph (modelTopology.node), not a Keras layers model "
           "(use --import-tfjs-graph)";
    return nullptr;
  }
  KerasModelInfo info;
  info.fileName = fileName.str();
  info.tfjs = true;
  info.kerasVersion = topology->getString("keras_version").value_or("").str();
  const json::Value *config = topology->get("model_config");
  if (!config)
    config = root->get("modelTopology");
  const json::Array *manifest = root->getArray("weightsManifest");
  if (!manifest) {
    fileError(context, fileName) << "has no weightsManifest";
    return nullptr;
  }
  StringRef dir = llvm::sys::path::parent_path(fileName);
  std::vector<TfjsWeight> all;
  std::string error;
  if (!readTfjsWeights(*manifest, dir.empty() ? "." : dir, all, error)) {
    fileError(context, fileName) << error;
    return nullptr;
  }
  TfjsLayersWeights weights(fileName.str(), std::move(all));
  return lowerKerasModel(*config, weights, info, context);
}

} // namespace vai

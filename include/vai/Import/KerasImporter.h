//===- KerasImporter.h - Keras and TF.js layers models to tfg ---*- C++ -*-===//
//
// A Keras model is a JSON config (Sequential or Functional) plus weights
// found by (layer name, weight name). The same lowering serves every way the
// model can be stored: a full-model or checkpoint .h5 (`model.save`,
// ModelCheckpoint), an architecture JSON (`model.to_json()`) with a
// `save_weights` .h5, and a TF.js layers model (model.json with the config
// under `modelTopology` and weight shards in `weightsManifest`).
//
//===----------------------------------------------------------------------===//

#ifndef VAI_IMPORT_KERASIMPORTER_H
#define VAI_IMPORT_KERASIMPORTER_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/JSON.h"
#include <cstdint>
#include <string>
#include <vector>

namespace vai {

/// One stored weight of a layer. `name` is the name the file gives it
/// (`conv2d/kernel:0` in .h5, `conv2d/kernel` in TF.js); the importer
/// matches on its last component without the `:0` suffix.
struct KerasTensor {
  std::string name;
  std::vector<int64_t> shape;
  std::vector<float> data;
};

/// Where a model's weights are read from.
class KerasWeightSource {
public:
  virtual ~KerasWeightSource() = default;
  /// The file named in messages.
  virtual std::string fileName() const = 0;
  /// Fills `weights` with what is stored for `layer` (nothing for a layer
  /// without weights). False with `error` when the file cannot be read.
  virtual bool layerWeights(llvm::StringRef layer,
                            std::vector<KerasTensor> &weights,
                            std::string &error) = 0;
};

/// Facts about the file that change how a config reads.
struct KerasModelInfo {
  /// The file the config came from (for locations and messages).
  std::string fileName;
  /// `keras_version` as saved ("2.2.4", "3.1.0"; empty if unknown).
  std::string kerasVersion;
  /// Written by TF.js: its UpSampling2D resizes without half-pixel centers.
  bool tfjs = false;
};

/// Lowers `modelConfig` ({"class_name": "Sequential" | "Functional" |
/// "Model", "config": {...}}) to a module with one function `@main`, NHWC:
/// arguments are the model inputs (`tfg.name` = input layer name), results
/// the model outputs (`tfg.output_names` = output layer names). Emits a
/// diagnostic naming the file, layer and class and returns null on error.
mlir::OwningOpRef<mlir::ModuleOp>
lowerKerasModel(const llvm::json::Value &modelConfig,
                KerasWeightSource &weights, const KerasModelInfo &info,
                mlir::MLIRContext *context);

struct KerasImportOptions {
  /// A `save_weights` .h5 holding the weights for an architecture JSON
  /// input; with a full-model .h5 input it replaces that file's weights.
  std::string weightsFile;
};

/// Imports `bytes` (read from `fileName`): an .h5 written by `model.save`
/// or ModelCheckpoint, or an architecture JSON paired with
/// `options.weightsFile`.
mlir::OwningOpRef<mlir::ModuleOp>
importKeras(llvm::StringRef bytes, llvm::StringRef fileName,
            mlir::MLIRContext *context, const KerasImportOptions &options);

/// Imports a TF.js layers model: `bytes` is model.json, read from
/// `fileName`; its weight shards are found next to it.
mlir::OwningOpRef<mlir::ModuleOp> importTfjsLayers(llvm::StringRef bytes,
                                                   llvm::StringRef fileName,
                                                   mlir::MLIRContext *context);

} // namespace vai

#endif // VAI_IMPORT_KERASIMPORTER_H

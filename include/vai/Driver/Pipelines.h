//===- Pipelines.h - Named pass pipelines -----------------------*- C++ -*-===//

#ifndef VAI_DRIVER_PIPELINES_H
#define VAI_DRIVER_PIPELINES_H

#include "mlir/Pass/PassManager.h"
#include <string>
#include <vector>

namespace vai {

struct CompileOptions {
  std::string calibrationData; ///< .npy, .npz or folder of images
  std::string preprocessPath;  ///< JSON preprocessing spec for images
  std::string archPath;        ///< arch.json
  unsigned method = 1;         ///< position selection (vai_q's method)
  unsigned batchSize = 32;
  unsigned calibIter = 0;
  unsigned weightBit = 8, activationBit = 8;
  /// vai_q's `name:value` lists and node lists (see quantizer-options.md).
  std::vector<std::string> nodesBit, nodesMethod, ignoreNodes;
  bool simulateDpu = true;
  /// Corrections: cross-layer equalization (relu6 replaced by relu so that
  /// every pair equalizes), bias correction and fast finetune.
  bool cle = false, biasCorrection = false, fastFinetune = false;
};

/// What `vai-float-prepare` may do beyond the exact rewrites; all off by
/// default (vai_q's replacement options and cross-layer equalization).
struct FloatPrepareOptions {
  bool relu6ToRelu = false;
  bool sigmoidToHardSigmoid = false;
  bool swishToHardSwish = false;
  bool softmaxToHardSoftmax = false;
  /// Cross-layer equalization; `cleRelu6` is "skip" (exact) or "replace".
  bool cle = false;
  std::string cleRelu6 = "skip";
  unsigned cleIterations = 20;
};

/// The float graph in the form the DPU executes: cleanup (identities, dead
/// code, constant subgraphs), transpose cancelling, pad fusion, batch-norm
/// folding, constant mul/add folding, bias/activation fusion, then the
/// optional replacements and CLE, and a final cleanup. See
/// docs/passes/float-prepare.md.
void buildFloatPreparePipeline(mlir::OpPassManager &pm,
                               const FloatPrepareOptions &options = {});

/// The whole compile: float preparation, calibration, quantization and
/// partitioning for the target (what `vai-compile` runs).
void buildCompilePipeline(mlir::OpPassManager &pm,
                          const CompileOptions &options);

/// Registers `vai-float-prepare` and `vai-compile` with the pass registry.
void registerPipelines();

} // namespace vai

#endif // VAI_DRIVER_PIPELINES_H

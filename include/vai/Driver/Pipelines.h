//===- Pipelines.h - Named pass pipelines -----------------------*- C++ -*-===//

#ifndef VAI_DRIVER_PIPELINES_H
#define VAI_DRIVER_PIPELINES_H

#include "mlir/Pass/PassManager.h"
#include <string>

namespace vai {

struct CompileOptions {
  std::string calibrationData; ///< .npy of calibration images
  std::string archPath;        ///< arch.json
  unsigned method = 1;         ///< position selection (vai_q's method)
  unsigned batchSize = 32;
  unsigned calibIter = 0;
};

/// tfg float cleanup: identity folding, batch-norm folding, then
/// bias/activation fusion.
void buildFloatPreparePipeline(mlir::OpPassManager &pm);

/// The whole compile: float preparation, calibration, quantization and
/// partitioning for the target (what `vai-compile` runs).
void buildCompilePipeline(mlir::OpPassManager &pm,
                          const CompileOptions &options);

/// Registers `vai-float-prepare` and `vai-compile` with the pass registry.
void registerPipelines();

} // namespace vai

#endif // VAI_DRIVER_PIPELINES_H

//===- Pipelines.cpp - Named pass pipelines -------------------------------===//

#include "vai/Driver/Pipelines.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"
#include "vai/Dialect/Dpu/Passes.h"
#include "vai/Dialect/Quant/Passes.h"
#include "vai/Dialect/Tfg/Passes.h"

using namespace mlir;

namespace vai {

void buildFloatPreparePipeline(OpPassManager &pm) {
  OpPassManager &fn = pm.nest<func::FuncOp>();
  // Frozen graphs read weights through Identity nodes: fold them first so
  // the passes below see constants.
  fn.addPass(createCanonicalizerPass());
  fn.addPass(tfg::createTfgFoldBatchNorm());
  fn.addPass(tfg::createTfgFuseBiasActivation());
  fn.addPass(createCanonicalizerPass());
}

void buildCompilePipeline(OpPassManager &pm, const CompileOptions &options) {
  buildFloatPreparePipeline(pm);
  OpPassManager &fn = pm.nest<func::FuncOp>();
  quant::QuantCalibrateOptions calibrate;
  calibrate.dataPath = options.calibrationData;
  calibrate.method = options.method;
  calibrate.batchSize = options.batchSize;
  calibrate.calibIter = options.calibIter;
  fn.addPass(quant::createQuantCalibrate(calibrate));
  quant::QuantQuantizeOptions quantize;
  quantize.method = options.method;
  fn.addPass(quant::createQuantQuantize(quantize));
  dpu::DpuPartitionOptions partition;
  partition.archPath = options.archPath;
  fn.addPass(dpu::createDpuPartition(partition));
}

namespace {
struct CompilePipelineOptions : PassPipelineOptions<CompilePipelineOptions> {
  Option<std::string> data{*this, "data",
                           llvm::cl::desc("calibration images (.npy)")};
  Option<std::string> arch{*this, "arch",
                           llvm::cl::desc("arch.json of the target")};
  Option<unsigned> method{*this, "method",
                          llvm::cl::desc("0 non-overflow, 1 min-diffs"),
                          llvm::cl::init(1)};
};
} // namespace

void registerPipelines() {
  PassPipelineRegistration<>(
      "vai-float-prepare",
      "Prepare a float tfg graph for the DPU: fold batch norm, fuse bias and "
      "activations, canonicalize",
      buildFloatPreparePipeline);
  PassPipelineRegistration<CompilePipelineOptions>(
      "vai-compile",
      "tfg to dpu: float preparation, calibration on 'data', quantization "
      "and partitioning for 'arch'",
      [](OpPassManager &pm, const CompilePipelineOptions &o) {
        CompileOptions options;
        options.calibrationData = o.data;
        options.archPath = o.arch;
        options.method = o.method;
        buildCompilePipeline(pm, options);
      });
}

} // namespace vai

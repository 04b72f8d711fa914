//===- Pipelines.cpp - Named pass pipelines -------------------------------===//

#include "vai/Driver/Pipelines.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"
#include "vai/Dialect/Dpu/Passes.h"
#include "vai/Dialect/Quant/Passes.h"
#include "vai/Dialect/Tfg/Passes.h"

using namespace mlir;

namespace vai {

void buildFloatPreparePipeline(OpPassManager &pm,
                               const FloatPrepareOptions &options) {
  OpPassManager &fn = pm.nest<func::FuncOp>();
  // Identities (frozen graphs read weights through them) would hide the
  // producer from every pass below; cleanup keeps node names, unlike
  // canonicalize's constant merging.
  fn.addPass(tfg::createTfgCleanup());
  // Layout transposes left by ONNX import, then explicit pads, so that
  // batch norms and constants sit right after their conv.
  fn.addPass(tfg::createTfgCancelTransposes());
  fn.addPass(tfg::createTfgFusePad());
  fn.addPass(tfg::createTfgFoldBatchNorm());
  // Before fusion: both need a conv without an activation.
  fn.addPass(tfg::createTfgFoldConstantAffine());
  fn.addPass(tfg::createTfgFuseBiasActivation());
  if (options.relu6ToRelu || options.sigmoidToHardSigmoid ||
      options.swishToHardSwish || options.softmaxToHardSoftmax) {
    tfg::TfgReplaceActivationsOptions replace;
    replace.relu6ToRelu = options.relu6ToRelu;
    replace.sigmoidToHardSigmoid = options.sigmoidToHardSigmoid;
    replace.swishToHardSwish = options.swishToHardSwish;
    replace.softmaxToHardSoftmax = options.softmaxToHardSoftmax;
    fn.addPass(tfg::createTfgReplaceActivations(replace));
  }
  // CLE needs bias and activations fused (and relu6 replaced, if asked).
  if (options.cle) {
    tfg::TfgCrossLayerEqualizationOptions cle;
    cle.relu6 = options.cleRelu6;
    cle.iterations = options.cleIterations;
    fn.addPass(tfg::createTfgCrossLayerEqualization(cle));
  }
  // The constants the rewrites replaced.
  fn.addPass(tfg::createTfgCleanup());
}

void buildCompilePipeline(OpPassManager &pm, const CompileOptions &options) {
  FloatPrepareOptions prepare;
  if (options.cle) {
    prepare.cle = true;
    prepare.cleRelu6 = "replace";
  }
  buildFloatPreparePipeline(pm, prepare);
  OpPassManager &fn = pm.nest<func::FuncOp>();
  // The calibration data and method, the same for every pass that runs
  // the model on it.
  auto setData = [&](auto &pass) {
    pass.dataPath = options.calibrationData;
    pass.preprocessPath = options.preprocessPath;
    pass.method = options.method;
    pass.batchSize = options.batchSize;
    pass.calibIter = options.calibIter;
  };
  quant::QuantCalibrateOptions calibrate;
  setData(calibrate);
  calibrate.activationBit = options.activationBit;
  calibrate.nodesBit.assign(options.nodesBit.begin(), options.nodesBit.end());
  calibrate.nodesMethod.assign(options.nodesMethod.begin(),
                               options.nodesMethod.end());
  calibrate.simulateDpu = options.simulateDpu;
  fn.addPass(quant::createQuantCalibrate(calibrate));
  // The corrections adjust float weights against the calibrated positions.
  if (options.biasCorrection) {
    quant::QuantBiasCorrectionOptions correct;
    setData(correct);
    fn.addPass(quant::createQuantBiasCorrection(correct));
  }
  if (options.fastFinetune) {
    quant::QuantFastFinetuneOptions finetune;
    setData(finetune);
    fn.addPass(quant::createQuantFastFinetune(finetune));
  }
  quant::QuantQuantizeOptions quantize;
  quantize.method = options.method;
  quantize.weightBit = options.weightBit;
  quantize.nodesBit.assign(options.nodesBit.begin(), options.nodesBit.end());
  quantize.nodesMethod.assign(options.nodesMethod.begin(),
                              options.nodesMethod.end());
  quantize.ignoreNodes.assign(options.ignoreNodes.begin(),
                              options.ignoreNodes.end());
  fn.addPass(quant::createQuantQuantize(quantize));
  dpu::DpuPartitionOptions partition;
  partition.archPath = options.archPath;
  fn.addPass(dpu::createDpuPartition(partition));
  // The xmodel's reg_id_to_* maps and tensor placements come from here.
  fn.addPass(dpu::createDpuAllocateDdr());
}

namespace {
struct FloatPreparePipelineOptions
    : PassPipelineOptions<FloatPreparePipelineOptions> {
  Option<bool> relu6ToRelu{*this, "relu6-to-relu",
                           llvm::cl::desc("replace relu6 by relu")};
  Option<bool> sigmoidToHardSigmoid{
      *this, "sigmoid-to-hard-sigmoid",
      llvm::cl::desc("replace sigmoid by the DPU's hard-sigmoid")};
  Option<bool> swishToHardSwish{*this, "swish-to-hard-swish",
                                llvm::cl::desc("replace swish by hard-swish")};
  Option<bool> softmaxToHardSoftmax{
      *this, "softmax-to-hard-softmax",
      llvm::cl::desc("replace softmax by vai_q's hard-softmax")};
  Option<bool> cle{*this, "cle", llvm::cl::desc("cross-layer equalization")};
  Option<std::string> cleRelu6{
      *this, "cle-relu6",
      llvm::cl::desc("CLE across relu6: skip (exact) or replace (by relu)"),
      llvm::cl::init("skip")};
  Option<unsigned> cleIterations{*this, "cle-iterations",
                                 llvm::cl::desc("CLE sweeps at most"),
                                 llvm::cl::init(20)};
};

struct CompilePipelineOptions : PassPipelineOptions<CompilePipelineOptions> {
  Option<std::string> data{
      *this, "data",
      llvm::cl::desc("calibration inputs (.npy, .npz or image folder)")};
  Option<std::string> preprocess{
      *this, "preprocess",
      llvm::cl::desc("JSON preprocessing spec for an image folder")};
  Option<std::string> arch{*this, "arch",
                           llvm::cl::desc("arch.json of the target")};
  Option<unsigned> method{
      *this, "method",
      llvm::cl::desc("0 non-overflow, 1 min-diffs, 2 min-diffs with the "
                     "depthwise strategy"),
      llvm::cl::init(1)};
  Option<bool> cle{*this, "cle",
                   llvm::cl::desc("cross-layer equalization (relu6 -> relu)")};
  Option<bool> biasCorrection{*this, "bias-correction",
                              llvm::cl::desc("run quant-bias-correction")};
  Option<bool> fastFinetune{*this, "fast-finetune",
                            llvm::cl::desc("run quant-fast-finetune")};
  ListOption<std::string> ignoreNodes{
      *this, "ignore-nodes", llvm::cl::desc("nodes left float (on the CPU)")};
};
} // namespace

void registerPipelines() {
  PassPipelineRegistration<FloatPreparePipelineOptions>(
      "vai-float-prepare",
      "Prepare a float tfg graph for the DPU: cleanup, cancel transposes, "
      "fuse pads, fold batch norms and constant mul/add, fuse bias and "
      "activations; optionally replace activations and equalize (CLE)",
      [](OpPassManager &pm, const FloatPreparePipelineOptions &o) {
        FloatPrepareOptions options;
        options.relu6ToRelu = o.relu6ToRelu;
        options.sigmoidToHardSigmoid = o.sigmoidToHardSigmoid;
        options.swishToHardSwish = o.swishToHardSwish;
        options.softmaxToHardSoftmax = o.softmaxToHardSoftmax;
        options.cle = o.cle;
        options.cleRelu6 = o.cleRelu6;
        options.cleIterations = o.cleIterations;
        buildFloatPreparePipeline(pm, options);
      });
  PassPipelineRegistration<CompilePipelineOptions>(
      "vai-compile",
      "tfg to dpu: float preparation, calibration on 'data', quantization "
      "and partitioning for 'arch'",
      [](OpPassManager &pm, const CompilePipelineOptions &o) {
        CompileOptions options;
        options.calibrationData = o.data;
        options.preprocessPath = o.preprocess;
        options.archPath = o.arch;
        options.method = o.method;
        options.cle = o.cle;
        options.biasCorrection = o.biasCorrection;
        options.fastFinetune = o.fastFinetune;
        options.ignoreNodes.assign(o.ignoreNodes.begin(), o.ignoreNodes.end());
        buildCompilePipeline(pm, options);
      });
}

} // namespace vai

//===- QuantCalibrate.cpp - quant-calibrate -------------------------------===//
//
// Runs the float graph on calibration batches and records the fix position
// of every op's output, chosen per batch and settled by the mode over
// batches (vai_q's rule).
//
//===----------------------------------------------------------------------===//

#include "CalibrationData.h"
#include "vai/Dialect/Quant/Passes.h"
#include "vai/Simulator/Interpreter.h"
#include "vai/Simulator/Npy.h"
#include "vai/Support/FileIO.h"
#include "vai/Support/FixedPoint.h"
#include "vai/Support/ImageLoader.h"
#include "vai/Support/ProgressBar.h"

namespace vai::quant {
#define GEN_PASS_DEF_QUANTCALIBRATE
#include "vai/Dialect/Quant/Passes.h.inc"
} // namespace vai::quant

using namespace mlir;
using namespace vai;

namespace {

struct QuantCalibratePass
    : vai::quant::impl::QuantCalibrateBase<QuantCalibratePass> {
  using QuantCalibrateBase::QuantCalibrateBase;

  int choosePosition(const FloatArray &values) const {
    if (method == 0)
      return fixPosNonOverflow(values.data.data(), values.data.size(),
                               activationBit);
    return fixPosMinDiffs(values.data.data(), values.data.size(), activationBit,
                          RoundMode::DpuRound);
  }

  /// The JSON file's spec with the pass options laid over it.
  bool buildPreprocessSpec(PreprocessSpec &spec, std::string &error) {
    if (!preprocessPath.empty()) {
      std::string text;
      if (!readWholeFile(preprocessPath, text, error) ||
          !parsePreprocessSpec(text, preprocessPath, spec, error))
        return false;
    }
    if (!resize.empty())
      spec.resize.assign(resize.begin(), resize.end());
    if (!crop.empty())
      spec.crop.assign(crop.begin(), crop.end());
    if (!mean.empty())
      spec.mean.assign(mean.begin(), mean.end());
    if (!scale.empty())
      spec.scale.assign(scale.begin(), scale.end());
    if (!channelOrder.empty()) {
      if (StringRef(channelOrder).equals_insensitive("bgr"))
        spec.bgr = true;
      else if (StringRef(channelOrder).equals_insensitive("rgb"))
        spec.bgr = false;
      else {
        error = "channel-order must be rgb or bgr, not '" + channelOrder + "'";
        return false;
      }
    }
    if (!saveInputs.empty() && getOperation().getNumArguments() != 1) {
      error = "save-inputs writes one .npy and needs a one-input function";
      return false;
    }
    return true;
  }

  /// Concatenates `batch` to `all` along the image dimension.
  static void appendImages(std::vector<FloatArray> &all,
                           const FloatArray &batch) {
    if (all.empty()) {
      all.push_back(batch);
      return;
    }
    all.front().shape[0] += batch.shape[0];
    all.front().data.insert(all.front().data.end(), batch.data.begin(),
                            batch.data.end());
  }

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (method > 1) {
      func.emitError() << "quant-calibrate: method "
                       << static_cast<unsigned>(method)
                       << " is not supported (0 = non-overflow, 1 = min-diffs)";
      return signalPassFailure();
    }
    if (dataPath.empty()) {
      func.emitError()
          << "quant-calibrate: no calibration data (option 'data')";
      return signalPassFailure();
    }
    PreprocessSpec spec;
    std::string error;
    if (!buildPreprocessSpec(spec, error)) {
      func.emitError() << "quant-calibrate: " << error;
      return signalPassFailure();
    }
    std::unique_ptr<quant::CalibrationData> data =
        quant::CalibrationData::open(func, dataPath, spec, error);
    if (!data) {
      func.emitError() << "quant-calibrate: " << error;
      return signalPassFailure();
    }

    // vai_q: calib_iter batches of batch_size images.
    int64_t images = data->numImages();
    int64_t batch = std::max<int64_t>(1, batchSize);
    int64_t batches = (images + batch - 1) / batch;
    if (calibIter > 0) {
      if (int64_t(calibIter) > batches)
        func.emitWarning() << "quant-calibrate: calib-iter="
                           << unsigned(calibIter)
                           << " with batch-size=" << batch << " asks for "
                           << int64_t(calibIter) * batch << " images but "
                           << dataPath << " holds " << images << "; running "
                           << batches << " batches";
      batches = std::min<int64_t>(batches, calibIter);
    }

    llvm::DenseMap<Operation *, std::vector<int>> positions;
    std::vector<std::vector<int>> inputPositions(func.getNumArguments());
    std::vector<FloatArray> fed;
    Interpreter interpreter(func);
    ProgressBar progress("quant-calibrate", batches, "batches", "images");
    for (int64_t b = 0; b < batches; ++b) {
      int64_t first = b * batch, count = std::min(batch, images - first);
      std::vector<FloatArray> inputs;
      if (!data->loadBatch(first, count, inputs, error)) {
        func.emitError() << "quant-calibrate: " << error;
        return signalPassFailure();
      }
      std::vector<RuntimeValue> values;
      for (size_t i = 0; i < inputs.size(); ++i) {
        inputPositions[i].push_back(choosePosition(inputs[i]));
        if (!saveInputs.empty())
          appendImages(fed, inputs[i]);
        values.push_back(RuntimeValue::ofFloat(std::move(inputs[i])));
      }
      auto observe = [&](Operation *op, ArrayRef<RuntimeValue> results) {
        if (op->getDialect() == op->getContext()->getLoadedDialect("tfg") &&
            !isa<tfg::ConstOp>(op) && results.size() == 1)
          positions[op].push_back(choosePosition(results[0].floats));
      };
      if (failed(interpreter.run(values, observe)))
        return signalPassFailure();
      progress.update(b + 1, first + count);
    }
    if (!saveInputs.empty() && !writeNpy(saveInputs, fed.front(), error)) {
      func.emitError() << "quant-calibrate: " << error;
      return signalPassFailure();
    }

    Builder builder(&getContext());
    for (unsigned i = 0; i < func.getNumArguments(); ++i)
      func.setArgAttr(
          i, quant::kFixPointAttr,
          builder.getI32IntegerAttr(modeOfPositions(inputPositions[i])));
    for (auto &[op, list] : positions)
      op->setAttr(quant::kFixPointAttr,
                  builder.getI32IntegerAttr(modeOfPositions(list)));
  }
};

} // namespace

//===- QuantCalibrate.cpp - quant-calibrate -------------------------------===//
//
// Runs the float graph on calibration batches and records the fix position
// of every op's output, chosen per batch and settled by the mode over
// batches (vai_q's rule).
//
//===----------------------------------------------------------------------===//

#include "CalibrationData.h"
#include "QuantOptions.h"
#include "vai/Dialect/Quant/Passes.h"
#include "vai/Dialect/Tfg/TfgUtils.h"
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
    return choosePosition(values, activationBit, method);
  }
  int choosePosition(const FloatArray &values, unsigned bits,
                     unsigned how) const {
    if (narrowRange)
      return narrowRangePosition(values, bits, how);
    if (how == 0)
      return fixPosNonOverflow(values.data.data(), values.data.size(), bits);
    return fixPosMinDiffs(values.data.data(), values.data.size(), bits,
                          RoundMode::DpuRound);
  }

  /// arch-type DPUCADF8H: activations in [-(2^(b-1) - 1), 2^(b-1) - 1]
  /// (vai_q: "activation is [-127, 127]"). The rules of FixedPoint.h with
  /// that range: non-overflow measures max |x| against 2^(b-1) - 0.5 on
  /// both sides; min-diffs scans the same five positions from there.
  static int narrowRangePosition(const FloatArray &values, unsigned bits,
                                 unsigned how) {
    const int64_t hi = (int64_t(1) << (bits - 1)) - 1;
    double maxAbs = 0.0;
    for (float v : values.data)
      if (std::isfinite(v))
        maxAbs = std::max(maxAbs, std::abs(double(v)));
    if (maxAbs == 0.0)
      return defaultFixPos(int(bits));
    int start = int(std::floor(std::log2((double(hi) + 0.5) / maxAbs)));
    if (how == 0)
      return start;
    int best = start;
    double bestError = std::numeric_limits<double>::infinity();
    for (int p = start; p < start + 5; ++p) {
      double error = 0.0;
      for (float v : values.data) {
        if (!std::isfinite(v))
          continue;
        double q = std::clamp<double>(
            roundWith(RoundMode::DpuRound, std::ldexp(double(v), p)),
            double(-hi), double(hi));
        double d = std::ldexp(q, -p) - double(v);
        error += d * d;
      }
      if (error < bestError) {
        bestError = error;
        best = p;
      }
    }
    return best;
  }

  bool narrowRange = false;

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
    if (method > 2) {
      func.emitError() << "quant-calibrate: method "
                       << static_cast<unsigned>(method)
                       << " is not supported (0 = non-overflow, 1 = min-diffs, "
                          "2 = min-diffs with the depthwise strategy)";
      return signalPassFailure();
    }
    if (dataPath.empty()) {
      func.emitError()
          << "quant-calibrate: no calibration data (option 'data')";
      return signalPassFailure();
    }
    // vai_q's node options (QuantOptions.h); entries naming conv, depthwise
    // and matmul nodes are their weights', applied by quant-quantize.
    std::string optionError;
    quant::NodeNames names(func);
    llvm::StringMap<unsigned> nodeBits, nodeMethods;
    if (activationBit > 8)
      optionError = "activation-bit=" + std::to_string(activationBit) +
                    ": 16-bit needs int16 kernels: not supported (2..8)";
    else if (activationBit < 2)
      optionError = "activation-bit=" + std::to_string(activationBit) +
                    " is outside 2..8";
    else if (!quant::parseNodeValues(nodesBit, "nodes-bit", 2, 16, names,
                                     nodeBits, optionError) ||
             !quant::parseNodeValues(nodesMethod, "nodes-method", 0, 2, names,
                                     nodeMethods, optionError))
      ;
    else if (StringRef(archType).equals_insensitive("DPUCADF8H"))
      narrowRange = true;
    else if (!StringRef(archType).equals_insensitive("DEFAULT"))
      optionError =
          "arch-type must be DEFAULT or DPUCADF8H, not '" + archType + "'";
    for (auto &entry : nodeBits)
      if (optionError.empty() && entry.getValue() > 8)
        optionError = "nodes-bit for '" + entry.getKey().str() + "' is " +
                      std::to_string(entry.getValue()) +
                      ": 16-bit needs int16 kernels: not supported (2..8)";
    if (!optionError.empty()) {
      func.emitError() << "quant-calibrate: " << optionError;
      return signalPassFailure();
    }
    // The width and method of one op's output (or argument `arg`).
    auto outputChoice = [&](Operation *op, int arg) {
      std::string name;
      if (op)
        name = tfg::nodeName(op->getLoc());
      else if (auto attr = func.getArgAttrOfType<StringAttr>(arg, "tfg.name"))
        name = attr.getValue().str();
      unsigned bits = activationBit, how = method;
      if (!op || !quant::isWeightedLayer(op)) {
        if (nodeBits.count(name))
          bits = nodeBits.lookup(name);
        if (nodeMethods.count(name))
          how = nodeMethods.lookup(name);
      }
      return std::pair<unsigned, unsigned>(bits, how);
    };
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
    interpreter.setDpuFloat(simulateDpu);
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
        auto [bits, how] = outputChoice(nullptr, int(i));
        inputPositions[i].push_back(choosePosition(inputs[i], bits, how));
        if (!saveInputs.empty())
          appendImages(fed, inputs[i]);
        values.push_back(RuntimeValue::ofFloat(std::move(inputs[i])));
      }
      auto observe = [&](Operation *op, ArrayRef<RuntimeValue> results) {
        if (op->getDialect() == op->getContext()->getLoadedDialect("tfg") &&
            !isa<tfg::ConstOp>(op) && results.size() == 1) {
          auto [bits, how] = outputChoice(op, -1);
          positions[op].push_back(choosePosition(results[0].floats, bits, how));
        }
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
    for (unsigned i = 0; i < func.getNumArguments(); ++i) {
      func.setArgAttr(
          i, quant::kFixPointAttr,
          builder.getI32IntegerAttr(modeOfPositions(inputPositions[i])));
      if (unsigned bits = outputChoice(nullptr, int(i)).first; bits != 8)
        func.setArgAttr(i, quant::kBitWidthAttr,
                        builder.getI32IntegerAttr(bits));
    }
    for (auto &[op, list] : positions) {
      op->setAttr(quant::kFixPointAttr,
                  builder.getI32IntegerAttr(modeOfPositions(list)));
      if (unsigned bits = outputChoice(op, -1).first; bits != 8)
        op->setAttr(quant::kBitWidthAttr, builder.getI32IntegerAttr(bits));
    }
  }
};

} // namespace

//===- QuantCalibrate.cpp - quant-calibrate -------------------------------===//
//
// Runs the float graph on calibration batches and records the fix position
// of every op's output, chosen per batch and settled by the mode over
// batches (vai_q's rule).
//
//===----------------------------------------------------------------------===//

#include "vai/Dialect/Quant/Passes.h"
#include "vai/Simulator/Interpreter.h"
#include "vai/Simulator/Npy.h"
#include "vai/Support/FixedPoint.h"

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

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (method > 1) {
      func.emitError() << "quant-calibrate: method " << method
                       << " is not supported (0 = non-overflow, 1 = min-diffs)";
      return signalPassFailure();
    }
    if (dataPath.empty()) {
      func.emitError()
          << "quant-calibrate: no calibration data (option 'data')";
      return signalPassFailure();
    }
    if (func.getNumArguments() != 1) {
      func.emitError() << "quant-calibrate: expects a function with one input, "
                          "got "
                       << func.getNumArguments();
      return signalPassFailure();
    }
    FloatArray data;
    std::string error;
    if (!readNpyFloat(dataPath, data, error)) {
      func.emitError() << "quant-calibrate: " << error;
      return signalPassFailure();
    }
    auto argType = cast<RankedTensorType>(func.getArgumentTypes()[0]);
    if (data.rank() != size_t(argType.getRank()) || data.shape.empty() ||
        data.shape[0] == 0) {
      func.emitError() << "quant-calibrate: " << dataPath << " has rank "
                       << data.rank() << " but the input " << argType
                       << " needs rank " << argType.getRank()
                       << " with at least one image";
      return signalPassFailure();
    }

    int64_t images = data.shape[0];
    int64_t perImage = data.numElements() / images;
    int64_t batch = std::max<int64_t>(1, batchSize);
    int64_t batches = (images + batch - 1) / batch;
    if (calibIter > 0)
      batches = std::min<int64_t>(batches, calibIter);

    llvm::DenseMap<Operation *, std::vector<int>> positions;
    std::vector<int> inputPositions;
    Interpreter interpreter(func);
    for (int64_t b = 0; b < batches; ++b) {
      int64_t first = b * batch, count = std::min(batch, images - first);
      FloatArray slice;
      slice.shape = data.shape;
      slice.shape[0] = count;
      slice.data.assign(data.data.begin() + first * perImage,
                        data.data.begin() + (first + count) * perImage);
      inputPositions.push_back(choosePosition(slice));
      auto observe = [&](Operation *op, ArrayRef<RuntimeValue> results) {
        if (op->getDialect() == op->getContext()->getLoadedDialect("tfg") &&
            !isa<tfg::ConstOp>(op) && results.size() == 1)
          positions[op].push_back(choosePosition(results[0].floats));
      };
      if (failed(interpreter.run({RuntimeValue::ofFloat(std::move(slice))},
                                 observe)))
        return signalPassFailure();
    }

    Builder builder(&getContext());
    func.setArgAttr(0, quant::kFixPointAttr,
                    builder.getI32IntegerAttr(modeOfPositions(inputPositions)));
    for (auto &[op, list] : positions)
      op->setAttr(quant::kFixPointAttr,
                  builder.getI32IntegerAttr(modeOfPositions(list)));
  }
};

} // namespace

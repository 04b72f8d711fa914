//===- QuantBiasCorrection.cpp - quant-bias-correction --------------------===//
//
// Empirical bias correction: each conv/matmul bias absorbs the mean error,
// per output channel, that quantized weights and inputs add to the layer's
// pre-activation output (LayerwiseCorrection.h runs the float and
// fake-quantized models side by side).
//
//===----------------------------------------------------------------------===//

#include "LayerwiseCorrection.h"
#include "vai/Dialect/Quant/Passes.h"

namespace vai::quant {
#define GEN_PASS_DEF_QUANTBIASCORRECTION
#include "vai/Dialect/Quant/Passes.h.inc"
} // namespace vai::quant

using namespace mlir;
using namespace vai;
using namespace vai::quant;

namespace {

struct QuantBiasCorrectionPass
    : vai::quant::impl::QuantBiasCorrectionBase<QuantBiasCorrectionPass> {
  using QuantBiasCorrectionBase::QuantBiasCorrectionBase;

  void runOnOperation() override {
    CorrectionOptions options{"quant-bias-correction",
                              dataPath,
                              preprocessPath,
                              method,
                              batchSize,
                              calibIter};
    auto correct = [&](CorrectedLayer &layer, const FloatArray &,
                       const FloatArray &floatPre,
                       const FloatArray &quantInput) -> LogicalResult {
      // The float bias on both sides: its own rounding is not an error the
      // mean can remove.
      FloatArray weights = layer.weights, quantPre;
      fakeQuantize(weights, layer.positions().weights, layer.weightBit);
      std::string error;
      if (!layer.forward(quantInput, weights, layer.bias, quantPre, error))
        return layer.op->emitError() << "quant-bias-correction: " << error;
      int64_t channels = layer.outChannels();
      std::vector<double> sum(channels, 0.0);
      for (size_t i = 0; i < floatPre.data.size(); ++i)
        sum[i % channels] += double(floatPre.data[i]) - quantPre.data[i];
      double rows = double(floatPre.data.size() / channels);
      for (int64_t c = 0; c < channels; ++c)
        layer.bias.data[c] += float(sum[c] / rows);
      layer.hasBias = layer.changed = true;
      return success();
    };
    if (failed(runLayerwise(getOperation(), options, correct)))
      signalPassFailure();
  }
};

} // namespace

//===- QuantFastFinetune.cpp - quant-fast-finetune ------------------------===//
//
// AdaQuant (Hubara et al., "Improving post training neural quantization:
// layer-wise calibration and integer programming", 2020): per layer, the
// float weights and bias are optimised so that the fake-quantized layer,
// fed the fake-quantized input, reproduces the float layer's output.
// Gradients are written out by hand: a conv is an im2col matrix times the
// HWIO weights seen as a [KH*KW*C, OC] matrix, so dW = patches^T * dY.
//
//===----------------------------------------------------------------------===//

#include "LayerwiseCorrection.h"
#include "vai/Dialect/Quant/Passes.h"
#include "vai/Dialect/Tfg/TfgUtils.h"
#include "vai/Simulator/FixedKernels.h"
#include "vai/Support/FixedPoint.h"
#include "llvm/Support/Format.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

namespace vai::quant {
#define GEN_PASS_DEF_QUANTFASTFINETUNE
#include "vai/Dialect/Quant/Passes.h.inc"
} // namespace vai::quant

using namespace mlir;
using namespace vai;
using namespace vai::quant;

namespace {

/// Adam (Kingma & Ba) on one parameter tensor.
struct Adam {
  std::vector<float> m, v;
  float step;
  int t = 0;

  Adam(size_t n, float step) : m(n, 0.0f), v(n, 0.0f), step(step) {}
  void update(std::vector<float> &param, const std::vector<float> &grad) {
    const float b1 = 0.9f, b2 = 0.999f, eps = 1e-12f;
    ++t;
    float c1 = 1 - std::pow(b1, float(t)), c2 = 1 - std::pow(b2, float(t));
    for (size_t i = 0; i < param.size(); ++i) {
      m[i] = b1 * m[i] + (1 - b1) * grad[i];
      v[i] = b2 * v[i] + (1 - b2) * grad[i] * grad[i];
      param[i] -= step * (m[i] / c1) / (std::sqrt(v[i] / c2) + eps);
    }
  }
};

/// One layer's optimisation problem over a fixed fake-quantized input.
class LayerTrainer {
public:
  LayerTrainer(CorrectedLayer &layer, const FloatArray &input,
               const FloatArray &target, int weightPos, int outputPos)
      : layer(layer), input(input), target(target), weightPos(weightPos),
        outputPos(outputPos) {
    images = input.shape[0];
    channels = layer.outChannels();
    if (layer.kind != LayerKind::MatMul) {
      h = input.shape[1];
      w = input.shape[2];
      c = input.shape[3];
      kh = layer.weights.shape[0];
      kw = layer.weights.shape[1];
      oh = target.shape[1];
      ow = target.shape[2];
    } else {
      c = input.numElements() / images;
    }
  }

  /// Whether the gradients below cover this layer's form.
  bool supported() const {
    if (layer.kind == LayerKind::Conv)
      return layer.weights.shape[2] == c;
    if (layer.kind == LayerKind::Depthwise)
      return layer.weights.shape[2] == c;
    return input.rank() == 2 && target.rank() == 2;
  }

  /// `iterations` Adam steps on minibatches of `batch` of the first
  /// `pool` images; false (with `error`) on a kernel failure.
  bool train(unsigned iterations, int64_t batch, int64_t pool, double rate,
             std::string &error);

private:
  /// Rows of the layer's output for `ids`, pre-activation, with the
  /// current weights fake-quantized; keeps the patches for backward.
  bool forward(const std::vector<int64_t> &ids, const std::vector<float> &wq,
               std::vector<float> &pre, std::string &error);
  void backward(const std::vector<int64_t> &ids,
                const std::vector<float> &gradOut, std::vector<float> &dw,
                std::vector<float> &db);

  /// Calls fn(row, tap, pixel) for every in-bounds kernel tap of every
  /// output position of the minibatch: `row` is the output position's index
  /// (b, y, x), `tap` is i * kw + j and `pixel` the input's c channels there.
  template <typename Fn>
  void forEachTap(const std::vector<int64_t> &ids, Fn fn) const {
    const Conv2DAttrs &a = layer.conv;
    for (int64_t b = 0; b < int64_t(ids.size()); ++b) {
      const float *x = input.data.data() + ids[b] * h * w * c;
      for (int64_t y = 0; y < oh; ++y)
        for (int64_t xo = 0; xo < ow; ++xo) {
          int64_t row = (b * oh + y) * ow + xo;
          for (int64_t i = 0; i < kh; ++i) {
            int64_t iy = y * a.strides.h - a.pads.top + i * a.dilations.h;
            if (iy < 0 || iy >= h)
              continue;
            for (int64_t j = 0; j < kw; ++j) {
              int64_t ix = xo * a.strides.w - a.pads.left + j * a.dilations.w;
              if (ix >= 0 && ix < w)
                fn(row, i * kw + j, x + (iy * w + ix) * c);
            }
          }
        }
    }
  }

  CorrectedLayer &layer;
  const FloatArray &input, &target;
  int weightPos, outputPos;
  int64_t images = 0, channels = 0, h = 1, w = 1, c = 0, kh = 1, kw = 1, oh = 1,
          ow = 1;
  /// im2col patches (conv) or input rows (matmul) of the minibatch.
  FloatArray patches;
};

bool LayerTrainer::forward(const std::vector<int64_t> &ids,
                           const std::vector<float> &wq,
                           std::vector<float> &pre, std::string &error) {
  int64_t batch = ids.size(), rows = batch * oh * ow;
  if (layer.kind == LayerKind::Depthwise) {
    int64_t mult = channels / c;
    pre.assign(rows * channels, 0.0f);
    forEachTap(ids, [&](int64_t row, int64_t tap, const float *px) {
      float *out = pre.data() + row * channels;
      const float *pw = wq.data() + tap * channels;
      for (int64_t k = 0; k < channels; ++k)
        out[k] += px[k / mult] * pw[k];
    });
  } else {
    int64_t depth = layer.kind == LayerKind::Conv ? kh * kw * c : c;
    patches = FloatArray({rows, depth}, 0.0f);
    if (layer.kind == LayerKind::MatMul) {
      for (int64_t b = 0; b < batch; ++b) {
        const float *x = input.data.data() + ids[b] * h * w * c;
        std::copy(x, x + c, patches.data.data() + b * c);
      }
    } else {
      forEachTap(ids, [&](int64_t row, int64_t tap, const float *px) {
        std::copy(px, px + c, patches.data.data() + row * depth + tap * c);
      });
    }
    FloatArray weights({depth, channels}, wq), out;
    if (!matmul(patches, weights, false, false, out, error))
      return false;
    pre = std::move(out.data);
  }
  for (size_t i = 0; i < pre.size(); ++i)
    pre[i] += layer.bias.data[i % channels];
  return true;
}

void LayerTrainer::backward(const std::vector<int64_t> &ids,
                            const std::vector<float> &gradOut,
                            std::vector<float> &dw, std::vector<float> &db) {
  db.assign(channels, 0.0f);
  for (size_t i = 0; i < gradOut.size(); ++i)
    db[i % channels] += gradOut[i];
  if (layer.kind != LayerKind::Depthwise) {
    std::string error;
    FloatArray grad({int64_t(gradOut.size()) / channels, channels}, gradOut),
        out;
    // dW = patches^T * dY; matmul of validated shapes cannot fail.
    if (matmul(patches, grad, true, false, out, error))
      dw = std::move(out.data);
    else
      dw.assign(layer.weights.data.size(), 0.0f);
    return;
  }
  int64_t mult = channels / c;
  dw.assign(layer.weights.data.size(), 0.0f);
  forEachTap(ids, [&](int64_t row, int64_t tap, const float *px) {
    const float *g = gradOut.data() + row * channels;
    float *pw = dw.data() + tap * channels;
    for (int64_t k = 0; k < channels; ++k)
      pw[k] += px[k / mult] * g[k];
  });
}

bool LayerTrainer::train(unsigned iterations, int64_t batch, int64_t pool,
                         double rate, std::string &error) {
  pool = std::clamp<int64_t>(pool, 1, images);
  batch = std::clamp<int64_t>(batch, 1, pool);
  std::vector<int64_t> order(pool);
  std::iota(order.begin(), order.end(), 0);
  std::mt19937 random(1234);
  size_t next = order.size();

  unsigned bits = layer.weightBit;
  float wScale = std::ldexp(1.0f, weightPos);
  float wLo = float(fixMin(bits, true)), wHi = float(fixMax(bits, true));
  float oScale = std::ldexp(1.0f, outputPos);
  float oLo = float(fixMin(layer.outputBits, true)) - 0.5f,
        oHi = float(fixMax(layer.outputBits, true)) + 0.5f;
  float leaky = float(kLeakyReluNumerator) / (1 << kLeakyReluShift);
  Adam weightOpt(layer.weights.data.size(), float(rate) / wScale);
  Adam biasOpt(channels, float(rate) / oScale);
  int64_t perImage = target.numElements() / images;

  std::vector<float> wq, pre, grad, dw, db;
  std::vector<int64_t> ids(batch);
  for (unsigned it = 0; it < iterations; ++it) {
    for (int64_t &id : ids) {
      if (next == order.size()) {
        std::shuffle(order.begin(), order.end(), random);
        next = 0;
      }
      id = order[next++];
    }
    wq = layer.weights.data;
    for (float &v : wq)
      v = fakeQuantizeValue(v, wScale, wLo, wHi);
    if (!forward(ids, wq, pre, error))
      return false;
    // d(loss)/d(pre) through the DPU activation. The loss takes the output
    // before its rounding, whose error no weight can remove; it is zero
    // where the output saturates (straight-through estimator).
    grad.resize(pre.size());
    for (int64_t b = 0; b < batch; ++b)
      for (int64_t k = 0; k < perImage; ++k) {
        size_t i = b * perImage + k;
        float p = pre[i], slope = 1.0f, a = p;
        switch (layer.activation) {
        case tfg::Activation::none:
          break;
        case tfg::Activation::relu:
          slope = p > 0;
          a = std::max(p, 0.0f);
          break;
        case tfg::Activation::relu6:
          slope = p > 0 && p < 6;
          a = std::clamp(p, 0.0f, 6.0f);
          break;
        case tfg::Activation::leaky_relu:
          slope = p < 0 ? leaky : 1.0f;
          a = p < 0 ? p * leaky : p;
          break;
        }
        float scaled = a * oScale;
        if (scaled < oLo || scaled > oHi)
          slope = 0;
        grad[i] = (a - target.data[ids[b] * perImage + k]) * slope;
      }
    backward(ids, grad, dw, db);
    // Straight-through weight rounding: no gradient where weights clip.
    for (size_t i = 0; i < dw.size(); ++i) {
      float s = layer.weights.data[i] * wScale;
      if (s < wLo - 0.5f || s > wHi + 0.5f)
        dw[i] = 0;
    }
    // Linear decay to zero lets the quantized weights settle.
    float decay = 1.0f - float(it) / float(iterations);
    weightOpt.step = float(rate) / wScale * decay;
    biasOpt.step = float(rate) / oScale * decay;
    weightOpt.update(layer.weights.data, dw);
    biasOpt.update(layer.bias.data, db);
  }
  return true;
}

struct QuantFastFinetunePass
    : vai::quant::impl::QuantFastFinetuneBase<QuantFastFinetunePass> {
  using QuantFastFinetuneBase::QuantFastFinetuneBase;

  /// Mean squared error of the fake-quantized layer against `target`.
  static FailureOr<double> layerError(const CorrectedLayer &layer,
                                      const FloatArray &input,
                                      const FloatArray &target) {
    LayerPositions pos = layer.positions();
    FloatArray y;
    std::string error;
    if (!layer.fakeQuantForward(input, pos, y, error))
      return layer.op->emitError() << "quant-fast-finetune: " << error;
    layer.fakeQuantOutput(y, pos.output);
    double sum = 0;
    for (size_t i = 0; i < y.data.size(); ++i) {
      double d = double(y.data[i]) - target.data[i];
      sum += d * d;
    }
    return sum / std::max<size_t>(1, y.data.size());
  }

  void runOnOperation() override {
    CorrectionOptions options{"quant-fast-finetune",
                              dataPath,
                              preprocessPath,
                              method,
                              batchSize,
                              calibIter};
    auto correct = [&](CorrectedLayer &layer, const FloatArray &,
                       const FloatArray &floatPre,
                       const FloatArray &quantInput) -> LogicalResult {
      FloatArray target = floatPre;
      layer.floatActivation(target);
      LayerPositions start = layer.positions();
      CorrectedLayer trial = layer;
      trial.weightPosition = start.weights;
      LayerTrainer trainer(trial, quantInput, target, start.weights,
                           start.output);
      if (!trainer.supported() || iterations == 0)
        return success();
      auto before = layerError(layer, quantInput, target);
      if (failed(before))
        return failure();
      std::string error;
      if (!trainer.train(iterations, batchSize,
                         images ? int64_t(images) : quantInput.shape[0],
                         learningRate, error))
        return layer.op->emitError() << "quant-fast-finetune: " << error;
      trial.hasBias = true;
      auto after = layerError(trial, quantInput, target);
      if (failed(after))
        return failure();
      if (report)
        llvm::errs() << "quant-fast-finetune: "
                     << tfg::nodeName(layer.op->getLoc()) << ": mse "
                     << llvm::format("%.4g", *before) << " -> "
                     << llvm::format("%.4g", *after)
                     << (*after < *before ? "" : " (kept the original)")
                     << "\n";
      if (*after < *before) {
        layer = std::move(trial);
        layer.changed = true;
      }
      return success();
    };
    if (failed(runLayerwise(getOperation(), options, correct)))
      signalPassFailure();
  }
};

} // namespace

//===- LayerwiseCorrection.h - Float vs fake-quant, layer by layer -*- C++
//-*-===//
//
// The driver of quant-bias-correction and quant-fast-finetune. It runs the
// calibrated tfg function twice side by side over the calibration images,
// op by op in topological (block) order: once in float, once fake-quantized
// as quant-quantize will quantize it (inputs and op outputs rounded and
// saturated at their positions, conv/matmul weights and biases at the
// positions of LayerPositions.h, the DPU's activations). Before the
// fake-quantized output of each conv2d, depthwise_conv2d or matmul layer is
// computed, a correction may change the layer's float weights and bias, so
// the input of layer k is that of the model with layers < k already
// corrected. At the end the corrected constants are written back and the
// positions they were corrected for are recorded on the op.
//
//===----------------------------------------------------------------------===//

#ifndef VAI_LIB_DIALECT_QUANT_TRANSFORMS_LAYERWISECORRECTION_H
#define VAI_LIB_DIALECT_QUANT_TRANSFORMS_LAYERWISECORRECTION_H

#include "LayerPositions.h"
#include "vai/Dialect/Tfg/TfgOps.h"
#include "vai/Simulator/FloatKernels.h"
#include "vai/Simulator/NDArray.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/STLFunctionalExtras.h"

#include <cmath>
#include <optional>
#include <string>

namespace vai::quant {

enum class LayerKind { Conv, Depthwise, MatMul };

/// One conv2d / depthwise_conv2d / matmul layer under correction.
struct CorrectedLayer {
  mlir::Operation *op = nullptr;
  LayerKind kind = LayerKind::Conv;
  Conv2DAttrs conv;
  tfg::Activation activation = tfg::Activation::none;
  /// The float model's leaky-ReLU slope.
  float slope = 0.2f;
  /// The current float weights and bias ([OC] zeros when the layer has
  /// none; a correction that changes them sets hasBias).
  FloatArray weights, bias;
  bool hasBias = false;
  /// Set by a correction that changed weights or bias.
  bool changed = false;
  int inputPosition = 0, outputPosition = 0;
  unsigned outputBits = 8, weightBit = 8, method = 1;
  /// A weight position a correction optimised against (kept even if the
  /// corrected weights would measure differently).
  std::optional<int> weightPosition;

  int64_t outChannels() const { return bias.numElements(); }

  /// Adjusted positions of the current weights and bias, as quant-quantize
  /// will choose them.
  LayerPositions positions() const;

  /// x (*) w + b, before the activation.
  bool forward(const FloatArray &x, const FloatArray &w, const FloatArray &b,
               FloatArray &out, std::string &error) const;
  /// forward() with the weights and bias fake-quantized at `pos`.
  bool fakeQuantForward(const FloatArray &x, const LayerPositions &pos,
                        FloatArray &out, std::string &error) const;
  /// The float model's activation, in place.
  void floatActivation(FloatArray &y) const;
  /// What the DPU does to the accumulator: its activation (leaky ReLU with
  /// slope 26/256), rounding at `position`, saturation; in place.
  void fakeQuantOutput(FloatArray &y, int position) const;
};

/// x rounded half up (DPU) at `position` and saturated to `bits`.
inline float fakeQuantizeValue(float x, float scale, float lo, float hi) {
  float q = std::floor(x * scale + 0.5f);
  q = q < lo ? lo : (q > hi ? hi : q);
  return q / scale;
}
void fakeQuantize(FloatArray &x, int position, unsigned bits);

/// What both passes read: calibration data as quant-calibrate does.
struct CorrectionOptions {
  const char *passName = "";
  std::string data, preprocess;
  unsigned method = 1, batchSize = 32, calibIter = 0, weightBit = 8;
};

/// Called for each layer in order, before its fake-quantized output is
/// computed. `floatPre` is the float model's pre-activation output of the
/// layer (from `floatInput` and the original weights). The correction may
/// change layer.weights / layer.bias (setting layer.changed).
using LayerCorrection = llvm::function_ref<mlir::LogicalResult(
    CorrectedLayer &layer, const FloatArray &floatInput,
    const FloatArray &floatPre, const FloatArray &fakeQuantInput)>;

/// Loads the calibration images of `options`, walks `func` as described
/// above calling `correct` per layer, and writes the corrections back.
/// Errors are emitted on `func` or the op at fault.
mlir::LogicalResult runLayerwise(mlir::func::FuncOp func,
                                 const CorrectionOptions &options,
                                 LayerCorrection correct);

} // namespace vai::quant

#endif // VAI_LIB_DIALECT_QUANT_TRANSFORMS_LAYERWISECORRECTION_H

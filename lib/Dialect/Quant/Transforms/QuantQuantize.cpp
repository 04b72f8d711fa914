//===- QuantQuantize.cpp - quant-quantize ---------------------------------===//
//
// Rewrites a calibrated, fused tfg function into quant ops: weights become
// int8 constants, each layer's positions are adjusted to the DPU's shift
// ranges, and the function keeps its float signature through quantize /
// dequantize at the edges.
//
//===----------------------------------------------------------------------===//

#include "LayerPositions.h"
#include "QuantOptions.h"
#include "mlir/IR/IRMapping.h"
#include "vai/Dialect/Quant/Passes.h"
#include "vai/Dialect/Tfg/TfgUtils.h"
#include "vai/Support/FixedPoint.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/SaveAndRestore.h"

namespace vai::quant {
#define GEN_PASS_DEF_QUANTQUANTIZE
#include "vai/Dialect/Quant/Passes.h.inc"
} // namespace vai::quant

using namespace mlir;
using namespace vai;
using namespace vai::quant;

namespace {

/// vai_q's options beyond weight-bit and method (QuantOptions.h).
struct QuantizerOptions {
  bool adjustShiftCut = true, adjustShiftBias = true;
  unsigned alignConcat = 0;
  /// nodes-bit / nodes-method entries naming weighted layers.
  llvm::StringMap<unsigned> nodesBit, nodesMethod;
  /// tfg ops left in float (ignore-nodes, input-nodes / output-nodes, and
  /// with float-fallback the ops that have no fixed-point form).
  llvm::DenseSet<Operation *> floatOps;
  bool floatFallback = true;
};

class Quantizer {
public:
  Quantizer(func::FuncOp func, unsigned weightBit, unsigned method)
      : func(func), builder(func.getContext()), weightBit(weightBit),
        method(method) {}

  LogicalResult run();

  QuantizerOptions options;

private:
  /// An activation type: the width quant-calibrate recorded for the op
  /// being quantized (`activationBits`).
  FixType fixType(int position) { return fixType(position, activationBits); }
  FixType fixType(int position, unsigned bits) {
    return FixType::get(builder.getContext(), bits, position);
  }
  static unsigned recordedBits(IntegerAttr attr) {
    return attr ? unsigned(attr.getInt()) : 8;
  }
  /// A float value that stays float: a function argument, or the result of
  /// an op left in float.
  bool isFloat(Value v) {
    Operation *def = v.getDefiningOp();
    return !def || options.floatOps.contains(def);
  }
  /// `v` (float) entering fixed point at its calibrated position, once.
  FailureOr<Value> quantizeFloat(Operation *user, Value v);
  /// Keeps `op` in float, feeding it dequantized operands.
  void keepFloat(Operation *op);
  RankedTensorType fixTensor(Type shapeOf, int position) {
    return RankedTensorType::get(cast<ShapedType>(shapeOf).getShape(),
                                 fixType(position));
  }
  FailureOr<int> calibrated(Operation *op) {
    auto attr = op->getAttrOfType<IntegerAttr>(kFixPointAttr);
    if (!attr)
      return op->emitError()
             << "has no '" << kFixPointAttr << "': run quant-calibrate first";
    return int(attr.getInt());
  }
  // LayerPositions.h: the positions the corrections simulate too.
  int positionOf(ArrayRef<float> values) {
    return quant::positionOf(values, weightBit, method);
  }
  int weightPositionOf(Operation *layer, Value weights,
                       ArrayRef<float> values) {
    return quant::weightPositionOf(layer, weights.getType(), values, weightBit,
                                   method);
  }
  FailureOr<Value> lookup(Operation *user, Value floatValue) {
    auto it = mapping.find(floatValue);
    if (it != mapping.end())
      return it->second;
    if (isFloat(floatValue))
      return quantizeFloat(user, floatValue);
    return user->emitError() << "uses a value that was not quantized";
  }

  /// Quantizes a constant float tensor at `position` (optionally reshaped).
  FailureOr<Value>
  quantizeConstant(Operation *user, Value floatConst, int position,
                   std::optional<ArrayRef<int64_t>> shape = {});
  FailureOr<Value>
  quantizeLayer(Operation *op, Value input, Value weights, Value bias,
                int output,
                function_ref<Value(Value, Value, Value, Type)> build);

  LogicalResult quantizeOp(Operation *op);
  /// An op with no fixed-point form: a null value (left float, as vai_q
  /// does and vai_c runs it on the CPU) with float-fallback, else `error`.
  FailureOr<Value> noFixedPointForm(Operation *op, const Twine &error) {
    if (options.floatFallback)
      return Value();
    return op->emitError() << error;
  }
  /// The tfg.relu that is the only user of `add`, when quant.add can apply
  /// it (nonlinear = relu); null otherwise.
  tfg::ReluOp fusibleRelu(tfg::AddOp add) {
    if (!add->hasOneUse())
      return {};
    auto relu = dyn_cast<tfg::ReluOp>(*add->user_begin());
    return relu && !options.floatOps.contains(relu) ? relu : tfg::ReluOp();
  }
  /// pad-fix, upsample-fix and hard-sigmoid-fix forms of tfg ops.
  FailureOr<Value> quantizePad(tfg::PadOp pad);
  FailureOr<Value> quantizeResize(tfg::ResizeOp resize);
  FailureOr<Value> quantizeHardSigmoid(tfg::HardSigmoidOp hardSigmoid);
  /// transposed-conv2d-fix: weights to [kh, kw, in, out], output_padding
  /// folded into the end crops.
  FailureOr<Value> quantizeConvTranspose(tfg::Conv2DTransposeOp conv);
  /// A quantized operand, or a float constant quantized at its own position.
  FailureOr<Value> operandOrConstant(Operation *user, Value floatValue) {
    if (floatValue.getDefiningOp<tfg::ConstOp>()) {
      auto values = tfg::getConstantFloats(floatValue);
      if (!values)
        return user->emitError() << "expects a float constant operand";
      return quantizeConstant(user, floatValue, positionOf(*values));
    }
    return lookup(user, floatValue);
  }

  func::FuncOp func;
  OpBuilder builder;
  unsigned weightBit, method;
  unsigned activationBits = 8;
  llvm::DenseMap<Value, Value> mapping;
  /// Dequantized copies of quantized values for ops left in float.
  llvm::DenseMap<Value, Value> dequantized;
};

FailureOr<Value> Quantizer::quantizeFloat(Operation *user, Value v) {
  IntegerAttr position, bits;
  OpBuilder::InsertionGuard guard(builder);
  if (auto arg = dyn_cast<BlockArgument>(v)) {
    position =
        func.getArgAttrOfType<IntegerAttr>(arg.getArgNumber(), kFixPointAttr);
    bits =
        func.getArgAttrOfType<IntegerAttr>(arg.getArgNumber(), kBitWidthAttr);
    if (!position)
      return func.emitError()
             << "input " << arg.getArgNumber() << " has no '" << kFixPointAttr
             << "': run quant-calibrate first";
    builder.setInsertionPointToStart(arg.getOwner());
  } else {
    Operation *def = v.getDefiningOp();
    position = def->getAttrOfType<IntegerAttr>(kFixPointAttr);
    bits = def->getAttrOfType<IntegerAttr>(kBitWidthAttr);
    if (!position || def->getNumResults() != 1)
      return user->emitError()
             << "uses the output of float op '" << def->getName()
             << "', which has no single calibrated '" << kFixPointAttr << "'";
    builder.setInsertionPointAfter(def);
  }
  Value q = QuantizeOp::create(
      builder, v.getLoc(),
      RankedTensorType::get(
          cast<ShapedType>(v.getType()).getShape(),
          fixType(int(position.getInt()), recordedBits(bits))),
      v);
  mapping[v] = q;
  return q;
}

void Quantizer::keepFloat(Operation *op) {
  for (OpOperand &operand : op->getOpOperands()) {
    Value v = operand.get();
    if (isFloat(v) || v.getDefiningOp<tfg::ConstOp>() || !mapping.count(v))
      continue;
    Value &copy = dequantized[v];
    if (!copy) {
      OpBuilder::InsertionGuard guard(builder);
      builder.setInsertionPointAfter(mapping.lookup(v).getDefiningOp());
      copy = DequantizeOp::create(builder, v.getLoc(), v.getType(),
                                  mapping.lookup(v));
    }
    operand.set(copy);
  }
  op->setAttr(kIgnoredAttr, builder.getUnitAttr());
  op->removeAttr(kBitWidthAttr);
}

FailureOr<Value>
Quantizer::quantizeConstant(Operation *user, Value floatConst, int position,
                            std::optional<ArrayRef<int64_t>> shape) {
  auto values = tfg::getConstantFloats(floatConst);
  if (!values)
    return user->emitError() << "expects constant weights and bias";
  auto type = cast<RankedTensorType>(floatConst.getType());
  ArrayRef<int64_t> dims = shape ? *shape : type.getShape();
  SmallVector<int8_t> ints;
  for (float v : *values)
    ints.push_back(int8_t(
        quantizeValue(v, position, weightBit, true, vai::RoundMode::DpuRound)));
  auto intType = RankedTensorType::get(dims, builder.getI8Type());
  auto attr = DenseIntElementsAttr::get(intType, ArrayRef<int8_t>(ints));
  return ConstOp::create(
             builder, floatConst.getLoc(),
             RankedTensorType::get(dims, fixType(position, weightBit)), attr)
      .getResult();
}

FailureOr<Value>
Quantizer::quantizeLayer(Operation *op, Value input, Value weights, Value bias,
                         int output,
                         function_ref<Value(Value, Value, Value, Type)> build) {
  // nodes-bit / nodes-method entries naming this layer set its weights'
  // (and bias's) width and method.
  std::string name = tfg::nodeName(op->getLoc());
  llvm::SaveAndRestore<unsigned> layerBit(
      weightBit, options.nodesBit.lookup(name) ? options.nodesBit.lookup(name)
                                               : weightBit);
  llvm::SaveAndRestore<unsigned> layerMethod(
      method, options.nodesMethod.count(name) ? options.nodesMethod.lookup(name)
                                              : method);
  auto weightValues = tfg::getConstantFloats(weights);
  if (!weightValues)
    return op->emitError() << "expects constant weights";
  LayerPositions pos{getFixType(input).getFixPoint(),
                     weightPositionOf(op, weights, *weightValues), output,
                     std::nullopt};
  if (bias) {
    auto biasValues = tfg::getConstantFloats(bias);
    if (!biasValues)
      return op->emitError() << "expects a constant bias";
    pos.bias = positionOf(*biasValues);
  }
  // Positions quant-bias-correction / quant-fast-finetune corrected for.
  if (auto recorded = recordedPosition(op, kWeightFixPointAttr))
    pos.weights = *recorded;
  if (auto recorded = recordedPosition(op, kBiasFixPointAttr); recorded && bias)
    pos.bias = *recorded;
  pos.adjust(options.adjustShiftCut, options.adjustShiftBias);
  auto qWeights = quantizeConstant(op, weights, pos.weights);
  if (failed(qWeights))
    return failure();
  Value qBias;
  if (bias) {
    auto q = quantizeConstant(op, bias, *pos.bias);
    if (failed(q))
      return failure();
    qBias = *q;
  }
  return build(input, *qWeights, qBias,
               fixTensor(op->getResult(0).getType(), pos.output));
}

static Nonlinear toNonlinear(tfg::Activation act) {
  switch (act) {
  case tfg::Activation::none:
    return Nonlinear::none;
  case tfg::Activation::relu:
    return Nonlinear::relu;
  case tfg::Activation::relu6:
    return Nonlinear::relu6;
  case tfg::Activation::leaky_relu:
    return Nonlinear::leaky_relu;
  }
  return Nonlinear::none;
}

FailureOr<Value> Quantizer::quantizePad(tfg::PadOp pad) {
  // pad-fix copies values: the output keeps the input's type and the pad
  // value is quantized at the input's position.
  auto input = lookup(pad, pad.getInput());
  if (failed(input))
    return failure();
  ArrayRef<int64_t> pads = pad.getPads();
  if (llvm::any_of(pads, [](int64_t p) { return p < 0; }))
    return pad.emitError() << "cannot be quantized: negative pads (crops) "
                              "have no pad-fix form";
  quant::PadMode mode = quant::PadMode::constant;
  if (pad.getMode() == tfg::PadMode::reflect) {
    mode = quant::PadMode::reflect;
  } else if (pad.getMode() == tfg::PadMode::edge) {
    // XIR's SYMMETRIC repeats the edge once: the same as edge for pads <= 1.
    if (llvm::any_of(pads, [](int64_t p) { return p > 1; }))
      return pad.emitError()
             << "cannot be quantized: edge padding by more than one element "
                "has no pad-fix form (CONSTANT, REFLECT or SYMMETRIC)";
    mode = quant::PadMode::symmetric;
  }
  FixType fix = getFixType(*input);
  int64_t value = quantizeValue(pad.getValue().convertToFloat(),
                                fix.getFixPoint(), fix.getBitWidth(),
                                fix.getIsSigned(), vai::RoundMode::DpuRound);
  auto type =
      RankedTensorType::get(cast<ShapedType>(pad.getType()).getShape(), fix);
  return PadOp::create(builder, pad.getLoc(), type, *input,
                       builder.getDenseI64ArrayAttr(pads),
                       PadModeAttr::get(builder.getContext(), mode),
                       builder.getI64IntegerAttr(value))
      .getResult();
}

FailureOr<Value> Quantizer::quantizeResize(tfg::ResizeOp resize) {
  auto input = lookup(resize, resize.getInput());
  if (failed(input))
    return failure();
  if (resize.getMode() != tfg::ResizeMode::nearest)
    return resize.emitError()
           << "cannot be quantized: "
           << tfg::stringifyResizeMode(resize.getMode())
           << " resize has no fixed-point form (the DPU's upsample-fix is "
              "nearest by integer factors; its bilinear rounding is not "
              "documented)";
  auto in = cast<RankedTensorType>(resize.getInput().getType());
  auto out = cast<RankedTensorType>(resize.getType());
  int64_t scale[2];
  std::optional<ArrayRef<float>> given = resize.getScales();
  for (int i = 0; i < 2; ++i) {
    int64_t a = in.getDimSize(1 + i), b = out.getDimSize(1 + i);
    if (ShapedType::isDynamic(a) || ShapedType::isDynamic(b) || a <= 0 ||
        b % a != 0 || (given && (*given)[i] != float(b / a)))
      return resize.emitError()
             << "cannot be quantized: resize from " << in.getDimSize(1) << "x"
             << in.getDimSize(2) << " to " << out.getDimSize(1) << "x"
             << out.getDimSize(2)
             << " is not an upsampling by integer factors (upsample-fix)";
    scale[i] = b / a;
  }
  // With integer scale s, output j = k * s + r reads input k (the DPU's
  // floor(j / s)) when the source coordinate is k + r / s or k + (r + 0.5)
  // / s rounded down, or k + (r - (s - 1) / 2) / s rounded to nearest.
  StringRef coord = resize.getCoordinateMode(),
            nearest = resize.getNearestMode();
  bool roundsDown = nearest == "floor";
  bool toNearest =
      nearest == "round_prefer_floor" || nearest == "round_prefer_ceil";
  bool floorOfQuotient =
      (scale[0] == 1 && scale[1] == 1) ||
      ((coord == "asymmetric" || coord == "tf_half_pixel_for_nn") &&
       roundsDown) ||
      ((coord == "half_pixel" || coord == "pytorch_half_pixel") && toNearest);
  if (!floorOfQuotient)
    return resize.emitError()
           << "cannot be quantized: nearest resize with coordinate mode '"
           << coord << "' and rounding '" << nearest
           << "' does not read input floor(j / scale) as upsample-fix does";
  return UpsampleOp::create(
             builder, resize.getLoc(),
             RankedTensorType::get(out.getShape(), getFixType(*input)), *input,
             builder.getDenseI64ArrayAttr(scale))
      .getResult();
}

FailureOr<Value>
Quantizer::quantizeHardSigmoid(tfg::HardSigmoidOp hardSigmoid) {
  // The DPU's only hard sigmoid is relu6(x + 3) * 2731 / 2^14.
  double alpha = hardSigmoid.getAlpha().convertToDouble();
  double beta = hardSigmoid.getBeta().convertToDouble();
  if (std::abs(alpha - 1.0 / 6) > 1e-6 || std::abs(beta - 0.5) > 1e-6) {
    char text[64];
    snprintf(text, sizeof(text), "alpha %g, beta %g", alpha, beta);
    return hardSigmoid.emitError()
           << "hard_sigmoid with " << text
           << " cannot be quantized: the DPU computes relu6(x + 3) * 2731 / "
              "2^14 (alpha 1/6, beta 1/2)";
  }
  auto output = calibrated(hardSigmoid);
  auto input = lookup(hardSigmoid, hardSigmoid.getInput());
  if (failed(output) || failed(input))
    return failure();
  int in = getFixType(*input).getFixPoint();
  if (in < 0 || in > 15)
    return hardSigmoid.emitError()
           << "cannot be quantized: its input position " << in
           << " is outside [0, 15], the DPU's hsigmoid_in range";
  // Output position >= 7 so that saturation clips at 1 (vai_q
  // adjust_hard_sigmoid), and shift_hsigmoid = 14 + in - out >= 0.
  int position = std::clamp(*output, 7, 14 + in);
  return HardSigmoidOp::create(builder, hardSigmoid.getLoc(),
                               fixTensor(hardSigmoid.getType(), position),
                               *input)
      .getResult();
}

FailureOr<Value> Quantizer::quantizeConvTranspose(tfg::Conv2DTransposeOp conv) {
  auto output = calibrated(conv);
  auto input = lookup(conv, conv.getInput());
  if (failed(output) || failed(input))
    return failure();
  auto in = cast<RankedTensorType>(conv.getInput().getType());
  auto filter = cast<RankedTensorType>(conv.getFilter().getType());
  auto out = cast<RankedTensorType>(conv.getType());
  auto values = tfg::getConstantFloats(conv.getFilter());
  if (!values || !filter.hasStaticShape())
    return conv.emitError() << "expects constant weights of static shape";
  // Rows the result type adds beyond the cropped full output (ONNX
  // output_padding) are read from the end crop instead; XIR's
  // transposed-conv2d has no output padding.
  SmallVector<int64_t> pad(conv.getPad());
  for (int i = 0; i < 2; ++i) {
    int64_t h = in.getDimSize(1 + i), o = out.getDimSize(1 + i);
    if (ShapedType::isDynamic(h) || ShapedType::isDynamic(o))
      return conv.emitError() << "cannot be quantized: dynamic spatial size";
    int64_t base = (h - 1) * conv.getStrides()[i] +
                   (filter.getDimSize(i) - 1) * conv.getDilations()[i] + 1 -
                   pad[2 * i] - pad[2 * i + 1];
    pad[2 * i + 1] -= o - base;
    if (pad[2 * i + 1] < 0)
      return conv.emitError()
             << "cannot be quantized: " << o - base
             << " output rows/columns beyond the full transposed convolution "
                "along dimension "
             << 1 + i
             << " (output_padding larger than the end crop) have no "
                "transposed-conv2d-fix form";
  }
  // [kh, kw, OC, IC] -> [kh, kw, IC, OC].
  int64_t kh = filter.getDimSize(0), kw = filter.getDimSize(1),
          oc = filter.getDimSize(2), ic = filter.getDimSize(3);
  SmallVector<float> hwio(values->size());
  for (int64_t k = 0; k < kh * kw; ++k)
    for (int64_t o = 0; o < oc; ++o)
      for (int64_t i = 0; i < ic; ++i)
        hwio[(k * ic + i) * oc + o] = (*values)[(k * oc + o) * ic + i];
  Value weights = tfg::createFloatConst(
      builder, conv.getFilter().getLoc(),
      RankedTensorType::get({kh, kw, ic, oc}, builder.getF32Type()), hwio);
  return quantizeLayer(
      conv, *input, weights, conv.getBias(), *output,
      [&](Value x, Value w, Value b, Type type) {
        return Conv2DTransposeOp::create(
                   builder, conv.getLoc(), type, x, w, b, conv.getStridesAttr(),
                   conv.getDilationsAttr(), builder.getDenseI64ArrayAttr(pad),
                   NonlinearAttr::get(builder.getContext(),
                                      toNonlinear(conv.getActivation())))
            .getResult();
      });
}

LogicalResult Quantizer::quantizeOp(Operation *op) {
  Location loc = op->getLoc();
  activationBits = recordedBits(op->getAttrOfType<IntegerAttr>(kBitWidthAttr));
  auto nonlinearAttr = [&](tfg::Activation act) {
    return NonlinearAttr::get(builder.getContext(), toNonlinear(act));
  };
  // The DPU's leaky ReLU has the fixed slope 26/256 (DESIGN.md §5), which
  // stands in for 0.1 only; another slope has no DPU form.
  if (auto act = op->getAttrOfType<tfg::ActivationAttr>("activation");
      act && act.getValue() == tfg::Activation::leaky_relu) {
    auto alphaAttr = op->getAttrOfType<FloatAttr>("alpha");
    double alpha = alphaAttr ? alphaAttr.getValueAsDouble() : 0.2;
    if (alpha < 0.0999 || alpha > 26.0 / 256 + 1e-4) {
      char text[32];
      snprintf(text, sizeof(text), "%g", alpha);
      return op->emitError() << "leaky_relu slope " << text
                             << " cannot be quantized: the DPU's slope is "
                                "26/256 (for 0.1)";
    }
  }
  FailureOr<Value> result =
      llvm::TypeSwitch<Operation *, FailureOr<Value>>(op)
          .Case([&](tfg::Conv2DOp conv) -> FailureOr<Value> {
            auto output = calibrated(op);
            auto input = lookup(op, conv.getInput());
            if (failed(output) || failed(input))
              return failure();
            return quantizeLayer(
                op, *input, conv.getFilter(), conv.getBias(), *output,
                [&](Value in, Value w, Value b, Type type) {
                  return Conv2DOp::create(builder, loc, type, in, w, b,
                                          conv.getStridesAttr(),
                                          conv.getDilationsAttr(),
                                          conv.getPadAttr(),
                                          nonlinearAttr(conv.getActivation()))
                      .getResult();
                });
          })
          .Case([&](tfg::Conv2DTransposeOp conv) -> FailureOr<Value> {
            return quantizeConvTranspose(conv);
          })
          .Case([&](tfg::MatMulOp matmul) -> FailureOr<Value> {
            if (matmul.getTransposeA() || matmul.getTransposeB())
              return noFixedPointForm(op, "quantization of transposed matmul "
                                          "is not supported yet");
            auto output = calibrated(op);
            auto input = lookup(op, matmul.getA());
            if (failed(output) || failed(input))
              return failure();
            return quantizeLayer(
                op, *input, matmul.getB(), matmul.getBias(), *output,
                [&](Value in, Value w, Value b, Type type) {
                  return MatMulOp::create(builder, loc, type, in, w, b,
                                          nonlinearAttr(matmul.getActivation()))
                      .getResult();
                });
          })
          .Case([&](tfg::MaxPoolOp pool) -> FailureOr<Value> {
            auto input = lookup(op, pool.getInput());
            if (failed(input))
              return failure();
            Type type = RankedTensorType::get(
                cast<ShapedType>(pool.getType()).getShape(),
                getFixType(*input));
            return MaxPoolOp::create(builder, loc, type, *input,
                                     pool.getKernelAttr(),
                                     pool.getStridesAttr(), pool.getPadAttr())
                .getResult();
          })
          .Case([&](tfg::AvgPoolOp pool) -> FailureOr<Value> {
            auto output = calibrated(op);
            auto input = lookup(op, pool.getInput());
            if (failed(output) || failed(input))
              return failure();
            return AvgPoolOp::create(builder, loc,
                                     fixTensor(pool.getType(), *output), *input,
                                     pool.getKernelAttr(),
                                     pool.getStridesAttr(), pool.getPadAttr())
                .getResult();
          })
          .Case([&](tfg::MeanOp mean) -> FailureOr<Value> {
            // Global average pooling: a DPU average pool over H x W.
            auto inType = cast<RankedTensorType>(mean.getInput().getType());
            SmallVector<int64_t> axes(mean.getAxes());
            llvm::sort(axes);
            if (inType.getRank() != 4 || axes != SmallVector<int64_t>{1, 2} ||
                inType.isDynamicDim(1) || inType.isDynamicDim(2))
              return noFixedPointForm(op, "only a mean over the static spatial "
                                          "axes [1, 2] of NHWC can be "
                                          "quantized");
            auto output = calibrated(op);
            auto input = lookup(op, mean.getInput());
            if (failed(output) || failed(input))
              return failure();
            int64_t h = inType.getDimSize(1), w = inType.getDimSize(2);
            auto pooledType = RankedTensorType::get(
                {inType.getDimSize(0), 1, 1, inType.getDimSize(3)},
                fixType(*output));
            Value pooled =
                AvgPoolOp::create(builder, loc, pooledType, *input,
                                  builder.getDenseI64ArrayAttr({h, w}),
                                  builder.getDenseI64ArrayAttr({1, 1}),
                                  builder.getDenseI64ArrayAttr({0, 0, 0, 0}));
            if (mean.getKeepDims())
              return pooled;
            return ReshapeOp::create(builder, loc,
                                     fixTensor(mean.getType(), *output), pooled)
                .getResult();
          })
          .Case([&](tfg::AddOp addOp) -> FailureOr<Value> {
            // eltwise-fix applies a ReLU itself: a ReLU that alone reads
            // the sum (ResNet's residual) is fused, at its own position.
            tfg::ReluOp relu = fusibleRelu(addOp);
            if (relu)
              activationBits =
                  recordedBits(relu->getAttrOfType<IntegerAttr>(kBitWidthAttr));
            auto output = calibrated(relu ? relu.getOperation() : op);
            auto lhs = lookup(op, addOp.getLhs());
            auto rhs = lookup(op, addOp.getRhs());
            if (failed(output) || failed(lhs) || failed(rhs))
              return failure();
            Value sum =
                AddOp::create(builder, relu ? relu.getLoc() : loc,
                              fixTensor(addOp.getType(), *output), *lhs, *rhs,
                              NonlinearAttr::get(builder.getContext(),
                                                 relu ? Nonlinear::relu
                                                      : Nonlinear::none))
                    .getResult();
            if (relu)
              mapping[relu.getResult()] = sum;
            return sum;
          })
          .Case([&](tfg::DepthwiseConv2DOp conv) -> FailureOr<Value> {
            auto output = calibrated(op);
            auto input = lookup(op, conv.getInput());
            if (failed(output) || failed(input))
              return failure();
            return quantizeLayer(
                op, *input, conv.getFilter(), conv.getBias(), *output,
                [&](Value in, Value w, Value b, Type type) {
                  return DepthwiseConv2DOp::create(
                             builder, loc, type, in, w, b,
                             conv.getStridesAttr(), conv.getDilationsAttr(),
                             conv.getPadAttr(),
                             nonlinearAttr(conv.getActivation()))
                      .getResult();
                });
          })
          .Case([&](tfg::ConcatOp concat) -> FailureOr<Value> {
            // The DPU concatenates equal positions: the output takes the
            // coarsest input's, so aligning the others only drops bits.
            // align-concat=2 keeps the concat's calibrated position.
            SmallVector<Value> inputs;
            int position = std::numeric_limits<int>::max();
            for (Value v : concat.getInputs()) {
              auto q = lookup(op, v);
              if (failed(q))
                return failure();
              inputs.push_back(*q);
              position = std::min(position, getFixType(*q).getFixPoint());
            }
            if (options.alignConcat == 2) {
              auto own = calibrated(op);
              if (failed(own))
                return failure();
              position = *own;
            }
            return ConcatOp::create(builder, loc,
                                    fixTensor(concat.getType(), position),
                                    inputs, concat.getAxisAttr())
                .getResult();
          })
          .Case([&](tfg::MulOp mul) -> FailureOr<Value> {
            auto output = calibrated(op);
            auto lhs = operandOrConstant(op, mul.getLhs());
            auto rhs = operandOrConstant(op, mul.getRhs());
            if (failed(output) || failed(lhs) || failed(rhs))
              return failure();
            // A constant (which may broadcast) goes second.
            if (lhs->getDefiningOp<ConstOp>() && !rhs->getDefiningOp<ConstOp>())
              std::swap(*lhs, *rhs);
            int product =
                getFixType(*lhs).getFixPoint() + getFixType(*rhs).getFixPoint();
            int position =
                options.adjustShiftCut
                    ? std::clamp(*output, product - kMaxShiftCut, product)
                    : *output;
            return MulOp::create(builder, loc,
                                 fixTensor(mul.getType(), position), *lhs, *rhs)
                .getResult();
          })
          .Case([&](tfg::IdentityOp identity) {
            return lookup(op, identity.getInput());
          })
          .Case([&](tfg::ReshapeOp reshape) -> FailureOr<Value> {
            // reshape-fix moves no values: the input's position is kept
            // (ONNX imports reshape NCHW inputs with one channel, Flatten).
            auto input = lookup(op, reshape.getInput());
            if (failed(input))
              return failure();
            return ReshapeOp::create(
                       builder, loc,
                       RankedTensorType::get(
                           cast<ShapedType>(reshape.getType()).getShape(),
                           getFixType(*input)),
                       *input)
                .getResult();
          })
          .Case([&](tfg::PadOp pad) -> FailureOr<Value> {
            return quantizePad(pad);
          })
          .Case([&](tfg::ResizeOp resize) -> FailureOr<Value> {
            return quantizeResize(resize);
          })
          .Case([&](tfg::HardSigmoidOp hardSigmoid) -> FailureOr<Value> {
            return quantizeHardSigmoid(hardSigmoid);
          })
          .Case([&](tfg::FusedBatchNormOp) -> FailureOr<Value> {
            return op->emitError()
                   << "cannot be quantized: run tfg-fold-batchnorm first";
          })
          .Case<tfg::BiasAddOp, tfg::ReluOp, tfg::Relu6Op>(
              [&](Operation *) -> FailureOr<Value> {
                return op->emitError() << "cannot be quantized on its own: run "
                                          "tfg-fuse-bias-activation first";
              })
          .Default([&](Operation *) -> FailureOr<Value> {
            return noFixedPointForm(op,
                                    "cannot be quantized: no fixed-point form");
          });
  if (failed(result))
    return failure();
  if (!*result) {
    // Kept float like an ignored node; dpu-partition reads the reason.
    keepFloat(op);
    options.floatOps.insert(op);
    op->setAttr(kFloatReasonAttr, builder.getStringAttr("no fixed-point form"));
    return success();
  }
  mapping[op->getResult(0)] = *result;
  return success();
}

LogicalResult Quantizer::run() {
  Block &body = func.getBody().front();
  // Inputs read only by ops left in float need no quantize.
  for (BlockArgument arg : llvm::reverse(body.getArguments()))
    if (llvm::any_of(arg.getUsers(),
                     [&](Operation *user) {
                       return !options.floatOps.contains(user);
                     }) &&
        failed(quantizeFloat(func, arg)))
      return failure();
  for (unsigned i = 0; i < func.getNumArguments(); ++i) {
    func.removeArgAttr(i, kFixPointAttr);
    func.removeArgAttr(i, kBitWidthAttr);
  }
  SmallVector<Operation *> floatOps;
  for (Operation &op : llvm::make_early_inc_range(body)) {
    if (isa<QuantizeOp, DequantizeOp>(op) || isa<tfg::ConstOp>(op))
      continue;
    builder.setInsertionPoint(&op);
    if (options.floatOps.contains(&op)) {
      keepFloat(&op);
      continue;
    }
    if (auto ret = dyn_cast<func::ReturnOp>(op)) {
      // Results leave fixed point under the model's output node names.
      auto outputNames = func->getAttrOfType<ArrayAttr>("tfg.output_names");
      for (OpOperand &operand : ret->getOpOperands()) {
        // Results of ops left in float are returned as they are.
        if (Operation *def = operand.get().getDefiningOp();
            def && options.floatOps.contains(def))
          continue;
        auto q = lookup(ret, operand.get());
        if (failed(q))
          return failure();
        Location loc = ret.getLoc();
        unsigned i = operand.getOperandNumber();
        if (outputNames && i < outputNames.size())
          if (auto name = dyn_cast<StringAttr>(outputNames[i]))
            loc = NameLoc::get(name, loc);
        operand.set(
            DequantizeOp::create(builder, loc, operand.get().getType(), *q));
      }
      continue;
    }
    // A ReLU fused into the quant.add before it already has its value.
    if (!(op.getNumResults() == 1 && mapping.count(op.getResult(0))) &&
        failed(quantizeOp(&op)))
      return failure();
    if (!options.floatOps.contains(&op))
      floatOps.push_back(&op);
  }
  // Float ops and the constants only they used are now dead.
  for (Operation *op : llvm::reverse(floatOps))
    op->erase();
  for (Operation &op : llvm::make_early_inc_range(body))
    if (isa<tfg::ConstOp>(op) && op.use_empty())
      op.erase();
  for (Operation *op : options.floatOps)
    op->removeAttr(kFixPointAttr);
  return success();
}

/// The kernels hold values in int8: widths 2..8 (DESIGN.md §5).
template <typename Fail>
LogicalResult checkBitWidth(unsigned bits, const std::string &what, Fail fail) {
  if (bits > 8) {
    fail(what + "=" + std::to_string(bits) +
         ": 16-bit needs int16 kernels: not supported (2..8)");
    return failure();
  }
  if (bits < 2) {
    fail(what + "=" + std::to_string(bits) + " is outside 2..8");
    return failure();
  }
  return success();
}

struct QuantQuantizePass
    : vai::quant::impl::QuantQuantizeBase<QuantQuantizePass> {
  using QuantQuantizeBase::QuantQuantizeBase;
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    auto fail = [&](const std::string &message) {
      func.emitError() << "quant-quantize: " << message;
      signalPassFailure();
    };
    if (failed(checkBitWidth(weightBit, "weight-bit", fail)))
      return;
    if (alignConcat > 2 || alignPool > 2)
      return fail("align-concat and align-pool take 0 (inputs and output), "
                  "1 (output only) or 2 (off), got " +
                  std::to_string(alignConcat > 2 ? unsigned(alignConcat)
                                                 : unsigned(alignPool)));
    Quantizer quantizer(func, weightBit, method);
    QuantizerOptions &opts = quantizer.options;
    std::string error;
    NodeNames names(func);
    if (!parseNodeValues(nodesBit, "nodes-bit", 2, 16, names, opts.nodesBit,
                         error) ||
        !parseNodeValues(nodesMethod, "nodes-method", 0, 2, names,
                         opts.nodesMethod, error) ||
        !collectFloatOps(func, ignoreNodes, inputNodes, outputNodes,
                         opts.floatOps, error))
      return fail(error);
    // Entries naming other nodes are quant-calibrate's (their outputs).
    for (auto *map : {&opts.nodesBit, &opts.nodesMethod})
      for (auto &entry : llvm::make_early_inc_range(*map))
        if (Operation *op = names.op(entry.getKey());
            !op || !isWeightedLayer(op))
          map->erase(entry.getKey());
    for (auto &entry : opts.nodesBit)
      if (failed(checkBitWidth(entry.getValue(),
                               "nodes-bit for '" + entry.getKey().str() + "'",
                               fail)))
        return;
    opts.adjustShiftCut = adjustShiftCut;
    opts.adjustShiftBias = adjustShiftBias;
    opts.alignConcat = alignConcat;
    opts.floatFallback = floatFallback;
    alignPositions(func, alignConcat, alignPool, opts.floatOps);
    if (failed(quantizer.run()))
      signalPassFailure();
  }
};

} // namespace

//===- LayerwiseCorrection.cpp - Float vs fake-quant, layer by layer ------===//

#include "LayerwiseCorrection.h"
#include "CalibrationData.h"
#include "QuantOptions.h"
#include "vai/Dialect/Quant/Passes.h"
#include "vai/Dialect/Tfg/TfgUtils.h"
#include "vai/Simulator/FixedKernels.h"
#include "vai/Simulator/Interpreter.h"
#include "vai/Support/FileIO.h"
#include "vai/Support/FixedPoint.h"
#include "vai/Support/ImageLoader.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/TypeSwitch.h"

#include <algorithm>

using namespace mlir;

namespace vai::quant {

void fakeQuantize(FloatArray &x, int position, unsigned bits) {
  float scale = std::ldexp(1.0f, position);
  float lo = float(fixMin(bits, true)), hi = float(fixMax(bits, true));
  for (float &v : x.data)
    v = fakeQuantizeValue(v, scale, lo, hi);
}

LayerPositions CorrectedLayer::positions() const {
  LayerPositions pos{inputPosition,
                     weightPosition
                         ? *weightPosition
                         : weightPositionOf(op, op->getOperand(1).getType(),
                                            weights.data, weightBit, method),
                     outputPosition, std::nullopt};
  if (hasBias)
    pos.bias = positionOf(bias.data, weightBit, method);
  pos.adjust();
  return pos;
}

bool CorrectedLayer::forward(const FloatArray &x, const FloatArray &w,
                             const FloatArray &b, FloatArray &out,
                             std::string &error) const {
  switch (kind) {
  case LayerKind::Conv:
    return conv2d(x, w, conv, out, error, &b);
  case LayerKind::Depthwise:
    return depthwiseConv2d(x, w, conv, out, error, &b);
  case LayerKind::MatMul:
    return matmul(x, w, false, false, out, error, &b);
  }
  return false;
}

bool CorrectedLayer::fakeQuantForward(const FloatArray &x,
                                      const LayerPositions &pos,
                                      FloatArray &out,
                                      std::string &error) const {
  FloatArray w = weights, b = bias;
  fakeQuantize(w, pos.weights, weightBit);
  if (pos.bias)
    fakeQuantize(b, *pos.bias, weightBit);
  return forward(x, w, b, out, error);
}

void CorrectedLayer::floatActivation(FloatArray &y) const {
  switch (activation) {
  case tfg::Activation::none:
    return;
  case tfg::Activation::relu:
    for (float &v : y.data)
      v = std::max(v, 0.0f);
    return;
  case tfg::Activation::relu6:
    for (float &v : y.data)
      v = std::clamp(v, 0.0f, 6.0f);
    return;
  case tfg::Activation::leaky_relu:
    for (float &v : y.data)
      v = v < 0 ? v * slope : v;
    return;
  }
}

void CorrectedLayer::fakeQuantOutput(FloatArray &y, int position) const {
  // The DPU applies its activation to the unrounded accumulator
  // (FixedKernels.h, requantize), so it goes first.
  float leaky = float(kLeakyReluNumerator) / (1 << kLeakyReluShift);
  float scale = std::ldexp(1.0f, position);
  float lo = float(fixMin(outputBits, true)),
        hi = float(fixMax(outputBits, true));
  for (float &v : y.data) {
    switch (activation) {
    case tfg::Activation::none:
      break;
    case tfg::Activation::relu:
      v = std::max(v, 0.0f);
      break;
    case tfg::Activation::relu6:
      v = std::clamp(v, 0.0f, 6.0f);
      break;
    case tfg::Activation::leaky_relu:
      v = v < 0 ? v * leaky : v;
      break;
    }
    v = fakeQuantizeValue(v, scale, lo, hi);
  }
}

namespace {

FloatArray constantArray(Value v) {
  auto values = tfg::getConstantFloats(v);
  auto type = cast<RankedTensorType>(v.getType());
  return FloatArray(
      std::vector<int64_t>(type.getShape().begin(), type.getShape().end()),
      std::vector<float>(values->begin(), values->end()));
}

unsigned bitsOf(Operation *op) {
  auto attr = op->getAttrOfType<IntegerAttr>(kBitWidthAttr);
  return attr ? unsigned(attr.getInt()) : 8;
}

class Walker {
public:
  Walker(func::FuncOp func, const CorrectionOptions &options,
         LayerCorrection correct)
      : func(func), options(options), correct(correct), interpreter(func) {}

  LogicalResult run();

private:
  InFlightDiagnostic error(Operation *op) {
    return op->emitError() << options.passName << ": ";
  }
  LogicalResult loadImages(std::vector<FloatArray> &inputs);
  /// The layer `op` with its constants, or failure (diagnosed).
  FailureOr<CorrectedLayer> makeLayer(Operation *op, Value input, Value weights,
                                      Value bias);
  LogicalResult runLayer(CorrectedLayer &layer, Value input);
  LogicalResult runOther(Operation *op);
  void writeBack(CorrectedLayer &layer);

  func::FuncOp func;
  const CorrectionOptions &options;
  LayerCorrection correct;
  Interpreter interpreter;
  llvm::DenseMap<Value, RuntimeValue> floatEnv, quantEnv;
  /// Position and width of each fake-quantized value; absent = float.
  llvm::DenseMap<Value, std::pair<int, unsigned>> quantPos;
  std::vector<CorrectedLayer> layers;
  std::string message;
};

LogicalResult Walker::loadImages(std::vector<FloatArray> &inputs) {
  if (options.method > 2) {
    func.emitError() << options.passName << ": method " << options.method
                     << " is not supported (0 = non-overflow, 1 = min-diffs, "
                        "2 = min-diffs with the depthwise strategy)";
    return failure();
  }
  if (options.data.empty()) {
    func.emitError() << options.passName
                     << ": no calibration data (option 'data')";
    return failure();
  }
  PreprocessSpec spec;
  if (!options.preprocess.empty()) {
    std::string text;
    if (!readWholeFile(options.preprocess, text, message) ||
        !parsePreprocessSpec(text, options.preprocess, spec, message)) {
      func.emitError() << options.passName << ": " << message;
      return failure();
    }
  }
  auto data = CalibrationData::open(func, options.data, spec, message);
  if (!data) {
    func.emitError() << options.passName << ": " << message;
    return failure();
  }
  // vai_q: calib_iter batches of batch_size images (0 = all).
  int64_t count = data->numImages();
  if (options.calibIter > 0)
    count = std::min<int64_t>(count, int64_t(options.calibIter) *
                                         std::max(1u, options.batchSize));
  if (!data->loadBatch(0, count, inputs, message)) {
    func.emitError() << options.passName << ": " << message;
    return failure();
  }
  return success();
}

FailureOr<CorrectedLayer> Walker::makeLayer(Operation *op, Value input,
                                            Value weights, Value bias) {
  CorrectedLayer layer;
  layer.op = op;
  layer.weightBit = options.weightBit;
  layer.method = options.method;
  auto output = op->getAttrOfType<IntegerAttr>(kFixPointAttr);
  if (!output)
    return error(op) << "has no '" << kFixPointAttr
                     << "': run quant-calibrate first";
  layer.outputPosition = int(output.getInt());
  layer.outputBits = bitsOf(op);
  auto it = quantPos.find(input);
  if (it == quantPos.end())
    return error(op) << "its input has no fix position";
  layer.inputPosition = it->second.first;
  if (!tfg::getConstantFloats(weights) ||
      (bias && !tfg::getConstantFloats(bias)))
    return error(op) << "expects constant weights and bias";
  layer.weights = constantArray(weights);
  int64_t channels = layer.weights.shape.back();
  if (isa<tfg::DepthwiseConv2DOp>(op))
    channels *= layer.weights.shape[2];
  layer.hasBias = bool(bias);
  layer.bias = bias ? constantArray(bias) : FloatArray({channels}, 0.0f);
  if (layer.bias.numElements() != channels)
    return error(op) << "has " << layer.bias.numElements()
                     << " bias values for " << channels << " channels";
  if (auto act = op->getAttrOfType<tfg::ActivationAttr>("activation"))
    layer.activation = act.getValue();
  layer.slope = tfg::fusedSlope(op);
  layer.weightPosition = recordedPosition(op, kWeightFixPointAttr);
  return layer;
}

LogicalResult Walker::runLayer(CorrectedLayer &layer, Value input) {
  Operation *op = layer.op;
  const FloatArray &xf = floatEnv.find(input)->second.floats;
  const FloatArray &xq = quantEnv.find(input)->second.floats;
  FloatArray pre;
  if (!layer.forward(xf, layer.weights, layer.bias, pre, message))
    return error(op) << message;
  if (failed(correct(layer, xf, pre, xq)))
    return failure();
  layer.floatActivation(pre);
  floatEnv[op->getResult(0)] = RuntimeValue::ofFloat(std::move(pre));

  LayerPositions pos = layer.positions();
  FloatArray y;
  if (!layer.fakeQuantForward(xq, pos, y, message))
    return error(op) << message;
  layer.fakeQuantOutput(y, pos.output);
  quantEnv[op->getResult(0)] = RuntimeValue::ofFloat(std::move(y));
  quantPos[op->getResult(0)] = {pos.output, layer.outputBits};
  return success();
}

LogicalResult Walker::runOther(Operation *op) {
  if (failed(interpreter.step(op, floatEnv)) ||
      failed(interpreter.step(op, quantEnv)))
    return failure();
  if (op->getNumResults() != 1)
    return success();
  Value result = op->getResult(0);
  FloatArray &y = quantEnv.find(result)->second.floats;
  auto inputPos = [&](Value v) -> std::optional<std::pair<int, unsigned>> {
    auto it = quantPos.find(v);
    if (it == quantPos.end())
      return std::nullopt;
    return it->second;
  };
  auto calibrated = [&]() -> std::optional<std::pair<int, unsigned>> {
    if (auto attr = op->getAttrOfType<IntegerAttr>(kFixPointAttr))
      return std::make_pair(int(attr.getInt()), bitsOf(op));
    return std::nullopt;
  };
  // The output positions quant-quantize gives (QuantQuantize.cpp).
  std::optional<std::pair<int, unsigned>> pos =
      llvm::TypeSwitch<Operation *, std::optional<std::pair<int, unsigned>>>(op)
          .Case<tfg::MaxPoolOp, tfg::ReshapeOp, tfg::IdentityOp>(
              [&](Operation *) { return inputPos(op->getOperand(0)); })
          .Case([&](tfg::ConcatOp concat)
                    -> std::optional<std::pair<int, unsigned>> {
            std::optional<std::pair<int, unsigned>> low;
            for (Value v : concat.getInputs()) {
              auto p = inputPos(v);
              if (!p)
                return calibrated();
              if (!low || p->first < low->first)
                low = p;
            }
            return low;
          })
          .Case([&](tfg::ConstOp c) -> std::optional<std::pair<int, unsigned>> {
            // quant.mul takes constants at their own position.
            if (llvm::any_of(op->getUsers(),
                             [](Operation *u) { return isa<tfg::MulOp>(u); }))
              return std::make_pair(
                  positionOf(y.data, options.weightBit, options.method),
                  options.weightBit);
            return std::nullopt;
          })
          .Case([&](tfg::MulOp mul) -> std::optional<std::pair<int, unsigned>> {
            auto own = calibrated();
            auto l = inputPos(mul.getLhs()), r = inputPos(mul.getRhs());
            if (!own || !l || !r)
              return own;
            int product = l->first + r->first;
            own->first =
                std::clamp(own->first, product - kMaxShiftCut, product);
            return own;
          })
          .Default([&](Operation *) { return calibrated(); });
  if (!pos)
    return success();
  // The DPU average pool multiplies by m / 2^s instead of dividing by
  // kh * kw (FixedKernels.h, avgPoolDpuFactor).
  int64_t kh = 0, kw = 0;
  if (auto pool = dyn_cast<tfg::AvgPoolOp>(op)) {
    kh = pool.getKernel()[0];
    kw = pool.getKernel()[1];
  } else if (auto mean = dyn_cast<tfg::MeanOp>(op)) {
    auto type = cast<RankedTensorType>(mean.getInput().getType());
    if (type.getRank() == 4) {
      kh = type.getDimSize(1);
      kw = type.getDimSize(2);
    }
  }
  if (kh > 0 && kw > 0) {
    AvgPoolFactor factor = avgPoolDpuFactor(kh, kw);
    float scale =
        float(kh * kw) * std::ldexp(float(factor.multiplier), -factor.shift);
    for (float &v : y.data)
      v *= scale;
  }
  fakeQuantize(y, pos->first, pos->second);
  quantPos[result] = *pos;
  return success();
}

void Walker::writeBack(CorrectedLayer &layer) {
  Operation *op = layer.op;
  OpBuilder builder(op);
  LayerPositions pos = layer.positions();
  if (layer.changed) {
    auto replace = [&](unsigned index, const FloatArray &values) {
      Value old = op->getOperand(index);
      auto type = cast<RankedTensorType>(old.getType());
      op->setOperand(index, tfg::createFloatConst(builder, old.getLoc(), type,
                                                  values.data));
      if (Operation *def = old.getDefiningOp(); def && def->use_empty())
        def->erase();
    };
    replace(1, layer.weights);
    if (op->getNumOperands() > 2) {
      replace(2, layer.bias);
    } else if (layer.hasBias) {
      auto type =
          RankedTensorType::get({layer.outChannels()}, builder.getF32Type());
      Value bias = tfg::createFloatConst(
          builder, tfg::derivedNameLoc(op->getLoc(), "/bias"), type,
          layer.bias.data);
      op->insertOperands(op->getNumOperands(), bias);
    }
  }
  op->setAttr(kWeightFixPointAttr, builder.getI32IntegerAttr(pos.weights));
  if (pos.bias)
    op->setAttr(kBiasFixPointAttr,
                builder.getI32IntegerAttr(positionOf(
                    layer.bias.data, options.weightBit, options.method)));
}

LogicalResult Walker::run() {
  Block &body = func.getBody().front();
  for (BlockArgument arg : body.getArguments())
    if (!func.getArgAttrOfType<IntegerAttr>(arg.getArgNumber(), kFixPointAttr))
      return func.emitError()
             << options.passName << ": input " << arg.getArgNumber()
             << " has no '" << kFixPointAttr << "': run quant-calibrate first";
  std::vector<FloatArray> inputs;
  if (failed(loadImages(inputs)))
    return failure();

  // Values are dropped after their last use: the whole calibration set
  // goes through each op at once.
  llvm::DenseMap<Value, Operation *> lastUse;
  for (Operation &op : body)
    for (Value v : op.getOperands())
      lastUse[v] = &op;

  for (BlockArgument arg : body.getArguments()) {
    unsigned i = arg.getArgNumber();
    int position =
        func.getArgAttrOfType<IntegerAttr>(i, kFixPointAttr).getInt();
    auto bitsAttr = func.getArgAttrOfType<IntegerAttr>(i, kBitWidthAttr);
    unsigned bits = bitsAttr ? unsigned(bitsAttr.getInt()) : 8;
    FloatArray q = inputs[i];
    fakeQuantize(q, position, bits);
    floatEnv[arg] = RuntimeValue::ofFloat(std::move(inputs[i]));
    quantEnv[arg] = RuntimeValue::ofFloat(std::move(q));
    quantPos[arg] = {position, bits};
  }

  for (Operation &op : body) {
    if (op.hasTrait<OpTrait::IsTerminator>())
      break;
    FailureOr<CorrectedLayer> layer = failure();
    Value input;
    LogicalResult status =
        llvm::TypeSwitch<Operation *, LogicalResult>(&op)
            .Case<tfg::Conv2DOp, tfg::DepthwiseConv2DOp>([&](auto conv) {
              input = conv.getInput();
              layer = makeLayer(&op, input, conv.getFilter(), conv.getBias());
              if (failed(layer))
                return failure();
              layer->kind = isa<tfg::Conv2DOp>(op) ? LayerKind::Conv
                                                   : LayerKind::Depthwise;
              auto s = conv.getStrides(), d = conv.getDilations();
              auto p = conv.getPad();
              layer->conv.strides = {s[0], s[1]};
              layer->conv.dilations = {d[0], d[1]};
              layer->conv.pads = {p[0], p[1], p[2], p[3]};
              return success();
            })
            .Case([&](tfg::MatMulOp matmul) {
              if (matmul.getTransposeA() || matmul.getTransposeB())
                return success();
              input = matmul.getA();
              layer = makeLayer(&op, input, matmul.getB(), matmul.getBias());
              if (failed(layer))
                return failure();
              layer->kind = LayerKind::MatMul;
              return success();
            })
            .Default([&](Operation *) { return success(); });
    if (failed(status))
      return failure();
    if (succeeded(layer)) {
      if (failed(runLayer(*layer, input)))
        return failure();
      layers.push_back(std::move(*layer));
    } else if (failed(runOther(&op))) {
      return failure();
    }
    for (Value v : op.getOperands())
      if (lastUse.lookup(v) == &op) {
        floatEnv.erase(v);
        quantEnv.erase(v);
      }
  }
  for (CorrectedLayer &layer : layers)
    writeBack(layer);
  return success();
}

} // namespace

LogicalResult runLayerwise(func::FuncOp func, const CorrectionOptions &options,
                           LayerCorrection correct) {
  return Walker(func, options, correct).run();
}

} // namespace vai::quant

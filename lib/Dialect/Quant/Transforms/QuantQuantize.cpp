//===- QuantQuantize.cpp - quant-quantize ---------------------------------===//
//
// Rewrites a calibrated, fused tfg function into quant ops: weights become
// int8 constants, each layer's positions are adjusted to the DPU's shift
// ranges, and the function keeps its float signature through quantize /
// dequantize at the edges.
//
//===----------------------------------------------------------------------===//

#include "mlir/IR/IRMapping.h"
#include "vai/Dialect/Quant/Passes.h"
#include "vai/Dialect/Tfg/TfgUtils.h"
#include "vai/Support/FixedPoint.h"
#include "llvm/ADT/TypeSwitch.h"

namespace vai::quant {
#define GEN_PASS_DEF_QUANTQUANTIZE
#include "vai/Dialect/Quant/Passes.h.inc"
} // namespace vai::quant

using namespace mlir;
using namespace vai;
using namespace vai::quant;

namespace {

/// Positions of one conv/matmul layer before and after adjustment.
struct LayerPositions {
  int input, weights, output;
  std::optional<int> bias;

  /// Moves positions into the DPU's ranges (DESIGN.md §5). The weight
  /// position is lowered rather than the output raised: it costs precision
  /// where the weights have most of it, and never risks overflowing the
  /// output. The bias is kept no finer than w + i so that the hardware's
  /// unsigned shift field can encode shift_bias (ISA1.md §7).
  void adjust() {
    if (weights + input - output > kMaxShiftCut)
      weights = output + kMaxShiftCut - input;
    if (weights + input - output < 0)
      output = weights + input;
    if (!bias)
      return;
    int shiftCut = weights + input - output;
    auto [lo, hi] = shiftBiasRange(shiftCut);
    lo = std::max(lo, 0);
    int shiftBias = weights + input - *bias;
    if (shiftBias > hi)
      bias = weights + input - hi;
    else if (shiftBias < lo)
      bias = weights + input - lo;
  }
};

class Quantizer {
public:
  Quantizer(func::FuncOp func, unsigned weightBit, unsigned method)
      : func(func), builder(func.getContext()), weightBit(weightBit),
        method(method) {}

  LogicalResult run();

private:
  FixType fixType(int position) {
    return FixType::get(builder.getContext(), 8, position);
  }
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
  int positionOf(ArrayRef<float> values) {
    return method == 0
               ? fixPosNonOverflow(values.data(), values.size(), weightBit)
               : fixPosMinDiffs(values.data(), values.size(), weightBit,
                                vai::RoundMode::DpuRound);
  }
  FailureOr<Value> lookup(Operation *user, Value floatValue) {
    auto it = mapping.find(floatValue);
    if (it == mapping.end())
      return user->emitError() << "uses a value that was not quantized";
    return it->second;
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
  llvm::DenseMap<Value, Value> mapping;
};

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
  return ConstOp::create(builder, floatConst.getLoc(),
                         RankedTensorType::get(dims, fixType(position)), attr)
      .getResult();
}

FailureOr<Value>
Quantizer::quantizeLayer(Operation *op, Value input, Value weights, Value bias,
                         int output,
                         function_ref<Value(Value, Value, Value, Type)> build) {
  auto weightValues = tfg::getConstantFloats(weights);
  if (!weightValues)
    return op->emitError() << "expects constant weights";
  LayerPositions pos{getFixType(input).getFixPoint(), positionOf(*weightValues),
                     output, std::nullopt};
  if (bias) {
    auto biasValues = tfg::getConstantFloats(bias);
    if (!biasValues)
      return op->emitError() << "expects a constant bias";
    pos.bias = positionOf(*biasValues);
  }
  pos.adjust();
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

LogicalResult Quantizer::quantizeOp(Operation *op) {
  Location loc = op->getLoc();
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
          .Case([&](tfg::MatMulOp matmul) -> FailureOr<Value> {
            if (matmul.getTransposeA() || matmul.getTransposeB())
              return op->emitError() << "quantization of transposed matmul is "
                                        "not supported yet";
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
            Type type =
                fixTensor(pool.getType(), getFixType(*input).getFixPoint());
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
              return op->emitError() << "only a mean over the static spatial "
                                        "axes [1, 2] of NHWC can be quantized";
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
            auto output = calibrated(op);
            auto lhs = lookup(op, addOp.getLhs());
            auto rhs = lookup(op, addOp.getRhs());
            if (failed(output) || failed(lhs) || failed(rhs))
              return failure();
            return AddOp::create(builder, loc,
                                 fixTensor(addOp.getType(), *output), *lhs,
                                 *rhs,
                                 NonlinearAttr::get(builder.getContext(),
                                                    Nonlinear::none))
                .getResult();
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
            SmallVector<Value> inputs;
            int position = std::numeric_limits<int>::max();
            for (Value v : concat.getInputs()) {
              auto q = lookup(op, v);
              if (failed(q))
                return failure();
              inputs.push_back(*q);
              position = std::min(position, getFixType(*q).getFixPoint());
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
            int position = std::clamp(*output, product - kMaxShiftCut, product);
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
                       fixTensor(reshape.getType(),
                                 getFixType(*input).getFixPoint()),
                       *input)
                .getResult();
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
            return op->emitError()
                   << "cannot be quantized: no fixed-point form";
          });
  if (failed(result))
    return failure();
  mapping[op->getResult(0)] = *result;
  return success();
}

LogicalResult Quantizer::run() {
  Block &body = func.getBody().front();
  builder.setInsertionPointToStart(&body);
  for (BlockArgument arg : body.getArguments()) {
    auto attr =
        func.getArgAttrOfType<IntegerAttr>(arg.getArgNumber(), kFixPointAttr);
    if (!attr)
      return func.emitError()
             << "input " << arg.getArgNumber() << " has no '" << kFixPointAttr
             << "': run quant-calibrate first";
    mapping[arg] = QuantizeOp::create(
        builder, arg.getLoc(), fixTensor(arg.getType(), attr.getInt()), arg);
    func.removeArgAttr(arg.getArgNumber(), kFixPointAttr);
  }
  SmallVector<Operation *> floatOps;
  for (Operation &op : llvm::make_early_inc_range(body)) {
    if (isa<QuantizeOp>(op) || isa<tfg::ConstOp>(op))
      continue;
    builder.setInsertionPoint(&op);
    if (auto ret = dyn_cast<func::ReturnOp>(op)) {
      // Results leave fixed point under the model's output node names.
      auto outputNames = func->getAttrOfType<ArrayAttr>("tfg.output_names");
      for (OpOperand &operand : ret->getOpOperands()) {
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
    if (failed(quantizeOp(&op)))
      return failure();
    floatOps.push_back(&op);
  }
  // Float ops and the constants only they used are now dead.
  for (Operation *op : llvm::reverse(floatOps))
    op->erase();
  for (Operation &op : llvm::make_early_inc_range(body))
    if (isa<tfg::ConstOp>(op) && op.use_empty())
      op.erase();
  return success();
}

struct QuantQuantizePass
    : vai::quant::impl::QuantQuantizeBase<QuantQuantizePass> {
  using QuantQuantizeBase::QuantQuantizeBase;
  void runOnOperation() override {
    if (weightBit != 8) {
      getOperation().emitError() << "quant-quantize: only weight-bit=8 is "
                                    "supported by the fixed-point kernels";
      return signalPassFailure();
    }
    if (failed(Quantizer(getOperation(), weightBit, method).run()))
      signalPassFailure();
  }
};

} // namespace

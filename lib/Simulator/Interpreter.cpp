//===- Interpreter.cpp - Executes tfg, quant and dpu functions ------------===//

#include "vai/Simulator/Interpreter.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "vai/Dialect/Dpu/DpuOps.h"
#include "vai/Dialect/Prune/PruneOps.h"
#include "vai/Dialect/Quant/QuantOps.h"
#include "vai/Dialect/Tfg/TfgOps.h"
#include "vai/Dialect/Tfg/TfgUtils.h"
#include "vai/Simulator/FixedKernels.h"
#include "vai/Simulator/FloatKernels.h"
#include "vai/Simulator/HardSoftmax.h"
#include "vai/Simulator/XirNodeKernels.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/ADT/TypeSwitch.h"
#include <limits>

using namespace mlir;

namespace vai {

RuntimeValue RuntimeValue::ofFloat(FloatArray array) {
  RuntimeValue v;
  v.floats = std::move(array);
  return v;
}

RuntimeValue RuntimeValue::ofFixed(Int8Array array, int fixPoint) {
  RuntimeValue v;
  v.isFixed = true;
  v.ints = std::move(array);
  v.fixPoint = fixPoint;
  return v;
}

FloatArray RuntimeValue::toFloat() const {
  return isFixed ? dequantizeArray(ints, fixPoint) : floats;
}

namespace {

Dims2 dims2(ArrayRef<int64_t> v) { return {v[0], v[1]}; }
Pads2 pads4(ArrayRef<int64_t> v) { return {v[0], v[1], v[2], v[3]}; }

Conv2DAttrs convAttrs(ArrayRef<int64_t> strides, ArrayRef<int64_t> dilations,
                      ArrayRef<int64_t> pad) {
  Conv2DAttrs attrs;
  attrs.strides = dims2(strides);
  attrs.dilations = dims2(dilations);
  attrs.pads = pads4(pad);
  return attrs;
}

Pool2DAttrs poolAttrs(ArrayRef<int64_t> kernel, ArrayRef<int64_t> strides,
                      ArrayRef<int64_t> pad) {
  Pool2DAttrs attrs;
  attrs.kernel = dims2(kernel);
  attrs.strides = dims2(strides);
  attrs.pads = pads4(pad);
  return attrs;
}

Nonlinear toKernel(quant::Nonlinear n) {
  switch (n) {
  case quant::Nonlinear::none:
    return Nonlinear::None;
  case quant::Nonlinear::relu:
    return Nonlinear::Relu;
  case quant::Nonlinear::relu6:
    return Nonlinear::Relu6;
  case quant::Nonlinear::leaky_relu:
    return Nonlinear::LeakyRelu;
  }
  return Nonlinear::None;
}

std::vector<int64_t> staticShape(ShapedType type) {
  return std::vector<int64_t>(type.getShape().begin(), type.getShape().end());
}

/// The shape of `type` with its unknown dimension (at most one) solved so
/// that it holds `count` elements.
FailureOr<std::vector<int64_t>> resolveShape(ShapedType type, int64_t count) {
  std::vector<int64_t> shape = staticShape(type);
  int64_t known = 1;
  int dynamicIndex = -1;
  for (auto [i, d] : llvm::enumerate(shape)) {
    if (ShapedType::isDynamic(d)) {
      if (dynamicIndex >= 0)
        return failure();
      dynamicIndex = i;
    } else {
      known *= d;
    }
  }
  if (dynamicIndex >= 0) {
    if (known == 0 || count % known)
      return failure();
    shape[dynamicIndex] = count / known;
  } else if (known != count) {
    return failure();
  }
  return shape;
}

/// The DPU's leaky ReLU slope (FixedKernels.h).
const float kDpuLeakySlope =
    float(kLeakyReluNumerator) / float(1 << kLeakyReluShift);

/// Turns a float average over kh x kw into the DPU's sum * m / 2^s.
void scaleLikeDpuPool(FloatArray &avg, int64_t kh, int64_t kw) {
  AvgPoolFactor f = avgPoolDpuFactor(kh, kw);
  double scale =
      double(kh * kw) * double(f.multiplier) / std::ldexp(1.0, f.shift);
  for (float &v : avg.data)
    v = float(double(v) * scale);
}

/// Fixed-point results narrower than 8 bits saturate to their type's range
/// (the kernels compute in int8).
void clampToTypes(Operation *op, std::vector<RuntimeValue> &results) {
  for (auto [result, value] : llvm::zip(op->getResults(), results)) {
    auto fix = quant::getFixType(result);
    if (!fix || !value.isFixed || fix.getBitWidth() >= 8)
      continue;
    int64_t lo = fix.getMinInt(), hi = fix.getMaxInt();
    for (int8_t &q : value.ints.data)
      q = int8_t(std::clamp<int64_t>(q, lo, hi));
  }
}

/// Evaluates one op. Keeps per-op code to the kernel call.
class OpEvaluator {
public:
  OpEvaluator(llvm::DenseMap<Value, RuntimeValue> &env,
              llvm::DenseMap<Operation *, RuntimeValue> &constants)
      : env(env), constants(constants) {}

  LogicalResult evaluate(Operation *op, std::vector<RuntimeValue> &results);

  /// Float ops use the DPU's approximations (Interpreter::setDpuFloat).
  bool dpuFloat = false;

private:
  const RuntimeValue &get(Value v) { return env.find(v)->second; }
  const FloatArray &f(Value v) { return get(v).floats; }
  const Int8Array &q(Value v) { return get(v).ints; }
  int fix(Value v) { return quant::getFixType(v).getFixPoint(); }

  LogicalResult check(Operation *op, bool ok) {
    if (!ok)
      return op->emitError() << "interpreter: " << error;
    return success();
  }

  /// A layer's requantization: dpu engine ops carry the hardware shifts,
  /// quant ops derive them from their operands' positions.
  template <typename LayerOp> Requant requantOf(LayerOp o) {
    Requant rq;
    if constexpr (std::is_same_v<LayerOp, dpu::ConvOp> ||
                  std::is_same_v<LayerOp, dpu::ConvTransposeOp>) {
      rq.shiftCut = o.getShiftCut();
      rq.shiftBias = o.getShiftBias();
      rq.nonlinear = toKernel(o.getNonlinear());
      rq.outFixPoint = fix(o.getOutput());
    } else {
      rq = makeRequant(fix(o.getInput()), fix(o.getWeights()),
                       o.getBias() ? fix(o.getBias()) : 0, fix(o.getOutput()),
                       toKernel(o.getNonlinear()));
    }
    return rq;
  }

  LogicalResult floatConst(tfg::ConstOp op, RuntimeValue &out);
  LogicalResult fixedConst(quant::ConstOp op, RuntimeValue &out);
  LogicalResult fixedConv(Operation *op, Value input, Value weights, Value bias,
                          const Conv2DAttrs &attrs, const Requant &rq,
                          RuntimeValue &out);
  LogicalResult fixedPool(Operation *op, bool isMax, Value input, Value output,
                          const Pool2DAttrs &attrs, RuntimeValue &out);
  LogicalResult fixedAdd(Operation *op, Value lhs, Value rhs, Value output,
                         quant::Nonlinear nonlinear, RuntimeValue &out);
  void floatActivation(Operation *op, tfg::Activation act, FloatArray &x);
  /// Runs a fallible float kernel `fn(out, error)` and stores its result.
  template <typename Fn>
  LogicalResult floatKernel(Operation *op, RuntimeValue &out, Fn fn) {
    FloatArray result;
    if (failed(check(op, fn(result, error))))
      return failure();
    out = RuntimeValue::ofFloat(std::move(result));
    return success();
  }
  /// Conv-like ops: the kernel, then bias and activation.
  template <typename Fn>
  LogicalResult floatLayer(Operation *op, Value bias, tfg::Activation act,
                           RuntimeValue &out, Fn fn) {
    // The kernels add the bias in the same pass (oneDNN).
    FloatArray result;
    if (failed(check(op, fn(result, error, bias ? &f(bias) : nullptr))))
      return failure();
    floatActivation(op, act, result);
    out = RuntimeValue::ofFloat(std::move(result));
    return success();
  }

  llvm::DenseMap<Value, RuntimeValue> &env;
  llvm::DenseMap<Operation *, RuntimeValue> &constants;
  std::string error;
};

LogicalResult OpEvaluator::floatConst(tfg::ConstOp op, RuntimeValue &out) {
  auto attr = dyn_cast<DenseElementsAttr>(op.getValue());
  if (!attr)
    return op.emitError() << "interpreter: unsupported constant attribute";
  FloatArray array(staticShape(attr.getType()));
  if (attr.getElementType().isF32()) {
    llvm::copy(attr.getValues<float>(), array.data.begin());
  } else if (attr.getElementType().isInteger()) {
    for (auto [i, v] : llvm::enumerate(attr.getValues<APInt>()))
      array.data[i] = float(v.getSExtValue());
  } else {
    return op.emitError() << "interpreter: unsupported constant element type "
                          << attr.getElementType();
  }
  out = RuntimeValue::ofFloat(std::move(array));
  return success();
}

LogicalResult OpEvaluator::fixedConst(quant::ConstOp op, RuntimeValue &out) {
  auto type = quant::getFixType(op.getOutput());
  if (type.getBitWidth() > 8)
    return op.emitError()
           << "interpreter: fixed point wider than 8 bits is not supported";
  DenseIntElementsAttr attr = op.getValue();
  Int8Array array(staticShape(attr.getType()));
  for (auto [i, v] : llvm::enumerate(attr.getValues<APInt>()))
    array.data[i] = int8_t(v.getSExtValue());
  out = RuntimeValue::ofFixed(std::move(array), type.getFixPoint());
  return success();
}

LogicalResult OpEvaluator::fixedConv(Operation *op, Value input, Value weights,
                                     Value bias, const Conv2DAttrs &attrs,
                                     const Requant &rq, RuntimeValue &out) {
  Int8Array result;
  if (failed(
          check(op, conv2dFix(q(input), q(weights), bias ? &q(bias) : nullptr,
                              attrs, rq, result, error))))
    return failure();
  out = RuntimeValue::ofFixed(std::move(result), rq.outFixPoint);
  return success();
}

LogicalResult OpEvaluator::fixedPool(Operation *op, bool isMax, Value input,
                                     Value output, const Pool2DAttrs &attrs,
                                     RuntimeValue &out) {
  Int8Array result;
  bool ok =
      isMax
          ? maxPoolFix(q(input), attrs, fix(input), fix(output), result, error)
          : avgPoolFix(q(input), attrs, fix(input), fix(output), result, error);
  if (failed(check(op, ok)))
    return failure();
  out = RuntimeValue::ofFixed(std::move(result), fix(output));
  return success();
}

LogicalResult OpEvaluator::fixedAdd(Operation *op, Value lhs, Value rhs,
                                    Value output, quant::Nonlinear nonlinear,
                                    RuntimeValue &out) {
  Int8Array result;
  if (failed(check(op, addFix(q(lhs), fix(lhs), q(rhs), fix(rhs), fix(output),
                              toKernel(nonlinear), result, error))))
    return failure();
  out = RuntimeValue::ofFixed(std::move(result), fix(output));
  return success();
}

void OpEvaluator::floatActivation(Operation *op, tfg::Activation act,
                                  FloatArray &x) {
  if (act == tfg::Activation::relu) {
    x = relu(x);
  } else if (act == tfg::Activation::relu6) {
    x = relu6(x);
  } else if (act == tfg::Activation::leaky_relu) {
    x = leakyRelu(x, dpuFloat ? kDpuLeakySlope : tfg::fusedSlope(op));
  }
}

LogicalResult OpEvaluator::evaluate(Operation *op,
                                    std::vector<RuntimeValue> &results) {
  if (auto node = dyn_cast<tfg::NodeOp>(op)) {
    // XIR ops of compiled xmodels' CPU subgraphs (XirNodeKernels.h).
    if (node.getFramework() == "xir" && op->getNumResults() == 1) {
      std::vector<const RuntimeValue *> inputs;
      for (Value v : op->getOperands())
        inputs.push_back(&get(v));
      results.resize(1);
      return evaluateXirNode(node, inputs, results[0]);
    }
    return op->emitError() << "interpreter: cannot run '" << node.getFramework()
                           << "' op '" << node.getOpType()
                           << "', which the importer kept verbatim";
  }
  // Every op the interpreter knows has exactly one result.
  if (op->getNumResults() != 1)
    return op->emitError() << "interpreter: no implementation for '"
                           << op->getName() << "'";
  results.resize(1);
  RuntimeValue &out = results[0];
  FloatArray fo;
  auto setFloat = [&](FloatArray a) {
    out = RuntimeValue::ofFloat(std::move(a));
  };
  return llvm::TypeSwitch<Operation *, LogicalResult>(op)
      // Float level.
      .Case([&](tfg::ConstOp c) {
        auto [it, inserted] = constants.try_emplace(op);
        if (inserted && failed(floatConst(c, it->second)))
          return failure();
        out = it->second;
        return success();
      })
      .Case([&](tfg::IdentityOp o) {
        out = get(o.getInput());
        return success();
      })
      .Case([&](tfg::Conv2DOp o) {
        return floatLayer(
            op, o.getBias(), o.getActivation(), out,
            [&](FloatArray &r, std::string &e, const FloatArray *b) {
              return conv2d(
                  f(o.getInput()), f(o.getFilter()),
                  convAttrs(o.getStrides(), o.getDilations(), o.getPad()), r, e,
                  b);
            });
      })
      .Case([&](tfg::DepthwiseConv2DOp o) {
        return floatLayer(
            op, o.getBias(), o.getActivation(), out,
            [&](FloatArray &r, std::string &e, const FloatArray *b) {
              return depthwiseConv2d(
                  f(o.getInput()), f(o.getFilter()),
                  convAttrs(o.getStrides(), o.getDilations(), o.getPad()), r, e,
                  b);
            });
      })
      .Case([&](tfg::Conv2DTransposeOp o) {
        auto filter = cast<RankedTensorType>(o.getFilter().getType());
        const FloatArray &x = f(o.getInput());
        Conv2DTransposeAttrs attrs;
        attrs.strides = dims2(o.getStrides());
        attrs.dilations = dims2(o.getDilations());
        attrs.pads = pads4(o.getPad());
        // The result type fixes the size; the rows beyond the formula are
        // ONNX's output_padding.
        auto resultType = cast<RankedTensorType>(o.getType());
        int64_t extra[2];
        for (int d = 0; d < 2; ++d) {
          int64_t base = (x.shape[1 + d] - 1) * o.getStrides()[d] +
                         (filter.getDimSize(d) - 1) * o.getDilations()[d] + 1 -
                         o.getPad()[2 * d] - o.getPad()[2 * d + 1];
          extra[d] = resultType.getDimSize(1 + d) - base;
        }
        attrs.outputPadding = {extra[0], extra[1]};
        return floatLayer(
            op, o.getBias(), o.getActivation(), out,
            [&](FloatArray &r, std::string &e, const FloatArray *b) {
              return conv2dTranspose(x, f(o.getFilter()), attrs, r, e, b);
            });
      })
      .Case([&](tfg::MatMulOp o) {
        return floatLayer(
            op, o.getBias(), o.getActivation(), out,
            [&](FloatArray &r, std::string &e, const FloatArray *b) {
              return matmul(f(o.getA()), f(o.getB()), o.getTransposeA(),
                            o.getTransposeB(), r, e, b);
            });
      })
      .Case([&](tfg::BiasAddOp o) {
        if (failed(
                check(op, biasAdd(f(o.getInput()), f(o.getBias()), fo, error))))
          return failure();
        setFloat(std::move(fo));
        return success();
      })
      .Case([&](tfg::FusedBatchNormOp o) {
        if (failed(check(op,
                         batchNormInference(
                             f(o.getInput()), f(o.getScale()), f(o.getOffset()),
                             f(o.getMean()), f(o.getVariance()),
                             o.getEpsilon().convertToFloat(), fo, error))))
          return failure();
        setFloat(std::move(fo));
        return success();
      })
      .Case([&](tfg::ReluOp o) {
        setFloat(relu(f(o.getInput())));
        return success();
      })
      .Case([&](tfg::Relu6Op o) {
        setFloat(relu6(f(o.getInput())));
        return success();
      })
      .Case([&](tfg::MaxPoolOp o) {
        if (failed(check(op, maxPool(f(o.getInput()),
                                     poolAttrs(o.getKernel(), o.getStrides(),
                                               o.getPad()),
                                     fo, error))))
          return failure();
        setFloat(std::move(fo));
        return success();
      })
      .Case([&](tfg::AvgPoolOp o) {
        Pool2DAttrs attrs =
            poolAttrs(o.getKernel(), o.getStrides(), o.getPad());
        // The DPU sums the window and scales by m / 2^s, not 1 / (kh * kw).
        attrs.countIncludePad = attrs.countIncludePad || dpuFloat;
        if (failed(check(op, avgPool(f(o.getInput()), attrs, fo, error))))
          return failure();
        if (dpuFloat)
          scaleLikeDpuPool(fo, attrs.kernel.h, attrs.kernel.w);
        setFloat(std::move(fo));
        return success();
      })
      .Case([&](tfg::MeanOp o) {
        std::vector<int64_t> axes(o.getAxes().begin(), o.getAxes().end());
        if (failed(check(op, meanReduce(f(o.getInput()), axes, o.getKeepDims(),
                                        fo, error))))
          return failure();
        // A spatial mean is quantized as a DPU average pool over H x W.
        const FloatArray &in = f(o.getInput());
        llvm::sort(axes);
        if (dpuFloat && in.rank() == 4 && axes == std::vector<int64_t>{1, 2})
          scaleLikeDpuPool(fo, in.shape[1], in.shape[2]);
        setFloat(std::move(fo));
        return success();
      })
      .Case([&](tfg::AddOp o) {
        return floatKernel(op, out, [&](FloatArray &r, std::string &e) {
          return add(f(o.getLhs()), f(o.getRhs()), r, e);
        });
      })
      .Case([&](tfg::SubOp o) {
        return floatKernel(op, out, [&](FloatArray &r, std::string &e) {
          return sub(f(o.getLhs()), f(o.getRhs()), r, e);
        });
      })
      .Case([&](tfg::MulOp o) {
        return floatKernel(op, out, [&](FloatArray &r, std::string &e) {
          return mul(f(o.getLhs()), f(o.getRhs()), r, e);
        });
      })
      .Case([&](tfg::DivOp o) {
        return floatKernel(op, out, [&](FloatArray &r, std::string &e) {
          return div(f(o.getLhs()), f(o.getRhs()), r, e);
        });
      })
      .Case([&](tfg::MaximumOp o) {
        return floatKernel(op, out, [&](FloatArray &r, std::string &e) {
          return maximum(f(o.getLhs()), f(o.getRhs()), r, e);
        });
      })
      .Case([&](tfg::MinimumOp o) {
        return floatKernel(op, out, [&](FloatArray &r, std::string &e) {
          return minimum(f(o.getLhs()), f(o.getRhs()), r, e);
        });
      })
      .Case([&](tfg::PReluOp o) {
        return floatKernel(op, out, [&](FloatArray &r, std::string &e) {
          return prelu(f(o.getInput()), f(o.getSlope()), r, e);
        });
      })
      .Case([&](tfg::SigmoidOp o) {
        setFloat(sigmoid(f(o.getInput())));
        return success();
      })
      .Case([&](tfg::TanhOp o) {
        setFloat(vai::tanh(f(o.getInput())));
        return success();
      })
      .Case([&](tfg::SwishOp o) {
        setFloat(swish(f(o.getInput())));
        return success();
      })
      .Case([&](tfg::HardSwishOp o) {
        setFloat(hardSwish(f(o.getInput())));
        return success();
      })
      .Case([&](tfg::HardSigmoidOp o) {
        fo = hardSigmoid(f(o.getInput()), o.getAlpha().convertToFloat(),
                         o.getBeta().convertToFloat());
        // The DPU's relu6(x + 3) * 2731 / 2^14 for relu6(x + 3) / 6.
        if (dpuFloat)
          for (float &v : fo.data)
            v = float(double(v) * (6.0 * 2731.0 / 16384.0));
        setFloat(std::move(fo));
        return success();
      })
      .Case([&](tfg::LeakyReluOp o) {
        setFloat(leakyRelu(f(o.getInput()),
                           dpuFloat ? kDpuLeakySlope
                                    : o.getAlpha().convertToFloat()));
        return success();
      })
      .Case([&](tfg::ClipOp o) {
        float inf = std::numeric_limits<float>::infinity();
        setFloat(clip(f(o.getInput()),
                      o.getMin() ? o.getMin()->convertToFloat() : -inf,
                      o.getMax() ? o.getMax()->convertToFloat() : inf));
        return success();
      })
      .Case([&](tfg::SoftmaxOp o) {
        return floatKernel(op, out, [&](FloatArray &r, std::string &e) {
          return softmax(f(o.getInput()), o.getAxisAttr().getInt(), false, r,
                         e);
        });
      })
      .Case([&](tfg::HardSoftmaxOp o) {
        return floatKernel(op, out, [&](FloatArray &r, std::string &e) {
          return hardSoftmax(f(o.getInput()), o.getAxisAttr().getInt(), r, e);
        });
      })
      .Case([&](tfg::ReshapeOp o) {
        const FloatArray &in = f(o.getInput());
        auto shape =
            resolveShape(cast<ShapedType>(o.getType()), in.numElements());
        if (failed(shape))
          return LogicalResult(op->emitError() << "interpreter: cannot reshape "
                                               << shapeString(in.shape)
                                               << " to " << o.getType());
        setFloat(FloatArray(*shape, in.data));
        return success();
      })
      .Case([&](tfg::TransposeOp o) {
        std::vector<int64_t> perm(o.getPerm().begin(), o.getPerm().end());
        return floatKernel(op, out, [&](FloatArray &r, std::string &e) {
          return transpose(f(o.getInput()), perm, r, e);
        });
      })
      .Case([&](tfg::ConcatOp o) {
        std::vector<const FloatArray *> inputs;
        for (Value v : o.getInputs())
          inputs.push_back(&f(v));
        return floatKernel(op, out, [&](FloatArray &r, std::string &e) {
          return concat(inputs, o.getAxisAttr().getInt(), r, e);
        });
      })
      .Case([&](tfg::PadOp o) {
        std::vector<int64_t> pads(o.getPads().begin(), o.getPads().end());
        PadMode mode = o.getMode() == tfg::PadMode::reflect ? PadMode::Reflect
                       : o.getMode() == tfg::PadMode::edge  ? PadMode::Edge
                                                            : PadMode::Constant;
        return floatKernel(op, out, [&](FloatArray &r, std::string &e) {
          return pad(f(o.getInput()), pads, mode, o.getValue().convertToFloat(),
                     r, e);
        });
      })
      .Case([&](tfg::ResizeOp o) {
        auto type = cast<RankedTensorType>(o.getType());
        ResizeAttrs attrs;
        attrs.mode =
            o.getMode() == tfg::ResizeMode::nearest    ? ResizeMode::Nearest
            : o.getMode() == tfg::ResizeMode::bilinear ? ResizeMode::Linear
                                                       : ResizeMode::Cubic;
        attrs.cubicCoeffA = o.getCubicCoeffA().convertToFloat();
        attrs.excludeOutside = o.getExcludeOutside();
        if (std::optional<ArrayRef<float>> scales = o.getScales())
          attrs.mappingScales.assign(scales->begin(), scales->end());
        attrs.coordinateMode =
            llvm::StringSwitch<ResizeCoordinateMode>(o.getCoordinateMode())
                .Case("pytorch_half_pixel",
                      ResizeCoordinateMode::PytorchHalfPixel)
                .Case("align_corners", ResizeCoordinateMode::AlignCorners)
                .Case("asymmetric", ResizeCoordinateMode::Asymmetric)
                .Case("tf_half_pixel_for_nn",
                      ResizeCoordinateMode::TfHalfPixelForNN)
                .Default(ResizeCoordinateMode::HalfPixel);
        attrs.nearestMode =
            llvm::StringSwitch<ResizeNearestMode>(o.getNearestMode())
                .Case("round_prefer_ceil", ResizeNearestMode::RoundPreferCeil)
                .Case("floor", ResizeNearestMode::Floor)
                .Case("ceil", ResizeNearestMode::Ceil)
                .Default(ResizeNearestMode::RoundPreferFloor);
        attrs.sizes = {type.getDimSize(1), type.getDimSize(2)};
        return floatKernel(op, out, [&](FloatArray &r, std::string &e) {
          return resizeSpatial(f(o.getInput()), attrs, r, e);
        });
      })
      .Case([&](tfg::BatchMatMulOp o) {
        return floatKernel(op, out, [&](FloatArray &r, std::string &e) {
          return batchMatmul(f(o.getA()), f(o.getB()), r, e);
        });
      })
      .Case([&](tfg::DepthToSpaceOp o) {
        DepthToSpaceMode mode = o.getMode() == "CRD" ? DepthToSpaceMode::CRD
                                                     : DepthToSpaceMode::DCR;
        return floatKernel(op, out, [&](FloatArray &r, std::string &e) {
          return depthToSpace(f(o.getInput()), o.getBlockSize(), mode,
                              /*channelsFirst=*/false, r, e);
        });
      })
      .Case([&](prune::MaskOp o) {
        fo = f(o.getInput());
        ArrayRef<bool> keep = o.getKeep();
        for (size_t i = 0; i < fo.data.size(); ++i)
          if (!keep[i % keep.size()])
            fo.data[i] = 0.0f;
        setFloat(std::move(fo));
        return success();
      })
      // Fixed-point level.
      .Case([&](quant::ConstOp c) {
        auto [it, inserted] = constants.try_emplace(op);
        if (inserted && failed(fixedConst(c, it->second)))
          return failure();
        out = it->second;
        return success();
      })
      .Case([&](quant::QuantizeOp o) {
        auto type = quant::getFixType(o.getOutput());
        if (type.getBitWidth() > 8)
          return LogicalResult(
              op->emitError()
              << "interpreter: fixed point wider than 8 bits is not supported");
        RoundMode mode = type.getRoundMode() == quant::RoundMode::dpu_round
                             ? RoundMode::DpuRound
                         : type.getRoundMode() == quant::RoundMode::std_round
                             ? RoundMode::StdRound
                             : RoundMode::Py3Round;
        out = RuntimeValue::ofFixed(quantizeArray(f(o.getInput()),
                                                  type.getFixPoint(),
                                                  type.getBitWidth(), mode),
                                    type.getFixPoint());
        return success();
      })
      .Case([&](quant::DequantizeOp o) {
        setFloat(get(o.getInput()).toFloat());
        return success();
      })
      .Case([&](quant::Conv2DOp o) {
        Requant rq = requantOf(o);
        return fixedConv(
            op, o.getInput(), o.getWeights(), o.getBias(),
            convAttrs(o.getStrides(), o.getDilations(), o.getPad()), rq, out);
      })
      .Case<quant::Conv2DTransposeOp, dpu::ConvTransposeOp>([&](auto o) {
        Requant rq = requantOf(o);
        Conv2DTransposeAttrs attrs;
        attrs.strides = dims2(o.getStrides());
        attrs.dilations = dims2(o.getDilations());
        attrs.pads = pads4(o.getPad());
        Int8Array result;
        if (failed(check(
                op, conv2dTransposeFix(q(o.getInput()), q(o.getWeights()),
                                       o.getBias() ? &q(o.getBias()) : nullptr,
                                       attrs, rq, result, error))))
          return failure();
        out = RuntimeValue::ofFixed(std::move(result), rq.outFixPoint);
        return success();
      })
      .Case<quant::DepthwiseConv2DOp, dpu::DwConvOp>([&](auto o) {
        Requant rq = requantOf(o);
        Int8Array result;
        if (failed(check(
                op, depthwiseConv2dFix(
                        q(o.getInput()), q(o.getWeights()),
                        o.getBias() ? &q(o.getBias()) : nullptr,
                        convAttrs(o.getStrides(), o.getDilations(), o.getPad()),
                        rq, result, error))))
          return failure();
        out = RuntimeValue::ofFixed(std::move(result), rq.outFixPoint);
        return success();
      })
      .Case<quant::MulOp, dpu::ElewMulOp>([&](auto o) {
        Int8Array result;
        if (failed(check(op, mulFix(q(o.getLhs()), fix(o.getLhs()),
                                    q(o.getRhs()), fix(o.getRhs()),
                                    fix(o.getOutput()), result, error))))
          return failure();
        out = RuntimeValue::ofFixed(std::move(result), fix(o.getOutput()));
        return success();
      })
      .Case<quant::ConcatOp, dpu::ConcatOp>([&](auto o) {
        std::vector<const Int8Array *> inputs;
        std::vector<int> positions;
        for (Value v : o.getInputs()) {
          inputs.push_back(&q(v));
          positions.push_back(fix(v));
        }
        Int8Array result;
        if (failed(check(op, concatFix(inputs, positions, o.getAxis(),
                                       fix(o.getOutput()), result, error))))
          return failure();
        out = RuntimeValue::ofFixed(std::move(result), fix(o.getOutput()));
        return success();
      })
      .Case([&](dpu::ConvOp o) {
        Requant rq = requantOf(o);
        return fixedConv(
            op, o.getInput(), o.getWeights(), o.getBias(),
            convAttrs(o.getStrides(), o.getDilations(), o.getPad()), rq, out);
      })
      .Case([&](quant::MatMulOp o) {
        Requant rq = requantOf(o);
        Int8Array result;
        if (failed(check(op, matmulFix(q(o.getInput()), q(o.getWeights()),
                                       o.getBias() ? &q(o.getBias()) : nullptr,
                                       rq, false, false, result, error))))
          return failure();
        out = RuntimeValue::ofFixed(std::move(result), rq.outFixPoint);
        return success();
      })
      .Case([&](quant::MaxPoolOp o) {
        return fixedPool(op, /*isMax=*/true, o.getInput(), o.getOutput(),
                         poolAttrs(o.getKernel(), o.getStrides(), o.getPad()),
                         out);
      })
      .Case([&](quant::AvgPoolOp o) {
        return fixedPool(op, /*isMax=*/false, o.getInput(), o.getOutput(),
                         poolAttrs(o.getKernel(), o.getStrides(), o.getPad()),
                         out);
      })
      .Case([&](dpu::PoolOp o) {
        return fixedPool(op, o.getPoolType() == dpu::PoolType::max,
                         o.getInput(), o.getOutput(),
                         poolAttrs(o.getKernel(), o.getStrides(), o.getPad()),
                         out);
      })
      .Case<quant::AddOp, dpu::ElewOp>([&](auto o) {
        return fixedAdd(op, o.getLhs(), o.getRhs(), o.getOutput(),
                        o.getNonlinear(), out);
      })
      .Case([&](quant::ReshapeOp o) {
        const RuntimeValue &in = get(o.getInput());
        auto shape = resolveShape(cast<ShapedType>(o.getOutput().getType()),
                                  in.ints.numElements());
        if (failed(shape))
          return LogicalResult(op->emitError()
                               << "interpreter: cannot reshape "
                               << in.ints.numElements() << " elements to "
                               << o.getOutput().getType());
        out = in;
        out.ints.shape = *shape;
        return success();
      })
      .Case([&](quant::PadOp o) {
        std::vector<int64_t> pads(o.getPads().begin(), o.getPads().end());
        PadFixMode mode =
            o.getMode() == quant::PadMode::reflect     ? PadFixMode::Reflect
            : o.getMode() == quant::PadMode::symmetric ? PadFixMode::Symmetric
                                                       : PadFixMode::Constant;
        Int8Array result;
        if (failed(check(op, padFix(q(o.getInput()), pads, mode,
                                    int8_t(o.getValue()), result, error))))
          return failure();
        out = RuntimeValue::ofFixed(std::move(result), fix(o.getOutput()));
        return success();
      })
      .Case([&](quant::UpsampleOp o) {
        Int8Array result;
        if (failed(check(op, upsampleFix(q(o.getInput()), o.getScale()[0],
                                         o.getScale()[1], result, error))))
          return failure();
        out = RuntimeValue::ofFixed(std::move(result), fix(o.getOutput()));
        return success();
      })
      .Case([&](quant::HardSigmoidOp o) {
        Int8Array result;
        if (failed(
                check(op, hardSigmoidFix(q(o.getInput()), fix(o.getInput()),
                                         fix(o.getOutput()), result, error))))
          return failure();
        out = RuntimeValue::ofFixed(std::move(result), fix(o.getOutput()));
        return success();
      })
      .Default([&](Operation *other) {
        return other->emitError() << "interpreter: no implementation for '"
                                  << other->getName() << "'";
      });
}

} // namespace

LogicalResult Interpreter::step(Operation *op,
                                llvm::DenseMap<Value, RuntimeValue> &env) {
  OpEvaluator evaluator(env, constants);
  evaluator.dpuFloat = dpuFloat;
  std::vector<RuntimeValue> outs;
  if (failed(evaluator.evaluate(op, outs)))
    return failure();
  clampToTypes(op, outs);
  for (auto [result, value] : llvm::zip(op->getResults(), outs))
    env[result] = std::move(value);
  return success();
}

LogicalResult Interpreter::runBlock(Block &block,
                                    ArrayRef<RuntimeValue> arguments,
                                    std::vector<RuntimeValue> &results,
                                    const OpObserver &observer) {
  llvm::DenseMap<Value, RuntimeValue> env;
  for (auto [arg, value] : llvm::zip(block.getArguments(), arguments))
    env[arg] = value;
  OpEvaluator evaluator(env, constants);
  evaluator.dpuFloat = dpuFloat;
  for (Operation &op : block) {
    if (op.hasTrait<OpTrait::IsTerminator>()) {
      results.clear();
      for (Value v : op.getOperands())
        results.push_back(env.find(v)->second);
      return success();
    }
    std::vector<RuntimeValue> outs;
    if (auto subgraph = dyn_cast<dpu::SubgraphOp>(op)) {
      std::vector<RuntimeValue> ins;
      for (Value v : subgraph.getInputs())
        ins.push_back(env.find(v)->second);
      if (failed(runBlock(subgraph.getBody().front(), ins, outs, observer)))
        return failure();
    } else if (failed(evaluator.evaluate(&op, outs))) {
      return failure();
    }
    clampToTypes(&op, outs);
    if (observer)
      observer(&op, outs);
    for (auto [result, value] : llvm::zip(op.getResults(), outs))
      env[result] = std::move(value);
  }
  return block.getParentOp()->emitError()
         << "interpreter: block has no terminator";
}

FailureOr<std::vector<RuntimeValue>>
Interpreter::run(ArrayRef<RuntimeValue> inputs, const OpObserver &observer) {
  if (inputs.size() != func.getNumArguments())
    return func.emitError()
           << "interpreter: function takes " << func.getNumArguments()
           << " inputs, got " << inputs.size();
  for (auto [i, type] : llvm::enumerate(func.getArgumentTypes())) {
    auto shaped = cast<ShapedType>(type);
    const std::vector<int64_t> &shape = inputs[i].shape();
    bool ok = shaped.getRank() == int64_t(shape.size());
    for (int64_t d = 0; ok && d < shaped.getRank(); ++d)
      ok = ShapedType::isDynamic(shaped.getDimSize(d)) ||
           shaped.getDimSize(d) == shape[d];
    if (!ok) {
      return func.emitError()
             << "interpreter: input " << i << " has shape "
             << shapeString(shape) << " but the function expects " << type;
    }
  }
  std::vector<RuntimeValue> results;
  if (failed(runBlock(func.getBody().front(), inputs, results, observer)))
    return failure();
  return results;
}

FailureOr<std::vector<FloatArray>>
interpretFunction(func::FuncOp func, ArrayRef<FloatArray> inputs) {
  std::vector<RuntimeValue> values;
  for (const FloatArray &input : inputs)
    values.push_back(RuntimeValue::ofFloat(input));
  Interpreter interpreter(func);
  auto results = interpreter.run(values);
  if (failed(results))
    return failure();
  std::vector<FloatArray> outputs;
  for (const RuntimeValue &v : *results)
    outputs.push_back(v.toFloat());
  return outputs;
}

} // namespace vai

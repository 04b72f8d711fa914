//===- KerasImporter.cpp - Keras model configs to tfg ---------------------===//
//
// Config keys and defaults follow the layers' `get_config` in tf.keras 2.x
// (keras/layers/*), Keras 3 and TF.js layers (which writes the same keys in
// snake_case). Functional models list `inbound_nodes` either Keras 2's way,
// one list of [layer, node_index, tensor_index, kwargs] per call, or Keras
// 3's, one {"args": [...], "kwargs": {...}} per call whose tensors are
// {"class_name": "__keras_tensor__", "config": {"keras_history": [layer,
// node_index, tensor_index]}}.
//
//===----------------------------------------------------------------------===//

#include "vai/Import/KerasImporter.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Verifier.h"
#include "vai/Dialect/Tfg/TfgOps.h"
#include "vai/Import/ImportUtils.h"
#include "vai/Support/WindowShape.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSwitch.h"
#include <deque>

using namespace mlir;
namespace json = llvm::json;

namespace vai {
namespace {

/// Output `tensor` of call `node` of layer `layer`.
struct TensorRef {
  std::string layer;
  int64_t node = 0;
  int64_t tensor = 0;
};

/// One layer of the model with the inputs of each of its calls.
struct Layer {
  std::string name;
  std::string className;
  const json::Object *config = nullptr;
  std::vector<std::vector<TensorRef>> calls;
};

/// The keys Conv2D and Conv2DTranspose share, plus the count each has of its
/// own (groups or filters).
struct ConvKeys {
  RankedTensorType type;
  SmallVector<int64_t> kernel, strides, dilations;
  bool same = false;
  int64_t count = 0;
};

std::string refKey(StringRef layer, int64_t node, int64_t tensor) {
  return (layer + "\x1f" + llvm::Twine(node) + "\x1f" + llvm::Twine(tensor))
      .str();
}

std::string shapeString(ArrayRef<int64_t> shape) {
  std::string s = "[";
  for (auto [i, d] : llvm::enumerate(shape))
    s += (i ? ", " : "") +
         (ShapedType::isDynamic(d) ? std::string("?") : std::to_string(d));
  return s + "]";
}

/// Reads [layer, node, tensor(, kwargs)] or a keras_history triple.
bool parseRef(const json::Array *a, TensorRef &ref) {
  if (!a || a->size() < 3)
    return false;
  auto layer = (*a)[0].getAsString();
  auto node = (*a)[1].getAsInteger();
  auto tensor = (*a)[2].getAsInteger();
  if (!layer || !node || !tensor)
    return false;
  ref = {layer->str(), *node, *tensor};
  return true;
}

/// Collects the Keras 3 tensors in `v` (an args tree) in order.
void collectKerasTensors(const json::Value &v, std::vector<TensorRef> &refs,
                         bool &ok) {
  if (const json::Array *a = v.getAsArray()) {
    for (const json::Value &e : *a)
      collectKerasTensors(e, refs, ok);
    return;
  }
  const json::Object *o = v.getAsObject();
  if (!o)
    return;
  if (o->getString("class_name") == "__keras_tensor__") {
    const json::Object *config = o->getObject("config");
    const json::Value *history =
        config ? config->get("keras_history") : nullptr;
    TensorRef ref;
    if (!history || !parseRef(history->getAsArray(), ref))
      ok = false;
    else
      refs.push_back(ref);
  }
}

class Lowering {
public:
  Lowering(MLIRContext *context, KerasWeightSource &weights,
           const KerasModelInfo &info)
      : context(context), builder(context), weights(weights), info(info) {}

  OwningOpRef<ModuleOp> run(const json::Value &modelConfig);

private:
  Location fileLoc() {
    return FileLineColLoc::get(context, info.fileName, 0, 0);
  }
  Location nameLoc(StringRef name) {
    return NameLoc::get(StringAttr::get(context, name), fileLoc());
  }
  InFlightDiagnostic modelError() { return emitError(fileLoc()); }
  InFlightDiagnostic layerError(const Layer &layer) {
    return emitError(nameLoc(layer.name))
           << "layer '" << layer.name << "' (" << layer.className << "): ";
  }

  LogicalResult parseFunctional(const json::Object &config);
  LogicalResult parseSequential(const json::Value &config);
  LogicalResult parseLayer(const json::Value &v, Layer &layer);
  FailureOr<SmallVector<int64_t>> inputShape(const Layer &layer);
  LogicalResult lowerCalls();
  FailureOr<Value> lowerLayer(const Layer &layer, ArrayRef<Value> inputs,
                              StringRef name);

  // Config readers; each reports a bad value against `layer`.
  /// The value of `key`, or null when the config leaves it out or gives
  /// null (Python's None: use the default).
  const json::Value *givenKey(const Layer &layer, StringRef key);
  FailureOr<int64_t> intKey(const Layer &layer, StringRef key, int64_t def);
  FailureOr<double> floatKey(const Layer &layer, StringRef key, double def);
  bool boolKey(const Layer &layer, StringRef key, bool def);
  FailureOr<SmallVector<int64_t>> pairKey(const Layer &layer, StringRef key,
                                          std::optional<int64_t> def);
  FailureOr<SmallVector<int64_t>> padPairs(const Layer &layer, StringRef key);
  LogicalResult checkChannelsLast(const Layer &layer);
  FailureOr<bool> samePadding(const Layer &layer);
  FailureOr<SmallVector<int64_t>> pads(const Layer &layer, Value input,
                                       bool same, ArrayRef<int64_t> kernel,
                                       ArrayRef<int64_t> strides,
                                       ArrayRef<int64_t> dilations);
  FailureOr<RankedTensorType> inputType(const Layer &layer, Value v,
                                        int64_t rank, bool staticChannels);
  /// Reads the ConvKeys, the count from `countKey`, all before failing so
  /// that every bad key is reported.
  FailureOr<ConvKeys> convKeys(const Layer &layer, Value x, StringRef countKey,
                               int64_t countDefault);

  /// The constant for weight `weight` of `layer`, checked against `shape`
  /// (kDynamic matches anything). Null when absent and `optional`.
  FailureOr<Value> weight(const Layer &layer, StringRef weight,
                          ArrayRef<int64_t> shape, bool optional = false);
  Value constant(StringRef name, ArrayRef<int64_t> shape, ArrayRef<float> data);

  FailureOr<Value> finish(const Layer &layer, FailureOr<Operation *> op);
  FailureOr<Value> activation(const Layer &layer, StringRef name, Value x,
                              StringRef opName);
  /// `y` plus the layer's `bias` weight, when the layer has use_bias.
  FailureOr<Value> addBias(const Layer &layer, Value y, int64_t channels,
                           StringRef name);
  /// `y` through the activation the layer's `activation` key names.
  FailureOr<Value> configActivation(const Layer &layer, Value y,
                                    StringRef name) {
    return activation(layer, layer.config->getString("activation").value_or(""),
                      y, name.str() + "/activation");
  }
  /// A 1x1 convolution with stride 1 and no padding.
  FailureOr<Value> conv1x1(const Layer &layer, Value x, Value filter,
                           StringRef opName);
  FailureOr<Value> conv(const Layer &layer, Value x, StringRef name);
  FailureOr<Value> convTranspose(const Layer &layer, Value x, StringRef name);
  FailureOr<Value> dense(const Layer &layer, Value x, StringRef name);
  FailureOr<Value> batchNorm(const Layer &layer, Value x, StringRef name);
  FailureOr<Value> relu(const Layer &layer, Value x, StringRef name);
  FailureOr<Value> pool(const Layer &layer, Value x, StringRef name);
  FailureOr<Value> reshape(const Layer &layer, Value x, StringRef name);
  FailureOr<Value> merge(const Layer &layer, ArrayRef<Value> inputs,
                         StringRef name);

  MLIRContext *context;
  OpBuilder builder;
  KerasWeightSource &weights;
  const KerasModelInfo &info;

  std::vector<Layer> layers;
  llvm::StringMap<size_t> layerIndex;
  std::vector<TensorRef> inputRefs, outputRefs;
  llvm::StringMap<Value> values;
  llvm::StringMap<std::vector<KerasTensor>> storedWeights;
  llvm::StringMap<Value> constants;
};

//===----------------------------------------------------------------------===//
// Reading the config
//===----------------------------------------------------------------------===//

LogicalResult Lowering::parseLayer(const json::Value &v, Layer &layer) {
  const json::Object *o = v.getAsObject();
  if (!o)
    return modelError() << "a layer entry is not an object";
  layer.className = o->getString("class_name").value_or("").str();
  layer.config = o->getObject("config");
  std::optional<StringRef> name = o->getString("name");
  if (!name && layer.config)
    name = layer.config->getString("name");
  if (!name || layer.className.empty() || !layer.config)
    return modelError() << "a layer entry lacks name, class_name or config";
  layer.name = name->str();
  return success();
}

LogicalResult Lowering::parseFunctional(const json::Object &config) {
  const json::Array *list = config.getArray("layers");
  if (!list)
    return modelError() << "the model config has no 'layers' list";
  for (const json::Value &v : *list) {
    Layer layer;
    if (failed(parseLayer(v, layer)))
      return failure();
    const json::Array *nodes = v.getAsObject()->getArray("inbound_nodes");
    if (nodes) {
      for (const json::Value &node : *nodes) {
        std::vector<TensorRef> refs;
        bool ok = true;
        if (const json::Array *inputs = node.getAsArray()) {
          for (const json::Value &input : *inputs) {
            TensorRef ref;
            ok &= parseRef(input.getAsArray(), ref);
            refs.push_back(ref);
          }
        } else if (const json::Object *call = node.getAsObject()) {
          if (const json::Value *args = call->get("args"))
            collectKerasTensors(*args, refs, ok);
        } else {
          ok = false;
        }
        if (!ok)
          return layerError(layer) << "has an unreadable inbound node";
        layer.calls.push_back(std::move(refs));
      }
    }
    if (!layerIndex.try_emplace(layer.name, layers.size()).second)
      return layerError(layer) << "is defined twice";
    layers.push_back(std::move(layer));
  }
  // One [layer, node, tensor] or a list of them.
  auto refList = [&](StringRef key, std::vector<TensorRef> &refs) {
    const json::Array *a = config.getArray(key);
    if (!a || a->empty())
      return LogicalResult(modelError()
                           << "the model config has no '" << key << "'");
    TensorRef ref;
    if (parseRef(a, ref)) {
      refs.push_back(ref);
      return success();
    }
    for (const json::Value &v : *a) {
      if (!parseRef(v.getAsArray(), ref))
        return LogicalResult(modelError()
                             << "the model config's '" << key
                             << "' has an entry that is not [layer, node, "
                                "tensor]");
      refs.push_back(ref);
    }
    return success();
  };
  return failure(failed(refList("input_layers", inputRefs)) ||
                 failed(refList("output_layers", outputRefs)));
}

LogicalResult Lowering::parseSequential(const json::Value &config) {
  // Keras < 2.2.3 saved the layer list itself as the config.
  const json::Array *list = config.getAsArray();
  if (!list && config.getAsObject())
    list = config.getAsObject()->getArray("layers");
  if (!list || list->empty())
    return modelError() << "the Sequential config has no layers";
  TensorRef previous;
  for (const json::Value &v : *list) {
    Layer layer;
    if (failed(parseLayer(v, layer)))
      return failure();
    if (layers.empty()) {
      if (layer.className != "InputLayer") {
        // The first layer carries the input shape; Keras names the implied
        // input layer "<name>_input".
        Layer input;
        input.name = layer.name + "_input";
        input.className = "InputLayer";
        input.config = layer.config;
        layerIndex[input.name] = 0;
        layers.push_back(input);
        previous = {input.name, 0, 0};
        inputRefs.push_back(previous);
      } else {
        previous = {layer.name, 0, 0};
        inputRefs.push_back(previous);
      }
    }
    if (layer.className != "InputLayer")
      layer.calls.push_back({previous});
    else if (!layers.empty())
      return layerError(layer) << "an InputLayer may only come first";
    previous = {layer.name, 0, 0};
    if (!layerIndex.try_emplace(layer.name, layers.size()).second)
      return layerError(layer) << "is defined twice";
    layers.push_back(std::move(layer));
  }
  outputRefs.push_back(previous);
  return success();
}

FailureOr<SmallVector<int64_t>> Lowering::inputShape(const Layer &layer) {
  const json::Array *shape = layer.config->getArray("batch_input_shape");
  if (!shape)
    shape = layer.config->getArray("batch_shape");
  bool withBatch = shape != nullptr;
  if (!shape)
    shape = layer.config->getArray("input_shape");
  if (!shape)
    return layerError(layer) << "has no batch_input_shape: the model input "
                                "shape is unknown";
  auto dtype = layer.config->getString("dtype");
  if (dtype && *dtype != "float32")
    return layerError(layer)
           << "has dtype '" << *dtype << "'; only float32 inputs are supported";
  SmallVector<int64_t> dims;
  if (!withBatch)
    dims.push_back(ShapedType::kDynamic);
  for (const json::Value &d : *shape) {
    if (d.kind() == json::Value::Null) {
      dims.push_back(ShapedType::kDynamic);
      continue;
    }
    auto n = d.getAsInteger();
    if (!n || *n < 0)
      return layerError(layer) << "has a bad input shape entry";
    dims.push_back(*n);
  }
  return dims;
}

const json::Value *Lowering::givenKey(const Layer &layer, StringRef key) {
  const json::Value *v = layer.config->get(key);
  return v && v->kind() != json::Value::Null ? v : nullptr;
}

FailureOr<int64_t> Lowering::intKey(const Layer &layer, StringRef key,
                                    int64_t def) {
  const json::Value *v = givenKey(layer, key);
  if (!v)
    return def;
  if (auto n = v->getAsInteger())
    return *n;
  // A one-element list (Keras stores some axes that way).
  if (const json::Array *a = v->getAsArray())
    if (a->size() == 1)
      if (auto n = (*a)[0].getAsInteger())
        return *n;
  return layerError(layer) << "'" << key << "' is not an integer";
}

FailureOr<double> Lowering::floatKey(const Layer &layer, StringRef key,
                                     double def) {
  const json::Value *v = givenKey(layer, key);
  if (!v)
    return def;
  if (auto n = v->getAsNumber())
    return *n;
  return layerError(layer) << "'" << key << "' is not a number";
}

bool Lowering::boolKey(const Layer &layer, StringRef key, bool def) {
  return layer.config->getBoolean(key).value_or(def);
}

FailureOr<SmallVector<int64_t>> Lowering::pairKey(const Layer &layer,
                                                  StringRef key,
                                                  std::optional<int64_t> def) {
  const json::Value *v = givenKey(layer, key);
  if (!v && def)
    return SmallVector<int64_t>{*def, *def};
  if (v) {
    if (auto n = v->getAsInteger())
      return SmallVector<int64_t>{*n, *n};
    if (const json::Array *a = v->getAsArray()) {
      SmallVector<int64_t> out;
      for (const json::Value &e : *a)
        if (auto n = e.getAsInteger())
          out.push_back(*n);
      if (out.size() == 2 && a->size() == 2 && out[0] > 0 && out[1] > 0)
        return out;
    }
  }
  return layerError(layer) << "'" << key
                           << "' must be a positive integer or a pair";
}

FailureOr<SmallVector<int64_t>> Lowering::padPairs(const Layer &layer,
                                                   StringRef key) {
  // p, [h, w] or [[top, bottom], [left, right]]; gives [t, b, l, r].
  const json::Value *v = layer.config->get(key);
  auto bad = [&]() {
    return layerError(layer) << "'" << key
                             << "' must be n, [h, w] or [[top, bottom], "
                                "[left, right]] of non-negative integers";
  };
  if (!v)
    return bad();
  if (auto n = v->getAsInteger())
    return *n < 0 ? FailureOr<SmallVector<int64_t>>(bad())
                  : SmallVector<int64_t>{*n, *n, *n, *n};
  const json::Array *a = v->getAsArray();
  if (!a || a->size() != 2)
    return bad();
  SmallVector<int64_t> out;
  for (const json::Value &e : *a) {
    if (auto n = e.getAsInteger()) {
      out.append({*n, *n});
      continue;
    }
    const json::Array *inner = e.getAsArray();
    if (!inner || inner->size() != 2)
      return bad();
    for (const json::Value &x : *inner) {
      auto n = x.getAsInteger();
      if (!n)
        return bad();
      out.push_back(*n);
    }
  }
  if (llvm::any_of(out, [](int64_t p) { return p < 0; }))
    return bad();
  return out;
}

LogicalResult Lowering::checkChannelsLast(const Layer &layer) {
  auto format = layer.config->getString("data_format");
  // TF.js writes its own spelling, channelsLast.
  if (!format || *format == "channels_last" || *format == "channelsLast")
    return success();
  return layerError(layer) << "data_format '" << *format
                           << "' is not supported (channels_last only; "
                              "re-save the model with channels_last)";
}

FailureOr<bool> Lowering::samePadding(const Layer &layer) {
  StringRef mode = layer.config->getString("padding").value_or("valid");
  if (mode == "same")
    return true;
  if (mode == "valid")
    return false;
  return layerError(layer) << "padding '" << mode
                           << "' is not supported (valid or same)";
}

FailureOr<SmallVector<int64_t>> Lowering::pads(const Layer &layer, Value input,
                                               bool same,
                                               ArrayRef<int64_t> kernel,
                                               ArrayRef<int64_t> strides,
                                               ArrayRef<int64_t> dilations) {
  if (!same)
    return SmallVector<int64_t>{0, 0, 0, 0};
  // Keras' "same" is TensorFlow's SAME (extra padding after).
  auto type = cast<RankedTensorType>(input.getType());
  if (type.isDynamicDim(1) || type.isDynamicDim(2))
    return layerError(layer) << "'same' padding needs a static input height "
                                "and width (the model input has "
                             << shapeString(type.getShape()) << ")";
  auto [top, bottom] =
      vai::samePadding(type.getDimSize(1), kernel[0], strides[0], dilations[0]);
  auto [left, right] =
      vai::samePadding(type.getDimSize(2), kernel[1], strides[1], dilations[1]);
  return SmallVector<int64_t>{top, bottom, left, right};
}

FailureOr<RankedTensorType> Lowering::inputType(const Layer &layer, Value v,
                                                int64_t rank,
                                                bool staticChannels) {
  auto type = cast<RankedTensorType>(v.getType());
  if (rank >= 0 && type.getRank() != rank)
    return layerError(layer) << "expects a rank-" << rank << " input, got "
                             << shapeString(type.getShape());
  if (staticChannels && type.isDynamicDim(type.getRank() - 1))
    return layerError(layer) << "needs a static channel count";
  return type;
}

FailureOr<ConvKeys> Lowering::convKeys(const Layer &layer, Value x,
                                       StringRef countKey,
                                       int64_t countDefault) {
  auto type = inputType(layer, x, 4, true);
  auto kernel = pairKey(layer, "kernel_size", std::nullopt);
  auto strides = pairKey(layer, "strides", 1);
  auto dilations = pairKey(layer, "dilation_rate", 1);
  auto same = samePadding(layer);
  auto count = intKey(layer, countKey, countDefault);
  if (failed(type) || failed(kernel) || failed(strides) || failed(dilations) ||
      failed(same) || failed(count) || failed(checkChannelsLast(layer)))
    return failure();
  return ConvKeys{*type, *kernel, *strides, *dilations, *same, *count};
}

//===----------------------------------------------------------------------===//
// Weights
//===----------------------------------------------------------------------===//

/// `conv2d/kernel:0` -> `kernel`.
StringRef shortWeightName(StringRef name) {
  name = name.rsplit('/').second.empty() ? name : name.rsplit('/').second;
  auto [base, index] = name.rsplit(':');
  unsigned n;
  return !index.empty() && !index.getAsInteger(10, n) ? base : name;
}

Value Lowering::constant(StringRef name, ArrayRef<int64_t> shape,
                         ArrayRef<float> data) {
  auto type = RankedTensorType::get(shape, builder.getF32Type());
  return tfg::ConstOp::create(builder, nameLoc(name),
                              DenseElementsAttr::get(type, data))
      .getResult();
}

FailureOr<Value> Lowering::weight(const Layer &layer, StringRef name,
                                  ArrayRef<int64_t> shape, bool optional) {
  std::string key = layer.name + "/" + name.str();
  if (Value v = constants.lookup(key))
    return v;
  auto [it, inserted] = storedWeights.try_emplace(layer.name);
  std::string error;
  if (inserted && !weights.layerWeights(layer.name, it->second, error))
    return layerError(layer) << error;
  const KerasTensor *found = nullptr;
  for (const KerasTensor &t : it->second)
    if (shortWeightName(t.name) == name) {
      found = &t;
      break;
    }
  if (!found) {
    if (optional)
      return Value();
    auto diag = layerError(layer) << "weight '" << name << "' is missing from "
                                  << weights.fileName();
    if (it->second.empty())
      diag << " (it holds no weights for this layer)";
    else {
      diag << " (it holds:";
      for (const KerasTensor &t : it->second)
        diag << " " << t.name;
      diag << ")";
    }
    return diag;
  }
  bool matches = found->shape.size() == shape.size();
  for (size_t i = 0; matches && i < shape.size(); ++i)
    matches = ShapedType::isDynamic(shape[i]) || shape[i] == found->shape[i];
  if (!matches)
    return layerError(layer)
           << "weight '" << found->name << "' in " << weights.fileName()
           << " has shape " << shapeString(found->shape)
           << " but the layer config implies " << shapeString(shape);
  Value v = constant(key, found->shape, found->data);
  constants[key] = v;
  return v;
}

//===----------------------------------------------------------------------===//
// Layers
//===----------------------------------------------------------------------===//

FailureOr<Value> Lowering::finish(const Layer &layer,
                                  FailureOr<Operation *> op) {
  if (failed(op) || failed(verify(*op)))
    return layerError(layer) << "has inputs or weights of incompatible shapes";
  return (*op)->getResult(0);
}

FailureOr<Value> Lowering::activation(const Layer &layer, StringRef act,
                                      Value x, StringRef opName) {
  Location loc = nameLoc(opName);
  if (act.empty() || act == "linear")
    return x;
  if (act == "relu")
    return tfg::ReluOp::create(builder, loc, x).getResult();
  if (act == "relu6")
    return tfg::Relu6Op::create(builder, loc, x).getResult();
  if (act == "sigmoid")
    return tfg::SigmoidOp::create(builder, loc, x).getResult();
  if (act == "tanh")
    return tfg::TanhOp::create(builder, loc, x).getResult();
  if (act == "swish" || act == "silu")
    return tfg::SwishOp::create(builder, loc, x).getResult();
  if (act == "hard_swish" || act == "hard_silu")
    return tfg::HardSwishOp::create(builder, loc, x).getResult();
  if (act == "hard_sigmoid") {
    // Keras 3 redefined hard_sigmoid as relu6(x + 3) / 6; Keras 2 and TF.js
    // use 0.2 * x + 0.5.
    bool keras3 = StringRef(info.kerasVersion).starts_with("3");
    return tfg::HardSigmoidOp::create(
               builder, loc, x,
               builder.getF32FloatAttr(keras3 ? 1.0f / 6.0f : 0.2f),
               builder.getF32FloatAttr(0.5f))
        .getResult();
  }
  if (act == "softmax")
    return finish(layer, tfg::SoftmaxOp::create(builder, loc, x,
                                                builder.getI64IntegerAttr(-1))
                             .getOperation());
  return layerError(layer) << "activation '" << act << "' is not supported";
}

FailureOr<Value> Lowering::addBias(const Layer &layer, Value y,
                                   int64_t channels, StringRef name) {
  if (!boolKey(layer, "use_bias", true))
    return y;
  auto b = weight(layer, "bias", {channels});
  if (failed(b))
    return failure();
  return finish(layer, createInferred<tfg::BiasAddOp>(
                           builder, nameLoc(name.str() + "/BiasAdd"), y, *b));
}

FailureOr<Value> Lowering::conv1x1(const Layer &layer, Value x, Value filter,
                                   StringRef opName) {
  auto ones = builder.getDenseI64ArrayAttr({1, 1});
  return finish(layer,
                createInferred<tfg::Conv2DOp>(
                    builder, nameLoc(opName), x, filter, Value(), ones, ones,
                    builder.getDenseI64ArrayAttr({0, 0, 0, 0}),
                    tfg::ActivationAttr::get(context, tfg::Activation::none)));
}

FailureOr<Value> Lowering::conv(const Layer &layer, Value x, StringRef name) {
  StringRef cls = layer.className;
  bool depthwise = cls == "DepthwiseConv2D";
  bool separable = cls == "SeparableConv2D";
  auto keys = convKeys(layer, x, "groups", 1);
  if (failed(keys))
    return failure();
  const ConvKeys &c = *keys;
  if (c.count != 1)
    return layerError(layer) << "grouped convolution (groups = " << c.count
                             << ") is not supported";
  int64_t in = c.type.getDimSize(3);
  int64_t filters = 0, multiplier = 1;
  if (!depthwise) {
    auto f = intKey(layer, "filters", 0);
    if (failed(f) || *f <= 0)
      return layerError(layer) << "needs a positive 'filters'";
    filters = *f;
  }
  if (depthwise || separable) {
    auto m = intKey(layer, "depth_multiplier", 1);
    if (failed(m) || *m <= 0)
      return layerError(layer) << "needs a positive 'depth_multiplier'";
    multiplier = *m;
  }
  auto p = pads(layer, x, c.same, c.kernel, c.strides, c.dilations);
  if (failed(p))
    return failure();
  auto s = builder.getDenseI64ArrayAttr(c.strides);
  auto d = builder.getDenseI64ArrayAttr(c.dilations);
  auto none = tfg::ActivationAttr::get(context, tfg::Activation::none);
  FailureOr<Value> y;
  if (depthwise || separable) {
    auto w = weight(layer, "depthwise_kernel",
                    {c.kernel[0], c.kernel[1], in, multiplier});
    if (failed(w))
      return failure();
    y = finish(layer,
               createInferred<tfg::DepthwiseConv2DOp>(
                   builder, nameLoc(name.str() + "/depthwise"), x, *w, Value(),
                   s, d, builder.getDenseI64ArrayAttr(*p), none));
    if (succeeded(y) && separable) {
      auto pw =
          weight(layer, "pointwise_kernel", {1, 1, in * multiplier, filters});
      if (failed(pw))
        return failure();
      y = conv1x1(layer, *y, *pw, name.str() + "/pointwise");
    }
  } else {
    auto w = weight(layer, "kernel", {c.kernel[0], c.kernel[1], in, filters});
    if (failed(w))
      return failure();
    y = finish(layer,
               createInferred<tfg::Conv2DOp>(
                   builder, nameLoc(name.str() + "/Conv2D"), x, *w, Value(), s,
                   d, builder.getDenseI64ArrayAttr(*p), none));
  }
  if (succeeded(y))
    y = addBias(layer, *y, depthwise ? in * multiplier : filters, name);
  if (failed(y))
    return failure();
  return configActivation(layer, *y, name);
}

FailureOr<Value> Lowering::convTranspose(const Layer &layer, Value x,
                                         StringRef name) {
  auto keys = convKeys(layer, x, "filters", 0);
  if (failed(keys))
    return failure();
  const ConvKeys &c = *keys;
  int64_t filters = c.count;
  if (filters <= 0)
    return layerError(layer) << "needs a positive 'filters'";
  std::optional<SmallVector<int64_t>> outputPadding;
  if (givenKey(layer, "output_padding")) {
    auto pairs = padPairs(layer, "output_padding");
    if (failed(pairs))
      return failure();
    outputPadding = SmallVector<int64_t>{(*pairs)[0], (*pairs)[2]};
  }
  // Output size as Keras computes it (conv_utils.deconv_output_length);
  // the padding is then TF's for a forward conv of that size.
  SmallVector<int64_t> outSize(2), pad(4, 0);
  for (int i = 0; i < 2; ++i) {
    int64_t in = c.type.getDimSize(1 + i);
    if (ShapedType::isDynamic(in))
      return layerError(layer) << "needs a static input height and width";
    int64_t k = (c.kernel[i] - 1) * c.dilations[i] + 1;
    int64_t s = c.strides[i];
    if (!outputPadding)
      outSize[i] = c.same ? in * s : in * s + std::max<int64_t>(k - s, 0);
    else
      outSize[i] =
          (in - 1) * s + k - 2 * (c.same ? k / 2 : 0) + (*outputPadding)[i];
    if (c.same) {
      auto [before, after] =
          vai::samePadding(outSize[i], c.kernel[i], s, c.dilations[i]);
      pad[2 * i] = before;
      pad[2 * i + 1] = after;
    }
  }
  int64_t in = c.type.getDimSize(3);
  auto w = weight(layer, "kernel", {c.kernel[0], c.kernel[1], filters, in});
  if (failed(w))
    return failure();
  auto resultType = RankedTensorType::get(
      {c.type.getDimSize(0), outSize[0], outSize[1], filters},
      builder.getF32Type());
  auto y = finish(
      layer, tfg::Conv2DTransposeOp::create(
                 builder, nameLoc(name.str() + "/conv2d_transpose"), resultType,
                 x, *w, Value(), builder.getDenseI64ArrayAttr(c.strides),
                 builder.getDenseI64ArrayAttr(c.dilations),
                 builder.getDenseI64ArrayAttr(pad),
                 tfg::ActivationAttr::get(context, tfg::Activation::none))
                 .getOperation());
  if (succeeded(y))
    y = addBias(layer, *y, filters, name);
  if (failed(y))
    return failure();
  return configActivation(layer, *y, name);
}

FailureOr<Value> Lowering::dense(const Layer &layer, Value x, StringRef name) {
  auto type = inputType(layer, x, -1, true);
  auto units = intKey(layer, "units", 0);
  if (failed(type) || failed(units))
    return failure();
  if (*units <= 0)
    return layerError(layer) << "needs a positive 'units'";
  if (type->getRank() < 2)
    return layerError(layer) << "expects an input of rank >= 2";
  int64_t in = type->getDimSize(type->getRank() - 1);
  auto w = weight(layer, "kernel", {in, *units});
  if (failed(w))
    return failure();
  // Dense on rank > 2 applies to the last axis: a 1x1 convolution over
  // [batch, 1, inner, in] (a reshape that keeps the batch dimension, so it
  // may stay unknown).
  Value out;
  if (type->getRank() > 2) {
    int64_t inner = 1;
    for (int64_t d : type->getShape().drop_front().drop_back()) {
      if (ShapedType::isDynamic(d))
        return layerError(layer) << "on a rank-" << type->getRank()
                                 << " input needs static inner dimensions";
      inner *= d;
    }
    auto f32 = builder.getF32Type();
    auto a = finish(
        layer,
        tfg::ReshapeOp::create(
            builder, nameLoc(name.str() + "/to_nhwc"),
            RankedTensorType::get({type->getDimSize(0), 1, inner, in}, f32), x)
            .getOperation());
    auto kernel =
        finish(layer, tfg::ReshapeOp::create(
                          builder, nameLoc(name.str() + "/kernel_hwio"),
                          RankedTensorType::get({1, 1, in, *units}, f32), *w)
                          .getOperation());
    if (failed(a) || failed(kernel))
      return failure();
    auto y = conv1x1(layer, *a, *kernel, name.str() + "/Tensordot");
    if (failed(y))
      return failure();
    out = *y;
  } else {
    auto y = finish(
        layer, createInferred<tfg::MatMulOp>(
                   builder, nameLoc(name.str() + "/MatMul"), x, *w, Value(),
                   builder.getBoolAttr(false), builder.getBoolAttr(false),
                   tfg::ActivationAttr::get(context, tfg::Activation::none)));
    if (failed(y))
      return failure();
    out = *y;
  }
  auto biased = addBias(layer, out, *units, name);
  if (failed(biased))
    return failure();
  out = *biased;
  if (type->getRank() > 2) {
    SmallVector<int64_t> shape(type->getShape());
    shape.back() = *units;
    auto back = finish(
        layer, tfg::ReshapeOp::create(
                   builder, nameLoc(name.str() + "/from_nhwc"),
                   RankedTensorType::get(shape, builder.getF32Type()), out)
                   .getOperation());
    if (failed(back))
      return failure();
    out = *back;
  }
  return configActivation(layer, out, name);
}

FailureOr<Value> Lowering::batchNorm(const Layer &layer, Value x,
                                     StringRef name) {
  auto type = inputType(layer, x, -1, true);
  auto axis = intKey(layer, "axis", -1);
  auto epsilon = floatKey(layer, "epsilon", 1e-3);
  if (failed(type) || failed(axis) || failed(epsilon))
    return failure();
  int64_t rank = type->getRank();
  if (*axis != -1 && *axis != rank - 1)
    return layerError(layer) << "normalizes axis " << *axis
                             << "; only the last (channel) axis is supported";
  int64_t c = type->getDimSize(rank - 1);
  auto gamma = weight(layer, "gamma", {c}, !boolKey(layer, "scale", true));
  auto beta = weight(layer, "beta", {c}, !boolKey(layer, "center", true));
  auto mean = weight(layer, "moving_mean", {c});
  auto var = weight(layer, "moving_variance", {c});
  if (failed(gamma) || failed(beta) || failed(mean) || failed(var))
    return failure();
  // scale = False / center = False store no gamma / beta.
  if (!*gamma)
    *gamma = constant(name.str() + "/gamma", {c}, std::vector<float>(c, 1.0f));
  if (!*beta)
    *beta = constant(name.str() + "/beta", {c}, std::vector<float>(c, 0.0f));
  return finish(layer, createInferred<tfg::FusedBatchNormOp>(
                           builder, nameLoc(name.str() + "/FusedBatchNorm"), x,
                           *gamma, *beta, *mean, *var,
                           builder.getF32FloatAttr(float(*epsilon))));
}

FailureOr<Value> Lowering::relu(const Layer &layer, Value x, StringRef name) {
  auto slope = floatKey(layer, "negative_slope", 0.0);
  auto threshold = floatKey(layer, "threshold", 0.0);
  if (failed(slope) || failed(threshold))
    return failure();
  std::optional<double> max;
  if (const json::Value *maxValue = givenKey(layer, "max_value")) {
    max = maxValue->getAsNumber();
    if (!max)
      return layerError(layer) << "'max_value' is not a number";
  }
  if (*threshold != 0.0)
    return layerError(layer)
           << "threshold " << *threshold << " is not supported (only 0)";
  Location loc = nameLoc(name.str() + "/Relu");
  if (*slope == 0.0 && !max)
    return tfg::ReluOp::create(builder, loc, x).getResult();
  if (*slope == 0.0 && *max == 6.0)
    return tfg::Relu6Op::create(builder, loc, x).getResult();
  Value y = x;
  FloatAttr low = builder.getF32FloatAttr(0.0f);
  if (*slope != 0.0) {
    y = tfg::LeakyReluOp::create(builder, loc, x,
                                 builder.getF32FloatAttr(float(*slope)))
            .getResult();
    low = nullptr;
    if (!max)
      return y;
  }
  return finish(layer,
                tfg::ClipOp::create(
                    builder, nameLoc(name.str() + "/clip"), y, low,
                    max ? builder.getF32FloatAttr(float(*max)) : FloatAttr())
                    .getOperation());
}

FailureOr<Value> Lowering::pool(const Layer &layer, Value x, StringRef name) {
  StringRef cls = layer.className;
  auto type = inputType(layer, x, 4, false);
  if (failed(type) || failed(checkChannelsLast(layer)))
    return failure();
  if (cls.starts_with("Global")) {
    bool keep = boolKey(layer, "keepdims", false);
    if (cls == "GlobalAveragePooling2D")
      return finish(layer, createInferred<tfg::MeanOp>(
                               builder, nameLoc(name.str() + "/Mean"), x,
                               builder.getDenseI64ArrayAttr({1, 2}),
                               builder.getBoolAttr(keep)));
    // Max over the whole map: a max pool as large as the input.
    if (type->isDynamicDim(1) || type->isDynamicDim(2))
      return layerError(layer) << "needs a static input height and width";
    auto pooled =
        finish(layer, createInferred<tfg::MaxPoolOp>(
                          builder, nameLoc(name.str() + "/Max"), x,
                          builder.getDenseI64ArrayAttr(
                              {type->getDimSize(1), type->getDimSize(2)}),
                          builder.getDenseI64ArrayAttr({1, 1}),
                          builder.getDenseI64ArrayAttr({0, 0, 0, 0})));
    if (failed(pooled) || keep)
      return pooled;
    return finish(layer, tfg::ReshapeOp::create(
                             builder, nameLoc(name.str() + "/squeeze"),
                             RankedTensorType::get(
                                 {type->getDimSize(0), type->getDimSize(3)},
                                 builder.getF32Type()),
                             *pooled)
                             .getOperation());
  }
  auto kernel = pairKey(layer, "pool_size", 2);
  if (failed(kernel))
    return failure();
  auto strides = pairKey(layer, "strides", (*kernel)[0]);
  if (failed(strides))
    return failure();
  // strides = None means the pool size, per dimension.
  if (!givenKey(layer, "strides"))
    *strides = *kernel;
  auto same = samePadding(layer);
  if (failed(same))
    return failure();
  auto p = pads(layer, x, *same, *kernel, *strides, {1, 1});
  if (failed(p))
    return failure();
  auto k = builder.getDenseI64ArrayAttr(*kernel);
  auto st = builder.getDenseI64ArrayAttr(*strides);
  auto pa = builder.getDenseI64ArrayAttr(*p);
  if (cls == "MaxPooling2D")
    return finish(layer,
                  createInferred<tfg::MaxPoolOp>(
                      builder, nameLoc(name.str() + "/MaxPool"), x, k, st, pa));
  return finish(layer,
                createInferred<tfg::AvgPoolOp>(
                    builder, nameLoc(name.str() + "/AvgPool"), x, k, st, pa));
}

FailureOr<Value> Lowering::reshape(const Layer &layer, Value x,
                                   StringRef name) {
  auto type = cast<RankedTensorType>(x.getType());
  int64_t count = 1;
  for (int64_t d : type.getShape().drop_front()) {
    if (ShapedType::isDynamic(d))
      return layerError(layer) << "needs static non-batch input dimensions, "
                                  "got "
                               << shapeString(type.getShape());
    count *= d;
  }
  SmallVector<int64_t> shape{type.getDimSize(0)};
  if (layer.className == "Flatten") {
    if (failed(checkChannelsLast(layer)))
      return failure();
    shape.push_back(count);
  } else {
    const json::Array *target = layer.config->getArray("target_shape");
    if (!target)
      return layerError(layer) << "has no 'target_shape'";
    int64_t known = 1, wildcard = -1;
    for (const json::Value &v : *target) {
      auto d = v.getAsInteger();
      if (!d || *d == 0 || *d < -1 || (*d == -1 && wildcard >= 0))
        return layerError(layer) << "has a bad 'target_shape'";
      if (*d == -1)
        wildcard = shape.size();
      else
        known *= *d;
      shape.push_back(*d);
    }
    if (wildcard >= 0) {
      if (count % known)
        return layerError(layer) << "cannot reshape " << count
                                 << " values per sample to 'target_shape'";
      shape[wildcard] = count / known;
    } else if (known != count) {
      return layerError(layer)
             << "cannot reshape " << count << " values per sample to "
             << shapeString(ArrayRef(shape).drop_front());
    }
  }
  return finish(layer,
                tfg::ReshapeOp::create(
                    builder, nameLoc(name.str() + "/Reshape"),
                    RankedTensorType::get(shape, builder.getF32Type()), x)
                    .getOperation());
}

FailureOr<Value> Lowering::merge(const Layer &layer, ArrayRef<Value> inputs,
                                 StringRef name) {
  StringRef cls = layer.className;
  if (inputs.size() < 2 || (cls == "Subtract" && inputs.size() != 2))
    return layerError(layer) << "expects " << (cls == "Subtract" ? "" : ">= ")
                             << "2 inputs, got " << inputs.size();
  if (cls == "Concatenate") {
    auto axis = intKey(layer, "axis", -1);
    if (failed(axis))
      return failure();
    return finish(layer,
                  createInferred<tfg::ConcatOp>(
                      builder, nameLoc(name.str() + "/concat"),
                      ValueRange(inputs), builder.getI64IntegerAttr(*axis)));
  }
  Value acc = inputs[0];
  for (auto [i, v] : llvm::enumerate(inputs.drop_front())) {
    Location loc = nameLoc((name + "/" + cls + "_" + llvm::Twine(i)).str());
    FailureOr<Operation *> op;
    if (cls == "Add" || cls == "Average")
      op = createInferred<tfg::AddOp>(builder, loc, acc, v);
    else if (cls == "Subtract")
      op = createInferred<tfg::SubOp>(builder, loc, acc, v);
    else if (cls == "Multiply")
      op = createInferred<tfg::MulOp>(builder, loc, acc, v);
    else if (cls == "Maximum")
      op = createInferred<tfg::MaximumOp>(builder, loc, acc, v);
    else
      op = createInferred<tfg::MinimumOp>(builder, loc, acc, v);
    auto r = finish(layer, op);
    if (failed(r))
      return failure();
    acc = *r;
  }
  if (cls == "Average") {
    Value scale =
        constant(name.str() + "/scale", {}, {1.0f / float(inputs.size())});
    return finish(
        layer, createInferred<tfg::MulOp>(builder, nameLoc(name.str() + "/mul"),
                                          acc, scale));
  }
  return acc;
}

FailureOr<Value> Lowering::lowerLayer(const Layer &layer,
                                      ArrayRef<Value> inputs, StringRef name) {
  StringRef cls = layer.className;
  bool isMerge = llvm::is_contained({"Add", "Subtract", "Multiply", "Average",
                                     "Maximum", "Minimum", "Concatenate"},
                                    cls);
  if (!isMerge && inputs.size() != 1)
    return layerError(layer) << "expects one input, got " << inputs.size();
  Value x = inputs.empty() ? Value() : inputs[0];
  Location loc = nameLoc(name);

  if (cls == "Conv2D" || cls == "DepthwiseConv2D" || cls == "SeparableConv2D")
    return conv(layer, x, name);
  if (cls == "Conv2DTranspose")
    return convTranspose(layer, x, name);
  if (cls == "Dense")
    return dense(layer, x, name);
  if (cls == "BatchNormalization")
    return batchNorm(layer, x, name);
  if (cls == "Activation")
    return activation(layer,
                      layer.config->getString("activation").value_or("linear"),
                      x, name);
  if (cls == "ReLU")
    return relu(layer, x, name);
  if (cls == "LeakyReLU") {
    // Keras 3 renamed alpha to negative_slope; both default to 0.3.
    auto alpha = floatKey(layer, "alpha", 0.3);
    auto slope =
        floatKey(layer, "negative_slope", failed(alpha) ? 0.3 : *alpha);
    if (failed(alpha) || failed(slope))
      return failure();
    return tfg::LeakyReluOp::create(builder, loc, x,
                                    builder.getF32FloatAttr(float(*slope)))
        .getResult();
  }
  if (cls == "PReLU") {
    auto type = cast<RankedTensorType>(x.getType());
    SmallVector<int64_t> shape(type.getShape().drop_front());
    if (const json::Array *shared = layer.config->getArray("shared_axes"))
      for (const json::Value &a : *shared) {
        auto axis = a.getAsInteger();
        if (!axis || *axis < 1 || *axis >= type.getRank())
          return layerError(layer) << "has a bad 'shared_axes' entry";
        shape[*axis - 1] = 1;
      }
    auto alpha = weight(layer, "alpha", shape);
    if (failed(alpha))
      return failure();
    return finish(layer,
                  tfg::PReluOp::create(builder, loc, x, *alpha).getOperation());
  }
  if (cls == "Softmax") {
    auto axis = intKey(layer, "axis", -1);
    if (failed(axis))
      return failure();
    return finish(layer, tfg::SoftmaxOp::create(
                             builder, loc, x, builder.getI64IntegerAttr(*axis))
                             .getOperation());
  }
  if (cls == "MaxPooling2D" || cls == "AveragePooling2D" ||
      cls == "GlobalAveragePooling2D" || cls == "GlobalMaxPooling2D")
    return pool(layer, x, name);
  if (cls == "ZeroPadding2D" || cls == "Cropping2D") {
    bool crop = cls == "Cropping2D";
    auto amounts = padPairs(layer, crop ? "cropping" : "padding");
    if (failed(amounts) || failed(inputType(layer, x, 4, false)) ||
        failed(checkChannelsLast(layer)))
      return failure();
    int64_t sign = crop ? -1 : 1;
    auto &a = *amounts;
    SmallVector<int64_t> p{0, sign * a[0], sign * a[2], 0,
                           0, sign * a[1], sign * a[3], 0};
    return finish(layer,
                  createInferred<tfg::PadOp>(
                      builder, loc, x, builder.getDenseI64ArrayAttr(p),
                      tfg::PadModeAttr::get(context, tfg::PadMode::constant),
                      builder.getF32FloatAttr(0.0f)));
  }
  if (isMerge)
    return merge(layer, inputs, name);
  if (cls == "Flatten" || cls == "Reshape")
    return reshape(layer, x, name);
  if (cls == "Dropout" || cls == "SpatialDropout2D" || cls == "GaussianNoise" ||
      cls == "GaussianDropout" || cls == "AlphaDropout" ||
      cls == "ActivityRegularization")
    // Only active in training.
    return tfg::IdentityOp::create(builder, loc, x).getResult();
  if (cls == "UpSampling2D") {
    auto size = pairKey(layer, "size", 2);
    auto type = inputType(layer, x, 4, false);
    if (failed(size) || failed(type) || failed(checkChannelsLast(layer)))
      return failure();
    StringRef interpolation =
        layer.config->getString("interpolation").value_or("nearest");
    if (interpolation != "nearest" && interpolation != "bilinear")
      return layerError(layer) << "interpolation '" << interpolation
                               << "' is not supported (nearest or bilinear)";
    bool nearest = interpolation == "nearest";
    auto scaled = [&](int64_t d, int64_t f) {
      return ShapedType::isDynamic(d) ? d : d * f;
    };
    auto resultType = RankedTensorType::get(
        {type->getDimSize(0), scaled(type->getDimSize(1), (*size)[0]),
         scaled(type->getDimSize(2), (*size)[1]), type->getDimSize(3)},
        builder.getF32Type());
    // tf.keras resizes with tf.image.resize (half-pixel centers); TF.js
    // with resizeBilinear / resizeNearestNeighbor defaults (neither
    // half-pixel nor aligned corners). For integer factors nearest gives
    // the same either way.
    StringRef coordinates = info.tfjs || nearest ? "asymmetric" : "half_pixel";
    // Named attributes: the others keep their defaults.
    NamedAttribute attrs[] = {
        builder.getNamedAttr("mode",
                             tfg::ResizeModeAttr::get(
                                 context, nearest ? tfg::ResizeMode::nearest
                                                  : tfg::ResizeMode::bilinear)),
        builder.getNamedAttr("coordinate_mode",
                             builder.getStringAttr(coordinates)),
        builder.getNamedAttr("nearest_mode", builder.getStringAttr("floor"))};
    return finish(layer,
                  tfg::ResizeOp::create(builder, loc, TypeRange{resultType},
                                        ValueRange{x}, attrs)
                      .getOperation());
  }
  if (cls == "Rescaling") {
    auto scale = floatKey(layer, "scale", 1.0);
    auto offset = floatKey(layer, "offset", 0.0);
    if (failed(scale) || failed(offset))
      return failure();
    auto y = finish(layer,
                    createInferred<tfg::MulOp>(
                        builder, nameLoc(name.str() + "/mul"), x,
                        constant(name.str() + "/scale", {}, {float(*scale)})));
    if (failed(y))
      return failure();
    return finish(layer,
                  createInferred<tfg::AddOp>(
                      builder, nameLoc(name.str() + "/add"), *y,
                      constant(name.str() + "/offset", {}, {float(*offset)})));
  }
  if (cls == "InputLayer")
    return layerError(layer) << "is used as a layer call but is not one of "
                                "the model inputs";
  return layerError(layer) << "unsupported layer class '" << cls << "'";
}

//===----------------------------------------------------------------------===//
// The graph
//===----------------------------------------------------------------------===//

LogicalResult Lowering::lowerCalls() {
  // Keras lists layers in topological order, but shared layers can be
  // called later than they are listed: sweep until nothing is left.
  struct Call {
    const Layer *layer;
    size_t index;
  };
  std::deque<Call> pending;
  for (const Layer &layer : layers)
    for (size_t i = 0; i < layer.calls.size(); ++i)
      if (layer.className != "InputLayer")
        pending.push_back({&layer, i});
  while (!pending.empty()) {
    size_t before = pending.size();
    for (size_t n = pending.size(); n > 0; --n) {
      Call call = pending.front();
      pending.pop_front();
      SmallVector<Value> inputs;
      for (const TensorRef &ref : call.layer->calls[call.index])
        if (Value v = values.lookup(refKey(ref.layer, ref.node, ref.tensor)))
          inputs.push_back(v);
      if (inputs.size() != call.layer->calls[call.index].size()) {
        pending.push_back(call);
        continue;
      }
      std::string name =
          call.index == 0 ? call.layer->name
                          : call.layer->name + "_" + std::to_string(call.index);
      auto out = lowerLayer(*call.layer, inputs, name);
      if (failed(out))
        return failure();
      // The layer's output carries the layer's name.
      if (Operation *def = out->getDefiningOp())
        if (!isa<tfg::ConstOp>(def) && !llvm::is_contained(inputs, *out))
          def->setLoc(nameLoc(name));
      values[refKey(call.layer->name, call.index, 0)] = *out;
    }
    if (pending.size() == before) {
      const Layer &layer = *pending.front().layer;
      for (const TensorRef &ref : layer.calls[pending.front().index]) {
        if (values.count(refKey(ref.layer, ref.node, ref.tensor)))
          continue;
        auto it = layerIndex.find(ref.layer);
        if (it == layerIndex.end())
          return layerError(layer)
                 << "input '" << ref.layer << "' names no layer in the model";
        const Layer &producer = layers[it->second];
        if (ref.tensor != 0)
          return layerError(layer)
                 << "uses output " << ref.tensor << " of '" << ref.layer
                 << "'; only single-output layers exist";
        if (ref.node >= int64_t(producer.calls.size()) &&
            producer.className != "InputLayer")
          return layerError(layer)
                 << "uses call " << ref.node << " of '" << ref.layer
                 << "', which is called " << producer.calls.size() << " times";
        if (producer.className == "InputLayer")
          return layerError(layer)
                 << "uses '" << ref.layer << "', which is not a model input";
        return layerError(layer)
               << "is part of a cycle through '" << ref.layer << "'";
      }
      return layerError(layer) << "cannot be ordered";
    }
  }
  return success();
}

OwningOpRef<ModuleOp> Lowering::run(const json::Value &modelConfig) {
  const json::Object *root = modelConfig.getAsObject();
  std::optional<StringRef> cls =
      root ? root->getString("class_name") : std::nullopt;
  const json::Value *config = root ? root->get("config") : nullptr;
  if (!cls || !config) {
    modelError() << "the model config has no class_name and config";
    return nullptr;
  }
  if (*cls == "Sequential") {
    if (failed(parseSequential(*config)))
      return nullptr;
  } else if (*cls == "Functional" || *cls == "Model") {
    if (!config->getAsObject()) {
      modelError() << "the " << *cls << " config is not an object";
      return nullptr;
    }
    if (failed(parseFunctional(*config->getAsObject())))
      return nullptr;
  } else {
    modelError() << "model class '" << *cls
                 << "' is not supported (Sequential, Functional or Model)";
    return nullptr;
  }

  OwningOpRef<ModuleOp> module = ModuleOp::create(fileLoc());
  builder.setInsertionPointToEnd(module->getBody());
  SmallVector<Type> argTypes;
  SmallVector<std::string> argNames;
  for (const TensorRef &ref : inputRefs) {
    auto it = layerIndex.find(ref.layer);
    if (it == layerIndex.end() ||
        layers[it->second].className != "InputLayer") {
      modelError() << "model input '" << ref.layer
                   << "' is not an InputLayer of the model";
      return nullptr;
    }
    auto shape = inputShape(layers[it->second]);
    if (failed(shape))
      return nullptr;
    argTypes.push_back(RankedTensorType::get(*shape, builder.getF32Type()));
    argNames.push_back(ref.layer);
  }
  auto func = func::FuncOp::create(builder, fileLoc(), "main",
                                   builder.getFunctionType(argTypes, {}));
  Block *body = func.addEntryBlock();
  for (auto [i, name] : llvm::enumerate(argNames)) {
    body->getArgument(i).setLoc(nameLoc(name));
    func.setArgAttr(i, "tfg.name", builder.getStringAttr(name));
    values[refKey(name, 0, 0)] = body->getArgument(i);
  }
  builder.setInsertionPointToEnd(body);
  if (failed(lowerCalls()))
    return nullptr;
  SmallVector<Value> results;
  SmallVector<std::string> outputNames;
  for (const TensorRef &ref : outputRefs) {
    Value v = values.lookup(refKey(ref.layer, ref.node, ref.tensor));
    if (!v) {
      modelError() << "model output '" << ref.layer
                   << "' is not computed by any layer call";
      return nullptr;
    }
    results.push_back(v);
    outputNames.push_back(ref.layer);
  }
  if (failed(
          finishMainFunction(builder, func, fileLoc(), results, outputNames)))
    return nullptr;
  return module;
}

} // namespace

OwningOpRef<ModuleOp> lowerKerasModel(const json::Value &modelConfig,
                                      KerasWeightSource &weights,
                                      const KerasModelInfo &info,
                                      MLIRContext *context) {
  context->loadDialect<tfg::TfgDialect, func::FuncDialect>();
  return Lowering(context, weights, info).run(modelConfig);
}

} // namespace vai

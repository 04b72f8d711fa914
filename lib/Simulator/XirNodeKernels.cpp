//===- XirNodeKernels.cpp - CPU ops of compiled xmodels -------------------===//
//
// PPScatterV2 follows what Xilinx's custom-op example computes (Vitis-AI
// examples/custom_operator/pytorch_example/op_registration/cpp/op_PPScatter/
// my_PPScatter_op.cpp and .../python/vart_op_imp/PPScatterV2.py): a zeroed
// [1, C, H, W] output, pillar n's C features written at (y, x) =
// (coords[n][2], coords[n][3]), stopping at the first x < 0. That code
// indexes without bounds checks; here a coordinate off the grid is an error.
//
//===----------------------------------------------------------------------===//

#include "vai/Simulator/XirNodeKernels.h"
#include "vai/Simulator/FloatKernels.h"
#include <cmath>

using namespace mlir;

namespace vai {

bool ppScatterV2(const FloatArray &features, const FloatArray &coords,
                 int64_t ny, int64_t nx, FloatArray &out, std::string &error) {
  if (!checkConsistent(features, "PPScatterV2", "features", error) ||
      !checkConsistent(coords, "PPScatterV2", "coordinates", error))
    return false;
  if (features.rank() != 4 || features.dim(3) != 1 || coords.rank() != 3 ||
      coords.dim(2) < 4 || coords.dim(0) != features.dim(0) ||
      coords.dim(1) != features.dim(2)) {
    error = "PPScatterV2: expects features [N,C,P,1] and coordinates "
            "[N,P,4] with the same N and P, got " +
            shapeString(features.shape) + " and " + shapeString(coords.shape);
    return false;
  }
  if (ny <= 0 || nx <= 0) {
    error = "PPScatterV2: grid " + std::to_string(ny) + "x" +
            std::to_string(nx) + " is empty";
    return false;
  }
  int64_t batch = features.dim(0), channels = features.dim(1),
          pillars = features.dim(2), width = coords.dim(2);
  out = FloatArray({batch, channels, ny, nx}, 0.0f);
  for (int64_t n = 0; n < batch; ++n) {
    for (int64_t p = 0; p < pillars; ++p) {
      const float *c = &coords.data[size_t((n * pillars + p) * width)];
      if (!std::isfinite(c[2]) || !std::isfinite(c[3])) {
        error = "PPScatterV2: pillar " + std::to_string(p) +
                " has a non-finite coordinate";
        return false;
      }
      // The reference casts to int (truncation) before testing x < 0.
      int64_t y = int64_t(c[2]), x = int64_t(c[3]);
      if (x < 0)
        break;
      if (y < 0 || y >= ny || x >= nx) {
        error = "PPScatterV2: pillar " + std::to_string(p) + " at (y " +
                std::to_string(y) + ", x " + std::to_string(x) +
                ") lies outside the " + std::to_string(ny) + "x" +
                std::to_string(nx) + " grid";
        return false;
      }
      for (int64_t ch = 0; ch < channels; ++ch)
        out.data[size_t(((n * channels + ch) * ny + y) * nx + x)] =
            features.data[size_t((n * channels + ch) * pillars + p)];
    }
  }
  return true;
}

namespace {

int64_t intAttr(DictionaryAttr attrs, StringRef name, bool &ok) {
  if (auto a = attrs.getAs<IntegerAttr>(name))
    return a.getInt();
  ok = false;
  return 0;
}

} // namespace

bool hasXirNodeKernel(StringRef type) {
  return type == "transpose" || type == "PPScatterV2";
}

LogicalResult evaluateXirNode(tfg::NodeOp op,
                              ArrayRef<const RuntimeValue *> inputs,
                              RuntimeValue &out) {
  StringRef type = op.getOpType();
  // Diagnostics print a NameLoc's file position only: name the op too.
  std::string name = "?";
  if (auto loc = dyn_cast<NameLoc>(op.getLoc()))
    name = loc.getName().str();
  auto fail = [&](const std::string &why) {
    return op.emitError() << "interpreter: XIR op '" << name << "' of type '"
                          << type << "': " << why;
  };
  if (!hasXirNodeKernel(type))
    return op.emitError() << "interpreter: XIR op '" << name << "' of type '"
                          << type
                          << "' has no kernel (there are kernels for "
                             "transpose and PPScatterV2)";
  if (op->getNumResults() != 1)
    return fail("expects one result");
  auto resultType = dyn_cast<RankedTensorType>(op->getResult(0).getType());
  if (!resultType || !isa<FloatType>(resultType.getElementType()))
    return fail("expects a float tensor result");
  DictionaryAttr attrs = op.getAttrs();
  std::string error;
  FloatArray result;
  if (type == "transpose") {
    if (inputs.size() != 1)
      return fail("expects 1 input, got " + std::to_string(inputs.size()));
    auto order = attrs.getAs<DenseI32ArrayAttr>("order");
    if (!order)
      return fail("has no int32 array attribute 'order'");
    std::vector<int64_t> perm(order.asArrayRef().begin(),
                              order.asArrayRef().end());
    if (!transpose(inputs[0]->toFloat(), perm, result, error))
      return fail(error);
  } else {
    if (inputs.size() != 2)
      return fail("expects 2 inputs (features, coordinates), got " +
                  std::to_string(inputs.size()));
    bool ok = true;
    int64_t nx = intAttr(attrs, "nx", ok), ny = intAttr(attrs, "ny", ok),
            channels = intAttr(attrs, "nchannels", ok);
    if (!ok)
      return fail("needs integer attributes nx, ny and nchannels");
    FloatArray features = inputs[0]->toFloat();
    if (features.rank() == 4 && features.dim(1) != channels)
      return fail("nchannels is " + std::to_string(channels) +
                  " but the features have " + std::to_string(features.dim(1)));
    if (!ppScatterV2(features, inputs[1]->toFloat(), ny, nx, result, error))
      return fail(error);
  }
  if (resultType.hasStaticShape() &&
      std::vector<int64_t>(resultType.getShape().begin(),
                           resultType.getShape().end()) != result.shape)
    return fail("computed shape " + shapeString(result.shape) +
                " but the result type is " +
                shapeString(std::vector<int64_t>(resultType.getShape().begin(),
                                                 resultType.getShape().end())));
  out = RuntimeValue::ofFloat(std::move(result));
  return success();
}

} // namespace vai

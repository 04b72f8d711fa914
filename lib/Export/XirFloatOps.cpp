//===- XirFloatOps.cpp - XIR float ops for tfg ops left float -------------===//
//
// Op types, arguments and attributes from XIR's op definitions (Vitis AI
// src/vai_runtime/xir/src/xir/op/built_in_ops.cpp): activations read
// `input`; add/sub/mul/div/min/max a repeated `input` (broadcasting);
// softmax `axis` (int); transpose `order` (vector<int>); leaky-relu
// `alpha` (float); prelu `input` and `weight`; hard-sigmoid is
// relu6(x + 3) / 6 and hard-swish x * relu6(x + 3) / 6.
//
//===----------------------------------------------------------------------===//

#include "vai/Export/XirFloatOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "vai/Dialect/Tfg/TfgOps.h"
#include "vai/Dialect/Tfg/TfgUtils.h"
#include "llvm/ADT/TypeSwitch.h"
#include <cmath>
#include <cstring>

using namespace mlir;
using vai::proto::XAttr;

namespace vai {

std::optional<XirFloatOp> getXirFloatOp(Operation *op) {
  if (op->getNumResults() != 1)
    return std::nullopt;
  auto unary = [](StringRef type) {
    return XirFloatOp{type.str(), {}, {"input"}};
  };
  auto binary = [](StringRef type) {
    return XirFloatOp{type.str(), {}, {"input", "input"}};
  };
  using Result = std::optional<XirFloatOp>;
  return llvm::TypeSwitch<Operation *, Result>(op)
      .Case([&](tfg::SoftmaxOp s) -> Result {
        XirFloatOp x = unary("softmax");
        int64_t axis = s.getAxis();
        if (axis < 0)
          axis += cast<ShapedType>(s.getType()).getRank();
        x.attrs["axis"] = XAttr::int32(int32_t(axis));
        return x;
      })
      .Case([&](tfg::SigmoidOp) { return unary("sigmoid"); })
      .Case([&](tfg::TanhOp) { return unary("tanh"); })
      .Case([&](tfg::SwishOp) { return unary("swish"); })
      .Case([&](tfg::HardSwishOp) { return unary("hard-swish"); })
      .Case([&](tfg::ReluOp) { return unary("relu"); })
      .Case([&](tfg::Relu6Op) { return unary("relu6"); })
      .Case([&](tfg::HardSigmoidOp h) -> Result {
        if (std::abs(h.getAlpha().convertToDouble() - 1.0 / 6) > 1e-6 ||
            std::abs(h.getBeta().convertToDouble() - 0.5) > 1e-6)
          return std::nullopt;
        return unary("hard-sigmoid");
      })
      .Case([&](tfg::LeakyReluOp l) -> Result {
        XirFloatOp x = unary("leaky-relu");
        x.attrs["alpha"] = XAttr::float32(l.getAlpha().convertToFloat());
        return x;
      })
      .Case([&](tfg::PReluOp) -> Result {
        return XirFloatOp{"prelu", {}, {"input", "weight"}};
      })
      .Case([&](tfg::TransposeOp t) -> Result {
        XirFloatOp x = unary("transpose");
        x.attrs["order"] = XAttr::int32Vec(
            std::vector<int64_t>(t.getPerm().begin(), t.getPerm().end()));
        return x;
      })
      .Case([&](tfg::AddOp) { return binary("add"); })
      .Case([&](tfg::SubOp) { return binary("sub"); })
      .Case([&](tfg::MulOp) { return binary("mul"); })
      .Case([&](tfg::DivOp) { return binary("div"); })
      .Case([&](tfg::MaximumOp) { return binary("max"); })
      .Case([&](tfg::MinimumOp) { return binary("min"); })
      .Default([](Operation *) -> Result { return std::nullopt; });
}

std::optional<std::string> getXirFloatConstBytes(Operation *op) {
  auto c = dyn_cast<tfg::ConstOp>(op);
  if (!c)
    return std::nullopt;
  auto values = tfg::getConstantFloats(c.getResult());
  if (!values)
    return std::nullopt;
  std::string bytes(values->size() * sizeof(float), '\0');
  std::memcpy(bytes.data(), values->data(), bytes.size()); // little endian
  return bytes;
}

} // namespace vai

//===- TfNodeRecord.h - What a GraphDef node leaves on its tfg op -*- C++
//-*-===//
//
// A TF node carries more than tfg models: its exact op name (AddV2 or Add,
// FusedBatchNormV3), type attributes (T, Tidx, U), bookkeeping (_class,
// _output_shapes, use_cudnn_on_gpu), the names of constant inputs that tfg
// folds into attributes (Mean's reduction_indices) and control inputs. With
// GraphDefImportOptions::recordTfNodes (`vai-translate --import-graphdef
// --graphdef-round-trip`) the GraphDef importer records these on the op it
// creates, and the GraphDef exporter replays them, so GraphDef -> tfg ->
// GraphDef keeps every node, input and attribute. Only round-trip users pay
// for the record (a frozen graph's `_output_shapes` can be large):
//
//   tfg.tf_op     StringAttr      the node's op, e.g. "FusedBatchNormV3"
//   tfg.tf_attrs  DictionaryAttr  every attr of the node but a Const's value
//   tfg.tf_inputs ArrayAttr       the node's inputs as written ("x:1", "^c")
//
// (a Placeholder's tf_attrs sit on its function argument). They are
// discardable hints: the tfg op stays the truth. The exporter regenerates the
// attributes tfg models (strides, padding, epsilon, ...) from the op, so a
// pass that changes the op wins over the record; the record fills in the
// rest. An op a pass creates has no record and gets TF's defaults.
//
// Attribute values are encoded so that decode(encode(a)) == a:
//   s -> StringAttr, i -> i64, f -> f32, b -> BoolAttr, type -> TypeAttr
//   (f32, i32, ui8, ..., complex<f64>), shape -> DenseI64ArrayAttr (-1 for an
//   unknown dim), tensor -> DenseElementsAttr (number and bool dtypes),
//   lists -> ArrayAttr of their elements (`list {}` -> []), no value ->
//   UnitAttr. The rest are one-key dictionaries: {dtype = N} for a type
//   without an MLIR counterpart (string, quantized, resource, *_REF),
//   {unknown_rank}, {func = name, attrs = {...}}, {placeholder = name}.
// A tensor of string, complex or quantized values has no encoding and is not
// recorded (encodeTfAttr returns null).
//
// Header-only, so the importer and the exporter libraries share it without a
// link dependency between them.
//
//===----------------------------------------------------------------------===//

#ifndef VAI_EXPORT_TFNODERECORD_H
#define VAI_EXPORT_TFNODERECORD_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "vai/Proto/GraphDef.h"
#include "llvm/ADT/APFloat.h"
#include <optional>

namespace vai {

constexpr llvm::StringLiteral kTfOpAttr = "tfg.tf_op";
constexpr llvm::StringLiteral kTfAttrsAttr = "tfg.tf_attrs";
constexpr llvm::StringLiteral kTfInputsAttr = "tfg.tf_inputs";

/// The MLIR element type of a TF dtype; null for types MLIR has no
/// counterpart of (string, quantized, resource, variant, refs, ...).
inline mlir::Type tfDTypeToType(mlir::MLIRContext *ctx, proto::TfDType t) {
  using proto::TfDType;
  mlir::Builder b(ctx);
  auto uint = [&](unsigned w) {
    return mlir::IntegerType::get(ctx, w, mlir::IntegerType::Unsigned);
  };
  switch (t) {
  case TfDType::Float:
    return b.getF32Type();
  case TfDType::Double:
    return b.getF64Type();
  case TfDType::Half:
    return b.getF16Type();
  case TfDType::BFloat16:
    return b.getBF16Type();
  case TfDType::Int8:
    return b.getI8Type();
  case TfDType::Int16:
    return b.getI16Type();
  case TfDType::Int32:
    return b.getI32Type();
  case TfDType::Int64:
    return b.getI64Type();
  case TfDType::UInt8:
    return uint(8);
  case TfDType::UInt16:
    return uint(16);
  case TfDType::UInt32:
    return uint(32);
  case TfDType::UInt64:
    return uint(64);
  case TfDType::Bool:
    return b.getI1Type();
  case TfDType::Complex64:
    return mlir::ComplexType::get(b.getF32Type());
  case TfDType::Complex128:
    return mlir::ComplexType::get(b.getF64Type());
  default:
    return nullptr;
  }
}

/// The TF dtype of an MLIR element type; Invalid when TF has none.
inline proto::TfDType typeToTfDType(mlir::Type type) {
  using proto::TfDType;
  if (type.isF32())
    return TfDType::Float;
  if (type.isF64())
    return TfDType::Double;
  if (type.isF16())
    return TfDType::Half;
  if (type.isBF16())
    return TfDType::BFloat16;
  if (auto c = mlir::dyn_cast<mlir::ComplexType>(type))
    return c.getElementType().isF32()   ? TfDType::Complex64
           : c.getElementType().isF64() ? TfDType::Complex128
                                        : TfDType::Invalid;
  auto i = mlir::dyn_cast<mlir::IntegerType>(type);
  if (!i)
    return TfDType::Invalid;
  if (i.getWidth() == 1)
    return TfDType::Bool;
  bool u = i.isUnsigned();
  switch (i.getWidth()) {
  case 8:
    return u ? TfDType::UInt8 : TfDType::Int8;
  case 16:
    return u ? TfDType::UInt16 : TfDType::Int16;
  case 32:
    return u ? TfDType::UInt32 : TfDType::Int32;
  case 64:
    return u ? TfDType::UInt64 : TfDType::Int64;
  default:
    return TfDType::Invalid;
  }
}

/// `t` as a DenseElementsAttr of its own dtype; null when the dtype has no
/// number or bool encoding or the value count does not fit the shape.
inline mlir::DenseElementsAttr tfTensorToAttr(mlir::MLIRContext *ctx,
                                              const proto::TfTensor &t) {
  mlir::Type elem = tfDTypeToType(ctx, t.dtype);
  if (!elem || mlir::isa<mlir::ComplexType>(elem) || t.unknownRank ||
      t.numElements() < 0)
    return nullptr;
  auto type = mlir::RankedTensorType::get(t.shape, elem);
  size_t count = size_t(t.numElements());
  if (auto f = mlir::dyn_cast<mlir::FloatType>(elem)) {
    if (t.floats.size() != count)
      return nullptr;
    llvm::SmallVector<llvm::APFloat> values;
    for (float v : t.floats) {
      llvm::APFloat a(v);
      bool lost;
      a.convert(f.getFloatSemantics(), llvm::APFloat::rmNearestTiesToEven,
                &lost);
      values.push_back(a);
    }
    return mlir::DenseElementsAttr::get(type, values);
  }
  if (t.ints.size() != count)
    return nullptr;
  unsigned width = elem.getIntOrFloatBitWidth();
  llvm::SmallVector<llvm::APInt> values;
  for (int64_t v : t.ints)
    values.push_back(llvm::APInt(width, uint64_t(v), /*isSigned=*/true,
                                 /*implicitTrunc=*/true));
  return mlir::DenseElementsAttr::get(type, values);
}

/// The inverse of tfTensorToAttr; false for element types TF lacks.
inline bool attrToTfTensor(mlir::DenseElementsAttr attr, proto::TfTensor &t) {
  auto type = mlir::cast<mlir::ShapedType>(attr.getType());
  t = proto::TfTensor();
  t.dtype = typeToTfDType(type.getElementType());
  if (t.dtype == proto::TfDType::Invalid ||
      mlir::isa<mlir::ComplexType>(type.getElementType()) ||
      !type.hasStaticShape())
    return false;
  t.shape.assign(type.getShape().begin(), type.getShape().end());
  if (mlir::isa<mlir::FloatType>(type.getElementType())) {
    for (const llvm::APFloat &v : attr.getValues<llvm::APFloat>()) {
      llvm::APFloat f = v;
      bool lost;
      f.convert(llvm::APFloat::IEEEsingle(), llvm::APFloat::rmNearestTiesToEven,
                &lost);
      t.floats.push_back(f.convertToFloat());
    }
    return true;
  }
  bool isUnsigned = type.getElementType().isUnsignedInteger() ||
                    type.getElementType().isInteger(1);
  for (const llvm::APInt &v : attr.getValues<llvm::APInt>())
    t.ints.push_back(isUnsigned ? int64_t(v.getZExtValue()) : v.getSExtValue());
  return true;
}

/// Encodes one AttrValue (see the file comment); null when it has none.
inline mlir::Attribute encodeTfAttr(mlir::MLIRContext *ctx,
                                    const proto::TfAttr &a) {
  using proto::TfAttr;
  mlir::Builder b(ctx);
  auto dict = [&](llvm::StringRef key, mlir::Attribute value) {
    return b.getDictionaryAttr(b.getNamedAttr(key, value));
  };
  auto type = [&](proto::TfDType t) -> mlir::Attribute {
    if (mlir::Type mt = tfDTypeToType(ctx, t))
      return mlir::TypeAttr::get(mt);
    return dict("dtype", b.getI64IntegerAttr(int64_t(t)));
  };
  auto shape = [&](const proto::TfShape &s) -> mlir::Attribute {
    if (s.unknownRank)
      return dict("unknown_rank", b.getUnitAttr());
    return b.getDenseI64ArrayAttr(s.dims);
  };
  auto list = [&](size_t n, auto &&element) -> mlir::Attribute {
    llvm::SmallVector<mlir::Attribute> items;
    for (size_t i = 0; i < n; ++i) {
      mlir::Attribute item = element(i);
      if (!item)
        return nullptr;
      items.push_back(item);
    }
    return b.getArrayAttr(items);
  };
  switch (a.kind) {
  case TfAttr::None:
    return b.getUnitAttr();
  case TfAttr::String:
    return b.getStringAttr(a.s);
  case TfAttr::Int:
    return b.getI64IntegerAttr(a.i);
  case TfAttr::Float:
    return b.getF32FloatAttr(a.f);
  case TfAttr::Bool:
    return b.getBoolAttr(a.b);
  case TfAttr::Type:
    return type(a.type);
  case TfAttr::Shape:
    return shape(a.shape);
  case TfAttr::Tensor:
    return tfTensorToAttr(ctx, a.tensor);
  case TfAttr::ListString:
    return list(a.listS.size(), [&](size_t i) -> mlir::Attribute {
      return b.getStringAttr(a.listS[i]);
    });
  case TfAttr::ListInt:
    return list(a.listI.size(), [&](size_t i) -> mlir::Attribute {
      return b.getI64IntegerAttr(a.listI[i]);
    });
  case TfAttr::ListFloat:
    return list(a.listF.size(), [&](size_t i) -> mlir::Attribute {
      return b.getF32FloatAttr(a.listF[i]);
    });
  case TfAttr::ListBool:
    return list(a.listB.size(), [&](size_t i) -> mlir::Attribute {
      return b.getBoolAttr(a.listB[i]);
    });
  case TfAttr::ListType:
    return list(a.listType.size(),
                [&](size_t i) { return type(a.listType[i]); });
  case TfAttr::ListShape:
    return list(a.listShape.size(),
                [&](size_t i) { return shape(a.listShape[i]); });
  case TfAttr::ListTensor:
    return list(a.listTensor.size(), [&](size_t i) -> mlir::Attribute {
      return tfTensorToAttr(ctx, a.listTensor[i]);
    });
  case TfAttr::ListEmpty:
    return b.getArrayAttr({});
  case TfAttr::Func:
  case TfAttr::ListFunc:
  case TfAttr::Placeholder:
    break;
  }
  auto func = [&](const TfAttr &f) -> mlir::Attribute {
    llvm::SmallVector<mlir::NamedAttribute> attrs;
    for (const auto &[key, value] : f.funcAttrs) {
      mlir::Attribute v = encodeTfAttr(ctx, value);
      if (!v)
        return nullptr;
      attrs.push_back(b.getNamedAttr(key, v));
    }
    return b.getDictionaryAttr(
        {b.getNamedAttr("func", b.getStringAttr(f.s)),
         b.getNamedAttr("attrs", b.getDictionaryAttr(attrs))});
  };
  if (a.kind == TfAttr::Placeholder)
    return dict("placeholder", b.getStringAttr(a.s));
  if (a.kind == TfAttr::Func)
    return func(a);
  return list(a.listFunc.size(), [&](size_t i) { return func(a.listFunc[i]); });
}

/// Decodes what encodeTfAttr made; nullopt for anything else.
inline std::optional<proto::TfAttr> decodeTfAttr(mlir::Attribute attr) {
  using proto::TfAttr;
  TfAttr a;
  if (mlir::isa<mlir::UnitAttr>(attr))
    return a;
  if (auto s = mlir::dyn_cast<mlir::StringAttr>(attr)) {
    a.kind = TfAttr::String;
    a.s = s.str();
    return a;
  }
  if (auto v = mlir::dyn_cast<mlir::BoolAttr>(attr)) {
    a.kind = TfAttr::Bool;
    a.b = v.getValue();
    return a;
  }
  if (auto v = mlir::dyn_cast<mlir::IntegerAttr>(attr)) {
    a.kind = TfAttr::Int;
    a.i = v.getInt();
    return a;
  }
  if (auto v = mlir::dyn_cast<mlir::FloatAttr>(attr)) {
    a.kind = TfAttr::Float;
    a.f = float(v.getValueAsDouble());
    return a;
  }
  if (auto v = mlir::dyn_cast<mlir::TypeAttr>(attr)) {
    a.kind = TfAttr::Type;
    a.type = typeToTfDType(v.getValue());
    if (a.type == proto::TfDType::Invalid)
      return std::nullopt;
    return a;
  }
  if (auto v = mlir::dyn_cast<mlir::DenseI64ArrayAttr>(attr)) {
    a.kind = TfAttr::Shape;
    a.shape.dims.assign(v.asArrayRef().begin(), v.asArrayRef().end());
    return a;
  }
  if (auto v = mlir::dyn_cast<mlir::DenseElementsAttr>(attr)) {
    a.kind = TfAttr::Tensor;
    if (!attrToTfTensor(v, a.tensor))
      return std::nullopt;
    return a;
  }
  if (auto d = mlir::dyn_cast<mlir::DictionaryAttr>(attr)) {
    if (auto t = d.getAs<mlir::IntegerAttr>("dtype")) {
      a.kind = TfAttr::Type;
      a.type = proto::TfDType(t.getInt());
      return a;
    }
    if (d.get("unknown_rank")) {
      a.kind = TfAttr::Shape;
      a.shape.unknownRank = true;
      return a;
    }
    if (auto p = d.getAs<mlir::StringAttr>("placeholder")) {
      a.kind = TfAttr::Placeholder;
      a.s = p.str();
      return a;
    }
    auto f = d.getAs<mlir::StringAttr>("func");
    auto fa = d.getAs<mlir::DictionaryAttr>("attrs");
    if (!f || !fa)
      return std::nullopt;
    a.kind = TfAttr::Func;
    a.s = f.str();
    for (mlir::NamedAttribute n : fa) {
      auto v = decodeTfAttr(n.getValue());
      if (!v)
        return std::nullopt;
      a.funcAttrs[n.getName().str()] = *v;
    }
    return a;
  }
  auto array = mlir::dyn_cast<mlir::ArrayAttr>(attr);
  if (!array)
    return std::nullopt;
  if (array.empty()) {
    a.kind = TfAttr::ListEmpty;
    return a;
  }
  for (mlir::Attribute item : array) {
    auto v = decodeTfAttr(item);
    if (!v)
      return std::nullopt;
    switch (v->kind) {
    case TfAttr::String:
      a.kind = TfAttr::ListString;
      a.listS.push_back(v->s);
      break;
    case TfAttr::Int:
      a.kind = TfAttr::ListInt;
      a.listI.push_back(v->i);
      break;
    case TfAttr::Float:
      a.kind = TfAttr::ListFloat;
      a.listF.push_back(v->f);
      break;
    case TfAttr::Bool:
      a.kind = TfAttr::ListBool;
      a.listB.push_back(v->b);
      break;
    case TfAttr::Type:
      a.kind = TfAttr::ListType;
      a.listType.push_back(v->type);
      break;
    case TfAttr::Shape:
      a.kind = TfAttr::ListShape;
      a.listShape.push_back(v->shape);
      break;
    case TfAttr::Tensor:
      a.kind = TfAttr::ListTensor;
      a.listTensor.push_back(v->tensor);
      break;
    case TfAttr::Func:
      a.kind = TfAttr::ListFunc;
      a.listFunc.push_back(*v);
      break;
    default:
      return std::nullopt;
    }
  }
  return a;
}

/// The record of `node` (see the file comment) as a dictionary of
/// tfg.tf_op / tfg.tf_attrs / tfg.tf_inputs. Attributes without an encoding
/// are left out.
inline llvm::SmallVector<mlir::NamedAttribute>
recordTfNode(mlir::MLIRContext *ctx, const proto::TfNode &node) {
  mlir::Builder b(ctx);
  llvm::SmallVector<mlir::NamedAttribute> attrs;
  for (const auto &[key, value] : node.attrs) {
    if (node.op == "Const" && key == "value")
      continue;
    if (mlir::Attribute v = encodeTfAttr(ctx, value))
      attrs.push_back(b.getNamedAttr(key, v));
  }
  llvm::SmallVector<mlir::Attribute> inputs;
  for (const std::string &input : node.inputs)
    inputs.push_back(b.getStringAttr(input));
  return {b.getNamedAttr(kTfOpAttr, b.getStringAttr(node.op)),
          b.getNamedAttr(kTfAttrsAttr, b.getDictionaryAttr(attrs)),
          b.getNamedAttr(kTfInputsAttr, b.getArrayAttr(inputs))};
}

} // namespace vai

#endif // VAI_EXPORT_TFNODERECORD_H

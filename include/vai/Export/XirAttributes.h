//===- XirAttributes.h - XIR attribute values as MLIR attributes -*- C++
//-*-===//
//
// A lossless, kind-preserving mapping between XIR's AttrValue (every
// alternative of serial_v2.AttrValue) and MLIR attributes, shared by the
// xmodel importer and the writer of quantized graphs so that an op read
// from an xmodel is written back with the same attribute kinds:
//
//   bool -> BoolAttr            int32/int64 -> i32/i64 IntegerAttr
//   uint32/uint64 -> ui32/ui64  float/double -> f32/f64 FloatAttr
//   string -> StringAttr        bytes -> dense<...> : tensor<Nxi8>
//   bool/int32/int64/float/double vectors -> array<i1|i32|i64|f32|f64: ...>
//   uint32/uint64 vectors -> dense<...> : tensor<Nxui32|ui64>
//   string vectors -> [StringAttr...]
//   bytes vectors and the string-keyed maps -> {xir.kind = "<kind>",
//   value = ...} (a tag, because their MLIR forms are ambiguous when empty)
//
//===----------------------------------------------------------------------===//

#ifndef VAI_EXPORT_XIRATTRIBUTES_H
#define VAI_EXPORT_XIRATTRIBUTES_H

#include "mlir/IR/BuiltinAttributes.h"
#include "vai/Proto/XModel.h"
#include <string>

namespace vai {

/// The MLIR attribute standing for \p value.
mlir::Attribute encodeXirAttr(mlir::MLIRContext *context,
                              const proto::XAttr &value);

/// A dictionary of encoded attributes, one entry per map key.
mlir::DictionaryAttr encodeXirAttrs(mlir::MLIRContext *context,
                                    const proto::XAttrMap &attrs);

/// The XIR value of \p attr. False with \p error set when \p attr has no
/// XIR form (for instance a nested dictionary without the kind tag).
bool decodeXirAttr(mlir::Attribute attr, proto::XAttr &value,
                   std::string &error);

/// Decodes every entry of \p dict into \p attrs; \p error names the key.
bool decodeXirAttrs(mlir::DictionaryAttr dict, proto::XAttrMap &attrs,
                    std::string &error);

/// XIR's (data_type, bit_width) of a tensor of \p elementType: f32 is
/// FLOAT32, signless iN XINT, siN INT, uiN UINT; a `!quant.fix` element is
/// FLOAT32 too, as in XIR's quantized graphs where `fix` ops keep float
/// tensors.
void xirDataTypeOf(mlir::Type elementType, int32_t &dataType,
                   int32_t &bitWidth);

} // namespace vai

#endif // VAI_EXPORT_XIRATTRIBUTES_H

//===- TfgDialect.cpp - tfg dialect registration --------------------------===//

#include "vai/Dialect/Tfg/TfgDialect.h"
#include "mlir/IR/DialectImplementation.h"
#include "vai/Dialect/Tfg/TfgOps.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace vai::tfg;

#include "vai/Dialect/Tfg/TfgDialect.cpp.inc"
#include "vai/Dialect/Tfg/TfgEnums.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "vai/Dialect/Tfg/TfgAttrs.cpp.inc"

void TfgDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "vai/Dialect/Tfg/TfgOps.cpp.inc"
      >();
  addAttributes<
#define GET_ATTRDEF_LIST
#include "vai/Dialect/Tfg/TfgAttrs.cpp.inc"
      >();
}

Operation *TfgDialect::materializeConstant(OpBuilder &builder, Attribute value,
                                           Type type, Location loc) {
  auto elements = dyn_cast<ElementsAttr>(value);
  if (!elements || elements.getType() != type)
    return nullptr;
  return ConstOp::create(builder, loc, elements);
}

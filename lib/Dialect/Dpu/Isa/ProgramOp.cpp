//===- ProgramOp.cpp - dpu.program syntax and verifier --------------------===//

#include "mlir/IR/OpImplementation.h"
#include "vai/Dialect/Dpu/DpuOps.h"
#include "vai/Dialect/Dpu/Isa.h"

using namespace mlir;
using namespace vai::dpu;

// dpu.program "name" isa1 (attributes {...})? { instructions }
ParseResult ProgramOp::parse(OpAsmParser &parser, OperationState &result) {
  std::string name;
  StringRef isa;
  if (parser.parseString(&name) || parser.parseKeyword(&isa))
    return failure();
  Builder &builder = parser.getBuilder();
  result.addAttribute(getNameAttrName(result.name),
                      builder.getStringAttr(name));
  result.addAttribute(getIsaAttrName(result.name), builder.getStringAttr(isa));
  if (parser.parseOptionalAttrDictWithKeyword(result.attributes))
    return failure();
  Region *code = result.addRegion();
  if (parser.parseRegion(*code, /*arguments=*/{}))
    return failure();
  if (code->empty())
    code->push_back(new Block());
  return success();
}

void ProgramOp::print(OpAsmPrinter &printer) {
  printer << ' ';
  printer.printString(getName());
  printer << ' ' << getIsa();
  printer.printOptionalAttrDictWithKeyword(
      (*this)->getAttrs(), {getNameAttrName(), getIsaAttrName()});
  printer << ' ';
  printer.printRegion(getCode(), /*printEntryBlockArgs=*/false,
                      /*printBlockTerminators=*/false);
}

LogicalResult ProgramOp::verify() {
  std::optional<isa::Isa> programIsa = isa::parseIsaName(getIsa());
  if (!programIsa || getIsa() != isa::getIsaName(*programIsa))
    return emitOpError() << "isa must be isa0 or isa1, not '" << getIsa()
                         << "'";
  for (Operation &op : getBody()->getOperations()) {
    const isa::InstrDesc *desc = isa::lookupInstr(op.getName().getStringRef());
    if (!desc || desc->isa != *programIsa)
      return op.emitOpError() << "is not an " << getIsa()
                              << " instruction and cannot be in this program";
  }
  return success();
}

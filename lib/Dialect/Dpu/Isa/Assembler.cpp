//===- Assembler.cpp - dpu instruction ops to mc_code bytes ---------------===//

#include "vai/Dialect/Dpu/DpuOps.h"
#include "vai/Dialect/Dpu/Isa.h"
#include "llvm/Support/Endian.h"

using namespace mlir;
using namespace vai::dpu;
using namespace vai::dpu::isa;

LogicalResult vai::dpu::isa::assemble(ProgramOp program,
                                      std::vector<uint8_t> &out) {
  std::optional<Isa> isa = parseIsaName(program.getIsa());
  if (!isa)
    return program.emitOpError() << "unknown isa '" << program.getIsa() << "'";
  uint32_t words[16];
  for (Operation &op : program.getBody()->getOperations()) {
    const InstrDesc *desc = lookupInstr(op.getName().getStringRef());
    if (!desc || desc->isa != *isa)
      return op.emitOpError()
             << "is not an " << getIsaName(*isa) << " instruction";
    std::fill(words, words + desc->numWords, 0);
    words[0] = desc->opcode << 28;
    for (const FieldDesc &field : desc->fields) {
      auto value = op.getAttrOfType<IntegerAttr>(field.name);
      if (!value)
        return op.emitOpError() << "lacks field '" << field.name << "'";
      if (value.getInt() < 0 || uint64_t(value.getInt()) > field.maxValue())
        return op.emitOpError()
               << "field '" << field.name << "' = " << value.getInt()
               << " does not fit " << field.width() << " bits";
      words[field.word] |= uint32_t(value.getInt()) << field.lo;
    }
    size_t at = out.size();
    out.resize(at + 4 * desc->numWords);
    for (unsigned w = 0; w < desc->numWords; ++w)
      llvm::support::endian::write32le(out.data() + at + 4 * w, words[w]);
  }
  return success();
}

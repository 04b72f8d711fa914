//===- Disassembler.cpp - mc_code bytes to dpu instruction ops ------------===//

#include "vai/Dialect/Dpu/DpuOps.h"
#include "vai/Dialect/Dpu/Isa.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace vai::dpu;
using namespace vai::dpu::isa;

namespace {
std::string hex32(uint32_t v) {
  std::string s;
  llvm::raw_string_ostream(s) << llvm::format_hex(v, 10);
  return s;
}
} // namespace

bool vai::dpu::isa::scanCode(llvm::ArrayRef<uint8_t> code, Isa isa,
                             llvm::function_ref<void(size_t, const InstrDesc &,
                                                     llvm::ArrayRef<uint32_t>)>
                                 fn,
                             std::string &error) {
  llvm::ArrayRef<const InstrDesc *> table = getInstrTable(isa);
  uint32_t words[16];
  size_t offset = 0;
  while (offset < code.size()) {
    auto fail = [&](const llvm::Twine &why) {
      error = ("byte offset " + llvm::Twine(offset) + ": " + why).str();
      return false;
    };
    if (code.size() - offset < 4)
      return fail("truncated instruction: " +
                  llvm::Twine(code.size() - offset) + " trailing byte(s)");
    words[0] = llvm::support::endian::read32le(code.data() + offset);
    const InstrDesc *desc = table[opcodeOf(words[0])];
    if (!desc)
      return fail("unknown " + getIsaName(isa) + " opcode " +
                  llvm::Twine(opcodeOf(words[0])) + " (word " +
                  hex32(words[0]) + ")");
    size_t bytes = 4 * desc->numWords;
    if (code.size() - offset < bytes)
      return fail("truncated " + llvm::StringRef(desc->mnemonic).upper() +
                  ": needs " + llvm::Twine(bytes) + " bytes, " +
                  llvm::Twine(code.size() - offset) + " left");
    for (unsigned w = 1; w < desc->numWords; ++w)
      words[w] = llvm::support::endian::read32le(code.data() + offset + 4 * w);
    for (unsigned w = 0; w < desc->numWords; ++w)
      if (uint32_t bad = words[w] & desc->reservedMask[w])
        return fail("reserved bit(s) " + hex32(bad) + " of word " +
                    llvm::Twine(w) + " of " +
                    llvm::StringRef(desc->mnemonic).upper() +
                    " are set (word " + hex32(words[w]) + ")");
    fn(offset, *desc, llvm::ArrayRef<uint32_t>(words, desc->numWords));
    offset += bytes;
  }
  return true;
}

ProgramOp vai::dpu::isa::disassemble(OpBuilder &builder, Location loc,
                                     llvm::StringRef name, Isa isa,
                                     llvm::ArrayRef<uint8_t> code,
                                     std::string &error,
                                     llvm::StringRef layerOf) {
  MLIRContext *context = builder.getContext();
  // Op names and attribute names resolved once per opcode, not per op.
  struct Cached {
    std::optional<OperationName> opName;
    SmallVector<StringAttr> fieldNames;
  };
  Cached cache[16];
  for (const InstrDesc *desc : getInstrTable(isa)) {
    if (!desc)
      continue;
    Cached &entry = cache[desc->opcode];
    entry.opName.emplace(desc->operationName, context);
    for (const FieldDesc &field : desc->fields)
      entry.fieldNames.push_back(StringAttr::get(context, field.name));
  }
  Type i64 = builder.getI64Type();

  auto program = ProgramOp::create(
      builder, loc, name, getIsaName(isa),
      layerOf.empty() ? StringAttr() : builder.getStringAttr(layerOf));
  Block *body = new Block();
  program.getCode().push_back(body);
  SmallVector<NamedAttribute, 24> attrs;
  bool ok = scanCode(
      code, isa,
      [&](size_t, const InstrDesc &desc, llvm::ArrayRef<uint32_t> words) {
        Cached &entry = cache[desc.opcode];
        attrs.clear();
        for (auto [field, attrName] :
             llvm::zip_equal(desc.fields, entry.fieldNames)) {
          attrs.emplace_back(attrName,
                             IntegerAttr::get(i64, field.extract(words)));
        }
        OperationState state(loc, *entry.opName);
        state.attributes.append(attrs);
        body->push_back(Operation::create(state));
      },
      error);
  if (!ok) {
    program.erase();
    return nullptr;
  }
  return program;
}

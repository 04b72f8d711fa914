//===- InstrTable.cpp - Per-ISA instruction tables ------------------------===//
//
// Collects the field lists that ODS generated from DpuInstructions.td into one
// table per ISA, indexed by opcode. The decoder and the encoder both read
// only these tables.
//
//===----------------------------------------------------------------------===//

#include "vai/Dialect/Dpu/DpuOps.h"
#include "vai/Dialect/Dpu/Isa.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/ErrorHandling.h"
#include <array>
#include <memory>
#include <type_traits>

using namespace vai::dpu::isa;
using llvm::StringRef;

namespace {

struct Tables {
  std::array<std::array<const InstrDesc *, 16>, 2> byOpcode{};
  llvm::StringMap<const InstrDesc *> byName;
  std::vector<std::unique_ptr<InstrDesc>> storage;
};

/// Instruction ops are the dpu ops whose ODS class carries a field table.
template <typename OpT, typename = void>
struct IsInstruction : std::false_type {};
template <typename OpT>
struct IsInstruction<OpT, std::void_t<decltype(OpT::kFieldBits)>>
    : std::true_type {};

/// A broken field list in the .td is a bug in this program, not in the input.
[[noreturn]] void badTable(StringRef op, const llvm::Twine &why) {
  llvm::report_fatal_error(llvm::Twine("DpuInstructions.td: ") + op + ": " +
                           why);
}

template <typename OpT> void addIfInstruction(Tables &tables) {
  if constexpr (IsInstruction<OpT>::value) {
    auto desc = std::make_unique<InstrDesc>();
    desc->isa = static_cast<Isa>(OpT::kIsa);
    desc->opcode = OpT::kOpcode;
    desc->numWords = OpT::kNumWords;
    desc->mnemonic = OpT::kMnemonic;
    desc->operationName = OpT::getOperationName();
    // Every bit starts reserved; the opcode and each field claim theirs.
    desc->reservedMask.assign(desc->numWords, ~uint32_t(0));
    desc->reservedMask[0] &= ~(uint32_t(0xF) << 28);
    static_assert(std::size(OpT::kFieldNames) == std::size(OpT::kFieldBits));
    for (size_t i = 0; i < std::size(OpT::kFieldNames); ++i) {
      FieldDesc field{OpT::kFieldNames[i], OpT::kFieldBits[i][0],
                      OpT::kFieldBits[i][1], OpT::kFieldBits[i][2]};
      if (field.word >= desc->numWords || field.hi > 31 || field.lo > field.hi)
        badTable(desc->operationName,
                 llvm::Twine("field ") + field.name + " out of range");
      if ((desc->reservedMask[field.word] & field.mask()) != field.mask())
        badTable(desc->operationName,
                 llvm::Twine("field ") + field.name + " overlaps");
      desc->reservedMask[field.word] &= ~field.mask();
      desc->fields.push_back(field);
    }
    auto &slot = tables.byOpcode[OpT::kIsa][desc->opcode];
    if (slot)
      badTable(desc->operationName, "opcode used twice");
    slot = desc.get();
    tables.byName[desc->operationName] = desc.get();
    tables.storage.push_back(std::move(desc));
  }
}

template <typename... OpTs> Tables buildTables() {
  Tables tables;
  (addIfInstruction<OpTs>(tables), ...);
  return tables;
}

const Tables &getTables() {
  static const Tables tables = buildTables<
#define GET_OP_LIST
#include "vai/Dialect/Dpu/DpuOps.cpp.inc"
      >();
  return tables;
}

} // namespace

StringRef vai::dpu::isa::getIsaName(Isa isa) {
  return isa == Isa::Isa0 ? "isa0" : "isa1";
}

std::optional<Isa> vai::dpu::isa::parseIsaName(StringRef name) {
  if (name.equals_insensitive("isa0"))
    return Isa::Isa0;
  if (name.equals_insensitive("isa1"))
    return Isa::Isa1;
  return std::nullopt;
}

std::optional<Isa> vai::dpu::isa::isaFromFingerprint(uint64_t fingerprint) {
  // Type byte 1 = DPUCZDX8G; other families encode differently.
  if ((fingerprint >> 56) != 1)
    return std::nullopt;
  switch ((fingerprint >> 48) & 0xFF) {
  case 0:
    return Isa::Isa0;
  case 1:
    return Isa::Isa1;
  default:
    return std::nullopt;
  }
}

std::optional<Isa> vai::dpu::isa::isaFromDpuName(StringRef dpuName) {
  if (!dpuName.starts_with("DPUCZDX8G"))
    return std::nullopt;
  if (dpuName.contains("_ISA0"))
    return Isa::Isa0;
  if (dpuName.contains("_ISA1"))
    return Isa::Isa1;
  return std::nullopt;
}

llvm::ArrayRef<const InstrDesc *> vai::dpu::isa::getInstrTable(Isa isa) {
  return getTables().byOpcode[static_cast<unsigned>(isa)];
}

const InstrDesc *vai::dpu::isa::lookupInstr(StringRef operationName) {
  return getTables().byName.lookup(operationName);
}

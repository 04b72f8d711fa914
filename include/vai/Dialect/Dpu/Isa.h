//===- Isa.h - DPU machine code <-> dpu instruction ops ---------*- C++ -*-===//
//
// Disassembler and assembler between DPU `mc_code` bytes and the instruction
// ops of the dpu dialect (`dpu.program` holding `dpu.isa1.*` / `dpu.isa0.*`).
// Both directions go through one table per ISA, built from the field lists
// of dialects/dpu/DpuInstructions.td; nothing else knows a bit position.
//
//===----------------------------------------------------------------------===//

#ifndef VAI_DIALECT_DPU_ISA_H
#define VAI_DIALECT_DPU_ISA_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/Operation.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace vai {
namespace dpu {
class ProgramOp;

namespace isa {

/// The DPUCZDX8G instruction sets we decode.
enum class Isa : unsigned { Isa0 = 0, Isa1 = 1 };

/// "isa0" / "isa1".
llvm::StringRef getIsaName(Isa isa);
std::optional<Isa> parseIsaName(llvm::StringRef name);
/// The ISA byte of a DPU fingerprint (bits 55:48; Vitis-AI
/// target_factory.cpp), if it names an ISA we know.
std::optional<Isa> isaFromFingerprint(uint64_t fingerprint);
/// The ISA named in a DPU name such as "DPUCZDX8G_ISA1_B4096".
std::optional<Isa> isaFromDpuName(llvm::StringRef dpuName);

/// Bits [hi:lo] of 32-bit word `word` of an instruction.
struct FieldDesc {
  llvm::StringRef name;
  unsigned word, hi, lo;

  unsigned width() const { return hi - lo + 1; }
  uint32_t mask() const {
    return width() == 32 ? ~uint32_t(0) : ((uint32_t(1) << width()) - 1) << lo;
  }
  /// The largest value the field holds.
  uint32_t maxValue() const { return mask() >> lo; }
  /// The field's value in an instruction's words.
  uint32_t extract(llvm::ArrayRef<uint32_t> words) const {
    return (words[word] & mask()) >> lo;
  }
};

/// One instruction of one ISA.
struct InstrDesc {
  Isa isa;
  unsigned opcode;
  unsigned numWords;
  llvm::StringRef mnemonic;      // "load"
  llvm::StringRef operationName; // "dpu.isa1.load"
  std::vector<FieldDesc> fields;
  /// Per word, the bits no field (nor the opcode) covers: they must be 0.
  std::vector<uint32_t> reservedMask;

  /// The field named `name`, or null.
  const FieldDesc *field(llvm::StringRef name) const {
    for (const FieldDesc &f : fields)
      if (f.name == name)
        return &f;
    return nullptr;
  }
};

/// The opcode of an instruction: word 0, bits 31:28 (ISA1.md §2).
inline unsigned opcodeOf(uint32_t word0) { return word0 >> 28; }

/// The instructions of `isa`, indexed by opcode (16 entries; null = no
/// instruction has that opcode).
llvm::ArrayRef<const InstrDesc *> getInstrTable(Isa isa);
/// The descriptor of an instruction op name ("dpu.isa1.conv"), or null.
const InstrDesc *lookupInstr(llvm::StringRef operationName);

/// Walks `code` instruction by instruction, checking the opcode, the length
/// and the reserved bits, and calls `fn` with the byte offset, descriptor and
/// words of each. On bad code returns false with `error` = "byte offset N:
/// reason".
bool scanCode(llvm::ArrayRef<uint8_t> code, Isa isa,
              llvm::function_ref<void(size_t offset, const InstrDesc &desc,
                                      llvm::ArrayRef<uint32_t> words)>
                  fn,
              std::string &error);

/// Builds `dpu.program "<name>" <isa> { ... }` from `code` at the builder's
/// insertion point (with `layer_of` if `layerOf` is not empty). On bad code
/// nothing is built, null is returned and `error` says where and why (see
/// scanCode).
ProgramOp disassemble(mlir::OpBuilder &builder, mlir::Location loc,
                      llvm::StringRef name, Isa isa,
                      llvm::ArrayRef<uint8_t> code, std::string &error,
                      llvm::StringRef layerOf = {});

/// Appends the machine code of `program` to `out` (little-endian words).
/// Reports a diagnostic at the offending op and fails on an op that is no
/// instruction of the program's ISA or a field value that does not fit.
mlir::LogicalResult assemble(ProgramOp program, std::vector<uint8_t> &out);

} // namespace isa
} // namespace dpu
} // namespace vai

#endif // VAI_DIALECT_DPU_ISA_H

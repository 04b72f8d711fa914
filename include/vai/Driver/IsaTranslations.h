//===- IsaTranslations.h - Machine-code translations -----------*- C++ -*-===//

#ifndef VAI_DRIVER_ISATRANSLATIONS_H
#define VAI_DRIVER_ISATRANSLATIONS_H

namespace vai {

/// Registers --disassemble-xmodel, --disassemble-mc, --assemble-mc and
/// --mc-stats (docs/isa.md).
void registerIsaTranslations();

} // namespace vai

#endif // VAI_DRIVER_ISATRANSLATIONS_H

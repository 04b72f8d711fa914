//===- Translations.h - vai-translate's translations ------------*- C++ -*-===//

#ifndef VAI_DRIVER_TRANSLATIONS_H
#define VAI_DRIVER_TRANSLATIONS_H

namespace vai {

/// Registers import-graphdef, export-xmodel, interpret-float and
/// interpret-fixed with mlir-translate's registry.
void registerAllTranslations();

/// Registers simulate-xmodel (lib/Driver/SimulatorTranslations.cpp).
void registerSimulatorTranslations();

} // namespace vai

#endif // VAI_DRIVER_TRANSLATIONS_H

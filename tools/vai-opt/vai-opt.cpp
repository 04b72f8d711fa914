//===- vai-opt.cpp - The vai optimizer driver -----------------------------===//
//
// MlirOptMain over our dialects and passes. MLIR's upstream `quant` dialect
// is deliberately not registered: ours owns the namespace.
//
//===----------------------------------------------------------------------===//

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "vai/Driver/Registration.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  vai::registerAllDialects(registry);
  vai::registerAllPasses();
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "vai optimizer driver\n", registry));
}

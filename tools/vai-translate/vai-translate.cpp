//===- vai-translate.cpp - Model importers, exporters, interpreters -------===//

#include "mlir/Support/LogicalResult.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "mlir/Tools/mlir-translate/MlirTranslateMain.h"
#include "vai/Driver/Translations.h"

int main(int argc, char **argv) {
  vai::registerAllTranslations();
  return mlir::asMainReturnCode(
      mlir::mlirTranslateMain(argc, argv, "vai translation driver\n"));
}

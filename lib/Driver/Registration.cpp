//===- Registration.cpp - Everything vai registers ------------------------===//

#include "vai/Driver/Registration.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/Passes.h"
#include "vai/Dialect/Dpu/Passes.h"
#include "vai/Dialect/Prune/PruneOps.h"
#include "vai/Dialect/Quant/Passes.h"
#include "vai/Dialect/Tfg/Passes.h"
#include "vai/Driver/Pipelines.h"

namespace vai {

void registerAllDialects(mlir::DialectRegistry &registry) {
  registry.insert<tfg::TfgDialect, prune::PruneDialect, quant::QuantDialect,
                  dpu::DpuDialect, mlir::func::FuncDialect,
                  mlir::arith::ArithDialect, mlir::tensor::TensorDialect>();
}

void registerAllPasses() {
  mlir::registerCanonicalizerPass();
  mlir::registerCSEPass();
  mlir::registerSymbolDCEPass();
  tfg::registerTfgPasses();
  quant::registerQuantPasses();
  dpu::registerDpuPasses();
  registerPipelines();
}

} // namespace vai

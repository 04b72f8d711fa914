//===- XModelExporter.h - dpu-level module to .xmodel -----------*- C++ -*-===//

#ifndef VAI_EXPORT_XMODELEXPORTER_H
#define VAI_EXPORT_XMODELEXPORTER_H

#include "mlir/IR/BuiltinOps.h"
#include "vai/Proto/XModel.h"
#include <map>
#include <string>

namespace vai {

/// What a compile produced, as `vai-compile` reports it.
struct CompileSummary {
  struct Subgraph {
    std::string name, device;
    int64_t ops = 0;
    int64_t macs = 0;
    std::vector<std::string> inputs, outputs; ///< boundary tensors
  };
  std::map<std::string, int64_t> opsPerType;
  std::vector<Subgraph> subgraphs;
  int64_t macs = 0;
  int64_t parameterBytes = 0;
  std::string target;

  void print(llvm::raw_ostream &os) const;
};

/// Builds the XIR graph (serial_v2) of a module partitioned by
/// `dpu-partition`: USER/DPU/CPU subgraphs under a root, `*-fix` ops with
/// their fix points, const-fix data in XIR's OHWI weight layout. Emits a
/// diagnostic and fails on anything it cannot express.
mlir::LogicalResult buildXModel(mlir::ModuleOp module, proto::XGraph &graph,
                                CompileSummary *summary = nullptr);

/// Serializes `graph` to `os`; a failure is reported on `module`.
mlir::LogicalResult writeXModelTo(mlir::ModuleOp module,
                                  const proto::XGraph &graph,
                                  llvm::raw_ostream &os);

/// buildXModel + serialization, for `vai-translate --export-xmodel`.
mlir::LogicalResult exportXModel(mlir::ModuleOp module, llvm::raw_ostream &os);

} // namespace vai

#endif // VAI_EXPORT_XMODELEXPORTER_H

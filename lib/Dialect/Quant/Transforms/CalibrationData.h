//===- CalibrationData.h - Inputs for quant-calibrate -----------*- C++ -*-===//
//
// The images quant-calibrate feeds to the float graph, from one of three
// sources chosen by the path: a .npy file (one input, first dimension =
// images), a .npz archive (one array per function argument, matched by the
// argument's `tfg.name` or else by order), or a folder of images
// preprocessed by vai/Support/ImageLoader.h (one NHWC input). Batches are
// read on demand, so an image folder is never held in memory whole.
//
//===----------------------------------------------------------------------===//

#ifndef VAI_LIB_DIALECT_QUANT_TRANSFORMS_CALIBRATIONDATA_H
#define VAI_LIB_DIALECT_QUANT_TRANSFORMS_CALIBRATIONDATA_H

#include "vai/Simulator/NDArray.h"
#include "vai/Support/ImageLoader.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include <memory>
#include <string>
#include <vector>

namespace vai::quant {

class CalibrationData {
public:
  virtual ~CalibrationData() = default;

  /// Opens `path` for the arguments of `func`, checking every array or
  /// image against the argument types. `spec` applies to image folders
  /// only. Errors name the file (and array or argument) at fault.
  static std::unique_ptr<CalibrationData> open(mlir::func::FuncOp func,
                                               const std::string &path,
                                               const PreprocessSpec &spec,
                                               std::string &error);

  /// Images available (the first dimension of every input).
  virtual int64_t numImages() const = 0;

  /// Images [first, first + count), one array per function argument with
  /// `count` as its first dimension.
  virtual bool loadBatch(int64_t first, int64_t count,
                         std::vector<FloatArray> &inputs,
                         std::string &error) = 0;
};

} // namespace vai::quant

#endif // VAI_LIB_DIALECT_QUANT_TRANSFORMS_CALIBRATIONDATA_H

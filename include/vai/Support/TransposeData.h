//===- TransposeData.h - Row-major transposes of constant data --*- C++ -*-===//
//
// The importers and exporters move weights between layouts (OIHW <-> HWIO,
// NCHW <-> NHWC) once, at translation time.
//
//===----------------------------------------------------------------------===//

#ifndef VAI_SUPPORT_TRANSPOSEDATA_H
#define VAI_SUPPORT_TRANSPOSEDATA_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include <cstdint>
#include <vector>

namespace vai {

/// Row-major transpose of `data` of shape `dims`: output dimension i is
/// input dimension perm[i].
template <typename T>
std::vector<T> transposeData(llvm::ArrayRef<int64_t> dims,
                             llvm::ArrayRef<T> data,
                             llvm::ArrayRef<int64_t> perm) {
  bool identity = true;
  for (size_t i = 0; i < perm.size(); ++i)
    identity &= perm[i] == static_cast<int64_t>(i);
  if (identity || data.empty())
    return std::vector<T>(data.begin(), data.end());
  int64_t rank = dims.size();
  llvm::SmallVector<int64_t> strides(rank, 1);
  for (int64_t d = rank - 2; d >= 0; --d)
    strides[d] = strides[d + 1] * dims[d + 1];
  llvm::SmallVector<int64_t> outDims;
  for (int64_t p : perm)
    outDims.push_back(dims[p]);
  std::vector<T> out;
  out.reserve(data.size());
  llvm::SmallVector<int64_t> index(rank, 0);
  for (size_t n = 0; n < data.size(); ++n) {
    int64_t offset = 0;
    for (int64_t i = 0; i < rank; ++i)
      offset += index[i] * strides[perm[i]];
    out.push_back(data[offset]);
    for (int64_t i = rank - 1; i >= 0; --i) {
      if (++index[i] < outDims[i])
        break;
      index[i] = 0;
    }
  }
  return out;
}

/// Reverses the two leading (kernel) dimensions of `data` of shape
/// [kh, kw, ...]: a 180-degree rotation of every kernel.
template <typename T>
std::vector<T> rotateKernels(llvm::ArrayRef<int64_t> dims,
                             llvm::ArrayRef<T> data) {
  int64_t kh = dims[0], kw = dims[1], inner = 1;
  for (size_t i = 2; i < dims.size(); ++i)
    inner *= dims[i];
  std::vector<T> out(data.size());
  for (int64_t y = 0; y < kh; ++y)
    for (int64_t x = 0; x < kw; ++x)
      for (int64_t i = 0; i < inner; ++i)
        out[((kh - 1 - y) * kw + (kw - 1 - x)) * inner + i] =
            data[(y * kw + x) * inner + i];
  return out;
}

/// Our HWIO weights ([kh, kw, C, O]; depthwise [kh, kw, C, M]) in XIR's
/// layout [O, kh, kw, C]. XIR's transposed-conv2d correlates the
/// stride-dilated input with its kernel (Vitis-AI cpu_task
/// transposed-conv2d-fix pads by k - 1 - pad and does not flip; the DPU's
/// compiled code reads tap s-1-dy for output phase dy, ISA1.md §9), so its
/// kernel is ours, ONNX ConvTranspose's, rotated by 180 degrees:
/// `transposedConv` rotates.
template <typename T>
std::vector<T> hwioToXirWeights(llvm::ArrayRef<int64_t> hwio,
                                llvm::ArrayRef<T> data, bool transposedConv) {
  std::vector<T> source(data.begin(), data.end());
  if (transposedConv)
    source = rotateKernels<T>(hwio, source);
  return transposeData<T>(hwio, source, {3, 0, 1, 2});
}

/// The inverse of hwioToXirWeights: XIR [O, kh, kw, C] to our HWIO.
template <typename T>
std::vector<T> xirToHwioWeights(llvm::ArrayRef<int64_t> ohwi,
                                llvm::ArrayRef<T> data, bool transposedConv) {
  std::vector<T> hwio = transposeData<T>(ohwi, data, {1, 2, 3, 0});
  if (transposedConv)
    hwio = rotateKernels<T>({ohwi[1], ohwi[2], ohwi[3], ohwi[0]}, hwio);
  return hwio;
}

} // namespace vai

#endif // VAI_SUPPORT_TRANSPOSEDATA_H

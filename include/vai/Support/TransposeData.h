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

} // namespace vai

#endif // VAI_SUPPORT_TRANSPOSEDATA_H

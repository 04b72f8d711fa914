//===- Npz.h - NumPy .npz archives ------------------------------*- C++ -*-===//
//
// numpy.savez writes a zip archive of .npy members without compression;
// numpy.savez_compressed deflates them. Both are read here (deflate via
// zlib), with the member CRCs checked. Each member is parsed with
// parseNpy, so the dtypes and conversions are those of Npy.h.
//
//===----------------------------------------------------------------------===//

#ifndef VAI_SUPPORT_NPZ_H
#define VAI_SUPPORT_NPZ_H

#include "vai/Simulator/NDArray.h"

#include <string>
#include <vector>

namespace vai {

/// One array of an archive; `name` is the member name without ".npy"
/// (the keyword given to numpy.savez, or "arr_0", "arr_1", ...).
struct NpzEntry {
  std::string name;
  FloatArray array;
};

/// Parses a whole archive in memory, members in archive order. Errors do
/// not name a file; they name the member when one is at fault.
bool parseNpz(const std::string &bytes, std::vector<NpzEntry> &out,
              std::string &error);

/// Reads `path`; errors are prefixed with the path.
bool readNpzFloat(const std::string &path, std::vector<NpzEntry> &out,
                  std::string &error);

} // namespace vai

#endif // VAI_SUPPORT_NPZ_H

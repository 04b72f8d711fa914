//===- Npy.h - NumPy .npy reading and writing --------------------*- C++
//-*-===//
//
// Simulator inputs, outputs and per-node dumps are .npy files so that users
// can compare them with NumPy directly. Supported: format versions 1.0, 2.0
// and 3.0, little-endian, C order; dtypes bool, int8/16/32/64, uint8/16/32/64,
// float32 and float64. Values are converted to the requested element type;
// an integer read that does not fit is an error, not a silent wrap.
//
// Errors are returned as false plus a message; file-level functions prefix
// the message with the path ("x.npy: truncated data: expected 3136 bytes,
// got 100").
//
//===----------------------------------------------------------------------===//

#ifndef VAI_SIMULATOR_NPY_H
#define VAI_SIMULATOR_NPY_H

#include "vai/Simulator/NDArray.h"
#include "vai/Support/FileIO.h"

#include <string>

namespace vai {

/// In-memory parsing of a whole .npy file. Accepts any supported dtype and
/// converts: float64 and integers to float; integers to int8/int32 with a
/// range check (floating-point data is rejected for integer reads).
bool parseNpy(const std::string &bytes, FloatArray &out, std::string &error);
bool parseNpy(const std::string &bytes, Int8Array &out, std::string &error);
bool parseNpy(const std::string &bytes, Int32Array &out, std::string &error);

/// In-memory serialization; the bytes are identical to what numpy.save
/// writes for the same array ('<f4', '|i1', '<i4').
bool serializeNpy(const FloatArray &array, std::string &bytes,
                  std::string &error);
bool serializeNpy(const Int8Array &array, std::string &bytes,
                  std::string &error);
bool serializeNpy(const Int32Array &array, std::string &bytes,
                  std::string &error);

/// File reading. The element conversions are those of parseNpy.
bool readNpyFloat(const std::string &path, FloatArray &out, std::string &error);
bool readNpyInt8(const std::string &path, Int8Array &out, std::string &error);
bool readNpyInt32(const std::string &path, Int32Array &out, std::string &error);

/// Atomic file writing: the data goes to a temporary file beside `path`
/// which is renamed over it, so readers never see a partial file; after a
/// failure neither the temporary nor a new `path` is left behind.
bool writeNpy(const std::string &path, const FloatArray &array,
              std::string &error);
bool writeNpy(const std::string &path, const Int8Array &array,
              std::string &error);
bool writeNpy(const std::string &path, const Int32Array &array,
              std::string &error);

} // namespace vai

#endif // VAI_SIMULATOR_NPY_H

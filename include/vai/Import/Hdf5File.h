//===- Hdf5File.h - Read-only access to HDF5 files --------------*- C++ -*-===//
//
// A small wrapper over the libhdf5 C API for what the Keras importer reads:
// string attributes (fixed or variable length, scalar or arrays) and
// floating-point datasets (float16/32/64, converted to float32). HDF5's
// automatic error printing is switched off; every failure is returned as a
// message naming the file and the object.
//
//===----------------------------------------------------------------------===//

#ifndef VAI_IMPORT_HDF5FILE_H
#define VAI_IMPORT_HDF5FILE_H

#include "llvm/ADT/StringRef.h"
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace vai {

class Hdf5File {
public:
  /// Opens an HDF5 file image held in memory (libhdf5 copies it); `name`
  /// is the file name used in messages. Returns null with `error` set when
  /// `bytes` is not an HDF5 file.
  static std::unique_ptr<Hdf5File>
  openImage(llvm::StringRef bytes, llvm::StringRef name, std::string &error);
  /// Reads `path` from disk and opens it as above.
  static std::unique_ptr<Hdf5File> open(llvm::StringRef path,
                                        std::string &error);
  /// Whether `bytes` starts with the HDF5 superblock signature (a file with
  /// a user block has it later; openImage still accepts those).
  static bool hasSignature(llvm::StringRef bytes);

  ~Hdf5File();
  Hdf5File(const Hdf5File &) = delete;
  Hdf5File &operator=(const Hdf5File &) = delete;

  const std::string &name() const { return fileName; }

  /// Whether a group or dataset exists at `path` ("/" is the root).
  bool hasObject(llvm::StringRef path) const;
  /// Whether the object at `object` has attribute `attr`.
  bool hasAttribute(llvm::StringRef object, llvm::StringRef attr) const;
  /// Reads a string attribute holding one string.
  bool readString(llvm::StringRef object, llvm::StringRef attr,
                  std::string &value, std::string &error) const;
  /// Reads a string attribute as a list (a scalar gives one element).
  bool readStrings(llvm::StringRef object, llvm::StringRef attr,
                   std::vector<std::string> &values, std::string &error) const;
  /// Reads a floating-point dataset as float32, row-major, with its shape.
  bool readFloats(llvm::StringRef path, std::vector<float> &data,
                  std::vector<int64_t> &shape, std::string &error) const;

private:
  Hdf5File(int64_t id, llvm::StringRef name) : file(id), fileName(name) {}

  int64_t file; // hid_t
  std::string fileName;
};

} // namespace vai

#endif // VAI_IMPORT_HDF5FILE_H

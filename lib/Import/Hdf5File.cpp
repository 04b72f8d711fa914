//===- Hdf5File.cpp - Read-only access to HDF5 files ----------------------===//

#include "vai/Import/Hdf5File.h"
#include "llvm/Support/MemoryBuffer.h"
#include <hdf5.h>
#include <type_traits>

namespace vai {

static_assert(std::is_same_v<hid_t, int64_t>, "Hdf5File stores hid_t as int64");

namespace {

/// Closes an HDF5 handle on scope exit.
class Handle {
public:
  Handle(hid_t id, herr_t (*close)(hid_t)) : id(id), close(close) {}
  ~Handle() {
    if (id >= 0)
      close(id);
  }
  Handle(const Handle &) = delete;
  Handle &operator=(const Handle &) = delete;
  bool valid() const { return id >= 0; }
  operator hid_t() const { return id; }

private:
  hid_t id;
  herr_t (*close)(hid_t);
};

/// Silences libhdf5's default error stack printing: failures become our
/// own messages instead of traces on stderr.
void silenceErrors() { H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); }

std::string objectName(llvm::StringRef object) {
  return object.empty() || object == "/" ? "the root group"
                                         : "'" + object.str() + "'";
}

} // namespace

bool Hdf5File::hasSignature(llvm::StringRef bytes) {
  // HDF5 file format specification, "Format Signature" of the superblock.
  return bytes.starts_with(llvm::StringRef("\x89HDF\r\n\x1a\n", 8));
}

std::unique_ptr<Hdf5File> Hdf5File::openImage(llvm::StringRef bytes,
                                              llvm::StringRef name,
                                              std::string &error) {
  silenceErrors();
  Handle fapl(H5Pcreate(H5P_FILE_ACCESS), H5Pclose);
  // The core (memory) driver with a file image reads `bytes`, never the
  // named file; without a backing store nothing is written back.
  if (!fapl.valid() || H5Pset_fapl_core(fapl, 1 << 16, 0) < 0 ||
      H5Pset_file_image(fapl, const_cast<char *>(bytes.data()), bytes.size()) <
          0) {
    error = name.str() + ": cannot set up the HDF5 reader";
    return nullptr;
  }
  // The core driver refuses a name that exists on disk ("file already
  // exists"): give it one that cannot.
  hid_t id = bytes.empty()
                 ? -1
                 : H5Fopen("/nonexistent/vai-hdf5-image", H5F_ACC_RDONLY, fapl);
  if (id < 0) {
    error = name.str() + ": is not an HDF5 file (or it is truncated)";
    return nullptr;
  }
  return std::unique_ptr<Hdf5File>(new Hdf5File(id, name));
}

std::unique_ptr<Hdf5File> Hdf5File::open(llvm::StringRef path,
                                         std::string &error) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!buffer) {
    error = path.str() + ": cannot open: " + buffer.getError().message();
    return nullptr;
  }
  return openImage((*buffer)->getBuffer(), path, error);
}

Hdf5File::~Hdf5File() { H5Fclose(file); }

bool Hdf5File::hasObject(llvm::StringRef path) const {
  if (path.empty() || path == "/")
    return true;
  // H5Lexists needs every intermediate group to exist: walk the path.
  std::string prefix;
  llvm::SmallVector<llvm::StringRef> parts;
  path.split(parts, '/', -1, /*KeepEmpty=*/false);
  for (llvm::StringRef part : parts) {
    prefix += (prefix.empty() ? "" : "/") + part.str();
    if (H5Lexists(file, prefix.c_str(), H5P_DEFAULT) <= 0)
      return false;
  }
  return true;
}

bool Hdf5File::hasAttribute(llvm::StringRef object,
                            llvm::StringRef attr) const {
  std::string obj = object.empty() ? "/" : object.str();
  if (!hasObject(obj))
    return false;
  return H5Aexists_by_name(file, obj.c_str(), attr.str().c_str(), H5P_DEFAULT) >
         0;
}

bool Hdf5File::readStrings(llvm::StringRef object, llvm::StringRef attr,
                           std::vector<std::string> &values,
                           std::string &error) const {
  std::string where =
      fileName + ": attribute '" + attr.str() + "' of " + objectName(object);
  if (!hasAttribute(object, attr)) {
    error = where + " does not exist";
    return false;
  }
  std::string obj = object.empty() ? "/" : object.str();
  Handle a(H5Aopen_by_name(file, obj.c_str(), attr.str().c_str(), H5P_DEFAULT,
                           H5P_DEFAULT),
           H5Aclose);
  if (!a.valid()) {
    error = where + " cannot be opened";
    return false;
  }
  Handle type(H5Aget_type(a), H5Tclose);
  Handle space(H5Aget_space(a), H5Sclose);
  hssize_t count = space.valid() ? H5Sget_simple_extent_npoints(space) : -1;
  if (!type.valid() || count < 0) {
    error = where + " has an unreadable type or shape";
    return false;
  }
  values.clear();
  // An empty list is saved as np.asarray([]), a float64 array.
  if (count == 0)
    return true;
  if (H5Tget_class(type) != H5T_STRING) {
    error = where + " is not a string";
    return false;
  }
  if (H5Tis_variable_str(type) > 0) {
    Handle memType(H5Tcopy(H5T_C_S1), H5Tclose);
    H5Tset_size(memType, H5T_VARIABLE);
    H5Tset_cset(memType, H5Tget_cset(type));
    std::vector<char *> strings(count, nullptr);
    if (H5Aread(a, memType, strings.data()) < 0) {
      error = where + " cannot be read";
      return false;
    }
    for (char *s : strings)
      values.push_back(s ? s : "");
#if H5_VERSION_GE(1, 12, 0)
    H5Treclaim(memType, space, H5P_DEFAULT, strings.data());
#else
    H5Dvlen_reclaim(memType, space, H5P_DEFAULT, strings.data());
#endif
    return true;
  }
  size_t size = H5Tget_size(type);
  std::vector<char> buffer(size * count + 1, '\0');
  if (size == 0 || H5Aread(a, type, buffer.data()) < 0) {
    error = where + " cannot be read";
    return false;
  }
  bool spacePadded = H5Tget_strpad(type) == H5T_STR_SPACEPAD;
  for (hssize_t i = 0; i < count; ++i) {
    llvm::StringRef s(buffer.data() + i * size, size);
    // NULLTERM and NULLPAD strings end at the first NUL.
    s = s.take_until([](char c) { return c == '\0'; });
    if (spacePadded)
      s = s.rtrim(' ');
    values.push_back(s.str());
  }
  return true;
}

bool Hdf5File::readString(llvm::StringRef object, llvm::StringRef attr,
                          std::string &value, std::string &error) const {
  std::vector<std::string> values;
  if (!readStrings(object, attr, values, error))
    return false;
  if (values.size() != 1) {
    error = fileName + ": attribute '" + attr.str() + "' of " +
            objectName(object) + " holds " + std::to_string(values.size()) +
            " strings, expected one";
    return false;
  }
  value = std::move(values[0]);
  return true;
}

bool Hdf5File::readFloats(llvm::StringRef path, std::vector<float> &data,
                          std::vector<int64_t> &shape,
                          std::string &error) const {
  std::string where = fileName + ": dataset '" + path.str() + "'";
  if (!hasObject(path)) {
    error = where + " does not exist";
    return false;
  }
  Handle set(H5Dopen2(file, path.str().c_str(), H5P_DEFAULT), H5Dclose);
  if (!set.valid()) {
    error = where + " is not a dataset";
    return false;
  }
  Handle type(H5Dget_type(set), H5Tclose);
  if (!type.valid() || H5Tget_class(type) != H5T_FLOAT) {
    error = where + " is not floating-point";
    return false;
  }
  Handle space(H5Dget_space(set), H5Sclose);
  int rank = space.valid() ? H5Sget_simple_extent_ndims(space) : -1;
  if (rank < 0) {
    error = where + " has an unreadable shape";
    return false;
  }
  std::vector<hsize_t> dims(rank);
  H5Sget_simple_extent_dims(space, dims.data(), nullptr);
  shape.assign(dims.begin(), dims.end());
  size_t count = 1;
  for (hsize_t d : dims)
    count *= d;
  data.assign(count, 0.0f);
  // libhdf5 converts float16 and float64 to the native float on read.
  if (count && H5Dread(set, H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT,
                       data.data()) < 0) {
    error = where + " cannot be read (truncated file?)";
    return false;
  }
  return true;
}

} // namespace vai

//===- NDArray.h - Dense row-major tensors for the simulators ---*- C++ -*-===//
//
// The one tensor type shared by the float, fixed-point and instruction-level
// interpreters and by the .npy reader/writer. Deliberately plain: a shape and
// a flat row-major (C order) buffer, so kernels can index it directly and the
// Python bindings can hand it to NumPy without a copy of the layout rules.
//
//===----------------------------------------------------------------------===//

#ifndef VAI_SIMULATOR_NDARRAY_H
#define VAI_SIMULATOR_NDARRAY_H

#include <cassert>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

namespace vai {

/// Product of the dimensions; 1 for a rank-0 shape. Negative dimensions are
/// invalid and give -1 so that callers comparing sizes see a mismatch.
inline int64_t shapeNumElements(const std::vector<int64_t> &shape) {
  int64_t n = 1;
  for (int64_t d : shape) {
    if (d < 0)
      return -1;
    n *= d;
  }
  return n;
}

/// A dense tensor in row-major (C) order.
template <typename T> struct NDArray {
  std::vector<int64_t> shape;
  std::vector<T> data;

  NDArray() = default;
  /// A tensor of the given shape with every element set to `fill`.
  explicit NDArray(std::vector<int64_t> shape, T fill = T())
      : shape(std::move(shape)) {
    int64_t n = shapeNumElements(this->shape);
    data.assign(n > 0 ? static_cast<size_t>(n) : 0, fill);
  }
  NDArray(std::vector<int64_t> shape, std::vector<T> data)
      : shape(std::move(shape)), data(std::move(data)) {}

  int64_t numElements() const { return shapeNumElements(shape); }
  size_t rank() const { return shape.size(); }
  int64_t dim(size_t i) const { return shape[i]; }

  /// True when the buffer holds exactly numElements() values; every kernel
  /// checks this before trusting `shape`.
  bool isConsistent() const {
    int64_t n = numElements();
    return n >= 0 && static_cast<size_t>(n) == data.size();
  }

  /// Flat row-major offset of a full index (one entry per dimension).
  int64_t offset(std::initializer_list<int64_t> index) const {
    assert(index.size() == shape.size() && "index rank mismatch");
    int64_t off = 0;
    size_t d = 0;
    for (int64_t i : index) {
      assert(i >= 0 && i < shape[d] && "index out of bounds");
      off = off * shape[d] + i;
      ++d;
    }
    return off;
  }

  T &at(std::initializer_list<int64_t> index) { return data[offset(index)]; }
  const T &at(std::initializer_list<int64_t> index) const {
    return data[offset(index)];
  }

  /// Row-major strides in elements.
  std::vector<int64_t> strides() const {
    std::vector<int64_t> s(shape.size(), 1);
    for (size_t i = shape.size(); i > 1; --i)
      s[i - 2] = s[i - 1] * shape[i - 1];
    return s;
  }

  bool operator==(const NDArray &other) const {
    return shape == other.shape && data == other.data;
  }
  bool operator!=(const NDArray &other) const { return !(*this == other); }
};

using FloatArray = NDArray<float>;
using Int8Array = NDArray<int8_t>;
using Int32Array = NDArray<int32_t>;

/// "[1,28,28,1]", for messages.
inline std::string shapeString(const std::vector<int64_t> &shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i)
      s += ",";
    s += std::to_string(shape[i]);
  }
  return s + "]";
}

/// Checks that `a` holds as many values as its shape says; otherwise sets
/// `error` to "<op>: <what> has N elements but shape [..]".
template <typename T>
bool checkConsistent(const NDArray<T> &a, const char *op, const char *what,
                     std::string &error) {
  if (a.isConsistent())
    return true;
  error = std::string(op) + ": " + what + " has " +
          std::to_string(a.data.size()) + " elements but shape " +
          shapeString(a.shape);
  return false;
}

} // namespace vai

#endif // VAI_SIMULATOR_NDARRAY_H

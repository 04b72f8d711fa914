//===- Npy.cpp - NumPy .npy reading and writing ---------------------------===//
//
// Format reference: numpy/lib/format.py (NEP 1). A file is the magic
// "\x93NUMPY", a major/minor version byte pair, a little-endian header length
// (2 bytes in 1.0, 4 bytes in 2.0/3.0), an ASCII (3.0: UTF-8) Python dict
// literal padded with spaces and ending in '\n', then the raw data.
//
//===----------------------------------------------------------------------===//

#include "vai/Simulator/Npy.h"

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <limits>
#include <type_traits>
#include <unistd.h>

using namespace vai;

namespace {

const char kMagic[] = "\x93NUMPY";
const size_t kMagicLen = 6;
// numpy.lib.format: headers are padded so that the data starts 64-byte
// aligned, and leave room for the first axis to grow to 21 digits.
const size_t kArrayAlign = 64;
const size_t kGrowthAxisMaxDigits = 21;

enum class Kind { Bool, Int, UInt, Float };

struct DType {
  Kind kind = Kind::Float;
  size_t size = 4;
  std::string descr;
};

struct Header {
  DType dtype;
  bool fortranOrder = false;
  std::vector<int64_t> shape;
  size_t dataOffset = 0;
};

bool hostIsLittleEndian() {
  const uint16_t probe = 1;
  unsigned char first;
  std::memcpy(&first, &probe, 1);
  return first == 1;
}

/// Parses the numpy type string ('<f4', '|i1', ...). Only little-endian (or
/// byte-order-free) fixed-size numeric types are accepted.
bool parseDescr(const std::string &descr, DType &dt, std::string &error) {
  auto unsupported = [&]() {
    error = "unsupported dtype '" + descr + "'";
    return false;
  };
  if (descr.size() < 3)
    return unsupported();
  char order = descr[0];
  char kind = descr[1];
  std::string sizeText = descr.substr(2);
  if (sizeText != "1" && sizeText != "2" && sizeText != "4" && sizeText != "8")
    return unsupported();
  size_t size = static_cast<size_t>(sizeText[0] - '0');
  // '=' is native order; numpy itself never writes it, but accept it on the
  // little-endian hosts we run on.
  bool littleOrder = order == '<' || (order == '=' && hostIsLittleEndian());
  if (!(littleOrder || (order == '|' && size == 1)))
    return unsupported();
  switch (kind) {
  case 'b':
    if (size != 1)
      return unsupported();
    dt.kind = Kind::Bool;
    break;
  case 'i':
    dt.kind = Kind::Int;
    break;
  case 'u':
    dt.kind = Kind::UInt;
    break;
  case 'f':
    if (size != 4 && size != 8)
      return unsupported();
    dt.kind = Kind::Float;
    break;
  default:
    return unsupported();
  }
  dt.size = size;
  dt.descr = descr;
  return true;
}

/// A parser for the small subset of Python literal syntax numpy writes in
/// the header: a dict of str keys to str, bool or tuple-of-int values.
class HeaderDictParser {
public:
  explicit HeaderDictParser(const std::string &text) : text(text) {}

  bool parse(Header &h, std::string &error) {
    bool haveDescr = false, haveOrder = false, haveShape = false;
    skipSpace();
    if (!consume('{'))
      return fail("expected '{'", error);
    while (true) {
      skipSpace();
      if (consume('}'))
        break;
      std::string key;
      if (!parseString(key))
        return fail("expected a quoted key", error);
      skipSpace();
      if (!consume(':'))
        return fail("expected ':' after '" + key + "'", error);
      skipSpace();
      if (key == "descr") {
        std::string descr;
        if (!parseString(descr))
          return fail("'descr' is not a simple type string (structured "
                      "dtypes are not supported)",
                      error);
        if (!parseDescr(descr, h.dtype, error))
          return false;
        haveDescr = true;
      } else if (key == "fortran_order") {
        if (consumeWord("True"))
          h.fortranOrder = true;
        else if (consumeWord("False"))
          h.fortranOrder = false;
        else
          return fail("'fortran_order' is not True or False", error);
        haveOrder = true;
      } else if (key == "shape") {
        if (!parseShape(h.shape))
          return fail("'shape' is not a tuple of non-negative integers", error);
        haveShape = true;
      } else {
        return fail("unexpected key '" + key + "'", error);
      }
      skipSpace();
      if (consume(','))
        continue;
      skipSpace();
      if (consume('}'))
        break;
      return fail("expected ',' or '}'", error);
    }
    if (!haveDescr || !haveOrder || !haveShape)
      return fail("missing 'descr', 'fortran_order' or 'shape'", error);
    return true;
  }

private:
  const std::string &text;
  size_t pos = 0;

  bool fail(const std::string &why, std::string &error) {
    error = "malformed header: " + why;
    return false;
  }
  void skipSpace() {
    while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t' ||
                                 text[pos] == '\n' || text[pos] == '\r'))
      ++pos;
  }
  bool consume(char c) {
    if (pos < text.size() && text[pos] == c) {
      ++pos;
      return true;
    }
    return false;
  }
  bool consumeWord(const char *word) {
    size_t n = std::strlen(word);
    if (text.compare(pos, n, word) != 0)
      return false;
    pos += n;
    return true;
  }
  bool parseString(std::string &out) {
    if (pos >= text.size() || (text[pos] != '\'' && text[pos] != '"'))
      return false;
    char quote = text[pos++];
    size_t end = text.find(quote, pos);
    if (end == std::string::npos)
      return false;
    out = text.substr(pos, end - pos);
    pos = end + 1;
    return true;
  }
  bool parseInt(int64_t &value) {
    size_t start = pos;
    value = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      int digit = text[pos] - '0';
      if (value > (std::numeric_limits<int64_t>::max() - digit) / 10)
        return false;
      value = value * 10 + digit;
      ++pos;
    }
    if (pos == start)
      return false;
    consume('L'); // Python 2 longs, written by old numpy versions.
    return true;
  }
  bool parseShape(std::vector<int64_t> &shape) {
    shape.clear();
    if (!consume('('))
      return false;
    while (true) {
      skipSpace();
      if (consume(')'))
        return true;
      int64_t dim;
      if (!parseInt(dim))
        return false;
      shape.push_back(dim);
      skipSpace();
      if (consume(','))
        continue;
      skipSpace();
      return consume(')');
    }
  }
};

bool parseHeader(const std::string &bytes, Header &h, std::string &error) {
  if (bytes.size() < kMagicLen ||
      std::memcmp(bytes.data(), kMagic, kMagicLen) != 0) {
    error = "not a .npy file (bad magic)";
    return false;
  }
  if (bytes.size() < kMagicLen + 2) {
    error = "truncated header";
    return false;
  }
  unsigned major = static_cast<unsigned char>(bytes[kMagicLen]);
  unsigned minor = static_cast<unsigned char>(bytes[kMagicLen + 1]);
  size_t lenBytes;
  if (major == 1 && minor == 0)
    lenBytes = 2;
  else if ((major == 2 || major == 3) && minor == 0)
    lenBytes = 4;
  else {
    error = "unsupported format version " + std::to_string(major) + "." +
            std::to_string(minor);
    return false;
  }
  size_t prefix = kMagicLen + 2 + lenBytes;
  if (bytes.size() < prefix) {
    error = "truncated header";
    return false;
  }
  size_t headerLen = 0;
  for (size_t i = 0; i < lenBytes; ++i)
    headerLen |= static_cast<size_t>(
                     static_cast<unsigned char>(bytes[kMagicLen + 2 + i]))
                 << (8 * i);
  if (bytes.size() - prefix < headerLen) {
    error = "truncated header: expected " + std::to_string(headerLen) +
            " header bytes, got " + std::to_string(bytes.size() - prefix);
    return false;
  }
  std::string text = bytes.substr(prefix, headerLen);
  HeaderDictParser parser(text);
  if (!parser.parse(h, error))
    return false;
  if (h.fortranOrder) {
    error = "fortran_order arrays are not supported (save a C-order array, "
            "e.g. np.ascontiguousarray)";
    return false;
  }
  h.dataOffset = prefix + headerLen;
  return true;
}

/// Decodes one little-endian element as (integer or floating) value.
struct Element {
  bool isFloat;
  double f;
  int64_t i;
  uint64_t u;
  bool isUnsigned;
};

Element decode(const unsigned char *p, const DType &dt) {
  uint64_t bits = 0;
  for (size_t b = 0; b < dt.size; ++b)
    bits |= static_cast<uint64_t>(p[b]) << (8 * b);
  Element e{false, 0.0, 0, 0, false};
  switch (dt.kind) {
  case Kind::Bool:
    e.i = bits != 0;
    break;
  case Kind::Int: {
    unsigned shift = static_cast<unsigned>(64 - 8 * dt.size);
    // Sign-extend from dt.size bytes.
    e.i = static_cast<int64_t>(bits << shift) >> shift;
    break;
  }
  case Kind::UInt:
    e.u = bits;
    e.isUnsigned = true;
    break;
  case Kind::Float:
    e.isFloat = true;
    if (dt.size == 4) {
      uint32_t b32 = static_cast<uint32_t>(bits);
      float v;
      std::memcpy(&v, &b32, 4);
      e.f = v;
    } else {
      std::memcpy(&e.f, &bits, 8);
    }
    break;
  }
  return e;
}

const char *typeName(int8_t) { return "int8"; }
const char *typeName(int32_t) { return "int32"; }

template <typename T>
bool convertElement(const Element &e, T &out, const DType &dt, int64_t index,
                    std::string &error) {
  if constexpr (std::is_floating_point<T>::value) {
    if (e.isFloat)
      out = static_cast<T>(e.f);
    else if (e.isUnsigned)
      out = static_cast<T>(e.u);
    else
      out = static_cast<T>(e.i);
    return true;
  } else {
    if (e.isFloat) {
      error = "dtype '" + dt.descr +
              "' holds floating-point data; cannot read it as " + typeName(T());
      return false;
    }
    const int64_t lo = static_cast<int64_t>(std::numeric_limits<T>::min());
    const int64_t hi = static_cast<int64_t>(std::numeric_limits<T>::max());
    if (e.isUnsigned) {
      if (e.u > static_cast<uint64_t>(hi)) {
        error = "value " + std::to_string(e.u) + " at index " +
                std::to_string(index) + " does not fit in " + typeName(T());
        return false;
      }
      out = static_cast<T>(e.u);
      return true;
    }
    if (e.i < lo || e.i > hi) {
      error = "value " + std::to_string(e.i) + " at index " +
              std::to_string(index) + " does not fit in " + typeName(T());
      return false;
    }
    out = static_cast<T>(e.i);
    return true;
  }
}

/// The descr that numpy.save writes for our element types.
template <typename T> const char *nativeDescr();
template <> const char *nativeDescr<float>() { return "<f4"; }
template <> const char *nativeDescr<int8_t>() { return "|i1"; }
template <> const char *nativeDescr<int32_t>() { return "<i4"; }

template <typename T>
bool parseImpl(const std::string &bytes, NDArray<T> &out, std::string &error) {
  Header h;
  if (!parseHeader(bytes, h, error))
    return false;
  // Size the data with overflow checks: a corrupt shape must not make us
  // allocate or read out of bounds.
  size_t available = bytes.size() - h.dataOffset;
  uint64_t count = 1;
  bool overflow = false;
  for (int64_t d : h.shape) {
    if (d != 0 &&
        count > std::numeric_limits<uint64_t>::max() / static_cast<uint64_t>(d))
      overflow = true;
    count *= static_cast<uint64_t>(d);
  }
  if (!overflow && count > std::numeric_limits<uint64_t>::max() / h.dtype.size)
    overflow = true;
  if (overflow) {
    error = "shape is too large";
    return false;
  }
  uint64_t needed = count * h.dtype.size;
  if (needed > available) {
    error = "truncated data: expected " + std::to_string(needed) +
            " bytes, got " + std::to_string(available);
    return false;
  }
  NDArray<T> result;
  result.shape = h.shape;
  result.data.resize(static_cast<size_t>(count));
  const unsigned char *src =
      reinterpret_cast<const unsigned char *>(bytes.data()) + h.dataOffset;
  if (h.dtype.descr == nativeDescr<T>() && hostIsLittleEndian()) {
    if (count)
      std::memcpy(result.data.data(), src, static_cast<size_t>(needed));
  } else {
    for (uint64_t i = 0; i < count; ++i) {
      Element e = decode(src + i * h.dtype.size, h.dtype);
      if (!convertElement(e, result.data[i], h.dtype, static_cast<int64_t>(i),
                          error))
        return false;
    }
  }
  out = std::move(result);
  return true;
}

std::string shapeRepr(const std::vector<int64_t> &shape) {
  // Python's tuple repr: "()", "(3,)", "(2, 3)".
  std::string s = "(";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i)
      s += ", ";
    s += std::to_string(shape[i]);
  }
  if (shape.size() == 1)
    s += ",";
  return s + ")";
}

template <typename T>
bool serializeImpl(const NDArray<T> &array, std::string &bytes,
                   std::string &error) {
  if (!array.isConsistent()) {
    error = "array has " + std::to_string(array.data.size()) +
            " elements but its shape " + shapeRepr(array.shape) + " needs " +
            std::to_string(array.numElements());
    return false;
  }
  // Reproduces numpy.lib.format._write_array_header byte for byte, so files
  // diff cleanly against numpy.save output.
  std::string dict =
      std::string("{'descr': '") + nativeDescr<T>() +
      "', 'fortran_order': False, 'shape': " + shapeRepr(array.shape) + ", }";
  if (!array.shape.empty()) {
    size_t digits = std::to_string(array.shape[0]).size();
    if (digits < kGrowthAxisMaxDigits)
      dict.append(kGrowthAxisMaxDigits - digits, ' ');
  }
  size_t lenBytes = 2;
  unsigned major = 1;
  size_t headerLen = dict.size() + 1; // The trailing '\n'.
  size_t pad =
      kArrayAlign - (kMagicLen + 2 + lenBytes + headerLen) % kArrayAlign;
  if (headerLen + pad > 0xffff) {
    lenBytes = 4;
    major = 2;
    pad = kArrayAlign - (kMagicLen + 2 + lenBytes + headerLen) % kArrayAlign;
  }
  size_t totalHeader = headerLen + pad;
  bytes.clear();
  bytes.reserve(kMagicLen + 2 + lenBytes + totalHeader +
                array.data.size() * sizeof(T));
  bytes.append(kMagic, kMagicLen);
  bytes.push_back(static_cast<char>(major));
  bytes.push_back(0);
  for (size_t i = 0; i < lenBytes; ++i)
    bytes.push_back(static_cast<char>((totalHeader >> (8 * i)) & 0xff));
  bytes += dict;
  bytes.append(pad, ' ');
  bytes.push_back('\n');
  if (hostIsLittleEndian()) {
    bytes.append(reinterpret_cast<const char *>(array.data.data()),
                 array.data.size() * sizeof(T));
  } else {
    for (const T &v : array.data) {
      unsigned char raw[sizeof(T)];
      std::memcpy(raw, &v, sizeof(T));
      for (size_t b = sizeof(T); b > 0; --b)
        bytes.push_back(static_cast<char>(raw[b - 1]));
    }
  }
  return true;
}

template <typename T>
bool readImpl(const std::string &path, NDArray<T> &out, std::string &error) {
  std::string bytes;
  if (!readWholeFile(path, bytes, error))
    return false;
  if (!parseImpl(bytes, out, error)) {
    error = path + ": " + error;
    return false;
  }
  return true;
}

template <typename T>
bool writeImpl(const std::string &path, const NDArray<T> &array,
               std::string &error) {
  std::string bytes;
  if (!serializeImpl(array, bytes, error)) {
    error = path + ": " + error;
    return false;
  }
  return writeFileAtomically(path, bytes, error);
}

} // namespace

bool vai::parseNpy(const std::string &bytes, FloatArray &out,
                   std::string &error) {
  return parseImpl(bytes, out, error);
}
bool vai::parseNpy(const std::string &bytes, Int8Array &out,
                   std::string &error) {
  return parseImpl(bytes, out, error);
}
bool vai::parseNpy(const std::string &bytes, Int32Array &out,
                   std::string &error) {
  return parseImpl(bytes, out, error);
}

bool vai::serializeNpy(const FloatArray &array, std::string &bytes,
                       std::string &error) {
  return serializeImpl(array, bytes, error);
}
bool vai::serializeNpy(const Int8Array &array, std::string &bytes,
                       std::string &error) {
  return serializeImpl(array, bytes, error);
}
bool vai::serializeNpy(const Int32Array &array, std::string &bytes,
                       std::string &error) {
  return serializeImpl(array, bytes, error);
}

bool vai::readNpyFloat(const std::string &path, FloatArray &out,
                       std::string &error) {
  return readImpl(path, out, error);
}
bool vai::readNpyInt8(const std::string &path, Int8Array &out,
                      std::string &error) {
  return readImpl(path, out, error);
}
bool vai::readNpyInt32(const std::string &path, Int32Array &out,
                       std::string &error) {
  return readImpl(path, out, error);
}

bool vai::writeNpy(const std::string &path, const FloatArray &array,
                   std::string &error) {
  return writeImpl(path, array, error);
}
bool vai::writeNpy(const std::string &path, const Int8Array &array,
                   std::string &error) {
  return writeImpl(path, array, error);
}
bool vai::writeNpy(const std::string &path, const Int32Array &array,
                   std::string &error) {
  return writeImpl(path, array, error);
}

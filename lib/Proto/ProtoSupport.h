//===- ProtoSupport.h - Helpers shared by the proto converters --*- C++ -*-===//
//
// Internal to lib/Proto: the pieces the format converters (GraphDef.cpp,
// XModel.cpp, Caffe.cpp, ...) need around their generated messages, kept in
// one place so the formats parse, report errors and serialize the same way.
//
//===----------------------------------------------------------------------===//

#ifndef VAI_LIB_PROTO_PROTOSUPPORT_H
#define VAI_LIB_PROTO_PROTOSUPPORT_H

#include "QuietProtobufLogs.h"

#include <google/protobuf/message_lite.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <exception>
#include <string>

namespace google::protobuf {
class Message;
} // namespace google::protobuf

namespace vai::proto {

/// Serializes with map entries sorted by key, so equal inputs give equal
/// bytes (plain SerializeToString leaves map order unspecified).
bool serializeDeterministic(const google::protobuf::MessageLite &msg,
                            std::string &bytes);

/// Parses protobuf text format into `msg`, skipping fields the schema does
/// not know (as the binary parser does). On failure returns false and sets
/// `error` to the first error as "line <L><columnSeparator><C>: <message>"
/// (1-based, as editors count; e.g. "line 3:7: ..." with ":"), or to
/// "parse error" when protobuf reported none.
bool parseTextSkippingUnknown(const std::string &text,
                              google::protobuf::Message &msg,
                              const char *columnSeparator, std::string &error);

/// Runs `body` (a callable returning bool) with protobuf's logging silenced,
/// turning any exception into `error` = "<what> failed[: <reason>]". The
/// library is built with -fexceptions but its callers are not, so every
/// public entry point goes through here.
template <typename Body>
bool runGuarded(const char *what, std::string &error, Body &&body) {
  QuietProtobufLogs quiet;
  try {
    return body();
  } catch (const std::exception &e) {
    error = std::string(what) + " failed: " + e.what();
  } catch (...) {
    error = std::string(what) + " failed";
  }
  return false;
}

/// Says where a nested attribute error happened:
/// "<owner> attr '<name>': <error>".
inline void prefixAttrError(const std::string &owner, const std::string &name,
                            std::string &error) {
  error = owner + " attr '" + name + "': " + error;
}

/// IEEE half and bfloat16 conversions, shared by the TF and ONNX readers
/// and writers (both store 16-bit floats as raw bits).
inline float bitsToFloat(uint32_t bits) {
  float f;
  std::memcpy(&f, &bits, sizeof(f));
  return f;
}

inline uint32_t floatToBits(float f) {
  uint32_t bits;
  std::memcpy(&bits, &f, sizeof(bits));
  return bits;
}

inline float halfToFloat(uint16_t h) {
  uint32_t sign = static_cast<uint32_t>(h & 0x8000) << 16;
  uint32_t exp = (h >> 10) & 0x1f;
  uint32_t mant = h & 0x3ff;
  if (exp == 0) {
    if (mant == 0)
      return bitsToFloat(sign);
    // Subnormal half: renormalize into a float.
    exp = 127 - 15 + 1;
    while (!(mant & 0x400)) {
      mant <<= 1;
      --exp;
    }
    mant &= 0x3ff;
    return bitsToFloat(sign | (exp << 23) | (mant << 13));
  }
  if (exp == 31)
    return bitsToFloat(sign | 0x7f800000 | (mant << 13));
  return bitsToFloat(sign | ((exp + 127 - 15) << 23) | (mant << 13));
}

// Round to nearest even, like numpy's float16 conversion.
inline uint16_t floatToHalf(float f) {
  uint32_t x = floatToBits(f);
  uint16_t sign = static_cast<uint16_t>((x >> 16) & 0x8000);
  uint32_t abs = x & 0x7fffffff;
  if (abs >= 0x7f800000) // inf or NaN (keep NaN quiet)
    return sign | 0x7c00 | (abs > 0x7f800000 ? 0x200 : 0);
  if (abs >= 0x477ff000) // >= 65520 rounds to inf
    return sign | 0x7c00;
  if (abs < 0x38800000) { // below 2^-14: subnormal half, exact scaling
    float scaled = bitsToFloat(abs) * 16777216.0f; // * 2^24
    return sign | static_cast<uint16_t>(std::nearbyint(scaled));
  }
  uint32_t mant = abs & 0x7fffff;
  uint32_t h = (((abs >> 23) - 127 + 15) << 10) | (mant >> 13);
  uint32_t rest = mant & 0x1fff;
  if (rest > 0x1000 || (rest == 0x1000 && (h & 1)))
    ++h;
  return sign | static_cast<uint16_t>(h);
}

inline float bf16ToFloat(uint16_t h) { return bitsToFloat(uint32_t(h) << 16); }

// Round to nearest even, as onnx.helper.float32_to_bfloat16 does.
inline uint16_t floatToBf16(float f) {
  uint32_t x = floatToBits(f);
  if ((x & 0x7fffffff) > 0x7f800000)
    return static_cast<uint16_t>((x >> 16) | 0x40);
  x += 0x7fff + ((x >> 16) & 1);
  return static_cast<uint16_t>(x >> 16);
}

} // namespace vai::proto

#endif // VAI_LIB_PROTO_PROTOSUPPORT_H

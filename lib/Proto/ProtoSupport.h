//===- ProtoSupport.h - Helpers shared by the proto converters --*- C++ -*-===//
//
// Internal to lib/Proto: the pieces GraphDef.cpp and XModel.cpp both need
// around their generated messages, kept in one place so the two formats
// report errors and serialize the same way.
//
//===----------------------------------------------------------------------===//

#ifndef VAI_LIB_PROTO_PROTOSUPPORT_H
#define VAI_LIB_PROTO_PROTOSUPPORT_H

#include "QuietProtobufLogs.h"

#include <google/protobuf/message_lite.h>

#include <exception>
#include <string>

namespace vai::proto {

/// Serializes with map entries sorted by key, so equal inputs give equal
/// bytes (plain SerializeToString leaves map order unspecified).
bool serializeDeterministic(const google::protobuf::MessageLite &msg,
                            std::string &bytes);

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

} // namespace vai::proto

#endif // VAI_LIB_PROTO_PROTOSUPPORT_H

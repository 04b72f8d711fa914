//===- QuietProtobufLogs.h - Silences protobuf's stderr logging -*- C++ -*-===//
//
// Internal to lib/Proto: parse failures are reported through the callers'
// `error` strings, so protobuf's own log lines would only duplicate them.
//
//===----------------------------------------------------------------------===//

#ifndef VAI_LIB_PROTO_QUIETPROTOBUFLOGS_H
#define VAI_LIB_PROTO_QUIETPROTOBUFLOGS_H

#include <google/protobuf/stubs/logging.h>
#include <string>

namespace vai::proto {

/// Routes protobuf's log output to nowhere while in scope. Swaps a global
/// handler: not thread-safe.
class QuietProtobufLogs {
public:
  QuietProtobufLogs() : old(google::protobuf::SetLogHandler(&drop)) {}
  ~QuietProtobufLogs() { google::protobuf::SetLogHandler(old); }
  QuietProtobufLogs(const QuietProtobufLogs &) = delete;
  QuietProtobufLogs &operator=(const QuietProtobufLogs &) = delete;

private:
  static void drop(google::protobuf::LogLevel, const char *, int,
                   const std::string &) {}
  google::protobuf::LogHandler *old;
};

} // namespace vai::proto

#endif // VAI_LIB_PROTO_QUIETPROTOBUFLOGS_H

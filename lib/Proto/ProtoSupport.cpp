//===- ProtoSupport.cpp - Helpers shared by the proto converters ----------===//
//
// The functions that need protobuf's stream and text-format headers live
// here rather than in the header so only one file pulls those in.
//
//===----------------------------------------------------------------------===//

#include "ProtoSupport.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/text_format.h>

namespace {

/// Keeps the first text-format error so it can be returned as one line.
class FirstErrorCollector : public google::protobuf::io::ErrorCollector {
public:
  explicit FirstErrorCollector(const char *columnSeparator)
      : columnSeparator(columnSeparator) {}
  void AddError(int line, google::protobuf::io::ColumnNumber column,
                const std::string &message) override {
    if (!message_.empty())
      return;
    // The tokenizer counts from 0; editors count from 1.
    message_ = "line " + std::to_string(line + 1) + columnSeparator +
               std::to_string(column + 1) + ": " + message;
  }
  void AddWarning(int, google::protobuf::io::ColumnNumber,
                  const std::string &) override {}
  const std::string &message() const { return message_; }

private:
  const char *columnSeparator;
  std::string message_;
};

} // namespace

bool vai::proto::serializeDeterministic(
    const google::protobuf::MessageLite &msg, std::string &bytes) {
  bytes.clear();
  google::protobuf::io::StringOutputStream stream(&bytes);
  google::protobuf::io::CodedOutputStream coded(&stream);
  coded.SetSerializationDeterministic(true);
  return msg.SerializeToCodedStream(&coded) && !coded.HadError();
}

bool vai::proto::parseTextSkippingUnknown(const std::string &text,
                                          google::protobuf::Message &msg,
                                          const char *columnSeparator,
                                          std::string &error) {
  google::protobuf::TextFormat::Parser parser;
  FirstErrorCollector errors(columnSeparator);
  parser.RecordErrorsTo(&errors);
  parser.AllowUnknownField(true);
  if (parser.ParseFromString(text, &msg))
    return true;
  error =
      errors.message().empty() ? std::string("parse error") : errors.message();
  return false;
}

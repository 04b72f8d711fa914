//===- ProtoSupport.cpp - Helpers shared by the proto converters ----------===//
//
// serializeDeterministic lives here rather than in the header so only
// one file pulls in protobuf's stream headers.
//
//===----------------------------------------------------------------------===//

#include "ProtoSupport.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

bool vai::proto::serializeDeterministic(
    const google::protobuf::MessageLite &msg, std::string &bytes) {
  bytes.clear();
  google::protobuf::io::StringOutputStream stream(&bytes);
  google::protobuf::io::CodedOutputStream coded(&stream);
  coded.SetSerializationDeterministic(true);
  return msg.SerializeToCodedStream(&coded) && !coded.HadError();
}

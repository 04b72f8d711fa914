//===- OnnxProtoTest.cpp - Tests for vai/Proto/Onnx.h ---------------------===//
//
// Reads ONNX's own backend node tests (model.onnx plus test_data_set_0/
// input_N.pb, output_N.pb), as installed by Debian's libonnx-testdata into
// /usr/share/libonnx-testdata/data/node (VAI_ONNX_NODE_TESTS overrides the
// path). A missing directory is a failure, not a skip.
//
// Expected facts were read from the files independently of this code, with
// python3-onnx: onnx.load(...), numpy_helper.to_array(...), and
// `protoc --decode=onnx.ModelProto`.
//
//===----------------------------------------------------------------------===//

#include "vai/Proto/Onnx.h"

#include "gtest/gtest.h"

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>

using namespace vai::proto;
namespace fs = std::filesystem;

namespace {

const char *const kDefaultNodeTestDir = "/usr/share/libonnx-testdata/data/node";

/// Where the node tests should be: $VAI_ONNX_NODE_TESTS or the Debian path.
std::string nodeTestDir() {
  const char *env = std::getenv("VAI_ONNX_NODE_TESTS");
  return env && *env ? env : kDefaultNodeTestDir;
}

#define REQUIRE_NODE_TESTS(dir)                                                \
  std::string dir = nodeTestDir();                                             \
  ASSERT_TRUE(fs::is_directory(dir))                                           \
      << "ONNX node tests not found at " << dir                                \
      << " (install the Debian package libonnx-testdata, or set "              \
         "VAI_ONNX_NODE_TESTS)"

std::string readFile(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in),
                     std::istreambuf_iterator<char>());
}

::testing::AssertionResult
loadModel(const std::string &dir, const std::string &test, OnnxModel &model) {
  std::string bytes = readFile(dir + "/" + test + "/model.onnx");
  if (bytes.empty())
    return ::testing::AssertionFailure() << test << "/model.onnx is missing";
  std::string error;
  if (!parseOnnxModel(bytes, model, error))
    return ::testing::AssertionFailure() << test << ": " << error;
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult loadTensor(const std::string &dir,
                                      const std::string &test,
                                      const std::string &file,
                                      OnnxTensor &tensor) {
  std::string path = dir + "/" + test + "/test_data_set_0/" + file;
  std::string bytes = readFile(path);
  if (bytes.empty())
    return ::testing::AssertionFailure() << path << " is missing";
  std::string error;
  if (!parseOnnxTensor(bytes, tensor, error))
    return ::testing::AssertionFailure() << path << ": " << error;
  return ::testing::AssertionSuccess();
}

/// Parses bytes that must be a valid TensorProto.
OnnxTensor tensorFrom(const std::string &bytes) {
  OnnxTensor t;
  std::string error;
  EXPECT_TRUE(parseOnnxTensor(bytes, t, error)) << error;
  return t;
}

//===----------------------------------------------------------------------===//
// A minimal protobuf wire writer, so that tests can build TensorProtos in
// forms the test data does not use, without going through the code under
// test. Field numbers are onnx.proto's TensorProto ones.
//===----------------------------------------------------------------------===//

void putVarint(std::string &out, uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>(v | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

void putInt(std::string &out, int field, int64_t v) {
  putVarint(out, uint64_t(field) << 3 | 0);
  putVarint(out, static_cast<uint64_t>(v));
}

void putBytes(std::string &out, int field, const std::string &bytes) {
  putVarint(out, uint64_t(field) << 3 | 2);
  putVarint(out, bytes.size());
  out += bytes;
}

template <typename T> std::string littleEndian(const std::vector<T> &values) {
  std::string out(values.size() * sizeof(T), '\0');
  if (!values.empty())
    std::memcpy(&out[0], values.data(), out.size());
  return out;
}

/// Packed varints (int32_data, int64_data, uint64_data).
std::string packedVarints(const std::vector<int64_t> &values) {
  std::string out;
  for (int64_t v : values)
    putVarint(out, static_cast<uint64_t>(v));
  return out;
}

enum TensorField {
  kDims = 1,
  kDataType = 2,
  kFloatData = 4,
  kInt32Data = 5,
  kStringData = 6,
  kInt64Data = 7,
  kName = 8,
  kRawData = 9,
  kDoubleData = 10,
  kUInt64Data = 11,
  kExternalData = 13,
  kDataLocation = 14,
};

std::string tensorHeader(OnnxDType type, const std::vector<int64_t> &dims) {
  std::string out;
  for (int64_t dim : dims)
    putInt(out, kDims, dim);
  putInt(out, kDataType, static_cast<int>(type));
  return out;
}

bool singleLine(const std::string &s) {
  return !s.empty() && s.find('\n') == std::string::npos;
}

//===----------------------------------------------------------------------===//
// Models from the node tests
//===----------------------------------------------------------------------===//

TEST(OnnxNodeTests, EveryModelParsesAndRoundTrips) {
  REQUIRE_NODE_TESTS(dir);
  int models = 0;
  for (const fs::directory_entry &entry : fs::directory_iterator(dir)) {
    std::string path = entry.path().string() + "/model.onnx";
    if (!fs::exists(path))
      continue;
    ++models;
    std::string name = entry.path().filename().string();
    OnnxModel model;
    ASSERT_TRUE(loadModel(dir, name, model));
    std::string first, second, error;
    ASSERT_TRUE(writeOnnxModel(model, first, error)) << name << ": " << error;
    OnnxModel again;
    ASSERT_TRUE(parseOnnxModel(first, again, error)) << name << ": " << error;
    ASSERT_TRUE(writeOnnxModel(again, second, error)) << name << ": " << error;
    EXPECT_EQ(first, second) << name;
  }
  // libonnx-testdata 1.12.0 ships 932 node tests; any release has hundreds.
  EXPECT_GE(models, 500);
}

TEST(OnnxNodeTests, ConvWithStridesPadding) {
  REQUIRE_NODE_TESTS(dir);
  OnnxModel model;
  ASSERT_TRUE(loadModel(dir, "test_conv_with_strides_padding", model));
  EXPECT_EQ(model.irVersion, 6);
  EXPECT_EQ(model.producerName, "backend-test");
  std::map<std::string, int64_t> opsets = {{"", 11}};
  EXPECT_EQ(model.opsetImports, opsets);

  const OnnxGraph &g = model.graph;
  EXPECT_EQ(g.name, "test_conv_with_strides_padding");
  ASSERT_EQ(g.nodes.size(), 1u);
  const OnnxNode &conv = g.nodes[0];
  EXPECT_EQ(conv.opType, "Conv");
  EXPECT_EQ(conv.domain, "");
  EXPECT_EQ(conv.inputs, (std::vector<std::string>{"x", "W"}));
  EXPECT_EQ(conv.outputs, (std::vector<std::string>{"y"}));
  ASSERT_EQ(conv.attrs.size(), 3u);
  const OnnxAttr *kernel = conv.attr("kernel_shape");
  ASSERT_NE(kernel, nullptr);
  EXPECT_EQ(kernel->kind, OnnxAttr::Ints);
  EXPECT_EQ(kernel->ints, (std::vector<int64_t>{3, 3}));
  const OnnxAttr *pads = conv.attr("pads");
  ASSERT_NE(pads, nullptr);
  EXPECT_EQ(pads->ints, (std::vector<int64_t>{1, 1, 1, 1}));
  ASSERT_NE(conv.attr("strides"), nullptr);
  EXPECT_EQ(conv.attr("strides")->ints, (std::vector<int64_t>{2, 2}));
  EXPECT_EQ(conv.attr("dilations"), nullptr);

  ASSERT_EQ(g.inputs.size(), 2u);
  EXPECT_EQ(g.inputs[0].name, "x");
  EXPECT_EQ(g.inputs[0].kind, OnnxValueInfo::Tensor);
  EXPECT_EQ(g.inputs[0].elemType, OnnxDType::Float);
  EXPECT_TRUE(g.inputs[0].hasShape);
  EXPECT_EQ(g.inputs[0].dims, (std::vector<int64_t>{1, 1, 7, 5}));
  EXPECT_EQ(g.inputs[0].dimParams, std::vector<std::string>(4));
  EXPECT_EQ(g.inputs[1].name, "W");
  EXPECT_EQ(g.inputs[1].dims, (std::vector<int64_t>{1, 1, 3, 3}));
  ASSERT_EQ(g.outputs.size(), 1u);
  EXPECT_EQ(g.outputs[0].name, "y");
  EXPECT_EQ(g.outputs[0].dims, (std::vector<int64_t>{1, 1, 4, 3}));
  EXPECT_TRUE(g.initializers.empty());
  EXPECT_TRUE(g.valueInfo.empty());
}

TEST(OnnxNodeTests, ConvTestData) {
  REQUIRE_NODE_TESTS(dir);
  const std::string test = "test_conv_with_strides_padding";
  OnnxTensor x, w, y;
  ASSERT_TRUE(loadTensor(dir, test, "input_0.pb", x));
  ASSERT_TRUE(loadTensor(dir, test, "input_1.pb", w));
  ASSERT_TRUE(loadTensor(dir, test, "output_0.pb", y));

  EXPECT_EQ(x.name, "x");
  EXPECT_EQ(x.dtype, OnnxDType::Float);
  EXPECT_EQ(x.dims, (std::vector<int64_t>{1, 1, 7, 5}));
  EXPECT_EQ(x.numElements(), 35);
  ASSERT_EQ(x.floats.size(), 35u);
  for (int k = 0; k < 35; ++k) // np.arange(35)
    EXPECT_EQ(x.floats[k], float(k));
  EXPECT_TRUE(x.ints.empty() && x.doubles.empty() && x.strings.empty());
  EXPECT_FALSE(x.hasExternalData);

  EXPECT_EQ(w.name, "W");
  EXPECT_EQ(w.floats, std::vector<float>(9, 1.0f));

  EXPECT_EQ(y.name, "y");
  EXPECT_EQ(y.dims, (std::vector<int64_t>{1, 1, 4, 3}));
  ASSERT_EQ(y.floats.size(), 12u);
  EXPECT_EQ(y.floats[0], 12.0f);
  EXPECT_EQ(y.floats[1], 27.0f);
  EXPECT_EQ(y.floats[2], 24.0f);
  EXPECT_EQ(y.floats[3], 63.0f);
  EXPECT_EQ(y.floats[4], 108.0f);
  EXPECT_EQ(y.floats[10], 177.0f);
  EXPECT_EQ(y.floats[11], 124.0f);
}

TEST(OnnxNodeTests, ReluModelAndData) {
  REQUIRE_NODE_TESTS(dir);
  OnnxModel model;
  ASSERT_TRUE(loadModel(dir, "test_relu", model));
  EXPECT_EQ(model.irVersion, 7);
  EXPECT_EQ(model.opsetImports.at(""), 14);
  ASSERT_EQ(model.graph.nodes.size(), 1u);
  EXPECT_EQ(model.graph.nodes[0].opType, "Relu");
  EXPECT_TRUE(model.graph.nodes[0].attrs.empty());
  ASSERT_EQ(model.graph.inputs.size(), 1u);
  EXPECT_EQ(model.graph.inputs[0].dims, (std::vector<int64_t>{3, 4, 5}));

  OnnxTensor x, y;
  ASSERT_TRUE(loadTensor(dir, "test_relu", "input_0.pb", x));
  ASSERT_TRUE(loadTensor(dir, "test_relu", "output_0.pb", y));
  ASSERT_EQ(x.floats.size(), 60u);
  // np.random.seed(0); np.random.randn(3, 4, 5) as float32.
  EXPECT_FLOAT_EQ(x.floats[0], 1.764052391052246f);
  EXPECT_FLOAT_EQ(x.floats[1], 0.40015721321105957f);
  EXPECT_FLOAT_EQ(x.floats[5], -0.9772778749465942f);
  EXPECT_FLOAT_EQ(x.floats[59], -0.3627411723136902f);
  ASSERT_EQ(y.floats.size(), 60u);
  for (size_t k = 0; k < 60; ++k)
    EXPECT_EQ(y.floats[k], std::max(x.floats[k], 0.0f)) << k;
}

TEST(OnnxNodeTests, ResizeWithEmptyConstants) {
  REQUIRE_NODE_TESTS(dir);
  const std::string test =
      "test_resize_downsample_sizes_nearest_tf_half_pixel_for_nn";
  OnnxModel model;
  ASSERT_TRUE(loadModel(dir, test, model));
  EXPECT_EQ(model.irVersion, 5);
  EXPECT_EQ(model.opsetImports.at(""), 11);
  const OnnxGraph &g = model.graph;
  ASSERT_EQ(g.nodes.size(), 3u);
  for (int k = 0; k < 2; ++k) {
    const OnnxNode &constant = g.nodes[k];
    EXPECT_EQ(constant.opType, "Constant");
    EXPECT_TRUE(constant.inputs.empty());
    const OnnxAttr *value = constant.attr("value");
    ASSERT_NE(value, nullptr);
    EXPECT_EQ(value->kind, OnnxAttr::Tensor);
    EXPECT_EQ(value->t.name, "empty");
    EXPECT_EQ(value->t.dtype, OnnxDType::Float);
    EXPECT_EQ(value->t.dims, (std::vector<int64_t>{0}));
    EXPECT_EQ(value->t.numElements(), 0);
    EXPECT_TRUE(value->t.floats.empty());
  }
  EXPECT_EQ(g.nodes[0].outputs, (std::vector<std::string>{"roi"}));
  EXPECT_EQ(g.nodes[1].outputs, (std::vector<std::string>{"scales"}));

  const OnnxNode &resize = g.nodes[2];
  EXPECT_EQ(resize.opType, "Resize");
  EXPECT_EQ(resize.inputs,
            (std::vector<std::string>{"X", "roi", "scales", "sizes"}));
  ASSERT_NE(resize.attr("mode"), nullptr);
  EXPECT_EQ(resize.attr("mode")->kind, OnnxAttr::String);
  EXPECT_EQ(resize.attr("mode")->s, "nearest");
  ASSERT_NE(resize.attr("coordinate_transformation_mode"), nullptr);
  EXPECT_EQ(resize.attr("coordinate_transformation_mode")->s,
            "tf_half_pixel_for_nn");

  ASSERT_EQ(g.inputs.size(), 2u);
  EXPECT_EQ(g.inputs[1].name, "sizes");
  EXPECT_EQ(g.inputs[1].elemType, OnnxDType::Int64);
  EXPECT_EQ(g.inputs[1].dims, (std::vector<int64_t>{4}));

  OnnxTensor sizes, y;
  ASSERT_TRUE(loadTensor(dir, test, "input_1.pb", sizes));
  EXPECT_EQ(sizes.dtype, OnnxDType::Int64);
  EXPECT_EQ(sizes.ints, (std::vector<int64_t>{1, 1, 3, 2}));
  ASSERT_TRUE(loadTensor(dir, test, "output_0.pb", y));
  EXPECT_EQ(y.floats, (std::vector<float>{6, 8, 10, 12, 14, 16}));
}

TEST(OnnxNodeTests, IfBranchesAreSubgraphs) {
  REQUIRE_NODE_TESTS(dir);
  OnnxModel model;
  ASSERT_TRUE(loadModel(dir, "test_if", model));
  ASSERT_EQ(model.graph.nodes.size(), 1u);
  const OnnxNode &node = model.graph.nodes[0];
  EXPECT_EQ(node.opType, "If");
  // The condition is a BOOL scalar: a shape with no dims.
  ASSERT_EQ(model.graph.inputs.size(), 1u);
  EXPECT_EQ(model.graph.inputs[0].elemType, OnnxDType::Bool);
  EXPECT_TRUE(model.graph.inputs[0].hasShape);
  EXPECT_TRUE(model.graph.inputs[0].dims.empty());

  const OnnxAttr *thenBranch = node.attr("then_branch");
  const OnnxAttr *elseBranch = node.attr("else_branch");
  ASSERT_NE(thenBranch, nullptr);
  ASSERT_NE(elseBranch, nullptr);
  EXPECT_EQ(thenBranch->kind, OnnxAttr::Graph);
  ASSERT_EQ(thenBranch->graphs.size(), 1u);
  ASSERT_EQ(elseBranch->graphs.size(), 1u);
  const OnnxGraph &thenGraph = thenBranch->graphs[0];
  EXPECT_EQ(thenGraph.name, "then_body");
  ASSERT_EQ(thenGraph.nodes.size(), 1u);
  EXPECT_EQ(thenGraph.nodes[0].opType, "Constant");
  ASSERT_EQ(thenGraph.outputs.size(), 1u);
  EXPECT_EQ(thenGraph.outputs[0].name, "then_out");
  const OnnxAttr *thenValue = thenGraph.nodes[0].attr("value");
  ASSERT_NE(thenValue, nullptr);
  EXPECT_EQ(thenValue->t.floats, (std::vector<float>{1, 2, 3, 4, 5}));
  const OnnxAttr *elseValue = elseBranch->graphs[0].nodes[0].attr("value");
  ASSERT_NE(elseValue, nullptr);
  EXPECT_EQ(elseValue->t.floats, (std::vector<float>{5, 4, 3, 2, 1}));
}

//===----------------------------------------------------------------------===//
// Tensor encodings
//===----------------------------------------------------------------------===//

// test_constant's Constant holds its value in float_data; the expected
// output_0.pb holds the same values in raw_data.
TEST(OnnxTensors, TypedFieldsMatchRawData) {
  REQUIRE_NODE_TESTS(dir);
  OnnxModel model;
  ASSERT_TRUE(loadModel(dir, "test_constant", model));
  ASSERT_EQ(model.graph.nodes.size(), 1u);
  const OnnxAttr *value = model.graph.nodes[0].attr("value");
  ASSERT_NE(value, nullptr);
  OnnxTensor raw;
  ASSERT_TRUE(loadTensor(dir, "test_constant", "output_0.pb", raw));
  EXPECT_EQ(value->t.dtype, OnnxDType::Float);
  EXPECT_EQ(value->t.dims, (std::vector<int64_t>{5, 5}));
  EXPECT_EQ(raw.dims, value->t.dims);
  ASSERT_EQ(value->t.floats.size(), 25u);
  EXPECT_EQ(value->t.floats, raw.floats);
  EXPECT_FLOAT_EQ(raw.floats[0], 1.764052391052246f);
  EXPECT_FLOAT_EQ(raw.floats[24], 2.269754648208618f);

  // ConstantOfShape's INT32 value in int32_data; the output in raw_data.
  ASSERT_TRUE(loadModel(dir, "test_constantofshape_int_zeros", model));
  const OnnxAttr *fill = model.graph.nodes[0].attr("value");
  ASSERT_NE(fill, nullptr);
  EXPECT_EQ(fill->t.dtype, OnnxDType::Int32);
  EXPECT_EQ(fill->t.ints, (std::vector<int64_t>{0}));
  OnnxTensor zeros;
  ASSERT_TRUE(
      loadTensor(dir, "test_constantofshape_int_zeros", "output_0.pb", zeros));
  EXPECT_EQ(zeros.dtype, OnnxDType::Int32);
  EXPECT_EQ(zeros.dims, (std::vector<int64_t>{10, 6}));
  EXPECT_EQ(zeros.ints, std::vector<int64_t>(60, 0));

  // Hand-built: the same values through each typed field and raw_data.
  std::vector<float> floats = {1.5f, -2.25f, 0.0f, 3e-8f};
  std::string viaTyped = tensorHeader(OnnxDType::Float, {2, 2});
  putBytes(viaTyped, kFloatData, littleEndian(floats));
  std::string viaRaw = tensorHeader(OnnxDType::Float, {2, 2});
  putBytes(viaRaw, kRawData, littleEndian(floats));
  EXPECT_EQ(tensorFrom(viaTyped).floats, floats);
  EXPECT_EQ(tensorFrom(viaRaw).floats, floats);

  std::vector<int64_t> longs = {-1, 0, int64_t(1) << 40,
                                std::numeric_limits<int64_t>::min()};
  viaTyped = tensorHeader(OnnxDType::Int64, {4});
  putBytes(viaTyped, kInt64Data, packedVarints(longs));
  viaRaw = tensorHeader(OnnxDType::Int64, {4});
  putBytes(viaRaw, kRawData, littleEndian(longs));
  EXPECT_EQ(tensorFrom(viaTyped).ints, longs);
  EXPECT_EQ(tensorFrom(viaRaw).ints, longs);

  std::vector<double> doubles = {0.1, -1e300};
  viaTyped = tensorHeader(OnnxDType::Double, {2});
  putBytes(viaTyped, kDoubleData, littleEndian(doubles));
  OnnxTensor d = tensorFrom(viaTyped);
  EXPECT_EQ(d.doubles, doubles);
  EXPECT_EQ(d.floats, (std::vector<float>{0.1f, -INFINITY}));

  // int32_data holds INT8 / BOOL one per entry (as sign-extended varints);
  // raw_data one byte each.
  std::string int8Typed = tensorHeader(OnnxDType::Int8, {3});
  putBytes(int8Typed, kInt32Data, packedVarints({-128, 127, -1}));
  std::string int8Raw = tensorHeader(OnnxDType::Int8, {3});
  putBytes(int8Raw, kRawData, std::string("\x80\x7f\xff", 3));
  EXPECT_EQ(tensorFrom(int8Typed).ints, (std::vector<int64_t>{-128, 127, -1}));
  EXPECT_EQ(tensorFrom(int8Raw).ints, (std::vector<int64_t>{-128, 127, -1}));
  std::string bools = tensorHeader(OnnxDType::Bool, {3});
  putBytes(bools, kInt32Data, packedVarints({1, 0, 1}));
  EXPECT_EQ(tensorFrom(bools).ints, (std::vector<int64_t>{1, 0, 1}));

  // UINT32 / UINT64 live in uint64_data; UINT64 keeps its bits.
  std::string u64 = tensorHeader(OnnxDType::UInt64, {2});
  putBytes(u64, kUInt64Data, packedVarints({-1, 7}));
  EXPECT_EQ(tensorFrom(u64).ints, (std::vector<int64_t>{-1, 7}));
  std::string u32 = tensorHeader(OnnxDType::UInt32, {1});
  putBytes(u32, kUInt64Data, packedVarints({4294967295}));
  EXPECT_EQ(tensorFrom(u32).ints, (std::vector<int64_t>{4294967295}));

  std::string strings = tensorHeader(OnnxDType::String, {2});
  putBytes(strings, kStringData, "hello");
  putBytes(strings, kStringData, std::string("\0x", 2));
  EXPECT_EQ(tensorFrom(strings).strings,
            (std::vector<std::string>{"hello", std::string("\0x", 2)}));
}

TEST(OnnxTensors, Float16AndBFloat16) {
  REQUIRE_NODE_TESTS(dir);
  // test_cast_FLOAT16_to_FLOAT: a FLOAT16 input in raw_data; Cast to float
  // is exact, so the FLOAT output has the same values.
  OnnxTensor half, asFloat;
  ASSERT_TRUE(
      loadTensor(dir, "test_cast_FLOAT16_to_FLOAT", "input_0.pb", half));
  ASSERT_TRUE(
      loadTensor(dir, "test_cast_FLOAT16_to_FLOAT", "output_0.pb", asFloat));
  EXPECT_EQ(half.dtype, OnnxDType::Float16);
  EXPECT_EQ(half.dims, (std::vector<int64_t>{3, 4}));
  ASSERT_EQ(half.floats.size(), 12u);
  EXPECT_EQ(half.floats, asFloat.floats);
  EXPECT_EQ(half.floats[0], 0.1182861328125f); // numpy float16 bits 12178
  EXPECT_EQ(half.floats[1], 0.64013671875f);
  EXPECT_EQ(half.floats[10], 0.0187835693359375f);
  EXPECT_TRUE(half.ints.empty());

  // The same bit patterns in int32_data, plus edge cases.
  std::string typed = tensorHeader(OnnxDType::Float16, {6});
  putBytes(typed, kInt32Data,
           packedVarints({12178, 14623, 0x7c00, 0x0001, 0xc000, 0x8000}));
  OnnxTensor t = tensorFrom(typed);
  ASSERT_EQ(t.floats.size(), 6u);
  EXPECT_EQ(t.floats[0], 0.1182861328125f);
  EXPECT_EQ(t.floats[1], 0.64013671875f);
  EXPECT_EQ(t.floats[2], INFINITY);
  EXPECT_EQ(t.floats[3], 5.9604644775390625e-08f); // 2^-24, subnormal
  EXPECT_EQ(t.floats[4], -2.0f);
  EXPECT_EQ(t.floats[5], 0.0f);
  EXPECT_TRUE(std::signbit(t.floats[5]));

  // test_cast_BFLOAT16_to_FLOAT stores its bfloat16 input as UINT16 (onnx
  // 1.12); put those bits into a BFLOAT16 tensor's raw_data and compare
  // with the Cast's FLOAT output.
  OnnxTensor bits, expected;
  ASSERT_TRUE(
      loadTensor(dir, "test_cast_BFLOAT16_to_FLOAT", "input_0.pb", bits));
  ASSERT_TRUE(
      loadTensor(dir, "test_cast_BFLOAT16_to_FLOAT", "output_0.pb", expected));
  ASSERT_EQ(bits.dtype, OnnxDType::UInt16);
  EXPECT_EQ(bits.ints[0], 16117);
  std::vector<uint16_t> raw(bits.ints.begin(), bits.ints.end());
  std::string bf16 = tensorHeader(OnnxDType::BFloat16, bits.dims);
  putBytes(bf16, kRawData, littleEndian(raw));
  OnnxTensor b = tensorFrom(bf16);
  ASSERT_EQ(b.floats.size(), expected.floats.size());
  for (size_t k = 0; k < b.floats.size(); ++k) {
    if (std::isnan(expected.floats[k]))
      EXPECT_TRUE(std::isnan(b.floats[k])) << k;
    else
      EXPECT_EQ(b.floats[k], expected.floats[k]) << k;
  }
  EXPECT_EQ(b.floats[0], 0.478515625f);
  EXPECT_EQ(b.floats[11], -INFINITY);
}

TEST(OnnxTensors, ExternalDataIsNotDecoded) {
  std::string bytes = tensorHeader(OnnxDType::Float, {1024});
  putBytes(bytes, kName, "weights");
  std::string location, offset;
  putBytes(location, 1, "location");
  putBytes(location, 2, "model.data");
  putBytes(offset, 1, "offset");
  putBytes(offset, 2, "4096");
  putBytes(bytes, kExternalData, location);
  putBytes(bytes, kExternalData, offset);
  putInt(bytes, kDataLocation, 1);
  OnnxTensor t = tensorFrom(bytes);
  EXPECT_EQ(t.name, "weights");
  EXPECT_TRUE(t.hasExternalData);
  EXPECT_EQ(t.externalData.at("location"), "model.data");
  EXPECT_EQ(t.externalData.at("offset"), "4096");
  EXPECT_TRUE(t.floats.empty());
}

TEST(OnnxTensors, InconsistentTensorsAreRejected) {
  auto failsWith = [](const std::string &bytes, const std::string &needle) {
    OnnxTensor t;
    std::string error;
    bool ok = parseOnnxTensor(bytes, t, error);
    EXPECT_FALSE(ok) << needle;
    EXPECT_TRUE(singleLine(error)) << error;
    EXPECT_NE(error.find(needle), std::string::npos) << error;
  };
  std::string shortRaw = tensorHeader(OnnxDType::Float, {2, 2});
  putBytes(shortRaw, kRawData, std::string(12, '\0'));
  failsWith(shortRaw, "12 bytes of raw_data, expected 16");

  std::string missing = tensorHeader(OnnxDType::Float, {3});
  putBytes(missing, kName, "x");
  failsWith(missing, "tensor 'x': FLOAT tensor has 0 values, expected 3");

  std::string wrongField = tensorHeader(OnnxDType::Float, {1});
  putBytes(wrongField, kInt64Data, packedVarints({1}));
  failsWith(wrongField, "values in int64_data");

  std::string rawString = tensorHeader(OnnxDType::String, {1});
  putBytes(rawString, kRawData, "a");
  failsWith(rawString, "STRING tensor uses raw_data");

  std::string negative = tensorHeader(OnnxDType::Float, {-2});
  failsWith(negative, "negative dimension");

  failsWith("", "no data type");
  failsWith(std::string("\x0a\xff", 2), "truncated or malformed");
}

//===----------------------------------------------------------------------===//
// Failure and round trip
//===----------------------------------------------------------------------===//

TEST(OnnxModels, TruncatedInputFails) {
  REQUIRE_NODE_TESTS(dir);
  const std::string test = "test_conv_with_strides_padding";
  std::string bytes = readFile(dir + "/" + test + "/model.onnx");
  ASSERT_GT(bytes.size(), 100u);
  // Every proper prefix either cuts a field (a protobuf error) or ends
  // between two top-level fields, leaving out the graph or opset_import.
  for (size_t n = 0; n < bytes.size(); ++n) {
    OnnxModel model;
    model.producerName = "untouched";
    std::string error;
    EXPECT_FALSE(parseOnnxModel(bytes.substr(0, n), model, error)) << n;
    EXPECT_TRUE(singleLine(error)) << n << ": " << error;
    EXPECT_EQ(model.producerName, "untouched");
  }
  OnnxModel model;
  std::string error;
  EXPECT_FALSE(parseOnnxModel(bytes.substr(0, bytes.size() / 2), model, error));
  EXPECT_EQ(error, "truncated or malformed ONNX model");
  EXPECT_FALSE(parseOnnxModel("", model, error));
  EXPECT_EQ(error, "ONNX model has no ir_version");
  EXPECT_FALSE(parseOnnxModel("this is not an ONNX model", model, error));
  EXPECT_TRUE(singleLine(error)) << error;

  // The input tensor: all prefixes fail too (no data type, too few values,
  // or a cut field).
  std::string tensor =
      readFile(dir + "/" + test + "/test_data_set_0/input_0.pb");
  ASSERT_GT(tensor.size(), 140u);
  for (size_t n = 0; n < tensor.size(); ++n) {
    OnnxTensor t;
    error.clear();
    EXPECT_FALSE(parseOnnxTensor(tensor.substr(0, n), t, error)) << n;
    EXPECT_TRUE(singleLine(error)) << n << ": " << error;
  }
}

TEST(OnnxModels, WriteParseRoundTrip) {
  REQUIRE_NODE_TESTS(dir);
  OnnxModel conv;
  ASSERT_TRUE(loadModel(dir, "test_conv_with_strides_padding", conv));
  std::string bytes, again, error;
  ASSERT_TRUE(writeOnnxModel(conv, bytes, error)) << error;
  ASSERT_TRUE(writeOnnxModel(conv, again, error)) << error;
  EXPECT_EQ(bytes, again); // deterministic
  OnnxModel back;
  ASSERT_TRUE(parseOnnxModel(bytes, back, error)) << error;
  EXPECT_EQ(back.irVersion, 6);
  EXPECT_EQ(back.opsetImports, conv.opsetImports);
  EXPECT_EQ(back.producerName, "backend-test");
  ASSERT_EQ(back.graph.nodes.size(), 1u);
  EXPECT_EQ(back.graph.nodes[0].attr("pads")->ints,
            (std::vector<int64_t>{1, 1, 1, 1}));
  EXPECT_EQ(back.graph.inputs[0].dims, (std::vector<int64_t>{1, 1, 7, 5}));

  // A model built in memory, with every decoded tensor type.
  OnnxModel m;
  m.irVersion = 8;
  m.opsetImports = {{"", 13}, {"com.example", 1}};
  m.producerName = "vai";
  m.producerVersion = "0.1";
  m.modelVersion = 3;
  m.metadataProps = {{"origin", "unit test"}};
  OnnxGraph &g = m.graph;
  g.name = "main";
  auto tensor = [](const std::string &name, OnnxDType type,
                   std::vector<int64_t> dims) {
    OnnxTensor t;
    t.name = name;
    t.dtype = type;
    t.dims = std::move(dims);
    return t;
  };
  OnnxTensor f32 = tensor("f32", OnnxDType::Float, {2, 2});
  f32.floats = {1.5f, -2.0f, 0.25f, 1e-30f};
  OnnxTensor f16 = tensor("f16", OnnxDType::Float16, {3});
  f16.floats = {0.1182861328125f, -65504.0f, 5.9604644775390625e-08f};
  OnnxTensor bf16 = tensor("bf16", OnnxDType::BFloat16, {2});
  bf16.floats = {0.478515625f, -INFINITY};
  OnnxTensor f64 = tensor("f64", OnnxDType::Double, {2});
  f64.doubles = {0.1, -1e300};
  OnnxTensor c64 = tensor("c64", OnnxDType::Complex64, {1});
  c64.floats = {1.0f, -1.0f};
  OnnxTensor i8 = tensor("i8", OnnxDType::Int8, {2});
  i8.ints = {-128, 127};
  OnnxTensor u16 = tensor("u16", OnnxDType::UInt16, {1});
  u16.ints = {65535};
  OnnxTensor i32 = tensor("i32", OnnxDType::Int32, {1});
  i32.ints = {-2147483647 - 1};
  OnnxTensor u64 = tensor("u64", OnnxDType::UInt64, {1});
  u64.ints = {-1};
  OnnxTensor b = tensor("b", OnnxDType::Bool, {3});
  b.ints = {1, 0, 1};
  OnnxTensor s = tensor("s", OnnxDType::String, {2});
  s.strings = {"a", ""};
  OnnxTensor ext = tensor("ext", OnnxDType::Float, {1000});
  ext.hasExternalData = true;
  ext.externalData = {{"location", "w.bin"}, {"length", "4000"}};
  OnnxTensor empty = tensor("empty", OnnxDType::Float, {0});
  g.initializers = {f32, f16, bf16, f64, c64, i8,   u16,
                    i32, u64, b,    s,   ext, empty};

  OnnxNode conv2;
  conv2.name = "conv";
  conv2.opType = "Conv";
  conv2.inputs = {"x", "f32", ""};
  conv2.outputs = {"y"};
  OnnxAttr pads;
  pads.name = "pads";
  pads.kind = OnnxAttr::Ints;
  pads.ints = {0, 1, 0, 1};
  OnnxAttr alpha;
  alpha.name = "alpha";
  alpha.kind = OnnxAttr::Float;
  alpha.f = 0.125f;
  OnnxAttr mode;
  mode.name = "mode";
  mode.kind = OnnxAttr::String;
  mode.s = "nearest";
  OnnxAttr ref;
  ref.name = "axis";
  ref.kind = OnnxAttr::Int;
  ref.refAttrName = "outer_axis";
  OnnxAttr body;
  body.name = "body";
  body.kind = OnnxAttr::Graph;
  OnnxGraph sub;
  sub.name = "sub";
  OnnxNode relu;
  relu.opType = "Relu";
  relu.inputs = {"y"};
  relu.outputs = {"z"};
  sub.nodes = {relu};
  body.graphs = {sub};
  conv2.attrs = {pads, alpha, mode, ref, body};
  OnnxNode custom;
  custom.opType = "Custom";
  custom.domain = "com.example";
  custom.inputs = {"y"};
  custom.outputs = {"w"};
  g.nodes = {conv2, custom};

  OnnxValueInfo x;
  x.name = "x";
  x.kind = OnnxValueInfo::Tensor;
  x.elemType = OnnxDType::Float;
  x.hasShape = true;
  x.dims = {-1, 3, 224, 224};
  x.dimParams = {"batch", "", "", ""};
  OnnxValueInfo seq;
  seq.name = "seq";
  seq.kind = OnnxValueInfo::Sequence;
  OnnxValueInfo elem;
  elem.kind = OnnxValueInfo::Tensor;
  elem.elemType = OnnxDType::Int64;
  seq.elem = {elem};
  g.inputs = {x, seq};
  OnnxValueInfo w;
  w.name = "w";
  w.kind = OnnxValueInfo::Tensor;
  w.elemType = OnnxDType::Float;
  g.outputs = {w};

  ASSERT_TRUE(writeOnnxModel(m, bytes, error)) << error;
  OnnxModel r;
  ASSERT_TRUE(parseOnnxModel(bytes, r, error)) << error;
  EXPECT_EQ(r.irVersion, 8);
  EXPECT_EQ(r.opsetImports, m.opsetImports);
  EXPECT_EQ(r.producerName, "vai");
  EXPECT_EQ(r.producerVersion, "0.1");
  EXPECT_EQ(r.modelVersion, 3);
  EXPECT_EQ(r.metadataProps, m.metadataProps);
  EXPECT_EQ(r.graph.name, "main");

  ASSERT_EQ(r.graph.initializers.size(), g.initializers.size());
  const std::vector<OnnxTensor> &inits = r.graph.initializers;
  for (size_t k = 0; k < inits.size(); ++k) {
    EXPECT_EQ(inits[k].name, g.initializers[k].name);
    EXPECT_EQ(inits[k].dtype, g.initializers[k].dtype) << inits[k].name;
    EXPECT_EQ(inits[k].dims, g.initializers[k].dims) << inits[k].name;
  }
  EXPECT_EQ(inits[0].floats, f32.floats);
  EXPECT_EQ(inits[1].floats, f16.floats); // all exactly representable
  EXPECT_EQ(inits[2].floats, bf16.floats);
  EXPECT_EQ(inits[3].doubles, f64.doubles);
  EXPECT_EQ(inits[3].floats, (std::vector<float>{0.1f, -INFINITY}));
  EXPECT_EQ(inits[4].floats, c64.floats);
  EXPECT_EQ(inits[5].ints, i8.ints);
  EXPECT_EQ(inits[6].ints, u16.ints);
  EXPECT_EQ(inits[7].ints, i32.ints);
  EXPECT_EQ(inits[8].ints, u64.ints);
  EXPECT_EQ(inits[9].ints, b.ints);
  EXPECT_EQ(inits[10].strings, s.strings);
  EXPECT_TRUE(inits[11].hasExternalData);
  EXPECT_EQ(inits[11].externalData, ext.externalData);
  EXPECT_TRUE(inits[12].floats.empty());

  ASSERT_EQ(r.graph.nodes.size(), 2u);
  const OnnxNode &rc = r.graph.nodes[0];
  EXPECT_EQ(rc.name, "conv");
  EXPECT_EQ(rc.inputs, (std::vector<std::string>{"x", "f32", ""}));
  ASSERT_EQ(rc.attrs.size(), 5u);
  EXPECT_EQ(rc.attrs[0].ints, pads.ints);
  EXPECT_EQ(rc.attrs[1].kind, OnnxAttr::Float);
  EXPECT_EQ(rc.attrs[1].f, 0.125f);
  EXPECT_EQ(rc.attrs[2].s, "nearest");
  EXPECT_EQ(rc.attrs[3].kind, OnnxAttr::Int);
  EXPECT_EQ(rc.attrs[3].refAttrName, "outer_axis");
  ASSERT_EQ(rc.attrs[4].graphs.size(), 1u);
  EXPECT_EQ(rc.attrs[4].graphs[0].name, "sub");
  ASSERT_EQ(rc.attrs[4].graphs[0].nodes.size(), 1u);
  EXPECT_EQ(rc.attrs[4].graphs[0].nodes[0].opType, "Relu");
  EXPECT_EQ(r.graph.nodes[1].domain, "com.example");

  ASSERT_EQ(r.graph.inputs.size(), 2u);
  EXPECT_EQ(r.graph.inputs[0].dims, x.dims);
  EXPECT_EQ(r.graph.inputs[0].dimParams, x.dimParams);
  EXPECT_EQ(r.graph.inputs[1].kind, OnnxValueInfo::Sequence);
  ASSERT_EQ(r.graph.inputs[1].elem.size(), 1u);
  EXPECT_EQ(r.graph.inputs[1].elem[0].elemType, OnnxDType::Int64);
  EXPECT_FALSE(r.graph.inputs[1].elem[0].hasShape);
  ASSERT_EQ(r.graph.outputs.size(), 1u);
  EXPECT_FALSE(r.graph.outputs[0].hasShape);

  // Writing what was read gives the same bytes.
  ASSERT_TRUE(writeOnnxModel(r, again, error)) << error;
  EXPECT_EQ(again, bytes);
}

TEST(OnnxModels, WriteRejectsInconsistentTensors) {
  OnnxModel m;
  m.irVersion = 8;
  m.opsetImports[""] = 13;
  OnnxTensor t;
  t.name = "w";
  t.dtype = OnnxDType::Float;
  t.dims = {2, 3};
  t.floats = {1, 2, 3};
  m.graph.name = "g";
  m.graph.initializers = {t};
  std::string bytes, error;
  EXPECT_FALSE(writeOnnxModel(m, bytes, error));
  EXPECT_EQ(error,
            "graph 'g' initializer 'w': FLOAT tensor has 3 values, expected 6");

  // A huge shape without values fails on the count, allocating nothing.
  m.graph.initializers[0].dims = {int64_t(1) << 39};
  m.graph.initializers[0].floats.clear();
  EXPECT_FALSE(writeOnnxModel(m, bytes, error));
  EXPECT_NE(error.find("has 0 values, expected 549755813888"),
            std::string::npos)
      << error;

  m.graph.initializers[0].dims = {2, 3};
  m.graph.initializers[0].dtype = OnnxDType::Float8E4M3FN;
  EXPECT_FALSE(writeOnnxModel(m, bytes, error));
  EXPECT_EQ(error, "graph 'g' initializer 'w': cannot write values of "
                   "FLOAT8E4M3FN tensors");
  EXPECT_EQ(onnxDTypeName(OnnxDType::BFloat16), "BFLOAT16");
  EXPECT_EQ(onnxDTypeName(static_cast<OnnxDType>(99)), "UNKNOWN(99)");
}

} // namespace

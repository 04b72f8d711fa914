//===- ProtoTest.cpp - Tests for vai/Proto (GraphDef, XModel) -------------===//
//
// Expected counts and values below were taken from the real files with
// `protoc --decode_raw` / `protoc --decode` and grep, not from this code.
//
//===----------------------------------------------------------------------===//

#include "vai/Proto/GraphDef.h"
#include "vai/Proto/XModel.h"

#include "gtest/gtest.h"

#include <fstream>
#include <iterator>
#include <map>
#include <sstream>

using namespace vai::proto;

#ifndef VAI_SHARED_DATA_DIR
#error "VAI_SHARED_DATA_DIR must name the shared data folder"
#endif

namespace {

std::string dataPath(const std::string &name) {
  return std::string(VAI_SHARED_DATA_DIR) + "/xilinx/" + name;
}

std::string readFile(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in),
                     std::istreambuf_iterator<char>());
}

std::map<std::string, int> countOps(const TfGraph &graph) {
  std::map<std::string, int> counts;
  for (const TfNode &node : graph.nodes)
    ++counts[node.op];
  return counts;
}

std::map<std::string, int> countOps(const XGraph &graph) {
  std::map<std::string, int> counts;
  for (const XOp &op : graph.ops)
    ++counts[op.type];
  return counts;
}

const TfNode *findNode(const TfGraph &graph, const std::string &name) {
  for (const TfNode &node : graph.nodes)
    if (node.name == name)
      return &node;
  return nullptr;
}

//===----------------------------------------------------------------------===//
// GraphDef
//===----------------------------------------------------------------------===//

TEST(ProtoGraphDef, ParsesFrozenFcLayers) {
  std::string bytes = readFile(dataPath("tf_fc_layers_frozen.pb"));
  ASSERT_FALSE(bytes.empty());
  TfGraph graph;
  std::string error;
  ASSERT_TRUE(parseGraphDef(bytes, /*text=*/false, graph, error)) << error;

  EXPECT_EQ(graph.nodes.size(), 24u);
  std::map<std::string, int> expected = {{"Placeholder", 1}, {"Const", 6},
                                         {"Identity", 9},    {"MatMul", 3},
                                         {"BiasAdd", 3},     {"Relu", 2}};
  EXPECT_EQ(countOps(graph), expected);
  EXPECT_EQ(graph.producer, 0); // the file has no versions field

  const TfNode *x = findNode(graph, "X");
  ASSERT_NE(x, nullptr);
  EXPECT_EQ(x->op, "Placeholder");
  ASSERT_EQ(x->attrs.count("dtype"), 1u);
  EXPECT_EQ(x->attrs.at("dtype").kind, TfAttr::Type);
  EXPECT_EQ(x->attrs.at("dtype").type, TfDType::Float);
  ASSERT_EQ(x->attrs.count("shape"), 1u);
  EXPECT_EQ(x->attrs.at("shape").kind, TfAttr::Shape);
  EXPECT_EQ(x->attrs.at("shape").shape.dims, (std::vector<int64_t>{-1, 784}));

  const TfNode *kernel = findNode(graph, "dense/kernel");
  ASSERT_NE(kernel, nullptr);
  const TfAttr &value = kernel->attrs.at("value");
  ASSERT_EQ(value.kind, TfAttr::Tensor);
  EXPECT_EQ(value.tensor.dtype, TfDType::Float);
  EXPECT_EQ(value.tensor.shape, (std::vector<int64_t>{784, 256}));
  ASSERT_EQ(value.tensor.floats.size(), 784u * 256u);
  // tensor_content starts with bytes c8 50 0d 3d.
  EXPECT_FLOAT_EQ(value.tensor.floats[0], 0.03450086712837219f);

  const TfNode *pred = findNode(graph, "pred/kernel");
  ASSERT_NE(pred, nullptr);
  EXPECT_EQ(pred->attrs.at("value").tensor.shape,
            (std::vector<int64_t>{256, 10}));

  const TfNode *matmul = findNode(graph, "model/dense/MatMul");
  ASSERT_NE(matmul, nullptr);
  EXPECT_EQ(matmul->inputs,
            (std::vector<std::string>{"X", "dense/kernel/read"}));

  const TfNode *read = findNode(graph, "dense/kernel/read");
  ASSERT_NE(read, nullptr);
  const TfAttr &cls = read->attrs.at("_class");
  EXPECT_EQ(cls.kind, TfAttr::ListString);
  EXPECT_EQ(cls.listS, (std::vector<std::string>{"loc:@dense/kernel"}));
}

TEST(ProtoGraphDef, ParsesFrozenAutoencoder) {
  std::string bytes = readFile(dataPath("tf_ae0_frozen.pb"));
  TfGraph graph;
  std::string error;
  ASSERT_TRUE(parseGraphDef(bytes, false, graph, error)) << error;
  EXPECT_EQ(graph.nodes.size(), 30u);
  std::map<std::string, int> expected = {{"Placeholder", 1}, {"Const", 8},
                                         {"Identity", 9},    {"MatMul", 4},
                                         {"BiasAdd", 4},     {"Sigmoid", 4}};
  EXPECT_EQ(countOps(graph), expected);
}

const char *const kTextGraph = R"pb(
node {
  name: "c"
  op: "Const"
  device: "/device:CPU:0"
  attr { key: "dtype" value { type: DT_FLOAT } }
  attr {
    key: "value"
    value {
      tensor {
        dtype: DT_FLOAT
        tensor_shape { dim { size: 2 } dim { size: 3 } }
        float_val: 1.5
      }
    }
  }
  experimental_type { type_id: 1 }  # not in our subset: skipped
}
node {
  name: "i"
  op: "Const"
  attr {
    key: "value"
    value {
      tensor {
        dtype: DT_INT32
        tensor_shape { dim { size: 4 } }
        int_val: 1
        int_val: 2
      }
    }
  }
}
node {
  name: "h"
  op: "Const"
  attr {
    key: "value"
    value {
      tensor {
        dtype: DT_HALF
        tensor_shape { dim { size: 2 } }
        half_val: 15360
        half_val: 49152
      }
    }
  }
}
node {
  name: "z"
  op: "Const"
  attr {
    key: "value"
    value { tensor { dtype: DT_INT64 tensor_shape { dim { size: 3 } } } }
  }
}
node {
  name: "conv"
  op: "Conv2D"
  input: "x"
  input: "c:0"
  input: "^i"
  attr { key: "T" value { type: DT_FLOAT } }
  attr { key: "strides" value { list { i: 1 i: 2 i: 2 i: 1 } } }
  attr { key: "padding" value { s: "SAME" } }
  attr { key: "use_cudnn_on_gpu" value { b: true } }
  attr { key: "epsilon" value { f: 0.25 } }
  attr { key: "empty" value { list { } } }
  attr { key: "fn" value { func { name: "f" attr { key: "n" value { i: 3 } } } } }
}
versions { producer: 27 min_consumer: 12 }
)pb";

TEST(ProtoGraphDef, ParsesTextFormat) {
  TfGraph graph;
  std::string error;
  ASSERT_TRUE(parseGraphDef(kTextGraph, /*text=*/true, graph, error)) << error;
  ASSERT_EQ(graph.nodes.size(), 5u);
  EXPECT_EQ(graph.producer, 27);
  EXPECT_EQ(graph.minConsumer, 12);

  const TfNode &c = graph.nodes[0];
  EXPECT_EQ(c.device, "/device:CPU:0");
  // A single float_val fills the whole 2x3 shape.
  EXPECT_EQ(c.attrs.at("value").tensor.floats, std::vector<float>(6, 1.5f));

  // A short int_val list repeats its last value.
  EXPECT_EQ(graph.nodes[1].attrs.at("value").tensor.ints,
            (std::vector<int64_t>{1, 2, 2, 2}));
  // half_val holds IEEE half bits: 0x3c00 = 1.0, 0xc000 = -2.0.
  EXPECT_EQ(graph.nodes[2].attrs.at("value").tensor.floats,
            (std::vector<float>{1.0f, -2.0f}));
  // No values at all means zeros.
  EXPECT_EQ(graph.nodes[3].attrs.at("value").tensor.ints,
            (std::vector<int64_t>{0, 0, 0}));

  const TfNode &conv = graph.nodes[4];
  EXPECT_EQ(conv.inputs, (std::vector<std::string>{"x", "c:0", "^i"}));
  EXPECT_EQ(conv.attrs.at("strides").kind, TfAttr::ListInt);
  EXPECT_EQ(conv.attrs.at("strides").listI, (std::vector<int64_t>{1, 2, 2, 1}));
  EXPECT_EQ(conv.attrs.at("padding").s, "SAME");
  EXPECT_TRUE(conv.attrs.at("use_cudnn_on_gpu").b);
  EXPECT_FLOAT_EQ(conv.attrs.at("epsilon").f, 0.25f);
  EXPECT_EQ(conv.attrs.at("empty").kind, TfAttr::ListEmpty);
  EXPECT_TRUE(conv.attrs.at("empty").isList());
  const TfAttr &fn = conv.attrs.at("fn");
  EXPECT_EQ(fn.kind, TfAttr::Func);
  EXPECT_EQ(fn.s, "f");
  EXPECT_EQ(fn.funcAttrs.at("n").i, 3);
}

TEST(ProtoGraphDef, TruncatedBinaryFails) {
  std::string bytes = readFile(dataPath("tf_fc_layers_frozen.pb"));
  ASSERT_GT(bytes.size(), 1000u);
  TfGraph graph;
  graph.producer = 99;
  std::string error;
  // Halfway through the file lies inside dense/kernel's tensor_content.
  EXPECT_FALSE(
      parseGraphDef(bytes.substr(0, bytes.size() / 2), false, graph, error));
  EXPECT_EQ(error, "truncated or malformed binary GraphDef");
  EXPECT_EQ(graph.producer, 99) << "output must be untouched on failure";

  error.clear();
  EXPECT_FALSE(parseGraphDef(std::string("\x0a\xff\xff\x01garbage", 11), false,
                             graph, error));
  EXPECT_FALSE(error.empty());
}

TEST(ProtoGraphDef, BadTextReportsLine) {
  TfGraph graph;
  std::string error;
  const char *bad = "node {\n"
                    "  name: \"a\"\n"
                    "  attr { key: \"T\" value { type: DT_NOPE } }\n"
                    "}\n";
  EXPECT_FALSE(parseGraphDef(bad, /*text=*/true, graph, error));
  EXPECT_NE(error.find("line 3:"), std::string::npos) << error;
  EXPECT_NE(error.find("DT_NOPE"), std::string::npos) << error;
  EXPECT_EQ(error.find('\n'), std::string::npos) << "one line: " << error;

  error.clear();
  EXPECT_FALSE(parseGraphDef("node { name: \"a\"\n", true, graph, error));
  EXPECT_NE(error.find("line "), std::string::npos) << error;

  // A valid binary GraphDef is not valid text.
  error.clear();
  std::string binary = readFile(dataPath("tf_ae0_frozen.pb"));
  EXPECT_FALSE(parseGraphDef(binary, true, graph, error));
  EXPECT_NE(error.find("line "), std::string::npos) << error;
}

TfGraph makeGraph() {
  TfGraph graph;
  graph.producer = 1205;
  graph.minConsumer = 3;

  TfNode c;
  c.name = "w";
  c.op = "Const";
  TfAttr value;
  value.kind = TfAttr::Tensor;
  value.tensor.dtype = TfDType::Float;
  value.tensor.shape = {2, 2};
  value.tensor.floats = {1.0f, -2.5f, 3.25f, 1e-3f};
  c.attrs["value"] = value;
  TfAttr dtype;
  dtype.kind = TfAttr::Type;
  dtype.type = TfDType::Float;
  c.attrs["dtype"] = dtype;
  graph.nodes.push_back(c);

  TfNode h;
  h.name = "h";
  h.op = "Const";
  TfAttr half;
  half.kind = TfAttr::Tensor;
  half.tensor.dtype = TfDType::Half;
  half.tensor.shape = {3};
  half.tensor.floats = {0.5f, -65504.0f, 5.9604645e-08f}; // exact in half
  h.attrs["value"] = half;
  graph.nodes.push_back(h);

  TfNode s;
  s.name = "s";
  s.op = "Const";
  TfAttr str;
  str.kind = TfAttr::Tensor;
  str.tensor.dtype = TfDType::String;
  str.tensor.shape = {2};
  str.tensor.strings = {"ab", std::string("\0x", 2)};
  s.attrs["value"] = str;
  graph.nodes.push_back(s);

  TfNode n;
  n.name = "n";
  n.op = "Conv2D";
  n.device = "/device:CPU:0";
  n.inputs = {"x", "w:0", "^s"};
  TfAttr strides;
  strides.kind = TfAttr::ListInt;
  strides.listI = {1, 2, 2, 1};
  n.attrs["strides"] = strides;
  TfAttr shapes;
  shapes.kind = TfAttr::ListShape;
  shapes.listShape.resize(2);
  shapes.listShape[0].dims = {-1, 7};
  shapes.listShape[1].unknownRank = true;
  n.attrs["_output_shapes"] = shapes;
  TfAttr types;
  types.kind = TfAttr::ListType;
  types.listType = {TfDType::Int8, TfDType::BFloat16};
  n.attrs["Tout"] = types;
  TfAttr bools;
  bools.kind = TfAttr::ListBool;
  bools.listB = {true, false};
  n.attrs["flags"] = bools;
  TfAttr placeholder;
  placeholder.kind = TfAttr::Placeholder;
  placeholder.s = "T";
  n.attrs["ph"] = placeholder;
  TfAttr splat;
  splat.kind = TfAttr::Tensor;
  splat.tensor.dtype = TfDType::Int32;
  splat.tensor.shape = {5};
  splat.tensor.ints = {7}; // written as one int_val, read back as 5 values
  n.attrs["splat"] = splat;
  graph.nodes.push_back(n);
  return graph;
}

void expectSameGraph(const TfGraph &a, const TfGraph &b) {
  EXPECT_EQ(a.producer, b.producer);
  EXPECT_EQ(a.minConsumer, b.minConsumer);
  ASSERT_EQ(a.nodes.size(), b.nodes.size());
  for (size_t k = 0; k < a.nodes.size(); ++k) {
    EXPECT_EQ(a.nodes[k].name, b.nodes[k].name);
    EXPECT_EQ(a.nodes[k].op, b.nodes[k].op);
    EXPECT_EQ(a.nodes[k].device, b.nodes[k].device);
    EXPECT_EQ(a.nodes[k].inputs, b.nodes[k].inputs);
    EXPECT_EQ(a.nodes[k].attrs.size(), b.nodes[k].attrs.size());
  }
}

TEST(ProtoGraphDef, WriteParseRoundTrip) {
  TfGraph graph = makeGraph();
  for (bool text : {false, true}) {
    SCOPED_TRACE(text ? "text" : "binary");
    std::string bytes, error;
    ASSERT_TRUE(writeGraphDef(graph, text, bytes, error)) << error;
    TfGraph back;
    ASSERT_TRUE(parseGraphDef(bytes, text, back, error)) << error;
    expectSameGraph(graph, back);

    EXPECT_EQ(back.nodes[0].attrs.at("value").tensor.floats,
              graph.nodes[0].attrs.at("value").tensor.floats);
    EXPECT_EQ(back.nodes[0].attrs.at("value").tensor.shape,
              (std::vector<int64_t>{2, 2}));
    EXPECT_EQ(back.nodes[1].attrs.at("value").tensor.floats,
              graph.nodes[1].attrs.at("value").tensor.floats);
    EXPECT_EQ(back.nodes[2].attrs.at("value").tensor.strings,
              graph.nodes[2].attrs.at("value").tensor.strings);
    const TfNode &n = back.nodes[3];
    EXPECT_EQ(n.attrs.at("strides").listI, (std::vector<int64_t>{1, 2, 2, 1}));
    const TfAttr &shapes = n.attrs.at("_output_shapes");
    ASSERT_EQ(shapes.kind, TfAttr::ListShape);
    EXPECT_EQ(shapes.listShape[0].dims, (std::vector<int64_t>{-1, 7}));
    EXPECT_TRUE(shapes.listShape[1].unknownRank);
    EXPECT_EQ(n.attrs.at("Tout").listType,
              (std::vector<TfDType>{TfDType::Int8, TfDType::BFloat16}));
    EXPECT_EQ(n.attrs.at("flags").listB, (std::vector<bool>{true, false}));
    EXPECT_EQ(n.attrs.at("ph").kind, TfAttr::Placeholder);
    EXPECT_EQ(n.attrs.at("ph").s, "T");
    EXPECT_EQ(n.attrs.at("splat").tensor.ints,
              (std::vector<int64_t>{7, 7, 7, 7, 7}));

    // Writing the parsed graph again gives the same bytes.
    std::string again;
    ASSERT_TRUE(writeGraphDef(back, text, again, error)) << error;
    TfGraph back2;
    ASSERT_TRUE(parseGraphDef(again, text, back2, error)) << error;
    std::string third;
    ASSERT_TRUE(writeGraphDef(back2, text, third, error)) << error;
    EXPECT_EQ(again, third);
  }

  // A real graph survives parse -> write -> parse with identical weights.
  std::string bytes = readFile(dataPath("tf_fc_layers_frozen.pb"));
  TfGraph real, back;
  std::string error, written;
  ASSERT_TRUE(parseGraphDef(bytes, false, real, error)) << error;
  ASSERT_TRUE(writeGraphDef(real, false, written, error)) << error;
  ASSERT_TRUE(parseGraphDef(written, false, back, error)) << error;
  expectSameGraph(real, back);
  EXPECT_EQ(findNode(back, "dense/kernel")->attrs.at("value").tensor.floats,
            findNode(real, "dense/kernel")->attrs.at("value").tensor.floats);
}

TEST(ProtoGraphDef, WriteRejectsBadTensor) {
  TfGraph graph;
  TfNode node;
  node.name = "bad";
  node.op = "Const";
  TfAttr value;
  value.kind = TfAttr::Tensor;
  value.tensor.dtype = TfDType::Float;
  value.tensor.shape = {4};
  value.tensor.floats = {1.0f, 2.0f, 3.0f}; // 3 values for 4 elements
  node.attrs["value"] = value;
  graph.nodes.push_back(node);
  std::string bytes, error;
  EXPECT_FALSE(writeGraphDef(graph, false, bytes, error));
  EXPECT_NE(error.find("'bad'"), std::string::npos) << error;
  EXPECT_EQ(tfDTypeName(TfDType::HalfRef), "HALF_REF");
}

//===----------------------------------------------------------------------===//
// XModel
//===----------------------------------------------------------------------===//

TEST(ProtoXModel, ReadsVoxelnetQuantized) {
  std::string bytes = readFile(dataPath("voxelnet_quantized.xmodel"));
  ASSERT_FALSE(bytes.empty());
  XGraph g;
  std::string error;
  ASSERT_TRUE(readXModel(bytes, g, error)) << error;

  EXPECT_EQ(g.name, "VoxelNet");
  EXPECT_EQ(g.ops.size(), 166u);
  std::map<std::string, int> counts = countOps(g);
  EXPECT_EQ(counts["conv2d"], 20);
  EXPECT_EQ(counts["fix"], 70);
  EXPECT_EQ(counts["const"], 46);
  EXPECT_EQ(counts["relu"], 20);
  EXPECT_EQ(counts["transposed-conv2d"], 3);
  EXPECT_EQ(counts["data"], 2);
  EXPECT_EQ(counts["PPScatterV2"], 1);
  EXPECT_EQ(g.opDefs.size(), 79u);
  EXPECT_EQ(g.root.count(), 1u); // not partitioned yet

  const XOp &input = g.ops[0];
  EXPECT_EQ(input.name, "VoxelNet__input_0");
  EXPECT_EQ(input.type, "data");
  ASSERT_EQ(input.attrs.count("shape"), 1u);
  EXPECT_EQ(input.attrs.at("shape").kind, XAttr::Int32Vec);
  EXPECT_EQ(input.attrs.at("shape").ints,
            (std::vector<int64_t>{1, 12000, 100, 4}));
  EXPECT_EQ(input.attrs.at("data_type"), XAttr::string("FLOAT32"));
  EXPECT_EQ(input.outputTensor.name, "VoxelNet__input_0");
  EXPECT_EQ(input.outputTensor.dims, (std::vector<int32_t>{1, 12000, 100, 4}));
  EXPECT_EQ(input.outputTensor.dataType,
            static_cast<int32_t>(XDataType::Float));
  EXPECT_EQ(input.outputTensor.bitWidth, 32);

  ASSERT_EQ(g.attrs.count("return_ops"), 1u);
  EXPECT_EQ(g.attrs.at("return_ops").kind, XAttr::StringVec);

  // Every conv2d has its input op wired by name to an existing op.
  std::map<std::string, const XOp *> byName;
  for (const XOp &op : g.ops)
    byName[op.name] = &op;
  for (const XOp &op : g.ops) {
    if (op.type != "conv2d")
      continue;
    EXPECT_EQ(op.attrs.at("bias_term"), XAttr::boolean(true));
    bool sawInput = false;
    for (const XOpArg &arg : op.args) {
      for (const std::string &producer : arg.argOps)
        EXPECT_EQ(byName.count(producer), 1u) << producer;
      sawInput |= arg.argName == "input" && arg.argOps.size() == 1;
    }
    EXPECT_TRUE(sawInput) << op.name;
  }
}

TEST(ProtoXModel, ReadsCompiledPointpillars) {
  std::string bytes = readFile(dataPath("pointpillars_DPUCZDX8G.xmodel"));
  XGraph g;
  std::string error;
  ASSERT_TRUE(readXModel(bytes, g, error)) << error;
  EXPECT_EQ(g.ops.size(), 89u);
  std::map<std::string, int> counts = countOps(g);
  EXPECT_EQ(counts["conv2d-fix"], 20);
  EXPECT_EQ(counts["const-fix"], 46);
  EXPECT_EQ(g.root.name, "root");
  EXPECT_EQ(g.root.count(), 39u);
  EXPECT_EQ(g.opDefs.size(), 107u);

  std::map<std::string, int> devices;
  size_t dpuWithCode = 0;
  for (const XSubgraph &child : g.root.children) {
    auto it = child.attrs.find("device");
    ASSERT_NE(it, child.attrs.end()) << child.name;
    ++devices[it->second.s];
    if (it->second.s == "DPU" && child.attrs.count("mc_code") &&
        child.attrs.at("mc_code").kind == XAttr::Bytes &&
        !child.attrs.at("mc_code").s.empty())
      ++dpuWithCode;
  }
  EXPECT_EQ(devices,
            (std::map<std::string, int>{{"CPU", 4}, {"DPU", 2}, {"USER", 2}}));
  EXPECT_EQ(dpuWithCode, 2u);
  ASSERT_EQ(g.attrs.count("files_md5sum"), 1u);
  EXPECT_EQ(g.attrs.at("files_md5sum").kind, XAttr::MapString);
}

TEST(ProtoXModel, ReadWriteReadIsLossless) {
  for (const char *name :
       {"voxelnet_quantized.xmodel", "pointpillars_DPUCZDX8G.xmodel",
        "pointpillars_DPUCZDX8G_v25.xmodel"}) {
    SCOPED_TRACE(name);
    std::string original = readFile(dataPath(name));
    ASSERT_FALSE(original.empty());
    XGraph first;
    std::string error;
    ASSERT_TRUE(readXModel(original, first, error)) << error;

    std::string written;
    ASSERT_TRUE(writeXModel(first, written, error)) << error;
    // Same fields, only map order may differ: the size must match.
    EXPECT_EQ(written.size(), original.size());

    XGraph second;
    ASSERT_TRUE(readXModel(written, second, error)) << error;
    EXPECT_EQ(second.ops.size(), first.ops.size());
    EXPECT_EQ(second.root.count(), first.root.count());
    EXPECT_EQ(second.opDefs.size(), first.opDefs.size());
    EXPECT_TRUE(second == first);

    std::string rewritten;
    ASSERT_TRUE(writeXModel(second, rewritten, error)) << error;
    EXPECT_TRUE(rewritten == written) << "writer is not deterministic";
  }
}

TEST(ProtoXModel, BadInputFails) {
  std::string bytes = readFile(dataPath("voxelnet_quantized.xmodel"));
  XGraph g;
  g.name = "untouched";
  std::string error;
  EXPECT_FALSE(readXModel(bytes.substr(0, bytes.size() / 2), g, error));
  EXPECT_FALSE(error.empty());
  EXPECT_EQ(g.name, "untouched");

  error.clear();
  EXPECT_FALSE(readXModel("this is not an xmodel", g, error));
  EXPECT_FALSE(error.empty());
}

TEST(ProtoXModel, WritesAllAttrKinds) {
  XGraph g;
  g.name = "kinds";
  XOp op;
  op.name = "a";
  op.type = "data";
  op.outputTensor.name = "a";
  op.outputTensor.dims = {1, -1};
  op.outputTensor.dataType = static_cast<int32_t>(XDataType::XInt);
  op.outputTensor.bitWidth = 8;
  XAttr u32;
  u32.kind = XAttr::UInt32;
  u32.u = 4000000000u;
  XAttr m;
  m.kind = XAttr::MapInt32Vec;
  m.intVecMap = {{"x", {1, -2}}, {"y", {}}};
  XAttr sv;
  sv.kind = XAttr::MapStringVec;
  sv.strVecMap = {{"k", {"v1", "v2"}}};
  XAttr bv;
  bv.kind = XAttr::BytesVec;
  bv.strs = {std::string("\0\1", 2), "z"};
  XAttr dv;
  dv.kind = XAttr::DoubleVec;
  dv.reals = {0.1, 1e300};
  op.attrs = {{"u32", u32},
              {"map", m},
              {"sv", sv},
              {"bv", bv},
              {"dv", dv},
              {"f", XAttr::float32(0.5f)},
              {"i64", XAttr::int64(-5)},
              {"zero", XAttr::int32(0)},
              {"none", XAttr()}};
  g.ops.push_back(op);
  g.root.name = "root";
  g.root.opNames = {"a"};
  XOpDef def;
  def.name = "data";
  def.inputArgs.push_back({"input", 2, 4, "note"});
  XAttrDef attrDef;
  attrDef.name = "shape";
  attrDef.hasDefaultValue = true;
  attrDef.defaultValue = XAttr::int32Vec({});
  def.attrs.push_back(attrDef);
  g.opDefs.push_back(def);

  std::string bytes, error;
  ASSERT_TRUE(writeXModel(g, bytes, error)) << error;
  XGraph back;
  ASSERT_TRUE(readXModel(bytes, back, error)) << error;
  EXPECT_TRUE(back == g);
  EXPECT_EQ(back.ops[0].outputTensor.dims, (std::vector<int32_t>{1, -1}));
  EXPECT_EQ(back.ops[0].attrs.at("zero").kind, XAttr::Int32);
  EXPECT_EQ(back.ops[0].attrs.at("u32").u, 4000000000u);
}

} // namespace

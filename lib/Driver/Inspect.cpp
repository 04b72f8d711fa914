//===- Inspect.cpp - The inspect translation ------------------------------===//

#include "vai/Driver/Inspect.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "vai/Import/CaffeImporter.h"
#include "vai/Import/ImportReport.h"
#include "vai/Import/KerasImporter.h"
#include "vai/Import/OnnxImporter.h"
#include "vai/Import/TfjsGraphImporter.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

using namespace mlir;

namespace vai {
namespace {

enum class Format {
  GraphDef,
  TfjsGraph,
  TfjsLayers,
  KerasH5,
  KerasJson,
  Onnx,
  Caffe,
  Unknown
};

const char *formatName(Format format) {
  switch (format) {
  case Format::GraphDef:
    return "TensorFlow GraphDef";
  case Format::TfjsGraph:
    return "TF.js graph model";
  case Format::TfjsLayers:
    return "TF.js layers model (Keras)";
  case Format::KerasH5:
    return "Keras HDF5";
  case Format::KerasJson:
    return "Keras architecture JSON";
  case Format::Onnx:
    return "ONNX";
  case Format::Caffe:
    return "Caffe prototxt";
  case Format::Unknown:
    break;
  }
  return "unknown";
}

Format detectFormat(StringRef name, StringRef bytes) {
  StringRef ext = llvm::sys::path::extension(name).lower() == ""
                      ? ""
                      : llvm::sys::path::extension(name);
  std::string lower = ext.lower();
  if (lower == ".onnx")
    return Format::Onnx;
  if (lower == ".h5" || lower == ".hdf5" || lower == ".keras" ||
      bytes.starts_with("\x89HDF\r\n\x1a\n"))
    return Format::KerasH5;
  if (lower == ".pb" || lower == ".pbtxt" || lower == ".graphdef")
    return Format::GraphDef;
  if (lower == ".json") {
    llvm::Expected<llvm::json::Value> json = llvm::json::parse(bytes);
    if (!json) {
      llvm::consumeError(json.takeError());
      return Format::Unknown;
    }
    const llvm::json::Object *root = json->getAsObject();
    if (!root)
      return Format::Unknown;
    if (std::optional<StringRef> f = root->getString("format")) {
      if (*f == "graph-model")
        return Format::TfjsGraph;
      if (*f == "layers-model")
        return Format::TfjsLayers;
    }
    if (const llvm::json::Object *topology = root->getObject("modelTopology"))
      return topology->get("node") ? Format::TfjsGraph : Format::TfjsLayers;
    if (root->get("class_name"))
      return Format::KerasJson;
    return Format::Unknown;
  }
  if (lower == ".prototxt" || lower == ".txt")
    return bytes.contains("node {") || bytes.contains("node{")
               ? Format::GraphDef
               : Format::Caffe;
  return Format::Unknown;
}

/// For importers without a report mode: describe what they imported.
void describeModule(ModuleOp module, ImportReport &report) {
  auto func = module.lookupSymbol<func::FuncOp>("main");
  if (!func)
    return;
  auto tensorOf = [](std::string name, Type type) {
    ImportReport::Tensor t{std::move(name), {}, false, "float32"};
    if (auto ranked = dyn_cast<RankedTensorType>(type)) {
      t.shapeKnown = true;
      for (int64_t d : ranked.getShape())
        t.shape.push_back(ShapedType::isDynamic(d) ? -1 : d);
    }
    return t;
  };
  for (auto [i, arg] : llvm::enumerate(func.getArguments())) {
    auto name = func.getArgAttrOfType<StringAttr>(i, "tfg.name");
    report.inputs.push_back(
        tensorOf(name ? name.str() : "arg" + std::to_string(i), arg.getType()));
  }
  auto names = func->getAttrOfType<ArrayAttr>("tfg.output_names");
  for (auto [i, type] : llvm::enumerate(func.getResultTypes())) {
    auto name = names && i < names.size() ? dyn_cast<StringAttr>(names[i])
                                          : StringAttr();
    report.outputs.push_back(
        tensorOf(name ? name.str() : "result" + std::to_string(i), type));
  }
  func.walk([&](Operation *op) {
    if (op->getDialect() && op->getDialect()->getNamespace() == "tfg")
      ++report.opHistogram[op->getName().getStringRef().str()];
  });
}

} // namespace

LogicalResult inspectModel(const llvm::MemoryBuffer &buffer,
                           llvm::raw_ostream &os, MLIRContext *context,
                           const InspectOptions &options) {
  StringRef name = buffer.getBufferIdentifier();
  StringRef bytes = buffer.getBuffer();
  Location fileLoc = FileLineColLoc::get(context, name, 0, 0);
  Format format = detectFormat(name, bytes);
  ImportReport report;
  OwningOpRef<ModuleOp> module;
  switch (format) {
  case Format::GraphDef:
  case Format::TfjsGraph: {
    GraphDefImportOptions graphOptions = options.graphDef;
    graphOptions.report = &report;
    graphOptions.text = graphOptions.text || isTextGraphDefName(name);
    module = format == Format::GraphDef
                 ? importGraphDef(bytes, name, context, graphOptions)
                 : importTfjsGraphModel(bytes, name, context, graphOptions);
    if (format == Format::TfjsGraph)
      report.format = formatName(format);
    break;
  }
  case Format::Onnx: {
    OnnxImportOptions onnxOptions;
    onnxOptions.report = &report;
    module = importOnnx(bytes, name, context, onnxOptions);
    break;
  }
  case Format::KerasH5:
  case Format::KerasJson:
  case Format::TfjsLayers:
  case Format::Caffe: {
    if (format == Format::Caffe) {
      CaffeImportOptions caffeOptions;
      caffeOptions.weightsPath = options.caffeWeights;
      module = importCaffe(bytes, name, context, caffeOptions);
    } else if (format == Format::TfjsLayers) {
      module = importTfjsLayers(bytes, name, context);
    } else {
      KerasImportOptions kerasOptions;
      kerasOptions.weightsFile = options.kerasWeights;
      module = importKeras(bytes, name, context, kerasOptions);
    }
    if (!module)
      return emitError(fileLoc)
             << "inspect: the " << formatName(format)
             << " importer stopped at the error above; its op histogram is "
                "of the tfg ops it makes, so there is no report";
    report.format = std::string(formatName(format)) + " (ops after import)";
    describeModule(*module, report);
    break;
  }
  case Format::Unknown:
    return emitError(fileLoc)
           << "inspect: cannot tell the model format (expected .pb, .pbtxt, "
              ".onnx, .h5, a TF.js or Keras .json, or a Caffe .prototxt)";
  }
  // Report mode returns null only when the model could not be read at all.
  if (!module)
    return failure();
  report.print(os);
  return success();
}

} // namespace vai

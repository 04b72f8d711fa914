//===- CalibrationData.cpp - Calibration inputs for quant-calibrate -------===//

#include "CalibrationData.h"

#include "vai/Simulator/Npy.h"
#include "vai/Support/Npz.h"

#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

using namespace mlir;
using namespace vai;
using namespace vai::quant;

namespace {

std::string shapeText(const std::vector<int64_t> &shape) {
  std::string text;
  for (size_t i = 0; i < shape.size(); ++i)
    text += (i ? "x" : "") + std::to_string(shape[i]);
  return text.empty() ? "scalar" : text;
}

std::string typeText(Type type) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << type;
  return text;
}

/// The framework name of argument `i` (`tfg.name`), or "#i".
std::string argName(func::FuncOp func, unsigned i) {
  if (auto name = func.getArgAttrOfType<StringAttr>(i, "tfg.name"))
    return name.str();
  return "#" + std::to_string(i);
}

/// Checks that `shape` (images first) fits argument `type`: same rank and
/// equal trailing dimensions wherever the argument's are static.
bool fitsArgument(const std::vector<int64_t> &shape, RankedTensorType type) {
  if (int64_t(shape.size()) != type.getRank() || shape.empty())
    return false;
  for (int64_t d = 1; d < type.getRank(); ++d)
    if (!type.isDynamicDim(d) && type.getDimSize(d) != shape[d])
      return false;
  return true;
}

/// Whole arrays in memory: .npy and .npz sources.
class ArrayData : public CalibrationData {
public:
  explicit ArrayData(std::vector<FloatArray> arrays)
      : arrays(std::move(arrays)) {}

  int64_t numImages() const override { return arrays.front().shape[0]; }

  bool loadBatch(int64_t first, int64_t count, std::vector<FloatArray> &inputs,
                 std::string &error) override {
    inputs.clear();
    for (const FloatArray &array : arrays) {
      int64_t perImage = array.numElements() / array.shape[0];
      FloatArray slice;
      slice.shape = array.shape;
      slice.shape[0] = count;
      slice.data.assign(array.data.begin() + first * perImage,
                        array.data.begin() + (first + count) * perImage);
      inputs.push_back(std::move(slice));
    }
    return true;
  }

private:
  std::vector<FloatArray> arrays;
};

/// Images decoded batch by batch.
class FolderData : public CalibrationData {
public:
  FolderData(std::vector<std::string> files, PreprocessSpec spec,
             RankedTensorType type)
      : files(std::move(files)), spec(std::move(spec)), type(type) {}

  int64_t numImages() const override { return files.size(); }

  bool loadBatch(int64_t first, int64_t count, std::vector<FloatArray> &inputs,
                 std::string &error) override {
    FloatArray batch;
    int64_t channels = type.getDimSize(3);
    for (int64_t i = first; i < first + count; ++i) {
      FloatArray image;
      if (!loadImage(files[i], spec, channels, image, error))
        return false;
      // The first image fixes the size where the argument leaves it open.
      if (imageShape.empty()) {
        imageShape = image.shape;
        if (!fitsArgument({1, imageShape[0], imageShape[1], imageShape[2]},
                          type)) {
          error = files[i] + ": preprocessed to " + shapeText(image.shape) +
                  " (HxWxC) but the input needs " + typeText(type) +
                  "; set resize/crop";
          return false;
        }
      } else if (image.shape != imageShape) {
        error = files[i] + ": preprocessed to " + shapeText(image.shape) +
                " (HxWxC), unlike " + shapeText(imageShape) +
                " of the images before it; set resize/crop to make them "
                "equal";
        return false;
      }
      batch.data.insert(batch.data.end(), image.data.begin(), image.data.end());
    }
    batch.shape = {count, imageShape[0], imageShape[1], imageShape[2]};
    inputs.clear();
    inputs.push_back(std::move(batch));
    return true;
  }

private:
  std::vector<std::string> files;
  PreprocessSpec spec;
  RankedTensorType type;
  std::vector<int64_t> imageShape;
};

bool openFolder(func::FuncOp func, const std::string &path,
                const PreprocessSpec &spec,
                std::unique_ptr<CalibrationData> &data, std::string &error) {
  auto type = dyn_cast<RankedTensorType>(func.getArgumentTypes()[0]);
  if (func.getNumArguments() != 1 || !type || type.getRank() != 4 ||
      type.isDynamicDim(3)) {
    error = path +
            ": an image folder needs a function with one NHWC input "
            "with a static channel count, got " +
            typeText(func.getFunctionType());
    return false;
  }
  std::string specError;
  if (!validatePreprocessSpec(spec, type.getDimSize(3), specError)) {
    error = "preprocessing for " + path + ": " + specError;
    return false;
  }
  std::vector<std::string> files;
  if (!listImageFiles(path, files, error))
    return false;
  data = std::make_unique<FolderData>(std::move(files), spec, type);
  return true;
}

/// Matches archive arrays to arguments: by `tfg.name` when every argument
/// has its array (TF's ":0" output suffix optional), else by order.
bool mapArchive(func::FuncOp func, const std::string &path,
                std::vector<NpzEntry> &entries, std::vector<FloatArray> &arrays,
                std::vector<std::string> &arrayNames, std::string &error) {
  unsigned numArgs = func.getNumArguments();
  std::vector<int> byName(numArgs, -1);
  bool allNamed = true;
  for (unsigned i = 0; i < numArgs && allNamed; ++i) {
    std::string name = argName(func, i);
    llvm::StringRef bare = llvm::StringRef(name);
    bare.consume_back(":0");
    for (size_t e = 0; e < entries.size(); ++e)
      if (entries[e].name == name || entries[e].name == bare)
        byName[i] = int(e);
    allNamed = byName[i] >= 0;
  }
  if (!allNamed) {
    if (entries.size() != numArgs) {
      std::vector<std::string> names, args;
      for (const NpzEntry &e : entries)
        names.push_back("'" + e.name + "'");
      for (unsigned i = 0; i < numArgs; ++i)
        args.push_back("'" + argName(func, i) + "'");
      error = path + ": arrays " + llvm::join(names, ", ") +
              " match neither the names of the inputs " +
              llvm::join(args, ", ") + " nor their number";
      return false;
    }
    for (unsigned i = 0; i < numArgs; ++i)
      byName[i] = int(i);
  }
  for (unsigned i = 0; i < numArgs; ++i) {
    arrays.push_back(std::move(entries[byName[i]].array));
    arrayNames.push_back("array '" + entries[byName[i]].name + "'");
  }
  return true;
}

} // namespace

std::unique_ptr<CalibrationData>
CalibrationData::open(func::FuncOp func, const std::string &path,
                      const PreprocessSpec &spec, std::string &error) {
  unsigned numArgs = func.getNumArguments();
  if (numArgs == 0) {
    error = "the function has no inputs to calibrate";
    return nullptr;
  }
  if (!llvm::sys::fs::exists(path)) {
    error = path + ": no such file or folder";
    return nullptr;
  }
  std::unique_ptr<CalibrationData> data;
  if (llvm::sys::fs::is_directory(path)) {
    if (!openFolder(func, path, spec, data, error))
      return nullptr;
    return data;
  }

  std::vector<FloatArray> arrays;
  std::vector<std::string> arrayNames;
  if (llvm::StringRef(path).ends_with_insensitive(".npz")) {
    std::vector<NpzEntry> entries;
    if (!readNpzFloat(path, entries, error) ||
        !mapArchive(func, path, entries, arrays, arrayNames, error))
      return nullptr;
  } else {
    if (numArgs != 1) {
      error = path + ": a .npy file feeds one input but the function has " +
              std::to_string(numArgs) + "; use a .npz archive";
      return nullptr;
    }
    FloatArray array;
    if (!readNpyFloat(path, array, error))
      return nullptr;
    arrays.push_back(std::move(array));
    arrayNames.push_back("the array");
  }

  for (unsigned i = 0; i < numArgs; ++i) {
    auto type = dyn_cast<RankedTensorType>(func.getArgumentTypes()[i]);
    const FloatArray &array = arrays[i];
    if (!type || !fitsArgument(array.shape, type) || array.shape[0] == 0) {
      error = path + ": " + arrayNames[i] + " has shape " +
              shapeText(array.shape) + " but input '" + argName(func, i) +
              "' (" + typeText(func.getArgumentTypes()[i]) + ") needs rank " +
              (type ? std::to_string(type.getRank()) : std::string("?")) +
              " with those trailing sizes and at least one image";
      return nullptr;
    }
    if (array.shape[0] != arrays[0].shape[0]) {
      error = path + ": " + arrayNames[i] + " holds " +
              std::to_string(array.shape[0]) + " images but " + arrayNames[0] +
              " holds " + std::to_string(arrays[0].shape[0]);
      return nullptr;
    }
  }
  return std::make_unique<ArrayData>(std::move(arrays));
}

//===- CaffeImporter.cpp - Caffe nets to tfg ------------------------------===//
//
// Layer semantics follow BVLC Caffe's CPU implementations (src/caffe/layers/
// *_layer.cpp) and the defaults of src/caffe/proto/caffe.proto.
//
// Signature. As in the ONNX importer, @main keeps the framework's layout at
// its boundary: arguments are the net inputs (legacy `input:` fields, then
// Input layers' tops) in Caffe's NCHW shape, named by `tfg.name`; results
// are the blobs no layer consumes (Caffe's net outputs, sorted by name as
// Caffe sorts them), NCHW for rank 4, named by `tfg.output_names`.
//
// Layout. Inside, every rank-4 value is NHWC and every other value keeps
// Caffe's layout. A rank-4 argument is transposed once (`<blob>/nhwc`), a
// rank-4 result once back (`<blob>/nchw`); Flatten transposes back to NCHW
// before it reshapes (a reshape when only size-1 dimensions move). Channel
// axes (Concat, Softmax) are remapped. Weights are transposed at import:
// convolution OIHW -> HWIO (depthwise [C*m, 1, kh, kw] -> [kh, kw, C, m]),
// deconvolution [C_in, C_out, kh, kw] -> [kh, kw, C_out, C_in], and an
// InnerProduct on a rank-4 blob gets its CHW-ordered input rows reordered to
// HWC so it reads the NHWC value reshaped directly. Grouped convolutions
// that are not depthwise become one convolution with a block-diagonal
// filter (exact; costs the zero taps).
//
// BatchNorm. blobs are mean, variance and a moving-average factor f; the
// statistics are mean / f and variance / f (0 when f is 0), as Caffe
// computes them. A BatchNorm whose output only feeds the next layer, a
// single-bottom Scale over the channels, becomes one tfg.fused_batch_norm
// with the Scale's gamma (and beta); otherwise BatchNorm is a
// fused_batch_norm with scale 1, offset 0, and Scale a tfg.mul (+ tfg.add).
//
// Pooling. Caffe rounds the output size up (ceil mode, unless round_mode is
// FLOOR) and then drops a last window that would start in the padding. Its
// average divides by the window clipped to the padded input [-pad, in + pad)
// (padding counts, the ceil-mode overhang does not). tfg.avg_pool counts only
// real elements, so an average pool becomes an explicit zero tfg.pad of the
// Caffe padding followed by tfg.avg_pool whose own trailing pad is the
// overhang. Max pooling ignores padding like tfg.max_pool, which takes
// Caffe's padding and the overhang directly. Rows no window reaches (the
// clip rule can leave some) are cropped by a tfg.pad with negative amounts.
//
//===----------------------------------------------------------------------===//

#include "vai/Import/CaffeImporter.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Verifier.h"
#include "vai/Dialect/Tfg/TfgOps.h"
#include "vai/Import/ImportUtils.h"
#include "vai/Proto/Caffe.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/MemoryBuffer.h"
#include <numeric>

using namespace mlir;
using vai::proto::CaffeBlob;
using vai::proto::CaffeLayer;
using vai::proto::CaffeNet;
using vai::proto::CaffePoolParam;
using vai::proto::CaffeWindowParam;

namespace vai {
namespace {

/// NCHW <-> NHWC as tfg.transpose perms.
constexpr int64_t kToNhwc[] = {0, 2, 3, 1};
constexpr int64_t kToNchw[] = {0, 3, 1, 2};

int64_t product(ArrayRef<int64_t> dims) {
  return std::accumulate(dims.begin(), dims.end(), int64_t(1),
                         std::multiplies<int64_t>());
}

std::string shapeString(ArrayRef<int64_t> dims) {
  std::string s = "[";
  for (auto [i, d] : llvm::enumerate(dims))
    s += (i ? ", " : "") + std::to_string(d);
  return s + "]";
}

/// Row-major transpose: output dimension i is input dimension perm[i].
std::vector<float> transposeData(ArrayRef<int64_t> dims, ArrayRef<float> data,
                                 ArrayRef<int64_t> perm) {
  int64_t rank = dims.size();
  SmallVector<int64_t> strides(rank, 1), outDims, index(rank, 0);
  for (int64_t d = rank - 2; d >= 0; --d)
    strides[d] = strides[d + 1] * dims[d + 1];
  for (int64_t p : perm)
    outDims.push_back(dims[p]);
  std::vector<float> out;
  out.reserve(data.size());
  for (size_t n = 0; n < data.size(); ++n) {
    int64_t offset = 0;
    for (int64_t d = 0; d < rank; ++d)
      offset += index[d] * strides[perm[d]];
    out.push_back(data[offset]);
    for (int64_t d = rank - 1; d >= 0; --d) {
      if (++index[d] < outDims[d])
        break;
      index[d] = 0;
    }
  }
  return out;
}

/// Whether Caffe includes the layer in a TEST-phase (deploy) net: rules
/// without a phase match any phase; levels and stages are not modelled.
bool activeInTest(const CaffeLayer &l) {
  auto matches = [](int phase) { return phase == -1 || phase == 1; };
  if (!l.includePhases.empty())
    return llvm::any_of(l.includePhases, matches);
  return llvm::none_of(l.excludePhases, matches);
}

/// The 2-D window of a Convolution/Deconvolution/Pooling layer.
struct Window {
  int64_t kernel[2] = {0, 0}, stride[2] = {1, 1}, pad[2] = {0, 0},
          dilation[2] = {1, 1};
};

/// What Convolution and Deconvolution share: the NHWC input, the window,
/// and the input channels C, num_output O and group G.
struct ConvGeometry {
  Value x;
  Window win;
  int64_t C, O, G;
};

/// A layer's main parameter blob and, when it has a bias term, its bias
/// (empty otherwise).
struct ParamBlobs {
  ArrayRef<float> main, bias;
};

/// Output size of Caffe's pooling in one dimension (pooling_layer.cpp
/// Reshape): ceil or floor, then drop a last window that starts in the
/// padding when any padding is set.
int64_t caffePooledSize(int64_t in, int64_t k, int64_t s, int64_t p,
                        bool ceilMode, bool anyPad) {
  int64_t span = in + 2 * p - k;
  int64_t out = (ceilMode ? (span + s - 1) / s : span / s) + 1;
  if (anyPad && (out - 1) * s >= in + p)
    --out;
  return out;
}

class Importer {
public:
  Importer(MLIRContext *context, StringRef fileName, StringRef weightsName,
           const CaffeNet &net, const CaffeNet &weights)
      : context(context), builder(context), weightsName(weightsName),
        fileLoc(FileLineColLoc::get(context, fileName, 0, 0)), net(net),
        weights(weights) {}

  OwningOpRef<ModuleOp> run();

private:
  //--- Names, locations, errors -------------------------------------------//

  static std::string displayName(const CaffeLayer &l) {
    if (!l.name.empty())
      return l.name;
    return l.tops.empty() ? l.type : l.tops.front();
  }
  Location nameLoc(const Twine &name) {
    return NameLoc::get(StringAttr::get(context, name), fileLoc);
  }
  Location layerLoc(const CaffeLayer &l) { return nameLoc(displayName(l)); }
  Location auxLoc(const CaffeLayer &l, StringRef suffix) {
    return nameLoc(displayName(l) + "/" + suffix);
  }
  InFlightDiagnostic layerError(const CaffeLayer &l) {
    return emitError(layerLoc(l))
           << "layer '" << displayName(l) << "' (" << l.type << "): ";
  }

  //--- Op creation --------------------------------------------------------//

  FailureOr<Value> check(const CaffeLayer &l, FailureOr<Operation *> created) {
    if (failed(created) || failed(verify(*created)))
      return layerError(l) << "has inputs of incompatible shapes";
    return (*created)->getResult(0);
  }
  template <typename OpT, typename... Args>
  FailureOr<Value> inferred(const CaffeLayer &l, Location loc, Args &&...args) {
    return check(
        l, createInferred<OpT>(builder, loc, std::forward<Args>(args)...));
  }
  template <typename OpT, typename... Args>
  FailureOr<Value> plain(const CaffeLayer &l, Location loc, Args &&...args) {
    return check(
        l,
        OpT::create(builder, loc, std::forward<Args>(args)...).getOperation());
  }
  Value constant(ArrayRef<float> data, ArrayRef<int64_t> shape, Location loc) {
    auto type = RankedTensorType::get(shape, builder.getF32Type());
    return tfg::ConstOp::create(builder, loc,
                                DenseElementsAttr::get(type, data));
  }
  DenseI64ArrayAttr pairAttr(const int64_t (&v)[2]) {
    return builder.getDenseI64ArrayAttr({v[0], v[1]});
  }
  /// tfg's [top, bottom, left, right] for Caffe's symmetric padding.
  DenseI64ArrayAttr padAttr(const Window &w) {
    return builder.getDenseI64ArrayAttr(
        {w.pad[0], w.pad[0], w.pad[1], w.pad[1]});
  }
  tfg::ActivationAttr noActivation() {
    return tfg::ActivationAttr::get(context, tfg::Activation::none);
  }
  FailureOr<Value> reshape(const CaffeLayer &l, Value v,
                           ArrayRef<int64_t> shape, Location loc) {
    auto type = cast<RankedTensorType>(v.getType());
    if (type.getShape() == shape)
      return v;
    return plain<tfg::ReshapeOp>(
        l, loc, RankedTensorType::get(shape, type.getElementType()), v);
  }
  /// NHWC <-> NCHW of a rank-4 value; a reshape when only size-1
  /// dimensions move.
  FailureOr<Value> relayout(const CaffeLayer *l, Value v, bool toNchw,
                            Location loc);

  //--- Blobs --------------------------------------------------------------//

  ArrayRef<int64_t> shapeOf(Value v) {
    return cast<RankedTensorType>(v.getType()).getShape();
  }
  /// Caffe's shape of a value (NCHW for rank 4).
  SmallVector<int64_t> caffeShape(Value v) {
    ArrayRef<int64_t> s = shapeOf(v);
    if (s.size() != 4)
      return SmallVector<int64_t>(s);
    return {s[0], s[3], s[1], s[2]};
  }
  Value bottom(unsigned layer, unsigned i) {
    return values[io[layer].bottoms[i]];
  }
  void setTop(unsigned layer, unsigned i, Value v) {
    values[io[layer].tops[i]] = v;
  }
  LogicalResult arity(const CaffeLayer &l, size_t bottoms, size_t tops,
                      bool moreBottoms = false);
  /// The bottom of a layer with one bottom and one top.
  FailureOr<Value> onlyBottom(const CaffeLayer &l, unsigned k) {
    if (failed(arity(l, 1, 1)))
      return failure();
    return bottom(k, 0);
  }
  /// The same for a layer that needs a 4-D (NCHW) bottom.
  FailureOr<Value> imageBottom(const CaffeLayer &l, unsigned k);
  /// The layer's parameter blobs: from the weights file (by layer name), or
  /// from the prototxt itself when the weights file has no such layer.
  FailureOr<const std::vector<CaffeBlob> *>
  blobsOf(const CaffeLayer &l, size_t needed, StringRef what);
  /// Blob `i` checked against the shape the layer needs.
  FailureOr<ArrayRef<float>> blob(const CaffeLayer &l,
                                  const std::vector<CaffeBlob> &blobs, size_t i,
                                  ArrayRef<int64_t> expected, StringRef what);
  /// Blob 0 (`what`, checked against `shape`) and, with `biasTerm`, blob 1
  /// (a bias of `biasSize` values).
  FailureOr<ParamBlobs> paramBlobs(const CaffeLayer &l, bool biasTerm,
                                   ArrayRef<int64_t> shape, StringRef what,
                                   int64_t biasSize);
  FailureOr<Window> window(const CaffeLayer &l, const CaffeWindowParam &p,
                           bool pooling);
  FailureOr<ConvGeometry> convGeometry(const CaffeLayer &l, unsigned k);
  /// The bias constant, or null without a bias term (an empty `bias`).
  Value biasConstant(const CaffeLayer &l, ArrayRef<float> bias) {
    if (bias.empty())
      return Value();
    return constant(bias, {int64_t(bias.size())}, auxLoc(l, "bias"));
  }
  /// A grouped [A, B / G, kh, kw] filter blob as one block-diagonal
  /// [kh, kw, B, A] filter: convolution has A = O, B = C, deconvolution
  /// A = C, B = O.
  FailureOr<std::vector<float>> blockDiagonal(const CaffeLayer &l,
                                              ArrayRef<float> w, int64_t A,
                                              int64_t B, int64_t G, int64_t kh,
                                              int64_t kw);
  /// A Caffe axis of a value normalized (negative counts from the end) and
  /// mapped to the tfg value's layout.
  FailureOr<int64_t> axis(const CaffeLayer &l, Value v, int64_t a,
                          StringRef what);

  //--- Layers -------------------------------------------------------------//

  /// Converts layer k and sets its tops.
  LogicalResult convert(unsigned k);
  // Each returns the value of the layer's single top.
  FailureOr<Value> convertConvolution(const CaffeLayer &l, unsigned k);
  FailureOr<Value> convertDeconvolution(const CaffeLayer &l, unsigned k);
  FailureOr<Value> convertBatchNorm(const CaffeLayer &l, unsigned k);
  FailureOr<Value> convertScale(const CaffeLayer &l, unsigned k);
  FailureOr<Value> convertInnerProduct(const CaffeLayer &l, unsigned k);
  FailureOr<Value> convertPooling(const CaffeLayer &l, unsigned k);
  FailureOr<Value> convertEltwise(const CaffeLayer &l, unsigned k);
  FailureOr<Value> convertConcat(const CaffeLayer &l, unsigned k);
  FailureOr<Value> convertSoftmax(const CaffeLayer &l, unsigned k);
  FailureOr<Value> convertFlatten(const CaffeLayer &l, unsigned k);
  FailureOr<Value> convertUnary(const CaffeLayer &l, unsigned k);

  /// The Scale layer that layer k (a BatchNorm) absorbs, or null.
  const CaffeLayer *fusableScale(unsigned k);
  /// BatchNorm statistics (mean / f, variance / f).
  LogicalResult batchNormStats(const CaffeLayer &l, int64_t channels,
                               Value &mean, Value &variance);
  /// Input of a per-channel layer (BatchNorm, Scale): rank 2 or 4, whose
  /// channels are then the last tfg dimension.
  FailureOr<Value> channelInput(const CaffeLayer &l, unsigned k);

  MLIRContext *context;
  OpBuilder builder;
  std::string weightsName;
  Location fileLoc;
  const CaffeNet &net;
  const CaffeNet &weights;
  llvm::StringMap<const CaffeLayer *> weightLayers;

  /// Active layers (in file order) and their bottoms and tops as blob
  /// versions: an in-place layer (top == bottom) starts a new version.
  struct LayerIO {
    const CaffeLayer *layer;
    SmallVector<unsigned> bottoms, tops;
  };
  std::vector<LayerIO> io;
  std::vector<std::string> versionNames;
  std::vector<unsigned> uses;
  std::vector<Value> values;
  /// Layers already converted as part of an earlier one (a fused Scale).
  std::vector<bool> absorbed;
};

FailureOr<Value> Importer::relayout(const CaffeLayer *l, Value v, bool toNchw,
                                    Location loc) {
  ArrayRef<int64_t> s = shapeOf(v);
  ArrayRef<int64_t> perm =
      toNchw ? ArrayRef<int64_t>(kToNchw) : ArrayRef<int64_t>(kToNhwc);
  SmallVector<int64_t> out;
  for (int64_t p : perm)
    out.push_back(s[p]);
  // Channels move across H and W: the element order only stays when one
  // side is all size 1.
  int64_t channels = toNchw ? s[3] : s[1];
  int64_t spatial = toNchw ? s[1] * s[2] : s[2] * s[3];
  Operation *op;
  if (channels == 1 || spatial == 1)
    op = tfg::ReshapeOp::create(
        builder, loc, RankedTensorType::get(out, builder.getF32Type()), v);
  else {
    auto created = createInferred<tfg::TransposeOp>(
        builder, loc, v, builder.getDenseI64ArrayAttr(perm));
    if (failed(created))
      return failure();
    op = *created;
  }
  if (l)
    return check(*l, op);
  return op->getResult(0);
}

LogicalResult Importer::arity(const CaffeLayer &l, size_t bottoms, size_t tops,
                              bool moreBottoms) {
  if (l.bottoms.size() < bottoms ||
      (!moreBottoms && l.bottoms.size() != bottoms))
    return layerError(l) << "expects " << (moreBottoms ? "at least " : "")
                         << bottoms << " bottom(s), got " << l.bottoms.size();
  if (l.tops.size() != tops)
    return layerError(l) << "expects " << tops << " top(s), got "
                         << l.tops.size();
  return success();
}

FailureOr<Value> Importer::imageBottom(const CaffeLayer &l, unsigned k) {
  auto x = onlyBottom(l, k);
  if (failed(x))
    return failure();
  if (shapeOf(*x).size() != 4)
    return layerError(l) << "expects a 4-D (NCHW) bottom, got rank "
                         << shapeOf(*x).size();
  return x;
}

FailureOr<const std::vector<CaffeBlob> *>
Importer::blobsOf(const CaffeLayer &l, size_t needed, StringRef what) {
  const std::vector<CaffeBlob> *blobs = nullptr;
  auto it = weightLayers.find(l.name);
  if (it != weightLayers.end())
    blobs = &it->second->blobs;
  else if (!l.blobs.empty())
    blobs = &l.blobs;
  if (!blobs || blobs->empty())
    return layerError(l) << "the weights file '" << weightsName
                         << "' has no blobs for this layer (needs " << what
                         << ")";
  if (blobs->size() < needed)
    return layerError(l) << "the weights file '" << weightsName << "' has "
                         << blobs->size()
                         << " blob(s) for this layer, it needs " << needed
                         << " (" << what << ")";
  return blobs;
}

FailureOr<ArrayRef<float>> Importer::blob(const CaffeLayer &l,
                                          const std::vector<CaffeBlob> &blobs,
                                          size_t i, ArrayRef<int64_t> expected,
                                          StringRef what) {
  const CaffeBlob &b = blobs[i];
  for (int64_t d : b.dims)
    if (d < 0)
      return layerError(l) << "blob " << i << " (" << what
                           << ") has a negative dimension";
  int64_t count = product(b.dims);
  if (count != int64_t(b.data.size()))
    return layerError(l) << "blob " << i << " (" << what << ") holds "
                         << b.data.size() << " values but its shape "
                         << shapeString(b.dims) << " needs " << count;
  // Legacy 4-D shapes pad with leading 1s ([1, 1, 1, C] for a bias).
  ArrayRef<int64_t> have(b.dims), want(expected);
  if (b.legacyShape) {
    while (!have.empty() && have.front() == 1)
      have = have.drop_front();
    while (!want.empty() && want.front() == 1)
      want = want.drop_front();
  }
  if (have != want)
    return layerError(l) << "blob " << i << " (" << what << ") has shape "
                         << shapeString(b.dims) << ", expected "
                         << shapeString(expected);
  return ArrayRef<float>(b.data);
}

FailureOr<ParamBlobs> Importer::paramBlobs(const CaffeLayer &l, bool biasTerm,
                                           ArrayRef<int64_t> shape,
                                           StringRef what, int64_t biasSize) {
  auto blobs = blobsOf(l, biasTerm ? 2 : 1,
                       biasTerm ? (what + ", bias").str() : what.str());
  if (failed(blobs))
    return failure();
  auto main = blob(l, **blobs, 0, shape, what);
  if (failed(main))
    return failure();
  ParamBlobs p{*main, {}};
  if (biasTerm) {
    auto bias = blob(l, **blobs, 1, {biasSize}, "bias");
    if (failed(bias))
      return failure();
    p.bias = *bias;
  }
  return p;
}

FailureOr<Window> Importer::window(const CaffeLayer &l,
                                   const CaffeWindowParam &p, bool pooling) {
  // base_conv_layer.cpp / pooling_layer.cpp LayerSetUp: one value for both
  // dimensions or (convolution) one per dimension; _h/_w override.
  auto pick = [&](ArrayRef<uint32_t> values, bool hasH, bool hasW, uint32_t h,
                  uint32_t w, int64_t def, StringRef name,
                  int64_t out[2]) -> LogicalResult {
    if (hasH || hasW) {
      if (!values.empty())
        return layerError(l) << "gives both " << name << " and " << name
                             << "_h/" << name << "_w";
      out[0] = h, out[1] = w;
      return success();
    }
    if (values.size() > 2)
      return layerError(l) << "gives " << values.size() << " " << name
                           << " values; only 2-D windows are supported";
    out[0] = values.empty() ? def : values[0];
    out[1] = values.empty() ? def : values.back();
    return success();
  };
  Window w;
  if (failed(pick(p.kernel, p.hasKernelH, p.hasKernelW, p.kernelH, p.kernelW, 0,
                  "kernel_size", w.kernel)) ||
      failed(pick(p.stride, p.hasStrideH, p.hasStrideW, p.strideH, p.strideW, 1,
                  "stride", w.stride)) ||
      failed(
          pick(p.pad, p.hasPadH, p.hasPadW, p.padH, p.padW, 0, "pad", w.pad)) ||
      failed(pick(p.dilation, false, false, 0, 0, 1, "dilation", w.dilation)))
    return failure();
  if (p.hasKernelH != p.hasKernelW)
    return layerError(l) << "gives only one of kernel_h and kernel_w";
  bool global = pooling && static_cast<const CaffePoolParam &>(p).globalPooling;
  if (!global && (w.kernel[0] <= 0 || w.kernel[1] <= 0))
    return layerError(l) << "needs a positive kernel size";
  if (w.stride[0] <= 0 || w.stride[1] <= 0 || w.dilation[0] <= 0 ||
      w.dilation[1] <= 0)
    return layerError(l) << "needs positive strides and dilations";
  return w;
}

FailureOr<int64_t> Importer::axis(const CaffeLayer &l, Value v, int64_t a,
                                  StringRef what) {
  int64_t rank = shapeOf(v).size();
  if (a < -rank || a >= rank)
    return layerError(l) << what << " " << a << " is out of range for a blob "
                         << "of rank " << rank;
  if (a < 0)
    a += rank;
  if (rank == 4) {
    static const int64_t toTfg[] = {0, 3, 1, 2};
    return toTfg[a];
  }
  return a;
}

//===----------------------------------------------------------------------===//
// Convolutions
//===----------------------------------------------------------------------===//

FailureOr<ConvGeometry> Importer::convGeometry(const CaffeLayer &l,
                                               unsigned k) {
  auto x = imageBottom(l, k);
  if (failed(x))
    return failure();
  if (l.conv.axis != 1)
    return layerError(l) << "axis " << l.conv.axis << " is not supported";
  auto win = window(l, l.conv, false);
  if (failed(win))
    return failure();
  int64_t C = shapeOf(*x)[3], O = l.conv.numOutput, G = l.conv.group;
  if (O <= 0 || G <= 0 || C % G != 0 || O % G != 0)
    return layerError(l) << "num_output " << O << " and group " << G
                         << " do not divide the " << C << " input channels";
  return ConvGeometry{*x, *win, C, O, G};
}

FailureOr<std::vector<float>>
Importer::blockDiagonal(const CaffeLayer &l, ArrayRef<float> w, int64_t A,
                        int64_t B, int64_t G, int64_t kh, int64_t kw) {
  // The result has G times the blob's values; refuse absurd sizes rather
  // than exhaust memory.
  constexpr int64_t kMaxFilterValues = int64_t(1) << 28;
  if (int64_t(w.size()) > kMaxFilterValues / G)
    return layerError(l) << "a " << G << "-group filter of " << w.size()
                         << " values is too large to expand";
  int64_t Ag = A / G, Bg = B / G;
  std::vector<float> f(kh * kw * B * A, 0.0f);
  for (int64_t a = 0; a < A; ++a)
    for (int64_t j = 0; j < Bg; ++j)
      for (int64_t r = 0; r < kh; ++r)
        for (int64_t c = 0; c < kw; ++c) {
          int64_t b = (a / Ag) * Bg + j;
          f[((r * kw + c) * B + b) * A + a] =
              w[((a * Bg + j) * kh + r) * kw + c];
        }
  return f;
}

FailureOr<Value> Importer::convertConvolution(const CaffeLayer &l, unsigned k) {
  auto geometry = convGeometry(l, k);
  if (failed(geometry))
    return failure();
  auto [x, win, C, O, G] = *geometry;
  int64_t kh = win.kernel[0], kw = win.kernel[1];
  int64_t Cg = C / G, Og = O / G;
  auto params = paramBlobs(l, l.conv.biasTerm, {O, Cg, kh, kw}, "weights", O);
  if (failed(params))
    return failure();
  Value bias = biasConstant(l, params->bias);
  if (G > 1 && Cg == 1) {
    // Depthwise: Caffe's output channel c * m + j reads input channel c, as
    // tfg's does. [C*m, 1, kh, kw] -> [kh, kw, C, m].
    std::vector<float> f =
        transposeData({O, kh, kw}, params->main, {1, 2, 0}); // [kh, kw, C*m]
    Value filter = constant(f, {kh, kw, C, Og}, auxLoc(l, "weights"));
    return inferred<tfg::DepthwiseConv2DOp>(
        l, layerLoc(l), x, filter, bias, pairAttr(win.stride),
        pairAttr(win.dilation), padAttr(win), noActivation());
  }
  // OIHW -> HWIO, block-diagonal across groups.
  auto f = blockDiagonal(l, params->main, O, C, G, kh, kw);
  if (failed(f))
    return failure();
  Value filter = constant(*f, {kh, kw, C, O}, auxLoc(l, "weights"));
  return inferred<tfg::Conv2DOp>(l, layerLoc(l), x, filter, bias,
                                 pairAttr(win.stride), pairAttr(win.dilation),
                                 padAttr(win), noActivation());
}

FailureOr<Value> Importer::convertDeconvolution(const CaffeLayer &l,
                                                unsigned k) {
  auto geometry = convGeometry(l, k);
  if (failed(geometry))
    return failure();
  auto [x, win, C, O, G] = *geometry;
  ArrayRef<int64_t> in = shapeOf(x);
  int64_t kh = win.kernel[0], kw = win.kernel[1];
  int64_t Og = O / G;
  // deconv_layer.cpp compute_output_shape.
  int64_t out[2];
  for (int d = 0; d < 2; ++d) {
    int64_t extent = win.dilation[d] * (win.kernel[d] - 1) + 1;
    out[d] = win.stride[d] * (in[1 + d] - 1) + extent - 2 * win.pad[d];
    if (out[d] <= 0)
      return layerError(l) << "padding leaves no output";
  }
  auto params = paramBlobs(l, l.conv.biasTerm, {C, Og, kh, kw}, "weights", O);
  if (failed(params))
    return failure();
  Value bias = biasConstant(l, params->bias);
  // [C_in, C_out / G, kh, kw] -> [kh, kw, C_out, C_in], block-diagonal.
  auto f = blockDiagonal(l, params->main, C, O, G, kh, kw);
  if (failed(f))
    return failure();
  Value filter = constant(*f, {kh, kw, O, C}, auxLoc(l, "weights"));
  auto type =
      RankedTensorType::get({in[0], out[0], out[1], O}, builder.getF32Type());
  return plain<tfg::Conv2DTransposeOp>(
      l, layerLoc(l), type, x, filter, bias, pairAttr(win.stride),
      pairAttr(win.dilation), padAttr(win), noActivation());
}

//===----------------------------------------------------------------------===//
// BatchNorm and Scale
//===----------------------------------------------------------------------===//

FailureOr<Value> Importer::channelInput(const CaffeLayer &l, unsigned k) {
  Value x = bottom(k, 0);
  size_t rank = shapeOf(x).size();
  if (rank != 2 && rank != 4)
    return layerError(l) << "expects a bottom of rank 2 or 4, got rank "
                         << rank;
  return x;
}

const CaffeLayer *Importer::fusableScale(unsigned k) {
  if (k + 1 >= io.size() || io[k].tops.size() != 1 || uses[io[k].tops[0]] != 1)
    return nullptr;
  const LayerIO &next = io[k + 1];
  const CaffeLayer &s = *next.layer;
  if (s.type != "Scale" || next.bottoms.size() != 1 || next.tops.size() != 1 ||
      next.bottoms[0] != io[k].tops[0] || s.scaleAxis != 1 ||
      s.scaleNumAxes != 1)
    return nullptr;
  return &s;
}

LogicalResult Importer::batchNormStats(const CaffeLayer &l, int64_t channels,
                                       Value &mean, Value &variance) {
  if (l.bnHasUseGlobalStats && !l.bnUseGlobalStats)
    return layerError(l) << "use_global_stats: false normalizes with the "
                            "batch's statistics (training); not supported";
  if (l.bnEps < 0)
    return layerError(l) << "eps must not be negative";
  auto blobs = blobsOf(l, 3, "mean, variance, moving-average factor");
  if (failed(blobs))
    return failure();
  auto m = blob(l, **blobs, 0, {channels}, "mean");
  auto v = blob(l, **blobs, 1, {channels}, "variance");
  auto f = blob(l, **blobs, 2, {1}, "moving-average factor");
  if (failed(m) || failed(v) || failed(f))
    return failure();
  // batch_norm_layer.cpp: scale_factor = f == 0 ? 0 : 1 / f.
  float scale = (*f)[0] == 0.0f ? 0.0f : 1.0f / (*f)[0];
  std::vector<float> mv, vv;
  for (float x : *m)
    mv.push_back(x * scale);
  for (float x : *v)
    vv.push_back(x * scale);
  mean = constant(mv, {channels}, auxLoc(l, "mean"));
  variance = constant(vv, {channels}, auxLoc(l, "variance"));
  return success();
}

FailureOr<Value> Importer::convertBatchNorm(const CaffeLayer &l, unsigned k) {
  if (failed(arity(l, 1, 1)))
    return failure();
  auto x = channelInput(l, k);
  if (failed(x))
    return failure();
  int64_t C = shapeOf(*x).back();
  Value mean, variance;
  if (failed(batchNormStats(l, C, mean, variance)))
    return failure();
  Value gamma, beta;
  Location loc = layerLoc(l);
  const CaffeLayer *s = fusableScale(k);
  if (s) {
    auto params = paramBlobs(*s, s->scaleBiasTerm, {C}, "scale", C);
    if (failed(params))
      return failure();
    gamma = constant(params->main, {C}, auxLoc(*s, "scale"));
    if (s->scaleBiasTerm)
      beta = constant(params->bias, {C}, auxLoc(*s, "bias"));
    // The op is the BatchNorm's; the Scale's name survives inside.
    loc = NameLoc::get(StringAttr::get(context, displayName(l)),
                       nameLoc(displayName(*s)));
  }
  if (!gamma)
    gamma = constant(std::vector<float>(C, 1.0f), {C}, auxLoc(l, "scale"));
  if (!beta)
    beta = constant(std::vector<float>(C, 0.0f), {C}, auxLoc(l, "offset"));
  // The fused Scale's top is then this op's result (see convert).
  if (s)
    absorbed[k + 1] = true;
  return inferred<tfg::FusedBatchNormOp>(l, loc, *x, gamma, beta, mean,
                                         variance,
                                         builder.getF32FloatAttr(l.bnEps));
}

FailureOr<Value> Importer::convertScale(const CaffeLayer &l, unsigned k) {
  if (l.bottoms.size() != 1)
    return layerError(l) << "a scale taken from a second bottom is not "
                            "supported";
  if (failed(arity(l, 1, 1)))
    return failure();
  if (l.scaleAxis != 1 || l.scaleNumAxes != 1)
    return layerError(l) << "only a per-channel scale (axis 1, num_axes 1) is "
                            "supported";
  auto x = channelInput(l, k);
  if (failed(x))
    return failure();
  int64_t C = shapeOf(*x).back();
  auto params = paramBlobs(l, l.scaleBiasTerm, {C}, "scale", C);
  if (failed(params))
    return failure();
  Value gamma = constant(params->main, {C}, auxLoc(l, "scale"));
  auto y = inferred<tfg::MulOp>(
      l, l.scaleBiasTerm ? auxLoc(l, "mul") : layerLoc(l), *x, gamma);
  if (failed(y) || !l.scaleBiasTerm)
    return y;
  Value beta = constant(params->bias, {C}, auxLoc(l, "bias"));
  return inferred<tfg::AddOp>(l, layerLoc(l), *y, beta);
}

//===----------------------------------------------------------------------===//
// InnerProduct
//===----------------------------------------------------------------------===//

FailureOr<Value> Importer::convertInnerProduct(const CaffeLayer &l,
                                               unsigned k) {
  auto x = onlyBottom(l, k);
  if (failed(x))
    return failure();
  SmallVector<int64_t> shape = caffeShape(*x);
  int64_t rank = shape.size(), a = l.ipAxis;
  if (a < 0)
    a += rank;
  // inner_product_layer.cpp: everything from `axis` on is one vector.
  if (a != 1 || rank < 2)
    return layerError(l) << "only axis 1 is supported (got " << l.ipAxis
                         << " on a blob of rank " << rank << ")";
  int64_t N = shape[0], K = product(ArrayRef<int64_t>(shape).drop_front());
  int64_t O = l.ipNumOutput;
  if (O <= 0)
    return layerError(l) << "needs a positive num_output";
  SmallVector<int64_t> wShape =
      l.ipTranspose ? SmallVector<int64_t>{K, O} : SmallVector<int64_t>{O, K};
  auto params = paramBlobs(l, l.ipBiasTerm, wShape, "weights", O);
  if (failed(params))
    return failure();
  ArrayRef<float> w = params->main;
  // B = [K, O]; for a rank-4 bottom its rows follow the NHWC value's
  // (h, w, c) order instead of Caffe's (c, h, w).
  std::vector<float> b = l.ipTranspose ? std::vector<float>(w.begin(), w.end())
                                       : transposeData({O, K}, w, {1, 0});
  if (rank == 4) {
    int64_t C = shape[1], H = shape[2], W = shape[3];
    b = transposeData({C, H, W, O}, b, {1, 2, 0, 3});
  }
  Value weightsValue = constant(b, {K, O}, auxLoc(l, "weights"));
  Value bias = biasConstant(l, params->bias);
  auto flat = reshape(l, *x, {N, K}, auxLoc(l, "flatten"));
  if (failed(flat))
    return failure();
  return inferred<tfg::MatMulOp>(l, layerLoc(l), *flat, weightsValue, bias,
                                 builder.getBoolAttr(false),
                                 builder.getBoolAttr(false), noActivation());
}

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

FailureOr<Value> Importer::convertPooling(const CaffeLayer &l, unsigned k) {
  if (l.tops.size() == 2 && l.pool.method == CaffePoolParam::Max)
    return layerError(l) << "the max-pooling mask top is not supported";
  auto image = imageBottom(l, k);
  if (failed(image))
    return failure();
  Value x = *image;
  const CaffePoolParam &p = l.pool;
  if (p.method == CaffePoolParam::Stochastic)
    return layerError(l) << "STOCHASTIC pooling is not supported";
  if (p.method != CaffePoolParam::Max && p.method != CaffePoolParam::Ave)
    return layerError(l) << "unknown pooling method " << p.method;
  auto win = window(l, p, true);
  if (failed(win))
    return failure();
  ArrayRef<int64_t> in = shapeOf(x);
  int64_t size[2] = {in[1], in[2]};
  if (p.globalPooling) {
    if (!p.kernel.empty() || p.hasKernelH || p.hasKernelW)
      return layerError(l) << "global_pooling takes no kernel size";
    if (win->pad[0] || win->pad[1] || win->stride[0] != 1 ||
        win->stride[1] != 1)
      return layerError(l) << "global_pooling needs pad 0 and stride 1";
    win->kernel[0] = size[0], win->kernel[1] = size[1];
  }
  bool anyPad = win->pad[0] || win->pad[1];
  bool isMax = p.method == CaffePoolParam::Max;
  // Per dimension: Caffe's output size, and the padding after the input the
  // windows reach (may be negative: rows no window reads).
  int64_t after[2];
  for (int d = 0; d < 2; ++d) {
    int64_t kd = win->kernel[d], s = win->stride[d], pd = win->pad[d];
    if (pd >= kd)
      return layerError(l) << "pad " << pd << " must be smaller than the "
                           << "kernel " << kd;
    if (size[d] + 2 * pd < kd)
      return layerError(l) << "the kernel " << kd << " is larger than the "
                           << "padded input " << size[d] + 2 * pd;
    int64_t out = caffePooledSize(size[d], kd, s, pd,
                                  p.roundMode == CaffePoolParam::Ceil, anyPad);
    // Caffe would max over nothing or divide by zero.
    if ((out - 1) * s - pd >= size[d])
      return layerError(l) << "the last pooling window lies outside the "
                              "input (kernel "
                           << kd << ", stride " << s << ", input " << size[d]
                           << ")";
    after[d] = (out - 1) * s + kd - size[d] - pd;
  }
  int64_t ph = win->pad[0], pw = win->pad[1];
  auto kernel = pairAttr(win->kernel);
  auto strides = pairAttr(win->stride);
  // Zero padding (negative amounts crop).
  auto explicitPad = [&](int64_t top, int64_t bottom, int64_t left,
                         int64_t right) -> FailureOr<Value> {
    if (!top && !bottom && !left && !right)
      return x;
    return inferred<tfg::PadOp>(
        l, auxLoc(l, "pad"), x,
        builder.getDenseI64ArrayAttr({0, top, left, 0, 0, bottom, right, 0}),
        tfg::PadModeAttr::get(context, tfg::PadMode::constant),
        builder.getF32FloatAttr(0.0f));
  };
  if (isMax) {
    // Padding never wins; rows past the last window (a negative `after`)
    // are cropped first. Every amount is below the kernel: pad < kernel is
    // checked and the last window starts inside the input.
    auto cropped = explicitPad(0, std::min<int64_t>(after[0], 0), 0,
                               std::min<int64_t>(after[1], 0));
    if (failed(cropped))
      return failure();
    return inferred<tfg::MaxPoolOp>(
        l, layerLoc(l), *cropped, kernel, strides,
        builder.getDenseI64ArrayAttr({ph, std::max<int64_t>(after[0], 0), pw,
                                      std::max<int64_t>(after[1], 0)}));
  }
  // Zeros for Caffe's padding (counted), the overhang as tfg padding (not
  // counted).
  auto padded =
      explicitPad(ph, std::min(ph, after[0]), pw, std::min(pw, after[1]));
  if (failed(padded))
    return failure();
  return inferred<tfg::AvgPoolOp>(
      l, layerLoc(l), *padded, kernel, strides,
      builder.getDenseI64ArrayAttr({0, std::max<int64_t>(after[0] - ph, 0), 0,
                                    std::max<int64_t>(after[1] - pw, 0)}));
}

//===----------------------------------------------------------------------===//
// Eltwise, Concat, Softmax, Flatten, activations
//===----------------------------------------------------------------------===//

FailureOr<Value> Importer::convertEltwise(const CaffeLayer &l, unsigned k) {
  if (failed(arity(l, 2, 1, /*moreBottoms=*/true)))
    return failure();
  enum { Prod = 0, Sum = 1, Max = 2 };
  if (l.eltwiseOp != Prod && l.eltwiseOp != Sum && l.eltwiseOp != Max)
    return layerError(l) << "unknown operation " << l.eltwiseOp;
  const std::vector<float> &coeff = l.eltwiseCoeff;
  if (!coeff.empty() && l.eltwiseOp != Sum)
    return layerError(l) << "coeff applies only to SUM";
  if (!coeff.empty() && coeff.size() != l.bottoms.size())
    return layerError(l) << "has " << coeff.size() << " coeff for "
                         << l.bottoms.size() << " bottoms";
  Value first = bottom(k, 0);
  for (size_t i = 1; i < l.bottoms.size(); ++i)
    if (shapeOf(bottom(k, i)) != shapeOf(first))
      return layerError(l) << "bottom '" << l.bottoms[i] << "' has shape "
                           << shapeString(caffeShape(bottom(k, i)))
                           << ", expected " << shapeString(caffeShape(first));
  size_t n = l.bottoms.size();
  auto scaled = [&](size_t i) -> FailureOr<Value> {
    Value v = bottom(k, i);
    if (coeff.empty() || coeff[i] == 1.0f)
      return v;
    Value c = constant(coeff[i], {}, auxLoc(l, "coeff" + std::to_string(i)));
    return inferred<tfg::MulOp>(l, auxLoc(l, "scaled" + std::to_string(i)), v,
                                c);
  };
  auto acc = scaled(0);
  if (failed(acc))
    return failure();
  for (size_t i = 1; i < n; ++i) {
    Location loc =
        i + 1 == n ? layerLoc(l) : auxLoc(l, "partial" + std::to_string(i));
    if (l.eltwiseOp == Sum) {
      // a - b rather than a + (-1) * b.
      if (!coeff.empty() && coeff[i] == -1.0f) {
        acc = inferred<tfg::SubOp>(l, loc, *acc, bottom(k, i));
      } else {
        auto term = scaled(i);
        if (failed(term))
          return failure();
        acc = inferred<tfg::AddOp>(l, loc, *acc, *term);
      }
    } else if (l.eltwiseOp == Prod) {
      acc = inferred<tfg::MulOp>(l, loc, *acc, bottom(k, i));
    } else {
      acc = inferred<tfg::MaximumOp>(l, loc, *acc, bottom(k, i));
    }
    if (failed(acc))
      return failure();
  }
  return acc;
}

FailureOr<Value> Importer::convertConcat(const CaffeLayer &l, unsigned k) {
  if (failed(arity(l, 1, 1, /*moreBottoms=*/true)))
    return failure();
  SmallVector<Value> inputs;
  for (size_t i = 0; i < l.bottoms.size(); ++i)
    inputs.push_back(bottom(k, i));
  for (Value v : inputs)
    if (shapeOf(v).size() != shapeOf(inputs[0]).size())
      return layerError(l) << "bottoms have different ranks";
  auto a = axis(l, inputs[0], l.concatAxis, "axis");
  if (failed(a))
    return failure();
  if (inputs.size() == 1)
    return inputs[0];
  return inferred<tfg::ConcatOp>(l, layerLoc(l), ValueRange(inputs),
                                 builder.getI64IntegerAttr(*a));
}

FailureOr<Value> Importer::convertSoftmax(const CaffeLayer &l, unsigned k) {
  auto x = onlyBottom(l, k);
  if (failed(x))
    return failure();
  auto a = axis(l, *x, l.softmaxAxis, "axis");
  if (failed(a))
    return failure();
  return plain<tfg::SoftmaxOp>(l, layerLoc(l), *x,
                               builder.getI64IntegerAttr(*a));
}

FailureOr<Value> Importer::convertFlatten(const CaffeLayer &l, unsigned k) {
  auto x = onlyBottom(l, k);
  if (failed(x))
    return failure();
  SmallVector<int64_t> shape = caffeShape(*x);
  int64_t rank = shape.size();
  int64_t first = l.flattenAxis, last = l.flattenEndAxis;
  if (first < 0)
    first += rank;
  if (last < 0)
    last += rank;
  if (first < 0 || last >= rank || first > last)
    return layerError(l) << "axis " << l.flattenAxis << " and end_axis "
                         << l.flattenEndAxis << " do not fit a blob of rank "
                         << rank;
  // flatten_layer.cpp Reshape.
  SmallVector<int64_t> out(shape.begin(), shape.begin() + first);
  out.push_back(
      product(ArrayRef<int64_t>(shape).slice(first, last - first + 1)));
  out.append(shape.begin() + last + 1, shape.end());
  FailureOr<Value> v = x;
  if (rank == 4)
    v = relayout(&l, *x, /*toNchw=*/true, auxLoc(l, "nchw"));
  if (failed(v))
    return failure();
  v = reshape(l, *v, out, out.size() == 4 ? auxLoc(l, "reshape") : layerLoc(l));
  if (succeeded(v) && out.size() == 4)
    v = relayout(&l, *v, /*toNchw=*/false, layerLoc(l));
  return v;
}

FailureOr<Value> Importer::convertUnary(const CaffeLayer &l, unsigned k) {
  auto x = onlyBottom(l, k);
  if (failed(x))
    return failure();
  Location loc = layerLoc(l);
  StringRef type = l.type;
  if (type == "ReLU") {
    if (l.reluNegativeSlope == 0.0f)
      return plain<tfg::ReluOp>(l, loc, *x);
    return plain<tfg::LeakyReluOp>(
        l, loc, *x, builder.getF32FloatAttr(l.reluNegativeSlope));
  }
  if (type == "Sigmoid")
    return plain<tfg::SigmoidOp>(l, loc, *x);
  if (type == "TanH")
    return plain<tfg::TanhOp>(l, loc, *x);
  // Dropout: the identity at test time (Caffe scales while training).
  return plain<tfg::IdentityOp>(l, loc, *x);
}

LogicalResult Importer::convert(unsigned k) {
  const CaffeLayer &l = *io[k].layer;
  StringRef t = l.type;
  if (t == "Input")
    return success();
  if (t == "Split") {
    if (failed(arity(l, 1, l.tops.size())) || l.tops.empty())
      return l.tops.empty() ? layerError(l) << "has no top" : failure();
    for (size_t i = 0; i < l.tops.size(); ++i)
      setTop(k, i, bottom(k, 0));
    return success();
  }
  using Converter =
      FailureOr<Value> (Importer::*)(const CaffeLayer &, unsigned);
  Converter converter =
      llvm::StringSwitch<Converter>(t)
          .Case("Convolution", &Importer::convertConvolution)
          .Case("Deconvolution", &Importer::convertDeconvolution)
          .Case("BatchNorm", &Importer::convertBatchNorm)
          .Case("Scale", &Importer::convertScale)
          .Case("InnerProduct", &Importer::convertInnerProduct)
          .Case("Pooling", &Importer::convertPooling)
          .Case("Eltwise", &Importer::convertEltwise)
          .Case("Concat", &Importer::convertConcat)
          .Case("Softmax", &Importer::convertSoftmax)
          .Case("Flatten", &Importer::convertFlatten)
          .Cases({"ReLU", "Sigmoid", "TanH", "Dropout"},
                 &Importer::convertUnary)
          .Default(nullptr);
  if (!converter)
    return layerError(l) << "unsupported layer type '" << l.type << "'";
  FailureOr<Value> top = (this->*converter)(l, k);
  if (failed(top))
    return failure();
  // A BatchNorm that absorbed the next layer (its Scale) computes that
  // layer's top.
  setTop(k + 1 < io.size() && absorbed[k + 1] ? k + 1 : k, 0, *top);
  return success();
}

//===----------------------------------------------------------------------===//
// The net
//===----------------------------------------------------------------------===//

OwningOpRef<ModuleOp> Importer::run() {
  for (const CaffeLayer &l : weights.layers)
    weightLayers.try_emplace(l.name, &l);

  // Net inputs (arguments) with their Caffe shapes, then the blob versions.
  llvm::StringMap<unsigned> current;
  SmallVector<std::pair<unsigned, SmallVector<int64_t>>> args;
  auto define = [&](const std::string &name) {
    versionNames.push_back(name);
    uses.push_back(0);
    current[name] = versionNames.size() - 1;
    return unsigned(versionNames.size() - 1);
  };
  auto checkShape = [&](ArrayRef<int64_t> dims, Location loc,
                        const std::string &name) -> LogicalResult {
    if (dims.empty() || llvm::any_of(dims, [](int64_t d) { return d <= 0; }))
      return emitError(loc)
             << "input '" << name << "' has shape " << shapeString(dims)
             << "; inputs need positive dimensions";
    return success();
  };
  for (auto [i, name] : llvm::enumerate(net.inputs)) {
    SmallVector<int64_t> dims;
    if (net.inputShapes.size() == net.inputs.size())
      dims.assign(net.inputShapes[i].begin(), net.inputShapes[i].end());
    else if (net.inputDims.size() == 4 * net.inputs.size())
      dims.assign(net.inputDims.begin() + 4 * i,
                  net.inputDims.begin() + 4 * i + 4);
    else {
      emitError(nameLoc(name))
          << "net input '" << name << "' has no shape (give one input_shape "
          << "per input, or 4 input_dim values per input)";
      return nullptr;
    }
    if (failed(checkShape(dims, nameLoc(name), name)))
      return nullptr;
    args.push_back({define(name), dims});
  }
  for (const CaffeLayer &l : net.layers) {
    if (!activeInTest(l))
      continue;
    LayerIO entry{&l, {}, {}};
    for (const std::string &b : l.bottoms) {
      auto it = current.find(b);
      if (it == current.end()) {
        layerError(l) << "bottom '" << b
                      << "' is produced by no earlier layer or net input";
        return nullptr;
      }
      ++uses[it->second];
      entry.bottoms.push_back(it->second);
    }
    for (auto [i, t] : llvm::enumerate(l.tops)) {
      // net.cpp AppendTop: a name is reused only in place (top i ==
      // bottom i); anything else is a second producer.
      bool inPlace = i < l.bottoms.size() && l.bottoms[i] == t;
      if (!inPlace && current.count(t)) {
        layerError(l) << "top '" << t << "' is already produced by an earlier "
                      << "layer or net input";
        return nullptr;
      }
      entry.tops.push_back(define(t));
    }
    if (l.type == "Input") {
      if (!l.bottoms.empty()) {
        layerError(l) << "an Input layer takes no bottoms";
        return nullptr;
      }
      if (l.inputShapes.size() != 1 && l.inputShapes.size() != l.tops.size()) {
        layerError(l) << "gives " << l.inputShapes.size() << " shapes for "
                      << l.tops.size() << " tops";
        return nullptr;
      }
      for (size_t t = 0; t < l.tops.size(); ++t) {
        const std::vector<int64_t> &s =
            l.inputShapes[l.inputShapes.size() == 1 ? 0 : t];
        SmallVector<int64_t> dims(s.begin(), s.end());
        if (failed(checkShape(dims, layerLoc(l), l.tops[t])))
          return nullptr;
        args.push_back({entry.tops[t], dims});
      }
    }
    io.push_back(std::move(entry));
  }
  if (args.empty()) {
    emitError(fileLoc) << "the net has no input (an Input layer or `input:` "
                          "fields)";
    return nullptr;
  }
  values.assign(versionNames.size(), Value());
  absorbed.assign(io.size(), false);

  OwningOpRef<ModuleOp> module = ModuleOp::create(fileLoc);
  builder.setInsertionPointToEnd(module->getBody());
  SmallVector<Type> argTypes;
  for (auto &[version, dims] : args)
    argTypes.push_back(RankedTensorType::get(dims, builder.getF32Type()));
  auto func = func::FuncOp::create(builder, fileLoc, "main",
                                   builder.getFunctionType(argTypes, {}));
  Block *body = func.addEntryBlock();
  builder.setInsertionPointToEnd(body);
  for (auto [i, arg] : llvm::enumerate(args)) {
    const std::string &name = versionNames[arg.first];
    BlockArgument value = body->getArgument(i);
    value.setLoc(nameLoc(name));
    func.setArgAttr(i, "tfg.name", builder.getStringAttr(name));
    values[arg.first] = value;
    if (arg.second.size() == 4) {
      auto nhwc =
          relayout(nullptr, value, /*toNchw=*/false, nameLoc(name + "/nhwc"));
      if (failed(nhwc))
        return nullptr;
      values[arg.first] = *nhwc;
    }
  }
  for (unsigned k = 0; k < io.size(); ++k)
    if (!absorbed[k] && failed(convert(k)))
      return nullptr;

  // Caffe's net outputs: blobs no layer consumes, ordered by name (net.cpp
  // walks a std::set of names).
  SmallVector<unsigned> outputs;
  for (unsigned v = 0; v < versionNames.size(); ++v)
    if (uses[v] == 0 && values[v])
      outputs.push_back(v);
  llvm::stable_sort(outputs, [&](unsigned a, unsigned b) {
    return versionNames[a] < versionNames[b];
  });
  SmallVector<Value> results;
  std::vector<std::string> names;
  for (unsigned v : outputs) {
    Value result = values[v];
    if (shapeOf(result).size() == 4) {
      auto nchw = relayout(nullptr, result, /*toNchw=*/true,
                           nameLoc(versionNames[v] + "/nchw"));
      if (failed(nchw))
        return nullptr;
      result = *nchw;
    }
    results.push_back(result);
    names.push_back(versionNames[v]);
  }
  if (results.empty()) {
    emitError(fileLoc) << "the net has no output";
    return nullptr;
  }
  if (failed(finishMainFunction(builder, func, fileLoc, results, names)))
    return nullptr;
  return module;
}

} // namespace

OwningOpRef<ModuleOp> importCaffe(StringRef prototxt, StringRef fileName,
                                  MLIRContext *context,
                                  const CaffeImportOptions &options) {
  context->loadDialect<tfg::TfgDialect, func::FuncDialect>();
  Location fileLoc = FileLineColLoc::get(context, fileName, 0, 0);
  if (options.weightsPath.empty()) {
    emitError(fileLoc) << "a Caffe import needs the weights: give the "
                          ".caffemodel with --caffe-weights=<file>";
    return nullptr;
  }
  proto::CaffeNet net, weights;
  std::string error;
  if (!proto::parseCaffeNet(prototxt.str(), /*text=*/true, net, error)) {
    emitError(fileLoc) << "cannot read Caffe prototxt: " << error;
    return nullptr;
  }
  Location weightsLoc = FileLineColLoc::get(context, options.weightsPath, 0, 0);
  auto buffer = llvm::MemoryBuffer::getFile(options.weightsPath,
                                            /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!buffer) {
    emitError(weightsLoc) << "cannot open Caffe weights: "
                          << buffer.getError().message();
    return nullptr;
  }
  if (!proto::parseCaffeNet((*buffer)->getBuffer().str(), /*text=*/false,
                            weights, error)) {
    emitError(weightsLoc) << "cannot read Caffe weights: " << error;
    return nullptr;
  }
  Importer importer(context, fileName, options.weightsPath, net, weights);
  return importer.run();
}

} // namespace vai

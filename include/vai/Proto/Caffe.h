//===- Caffe.h - Caffe nets without protobuf --------------------*- C++ -*-===//
//
// Plain C++ mirror of the parts of a Caffe NetParameter (lib/Proto/
// caffe.proto) that vai reads: deploy prototxts and .caffemodel weights.
// This header deliberately includes only the standard library: the
// protobuf-generated code lives inside VAIProto (built with RTTI and
// exceptions), while the rest of vai builds with LLVM's flags. No function
// here throws or aborts.
//
//===----------------------------------------------------------------------===//

#ifndef VAI_PROTO_CAFFE_H
#define VAI_PROTO_CAFFE_H

#include <cstdint>
#include <string>
#include <vector>

namespace vai {
namespace proto {

/// A BlobProto. `dims` is `shape.dim`, or the legacy [num, channels,
/// height, width] when the blob has no `shape` (then `legacyShape` is set).
/// `data` holds `data`, or `double_data` rounded to float.
struct CaffeBlob {
  std::vector<int64_t> dims;
  bool legacyShape = false;
  std::vector<float> data;
};

/// Window sizes as Caffe gives them: a repeated or scalar field plus the
/// optional _h/_w forms. Empty vectors and has* = false mean "not given";
/// the importer applies Caffe's defaults.
struct CaffeWindowParam {
  std::vector<uint32_t> pad, kernel, stride, dilation;
  bool hasPadH = false, hasPadW = false, hasKernelH = false, hasKernelW = false,
       hasStrideH = false, hasStrideW = false;
  uint32_t padH = 0, padW = 0, kernelH = 0, kernelW = 0, strideH = 0,
           strideW = 0;
};

/// ConvolutionParameter (Convolution and Deconvolution).
struct CaffeConvParam : CaffeWindowParam {
  uint32_t numOutput = 0;
  bool biasTerm = true;
  uint32_t group = 1;
  int32_t axis = 1;
};

/// PoolingParameter. Enum numbering as in caffe.proto.
struct CaffePoolParam : CaffeWindowParam {
  enum Method { Max = 0, Ave = 1, Stochastic = 2 };
  enum RoundMode { Ceil = 0, Floor = 1 };
  int method = Max;
  bool globalPooling = false;
  int roundMode = Ceil;
};

/// The per-type parameters of a layer, with Caffe's defaults filled in for
/// fields the file leaves out. Only those of the layer's own type matter.
struct CaffeLayer {
  std::string name, type;
  std::vector<std::string> bottoms, tops;
  std::vector<CaffeBlob> blobs;
  /// Rules present in the file: include/exclude phases (0 TRAIN, 1 TEST;
  /// -1 for a rule without a phase).
  std::vector<int> includePhases, excludePhases;
  /// From a V1 `layers` entry (type translated to the current name, e.g.
  /// CONVOLUTION -> "Convolution"); "V1:<number>" for a V1 type without one.
  bool v1 = false;

  CaffeConvParam conv;
  CaffePoolParam pool;
  // InnerProduct
  uint32_t ipNumOutput = 0;
  bool ipBiasTerm = true;
  int32_t ipAxis = 1;
  bool ipTranspose = false;
  // BatchNorm
  bool bnHasUseGlobalStats = false;
  bool bnUseGlobalStats = true;
  float bnEps = 1e-5f;
  // Scale
  int32_t scaleAxis = 1, scaleNumAxes = 1;
  bool scaleBiasTerm = false;
  // Eltwise: 0 PROD, 1 SUM, 2 MAX.
  int eltwiseOp = 1;
  std::vector<float> eltwiseCoeff;
  // Concat: `axis`, or the legacy `concat_dim` when only it is given.
  int32_t concatAxis = 1;
  // ReLU
  float reluNegativeSlope = 0.0f;
  // Softmax
  int32_t softmaxAxis = 1;
  // Flatten
  int32_t flattenAxis = 1, flattenEndAxis = -1;
  // Input: one shape per top, or one for all.
  std::vector<std::vector<int64_t>> inputShapes;
};

struct CaffeNet {
  std::string name;
  /// Legacy net-level inputs: names, and either one shape per input
  /// (`input_shape`) or four dims per input (`input_dim`).
  std::vector<std::string> inputs;
  std::vector<std::vector<int64_t>> inputShapes;
  std::vector<int64_t> inputDims;
  /// `layer` entries, or the V1 `layers` entries when the file uses those
  /// (a file with both is rejected).
  std::vector<CaffeLayer> layers;
};

/// Parses a NetParameter, as protobuf text (a .prototxt) when \p text is
/// set, else binary (a .caffemodel). Text fields this schema does not know
/// (solver settings, fillers, `param { lr_mult }` ...) are skipped. On
/// failure returns false and sets \p error to a one-line reason, e.g.
/// "line 12, column 5: Expected identifier" or "truncated or malformed
/// Caffe NetParameter". Never throws, never aborts.
bool parseCaffeNet(const std::string &bytes, bool text, CaffeNet &net,
                   std::string &error);

} // namespace proto
} // namespace vai

#endif // VAI_PROTO_CAFFE_H

//===- DnnlKernels.h - Float conv and matmul on oneDNN ----------*- C++ -*-===//
//
// Internal to lib/Simulator: the float kernels' hot loops (convolution,
// transposed convolution, matmul) run on oneDNN's f32 primitives through its
// C API (the C++ API traps instead of throwing under -fno-exceptions). The
// public entry points in FloatKernels.cpp validate the operands and call
// these with the checked geometry; a oneDNN failure comes back as a false
// return and a message, never an abort.
//
// One CPU engine serves the process and one stream each thread. oneDNN's own
// primitive cache keeps compiled primitives per shape, so a second image or
// a repeated layer shape reuses the JIT code. oneDNN threads with OpenMP:
// results are the same bits from run to run at a fixed thread count.
//
//===----------------------------------------------------------------------===//

#ifndef VAI_LIB_SIMULATOR_DNNLKERNELS_H
#define VAI_LIB_SIMULATOR_DNNLKERNELS_H

#include "WindowLoops.h"

#include <string>
#include <vector>

namespace vai::detail {

/// A validated conv (grouped or depthwise, see checkConvChannels) of an NHWC
/// input with an HWIO (or [KH,KW,C,M]) filter, plus an optional bias of
/// s.outChannels values: out = [N,OH,OW,OC].
bool dnnlConv2d(const FloatArray &input, const FloatArray &filter,
                const FloatArray *bias, const ConvShape &s, const char *op,
                FloatArray &out, std::string &error);

/// A validated transposed conv (FloatKernels.h, conv2dTranspose): input
/// [N,H,W,C], filter [KH,KW,OC/groups,C], output [N,OH,OW,OC].
struct DeconvShape {
  int64_t batch = 0, inH = 0, inW = 0, inChannels = 0;
  int64_t kernelH = 0, kernelW = 0;
  int64_t outH = 0, outW = 0, outChannels = 0;
  int64_t groups = 1;
  Dims2 strides, dilations;
  Pads2 pads;
  Dims2 outputPadding = {0, 0};
};

bool dnnlConv2dTranspose(const FloatArray &input, const FloatArray &filter,
                         const FloatArray *bias, const DeconvShape &s,
                         const char *op, FloatArray &out, std::string &error);

/// One operand of a matmul as oneDNN sees it: logical dimensions
/// [batch..., rows, cols] and the element stride of each (a transpose is
/// swapped strides; a broadcast batch dimension has size 1).
struct MatrixView {
  std::vector<int64_t> dims;
  std::vector<int64_t> strides;
};

/// Row-major element strides of `dims` (a zero dimension counts as 1, so
/// that oneDNN still sees a valid layout).
std::vector<int64_t> rowMajorStrides(const std::vector<int64_t> &dims);

/// out[batch..., M, N] (dense row-major, `outDims`) = a x b (+ bias[N]).
/// Both views have outDims.size() dimensions; each batch dimension is either
/// outDims' or 1 (broadcast).
bool dnnlMatmul(const float *a, const MatrixView &av, const float *b,
                const MatrixView &bv, const float *bias,
                const std::vector<int64_t> &outDims, float *out, const char *op,
                std::string &error);

} // namespace vai::detail

#endif // VAI_LIB_SIMULATOR_DNNLKERNELS_H

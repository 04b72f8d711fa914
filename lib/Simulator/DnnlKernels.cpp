//===- DnnlKernels.cpp - Float conv and matmul on oneDNN ------------------===//
//
// Our NHWC/HWIO tensors are handed to oneDNN in place, described by explicit
// strides over oneDNN's logical dimension order (NCHW activations, [G,]OIHW
// weights, [batch...,]MK matrices), so no activation is copied. Weights are
// reordered into the layout the chosen implementation prefers: a copy of
// the filter per call, small next to the convolution itself.
//
//===----------------------------------------------------------------------===//

#include "DnnlKernels.h"

#include <omp.h>
#include <oneapi/dnnl/dnnl.h>
#include <oneapi/dnnl/dnnl_debug.h>

#include <algorithm>

using namespace vai;
using namespace vai::detail;

namespace {

/// Owns one oneDNN C handle.
template <typename T, dnnl_status_t (*Destroy)(T)> class Handle {
public:
  Handle() = default;
  Handle(const Handle &) = delete;
  Handle &operator=(const Handle &) = delete;
  ~Handle() {
    if (handle)
      Destroy(handle);
  }
  T get() const { return handle; }
  /// For the create functions' output parameter; the handle must be empty.
  T *init() { return &handle; }

private:
  T handle = nullptr;
};

using Memory = Handle<dnnl_memory_t, dnnl_memory_destroy>;
using Primitive = Handle<dnnl_primitive_t, dnnl_primitive_destroy>;
using PrimitiveDesc =
    Handle<dnnl_primitive_desc_t, dnnl_primitive_desc_destroy>;
using Stream = Handle<dnnl_stream_t, dnnl_stream_destroy>;

/// False with "<op>: oneDNN <what> failed: <status>" unless `status` is
/// success.
bool check(dnnl_status_t status, const char *op, const char *what,
           std::string &error) {
  if (status == dnnl_success)
    return true;
  error = std::string(op) + ": oneDNN " + what +
          " failed: " + dnnl_status2str(status);
  return false;
}

/// The process's CPU engine and this thread's stream (oneDNN streams are
/// not to be shared between threads). The engine is never destroyed: it
/// would be at exit, racing OpenMP's own teardown, for no gain.
bool getRuntime(const char *op, dnnl_engine_t &engine, dnnl_stream_t &stream,
                std::string &error) {
  static dnnl_engine_t cpu = nullptr;
  static const dnnl_status_t engineStatus =
      dnnl_engine_create(&cpu, dnnl_cpu, 0);
  if (!check(engineStatus, op, "engine creation", error))
    return false;
  thread_local Stream threadStream;
  thread_local const dnnl_status_t streamStatus =
      dnnl_stream_create(threadStream.init(), cpu, dnnl_stream_default_flags);
  if (!check(streamStatus, op, "stream creation", error))
    return false;
  engine = cpu;
  stream = threadStream.get();
  return true;
}

/// Problems below this many multiply-adds run on the calling thread alone.
constexpr double kParallelMacs = 1 << 20;

/// oneDNN threads with OpenMP, omp_get_max_threads() of them (OMP_NUM_THREADS,
/// else one per core). A small problem runs on the calling thread only:
/// waking the team costs more than it saves, and far more on busy cores,
/// where each barrier waits for a time slice (the unit tests' sweep ran 30x
/// slower with 2 threads on a loaded 2-core machine). The thread count is
/// part of oneDNN's primitive cache key, so each size keeps its own
/// primitive and the same bits run to run. Restores the caller's setting.
class ThreadLimit {
public:
  explicit ThreadLimit(double macs) {
    int threads = omp_get_max_threads();
    if (macs < kParallelMacs && threads > 1) {
      saved = threads;
      omp_set_num_threads(1);
    }
  }
  ThreadLimit(const ThreadLimit &) = delete;
  ThreadLimit &operator=(const ThreadLimit &) = delete;
  ~ThreadLimit() {
    if (saved)
      omp_set_num_threads(saved);
  }

private:
  int saved = 0;
};

/// An f32 memory descriptor over `dims` with element `strides`.
bool stridedDesc(const std::vector<int64_t> &dims,
                 const std::vector<int64_t> &strides, const char *op,
                 dnnl_memory_desc_t &md, std::string &error) {
  if (dims.size() > DNNL_MAX_NDIMS) {
    error = std::string(op) + ": oneDNN takes at most " +
            std::to_string(DNNL_MAX_NDIMS) + " dimensions, got " +
            shapeString(dims);
    return false;
  }
  dnnl_dims_t d, s;
  for (size_t i = 0; i < dims.size(); ++i) {
    d[i] = dims[i];
    s[i] = strides[i];
  }
  return check(dnnl_memory_desc_init_by_strides(
                   &md, static_cast<int>(dims.size()), d, dnnl_f32, s),
               op, "memory descriptor", error);
}

/// A descriptor whose layout the primitive chooses.
bool anyDesc(const std::vector<int64_t> &dims, const char *op,
             dnnl_memory_desc_t &md, std::string &error) {
  dnnl_dims_t d;
  for (size_t i = 0; i < dims.size(); ++i)
    d[i] = dims[i];
  return check(dnnl_memory_desc_init_by_tag(&md, static_cast<int>(dims.size()),
                                            d, dnnl_f32, dnnl_format_tag_any),
               op, "memory descriptor", error);
}

/// NHWC data seen as oneDNN's logical NCHW.
bool nhwcDesc(int64_t n, int64_t h, int64_t w, int64_t c, const char *op,
              dnnl_memory_desc_t &md, std::string &error) {
  return stridedDesc({n, c, h, w}, {h * w * c, 1, w * c, c}, op, md, error);
}

/// Wraps a buffer we own (oneDNN does not take ownership).
bool wrap(const dnnl_memory_desc_t &md, dnnl_engine_t engine, const float *data,
          const char *op, Memory &mem, std::string &error) {
  return check(
      dnnl_memory_create(mem.init(), &md, engine, const_cast<float *>(data)),
      op, "memory creation", error);
}

/// Creates the primitive of `pd` (a hit in oneDNN's primitive cache when
/// this shape ran before), runs it on `args` and waits.
bool execute(dnnl_primitive_desc_t pd, const std::vector<dnnl_exec_arg_t> &args,
             dnnl_stream_t stream, const char *op, std::string &error) {
  Primitive prim;
  return check(dnnl_primitive_create(prim.init(), pd), op, "primitive creation",
               error) &&
         check(dnnl_primitive_execute(prim.get(), stream,
                                      static_cast<int>(args.size()),
                                      args.data()),
               op, "execution", error) &&
         check(dnnl_stream_wait(stream), op, "stream wait", error);
}

/// The weights of a conv-like primitive in the layout `pd` chose: the user's
/// memory itself when that is the layout, else a reorder of it into
/// `storage`, wrapped by `reordered`.
bool prepareWeights(dnnl_primitive_desc_t pd, const dnnl_memory_desc_t &user,
                    const float *data, dnnl_engine_t engine,
                    dnnl_stream_t stream, const char *op,
                    std::vector<float> &storage, Memory &userMem,
                    Memory &reordered, dnnl_memory_t &weights,
                    std::string &error) {
  if (!wrap(user, engine, data, op, userMem, error))
    return false;
  const dnnl_memory_desc_t *want =
      dnnl_primitive_desc_query_md(pd, dnnl_query_weights_md, 0);
  if (!want) {
    error = std::string(op) + ": oneDNN gave no weights layout";
    return false;
  }
  if (dnnl_memory_desc_equal(want, &user)) {
    weights = userMem.get();
    return true;
  }
  size_t bytes = dnnl_memory_desc_get_size(want);
  storage.assign((bytes + sizeof(float) - 1) / sizeof(float), 0.0f);
  PrimitiveDesc reorder;
  if (!check(dnnl_reorder_primitive_desc_create(reorder.init(), &user, engine,
                                                want, engine, nullptr),
             op, "weights reorder", error) ||
      !wrap(*want, engine, storage.data(), op, reordered, error) ||
      !execute(reorder.get(),
               {{DNNL_ARG_FROM, userMem.get()}, {DNNL_ARG_TO, reordered.get()}},
               stream, op, error))
    return false;
  weights = reordered.get();
  return true;
}

/// The weights of a grouped conv or deconv, [G,]OIHW over our layout; with
/// one group the plain 4-D form, which more implementations accept.
bool weightsDesc(int64_t groups, int64_t ocPerGroup, int64_t icPerGroup,
                 int64_t kh, int64_t kw, const int64_t stride[5],
                 const char *op, dnnl_memory_desc_t &md, std::string &error) {
  // stride = {g, o, i, h, w}.
  if (groups == 1)
    return stridedDesc({ocPerGroup, icPerGroup, kh, kw},
                       {stride[1], stride[2], stride[3], stride[4]}, op, md,
                       error);
  return stridedDesc({groups, ocPerGroup, icPerGroup, kh, kw},
                     {stride[0], stride[1], stride[2], stride[3], stride[4]},
                     op, md, error);
}

/// A result that needs no arithmetic (an empty input): the bias, or zeros.
void fillBias(FloatArray &result, const FloatArray *bias) {
  if (!bias || bias->data.empty())
    return;
  const size_t c = bias->data.size();
  for (size_t i = 0; i < result.data.size(); ++i)
    result.data[i] = bias->data[i % c];
}

/// The shared tail of conv and deconv: choose the weights layout, reorder,
/// run. `opDesc` is the initialized operation descriptor.
bool runConvLike(const void *opDesc, const dnnl_memory_desc_t &srcMd,
                 const dnnl_memory_desc_t &userWeightsMd,
                 const dnnl_memory_desc_t &biasMd,
                 const dnnl_memory_desc_t &dstMd, const FloatArray &input,
                 const FloatArray &filter, const FloatArray *bias,
                 FloatArray &result, dnnl_engine_t engine, dnnl_stream_t stream,
                 const char *op, std::string &error) {
  PrimitiveDesc pd;
  if (!check(dnnl_primitive_desc_create(pd.init(), opDesc, nullptr, engine,
                                        nullptr),
             op, "primitive selection", error))
    return false;
  std::vector<float> storage;
  Memory src, userWeights, reordered, biasMem, dst;
  dnnl_memory_t weights = nullptr;
  if (!prepareWeights(pd.get(), userWeightsMd, filter.data.data(), engine,
                      stream, op, storage, userWeights, reordered, weights,
                      error) ||
      !wrap(srcMd, engine, input.data.data(), op, src, error) ||
      !wrap(dstMd, engine, result.data.data(), op, dst, error))
    return false;
  std::vector<dnnl_exec_arg_t> args = {{DNNL_ARG_SRC, src.get()},
                                       {DNNL_ARG_WEIGHTS, weights},
                                       {DNNL_ARG_DST, dst.get()}};
  if (bias) {
    if (!wrap(biasMd, engine, bias->data.data(), op, biasMem, error))
      return false;
    args.push_back({DNNL_ARG_BIAS, biasMem.get()});
  }
  return execute(pd.get(), args, stream, op, error);
}

} // namespace

std::vector<int64_t>
vai::detail::rowMajorStrides(const std::vector<int64_t> &dims) {
  std::vector<int64_t> s(dims.size(), 1);
  for (size_t i = dims.size(); i > 1; --i)
    s[i - 2] = s[i - 1] * std::max<int64_t>(dims[i - 1], 1);
  return s;
}

bool vai::detail::dnnlConv2d(const FloatArray &input, const FloatArray &filter,
                             const FloatArray *bias, const ConvShape &s,
                             const char *op, FloatArray &out,
                             std::string &error) {
  const WindowGeometry &g = s.g;
  const int64_t C = g.channels, OC = s.outChannels;
  const int64_t KH = s.window.kernel.h, KW = s.window.kernel.w;
  // Depthwise is the grouped conv with one input channel per group:
  // [KH,KW,C,M] is [KH,KW,ICg=1,G=C,OCg=M], output channel g*M + m.
  const int64_t G = s.depthwise ? C : s.groups;
  const int64_t ICg = s.depthwise ? 1 : s.inChannelsPerGroup;
  FloatArray result({g.batch, g.outH, g.outW, OC});
  if (result.data.empty() || input.data.empty()) {
    fillBias(result, bias);
    out = std::move(result);
    return true;
  }
  const int64_t OCg = OC / G;
  ThreadLimit threads(double(result.data.size()) * KH * KW * ICg);
  dnnl_engine_t engine;
  dnnl_stream_t stream;
  if (!getRuntime(op, engine, stream, error))
    return false;
  // Our filter is [KH][KW][ICg][G][OCg] (grouped HWIO).
  const int64_t wStride[5] = {OCg, 1, OC, KW * ICg * OC, ICg * OC};
  dnnl_memory_desc_t srcMd, userWeightsMd, weightsMd, biasMd, dstMd;
  std::vector<int64_t> weightDims = {G, OCg, ICg, KH, KW};
  if (G == 1)
    weightDims.erase(weightDims.begin());
  if (!nhwcDesc(g.batch, g.inH, g.inW, C, op, srcMd, error) ||
      !nhwcDesc(g.batch, g.outH, g.outW, OC, op, dstMd, error) ||
      !weightsDesc(G, OCg, ICg, KH, KW, wStride, op, userWeightsMd, error) ||
      !anyDesc(weightDims, op, weightsMd, error) ||
      !stridedDesc({OC}, {1}, op, biasMd, error))
    return false;
  const Window &w = s.window;
  // oneDNN counts dilation from 0 (no gap), we from 1.
  dnnl_dims_t strides = {w.strides.h, w.strides.w};
  dnnl_dims_t dilates = {w.dilations.h - 1, w.dilations.w - 1};
  dnnl_dims_t padL = {w.pads.top, w.pads.left};
  dnnl_dims_t padR = {w.pads.bottom, w.pads.right};
  dnnl_convolution_desc_t desc;
  if (!check(dnnl_dilated_convolution_forward_desc_init(
                 &desc, dnnl_forward_inference, dnnl_convolution_direct, &srcMd,
                 &weightsMd, bias ? &biasMd : nullptr, &dstMd, strides, dilates,
                 padL, padR),
             op, "convolution setup", error))
    return false;
  if (!runConvLike(&desc, srcMd, userWeightsMd, biasMd, dstMd, input, filter,
                   bias, result, engine, stream, op, error))
    return false;
  out = std::move(result);
  return true;
}

bool vai::detail::dnnlConv2dTranspose(const FloatArray &input,
                                      const FloatArray &filter,
                                      const FloatArray *bias,
                                      const DeconvShape &s, const char *op,
                                      FloatArray &out, std::string &error) {
  const int64_t C = s.inChannels, OC = s.outChannels, G = s.groups;
  const int64_t KH = s.kernelH, KW = s.kernelW;
  FloatArray result({s.batch, s.outH, s.outW, OC});
  if (result.data.empty() || input.data.empty()) {
    fillBias(result, bias);
    out = std::move(result);
    return true;
  }
  // oneDNN's deconvolution is ours (input pixel i feeds output i*s + k*d -
  // padL, no filter flip) with OH = (H-1)*s + effH - padL - padR, but it
  // rejects a negative padR, which an output padding beyond the bottom/right
  // pad would be. The rows and columns past padR = 0 are beyond every input
  // pixel's reach: they hold the bias alone, and oneDNN computes the rest.
  const int64_t cutH = std::max<int64_t>(s.outputPadding.h - s.pads.bottom, 0);
  const int64_t cutW = std::max<int64_t>(s.outputPadding.w - s.pads.right, 0);
  const int64_t OH = s.outH - cutH, OW = s.outW - cutW;
  if (OH <= 0 || OW <= 0) {
    fillBias(result, bias);
    out = std::move(result);
    return true;
  }
  const int64_t Cg = C / G, OCg = OC / G;
  ThreadLimit threads(double(input.data.size()) * KH * KW * OCg);
  dnnl_engine_t engine;
  dnnl_stream_t stream;
  if (!getRuntime(op, engine, stream, error))
    return false;
  // Our filter is [KH][KW][OCg][G][Cg] (TF's [KH,KW,OC/groups,C]).
  const int64_t wStride[5] = {Cg, C, 1, KW * OCg * C, OCg * C};
  dnnl_memory_desc_t srcMd, userWeightsMd, weightsMd, biasMd, dstMd;
  std::vector<int64_t> weightDims = {G, OCg, Cg, KH, KW};
  if (G == 1)
    weightDims.erase(weightDims.begin());
  if (!nhwcDesc(s.batch, s.inH, s.inW, C, op, srcMd, error) ||
      !nhwcDesc(s.batch, OH, OW, OC, op, dstMd, error) ||
      !weightsDesc(G, OCg, Cg, KH, KW, wStride, op, userWeightsMd, error) ||
      !anyDesc(weightDims, op, weightsMd, error) ||
      !stridedDesc({OC}, {1}, op, biasMd, error))
    return false;
  dnnl_dims_t strides = {s.strides.h, s.strides.w};
  dnnl_dims_t dilates = {s.dilations.h - 1, s.dilations.w - 1};
  dnnl_dims_t padL = {s.pads.top, s.pads.left};
  dnnl_dims_t padR = {s.pads.bottom - s.outputPadding.h + cutH,
                      s.pads.right - s.outputPadding.w + cutW};
  dnnl_deconvolution_desc_t desc;
  if (!check(dnnl_dilated_deconvolution_forward_desc_init(
                 &desc, dnnl_forward_inference, dnnl_deconvolution_direct,
                 &srcMd, &weightsMd, bias ? &biasMd : nullptr, &dstMd, strides,
                 dilates, padL, padR),
             op, "deconvolution setup", error))
    return false;
  const bool cut = cutH || cutW;
  FloatArray reached;
  if (cut)
    reached = FloatArray({s.batch, OH, OW, OC});
  if (!runConvLike(&desc, srcMd, userWeightsMd, biasMd, dstMd, input, filter,
                   bias, cut ? reached : result, engine, stream, op, error))
    return false;
  if (cut) {
    fillBias(result, bias);
    for (int64_t n = 0; n < s.batch; ++n)
      for (int64_t y = 0; y < OH; ++y)
        std::copy_n(&reached.data[((n * OH + y) * OW) * OC], OW * OC,
                    &result.data[((n * s.outH + y) * s.outW) * OC]);
  }
  out = std::move(result);
  return true;
}

bool vai::detail::dnnlMatmul(const float *a, const MatrixView &av,
                             const float *b, const MatrixView &bv,
                             const float *bias,
                             const std::vector<int64_t> &outDims, float *out,
                             const char *op, std::string &error) {
  const size_t rank = outDims.size();
  int64_t total = shapeNumElements(outDims);
  const int64_t N = outDims[rank - 1];
  if (total == 0)
    return true;
  // An empty inner dimension sums nothing.
  if (av.dims[rank - 1] == 0) {
    for (int64_t i = 0; i < total; ++i)
      out[i] = bias ? bias[i % N] : 0.0f;
    return true;
  }
  ThreadLimit threads(double(total) * av.dims[rank - 1]);
  dnnl_engine_t engine;
  dnnl_stream_t stream;
  if (!getRuntime(op, engine, stream, error))
    return false;
  std::vector<int64_t> biasDims(rank, 1);
  biasDims.back() = N;
  dnnl_memory_desc_t srcMd, weightsMd, biasMd, dstMd;
  if (!stridedDesc(av.dims, av.strides, op, srcMd, error) ||
      !stridedDesc(bv.dims, bv.strides, op, weightsMd, error) ||
      !stridedDesc(biasDims, rowMajorStrides(biasDims), op, biasMd, error) ||
      !stridedDesc(outDims, rowMajorStrides(outDims), op, dstMd, error))
    return false;
  dnnl_matmul_desc_t desc;
  PrimitiveDesc pd;
  if (!check(dnnl_matmul_desc_init(&desc, &srcMd, &weightsMd,
                                   bias ? &biasMd : nullptr, &dstMd),
             op, "matmul setup", error) ||
      !check(dnnl_primitive_desc_create(pd.init(), &desc, nullptr, engine,
                                        nullptr),
             op, "primitive selection", error))
    return false;
  Memory src, weights, biasMem, dst;
  if (!wrap(srcMd, engine, a, op, src, error) ||
      !wrap(weightsMd, engine, b, op, weights, error) ||
      !wrap(dstMd, engine, out, op, dst, error))
    return false;
  std::vector<dnnl_exec_arg_t> args = {{DNNL_ARG_SRC, src.get()},
                                       {DNNL_ARG_WEIGHTS, weights.get()},
                                       {DNNL_ARG_DST, dst.get()}};
  if (bias) {
    if (!wrap(biasMd, engine, bias, op, biasMem, error))
      return false;
    args.push_back({DNNL_ARG_BIAS, biasMem.get()});
  }
  return execute(pd.get(), args, stream, op, error);
}

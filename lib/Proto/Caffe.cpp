//===- Caffe.cpp - Caffe NetParameter -> plain structs --------------------===//
//
// Converts caffe.NetParameter (caffe.proto) into the std-only structs of
// vai/Proto/Caffe.h. Built with -fexceptions: the entry point catches
// everything so nothing escapes into the -fno-exceptions code that calls it.
//
//===----------------------------------------------------------------------===//

#include "vai/Proto/Caffe.h"

#include "caffe.pb.h"

#include "ProtoSupport.h"

using namespace vai::proto;

namespace {

void decodeBlob(const caffe::BlobProto &p, CaffeBlob &b) {
  if (p.has_shape()) {
    b.dims.assign(p.shape().dim().begin(), p.shape().dim().end());
  } else {
    b.legacyShape = true;
    b.dims = {p.num(), p.channels(), p.height(), p.width()};
  }
  if (p.data_size() > 0 || p.double_data_size() == 0)
    b.data.assign(p.data().begin(), p.data().end());
  else
    for (double d : p.double_data())
      b.data.push_back(static_cast<float>(d));
}

template <typename Rules>
void decodeRules(const Rules &rules, std::vector<int> &phases) {
  for (const caffe::NetStateRule &r : rules)
    phases.push_back(r.has_phase() ? static_cast<int>(r.phase()) : -1);
}

/// The _h/_w window fields, named alike in ConvolutionParameter and
/// PoolingParameter.
template <typename WindowProto>
void decodeWindowHW(const WindowProto &p, CaffeWindowParam &c) {
  c.hasPadH = p.has_pad_h(), c.padH = p.pad_h();
  c.hasPadW = p.has_pad_w(), c.padW = p.pad_w();
  c.hasKernelH = p.has_kernel_h(), c.kernelH = p.kernel_h();
  c.hasKernelW = p.has_kernel_w(), c.kernelW = p.kernel_w();
  c.hasStrideH = p.has_stride_h(), c.strideH = p.stride_h();
  c.hasStrideW = p.has_stride_w(), c.strideW = p.stride_w();
}

void decodeConv(const caffe::ConvolutionParameter &p, CaffeConvParam &c) {
  c.numOutput = p.num_output();
  c.biasTerm = p.bias_term();
  c.group = p.group();
  c.axis = p.axis();
  c.pad.assign(p.pad().begin(), p.pad().end());
  c.kernel.assign(p.kernel_size().begin(), p.kernel_size().end());
  c.stride.assign(p.stride().begin(), p.stride().end());
  c.dilation.assign(p.dilation().begin(), p.dilation().end());
  decodeWindowHW(p, c);
}

void decodePool(const caffe::PoolingParameter &p, CaffePoolParam &c) {
  c.method = p.pool();
  c.globalPooling = p.global_pooling();
  c.roundMode = p.round_mode();
  // Scalars in Caffe's PoolingParameter; a one-element list here.
  if (p.has_pad())
    c.pad = {p.pad()};
  if (p.has_kernel_size())
    c.kernel = {p.kernel_size()};
  if (p.has_stride())
    c.stride = {p.stride()};
  decodeWindowHW(p, c);
}

/// The parameters V1 and current layers share (same message types).
template <typename LayerProto>
void decodeCommonParams(const LayerProto &p, CaffeLayer &l) {
  decodeConv(p.convolution_param(), l.conv);
  decodePool(p.pooling_param(), l.pool);
  const caffe::InnerProductParameter &ip = p.inner_product_param();
  l.ipNumOutput = ip.num_output();
  l.ipBiasTerm = ip.bias_term();
  l.ipAxis = ip.axis();
  l.ipTranspose = ip.transpose();
  const caffe::EltwiseParameter &el = p.eltwise_param();
  l.eltwiseOp = el.operation();
  l.eltwiseCoeff.assign(el.coeff().begin(), el.coeff().end());
  const caffe::ConcatParameter &cc = p.concat_param();
  l.concatAxis = !cc.has_axis() && cc.has_concat_dim()
                     ? static_cast<int32_t>(cc.concat_dim())
                     : cc.axis();
  l.reluNegativeSlope = p.relu_param().negative_slope();
  l.softmaxAxis = p.softmax_param().axis();
  for (const caffe::BlobProto &b : p.blobs()) {
    l.blobs.emplace_back();
    decodeBlob(b, l.blobs.back());
  }
  l.bottoms.assign(p.bottom().begin(), p.bottom().end());
  l.tops.assign(p.top().begin(), p.top().end());
  l.name = p.name();
  decodeRules(p.include(), l.includePhases);
  decodeRules(p.exclude(), l.excludePhases);
}

void decodeLayer(const caffe::LayerParameter &p, CaffeLayer &l) {
  decodeCommonParams(p, l);
  l.type = p.type();
  const caffe::BatchNormParameter &bn = p.batch_norm_param();
  l.bnHasUseGlobalStats = bn.has_use_global_stats();
  l.bnUseGlobalStats = bn.use_global_stats();
  l.bnEps = bn.eps();
  const caffe::ScaleParameter &sc = p.scale_param();
  l.scaleAxis = sc.axis();
  l.scaleNumAxes = sc.num_axes();
  l.scaleBiasTerm = sc.bias_term();
  l.flattenAxis = p.flatten_param().axis();
  l.flattenEndAxis = p.flatten_param().end_axis();
  for (const caffe::BlobShape &s : p.input_param().shape())
    l.inputShapes.emplace_back(s.dim().begin(), s.dim().end());
}

/// Current type names of the V1 layer types (Caffe's upgrade_proto.cpp
/// UpgradeV1LayerType does the same mapping).
std::string v1TypeName(caffe::V1LayerParameter::LayerType type) {
  using V1 = caffe::V1LayerParameter;
  switch (type) {
  case V1::CONCAT:
    return "Concat";
  case V1::CONVOLUTION:
    return "Convolution";
  case V1::DATA:
    return "Data";
  case V1::DECONVOLUTION:
    return "Deconvolution";
  case V1::DROPOUT:
    return "Dropout";
  case V1::ELTWISE:
    return "Eltwise";
  case V1::FLATTEN:
    return "Flatten";
  case V1::INNER_PRODUCT:
    return "InnerProduct";
  case V1::LRN:
    return "LRN";
  case V1::POOLING:
    return "Pooling";
  case V1::RELU:
    return "ReLU";
  case V1::SIGMOID:
    return "Sigmoid";
  case V1::SOFTMAX:
    return "Softmax";
  case V1::SOFTMAX_LOSS:
    return "SoftmaxWithLoss";
  case V1::SPLIT:
    return "Split";
  case V1::TANH:
    return "TanH";
  case V1::ACCURACY:
    return "Accuracy";
  default:
    return "V1:" + std::to_string(static_cast<int>(type));
  }
}

void decodeV1Layer(const caffe::V1LayerParameter &p, CaffeLayer &l) {
  decodeCommonParams(p, l);
  l.v1 = true;
  l.type = v1TypeName(p.type());
}

} // namespace

bool vai::proto::parseCaffeNet(const std::string &bytes, bool text,
                               CaffeNet &net, std::string &error) {
  return runGuarded("Caffe NetParameter parse", error, [&] {
    caffe::NetParameter p;
    // Caffe's schema has many fields this subset leaves out (solver and
    // filler settings, data layers' parameters); the text parser skips them.
    if (text) {
      if (!parseTextSkippingUnknown(bytes, p, ", column ", error))
        return false;
    } else if (!p.ParseFromString(bytes)) {
      error = "truncated or malformed Caffe NetParameter";
      return false;
    }
    if (p.layer_size() > 0 && p.layers_size() > 0) {
      error = "the net has both `layer` and legacy V1 `layers` entries";
      return false;
    }
    CaffeNet out;
    out.name = p.name();
    out.inputs.assign(p.input().begin(), p.input().end());
    for (const caffe::BlobShape &s : p.input_shape())
      out.inputShapes.emplace_back(s.dim().begin(), s.dim().end());
    out.inputDims.assign(p.input_dim().begin(), p.input_dim().end());
    out.layers.resize(p.layer_size() + p.layers_size());
    for (int k = 0; k < p.layer_size(); ++k)
      decodeLayer(p.layer(k), out.layers[k]);
    for (int k = 0; k < p.layers_size(); ++k)
      decodeV1Layer(p.layers(k), out.layers[k]);
    net = std::move(out);
    return true;
  });
}

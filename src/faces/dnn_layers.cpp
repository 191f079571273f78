#include "dnn_layers.h"

namespace consentguard::faces::dnn {

int addConvolution(cv::dnn::Net& net, const std::string& name, int input,
                   const TfjsTensor& filters, const std::vector<float>& bias, int stride,
                   bool depthwise, Padding padding, Activation activation) {
  const int k = static_cast<int>(filters.shape[0]);
  const int in = static_cast<int>(filters.shape[2]);
  const int out = depthwise ? in : static_cast<int>(filters.shape[3]);
  const int perGroup = depthwise ? 1 : in;
  const int tfOut = depthwise ? 1 : out;
  cv::Mat weights({out, perGroup, k, k}, CV_32F);
  float* dst = weights.ptr<float>();
  for (int y = 0; y < k; ++y)
    for (int x = 0; x < k; ++x)
      for (int i = 0; i < in; ++i)
        for (int o = 0; o < tfOut; ++o) {
          const int outChannel = depthwise ? i : o;
          const int inChannel = depthwise ? 0 : i;
          dst[((outChannel * perGroup + inChannel) * k + y) * k + x] =
              filters.values[((y * k + x) * in + i) * tfOut + o];
        }
  cv::dnn::LayerParams params;
  params.name = name;
  params.type = "Convolution";
  params.set("kernel_h", k);
  params.set("kernel_w", k);
  params.set("stride_h", stride);
  params.set("stride_w", stride);
  params.set("num_output", out);
  params.set("group", depthwise ? in : 1);
  params.set("bias_term", true);
  if (padding == Padding::kSame) params.set("pad_mode", "SAME");
  if (padding == Padding::kOne) {
    params.set("pad_h", 1);
    params.set("pad_w", 1);
  }
  params.blobs.push_back(weights);
  params.blobs.push_back(cv::Mat(bias, true).reshape(1, 1));
  const int id = net.addLayer(name, "Convolution", params);
  net.connect(input, 0, id, 0);
  if (activation == Activation::kNone) return id;
  cv::dnn::LayerParams act;
  int actId = -1;
  if (activation == Activation::kRelu6) {
    act.set("min_value", 0.0f);
    act.set("max_value", 6.0f);
    actId = net.addLayer(name + "/relu6", "ReLU6", act);
  } else {
    act.set("negative_slope", 0.1f);
    actId = net.addLayer(name + "/leaky", "ReLU", act);
  }
  net.connect(id, 0, actId, 0);
  return actId;
}

int addMaxPool(cv::dnn::Net& net, const std::string& name, int input, int kernel, int stride) {
  cv::dnn::LayerParams params;
  params.set("pool", "max");
  params.set("kernel_h", kernel);
  params.set("kernel_w", kernel);
  params.set("stride_h", stride);
  params.set("stride_w", stride);
  params.set("pad_mode", "SAME");
  const int id = net.addLayer(name, "Pooling", params);
  net.connect(input, 0, id, 0);
  return id;
}

}  // namespace consentguard::faces::dnn

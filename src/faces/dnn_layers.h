// Adds TensorFlow-style layers, with weights from a TensorFlow.js model, to an OpenCV DNN
// network under construction. Internal to the faces module; free functions.
#pragma once

#include <opencv2/dnn.hpp>

#include <string>
#include <vector>

#include "tfjs_weights.h"

namespace consentguard::faces::dnn {

enum class Activation { kNone, kRelu6, kLeaky };  // leaky: slope 0.1, as face-api's
enum class Padding { kSame, kValid, kOne };       // kOne: 1 on every side, then valid

// A convolution from TensorFlow's [k, k, in, out] filters (or [k, k, in, 1] when depthwise),
// plus bias, then the activation. Returns the id of its last layer.
int addConvolution(cv::dnn::Net& net, const std::string& name, int input,
                   const TfjsTensor& filters, const std::vector<float>& bias, int stride,
                   bool depthwise, Padding padding, Activation activation);

// Max pooling over k x k with TensorFlow's "SAME" padding.
int addMaxPool(cv::dnn::Net& net, const std::string& name, int input, int kernel, int stride);

}  // namespace consentguard::faces::dnn

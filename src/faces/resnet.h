// dlib's 29-layer face-recognition ResNet, as declared in dlib's dnn_face_recognition_ex.cpp.
// The same shape is declared twice: with batch normalisation (bn_con), which is the form the
// converter fills and writes, and with affine layers, which is the form the engine runs. dlib
// turns each serialised bn_con into an affine layer when it reads the file.
// Private to src/faces: these templates are expensive to compile, so only two .cpp files use them.
#pragma once

#include <dlib/dnn.h>

namespace consentguard::faces::resnet {

template <template <int, template <typename> class, int, typename> class Block, int N,
          template <typename> class BN, typename SUBNET>
using residual = dlib::add_prev1<Block<N, BN, 1, dlib::tag1<SUBNET>>>;

template <template <int, template <typename> class, int, typename> class Block, int N,
          template <typename> class BN, typename SUBNET>
using residual_down = dlib::add_prev2<
    dlib::avg_pool<2, 2, 2, 2, dlib::skip1<dlib::tag2<Block<N, BN, 2, dlib::tag1<SUBNET>>>>>>;

template <int N, template <typename> class BN, int stride, typename SUBNET>
using block = BN<dlib::con<N, 3, 3, 1, 1, dlib::relu<BN<dlib::con<N, 3, 3, stride, stride, SUBNET>>>>>;

template <template <typename> class BN>
struct Network {
  template <int N, typename SUBNET>
  using res = dlib::relu<residual<block, N, BN, SUBNET>>;
  template <int N, typename SUBNET>
  using res_down = dlib::relu<residual_down<block, N, BN, SUBNET>>;

  template <typename S> using level0 = res_down<256, S>;
  template <typename S> using level1 = res<256, res<256, res_down<256, S>>>;
  template <typename S> using level2 = res<128, res<128, res_down<128, S>>>;
  template <typename S> using level3 = res<64, res<64, res<64, res_down<64, S>>>>;
  template <typename S> using level4 = res<32, res<32, res<32, S>>>;

  using type = dlib::loss_metric<dlib::fc_no_bias<
      128, dlib::avg_pool_everything<level0<level1<level2<level3<level4<dlib::max_pool<
               3, 3, 2, 2,
               dlib::relu<BN<dlib::con<32, 7, 7, 2, 2, dlib::input_rgb_image_sized<150>>>>>>>>>>>>>;
};

using TrainingNet = Network<dlib::bn_con>::type;  // what the converter fills and serialises
using RuntimeNet = Network<dlib::affine>::type;   // what the engine loads and runs

constexpr int kChipSize = 150;
constexpr int kDescriptorSize = 128;

}  // namespace consentguard::faces::resnet

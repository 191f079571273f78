#include "tfjs_weights.h"

#include <Poco/JSON/Parser.h>

#include <bit>
#include <cstring>
#include <fstream>

namespace consentguard::faces {

namespace fs = std::filesystem;

std::string describeShape(const std::vector<long>& shape) {
  std::string text = "[";
  for (size_t i = 0; i < shape.size(); ++i) text += (i ? "," : "") + std::to_string(shape[i]);
  return text + "]";
}

Result<TfjsTensors> readTfjsWeights(const fs::path& manifestPath, const fs::path& weightsPath,
                                    const std::string& what) {
  auto invalid = [&](const std::string& detail) {
    return makeError("model_invalid",
                     "The " + what + " files are not the expected ones. Run scripts/setup again "
                     "to fetch them.",
                     manifestPath.string() + ": " + detail);
  };
  std::ifstream manifestFile(manifestPath);
  std::ifstream weightsFile(weightsPath, std::ios::binary);
  if (!manifestFile || !weightsFile) {
    return makeError("io_error",
                     "The " + what + " files could not be opened. Run scripts/setup to fetch them.",
                     manifestPath.string() + ", " + weightsPath.string());
  }
  const std::vector<char> bin((std::istreambuf_iterator<char>(weightsFile)), {});

  TfjsTensors tensors;
  size_t offset = 0;
  try {
    Poco::JSON::Parser parser;
    auto groups = parser.parse(manifestFile).extract<Poco::JSON::Array::Ptr>();
    for (size_t g = 0; g < groups->size(); ++g) {
      auto weights = groups->getObject(g)->getArray("weights");
      for (size_t w = 0; w < weights->size(); ++w) {
        auto entry = weights->getObject(w);
        TfjsTensor tensor;
        size_t count = 1;
        auto shape = entry->getArray("shape");
        for (size_t d = 0; d < shape->size(); ++d) {
          tensor.shape.push_back(shape->getElement<int>(d));
          if (tensor.shape.back() < 0 || tensor.shape.back() > (1 << 24)) {
            return invalid("a tensor has an impossible shape");
          }
          count *= static_cast<size_t>(tensor.shape.back());
        }
        if (count > bin.size()) return invalid("a tensor is larger than the .bin");
        const std::string name = entry->getValue<std::string>("name");
        tensor.values.resize(count);
        auto quantization = entry->getObject("quantization");
        if (quantization) {
          if (quantization->getValue<std::string>("dtype") != "uint8") {
            return invalid(name + ": unsupported quantisation");
          }
          if (offset + count > bin.size()) return invalid(name + ": .bin too short");
          const double scale = quantization->getValue<double>("scale");
          const double min = quantization->getValue<double>("min");
          for (size_t i = 0; i < count; ++i) {
            const auto byte = static_cast<unsigned char>(bin[offset + i]);
            tensor.values[i] = static_cast<float>(min + scale * byte);
          }
          offset += count;
        } else {
          if (entry->getValue<std::string>("dtype") != "float32") {
            return invalid(name + ": unsupported dtype");
          }
          if (offset + 4 * count > bin.size()) return invalid(name + ": .bin too short");
          static_assert(std::endian::native == std::endian::little);
          std::memcpy(tensor.values.data(), bin.data() + offset, 4 * count);
          offset += 4 * count;
        }
        tensors[name] = std::move(tensor);
      }
    }
  } catch (const Poco::Exception& e) {
    return invalid("manifest: " + e.displayText());
  } catch (const std::exception& e) {
    return invalid(std::string("manifest: ") + e.what());
  }
  if (offset != bin.size()) {
    return invalid("tensors use " + std::to_string(offset) + " bytes but the .bin has " +
                   std::to_string(bin.size()));
  }
  return tensors;
}

}  // namespace consentguard::faces

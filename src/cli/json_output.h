// JSON pieces that several commands print the same way.
#pragma once

#include <Poco/JSON/Object.h>

#include <opencv2/core.hpp>

namespace consentguard::cli {

// A face box as {"x","y","w","h"} in the upright photo's pixels.
inline Poco::JSON::Object::Ptr boxJson(const cv::Rect& box) {
  Poco::JSON::Object::Ptr json = new Poco::JSON::Object;
  json->set("x", box.x);
  json->set("y", box.y);
  json->set("w", box.width);
  json->set("h", box.height);
  return json;
}

}  // namespace consentguard::cli

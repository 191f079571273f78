#include "consentguard/policy/policy_config.h"

#include <Poco/AutoPtr.h>
#include <Poco/Exception.h>
#include <Poco/NumberParser.h>
#include <Poco/String.h>
#include <Poco/StringTokenizer.h>
#include <Poco/Util/PropertyFileConfiguration.h>

#include <algorithm>
#include <cstdlib>
#include <set>

namespace consentguard::policy {
namespace {

namespace fs = std::filesystem;
using Poco::Util::AbstractConfiguration;

Error badConfig(const fs::path& file, const std::string& what) {
  return makeError("bad_config", "The configuration file " + file.string() +
                                     " has a problem: " + what + " Correct it and start again.");
}

void collectKeys(const AbstractConfiguration& config, const std::string& prefix,
                 std::vector<std::string>& keys) {
  AbstractConfiguration::Keys children;
  config.keys(prefix, children);
  if (children.empty() && !prefix.empty() && config.has(prefix)) keys.push_back(prefix);
  for (const auto& child : children) {
    collectKeys(config, prefix.empty() ? child : prefix + "." + child, keys);
  }
}

Result<bool> readBool(const AbstractConfiguration& config, const std::string& key, bool fallback,
                      const fs::path& file) {
  if (!config.has(key)) return fallback;
  const std::string value = Poco::toLower(Poco::trim(config.getString(key)));
  if (value == "true" || value == "yes" || value == "on") return true;
  if (value == "false" || value == "no" || value == "off") return false;
  return badConfig(file, key + " must be true or false, not '" + value + "'.");
}

Result<double> readNumber(const AbstractConfiguration& config, const std::string& key,
                          double fallback, double low, double high, const fs::path& file) {
  if (!config.has(key)) return fallback;
  double value = 0;
  if (!Poco::NumberParser::tryParseFloat(Poco::trim(config.getString(key)), value) || value < low ||
      value > high) {
    return badConfig(file, key + " must be a number from " + std::to_string(low) + " to " +
                               std::to_string(high) + ".");
  }
  return value;
}

// Channel names appear in folder names and URLs: lower-case letters, digits and _.
bool validChannelName(const std::string& name) {
  if (name.empty() || name.size() > 32 || name[0] < 'a' || name[0] > 'z') return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

}  // namespace

const ChannelPolicy* PolicyConfig::channel(const std::string& name) const {
  for (const auto& c : channels) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

std::vector<std::string> PolicyConfig::channelNames() const {
  std::vector<std::string> names;
  for (const auto& c : channels) names.push_back(c.name);
  return names;
}

Error unknownChannel(const std::string& name, const PolicyConfig& config) {
  std::string known;
  for (const auto& c : config.channelNames()) known += (known.empty() ? "" : ", ") + c;
  return makeError("unknown_channel",
                   "There is no channel called '" + name + "'. The channels are: " + known + ".");
}

Result<PolicyConfig> loadPolicyConfig(const fs::path& file) {
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) {
    return makeError("config_not_found",
                     "The configuration file " + file.string() + " was not found.");
  }
  Poco::AutoPtr<Poco::Util::PropertyFileConfiguration> config;
  try {
    config = new Poco::Util::PropertyFileConfiguration(file.string());
  } catch (const Poco::Exception& e) {
    return badConfig(file, "it cannot be read (" + e.displayText() + ").");
  }

  PolicyConfig policy;
  if (config->has("policy.channels")) {
    policy.channels.clear();
    Poco::StringTokenizer names(
        config->getString("policy.channels"), ",",
        Poco::StringTokenizer::TOK_TRIM | Poco::StringTokenizer::TOK_IGNORE_EMPTY);
    for (const auto& name : names) {
      if (!validChannelName(name)) {
        return badConfig(
            file, "the channel name '" + name + "' must be lower-case letters, digits and _.");
      }
      if (policy.channel(name))
        return badConfig(file, "the channel '" + name + "' is listed twice.");
      policy.channels.push_back({name});
    }
    if (policy.channels.empty()) return badConfig(file, "policy.channels lists no channel.");
  }

  std::set<std::string> known = {"policy.channels",
                                 "policy.device_check",
                                 "policy.no_faces",
                                 "policy.match.threshold",
                                 "policy.match.margin",
                                 "policy.match.protect_threshold",
                                 "policy.match.protect_margin",
                                 "policy.full_name.staff",
                                 "policy.template_max_age_months",
                                 "policy.heic_jpeg_quality",
                                 "policy.video.max_seconds",
                                 "policy.video.sample_ms"};
  for (auto& channel : policy.channels) {
    const std::string prefix = "policy.channel." + channel.name + ".";
    known.insert(prefix + "max_children");
    known.insert(prefix + "slt_may_override");
    auto max = readNumber(*config, prefix + "max_children", channel.max_children, 0, 100, file);
    if (!max) return max.error();
    if (*max != static_cast<int>(*max))
      return badConfig(file, prefix + "max_children must be a whole number.");
    channel.max_children = static_cast<int>(*max);
    auto override = readBool(*config, prefix + "slt_may_override", channel.slt_may_override, file);
    if (!override) return override.error();
    channel.slt_may_override = *override;
  }
  std::vector<std::string> keys;
  collectKeys(*config, "policy", keys);
  for (const auto& key : keys) {
    if (!known.count(key)) {
      return badConfig(file, "the setting '" + key +
                                 "' is not one Consent Guard knows (a typing "
                                 "mistake, or a channel missing from policy.channels?).");
    }
  }

  auto device = readBool(*config, "policy.device_check", policy.device_check, file);
  if (!device) return device.error();
  policy.device_check = *device;
  if (config->has("policy.no_faces")) {
    const std::string value = Poco::toLower(Poco::trim(config->getString("policy.no_faces")));
    if (value == "publish")
      policy.no_faces = NoFacesAction::kPublish;
    else if (value == "review")
      policy.no_faces = NoFacesAction::kReview;
    else
      return badConfig(file, "policy.no_faces must be publish or review, not '" + value + "'.");
  }
  auto threshold =
      readNumber(*config, "policy.match.threshold", policy.match_threshold, 0.1, 0.7, file);
  if (!threshold) return threshold.error();
  policy.match_threshold = *threshold;
  auto margin = readNumber(*config, "policy.match.margin", policy.match_margin, 0.0, 0.5, file);
  if (!margin) return margin.error();
  policy.match_margin = *margin;
  auto protect = readNumber(*config, "policy.match.protect_threshold", policy.protect_threshold,
                            0.1, 0.8, file);
  if (!protect) return protect.error();
  policy.protect_threshold = *protect;
  if (policy.protect_threshold < policy.match_threshold) {
    return badConfig(file,
                     "policy.match.protect_threshold must not be below policy.match.threshold: a "
                     "face sure enough to be named must also be near enough to protect.");
  }
  auto protectMargin = readNumber(*config, "policy.match.protect_margin", policy.protect_margin,
                                  0.0, 0.5, file);
  if (!protectMargin) return protectMargin.error();
  policy.protect_margin = *protectMargin;
  if (policy.protect_margin >= policy.match_margin) {
    return badConfig(file,
                     "policy.match.protect_margin must be below policy.match.margin: a face "
                     "named as one person must never also be possibly another.");
  }
  if (config->has("policy.full_name.staff")) {
    const std::string value =
        Poco::toLower(Poco::trim(config->getString("policy.full_name.staff")));
    if (value == "allow")
      policy.staff_full_names = StaffNames::kAllow;
    else if (value == "block")
      policy.staff_full_names = StaffNames::kBlock;
    else
      return badConfig(file,
                       "policy.full_name.staff must be allow or block, not '" + value + "'.");
  }
  auto months = readNumber(*config, "policy.template_max_age_months",
                           policy.template_max_age_months, 1, 60, file);
  if (!months) return months.error();
  if (*months != static_cast<int>(*months))
    return badConfig(file, "policy.template_max_age_months must be a whole number.");
  policy.template_max_age_months = static_cast<int>(*months);
  auto quality =
      readNumber(*config, "policy.heic_jpeg_quality", policy.heic_jpeg_quality, 50, 100, file);
  if (!quality) return quality.error();
  if (*quality != static_cast<int>(*quality))
    return badConfig(file, "policy.heic_jpeg_quality must be a whole number.");
  policy.heic_jpeg_quality = static_cast<int>(*quality);
  for (const auto& [key, value, low, high] :
       {std::tuple{"policy.video.max_seconds", &policy.video_max_seconds, 1, 600},
        std::tuple{"policy.video.sample_ms", &policy.video_sample_ms, 100, 5000}}) {
    auto number = readNumber(*config, key, *value, low, high, file);
    if (!number) return number.error();
    if (*number != static_cast<int>(*number))
      return badConfig(file, std::string(key) + " must be a whole number.");
    *value = static_cast<int>(*number);
  }
  return policy;
}

fs::path locateConfig(const fs::path& requested) {
  if (!requested.empty()) return requested;
  if (const char* env = std::getenv("CONSENTGUARD_CONFIG"); env && *env) return env;
  std::error_code ec;
  const fs::path exe = fs::canonical("/proc/self/exe", ec);
  if (!ec) {
    for (fs::path dir = exe.parent_path(); !dir.empty() && dir != dir.root_path();
         dir = dir.parent_path()) {
      const fs::path candidate = dir / "config" / "consentguard.properties";
      if (fs::exists(candidate, ec) && fs::exists(dir / "CMakeLists.txt", ec)) return candidate;
    }
  }
  const fs::path local = fs::current_path(ec) / "config" / "consentguard.properties";
  return fs::exists(local, ec) ? local : fs::path();
}

Result<PolicyConfig> loadPolicy(const fs::path& requested) {
  const fs::path file = locateConfig(requested);
  if (file.empty()) return PolicyConfig{};
  return loadPolicyConfig(file);
}

}  // namespace consentguard::policy

// libFuzzer harness: an upload as the pages receive it (POST /photos, reference photos,
// /import): a multipart/form-data body read by Poco's HTMLForm into the pages' FileUploads,
// with its size and count limits. The first line of the input is the boundary, the rest the
// body. Every input must be read, or refused with a Poco exception the pages catch.
#include <Poco/Net/HTMLForm.h>
#include <Poco/Net/HTTPRequest.h>

#include <cstdint>
#include <sstream>
#include <string>

#include "web_util.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  const size_t newline = input.find('\n');
  const std::string boundary = input.substr(0, std::min<size_t>(newline, 70));
  std::istringstream body(newline == std::string::npos ? "" : input.substr(newline + 1));
  Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, "/photos",
                                 Poco::Net::HTTPMessage::HTTP_1_1);
  request.setContentType("multipart/form-data; boundary=\"" + boundary + "\"");
  consentguard::service::FileUploads files(64 * 1024, 3);
  try {
    Poco::Net::HTMLForm form;
    form.setFieldLimit(100);
    form.load(request, body, files);
    (void)form.get("channel", "");
    (void)form.get("csrf", "");
  } catch (const Poco::Exception&) {
    // Refused: the pages answer 400 (web_util.cpp: readUpload).
  }
  if (files.files.size() > 3) __builtin_trap();
  for (const auto& f : files.files) {
    if (f.bytes.size() > 64 * 1024) __builtin_trap();
  }
  return 0;
}

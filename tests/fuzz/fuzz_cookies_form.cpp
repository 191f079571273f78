// libFuzzer harness: what a browser sends with every page: the Cookie header (the session and
// sign-in tokens) and a url-encoded form (sign-in, decisions, register changes), parsed as the
// pages parse them. The input's first line is the Cookie header, the rest the form body.
#include <Poco/Net/HTMLForm.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/NameValueCollection.h>

#include <cstdint>
#include <sstream>
#include <string>

#include "consentguard/queue/job_queue.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  const size_t newline = input.find('\n');
  Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, "/login",
                                 Poco::Net::HTTPMessage::HTTP_1_1);
  try {
    request.set("Cookie", input.substr(0, newline));
    Poco::Net::NameValueCollection cookies;
    request.getCookies(cookies);  // as web_util.cpp's cookie()
    (void)cookies.get("cg_session", "");
    (void)cookies.get("cg_login", "");
  } catch (const Poco::Exception&) {
  }
  request.setContentType("application/x-www-form-urlencoded");
  std::istringstream body(newline == std::string::npos ? "" : input.substr(newline + 1));
  try {
    Poco::Net::HTMLForm form;
    form.setFieldLimit(100);
    form.load(request, body);
    for (const char* field : {"username", "password", "csrf", "reason", "face", "person"}) {
      (void)form.get(field, "");
    }
    // The identify form's face field is a box key.
    (void)consentguard::queue::parseBoxKey(form.get("face", ""));
  } catch (const Poco::Exception&) {
  }
  return 0;
}

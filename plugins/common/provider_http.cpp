#include "common/provider_http.h"

#include <algorithm>
#include <cctype>

namespace ordersvc::plugins::common {

namespace {

osp_str toStr(std::string_view text) {
  return osp_str{text.data(), text.size()};
}

bool equalsIgnoringCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  }
  return true;
}

}  // namespace

std::optional<std::string> HttpReply::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (equalsIgnoringCase(key, name)) return value;
  }
  return std::nullopt;
}

std::optional<uint32_t> timeoutBeforeDeadlineMs(const osp::sdk::Call& call) {
  constexpr int64_t kMinimumTimeoutMs = 100;
  if (call.deadlineUnixMs() == 0) return 0u;
  const int64_t left = call.deadlineUnixMs() - call.nowUnixMs();
  const int64_t timeout = left - std::clamp<int64_t>(left / 5, 50, 2000);
  if (timeout < kMinimumTimeoutMs) return std::nullopt;
  return static_cast<uint32_t>(std::min<int64_t>(timeout, UINT32_MAX));
}

HttpOutcome sendHttp(const osp::sdk::Call& call, std::string_view method, std::string_view url,
                     const std::vector<HttpHeader>& headers, std::string_view body, uint32_t timeoutMs) {
  HttpOutcome outcome;
  const auto* http = call.service<osp_http_v1>(OSP_SERVICE_HTTP_V1);
  if (http == nullptr || http->send == nullptr) {
    outcome.error = "the host offers no osp.http/1";
    return outcome;
  }
  std::vector<osp_http_header> raw;
  raw.reserve(headers.size());
  for (const auto& header : headers) {
    raw.push_back(osp_http_header{toStr(header.name), toStr(header.value),
                                  header.secret ? static_cast<uint32_t>(OSP_HTTP_HEADER_SECRET) : 0u});
  }
  osp_http_request request{};
  request.struct_size = sizeof(request);
  request.method = toStr(method);
  request.url = toStr(url);
  request.headers = raw.data();
  request.header_count = raw.size();
  request.body = osp_bytes{reinterpret_cast<const uint8_t*>(body.data()), body.size()};
  request.timeout_ms = timeoutMs;
  osp_http_response response{};
  response.struct_size = sizeof(response);
  const osp_status status = http->send(call.host(), call.context(), &request, &response);
  switch (status) {
    case OSP_OK:
      outcome.transport = Transport::Answered;
      outcome.reply.status = response.status;
      outcome.reply.body.assign(reinterpret_cast<const char*>(response.body.ptr), response.body.len);
      for (std::size_t i = 0; i < response.header_count; ++i) {
        outcome.reply.headers.emplace_back(std::string(response.headers[i].name.ptr, response.headers[i].name.len),
                                           std::string(response.headers[i].value.ptr, response.headers[i].value.len));
      }
      break;
    case OSP_E_DEADLINE:
      outcome.transport = Transport::MaybeSent;
      outcome.error = "no answer from the provider in time";
      break;
    case OSP_E_TRANSIENT:
      outcome.error = "could not connect to the provider";
      break;
    default:
      outcome.error = "the host refused the request (egress not allowed, TLS failure or malformed request)";
      break;
  }
  if (http->release != nullptr) http->release(call.host(), &response);
  return outcome;
}

}  // namespace ordersvc::plugins::common

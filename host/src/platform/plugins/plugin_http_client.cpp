#include "platform/plugins/plugin_http_client.h"

#include <algorithm>
#include <memory>
#include <optional>
#include <vector>

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SSLException.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/URI.h>

#include "platform/logging/log.h"
#include "platform/plugins/plugin_host_services.h"

namespace ordersvc::plugins {

namespace {

std::string text(osp_str s) {
  return s.ptr == nullptr ? std::string{} : std::string(s.ptr, s.len);
}

// What send() hands the plugin; freed by release().
struct ResponseHolder {
  std::vector<std::pair<std::string, std::string>> headerText;
  std::vector<osp_http_header> headers;
  std::string body;
};

Poco::Net::Context::Ptr clientTlsContext() {
  // Verify the server's chain against the system CAs and its host name
  // (extended verification is on by default in Poco).
  static Poco::Net::Context::Ptr context = [] {
    Poco::Net::initializeSSL();
    return Poco::Net::Context::Ptr(new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", "", "",
                                                          Poco::Net::Context::VERIFY_RELAXED, 9, true,
                                                          "ALL:!ADH:!LOW:!EXP:!MD5:@STRENGTH"));
  }();
  return context;
}

bool hostAllowed(const std::string& host, const std::vector<std::string>& allowed) {
  for (const auto& pattern : allowed) {
    if (pattern == host) return true;
    // "*.example.com" allows any subdomain, not example.com itself.
    if (pattern.size() > 2 && pattern.rfind("*.", 0) == 0) {
      const std::string suffix = pattern.substr(1);
      if (host.size() > suffix.size() && host.compare(host.size() - suffix.size(), suffix.size(), suffix) == 0)
        return true;
    }
  }
  return false;
}

int64_t nowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

osp_status fail(const PluginHostServices& services, const osp_call_ctx* ctx, osp_status status,
                const std::string& method, const std::string& target, const std::string& why) {
  logging::warn("plugin http request failed", {{"plugin", services.pluginId()},
                                               {"organization_id", ctx ? text(ctx->organization_id) : std::string()},
                                               {"request_id", ctx ? text(ctx->request_id) : std::string()},
                                               {"method", method},
                                               {"target", target},
                                               {"reason", why}});
  return status;
}

// Until the request succeeds the plugin sees no status, headers or body.
void clearResponse(osp_http_response* response) {
  response->struct_size = sizeof(osp_http_response);
  response->status = 0;
  response->headers = nullptr;
  response->header_count = 0;
  response->body = osp_bytes{nullptr, 0};
  response->host_data = nullptr;
}

// Parses the URL into `uri` and applies the egress allow-list: the URL's host must be
// allowed by the plugin's manifest. OSP_OK, or the (logged) reason to refuse.
osp_status checkTarget(const PluginHostServices& services, const osp_call_ctx* ctx, const std::string& method,
                       osp_str url, Poco::URI& uri) {
  try {
    uri = Poco::URI(text(url));
  } catch (const Poco::Exception& e) {
    return fail(services, ctx, OSP_E_INVALID_ARGUMENT, method, "", "malformed url: " + e.message());
  }
  if (method.empty() || uri.getHost().empty()) {
    return fail(services, ctx, OSP_E_INVALID_ARGUMENT, method, "", "request needs a method and an absolute url");
  }
  const std::string originalHost = uri.getHost();
  if (!hostAllowed(originalHost, services.manifestEgressHosts())) {
    return fail(services, ctx, OSP_E_PERMANENT, method, originalHost, "host not in the plugin's egress allow-list");
  }
  return OSP_OK;
}

// A base-URL override (configured per instance by an admin) redirects scheme, host
// and port; only then is plain http accepted. True when one applied.
bool applyBaseUrlOverride(const CallState* call, Poco::URI& uri) {
  if (call == nullptr || call->baseUrlOverride.empty()) return false;
  const Poco::URI base(call->baseUrlOverride);
  uri.setScheme(base.getScheme());
  uri.setHost(base.getHost());
  uri.setPort(base.getPort());
  if (base.getPath().size() > 1) uri.setPath(base.getPath() + uri.getPath());
  return true;
}

// Time-out: the smaller of the request's and what is left of the deadline; nothing when
// the deadline has passed.
std::optional<std::chrono::milliseconds> requestTimeout(const osp_http_request* request, const osp_call_ctx* ctx,
                                                        const PluginHttpClient& client) {
  auto timeout =
      request->timeout_ms > 0 ? std::chrono::milliseconds(request->timeout_ms) : client.options().defaultTimeout;
  if (ctx->deadline_unix_ms != 0) {
    const int64_t left = ctx->deadline_unix_ms - nowMs();
    if (left <= 0) return std::nullopt;
    timeout = std::min(timeout, std::chrono::milliseconds(left));
  }
  return timeout;
}

std::unique_ptr<Poco::Net::HTTPClientSession> openSession(const Poco::URI& uri, std::chrono::milliseconds timeout) {
  std::unique_ptr<Poco::Net::HTTPClientSession> session;
  if (uri.getScheme() == "https") {
    session = std::make_unique<Poco::Net::HTTPSClientSession>(uri.getHost(), uri.getPort(), clientTlsContext());
  } else {
    session = std::make_unique<Poco::Net::HTTPClientSession>(uri.getHost(), uri.getPort());
  }
  session->setTimeout(
      Poco::Timespan(static_cast<long>(timeout.count() / 1000), static_cast<long>((timeout.count() % 1000) * 1000)));
  return session;
}

// Copies the plugin's headers onto the request; returns them for the log, secret values masked.
std::string copyHeaders(const osp_http_request* request, Poco::Net::HTTPRequest& httpRequest) {
  std::string maskedHeaders;
  for (std::size_t i = 0; i < request->header_count; ++i) {
    const auto& h = request->headers[i];
    httpRequest.set(text(h.name), text(h.value));
    maskedHeaders += text(h.name) + "=" + ((h.flags & OSP_HTTP_HEADER_SECRET) ? "********" : text(h.value)) + " ";
  }
  return maskedHeaders;
}

// Reads the whole body into `body`, within the size cap and the call's deadline.
osp_status readBody(std::istream& in, std::string& body, const PluginHostServices& services, const osp_call_ctx* ctx,
                    const PluginHttpClient& client, const std::string& method, const std::string& host) {
  char buffer[16384];
  while (in) {
    in.read(buffer, sizeof buffer);
    body.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (body.size() > client.options().maxResponseBytes) {
      return fail(services, ctx, OSP_E_PERMANENT, method, host,
                  "response exceeds " + std::to_string(client.options().maxResponseBytes) + " bytes");
    }
    // Socket time-outs bound each read, not the request: a slow drip must still end
    // at the call's deadline.
    if (ctx->deadline_unix_ms != 0 && nowMs() >= ctx->deadline_unix_ms) {
      return fail(services, ctx, OSP_E_DEADLINE, method, host, "deadline passed while reading the response");
    }
  }
  return OSP_OK;
}

// Hands the answer to the plugin; the holder keeps its memory alive until httpRelease.
void publishResponse(const Poco::Net::HTTPResponse& httpResponse, std::unique_ptr<ResponseHolder> holder,
                     osp_http_response* response) {
  for (const auto& [name, value] : httpResponse) holder->headerText.emplace_back(name, value);
  for (const auto& [name, value] : holder->headerText) {
    holder->headers.push_back(
        osp_http_header{osp_str{name.data(), name.size()}, osp_str{value.data(), value.size()}, 0});
  }
  response->status = static_cast<int>(httpResponse.getStatus());
  response->headers = holder->headers.data();
  response->header_count = holder->headers.size();
  response->body = osp_bytes{reinterpret_cast<const uint8_t*>(holder->body.data()), holder->body.size()};
  response->host_data = holder.release();
}

// Sends the request and fills `response`. Whether the request went out decides how a
// failure is reported: before, the provider saw nothing; after, the outcome is unknown.
osp_status exchange(const PluginHostServices& services, const osp_call_ctx* ctx, const PluginHttpClient& client,
                    Poco::Net::HTTPClientSession& session, Poco::Net::HTTPRequest& httpRequest,
                    const osp_http_request* request, osp_http_response* response, const std::string& method,
                    const std::string& host) {
  bool sent = false;
  try {
    std::ostream& out = session.sendRequest(httpRequest);
    sent = true;
    out.write(reinterpret_cast<const char*>(request->body.ptr), static_cast<std::streamsize>(request->body.len));
    Poco::Net::HTTPResponse httpResponse;
    std::istream& in = session.receiveResponse(httpResponse);
    auto holder = std::make_unique<ResponseHolder>();
    if (const osp_status read = readBody(in, holder->body, services, ctx, client, method, host); read != OSP_OK) {
      return read;
    }
    // istream::read swallows socket errors (badbit) and a short fixed-length body just
    // ends: either way the provider's answer is incomplete, and it may have acted.
    const bool shortBody = httpResponse.hasContentLength() &&
                           static_cast<Poco::Int64>(holder->body.size()) < httpResponse.getContentLength64();
    if (in.bad() || session.networkException() != nullptr || shortBody) {
      return fail(services, ctx, OSP_E_DEADLINE, method, host, "response body cut short");
    }
    publishResponse(httpResponse, std::move(holder), response);
  } catch (const Poco::TimeoutException& e) {
    return fail(services, ctx, sent ? OSP_E_DEADLINE : OSP_E_TRANSIENT, method, host, e.displayText());
  } catch (const Poco::Net::SSLException& e) {
    return fail(services, ctx, OSP_E_PERMANENT, method, host, "TLS: " + e.displayText());
  } catch (const Poco::Exception& e) {
    // Refused or unresolvable before sending: the provider saw nothing. After sending,
    // the outcome is unknown, which the plugin must report as such.
    return fail(services, ctx, sent ? OSP_E_DEADLINE : OSP_E_TRANSIENT, method, host, e.displayText());
  }
  return OSP_OK;
}

void recordMetrics(const PluginHostServices& services, const std::string& host, int status, double seconds) {
  if (auto* metrics = services.environment().metrics) {
    const metrics::Labels labels = {
        {"plugin", services.pluginId()}, {"host", host}, {"status", std::to_string(status)}};
    try {
      metrics->counter("ordersvc_plugins_http_requests_total", "HTTP requests plugins made through the host.", labels)
          .increment();
      metrics->histogram("ordersvc_plugins_http_request_duration_seconds", "Latency of plugin HTTP requests.", labels)
          .observe(seconds);
    } catch (const std::exception&) {
      // A metric must never turn a delivered request into a failure.
    }
  }
}

osp_status OSP_CC httpSend(const osp_host* host, const osp_call_ctx* ctx, const osp_http_request* request,
                           osp_http_response* response) noexcept {
  try {
    const auto* services = PluginHostServices::from(host);
    if (services == nullptr || services->environment().http == nullptr) return OSP_E_UNSUPPORTED;
    if (request == nullptr || response == nullptr || ctx == nullptr) return OSP_E_INVALID_ARGUMENT;
    clearResponse(response);
    const PluginHttpClient& client = *services->environment().http;
    const auto* call = static_cast<const CallState*>(ctx->host_data);

    const std::string method = text(request->method);
    Poco::URI uri;
    if (const osp_status target = checkTarget(*services, ctx, method, request->url, uri); target != OSP_OK) {
      return target;
    }
    const std::string originalHost = uri.getHost();
    const bool overridden = applyBaseUrlOverride(call, uri);
    if (uri.getScheme() != "https" && !(overridden && uri.getScheme() == "http")) {
      return fail(*services, ctx, OSP_E_PERMANENT, method, originalHost, "only https is allowed");
    }
    const auto timeout = requestTimeout(request, ctx, client);
    if (!timeout) return fail(*services, ctx, OSP_E_DEADLINE, method, originalHost, "deadline passed before sending");

    const auto session = openSession(uri, *timeout);
    Poco::Net::HTTPRequest httpRequest(method, uri.getPathAndQuery().empty() ? "/" : uri.getPathAndQuery(),
                                       Poco::Net::HTTPMessage::HTTP_1_1);
    const std::string maskedHeaders = copyHeaders(request, httpRequest);
    httpRequest.setContentLength(static_cast<std::streamsize>(request->body.len));

    const auto started = std::chrono::steady_clock::now();
    if (const osp_status exchanged =
            exchange(*services, ctx, client, *session, httpRequest, request, response, method, originalHost);
        exchanged != OSP_OK) {
      return exchanged;
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    recordMetrics(*services, originalHost, response->status, seconds);
    logging::debug("plugin http request", {{"plugin", services->pluginId()},
                                           {"request_id", text(ctx->request_id)},
                                           {"method", method},
                                           {"host", originalHost},
                                           {"path", uri.getPath()},
                                           {"status", response->status},
                                           {"duration_ms", seconds * 1000.0},
                                           {"headers", maskedHeaders}});
    return OSP_OK;
  } catch (...) {
    return OSP_E_INTERNAL;
  }
}

void OSP_CC httpRelease(const osp_host*, osp_http_response* response) noexcept {
  if (response == nullptr) return;
  delete static_cast<ResponseHolder*>(response->host_data);
  response->host_data = nullptr;
  response->headers = nullptr;
  response->header_count = 0;
  response->body = osp_bytes{nullptr, 0};
}

const osp_http_v1 kTable = {sizeof(osp_http_v1), &httpSend, &httpRelease};

}  // namespace

PluginHttpClient::PluginHttpClient(HttpClientOptions options) : options_(options) {}

const osp_http_v1* PluginHttpClient::table() {
  return &kTable;
}

}  // namespace ordersvc::plugins

#include "plugins/plugin_http_client.h"

#include <algorithm>
#include <memory>
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

#include "logging/log.h"
#include "plugins/plugin_host_services.h"

namespace ordersvc::plugins {

namespace {

std::string text(osp_str s) { return s.ptr == nullptr ? std::string{} : std::string(s.ptr, s.len); }

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
      if (host.size() > suffix.size() && host.compare(host.size() - suffix.size(), suffix.size(), suffix) == 0) return true;
    }
  }
  return false;
}

int64_t nowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

osp_status fail(const PluginHostServices& services, const osp_call_ctx* ctx, osp_status status, const std::string& method,
                const std::string& target, const std::string& why) {
  logging::warn("plugin http request failed",
                {{"plugin", services.pluginId()},
                 {"organization_id", ctx ? text(ctx->organization_id) : std::string()},
                 {"request_id", ctx ? text(ctx->request_id) : std::string()},
                 {"method", method},
                 {"target", target},
                 {"reason", why}});
  return status;
}

osp_status OSP_CC httpSend(const osp_host* host, const osp_call_ctx* ctx, const osp_http_request* request,
                           osp_http_response* response) noexcept {
  try {
    const auto* services = PluginHostServices::from(host);
    if (services == nullptr || services->environment().http == nullptr) return OSP_E_UNSUPPORTED;
    if (request == nullptr || response == nullptr || ctx == nullptr) return OSP_E_INVALID_ARGUMENT;
    response->struct_size = sizeof(osp_http_response);
    response->status = 0;
    response->headers = nullptr;
    response->header_count = 0;
    response->body = osp_bytes{nullptr, 0};
    response->host_data = nullptr;
    const PluginHttpClient& client = *services->environment().http;
    const auto* call = static_cast<const CallState*>(ctx->host_data);

    const std::string method = text(request->method);
    Poco::URI uri;
    try {
      uri = Poco::URI(text(request->url));
    } catch (const Poco::Exception& e) {
      return fail(*services, ctx, OSP_E_INVALID_ARGUMENT, method, "", "malformed url: " + e.message());
    }
    if (method.empty() || uri.getHost().empty()) {
      return fail(*services, ctx, OSP_E_INVALID_ARGUMENT, method, "", "request needs a method and an absolute url");
    }
    // Egress: the URL's host must be allowed by the plugin's manifest.
    const std::string originalHost = uri.getHost();
    if (!hostAllowed(originalHost, services->manifestEgressHosts())) {
      return fail(*services, ctx, OSP_E_PERMANENT, method, originalHost, "host not in the plugin's egress allow-list");
    }
    // A base-URL override (configured per instance by an admin) redirects scheme, host
    // and port; only then is plain http accepted.
    bool overridden = false;
    if (call != nullptr && !call->baseUrlOverride.empty()) {
      const Poco::URI base(call->baseUrlOverride);
      uri.setScheme(base.getScheme());
      uri.setHost(base.getHost());
      uri.setPort(base.getPort());
      if (base.getPath().size() > 1) uri.setPath(base.getPath() + uri.getPath());
      overridden = true;
    }
    if (uri.getScheme() != "https" && !(overridden && uri.getScheme() == "http")) {
      return fail(*services, ctx, OSP_E_PERMANENT, method, originalHost, "only https is allowed");
    }

    // Time-out: the smaller of the request's and what is left of the deadline.
    auto timeout = request->timeout_ms > 0 ? std::chrono::milliseconds(request->timeout_ms) : client.options().defaultTimeout;
    if (ctx->deadline_unix_ms != 0) {
      const int64_t left = ctx->deadline_unix_ms - nowMs();
      if (left <= 0) return fail(*services, ctx, OSP_E_DEADLINE, method, originalHost, "deadline passed before sending");
      timeout = std::min(timeout, std::chrono::milliseconds(left));
    }

    std::unique_ptr<Poco::Net::HTTPClientSession> session;
    if (uri.getScheme() == "https") {
      session = std::make_unique<Poco::Net::HTTPSClientSession>(uri.getHost(), uri.getPort(), clientTlsContext());
    } else {
      session = std::make_unique<Poco::Net::HTTPClientSession>(uri.getHost(), uri.getPort());
    }
    session->setTimeout(Poco::Timespan(static_cast<long>(timeout.count() / 1000), static_cast<long>((timeout.count() % 1000) * 1000)));
    Poco::Net::HTTPRequest httpRequest(method, uri.getPathAndQuery().empty() ? "/" : uri.getPathAndQuery(),
                                       Poco::Net::HTTPMessage::HTTP_1_1);
    std::string maskedHeaders;
    for (std::size_t i = 0; i < request->header_count; ++i) {
      const auto& h = request->headers[i];
      httpRequest.set(text(h.name), text(h.value));
      maskedHeaders += text(h.name) + "=" + ((h.flags & OSP_HTTP_HEADER_SECRET) ? "********" : text(h.value)) + " ";
    }
    httpRequest.setContentLength(static_cast<std::streamsize>(request->body.len));

    const auto started = std::chrono::steady_clock::now();
    bool sent = false;
    try {
      std::ostream& out = session->sendRequest(httpRequest);
      sent = true;
      out.write(reinterpret_cast<const char*>(request->body.ptr), static_cast<std::streamsize>(request->body.len));
      Poco::Net::HTTPResponse httpResponse;
      std::istream& in = session->receiveResponse(httpResponse);
      auto holder = std::make_unique<ResponseHolder>();
      char buffer[16384];
      while (in) {
        in.read(buffer, sizeof buffer);
        holder->body.append(buffer, static_cast<std::size_t>(in.gcount()));
        if (holder->body.size() > client.options().maxResponseBytes) {
          return fail(*services, ctx, OSP_E_PERMANENT, method, originalHost,
                      "response exceeds " + std::to_string(client.options().maxResponseBytes) + " bytes");
        }
        // Socket time-outs bound each read, not the request: a slow drip must still end
        // at the call's deadline.
        if (ctx->deadline_unix_ms != 0 && nowMs() >= ctx->deadline_unix_ms) {
          return fail(*services, ctx, OSP_E_DEADLINE, method, originalHost, "deadline passed while reading the response");
        }
      }
      // istream::read swallows socket errors (badbit) and a short fixed-length body just
      // ends: either way the provider's answer is incomplete, and it may have acted.
      const bool shortBody = httpResponse.hasContentLength() &&
                             static_cast<Poco::Int64>(holder->body.size()) < httpResponse.getContentLength64();
      if (in.bad() || session->networkException() != nullptr || shortBody) {
        return fail(*services, ctx, OSP_E_DEADLINE, method, originalHost, "response body cut short");
      }
      for (const auto& [name, value] : httpResponse) holder->headerText.emplace_back(name, value);
      for (const auto& [name, value] : holder->headerText) {
        holder->headers.push_back(osp_http_header{osp_str{name.data(), name.size()}, osp_str{value.data(), value.size()}, 0});
      }
      response->status = static_cast<int>(httpResponse.getStatus());
      response->headers = holder->headers.data();
      response->header_count = holder->headers.size();
      response->body = osp_bytes{reinterpret_cast<const uint8_t*>(holder->body.data()), holder->body.size()};
      response->host_data = holder.release();
    } catch (const Poco::TimeoutException& e) {
      return fail(*services, ctx, sent ? OSP_E_DEADLINE : OSP_E_TRANSIENT, method, originalHost, e.displayText());
    } catch (const Poco::Net::SSLException& e) {
      return fail(*services, ctx, OSP_E_PERMANENT, method, originalHost, "TLS: " + e.displayText());
    } catch (const Poco::Exception& e) {
      // Refused or unresolvable before sending: the provider saw nothing. After sending,
      // the outcome is unknown, which the plugin must report as such.
      return fail(*services, ctx, sent ? OSP_E_DEADLINE : OSP_E_TRANSIENT, method, originalHost, e.displayText());
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if (auto* metrics = services->environment().metrics) {
      const metrics::Labels labels = {{"plugin", services->pluginId()}, {"host", originalHost},
                                      {"status", std::to_string(response->status)}};
      try {
        metrics->counter("ordersvc_plugins_http_requests_total", "HTTP requests plugins made through the host.", labels)
            .increment();
        metrics->histogram("ordersvc_plugins_http_request_duration_seconds", "Latency of plugin HTTP requests.", labels)
            .observe(seconds);
      } catch (const std::exception&) {
        // A metric must never turn a delivered request into a failure.
      }
    }
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

const osp_http_v1* PluginHttpClient::table() { return &kTable; }

}  // namespace ordersvc::plugins

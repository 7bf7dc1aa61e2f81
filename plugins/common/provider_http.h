// One HTTP exchange with a payment provider through the host's "osp.http/1", with the
// transport outcome named the way the payment results need it: a request that provably
// never left (NotSent) can be reported not_submitted and retried; one that may have
// reached the provider (MaybeSent: no answer in time) must be reported unknown and
// reconciled through sync, never retried blindly.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "osp/sdk/plugin.hpp"

namespace ordersvc::plugins::common {

struct HttpHeader {
  std::string name;
  std::string value;
  bool secret = false;  // masked in the host's logs (Authorization, API keys)
};

struct HttpReply {
  int status = 0;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  std::optional<std::string> header(std::string_view name) const;  // case-insensitive
};

enum class Transport {
  Answered,   // the provider answered (any HTTP status): see reply
  NotSent,    // the request never reached the provider (connection failed, host refused it)
  MaybeSent,  // sent, no answer in time: the provider may have acted
};

struct HttpOutcome {
  Transport transport = Transport::NotSent;
  HttpReply reply;    // when Answered
  std::string error;  // why, when not Answered (for logs and gateway_error messages)
};

// How long one request may wait for the provider: what is left of the call's deadline
// less a fifth of it (at least 50 ms, at most 2 s). The host turns an answer that comes
// after the deadline into a time-out, so a plugin must stop waiting early enough to
// report "unknown" itself, with the reference and provider_data sync needs. 0: the call
// has no deadline (the host's default time-out applies). nullopt: under 100 ms would be
// left, too little for an answer to arrive; not sending is then the one certain outcome.
std::optional<uint32_t> timeoutBeforeDeadlineMs(const osp::sdk::Call& call);

// Sends one request. `url` is the provider's real https URL; the host rewrites it to an
// instance's base-URL override. timeoutMs 0: the call's deadline alone bounds it.
HttpOutcome sendHttp(const osp::sdk::Call& call, std::string_view method, std::string_view url,
                     const std::vector<HttpHeader>& headers, std::string_view body, uint32_t timeoutMs = 0);

}  // namespace ordersvc::plugins::common

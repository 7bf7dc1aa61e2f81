// Pieces of the form bodies the plugin sends to Stripe, shared by the operations.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <Poco/JSON/Object.h>

#include "common/form_encoding.h"
#include "common/money.h"
#include "osp/sdk/plugin.hpp"
#include "payments/stripe/stripe_intent_outcome.h"
#include "payments/stripe/stripe_requests.h"

namespace ordersvc::plugins::stripe {

// Adds metadata[<key>] for the plugin's own keys (`own`, in order; empty values skipped),
// then for the host's metadata, skipping keys the plugin's own already use. Stripe takes
// at most 50 keys, none with "[" or "]": false with `why` set when the host's metadata
// breaks that, and nothing should then be sent.
bool addMetadata(common::FormBody& form, const std::vector<std::pair<std::string, std::string>>& own,
                 const Metadata& host, std::string* why);

// One of Stripe's reason codes (`allowed`) when the host's free-text reason names one
// ("Duplicate", "requested by customer"), else nullopt: a reason Stripe acts on
// ("fraudulent" blocks the card) is never guessed from other words.
std::optional<std::string> stripeReason(const std::optional<std::string>& text,
                                        std::initializer_list<std::string_view> allowed);

// The Idempotency-Key of a POST: the call's key, or, when the host sent none,
// "<operation>-<host id>", so a retry still maps to one Stripe object.
std::string idempotencyKeyFor(const osp::sdk::Call& call, std::string_view operation, const std::string& hostId);

// provider_data for a payment result written without a readable intent (unknown,
// not_submitted, or before Stripe was asked): what sync needs to find out later.
Poco::JSON::Object::Ptr paymentFallbackData(const IntentContext& context, const std::optional<std::string>& intent,
                                            const std::optional<common::Money>& amount,
                                            const std::optional<std::string>& captureMethod);

// A Stripe search query string literal: '...' with ' and \ escaped.
std::string searchLiteral(std::string_view text);

}  // namespace ordersvc::plugins::stripe

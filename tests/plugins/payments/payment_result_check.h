// The shape every payment operation result must have
// (plugin-api/schemas/common.json#/$defs/payment_result, closed by each response schema),
// checked in-process so every call in a test can be checked without a schema validator
// run per call. Failures are gtest failures naming the field.
#pragma once

#include <initializer_list>
#include <string>

#include <Poco/JSON/Object.h>

#include "kernel/result.h"
#include "platform/plugins/plugin_instances.h"

namespace ordersvc::testing {

// Parses a plugin's JSON answer; a non-object is a test failure and a null pointer.
Poco::JSON::Object::Ptr parseObjectForTest(const std::string& json);

// status / amount / provider_reference / provider_data, gateway_error when declined,
// next_action when action_required, and no member outside the schema.
void expectPaymentResult(const Poco::JSON::Object::Ptr& result, std::initializer_list<const char*> extraMembers = {});

// The result of a payment operation expected to succeed: a failure or a malformed result
// is a test failure; the answer is returned parsed (an empty object when unusable).
Poco::JSON::Object::Ptr expectPaymentCall(const Result<plugins::PluginCallResult>& result,
                                          const std::string& operation);

// {event_id, events: [...]} of payment.webhook_verify_and_parse, each event with a
// normalised type, a provider_reference, an RFC 3339 UTC occurred_at.
void expectWebhookResult(const Poco::JSON::Object::Ptr& result);

}  // namespace ordersvc::testing

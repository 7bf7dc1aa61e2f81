// payment.webhook_identify and payment.webhook_verify_and_parse.
#include "common/json_writer.h"
#include "common/raw_webhook.h"
#include "common/sdk_glue.h"
#include "payments/stripe/stripe_event.h"
#include "payments/stripe/stripe_instance.h"
#include "payments/stripe/stripe_signature.h"

namespace ordersvc::plugins::stripe {

using osp::sdk::Result;

namespace {

Result unrecognized(std::string_view why) {
  return Result::error(OSP_E_INVALID_ARGUMENT, "webhook.unrecognized", std::string(why));
}

}  // namespace

Result StripeInstance::webhookIdentify(const osp::sdk::Call&, std::string_view request) {
  common::Problems problems;
  const std::optional<common::RawWebhook> raw = common::parseRawWebhook(request, problems);
  if (!raw) return common::invalidRequest(problems);
  const std::optional<StripeObject> event = StripeObject::parse(raw->body);
  const std::optional<std::string> id = event ? event->id("id") : std::nullopt;
  if (!id) return unrecognized("the body is not a Stripe event with an id");
  // Events of a connected account name it; the platform's own events name no account,
  // and then the best the body says is which kind of key they belong to.
  std::string account = event->id("account").value_or("");
  if (account.empty()) account = event->boolean("livemode").value_or(false) ? "live" : "test";
  Poco::JSON::Object::Ptr out = common::makeObject();
  out->set("account_ref", account);
  out->set("event_id", *id);
  return Result::ok(common::toJson(out));
}

Result StripeInstance::webhookVerifyAndParse(const osp::sdk::Call& call, std::string_view request) {
  common::Problems problems;
  const std::optional<common::RawWebhook> raw = common::parseRawWebhook(request, problems);
  if (!raw) return common::invalidRequest(problems);
  const SignatureCheck check = checkStripeSignature(raw->header("Stripe-Signature"), raw->body, config_.webhookSecret,
                                                    call.nowUnixMs() / 1000, config_.webhookToleranceSeconds);
  if (check == SignatureCheck::Invalid) {
    call.log(OSP_LOG_WARN, "stripe: webhook refused: Stripe-Signature missing, malformed or not matching");
    return Result::error(OSP_E_PERMANENT, "webhook.signature_invalid",
                         "Stripe-Signature is missing, malformed or does not match the body");
  }
  if (check == SignatureCheck::Stale) {
    call.log(OSP_LOG_WARN, "stripe: webhook refused: authentic but outside the timestamp tolerance");
    return Result::error(OSP_E_PERMANENT, "webhook.stale",
                         "the Stripe-Signature timestamp is more than " +
                             std::to_string(config_.webhookToleranceSeconds) + " s from now");
  }
  const std::optional<StripeObject> event = StripeObject::parse(raw->body);
  const std::optional<Poco::JSON::Object::Ptr> normalised = event ? normaliseEvent(*event) : std::nullopt;
  if (!normalised) return unrecognized("the signed body is not a Stripe event");
  return Result::ok(common::toJson(*normalised));
}

}  // namespace ordersvc::plugins::stripe

// payment.create_session, payment.sale, payment.authorize, payment.capture and
// payment.void: the PaymentIntent operations.
#include "common/json_reader.h"
#include "common/json_writer.h"
#include "common/sdk_glue.h"
#include "payments/stripe/stripe_amount.h"
#include "payments/stripe/stripe_forms.h"
#include "payments/stripe/stripe_instance.h"

namespace ordersvc::plugins::stripe {

using osp::sdk::Result;

namespace {

std::string captureMethodOf(IntentOperation operation) {
  return operation == IntentOperation::Authorize ? "manual" : "automatic";
}

// The fields of a new PaymentIntent that every way of creating one sends.
bool newIntentForm(common::FormBody& form, const osp::sdk::Call& call, const ChargeRequest& request,
                   int64_t stripeAmount, IntentOperation operation, const std::optional<std::string>& descriptor,
                   std::string* why) {
  form.add("amount", std::to_string(stripeAmount));
  form.add("currency", stripeCurrency(request.amount.currency));
  form.add("capture_method", captureMethodOf(operation));
  if (request.description && !request.description->empty()) form.add("description", *request.description);
  if (descriptor) form.add("statement_descriptor", *descriptor);
  return addMetadata(form,
                     {{"organization_id", std::string(call.organizationId())},
                      {"payment_id", request.paymentId},
                      {"order_id", request.orderId.value_or("")}},
                     request.metadata, why);
}

// Stripe's payment_method_types for the host's kinds of method. Cards and the wallets
// Stripe offers (Apple Pay, Google Pay, Link) are all confirmed as "card"; the host's
// other kinds name no single Stripe type: nullopt, with `why`.
std::optional<std::vector<std::string>> stripeMethodTypes(const std::vector<std::string>& hostTypes, std::string* why) {
  std::vector<std::string> out;
  for (const std::string& type : hostTypes) {
    if (type != "card" && type != "wallet") {
      *why = "payment_method_types: \"" + type + "\" has no Stripe PaymentIntent equivalent this plugin offers";
      return std::nullopt;
    }
    if (out.empty()) out.push_back("card");
  }
  return out;
}

}  // namespace

Result StripeInstance::createSession(const osp::sdk::Call& call, std::string_view request) {
  return charge(call, request, ChargeKind::Session);
}

Result StripeInstance::sale(const osp::sdk::Call& call, std::string_view request) {
  return charge(call, request, ChargeKind::Sale);
}

Result StripeInstance::authorize(const osp::sdk::Call& call, std::string_view request) {
  return charge(call, request, ChargeKind::Authorize);
}

Result StripeInstance::charge(const osp::sdk::Call& call, std::string_view request, ChargeKind kind) const {
  common::Problems problems;
  const std::optional<ChargeRequest> req = readChargeRequest(request, kind, problems);
  if (!req) return common::invalidRequest(problems);
  std::string why;
  const std::optional<int64_t> stripeAmount = toStripeAmount(req->amount, &why);
  if (!stripeAmount) return Result::invalid(why);

  IntentOperation operation = IntentOperation::Sale;
  if (kind == ChargeKind::Authorize || (kind == ChargeKind::Session && req->manualCapture)) {
    operation = IntentOperation::Authorize;
  }
  IntentContext context{operation, req->amount.currency, req->paymentId, std::nullopt};
  const std::string key = idempotencyKeyFor(call, operationName(operation), req->paymentId);

  if (kind == ChargeKind::Session) {
    common::FormBody form;
    if (!newIntentForm(form, call, *req, *stripeAmount, operation, config_.statementDescriptor, &why)) {
      return Result::invalid(why);
    }
    if (!req->methodTypes.empty()) {
      const auto types = stripeMethodTypes(req->methodTypes, &why);
      if (!types) return Result::error(OSP_E_UNSUPPORTED, "payment_method_type.unsupported", why);
      for (std::size_t i = 0; i < types->size(); ++i) {
        form.add("payment_method_types[" + std::to_string(i) + "]", (*types)[i]);
      }
    }
    // No return_url here: Stripe takes it only when confirming, which Stripe.js does in
    // the browser (confirmPayment's return_url).
    const StripeReply reply = api_.post(call, "/v1/payment_intents", form, key);
    const Fallback fallback{req->amount, req->paymentId,
                            paymentFallbackData(context, std::nullopt, req->amount, captureMethodOf(operation))};
    Result result = judgeIntentReply(call, reply, context, fallback);
    // The storefront's Stripe.js needs the client_secret; it goes into the result only.
    if (result.status == OSP_OK && reply.object) {
      if (auto secret = reply.object->string("client_secret"); secret && !secret->empty() && secret->size() <= 500) {
        common::Problems ownJson;  // the result just written: it parses
        Poco::JSON::Object::Ptr out = common::parseObject(result.json, ownJson);
        Poco::JSON::Object::Ptr session = common::makeObject();
        session->set("client_secret", *secret);
        out->set("session", session);
        result.json = common::toJson(out);
      }
    }
    return result;
  }

  const std::optional<std::string> intent = req->session.paymentIntent;
  if (intent && req->session.amount && *req->session.amount != req->amount) {
    return Result::invalid("amount " + common::formatMoney(req->amount) + " differs from the session's " +
                           common::formatMoney(*req->session.amount) + "; create a new session");
  }
  StripeReply reply;
  bool lookup = false;
  if (req->token) {
    context.paymentMethod = req->token;
    common::FormBody form;
    std::string path = "/v1/payment_intents";
    if (intent) {
      path += "/" + *intent + "/confirm";
      form.add("capture_method", captureMethodOf(operation));
    } else if (!newIntentForm(form, call, *req, *stripeAmount, operation, config_.statementDescriptor, &why)) {
      return Result::invalid(why);
    } else {
      form.add("confirm", "true");
    }
    form.add("payment_method", *req->token);
    if (req->returnUrl) {
      form.add("return_url", *req->returnUrl);
    } else if (!intent) {
      // Since 2023-08-16 a new intent offers the Dashboard's payment methods, and
      // confirming one without a return_url is refused unless redirect-based methods
      // are ruled out: a card needs none, 3-D Secure then ends in requires_action.
      form.add("automatic_payment_methods[enabled]", "true");
      form.add("automatic_payment_methods[allow_redirects]", "never");
    }
    reply = api_.post(call, path, form, key);
  } else if (intent) {
    // The customer confirmed in the browser; Stripe's intent says how that went.
    reply = api_.get(call, "/v1/payment_intents/" + *intent);
    lookup = true;
  } else {
    return Result::invalid("payment_method.token or the provider_data of payment.create_session is required");
  }
  const Fallback fallback{req->amount, intent.value_or(req->paymentId),
                          paymentFallbackData(context, intent, req->amount, captureMethodOf(operation))};
  return judgeIntentReply(call, reply, context, fallback, lookup);
}

Result StripeInstance::capture(const osp::sdk::Call& call, std::string_view request) {
  common::Problems problems;
  const std::optional<CaptureRequest> req = readCaptureRequest(request, problems);
  if (!req) return common::invalidRequest(problems);
  const std::optional<std::string> intent = intentOf(req->data, req->reference);
  if (!intent) return Result::invalid("provider_data names no PaymentIntent");
  const int64_t captured = req->capturedAmount ? req->capturedAmount->value : 0;
  if (req->amount.value > req->authorizedAmount.value - captured) {
    return Result::error(OSP_E_INVALID_ARGUMENT, "capture.exceeds_authorized",
                         "capture of " + common::formatMoney(req->amount) + " exceeds what is left of the " +
                             common::formatMoney(req->authorizedAmount) + " authorized");
  }
  const IntentContext context{IntentOperation::Capture, req->amount.currency, req->paymentId, req->data.paymentMethod};
  const Fallback fallback{req->amount, *intent,
                          paymentFallbackData(context, intent, req->data.amount, req->data.captureMethod)};
  if (captured > 0) {
    // Stripe captures an intent once and releases the rest of the authorization then.
    Poco::JSON::Object::Ptr out = paymentResult("declined", req->amount, *intent, fallback.providerData);
    out->set("gateway_error", gatewayError("already_captured",
                                           "Stripe captures a PaymentIntent once; the rest of this authorization "
                                           "was released by the first capture"));
    return Result::ok(common::toJson(out));
  }
  std::string why;
  const std::optional<int64_t> stripeAmount = toStripeAmount(req->amount, &why);
  if (!stripeAmount) return Result::invalid(why);
  common::FormBody form;
  form.add("amount_to_capture", std::to_string(*stripeAmount));
  const StripeReply reply = api_.post(call, "/v1/payment_intents/" + *intent + "/capture", form,
                                      idempotencyKeyFor(call, "capture", req->paymentId));
  return judgeIntentReply(call, reply, context, fallback);
}

Result StripeInstance::voidPayment(const osp::sdk::Call& call, std::string_view request) {
  common::Problems problems;
  const std::optional<VoidRequest> req = readVoidRequest(request, problems);
  if (!req) return common::invalidRequest(problems);
  const std::optional<std::string> intent = intentOf(req->data, req->reference);
  if (!intent) return Result::invalid("provider_data names no PaymentIntent");
  const std::optional<common::Money> amount = req->authorizedAmount ? req->authorizedAmount : req->data.amount;
  if (!amount) return Result::invalid("authorized_amount or provider_data.amount is required to know the currency");
  const IntentContext context{IntentOperation::Void, amount->currency, req->paymentId, req->data.paymentMethod};
  common::FormBody form;
  if (auto reason = stripeReason(req->reason, {"duplicate", "fraudulent", "requested_by_customer", "abandoned"})) {
    form.add("cancellation_reason", *reason);
  }
  const StripeReply reply = api_.post(call, "/v1/payment_intents/" + *intent + "/cancel", form,
                                      idempotencyKeyFor(call, "void", req->paymentId));
  const Fallback fallback{*amount, *intent, paymentFallbackData(context, intent, amount, req->data.captureMethod)};
  return judgeIntentReply(call, reply, context, fallback);
}

}  // namespace ordersvc::plugins::stripe

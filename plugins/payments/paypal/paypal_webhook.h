// payment.webhook_verify_and_parse for PayPal.
//
// PayPal signs a webhook with a certificate-based signature over the transmission id and
// time, the webhook id and a CRC32 of the body; the plugin has PayPal check it, with
// POST /v1/notifications/verify-webhook-signature carrying the five PAYPAL-* headers, the
// instance's webhook_id and the event exactly as received (the raw body is spliced into
// the request, never re-serialised, so PayPal checks the bytes it sent).
//
// Refusals: a missing PAYPAL-* header, a body that is not a JSON object, an unreadable
// transmission time or verification_status other than SUCCESS -> OSP_E_PERMANENT
// "webhook.signature_invalid"; a transmission time further from now than
// webhook_tolerance_seconds -> OSP_E_PERMANENT "webhook.stale" (checked before calling
// PayPal); verification not reachable or PayPal failing -> OSP_E_TRANSIENT
// "webhook.verification_unavailable" (the host answers an error and PayPal redelivers).
//
// Events (provider_reference is always the PayPal order id, the payment's reference):
//   CHECKOUT.ORDER.APPROVED          -> checkout.approved   (resource.id)
//   PAYMENT.CAPTURE.COMPLETED        -> payment.succeeded   (resource.supplementary_data.related_ids.order_id)
//   PAYMENT.CAPTURE.DENIED/DECLINED  -> payment.failed      (same)
//   PAYMENT.AUTHORIZATION.VOIDED     -> payment.canceled    (same)
//   PAYMENT.CAPTURE.REFUNDED         -> payment.refunded    (refund_reference = resource.id; the order id
//       from resource.supplementary_data.related_ids.order_id when PayPal includes it, otherwise from
//       the refunded capture, fetched through the refund's "up" link: Payments v2 documents no
//       supplementary_data on refunds)
// Anything else is verified and answered with no events.
#pragma once

#include <string_view>

#include "osp/sdk/plugin.hpp"
#include "payments/paypal/paypal_api.h"
#include "payments/paypal/paypal_config.h"

namespace ordersvc::plugins::paypal {

osp::sdk::Result verifyAndParseWebhook(const osp::sdk::Call& call, const PaypalConfig& config, const PaypalApi& api,
                                       std::string_view request);

}  // namespace ordersvc::plugins::paypal

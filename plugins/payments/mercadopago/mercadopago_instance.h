// One MercadoPago instance: an organization's account (access token and webhook secret).
// Messages follow plugin-api/schemas/payment/; MercadoPago's side is its Payments API
// (POST/GET/PUT /v1/payments, POST/GET /v1/payments/{id}/refunds).
//
// provider_reference is MercadoPago's payment id (a refund's: its refund id), the id its
// notifications carry, so the host finds the payment a webhook is about. When MercadoPago
// never answered with an id (not_submitted, unknown) the reference is "mp_ext_<payment_id>"
// ("mp_refund_<refund_id>" for refunds) and sync finds the real one.
//
// Threading: [any-thread]. Immutable after construction.
#pragma once

#include <string>
#include <string_view>

#include <Poco/JSON/Object.h>

#include "common/payment_requests.h"
#include "osp/sdk/plugin.hpp"
#include "payments/mercadopago/mercadopago_config.h"
#include "payments/mercadopago/mp_client.h"
#include "payments/mercadopago/mp_result.h"

namespace ordersvc::plugins::mercadopago {

class MercadoPagoInstance final : public osp::sdk::Instance {
 public:
  explicit MercadoPagoInstance(MercadoPagoConfig config) : config_(std::move(config)), client_(config_) {}
  MercadoPagoInstance(const MercadoPagoInstance&) = delete;
  MercadoPagoInstance& operator=(const MercadoPagoInstance&) = delete;

  // POST /v1/payments with capture=true and the card token (see mp_card_options.h for
  // the metadata MercadoPago needs). Without a token but with the provider_data of an
  // earlier result (the host completing a 3-D Secure challenge, or an unknown outcome),
  // reports that payment as sync does; nothing new is charged.
  osp::sdk::Result sale(const osp::sdk::Call& call, std::string_view request) override;
  // The same with capture=false: MercadoPago reserves the funds ("authorized").
  osp::sdk::Result authorize(const osp::sdk::Call& call, std::string_view request) override;
  // PUT /v1/payments/{id} {capture: true, transaction_amount}. MercadoPago captures an
  // authorization once: a smaller amount releases the rest, and a second capture is
  // declined ("already_captured") without asking.
  osp::sdk::Result capture(const osp::sdk::Call& call, std::string_view request) override;
  // PUT /v1/payments/{id} {status: "cancelled"}; a captured payment is declined with
  // "already_captured" (refund it instead).
  osp::sdk::Result voidPayment(const osp::sdk::Call& call, std::string_view request) override;
  // POST /v1/payments/{id}/refunds with {amount}, or no body for a refund of everything
  // captured; more than captured_amount - refunded_amount is OSP_E_INVALID_ARGUMENT
  // ("refund.exceeds_captured").
  osp::sdk::Result refund(const osp::sdk::Call& call, std::string_view request) override;
  // GET /v1/payments/{id} (or its refund). A payment whose creation went unanswered is
  // looked up by external_reference (the host's payment_id); one never found stays
  // "unknown". A refund whose creation went unanswered is asked for again with its first
  // idempotency key, which MercadoPago answers with the refund it made, if it made one.
  osp::sdk::Result sync(const osp::sdk::Call& call, std::string_view request) override;

  // Implemented in mercadopago_webhooks.cpp.
  osp::sdk::Result webhookIdentify(const osp::sdk::Call& call, std::string_view request) override;
  osp::sdk::Result webhookVerifyAndParse(const osp::sdk::Call& call, std::string_view request) override;

 private:
  osp::sdk::Result charge(const osp::sdk::Call& call, std::string_view request, CaptureMode mode) const;
  osp::sdk::Result syncPayment(const osp::sdk::Call& call, const common::SyncRequest& request) const;
  osp::sdk::Result syncRefund(const osp::sdk::Call& call, const common::SyncRequest& request) const;
  // The payment `data` (provider_data) is about: read by its MercadoPago id, or searched
  // by external_reference (`hostPaymentId`) when it has none; "unknown" when not found.
  osp::sdk::Result lookUpPayment(const osp::sdk::Call& call, const std::string& hostPaymentId,
                                 const std::string& reference, const Poco::JSON::Object::Ptr& data, CaptureMode mode,
                                 const common::Money& amount) const;

  const MercadoPagoConfig config_;
  const MercadoPagoClient client_;  // reads config_, which is declared, so built, first
};

}  // namespace ordersvc::plugins::mercadopago

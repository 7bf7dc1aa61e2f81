// One pos-card instance: card payments the store's own terminal authorized. The plugin
// talks to no provider; the terminal did the card work, and what the plugin recorded
// travels in provider_data, which the host stores and hands back:
//   {"kind": "card_present", "state": "authorized" | "partially_captured" | "captured" |
//    "voided", "authorization_code", "terminal_id"?, "card_last4"?,
//    "amount": what was authorized or sold, "captured_amount", "payment_id"}
//   {"kind": "card_present_refund", "state": "succeeded", "refund_id",
//    "payment_reference", "amount"}
// Every request is first searched for anything shaped like a card number
// (card_number_guard.h) and refused with OSP_E_INVALID_ARGUMENT ("request.card_number")
// if one is found.
//
// Threading: [any-thread]. Immutable after construction.
#pragma once

#include <string_view>

#include "osp/sdk/plugin.hpp"
#include "payments/pos-card/pos_card_config.h"

namespace ordersvc::plugins::pos_card {

class PosCardInstance final : public osp::sdk::Instance {
 public:
  explicit PosCardInstance(PosCardConfig config) : config_(config) {}

  // Records a sale the terminal authorized and captured: "succeeded", state "captured".
  // provider_reference is "pos_<terminal>_<code>_<8 hex digits of the idempotency key>",
  // the same on every retry of one sale.
  osp::sdk::Result sale(const osp::sdk::Call& call, std::string_view request) override;
  // Records an authorization to capture later: "succeeded", state "authorized".
  osp::sdk::Result authorize(const osp::sdk::Call& call, std::string_view request) override;
  // Captures up to authorized_amount - captured_amount (more is OSP_E_INVALID_ARGUMENT
  // "capture.exceeds_authorized"); a captured or voided authorization is declined
  // ("already_captured", "authorization_voided").
  osp::sdk::Result capture(const osp::sdk::Call& call, std::string_view request) override;
  // Releases an authorization, or the uncaptured rest of one; a captured one is declined
  // "already_captured". Voiding a voided authorization answers the same again.
  osp::sdk::Result voidPayment(const osp::sdk::Call& call, std::string_view request) override;
  // Records a refund of up to captured_amount - refunded_amount; more is declined
  // "refund_exceeds_captured", and so is a refund of nothing captured ("not_captured").
  osp::sdk::Result refund(const osp::sdk::Call& call, std::string_view request) override;
  // Reports what provider_data records: succeeded while authorized or captured, declined
  // ("authorization_voided") once voided; a refund, succeeded.
  osp::sdk::Result sync(const osp::sdk::Call& call, std::string_view request) override;

 private:
  osp::sdk::Result record(const osp::sdk::Call& call, std::string_view request, bool captured) const;

  const PosCardConfig config_;
};

}  // namespace ordersvc::plugins::pos_card

// What the plugin reads from MercadoPago's payment and refund objects (the answers of
// /v1/payments and /v1/payments/{id}/refunds), tolerant of the fields it does not use and
// strict about the ones it does: an object without an id or a status is not a payment.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Object.h>

#include "common/money.h"

namespace ordersvc::plugins::mercadopago {

struct MpRefund {
  std::string id;
  std::string status;  // approved, in_process, rejected, cancelled ("" when absent)
  std::optional<common::Money> amount;
};

struct MpPayment {
  std::string id;                              // MercadoPago's payment id, a number written as text
  std::string status;                          // pending, approved, authorized, in_process, in_mediation, rejected,
                                               // cancelled, refunded, charged_back
  std::string statusDetail;                    // accredited, pending_capture, cc_rejected_..., "" when absent
  std::string currency;                        // currency_id, or the caller's currency when absent
  std::optional<common::Money> amount;         // transaction_amount
  std::optional<common::Money> refundedTotal;  // transaction_amount_refunded
  std::optional<std::string> challengeUrl;     // three_ds_info.external_resource_url (3-D Secure)
  std::optional<int64_t> updatedAtMs;          // date_last_updated
  std::vector<MpRefund> refunds;               // in the order MercadoPago lists them
};

// A payment object, or nullopt when `body` has no usable id or status. `currency` is
// used when the object carries no valid currency_id.
std::optional<MpPayment> readPayment(const Poco::JSON::Object::Ptr& body, std::string_view currency);

// A refund object, or nullopt when it has no usable id. Amounts are in `currency`.
std::optional<MpRefund> readRefund(const Poco::JSON::Object::Ptr& body, std::string_view currency);

// An id as MercadoPago writes it, a JSON integer or a string of letters, digits, '-' and
// '_' (at most 100), as text; nullopt otherwise. Ids end up in URL paths, so nothing else
// passes.
std::optional<std::string> readId(const Poco::Dynamic::Var& value);

// Unix milliseconds of an ISO 8601 time with offset ("2015-03-25T10:04:58.396-04:00"),
// or nullopt.
std::optional<int64_t> parseIsoTimeMs(const std::string& text);

}  // namespace ordersvc::plugins::mercadopago

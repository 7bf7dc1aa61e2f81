/* osp_payment.h -- the payment gateway interface, id "osp.payment/1".
 *
 * Every operation is an osp_operation_fn: JSON request in, JSON result out, schemas in
 * plugin-api/schemas/payment/. Results carry "status" (osp_result_status names),
 * "amount" {"value": minor units, "currency": ISO 4217}, the provider's reference and an
 * opaque "provider_data" object that the host stores and hands back on the next call
 * for the same payment, so the plugin keeps no state of its own.
 *
 * The host guarantees: ctx->idempotency_key is the same on every retry of one logical
 * operation (send it to the provider as its idempotency key); an UNKNOWN result is never
 * retried blindly, the host calls sync() until the outcome is known.
 *
 * Operations a plugin does not support are NULL in the table; the host answers
 * "unsupported" for them without calling.
 */
#ifndef OSP_PAYMENT_H
#define OSP_PAYMENT_H

#include "osp/osp_entry.h"

#ifdef __cplusplus
extern "C" {
#endif

#define OSP_INTERFACE_PAYMENT_V1 "osp.payment/1"

typedef struct osp_payment_v1 {
  size_t struct_size;
  /* Starts a customer-facing flow (Stripe client_secret, PayPal approval link,
   * MercadoPago preference). Result status is usually "action_required". */
  osp_operation_fn create_session;
  /* Reserves funds. */
  osp_operation_fn authorize;
  /* Captures an authorization, fully or partially ("amount" less than authorized). */
  osp_operation_fn capture;
  /* Authorize and capture in one step (cash, card present). */
  osp_operation_fn sale;
  /* Cancels an uncaptured authorization. */
  osp_operation_fn void_payment;
  /* Returns money, fully or partially, never more than captured (the host checks too). */
  osp_operation_fn refund;
  /* Asks the provider for the current state of a payment or refund; resolves UNKNOWN. */
  osp_operation_fn sync;
  /* From a raw webhook request, says which instance configuration it belongs to without
   * verifying it (no secret needed): {"account_ref": "...", "event_id": "..."}. */
  osp_operation_fn webhook_identify;
  /* Verifies the raw webhook (signature, timestamp tolerance) with the instance's secret
   * and normalises it into events. An invalid signature is OSP_E_PERMANENT with code
   * "webhook.signature_invalid"; a stale one "webhook.stale". */
  osp_operation_fn webhook_verify_and_parse;
} osp_payment_v1;

#ifdef __cplusplus
}
#endif

#endif /* OSP_PAYMENT_H */

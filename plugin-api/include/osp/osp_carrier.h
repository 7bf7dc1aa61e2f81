/* osp_carrier.h -- the shipping carrier interface, id "osp.carrier/1".
 *
 * Every operation is an osp_operation_fn with schemas in plugin-api/schemas/carrier/.
 * Weights are integer grams, dimensions integer millimetres, money integer minor units
 * with an ISO 4217 code. Labels and documents come back base64-encoded in the result
 * with their media type. Unsupported operations are NULL.
 */
#ifndef OSP_CARRIER_H
#define OSP_CARRIER_H

#include "osp/osp_entry.h"

#ifdef __cplusplus
extern "C" {
#endif

#define OSP_INTERFACE_CARRIER_V1 "osp.carrier/1"

typedef struct osp_carrier_v1 {
  size_t struct_size;
  /* The service levels this account offers: [{"code","name","domestic","international"}]. */
  osp_operation_fn list_services;
  /* Rates for parcels between two addresses; a service that cannot serve the route is
   * listed under "unavailable" with the reason, not an error. */
  osp_operation_fn quote_rates;
  /* Books a shipment and returns tracking numbers and labels. */
  osp_operation_fn create_shipment;
  /* Cancels a booked shipment that has not been picked up. */
  osp_operation_fn cancel_shipment;
  /* A return label from the customer back to a warehouse. */
  osp_operation_fn create_return_label;
  /* Customs and other documents for a shipment (commercial invoice, manifest). */
  osp_operation_fn get_documents;
  /* Tracking events for tracking numbers, oldest first, in normalised statuses. */
  osp_operation_fn track;
  /* Verifies and normalises a carrier's tracking webhook (raw body and headers). */
  osp_operation_fn parse_tracking_webhook;
} osp_carrier_v1;

#ifdef __cplusplus
}
#endif

#endif /* OSP_CARRIER_H */

/* osp_tax.h -- the tax calculation interface, id "osp.tax/1".
 *
 * Schemas in plugin-api/schemas/tax/. Amounts are
 * integer minor units with an ISO 4217 code; rounding follows the currency (CLP has no
 * minor unit) and the plugin states per line what it rounded.
 */
#ifndef OSP_TAX_H
#define OSP_TAX_H

#include "osp/osp_entry.h"

#ifdef __cplusplus
extern "C" {
#endif

#define OSP_INTERFACE_TAX_V1 "osp.tax/1"

typedef struct osp_tax_v1 {
  size_t struct_size;
  /* Tax for a cart or order: lines with amount, quantity and tax class, shipping, the
   * ship-to address, and whether prices include tax. Pure calculation; nothing is
   * recorded. */
  osp_operation_fn calculate;
  /* Records a calculation as a committed transaction (for providers that report). */
  osp_operation_fn commit;
  /* Voids a committed transaction (order cancelled). */
  osp_operation_fn void_transaction;
} osp_tax_v1;

#ifdef __cplusplus
}
#endif

#endif /* OSP_TAX_H */

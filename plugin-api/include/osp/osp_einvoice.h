/* osp_einvoice.h -- the electronic invoicing interface, id "osp.einvoice/1".
 *
 * Documents for tax authorities (Chile SII, Peru SUNAT, Mexico SAT): issue, cancel,
 * status, document. Schemas in plugin-api/schemas/einvoice/. A plugin that does both
 * tax calculation and e-invoicing implements both interfaces.
 */
#ifndef OSP_EINVOICE_H
#define OSP_EINVOICE_H

#include "osp/osp_entry.h"

#ifdef __cplusplus
extern "C" {
#endif

#define OSP_INTERFACE_EINVOICE_V1 "osp.einvoice/1"

typedef struct osp_einvoice_v1 {
  size_t struct_size;
  /* Issues a document (invoice, receipt, credit note, debit note) to the tax
   * authority; the result carries its folio, status and the signed document. */
  osp_operation_fn issue;
  /* Cancels or annuls an issued document where the authority allows it. */
  osp_operation_fn cancel;
  /* The authority's current status of an issued document. */
  osp_operation_fn status;
  /* The document itself (XML, PDF) base64-encoded with its media type. */
  osp_operation_fn get_document;
} osp_einvoice_v1;

#ifdef __cplusplus
}
#endif

#endif /* OSP_EINVOICE_H */

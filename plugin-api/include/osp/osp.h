/* osp.h -- the whole Order Service Plugin ABI in one include. */
#ifndef OSP_H
#define OSP_H

#include "osp/osp_carrier.h"
#include "osp/osp_einvoice.h"
#include "osp/osp_entry.h"
#include "osp/osp_host.h"
#include "osp/osp_payment.h"
#include "osp/osp_tax.h"
#include "osp/osp_types.h"

#endif /* OSP_H */

#include "platform/plugins/plugin_operations.h"

#include <cstring>

namespace ordersvc::plugins {

#define OSP_OPERATION(NAME, INTERFACE, TYPE, FIELD) \
  OperationInfo {                                   \
    NAME, INTERFACE, offsetof(TYPE, FIELD)          \
  }

const std::vector<OperationInfo>& allOperations() {
  static const std::vector<OperationInfo> operations = {
      OSP_OPERATION("payment.create_session", OSP_INTERFACE_PAYMENT_V1, osp_payment_v1, create_session),
      OSP_OPERATION("payment.authorize", OSP_INTERFACE_PAYMENT_V1, osp_payment_v1, authorize),
      OSP_OPERATION("payment.capture", OSP_INTERFACE_PAYMENT_V1, osp_payment_v1, capture),
      OSP_OPERATION("payment.sale", OSP_INTERFACE_PAYMENT_V1, osp_payment_v1, sale),
      OSP_OPERATION("payment.void", OSP_INTERFACE_PAYMENT_V1, osp_payment_v1, void_payment),
      OSP_OPERATION("payment.refund", OSP_INTERFACE_PAYMENT_V1, osp_payment_v1, refund),
      OSP_OPERATION("payment.sync", OSP_INTERFACE_PAYMENT_V1, osp_payment_v1, sync),
      OSP_OPERATION("payment.webhook_identify", OSP_INTERFACE_PAYMENT_V1, osp_payment_v1, webhook_identify),
      OSP_OPERATION("payment.webhook_verify_and_parse", OSP_INTERFACE_PAYMENT_V1, osp_payment_v1,
                    webhook_verify_and_parse),
      OSP_OPERATION("carrier.list_services", OSP_INTERFACE_CARRIER_V1, osp_carrier_v1, list_services),
      OSP_OPERATION("carrier.quote_rates", OSP_INTERFACE_CARRIER_V1, osp_carrier_v1, quote_rates),
      OSP_OPERATION("carrier.create_shipment", OSP_INTERFACE_CARRIER_V1, osp_carrier_v1, create_shipment),
      OSP_OPERATION("carrier.cancel_shipment", OSP_INTERFACE_CARRIER_V1, osp_carrier_v1, cancel_shipment),
      OSP_OPERATION("carrier.create_return_label", OSP_INTERFACE_CARRIER_V1, osp_carrier_v1, create_return_label),
      OSP_OPERATION("carrier.get_documents", OSP_INTERFACE_CARRIER_V1, osp_carrier_v1, get_documents),
      OSP_OPERATION("carrier.track", OSP_INTERFACE_CARRIER_V1, osp_carrier_v1, track),
      OSP_OPERATION("carrier.parse_tracking_webhook", OSP_INTERFACE_CARRIER_V1, osp_carrier_v1, parse_tracking_webhook),
      OSP_OPERATION("tax.calculate", OSP_INTERFACE_TAX_V1, osp_tax_v1, calculate),
      OSP_OPERATION("tax.commit", OSP_INTERFACE_TAX_V1, osp_tax_v1, commit),
      OSP_OPERATION("tax.void", OSP_INTERFACE_TAX_V1, osp_tax_v1, void_transaction),
      OSP_OPERATION("einvoice.issue", OSP_INTERFACE_EINVOICE_V1, osp_einvoice_v1, issue),
      OSP_OPERATION("einvoice.cancel", OSP_INTERFACE_EINVOICE_V1, osp_einvoice_v1, cancel),
      OSP_OPERATION("einvoice.status", OSP_INTERFACE_EINVOICE_V1, osp_einvoice_v1, status),
      OSP_OPERATION("einvoice.get_document", OSP_INTERFACE_EINVOICE_V1, osp_einvoice_v1, get_document),
  };
  return operations;
}

#undef OSP_OPERATION

const OperationInfo* findOperation(const std::string& name) {
  for (const auto& info : allOperations()) {
    if (name == info.name) return &info;
  }
  return nullptr;
}

osp_operation_fn operationIn(const void* table, const OperationInfo& info) {
  if (table == nullptr) return nullptr;
  std::size_t structSize = 0;
  std::memcpy(&structSize, table, sizeof structSize);  // every table starts with struct_size
  if (structSize < info.offset + sizeof(osp_operation_fn)) return nullptr;
  osp_operation_fn fn = nullptr;
  std::memcpy(&fn, static_cast<const char*>(table) + info.offset, sizeof fn);
  return fn;
}

}  // namespace ordersvc::plugins

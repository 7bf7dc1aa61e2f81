#pragma once

#include <string>
#include <vector>

#include "osp/osp.h"

namespace ordersvc::plugins {

// Operation names ("payment.sale") mapped onto the ABI's interface tables, so the host
// can call any operation by name and tell an absent one (NULL in the table) from one
// the interface does not define.
struct OperationInfo {
  const char* name;         // "payment.sale"
  const char* interfaceId;  // "osp.payment/1"
  std::size_t offset;       // of the osp_operation_fn in the interface struct
};

const std::vector<OperationInfo>& allOperations();
const OperationInfo* findOperation(const std::string& name);

// The function for `info` in a table returned by get_interface, or nullptr when the
// table is too small (older minor) or the plugin left it NULL.
osp_operation_fn operationIn(const void* table, const OperationInfo& info);

}  // namespace ordersvc::plugins

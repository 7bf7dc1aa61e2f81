#pragma once

#include <string>

#include "osp/osp_types.h"

namespace ordersvc::plugins {

// A host-owned osp_sink that keeps what a plugin writes during one call: the JSON
// result in `output`, or the failure it reports through set_error. Hand `&sink` to the
// plugin; read the fields after the call returns.
//
// Thread-safety: one call at a time (a sink belongs to one call).
struct CollectingSink {
  CollectingSink();
  CollectingSink(const CollectingSink&) = delete;
  CollectingSink& operator=(const CollectingSink&) = delete;

  osp_sink sink{};
  std::string output;
  osp_status errorStatus = OSP_OK;
  std::string errorCode;
  std::string errorMessage;
};

}  // namespace ordersvc::plugins

#pragma once

#include <string>

#include "osp/osp_types.h"

namespace ordersvc::testing {

// An osp_sink that keeps what a plugin wrote: the JSON result chunks, concatenated, or
// the error set through set_error. One per call; not thread-safe.
class CaptureSink {
 public:
  CaptureSink();
  CaptureSink(const CaptureSink&) = delete;
  CaptureSink& operator=(const CaptureSink&) = delete;

  // [host-owned: valid while this object lives]
  const osp_sink* sink() const { return &sink_; }

  const std::string& output() const { return output_; }
  bool hasError() const { return hasError_; }
  osp_status errorStatus() const { return errorStatus_; }
  const std::string& errorCode() const { return errorCode_; }
  const std::string& errorMessage() const { return errorMessage_; }
  int writeCalls() const { return writeCalls_; }

 private:
  static void OSP_CC write(const osp_sink* sink, osp_bytes chunk);
  static void OSP_CC setError(const osp_sink* sink, osp_status status, osp_str code, osp_str message);

  osp_sink sink_{};
  std::string output_;
  int writeCalls_ = 0;
  bool hasError_ = false;
  osp_status errorStatus_ = OSP_OK;
  std::string errorCode_;
  std::string errorMessage_;
};

}  // namespace ordersvc::testing

#include "capture_sink.h"

namespace ordersvc::testing {

CaptureSink::CaptureSink() {
  sink_.struct_size = sizeof(osp_sink);
  sink_.host_data = this;
  sink_.write = &CaptureSink::write;
  sink_.set_error = &CaptureSink::setError;
}

void OSP_CC CaptureSink::write(const osp_sink* sink, osp_bytes chunk) {
  auto* self = static_cast<CaptureSink*>(sink->host_data);
  ++self->writeCalls_;
  if (chunk.ptr != nullptr) self->output_.append(reinterpret_cast<const char*>(chunk.ptr), chunk.len);
}

void OSP_CC CaptureSink::setError(const osp_sink* sink, osp_status status, osp_str code, osp_str message) {
  auto* self = static_cast<CaptureSink*>(sink->host_data);
  self->hasError_ = true;
  self->errorStatus_ = status;
  self->errorCode_ = code.ptr == nullptr ? std::string() : std::string(code.ptr, code.len);
  self->errorMessage_ = message.ptr == nullptr ? std::string() : std::string(message.ptr, message.len);
}

}  // namespace ordersvc::testing

#include "platform/plugins/collecting_sink.h"

namespace ordersvc::plugins {

namespace {

std::string text(osp_str s) {
  return s.ptr == nullptr ? std::string{} : std::string(s.ptr, s.len);
}

}  // namespace

CollectingSink::CollectingSink() {
  sink.struct_size = sizeof(osp_sink);
  sink.host_data = this;
  sink.write = [](const osp_sink* s, osp_bytes chunk) {
    auto* self = static_cast<CollectingSink*>(s->host_data);
    if (chunk.ptr != nullptr) self->output.append(reinterpret_cast<const char*>(chunk.ptr), chunk.len);
  };
  sink.set_error = [](const osp_sink* s, osp_status status, osp_str code, osp_str message) {
    auto* self = static_cast<CollectingSink*>(s->host_data);
    self->errorStatus = status;
    self->errorCode = text(code);
    self->errorMessage = text(message);
  };
}

}  // namespace ordersvc::plugins

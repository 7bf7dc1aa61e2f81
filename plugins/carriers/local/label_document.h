// Shipping labels of the local carrier: a one-page 4×6 inch PDF (what label printers take)
// or plain text. Both are generated here without a PDF library: the label is a handful of
// text lines, and a minimal PDF for that is a few hundred bytes of well-known structure.
// Output is deterministic (no timestamps), so a retried booking gets a byte-identical label.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ordersvc::plugins::local_carrier {

struct ShipmentLabel {
  std::string trackingNumber;
  std::string serviceName;
  std::vector<std::string> from;  // name, then address lines
  std::vector<std::string> to;    // name, then address lines
  int64_t parcelCount = 0;
  int64_t weightGrams = 0;
  std::string reference;  // "" when none
};

enum class LabelFormat { Pdf, Text };

struct LabelDocument {
  std::string mediaType;  // "application/pdf" or "text/plain; charset=utf-8"
  std::string filename;   // "<tracking number>.pdf" / ".txt"
  std::string bytes;
};

LabelDocument renderLabel(const ShipmentLabel& label, LabelFormat format);

// Standard base64 (RFC 4648) with padding and no line breaks.
std::string base64Encode(std::string_view bytes);

}  // namespace ordersvc::plugins::local_carrier

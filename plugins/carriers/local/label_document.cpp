#include "carriers/local/label_document.h"

#include <cstdio>
#include <sstream>

#include <Poco/Base64Encoder.h>

namespace ordersvc::plugins::local_carrier {

namespace {

// What a 10 pt Helvetica line holds across a 4 inch label with margins.
constexpr std::size_t kMaxLineChars = 48;

std::vector<std::string> labelLines(const ShipmentLabel& label) {
  std::vector<std::string> lines;
  lines.push_back("Service: " + label.serviceName);
  lines.push_back("Parcels: " + std::to_string(label.parcelCount) + "   Weight: " + std::to_string(label.weightGrams) +
                  " g");
  if (!label.reference.empty()) lines.push_back("Reference: " + label.reference);
  lines.emplace_back();
  lines.emplace_back("FROM");
  lines.insert(lines.end(), label.from.begin(), label.from.end());
  lines.emplace_back();
  lines.emplace_back("TO");
  lines.insert(lines.end(), label.to.begin(), label.to.end());
  return lines;
}

// Decodes one UTF-8 sequence at `i`, advancing it; U+FFFD for malformed input.
uint32_t nextCodePoint(std::string_view text, std::size_t& i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i++);
  if (lead < 0x80) return lead;
  const int extra = lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : lead >= 0xC0 ? 1 : -1;
  if (extra < 0 || i + static_cast<std::size_t>(extra) > text.size()) return 0xFFFD;
  uint32_t cp = lead & (0x3F >> extra);
  for (int k = 0; k < extra; ++k) {
    if ((byte(i) & 0xC0) != 0x80) return 0xFFFD;
    cp = (cp << 6) | (byte(i++) & 0x3F);
  }
  return cp;
}

// A PDF literal string in WinAnsiEncoding, which matches Latin-1 from U+00A0 to U+00FF:
// enough for Spanish and Portuguese addresses ("Ñuñoa", "São Paulo"); anything else
// prints as "?". Cut at kMaxLineChars characters.
std::string pdfString(std::string_view utf8) {
  std::string out = "(";
  std::size_t chars = 0;
  for (std::size_t i = 0; i < utf8.size() && chars < kMaxLineChars; ++chars) {
    const uint32_t cp = nextCodePoint(utf8, i);
    if (cp == '(' || cp == ')' || cp == '\\') {
      out += '\\';
      out += static_cast<char>(cp);
    } else if (cp >= 0x20 && cp < 0x7F) {
      out += static_cast<char>(cp);
    } else if (cp >= 0xA0 && cp <= 0xFF) {
      char octal[5];
      std::snprintf(octal, sizeof octal, "\\%03o", static_cast<unsigned>(cp));
      out += octal;
    } else {
      out += '?';
    }
  }
  return out + ")";
}

std::string renderPdf(const ShipmentLabel& label) {
  // Page 288 × 432 pt (4 × 6 in). Title, the tracking number large, then 10 pt lines.
  std::string content = "BT\n/F1 14 Tf 18 400 Td (LOCAL CARRIER) Tj\n/F1 22 Tf 0 -30 Td " +
                        pdfString(label.trackingNumber) + " Tj\n/F1 10 Tf 13 TL 0 -10 Td\n";
  for (const std::string& line : labelLines(label)) content += "T* " + pdfString(line) + " Tj\n";
  content += "ET\n";

  const std::string objects[] = {
      "<< /Type /Catalog /Pages 2 0 R >>",
      "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
      "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 288 432] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
      "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
      "<< /Length " + std::to_string(content.size()) + " >>\nstream\n" + content + "endstream",
  };
  // The second line marks the file as binary for transfer tools, as the PDF spec advises.
  std::string pdf = "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n";
  std::vector<std::size_t> offsets;
  for (std::size_t i = 0; i < std::size(objects); ++i) {
    offsets.push_back(pdf.size());
    pdf += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
  }
  const std::size_t xref = pdf.size();
  pdf += "xref\n0 " + std::to_string(offsets.size() + 1) + "\n0000000000 65535 f \n";
  for (std::size_t offset : offsets) {
    char entry[21];  // every entry is exactly 20 bytes, end of line included
    std::snprintf(entry, sizeof entry, "%010zu 00000 n \n", offset);
    pdf += entry;
  }
  pdf += "trailer\n<< /Size " + std::to_string(offsets.size() + 1) + " /Root 1 0 R >>\nstartxref\n" +
         std::to_string(xref) + "\n%%EOF\n";
  return pdf;
}

std::string renderText(const ShipmentLabel& label) {
  std::string out = "LOCAL CARRIER\n" + label.trackingNumber + "\n\n";
  for (const std::string& line : labelLines(label)) out += line + "\n";
  return out;
}

}  // namespace

LabelDocument renderLabel(const ShipmentLabel& label, LabelFormat format) {
  if (format == LabelFormat::Text) {
    return LabelDocument{"text/plain; charset=utf-8", label.trackingNumber + ".txt", renderText(label)};
  }
  return LabelDocument{"application/pdf", label.trackingNumber + ".pdf", renderPdf(label)};
}

std::string base64Encode(std::string_view bytes) {
  std::ostringstream out;
  Poco::Base64Encoder encoder(out);
  encoder.rdbuf()->setLineLength(0);
  encoder.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  encoder.close();
  return out.str();
}

}  // namespace ordersvc::plugins::local_carrier

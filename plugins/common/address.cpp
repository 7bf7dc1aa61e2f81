#include "common/address.h"

namespace ordersvc::plugins::common {

std::vector<std::string> Address::lines() const {
  std::vector<std::string> out;
  if (!line1.empty()) out.push_back(line1);
  if (!line2.empty()) out.push_back(line2);
  std::string place = postalCode;
  for (const std::string* part : {&city, &region}) {
    if (part->empty()) continue;
    if (!place.empty()) place += ' ';
    place += *part;
  }
  if (!place.empty()) out.push_back(place);
  out.push_back(country);
  return out;
}

std::optional<Address> readAddress(const JsonObjectReader& parent, std::string_view key, Need need, bool forDelivery) {
  auto in = parent.object(key, need);
  if (!in) return std::nullopt;
  in->rejectUnknown({"line1", "line2", "city", "region", "postal_code", "country"});
  const std::size_t before = in->problems().list().size();
  const Need street = forDelivery ? Need::Required : Need::Optional;
  Address out;
  out.line1 = in->string("line1", street, 1, 200).value_or("");
  out.line2 = in->string("line2", Need::Optional, 0, 200).value_or("");
  out.city = in->string("city", street, 1, 100).value_or("");
  out.region = in->string("region", Need::Optional, 1, 100).value_or("");
  out.postalCode = in->string("postal_code", Need::Optional, 1, 20).value_or("");
  if (auto country = in->string("country", Need::Required)) {
    if (!isCountryCode(*country)) {
      in->problems().add(in->pathOf("country"), "must be an ISO 3166-1 alpha-2 code in upper case");
    }
    out.country = *country;
  }
  if (in->problems().list().size() != before) return std::nullopt;
  return out;
}

std::string upperAscii(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

}  // namespace ordersvc::plugins::common

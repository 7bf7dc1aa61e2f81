#include "domain/order.h"

#include <array>
#include <utility>

namespace ordersvc::domain {

namespace {
constexpr std::array<std::pair<OrderType, std::string_view>, 5> kTypes = {{
    {OrderType::Online, "online"},
    {OrderType::Pos, "pos"},
    {OrderType::Phone, "phone"},
    {OrderType::B2b, "b2b"},
    {OrderType::Subscription, "subscription"},
}};
}  // namespace

std::string_view orderTypeName(OrderType type) {
  for (const auto& [value, name] : kTypes) {
    if (value == type) return name;
  }
  return "online";
}

std::optional<OrderType> parseOrderType(std::string_view name) {
  for (const auto& [value, text] : kTypes) {
    if (text == name) return value;
  }
  return std::nullopt;
}

}  // namespace ordersvc::domain

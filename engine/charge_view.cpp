#include "engine/charge_view.h"

#include <nlohmann/json.hpp>

namespace reckon::engine {
namespace {

nlohmann::json charge_object(const ChargeRow& c) {
  return {{"id", c.id},
          {"object", "charge"},
          {"amount", c.amount_minor},
          {"currency", c.currency},
          {"status", c.status},
          {"capture", c.capture_requested},
          {"amount_captured", c.captured_minor},
          {"amount_refunded", c.refunded_minor},
          {"created_us", c.created_us}};
}

}  // namespace

std::string charge_json(const ChargeRow& charge) {
  return charge_object(charge).dump();
}

std::string charge_list_json(const std::vector<ChargeRow>& charges, bool has_more) {
  nlohmann::json data = nlohmann::json::array();
  for (const auto& c : charges) data.push_back(charge_object(c));
  nlohmann::json body = {{"object", "list"}, {"data", data}, {"has_more", has_more}};
  return body.dump();
}

std::string error_with_charge_json(const ChargeRow& charge, std::string_view code,
                                   std::string_view message) {
  nlohmann::json body = {{"error", {{"code", code}, {"message", message}}},
                         {"charge", charge_object(charge)}};
  return body.dump();
}

}  // namespace reckon::engine

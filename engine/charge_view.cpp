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

std::string declined_json(const ChargeRow& charge, std::string_view code,
                          std::string_view message) {
  nlohmann::json body = {{"error", {{"code", code}, {"message", message}}},
                         {"charge", charge_object(charge)}};
  return body.dump();
}

}  // namespace reckon::engine

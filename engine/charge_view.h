#pragma once
// How a charge is shown to merchants: the JSON body of charge responses.

#include <string>

#include "engine/store/records.h"

namespace reckon::engine {

std::string charge_json(const ChargeRow& charge);
// A 402 body: the error plus the charge it concerns.
std::string declined_json(const ChargeRow& charge, std::string_view code, std::string_view message);

}  // namespace reckon::engine

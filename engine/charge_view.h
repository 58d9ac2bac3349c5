#pragma once
// How a charge is shown to merchants: the JSON body of charge responses.

#include <string>
#include <vector>

#include "engine/store/records.h"

namespace reckon::engine {

std::string charge_json(const ChargeRow& charge);
// {"object":"list","data":[charges...],"has_more":...}
std::string charge_list_json(const std::vector<ChargeRow>& charges, bool has_more);
// An error body plus the charge it concerns: a 402 (the PSP declined or refused), and a 503
// psp_outcome_unknown, so the merchant learns which charge is being resolved.
std::string error_with_charge_json(const ChargeRow& charge, std::string_view code,
                                   std::string_view message);

}  // namespace reckon::engine

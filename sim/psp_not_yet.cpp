#include "sim/psp_not_yet.h"

#include <nlohmann/json.hpp>

namespace reckon::sim {

engine::HttpResponse encode_psp_not_yet(PspNotYet answer) {
  using nlohmann::json;
  switch (answer) {
    case PspNotYet::kInProgress:
      return {409, json{{"outcome", "in_progress"},
                        {"error",
                         {{"code", "in_progress"},
                          {"message", "a request with this key is in progress; retry it later"}}}}
                       .dump()};
    case PspNotYet::kRateLimited:
      return {429, json{{"error",
                         {{"code", "rate_limited"}, {"message", "too many requests; retry later"}}}}
                       .dump()};
    case PspNotYet::kProcessing:
      return {202,
              json{{"outcome", "processing"}, {"detail", "accepted; look the outcome up by key"}}
                  .dump()};
  }
  return {500, "{}"};
}

}  // namespace reckon::sim

#pragma once
// Which merchant created each charge, from what the simulated world itself saw: the API key
// of the request the engine answered a charge's creation to (docs/api.md: a key names its
// merchant; oracle/charge_rules.h holds the test keys). Never read from the engine's
// `charges` table, so a charge the engine files under the wrong merchant is seen as one.
// A charge whose creation was never answered (a crash before the answer, and no retry) has
// no known creator. The card token the creation sent is kept too: it finds the charge's
// authorization among the PSP calls (sim/refusal_property.cpp).

#include <map>
#include <optional>
#include <set>
#include <string>

#include "engine/http.h"

namespace reckon::sim {

class ChargeCreators {
 public:
  // What the creating request asked for (docs/api.md, `POST /v1/charges`).
  struct Creation {
    std::string source;    // the card token
    std::string currency;  // "" when the request named none
    bool capture = false;  // docs/api.md: default false
  };

  // Every answer the engine gives: a 201 to `POST /v1/charges` is the new charge, a 402 or
  // a 503 `psp_outcome_unknown` carries it as `charge` (a replay gives the same id to the
  // same key).
  void observe(const engine::HttpRequest& request, const engine::HttpResponse& response);

  // The merchant whose key created `charge_id`; nullopt when no creation answer was seen,
  // or when answers to two merchants named it (that leak is no creator at all).
  std::optional<std::string> merchant_of(const std::string& charge_id) const;
  // The card token (`source`) of the request whose answer first named `charge_id`; nullopt
  // when none was seen, or when the token created another charge too (a client pays again
  // with its card after a decline): the token then does not tell whose calls are whose.
  std::optional<std::string> source_of(const std::string& charge_id) const;
  // The request whose answer first named `charge_id`; nullopt when none was seen.
  std::optional<Creation> creation_of(const std::string& charge_id) const;

 private:
  std::map<std::string, std::string> creator_;  // charge id -> merchant ("" when two did)
  std::map<std::string, Creation> creation_;    // charge id -> what its creation asked
  std::map<std::string, std::set<std::string>> charges_of_source_;  // card token -> charge ids
};

}  // namespace reckon::sim

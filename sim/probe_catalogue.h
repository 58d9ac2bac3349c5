#pragma once
// The careless merchant's requests: each breaks exactly one rule of docs/api.md, so exactly one
// documented refusal is right. Statuses and codes are read from docs/api.md ("Authentication",
// "Idempotency", "Errors by route", "The list"), never from engine/ code.
//
// A request that breaks no other rule needs context: a key of its own, a card token, and for
// some a charge of the probing merchant that is `authorized` and far from its expiry.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "engine/http.h"

namespace reckon::sim {

struct ProbeContext {
  std::string key;                // an Idempotency-Key not used before
  std::string token;              // a card token not used before
  std::string currency;           // of every valid create: one of the workload's currencies
  std::string own_api_key;        // the probing merchant's
  std::string other_api_key;      // another merchant's
  std::string authorized_charge;  // the probing merchant's, authorized; empty: none yet
  // The engine takes the PSP's signed notices (the run's PSP sends webhooks, so the engine
  // has the shared secret). docs/api.md: without a secret, POST /v1/psp/webhooks is a 404.
  bool psp_notices_on = false;
  std::string card_number;     // 13 to 19 digits passing Luhn (sim/card_numbers.h)
  char card_separator = '\0';  // how the merchant writes it: none, ' ' or '-'
  // Not allowed in a token (docs/api.md: letters, digits, underscores): visible ASCII
  // punctuation, from both sides of every allowed range.
  char token_bad_char = '-';
  // Where it goes among the four allowed characters after tok_: 0 (first) to 4 (last), so a
  // check that skips an end of the token is met too.
  size_t token_bad_at = 2;
  // "Bearer" with the letter at `scheme_typo_at` (0..5) replaced by `scheme_typo_letter`,
  // another letter: a scheme one letter away is still not Bearer.
  size_t scheme_typo_at = 0;
  char scheme_typo_letter = 'd';
  // Not allowed in an Idempotency-Key (docs/api.md: 0x21..0x7E): a control, space or DEL.
  char key_bad_char = '\t';
};

struct ProbeRequest {
  std::string name;  // names the broken rule in traces and failures
  engine::HttpRequest request;
  int status = 0;    // the documented refusal
  std::string code;  // its `error.code`
  // The request is a create whose refusal must store nothing: a valid create under the same
  // key follows, and must not be answered 422 idempotency_key_reused.
  bool key_reusable = false;
};

// How many requests the catalogue holds; `index` in [0, probe_count()).
int probe_count();
// The catalogue's request `index`, or nullopt when the context cannot make it break exactly
// one rule: it needs a charge the context lacks, or PSP notices off while they are on.
std::optional<ProbeRequest> make_probe(int index, const ProbeContext& context);
// Whether request `index` needs the context's authorized charge (it may come later in a run).
bool probe_needs_charge(int index);

// The amount, in minor units, of the creates the catalogue's refusals carry.
inline constexpr int64_t kProbeAmountMinor = 100;
// docs/api.md: a body of more than 64 KiB is refused 413 body_too_large.
inline constexpr size_t kLargestBodyBytes = size_t{64} * 1024;

// A valid create under `key` for `token`: `amount_minor` of `currency`, authorization only.
engine::HttpRequest valid_create(const std::string& api_key, const std::string& key,
                                 const std::string& token, const std::string& currency,
                                 int64_t amount_minor = kProbeAmountMinor);

}  // namespace reckon::sim

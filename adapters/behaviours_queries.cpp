// The behaviours of lookups, settlement reports, long keys and protocol hygiene.
#include <cctype>
#include <set>

#include "adapters/behaviours.h"
#include "adapters/judge.h"
#include "oracle/currencies.h"
#include "sim/prng.h"

namespace reckon::adapters {
namespace {

using Plan = std::function<faults::FaultPlan(const Capabilities&)>;
using Check = std::function<Verdict(CheckContext&)>;
using Skip = std::function<std::optional<std::string>(const Capabilities&)>;

constexpr const char* kSettlementDate = "2026-01-01";

Plan fixed(faults::FaultPlan plan) {
  return [plan](const Capabilities&) { return plan; };
}

void add(std::vector<Behaviour>& out, std::string name, std::string group, std::string what,
         Plan plan, Check check, Skip skip = nullptr) {
  out.push_back(Behaviour{std::move(name), std::move(group), std::move(what), std::move(plan),
                          std::move(skip), std::move(check)});
}

// An authorization made at the PSP directly, and its key.
std::string direct_key(Session& s, bool capture) {
  engine::PspRequest r;
  r.op = engine::PspOp::kAuthorize;
  r.idempotency_key = s.new_key();
  r.amount_minor = 1999;
  r.currency = "USD";
  r.card_token = s.new_token();
  r.capture = capture;
  (void)s.direct(r);
  return r.idempotency_key;
}

Problem found(const OpRun& r, const Session& s, const std::string& key, const char* state) {
  if (auto p = outcome_is(r, {"succeeded"})) return p;
  const sim::PspCharge* ch = charge_by_key(s, key);
  if (ch == nullptr) return "the PSP holds nothing under " + key + " (set-up failed)";
  if (r.text("operation") != "authorize") {
    return r.describe() + " reported operation '" + r.text("operation") + "', expected 'authorize'";
  }
  if (r.text("authorization_id") != ch->psp_charge_id || r.text("state") != state) {
    return r.describe() + " reported " + r.text("authorization_id") + " '" + r.text("state") +
           "', the PSP holds " + ch->psp_charge_id + " '" + state + "'";
  }
  return std::nullopt;
}

// The keys of a capture, a refund and a void made at the PSP directly, each looked up.
Verdict lookup_names_each_operation(CheckContext& c) {
  Session& s = c.session;
  const std::string held = s.direct_authorize(5000, "USD", false);
  const std::string voided = s.direct_authorize(700, "USD", false);
  auto done_directly = [&s](engine::PspOp op, const std::string& id, int64_t amount) {
    engine::PspRequest r;
    r.op = op;
    r.idempotency_key = s.new_key();
    r.psp_charge_id = id;
    r.amount_minor = amount;
    r.currency = "USD";
    (void)s.direct(r);
    return r.idempotency_key;
  };
  const std::pair<std::string, const char*> keys[] = {
      {done_directly(engine::PspOp::kCapture, held, 5000), "capture"},
      {done_directly(engine::PspOp::kRefund, held, 1200), "refund"},
      {done_directly(engine::PspOp::kVoid, voided, 0), "void"}};
  for (const auto& [key, operation] : keys) {
    const OpRun r = s.run(lookup_op(key));
    if (auto p = outcome_is(r, {"succeeded"})) return Verdict::fail(*p);
    if (r.text("operation") != operation) {
      return Verdict::fail(r.describe() + " of the key of a " + operation +
                           " reported operation '" + r.text("operation") +
                           "', the provider's is '" + operation + "'");
    }
  }
  return Verdict::pass();
}

void add_lookup(std::vector<Behaviour>& out) {
  const std::string g = "lookup";
  add(out, "lookup-finds-authorization", g,
      "a key the PSP processed: found, with its operation and state", fixed(plan_quiet()),
      [](CheckContext& c) {
        Session& s = c.session;
        const std::string key = direct_key(s, false);
        return judge({found(s.run(lookup_op(key)), s, key, "authorized")});
      });
  faults::FaultPlan declining = plan_decline();
  add(out, "lookup-finds-decline", g, "a declined authorization's key: found, state 'declined'",
      fixed(declining), [](CheckContext& c) {
        Session& s = c.session;
        const std::string key = direct_key(s, false);
        return judge({found(s.run(lookup_op(key)), s, key, "declined")});
      });
  add(out, "lookup-finds-failure", g,
      "a key whose operation the PSP refused as invalid (a capture of an authorization it "
      "does not know; its stored answer is a 400): 'failed'",
      fixed(plan_quiet()), [](CheckContext& c) {
        Session& s = c.session;
        engine::PspRequest refused;
        refused.op = engine::PspOp::kCapture;
        refused.idempotency_key = s.new_key();
        refused.psp_charge_id = "pA.unknown";
        refused.amount_minor = 1999;
        refused.currency = "USD";
        if (!s.direct(refused).empty()) return Verdict::fail("set-up: the PSP did the capture");
        return judge({outcome_is(s.run(lookup_op(refused.idempotency_key)), {"failed"})});
      });
  add(out, "lookup-names-each-operation", g,
      "the keys of a capture, a refund and a void the PSP did: each found, naming that "
      "operation (the provider's `operation` field), never 'authorize' for all",
      fixed(plan_quiet()), lookup_names_each_operation);
  add(out, "lookup-unknown-key-is-not-found", g, "a key the PSP never saw: 'not_found'",
      fixed(plan_quiet()), [](CheckContext& c) {
        Session& s = c.session;
        return judge({outcome_is(s.run(lookup_op(s.new_key())), {"not_found"})});
      });
  add(
      out, "lookup-lag-tolerated", g,
      "lookups lag lookup_lag_ms behind writes: a lookup right after an authorization still finds "
      "it",
      [](const Capabilities& caps) {
        faults::FaultPlan p = plan_quiet();
        p.psp.lookup_lag_us = caps.lookup_lag_ms * 1000;
        return p;
      },
      [](CheckContext& c) {
        Session& s = c.session;
        const OpRun auth = s.run(authorize_op(s, 1999, "USD", false));
        if (auto p = outcome_is(auth, {"succeeded"})) return Verdict::fail(*p);
        const std::string key = auth.operation["idempotency_key"].get<std::string>();
        return judge({found(s.run(lookup_op(key)), s, key, "authorized")});
      },
      [](const Capabilities& caps) -> std::optional<std::string> {
        if (caps.lookup_lag_ms > 0) return std::nullopt;
        return "the adapter declares lookup_lag_ms 0";
      });
  add(out, "lookup-timeout-is-unknown", g, "every answer lost: 'unknown', never 'not_found'",
      fixed(plan_response_loss(1, 1)), [](CheckContext& c) {
        Session& s = c.session;
        return judge({outcome_is(s.run(lookup_op(direct_key(s, false))), {"unknown"})});
      });
  add(out, "lookup-5xx-is-unknown", g, "503 on every lookup: 'unknown', never 'not_found'",
      fixed(plan_error_before(1, 1)), [](CheckContext& c) {
        Session& s = c.session;
        return judge({outcome_is(s.run(lookup_op(direct_key(s, false))), {"unknown"})});
      });
}

// The report must hold exactly the PSP's settled events, in minor units, refunds negative.
// The day's report through the adapter: its lines are exactly what the PSP settled.
Verdict settlement_lines_match(Session& s) {
  const OpRun r = s.run(settlement_op(kSettlementDate));
  if (auto p = outcome_is(r, {"succeeded"})) return Verdict::fail(*p);
  std::multiset<std::string> expected;
  for (const sim::PspSettledEvent& e : s.psp().settled_events()) {
    expected.insert(e.psp_reference + " " + e.idempotency_key + " " +
                    (e.refund ? "refund " : "capture ") +
                    std::to_string(e.refund ? -e.amount_minor : e.amount_minor) + " " + e.currency);
  }
  std::multiset<std::string> got;
  for (const auto& line : r.result.value("lines", nlohmann::json::array())) {
    got.insert(line["psp_reference"].get<std::string>() + " " +
               line["merchant_reference"].get<std::string>() + " " +
               line["type"].get<std::string>() + " " +
               std::to_string(line["amount_minor"].get<int64_t>()) + " " +
               line["currency"].get<std::string>());
  }
  if (got == expected) return Verdict::pass();
  auto join = [](const std::multiset<std::string>& lines) {
    std::string out;
    for (const auto& l : lines) out += (out.empty() ? "" : "; ") + l;
    return out.empty() ? std::string("(none)") : out;
  };
  return Verdict::fail(r.describe() + " returned lines [" + join(got) + "], the PSP settled [" +
                       join(expected) + "]");
}

// A captured authorization of `amount` made at the PSP directly, each of `refunds` of it
// refunded.
void settle_directly(Session& s, int64_t amount, const std::string& currency,
                     const std::vector<int64_t>& refunds) {
  const std::string id = s.direct_authorize(amount, currency, true);
  for (const int64_t refund : refunds) {
    engine::PspRequest r;
    r.op = engine::PspOp::kRefund;
    r.idempotency_key = s.new_key();
    r.psp_charge_id = id;
    r.amount_minor = refund;
    (void)s.direct(r);
  }
}

Verdict settlement_matches(Session& s, int64_t amount, const char* currency, int64_t refund) {
  settle_directly(s, amount, currency,
                  refund > 0 ? std::vector<int64_t>{refund} : std::vector<int64_t>{});
  return settlement_lines_match(s);
}

// A capture and refunds in every currency docs/api.md accepts, amounts drawn from the seed:
// the report's decimal text is read with each currency's own exponent. Where the currency
// has a minor unit, one refund is under one major unit (`-0.50`: a sign a reader that takes
// it from the integer part loses, since -0 is 0).
Verdict settlement_every_currency(CheckContext& c) {
  Session& s = c.session;
  sim::PrngStream stream(s.seed(), "adapter-check.currencies");
  for (const std::string_view code : oracle::iso4217_codes()) {
    const int64_t unit = oracle::minor_units_per_major(*oracle::iso4217_minor_units(code));
    const int64_t amount = stream.between(unit + 2, 1'000'000 * unit - 1);
    std::vector<int64_t> refunds = {stream.between(1, amount / 2)};
    if (unit > 1) refunds.push_back(stream.between(1, unit - 1));
    settle_directly(s, amount, std::string(code), refunds);
  }
  return settlement_lines_match(s);
}

void add_settlement(std::vector<Behaviour>& out) {
  const std::string g = "settlement";
  add(out, "settlement-amounts-jpy", g, "'1250' JPY in the report is 1250 minor units",
      fixed(plan_quiet()),
      [](CheckContext& c) { return settlement_matches(c.session, 1250, "JPY", 0); });
  add(out, "settlement-amounts-usd", g, "'19.99' USD in the report is 1999 minor units",
      fixed(plan_quiet()),
      [](CheckContext& c) { return settlement_matches(c.session, 1999, "USD", 0); });
  add(out, "settlement-amounts-kwd", g, "'12.345' KWD in the report is 12345 minor units",
      fixed(plan_quiet()),
      [](CheckContext& c) { return settlement_matches(c.session, 12345, "KWD", 0); });
  add(out, "settlement-amounts-every-currency", g,
      "a capture and two refunds in each of docs/api.md's 14 currencies (amounts drawn, one "
      "refund under one major unit where the currency has a minor unit): every line's amount "
      "is read with its currency's ISO 4217 exponent and sign",
      fixed(plan_quiet()), settlement_every_currency);
  add(out, "settlement-refunds-negative", g,
      "a refund line is type 'refund' with a negative amount", fixed(plan_quiet()),
      [](CheckContext& c) { return settlement_matches(c.session, 5000, "USD", 1250); });
  add(out, "settlement-timeout-is-unknown", g, "every answer lost: 'unknown', not an empty report",
      fixed(plan_response_loss(1, 1)), [](CheckContext& c) {
        Session& s = c.session;
        (void)s.direct_authorize(1999, "USD", true);
        return judge({outcome_is(s.run(settlement_op(kSettlementDate)), {"unknown"})});
      });
  add(out, "settlement-5xx-is-unknown", g,
      "every answer a 503: 'unknown', not an empty report (docs/psp-dialect.md: a 5xx says "
      "nothing, on every route)",
      fixed(plan_error_before(1, 1)), [](CheckContext& c) {
        Session& s = c.session;
        (void)s.direct_authorize(1999, "USD", true);
        return judge({outcome_is(s.run(settlement_op(kSettlementDate)), {"unknown"})});
      });
}

// A key of `length` valid characters drawn from the seed; `tail` replaces its last characters.
std::string long_key(const Session& s, size_t length, const std::string& tail) {
  static const char kAlphabet[] =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-";
  sim::PrngStream stream(s.seed(), "adapter-check.keys");
  std::string key = "k-";
  while (key.size() < length) key += kAlphabet[stream.below(sizeof kAlphabet - 1)];
  key.replace(key.size() - tail.size(), tail.size(), tail);
  return key;
}

// A lookup after a restart of an authorization made before it: found, naming the
// authorization the PSP holds under the provider key the authorize used.
Problem found_after_restart(const OpRun& lookup, const OpRun& authorized, const Session& s) {
  if (auto p = outcome_is(lookup, {"succeeded"})) return p;
  const sim::PspCharge* ch =
      authorized.exchanges.empty() ? nullptr : charge_by_key(s, authorized.exchanges[0].psp_key);
  if (ch == nullptr) return authorized.describe() + " left nothing at the PSP (set-up failed)";
  if (lookup.text("authorization_id") != ch->psp_charge_id) {
    return lookup.describe() + " after the restart found " + lookup.text("authorization_id") +
           "; the key's authorization is " + ch->psp_charge_id;
  }
  return std::nullopt;
}

Problem provider_key_valid(const OpRun& r) {
  for (const Exchange& ex : r.exchanges) {
    if (ex.psp_key.empty() || ex.psp_key.size() > static_cast<size_t>(kProviderKeyLengthMax)) {
      return r.describe() + " sent a key of " + std::to_string(ex.psp_key.size()) +
             " characters; the provider takes 1.." + std::to_string(kProviderKeyLengthMax);
    }
  }
  return std::nullopt;
}

// A key longer than key_length_max never reaches the provider as it is (docs/adapters.md:
// it is handled as `long_keys` declares).
Problem key_not_passed(const OpRun& r) {
  const std::string key = r.operation["idempotency_key"].get<std::string>();
  for (const Exchange& ex : r.exchanges) {
    if (ex.psp_key == key) {
      return r.describe() + " sent its " + std::to_string(key.size()) +
             "-character key as it is, past the declared key_length_max";
    }
  }
  return std::nullopt;
}

std::optional<std::string> rejects_long_keys(const Capabilities& caps) {
  if (caps.long_keys_hash) return std::nullopt;
  return "the adapter declares long_keys 'reject'";
}

// Three long keys, two differing only at the end and two only in case, authorized.
Verdict long_keys_kept_distinct(CheckContext& c) {
  Session& s = c.session;
  const std::string key = long_key(s, 200, "-a");
  std::string other_case = key;
  for (char& ch : other_case) {
    if (std::isalpha(static_cast<unsigned char>(ch))) ch = static_cast<char>(ch ^ 0x20);
  }
  const OpRun a = s.run(authorize_op(s, 1999, "USD", false, key));
  const OpRun b = s.run(authorize_op(s, 2999, "USD", false, long_key(s, 200, "-b")));
  const OpRun d = s.run(authorize_op(s, 3999, "USD", false, other_case));
  Problem same;
  const OpRun* runs[] = {&a, &b, &d};
  for (size_t i = 0; i < 3 && !same; ++i) {
    for (size_t j = i + 1; j < 3 && !same; ++j) {
      if (!runs[i]->exchanges.empty() && !runs[j]->exchanges.empty() &&
          runs[i]->exchanges[0].psp_key == runs[j]->exchanges[0].psp_key) {
        same = "two different operation keys ('" +
               runs[i]->operation["idempotency_key"].get<std::string>().substr(0, 40) + "...', '" +
               runs[j]->operation["idempotency_key"].get<std::string>().substr(0, 40) +
               "...') reached the provider as one: '" + runs[i]->exchanges[0].psp_key + "'";
      }
    }
  }
  return judge({same, outcome_is(a, {"succeeded"}), outcome_is(b, {"succeeded"}),
                outcome_is(d, {"succeeded"})});
}

// Two long keys authorized, the adapter restarted, then looked up in the other order.
Verdict long_keys_stable_across_restarts(CheckContext& c) {
  Session& s = c.session;
  const std::string key_a = long_key(s, 200, "-a");
  const std::string key_b = long_key(s, 200, "-b");
  const OpRun a = s.run(authorize_op(s, 1999, "USD", false, key_a));
  const OpRun b = s.run(authorize_op(s, 2999, "USD", false, key_b));
  if (auto p = judge({outcome_is(a, {"succeeded"}), outcome_is(b, {"succeeded"})});
      p.status == Status::kFailed) {
    return p;
  }
  s.restart_adapter();
  // The new process meets the second key first: a mapping kept in memory (a counter,
  // a table) or salted per process gives it another provider key than before.
  const OpRun found_b = s.run(lookup_op(key_b));
  const OpRun found_a = s.run(lookup_op(key_a));
  return judge({found_after_restart(found_b, b, s), found_after_restart(found_a, a, s)});
}

void add_keys(std::vector<Behaviour>& out) {
  const std::string g = "keys";
  add(out, "key-at-limit-passed-as-is", g,
      "a key of exactly key_length_max characters reaches the PSP unchanged", fixed(plan_quiet()),
      [](CheckContext& c) {
        Session& s = c.session;
        const std::string key = long_key(s, static_cast<size_t>(s.caps().key_length_max), "");
        const OpRun r = s.run(authorize_op(s, 1999, "USD", false, key));
        return judge({outcome_is(r, {"succeeded"}), key_passed(r)});
      });
  add(out, "long-key-handled-as-declared", g,
      "a 200-character key, and one of key_length_max + 1: hashed to a valid provider key "
      "(never the key itself), or 'not_sent' with nothing sent",
      fixed(plan_quiet()), [](CheckContext& c) {
        Session& s = c.session;
        const OpRun r = s.run(authorize_op(s, 1999, "USD", false, long_key(s, 200, "")));
        const size_t just_over = static_cast<size_t>(s.caps().key_length_max) + 1;
        const OpRun r2 = s.run(authorize_op(s, 2999, "USD", false, long_key(s, just_over, "-2")));
        if (!s.caps().long_keys_hash) {
          return judge({outcome_is(r, {"not_sent"}), no_requests(r), outcome_is(r2, {"not_sent"}),
                        no_requests(r2)});
        }
        return judge({outcome_is(r, {"succeeded"}), provider_key_valid(r), key_not_passed(r),
                      outcome_is(r2, {"succeeded"}), provider_key_valid(r2), key_not_passed(r2)});
      });
  add(
      out, "long-key-stable-across-retries", g,
      "half the answers lost: a long key maps to one provider key on every retry",
      fixed(plan_response_loss(1, 2)),
      [](CheckContext& c) {
        Session& s = c.session;
        const OpRun r = s.run(authorize_op(s, 1999, "USD", false, long_key(s, 200, "")));
        return judge({one_key(r), provider_key_valid(r)});
      },
      rejects_long_keys);
  add(out, "long-keys-kept-distinct", g,
      "three long keys, two differing only at the end and two only in the case of their "
      "letters, map to three provider keys (no truncation, no case folding: keys are "
      "case-sensitive)",
      fixed(plan_quiet()), long_keys_kept_distinct, rejects_long_keys);
  add(out, "long-keys-stable-across-restarts", g,
      "two long keys authorized, the adapter restarted, then looked up in the other order: "
      "each finds its own authorization (a long key's provider key is derived from the key "
      "alone, never from what the process saw before)",
      fixed(plan_quiet()), long_keys_stable_across_restarts, rejects_long_keys);
}

void add_protocol(std::vector<Behaviour>& out) {
  const std::string g = "protocol";
  add(out, "requests-well-formed", g,
      "every request the adapter sends parses in the provider's dialect", fixed(plan_quiet()),
      [](CheckContext& c) {
        Session& s = c.session;
        std::vector<OpRun> runs;
        runs.push_back(s.run(authorize_op(s, 1999, "USD", false)));
        const std::string id = runs.back().text("authorization_id");
        runs.push_back(s.run(capture_op(s, id, 1999, "USD", 1999)));
        runs.push_back(s.run(refund_op(s, id, 999, "USD", 1999, 0)));
        runs.push_back(s.run(lookup_op(runs[0].operation["idempotency_key"].get<std::string>())));
        runs.push_back(s.run(void_op(s, s.direct_authorize(100, "USD", false))));
        runs.push_back(s.run(settlement_op(kSettlementDate)));
        for (const OpRun& r : runs) {
          for (const Exchange& ex : r.exchanges) {
            if (!ex.decode_error.empty()) {
              return Verdict::fail(r.describe() + " sent " + ex.method + " " + ex.path +
                                   ", which the provider refuses: " + ex.decode_error);
            }
          }
          if (r.exchanges.empty()) return Verdict::fail(r.describe() + " sent no request");
        }
        return Verdict::pass();
      });
  add(out, "unknown-fields-ignored", g,
      "an operation with a field from a later protocol version still works", fixed(plan_quiet()),
      [](CheckContext& c) {
        Session& s = c.session;
        nlohmann::json op = authorize_op(s, 1999, "USD", false);
        op["x_reckon_future"] = {{"level", 2}, {"tags", {"a", "b"}}};
        return judge({outcome_is(s.run(op), {"succeeded"})});
      });
  add(out, "deterministic-after-reset", g,
      "the same seed after a reset gets the same messages from the adapter, under faults "
      "and the provider's 429, 409 and 202 (so pauses and retries are judged too)",
      fixed(plan_mixed()), [](CheckContext& c) {
        auto script = [](Session& s) {
          s.script_front_door({429, 409});
          const OpRun a = s.run(authorize_op(s, 1999, "USD", false));
          s.script_front_door({202});
          (void)s.run(authorize_op(s, 2999, "USD", false));
          if (a.outcome == "succeeded")
            (void)s.run(capture_op(s, a.text("authorization_id"), 1999, "USD", 1999));
          (void)s.run(lookup_op(a.operation["idempotency_key"].get<std::string>()));
        };
        script(c.session);
        std::unique_ptr<Session> again = c.another_session();
        script(*again);
        const auto& x = c.session.transcript();
        const auto& y = again->transcript();
        for (size_t i = 0; i < std::min(x.size(), y.size()); ++i) {
          if (x[i] != y[i]) {
            return Verdict::fail("message " + std::to_string(i + 1) + " differs after a reset: '" +
                                 x[i] + "' then '" + y[i] + "'");
          }
        }
        if (x.size() != y.size()) {
          return Verdict::fail("the adapter wrote " + std::to_string(x.size()) + " then " +
                               std::to_string(y.size()) + " messages for the same seed");
        }
        return Verdict::pass();
      });
}

}  // namespace

void add_query_behaviours(std::vector<Behaviour>& out) {
  add_lookup(out);
  add_settlement(out);
  add_keys(out);
  add_protocol(out);
}

std::string to_string(Status status) {
  switch (status) {
    case Status::kPassed:
      return "passed";
    case Status::kFailed:
      return "failed";
    case Status::kSkipped:
      return "skipped";
    case Status::kNotRun:
      return "not_run";
  }
  return "?";
}

const std::vector<Behaviour>& all_behaviours() {
  static const std::vector<Behaviour> behaviours = [] {
    std::vector<Behaviour> out;
    add_payment_behaviours(out);
    add_chain_behaviours(out);
    add_answer_behaviours(out);
    add_query_behaviours(out);
    add_hygiene_behaviours(out);
    std::set<std::string> names;
    for (const auto& b : out)
      RECKON_CHECK(names.insert(b.name).second, "behaviour names are unique");
    return out;
  }();
  return behaviours;
}

}  // namespace reckon::adapters

// The behaviours of the money-moving operations: authorize, capture, void and refund.
#include "adapters/behaviours.h"
#include "adapters/judge.h"
#include "oracle/currencies.h"
#include "sim/prng.h"

namespace reckon::adapters {
namespace {

using Plan = std::function<faults::FaultPlan(const Capabilities&)>;
using Check = std::function<Verdict(CheckContext&)>;

Plan fixed(faults::FaultPlan (*make)()) {
  return [make](const Capabilities&) { return make(); };
}

Plan fixed(faults::FaultPlan plan) {
  return [plan](const Capabilities&) { return plan; };
}

// An authorization through the adapter must land at the PSP with exactly these amounts.
Verdict authorize_amount(CheckContext& c, int64_t amount, const char* currency) {
  Session& s = c.session;
  const OpRun r = s.run(authorize_op(s, amount, currency, false));
  if (auto p = outcome_is(r, {"succeeded"})) return Verdict::fail(*p);
  const sim::PspCharge* charge = charge_by_key(s, r.operation["idempotency_key"]);
  if (charge == nullptr) return Verdict::fail("the PSP holds no authorization under the key");
  if (charge->authorized_minor != amount || charge->currency != currency) {
    return Verdict::fail("the PSP authorized " + std::to_string(charge->authorized_minor) + " " +
                         charge->currency + " for an operation of " + std::to_string(amount) + " " +
                         currency);
  }
  return judge({reports(r, charge->psp_charge_id, "authorized", amount)});
}

// An authorization in every currency docs/api.md accepts, each an amount drawn from the seed
// up to the documented maximum (1 to 10^(9+exponent) - 1 minor units, past 2^31): each reaches
// the PSP in its own currency and amount. An adapter with its own currency list, a default
// currency or 32-bit amounts meets what it forgot here.
Verdict authorize_every_currency(CheckContext& c) {
  Session& s = c.session;
  sim::PrngStream stream(s.seed(), "adapter-check.currencies");
  for (const std::string_view code : oracle::iso4217_codes()) {
    const int exponent = *oracle::iso4217_minor_units(code);
    const int64_t amount =
        stream.between(1, 1'000'000'000 * oracle::minor_units_per_major(exponent) - 1);
    const Verdict v = authorize_amount(c, amount, std::string(code).c_str());
    if (v.status == Status::kFailed) return Verdict::fail(std::string(code) + ": " + v.detail);
  }
  return Verdict::pass();
}

// An operation whose every attempt meets `plan`'s fault must end unknown.
Check ends_unknown(std::function<nlohmann::json(Session&)> make_op) {
  return [make_op](CheckContext& c) {
    return judge({outcome_is(c.session.run(make_op(c.session)), {"unknown"})});
  };
}

Check reuses_key(std::function<nlohmann::json(Session&)> make_op) {
  return [make_op](CheckContext& c) {
    const OpRun r = c.session.run(make_op(c.session));
    return judge({key_passed(r)});
  };
}

nlohmann::json usd_authorize(Session& s) {
  return authorize_op(s, 1999, "USD", false);
}
nlohmann::json usd_capture(Session& s) {
  return capture_op(s, s.direct_authorize(5000, "USD", false), 5000, "USD", 5000);
}
nlohmann::json usd_void(Session& s) {
  return void_op(s, s.direct_authorize(5000, "USD", false));
}
nlohmann::json usd_refund(Session& s) {
  return refund_op(s, s.direct_authorize(5000, "USD", true), 2000, "USD", 5000, 0);
}

void add(std::vector<Behaviour>& out, std::string name, std::string group, std::string what,
         Plan plan, Check check) {
  out.push_back(Behaviour{std::move(name), std::move(group), std::move(what), std::move(plan),
                          nullptr, std::move(check)});
}

void add_authorize(std::vector<Behaviour>& out) {
  const std::string g = "authorize";
  add(out, "authorize-succeeds", g,
      "an authorization succeeds and reports the PSP's id, state and amount", fixed(plan_quiet),
      [](CheckContext& c) { return authorize_amount(c, 1999, "USD"); });
  add(out, "authorize-capture-in-one-call", g, "capture: true captures in the same call",
      fixed(plan_quiet), [](CheckContext& c) {
        Session& s = c.session;
        const OpRun r = s.run(authorize_op(s, 4200, "USD", true));
        if (auto p = outcome_is(r, {"succeeded"})) return Verdict::fail(*p);
        const sim::PspCharge* ch = charge_by_key(s, r.operation["idempotency_key"]);
        if (ch == nullptr) return Verdict::fail("the PSP holds no authorization under the key");
        return judge({reports(r, ch->psp_charge_id, "captured", 4200),
                      psp_amounts(s, ch->psp_charge_id, 4200, 0)});
      });
  add(out, "authorize-declined-maps-to-declined", g, "a 402 decline ends 'declined'",
      fixed(plan_decline), [](CheckContext& c) {
        return judge({outcome_is(c.session.run(usd_authorize(c.session)), {"declined"})});
      });
  add(out, "authorize-decline-not-retried", g, "a decline is definitive: no second request",
      fixed(plan_decline), [](CheckContext& c) {
        return judge({at_most_requests(c.session.run(usd_authorize(c.session)), 1)});
      });
  add(out, "authorize-amount-jpy", g, "1250 JPY (exponent 0) reaches the PSP as 1250 minor units",
      fixed(plan_quiet), [](CheckContext& c) { return authorize_amount(c, 1250, "JPY"); });
  add(out, "authorize-amount-usd", g, "1999 USD (exponent 2) reaches the PSP as 1999 minor units",
      fixed(plan_quiet), [](CheckContext& c) { return authorize_amount(c, 1999, "USD"); });
  add(out, "authorize-amount-kwd", g, "12345 KWD (exponent 3) reaches the PSP as 12345 minor units",
      fixed(plan_quiet), [](CheckContext& c) { return authorize_amount(c, 12345, "KWD"); });
  add(out, "authorize-amount-every-currency", g,
      "an authorization in each of docs/api.md's 14 currencies (amounts drawn) reaches the PSP "
      "in that currency and amount",
      fixed(plan_quiet), authorize_every_currency);
  add(out, "authorize-key-passed-through", g, "the operation's key reaches the PSP unchanged",
      fixed(plan_quiet), reuses_key(usd_authorize));
}

// Loss, 5xx and duplicates on authorizations: nothing definitive is guessed, retries reuse
// the key, the card is charged at most once.
void add_authorize_under_faults(std::vector<Behaviour>& out) {
  const std::string g = "authorize";
  add(out, "authorize-timeout-is-unknown", g, "every answer lost: 'unknown', never a decline",
      fixed(plan_response_loss(1, 1)), ends_unknown(usd_authorize));
  add(out, "authorize-request-loss-is-unknown", g, "every request lost: 'unknown'",
      fixed(plan_request_loss), ends_unknown(usd_authorize));
  add(out, "authorize-5xx-before-processing-is-unknown", g, "503 before processing: 'unknown'",
      fixed(plan_error_before(1, 1)), ends_unknown(usd_authorize));
  add(out, "authorize-5xx-after-processing-is-unknown", g, "503 after processing: 'unknown'",
      fixed(plan_error_after(1, 1)), ends_unknown(usd_authorize));
  add(out, "authorize-retry-reuses-key", g, "half the answers lost: every retry sends the same key",
      fixed(plan_response_loss(1, 2)), reuses_key(usd_authorize));
  add(out, "authorize-5xx-retry-reuses-key", g,
      "half the requests get 503: every retry sends the same key", fixed(plan_error_after(1, 2)),
      reuses_key(usd_authorize));
  add(out, "authorize-no-double-charge-under-faults", g,
      "loss, duplicates, 5xx: the card holds at most one authorization", fixed(plan_mixed),
      [](CheckContext& c) {
        Session& s = c.session;
        const nlohmann::json op = usd_authorize(s);
        const OpRun r = s.run(op);
        s.advance_ms(2'000);  // late duplicates land
        const auto charges = s.psp().successful_charges_for(op["card_token"]);
        if (charges.size() <= 1) return Verdict::pass();
        return Verdict::fail(r.describe() + ": the PSP holds " + std::to_string(charges.size()) +
                             " successful authorizations for one operation: " +
                             charges[0]->idempotency_key + ", " + charges[1]->idempotency_key);
      });
  add(out, "authorize-result-agrees-with-psp-under-faults", g,
      "loss, duplicates, 5xx, declines: a definitive result is what the PSP did", fixed(plan_mixed),
      [](CheckContext& c) {
        Session& s = c.session;
        const OpRun r = s.run(usd_authorize(s));
        if (auto p = outcome_is(r, {"succeeded", "declined", "unknown"})) return Verdict::fail(*p);
        if (r.outcome == "unknown") return Verdict::pass();
        const sim::PspCharge* ch = charge_by_key(s, r.operation["idempotency_key"]);
        if (ch == nullptr) {
          return Verdict::fail(r.describe() + " ended '" + r.outcome +
                               "' but the PSP never processed its key");
        }
        const bool declined = ch->state == engine::PspChargeState::kDeclined;
        if (declined != (r.outcome == "declined")) {
          return Verdict::fail(r.describe() + " ended '" + r.outcome + "' but the PSP's charge " +
                               ch->psp_charge_id + " is " +
                               std::string(engine::to_string(ch->state)));
        }
        return declined ? Verdict::pass()
                        : judge({reports(r, ch->psp_charge_id, "authorized", 1999)});
      });
}

void add_authorize_key_reuse(std::vector<Behaviour>& out) {
  const std::string g = "authorize";
  add(out, "authorize-key-reused-other-params-is-failed", g,
      "a key reused with another amount: the PSP's 400 ends 'failed'", fixed(plan_quiet),
      [](CheckContext& c) {
        Session& s = c.session;
        const OpRun first = s.run(authorize_op(s, 1000, "USD", false));
        const OpRun second =
            s.run(authorize_op(s, 2000, "USD", false, first.operation["idempotency_key"]));
        return judge({outcome_is(first, {"succeeded"}), outcome_is(second, {"failed"})});
      });
}

void add_capture(std::vector<Behaviour>& out) {
  const std::string g = "capture";
  add(out, "capture-full-succeeds", g, "capturing the whole authorization", fixed(plan_quiet),
      [](CheckContext& c) {
        Session& s = c.session;
        const std::string id = s.direct_authorize(5000, "USD", false);
        const OpRun r = s.run(capture_op(s, id, 5000, "USD", 5000));
        return judge({outcome_is(r, {"succeeded"}), reports(r, id, "captured", 5000),
                      psp_amounts(s, id, 5000, 0)});
      });
  out.push_back(Behaviour{
      "capture-partial-as-declared", g,
      "3000 of 5000: captured if partial_capture, else 'not_sent' with nothing sent",
      fixed(plan_quiet), nullptr, [](CheckContext& c) {
        Session& s = c.session;
        const std::string id = s.direct_authorize(5000, "USD", false);
        const OpRun r = s.run(capture_op(s, id, 3000, "USD", 5000));
        if (s.caps().partial_capture) {
          return judge({outcome_is(r, {"succeeded"}), reports(r, id, "captured", 3000),
                        psp_amounts(s, id, 3000, 0)});
        }
        return judge({outcome_is(r, {"not_sent"}), no_requests(r), psp_amounts(s, id, 0, 0)});
      }});
  add(out, "capture-amount-kwd", g, "12345 KWD captured as 12345 minor units", fixed(plan_quiet),
      [](CheckContext& c) {
        Session& s = c.session;
        const std::string id = s.direct_authorize(12345, "KWD", false);
        const OpRun r = s.run(capture_op(s, id, 12345, "KWD", 12345));
        return judge({outcome_is(r, {"succeeded"}), reports(r, id, "captured", 12345),
                      psp_amounts(s, id, 12345, 0)});
      });
  add(out, "capture-unknown-authorization-is-failed", g,
      "capturing an id the PSP never issued: 'failed'", fixed(plan_quiet), [](CheckContext& c) {
        return judge({outcome_is(c.session.run(capture_op(c.session, "psp_999", 100, "USD", 100)),
                                 {"failed"})});
      });
  add(out, "capture-failed-not-retried", g, "a 400 is definitive: no second request",
      fixed(plan_quiet), [](CheckContext& c) {
        return judge({at_most_requests(
            c.session.run(capture_op(c.session, "psp_999", 100, "USD", 100)), 1)});
      });
  add(out, "capture-timeout-is-unknown", g, "every answer lost: 'unknown'",
      fixed(plan_response_loss(1, 1)), ends_unknown(usd_capture));
  add(out, "capture-5xx-after-processing-is-unknown", g, "503 after processing: 'unknown'",
      fixed(plan_error_after(1, 1)), ends_unknown(usd_capture));
  add(out, "capture-retry-reuses-key", g, "half the answers lost: every retry sends the same key",
      fixed(plan_response_loss(1, 2)), reuses_key(usd_capture));
}

void add_void(std::vector<Behaviour>& out) {
  const std::string v = "void";
  add(out, "void-succeeds", v, "voiding an uncaptured authorization", fixed(plan_quiet),
      [](CheckContext& c) {
        Session& s = c.session;
        const std::string id = s.direct_authorize(5000, "USD", false);
        const OpRun r = s.run(void_op(s, id));
        const sim::PspCharge* ch = charge_by_id(s, id);
        if (auto p = outcome_is(r, {"succeeded"})) return Verdict::fail(*p);
        if (ch->state != engine::PspChargeState::kVoided) {
          return Verdict::fail("the PSP's authorization is not voided");
        }
        return judge({r.text("state") == "voided"
                          ? std::nullopt
                          : Problem(r.describe() + " reported state '" + r.text("state") +
                                    "', the PSP's is 'voided'")});
      });
  add(out, "void-after-capture-is-failed", v, "voiding a captured charge: 'failed'",
      fixed(plan_quiet), [](CheckContext& c) {
        Session& s = c.session;
        return judge(
            {outcome_is(s.run(void_op(s, s.direct_authorize(5000, "USD", true))), {"failed"})});
      });
  add(out, "void-timeout-is-unknown", v, "every answer lost: 'unknown'",
      fixed(plan_response_loss(1, 1)), ends_unknown(usd_void));
  add(out, "void-retry-reuses-key", v, "half the answers lost: every retry sends the same key",
      fixed(plan_response_loss(1, 2)), reuses_key(usd_void));
}

void add_refund(std::vector<Behaviour>& out) {
  const std::string g = "refund";
  add(out, "refund-full-succeeds", g, "refunding the whole capture: state 'refunded'",
      fixed(plan_quiet), [](CheckContext& c) {
        Session& s = c.session;
        const std::string id = s.direct_authorize(5000, "USD", true);
        const OpRun r = s.run(refund_op(s, id, 5000, "USD", 5000, 0));
        return judge({outcome_is(r, {"succeeded"}), reports(r, id, "refunded", 5000),
                      psp_amounts(s, id, 5000, 5000)});
      });
  add(out, "refund-partial-succeeds", g, "refunding part of a capture: state stays 'captured'",
      fixed(plan_quiet), [](CheckContext& c) {
        Session& s = c.session;
        const std::string id = s.direct_authorize(5000, "USD", true);
        const OpRun r = s.run(refund_op(s, id, 2000, "USD", 5000, 0));
        return judge({outcome_is(r, {"succeeded"}), reports(r, id, "captured", 2000),
                      psp_amounts(s, id, 5000, 2000)});
      });
  add(out, "refund-several-as-declared", g,
      "a second refund: done if multiple_refunds, else 'not_sent' with nothing sent",
      fixed(plan_quiet), [](CheckContext& c) {
        Session& s = c.session;
        const std::string id = s.direct_authorize(5000, "USD", true);
        const OpRun first = s.run(refund_op(s, id, 1000, "USD", 5000, 0));
        const OpRun second = s.run(refund_op(s, id, 1500, "USD", 5000, 1000));
        if (s.caps().multiple_refunds) {
          return judge({outcome_is(first, {"succeeded"}), outcome_is(second, {"succeeded"}),
                        psp_amounts(s, id, 5000, 2500)});
        }
        return judge({outcome_is(first, {"succeeded"}), outcome_is(second, {"not_sent"}),
                      no_requests(second), psp_amounts(s, id, 5000, 1000)});
      });
  add(out, "refund-beyond-capture-is-failed", g, "refunding more than was captured: 'failed'",
      fixed(plan_quiet), [](CheckContext& c) {
        Session& s = c.session;
        const std::string id = s.direct_authorize(5000, "USD", true);
        const OpRun r = s.run(refund_op(s, id, 6000, "USD", 5000, 0));
        return judge({outcome_is(r, {"failed"}), psp_amounts(s, id, 5000, 0)});
      });
  add(out, "refund-timeout-is-unknown", g, "every answer lost: 'unknown'",
      fixed(plan_response_loss(1, 1)), ends_unknown(usd_refund));
  add(out, "refund-5xx-before-processing-is-unknown", g, "503 before processing: 'unknown'",
      fixed(plan_error_before(1, 1)), ends_unknown(usd_refund));
  add(out, "refund-retry-reuses-key", g, "half the answers lost: every retry sends the same key",
      fixed(plan_response_loss(1, 2)), reuses_key(usd_refund));
}

}  // namespace

void add_payment_behaviours(std::vector<Behaviour>& out) {
  add_authorize(out);
  add_authorize_under_faults(out);
  add_authorize_key_reuse(out);
  add_capture(out);
  add_void(out);
  add_refund(out);
}

}  // namespace reckon::adapters

// The behaviours of whole payments through the adapter: authorize, capture, refunds and void
// chained on the authorization id the adapter itself reported, so an adapter that keeps
// anything between operations (ids, keys, amounts) is judged on it. After every step the
// PSP's records must hold exactly what the results say.
#include <optional>
#include <string>
#include <vector>

#include "adapters/behaviours.h"
#include "adapters/judge.h"

namespace reckon::adapters {
namespace {

using Check = std::function<Verdict(CheckContext&)>;

constexpr int64_t kAuthorized = 5000;
// Under faults an operation that ended 'unknown' is sent again under its key, as the
// engine's recovery job does, at most this many times before the chain stops there.
constexpr int kResends = 6;

// Lost answers and 5xx after processing: the operations an adapter is restarted in the
// middle of have reached the provider.
faults::FaultPlan plan_restarts() {
  faults::FaultPlan p = plan_quiet();
  p.network.response_loss = {1, 4};
  p.psp.error_after_processing = {1, 8};
  return p;
}

void add(std::vector<Behaviour>& out, std::string name, std::string what,
         faults::FaultPlan (*plan)(), Check check) {
  out.push_back(Behaviour{std::move(name), "chain", std::move(what),
                          [plan](const Capabilities&) { return plan(); }, nullptr,
                          std::move(check)});
}

// How a chain runs: on a quiet network or under faults (unknown steps re-sent under their
// key), and with the adapter restarted in the middle of the authorization, the capture and
// the first refund (after each one's first request, before its answer) and between
// operations (before the capture and before the last refund).
struct ChainMode {
  bool faults = false;
  bool restarts = false;
};

// Runs `operation` (with `crash`, restarting the adapter after its first request); while
// it ends 'unknown' (under faults), waits and sends it again under the same key. Returns
// the last run.
OpRun settle(Session& s, const nlohmann::json& operation, ChainMode mode, bool crash) {
  OpRun r = s.run(operation, crash && mode.restarts);
  for (int i = 0; mode.faults && i < kResends && r.outcome == "unknown"; ++i) {
    s.advance_ms(1'000);
    r = s.run(operation);
  }
  return r;
}

// The PSP's authorization behind an authorize run: under the key its requests carried (a
// hashed long key is not the operation's key), one key for every request, and the
// operation's own key when it is short enough to be passed as it is.
const sim::PspCharge* authorized_charge(const Session& s, const OpRun& r, Problem& problem) {
  if (r.exchanges.empty()) {
    problem = r.describe() + " sent no request";
    return nullptr;
  }
  const bool passed_as_is = r.operation["idempotency_key"].get<std::string>().size() <=
                            static_cast<size_t>(s.caps().key_length_max);
  if ((problem = passed_as_is ? key_passed(r) : one_key(r))) return nullptr;
  const sim::PspCharge* ch = charge_by_key(s, r.exchanges.front().psp_key);
  if (ch == nullptr) problem = "the PSP holds no authorization under the key";
  return ch;
}

// The key of the chain's authorization: with restarts, one longer than the adapter passes
// as it is (when it hashes long keys), so its mapping must be the same in every process.
std::string chain_key(Session& s, ChainMode mode) {
  if (!mode.restarts || !s.caps().long_keys_hash) return s.new_key();
  std::string key = s.new_key() + "-";
  while (key.size() <= static_cast<size_t>(s.caps().key_length_max) + 8) key += "Long_key.";
  return key;
}

// The amounts of the refunds that empty a capture of `captured`: several when declared
// (the last one "the rest"), else one for the whole.
std::vector<int64_t> refund_plan(const Capabilities& caps, int64_t captured) {
  if (!caps.multiple_refunds) return {captured};
  return {1000, 1500, captured - 2500};
}

// Judges a chain's authorization. Returns the PSP's id of the authorization to chain on, or
// nullopt with `ended` holding the chain's verdict: under faults an authorization that stayed
// unknown or was declined ends the chain, as nothing is left to chain on.
std::optional<std::string> chained_authorization(const Session& s, const OpRun& auth, bool faults,
                                                 Verdict& ended) {
  if (faults && (auth.outcome == "unknown" || auth.outcome == "declined")) {
    if (auto p = one_key(auth)) {
      ended = Verdict::fail(*p);
      return std::nullopt;
    }
    const sim::PspCharge* ch =
        auth.exchanges.empty() ? nullptr : charge_by_key(s, auth.exchanges.front().psp_key);
    const bool psp_declined = ch != nullptr && ch->state == engine::PspChargeState::kDeclined;
    ended =
        auth.outcome == "declined" && !psp_declined
            ? Verdict::fail(auth.describe() + " ended 'declined' but the PSP did not decline it")
            : Verdict::pass();
    return std::nullopt;
  }
  Problem p = outcome_is(auth, {"succeeded"});
  const sim::PspCharge* ch = p ? nullptr : authorized_charge(s, auth, p);
  if (ch != nullptr) {
    if (const auto held = s.psp().successful_charges_for(auth.operation["card_token"]);
        held.size() > 1) {
      p = auth.describe() + ": the PSP holds " + std::to_string(held.size()) +
          " authorizations for one operation, under keys '" + held[0]->idempotency_key + "' and '" +
          held[1]->idempotency_key + "'";
    } else {
      p = reports(auth, ch->psp_charge_id, "authorized", kAuthorized);
    }
  }
  if (p) {
    ended = Verdict::fail(*p);
    return std::nullopt;
  }
  return ch->psp_charge_id;
}

// The refunds of a chain that empty the capture of `captured` (refunding the PSP's `id`
// through the `reported` id), then one more, refused. A step that stays unknown under faults
// ends the chain, judged by what the PSP holds.
Verdict refunds_to_zero(Session& s, const std::string& id, const std::string& reported,
                        int64_t captured, ChainMode mode) {
  int64_t refunded = 0;
  const std::vector<int64_t> refunds = refund_plan(s.caps(), captured);
  for (size_t i = 0; i < refunds.size(); ++i) {
    const int64_t amount = refunds[i];
    if (mode.restarts && i > 0 && i + 1 == refunds.size()) s.restart_adapter();
    const OpRun r =
        settle(s, refund_op(s, reported, amount, "USD", captured, refunded), mode, refunded == 0);
    if (mode.faults && r.outcome == "unknown") {
      const int64_t at_psp = charge_by_id(s, id)->refunded_minor;
      return judge(
          {at_psp == refunded ? std::nullopt : psp_amounts(s, id, captured, refunded + amount)});
    }
    refunded += amount;
    const char* state = refunded == captured ? "refunded" : "captured";
    if (auto p = judge({outcome_is(r, {"succeeded"}), reports(r, id, state, amount),
                        psp_amounts(s, id, captured, refunded)});
        p.status == Status::kFailed) {
      return p;
    }
  }
  const OpRun beyond = settle(s, refund_op(s, reported, 1, "USD", captured, captured), mode, false);
  if (mode.faults && beyond.outcome == "unknown") {
    return judge({psp_amounts(s, id, captured, captured)});
  }
  // Nothing is left: the provider refuses it, or an adapter without multiple refunds
  // refuses a second refund itself.
  if (!s.caps().multiple_refunds) {
    return judge({outcome_is(beyond, {"not_sent"}), no_requests(beyond),
                  psp_amounts(s, id, captured, captured)});
  }
  return judge({outcome_is(beyond, {"failed"}), psp_amounts(s, id, captured, captured)});
}

// authorize -> capture (partial when declared) -> refunds until nothing is left -> one more
// refund, refused. With `faults`, unknown outcomes are re-sent under their key; a step that
// stays unknown ends the chain (what it did is still judged against the PSP).
Verdict capture_and_refund_chain(CheckContext& c, ChainMode mode) {
  Session& s = c.session;
  const OpRun auth =
      settle(s, authorize_op(s, kAuthorized, "USD", false, chain_key(s, mode)), mode, true);
  Verdict ended;
  const std::optional<std::string> authorized = chained_authorization(s, auth, mode.faults, ended);
  if (!authorized) return ended;
  const std::string& id = *authorized;

  // From here on the authorization is named only by what the adapter reported.
  const std::string reported = auth.text("authorization_id");
  // Odd seeds capture part of it when the adapter declares partial captures; the others
  // capture all of it.
  const int64_t captured = s.caps().partial_capture && s.seed() % 2 == 1 ? 3000 : kAuthorized;
  if (mode.restarts) s.restart_adapter();  // between the operations of one payment
  const OpRun cap = settle(s, capture_op(s, reported, captured, "USD", kAuthorized), mode, true);
  if (mode.faults && cap.outcome == "unknown") {
    const int64_t at_psp = charge_by_id(s, id)->captured_minor;
    return judge({at_psp == 0 ? std::nullopt : psp_amounts(s, id, captured, 0)});
  }
  if (auto p = judge({outcome_is(cap, {"succeeded"}), reports(cap, id, "captured", captured),
                      psp_amounts(s, id, captured, 0)});
      p.status == Status::kFailed) {
    return p;
  }
  return refunds_to_zero(s, id, reported, captured, mode);
}

// The PSP's id of the authorization a succeeded authorize run made for `amount`, once the
// result is checked to report it as authorized; nullopt with `failed` set otherwise.
std::optional<std::string> authorized_id(const Session& s, const OpRun& auth, int64_t amount,
                                         Verdict& failed) {
  Problem p = outcome_is(auth, {"succeeded"});
  const sim::PspCharge* ch = p ? nullptr : authorized_charge(s, auth, p);
  if (ch != nullptr) p = reports(auth, ch->psp_charge_id, "authorized", amount);
  if (p) {
    failed = Verdict::fail(*p);
    return std::nullopt;
  }
  return ch->psp_charge_id;
}

// authorize -> void -> capture of the voided authorization, under loss and 5xx, the adapter
// restarted in the middle of the authorization and of the void and between them; unknown
// steps re-sent under their key. The capture must be refused with nothing captured.
Verdict void_chain_under_restarts(CheckContext& c) {
  Session& s = c.session;
  const ChainMode mode{true, true};
  const OpRun auth = settle(s, authorize_op(s, 2500, "JPY", false, chain_key(s, mode)), mode, true);
  if (auth.outcome == "unknown" || auth.outcome == "declined") {
    return judge({one_key(auth)});  // nothing to chain on (declines are judged elsewhere)
  }
  Verdict failed;
  const std::optional<std::string> authorized = authorized_id(s, auth, 2500, failed);
  if (!authorized) return failed;
  const std::string& id = *authorized;
  const std::string reported = auth.text("authorization_id");
  s.restart_adapter();  // between the operations of one payment
  const OpRun v = settle(s, void_op(s, reported), mode, true);
  if (auto p = judge({outcome_is(v, {"succeeded", "unknown"}), one_key(v)});
      p.status == Status::kFailed) {
    return p;
  }
  const bool voided = charge_by_id(s, id)->state == engine::PspChargeState::kVoided;
  if (v.outcome == "succeeded" && !voided) {
    return Verdict::fail(v.describe() + " succeeded but the PSP's " + id + " is not voided");
  }
  if (!voided) return judge({psp_amounts(s, id, 0, 0)});
  const OpRun cap = settle(s, capture_op(s, reported, 2500, "JPY", 2500), mode, false);
  return judge({outcome_is(cap, {"failed", "unknown"}), psp_amounts(s, id, 0, 0)});
}

}  // namespace

void add_chain_behaviours(std::vector<Behaviour>& out) {
  add(out, "chain-capture-and-refunds",
      "authorize -> capture (of part on odd seeds, if declared; else of all) -> refunds to "
      "zero -> one more refused, each on the id the adapter reported",
      plan_quiet, [](CheckContext& c) { return capture_and_refund_chain(c, {}); });
  add(out, "chain-capture-and-refunds-under-faults",
      "the same chain under loss, duplicates and 5xx, unknown steps re-sent under their key: "
      "every definitive result is what the PSP did",
      plan_mixed, [](CheckContext& c) {
        return capture_and_refund_chain(c, {true, false});
      });
  add(out, "chain-survives-restarts",
      "the same chain under loss and 5xx, the adapter restarted in the middle of the authorize "
      "(a long key when hashed), the capture and the first refund, and between operations: "
      "nothing it needs may live only in its memory",
      plan_restarts, [](CheckContext& c) {
        return capture_and_refund_chain(c, {true, true});
      });
  add(out, "chain-void-survives-restarts",
      "authorize -> void -> capture refused, under loss and 5xx, the adapter restarted in the "
      "middle of the authorize and the void and between them, unknown steps re-sent under "
      "their key: the PSP voids what the results say and never captures",
      plan_restarts, void_chain_under_restarts);
  add(out, "chain-void-then-capture-refused",
      "authorize -> void -> capture of the voided authorization, refused with nothing captured",
      plan_quiet, [](CheckContext& c) {
        Session& s = c.session;
        const OpRun auth = s.run(authorize_op(s, 2500, "JPY", false));
        Verdict failed;
        const std::optional<std::string> authorized = authorized_id(s, auth, 2500, failed);
        if (!authorized) return failed;
        const std::string& id = *authorized;
        const OpRun v = s.run(void_op(s, auth.text("authorization_id")));
        if (auto p = outcome_is(v, {"succeeded"})) return Verdict::fail(*p);
        if (charge_by_id(s, id)->state != engine::PspChargeState::kVoided) {
          return Verdict::fail(v.describe() + " succeeded but the PSP's " + id + " is not voided");
        }
        if (v.text("authorization_id") != id || v.text("state") != "voided") {
          return Verdict::fail(v.describe() + " reported " + v.text("authorization_id") + " '" +
                               v.text("state") + "', the PSP holds " + id + " 'voided'");
        }
        const OpRun cap = s.run(capture_op(s, auth.text("authorization_id"), 2500, "JPY", 2500));
        return judge({outcome_is(cap, {"failed"}), psp_amounts(s, id, 0, 0)});
      });
}

}  // namespace reckon::adapters

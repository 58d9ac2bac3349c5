// A RapidCheck stateful test of the payment engine against a small model.
//
// SUT: an EngineHarness whose FakePsp is the idempotent PSP model; the PSP behaviour of each
// authorization and capture is scripted by its command (approve or decline; the reply
// arrives, is lost, the request is lost, or the reply never arrives).
// Model: client keys and charges with the outcome each must end in.
//
// After every command: the ledger balances per transaction and per currency, no charge has
// more than one successful authorize operation, the PSP holds at most one authorization per
// charge, stored responses never change once completed, and the engine's view of each
// charge and key matches the model.

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/state.h>

#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "tests/support/engine_fixture.h"

namespace reckon::test {
namespace {

// ---------------------------------------------------------------------------------------
// Model

enum class Delivery {
  kNormal,     // the PSP answers
  kLoseReply,  // the PSP acts on every attempt, no reply arrives: 503, recovery finds it
  kDrop,       // no attempt reaches the PSP: 503, recovery re-sends under the same key
  kHang,       // the PSP acts, its reply never arrives: the client waits until a restart
};

const char* to_string(Delivery d) {
  switch (d) {
    case Delivery::kNormal:
      return "normal";
    case Delivery::kLoseReply:
      return "lose-reply";
    case Delivery::kDrop:
      return "drop";
    case Delivery::kHang:
      return "hang";
  }
  return "?";
}

struct ChargeModel {
  int64_t amount = 0;
  std::string currency;
  bool capture = false;
  bool decline = false;
  std::string status;  // pending, unknown, authorized, captured, refunded, voided, declined
  int64_t captured = 0;
  bool capture_unresolved = false;  // a capture or void operation is pending or unknown
  int64_t refunded = 0;             // refunds that succeeded
  int64_t refunds_unresolved = 0;   // refunds pending or unknown (they count against the cap)

  int64_t refundable() const { return captured - refunded - refunds_unresolved; }

  std::string final_status() const {
    if (decline) return "declined";
    return capture ? "captured" : "authorized";
  }
};

enum class KeyState { kWaiting, kUnknown, kDone };

struct KeyModel {
  bool is_capture = false;  // any operation on an existing charge (see `action`)
  std::string charge_key;   // the create key of the charge it concerns
  std::string body;
  KeyState state = KeyState::kDone;
  int status = 0;                  // when done
  int64_t capture_amount = 0;      // capture keys: the amount captured; refund keys: refunded
  std::string action = "capture";  // for is_capture keys: capture, void or refund
};

struct Model {
  std::map<std::string, ChargeModel> charges;  // by create key
  std::map<std::string, KeyModel> keys;
  int next = 0;

  // The operations still being resolved end as the PSP decided.
  void resolve(bool include_waiting) {
    for (auto& [key, k] : keys) {
      if (k.state == KeyState::kDone) continue;
      if (k.state == KeyState::kWaiting && !include_waiting) continue;
      resolve_key(k);
    }
  }
  // One operation ends as the PSP decided (the PSP model always acts on a retry or lookup).
  void resolve_key(KeyModel& k) {
    ChargeModel& c = charges.at(k.charge_key);
    k.state = KeyState::kDone;
    if (k.is_capture && k.action == "refund") {
      c.refunds_unresolved -= k.capture_amount;
      c.refunded += k.capture_amount;
      if (c.refunded == c.captured) c.status = "refunded";
      k.status = 200;
      return;
    }
    if (k.is_capture) {
      c.status = k.action == "void" ? "voided" : "captured";
      if (k.action == "capture") c.captured = k.capture_amount;
      c.capture_unresolved = false;
      k.status = 200;
      return;
    }
    c.status = c.final_status();
    if (c.status == "captured") c.captured = c.amount;
    k.status = c.decline ? 402 : 201;
  }
  std::vector<std::string> charge_keys_where(bool (*pred)(const ChargeModel&)) const {
    std::vector<std::string> out;
    for (const auto& [key, c] : charges) {
      if (pred(c)) out.push_back(key);
    }
    return out;
  }
};

// ---------------------------------------------------------------------------------------
// System under test

struct Sut {
  EngineHarness h;
  std::map<std::string, HttpResponse> first;  // client key -> first completed response
  std::vector<EngineHarness::Slot> hung;      // requests whose reply never arrives

  Sut() { h.psp.use_model(); }

  std::string charge_id(const std::string& create_key) {
    const auto rows = query_rows(
        h.db(), "SELECT charge_id FROM operations WHERE kind = 'authorize' AND idem_key = '" +
                    create_key + "'");
    RC_ASSERT(rows.size() == 1u);
    return rows[0][0];
  }
  std::string target_for(const KeyModel& k) {
    return k.is_capture ? "/v1/charges/" + charge_id(k.charge_key) + "/" + k.action : "/v1/charges";
  }
};

void check_invariants(const Model& m, Sut& sut);

using Cmd = rc::state::Command<Model, Sut>;

std::string token_for(const std::string& key) {
  return "tok_" + key;
}

// Scripts the fates of the PSP calls of one operation with this delivery.
std::vector<Fate> fates_for(Delivery delivery, size_t attempts) {
  switch (delivery) {
    case Delivery::kNormal:
      return {};
    case Delivery::kLoseReply:
      return std::vector<Fate>(attempts, Fate::kLoseReply);
    case Delivery::kDrop:
      return std::vector<Fate>(attempts, Fate::kDrop);
    case Delivery::kHang:
      return {Fate::kHold};
  }
  return {};
}

rc::Gen<Delivery> delivery_gen() {
  return rc::gen::weightedElement<Delivery>({{6, Delivery::kNormal},
                                             {2, Delivery::kLoseReply},
                                             {1, Delivery::kDrop},
                                             {1, Delivery::kHang}});
}

struct CreateCharge final : Cmd {
  std::string key;
  int64_t amount;
  std::string currency;
  bool capture;
  bool decline;
  Delivery delivery;

  explicit CreateCharge(const Model& m)
      : key("k" + std::to_string(m.next)),
        amount(*rc::gen::inRange<int64_t>(1, 1'000'000)),
        currency(*rc::gen::elementOf(std::vector<std::string>{"USD", "EUR", "JPY", "KWD"})),
        capture(*rc::gen::arbitrary<bool>()),
        decline(*rc::gen::weightedElement<bool>({{1, true}, {3, false}})),
        delivery(*delivery_gen()) {}

  std::string body() const { return charge_body(amount, currency, token_for(key), capture); }

  void checkPreconditions(const Model& m) const override { RC_PRE(m.keys.count(key) == 0u); }

  void apply(Model& m) const override {
    ChargeModel c{amount, currency, capture, decline, "", 0, false, 0, 0};
    KeyModel k{false, key, body(), KeyState::kDone, 0, 0, ""};
    switch (delivery) {
      case Delivery::kNormal:
        c.status = c.final_status();
        if (c.status == "captured") c.captured = amount;
        k.status = decline ? 402 : 201;
        break;
      case Delivery::kLoseReply:
      case Delivery::kDrop:
        c.status = "unknown";
        k.state = KeyState::kUnknown;
        break;
      case Delivery::kHang:
        c.status = "pending";
        k.state = KeyState::kWaiting;
        break;
    }
    m.charges[key] = c;
    m.keys[key] = k;
    ++m.next;
  }

  void run(const Model& m, Sut& sut) const override {
    const std::string token = token_for(key);
    const size_t attempts = static_cast<size_t>(sut.h.config().psp_attempts_max);
    if (decline) sut.h.psp.decline_token(token);
    sut.h.psp.script_token(token, fates_for(delivery, attempts));
    auto slot = sut.h.post_async("/v1/charges", key, body());
    if (delivery == Delivery::kHang) {
      RC_ASSERT(!slot->has_value());
      sut.hung.push_back(slot);
    } else {
      RC_ASSERT(slot->has_value());
      const HttpResponse& r = **slot;
      const auto j = parse_body(r);
      if (delivery != Delivery::kNormal) {
        RC_ASSERT(r.status == 503);
        RC_ASSERT(error_code(r) == std::string("psp_outcome_unknown"));
      } else if (decline) {
        RC_ASSERT(r.status == 402);
        RC_ASSERT(error_code(r) == std::string("payment_declined"));
        RC_ASSERT(j["charge"]["status"] == "declined");
        sut.first[key] = r;
      } else {
        RC_ASSERT(r.status == 201);
        RC_ASSERT(j["status"] == (capture ? "captured" : "authorized"));
        RC_ASSERT(j["amount"] == amount);
        RC_ASSERT(j["currency"] == currency);
        RC_ASSERT(j["amount_captured"] == (capture ? amount : 0));
        sut.first[key] = r;
      }
    }
    check_invariants(nextState(m), sut);
  }

  void show(std::ostream& os) const override {
    os << "CreateCharge(" << key << ", " << amount << " " << currency
       << (capture ? ", capture" : "") << ", psp " << (decline ? "declines" : "approves") << ", "
       << to_string(delivery) << ")";
  }
};

struct RetrySameKey final : Cmd {
  std::string key;

  explicit RetrySameKey(const Model& m) {
    RC_PRE(!m.keys.empty());
    std::vector<std::string> keys;
    for (const auto& [k, v] : m.keys) keys.push_back(k);
    key = *rc::gen::elementOf(keys);
  }

  void checkPreconditions(const Model& m) const override { RC_PRE(m.keys.count(key) == 1u); }

  void run(const Model& m, Sut& sut) const override {
    const KeyModel& k = m.keys.at(key);
    auto r = sut.h.post(sut.target_for(k), key, k.body);
    RC_ASSERT(r.has_value());
    if (k.state != KeyState::kDone) {
      RC_ASSERT(r->status == 409);
      RC_ASSERT(error_code(*r) == std::string("request_in_progress"));
    } else {
      RC_ASSERT(r->status == k.status);
      auto it = sut.first.find(key);
      if (it == sut.first.end()) {
        sut.first[key] = *r;  // completed by recovery: this is the first completed response
      } else {
        RC_ASSERT(r->status == it->second.status);
        RC_ASSERT(r->body == it->second.body);
      }
    }
    check_invariants(m, sut);
  }

  void show(std::ostream& os) const override { os << "RetrySameKey(" << key << ")"; }
};

struct ReuseKeyDifferentBody final : Cmd {
  std::string key;

  explicit ReuseKeyDifferentBody(const Model& m) {
    RC_PRE(!m.keys.empty());
    std::vector<std::string> keys;
    for (const auto& [k, v] : m.keys) keys.push_back(k);
    key = *rc::gen::elementOf(keys);
  }

  void checkPreconditions(const Model& m) const override { RC_PRE(m.keys.count(key) == 1u); }

  void run(const Model& m, Sut& sut) const override {
    // No key was ever used with this body (tokens are tok_k<N>).
    auto r = sut.h.post("/v1/charges", key, charge_body(1, "USD", "tok_reuse"));
    RC_ASSERT(r.has_value());
    RC_ASSERT(r->status == 422);
    RC_ASSERT(error_code(*r) == std::string("idempotency_key_reused"));
    check_invariants(m, sut);
  }

  void show(std::ostream& os) const override { os << "ReuseKeyDifferentBody(" << key << ")"; }
};

bool capturable(const ChargeModel& c) {
  return c.status == "authorized" && !c.capture_unresolved;
}
// The charge's authorization is pending or unknown: a capture, void or refund on it first
// resolves the authorization (UnresolvedChargeSettles), so it is never refused up front.
bool authorization_unresolved(const ChargeModel& c) {
  return c.status == "pending" || c.status == "unknown";
}
bool not_capturable(const ChargeModel& c) {
  return !capturable(c) && !authorization_unresolved(c);
}

struct Capture final : Cmd {
  std::string key;
  std::string charge_key;
  std::optional<int64_t> amount;  // empty: capture the full amount (empty body)
  Delivery delivery = Delivery::kNormal;

  explicit Capture(const Model& m) : key("k" + std::to_string(m.next)) {
    const auto eligible = m.charge_keys_where(&capturable);
    RC_PRE(!eligible.empty());
    charge_key = *rc::gen::elementOf(eligible);
    if (*rc::gen::arbitrary<bool>()) {
      amount = *rc::gen::inRange<int64_t>(1, m.charges.at(charge_key).amount + 1);
    }
    delivery = *delivery_gen();
  }

  std::string body() const {
    return amount ? nlohmann::json{{"amount", *amount}}.dump() : std::string();
  }

  void checkPreconditions(const Model& m) const override {
    RC_PRE(m.keys.count(key) == 0u);
    auto it = m.charges.find(charge_key);
    RC_PRE(it != m.charges.end());
    RC_PRE(capturable(it->second));
    RC_PRE(!amount || *amount <= it->second.amount);
  }

  void apply(Model& m) const override {
    ChargeModel& c = m.charges.at(charge_key);
    KeyModel k{true,     charge_key, body(), KeyState::kDone, 200, amount.value_or(c.amount),
               "capture"};
    if (delivery == Delivery::kNormal) {
      c.status = "captured";
      c.captured = k.capture_amount;
    } else {
      c.capture_unresolved = true;  // the charge stays authorized meanwhile
      k.state = delivery == Delivery::kHang ? KeyState::kWaiting : KeyState::kUnknown;
      k.status = 0;
    }
    m.keys[key] = k;
    ++m.next;
  }

  void run(const Model& m, Sut& sut) const override {
    const ChargeModel& c = m.charges.at(charge_key);
    sut.h.psp.script_op(PspOp::kCapture,
                        fates_for(delivery, static_cast<size_t>(sut.h.config().psp_attempts_max)));
    auto slot =
        sut.h.post_async("/v1/charges/" + sut.charge_id(charge_key) + "/capture", key, body());
    if (delivery == Delivery::kHang) {
      RC_ASSERT(!slot->has_value());
      sut.hung.push_back(slot);
    } else if (delivery != Delivery::kNormal) {
      RC_ASSERT(slot->has_value());
      RC_ASSERT((*slot)->status == 503);
      RC_ASSERT(error_code(**slot) == std::string("psp_outcome_unknown"));
    } else {
      RC_ASSERT(slot->has_value());
      const HttpResponse& r = **slot;
      RC_ASSERT(r.status == 200);
      const auto j = parse_body(r);
      RC_ASSERT(j["status"] == "captured");
      RC_ASSERT(j["amount"] == c.amount);
      RC_ASSERT(j["amount_captured"] == amount.value_or(c.amount));
      sut.first[key] = r;
    }
    check_invariants(nextState(m), sut);
  }

  void show(std::ostream& os) const override {
    os << "Capture(" << key << ", charge " << charge_key << ", ";
    if (amount) {
      os << *amount;
    } else {
      os << "full";
    }
    os << ", " << to_string(delivery) << ")";
  }
};

// A capture the engine must refuse, storing nothing.
struct CaptureRefused final : Cmd {
  std::string key;
  std::string charge_key;

  explicit CaptureRefused(const Model& m) : key("k" + std::to_string(m.next)) {
    const auto eligible = m.charge_keys_where(&not_capturable);
    RC_PRE(!eligible.empty());
    charge_key = *rc::gen::elementOf(eligible);
  }

  void checkPreconditions(const Model& m) const override {
    RC_PRE(m.keys.count(key) == 0u);
    auto it = m.charges.find(charge_key);
    RC_PRE(it != m.charges.end());
    RC_PRE(not_capturable(it->second));
  }

  void apply(Model& m) const override { ++m.next; }

  void run(const Model& m, Sut& sut) const override {
    auto r = sut.h.post("/v1/charges/" + sut.charge_id(charge_key) + "/capture", key, "{}");
    RC_ASSERT(r.has_value());
    RC_ASSERT(r->status == 409);
    RC_ASSERT(error_code(*r) == std::string("charge_not_capturable"));
    RC_ASSERT(query_int(sut.h.db(),
                        "SELECT COUNT(*) FROM idempotency_keys WHERE key = '" + key + "'") == 0);
    check_invariants(m, sut);
  }

  void show(std::ostream& os) const override {
    os << "CaptureRefused(" << key << ", charge " << charge_key << ")";
  }
};

bool refundable_charge(const ChargeModel& c) {
  return c.status == "captured" && c.refundable() > 0;
}

// A void of an authorized charge, or a refund of a captured one; the PSP acts under the
// command's delivery (the reply arrives, is lost, the request is lost, or never returns).
struct Settle final : Cmd {
  std::string key;
  std::string charge_key;
  bool refund = false;
  std::optional<int64_t> amount;  // refunds: empty is "the rest"
  Delivery delivery = Delivery::kNormal;

  explicit Settle(const Model& m) : key("k" + std::to_string(m.next)) {
    refund = *rc::gen::arbitrary<bool>();
    const auto eligible = m.charge_keys_where(refund ? &refundable_charge : &capturable);
    RC_PRE(!eligible.empty());
    charge_key = *rc::gen::elementOf(eligible);
    if (refund && *rc::gen::arbitrary<bool>()) {
      amount = *rc::gen::inRange<int64_t>(1, m.charges.at(charge_key).refundable() + 1);
    }
    delivery = *delivery_gen();
  }

  std::string action() const { return refund ? "refund" : "void"; }
  std::string body() const {
    return amount ? nlohmann::json{{"amount", *amount}}.dump() : std::string("{}");
  }

  void checkPreconditions(const Model& m) const override {
    RC_PRE(m.keys.count(key) == 0u);
    auto it = m.charges.find(charge_key);
    RC_PRE(it != m.charges.end());
    const bool eligible = refund ? refundable_charge(it->second) : capturable(it->second);
    RC_PRE(eligible);
    RC_PRE(!amount || *amount <= it->second.refundable());
  }

  void apply(Model& m) const override {
    ChargeModel& c = m.charges.at(charge_key);
    const int64_t settled = refund ? amount.value_or(c.refundable()) : c.amount;
    KeyModel k{true, charge_key, body(), KeyState::kDone, 200, settled, action()};
    if (delivery != Delivery::kNormal) {
      k.state = delivery == Delivery::kHang ? KeyState::kWaiting : KeyState::kUnknown;
      k.status = 0;
      if (refund) {
        c.refunds_unresolved += settled;
      } else {
        c.capture_unresolved = true;
      }
    } else if (refund) {
      c.refunded += settled;
      if (c.refunded == c.captured) c.status = "refunded";
    } else {
      c.status = "voided";
    }
    m.keys[key] = k;
    ++m.next;
  }

  void run(const Model& m, Sut& sut) const override {
    const PspOp op = refund ? PspOp::kRefund : PspOp::kVoid;
    sut.h.psp.script_op(op,
                        fates_for(delivery, static_cast<size_t>(sut.h.config().psp_attempts_max)));
    auto slot =
        sut.h.post_async("/v1/charges/" + sut.charge_id(charge_key) + "/" + action(), key, body());
    if (delivery == Delivery::kHang) {
      RC_ASSERT(!slot->has_value());
      sut.hung.push_back(slot);
    } else if (delivery != Delivery::kNormal) {
      RC_ASSERT(slot->has_value());
      RC_ASSERT((*slot)->status == 503);
      RC_ASSERT(error_code(**slot) == std::string("psp_outcome_unknown"));
    } else {
      RC_ASSERT(slot->has_value());
      RC_ASSERT((*slot)->status == 200);
      const auto j = parse_body(**slot);
      // A copy: nextState returns a temporary, so a reference into it would dangle.
      const ChargeModel after = nextState(m).charges.at(charge_key);
      RC_ASSERT(j["status"] == after.status);
      RC_ASSERT(j["amount_refunded"] == after.refunded);
      sut.first[key] = **slot;
    }
    check_invariants(nextState(m), sut);
  }

  void show(std::ostream& os) const override {
    os << (refund ? "Refund(" : "Void(") << key << ", charge " << charge_key;
    if (refund) os << ", " << (amount ? std::to_string(*amount) : std::string("rest"));
    os << ", " << to_string(delivery) << ")";
  }
};

// A refund of more than is left, or a void or refund the charge's status does not allow:
// refused with its code, nothing stored.
struct SettleRefused final : Cmd {
  std::string key;
  std::string charge_key;
  bool refund = false;

  explicit SettleRefused(const Model& m) : key("k" + std::to_string(m.next)) {
    RC_PRE(!m.charges.empty());
    std::vector<std::string> all;
    for (const auto& [k, c] : m.charges) all.push_back(k);
    charge_key = *rc::gen::elementOf(all);
    refund = *rc::gen::arbitrary<bool>();
    const ChargeModel& c = m.charges.at(charge_key);
    const bool eligible = (refund || !capturable(c)) && !authorization_unresolved(c);
    RC_PRE(eligible);
  }

  void checkPreconditions(const Model& m) const override {
    RC_PRE(m.keys.count(key) == 0u);
    auto it = m.charges.find(charge_key);
    RC_PRE(it != m.charges.end());
    const bool eligible =
        (refund || !capturable(it->second)) && !authorization_unresolved(it->second);
    RC_PRE(eligible);
  }

  void apply(Model& m) const override { ++m.next; }

  void run(const Model& m, Sut& sut) const override {
    const ChargeModel& c = m.charges.at(charge_key);
    // One unit more than is left (on a charge with nothing left, that is 1).
    const int64_t over = std::max<int64_t>(c.refundable(), 0) + 1;
    const std::string body = refund ? nlohmann::json{{"amount", over}}.dump() : std::string("{}");
    auto r = sut.h.post("/v1/charges/" + sut.charge_id(charge_key) + (refund ? "/refund" : "/void"),
                        key, body);
    RC_ASSERT(r.has_value());
    std::string expected;
    if (!refund) {
      expected = "charge_not_voidable";
    } else if (c.status != "captured") {
      expected = "charge_not_refundable";
    } else {
      expected = "amount_exceeds_refundable";
    }
    RC_ASSERT(r->status == (expected == "amount_exceeds_refundable" ? 400 : 409));
    RC_ASSERT(error_code(*r) == expected);
    RC_ASSERT(query_int(sut.h.db(),
                        "SELECT COUNT(*) FROM idempotency_keys WHERE key = '" + key + "'") == 0);
    check_invariants(m, sut);
  }

  void show(std::ostream& os) const override {
    os << (refund ? "RefundRefused(" : "VoidRefused(") << key << ", charge " << charge_key << ")";
  }
};

// A capture or void on a charge whose authorization ended unknown (no client waits on it):
// the engine first asks the PSP by key what became of the authorization, then acts on the
// resolved charge, as a capture or void on a resolved charge would.
struct UnresolvedChargeSettles final : Cmd {
  std::string key;
  std::string charge_key;
  bool void_it = false;

  explicit UnresolvedChargeSettles(const Model& m) : key("k" + std::to_string(m.next)) {
    const auto eligible = m.charge_keys_where(
        [](const ChargeModel& c) { return c.status == std::string("unknown"); });
    RC_PRE(!eligible.empty());
    charge_key = *rc::gen::elementOf(eligible);
    void_it = *rc::gen::arbitrary<bool>();
  }

  void checkPreconditions(const Model& m) const override {
    RC_PRE(m.keys.count(key) == 0u);
    auto it = m.charges.find(charge_key);
    RC_PRE(it != m.charges.end());
    RC_PRE(it->second.status == "unknown");
  }

  // The charge as the lookup leaves it.
  static ChargeModel resolved(const Model& m, const std::string& charge_key) {
    Model copy = m;
    copy.resolve_key(copy.keys.at(charge_key));
    return copy.charges.at(charge_key);
  }

  void apply(Model& m) const override {
    m.resolve_key(m.keys.at(charge_key));
    ChargeModel& c = m.charges.at(charge_key);
    if (capturable(c)) {
      c.status = void_it ? "voided" : "captured";
      if (!void_it) c.captured = c.amount;
      m.keys[key] = KeyModel{true,
                             charge_key,
                             "{}",
                             KeyState::kDone,
                             200,
                             void_it ? 0 : c.amount,
                             void_it ? "void" : "capture"};
    }
    ++m.next;
  }

  void run(const Model& m, Sut& sut) const override {
    const ChargeModel after_lookup = resolved(m, charge_key);
    const size_t calls_before = sut.h.psp.call_count();
    auto r = sut.h.post(
        "/v1/charges/" + sut.charge_id(charge_key) + (void_it ? "/void" : "/capture"), key, "{}");
    RC_ASSERT(r.has_value());
    RC_ASSERT(sut.h.psp.call_count() > calls_before);
    RC_ASSERT(sut.h.psp.request(calls_before).op == PspOp::kLookup);
    if (capturable(after_lookup)) {
      RC_ASSERT(r->status == 200);
      RC_ASSERT(parse_body(*r)["status"] == (void_it ? "voided" : "captured"));
      sut.first[key] = *r;
    } else {
      RC_ASSERT(r->status == 409);
      RC_ASSERT(error_code(*r) ==
                std::string(void_it ? "charge_not_voidable" : "charge_not_capturable"));
    }
    check_invariants(nextState(m), sut);
  }

  void show(std::ostream& os) const override {
    os << "UnresolvedChargeSettles(" << key << ", " << (void_it ? "void" : "capture") << " charge "
       << charge_key << ")";
  }
};

struct RunRecovery final : Cmd {
  void apply(Model& m) const override { m.resolve(/*include_waiting=*/false); }
  void run(const Model& m, Sut& sut) const override {
    sut.h.recover();
    check_invariants(nextState(m), sut);
  }
  void show(std::ostream& os) const override { os << "RunRecovery"; }
};

struct Restart final : Cmd {
  void apply(Model& m) const override { m.resolve(/*include_waiting=*/true); }
  void run(const Model& m, Sut& sut) const override {
    sut.h.restart();
    sut.h.recover();
    check_invariants(nextState(m), sut);
  }
  void show(std::ostream& os) const override { os << "Restart"; }
};

// ---------------------------------------------------------------------------------------
// Invariants

void check_invariants(const Model& m, Sut& sut) {
  engine::Db& db = sut.h.db();

  // The ledger balances per transaction and per currency.
  const auto imbalances = ledger_imbalances(db);
  if (!imbalances.empty()) RC_FAIL("ledger imbalance: " + imbalances.front());

  // No charge has more than one successful authorize operation.
  RC_ASSERT(query_int(db,
                      "SELECT COUNT(*) FROM (SELECT charge_id FROM operations "
                      "WHERE kind = 'authorize' AND status = 'succeeded' "
                      "GROUP BY charge_id HAVING COUNT(*) > 1)") == 0);
  // No charge is authorized more than once at the PSP (a double charge).
  for (const auto& [token, n] : sut.h.psp.successful_authorizations_by_token()) {
    if (n > 1) RC_FAIL("the PSP authorized " + token + " " + std::to_string(n) + " times");
  }
  // The engine never sends the PSP what its own records rule out (a capture of an
  // authorization that is not held, a refund beyond the capture, a key reused otherwise).
  if (!sut.h.psp.inadmissible().empty()) {
    const auto& first = sut.h.psp.inadmissible().front();
    RC_FAIL("inadmissible PSP request under key " + first.idempotency_key + ": " + first.detail);
  }

  // Completed keys: the stored response never changes once completed; the set of
  // completed keys is the model's.
  std::map<std::string, std::pair<int, std::string>> stored;
  for (const auto& row : query_rows(db,
                                    "SELECT key, response_status, response_body "
                                    "FROM idempotency_keys WHERE state = 'done'")) {
    stored[row[0]] = {std::stoi(row[1]), row[2]};
  }
  size_t done = 0;
  for (const auto& [key, k] : m.keys) {
    auto it = stored.find(key);
    if (k.state != KeyState::kDone) {
      RC_ASSERT(it == stored.end());
      continue;
    }
    ++done;
    RC_ASSERT(it != stored.end());
    RC_ASSERT(it->second.first == k.status);
    auto first = sut.first.find(key);
    if (first == sut.first.end()) {
      sut.first[key] = HttpResponse{it->second.first, it->second.second};
    } else {
      RC_ASSERT(it->second.first == first->second.status);
      RC_ASSERT(it->second.second == first->second.body);
    }
  }
  RC_ASSERT(stored.size() == done);

  // Charges are where the model says, and the operations not yet resolved are the model's.
  const auto rows = query_rows(db,
                               "SELECT o.idem_key, c.status, c.captured_minor, c.amount_minor, "
                               "c.refunded_minor "
                               "FROM operations o JOIN charges c ON c.id = o.charge_id "
                               "WHERE o.kind = 'authorize'");
  RC_ASSERT(rows.size() == m.charges.size());
  for (const auto& row : rows) {
    auto it = m.charges.find(row[0]);
    RC_ASSERT(it != m.charges.end());
    const ChargeModel& c = it->second;
    if (row[1] != c.status) {
      RC_FAIL("charge " + row[0] + " is " + row[1] + ", the model says " + c.status);
    }
    RC_ASSERT(std::stoll(row[2]) == c.captured);
    RC_ASSERT(std::stoll(row[3]) == c.amount);
    RC_ASSERT(std::stoll(row[4]) == c.refunded);
  }
  size_t open_keys = 0;
  for (const auto& [key, k] : m.keys) open_keys += k.state != KeyState::kDone ? 1 : 0;
  RC_ASSERT(sut.h.engine().unresolved_operation_count() == open_keys);

  // Requests whose process died are never answered.
  for (const auto& slot : sut.hung) RC_ASSERT(!slot->has_value());
}

TEST(EngineModel, EngineBehavesLikeTheModelUnderRetriesRecoveryAndRestarts) {
  check_property([] {
    Sut sut;
    rc::state::check(
        Model{}, sut,
        rc::state::gen::execOneOfWithArgs<CreateCharge, CreateCharge, RetrySameKey,
                                          ReuseKeyDifferentBody, Capture, CaptureRefused, Settle,
                                          Settle, SettleRefused, UnresolvedChargeSettles,
                                          RunRecovery, Restart>());
  });
}

}  // namespace
}  // namespace reckon::test

// Authorization expiry: past EngineConfig::authorization_expiry_us a capture is refused and
// the recovery job voids the authorization at the PSP, once, surviving crashes.

#include <gtest/gtest.h>

#include <string>

#include "tests/support/engine_fixture.h"

namespace reckon::test {
namespace {

using engine::EngineConfig;
using engine::PspOp;

constexpr int64_t kExpiryUs = 10'000'000;  // 10 s, so tests need not advance a week

struct ExpiryHarness : EngineHarness {
  ExpiryHarness() : EngineHarness(config()) { psp.use_model(); }
  static EngineConfig config() {
    EngineConfig c;
    c.authorization_expiry_us = kExpiryUs;
    return c;
  }
  std::string authorize(const std::string& key, const std::string& token) {
    auto r = post("/v1/charges", key, charge_body(2500, "KWD", token));
    EXPECT_TRUE(r.has_value());
    if (!r) return "";
    EXPECT_EQ(r->status, 201) << r->body;
    return parse_body(*r).value("id", "");
  }
  std::string status_of(const std::string& id) {
    auto rows = query_rows(db(), "SELECT status FROM charges WHERE id = '" + id + "'");
    return rows.size() == 1 ? rows[0][0] : "<missing>";
  }
};

TEST(AuthorizationExpiry, TheDefaultIsSevenDays) {
  EXPECT_EQ(EngineConfig{}.authorization_expiry_us, 7LL * 24 * 3600 * 1'000'000);
}

TEST(AuthorizationExpiry, BeforeExpiryNothingHappensAndACaptureWorks) {
  ExpiryHarness h;
  const std::string id = h.authorize("key-1", "tok_a");
  h.clock.advance(kExpiryUs - 1);
  h.recover();
  EXPECT_EQ(h.status_of(id), "authorized");
  EXPECT_TRUE(h.psp.requests_of(PspOp::kVoid).empty());
  auto r = h.post("/v1/charges/" + id + "/capture", "cap-1", "{}");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, 200) << r->body;
}

TEST(AuthorizationExpiry, AnExpiredAuthorizationCannotBeCapturedAndRecoveryVoidsItOnce) {
  ExpiryHarness h;
  const std::string id = h.authorize("key-1", "tok_a");
  const std::string fresh = [&] {
    h.clock.advance(kExpiryUs / 2);
    return h.authorize("key-2", "tok_b");
  }();
  h.clock.advance(kExpiryUs / 2);

  auto refused = h.post("/v1/charges/" + id + "/capture", "cap-1", "{}");
  ASSERT_TRUE(refused.has_value());
  EXPECT_EQ(refused->status, 409);
  EXPECT_EQ(error_code(*refused), "authorization_expired");
  EXPECT_EQ(query_int(h.db(), "SELECT COUNT(*) FROM idempotency_keys WHERE key = 'cap-1'"), 0)
      << "a refusal stores nothing";

  h.recover();
  EXPECT_EQ(h.status_of(id), "voided");
  EXPECT_EQ(h.status_of(fresh), "authorized") << "not yet expired";
  const auto voids = h.psp.requests_of(PspOp::kVoid);
  ASSERT_EQ(voids.size(), 1u);
  EXPECT_EQ(h.psp.state_of(voids[0].psp_charge_id), engine::PspChargeState::kVoided);
  // The hold is released: customer_hold and merchant_pending are back to zero for it.
  EXPECT_EQ(query_int(h.db(),
                      "SELECT COALESCE(SUM(e.amount_minor), 0) FROM ledger_entries e JOIN "
                      "ledger_transactions t ON t.id = e.txn_id WHERE t.charge_id = '" +
                          id + "' AND e.account = 'customer_hold'"),
            0);
  EXPECT_TRUE(ledger_imbalances(h.db()).empty());

  h.recover();  // a second pass finds nothing more to do
  EXPECT_EQ(h.psp.requests_of(PspOp::kVoid).size(), 1u);
  auto again = h.post("/v1/charges/" + id + "/capture", "cap-2", "{}");
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(error_code(*again), "charge_not_capturable");
}

// The process dies after the expiry void was recorded but before the PSP answered: the
// next recovery pass resolves the same void by its key instead of starting another.
TEST(AuthorizationExpiry, AnExpiryVoidInterruptedByACrashIsResolvedByItsKey) {
  ExpiryHarness h;
  const std::string id = h.authorize("key-1", "tok_a");
  h.clock.advance(kExpiryUs);
  h.psp.script_op(PspOp::kVoid, {Fate::kHold});
  h.engine().run_recovery();
  ASSERT_EQ(h.psp.requests_of(PspOp::kVoid).size(), 1u);
  const std::string key = h.psp.requests_of(PspOp::kVoid)[0].idempotency_key;
  EXPECT_EQ(h.status_of(id), "authorized");

  h.restart();
  h.recover();
  EXPECT_EQ(h.status_of(id), "voided");
  EXPECT_EQ(query_int(h.db(), "SELECT COUNT(*) FROM operations WHERE kind = 'void'"), 1);
  for (const auto& lookup : h.psp.requests_of(PspOp::kLookup)) {
    EXPECT_EQ(lookup.idempotency_key, key) << "recovery asks about the same void";
  }
  EXPECT_TRUE(ledger_imbalances(h.db()).empty());
}

// A PSP that refuses the void (it already let the authorization lapse on its side, say)
// leaves the charge authorized and refused for capture; the engine does not loop.
TEST(AuthorizationExpiry, AVoidThePspRefusesIsNotRetriedForever) {
  ExpiryHarness h;
  const std::string id = h.authorize("key-1", "tok_a");
  h.clock.advance(kExpiryUs);
  h.psp.policy = [](const engine::PspRequest& req) -> std::optional<engine::PspReply> {
    if (req.op != PspOp::kVoid) return std::nullopt;
    engine::PspReply failed;
    failed.outcome = engine::PspOutcome::kFailed;
    return failed;
  };
  h.recover();
  h.recover();
  EXPECT_EQ(h.psp.requests_of(PspOp::kVoid).size(), 1u);
  EXPECT_EQ(h.status_of(id), "authorized");
  auto r = h.post("/v1/charges/" + id + "/capture", "cap-1", "{}");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(error_code(*r), "authorization_expired");
}

}  // namespace
}  // namespace reckon::test

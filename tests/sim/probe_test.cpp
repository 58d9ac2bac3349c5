// The careless merchant's catalogue and the charge-shape rule it judges reads by.
#include <gtest/gtest.h>

#include <set>

#include "oracle/charge_rules.h"
#include "sim/probe_catalogue.h"

namespace reckon::sim {
namespace {

ProbeContext full_context() {
  ProbeContext c;
  c.key = "probe-0-k1";
  c.token = "tok_probe_1";
  c.currency = "USD";
  c.own_api_key = "sk_test_reckon_merchant_1";
  c.other_api_key = "sk_test_reckon_merchant_2";
  c.authorized_charge = "ch_probe";
  return c;
}

TEST(ProbeCatalogue, EveryProbeNamesOneDocumentedRefusal) {
  std::set<std::string> names;
  ASSERT_GT(probe_count(), 30);
  for (int i = 0; i < probe_count(); ++i) {
    const auto probe = make_probe(i, full_context());
    ASSERT_TRUE(probe.has_value()) << i;
    EXPECT_TRUE(names.insert(probe->name).second) << probe->name << " twice";
    EXPECT_GE(probe->status, 400) << probe->name;
    EXPECT_LT(probe->status, 500) << probe->name;
    EXPECT_FALSE(probe->code.empty()) << probe->name;
    // Only a create under a well-formed key can leave its key free for the corrected request.
    if (probe->key_reusable) {
      EXPECT_EQ(probe->request.method, "POST") << probe->name;
      EXPECT_EQ(probe->request.target, "/v1/charges") << probe->name;
      ASSERT_NE(probe->request.header("idempotency-key"), nullptr) << probe->name;
      EXPECT_EQ(*probe->request.header("idempotency-key"), "probe-0-k1") << probe->name;
    }
  }
}

TEST(ProbeCatalogue, ProbesOnAChargeWaitForOne) {
  ProbeContext c = full_context();
  c.authorized_charge.clear();
  int without = 0;
  for (int i = 0; i < probe_count(); ++i) {
    const auto probe = make_probe(i, c);
    EXPECT_EQ(!probe, probe_needs_charge(i)) << i;
    if (!probe) continue;
    ++without;
    EXPECT_EQ(probe->request.target.find("ch_probe"), std::string::npos) << probe->name;
  }
  EXPECT_GT(without, 0);
  EXPECT_LT(without, probe_count());
}

// docs/api.md: the notice route is 404 only without a secret; with one, a forged notice is
// the PSP notice forger's business (sim/psp_notice_forgery.h), not the careless merchant's.
TEST(ProbeCatalogue, TheNoticeRouteIsPostedToOnlyWhileNoticesAreOff) {
  ProbeContext c = full_context();
  c.psp_notices_on = true;
  int left_out = 0;
  for (int i = 0; i < probe_count(); ++i) {
    if (make_probe(i, c)) continue;
    ++left_out;
    const auto off = make_probe(i, full_context());
    ASSERT_TRUE(off.has_value());
    EXPECT_EQ(off->request.method, "POST");
    EXPECT_EQ(off->request.target, "/v1/psp/webhooks");
    EXPECT_EQ(off->request.header("authorization"), nullptr) << "the PSP has no API key";
    EXPECT_EQ(off->status, 404);
    EXPECT_EQ(off->code, "route_not_found");
  }
  EXPECT_EQ(left_out, 1);
}

TEST(ProbeCatalogue, TheValidCreateIsWhatTheBrokenOnesDeviateFrom) {
  const auto r = valid_create("sk_test_reckon_merchant_1", "k1", "tok_a", "JPY");
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.target, "/v1/charges");
  EXPECT_EQ(r.body, "{\"amount\":100,\"currency\":\"JPY\",\"source\":\"tok_a\",\"capture\":false}");
}

TEST(ChargeAmounts, StatusesAllowOnlyTheirAmounts) {
  EXPECT_EQ(oracle::charge_amounts_problem("authorized", 500, 0, 0), "");
  EXPECT_EQ(oracle::charge_amounts_problem("captured", 500, 400, 100), "");
  EXPECT_EQ(oracle::charge_amounts_problem("refunded", 500, 400, 400), "");
  EXPECT_EQ(oracle::charge_amounts_problem("voided", 500, 0, 0), "");
  EXPECT_NE(oracle::charge_amounts_problem("authorized", 500, 500, 0), "");
  EXPECT_NE(oracle::charge_amounts_problem("captured", 500, 0, 0), "");
  EXPECT_NE(oracle::charge_amounts_problem("captured", 500, 400, 400), "");
  EXPECT_NE(oracle::charge_amounts_problem("refunded", 500, 400, 399), "");
  EXPECT_NE(oracle::charge_amounts_problem("captured", 500, 501, 0), "");
  EXPECT_NE(oracle::charge_amounts_problem("captured", 500, 400, 401), "");
  EXPECT_NE(oracle::charge_amounts_problem("declined", 0, 0, 0), "");
  EXPECT_NE(oracle::charge_amounts_problem("pending", 500, 0, -1), "");
}

}  // namespace
}  // namespace reckon::sim

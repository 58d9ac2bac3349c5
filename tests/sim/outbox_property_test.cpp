// outbox-delivered fires: on a delivery the outbox does not hold (a phantom), on a delivery
// whose body differs from the committed event, and, after quiescence, on a committed event
// the webhook never acknowledged (answered 2xx), received or not. (A transition without its
// event: the planted defect outbox-outside-transaction, tests/sim/planted_defects_test.cpp.)
#include <gtest/gtest.h>

#include "sim/properties.h"
#include "sim/webhook_node.h"
#include "tests/support/engine_fixture.h"

namespace reckon::test {
namespace {

faults::FaultPlan endpoint_plan(Ratio endpoint_error) {
  faults::FaultPlan plan = faults::quiet_fault_plan();
  plan.clients.webhook_endpoint_error = endpoint_error;
  return plan;
}

struct Checked {
  explicit Checked(Ratio endpoint_error = Ratio::never())
      : faults(1, endpoint_plan(endpoint_error), queue, trace) {
    init();
  }
  EngineHarness harness;
  sim::EventQueue queue;
  sim::Trace trace{false};
  sim::FaultInjector faults;
  sim::WebhookNode webhook{1, queue, trace, faults};
  std::vector<sim::Failure> failures;
  sim::PropertyChecker checker{failures};
  std::string event_id;
  std::string body;

  void init() {
    harness.psp.use_model();
    auto r = harness.post("/v1/charges", "k1", charge_body(1'000, "USD", "tok_a", true));
    EXPECT_TRUE(r && r->status == 201);
    const auto rows = query_rows(harness.db(), "SELECT event_id, body FROM outbox");
    EXPECT_EQ(rows.size(), 1u);
    if (rows.size() == 1) {
      event_id = rows[0][0];
      body = rows[0][1];
    }
  }
  void check() { checker.check_outbox(harness.engine().db().handle(), webhook, queue.now_us()); }
  std::string first_detail() const { return failures.empty() ? "" : failures.front().detail; }
};

TEST(OutboxProperty, TheCommittedEventDeliveredPasses) {
  Checked c;
  c.check();
  const int status = c.webhook.receive({"sim://merchant-webhook", c.event_id, c.body});
  EXPECT_TRUE(status >= 200 && status < 300) << status;
  c.webhook.receive({"sim://merchant-webhook", c.event_id, c.body});  // at least once
  c.check();
  c.checker.check_outbox_delivered(c.harness.engine().db().handle(), c.webhook, 0);
  EXPECT_TRUE(c.failures.empty()) << c.first_detail();
}

TEST(OutboxProperty, APhantomDeliveryFails) {
  Checked c;
  c.webhook.receive({"sim://merchant-webhook", "evt_0000000000000000", "{}"});
  c.check();
  ASSERT_EQ(c.failures.size(), 1u);
  EXPECT_EQ(c.failures[0].property, sim::kOutboxDelivered);
  EXPECT_NE(c.first_detail().find("does not hold"), std::string::npos) << c.first_detail();
}

TEST(OutboxProperty, ADeliveryWithAnotherBodyFails) {
  Checked c;
  c.webhook.receive({"sim://merchant-webhook", c.event_id, c.body + " "});
  c.check();
  ASSERT_EQ(c.failures.size(), 1u);
  EXPECT_NE(c.first_detail().find("but the outbox holds"), std::string::npos) << c.first_detail();
}

TEST(OutboxProperty, AnEventNeverDeliveredFailsAfterQuiescence) {
  Checked c;
  c.check();
  EXPECT_TRUE(c.failures.empty()) << c.first_detail();
  c.checker.check_outbox_delivered(c.harness.engine().db().handle(), c.webhook, 0);
  ASSERT_EQ(c.failures.size(), 1u);
  EXPECT_NE(c.first_detail().find("never acknowledged"), std::string::npos) << c.first_detail();
  EXPECT_NE(c.first_detail().find(c.event_id), std::string::npos) << c.first_detail();
}

// An endpoint that answered every delivery with a redirect or an error took none of them: the
// event arrived, but it was not delivered.
TEST(OutboxProperty, AnEventAnsweredOnlyWithErrorsFailsAfterQuiescence) {
  Checked c(Ratio::always());
  for (int i = 0; i < 3; ++i) {
    const int status = c.webhook.receive({"sim://merchant-webhook", c.event_id, c.body});
    EXPECT_TRUE(status >= 300 && status < 600) << status;
  }
  c.check();
  EXPECT_TRUE(c.failures.empty()) << c.first_detail();  // no phantom: the body is committed
  c.checker.check_outbox_delivered(c.harness.engine().db().handle(), c.webhook, 0);
  ASSERT_EQ(c.failures.size(), 1u);
  EXPECT_NE(c.first_detail().find("arrived but was never answered 2xx"), std::string::npos)
      << c.first_detail();
}

}  // namespace
}  // namespace reckon::test

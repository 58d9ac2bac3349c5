// webhook-send-order on hand-made sends: a charge's events first sent against the order its
// life fixes fail; resends, other charges and the events no rule orders are left alone.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sim/properties.h"
#include "sim/webhook_order_property.h"

namespace reckon::sim {
namespace {

engine::WebhookDelivery event(const std::string& id, const std::string& type,
                              const std::string& charge) {
  return {"sim://merchant-webhook/m1", id,
          R"({"id":")" + id + R"(","object":"event","type":")" + type +
              R"(","created_us":1,"data":{"charge":")" + charge + R"("}})"};
}

struct Checked {
  std::vector<Failure> failures;
  WebhookSendOrder order{failures};
};

TEST(WebhookSendOrder, ALifeSentInOrderHolds) {
  Checked c;
  c.order.sent(event("e1", "payment.authorized", "ch_1"), 100);
  c.order.sent(event("e2", "payment.captured", "ch_1"), 200);
  c.order.sent(event("e3", "payment.refunded", "ch_1"), 300);
  c.order.sent(event("e4", "payment.refunded", "ch_1"), 300);
  c.order.sent(event("e5", "payment.authorized", "ch_2"), 300);
  c.order.sent(event("e6", "payment.voided", "ch_2"), 300);  // same pass, after it
  EXPECT_TRUE(c.failures.empty()) << c.failures.front().detail;
  EXPECT_EQ(c.order.first_sends_judged(), 6u);
}

TEST(WebhookSendOrder, ACaptureSentBeforeItsAuthorizationFails) {
  Checked c;
  c.order.sent(event("e2", "payment.captured", "ch_1"), 200);
  c.order.sent(event("e1", "payment.authorized", "ch_1"), 200);
  ASSERT_EQ(c.failures.size(), 1u);
  EXPECT_EQ(c.failures[0].property, kWebhookSendOrder);
  EXPECT_EQ(c.failures[0].payment, "ch_1");
  EXPECT_NE(c.failures[0].detail.find("e1 (payment.authorized)"), std::string::npos);
  EXPECT_NE(c.failures[0].detail.find("e2 (payment.captured)"), std::string::npos);
}

TEST(WebhookSendOrder, ARefundSentBeforeItsCaptureFails) {
  Checked c;
  c.order.sent(event("e1", "payment.authorized", "ch_1"), 100);
  c.order.sent(event("e3", "payment.refunded", "ch_1"), 200);
  c.order.sent(event("e2", "payment.captured", "ch_1"), 300);
  ASSERT_EQ(c.failures.size(), 1u);
  EXPECT_NE(c.failures[0].detail.find("e2 (payment.captured)"), std::string::npos);
}

// docs/api.md: "a retried event may arrive after a later one".
TEST(WebhookSendOrder, AResendAfterALaterEventIsNotJudged) {
  Checked c;
  c.order.sent(event("e1", "payment.authorized", "ch_1"), 100);
  c.order.sent(event("e2", "payment.captured", "ch_1"), 200);
  c.order.sent(event("e1", "payment.authorized", "ch_1"), 300);
  EXPECT_TRUE(c.failures.empty());
  EXPECT_EQ(c.order.first_sends_judged(), 2u);
}

TEST(WebhookSendOrder, EventsOfOtherChargesAndUnorderedTypesAreLeftAlone) {
  Checked c;
  c.order.sent(event("e1", "payment.captured", "ch_1"), 100);
  c.order.sent(event("e2", "payment.authorized", "ch_2"), 200);
  c.order.sent(event("e3", "payment.failed", "ch_3"), 300);
  c.order.sent({"x", "e4", "not json"}, 400);
  EXPECT_TRUE(c.failures.empty());
  EXPECT_EQ(c.order.first_sends_judged(), 2u);
}

}  // namespace
}  // namespace reckon::sim

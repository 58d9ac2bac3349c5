// The transactional outbox and its dispatcher, through PaymentEngine::handle: one event per
// state change, written in the transaction that commits the change (a rollback loses both,
// a commit keeps both); the table refuses edits of an event; the dispatcher retries until
// a 2xx and keeps the event id across redeliveries and restarts.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine/outbox.h"
#include "engine/planted.h"
#include "tests/support/engine_fixture.h"

namespace reckon::test {
namespace {

using engine::Defect;
using engine::EngineConfig;
using engine::WebhookDelivery;
using engine::WebhookReply;

// A scriptable webhook endpoint: answers each delivery with the next scripted status
// (then 200) after `latency_us`; status 0 is a timeout.
class FakeWebhooks final : public engine::WebhookTransport {
 public:
  explicit FakeWebhooks(FakeClock* clock) : clock_(clock) {}
  void deliver(const WebhookDelivery& delivery,
               std::function<void(const WebhookReply&)> done) override {
    received.push_back(delivery);
    int status = 200;
    if (!script.empty()) {
      status = script.front();
      script.erase(script.begin());
    }
    const uint64_t generation = generation_;
    clock_->after(latency_us, [this, generation, status, done = std::move(done)] {
      if (generation == generation_) done(WebhookReply{status, ""});
    });
  }
  // A restart: answers to the dead engine are never delivered.
  void drop_pending() { ++generation_; }

  std::vector<WebhookDelivery> received;
  std::vector<int> script;
  int64_t latency_us = 1'000;

 private:
  FakeClock* clock_;
  uint64_t generation_ = 0;
};

// Throws at one named crash point, as the simulator does.
struct ThrowingCrashPoints final : engine::CrashPoints {
  std::string armed;
  void reached(std::string_view point) override {
    if (point == armed) {
      armed.clear();
      throw std::runtime_error("crash at " + std::string(point));
    }
  }
};

EngineConfig outbox_config(bool planted_apart = false) {
  EngineConfig config;
  config.webhook_endpoints[std::string(engine::kTestMerchant1)] = "http://merchant.test/hooks";
  if (planted_apart) config.planted.plant(Defect::kOutboxOutsideTransaction);
  return config;
}

// A PaymentEngine with the webhooks and crash-point ports wired (EngineHarness leaves
// them out), on a model PSP.
class OutboxHarness {
 public:
  explicit OutboxHarness(EngineConfig config = outbox_config()) : config_(std::move(config)) {
    psp.use_model();
    open();
  }
  engine::PaymentEngine& engine() { return *engine_; }
  engine::Db& db() { return engine_->db(); }

  void restart() {
    engine_.reset();
    clock.clear();
    psp.drop_pending();
    webhooks.drop_pending();
    open();
  }
  // Creates a charge and runs until it is answered.
  std::optional<HttpResponse> charge(const std::string& key, bool capture) {
    HttpRequest req = EngineHarness::post_request("/v1/charges", key,
                                                  charge_body(1'000, "USD", "tok_visa", capture));
    req.headers["authorization"] = "Bearer " + std::string(engine::kTestApiKey1);
    std::optional<HttpResponse> out;
    engine_->handle(req, [&out](const HttpResponse& r) { out = r; });
    for (int i = 0; i < 1'000 && !out && clock.run_next(); ++i) {
    }
    return out;
  }
  int64_t count(const std::string& sql) { return query_int(db(), sql); }

  FakeClock clock;
  FakeRandom random;
  FakePsp psp{&clock};
  FakeWebhooks webhooks{&clock};
  ThrowingCrashPoints crash_points;

 private:
  void open() {
    engine::EnginePorts ports;
    ports.clock = &clock;
    ports.random = &random;
    ports.psp = &psp;
    ports.crash_points = &crash_points;
    ports.webhooks = &webhooks;
    ports.storage = engine::StorageConfig{path_.path(), ""};
    engine::Status status;
    engine_ = engine::PaymentEngine::open(ports, config_, status);
    if (!engine_) throw std::runtime_error("cannot open engine: " + status.message);
  }
  EngineConfig config_;
  TempDbPath path_;
  std::unique_ptr<engine::PaymentEngine> engine_;
};

TEST(Outbox, EachStateChangeWritesOneEventWithItsBody) {
  OutboxHarness h;
  auto r = h.charge("k1", /*capture=*/true);
  ASSERT_TRUE(r.has_value());
  ASSERT_EQ(r->status, 201) << r->body;
  const std::string charge_id = parse_body(*r)["id"];
  auto rows = query_rows(h.db(), "SELECT event_id, type, charge_id, body FROM outbox");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0][1], "payment.captured");
  EXPECT_EQ(rows[0][2], charge_id);
  const auto body = nlohmann::json::parse(rows[0][3]);
  EXPECT_EQ(body["id"], rows[0][0]);
  EXPECT_EQ(body["type"], "payment.captured");
  EXPECT_EQ(body["data"]["charge"], charge_id);
  EXPECT_EQ(body["data"]["amount"], 1'000);
  EXPECT_EQ(body["data"]["currency"], "USD");
  EXPECT_EQ(body["data"]["status"], "captured");
  EXPECT_EQ(rows[0][3].find("tok_"), std::string::npos) << "no card token in an event";
  // A declined authorization is a transition too: payment.failed.
  h.psp.decline_token("tok_declined");
  HttpRequest req = EngineHarness::post_request("/v1/charges", "k2",
                                                charge_body(500, "USD", "tok_declined", true));
  req.headers["authorization"] = "Bearer " + std::string(engine::kTestApiKey1);
  h.engine().handle(req, [](const HttpResponse&) {});
  h.clock.advance(10'000);
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM outbox WHERE type = 'payment.failed'"), 1);
}

// A failing statement inside the outcome's transaction rolls it back: neither the status
// change nor its event remains. (A trigger makes the stored-response write fail; it runs
// after the event's insert, in the same transaction.)
TEST(Outbox, ARolledBackOutcomeLosesBothTheChangeAndTheEvent) {
  OutboxHarness h;
  ASSERT_EQ(h.db()
                .exec("CREATE TEMP TRIGGER fail_completion BEFORE UPDATE ON idempotency_keys "
                      "BEGIN SELECT RAISE(ABORT, 'injected'); END;")
                .ok,
            true);
  auto r = h.charge("k1", true);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, 503) << r->body;
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM outbox"), 0);
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM charges WHERE status = 'pending'"), 1);
  // With the trigger gone, recovery books the outcome, and the event with it.
  ASSERT_TRUE(h.db().exec("DROP TRIGGER fail_completion;").ok);
  h.engine().run_recovery();
  h.clock.advance(10'000);
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM charges WHERE status = 'captured'"), 1);
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM outbox WHERE type = 'payment.captured'"), 1);
}

// A crash right after the outcome's commit keeps both; with the planted defect, which
// writes the event in a second transaction, the same crash loses the event.
TEST(Outbox, ACrashAfterTheCommitKeepsTheEventUnlessItWasWrittenApart) {
  for (const bool apart : {false, true}) {
    OutboxHarness h(outbox_config(apart));
    h.crash_points.armed = "after_outcome_commit";
    EXPECT_THROW(h.charge("k1", true), std::runtime_error);
    h.restart();
    EXPECT_EQ(h.count("SELECT COUNT(*) FROM charges WHERE status = 'captured'"), 1);
    EXPECT_EQ(h.count("SELECT COUNT(*) FROM outbox"), apart ? 0 : 1) << "apart=" << apart;
  }
}

TEST(Outbox, TheTableRefusesEditsOfAnEventButNotItsDeliveryState) {
  OutboxHarness h;
  ASSERT_EQ(h.charge("k1", true)->status, 201);
  auto edit = h.db().exec("UPDATE outbox SET body = '{}'");
  EXPECT_FALSE(edit.ok);
  EXPECT_NE(edit.message.find("append-only"), std::string::npos) << edit.message;
  EXPECT_FALSE(h.db().exec("UPDATE outbox SET type = 'payment.voided'").ok);
  EXPECT_FALSE(h.db().exec("DELETE FROM outbox").ok);
  EXPECT_TRUE(h.db().exec("UPDATE outbox SET attempts = 7, delivered_us = 5").ok);
  EXPECT_FALSE(h.db().exec("UPDATE outbox SET delivered_us = NULL").ok)
      << "a delivered event stays delivered";
}

TEST(Outbox, TheDispatcherRetriesUntilA2xxWithTheSameEventId) {
  OutboxHarness h;
  h.webhooks.script = {0, 503, 500};  // a timeout, then two server errors, then 200
  ASSERT_EQ(h.charge("k1", true)->status, 201);
  h.engine().start_outbox_dispatcher();
  h.clock.advance(30'000'000);
  ASSERT_EQ(h.webhooks.received.size(), 4u);
  for (const auto& d : h.webhooks.received) {
    EXPECT_EQ(d.event_id, h.webhooks.received.front().event_id);
    EXPECT_EQ(d.endpoint, "http://merchant.test/hooks");
    EXPECT_EQ(d.body, h.webhooks.received.front().body);
  }
  EXPECT_EQ(h.count("SELECT attempts FROM outbox"), 4);
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM outbox WHERE delivered_us IS NOT NULL"), 1);
  EXPECT_EQ(h.engine().undelivered_event_count(), 0);
}

TEST(Outbox, UntilA2xxTheEventStaysUndelivered) {
  OutboxHarness h;
  h.webhooks.script = std::vector<int>(1'000, 503);
  ASSERT_EQ(h.charge("k1", true)->status, 201);
  h.engine().start_outbox_dispatcher();
  h.clock.advance(60'000'000);
  EXPECT_GT(h.webhooks.received.size(), 3u);
  EXPECT_EQ(h.engine().undelivered_event_count(), 1);
  // Backoff: far fewer attempts than dispatcher passes (one per 100 ms: 600).
  EXPECT_LT(h.webhooks.received.size(), 20u);
}

// The merchant acknowledged, the engine crashed before recording it: after restart the
// event is sent again under the same id (at least once; the merchant deduplicates).
TEST(Outbox, ACrashBeforeTheDeliveryIsRecordedRedeliversTheSameEvent) {
  OutboxHarness h;
  ASSERT_EQ(h.charge("k1", true)->status, 201);
  h.crash_points.armed = "during_outbox_delivery";
  h.engine().start_outbox_dispatcher();
  EXPECT_THROW(h.clock.advance(10'000), std::runtime_error);
  ASSERT_EQ(h.webhooks.received.size(), 1u);
  h.restart();
  EXPECT_EQ(h.engine().undelivered_event_count(), 1);
  h.engine().start_outbox_dispatcher();
  h.clock.advance(10'000);
  ASSERT_EQ(h.webhooks.received.size(), 2u);
  EXPECT_EQ(h.webhooks.received[1].event_id, h.webhooks.received[0].event_id);
  EXPECT_EQ(h.webhooks.received[1].body, h.webhooks.received[0].body);
  EXPECT_EQ(h.engine().undelivered_event_count(), 0);
}

TEST(Outbox, EventIdsDependOnTheOperationAlone) {
  EXPECT_EQ(engine::outbox_event_id("op_1"), engine::outbox_event_id("op_1"));
  EXPECT_NE(engine::outbox_event_id("op_1"), engine::outbox_event_id("op_2"));
  EXPECT_EQ(engine::outbox_event_id("op_1").rfind("evt_", 0), 0u);
}

TEST(Outbox, MerchantsWithoutAnEndpointKeepTheirEvents) {
  OutboxHarness h(EngineConfig{});  // no endpoints
  ASSERT_EQ(h.charge("k1", true)->status, 201);
  h.engine().start_outbox_dispatcher();
  h.clock.advance(1'000'000);
  EXPECT_TRUE(h.webhooks.received.empty());
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM outbox WHERE delivered_us IS NULL"), 1);
}

}  // namespace
}  // namespace reckon::test

// The outbox in simulation: deliveries cross the faulty network (their losses and
// duplicates are recorded decisions), and a crash between the merchant's 2xx and its
// record resends the event under the same id; every committed event still arrives.
#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <string>

#include "sim/world.h"

namespace reckon::sim {
namespace {

int count_containing(const std::vector<std::string>& lines, const std::string& text) {
  int n = 0;
  for (const auto& line : lines) n += line.find(text) != std::string::npos;
  return n;
}

TEST(OutboxSim, DeliveriesCrossTheFaultyNetworkAndAllArrive) {
  int faults_on_deliveries = 0;
  int redeliveries = 0;
  for (uint64_t seed = 1; seed <= 5; ++seed) {
    RunConfig config;
    config.seed = seed;
    config.keep_trace = true;
    config.faults.network.request_loss = {20, 100};
    config.faults.network.response_loss = {20, 100};
    config.faults.network.duplicate = {10, 100};
    const RunResult r = run_simulation(config);
    for (const auto& f : r.failures) ADD_FAILURE() << "seed " << seed << ": " << f.detail;
    EXPECT_GT(count_containing(r.trace, "merchant-webhook event id=evt_"), 0) << seed;
    // Messages to the webhook, by id; then the fault decisions taken on them.
    std::set<std::string> to_webhook;
    const std::regex send(R"( send (msg\d+) to=merchant-webhook )");
    const std::regex fault(R"( fault n=\d+ kind=\w+ on=(msg\d+) )");
    std::smatch m;
    for (const auto& line : r.trace) {
      if (std::regex_search(line, m, send)) to_webhook.insert(m[1]);
      if (std::regex_search(line, m, fault) && to_webhook.count(m[1])) ++faults_on_deliveries;
    }
    redeliveries += count_containing(r.trace, "again=1");
  }
  EXPECT_GT(faults_on_deliveries, 0);
  EXPECT_GT(redeliveries, 0);  // at least once, not exactly once
}

TEST(OutboxSim, ACrashDuringOutboxDeliveryResendsTheSameEvent) {
  RunConfig config;
  config.seed = 2;
  config.keep_trace = true;
  config.faults.process.crash_point_rate = Ratio::never();
  config.forced_crash_point = "during_outbox_delivery";
  config.forced_crash_pass = 1;
  const RunResult r = run_simulation(config);
  for (const auto& f : r.failures) ADD_FAILURE() << f.property << ": " << f.detail;
  EXPECT_EQ(count_containing(r.trace, "crash cause=during_outbox_delivery"), 1);
  // The event acknowledged just before the crash arrives again after the restart.
  std::string first_event;
  for (const auto& line : r.trace) {
    const auto at = line.find("merchant-webhook event id=");
    if (at != std::string::npos) {
      first_event = line.substr(at + 26, 20);
      break;
    }
  }
  ASSERT_FALSE(first_event.empty());
  EXPECT_GE(count_containing(r.trace, "event id=" + first_event + " again=1"), 1) << first_event;
}

}  // namespace
}  // namespace reckon::sim

// The charge status machine: the code's table (engine/state_machine.h) and the database's
// trigger agree on every one of the 64 (from, to) pairs, and an illegal change is refused
// by both, never applied.

#include <gtest/gtest.h>

#include <deque>
#include <map>
#include <string>
#include <vector>

#include "engine/state_machine.h"
#include "engine/store/records.h"
#include "tests/support/engine_fixture.h"

namespace reckon::test {
namespace {

using engine::is_legal_transition;
using engine::kChargeStatuses;

// The legal path from pending to `status` (breadth first over the table).
std::vector<std::string> path_to(const std::string& status) {
  std::map<std::string, std::string> parent;
  std::deque<std::string> queue{"pending"};
  parent["pending"] = "";
  while (!queue.empty()) {
    const std::string at = queue.front();
    queue.pop_front();
    for (const auto& t : engine::kLegalTransitions) {
      if (t.from == at && parent.count(std::string(t.to)) == 0) {
        parent[std::string(t.to)] = at;
        queue.push_back(std::string(t.to));
      }
    }
  }
  std::vector<std::string> path;
  for (std::string s = status; !s.empty(); s = parent.at(s)) path.insert(path.begin(), s);
  return path;
}

engine::Status set_status(engine::Db& db, const std::string& id, const std::string& status) {
  return db.exec("UPDATE charges SET status = '" + status + "' WHERE id = '" + id + "'");
}

TEST(StateMachine, EveryStatusIsReachableFromPending) {
  for (auto status : kChargeStatuses) {
    EXPECT_EQ(path_to(std::string(status)).front(), "pending") << status;
  }
}

TEST(StateMachine, TerminalStatusesHaveNoWayOut) {
  for (auto s : {"declined", "failed", "voided", "refunded"})
    EXPECT_TRUE(engine::is_terminal_status(s));
  for (auto s : {"pending", "unknown", "authorized", "captured"}) {
    EXPECT_FALSE(engine::is_terminal_status(s));
  }
  EXPECT_FALSE(is_legal_transition("captured", "voided"));
  EXPECT_FALSE(is_legal_transition("authorized", "refunded"));
  EXPECT_FALSE(is_legal_transition("voided", "captured"));
  EXPECT_FALSE(is_legal_transition("authorized", "authorized")) << "no change is no transition";
}

TEST(StateMachine, TheDatabaseTriggerAgreesWithTheCodeOnAllPairs) {
  EngineHarness h;
  int n = 0;
  for (auto from : kChargeStatuses) {
    for (auto to : kChargeStatuses) {
      SCOPED_TRACE(std::string(from) + " -> " + std::string(to));
      const std::string id = "ch_sm_" + std::to_string(++n);
      ASSERT_TRUE(
          h.db()
              .exec("INSERT INTO charges (id, merchant, amount_minor, currency, card_token, "
                    "capture_requested, status, created_us, updated_us) VALUES ('" +
                    id + "', 'm', 100, 'USD', 'tok_a', 0, 'pending', 0, 0)")
              .ok);
      const auto path = path_to(std::string(from));
      for (size_t i = 1; i < path.size(); ++i) ASSERT_TRUE(set_status(h.db(), id, path[i]).ok);
      const engine::Status s = set_status(h.db(), id, std::string(to));
      const bool expect_ok = from == to || is_legal_transition(from, to);
      EXPECT_EQ(s.ok, expect_ok) << s.message;
      const std::string now =
          query_rows(h.db(), "SELECT status FROM charges WHERE id = '" + id + "'")[0][0];
      EXPECT_EQ(now, expect_ok ? std::string(to) : std::string(from))
          << "refused means not applied";
      if (!expect_ok) {
        EXPECT_NE(s.message.find("illegal charge status transition"), std::string::npos);
      }
    }
  }
}

TEST(StateMachine, AChargeCanOnlyBeInsertedPendingAndOnlyWithAKnownStatus) {
  EngineHarness h;
  const std::string insert =
      "INSERT INTO charges (id, merchant, amount_minor, currency, card_token, capture_requested, "
      "status, created_us, updated_us) VALUES ('ch_x', 'm', 100, 'USD', 'tok_a', 0, ";
  EXPECT_FALSE(h.db().exec(insert + "'captured', 0, 0)").ok);
  EXPECT_FALSE(h.db().exec(insert + "'weird', 0, 0)").ok);
  EXPECT_TRUE(h.db().exec(insert + "'pending', 0, 0)").ok);
  EXPECT_FALSE(set_status(h.db(), "ch_x", "weird").ok);
}

TEST(StateMachine, IllegalTransitionsThroughTheApiAre409AndNotApplied) {
  EngineHarness h;
  h.psp.use_model();
  auto created = h.post("/v1/charges", "key-1", charge_body(1000, "USD", "tok_a", true));
  ASSERT_TRUE(created.has_value());
  const std::string id = parse_body(*created)["id"];
  struct Case {
    const char* action;
    const char* code;
  };
  for (const Case& c :
       {Case{"void", "charge_not_voidable"}, Case{"capture", "charge_not_capturable"}}) {
    auto r = h.post("/v1/charges/" + id + "/" + c.action, std::string("k-") + c.action, "{}");
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r->status, 409) << r->body;
    EXPECT_EQ(error_code(*r), c.code);
  }
  EXPECT_EQ(query_rows(h.db(), "SELECT status FROM charges")[0][0], "captured");
  EXPECT_EQ(h.psp.call_count(), 1u);
}

TEST(StateMachine, UpdateChargeRefusesAnIllegalTransitionAndRollsBack) {
  EngineHarness h;
  h.psp.use_model();
  auto created = h.post("/v1/charges", "key-1", charge_body(1000, "USD", "tok_a"));
  ASSERT_TRUE(created.has_value());
  auto row = engine::load_charge(h.db(), parse_body(*created)["id"]);
  ASSERT_TRUE(row.has_value());
  row->status = "refunded";  // authorized -> refunded skips the capture
  const engine::Status s =
      engine::in_transaction(h.db(), [&] { return engine::update_charge(h.db(), *row, 0); });
  EXPECT_FALSE(s.ok);
  EXPECT_EQ(engine::load_charge(h.db(), row->id)->status, "authorized");
}

}  // namespace
}  // namespace reckon::test

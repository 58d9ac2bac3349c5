// The audit log: one append-only row per admitted operation, naming the API key by its id
// (never the key), written with the operation; `reckon audit` prints it.

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>
#include <string>

#include "engine/audit.h"
#include "tests/support/engine_fixture.h"
#include "tests/support/run_reckon.h"

namespace reckon::test {
namespace {

using engine::EngineConfig;

struct AuditHarness : EngineHarness {
  explicit AuditHarness(EngineConfig config = {}) : EngineHarness(std::move(config)) {
    psp.use_model();
  }
  std::vector<std::vector<std::string>> audit() {
    return query_rows(db(),
                      "SELECT merchant, actor, action, charge_id, operation_id, idempotency_key "
                      "FROM audit_log ORDER BY id");
  }
};

TEST(AuditLog, KeyIdsAreStableAndNeverTheKey) {
  const std::string id = engine::api_key_id(engine::kTestApiKey1);
  EXPECT_EQ(id, engine::api_key_id(engine::kTestApiKey1));
  EXPECT_NE(id, engine::api_key_id(engine::kTestApiKey2));
  EXPECT_EQ(id.rfind("key_", 0), 0u);
  EXPECT_EQ(id.find(engine::kTestApiKey1), std::string::npos);
}

TEST(AuditLog, EachAdmittedOperationWritesOneRowWithWhoAskedAndRefusalsWriteNone) {
  AuditHarness h;
  auto created = h.post("/v1/charges", "key-1", charge_body(500, "USD", "tok_a"));
  ASSERT_TRUE(created.has_value());
  ASSERT_EQ(created->status, 201);
  const std::string charge = parse_body(*created)["id"];
  ASSERT_EQ(h.post("/v1/charges/" + charge + "/capture", "cap-1", "{}")->status, 200);
  // Refused before anything is written: no audit row.
  EXPECT_EQ(h.post("/v1/charges/" + charge + "/void", "void-1", "{}")->status, 409);
  // A replay is not a new operation.
  EXPECT_EQ(h.post("/v1/charges", "key-1", charge_body(500, "USD", "tok_a"))->status, 201);
  // Another merchant's key.
  h.api_key = std::string(engine::kTestApiKey2);
  ASSERT_EQ(h.post("/v1/charges", "key-1", charge_body(700, "JPY", "tok_b"))->status, 201);

  const auto rows = h.audit();
  ASSERT_EQ(rows.size(), 3u);
  const std::string key1 = engine::api_key_id(engine::kTestApiKey1);
  EXPECT_EQ(rows[0][0], engine::kTestMerchant1);
  EXPECT_EQ(rows[0][1], key1);
  EXPECT_EQ(rows[0][2], "authorize");
  EXPECT_EQ(rows[0][3], charge);
  EXPECT_EQ(rows[0][5], "key-1");
  EXPECT_EQ(rows[1][2], "capture");
  EXPECT_EQ(rows[1][5], "cap-1");
  EXPECT_EQ(rows[2][0], engine::kTestMerchant2);
  EXPECT_EQ(rows[2][1], engine::api_key_id(engine::kTestApiKey2));
  // Every operation has its row and every row its operation.
  EXPECT_EQ(query_int(h.db(),
                      "SELECT COUNT(*) FROM operations o LEFT JOIN audit_log a "
                      "ON a.operation_id = o.id WHERE a.id IS NULL"),
            0);
  EXPECT_EQ(query_int(h.db(), "SELECT COUNT(*) FROM audit_log WHERE actor LIKE 'sk_%'"), 0);
}

TEST(AuditLog, TheEnginesOwnExpiryVoidIsAuditedAsTheEngine) {
  EngineConfig config;
  config.authorization_expiry_us = 1'000;
  AuditHarness h(config);
  auto created = h.post("/v1/charges", "key-1", charge_body(500, "USD", "tok_a"));
  ASSERT_EQ(created->status, 201);
  h.clock.advance(2'000);
  h.recover();
  const auto rows = h.audit();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1][1], std::string(engine::kEngineActor));
  EXPECT_EQ(rows[1][2], "void");
  EXPECT_EQ(rows[1][5], "");
}

TEST(AuditLog, RowsAreAppendOnly) {
  AuditHarness h;
  ASSERT_EQ(h.post("/v1/charges", "key-1", charge_body(500, "USD", "tok_a"))->status, 201);
  EXPECT_FALSE(h.db().exec("UPDATE audit_log SET actor = 'someone else'").ok);
  EXPECT_FALSE(h.db().exec("DELETE FROM audit_log").ok);
  EXPECT_EQ(h.count("audit_log"), 1);
}

TEST(AuditCli, PrintsJsonLinesFilteredByMerchantAndRefusesBadFiles) {
  AuditHarness h;
  ASSERT_EQ(h.post("/v1/charges", "key-1", charge_body(500, "USD", "tok_a"))->status, 201);
  h.api_key = std::string(engine::kTestApiKey2);
  ASSERT_EQ(h.post("/v1/charges", "key-2", charge_body(700, "JPY", "tok_b"))->status, 201);

  const auto all = testing::run_reckon("audit --db " + h.path(), /*merge_stderr=*/false);
  ASSERT_EQ(all.exit_code, 0) << all.output;
  std::istringstream lines(all.output);
  std::string line;
  std::vector<nlohmann::json> rows;
  while (std::getline(lines, line)) rows.push_back(nlohmann::json::parse(line));
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0]["action"], "authorize");
  EXPECT_EQ(rows[0]["idempotency_key"], "key-1");
  EXPECT_EQ(rows[1]["merchant"], engine::kTestMerchant2);

  const auto one = testing::run_reckon(
      "audit --db " + h.path() + " --merchant " + std::string(engine::kTestMerchant2), false);
  ASSERT_EQ(one.exit_code, 0);
  EXPECT_EQ(std::count(one.output.begin(), one.output.end(), '\n'), 1);

  const auto missing = testing::run_reckon("audit --db /nonexistent/reckon.db");
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.output.find("no such file"), std::string::npos) << missing.output;
  const std::string text = testing::temp_path("audit-not-a-db.txt");
  std::ofstream(text) << "this is not a database, it is long enough to be read as a header\n";
  const auto garbage = testing::run_reckon("audit --db " + text);
  EXPECT_EQ(garbage.exit_code, 2) << garbage.output;
  EXPECT_NE(garbage.output.find("audit-not-a-db.txt"), std::string::npos) << garbage.output;
  std::remove(text.c_str());
}

}  // namespace
}  // namespace reckon::test

#pragma once
// Ledger files for the tests of the ledger's judges (`reckon ledger verify`, check-live's
// own ledger check): one the engine wrote, and edits made behind its back.

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <string>

#include "tests/support/engine_fixture.h"

namespace reckon::test {

// An engine database with authorizations, a capture, a void and refunds.
inline void write_some_ledger(EngineHarness& h) {
  h.psp.use_model();
  auto a = h.post("/v1/charges", "k1", charge_body(5000, "USD", "tok_a"));
  const std::string a_id = parse_body(*a)["id"];
  h.post("/v1/charges/" + a_id + "/capture", "k2", R"({"amount":4000})");
  h.post("/v1/charges/" + a_id + "/refund", "k3", R"({"amount":1000})");
  auto b = h.post("/v1/charges", "k4", charge_body(700, "JPY", "tok_b"));
  h.post("/v1/charges/" + std::string(parse_body(*b)["id"]) + "/void", "k5", "{}");
  auto c = h.post("/v1/charges", "k6", charge_body(900, "KWD", "tok_c", true));
  h.post("/v1/charges/" + std::string(parse_body(*c)["id"]) + "/refund", "k7", "{}");
}

// Runs SQL on the file behind the engine's back, as an attacker or a bad migration would.
inline void tamper(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* err = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
  EXPECT_EQ(rc, SQLITE_OK) << (err ? err : "");
  sqlite3_free(err);
  sqlite3_close(db);
}

}  // namespace reckon::test

#pragma once
// A hand-made engine database for reconciliation tests: charges with succeeded captures
// and refunds written straight through the engine's record functions, and helpers to
// write settlement report lines.

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "engine/reconcile/settlement_csv.h"
#include "engine/store/db.h"
#include "engine/store/records.h"
#include "engine/store/schema.h"

namespace reckon::testing {

constexpr int64_t kHourUs = 3'600'000'000;
constexpr int64_t kDayUs = 24 * kHourUs;

inline std::unique_ptr<engine::Db> open_engine_db(const std::string& path) {
  engine::Status s;
  auto db = engine::Db::open(path, "", s);
  EXPECT_TRUE(db) << s.message;
  if (!db) return db;
  s = engine::apply_schema(*db);
  EXPECT_TRUE(s.ok) << s.message;
  return db;
}

// A captured charge `charge_id` of `captured` minor units whose capture (kind "capture",
// or "authorize" with capture in one call) succeeded under PSP key `psp_key` at `at_us`.
inline void add_capture(engine::Db& db, const std::string& charge_id, const std::string& psp_key,
                        int64_t captured, const std::string& currency, int64_t at_us,
                        bool auto_capture = false) {
  const engine::Status s = engine::in_transaction(db, [&] {
    engine::ChargeRow c;
    c.id = charge_id;
    c.merchant = "m_test";
    c.amount_minor = captured;
    c.currency = currency;
    c.card_token = "tok_" + charge_id;
    c.capture_requested = auto_capture;
    c.status = "pending";  // a charge starts pending (a schema trigger), then is captured
    c.psp_charge_id = "psp_" + charge_id;
    engine::Status w = engine::insert_charge(db, c, at_us);
    if (!w.ok) return w;
    c.status = "captured";
    c.captured_minor = captured;
    w = engine::update_charge(db, c, at_us);
    if (!w.ok) return w;
    engine::OperationRow op{"op_" + charge_id,
                            charge_id,
                            auto_capture ? "authorize" : "capture",
                            captured,
                            "succeeded",
                            psp_key,
                            1,
                            "m_test",
                            "k_" + charge_id};
    return engine::insert_operation(db, op, at_us);
  });
  ASSERT_TRUE(s.ok) << s.message;
}

inline void add_refund(engine::Db& db, const std::string& charge_id, const std::string& op_id,
                       const std::string& psp_key, int64_t amount, int64_t at_us) {
  const engine::Status s = engine::in_transaction(db, [&] {
    engine::OperationRow op{op_id,   charge_id, "refund", amount,      "succeeded",
                            psp_key, 1,         "m_test", "k_" + op_id};
    return engine::insert_operation(db, op, at_us);
  });
  ASSERT_TRUE(s.ok) << s.message;
}

// A test on an empty engine database in memory; subclasses add their ledger.
class ReconDbTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = open_engine_db(":memory:");
    ASSERT_TRUE(db_);
  }
  std::unique_ptr<engine::Db> db_;
};

inline int64_t count_rows(engine::Db& db, const std::string& table) {
  auto& st = db.prepare("SELECT count(*) FROM " + table);
  EXPECT_EQ(st.step(), SQLITE_ROW);
  const int64_t n = st.column_int(0);
  st.reset();
  return n;
}

}  // namespace reckon::testing

// The checkers' read access to the engine's store (sim/store_reader.h): statements are
// cached per SQL text, and a statement that would write is refused unless it is one of the
// ledger tamper's deliberate edits.

#include "sim/store_reader.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

namespace reckon::sim {
namespace {

struct MemoryDb {
  MemoryDb() {
    EXPECT_EQ(sqlite3_open(":memory:", &db), SQLITE_OK);
    EXPECT_EQ(sqlite3_exec(db, "CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1), (2);",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
  }
  ~MemoryDb() { sqlite3_close(db); }
  sqlite3* db = nullptr;
};

TEST(StoreReader, ReadsAndCachesByText) {
  MemoryDb m;
  StoreReader reader;
  reader.attach(m.db);
  auto& sum = reader.prepare("SELECT sum(x) FROM t");
  ASSERT_EQ(sum.step(), SQLITE_ROW);
  EXPECT_EQ(sum.column_int(0), 3);
  EXPECT_EQ(&reader.prepare("SELECT sum(x) FROM t"), &sum);  // reset, ready to step again
  ASSERT_EQ(sum.step(), SQLITE_ROW);
  EXPECT_EQ(sum.column_int(0), 3);
  reader.detach();
}

TEST(StoreReader, TheTampersWritesAreAllowedByName) {
  MemoryDb m;
  StoreReader writer;
  writer.attach(m.db);
  auto& update = writer.prepare_write("UPDATE t SET x = x + 10");
  EXPECT_EQ(update.step(), SQLITE_DONE);
  auto& sum = writer.prepare("SELECT sum(x) FROM t");
  ASSERT_EQ(sum.step(), SQLITE_ROW);
  EXPECT_EQ(sum.column_int(0), 23);
  writer.detach();
}

TEST(StoreReaderDeathTest, ACheckerStatementThatWritesIsAnInvariantBroken) {
  EXPECT_DEATH(
      {
        MemoryDb m;
        StoreReader reader;
        reader.attach(m.db);
        reader.prepare("DELETE FROM t");
      },
      "a checker's SQL only reads the engine's store");
}

// BEGIN and COMMIT change no row, and SQLite calls them read-only; on the engine's shared
// connection they would still open or end the engine's transaction.
TEST(StoreReaderDeathTest, TransactionControlIsNoRead) {
  for (const char* sql : {"BEGIN", "COMMIT", "SAVEPOINT s", "PRAGMA foreign_keys = OFF"}) {
    EXPECT_DEATH(
        {
          MemoryDb m;
          StoreReader reader;
          reader.attach(m.db);
          reader.prepare(sql);
        },
        "a checker's SQL only reads the engine's store")
        << sql;
  }
}

TEST(StoreReaderDeathTest, AWriteCachedForTheTamperIsNotAReadLater) {
  EXPECT_DEATH(
      {
        MemoryDb m;
        StoreReader reader;
        reader.attach(m.db);
        reader.prepare_write("UPDATE t SET x = 0");
        reader.prepare("UPDATE t SET x = 0");
      },
      "a checker's SQL only reads the engine's store");
}

}  // namespace
}  // namespace reckon::sim

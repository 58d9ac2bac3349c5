// Tests for the durable in-memory VFS: durability across crash(), hot-journal recovery,
// injected faults, and randomness/time taken from the simulator hooks.

#include "sim/durable_vfs.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace reckon::sim {
namespace {

constexpr int64_t kNowMs = 1'700'000'000'123;

// SplitMix64, so the tests do not depend on the simulator's PRNG module.
DurableVfsHooks seeded_hooks(uint64_t seed, int64_t now_ms = kNowMs) {
  auto state = std::make_shared<uint64_t>(seed);
  return DurableVfsHooks{[state] {
                           uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
                           z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
                           z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
                           return z ^ (z >> 31);
                         },
                         [now_ms] { return now_ms; }};
}

// One connection on a DurableVfs. Declare it after the VFS so it closes first.
class Db {
 public:
  Db(const DurableVfs& vfs, const std::string& path) {
    open_rc_ = sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                               vfs.name().c_str());
  }
  ~Db() { close(); }
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  int open_rc() const { return open_rc_; }
  void close() {
    if (db_ != nullptr) {
      EXPECT_EQ(sqlite3_close_v2(db_), SQLITE_OK);
    }
    db_ = nullptr;
  }
  int exec(const std::string& sql) {
    return sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr);
  }
  std::string errmsg() const { return sqlite3_errmsg(db_); }

  // First column of the first row as text; "<none>" if no row, "<error ...>" on failure.
  std::string text(const std::string& sql) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
      return "<error " + errmsg() + ">";
    }
    const int rc = sqlite3_step(stmt);
    std::string out = "<none>";
    if (rc == SQLITE_ROW) {
      const unsigned char* value = sqlite3_column_text(stmt, 0);
      out = value != nullptr ? reinterpret_cast<const char*>(value) : "<null>";
    } else if (rc != SQLITE_DONE) {
      out = "<error " + errmsg() + ">";
    }
    sqlite3_finalize(stmt);
    return out;
  }
  int64_t count(const std::string& table) {
    return std::stoll(text("SELECT count(*) FROM " + table));
  }
  std::string integrity() { return text("PRAGMA integrity_check"); }

 private:
  sqlite3* db_ = nullptr;
  int open_rc_ = SQLITE_ERROR;
};

// Opens `path`, sets the durability pragmas the engine uses, and creates t(x, pad).
void create_table_with_rows(Db& db, int rows) {
  ASSERT_EQ(db.open_rc(), SQLITE_OK);
  ASSERT_EQ(db.exec("PRAGMA journal_mode=DELETE; PRAGMA synchronous=FULL;"), SQLITE_OK);
  ASSERT_EQ(db.exec("CREATE TABLE t(x INTEGER, pad BLOB)"), SQLITE_OK) << db.errmsg();
  ASSERT_EQ(db.exec("WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM c WHERE i<" +
                    std::to_string(rows) + ") INSERT INTO t SELECT i, zeroblob(100) FROM c"),
            SQLITE_OK)
      << db.errmsg();
}

std::string insert_rows_sql(int first, int count, int pad_bytes) {
  return "WITH RECURSIVE c(i) AS (SELECT " + std::to_string(first) +
         " UNION ALL SELECT i+1 FROM c WHERE i<" + std::to_string(first + count - 1) +
         ") INSERT INTO t SELECT i, zeroblob(" + std::to_string(pad_bytes) + ") FROM c";
}

TEST(DurableVfs, CommittedTransactionSurvivesCrash) {
  DurableVfs vfs("dvfs-committed", seeded_hooks(1), false);
  const std::string path = "engine-0/a.db";
  {
    Db db(vfs, path);
    create_table_with_rows(db, 10);
    ASSERT_EQ(db.exec("BEGIN; " + insert_rows_sql(11, 90, 100) + "; COMMIT;"), SQLITE_OK)
        << db.errmsg();
    EXPECT_GT(vfs.sync_count(), 0u);
    EXPECT_GT(vfs.write_count(), 0u);
    vfs.crash("engine-0");
  }
  EXPECT_FALSE(vfs.exists(path + "-journal"));
  Db db(vfs, path);
  ASSERT_EQ(db.open_rc(), SQLITE_OK);
  EXPECT_EQ(db.count("t"), 100);
  EXPECT_EQ(db.integrity(), "ok");
}

TEST(DurableVfs, UnsyncedWritesAreLostOnCrash) {
  DurableVfs vfs("dvfs-unsynced", seeded_hooks(2), false);
  const std::string path = "engine-0/a.db";
  {
    Db db(vfs, path);
    create_table_with_rows(db, 10);
    const uint64_t syncs_before = vfs.sync_count();
    ASSERT_EQ(db.exec("PRAGMA synchronous=OFF"), SQLITE_OK);
    ASSERT_EQ(db.exec(insert_rows_sql(11, 50, 100)), SQLITE_OK) << db.errmsg();
    ASSERT_EQ(db.exec("CREATE TABLE u(y)"), SQLITE_OK) << db.errmsg();
    EXPECT_EQ(db.count("t"), 60);
    EXPECT_EQ(vfs.sync_count(), syncs_before) << "synchronous=OFF must not sync";
    const auto image = vfs.image(path);
    ASSERT_TRUE(image.has_value());
    EXPECT_NE(image->current, image->durable);
    vfs.crash("engine-0");
    const auto after = vfs.image(path);
    EXPECT_EQ(after->current, after->durable);
    EXPECT_EQ(after->durable, image->durable) << "a crash keeps exactly what was synced";
  }
  Db db(vfs, path);
  ASSERT_EQ(db.open_rc(), SQLITE_OK);
  EXPECT_EQ(db.count("t"), 10);
  EXPECT_EQ(db.text("SELECT count(*) FROM sqlite_schema WHERE name='u'"), "0");
  EXPECT_EQ(db.integrity(), "ok");
}

TEST(DurableVfs, CrashMidTransactionRollsBackHotJournal) {
  DurableVfs vfs("dvfs-midtxn", seeded_hooks(3), false);
  const std::string path = "engine-0/a.db";
  const std::string journal = path + "-journal";
  {
    Db db(vfs, path);
    create_table_with_rows(db, 20);
    // A tiny cache forces SQLite to spill dirty pages into the db file mid-transaction
    // (after syncing the journal), which is exactly the state a hot journal repairs.
    ASSERT_EQ(db.exec("PRAGMA cache_size=10"), SQLITE_OK);
    ASSERT_EQ(db.exec("BEGIN"), SQLITE_OK);
    ASSERT_EQ(db.exec(insert_rows_sql(21, 2000, 500)), SQLITE_OK) << db.errmsg();
    ASSERT_EQ(db.exec("UPDATE t SET x = -x WHERE x <= 20"), SQLITE_OK) << db.errmsg();
    const auto db_image = vfs.image(path);
    ASSERT_TRUE(db_image.has_value());
    EXPECT_NE(db_image->current, db_image->durable) << "pages should have spilled";
    ASSERT_TRUE(vfs.exists(journal));
    EXPECT_FALSE(vfs.image(journal)->durable.empty()) << "journal is synced before a spill";
    vfs.crash("engine-0");
    // Closing the old connection must neither crash nor destroy the hot journal.
  }
  ASSERT_TRUE(vfs.exists(journal));
  Db db(vfs, path);
  ASSERT_EQ(db.open_rc(), SQLITE_OK);
  EXPECT_EQ(db.count("t"), 20);
  EXPECT_EQ(db.text("SELECT min(x) FROM t"), "1");
  EXPECT_EQ(db.integrity(), "ok");
  EXPECT_FALSE(vfs.exists(journal)) << "rollback removes the hot journal";
}

// Fails the k-th sync after arming, for every sync a commit does, and checks each outcome.
TEST(DurableVfs, FailedSyncFailsCommitAndCrashLeavesConsistentDb) {
  int faults_fired = 0;
  for (int k = 0; k < 6; ++k) {
    SCOPED_TRACE("failing sync #" + std::to_string(k));
    DurableVfs vfs("dvfs-failsync-" + std::to_string(k), seeded_hooks(4), false);
    const std::string path = "engine-0/a.db";
    bool fired = false;
    {
      Db db(vfs, path);
      create_table_with_rows(db, 10);
      int syncs_seen = 0;
      vfs.fail_next_sync = [&](const std::string&) {
        const bool fail = syncs_seen++ == k;
        fired = fired || fail;
        return fail;
      };
      ASSERT_EQ(db.exec("BEGIN; " + insert_rows_sql(11, 10, 100)), SQLITE_OK) << db.errmsg();
      const int rc = db.exec("COMMIT");
      if (fired) {
        ++faults_fired;
        EXPECT_EQ(rc & 0xff, SQLITE_IOERR) << db.errmsg();
      } else {
        EXPECT_EQ(rc, SQLITE_OK) << db.errmsg();
      }
      vfs.crash("engine-0");
    }
    vfs.fail_next_sync = nullptr;
    Db db(vfs, path);
    ASSERT_EQ(db.open_rc(), SQLITE_OK);
    const int64_t rows = db.count("t");
    EXPECT_TRUE(rows == 10 || rows == 20) << rows;
    if (!fired) {
      EXPECT_EQ(rows, 20);
    }
    EXPECT_EQ(db.integrity(), "ok");
  }
  EXPECT_GE(faults_fired, 2) << "a DELETE-mode commit syncs the journal and the db";
}

TEST(DurableVfs, DiskFullFailsInsertAndDbStaysUsable) {
  DurableVfs vfs("dvfs-diskfull", seeded_hooks(5), false);
  const std::string path = "engine-0/a.db";
  {
    Db db(vfs, path);
    create_table_with_rows(db, 10);
    const int64_t limit = static_cast<int64_t>(vfs.image(path)->current.size());
    int full_reports = 0;
    vfs.disk_full = [&](const std::string& p, int64_t bytes_needed) {
      const bool full = p == path && bytes_needed > limit;
      full_reports += full ? 1 : 0;
      return full;
    };
    EXPECT_EQ(db.exec(insert_rows_sql(11, 200, 1000)), SQLITE_FULL);
    EXPECT_GT(full_reports, 0);
    EXPECT_EQ(db.count("t"), 10);
    EXPECT_EQ(db.integrity(), "ok");
    // Writes that fit still work on the same connection.
    EXPECT_EQ(db.exec("UPDATE t SET x = x + 1000"), SQLITE_OK) << db.errmsg();
    EXPECT_EQ(db.text("SELECT min(x) FROM t"), "1001");
    vfs.disk_full = nullptr;
    EXPECT_EQ(db.exec(insert_rows_sql(11, 200, 1000)), SQLITE_OK) << db.errmsg();
    EXPECT_EQ(db.count("t"), 210);
    vfs.crash("engine-0");
  }
  Db db(vfs, path);
  ASSERT_EQ(db.open_rc(), SQLITE_OK);
  EXPECT_EQ(db.count("t"), 210);
  EXPECT_EQ(db.integrity(), "ok");
}

// make_default=true reseeds SQLite's PRNG from the hooks, so random() is reproducible.
TEST(DurableVfs, RandomnessAndTimeComeFromHooks) {
  auto first_random = [](const std::string& name, uint64_t seed) {
    DurableVfs vfs(name, seeded_hooks(seed), true);
    Db db(vfs, "rand.db");
    EXPECT_EQ(db.open_rc(), SQLITE_OK);
    return db.text("SELECT random()");
  };
  const std::string a = first_random("dvfs-rand-a", 42);
  const std::string b = first_random("dvfs-rand-b", 42);
  const std::string c = first_random("dvfs-rand-c", 43);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);

  // Time comes from the connection's VFS, default or not.
  DurableVfs vfs("dvfs-time", seeded_hooks(6, kNowMs), false);
  Db db(vfs, "time.db");
  ASSERT_EQ(db.open_rc(), SQLITE_OK);
  EXPECT_EQ(db.text("SELECT strftime('%s','now')"), std::to_string(kNowMs / 1000));
  EXPECT_EQ(db.text("SELECT strftime('%Y-%m-%d %H:%M:%f','now')"), "2023-11-14 22:13:20.123");
}

TEST(DurableVfs, ExistsAndImageReflectFiles) {
  DurableVfs vfs("dvfs-exists", seeded_hooks(7), false);
  const std::string path = "engine-1/b.db";
  EXPECT_FALSE(vfs.exists(path));
  EXPECT_FALSE(vfs.image(path).has_value());
  {
    Db db(vfs, path);
    create_table_with_rows(db, 5);
    EXPECT_TRUE(vfs.exists(path));
    const auto image = vfs.image(path);
    ASSERT_TRUE(image.has_value());
    EXPECT_FALSE(image->current.empty());
    EXPECT_EQ(image->current, image->durable) << "a FULL commit syncs the db file";
    EXPECT_FALSE(vfs.exists(path + "-journal")) << "DELETE mode removes the journal";
    // A crash of another node leaves this one alone.
    ASSERT_EQ(db.exec("PRAGMA synchronous=OFF; UPDATE t SET x = 7"), SQLITE_OK);
    EXPECT_NE(vfs.image(path)->current, vfs.image(path)->durable);
    vfs.crash("engine-0");
    EXPECT_NE(vfs.image(path)->current, vfs.image(path)->durable);
    EXPECT_EQ(db.text("SELECT sum(x) FROM t"), "35");
  }
  EXPECT_TRUE(vfs.exists(path)) << "closing does not delete";
  EXPECT_FALSE(vfs.exists("engine-1/other.db"));
}

// The raw VFS contract SQLite relies on, exercised without SQLite's pager.
TEST(DurableVfs, RawFileSemantics) {
  DurableVfs vfs("dvfs-raw", seeded_hooks(8), false);
  sqlite3_vfs* raw = sqlite3_vfs_find("dvfs-raw");
  ASSERT_NE(raw, nullptr);
  std::vector<char> storage(static_cast<size_t>(raw->szOsFile));
  auto* f = reinterpret_cast<sqlite3_file*>(storage.data());
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_MAIN_DB;

  EXPECT_EQ(raw->xOpen(raw, "n/x", f, SQLITE_OPEN_READWRITE, nullptr), SQLITE_CANTOPEN);
  ASSERT_EQ(raw->xOpen(raw, "n/x", f, flags, nullptr), SQLITE_OK);
  int found = 0;
  ASSERT_EQ(raw->xAccess(raw, "n/x", SQLITE_ACCESS_EXISTS, &found), SQLITE_OK);
  EXPECT_EQ(found, 1) << "creation is durable at once";

  const char data[] = "abcd";
  ASSERT_EQ(f->pMethods->xWrite(f, data, 4, 2), SQLITE_OK);
  char buf[8] = {'z', 'z', 'z', 'z', 'z', 'z', 'z', 'z'};
  EXPECT_EQ(f->pMethods->xRead(f, buf, 8, 0), SQLITE_IOERR_SHORT_READ);
  EXPECT_EQ(std::string(buf, 8), std::string("\0\0abcd\0\0", 8));
  ASSERT_EQ(f->pMethods->xSync(f, SQLITE_SYNC_FULL), SQLITE_OK);
  ASSERT_EQ(f->pMethods->xTruncate(f, 3), SQLITE_OK);
  sqlite3_int64 size = -1;
  ASSERT_EQ(f->pMethods->xFileSize(f, &size), SQLITE_OK);
  EXPECT_EQ(size, 3);

  vfs.crash("n/");
  EXPECT_EQ(vfs.image("n/x")->current.size(), 6u) << "reverted to the synced image";
  EXPECT_EQ(f->pMethods->xRead(f, buf, 1, 0) & 0xff, SQLITE_IOERR);
  EXPECT_EQ(f->pMethods->xWrite(f, data, 1, 0) & 0xff, SQLITE_IOERR);
  EXPECT_EQ(f->pMethods->xSync(f, SQLITE_SYNC_NORMAL) & 0xff, SQLITE_IOERR);
  EXPECT_EQ(f->pMethods->xTruncate(f, 0) & 0xff, SQLITE_IOERR);
  EXPECT_EQ(vfs.image("n/x")->current.size(), 6u) << "a dead handle changes nothing";
  EXPECT_EQ(f->pMethods->xClose(f), SQLITE_OK);

  // Temp files get deterministic names and vanish on close when asked to.
  const int temp_flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_DELETEONCLOSE |
                         SQLITE_OPEN_TEMP_JOURNAL;
  ASSERT_EQ(raw->xOpen(raw, nullptr, f, temp_flags, nullptr), SQLITE_OK);
  EXPECT_TRUE(vfs.exists("tmp-1"));
  EXPECT_EQ(f->pMethods->xClose(f), SQLITE_OK);
  EXPECT_FALSE(vfs.exists("tmp-1"));

  EXPECT_EQ(raw->xDelete(raw, "n/x", 0), SQLITE_OK);
  EXPECT_FALSE(vfs.exists("n/x"));
  EXPECT_EQ(raw->xDelete(raw, "n/x", 0), SQLITE_IOERR_DELETE_NOENT);
}

}  // namespace
}  // namespace reckon::sim

// engine::Db at its boundary with files Reckon did not write: a read-only open never
// creates or writes a file, and SQL that does not prepare on a foreign file is reported
// (try_prepare), where the engine's own constant SQL stops the process (prepare).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "engine/store/db.h"

namespace reckon::engine {
namespace {

struct TempDir {
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "reckon-db-XXXXXX").string();
    path = mkdtemp(pattern.data());
  }
  ~TempDir() { std::filesystem::remove_all(path); }
  std::string file(const std::string& name) const { return path + "/" + name; }
  std::string path;
};

// A database at `path` holding what `sql` makes, written, closed, and opened read-only.
std::unique_ptr<Db> written_then_read_only(const std::string& path, const std::string& sql) {
  Status status;
  {
    const auto writer = Db::open(path, "", status);
    EXPECT_NE(writer, nullptr) << status.message;
    if (writer == nullptr || !writer->exec(sql).ok) return nullptr;
  }
  auto reader = Db::open_read_only(path, status);
  EXPECT_NE(reader, nullptr) << status.message;
  return reader;
}

TEST(DbReadOnly, AMissingFileIsAnErrorAndIsNotCreated) {
  TempDir dir;
  Status status;
  const auto db = Db::open_read_only(dir.file("absent.db"), status);
  EXPECT_EQ(db, nullptr);
  EXPECT_FALSE(status.ok);
  EXPECT_NE(status.message.find("absent.db"), std::string::npos) << status.message;
  EXPECT_FALSE(std::filesystem::exists(dir.file("absent.db")));
}

TEST(DbReadOnly, RefusesWritesAndReadsWhatIsThere) {
  TempDir dir;
  const auto reader = written_then_read_only(
      dir.file("a.db"), "CREATE TABLE t (v INTEGER); INSERT INTO t VALUES (7);");
  ASSERT_NE(reader, nullptr);
  Status status;
  Statement* select = reader->try_prepare("SELECT v FROM t", status);
  ASSERT_NE(select, nullptr) << status.message;
  ASSERT_EQ(select->step(), SQLITE_ROW);
  EXPECT_EQ(select->column_int(0), 7);
  const Status write = reader->exec("INSERT INTO t VALUES (8)");
  EXPECT_FALSE(write.ok);
  EXPECT_EQ(write.code & 0xff, SQLITE_READONLY) << write.message;
}

TEST(DbTryPrepare, ReportsSqlThatDoesNotPrepareInsteadOfStopping) {
  TempDir dir;
  const auto db = written_then_read_only(dir.file("empty.db"), "CREATE TABLE other (v INTEGER)");
  ASSERT_NE(db, nullptr);
  Status status;
  EXPECT_EQ(db->try_prepare("SELECT id FROM charges", status), nullptr);
  EXPECT_FALSE(status.ok);
  EXPECT_NE(status.message.find("no such table: charges"), std::string::npos) << status.message;
  // A statement that does prepare afterwards leaves status ok, and is the cached one.
  Statement* first = db->try_prepare("SELECT v FROM other", status);
  ASSERT_NE(first, nullptr);
  EXPECT_TRUE(status.ok);
  EXPECT_EQ(db->try_prepare("SELECT v FROM other", status), first);
}

TEST(DbTryPrepare, AFileThatIsNotADatabaseIsReported) {
  TempDir dir;
  std::ofstream(dir.file("notes.txt")) << "this is not a database, just text long enough to be "
                                          "read as a header by SQLite\n";
  Status status;
  const auto db = Db::open_read_only(dir.file("notes.txt"), status);
  ASSERT_NE(db, nullptr) << status.message;  // SQLite reads the header lazily
  EXPECT_EQ(db->try_prepare("SELECT count(*) FROM sqlite_master", status), nullptr);
  EXPECT_EQ(status.code, SQLITE_NOTADB) << status.message;
}

}  // namespace
}  // namespace reckon::engine

// reckon sweep / merge --history FILE and reckon history: a planted defect's failures are new
// in the first sweep, known in the next, fixed once the defect is gone, and new again when
// it comes back; the JSON report's "history" object, reckon history's listing and a seed's
// record; bad history files exit 2 naming the file.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <set>
#include <string>

#include "tests/support/run_reckon.h"

namespace reckon {
namespace {

using reckon::testing::read_file;
using reckon::testing::run_reckon;
using reckon::testing::temp_path;

nlohmann::json sweep_into(const std::string& db, const std::string& args, int expected_exit,
                          std::string* text = nullptr) {
  const std::string report = temp_path("history-report.json");
  const auto r =
      run_reckon("sweep --seeds 1..5 --history " + db + " --report " + report + " " + args);
  EXPECT_EQ(r.exit_code, expected_exit) << r.output;
  if (text != nullptr) *text = r.output;
  return nlohmann::json::parse(read_file(report));
}

std::set<uint64_t> seeds_of(const nlohmann::json& items) {
  std::set<uint64_t> out;
  for (const auto& i : items) out.insert(i.at("seed").get<uint64_t>());
  return out;
}

std::set<uint64_t> failed_seeds(const nlohmann::json& report) {
  std::set<uint64_t> out;
  for (const auto& run : report.at("runs")) {
    if (!run.at("passed").get<bool>()) out.insert(run.at("seed").get<uint64_t>());
  }
  return out;
}

// The property a seed failed with first (what the history records for it).
std::string first_property(const nlohmann::json& report, uint64_t seed) {
  for (const auto& run : report.at("runs")) {
    if (run.at("seed") == seed && !run.at("failures").empty()) {
      return run["failures"][0].at("property").get<std::string>();
    }
  }
  return "";
}

void exec_sql(const std::string& path, const char* sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, sql, nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
  sqlite3_close(db);
}

TEST(History, NewKnownFixedAndNewAgainThroughTheCli) {
  const std::string db = temp_path("history.db");
  std::remove(db.c_str());
  const std::string plant = "--plant psp-key-per-attempt";

  std::string text;
  const auto first = sweep_into(db, plant + " --history-label abc123", 1, &text);
  const std::set<uint64_t> failing = failed_seeds(first);
  ASSERT_FALSE(failing.empty()) << "the planted defect must fail some of seeds 1..5";
  const auto& h1 = first.at("history");
  EXPECT_EQ(h1.at("sweep_id"), 1);
  EXPECT_EQ(h1.at("earlier_sweeps"), 0);
  EXPECT_EQ(h1.at("label"), "abc123");
  EXPECT_EQ(seeds_of(h1.at("new_failures")), failing);
  EXPECT_TRUE(h1.at("known_failures").empty());
  EXPECT_TRUE(h1.at("fixed").empty());
  for (const auto& f : h1.at("new_failures")) {
    EXPECT_EQ(f.at("scenario"), "default");
    EXPECT_EQ(f.at("property"), first_property(first, f.at("seed").get<uint64_t>()));
  }
  EXPECT_NE(text.find("history: sweep 1 against 0 earlier: " + std::to_string(failing.size()) +
                      " new failures, 0 known failures, 0 fixed"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("NEW   default seed=" + std::to_string(*failing.begin()) + " " +
                      first_property(first, *failing.begin())),
            std::string::npos)
      << text;

  // The same defect again: every failure is known, failing since sweep 1.
  const auto second = sweep_into(db, plant, 1);
  const auto& h2 = second.at("history");
  EXPECT_TRUE(h2.at("new_failures").empty());
  EXPECT_EQ(seeds_of(h2.at("known_failures")), failing);
  for (const auto& f : h2.at("known_failures")) EXPECT_EQ(f.at("since_sweep"), 1);

  // Without the defect: every earlier failure is fixed.
  const auto third = sweep_into(db, "", 0, &text);
  const auto& h3 = third.at("history");
  EXPECT_TRUE(h3.at("new_failures").empty());
  EXPECT_TRUE(h3.at("known_failures").empty());
  EXPECT_EQ(seeds_of(h3.at("fixed")), failing);
  for (const auto& f : h3.at("fixed")) {
    EXPECT_EQ(f.at("failed_in_sweep"), 2);
    EXPECT_EQ(f.at("property"), first_property(second, f.at("seed").get<uint64_t>()));
  }
  EXPECT_NE(text.find(std::to_string(failing.size()) + " fixed"), std::string::npos) << text;

  // reckon history: the three sweeps, newest first, and the latest comparison.
  auto r = run_reckon("history --db " + db + " --format json", false);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto listing = nlohmann::json::parse(r.output);
  ASSERT_EQ(listing.at("sweeps").size(), 3u);
  EXPECT_EQ(listing["sweeps"][0].at("id"), 3);
  EXPECT_EQ(listing["sweeps"][2].at("label"), "abc123");
  EXPECT_EQ(listing["sweeps"][2].at("plants"), nlohmann::json::array({"psp-key-per-attempt"}));
  EXPECT_EQ(listing["sweeps"][2].at("failed_seeds"), failing.size());
  EXPECT_EQ(listing["sweeps"][0].at("failed_seeds"), 0);
  EXPECT_EQ(listing.at("latest"), h3);
  r = run_reckon("history --db " + db + " --last 2", false);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("#3"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("#1 "), std::string::npos) << "--last 2 lists two sweeps\n" << r.output;
  EXPECT_NE(r.output.find("FIXED default seed="), std::string::npos) << r.output;

  // One failing seed's record: failed, failed, passed, with each sweep's trace hash.
  const uint64_t seed = *failing.begin();
  r = run_reckon("history --db " + db + " --seed " + std::to_string(seed) +
                     " --scenario default --format json",
                 false);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto record = nlohmann::json::parse(r.output).at("results");
  ASSERT_EQ(record.size(), 3u);
  EXPECT_FALSE(record[0].at("passed").get<bool>());
  EXPECT_FALSE(record[1].at("passed").get<bool>());
  EXPECT_TRUE(record[2].at("passed").get<bool>());
  EXPECT_EQ(record[0].at("property"), first_property(first, seed));
  EXPECT_EQ(record[0].at("trace_hash"), first["runs"][seed - 1].at("trace_hash"));
  EXPECT_EQ(record[2].at("trace_hash"), third["runs"][seed - 1].at("trace_hash"));
  r = run_reckon("history --db " + db + " --seed " + std::to_string(seed), false);
  EXPECT_NE(r.output.find("FAIL " + first_property(first, seed)), std::string::npos) << r.output;

  // The defect comes back: its failures passed in the most recent earlier sweep, so new.
  const auto fourth = sweep_into(db, plant, 1);
  EXPECT_EQ(seeds_of(fourth.at("history").at("new_failures")), failing);
  EXPECT_TRUE(fourth.at("history").at("known_failures").empty());
}

TEST(History, MergeRecordsTheMergedSweep) {
  const std::string db = temp_path("history-merge.db");
  std::remove(db.c_str());
  const std::string a = temp_path("history-shard-0.json");
  const std::string b = temp_path("history-shard-1.json");
  const std::string common = "sweep --seeds 1..4 --plant psp-key-per-attempt --shard ";
  ASSERT_NE(run_reckon(common + "0/2 --report " + a).exit_code, 2);
  ASSERT_NE(run_reckon(common + "1/2 --report " + b).exit_code, 2);
  const auto r =
      run_reckon("merge " + a + " " + b + " --report '' --format json --history " + db, false);
  ASSERT_NE(r.exit_code, 2) << r.output;
  const auto merged = nlohmann::json::parse(r.output);
  EXPECT_EQ(seeds_of(merged.at("history").at("new_failures")), failed_seeds(merged));
  const auto listing =
      nlohmann::json::parse(run_reckon("history --db " + db + " --format json", false).output);
  ASSERT_EQ(listing.at("sweeps").size(), 1u);
  EXPECT_EQ(listing["sweeps"][0].at("seeds_run"), 4);
}

TEST(History, BadHistoryFilesExitTwoNamingTheFileAndTheProblem) {
  const std::string missing = temp_path("no-such-history.db");
  std::remove(missing.c_str());
  auto r = run_reckon("history --db " + missing);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("'" + missing + "': no such file"), std::string::npos) << r.output;

  const std::string text_file = temp_path("history-not-sqlite.db");
  {
    std::FILE* f = std::fopen(text_file.c_str(), "w");
    std::fputs("hello, not a database\n", f);
    std::fclose(f);
  }
  r = run_reckon("history --db " + text_file);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("'" + text_file + "' is not a reckon history database"),
            std::string::npos)
      << r.output;
  // sweep refuses it before running a seed, and leaves the file alone.
  r = run_reckon("sweep --seeds 1..2 --report '' --history " + text_file);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("--history '" + text_file + "' is not a reckon history database"),
            std::string::npos)
      << r.output;
  EXPECT_EQ(r.output.find("sweep summary"), std::string::npos) << r.output;
  EXPECT_EQ(read_file(text_file), "hello, not a database\n");

  const std::string other = temp_path("history-other.db");
  std::remove(other.c_str());
  exec_sql(other, "CREATE TABLE charges(id TEXT)");
  r = run_reckon("history --db " + other);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("'" + other + "' is not a reckon history database"), std::string::npos)
      << r.output;

  const std::string future = temp_path("history-future.db");
  std::remove(future.c_str());
  ASSERT_EQ(run_reckon("sweep --seeds 1..1 --report '' --history " + future).exit_code, 0);
  EXPECT_EQ(run_reckon("history --db " + future).exit_code, 0);
  r = run_reckon("history --db " + future + " --seed x");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("--seed 'x'"), std::string::npos) << r.output;
  exec_sql(future, "PRAGMA user_version = 99");
  r = run_reckon("history --db " + future);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("'" + future + "': history schema version 99"), std::string::npos)
      << r.output;
}

// Found by fuzzing (issue 19): a history file with the right id and version whose sweeps
// table lacks a column aborted `reckon history` (exit 134) in a failed prepare; text that is
// not UTF-8 aborted the JSON output.
TEST(History, DamagedHistoryFilesAreRefusedOrReadNeverAborted) {
  const std::string damaged = temp_path("history-damaged.db");
  std::remove(damaged.c_str());
  ASSERT_EQ(run_reckon("sweep --seeds 1..1 --report '' --history " + damaged).exit_code, 0);
  exec_sql(damaged, "ALTER TABLE sweeps DROP COLUMN label");
  auto r = run_reckon("history --db " + damaged);
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("'" + damaged + "' is a damaged reckon history database"),
            std::string::npos)
      << r.output;

  const std::string odd_text = temp_path("history-odd-text.db");
  std::remove(odd_text.c_str());
  ASSERT_EQ(run_reckon("sweep --seeds 1..1 --report '' --history " + odd_text).exit_code, 0);
  exec_sql(odd_text, "UPDATE sweeps SET suite = CAST(X'FF41' AS TEXT)");
  r = run_reckon("history --db " + odd_text + " --format json");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("\"sweeps\""), std::string::npos) << r.output;
}

}  // namespace
}  // namespace reckon

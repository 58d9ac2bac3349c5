// reckon sweep at scale: --jobs (forked workers), --shard + merge, --budget, and the exit
// codes they earn. The invariant under test: a seed range's JSON report is the same however
// the seeds were spread over processes and machines.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "cli/duration.h"
#include "cli/shard.h"
#include "tests/support/run_reckon.h"

namespace reckon::cli {
namespace {

using reckon::testing::read_file;
using reckon::testing::run_reckon;
using reckon::testing::temp_path;

constexpr const char* kPlanted = " --plant psp-key-per-attempt";

TEST(Duration, ParsesUnitsAndRejectsNonsense) {
  EXPECT_EQ(parse_duration("30s")->count(), 30'000);
  EXPECT_EQ(parse_duration("5m")->count(), 300'000);
  EXPECT_EQ(parse_duration("2h")->count(), 7'200'000);
  EXPECT_EQ(parse_duration("250ms")->count(), 250);
  for (const char* bad : {"", "10", "0s", "-5s", "5 s", "5x", "s", "1.5m", "99999999h"}) {
    EXPECT_FALSE(parse_duration(bad)) << bad;
  }
}

TEST(Shard, ParsesAndSplitsEverySeedIntoExactlyOneShard) {
  std::string error;
  auto s = parse_shard("2/5", error);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->index, 2u);
  EXPECT_EQ(s->count, 5u);
  for (const char* bad : {"", "1", "3/3", "1/0", "a/b", "-1/3", "1/2/3"}) {
    error.clear();
    EXPECT_FALSE(parse_shard(bad, error)) << bad;
    EXPECT_NE(error.find("--shard"), std::string::npos) << bad;
  }
  for (uint64_t total : {0u, 1u, 2u, 7u, 100u}) {
    for (uint64_t n : {1u, 2u, 3u, 8u}) {
      uint64_t sum = 0;
      for (uint64_t i = 0; i < n; ++i) sum += seeds_in_shard(total, Shard{i, n});
      EXPECT_EQ(sum, total) << total << " " << n;
    }
  }
}

TEST(SweepScale, JobsDoNotChangeTheReport) {
  const std::string one = temp_path("jobs1.json");
  const std::string two = temp_path("jobs2.json");
  const std::string three = temp_path("jobs3.json");
  const std::string args = std::string("sweep --seeds 1..24") + kPlanted + " --report ";
  const auto r1 = run_reckon(args + one + " --jobs 1");
  const auto r2 = run_reckon(args + two + " --jobs 2");
  const auto r3 = run_reckon(args + three + " --jobs 3");
  EXPECT_EQ(r1.exit_code, 1) << r1.output;
  EXPECT_EQ(r2.exit_code, 1) << r2.output;
  EXPECT_EQ(r3.exit_code, 1) << r3.output;
  const std::string json1 = read_file(one);
  ASSERT_FALSE(json1.empty());
  EXPECT_EQ(json1, read_file(two));
  EXPECT_EQ(json1, read_file(three));
  // Plain lines (not a terminal) come in seed order whatever the number of workers.
  EXPECT_LT(r2.output.find("seed 1 "), r2.output.find("seed 2 "));
  EXPECT_LT(r2.output.find("seed 23 "), r2.output.find("seed 24 "));
}

TEST(SweepScale, ThreeShardsMergeIntoTheSingleProcessReport) {
  const std::string whole = temp_path("whole.json");
  const auto single = run_reckon(std::string("sweep --seeds 5..30") + kPlanted + " --report " +
                                 whole + " --format json");
  ASSERT_EQ(single.exit_code, 1) << single.output;
  std::string files;
  for (int i = 0; i < 3; ++i) {
    const std::string shard = temp_path("shard" + std::to_string(i) + ".json");
    files += " " + shard;
    const auto r = run_reckon(std::string("sweep --seeds 5..30") + kPlanted + " --shard " +
                              std::to_string(i) + "/3 --report " + shard);
    ASSERT_EQ(r.exit_code, 1) << r.output;
    const auto json = nlohmann::json::parse(read_file(shard));
    EXPECT_EQ(json["shard"]["index"], i);
    EXPECT_EQ(json["shard"]["count"], 3);
    for (const auto& run : json["runs"]) {
      EXPECT_EQ((run["seed"].get<int>() - 5) % 3, i) << run["seed"];
    }
  }
  const std::string merged = temp_path("merged.json");
  const std::string junit = temp_path("merged.xml");
  const std::string html = temp_path("merged.html");
  const auto m =
      run_reckon("merge" + files + " --report " + merged + " --junit " + junit + " --html " + html);
  EXPECT_EQ(m.exit_code, 1) << m.output;
  EXPECT_EQ(read_file(merged), read_file(whole));
  EXPECT_NE(m.output.find("FAILED no-double-charge seed="), std::string::npos) << m.output;
  EXPECT_NE(read_file(junit).find("<testcase name=\"seed 30\""), std::string::npos);
  EXPECT_NE(read_file(html).find("no-double-charge"), std::string::npos);
  // Same merge with --jobs on the shards: still the same report.
  const std::string shard0 = temp_path("shard0-jobs.json");
  ASSERT_EQ(run_reckon(std::string("sweep --seeds 5..30") + kPlanted +
                       " --shard 0/3 --jobs 2 --report " + shard0)
                .exit_code,
            1);
  EXPECT_EQ(read_file(shard0), read_file(temp_path("shard0.json")));
}

TEST(SweepScale, MergeRejectsIncompleteOrMismatchedShards) {
  const std::string a = temp_path("m-a.json");
  const std::string b = temp_path("m-b.json");
  const std::string c = temp_path("m-c.json");
  ASSERT_EQ(run_reckon("sweep --seeds 1..6 --shard 0/2 --report " + a).exit_code, 0);
  ASSERT_EQ(run_reckon("sweep --seeds 1..6 --shard 1/2 --clients 2 --report " + b).exit_code, 0);
  ASSERT_EQ(run_reckon("sweep --seeds 1..6 --shard 1/2 --report " + c).exit_code, 0);
  const std::pair<std::string, std::string> cases[] = {
      {"merge " + a, "shard 1/2 is missing"},
      {"merge " + a + " " + a, "given twice"},
      {"merge " + a + " " + b, "different config"},
      {"merge " + a + " /nonexistent/x.json", "cannot read '/nonexistent/x.json'"},
      {"merge", "files"},
  };
  for (const auto& [args, mention] : cases) {
    const auto r = run_reckon(args + " --report ''");
    EXPECT_EQ(r.exit_code, 2) << args << "\n" << r.output;
    EXPECT_NE(r.output.find(mention), std::string::npos) << args << "\n" << r.output;
  }
  const auto ok = run_reckon("merge " + c + " " + a + " --report '' --format json");
  EXPECT_EQ(ok.exit_code, 0) << ok.output;
  EXPECT_EQ(nlohmann::json::parse(ok.output)["seeds"]["count"], 6);
}

TEST(SweepScale, MergeExitsWithTheVerdictOfAllShards) {
  const std::string a = temp_path("v-a.json");
  const std::string b = temp_path("v-b.json");
  ASSERT_EQ(
      run_reckon("sweep --seeds 1..4 --check-determinism --shard 0/2 --report " + a).exit_code, 0);
  ASSERT_EQ(
      run_reckon("sweep --seeds 1..4 --check-determinism --shard 1/2 --report " + b).exit_code, 0);
  // Doctor shard 1: one seed's two runs disagreed, and its budget left a seed unrun.
  auto json = nlohmann::json::parse(read_file(b));
  json["runs"][0]["determinism"]["deterministic"] = false;
  json["runs"][0]["determinism"]["second_trace_hash"] = "0000000000000000";
  json["coverage"]["planned"] = 3;
  json["coverage"]["unrun"] = 1;
  std::ofstream(b) << json.dump(2);
  const std::string junit = temp_path("v.xml");
  const auto r = run_reckon("merge " + a + " " + b + " --report '' --junit " + junit);
  EXPECT_EQ(r.exit_code, 3) << r.output;  // 3 wins over 4
  EXPECT_NE(r.output.find("NONDETERMINISTIC seed=2"), std::string::npos) << r.output;
  EXPECT_NE(read_file(junit).find("type=\"determinism\""), std::string::npos);
  json["runs"][0]["determinism"]["deterministic"] = true;
  std::ofstream(b) << json.dump(2);
  EXPECT_EQ(run_reckon("merge " + a + " " + b + " --report ''").exit_code, 4);
}

TEST(SweepScale, BudgetStopsCleanlyAndExitsFour) {
  for (const char* jobs : {"1", "2"}) {
    const std::string report = temp_path(std::string("budget") + jobs + ".json");
    const auto r = run_reckon("sweep --seeds 1..1000000 --budget 300ms --jobs " +
                              std::string(jobs) + " --report " + report);
    EXPECT_EQ(r.exit_code, 4) << r.output.substr(r.output.size() - 600);
    const auto json = nlohmann::json::parse(read_file(report));
    EXPECT_EQ(json["coverage"]["planned"], 1000000);
    EXPECT_EQ(json["coverage"]["run"], json["runs"].size());
    EXPECT_GT(json["coverage"]["unrun"].get<int>(), 0);
    EXPECT_EQ(json["coverage"]["run"].get<int>() + json["coverage"]["unrun"].get<int>(), 1000000);
    EXPECT_TRUE(json["passed"].get<bool>());
    EXPECT_NE(r.output.find("(time budget ran out)"), std::string::npos);
  }
}

TEST(SweepScale, AFailedPropertyWinsOverTheBudget) {
  const auto r =
      run_reckon(std::string("sweep --seeds 1..1000000 --budget 400ms --report ''") + kPlanted);
  EXPECT_EQ(r.exit_code, 1) << r.output.substr(r.output.size() - 600);
}

TEST(SweepScale, ABudgetThatIsNotReachedChangesNothing) {
  const std::string with = temp_path("budget-with.json");
  const std::string without = temp_path("budget-without.json");
  ASSERT_EQ(run_reckon("sweep --seeds 1..5 --budget 10m --report " + with).exit_code, 0);
  ASSERT_EQ(run_reckon("sweep --seeds 1..5 --report " + without).exit_code, 0);
  EXPECT_EQ(read_file(with), read_file(without));
}

TEST(SweepScale, BadScaleArgumentsExitTwoNamingTheArgument) {
  const std::pair<const char*, const char*> cases[] = {
      {"sweep --jobs 0", "--jobs"},
      {"sweep --jobs many", "--jobs"},
      {"sweep --budget 10", "--budget '10'"},
      {"sweep --budget soon", "--budget 'soon'"},
      {"sweep --shard 3/3", "--shard '3/3'"},
      {"sweep --shard one", "--shard 'one'"},
      {"sweep --seeds 1..3 --junit /nonexistent/dir/x.xml", "--junit"},
      {"sweep --seeds 1..3 --html /nonexistent/dir/x.html", "--html"},
  };
  for (const auto& [args, mention] : cases) {
    const auto r = run_reckon(std::string(args) + " --report ''");
    EXPECT_EQ(r.exit_code, 2) << args << "\n" << r.output;
    EXPECT_NE(r.output.find(mention), std::string::npos) << args << "\n" << r.output;
  }
}

// The runs wait in a temporary file ($TMPDIR) until the report is written: where none can be
// made the sweep stops before any seed runs, exit 2 naming the directory, no report written.
TEST(SweepScale, AnUnwritableTmpdirExitsTwoNamingIt) {
  const std::string report = temp_path("tmpdir-report.json");
  std::remove(report.c_str());
  const char* before = std::getenv("TMPDIR");
  const std::string saved = before != nullptr ? before : "";
  ::setenv("TMPDIR", "/nonexistent/reckon-tmp", 1);
  const auto r = run_reckon("sweep --seeds 1..2 --report " + report);
  if (before != nullptr) {
    ::setenv("TMPDIR", saved.c_str(), 1);
  } else {
    ::unsetenv("TMPDIR");
  }
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("/nonexistent/reckon-tmp"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("seed 1 "), std::string::npos) << r.output;
  EXPECT_FALSE(std::ifstream(report).good()) << "a report was written";
}

TEST(SweepScale, ATerminalGetsAProgressBar) {
  // script(1) gives reckon a pseudo-terminal for stdout. Where none can be made (a chroot
  // without /dev/pts, some containers) or script(1) is missing, there is nothing to test.
  const int probe = std::system("script -qec true /dev/null >/dev/null 2>&1");
  if (!WIFEXITED(probe) || WEXITSTATUS(probe) != 0) {
    GTEST_SKIP() << "script(1) cannot make a pseudo-terminal here (exit status "
                 << (WIFEXITED(probe) ? WEXITSTATUS(probe) : -1) << ")";
  }
  const std::string command = "script -qec '" + std::string(RECKON_BINARY) +
                              " sweep --seeds 1..30 --jobs 2 --report \"\"' /dev/null";
  FILE* pipe = popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string out;
  char buf[4096];
  size_t n = 0;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
  const int status = pclose(pipe);
  if (!WIFEXITED(status) || WEXITSTATUS(status) == 127) GTEST_SKIP() << "no script(1)";
  EXPECT_EQ(WEXITSTATUS(status), 0) << out;
  EXPECT_NE(out.find("30/30 seeds"), std::string::npos) << out;
  EXPECT_NE(out.find("seeds/s"), std::string::npos) << out;
  EXPECT_EQ(out.find("seed 1 pass hash"), std::string::npos) << out;  // no plain lines
  EXPECT_NE(out.find("sweep summary"), std::string::npos) << out;
}

}  // namespace
}  // namespace reckon::cli

namespace reckon {
namespace {

// The summary's speed line: payments per wall second and per CPU second, and time
// compression (simulated seconds per CPU second), all positive for a sweep that ran.
TEST(SweepScale, TheSummaryReportsSpeedAndTimeCompression) {
  const auto run = testing::run_reckon("sweep --seeds 1..5 --jobs 1 --report ''");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  const auto at = run.output.find("  speed            ");
  ASSERT_NE(at, std::string::npos) << run.output;
  double per_wall = 0;
  double per_cpu = 0;
  double compression = 0;
  ASSERT_EQ(std::sscanf(run.output.c_str() + at,
                        "  speed %lf payments/s, %lf payments per CPU second, time compression "
                        "%lfx",
                        &per_wall, &per_cpu, &compression),
            3)
      << run.output;
  EXPECT_GT(per_wall, 0);
  EXPECT_GT(per_cpu, 0);
  EXPECT_GT(compression, 1);  // a seed simulates seconds of traffic in milliseconds
}

}  // namespace
}  // namespace reckon

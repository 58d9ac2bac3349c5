// The CLI's contract: exit codes, JSON fields, and clear errors on bad input.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sys/wait.h>
#include <array>
#include <cstdio>
#include <string>

#include "cli/seed_range.h"
#include "tests/support/run_reckon.h"

namespace reckon::cli {
namespace {

using Result = reckon::testing::ReckonResult;
using reckon::testing::run_reckon;

TEST(SeedRange, ParsesRangesAndRejectsNonsense) {
  std::string error;
  auto r = parse_seed_range("3..9", error);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->first, 3u);
  EXPECT_EQ(r->last, 9u);
  r = parse_seed_range("7", error);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->first, 7u);
  EXPECT_EQ(r->last, 7u);
  for (const char* bad : {"", "..", "9..3", "a..b", "1..", "-1..3", "1...3", "1..2x"}) {
    error.clear();
    EXPECT_FALSE(parse_seed_range(bad, error)) << bad;
    EXPECT_NE(error.find("--seeds"), std::string::npos) << bad;
  }
}

TEST(Cli, RunPrintsTheTraceHashAndExitsZero) {
  const Result r = run_reckon("run --seed 4");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("trace hash "), std::string::npos);
}

TEST(Cli, RunJsonHasTheDocumentedFields) {
  const Result r = run_reckon("run --seed 4 --format json");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto json = nlohmann::json::parse(r.output);
  EXPECT_EQ(json["seed"], 4);
  EXPECT_EQ(json["trace_hash"].get<std::string>().size(), 16u);
  EXPECT_GT(json["payments"].get<int>(), 0);
  EXPECT_TRUE(json["failures"].is_array());
}

TEST(Cli, SweepJsonListsSeedsHashesAndFailures) {
  const Result r =
      run_reckon("sweep --seeds 1..12 --plant psp-key-per-attempt --format json --report ''");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  const auto json = nlohmann::json::parse(r.output);
  EXPECT_EQ(json["seeds"]["count"], 12);
  ASSERT_EQ(json["runs"].size(), 12u);
  for (const auto& run : json["runs"]) EXPECT_EQ(run["trace_hash"].get<std::string>().size(), 16u);
  ASSERT_FALSE(json["failures"].empty());
  const auto& f = json["failures"][0];
  EXPECT_FALSE(f["property"].get<std::string>().empty());
  EXPECT_NE(f["replay"].get<std::string>().find("--plant psp-key-per-attempt"), std::string::npos);
}

TEST(Cli, FailureTextNamesPropertySeedAndReplay) {
  const Result r = run_reckon("sweep --seeds 1..12 --plant psp-key-per-attempt --report ''");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("FAILED no-double-charge seed="), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("replay: reckon run --seed "), std::string::npos);
}

TEST(Cli, CheckDeterminismPasses) {
  const Result r = run_reckon("sweep --seeds 1..5 --check-determinism --report ''");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("nondeterministic 0"), std::string::npos);
}

TEST(Cli, BadInputExitsTwoWithAClearMessage) {
  const std::pair<const char*, const char*> cases[] = {
      {"sweep --seeds 9..1", "--seeds"},
      {"sweep --seeds abc", "--seeds"},
      {"run --seed 1 --plant nope", "--plant 'nope'"},
      {"run", "--seed"},
      {"run --seed -4", "--seed"},
      {"run --seed 1 --format xml", "--format"},
      {"frobnicate", "frobnicate"},
  };
  for (const auto& [args, mention] : cases) {
    const Result r = run_reckon(args);
    EXPECT_EQ(r.exit_code, 2) << args << "\n" << r.output;
    EXPECT_NE(r.output.find(mention), std::string::npos) << args << "\n" << r.output;
  }
}

TEST(Cli, SweepWritesItsReportAtomically) {
  const std::string path = ::testing::TempDir() + "reckon-cli-report.json";
  std::remove(path.c_str());
  const Result r = run_reckon("sweep --seeds 1..3 --report " + path);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  FILE* f = std::fopen(path.c_str(), "r");
  ASSERT_NE(f, nullptr);
  std::fclose(f);
  FILE* tmp = std::fopen((path + ".tmp").c_str(), "r");
  EXPECT_EQ(tmp, nullptr);
  if (tmp) std::fclose(tmp);
}

}  // namespace
}  // namespace reckon::cli

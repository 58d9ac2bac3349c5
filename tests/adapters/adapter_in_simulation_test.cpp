// `reckon run|sweep --adapter CMD` (docs/adapters.md, "Inside the simulation"): the engine's
// PSP calls go through an external adapter to the simulated PSP, every property judges the
// result, a run is deterministic per seed, and a bad adapter ends the run with exit 2 naming
// its message and the problem, as adapter-check does.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <string>

#include "tests/support/run_reckon.h"

namespace reckon {
namespace {

using reckon::testing::read_file;
using reckon::testing::run_reckon;
using reckon::testing::temp_path;

const std::string kAdapter = "python3 " RECKON_EXAMPLES_DIR "/adapters/python/adapter.py";
const std::string kBuggy = "python3 " RECKON_EXAMPLES_DIR "/adapters/python/buggy_adapter.py";
const std::string kMisbehave = "python3 " RECKON_TEST_DATA "/adapters/misbehave.py";

TEST(AdapterInSimulation, TheCorrectAdapterPassesEveryPropertyDeterministically) {
  const std::string trace = temp_path("adapter-run.trace");
  const auto r = run_reckon("run --seed 3 --check-determinism --trace " + trace + " --adapter '" +
                            kAdapter + "'");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("seed 3: PASS"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("determinism: same hash twice"), std::string::npos) << r.output;
  // The engine's calls really went through the adapter, and came back as its results.
  const std::string text = read_file(trace);
  EXPECT_NE(text.find("adapter_operation op-1 authorize"), std::string::npos);
  EXPECT_NE(text.find("adapter_result op-1 outcome="), std::string::npos);
}

TEST(AdapterInSimulation, ADecisionFileNamesTheAdapterAndReplaysTheSameRun) {
  const std::string decisions = temp_path("adapter-run.decisions.json");
  const auto run =
      run_reckon("run --seed 2 --decisions " + decisions + " --adapter '" + kAdapter + "'");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  const auto file = nlohmann::json::parse(read_file(decisions));
  EXPECT_EQ(file.at("adapter"), kAdapter);
  const auto replay = run_reckon("replay --decisions " + decisions);
  EXPECT_EQ(replay.exit_code, 0) << replay.output;
  EXPECT_NE(replay.output.find("trace hash " + file.at("trace_hash").get<std::string>()),
            std::string::npos)
      << replay.output;
}

TEST(AdapterInSimulation, ThePropertiesCatchAnAdapterThatMintsANewKeyPerRetry) {
  // A retry under a new provider key makes a second authorization or refund at the provider
  // that the engine never booked: the payment properties see it, not only adapter-check.
  const auto r = run_reckon("sweep --seeds 1..4 --jobs 2 --report '' --adapter '" + kBuggy +
                            " --bug new-key-per-retry'");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("FAILED"), std::string::npos) << r.output;
  // A failure's replay command names the adapter, quoted as one shell word.
  EXPECT_NE(r.output.find("--adapter '" + kBuggy + " --bug new-key-per-retry'"), std::string::npos)
      << r.output;
}

TEST(AdapterInSimulation, CardDataInTheAdaptersLogsFailsTheRun) {
  // A test card number logged with every authorization: every seed fails at its end, naming
  // the number only by its first six and last four digits.
  const auto pan = run_reckon("sweep --seeds 1..2 --jobs 2 --report '' --adapter '" + kBuggy +
                              " --bug log-test-card'");
  EXPECT_EQ(pan.exit_code, 1) << pan.output;
  EXPECT_NE(pan.output.find("FAILED no-card-data-in-logs seed=1"), std::string::npos) << pan.output;
  EXPECT_NE(pan.output.find("holds a card number (424242...4242)"), std::string::npos)
      << pan.output;
  // A request body logged when the provider does not answer (all of the adapter's attempts
  // lost: a heavy loss of answers): its card token is named.
  const std::string lossy = temp_path("adapter-lossy.toml");
  std::ofstream(lossy) << "description = \"answers lost\"\n[faults.network]\n"
                          "response_loss = \"60/100\"\n";
  const auto token = run_reckon("sweep --scenario " + lossy +
                                " --seeds 1..2 --jobs 2 --report '' "
                                "--adapter '" +
                                kBuggy + " --bug log-card-tokens'");
  EXPECT_EQ(token.exit_code, 1) << token.output;
  EXPECT_NE(token.output.find("no-card-data-in-logs"), std::string::npos) << token.output;
  EXPECT_NE(token.output.find("holds the card token 'tok_"), std::string::npos) << token.output;
}

TEST(AdapterInSimulation, CardDataWrittenAsTheAdapterEndsIsJudged) {
  // The correct adapter, then a card number on stderr once it has exited (after bye): the
  // run ends the adapter and reads its stderr to the end before judging, so every run sees
  // it, not only those whose pipe happened to hold it in time.
  const std::string leaky = kAdapter + "; echo shutting down, last card 4242424242424242 >&2";
  const auto r = run_reckon("run --seed 1 --check-determinism --adapter \"" + leaky + "\"");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("FAILED no-card-data-in-logs seed=1"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("holds a card number (424242...4242)"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("determinism: same hash twice"), std::string::npos) << r.output;
}

TEST(AdapterInSimulation, ShrinkKeepsTheAdapterAndSaysHowToReproduce) {
  const std::string out = temp_path("adapter-shrunk.toml");
  const std::string buggy = kBuggy + " --bug new-key-per-retry";
  const auto r =
      run_reckon("shrink --seed 1 --budget 15s --out " + out + " --adapter '" + buggy + "'");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  const std::string reproduce =
      "reckon run --scenario " + out + " --seed 1 --adapter '" + buggy + "'";
  EXPECT_NE(r.output.find("reproduce: " + reproduce), std::string::npos) << r.output;
  EXPECT_NE(read_file(out).find(reproduce), std::string::npos);
  // The shrunk scenario still fails with the adapter it was shrunk with.
  EXPECT_EQ(run_reckon(reproduce.substr(std::string("reckon ").size())).exit_code, 1);
}

TEST(AdapterInSimulation, ABadAdapterEndsTheRunWithExitTwoNamingTheProblem) {
  struct Case {
    const char* mode;
    const char* says;
  };
  for (const Case& c :
       {Case{"unknown-type", "unknown message type 'shrug'"}, Case{"wrong-id", "op-999"},
        Case{"wrong-field-type", "message 'result'"}, Case{"malformed-json", "op-1"},
        Case{"crash", "exited with status 3"}, Case{"bad-hello", "partial_capture"}}) {
    const auto r = run_reckon("run --seed 1 --adapter '" + kMisbehave + " " + c.mode + "'");
    EXPECT_EQ(r.exit_code, 2) << c.mode << ": " << r.output;
    EXPECT_NE(r.output.find("reckon run: adapter: "), std::string::npos) << c.mode << r.output;
    EXPECT_NE(r.output.find(c.says), std::string::npos) << c.mode << ": " << r.output;
  }
}

TEST(AdapterInSimulation, ABadAdapterStopsAParallelSweepWithExitTwo) {
  const auto r = run_reckon("sweep --seeds 1..6 --jobs 2 --report '' --adapter '" + kMisbehave +
                            " unknown-type'");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("reckon sweep: adapter: "), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("unknown message type 'shrug'"), std::string::npos) << r.output;
}

// --check-determinism runs each seed twice through a fresh adapter: a deterministic adapter
// gives the same trace hash, in one process and across workers.
TEST(AdapterInSimulation, ASweepChecksDeterminismThroughTheAdapter) {
  const auto r = run_reckon(
      "sweep --seeds 1..3 --jobs 2 --check-determinism --report '' "
      "--adapter '" +
      kAdapter + "'");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("nondeterministic 0"), std::string::npos) << r.output;
}

// A failing run recorded as a decision file (which names its adapter) shrinks from the file
// alone, and the shrunk scenario says to run it with that adapter.
TEST(AdapterInSimulation, ShrinkFromADecisionFileKeepsItsAdapter) {
  const std::string buggy = kBuggy + " --bug new-key-per-retry";
  const std::string decisions = temp_path("adapter-failing.decisions.json");
  const auto run =
      run_reckon("run --seed 1 --decisions " + decisions + " --adapter '" + buggy + "'");
  ASSERT_EQ(run.exit_code, 1) << run.output;
  const std::string out = temp_path("adapter-shrunk-from-file.toml");
  const auto r = run_reckon("shrink --decisions " + decisions + " --budget 15s --out " + out);
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("--adapter '" + buggy + "'"), std::string::npos) << r.output;
}

// Every command that runs the simulation through an adapter ends with exit 2 naming the
// problem when the adapter breaks the protocol: shrink and replay (which once aborted on
// the uncaught error) as run and sweep do, and a suite sweep.
TEST(AdapterInSimulation, ABadAdapterIsExitTwoInShrinkReplayAndSuites) {
  const std::string bad = kMisbehave + " unknown-type";
  const auto shrink = run_reckon("shrink --seed 1 --out " + temp_path("bad-adapter-shrunk.toml") +
                                 " --adapter '" + bad + "'");
  EXPECT_EQ(shrink.exit_code, 2) << shrink.output;
  EXPECT_NE(shrink.output.find("reckon shrink: adapter: "), std::string::npos) << shrink.output;
  EXPECT_NE(shrink.output.find("unknown message type 'shrug'"), std::string::npos);

  // A decision file recorded with a good adapter, then pointed at the bad one.
  const std::string decisions = temp_path("bad-adapter.decisions.json");
  ASSERT_EQ(run_reckon("run --seed 2 --decisions " + decisions + " --adapter '" + kAdapter + "'")
                .exit_code,
            0);
  auto file = nlohmann::json::parse(read_file(decisions));
  file["adapter"] = bad;
  {
    std::ofstream out(decisions, std::ios::trunc);
    out << file.dump();
  }
  const auto replay = run_reckon("replay --decisions " + decisions);
  EXPECT_EQ(replay.exit_code, 2) << replay.output;
  EXPECT_NE(replay.output.find("reckon replay: adapter: "), std::string::npos) << replay.output;

  const auto suite =
      run_reckon("sweep --suite fast --seeds 1..1 --report '' --adapter '" + bad + "'");
  EXPECT_EQ(suite.exit_code, 2) << suite.output;
  EXPECT_NE(suite.output.find("reckon sweep: adapter: "), std::string::npos) << suite.output;
}

}  // namespace
}  // namespace reckon

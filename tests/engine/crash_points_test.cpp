// Crashes at the engine's named crash points: each point is hit, every hit is a recorded
// decision, and the correct engine keeps every property through them.
#include <gtest/gtest.h>

#include <map>

#include "engine/crash_points.h"
#include "sim/crashpoint_sweep.h"
#include "sim/world.h"

namespace reckon::sim {
namespace {

TEST(CrashPoints, EveryPointCrashesTheEngineAndThePropertiesHold) {
  std::map<std::string, int> crashes_at;
  for (uint64_t seed = 1; seed <= 12; ++seed) {
    RunConfig config;
    config.seed = seed;
    config.keep_trace = true;
    config.faults.process.crash_point_rate = Ratio{1, 6};
    const RunResult r = run_simulation(config);
    for (const auto& f : r.failures) ADD_FAILURE() << "seed " << seed << ": " << f.detail;
    for (const auto& line : r.trace) {
      const auto at = line.find(" crash cause=");
      if (at != std::string::npos) ++crashes_at[line.substr(at + 13)];
    }
  }
  for (const auto& point : engine::kCrashPoints) {
    EXPECT_GT(crashes_at[std::string(point.name)], 0) << point.name << " never crashed";
  }
}

TEST(CrashPoints, CrashPointDecisionsAreRecorded) {
  RunConfig config;
  config.seed = 3;
  config.keep_trace = true;
  config.faults.process.crash_point_rate = Ratio{1, 6};
  const RunResult r = run_simulation(config);
  int decisions = 0;
  int crashes = 0;
  for (const auto& line : r.trace) {
    decisions += line.find("kind=crash_point") != std::string::npos;
    const auto at = line.find(" crash cause=");
    crashes += at != std::string::npos && engine::is_crash_point(line.substr(at + 13));
  }
  EXPECT_GT(decisions, 0);
  EXPECT_EQ(decisions, crashes);
}

TEST(CrashPoints, NamesAreUnique) {
  for (size_t i = 0; i < engine::kCrashPoints.size(); ++i) {
    EXPECT_TRUE(engine::is_crash_point(engine::kCrashPoints[i].name));
    for (size_t j = i + 1; j < engine::kCrashPoints.size(); ++j) {
      EXPECT_NE(engine::kCrashPoints[i].name, engine::kCrashPoints[j].name);
    }
  }
  EXPECT_FALSE(engine::is_crash_point("nowhere"));
}

}  // namespace
}  // namespace reckon::sim

namespace reckon::sim {
namespace {

TEST(CrashPointSweep, RerunsOncePerPointPassedAndCrashesThere) {
  RunConfig config;
  config.seed = 3;
  config.keep_trace = true;
  config.faults.process.crash_point_rate = Ratio::never();
  const CrashPointSweep sweep = run_crash_points(config, /*all_passes=*/false);
  ASSERT_TRUE(sweep.baseline.passed());
  ASSERT_EQ(sweep.runs.size(), sweep.baseline.crash_point_passes.size());
  EXPECT_GE(sweep.runs.size(), 4u);  // a run with recoveries passes most points
  for (const auto& r : sweep.runs) {
    EXPECT_TRUE(r.result.passed()) << r.point;
    EXPECT_EQ(r.pass, 1);
    bool forced = false;
    for (const auto& line : r.result.trace) {
      forced = forced || (line.find("kind=crash_point") != std::string::npos &&
                          line.find(":" + r.point + "#1 value=1") != std::string::npos);
    }
    EXPECT_TRUE(forced) << r.point;
    EXPECT_NE(r.result.trace_hash, sweep.baseline.trace_hash) << r.point;
  }
}

TEST(CrashPointSweep, AllPassesCrashesAtEveryPass) {
  RunConfig config;
  config.seed = 5;
  config.clients = 1;
  config.client.payments = 2;
  config.faults.process.crash_point_rate = Ratio::never();
  const CrashPointSweep sweep = run_crash_points(config, /*all_passes=*/true);
  int64_t expected = 0;
  for (const auto& [point, passes] : sweep.baseline.crash_point_passes) expected += passes;
  EXPECT_EQ(static_cast<int64_t>(sweep.runs.size()), expected);
  EXPECT_EQ(sweep.failed(), 0);
}

}  // namespace
}  // namespace reckon::sim

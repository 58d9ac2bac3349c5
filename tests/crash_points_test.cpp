// Crashes at the engine's named crash points: each point is hit, every hit is a recorded
// decision, and the correct engine keeps every property through them.
#include <gtest/gtest.h>

#include <map>

#include "engine/crash_points.h"
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
    crashes += line.find(" crash cause=") != std::string::npos &&
               line.find("cause=random") == std::string::npos;
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

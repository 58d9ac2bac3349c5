#pragma once
// A fault plan: which kinds of fault are on and how hard they hit. Plans are data; the
// simulator draws each fault as a recorded decision from the run's seed.

#include <cstdint>
#include <optional>
#include <string>

#include "faults/ratio.h"

namespace reckon::faults {

enum class LatencyShape { kFixed, kUniform, kLongTail };

// One-way network latency. kLongTail: uniform in [min_us, max_us], except with probability
// `tail` uniform in (max_us, tail_max_us], which is what makes callers time out.
struct LatencySpec {
  LatencyShape shape = LatencyShape::kLongTail;
  int64_t min_us = 500;
  int64_t max_us = 8'000;
  Ratio tail = {2, 100};
  int64_t tail_max_us = 600'000;
};

struct NetworkFaults {
  Ratio request_loss = {2, 100};   // a request never arrives
  Ratio response_loss = {3, 100};  // the request was processed, the answer never arrives
  Ratio duplicate = {2, 100};      // a message is delivered twice
  LatencySpec latency;
};

struct ProcessFaults {
  // Mean virtual time between engine crashes; 0 turns crashes off. Each gap is drawn
  // uniformly from [mean/2, 3*mean/2].
  int64_t engine_crash_interval_mean_us = 3'000'000;
  // Each time the engine passes a named crash point (engine/crash_points.h), it crashes
  // there with this probability.
  Ratio crash_point_rate = {1, 60};
  int64_t restart_delay_min_us = 50'000;
  int64_t restart_delay_max_us = 800'000;
};

struct FaultPlan {
  NetworkFaults network;
  ProcessFaults process;
};

// The plan the default sweep uses: every fault kind of the first slice on, moderately.
FaultPlan default_fault_plan();
// A plan with every fault off: the liveness phase, and a baseline.
FaultPlan quiet_fault_plan();

// A message naming the first impossible value, or nullopt when the plan is valid.
std::optional<std::string> validate(const FaultPlan& plan);

}  // namespace reckon::faults

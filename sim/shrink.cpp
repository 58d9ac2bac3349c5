#include "sim/shrink.h"

#include <algorithm>

#include "engine/check.h"
#include "faults/fault_kinds.h"
#include "sim/world.h"

namespace reckon::sim {
namespace {

// Decision kinds whose value is a duration in microseconds that can be shortened (a reorder
// delay, a slow PSP answer, an engine's downtime, a partition's length): the registry says.
bool weakenable(const std::string& kind) {
  for (const auto& k : faults::fault_kinds()) {
    if (!k.shortenable) continue;
    for (const auto d : k.decisions) {
      if (d == kind) return true;
    }
  }
  return false;
}

constexpr int64_t kShortestUs = 1'000;  // values are not shortened below a millisecond

ShrinkSize size_of(const RunConfig& c, const RunResult& r) {
  return ShrinkSize{r.decisions.size(), c.clients, c.client.payments, r.trace_lines};
}

class Shrinker {
 public:
  Shrinker(const RunConfig& failing, const RunResult& failed, std::string property,
           std::function<bool()> stop)
      : property_(std::move(property)), stop_(std::move(stop)) {
    RECKON_CHECK(fails_with(failed, property_), "shrinking starts from a failing run");
    best_config_ = failing;
    best_run_ = failed;
    before_ = size_of(failing, failed);
  }

  ShrinkResult run() {
    ShrinkResult out;
    if (!best_config_.replay_decisions) {
      // A recorded run: from now on every candidate is a replay, starting with this one.
      RunConfig replay = best_config_;
      replay.replay_decisions = best_run_.decisions;
      RunResult r = run_simulation(replay);
      ++runs_;
      out.reproduced = fails_with(r, property_);
      best_config_ = std::move(replay);
      best_run_ = std::move(r);
    }
    for (bool progress = out.reproduced; progress && !stopped_;) {
      progress = false;
      progress = shrink_workload() || progress;
      progress = remove_decisions() || progress;
      progress = weaken_values() || progress;
    }
    out.config = best_config_;
    out.run = best_run_;
    out.before = before_;
    out.after = size_of(best_config_, best_run_);
    out.runs = runs_;
    out.stopped_early = stopped_;
    return out;
  }

 private:
  const std::vector<faults::Decision>& decisions() const { return *best_config_.replay_decisions; }

  // Runs a candidate; keeps it (and its recorded decisions) when the property still fails.
  bool try_candidate(RunConfig candidate) {
    if (stopped_ || (stop_ && stop_())) {
      stopped_ = true;
      return false;
    }
    RunResult r = run_simulation(candidate);
    ++runs_;
    if (!fails_with(r, property_)) return false;
    candidate.replay_decisions = r.decisions;
    best_config_ = std::move(candidate);
    best_run_ = std::move(r);
    return true;
  }

  bool try_decisions(std::vector<faults::Decision> list) {
    RunConfig candidate = best_config_;
    candidate.replay_decisions = std::move(list);
    return try_candidate(std::move(candidate));
  }

  // Smaller values first (1, a quarter, a half, one less), the first failing one kept.
  bool shrink_count(int RunConfig::*clients, int ClientConfig::*payments) {
    bool any = false;
    for (bool again = true; again && !stopped_;) {
      again = false;
      const int current =
          clients != nullptr ? best_config_.*clients : best_config_.client.*payments;
      std::vector<int> tries = {1, current / 4, current / 2, current - 1};
      std::sort(tries.begin(), tries.end());
      tries.erase(std::unique(tries.begin(), tries.end()), tries.end());
      for (const int n : tries) {
        if (n < 1 || n >= current) continue;
        RunConfig candidate = best_config_;
        if (clients != nullptr) {
          candidate.*clients = n;
        } else {
          candidate.client.*payments = n;
        }
        if (try_candidate(std::move(candidate))) {
          any = again = true;
          break;
        }
      }
    }
    return any;
  }

  bool shrink_workload() {
    bool any = shrink_count(&RunConfig::clients, nullptr);
    any = shrink_count(nullptr, &ClientConfig::payments) || any;
    return any;
  }

  // ddmin's complement step: remove one of n chunks; on success coarsen, else refine.
  bool remove_decisions() {
    bool any = false;
    if (!decisions().empty() && try_decisions({})) return true;
    size_t n = 2;
    while (!stopped_ && decisions().size() >= 1) {
      const size_t size = decisions().size();
      n = std::min(n, size);
      const size_t chunk = (size + n - 1) / n;
      bool removed = false;
      for (size_t start = 0; start < size && !stopped_; start += chunk) {
        std::vector<faults::Decision> rest;
        for (size_t i = 0; i < size; ++i) {
          if (i < start || i >= start + chunk) rest.push_back(decisions()[i]);
        }
        if (try_decisions(std::move(rest))) {
          removed = any = true;
          n = std::max<size_t>(n - 1, 2);
          break;
        }
      }
      if (removed) continue;
      if (n >= size) break;
      n = std::min(n * 2, size);
    }
    return any;
  }

  bool weaken_values() {
    bool any = false;
    for (size_t i = 0; i < decisions().size() && !stopped_; ++i) {
      while (!stopped_ && i < decisions().size()) {
        const faults::Decision& d = decisions()[i];
        if (!weakenable(d.kind) || d.value <= kShortestUs) break;
        std::vector<faults::Decision> list = decisions();
        list[i].value = std::max(kShortestUs, d.value / 2);
        if (!try_decisions(std::move(list))) break;
        any = true;
      }
    }
    return any;
  }

  std::string property_;
  std::function<bool()> stop_;
  RunConfig best_config_;
  RunResult best_run_;
  ShrinkSize before_;
  uint64_t runs_ = 0;
  bool stopped_ = false;
};

}  // namespace

bool fails_with(const RunResult& r, const std::string& property) {
  return std::any_of(r.failures.begin(), r.failures.end(),
                     [&](const Failure& f) { return f.property == property; });
}

ShrinkResult shrink_failure(const RunConfig& failing, const RunResult& failed,
                            const std::string& property, const std::function<bool()>& stop) {
  Shrinker shrinker(failing, failed, property, stop);
  return shrinker.run();
}

}  // namespace reckon::sim

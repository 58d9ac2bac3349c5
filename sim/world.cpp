#include "sim/world.h"

#include <algorithm>
#include <memory>

#include "engine/check.h"
#include "sim/durable_vfs.h"
#include "sim/engine_node.h"
#include "sim/fault_injector.h"
#include "sim/network.h"
#include "sim/properties.h"
#include "sim/psp_node.h"
#include "sim/trace.h"

namespace reckon::sim {
namespace {

// 2026-01-01T00:00:00Z: virtual time zero, as SQLite sees it through the VFS.
constexpr int64_t kEpochUnixMs = 1'767'225'600'000;
constexpr TimeUs kLivenessPollUs = 100'000;

class World {
 public:
  explicit World(const RunConfig& config)
      : config_(config),
        trace_(config.keep_trace),
        sqlite_stream_(config.seed, "sqlite"),
        vfs_("reckon-sim-" + std::to_string(config.seed),
             DurableVfsHooks{[this] { return sqlite_stream_.next_u64(); },
                             [this] { return kEpochUnixMs + queue_.now_us() / 1000; }},
             /*make_default=*/true),
        faults_(config.seed, config.faults, queue_, trace_),
        network_(queue_, trace_, faults_),
        psp_(config.seed, config.psp),
        checker_(result_.failures) {
    EngineNodeConfig node_config;
    node_config.engine.planted = config.planted;
    engine_ = std::make_unique<EngineNode>(config.seed, node_config, queue_, trace_, network_,
                                           faults_, vfs_, psp_,
                                           [this] { checker_.check_psp(psp_, queue_.now_us()); });
    for (int i = 0; i < config.clients; ++i) {
      clients_.push_back(std::make_unique<ClientNode>(config.seed, i, config.client, queue_, trace_,
                                                      network_, *engine_));
    }
  }

  RunResult run() {
    trace_.record(0, "world", "begin", "seed=" + std::to_string(config_.seed));
    engine_->start();
    engine_->schedule_crashes();
    for (auto& c : clients_) c->start();
    run_until([this] { return all_clients_done(); }, INT64_MAX);
    if (result_.failures.empty()) liveness_phase();
    finish();
    return std::move(result_);
  }

 private:
  template <typename Done>
  void run_until(Done done, TimeUs deadline_us) {
    uint64_t incarnation = engine_->incarnation();
    while (result_.failures.empty() && !done() && !queue_.empty() &&
           queue_.next_time_us() <= deadline_us) {
      queue_.run_next();
      if (engine_->incarnation() != incarnation) {
        incarnation = engine_->incarnation();
        checker_.engine_restarted();
      }
      if (engine_->up()) checker_.check_ledger(*engine_->engine(), queue_.now_us());
    }
  }

  bool all_clients_done() const {
    for (const auto& c : clients_) {
      if (!c->done()) return false;
    }
    return true;
  }

  void liveness_phase() {
    faults_.stop_faults();
    const TimeUs deadline_us = queue_.now_us() + config_.liveness_timeout_us;
    // Poll on virtual time slices rather than after every event: the query is not free.
    TimeUs slice_end_us = queue_.now_us();
    for (;;) {
      slice_end_us = std::min(slice_end_us + kLivenessPollUs, deadline_us);
      run_until([] { return false; }, slice_end_us);
      if (!result_.failures.empty()) return;
      if (engine_->up() && engine_->engine()->unresolved_operation_count() == 0) break;
      if (queue_.empty() || slice_end_us >= deadline_us) {
        const std::string why =
            engine_->up() ? "operations still unresolved" : "the engine is still down";
        result_.failures.push_back(Failure{
            kLiveness, "",
            why + " " + std::to_string(config_.liveness_timeout_us) + "us after faults stopped",
            queue_.now_us()});
        return;
      }
    }
    checker_.check_agreement(*engine_->engine(), psp_, queue_.now_us());
  }

  void finish() {
    trace_.record(queue_.now_us(), "world", "end",
                  "failures=" + std::to_string(result_.failures.size()));
    result_.seed = config_.seed;
    result_.trace_hash = trace_.hash_hex();
    result_.trace_lines = trace_.line_count();
    auto& s = result_.stats;
    for (const auto& c : clients_) {
      s.orders += c->stats().orders;
      s.authorized += c->stats().authorized;
      s.captured += c->stats().captured;
      s.declined += c->stats().declined;
      s.abandoned += c->stats().abandoned;
      s.unexpected_responses += c->stats().unexpected;
    }
    s.engine_crashes = engine_->crashes();
    s.fault_decisions = faults_.log().size();
    s.psp_charges = psp_.charges().size();
    s.ledger_entries = checker_.entries_checked();
    s.events = queue_.events_run();
    s.messages = network_.messages_sent();
    s.virtual_duration_us = queue_.now_us();
    if (config_.keep_trace) result_.trace = trace_.lines();
  }

  RunConfig config_;
  RunResult result_;
  EventQueue queue_;
  Trace trace_;
  PrngStream sqlite_stream_;
  DurableVfs vfs_;
  FaultInjector faults_;
  Network network_;
  PspNode psp_;
  PropertyChecker checker_;
  std::unique_ptr<EngineNode> engine_;
  std::vector<std::unique_ptr<ClientNode>> clients_;
};

}  // namespace

RunResult run_simulation(const RunConfig& config) {
  RECKON_CHECK(config.clients >= 1, "a run needs a client");
  World world(config);
  return world.run();
}

}  // namespace reckon::sim

#include "sim/fault_injector.h"

#include "sim/latency.h"

namespace reckon::sim {

FaultInjector::FaultInjector(uint64_t run_seed, faults::FaultPlan plan, EventQueue& queue,
                             Trace& trace)
    : plan_(std::move(plan)),
      queue_(queue),
      trace_(trace),
      network_stream_(run_seed, "faults.network"),
      latency_stream_(run_seed, "network.latency"),
      process_stream_(run_seed, "faults.process"),
      crash_point_stream_(run_seed, "faults.crash_points") {}

void FaultInjector::record(const std::string& kind, const std::string& subject, int64_t value) {
  const auto& d = log_.append(queue_.now_us(), kind, subject, value);
  trace_.record(queue_.now_us(), "faults", "fault",
                "n=" + std::to_string(d.index) + " kind=" + kind + " on=" + subject +
                    " value=" + std::to_string(value));
}

bool FaultInjector::lose(MessageKind kind, const std::string& message) {
  if (stopped_) return false;
  const bool request = kind == MessageKind::kRequest;
  const Ratio rate = request ? plan_.network.request_loss : plan_.network.response_loss;
  if (!network_stream_.chance(rate)) return false;
  record(request ? "request_loss" : "response_loss", message, 0);
  return true;
}

bool FaultInjector::duplicate(const std::string& message) {
  if (stopped_ || !network_stream_.chance(plan_.network.duplicate)) return false;
  record("duplicate", message, 1);
  return true;
}

TimeUs FaultInjector::latency_us() {
  if (!stopped_) return draw_latency_us(plan_.network.latency, latency_stream_);
  faults::LatencySpec calm = plan_.network.latency;
  calm.tail = Ratio::never();
  return draw_latency_us(calm, latency_stream_);
}

TimeUs FaultInjector::next_crash_delay_us() {
  const int64_t mean = plan_.process.engine_crash_interval_mean_us;
  if (stopped_ || mean <= 0) return 0;
  return process_stream_.between(mean / 2, mean + mean / 2);
}

TimeUs FaultInjector::restart_delay_us() {
  return process_stream_.between(plan_.process.restart_delay_min_us,
                                 plan_.process.restart_delay_max_us);
}

void FaultInjector::record_crash(const std::string& node) {
  record("crash", node, 0);
}

bool FaultInjector::crash_at_point(const std::string& node, std::string_view point) {
  if (stopped_ || !crash_point_stream_.chance(plan_.process.crash_point_rate)) return false;
  record("crash_point", node + ":" + std::string(point), 0);
  return true;
}

void FaultInjector::stop_faults() {
  if (stopped_) return;
  stopped_ = true;
  trace_.record(queue_.now_us(), "faults", "stop", "phase=liveness");
}

}  // namespace reckon::sim

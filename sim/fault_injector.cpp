#include "sim/fault_injector.h"

#include <algorithm>

#include "sim/latency.h"

namespace reckon::sim {

FaultInjector::FaultInjector(uint64_t run_seed, faults::FaultPlan plan, EventQueue& queue,
                             Trace& trace)
    : plan_(std::move(plan)),
      queue_(queue),
      trace_(trace),
      network_stream_(run_seed, "faults.network"),
      reorder_stream_(run_seed, "faults.reorder"),
      latency_stream_(run_seed, "network.latency"),
      partition_stream_(run_seed, "faults.partitions"),
      process_stream_(run_seed, "faults.process"),
      crash_point_stream_(run_seed, "faults.crash_points"),
      psp_stream_(run_seed, "faults.psp"),
      storage_stream_(run_seed, "faults.storage") {}

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

bool FaultInjector::duplicate(MessageKind kind, const std::string& message) {
  if (stopped_) return false;
  const bool twice =
      network_stream_.chance(plan_.network.duplicate) ||
      (kind == MessageKind::kResponse && network_stream_.chance(plan_.network.response_duplicate));
  if (!twice) return false;
  record("duplicate", message, 1);
  return true;
}

TimeUs FaultInjector::reorder_delay_us(const std::string& message) {
  if (stopped_ || !reorder_stream_.chance(plan_.network.reorder)) return 0;
  const TimeUs delay =
      reorder_stream_.between(plan_.network.reorder_min_us, plan_.network.reorder_max_us);
  record("reorder", message, delay);
  return delay;
}

TimeUs FaultInjector::latency_us() {
  if (!stopped_) return draw_latency_us(plan_.network.latency, latency_stream_);
  faults::LatencySpec calm = plan_.network.latency;
  calm.tail = Ratio::never();
  return draw_latency_us(calm, latency_stream_);
}

TimeUs FaultInjector::next_partition_delay_us() {
  const int64_t mean = plan_.network.partition_interval_mean_us;
  if (stopped_ || mean <= 0) return 0;
  return partition_stream_.between(mean / 2, mean + mean / 2);
}

TimeUs FaultInjector::partition_duration_us() {
  return partition_stream_.between(plan_.network.partition_min_us, plan_.network.partition_max_us);
}

uint64_t FaultInjector::pick_link(uint64_t link_count) {
  return partition_stream_.below(link_count);
}

void FaultInjector::record_partition(const std::string& a, const std::string& b, TimeUs duration_us,
                                     bool scheduled) {
  record(scheduled ? "scheduled_partition" : "partition", a + "|" + b, duration_us);
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

void FaultInjector::record_crash(const std::string& node, bool scheduled) {
  record(scheduled ? "scheduled_crash" : "crash", node, 0);
}

bool FaultInjector::crash_at_point(const std::string& node, std::string_view point) {
  const auto& allowed = plan_.process.crash_points;
  if (!allowed.empty() && std::find(allowed.begin(), allowed.end(), point) == allowed.end()) {
    return false;
  }
  if (stopped_ || !crash_point_stream_.chance(plan_.process.crash_point_rate)) return false;
  record("crash_point", node + ":" + std::string(point), 0);
  return true;
}

void FaultInjector::record_forced_crash(const std::string& node, std::string_view point,
                                        int64_t pass) {
  record("forced_crash_point", node + ":" + std::string(point), pass);
}

PspMisbehaviour FaultInjector::psp_misbehaviour(const std::string& request) {
  if (stopped_) return PspMisbehaviour::kNone;
  if (psp_stream_.chance(plan_.psp.error_before_processing)) {
    record("psp_error_before_processing", request, 503);
    return PspMisbehaviour::kErrorBeforeProcessing;
  }
  if (psp_stream_.chance(plan_.psp.error_after_processing)) {
    record("psp_error_after_processing", request, 503);
    return PspMisbehaviour::kErrorAfterProcessing;
  }
  return PspMisbehaviour::kNone;
}

TimeUs FaultInjector::psp_slow_us(const std::string& request) {
  if (stopped_ || !psp_stream_.chance(plan_.psp.slow)) return 0;
  const TimeUs delay = psp_stream_.between(plan_.psp.slow_min_us, plan_.psp.slow_max_us);
  record("psp_slow", request, delay);
  return delay;
}

bool FaultInjector::sync_fails(const std::string& path) {
  if (stopped_ || !storage_stream_.chance(plan_.storage.sync_failure)) return false;
  record("sync_failure", path, 0);
  return true;
}

bool FaultInjector::disk_full(const std::string& path) {
  if (stopped_ || !storage_stream_.chance(plan_.storage.disk_full)) return false;
  record("disk_full", path, 0);
  return true;
}

bool FaultInjector::crash_at_sync(const std::string& path) {
  if (stopped_ || !storage_stream_.chance(plan_.storage.crash_at_sync)) return false;
  record("crash_at_sync", path, 0);
  return true;
}

int64_t FaultInjector::torn_bytes(const std::string& path, int64_t write_bytes) {
  if (write_bytes <= 1 || !storage_stream_.chance(plan_.storage.torn_write)) return 0;
  const int64_t kept = storage_stream_.between(1, write_bytes - 1);
  record("torn_write", path, kept);
  return kept;
}

void FaultInjector::stop_faults() {
  if (stopped_) return;
  stopped_ = true;
  trace_.record(queue_.now_us(), "faults", "stop", "phase=liveness");
}

}  // namespace reckon::sim

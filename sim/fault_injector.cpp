#include "sim/fault_injector.h"

#include <algorithm>
#include <array>

#include "engine/check.h"
#include "faults/fault_kinds.h"
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
      restart_stream_(run_seed, "faults.restart"),
      crash_point_stream_(run_seed, "faults.crash_points"),
      psp_stream_(run_seed, "faults.psp"),
      storage_stream_(run_seed, "faults.storage"),
      settlement_stream_(run_seed, "faults.settlement"),
      client_stream_(run_seed, "faults.clients"),
      clock_stream_(run_seed, "faults.clock"),
      webhook_stream_(run_seed, "faults.psp_webhooks"),
      endpoint_stream_(run_seed, "faults.merchant_endpoint") {}

void FaultInjector::replay(const std::vector<faults::Decision>& decisions) {
  replaying_ = true;
  for (const auto& d : decisions) {
    if (faults::is_timed_decision(d.kind)) {
      replay_timed_[d.kind].push_back(d);
    } else {
      replay_sites_[{d.kind, d.subject}] = d.value;
      replay_kinds_.insert(d.kind);
    }
  }
}

void FaultInjector::record(std::string_view kind, const std::string& subject, int64_t value) {
  // Every decision kind is registered, so a replay file, shrink and the docs know it.
  RECKON_CHECK(faults::is_decision_kind(kind), "a fault decision of an unregistered kind");
  const auto& d = log_.append(queue_.now_us(), std::string(kind), subject, value);
  trace_.record(queue_.now_us(), "faults", "fault",
                "n=" + std::to_string(d.index) + " kind=" + std::string(kind) + " on=" + subject +
                    " value=" + std::to_string(value));
}

std::string FaultInjector::subject_text(const Opportunity& subject) {
  return subject.site + "#" + std::to_string(subject.number);
}

template <typename Subject, typename Draw>
std::optional<int64_t> FaultInjector::decide(std::string_view kind, const Subject& subject,
                                             Draw draw) {
  std::optional<int64_t> value;
  if (replaying_) {
    auto it = replay_sites_.find({std::string(kind), std::string(subject_text(subject))});
    if (it != replay_sites_.end()) value = it->second;
  } else {
    value = draw();
  }
  if (value) record(kind, subject_text(subject), *value);
  return value;
}

bool FaultInjector::possible(const char* kind, Ratio rate) const {
  return replaying_ ? replay_kinds_.count(kind) != 0 : !rate.is_zero();
}

FaultInjector::Opportunity FaultInjector::opportunity(std::string_view family,
                                                      const std::string& site) {
  auto by_family = opportunities_.find(family);
  if (by_family == opportunities_.end())
    by_family = opportunities_.try_emplace(std::string(family)).first;
  auto& sites = by_family->second;
  auto count = sites.find(site);
  if (count == sites.end()) count = sites.emplace(site, 0).first;
  return Opportunity{site, ++count->second};
}

bool FaultInjector::lose(MessageKind kind, const std::string& message) {
  if (stopped_) return false;
  const bool request = kind == MessageKind::kRequest;
  const Ratio rate = request ? plan_.network.request_loss : plan_.network.response_loss;
  return decide(request ? "request_loss" : "response_loss", message,
                [&]() -> std::optional<int64_t> {
                  if (network_stream_.chance(rate)) return 0;
                  return std::nullopt;
                })
      .has_value();
}

bool FaultInjector::duplicate(MessageKind kind, const std::string& message) {
  if (stopped_) return false;
  return decide("duplicate", message,
                [&]() -> std::optional<int64_t> {
                  const bool twice = network_stream_.chance(plan_.network.duplicate) ||
                                     (kind == MessageKind::kResponse &&
                                      network_stream_.chance(plan_.network.response_duplicate));
                  if (twice) return 1;
                  return std::nullopt;
                })
      .has_value();
}

TimeUs FaultInjector::reorder_delay_us(const std::string& message) {
  if (stopped_) return 0;
  return decide("reorder", message,
                [&]() -> std::optional<int64_t> {
                  if (!reorder_stream_.chance(plan_.network.reorder)) return std::nullopt;
                  return reorder_stream_.between(plan_.network.reorder_min_us,
                                                 plan_.network.reorder_max_us);
                })
      .value_or(0);
}

TimeUs FaultInjector::latency_us(const std::string& delivery) {
  // The body is drawn in both modes (it is not a fault); the tail is a decision, so replay
  // takes it from the list and shrinking can remove it.
  const LatencyDraw draw = draw_latency(plan_.network.latency, latency_stream_);
  if (stopped_ || !possible("latency_tail", plan_.network.latency.tail)) return draw.body_us;
  return decide("latency_tail", delivery,
                [&]() -> std::optional<int64_t> {
                  if (draw.tail) return draw.tail_us;
                  return std::nullopt;
                })
      .value_or(draw.body_us);
}

std::optional<TimedFault> FaultInjector::next_timed(const std::string& kind) {
  auto it = replay_timed_.find(kind);
  if (it == replay_timed_.end()) return std::nullopt;
  size_t& next = replay_timed_next_[kind];
  if (next >= it->second.size()) return std::nullopt;
  const faults::Decision& d = it->second[next++];
  RECKON_CHECK(d.at_us >= queue_.now_us(), "replayed decisions are in time order");
  return TimedFault{d.at_us, d.subject, d.value};
}

std::optional<TimedFault> FaultInjector::next_partition(const std::vector<std::string>& links) {
  if (stopped_) return std::nullopt;
  if (replaying_) return next_timed("partition");
  const int64_t mean = plan_.network.partition_interval_mean_us;
  if (mean <= 0 || links.empty()) return std::nullopt;
  TimedFault f;
  f.at_us = queue_.now_us() + partition_stream_.between(mean / 2, mean + mean / 2);
  f.subject = links[partition_stream_.below(links.size())];
  f.value =
      partition_stream_.between(plan_.network.partition_min_us, plan_.network.partition_max_us);
  return f;
}

void FaultInjector::record_partition(const std::string& kind, const TimedFault& fault) {
  record(kind, fault.subject, fault.value);
}

std::optional<TimedFault> FaultInjector::next_crash(const std::string& node) {
  if (stopped_) return std::nullopt;
  if (replaying_) return next_timed("crash");
  const int64_t mean = plan_.process.engine_crash_interval_mean_us;
  if (mean <= 0) return std::nullopt;
  TimedFault f;
  f.at_us = queue_.now_us() + process_stream_.between(mean / 2, mean + mean / 2);
  f.subject = node;
  f.value = process_stream_.between(plan_.process.restart_delay_min_us,
                                    plan_.process.restart_delay_max_us);
  return f;
}

void FaultInjector::record_crash(const std::string& kind, const TimedFault& fault) {
  record(kind, fault.subject, fault.value);
}

TimeUs FaultInjector::scheduled_restart_delay_us() {
  return process_stream_.between(plan_.process.restart_delay_min_us,
                                 plan_.process.restart_delay_max_us);
}

std::vector<std::pair<std::string, TimedFault>> FaultInjector::replayed_scheduled_faults() const {
  std::vector<std::pair<std::string, TimedFault>> out;
  for (const faults::FaultKind& scheduled : faults::fault_kinds()) {
    if (scheduled.shape != faults::KnobShape::kScheduled) continue;
    const std::string kind(scheduled.decisions[0]);
    auto it = replay_timed_.find(kind);
    if (it == replay_timed_.end()) continue;
    for (const auto& d : it->second)
      out.emplace_back(kind, TimedFault{d.at_us, d.subject, d.value});
  }
  return out;
}

TimeUs FaultInjector::restart_delay_us() {
  return restart_stream_.between(plan_.process.restart_delay_min_us,
                                 plan_.process.restart_delay_max_us);
}

bool FaultInjector::crash_at_point(const std::string& node, std::string_view point, int64_t pass,
                                   bool forced) {
  if (stopped_ && !forced) return false;
  const std::string subject = node + ":" + std::string(point) + "#" + std::to_string(pass);
  const auto& allowed = plan_.process.crash_points;
  const bool eligible =
      allowed.empty() || std::find(allowed.begin(), allowed.end(), point) != allowed.end();
  return decide("crash_point", subject,
                [&]() -> std::optional<int64_t> {
                  if (forced) return 1;
                  if (eligible && crash_point_stream_.chance(plan_.process.crash_point_rate)) {
                    return 0;
                  }
                  return std::nullopt;
                })
      .has_value();
}

PspMisbehaviour FaultInjector::psp_misbehaviour(const std::string& request) {
  if (stopped_) return PspMisbehaviour::kNone;
  if (!possible("psp_error_before_processing", plan_.psp.error_before_processing) &&
      !possible("psp_error_after_processing", plan_.psp.error_after_processing)) {
    return PspMisbehaviour::kNone;
  }
  const Opportunity site = opportunity("psp", request);
  auto before = decide("psp_error_before_processing", site, [&]() -> std::optional<int64_t> {
    if (psp_stream_.chance(plan_.psp.error_before_processing)) return 503;
    return std::nullopt;
  });
  if (before) return PspMisbehaviour::kErrorBeforeProcessing;
  auto after = decide("psp_error_after_processing", site, [&]() -> std::optional<int64_t> {
    if (psp_stream_.chance(plan_.psp.error_after_processing)) return 503;
    return std::nullopt;
  });
  return after ? PspMisbehaviour::kErrorAfterProcessing : PspMisbehaviour::kNone;
}

bool FaultInjector::psp_refuses(const std::string& request) {
  if (stopped_ || !possible("psp_refusal", plan_.psp.refusal)) return false;
  return decide("psp_refusal", request,
                [&]() -> std::optional<int64_t> {
                  if (!psp_stream_.chance(plan_.psp.refusal)) return std::nullopt;
                  return 400;
                })
      .has_value();
}

std::optional<int> FaultInjector::psp_garbled_reply(const std::string& request, int kinds) {
  if (stopped_ || !possible("psp_garbled_reply", plan_.psp.garbled_reply)) return std::nullopt;
  const auto kind = decide("psp_garbled_reply", opportunity("psp_garbled_reply", request),
                           [&]() -> std::optional<int64_t> {
                             if (!psp_stream_.chance(plan_.psp.garbled_reply)) return std::nullopt;
                             return psp_stream_.below(static_cast<uint64_t>(kinds));
                           });
  if (!kind) return std::nullopt;
  // A hand-written decision list may name any number: fold it into the kinds.
  const int64_t folded = *kind % kinds;
  return static_cast<int>(folded < 0 ? folded + kinds : folded);
}

TimeUs FaultInjector::psp_slow_us(const std::string& request) {
  if (stopped_ || !possible("psp_slow", plan_.psp.slow)) return 0;
  return decide("psp_slow", opportunity("psp_slow", request),
                [&]() -> std::optional<int64_t> {
                  if (!psp_stream_.chance(plan_.psp.slow)) return std::nullopt;
                  return psp_stream_.between(plan_.psp.slow_min_us, plan_.psp.slow_max_us);
                })
      .value_or(0);
}

bool FaultInjector::psp_webhook_duplicate(const std::string& event_id) {
  if (stopped_ || !possible("psp_webhook_duplicate", plan_.psp.webhook_duplicate)) return false;
  return decide("psp_webhook_duplicate", event_id,
                [&]() -> std::optional<int64_t> {
                  if (!webhook_stream_.chance(plan_.psp.webhook_duplicate)) return std::nullopt;
                  return 0;
                })
      .has_value();
}

std::optional<int> FaultInjector::psp_webhook_forgery(const std::string& event_id, int kinds) {
  if (stopped_ || !possible("psp_webhook_forged", plan_.psp.webhook_forged)) return std::nullopt;
  const auto kind = decide("psp_webhook_forged", event_id, [&]() -> std::optional<int64_t> {
    if (!webhook_stream_.chance(plan_.psp.webhook_forged)) return std::nullopt;
    return static_cast<int64_t>(webhook_stream_.below(static_cast<uint64_t>(kinds)));
  });
  if (!kind) return std::nullopt;
  // A replayed decision file may name a kind this build lacks: the genuine notice only.
  if (*kind < 0 || *kind >= kinds) return std::nullopt;
  return static_cast<int>(*kind);
}

TimeUs FaultInjector::psp_webhook_late_us(const std::string& event_id) {
  if (stopped_ || !possible("psp_webhook_late", plan_.psp.webhook_late)) return 0;
  return decide("psp_webhook_late", event_id,
                [&]() -> std::optional<int64_t> {
                  if (!webhook_stream_.chance(plan_.psp.webhook_late)) return std::nullopt;
                  return webhook_stream_.between(plan_.psp.webhook_late_min_us,
                                                 plan_.psp.webhook_late_max_us);
                })
      .value_or(0);
}

bool FaultInjector::client_misbehaves(ClientMisbehaviour kind, const std::string& subject) {
  const char* name = "client_key_reuse";
  Ratio rate = plan_.clients.key_reuse_other_body;
  switch (kind) {
    case ClientMisbehaviour::kKeyReuseOtherBody:
      break;
    case ClientMisbehaviour::kOverCapture:
      name = "client_over_capture";
      rate = plan_.clients.over_capture;
      break;
    case ClientMisbehaviour::kConcurrentSameKey:
      name = "client_concurrent_same_key";
      rate = plan_.clients.concurrent_same_key;
      break;
    case ClientMisbehaviour::kGiveUp:
      name = "client_gives_up";
      rate = plan_.clients.give_up;
      break;
    case ClientMisbehaviour::kVoidAfterCapture:
      name = "client_void_after_capture";
      rate = plan_.clients.void_after_capture;
      break;
  }
  if (stopped_ || !possible(name, rate)) return false;
  return decide(name, subject,
                [&]() -> std::optional<int64_t> {
                  if (client_stream_.chance(rate)) return 1;
                  return std::nullopt;
                })
      .has_value();
}

int FaultInjector::webhook_endpoint_error(const std::string& event_id) {
  // Statuses real endpoints answer when they do not take an event: a redirect (which a
  // webhook sender must not follow as success), client errors, server and proxy errors.
  static constexpr std::array<int, 12> kStatuses{300, 301, 302, 307, 400, 401,
                                                 404, 410, 429, 500, 502, 503};
  const Ratio rate = plan_.clients.webhook_endpoint_error;
  if (stopped_ || !possible("client_webhook_endpoint_error", rate)) return 0;
  return static_cast<int>(decide("client_webhook_endpoint_error",
                                 opportunity("merchant_endpoint", event_id),
                                 [&]() -> std::optional<int64_t> {
                                   if (!endpoint_stream_.chance(rate)) return std::nullopt;
                                   return kStatuses[endpoint_stream_.below(kStatuses.size())];
                                 })
                              .value_or(0));
}

std::optional<TimeUs> FaultInjector::clock_skew_us(const std::string& node) {
  const auto& clock = plan_.clock;
  const bool on = clock.skew_min_us != 0 || clock.skew_max_us != 0;
  if (stopped_ || !possible("clock_skew", on ? Ratio{1, 1} : Ratio::never())) return std::nullopt;
  // Drawn every time the site comes up (a skew of 0 is a decision too), so each start has
  // one. In replay a start whose skew was removed (shrinking) runs unskewed.
  const auto skew =
      decide("clock_skew", opportunity("clock_skew", node), [&]() -> std::optional<int64_t> {
        return clock_stream_.between(clock.skew_min_us, clock.skew_max_us);
      });
  return skew ? skew : std::optional<TimeUs>(0);
}

TimeUs FaultInjector::timer_late_us(const std::string& node) {
  const auto& clock = plan_.clock;
  if (stopped_ || !possible("timer_late", clock.late_timer)) return 0;
  return decide("timer_late", opportunity("timer", node),
                [&]() -> std::optional<int64_t> {
                  if (!clock_stream_.chance(clock.late_timer)) return std::nullopt;
                  return clock_stream_.between(clock.late_timer_min_us, clock.late_timer_max_us);
                })
      .value_or(0);
}

bool FaultInjector::storage_fault(bool injected) {
  if (injected) last_storage_fault_us_ = queue_.now_us();
  return injected;
}

bool FaultInjector::sync_fails(const std::string& path) {
  if (stopped_ || !possible("sync_failure", plan_.storage.sync_failure)) return false;
  return storage_fault(
      decide("sync_failure", opportunity("sync", path), [&]() -> std::optional<int64_t> {
        if (storage_stream_.chance(plan_.storage.sync_failure)) return 0;
        return std::nullopt;
      }).has_value());
}

bool FaultInjector::disk_full(const std::string& path) {
  if (stopped_ || !possible("disk_full", plan_.storage.disk_full)) return false;
  return storage_fault(
      decide("disk_full", opportunity("grow", path), [&]() -> std::optional<int64_t> {
        if (storage_stream_.chance(plan_.storage.disk_full)) return 0;
        return std::nullopt;
      }).has_value());
}

bool FaultInjector::crash_at_sync(const std::string& path) {
  if (stopped_ || !possible("crash_at_sync", plan_.storage.crash_at_sync)) return false;
  return storage_fault(
      decide("crash_at_sync", opportunity("power", path), [&]() -> std::optional<int64_t> {
        if (storage_stream_.chance(plan_.storage.crash_at_sync)) return 0;
        return std::nullopt;
      }).has_value());
}

int64_t FaultInjector::torn_bytes(const std::string& path, int64_t write_bytes) {
  if (write_bytes <= 1 || !possible("torn_write", plan_.storage.torn_write)) return 0;
  const int64_t torn =
      decide("torn_write", opportunity("torn", path), [&]() -> std::optional<int64_t> {
        if (!storage_stream_.chance(plan_.storage.torn_write)) return std::nullopt;
        return storage_stream_.between(1, write_bytes - 1);
      }).value_or(0);
  storage_fault(torn > 0);
  return torn;
}

std::optional<int64_t> FaultInjector::settlement_fault(const std::string& kind,
                                                       const std::string& subject, Ratio rate,
                                                       int64_t min_value, int64_t max_value) {
  if (!possible(kind.c_str(), rate)) return std::nullopt;
  return decide(kind, subject, [&]() -> std::optional<int64_t> {
    if (!settlement_stream_.chance(rate)) return std::nullopt;
    return settlement_stream_.between(min_value, max_value);
  });
}

void FaultInjector::stop_faults() {
  if (stopped_) return;
  stopped_ = true;
  trace_.record(queue_.now_us(), "faults", "stop", "phase=liveness");
}

}  // namespace reckon::sim

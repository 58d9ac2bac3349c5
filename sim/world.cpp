#include "sim/world.h"

#include <algorithm>
#include <memory>

#include "engine/check.h"
#include "faults/swarm.h"
#include "oracle/charge_rules.h"
#include "oracle/settlement_text.h"
#include "sim/answer_documented.h"
#include "sim/audit_reader_check.h"
#include "sim/durable_vfs.h"
#include "sim/engine_node.h"
#include "sim/epoch.h"
#include "sim/error_body.h"
#include "sim/fault_injector.h"
#include "sim/ledger_verifier_check.h"
#include "sim/network.h"
#include "sim/probe_client.h"
#include "sim/properties.h"
#include "sim/psp_attempts_property.h"
#include "sim/psp_endpoint.h"
#include "sim/psp_node.h"
#include "sim/psp_notice.h"
#include "sim/psp_webhook_sender.h"
#include "sim/settlement.h"
#include "sim/trace.h"
#include "sim/webhook_event_check.h"
#include "sim/webhook_node.h"
#include "sim/webhook_order_property.h"
#include "sim/webhook_retry_property.h"

namespace reckon::sim {
namespace {

constexpr TimeUs kLivenessPollUs = 100'000;
const std::string kEngineName = "engine-0";

// The plan this seed runs: the configured one, or a swarm subset of it.
faults::FaultPlan plan_for(const RunConfig& config, std::vector<std::string>& swarm_kinds) {
  if (!config.swarm) return config.faults;
  PrngStream swarm_stream(config.seed, "swarm");
  return faults::swarm_select(
      config.faults, [&](uint64_t n) { return swarm_stream.below(n); }, swarm_kinds);
}

// What psp-attempts-as-configured allows: the scenario's attempts, the documented backoff,
// and the plan's late timers.
PspAttemptRules psp_attempt_rules(const RunConfig& config, const faults::FaultPlan& plan) {
  PspAttemptRules rules;
  rules.attempts_max = config.psp_attempts_max;
  if (plan.clock.late_timer.num > 0) rules.late_timer_max_us = plan.clock.late_timer_max_us;
  return rules;
}

// What webhook-retry-schedule allows: the documented schedule, the scenario's dispatcher
// interval (else the documented one), and the plan's late timers.
WebhookRetryRules webhook_retry_rules(const RunConfig& config, const faults::FaultPlan& plan) {
  WebhookRetryRules rules;
  if (config.outbox_poll_interval_us) rules.poll_interval_us = *config.outbox_poll_interval_us;
  if (plan.clock.late_timer.num > 0) rules.late_timer_max_us = plan.clock.late_timer_max_us;
  return rules;
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ",") + item;
  return out.empty() ? "none" : out;
}

class World {
 public:
  explicit World(const RunConfig& config)
      : config_(config),
        plan_(plan_for(config, result_.swarm_kinds)),
        trace_(config.keep_trace),
        epoch_unix_ms_(draw_epoch_unix_ms(config.seed) + draw_start_time_of_day_ms(config.seed)),
        sqlite_stream_(config.seed, "sqlite"),
        vfs_("reckon-sim-" + std::to_string(config.seed),
             DurableVfsHooks{[this] { return sqlite_stream_.next_u64(); },
                             [this] { return epoch_unix_ms_ + queue_.now_us() / 1000; }},
             /*make_default=*/true),
        faults_(config.seed, plan_, queue_, trace_),
        network_(queue_, trace_, faults_),
        psp_(config.seed, PspConfig{plan_.psp.decline, plan_.psp.authorization_expiry_us}),
        psp_endpoint_(queue_, trace_, faults_, psp_,
                      [this] { checker_.check_psp(psp_, queue_.now_us()); }),
        webhook_(config.seed, queue_, trace_, faults_),
        checker_(result_.failures),
        webhook_retries_(webhook_retry_rules(config, plan_), result_.failures),
        webhook_send_order_(result_.failures),
        psp_attempts_(psp_attempt_rules(config, plan_), result_.failures),
        psp_readings_(result_.failures),
        transitions_(faults_.log()) {
    checker_.observe_transitions(&transitions_);
    const EngineNodeConfig node_config = engine_node_config(config, plan_);
    engine_ = std::make_unique<EngineNode>(config.seed, node_config, queue_, trace_, network_,
                                           faults_, vfs_, psp_endpoint_, webhook_);
    if (config.psp_route) {
      engine_->use_psp_route(config.psp_route(
          PspRouteWorld{config.seed, kEngineName, &queue_, &network_, &psp_endpoint_, &trace_}));
    }
    engine_->observe_webhook_retries(&webhook_retries_);
    engine_->observe_webhook_sends(&webhook_send_order_);
    engine_->observe_psp_attempts(&psp_attempts_);
    engine_->observe_psp_readings(&psp_readings_);
    observe_engine_answers();
    if (plan_.psp.webhooks) start_psp_webhooks(config.seed, node_config.engine.psp_webhook_secret);
    start_clients(config);
    wire_storage_faults();
    if (config.replay_decisions) faults_.replay(*config.replay_decisions);
  }

  // The expiry the judges assume: the scenario's, else the documented default.
  TimeUs documented_expiry_us() const {
    return config_.authorization_expiry_us.value_or(oracle::kDefaultAuthorizationExpiryUs);
  }

  RunResult run() {
    trace_.record(0, "world", "begin",
                  "seed=" + std::to_string(config_.seed) + " scenario=" + config_.scenario);
    trace_.record(0, "world", "epoch", "at=" + oracle::timestamp_text(epoch_unix_ms_ * 1000, 3));
    if (config_.swarm) trace_.record(0, "world", "swarm", "kinds=" + joined(result_.swarm_kinds));
    engine_->start();
    engine_->schedule_crashes();
    schedule_partitions();
    schedule_explicit_faults();
    for (auto& c : clients_) c->start();
    probe_->start();
    run_until([this] { return all_clients_done(); }, INT64_MAX);
    if (result_.failures.empty()) liveness_phase();
    finish();
    return std::move(result_);
  }

 private:
  // The engine as the run configures it: the scenario's knobs over the engine's defaults,
  // and every merchant's webhook endpoint on the simulated webhook node.
  static EngineNodeConfig engine_node_config(const RunConfig& config,
                                             const faults::FaultPlan& plan) {
    EngineNodeConfig node_config;
    node_config.name = kEngineName;
    node_config.psp_timeout_us = config.psp_timeout_us;
    node_config.engine.planted = config.planted;
    node_config.engine.psp_attempts_max = config.psp_attempts_max;
    // Unset knobs leave the engine's own defaults; the judges below assume the documented
    // ones (oracle/charge_rules.h), so a wrong default is a failure, not a new normal.
    if (config.authorization_expiry_us) {
      node_config.engine.authorization_expiry_us = *config.authorization_expiry_us;
    }
    if (config.recovery_interval_us) {
      node_config.engine.recovery_interval_us = *config.recovery_interval_us;
    }
    if (config.outbox_poll_interval_us) {
      node_config.engine.outbox_poll_interval_us = *config.outbox_poll_interval_us;
    }
    if (plan.psp.webhooks) {
      node_config.engine.psp_webhook_secret = "whsec_sim_" + std::to_string(config.seed);
    }
    node_config.forced_crash_point = config.forced_crash_point;
    node_config.forced_crash_pass = config.forced_crash_pass;
    // Every merchant the clients pay through has a webhook endpoint: the simulated one.
    for (const auto& [api_key, merchant] : node_config.engine.api_keys) {
      node_config.engine.webhook_endpoints[merchant] =
          std::string("sim://") + kWebhookNodeName + "/" + merchant;
    }
    return node_config;
  }

  // The judges of every answer the engine gives (documented answers, honoured requests,
  // refusals) and the payments' creators.
  void observe_engine_answers() {
    engine_->observe_responses([this](const engine::HttpRequest& request,
                                      const engine::HttpResponse& response, TimeUs received_us) {
      charge_creators_.observe(request, response);
      const std::string undocumented = undocumented_answer(request, response);
      if (!undocumented.empty()) {
        checker_.client_failure(kAnswerDocumented, "", undocumented, queue_.now_us());
      } else if (request.target == kPspNoticePath &&
                 claims_storage_failure(response.status, response.body) &&
                 faults_.last_storage_fault_us() < received_us) {
        // The clients' and probes' rule for the PSP's notices, which no client sends:
        // docs/api.md gives 503 storage_unavailable only when a commit failed, and the
        // simulated disk fails only when told to (sim/durable_vfs.h): none was since the
        // notice arrived, so the engine could have recorded it.
        checker_.client_failure(kLegitimateRequestHonoured, "",
                                request.method + " " + request.target.substr(0, 80) +
                                    " was answered 503 storage_unavailable though no storage "
                                    "fault was injected since it arrived at t=" +
                                    std::to_string(received_us) + "us",
                                queue_.now_us());
      }
      checker_.check_refusal(
          engine_store(), request, response, received_us,
          [this](const std::string& charge_id) { return authorization_calls(charge_id); },
          queue_.now_us());
    });
  }

  // The PSP's signed webhooks, and the judges of how the engine answers them.
  void start_psp_webhooks(uint64_t seed, const std::string& secret) {
    PspWebhookSenderConfig hooks;
    hooks.secret = secret;
    hooks.run_seed = seed;
    psp_webhooks_ =
        std::make_unique<PspWebhookSender>(hooks, queue_, trace_, network_, faults_, *engine_);
    psp_webhooks_->on_refusal([this](const std::string&, const std::string& detail) {
      checker_.client_failure(kPspWebhookAccepted, "", detail, queue_.now_us());
    });
    psp_webhooks_->on_acknowledged(
        [this](const NoticeFacts& notice, const std::string& disposition) {
          const std::string problem = notice_answer_problem(engine_store(), notice, disposition);
          if (!problem.empty()) {
            checker_.client_failure(kPspWebhookAccepted, "", problem, queue_.now_us());
          }
        });
    psp_webhooks_->on_forgery_not_refused([this](const std::string&, const std::string& detail) {
      checker_.client_failure(kForgedWebhookRefused, "", detail, queue_.now_us());
    });
    psp_endpoint_.on_new_operation(
        [this](const engine::PspRequest& request, const engine::PspReply& reply) {
          psp_webhooks_->operation_finished(request, reply);
        });
  }

  // The merchants' clients and the probing merchant, told what the engine documents.
  void start_clients(const RunConfig& config) {
    ClientConfig client = config.client;
    // The clients judge a refused capture or void against the engine's documented expiry.
    client.engine_authorization_expiry_us = documented_expiry_us();
    client.engine_clock_skew_range_us = plan_.clock.skew_max_us - plan_.clock.skew_min_us;
    client.answers_guaranteed = !faults::may_withhold_answers(plan_) && config.schedule.empty();
    const faults::StorageFaults& disk = plan_.storage;
    storage_reliable_ = disk.sync_failure.is_zero() && disk.disk_full.is_zero() &&
                        disk.torn_write.is_zero() && disk.crash_at_sync.is_zero();
    client.storage_reliable = storage_reliable_;
    for (int i = 0; i < config.clients; ++i) {
      clients_.push_back(std::make_unique<ClientNode>(
          config.seed, i, client, queue_, trace_, network_, *engine_, faults_,
          [this](const char* property, const std::string& payment, const std::string& detail) {
            checker_.client_failure(property, payment, detail, queue_.now_us());
          }));
    }
    ProbeConfig probe = config.probe;
    probe.engine_authorization_expiry_us = documented_expiry_us();
    probe.engine_clock_skew_range_us = plan_.clock.skew_max_us - plan_.clock.skew_min_us;
    probe.psp_notices_on = plan_.psp.webhooks;
    probe_ = std::make_unique<ProbeClient>(
        config.seed, probe, queue_, trace_, network_, *engine_, faults_,
        [this](const char* property, const std::string& payment, const std::string& detail) {
          checker_.client_failure(property, payment, detail, queue_.now_us());
        });
  }

  // Storage faults hit only the engine node's files, and never while the engine is down or
  // the property checker reads them (a read can roll back a hot journal, which syncs: the
  // observer must not be where faults strike).
  void wire_storage_faults() {
    auto engine_file = [this](const std::string& path) {
      return !checking_ && path.starts_with(kEngineName);
    };
    vfs_.fail_next_sync = [this, engine_file](const std::string& path) {
      return engine_file(path) && faults_.sync_fails(path);
    };
    vfs_.disk_full = [this, engine_file](const std::string& path, int64_t) {
      return engine_file(path) && faults_.disk_full(path);
    };
    vfs_.power_loss_at_sync = [this, engine_file](const std::string& path) -> std::string {
      if (!engine_file(path) || !faults_.crash_at_sync(path)) return "";
      engine_->power_lost();
      return kEngineName;
    };
    if (!plan_.storage.torn_write.is_zero()) {
      // Not gated by checking_: torn bytes are drawn at a crash, never inside a check.
      vfs_.torn_bytes_at_crash = [this](const std::string& path, int64_t bytes) {
        return faults_.torn_bytes(path, bytes);
      };
    }
  }

  // The links a random partition may cut: engine-psp, engine-webhook, each client-engine.
  std::vector<std::string> partition_links() const {
    std::vector<std::string> links = {kEngineName + "|psp", kEngineName + "|" + kWebhookNodeName};
    for (const auto& c : clients_) links.push_back(c->name() + "|" + kEngineName);
    if (config_.probe.probes > 0) links.push_back(probe_->name() + "|" + kEngineName);
    return links;
  }

  void cut(const std::string& kind, const TimedFault& fault) {
    faults_.record_partition(kind, fault);
    const size_t bar = fault.subject.find('|');
    RECKON_CHECK(bar != std::string::npos, "a partition names two nodes as a|b");
    network_.cut(fault.subject.substr(0, bar), fault.subject.substr(bar + 1),
                 queue_.now_us() + fault.value);
  }

  void schedule_partitions() {
    const auto next = faults_.next_partition(partition_links());
    if (!next) return;
    queue_.schedule_at(next->at_us, [this, fault = *next] {
      if (faults_.faults_stopped()) return;
      cut("partition", fault);
      schedule_partitions();
    });
  }

  // Scheduled faults come from the scenario, or in replay from the decision list (so that
  // shrinking can remove them too).
  void schedule_explicit_faults() {
    std::vector<std::pair<std::string, TimedFault>> faults;
    if (faults_.replaying()) {
      faults = faults_.replayed_scheduled_faults();
    } else {
      for (const auto& f : config_.schedule) {
        const bool crash = f.kind == faults::ScheduledFault::Kind::kCrash;
        faults.emplace_back(crash ? "scheduled_crash" : "scheduled_partition",
                            TimedFault{f.at_us, crash ? kEngineName : f.node_a + "|" + f.node_b,
                                       crash ? -1 : f.duration_us});
      }
    }
    // Not a structured binding: Debian's clang-14 (the fuzz and sanitizer builds) cannot
    // capture one in a lambda (allowed from clang 16).
    for (const auto& entry : faults) {
      queue_.schedule_at(entry.second.at_us,
                         [this, kind = entry.first, fault = entry.second]() mutable {
                           if (kind == "scheduled_partition") return cut(kind, fault);
                           if (fault.value < 0) fault.value = faults_.scheduled_restart_delay_us();
                           engine_->crash(kind, fault);
                         });
    }
  }

  template <typename Done>
  void run_until(Done done, TimeUs deadline_us) {
    uint64_t incarnation = engine_->incarnation();
    while (result_.failures.empty() && !done() && !queue_.empty() &&
           queue_.next_time_us() <= deadline_us) {
      queue_.run_next();
      if (config_.test_perturb_after_events != 0 &&
          queue_.events_run() == config_.test_perturb_after_events) {
        trace_.record(queue_.now_us(), "world", "perturbed", "by=test_perturb_after_events");
      }
      if (engine_->incarnation() != incarnation) {
        incarnation = engine_->incarnation();
        checker_.engine_restarted();
        // A restarted engine holds only what was durable: every answer given must be there.
        if (engine_->up()) check_acknowledged();
      }
      if (engine_->up()) {
        checking_ = true;
        checker_.check_ledger(engine_store(), queue_.now_us());
        if (result_.failures.empty()) {
          checker_.check_outbox(engine_store(), webhook_, queue_.now_us());
        }
        checking_ = false;
      }
      discard_unchecked_failures();
    }
  }

  // A scenario may restrict which properties count; the others are still evaluated (the
  // checker is shared) but their failures are dropped here and the run goes on.
  void discard_unchecked_failures() {
    if (config_.properties.empty() || result_.failures.empty()) return;
    std::erase_if(result_.failures, [this](const Failure& f) {
      return std::find(config_.properties.begin(), config_.properties.end(), f.property) ==
             config_.properties.end();
    });
  }

  void check_acknowledged() {
    checking_ = true;
    std::vector<Acknowledgement> acks;
    for (const auto& c : clients_) {
      acks.insert(acks.end(), c->acknowledgements().begin(), c->acknowledgements().end());
    }
    // docs/api.md: a key is kept 24 h from its first request on the engine's clock, which
    // may read up to the skew range apart from virtual time.
    const TimeUs kept_for_us =
        oracle::kIdempotencyRetentionUs - (plan_.clock.skew_max_us - plan_.clock.skew_min_us);
    checker_.check_acknowledged(engine_store(), acks, kept_for_us, queue_.now_us());
    checking_ = false;
  }

  // A charge's authorization calls, found by the card token its creation sent (the world's
  // own record, sim/charge_creators.h), never by the engine's operations table.
  AuthorizationCalls authorization_calls(const std::string& charge_id) const {
    AuthorizationCalls calls;
    const auto source = charge_creators_.source_of(charge_id);
    if (!source) return calls;
    calls.keys = engine_->authorization_keys(*source);
    for (const std::string& key : calls.keys) {
      const auto span = engine_->last_psp_call_ended(key);
      if (span && (!calls.last_ended || span->sent_us > calls.last_ended->sent_us)) {
        calls.last_ended = span;
      }
    }
    return calls;
  }

  void check_race_outcomes() {
    std::vector<RaceOutcome> races;
    for (const auto& c : clients_) {
      races.insert(races.end(), c->race_outcomes().begin(), c->race_outcomes().end());
    }
    checker_.check_race_outcomes(engine_store(), races, queue_.now_us());
  }

  // The running engine's SQLite connection, which the checkers read with their own SQL.
  sqlite3* engine_store() { return engine_->engine()->db().handle(); }

  bool all_clients_done() const {
    if (!probe_->done()) return false;
    for (const auto& c : clients_) {
      if (!c->done()) return false;
    }
    return true;
  }

  // authorization-expiry-enforced at the end: the bound allows for the expiry, the clocks'
  // skew, one recovery pass per 100 expiries (docs/state-machine.md: the job voids at most
  // 100 per pass) plus one, late timers, and a second for the void to reach the PSP.
  // The engine's clock reads at least now + skew_min; its last recovery pass ran at most an
  // interval (and a late timer) ago, and purged every completed key first requested more
  // than the 24 h retention before that pass. A second of margin for the pass itself.
  // A pass that meets an injected storage fault forgets nothing (its transaction rolls back),
  // so with storage faults in the plan only a pass after they stopped is sure to have run.
  void check_expired_keys_forgotten() {
    const TimeUs interval_us =
        config_.recovery_interval_us.value_or(oracle::kDefaultRecoveryIntervalUs);
    const TimeUs late_us = plan_.clock.late_timer.num > 0 ? plan_.clock.late_timer_max_us : 0;
    if (!storage_reliable_ && queue_.now_us() - interval_us - late_us < faults_stopped_us_) {
      return;
    }
    const TimeUs created_before_us = queue_.now_us() + plan_.clock.skew_min_us - interval_us -
                                     late_us - oracle::kIdempotencyRetentionUs - 1'000'000;
    checker_.check_expired_keys_forgotten(engine_store(), created_before_us, queue_.now_us());
  }

  void check_expired_authorizations() {
    std::vector<HeldAuthorization> held;
    for (const auto& c : clients_) {
      held.insert(held.end(), c->held_authorizations().begin(), c->held_authorizations().end());
    }
    const TimeUs interval_us =
        config_.recovery_interval_us.value_or(oracle::kDefaultRecoveryIntervalUs);
    const auto passes = static_cast<TimeUs>(1 + held.size() / 100);
    const TimeUs late_us = plan_.clock.late_timer.num > 0 ? plan_.clock.late_timer_max_us : 0;
    const TimeUs expired_within_us =
        documented_expiry_us() + plan_.clock.skew_max_us - plan_.clock.skew_min_us;
    const TimeUs voided_within_us = passes * (interval_us + late_us) + 1'000'000;
    checker_.check_expired_authorizations(psp_, held, expired_within_us, voided_within_us,
                                          queue_.now_us());
  }

  void liveness_phase() {
    faults_.stop_faults();
    faults_stopped_us_ = queue_.now_us();
    const TimeUs deadline_us = queue_.now_us() + config_.liveness_timeout_us;
    // Poll on virtual time slices rather than after every event: the query is not free.
    TimeUs slice_end_us = queue_.now_us();
    for (;;) {
      slice_end_us = std::min(slice_end_us + kLivenessPollUs, deadline_us);
      run_until([] { return false; }, slice_end_us);
      if (!result_.failures.empty()) return;
      if (engine_->up() && engine_->engine()->unresolved_operation_count() == 0 &&
          engine_->engine()->undelivered_event_count() == 0) {
        // The slice boundary, not the last event's time: a recorded run has leftover
        // no-op events (the next random crash that will never come) that its replay lacks.
        end_us_ = slice_end_us;
        break;
      }
      if (queue_.empty() || slice_end_us >= deadline_us) {
        const char* property = kLiveness;
        std::string why = "the engine is still down";
        if (engine_->up() && engine_->engine()->unresolved_operation_count() > 0) {
          why = "operations still unresolved";
        } else if (engine_->up()) {
          property = kOutboxDelivered;
          why = "outbox events still undelivered";
        }
        result_.failures.push_back(Failure{
            property, "",
            why + " " + std::to_string(config_.liveness_timeout_us) + "us after faults stopped",
            queue_.now_us()});
        discard_unchecked_failures();
        return;
      }
    }
    check_acknowledged();
    discard_unchecked_failures();
    if (!result_.failures.empty()) return;
    // docs/api.md: every request gets an answer. Once the liveness phase is over nothing may
    // still wait: a request the running engine took and never answered is a lost request.
    if (const auto lost = engine_->oldest_unanswered()) {
      result_.failures.push_back(
          Failure{kLiveness, "", "the engine never answered " + *lost + " after faults stopped",
                  queue_.now_us()});
      return;
    }
    checker_.check_agreement(engine_store(), psp_, queue_.now_us());
    if (result_.failures.empty()) check_race_outcomes();
    if (result_.failures.empty()) check_expired_authorizations();
    if (result_.failures.empty()) checker_.check_audit_log(engine_store(), queue_.now_us());
    if (result_.failures.empty()) check_expired_keys_forgotten();
    if (result_.failures.empty()) {
      checker_.check_outbox_delivered(engine_store(), webhook_, queue_.now_us());
    }
    if (result_.failures.empty()) {
      check_webhook_events(engine_store(), webhook_.receipts(), charge_creators_, queue_.now_us(),
                           result_.failures);
    }
    discard_unchecked_failures();
    if (result_.failures.empty()) reconcile_settlement();
  }

  // The PSP's day reports against the engine's reconciliation job, at the slice boundary
  // (run as an event there, so a run and its replay stamp the same time on it).
  void reconcile_settlement() {
    queue_.schedule_at(end_us_, [this] {
      // The PSP's day closes cutoff_ms after the run's start time of day (sim/epoch.h).
      faults::SettlementFaults settlement = plan_.settlement;
      constexpr int64_t kMsPerDay = 86'400'000;
      settlement.cutoff_ms = (epoch_unix_ms_ % kMsPerDay + settlement.cutoff_ms) % kMsPerDay;
      check_reconciliation(psp_, psp_endpoint_, faults_, settlement, *engine_, *engine_->engine(),
                           config_.planted, epoch_unix_ms_ * 1000,
                           // the engine's clock was at most this far behind ([faults.clock])
                           engine_->most_behind_us(), end_us_, config_.seed, trace_,
                           result_.failures);
    });
    queue_.run_next();
    checker_.check_ledger(engine_store(), end_us_);  // the bookings balance too
    if (const std::string leak = engine_->route_log_problem(); !leak.empty()) {
      checker_.client_failure(kNoCardDataInLogs, "", leak, end_us_);
    }
    discard_unchecked_failures();
    if (!result_.failures.empty()) return;
    // Last: it tampers with the final ledger to see `reckon ledger verify` notice.
    checking_ = true;
    check_audit_reader(engine_store(), kEngineName + ".db", config_.planted, end_us_,
                       result_.failures);
    check_ledger_verifier(engine_store(), kEngineName + ".db", config_.seed, config_.planted,
                          end_us_, result_.failures);
    checking_ = false;
    discard_unchecked_failures();
  }

  void finish() {
    const TimeUs end_us = end_us_ >= 0 ? end_us_ : queue_.now_us();
    trace_.record(end_us, "world", "end", "failures=" + std::to_string(result_.failures.size()));
    result_.seed = config_.seed;
    result_.scenario = config_.scenario;
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
    s.webhook_retry_gaps_judged = webhook_retries_.gaps_judged();
    s.psp_drives_judged = psp_attempts_.drives_judged();
    result_.crash_point_passes = engine_->crash_point_passes();
    s.fault_decisions = faults_.log().size();
    result_.decisions = faults_.log().decisions();
    result_.transitions = transitions_.counts();
    s.psp_charges = psp_.charges().size();
    if (psp_webhooks_) {
      s.psp_webhook_events = psp_webhooks_->stats().events;
      s.psp_webhook_deliveries = psp_webhooks_->stats().deliveries;
    }
    s.ledger_entries = checker_.entries_checked();
    s.events = queue_.events_run();
    s.messages = network_.messages_sent();
    s.virtual_duration_us = end_us;
    if (config_.keep_trace) result_.trace = trace_.lines();
  }

  RunConfig config_;
  RunResult result_;
  TimeUs end_us_ = -1;
  TimeUs faults_stopped_us_ = 0;  // when the liveness phase began
  bool storage_reliable_ = true;  // no storage fault kind in the plan
  bool checking_ = false;         // the property checker is reading the engine's files
  faults::FaultPlan plan_;
  EventQueue queue_;
  Trace trace_;
  // Virtual time 0 as a Unix time: a drawn day and time of day (sim/epoch.h).
  int64_t epoch_unix_ms_;
  PrngStream sqlite_stream_;
  DurableVfs vfs_;
  FaultInjector faults_;
  Network network_;
  PspNode psp_;
  PspEndpoint psp_endpoint_;
  WebhookNode webhook_;
  PropertyChecker checker_;
  WebhookRetrySchedule webhook_retries_;
  WebhookSendOrder webhook_send_order_;
  ChargeCreators charge_creators_;
  PspAttempts psp_attempts_;
  PspReplyReading psp_readings_;
  TransitionRecorder transitions_;
  std::unique_ptr<EngineNode> engine_;
  std::unique_ptr<PspWebhookSender> psp_webhooks_;  // only with [faults.psp] webhooks
  std::vector<std::unique_ptr<ClientNode>> clients_;
  std::unique_ptr<ProbeClient> probe_;
};

}  // namespace

RunResult run_simulation(const RunConfig& config) {
  RECKON_CHECK(config.clients >= 1, "a run needs a client");
  World world(config);
  return world.run();
}

}  // namespace reckon::sim

#pragma once
// A careless merchant integration (the workload's `probes`): it sends requests that each break
// one rule of docs/api.md, reads charges back, and walks the charge list. Its requests cross
// the same faulty network as every client's. What it judges, from docs/api.md alone:
//
// - invalid-request-refused: a request breaking one documented rule is answered with that
//   rule's status and code. A refused create stores nothing ("Refusals ... store nothing, so
//   the key can be used again"): a valid create under the same key follows, and an answer 422
//   idempotency_key_reused to it means the refusal was kept.
// - charge-reads-consistent: GET /v1/charges/{id} of a charge this merchant created shows
//   that charge (id, amount, currency; never captured, as nobody asked); every charge read,
//   alone or in the list, has amounts its status allows (oracle::charge_amounts_problem); the
//   list, page by page, is in (created_us, id) order with no charge twice, ends with
//   has_more false, and holds every charge this merchant was told of before the walk began.
//
// No answer (a timeout) and 503 (the engine could not serve it now) leave a probe unjudged,
// except 503 storage_unavailable in a plan without storage faults: no commit can fail there.
// Probes draw from their own stream ("probe"), so the clients' orders do not move.

#include <nlohmann/json.hpp>

#include <deque>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "engine/http.h"
#include "faults/scenario.h"
#include "sim/client_node.h"
#include "sim/event_queue.h"
#include "sim/fault_injector.h"
#include "sim/network.h"
#include "sim/prng.h"
#include "sim/probe_catalogue.h"
#include "sim/trace.h"

namespace reckon::sim {

class EngineNode;

struct ProbeConfig {
  int probes = faults::kDefaultProbes;  // requests before the list walk; 0: the node stays idle
  std::string currency = "USD";         // of its creates: the workload's first currency
  TimeUs timeout_us = 400'000;
  TimeUs think_time_max_us = 300'000;
  int list_attempts_max = 10;  // per page of the final walk
  // The engine's authorization expiry (docs/state-machine.md): a probe on an authorized
  // charge is sent only well before it, so the charge's one broken rule stays the only one.
  TimeUs engine_authorization_expiry_us = 0;
  TimeUs engine_clock_skew_range_us = 0;  // as in ClientConfig
  bool psp_notices_on = false;            // the engine has the PSP's webhook secret
};

struct ProbeStats {
  int sent = 0;
  int judged = 0;      // answered with something other than 503
  int follow_ups = 0;  // valid creates under a refused create's key
  int list_pages = 0;
};

class ProbeClient {
 public:
  ProbeClient(uint64_t run_seed, ProbeConfig config, EventQueue& queue, Trace& trace,
              Network& network, EngineNode& engine, const FaultInjector& faults,
              ClientFailureSink fail);

  void start();
  bool done() const { return done_; }
  const ProbeStats& stats() const { return stats_; }
  const std::string& name() const { return name_; }

 private:
  struct OwnCharge {
    std::string id;
    TimeUs sent_us = 0;  // no later than its creation
    bool authorized = false;
    int64_t amount_minor = 0;
    size_t body_bytes = 0;  // >0: the body padded with whitespace to exactly this size
  };
  // The valid create that follows a refused one: the usual amount and token, or one at a
  // documented edge (docs/api.md: amount 1 or the maximum; a token of one or sixty
  // characters after `tok_`; a body of exactly 64 KiB; a key of one character, under
  // which it is not the refused request's follow-up).
  struct FollowUp {
    std::string key;
    std::string token;
    int64_t amount_minor = 0;
    size_t body_bytes = 0;  // >0: the body padded with whitespace to exactly this size
  };

  void next_probe();
  void next_probe_later();
  // Sends over the network; every copy of an answer goes to `on_answer` (`first` for the one
  // that acts), and `on_silence` runs when no answer came within the timeout.
  void send(const engine::HttpRequest& request, const std::string& what,
            std::function<void(const engine::HttpResponse&, bool first)> on_answer,
            std::function<void()> on_silence);
  // `card_number`: the one the probe's context drew; a refusal must never echo it.
  void judge_refusal(const ProbeRequest& probe, bool follow_up_sent,
                     const engine::HttpResponse& response, const std::string& card_number,
                     TimeUs sent_us);
  // A 503 storage_unavailable to a request sent at `sent_us` with no storage fault injected
  // since: the simulated disk fails only when told to, so the engine could have served it.
  bool storage_claim_without_fault(const engine::HttpResponse& response, TimeUs sent_us) const;
  FollowUp draw_follow_up(const std::string& key);
  void send_follow_up(const FollowUp& follow_up);
  void on_follow_up(const FollowUp& follow_up, const engine::HttpResponse& response,
                    TimeUs sent_us);
  void read_own_charge();
  void judge_read(const OwnCharge& charge, const engine::HttpResponse& response);
  // Why `charge` (a charge object) breaks docs/api.md's shape, or "" when it does not.
  std::string charge_problem(const nlohmann::json& charge) const;
  void walk_list(std::string cursor, int attempt);
  void on_page(const engine::HttpResponse& response, int limit, const std::string& cursor,
               int attempt);
  void finish();
  std::string authorized_charge() const;
  void fail(const char* property, const std::string& payment, const std::string& detail);

  std::string name_ = "probe-0";
  ProbeConfig config_;
  EventQueue& queue_;
  Trace& trace_;
  Network& network_;
  EngineNode& engine_;
  const FaultInjector& faults_;
  ClientFailureSink fail_;
  PrngStream stream_;
  ProbeStats stats_;
  bool done_ = false;
  int probe_ = 0;
  std::string one_character_keys_;  // the one-character keys this run's follow-ups used
  std::vector<int> order_;          // probe kinds in this run's order (drawn at the first probe)
  size_t next_kind_ = 0;
  // Kinds met before the client had an authorized charge, first in line once it has one:
  // a run's first probes come before any charge, and a skipped kind would be lost for it.
  std::deque<int> waiting_for_charge_;
  uint64_t next_request_id_ = 1;
  std::set<uint64_t> answered_;  // requests whose first answer or timeout already acted
  std::vector<OwnCharge> charges_;
  // The final walk: what it has seen so far.
  std::vector<std::string> known_at_walk_;  // own charges told of before the walk began
  std::set<std::string> listed_;
  std::optional<std::pair<int64_t, std::string>> last_listed_;
};

}  // namespace reckon::sim

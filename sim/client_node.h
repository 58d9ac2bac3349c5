#pragma once
// A merchant checkout: makes a series of logical payments through the engine. It retries
// with the same Idempotency-Key after a timeout, a 409 or a 503 (exponential backoff with
// jitter), and gives up after a bounded number of attempts. After a decline the customer
// sometimes pays again, which is a new logical attempt under a new key for the same order.
//
// Each order uses its own card token, so the PSP's records per token are the oracle for
// "charged twice for one logical charge".
//
// Two workload choices race the engine's own state (sim/client_races.cpp; drawn from the
// client's stream like the rest of the order, so they are part of the seed, not faults):
// - a capture/void race: the client sends a capture and a void of one authorization at the
//   same moment, each under its own key and retried like any request. One may win (200);
//   the other must be refused (409). Both answered 200 fails capture-void-exclusive.
// - a refund while UNKNOWN: when an auto-captured charge is answered 503 psp_outcome_unknown
//   (its body names the charge), the client asks at once for a refund of it instead of
//   retrying the authorization; the engine resolves the charge first, then refunds.
//
// Clients also misbehave (faults::ClientFaults, each a recorded decision of FaultInjector):
// they reuse a key with another amount, ask to capture more than was authorized, send an
// authorization twice at once under one key (the second must get 409 request_in_progress
// while the first is in flight, or the first's stored answer), and give up on an ambiguous
// call (a timeout or a 503) without retrying, leaving the payment to the engine's recovery.
//
// Every response a client receives, including late and duplicated ones, is judged at once:
// - replayed-response-equals-first: the first completed answer (2xx or 402) for a key is
//   kept, and every later completed answer for that key must equal it, status and body;
// - client-consistency: a completed answer must describe the request it answers (the
//   charge, amount, currency and resulting status the client asked for). A call without a
//   completed answer (timeout, 409 in progress, 503) keeps every outcome open until one comes.
// The first completed answer per key is also kept as an acknowledgement, which the
// property checker looks for in the engine's database (acknowledged-operation-survives).

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/http.h"
#include "sim/event_queue.h"
#include "sim/fault_injector.h"
#include "sim/merchant_spelling.h"
#include "sim/network.h"
#include "sim/prng.h"
#include "sim/trace.h"

namespace reckon::sim {

class EngineNode;

struct ClientConfig {
  int payments = 5;
  // Currencies of the orders, drawn uniformly; each must be in the engine's currency table.
  std::vector<std::string> currencies = {"USD", "JPY", "KWD"};
  TimeUs timeout_us = 400'000;
  int attempts_max = 10;             // per request, same key
  TimeUs backoff_base_us = 100'000;  // doubled per attempt, capped, plus jitter
  TimeUs backoff_cap_us = 2'000'000;
  TimeUs think_time_max_us = 200'000;
  Ratio auto_capture = {1, 2};
  Ratio partial_capture = {1, 4};
  Ratio pay_again_after_decline = {1, 2};
  Ratio void_instead_of_capture = {1, 5};
  Ratio refund_after_capture = {1, 3};
  int refunds_max = 3;  // refunds per refunded order (partial, the last sometimes the rest)
  // The engine's authorization expiry (docs/state-machine.md), set by the world: a capture or
  // void may legitimately be refused 409 only once it may have passed.
  TimeUs engine_authorization_expiry_us = 0;
  // How far apart two readings of the engine's clock may be, beyond virtual time: the width
  // of the plan's [faults.clock] skew range (set by the world; 0 without skew).
  TimeUs engine_clock_skew_range_us = 0;
  // Set by the world when no fault of the run can withhold or delay an answer
  // (faults::may_withhold_answers is false and nothing is scheduled): then a request that
  // exhausts its attempts without a final answer was refused service, and
  // legitimate-request-honoured fails.
  bool answers_guaranteed = false;
  // Set by the world when the plan has every storage fault off: then the engine's storage
  // never fails under it, and docs/api.md's 503 `storage_unavailable` ("could not be
  // recorded") to a request is a refusal of service (legitimate-request-honoured).
  bool storage_reliable = false;
  // After its refunds, the merchant sometimes asks for one minor unit more than it believes
  // is left (a rounding bug on the merchant's side): a correct engine refuses it.
  Ratio over_refund_probe = {1, 2};
  // Of orders not auto-captured: capture and void sent at once (drawn before
  // void_instead_of_capture). Off by default, so default runs draw nothing for it.
  Ratio capture_void_race = {0, 1};
  // Of auto-captured orders answered 503 psp_outcome_unknown: refund at once. Off by default.
  Ratio refund_while_unknown = {0, 1};
  // Of two-step orders whose authorization is answered 503 psp_outcome_unknown: capture the
  // whole amount at once. Off by default.
  Ratio capture_while_unknown = {0, 1};
  // Of those not captured at once: void the charge at once (the customer cancelled). Off by
  // default.
  Ratio void_while_unknown = {0, 1};
  // Of orders about to be refunded with at least 2 minor units refundable: two refunds sent
  // at once, each under its own key, each at most what is left but together more. Off by
  // default.
  Ratio refund_race = {0, 1};
  // How long the merchant holds an authorization before capturing or voiding it, drawn per
  // order (not auto-captured) in [min, max]; max 0: at once, and nothing is drawn.
  TimeUs hold_min_us = 0;
  TimeUs hold_max_us = 0;
};

struct ClientStats {
  int orders = 0;
  int authorized = 0;
  int captured = 0;
  int declined = 0;
  int abandoned = 0;
  int voided = 0;
  int refunds = 0;
  int over_refunds_refused = 0;
  int key_reuses_refused = 0;      // a key reused with another amount, answered 422
  int key_reuses_new_charge = 0;   // a key reused past its retention: a new charge (201/402)
  int over_captures_refused = 0;   // a capture above the authorization, refused
  int late_voids_refused = 0;      // a void of a captured charge, refused
  int refused_as_expired = 0;      // captures and voids refused 409 once the expiry may have passed
  int concurrent_sent = 0;         // second requests sent with the same key and body at once
  int concurrent_in_flight = 0;    // of those, answered 409 request_in_progress
  int gave_up = 0;                 // orders dropped after an ambiguous call (also abandoned)
  int races = 0;                   // capture/void races started
  int races_decided = 0;           // of those, won by one side (answered 200)
  int refunds_while_unknown = 0;   // refunds sent for a charge answered psp_outcome_unknown
  int captures_while_unknown = 0;  // captures sent for a charge answered psp_outcome_unknown
  int voids_while_unknown = 0;     // voids sent for a charge answered psp_outcome_unknown
  int refund_races = 0;            // two refunds together over what is left, sent at once
  int unexpected = 0;              // responses a correct engine never gives a well-behaved client
};

// A completed answer (2xx or 402) a client received: the engine must still hold it.
struct Acknowledgement {
  std::string api_key;  // the merchant's key the request was sent with
  std::string idempotency_key;
  int status = 0;
  TimeUs at_us = 0;
  TimeUs first_sent_us = 0;  // the key's first request: its retention counts from there
};

// How a capture/void race ended, from the status of the answer that ended each side (0: it
// ended without one). 200 wins; kBothWon breaks capture-void-exclusive.
enum class RaceVerdict { kNoWinner, kCaptureWon, kVoidWon, kBothWon };
RaceVerdict race_verdict(int capture_status, int void_status);

// A capture/void race one side won (answered 200): the charge must end as the winner said.
struct RaceOutcome {
  std::string charge_id;
  bool capture_won = false;  // else the void won
  TimeUs at_us = 0;          // when the winner's answer arrived
};

// An authorization the client was answered 201 for and then neither captured nor voided
// (its capture came too late, or was refused): the engine's expiry must release it.
struct HeldAuthorization {
  std::string card_token;  // the order's own token: its PSP charges
  std::string charge_id;
  TimeUs answered_at_us = 0;  // when the 201 arrived: the engine booked it no later
  // When the answer that left it uncaptured arrived: the engine had finished the capture or
  // void by then, and no expiry void can come while one is in flight.
  TimeUs settled_at_us = 0;
};

// Where a client reports a property it saw broken: (property, payment, detail).
using ClientFailureSink =
    std::function<void(const char* property, const std::string& payment, const std::string&)>;

class ClientNode {
 public:
  ClientNode(uint64_t run_seed, int index, ClientConfig config, EventQueue& queue, Trace& trace,
             Network& network, EngineNode& engine, FaultInjector& faults, ClientFailureSink fail);

  void start();
  bool done() const { return done_; }
  const ClientStats& stats() const { return stats_; }
  const std::string& name() const { return name_; }
  const std::vector<Acknowledgement>& acknowledgements() const { return acks_; }
  const std::vector<RaceOutcome>& race_outcomes() const { return race_outcomes_; }
  const std::vector<HeldAuthorization>& held_authorizations() const { return held_; }

 private:
  enum class Step { kAuthorize, kCapture, kVoid, kRefund, kReuseProbe };

  // What a request asked for, kept by request id to judge whatever answer comes back.
  struct Sent {
    std::string key;
    std::string payment;  // the charge id, or before it is known the order's card token
    Step step = Step::kAuthorize;
    std::string charge_id;
    int64_t amount_minor = 0;  // create, capture, refund (0 for "the rest")
    std::string currency;
    bool capture = false;         // create: authorize and capture in one call
    int64_t refunded_before = 0;  // refund: what the client knows was refunded before it
    bool concurrent = false;      // the second of two requests sent at once with one key
    int lane = 0;                 // 0: the order's request; else a race side's (kRaceLanes)
    bool over_capture = false;    // a capture of one minor unit more than was authorized
    TimeUs sent_us = 0;           // when this attempt left
  };
  // One side of a capture/void race: a request with its own key and retries.
  struct RaceSide {
    Step step = Step::kCapture;
    std::string key;
    int attempt = 0;
    uint64_t outstanding = 0;  // id of the request awaiting an answer; 0: none
    bool done = false;         // answered, or given up
    int status = 0;            // the answer that ended it; 0: none
    std::string body;
    int64_t refund_minor = 0;  // a refund race's amount
    bool refund_rest = false;  // the refund asks for "the rest" (no amount): all left
  };
  static constexpr int kRaceLanes = 2;  // lane 1: the capture, lane 2: the void
  struct Completed {
    int status = 0;
    std::string body;
  };

  void observe(const Sent& sent, const engine::HttpResponse& response);
  // Why `response` cannot be an answer to `sent`, or empty when it can.
  std::string inconsistency(const Sent& sent, const engine::HttpResponse& response) const;
  // Why a new charge's `created_us` cannot be the engine's time of admitting `key`'s request;
  // "" when it can.
  std::string creation_time_problem(const std::string& key, int64_t created_us) const;
  // What a 503 psp_outcome_unknown's charge contradicts in the request; "" when nothing.
  std::string unknown_outcome_inconsistency(const Sent& sent,
                                            const engine::HttpResponse& response) const;
  void on_reuse_probe_response(const engine::HttpResponse& response);
  // Judges the answer to the concurrent copy of a request (client-consistency).
  void judge_concurrent(const Sent& sent, const engine::HttpResponse& response);
  // Every answer to an over-capture must refuse it before the PSP hears of it.
  void judge_over_capture(const Sent& sent, const engine::HttpResponse& response);
  void transmit(uint64_t request_id, const engine::HttpRequest& request, const std::string& what);
  // After a call without an answer (timeout, 503): retry, or give up on the order.
  void after_ambiguous();

  void begin_order();
  void send_current();
  void on_response(uint64_t request_id, const engine::HttpResponse& response);
  void on_timeout(uint64_t request_id);
  void retry_later();
  void on_authorize_response(const engine::HttpResponse& response);
  void on_capture_response(const engine::HttpResponse& response);
  void on_void_response(const engine::HttpResponse& response);
  void on_refund_response(const engine::HttpResponse& response);
  void finish_order_now(const std::string& outcome);
  // After a successful capture: plans this order's refunds (maybe none) and sends the first.
  void after_capture(int64_t captured_minor);
  // legitimate-request-honoured: a well-behaved request got a refusal no rule allows.
  void refused_legitimate(const engine::HttpResponse& response, const std::string& why);
  // Whether the engine's expiry may have passed for this order's authorization.
  bool authorization_may_have_expired() const;
  // Whether the engine certainly still remembers `key` (docs/api.md, "Retention").
  bool key_certainly_kept(const std::string& key) const;
  // Whether the engine has certainly forgotten the order's answered authorization key: its
  // answer came more than the retention, the skew range and a second ago.
  bool auth_key_certainly_forgotten() const;
  // Whether it had certainly passed when the capture's first attempt was sent.
  bool capture_certainly_late() const;
  // After a 201 to an authorization not captured with it: capture, void or race, perhaps
  // after a hold.
  void settle_authorization();
  // After a capture (and any late-void probe): the refunds this order makes, if any.
  void plan_refunds();
  void next_refund();
  void start_step(Step step, const std::string& key_suffix);
  void finish_order(const std::string& outcome);
  // `quoted`: the Idempotency-Key header carries `key` as an RFC 8941 string.
  engine::HttpRequest build_request(Step step, const std::string& key, bool quoted) const;
  // The key of this order's request named `suffix`, in the client's spelling.
  std::string order_key(const std::string& suffix);
  // Whether the next request sends its key quoted (drawn per request, so a retry may send
  // the same key the other way).
  bool next_key_quoted();
  // What a request of `step` under `key` asks for, for judging its answers.
  Sent describe(Step step, const std::string& key) const;
  // The wait before attempt `attempt` + 1: exponential, capped, plus jitter drawn now.
  TimeUs next_backoff_us(int attempt);

  // The capture/void race (sim/client_races.cpp).
  void start_race();
  void send_race(int lane);
  void on_race_response(int lane, uint64_t request_id, const engine::HttpResponse& response);
  void on_race_timeout(int lane, uint64_t request_id);
  void race_retry(int lane, bool ambiguous);
  void end_race_side(int lane, int status, const std::string& body);
  void judge_race();
  // Two refunds at once, together over what is left (sim/client_races.cpp).
  void start_refund_race();
  void judge_refund_race();
  // The refund while UNKNOWN: true when the answer to an auto-capture starts one.
  bool refund_while_unknown(const engine::HttpResponse& response);
  // The capture while UNKNOWN: true when the answer to a two-step authorization starts one.
  bool capture_while_unknown(const engine::HttpResponse& response);
  // The void while UNKNOWN: true when the answer to a two-step authorization starts one.
  bool void_while_unknown(const engine::HttpResponse& response);
  // With probability `share`, takes the charge a 503 psp_outcome_unknown names for an action
  // started at once: counts it, sets `acting`, traces `what`. False: the usual retry.
  bool act_while_unknown(const engine::HttpResponse& response, Ratio share, int& counter,
                         bool& acting, const char* what);
  // The charge (id, status) a 503 psp_outcome_unknown to the authorization names, if any.
  std::optional<std::pair<std::string, std::string>> unknown_charge_of(
      const engine::HttpResponse& response) const;

  int index_;
  std::string name_;
  // What its Idempotency-Keys start with: the merchant's till number, not the client's
  // name. Clients alternate merchants by index, so client 2i at one merchant and 2i+1 at the
  // other make the same plain keys (a spelling's UUID or time suffix is drawn per client and
  // may differ), as merchants that key by order number do; the engine must keep them apart
  // (docs/api.md: idempotency keys are per merchant).
  std::string key_prefix_;
  ClientConfig config_;
  EventQueue& queue_;
  Trace& trace_;
  Network& network_;
  EngineNode& engine_;
  FaultInjector& faults_;
  ClientFailureSink fail_;
  PrngStream stream_;
  // Keys and tokens are drawn from a stream of their own, so the workload is what it was.
  PrngStream spelling_stream_;
  MerchantSpelling spelling_;
  // The order's own card token: its PSP charges are this order's and no other's.
  std::string token_;
  ClientStats stats_;
  bool done_ = false;

  // The order in progress.
  int order_ = 0;
  int pay_try_ = 0;
  Step step_ = Step::kAuthorize;
  int64_t amount_minor_ = 0;
  std::string currency_;
  bool auto_capture_ = false;
  int64_t capture_minor_ = 0;
  std::string charge_id_;
  int64_t refundable_minor_ = 0;  // what the client believes is left to refund
  int refunds_left_ = 0;          // planned refunds not yet sent
  bool probe_planned_ = false;
  std::optional<int64_t> refund_minor_;  // the refund in progress; empty: "the rest"
  bool refund_is_probe_ = false;
  int refund_number_ = 0;
  std::string key_;
  int attempt_ = 0;
  std::string last_answer_;   // of the current request's latest attempt, for failure messages
  uint64_t outstanding_ = 0;  // id of the request awaiting an answer; 0: none
  uint64_t next_request_id_ = 1;
  int64_t captured_minor_ = 0;   // what the client was told was captured
  std::string auth_key_;         // the key of the order's answered authorization
  std::string pending_outcome_;  // the order's outcome, while a key-reuse probe runs
  bool over_capture_probe_ = false;
  // The key-reuse probe in flight reuses a key past its retention (a new charge is due).
  bool forgotten_key_probe_ = false;
  TimeUs auth_key_answered_us_ = 0;  // when the authorization under auth_key_ was answered
  bool void_probe_ = false;
  // When the order's authorization key was first sent: the engine cannot have booked the
  // authorization earlier (its 201 may come much later, as a replay).
  TimeUs authorize_sent_us_ = 0;
  TimeUs authorize_answered_us_ = 0;  // when its 201 arrived: booked no later than that
  TimeUs capture_sent_us_ = 0;        // the capture key's first attempt
  std::vector<HeldAuthorization> held_;
  std::map<std::string, TimeUs> first_sent_;    // each Idempotency-Key's first request
  std::map<uint64_t, Sent> sent_;               // every request sent, by id
  std::map<std::string, Completed> completed_;  // the first completed answer per key
  std::vector<Acknowledgement> acks_;
  RaceSide race_[kRaceLanes];           // the race in progress, if any
  bool refund_while_unknown_ = false;   // this order's refund was sent while UNKNOWN
  bool capture_while_unknown_ = false;  // this order's capture was sent while UNKNOWN
  bool void_while_unknown_ = false;     // this order's void was sent while UNKNOWN
  std::vector<RaceOutcome> race_outcomes_;
};

}  // namespace reckon::sim

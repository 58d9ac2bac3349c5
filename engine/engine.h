#pragma once
// The reference payment engine: a handler from HttpRequest to HttpResponse that keeps its
// state in SQLite and reaches the PSP, the clock and randomness only through EnginePorts.
//
// The rules it keeps (docs/architecture.md):
// - The PENDING intent and the idempotency record commit before the PSP is called.
// - Status change, ledger entries, the stored response and the outbox event commit in one
//   transaction; the outbox dispatcher delivers each event to the merchant's webhook at
//   least once, under an id that never changes (engine/outbox.h).
// - Each operation has one PSP idempotency key, reused on every attempt and by recovery.
// - An ambiguous PSP outcome leaves the operation UNKNOWN, never declined; recovery asks
//   the PSP by key and, if the PSP never saw it, re-sends it under the same key.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "engine/auth.h"
#include "engine/expiry.h"
#include "engine/http.h"
#include "engine/planted.h"
#include "engine/ports.h"
#include "engine/store/db.h"
#include "engine/store/records.h"

namespace reckon::engine {

struct EngineConfig {
  ApiKeys api_keys = default_api_keys();  // api key -> merchant id (engine/auth.h)
  int psp_attempts_max = 3;               // attempts per operation before it becomes UNKNOWN
  int64_t psp_retry_backoff_us = 50'000;
  int64_t recovery_interval_us = 500'000;
  // How long a completed Idempotency-Key is remembered (from its first request). After it,
  // the same key is a new request. In-flight keys are never forgotten.
  int64_t idempotency_retention_us = 24LL * 3600 * 1'000'000;
  // How long an uncaptured authorization holds the customer's money (engine clock, from
  // the authorization's success). After it a capture is refused (409
  // authorization_expired) and the recovery job voids the authorization at the PSP.
  int64_t authorization_expiry_us = kDefaultAuthorizationExpiryUs;
  // merchant id -> webhook URL. A merchant without one still gets its events written;
  // they wait in the outbox until an endpoint is configured.
  std::map<std::string, std::string> webhook_endpoints;
  int64_t outbox_poll_interval_us = 100'000;
  // Retry after a failed delivery: base * 2^(attempts-1), at most max.
  int64_t webhook_retry_base_us = 200'000;
  int64_t webhook_retry_max_us = 10'000'000;
  int64_t outbox_batch = 32;  // events per merchant per dispatcher pass
  // The secret the PSP signs its webhooks with (engine/psp_webhook.h). Empty: the webhook
  // route answers 404 and the engine learns outcomes only from replies and lookups.
  std::string psp_webhook_secret;
  PlantedDefects planted;
};

using Responder = std::function<void(const HttpResponse&)>;

class PaymentEngine {
 public:
  // Opens (or creates) the database and applies the schema. On failure returns null and
  // sets `status`; the engine never runs on a database it could not set up.
  static std::unique_ptr<PaymentEngine> open(EnginePorts ports, EngineConfig config,
                                             Status& status);
  ~PaymentEngine();

  // Handles one request; `respond` is called exactly once, possibly later (after the PSP
  // answers), or never if the process dies first.
  void handle(const HttpRequest& request, Responder respond);

  // One pass of the recovery job over PENDING and UNKNOWN operations not in flight here.
  void run_recovery();
  // Starts the periodic recovery job (first pass now).
  void start_recovery_loop();

  // One pass of the outbox dispatcher: sends every due, undelivered event of each merchant
  // with an endpoint that is not being delivered now. Needs the webhooks port.
  void dispatch_outbox();
  // Starts the periodic dispatcher (first pass now); does nothing without the port.
  void start_outbox_dispatcher();
  // Events of merchants with an endpoint that no 2xx has acknowledged yet.
  int64_t undelivered_event_count();

  size_t unresolved_operation_count();
  Db& db() { return *db_; }

 private:
  PaymentEngine(EnginePorts ports, EngineConfig config, std::unique_ptr<Db> db);

  struct OperationStart {
    std::optional<HttpResponse> refusal;  // set: refuse with this, nothing written
    OperationRow operation;
  };
  using OperationFactory = std::function<OperationStart(const nlohmann::json& body)>;

  // REQUIRES (all below): `merchant` is the authenticated merchant of the request.
  void create_charge(const HttpRequest& request, const std::string& merchant, Responder respond);
  void capture_charge(const HttpRequest& request, const std::string& merchant,
                      const std::string& charge_id, Responder respond);
  void void_charge(const HttpRequest& request, const std::string& merchant,
                   const std::string& charge_id, Responder respond);
  void refund_charge(const HttpRequest& request, const std::string& merchant,
                     const std::string& charge_id, Responder respond);
  void get_charge(const std::string& merchant, const std::string& charge_id, Responder respond);
  // A capture, void or refund on a charge whose authorization is unresolved (pending or
  // unknown) first resolves it: the request waits for the authorization's operation (and
  // starts a lookup by key if nothing drives it), then runs. After `rounds` waits without
  // a resolution it runs anyway and is refused with 409 charge_unresolved.
  void settle_when_resolved(const HttpRequest& request, const std::string& merchant,
                            const std::string& charge_id, const std::string& action,
                            Responder respond, int rounds);
  // Asks the PSP by key what became of an operation nobody drives (recovery's step).
  void resolve_operation(const OperationRow& op);
  // Recovery's step for authorizations past their expiry: each gets a void operation (no
  // client key; its PSP key is derived from the charge) driven like any other.
  void expire_authorizations();
  bool authorization_expired(const std::string& charge_id);
  void list_charges(const HttpRequest& request, const std::string& merchant, Responder respond);
  // POST kPspWebhookPath: authenticated by the PSP's signature, not a merchant's key.
  void receive_psp_webhook(const HttpRequest& request, Responder respond);
  void book_success_again(const OperationRow& op);  // planted webhook-not-deduplicated only

  void start_idempotent(const HttpRequest& request, const std::string& merchant,
                        const std::string& kind, OperationFactory factory, Responder respond);
  void drive_operation(const std::string& operation_id, int attempt);
  void on_psp_reply(const std::string& operation_id, int attempt, const PspReply& reply);
  void on_lookup_reply(const std::string& operation_id, const PspReply& reply);
  void finalize(const std::string& operation_id, int attempts, PspOutcome outcome,
                const PspReply& reply);
  void mark_unknown(const std::string& operation_id, int attempts);
  void on_webhook_reply(const std::string& event_id, int64_t attempts, const WebhookReply& reply);
  void respond_to(const std::string& operation_id, const HttpResponse& response);
  void release(const std::string& operation_id);
  void purge_expired_idempotency_keys();

  std::string new_id(std::string_view prefix);
  std::string psp_key_for_attempt(const OperationRow& op);
  // The merchant's charge, or nullopt with a 404 refusal: another merchant's charge is
  // reported exactly like a missing one, so ids reveal nothing across merchants.
  std::optional<ChargeRow> merchant_charge(const std::string& charge_id,
                                           const std::string& merchant,
                                           std::optional<HttpResponse>& refusal);
  PspRequest psp_request_for(const OperationRow& op, const ChargeRow& charge);
  void crash_point(std::string_view name);
  // Runs `pass` now and then every `interval_us` for the life of this engine object.
  void run_periodically(int64_t interval_us, void (PaymentEngine::*pass)());

  EnginePorts ports_;
  EngineConfig config_;
  std::unique_ptr<Db> db_;
  // Operations this process is driving now, with the client waiting on each (if any).
  // INVARIANT: recovery never drives an operation that is in this map.
  std::map<std::string, Responder> in_flight_;
  // Requests waiting for an operation to end (settle_when_resolved), run on its release.
  std::map<std::string, std::vector<std::function<void()>>> waiting_on_operation_;
  bool recovery_loop_started_ = false;
  // Events handed to the webhook transport and not yet answered. INVARIANT: an event is
  // never sent twice concurrently by one process (a restart may resend it: at least once).
  std::set<std::string> delivering_;
  bool dispatcher_started_ = false;
};

}  // namespace reckon::engine

#include "engine/engine.h"

#include <xxhash.h>

#include <cstdio>

#include "engine/card_token.h"
#include "engine/check.h"
#include "engine/crash_points.h"
#include "engine/psp_webhook.h"
#include "engine/request_validation.h"
#include "engine/store/schema.h"

namespace reckon::engine {
namespace {

// "/v1/charges/ch_1/capture" -> {"v1", "charges", "ch_1", "capture"}
std::vector<std::string> path_segments(const std::string& target) {
  std::vector<std::string> out;
  const std::string path = target.substr(0, target.find('?'));
  size_t start = 0;
  while (start < path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string::npos) slash = path.size();
    if (slash > start) out.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return out;
}

// Planted defects that live in the storage setup rather than in the code paths: a sync
// setting, or a guard trigger the defect's code path needs out of its way. Inert otherwise.
Status plant_storage_defects(Db& db, const PlantedDefects& planted) {
  Status s;
  if (planted.has(Defect::kLostFsync)) s = db.exec("PRAGMA synchronous=OFF;");
  if (s.ok && planted.has(Defect::kLedgerEntryUpdated)) {
    s = db.exec("DROP TRIGGER IF EXISTS ledger_entries_no_update;");
  }
  if (s.ok && planted.has(Defect::kCaptureTimeoutRegressesStatus)) {
    s = db.exec("DROP TRIGGER IF EXISTS charges_status_transition;");
  }
  return s;
}

}  // namespace

std::unique_ptr<PaymentEngine> PaymentEngine::open(EnginePorts ports, EngineConfig config,
                                                   Status& status) {
  RECKON_CHECK(ports.clock && ports.random && ports.psp, "engine ports must be wired");
  RECKON_CHECK(config.psp_attempts_max >= 1, "at least one PSP attempt");
  auto db = Db::open(ports.storage.path, ports.storage.vfs_name, status);
  if (!db) return nullptr;
  status = apply_schema(*db, ports.storage.durability);
  if (!status.ok) return nullptr;
  status = plant_storage_defects(*db, config.planted);
  if (!status.ok) return nullptr;
  return std::unique_ptr<PaymentEngine>(
      new PaymentEngine(std::move(ports), std::move(config), std::move(db)));
}

PaymentEngine::PaymentEngine(EnginePorts ports, EngineConfig config, std::unique_ptr<Db> db)
    : ports_(std::move(ports)), config_(std::move(config)), db_(std::move(db)) {}

PaymentEngine::~PaymentEngine() = default;

void PaymentEngine::handle(const HttpRequest& request, Responder respond) {
  if (request.target == kPspWebhookPath && request.method == "POST") {
    return receive_psp_webhook(request, std::move(respond));
  }
  // Before anything reads or echoes the target (a 404 names it; a server logs the path).
  if (auto pan = refuse_card_number_in_target(request)) return respond(*pan);
  const auto merchant = authenticate(request, config_.api_keys);
  if (!merchant) return respond(unauthorized_response());
  const auto segments = path_segments(request.target);
  const bool charges = segments.size() >= 2 && segments[0] == "v1" && segments[1] == "charges";
  if (charges && segments.size() == 2 && request.method == "POST") {
    return create_charge(request, *merchant, std::move(respond));
  }
  if (charges && segments.size() == 2 && request.method == "GET") {
    return list_charges(request, *merchant, std::move(respond));
  }
  if (charges && segments.size() == 3 && request.method == "GET") {
    return get_charge(*merchant, segments[2], std::move(respond));
  }
  if (charges && segments.size() == 4 && request.method == "POST") {
    const std::string& action = segments[3];
    if (action == "capture" || action == "void" || action == "refund") {
      // Two rounds: the attempt in flight ends (perhaps as unknown), then one lookup.
      constexpr int kResolveRounds = 2;
      return settle_when_resolved(request, *merchant, segments[2], action, std::move(respond),
                                  kResolveRounds);
    }
  }
  respond(error_response(404, "route_not_found",
                         "no route for " + request.method + " " + request.target));
}

void PaymentEngine::settle_when_resolved(const HttpRequest& request, const std::string& merchant,
                                         const std::string& charge_id, const std::string& action,
                                         Responder respond, int rounds) {
  const auto charge = load_charge(*db_, charge_id);
  const bool unresolved = charge && charge->merchant == merchant &&
                          (charge->status == "pending" || charge->status == "unknown");
  if (unresolved && rounds > 0 && !config_.planted.has(Defect::kSettleWithoutResolving)) {
    if (auto op = unresolved_authorization(*db_, charge_id)) {
      // Waits for the attempt in flight, or for one lookup we start: after our own lookup
      // there is nothing more to wait for, so the request runs whatever it found.
      const bool driven = in_flight_.count(op->id) != 0;
      int rounds_left = driven ? rounds - 1 : 0;
      if (config_.planted.has(Defect::kUnresolvedWithoutOwnLookup)) rounds_left = 0;
      waiting_on_operation_[op->id].push_back(
          [this, request, merchant, charge_id, action, respond = std::move(respond), rounds_left] {
            settle_when_resolved(request, merchant, charge_id, action, respond, rounds_left);
          });
      if (!driven) resolve_operation(*op);
      return;
    }
  }
  if (action == "capture") return capture_charge(request, merchant, charge_id, std::move(respond));
  if (action == "void") return void_charge(request, merchant, charge_id, std::move(respond));
  RECKON_CHECK(action == "refund", "settlement actions are capture, void and refund");
  refund_charge(request, merchant, charge_id, std::move(respond));
}

std::string PaymentEngine::new_id(std::string_view prefix) {
  // INVARIANT: no id the engine makes looks like a card number. An id travels in request
  // targets, which are scanned for card numbers; 16 hex digits hold a Luhn-valid run of 13+
  // decimal digits about once in 1,400 draws, so such a draw is thrown away.
  char buf[40];
  do {
    std::snprintf(buf, sizeof buf, "%.*s_%016llx", static_cast<int>(prefix.size()), prefix.data(),
                  static_cast<unsigned long long>(ports_.random->next_u64()));
  } while (contains_card_number(buf));
  return buf;
}

std::optional<ChargeRow> PaymentEngine::merchant_charge(const std::string& charge_id,
                                                        const std::string& merchant,
                                                        std::optional<HttpResponse>& refusal) {
  auto charge = load_charge(*db_, charge_id);
  if (charge && charge->merchant == merchant) return charge;
  refusal = error_response(404, "charge_not_found", "no charge " + charge_id);
  return std::nullopt;
}

void PaymentEngine::crash_point(std::string_view name) {
  RECKON_CHECK(is_crash_point(name), "crash points are listed in engine/crash_points.h");
  if (ports_.crash_points != nullptr) ports_.crash_points->reached(name);
}

bool is_crash_point(std::string_view name) {
  for (const auto& point : kCrashPoints) {
    if (point.name == name) return true;
  }
  return false;
}

size_t PaymentEngine::unresolved_operation_count() {
  return unresolved_operations(*db_).size();
}

}  // namespace reckon::engine
